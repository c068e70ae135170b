"""Interactive view of stage 00: a unit picker that redraws the unit table and figures."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

from workbook.core.i18n import t
from workbook.ingest.report import figures, units_table
from workbook.ingest.stage import DataCheck

__all__ = ["DataCheckState", "datacheck_view"]


@dataclass
class DataCheckState:
    unit: str | None = None

    def options(self, dc: DataCheck, lang: str) -> list[tuple[str, str | None]]:
        units = dc.units[["kode_unit", "nama_unit"]].drop_duplicates().itertuples(index=False)
        return [(t("label.all_units", lang), None)] + [(f"{u.nama_unit} ({u.kode_unit})", u.kode_unit) for u in units]


def datacheck_view(dc: DataCheck, state: DataCheckState | None = None) -> widgets.VBox:
    state = state or DataCheckState(dc.ctx.unit)
    lang = dc.ctx.lang
    picker = widgets.Dropdown(options=state.options(dc, lang), value=state.unit, description=t("label.unit", lang))
    out = widgets.Output()

    def render(_=None) -> None:
        state.unit = picker.value
        out.clear_output(wait=True)
        with out:
            display(units_table(dc, state.unit))
            for fig in figures(dc, state.unit).values():
                display(fig)
                plt.close(fig)

    picker.observe(render, names="value")
    render()
    return widgets.VBox([picker, out])
