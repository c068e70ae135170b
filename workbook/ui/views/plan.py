"""Interactive view of stage 02: criteria weights or AHP judgements, method and budget.

Moving a weight or the budget re-ranks the programmes and redraws the funded set at once
(programme level, exact 0/1 choice); "Hitung ulang rencana" re-solves the group-level plan with the
new budget and shows the JP coverage.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from itertools import combinations

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from workbook.core.exceptions import WorkbookError
from workbook.core.i18n import fmt_number, fmt_rupiah, t
from workbook.pipeline import run_plan
from workbook.plan import report as pr
from workbook.plan.ahp import ahp
from workbook.plan.stage import PlanResult, rank_programmes
from workbook.ui.views.output import show

__all__ = ["SAATY", "PlanState", "initial_state", "RankingContent", "ranking_content", "AhpContent",
           "ahp_content", "ReplanContent", "replan_content", "PlanView", "plan_view"]

#: the Saaty scale of the pairwise judgements, as (label, value) options
SAATY = [("1/9", 1 / 9), ("1/7", 1 / 7), ("1/5", 1 / 5), ("1/3", 1 / 3), ("1", 1.0), ("3", 3.0),
         ("5", 5.0), ("7", 7.0), ("9", 9.0)]


@dataclass
class PlanState:
    """What the analyst chose: method, criteria weights, budget and the AHP judgements."""

    method: str = "saw"
    weights: dict[str, float] = field(default_factory=dict)
    budget: float = 0.0
    judgements: dict[tuple[str, str], float] = field(default_factory=dict)

    def ahp_matrix(self, names: list[str]) -> pd.DataFrame:
        """The reciprocal pairwise matrix of the judgements (1 where a pair is not judged)."""
        m = pd.DataFrame(1.0, index=names, columns=names)
        for (a, b), v in self.judgements.items():
            m.loc[a, b], m.loc[b, a] = v, 1.0 / v
        return m


def initial_state(res: PlanResult) -> PlanState:
    """The settings' method and weights and the agency's whole budget."""
    s = res.ctx.settings
    return PlanState(method=s["priorities.method"],
                     weights={k: float(v["weight"]) for k, v in s["priorities.criteria"].items()},
                     budget=res.budget_total)


@dataclass
class RankingContent:
    """The ranking part of the view: one sentence (Markdown) and the ranking figure."""

    message: str
    figure: Figure | None = None
    ranking: pd.DataFrame | None = None
    n_funded: int = 0

    def items(self) -> list[object]:
        return [self.message, self.figure]


def ranking_content(res: PlanResult, state: PlanState) -> RankingContent:
    """Rank the programmes with the state's method and weights; count those funded in its budget."""
    lang = res.ctx.lang
    try:
        ranking = rank_programmes(res.criteria, settings=res.ctx.settings, method=state.method,
                                  weights=state.weights)
    except WorkbookError as exc:
        return RankingContent(f"**{exc.message(lang)}**")
    sel = pr.funded_selection(res, ranking, state.budget)
    n = len(sel[sel["selected"]])
    budget = fmt_rupiah(state.budget, lang)
    message = t("ui.view.funded", lang, n=n, budget=budget)
    return RankingContent(message, pr.ranking_figure(replace(res, ranking=ranking)), ranking, n)


@dataclass
class AhpContent:
    """The AHP outcome: the weights (rounded to 0.01; None when refused) and one sentence."""

    message: str
    weights: dict[str, float] | None = None

    def items(self) -> list[object]:
        return [self.message]


def ahp_content(state: PlanState, names: list[str], settings, lang: str) -> AhpContent:
    """Criteria weights from the state's pairwise judgements (refused when inconsistent)."""
    try:
        r = ahp(state.ahp_matrix(names), settings=settings)
    except WorkbookError as exc:
        return AhpContent(f"**{exc.message(lang)}**")
    weights = {k: round(float(r.weights[k]), 2) for k in names}
    return AhpContent(f"CR = {fmt_number(r.cr, lang, 3)} ({t('ui.view.consistent', lang)})", weights)


@dataclass
class ReplanContent:
    """The re-solved plan (not written) with its summary (Markdown) and JP coverage figure."""

    result: PlanResult
    summary: str
    figure: Figure

    def items(self) -> list[object]:
        return [self.summary, self.figure]


def replan_content(res: PlanResult, state: PlanState) -> ReplanContent:
    """Re-solve the group-level plan with the state's budget, method and weights (not written)."""
    new = run_plan(res.ctx, write=False, budget=state.budget, method=state.method,
                   weights=state.weights)
    return ReplanContent(new, pr.summary_markdown(new), pr.coverage_figure(new))


