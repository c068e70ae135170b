"""Refill rounds (issue #17, review finding 2): the money of chosen seats nobody could fill goes
back to the needs; the reasons of Tabel 3.3 are true for the final plan; the budget curve is on the
basis of the pagu line and holds the plan's own 100 % point. Read from what the sample run and
agency B wrote (as a user sees them), plus one run of the plan stage with the refill off."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.core import artefacts
from workbook.plan import _line_model
from workbook.plan import lines as L
from workbook.plan import tables as tables_
from workbook.plan.catalogue import _catalogue

RUNS = ["sample_run", "agency_b_run"]


@pytest.fixture(params=RUNS)
def run(request):
    return request.getfixturevalue(request.param)


def _read(run, name: str, cls: str = "aggregate") -> pd.DataFrame:
    return artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", name, cls)


def test_every_line_within_its_pagu_after_the_refill(run):
    bl = _read(run, "budget_lines")
    a = _read(run, "assignments", "restricted")
    a = a[a["terdanai"].astype(bool)] if "terdanai" in a else a
    comp = artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", "mandatory_components", "restricted")
    # what each line pays: whole seats, the components of split mandatory seats on their payers' lines
    used = a.groupby("line_id")["biaya_kas"].sum().add(tables_.component_correction(a, comp), fill_value=0.0)
    for _, r in bl.iterrows():
        spent = float(used.get(r["line_id"], 0.0))
        assert spent <= float(r["pagu"]) + 1e-6, (r["line_id"], spent, r["pagu"])
        assert float(r["remaining"]) >= -1e-6, r.to_dict()


def test_no_person_gets_the_same_programme_twice(run):
    a = _read(run, "assignments", "restricted")
    dup = a[a.duplicated(["pegawai_id", "program_id"], keep=False)]
    assert dup.empty, dup[["pegawai_id", "program_id", "tahap", "putaran"]].head(10).to_dict("records")


def test_refill_rows_are_plan_rows_of_round_two_or_later(run):
    a = _read(run, "assignments", "restricted")
    put = a["putaran"].astype(int)
    assert set(put.unique()) <= {0, 1, 2, 3}
    assert (a.loc[put >= 1, "tahap"].astype(str) == "rencana").all()
    assert (put[a["tahap"].astype(str) == "rencana"] >= 1).all()


def test_budget_reason_only_when_no_paying_line_has_a_place_left(run):
    """A paid programme refused for "sisa anggaran tidak cukup" costs more per place than the final
    sisa of every line that may pay it (for the units whose staff need its competencies)."""
    ex = _read(run, "explanations")
    bl = _read(run, "budget_lines")
    tables = artefacts.require_clean_tables(run.ctx)
    kat = tables["katalog_program"]
    cost = pd.Series(_line_model.cash_cost(kat, tables.get("komponen_biaya"),
                                           pd.to_numeric(kat["biaya_per_peserta"]).to_numpy(float))[0],
                     index=kat["program_id"].astype(str))
    kind = pd.Series(_line_model.programme_kinds(kat, run.ctx.settings), index=kat["program_id"].astype(str))
    comps = dict(zip(kat["program_id"].astype(str), _catalogue(kat, run.ctx.settings)["kompetensi"], strict=True))
    groups = _read(run, "groups", "restricted")
    lines = _line_model.lines_from_budget(bl)
    for pid in ex.loc[ex["reason"].astype(str) == "budget", "program_id"].astype(str):
        assert cost[pid] > 0
        units = sorted(set(groups.loc[groups["kode_kompetensi"].astype(str).isin(comps[pid]), "kode_unit"]))
        payers = L.may_pay(lines, units, [kind[pid]] * len(units)).any(axis=0)
        sisa = bl["remaining"].to_numpy(float)[payers]
        assert (sisa < cost[pid]).all(), (pid, cost[pid], sisa)


def test_refill_reason_names_a_programme_placed_in_a_refill_round(run):
    ex = _read(run, "explanations")
    a = _read(run, "assignments", "restricted")
    late = set(a.loc[a["putaran"].astype(int) >= 2, "program_id"].astype(str))
    for _, r in ex[ex["reason"].astype(str) == "refill"].iterrows():
        assert not bool(r["selected"]) and str(r["program_id"]) in late


def test_frontier_holds_the_plan_point_on_the_pagu_basis(run):
    f = _read(run, "frontier")
    gp = _read(run, "group_plan").iloc[0]
    bl = _read(run, "budget_lines")
    own = f[f["model"].astype(str) == "rencana"]
    assert len(own) == 1
    assert float(own["budget_share"].iloc[0]) == 1.0
    assert np.isclose(float(own["value_exact"].iloc[0]), float(gp["value"]))
    assert np.isclose(float(own["budget"].iloc[0]), float(bl["pagu"].sum()))
    # every point: the mandatory reserve (the same for all) plus a share of the optional budget
    reserve = (f["budget"] - f["budget_optional"]).to_numpy(float)
    assert np.allclose(reserve, reserve[0]) and reserve[0] > 0
    optional = float(own["budget_optional"].iloc[0])
    assert np.allclose(f["budget_optional"], f["budget_share"] * optional)


def test_frontier_note_says_what_the_last_part_buys(sample_run):
    from workbook.plan.report import _frontier_note
    from workbook.plan.stage import load_result

    res = load_result(sample_run.ctx)
    note = _frontier_note(res)
    assert "terakhir membeli" in note and "Rp" in note, note


@pytest.fixture(scope="module")
def sample_without_refill(sample_run):
    from workbook.plan.stage import run_plan

    ctx = sample_run.ctx
    entry = ctx.settings.entries["plan.refill_rounds"]
    old = entry["value"]
    entry["value"] = 0
    try:
        return run_plan(ctx, write=False)
    finally:
        entry["value"] = old


def test_refill_spends_released_money_on_the_sample(sample_run, sample_without_refill):
    """The sample: with the refill off the APBD line keeps the money of unfilled seats; with it
    more places are filled and every line's final sisa is no larger."""
    off = sample_without_refill
    a_off = off.assignment.assignments
    assert not (a_off["putaran"].astype(int) >= 2).any()
    on = _read(sample_run, "budget_lines").set_index("line_id")
    off_b = off.budget_lines.set_index("line_id")
    assert (on["remaining"] <= off_b.loc[on.index, "remaining"] + 1e-6).all()
    assert on["remaining"].sum() < off_b["remaining"].sum() - 1e6
    a_on = _read(sample_run, "assignments", "restricted")
    assert (a_on["tahap"].astype(str) == "rencana").sum() > (a_off["tahap"].astype(str) == "rencana").sum()


