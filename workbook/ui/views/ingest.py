"""Interactive view of stage 00: a unit picker that redraws the unit table and figures."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from workbook.core.i18n import t
from workbook.ingest.report import figures, units_table
from workbook.ingest.stage import DataCheck
from workbook.ui.views.output import show

__all__ = ["DataCheckState", "DataCheckContent", "datacheck_content", "DataCheckView",
           "datacheck_view"]


@dataclass
class DataCheckState:
    """What the analyst chose: the unit (None = whole agency)."""

    unit: str | None = None

    def options(self, dc: DataCheck, lang: str) -> list[tuple[str, str | None]]:
        """The unit picker's options: the whole agency, then each unit by name and code."""
        units = dc.units[["kode_unit", "nama_unit"]].drop_duplicates().itertuples(index=False)
        named = [(f"{u.nama_unit} ({u.kode_unit})", u.kode_unit) for u in units]
        return [(t("label.all_units", lang), None)] + named


@dataclass
class DataCheckContent:
    """What the view shows for one state: the unit table, then the figures."""

    table: pd.DataFrame
    figures: dict[str, Figure]

    def items(self) -> list[object]:
        return [self.table, *self.figures.values()]


def datacheck_content(dc: DataCheck, state: DataCheckState) -> DataCheckContent:
    """The unit table and figures of stage 00 for ``state.unit`` (pure)."""
    return DataCheckContent(units_table(dc, state.unit), figures(dc, state.unit))


class DataCheckView:
    """The widgets of the stage 00 view; ``state`` is plain data, the callback one line."""

    def __init__(self, dc: DataCheck, state: DataCheckState | None = None) -> None:
        self.dc = dc
        self.state = state or DataCheckState(dc.ctx.unit)
        lang = dc.ctx.lang
        self.picker = widgets.Dropdown(options=self.state.options(dc, lang), value=self.state.unit,
                                       description=t("label.unit", lang))
        self.out = widgets.Output()
        self.content: DataCheckContent | None = None
        self.picker.observe(lambda ch: self.set_unit(ch["new"]), names="value")
        self.widget = widgets.VBox([self.picker, self.out])
        self.render()

    def set_unit(self, unit: str | None) -> None:
        self.state.unit = unit
        self.render()

    def render(self) -> None:
        """Recompute the content from ``state`` and show it."""
        self.content = show(self.out, lambda: datacheck_content(self.dc, self.state))


def datacheck_view(dc: DataCheck, state: DataCheckState | None = None) -> widgets.VBox:
    """The stage 00 view as one widget (what ``notebooks/00_data_check.ipynb`` displays)."""
    return DataCheckView(dc, state).widget
