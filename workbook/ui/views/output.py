"""Showing a view's content in an :class:`ipywidgets.Output`: the one place the views display."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import Markdown, display
from matplotlib.figure import Figure

__all__ = ["Shown", "show"]


class Shown(Protocol):
    """Content a view shows: its items in display order."""

    def items(self) -> list[object]: ...


C = TypeVar("C", bound=Shown)


def show(out: widgets.Output, build: Callable[[], C], *, wait: bool = True) -> C | None:
    """Clear ``out``, build the content inside it and display its items; return the content.

    Building inside the output keeps a failure where the analyst looks: in a kernel, ipywidgets
    shows the traceback in ``out`` and this returns None; elsewhere (tests) the error is raised.
    An item that is a ``str`` is shown as Markdown, ``None`` is skipped, and a Figure is closed
    once displayed (no second copy from the inline backend). ``wait`` is passed to
    :meth:`~ipywidgets.Output.clear_output` (keep the old output until the new one arrives).
    """
    out.clear_output(wait=wait)
    content = None
    with out:
        content = build()
        for item in content.items():
            if item is None:
                continue
            display(Markdown(item) if isinstance(item, str) else item)
            if isinstance(item, Figure):
                plt.close(item)
    return content
