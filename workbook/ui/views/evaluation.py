"""Interactive view of stage 03: pick a programme, a level and a unit; tables and charts update."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

from workbook.core.i18n import t
from workbook.evaluation import report as er
from workbook.evaluation.stage import EvaluationResult, shown_level2

__all__ = ["EvaluationState", "evaluation_view"]

LEVELS = ("L1", "L2", "L3", "L4", "tindak_lanjut")


@dataclass
class EvaluationState:
    program_id: str | None = None
    level: str = "L2"
    unit: str | None = None

    def programmes(self, res: EvaluationResult) -> list[tuple[str, str]]:
        shown = shown_level2(res)
        shown = shown[~shown["suppressed"]].sort_values("n", ascending=False)
        names = res.programme_names()
        return [(f"{names.get(p, p)} ({p})", p) for p in shown["program_id"]]


def evaluation_view(res: EvaluationResult, state: EvaluationState | None = None) -> widgets.VBox:
    lang = res.ctx.lang
    state = state or EvaluationState(unit=res.ctx.unit)
    progs = state.programmes(res)
    if state.program_id is None and progs:
        state.program_id = progs[0][1]
    level_labels = {"id": ["L1 Reaksi", "L2 Pembelajaran", "L3 Perilaku", "L4 Hasil", "Tindak lanjut"],
                    "en": ["L1 Reaction", "L2 Learning", "L3 Behaviour", "L4 Results", "Follow-up"]}[lang]
    level_w = widgets.ToggleButtons(options=list(zip(level_labels, LEVELS, strict=True)), value=state.level)
    prog_w = widgets.Dropdown(options=progs, value=state.program_id,
                              description={"id": "Program", "en": "Programme"}[lang])
    units = sorted(res.tables["pegawai"]["kode_unit"].unique())
    unit_w = widgets.Dropdown(options=[(t("label.all_units", lang), None)] + [(u, u) for u in units],
                              value=state.unit, description=t("label.unit", lang))
    out = widgets.Output()

    def render(_=None) -> None:
        state.level, state.program_id, state.unit = level_w.value, prog_w.value, unit_w.value
        out.clear_output(wait=True)
        with out:
            if state.level == "L2":
                for fig in (er.forest_figure(res), er.slope_figure(res, state.program_id),
                            er.change_figure(res, state.program_id)):
                    if fig is not None:
                        display(fig)
                        plt.close(fig)
                display(er.level2_table(res))
            elif state.level == "L1":
                display(er.level1_table(res))
            elif state.level == "L3":
                display(er.level3_table(res))
            elif state.level == "L4":
                display(er.level4_table(res))
            else:
                display(er.followup_table(res, state.unit))

    for w in (level_w, prog_w, unit_w):
        w.observe(render, names="value")
    render()
    return widgets.VBox([level_w, widgets.HBox([prog_w, unit_w]), out])