def _toy():
    """Three PNS of one unit, each needing competencies A and B; programme X answers both
    (Rp100), Y answers B only (Rp150); one APBD line of Rp600."""
    from workbook.core.settings import load_settings

    s = load_settings()
    peg = pd.DataFrame({"pegawai_id": ["P1", "P2", "P3"], "kode_unit": "U", "status": "PNS"})
    inv = pd.DataFrame({"pegawai_id": ["P1", "P1", "P2", "P2", "P3", "P3"],
                        "kode_kompetensi": ["A", "B"] * 3, "need_score": 1.0, "priority": 1})
    kat = pd.DataFrame({"program_id": ["X", "Y"], "nama_program": ["Program X", "Program Y"],
                        "bentuk": "pelatihan_teknis", "jp": [20, 20], "kode_kompetensi": ["A;B", "B"],
                        "biaya_per_peserta": [100.0, 150.0], "kapasitas_per_sesi": 30, "jalur": "klasikal",
                        "penyelenggara": "BPSDM", "sumber_dana": "APBD"})
    anggaran = pd.DataFrame({"sumber_dana": ["APBD"], "kode_unit": [""], "pagu": [600.0]})
    return s, peg, inv, kat, anggaran


def test_person_cell_limit_and_a_refill_round_on_a_hand_computed_toy():
    """Without the person-cell limit the selection buys X six times (A and B of three people,
    Rp600) and only three can be filled; a refill round then buys Y for two of the three open B
    needs with the Rp300 released (2 × Rp150). With the limit, X gets at most 3 seats in round 1."""
    from workbook.plan import _refill_model
    from workbook.plan.groups import need_groups, plan_groups
    from workbook.plan.people import assign_people
    from workbook.plan.refill import first_prior, refill

    s, peg, inv, kat, anggaran = _toy()
    groups = need_groups(inv, peg)
    args = dict(pegawai=peg, settings=s, funding="lines", mip_rel_gap=0.0)
    gp = plan_groups(groups, kat, anggaran, **args)
    assert gp.allocation.set_index("kode_kompetensi")["participants"].to_dict() == {"A": 3, "B": 3}
    assert set(gp.allocation["program_id"]) == {"X"}
    placed = assign_people(gp, inv, peg, kat, settings=s)
    assert len(placed.assignments) == 3  # X once per person
    rf = refill(gp, placed, inv, peg, kat, anggaran, settings=s, rounds=2,
                make_groups=lambda rem: need_groups(rem, peg))
    a = rf.placed.assignments
    late = a[a["putaran"] >= 2]
    assert list(late["program_id"]) == ["Y", "Y"] and set(late["kode_kompetensi"]) == {"B"}
    assert not a.duplicated(["pegawai_id", "program_id"]).any()
    assert a["biaya_kas"].sum() == 600.0  # 3 × 100 + 2 × 150: the line fully used, not over
    # with the limit the first round never buys X more often than there are people
    prior = first_prior(inv, peg, groups, kat, s)
    lim = prior.person_limit.set_index("program_id")["limit"]
    assert lim.to_dict() == {"X": 3}
    assert isinstance(prior, _refill_model.Prior)
    gp2 = plan_groups(groups, kat, anggaran, prior=prior, **args)
    seats = gp2.allocation.groupby("program_id")["participants"].sum().to_dict()
    assert seats.get("X", 0) <= 3 and seats.get("Y", 0) >= 1
    assert assign_people(gp2, inv, peg, kat, settings=s).metric("seats_unfilled") == 0


def test_frontier_note_explains_a_greedy_line_above_the_optimum(sample_run):
    """When the simple ordering shows more need value than the optimum at some point, the note says
    why (the optimum pays for the 20-JP right first); when it never does, it says nothing of it."""
    from workbook.plan.report import _frontier_note
    from workbook.plan.stage import load_result

    res = load_result(sample_run.ctx)
    f = res.frontier
    above = bool((f["value_greedy"] > f["value_exact"] + 1e-9).any())
    assert ("hak 20 JP" in _frontier_note(res)) == above
    res.frontier = f.assign(value_greedy=np.minimum(f["value_greedy"], f["value_exact"]))
    assert "hak 20 JP" not in _frontier_note(res)
