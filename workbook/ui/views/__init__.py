"""JupyterLab views of the four stages, built like the dashboards: a plain state dataclass, pure
content functions (result and state in, what to show out) and a small view class whose callbacks
are one line. ``<stage>_view(result)`` returns the widget that the stage notebooks display."""
