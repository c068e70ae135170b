"""Widget views for JupyterLab and Voilà. State is plain Python; views build ipywidgets from it;
callbacks are one line. Stage modules never import this package."""
