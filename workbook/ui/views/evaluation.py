"""Interactive view of stage 03: pick a programme, a level and a unit; tables and charts update."""

from __future__ import annotations

from dataclasses import dataclass, field

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from workbook.core.i18n import t
from workbook.evaluation import report as er
from workbook.evaluation.stage import EvaluationResult, shown_level2
from workbook.ui.views.output import show

__all__ = ["LEVELS", "EvaluationState", "EvaluationContent", "evaluation_content", "EvaluationView",
           "evaluation_view"]

LEVELS = ("L1", "L2", "L3", "L4", "tindak_lanjut")


@dataclass
class EvaluationState:
    """What the analyst chose: programme (for the L2 charts), level and unit (for the follow-up)."""

    program_id: str | None = None
    level: str = "L2"
    unit: str | None = None

    def programmes(self, res: EvaluationResult) -> list[tuple[str, str]]:
        """Programmes with a shown L2 result, largest first, as (label, id) options."""
        shown = shown_level2(res)
        shown = shown[~shown["suppressed"]].sort_values("n", ascending=False)
        names = res.programme_names()
        return [(f"{names.get(p, p)} ({p})", p) for p in shown["program_id"]]


@dataclass
class EvaluationContent:
    """What the view shows for one state: figures (level 2 only), then one table."""

    table: pd.DataFrame
    figures: list[Figure] = field(default_factory=list)

    def items(self) -> list[object]:
        return [*self.figures, self.table]


def _unit_options(units: list[str], lang: str) -> list[tuple[str, str | None]]:
    return [(t("label.all_units", lang), None)] + [(u, u) for u in units]


def evaluation_content(res: EvaluationResult, state: EvaluationState) -> EvaluationContent:
    """The figures and table of ``state.level`` (pure)."""
    if state.level == "L2":
        figs = [er.forest_figure(res), er.slope_figure(res, state.program_id),
                er.change_figure(res, state.program_id)]
        return EvaluationContent(er.level2_table(res), [f for f in figs if f is not None])
    if state.level == "L1":
        return EvaluationContent(er.level1_table(res))
    if state.level == "L3":
        return EvaluationContent(er.level3_table(res))
    if state.level == "L4":
        return EvaluationContent(er.level4_table(res))
    return EvaluationContent(er.followup_table(res, state.unit))


class EvaluationView:
    """The widgets of the stage 03 view; ``state`` is plain data, every callback one line."""

    def __init__(self, res: EvaluationResult, state: EvaluationState | None = None) -> None:
        self.res = res
        lang = res.ctx.lang
        self.state = state or EvaluationState(unit=res.ctx.unit)
        progs = self.state.programmes(res)
        if self.state.program_id is None and progs:
            self.state.program_id = progs[0][1]
        levels = [(t(f"ui.view.level.{lv}", lang), lv) for lv in LEVELS]
        self.level_w = widgets.ToggleButtons(options=levels, value=self.state.level)
        self.prog_w = widgets.Dropdown(options=progs, value=self.state.program_id,
                                       description=t("ui.view.programme", lang))
        units = sorted(res.tables["pegawai"]["kode_unit"].unique())
        self.unit_w = widgets.Dropdown(options=_unit_options(units, lang),
                                       value=self.state.unit, description=t("label.unit", lang))
        self.out = widgets.Output()
        self.content: EvaluationContent | None = None
        self.level_w.observe(lambda ch: self.set_level(ch["new"]), names="value")
        self.prog_w.observe(lambda ch: self.set_programme(ch["new"]), names="value")
        self.unit_w.observe(lambda ch: self.set_unit(ch["new"]), names="value")
        self.widget = widgets.VBox([self.level_w, widgets.HBox([self.prog_w, self.unit_w]),
                                    self.out])
        self.render()

    def set_level(self, level: str) -> None:
        self.state.level = level
        self.render()

    def set_programme(self, program_id: str | None) -> None:
        self.state.program_id = program_id
        self.render()

    def set_unit(self, unit: str | None) -> None:
        self.state.unit = unit
        self.render()

    def render(self) -> None:
        """Recompute the content from ``state`` and show it."""
        self.content = show(self.out, lambda: evaluation_content(self.res, self.state))


def evaluation_view(res: EvaluationResult, state: EvaluationState | None = None) -> widgets.VBox:
    """The stage 03 view as one widget (what ``notebooks/03_evaluation.ipynb`` displays)."""
    return EvaluationView(res, state).widget