class PlanView:
    """The widgets of the stage 02 view; ``state`` is plain data, every callback one line."""

    def __init__(self, res: PlanResult, state: PlanState | None = None) -> None:
        self.res, self.lang = res, res.ctx.lang
        self.names = list(res.ctx.settings["priorities.criteria"])
        self.state = state or initial_state(res)
        self._build_widgets()
        self.ranking: RankingContent | None = None
        self.ahp: AhpContent | None = None
        self.plan: ReplanContent | None = None
        for k, w in self.sliders.items():
            w.observe(lambda ch, k=k: self.set_weight(k, ch["new"]), names="value")
        self.method_w.observe(lambda ch: self.set_method(ch["new"]), names="value")
        self.budget_w.observe(lambda ch: self.set_budget(ch["new"]), names="value")
        self.ahp_btn.on_click(lambda _b: self.use_ahp())
        self.replan_btn.on_click(lambda _b: self.replan())
        # the widgets may have changed a value of the state given (budget clipped, method "ahp")
        self.state.weights = {k: w.value for k, w in self.sliders.items()}
        self.state.method, self.state.budget = self.method_w.value, self.budget_w.value
        self.rerank()
        self.widget = self._layout()

    def _build_widgets(self) -> None:
        lang, st, total = self.lang, self.state, self.res.budget_total
        initial = {"description_width": "initial"}
        self.sliders = {k: widgets.FloatSlider(value=st.weights[k], min=0, max=1, step=0.05,
                                               description=k, style=initial) for k in self.names}
        method = st.method if st.method in ("saw", "topsis") else "saw"
        self.method_w = widgets.Dropdown(options=[("SAW", "saw"), ("TOPSIS", "topsis")], value=method,
                                         description=t("ui.view.method", lang))
        self.budget_w = widgets.FloatSlider(value=st.budget, min=0.1 * total, max=1.5 * total,
                                            step=0.05 * total, readout=False,
                                            description=t("ui.view.budget", lang))
        self.budget_lbl = widgets.Label(fmt_rupiah(st.budget, lang))
        self.judge_w = {p: widgets.Dropdown(options=SAATY, value=1.0,
                                            description=f"{p[0]} : {p[1]}", style=initial)
                        for p in combinations(self.names, 2)}
        self.ahp_btn = widgets.Button(description=t("ui.view.ahp_weights", lang))
        self.replan_btn = widgets.Button(
            description=t("ui.view.replan", lang), button_style="primary")
        self.msg, self.out_rank, self.out_plan = (widgets.Output() for _ in range(3))

    def _layout(self) -> widgets.VBox:
        title = f"<b>{html.escape(t('ui.view.pairwise', self.lang))}</b>"
        ahp_box = widgets.VBox([widgets.HTML(title), *self.judge_w.values(), self.ahp_btn,
                                self.msg])
        weights = widgets.VBox([self.method_w, *self.sliders.values(),
                                widgets.HBox([self.budget_w, self.budget_lbl])])
        return widgets.VBox([widgets.HBox([weights, ahp_box]), self.out_rank, self.replan_btn,
                             self.out_plan])

    def set_weight(self, criterion: str, weight: float) -> None:
        self.state.weights[criterion] = weight
        self.rerank()

    def set_method(self, method: str) -> None:
        self.state.method = method
        self.rerank()

    def set_budget(self, budget: float) -> None:
        self.state.budget = budget
        self.rerank()

    def rerank(self) -> None:
        """Re-rank with the state and redraw the funded count and the ranking figure."""
        self.budget_lbl.value = fmt_rupiah(self.state.budget, self.lang)
        self.ranking = show(self.out_rank, lambda: ranking_content(self.res, self.state))

    def use_ahp(self) -> None:
        """Weights from the pairwise judgements: the sliders move (and re-rank), CR is shown."""
        self.state.judgements = {p: w.value for p, w in self.judge_w.items()}
        self.ahp = show(self.msg, self._apply_ahp, wait=False)

    def _apply_ahp(self) -> AhpContent:
        content = ahp_content(self.state, self.names, self.res.ctx.settings, self.lang)
        for k, v in (content.weights or {}).items():
            self.sliders[k].value = v
        return content

    def replan(self) -> None:
        """Re-solve the plan with the state (nothing written) and show its summary and coverage."""
        self.plan = show(self.out_plan, lambda: replan_content(self.res, self.state))


def plan_view(res: PlanResult, state: PlanState | None = None) -> widgets.VBox:
    """The stage 02 view as one widget (what ``notebooks/02_programme_plan.ipynb`` displays)."""
    return PlanView(res, state).widget
