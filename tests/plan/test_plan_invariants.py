"""Invariants of the written plan (issue #17 items 2–3): every budget line within its pagu, unit-bound
money only for its unit's staff, no assignment without a line, and one figure for persons, places, JP
and money — read from the Parquet artefacts of the sample run and of agency B, as a user sees them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.core import artefacts
from workbook.plan import lines as L

RUNS = ["sample_run", "agency_b_run"]


def _read(run, name: str, cls: str = "aggregate") -> pd.DataFrame:
    df = artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", name, cls)
    if name == "assignments" and "terdanai" in df:
        # the rows that will happen; the "belum terdanai" mandatory rows are proposals (APBD-P)
        df = df[df["terdanai"].astype(bool)].reset_index(drop=True)
    return df


def test_unfunded_mandatory_rows_are_proposals_with_their_shortfall(run):
    a = artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", "assignments", "restricted")
    unfunded = a[~a["terdanai"].astype(bool)]
    assert (unfunded["tahap"].astype(str) == "wajib").all()
    assert (unfunded["shortfall"] > 0).all() and (unfunded["biaya_kas"].fillna(0) == 0).all()


def _lines(run) -> pd.DataFrame:
    return L.budget_lines(pd.read_csv(run.ctx.data_dir / "anggaran.csv"))


@pytest.fixture(params=RUNS)
def run(request):
    return request.getfixturevalue(request.param)


def test_every_assignment_has_a_line_and_its_cash_cost(run):
    a = _read(run, "assignments", "restricted")
    assert len(a) > 0
    assert a["line_id"].notna().all() and (a["line_id"].astype(str) != "").all()
    assert set(a["line_id"]) <= set(_lines(run)["line_id"])
    assert a["biaya_kas"].notna().all() and (a["biaya_kas"] >= 0).all()


def _charged_pieces(run, a: pd.DataFrame) -> pd.DataFrame:
    """What each line pays: the assignment rows, except mandatory seats whose programme has
    komponen_biaya, which are replaced by their components charged to their payers' lines."""
    comp = artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", "mandatory_components", "restricted")
    key = set(zip(comp["pegawai_id"].astype(str), comp["program_id"].astype(str), strict=True))
    split = np.array([(p, q) in key and t == "wajib" for p, q, t in zip(
        a["pegawai_id"].astype(str), a["program_id"].astype(str), a["tahap"].astype(str), strict=True)], dtype=bool)
    if split.any():  # each split seat costs Σ of its components
        per_seat = comp.groupby(["pegawai_id", "program_id"])["biaya"].sum()
        seats = a[split].set_index(["pegawai_id", "program_id"])["biaya_kas"]
        assert np.allclose(seats.to_numpy(), per_seat.reindex(seats.index).to_numpy())
    whole = a.loc[~split, ["line_id", "biaya_kas"]].rename(columns={"biaya_kas": "biaya"})
    parts = comp.loc[comp["line_id"] != "", ["line_id", "biaya"]]
    return pd.concat([whole, parts], ignore_index=True)


def test_every_line_within_its_pagu_from_the_assignments(run):
    a = _read(run, "assignments", "restricted")
    lines = _lines(run)
    used = L.line_usage(_charged_pieces(run, a), lines)
    over = used[used["terpakai"] > used["pagu"] + 1e-6]
    assert over.empty, over.to_dict("records")
    # the written per-line table says the same
    bl = _read(run, "budget_lines").set_index("line_id")
    assert np.allclose(bl.loc[used["line_id"], "used"].to_numpy(), used["terpakai"].to_numpy())
    assert (bl["used"] <= bl["pagu"] + 1e-6).all()
    assert (bl["remaining"] >= -1e-6).all(), bl[["line_id", "pagu", "used", "remaining"]].to_dict("records")


def test_apbd_no_longer_overspent_on_the_sample(sample_run):
    a = _read(sample_run, "assignments", "restricted")
    a = a[a["terdanai"].astype(bool)] if "terdanai" in a else a
    pieces = _charged_pieces(sample_run, a)  # split mandatory seats: components on their payers' lines
    apbd = pieces.loc[pieces["line_id"].str.startswith("APBD"), "biaya"].sum()
    assert apbd <= 2_100_000_000  # was Rp2.184,3 jt with APBD and BLUD pooled
    assert pieces.loc[pieces["line_id"] == "BLUD · RSUD", "biaya"].sum() <= 120_000_000


