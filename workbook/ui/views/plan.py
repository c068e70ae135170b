"""Interactive view of stage 02: criteria weights or AHP judgements, method and budget.

Moving a weight or the budget re-ranks the programmes and redraws the funded set at once
(programme level, exact 0/1 choice); "Hitung ulang rencana" re-solves the group-level plan with the
new budget and shows the JP coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from workbook.core.exceptions import WorkbookError
from workbook.core.i18n import fmt_number, fmt_rupiah
from workbook.pipeline import run_plan
from workbook.plan import report as pr
from workbook.plan.stage import PlanResult, rank_programmes

__all__ = ["PlanState", "plan_view", "SAATY"]

SAATY = [("1/9", 1 / 9), ("1/7", 1 / 7), ("1/5", 1 / 5), ("1/3", 1 / 3), ("1", 1.0), ("3", 3.0), ("5", 5.0),
         ("7", 7.0), ("9", 9.0)]


@dataclass
class PlanState:
    method: str = "saw"
    weights: dict[str, float] = field(default_factory=dict)
    budget: float = 0.0
    judgements: dict[tuple[str, str], float] = field(default_factory=dict)

    def ahp_matrix(self, names: list[str]) -> pd.DataFrame:
        m = pd.DataFrame(1.0, index=names, columns=names)
        for (a, b), v in self.judgements.items():
            m.loc[a, b], m.loc[b, a] = v, 1.0 / v
        return m


def plan_view(res: PlanResult, state: PlanState | None = None) -> widgets.VBox:
    lang, s = res.ctx.lang, res.ctx.settings
    names = list(s["priorities.criteria"])
    state = state or PlanState(method=s["priorities.method"],
                               weights={k: float(v["weight"]) for k, v in s["priorities.criteria"].items()},
                               budget=res.budget_total)
    sliders = {k: widgets.FloatSlider(value=state.weights[k], min=0, max=1, step=0.05, description=k,
                                      style={"description_width": "initial"}) for k in names}
    method_w = widgets.Dropdown(options=[("SAW", "saw"), ("TOPSIS", "topsis")], value=state.method if state.method in
                                ("saw", "topsis") else "saw", description={"id": "Metode", "en": "Method"}[lang])
    budget_w = widgets.FloatSlider(value=state.budget, min=0.1 * res.budget_total, max=1.5 * res.budget_total,
                                   step=0.05 * res.budget_total, readout=False,
                                   description={"id": "Anggaran", "en": "Budget"}[lang])
    budget_lbl = widgets.Label(fmt_rupiah(state.budget, lang))
    pairs = list(combinations(names, 2))
    judge_w = {p: widgets.Dropdown(options=SAATY, value=1.0, description=f"{p[0]} : {p[1]}",
                                   style={"description_width": "initial"}) for p in pairs}
    ahp_btn = widgets.Button(description={"id": "Bobot dari AHP", "en": "Weights from AHP"}[lang])
    replan_btn = widgets.Button(description={"id": "Hitung ulang rencana", "en": "Recompute plan"}[lang],
                                button_style="primary")
    msg, out_rank, out_plan = widgets.Output(), widgets.Output(), widgets.Output()

    def rerank(_=None) -> None:
        state.weights = {k: w.value for k, w in sliders.items()}
        state.method, state.budget = method_w.value, budget_w.value
        budget_lbl.value = fmt_rupiah(state.budget, lang)
        out_rank.clear_output(wait=True)
        with out_rank:
            try:
                ranking = rank_programmes(res.criteria, settings=s, method=state.method, weights=state.weights)
            except WorkbookError as exc:
                display(Markdown(f"**{exc.message(lang)}**"))
                return
            sel = pr.funded_selection(res, ranking, state.budget)
            funded = sel[sel["selected"]]
            display(Markdown({"id": f"**{len(funded)} program terdanai** dengan anggaran {fmt_rupiah(state.budget, lang)}.",
                              "en": f"**{len(funded)} programmes funded** with a budget of {fmt_rupiah(state.budget, lang)}."}[lang]))
            view = PlanResult(**{**res.__dict__, "ranking": ranking})
            fig = pr.ranking_figure(view)
            display(fig)
            plt.close(fig)

    def use_ahp(_=None) -> None:
        state.judgements = {p: w.value for p, w in judge_w.items()}
        msg.clear_output()
        with msg:
            from workbook.plan.ahp import ahp

            try:
                r = ahp(state.ahp_matrix(names), settings=s)
            except WorkbookError as exc:
                display(Markdown(f"**{exc.message(lang)}**"))
                return
            for k, w in sliders.items():
                w.value = round(float(r.weights[k]), 2)
            display(Markdown(f"CR = {fmt_number(r.cr, lang, 3)} ({'konsisten' if lang == 'id' else 'consistent'})"))

    def replan(_=None) -> None:
        out_plan.clear_output(wait=True)
        with out_plan:
            new = run_plan(res.ctx, write=False, budget=state.budget, method=state.method, weights=state.weights)
            display(Markdown(pr.summary_markdown(new)))
            fig = pr.coverage_figure(new)
            display(fig)
            plt.close(fig)

    for w in [*sliders.values(), method_w, budget_w]:
        w.observe(rerank, names="value")
    ahp_btn.on_click(use_ahp)
    replan_btn.on_click(replan)
    rerank()
    ahp_box = widgets.VBox([widgets.HTML({"id": "<b>Perbandingan berpasangan (skala Saaty 1–9)</b>",
                                          "en": "<b>Pairwise comparisons (Saaty scale 1–9)</b>"}[lang]),
                            *judge_w.values(), ahp_btn, msg])
    return widgets.VBox([widgets.HBox([widgets.VBox([method_w, *sliders.values(), widgets.HBox([budget_w, budget_lbl])]),
                                       ahp_box]), out_rank, replan_btn, out_plan])
