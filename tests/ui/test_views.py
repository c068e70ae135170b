"""The four JupyterLab stage views without a browser: build each on the sample run, set widget
``.value`` / ``click()`` and check what changes — the plain state and the content shown.

Outside a kernel an :class:`ipywidgets.Output` captures nothing, so the tests read the content
object each view keeps for what it last showed (``view.content``, ``view.units``,
``view.ranking``…).
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pytest

from workbook.evaluation import report as er
from workbook.needs import report as nr
from workbook.plan import report as pr
from workbook.ui.views import evaluation as ev_view
from workbook.ui.views import ingest as ingest_view
from workbook.ui.views import needs as needs_view
from workbook.ui.views import plan as plan_view


@pytest.fixture(scope="module")
def run(sample_run) -> dict:
    """The four stage results of the shared sample run and its output folder (``tests/conftest.py``;
    the views only read them)."""
    return {"out": sample_run.out, **sample_run.results}


def _files(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("stage", "build"), [
    ("ingest", ingest_view.datacheck_view), ("needs", needs_view.needs_view),
    ("plan", plan_view.plan_view), ("evaluation", ev_view.evaluation_view),
])
def test_each_view_is_one_widget_for_the_notebooks(run, stage, build):
    assert isinstance(build(run[stage]), widgets.VBox)


# --------------------------------------------------------------------------- stage 00

def test_datacheck_unit_picker_narrows_the_table(run):
    dc = run["ingest"]
    view = ingest_view.DataCheckView(dc)
    assert view.state.unit is None
    agency = view.content.table
    assert len(agency) == dc.units["kode_unit"].nunique() > 1
    assert set(view.content.figures) == {"fig.status_by_unit", "fig.jp_distribution",
                                         "fig.position_mix"}
    view.picker.value = "DINKES"
    assert view.state.unit == "DINKES"
    assert list(view.content.table.iloc[:, 0]) == ["DINKES"]
    view.picker.value = None
    assert view.state.unit is None and len(view.content.table) == len(agency)


def test_datacheck_content_is_pure(run):
    dc = run["ingest"]
    state = ingest_view.DataCheckState("RSUD")
    content = ingest_view.datacheck_content(dc, state)
    assert state == ingest_view.DataCheckState("RSUD")
    assert list(content.table.iloc[:, 0]) == ["RSUD"]
    assert content.items()[0] is content.table and len(content.items()) == 1 + len(content.figures)


# --------------------------------------------------------------------------- stage 01

def test_needs_unit_and_competency_filter_the_unit_table(run):
    res = run["needs"]
    view = needs_view.NeedsView(res)
    agency_rows = len(view.units.table)
    assert view.units.summary.startswith("### ") and "DINKES" not in view.units.summary
    view.unit_w.value = "DINKES"
    assert view.state.unit == "DINKES"
    assert "DINKES" in view.units.summary
    assert 0 < len(view.units.table) < agency_rows
    assert set(view.units.table.iloc[:, 0]) == {"DINKES"}
    view.comp_w.value = "M.1"
    assert (view.state.unit, view.state.competency) == ("DINKES", "M.1")
    assert list(view.units.table.iloc[:, 1]) == ["M.1"]
    view.comp_w.value = None
    assert view.state.competency is None and len(view.units.table) > 1


def test_needs_profile_slider_refits_a_copy_not_the_result(run):
    res = run["needs"]
    model, profiles = res.model, res.profiles
    view = needs_view.NeedsView(res)
    n_auto = res.model.n_profiles_
    assert len(view.profiles.cards) == n_auto
    k = 2 if n_auto != 2 else 3
    view.k_w.value = k
    assert view.state.n_profiles == k
    assert view.res is not res and view.res.model.n_profiles_ == k
    assert len(view.profiles.cards) == k
    # the result given to the view is untouched
    assert res.model is model and res.profiles is profiles and res.model.n_profiles_ == n_auto
    # the summary at the top is redrawn from the refitted copy on the next filter change
    view.unit_w.value = "RSUD"
    refitted = nr.summary_markdown(view.res, "RSUD")
    assert view.units.summary == refitted != nr.summary_markdown(res, "RSUD")


def test_refit_profiles_returns_a_consistent_new_result(run):
    res = run["needs"]
    new = needs_view.refit_profiles(res, 2)
    assert new is not res and new.model is not res.model
    assert new.model.n_profiles_ == 2
    assert sorted(new.profile_members["profile"].unique()) == [0, 1]
    assert len(new.profile_members) == len(res.profile_members)
    assert new.gaps is res.gaps and new.unit_competency is res.unit_competency


# --------------------------------------------------------------------------- stage 02

def test_plan_budget_and_weights_rerank_at_once(run):
    res = run["plan"]
    view = plan_view.PlanView(res)
    assert view.state.budget == res.budget_total and view.state.method == "saw"
    full = view.ranking.n_funded
    assert full > 0 and f"**{full} program terdanai**" in view.ranking.message
    label = view.budget_lbl.value
    view.budget_w.value = view.budget_w.min
    assert view.state.budget == pytest.approx(0.1 * res.budget_total)
    assert view.budget_lbl.value != label
    assert view.ranking.n_funded < full
    scores = view.ranking.ranking.set_index("program_id")["score"]
    view.sliders["kebutuhan"].value = 1.0
    assert view.state.weights["kebutuhan"] == 1.0
    after = view.ranking.ranking.set_index("program_id")["score"]
    assert not after.reindex(scores.index).equals(scores)
    view.method_w.value = "topsis"
    assert view.state.method == "topsis"
    assert set(view.ranking.ranking["method"]) == {"topsis"}


def test_plan_ahp_button_moves_the_sliders(run):
    res = run["plan"]
    view = plan_view.PlanView(res)
    for other in ("jumlah_pegawai", "biaya_per_jp", "jp"):  # consistent: need 3 times as important
        view.judge_w[("kebutuhan", other)].value = 3.0
    view.ahp_btn.click()
    assert view.state.judgements[("kebutuhan", "jumlah_pegawai")] == 3.0
    assert view.ahp.message.startswith("CR = ")
    assert view.ahp.weights == {k: w.value for k, w in view.sliders.items()}
    assert view.state.weights == view.ahp.weights
    assert view.ahp.weights["kebutuhan"] > view.ahp.weights["jumlah_pegawai"]
    assert sum(view.ahp.weights.values()) == pytest.approx(1.0, abs=0.03)


def test_plan_inconsistent_judgements_leave_the_weights(run):
    res = run["plan"]
    view = plan_view.PlanView(res)
    before = dict(view.state.weights)
    view.judge_w[("kebutuhan", "jumlah_pegawai")].value = 9.0
    view.judge_w[("jumlah_pegawai", "biaya_per_jp")].value = 9.0
    view.judge_w[("kebutuhan", "biaya_per_jp")].value = 1 / 9
    view.ahp_btn.click()
    assert view.ahp.weights is None and view.ahp.message.startswith("**")
    assert view.state.weights == before


def test_plan_recompute_uses_the_state_and_writes_nothing(run):
    res = run["plan"]
    view = plan_view.PlanView(res)
    view.budget_w.value = view.budget_w.min
    before = _files(run["out"])
    view.replan_btn.click()
    assert view.plan is not None and view.plan.result is not res
    assert view.plan.result.written == []
    assert view.plan.summary != pr.summary_markdown(res)
    assert _files(run["out"]) == before


# --------------------------------------------------------------------------- stage 03

def test_evaluation_level_programme_and_unit(run):
    res = run["evaluation"]
    view = ev_view.EvaluationView(res)
    first = view.prog_w.options[0][1]
    assert (view.state.level, view.state.program_id) == ("L2", first)
    assert len(view.content.figures) == 3
    assert view.content.figures[1].axes[0].get_title().endswith(f"({first})")
    other = view.prog_w.options[1][1]
    view.prog_w.value = other
    assert view.state.program_id == other
    assert view.content.figures[1].axes[0].get_title().endswith(f"({other})")
    view.level_w.value = "L1"
    assert view.state.level == "L1" and view.content.figures == []
    assert list(view.content.table.columns) == list(er.level1_table(res).columns)
    view.level_w.value = "tindak_lanjut"
    agency = len(view.content.table)
    view.unit_w.value = "DINKES"
    assert view.state.unit == "DINKES"
    assert set(view.content.table.iloc[:, 0]) == {"DINKES"} and len(view.content.table) < agency