def test_unit_bound_money_only_for_its_units_staff_and_kinds(run):
    a = _read(run, "assignments", "restricted")
    lines = _lines(run).set_index("line_id")
    peg_unit = a["kode_unit"].astype(str)
    bound = lines[lines["unit_bound"]]
    assert len(bound) > 0
    for lid, row in bound.iterrows():
        units = set(peg_unit[a["line_id"] == lid])
        assert units <= set(row["cakupan_unit"]), (lid, units - set(row["cakupan_unit"]))
    # and every row's line may pay it (unit and programme kind)
    from workbook.plan._line_model import programme_kinds

    kat = pd.read_csv(run.ctx.data_dir / "katalog_program.csv")
    kind = dict(zip(kat["program_id"], programme_kinds(kat, run.ctx.settings), strict=True))
    ok = L.may_pay(_lines(run), peg_unit, a["program_id"].map(kind))
    col = {v: i for i, v in enumerate(_lines(run)["line_id"])}
    # a free seat (biaya_kas 0) takes no money: it is recorded on a line of the person's unit even
    # when no line may pay its kind (top_up, issue #17 item 4); the unit check above still holds
    free = a["biaya_kas"].fillna(0.0).to_numpy() <= 0
    assert (ok[np.arange(len(a)), a["line_id"].map(col).to_numpy()] | free).all()


def test_blud_pays_only_rsud_staff(sample_run):
    a = _read(sample_run, "assignments", "restricted")
    assert set(a.loc[a["line_id"] == "BLUD · RSUD", "kode_unit"]) == {"RSUD"}


def test_budget_tables_equal_the_per_person_plan(run):
    a = _read(run, "assignments", "restricted")
    bu = _read(run, "budget_units").set_index("kode_unit")
    per_unit = a.groupby("kode_unit")["biaya_kas"].agg(["size", "sum"])
    units = bu.drop(index="INSTANSI")
    assert np.allclose(units.loc[per_unit.index, "cost"], per_unit["sum"])
    assert (units.loc[per_unit.index, "participants"] == per_unit["size"]).all()
    assert bu.loc["INSTANSI", "participants"] == len(a)
    assert np.isclose(bu.loc["INSTANSI", "cost"], a["biaya_kas"].sum())
    bl = _read(run, "budget_lines")
    gb = _read(run, "group_budget")
    assert np.isclose(bl["used"].sum(), a["biaya_kas"].sum())
    assert np.allclose(gb["used"], bl["used"])
    assert (bl["n_seats"].sum()) == len(a)


def test_report_figures_equal_the_per_person_plan(run):
    from workbook.core.i18n import fmt_int, fmt_rupiah
    from workbook.plan import report

    res = run["plan"]
    a = _read(run, "assignments", "restricted")
    text = report.summary_markdown(res)
    lang = res.ctx.lang
    assert fmt_int(len(a), lang) in text
    assert fmt_rupiah(a["biaya_kas"].sum(), lang) in text
    tab = report.budget_table(res)
    assert len(tab.columns) == 3  # unit, participants placed, their cost: one figure each
    summ = _read(run, "assignment_summary").set_index("metric")["value"]
    assert summ["seats_without_line"] == 0
    # JP per person: coverage table equals the assignments' JP
    cov = _read(run, "coverage_raw", "restricted")
    ag = cov[cov["tingkat"] == "instansi"].iloc[0]
    owed = res.tables["pegawai"]
    pns = set(owed.loc[owed["status"].astype(str) == "PNS", "pegawai_id"].astype(str))
    jp = a[a["pegawai_id"].isin(pns)].groupby("pegawai_id")["jp"].sum()
    assert int(ag["pns_reaching"]) == int((jp >= float(res.ctx.settings["jp.minimum_pns"]) - 1e-9).sum())


def test_programmes_funded_by_a_units_blud_only_for_that_units_staff(run):
    """#17 item 8: a programme the catalogue funds from BLUD (the RSUD's own clinical course) or
    limits with sasaran_unit is never given to another unit's staff, whatever line pays."""
    from workbook.plan._elig_common import split_list

    a = _read(run, "assignments", "restricted")
    kat = pd.read_csv(run.ctx.data_dir / "katalog_program.csv", dtype=str, keep_default_na=False)
    blud_units = {u for s in _lines(run).query("sumber_dana == 'BLUD'")["cakupan_unit"] for u in s}
    checked = 0
    for r in kat.itertuples(index=False):
        allowed = set(split_list(getattr(r, "sasaran_unit", "")))
        if not allowed and r.sumber_dana == "BLUD" and blud_units:
            allowed = {u.lower() for u in blud_units}
        if not allowed:
            continue
        units = {u.lower() for u in a.loc[a["program_id"] == r.program_id, "kode_unit"].astype(str)}
        assert units <= allowed, (r.program_id, units - allowed)
        checked += 1
    assert checked >= 2  # PRG-011 and PRG-040 at least
