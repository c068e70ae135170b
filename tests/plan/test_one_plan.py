"""One plan (issue #17 item 3): every figure of persons, places, JP and money that chapters III and IV
print — per programme, per unit, per budget line and in total, in the agency and in a unit report —
equals the per-person plan artefact (``restricted/02_plan/assignments``), read back from the files as
the report reads them, on the sample agency and on agency B."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import workbook.plan.report_words as rw
import workbook.plan.tables as tables_
from workbook.core import artefacts
from workbook.core.i18n import fmt_int, fmt_rupiah, t
from workbook.plan import report as R


@pytest.fixture(scope="module")
def plan(run) -> pd.DataFrame:
    """The seats that will happen, straight from the Parquet file (not through the code under test)."""
    a = artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", "assignments", "restricted")
    a = a[a["terdanai"].astype(bool)].copy()
    a["line_id"] = a["line_id"].astype(str)
    return a


def _num(cell: str) -> float:
    """A formatted Indonesian number or Rupiah back to a number ("Rp2.205.100.000" → 2205100000)."""
    s = re.sub(r"[^0-9,\-]", "", str(cell)).replace(",", ".")
    return float(s) if s not in ("", "-") else 0.0


def test_summary_totals_and_lines_equal_the_per_person_plan(res, plan):
    md = R.summary_markdown(res)
    lang = res.ctx.lang
    assert f"{fmt_int(len(plan), lang)} kursi untuk {fmt_int(plan['pegawai_id'].nunique(), lang)} pegawai" in md
    assert fmt_rupiah(plan["biaya_kas"].sum(), lang) in md
    assert f"{fmt_int(plan['jp'].sum(), lang)} JP" in md
    steps = plan["tahap"].astype(str)
    assert f"{fmt_int((steps == 'wajib').sum(), lang)} kursi pelatihan wajib" in md
    assert f"{fmt_int(steps.isin(['tambahan', 'umum']).sum(), lang)} kursi tambahan" in md
    per_line = plan.groupby("line_id")["biaya_kas"].sum().add(  # split mandatory seats: components on payers' lines
        tables_.component_correction(plan, res.components), fill_value=0.0)
    for line, used in per_line.items():
        assert f"Pos {line}:" in md and f"terpakai {fmt_rupiah(used, lang)}" in md
    # the simple way is never said to give "only" a higher value, nor a gain of "+-3,2 %"
    gp = res.group_plan
    assert "+-" not in md and ("hanya memberi" not in md or gp.value >= gp.greedy_value)
    # the retired figures of the group-level plan are gone
    assert "rencana tingkat kelompok" not in md and "rakus" not in md


def test_agency_plan_table_equals_the_per_person_plan(res, plan):
    tab = R.plan_table_unit(res, None)
    lang = res.ctx.lang
    body, total = tab.iloc[:-1], tab.iloc[-1]
    body = body[body[t("plan.col.code", lang)] != ""]  # without the block headings ("Pelatihan wajib")
    seats, money = t("plan.col.seats", lang), t("plan.col.budget", lang)
    assert total.iloc[0] == t("plan.col.total", lang)
    assert _num(total[seats]) == len(plan)
    assert _num(total[money]) == pytest.approx(plan["biaya_kas"].sum())
    assert _num(total[t("plan.col.jp_total", lang)]) == pytest.approx(plan["jp"].sum())
    code = t("plan.col.code", lang)
    got = body.assign(n=body[seats].map(_num), rp=body[money].map(_num)).groupby(code)[["n", "rp"]].sum()
    # estimated mandatory trainings (PERKIRAAN-…) have no code in the table ("—"): compared per shown code
    want = plan.groupby(rw.code_cells(plan["program_id"])).agg(n=("pegawai_id", "size"), rp=("biaya_kas", "sum"))
    pd.testing.assert_frame_equal(got.sort_index(), want.sort_index().astype(float), check_names=False)
    # per paying line: a part row ("BLUD · RSUD: perjalanan dinas 1 peserta") is its line's money
    line = t("plan.col.line", lang)
    got_l = body.assign(rp=body[money].map(_num)).groupby(body[line].str.split(":").str[0])["rp"].sum()
    want_l = plan.groupby("line_id")["biaya_kas"].sum().add(tables_.component_correction(plan, res.components),
                                                            fill_value=0.0)
    assert got_l.to_dict() == pytest.approx(want_l.to_dict())
    # competency lists in words, not Python arrays; mandatory rows marked
    assert not body[t("plan.col.competency", lang)].str.contains(r"[\[\]']").any()
    n_wajib = (plan["wajib"].astype(str) != "").sum()
    marked = body[body[t("plan.col.programme", lang)].str.startswith("Wajib:")]
    assert marked[seats].map(_num).sum() == n_wajib


def test_unit_report_shows_only_the_unit_s_staff(res, plan):
    lang = res.ctx.lang
    for unit, mine in plan.groupby("kode_unit"):
        tab = R.plan_table_unit(res, unit)
        total = tab.iloc[-1]
        assert _num(total[t("plan.col.seats", lang)]) == len(mine), unit
        assert _num(total[t("plan.col.budget", lang)]) == pytest.approx(mine["biaya_kas"].sum()), unit
        rows = tab.iloc[:-1][tab.iloc[:-1][t("plan.col.code", lang)] != ""]  # without the block headings
        shown = set(rows[t("plan.col.line", lang)].str.split(":").str[0])
        assert shown == set(tables_.line_charges(mine, res.components)["line_id"]), unit
        words = R.plan_unit_sentences(res, unit)
        # (followed, in a unit with the plan year's intake, by the sentence saying who the persons are)
        assert words[0].startswith(t("plan.oneplan.unit", lang, seats=fmt_int(len(mine), lang),
                             persons=fmt_int(mine["pegawai_id"].nunique(), lang), jp=fmt_int(mine["jp"].sum(), lang),
                             biaya=fmt_rupiah(mine["biaya_kas"].sum(), lang)))
        # the agency's figures appear once, in the sentence labelled as the agency's
        agency_rp = fmt_rupiah(plan["biaya_kas"].sum(), lang)
        assert [w for w in words if agency_rp in w] == [words[-1]]
        md = R.summary_markdown(res, unit)
        assert words[0] in md and words[-1] in md and "pagu" not in md, unit
        rk = R.ranking_table(res, top=15, unit=unit)
        got = rk.set_index(t("plan.col.code", lang))[t("plan.col.seats_in_plan_unit", lang)].map(_num)
        per = mine.groupby("program_id").size()
        assert got.to_dict() == {p: float(per.get(p, 0)) for p in got.index}, unit
        wajib = tables_.line_charges(mine, res.components)
        wajib = wajib[wajib["tahap"].astype(str) == "wajib"]
        mw = R.unit_mandatory_sentences(res, unit)
        late = res.mandatory_table[(res.mandatory_table["kode_unit"] == unit) & (res.mandatory_table["n_late"] > 0)]
        assert len(mw) == 1 + max(1, len(wajib.groupby(["wajib", "utama", "line_id"]))) + late["wajib"].nunique(), unit
        bt = R.budget_table_view(res, unit)
        assert set(bt.iloc[:-1, 0]) == {unit}
        assert _num(bt.iloc[-1, -1]) == pytest.approx(mine["biaya_kas"].sum())


def test_budget_by_unit_and_line_equals_the_per_person_plan(res, plan):
    lang = res.ctx.lang
    bt = R.budget_table_view(res, None)
    body = bt.iloc[:-1]
    got = {(r.iloc[0], r.iloc[1]): (_num(r.iloc[2]), _num(r.iloc[3]), _num(r.iloc[4]), _num(r.iloc[5]))
           for _, r in body.iterrows()}
    want = plan.groupby(["kode_unit", "line_id"]).agg(p=("pegawai_id", "nunique"), n=("pegawai_id", "size"),
                                                      jp=("jp", "sum"), rp=("biaya_kas", "sum"))
    moved = tables_.component_correction(plan, res.components, ("kode_unit", "line_id"))  # split mandatory seats
    want = want.reindex(want.index.union(moved.index), fill_value=0)  # a line may pay only parts of a unit's seats
    want["rp"] = want["rp"].add(moved, fill_value=0.0).reindex(want.index)
    assert got == {k: (float(v.p), float(v.n), pytest.approx(v.jp), pytest.approx(v.rp)) for k, v in want.iterrows()}
    assert sum(_num(r.iloc[5]) for _, r in body.iterrows()) == pytest.approx(plan["biaya_kas"].sum())
    assert bt.iloc[-1, 0] == t("plan.col.total", lang)
    assert _num(bt.iloc[-1, 2]) == plan["pegawai_id"].nunique()


def test_pos_anggaran_table_per_line(res, plan, run):
    lang = res.ctx.lang
    tab = R.budget_lines_view(res).set_index(t("plan.pos.col.line_id", lang))
    # what each line pays: whole seats, except mandatory seats split by komponen_biaya, whose components
    # are on their payers' lines (the restricted artefact mandatory_components)
    comp = artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", "mandatory_components", "restricted")
    used = plan.groupby("line_id")["biaya_kas"].sum().add(tables_.component_correction(plan, comp), fill_value=0.0)
    lines = artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", "budget_lines", "aggregate")
    for r in lines.itertuples(index=False):
        row = tab.loc[r.line_id]
        u = float(used.get(r.line_id, 0.0))
        assert _num(row[t("plan.pos.col.terpakai", lang)]) == pytest.approx(u)
        assert _num(row[t("plan.pos.col.pagu", lang)]) == pytest.approx(r.pagu)
        assert _num(row[t("plan.pos.col.sisa", lang)]) == pytest.approx(r.pagu - u)
        parts = sum(_num(row[t(f"plan.pos.col.{c}", lang)]) for c in ("wajib", "terpilih", "tambahan"))
        assert parts == pytest.approx(u)
        assert u <= r.pagu + 1e-6
    total = tab.loc[t("plan.col.total", lang)]
    assert _num(total[t("plan.pos.col.terpakai", lang)]) == pytest.approx(used.sum())
    assert used.sum() == pytest.approx(plan["biaya_kas"].sum())  # the split moves money, it adds none
    for r in lines.itertuples(index=False):  # the written per-line table agrees with the seats
        assert r.used == pytest.approx(float(used.get(r.line_id, 0.0)))


def test_selection_table_is_reconciled_with_the_plan(res, plan):
    lang = res.ctx.lang
    ex = R.explanations_table(res)
    ex = ex[ex[t("plan.col.code", lang)] != ""].set_index(t("plan.col.code", lang))  # without block headings
    seats = plan.groupby(rw.code_cells(plan["program_id"])).size()  # estimates shown without a code ("—")
    total = ex[t("plan.col.plan_seats", lang)].map(_num)
    by_code = total.groupby(level=0).sum()
    assert by_code[by_code > 0].to_dict() == seats.astype(float).to_dict()
    parts = sum(ex[t(c, lang)].map(_num) for c in ("plan.col.placed_seats", "plan.col.wajib_seats",
                                                    "plan.col.top_up_seats"))
    assert (parts == total).all()
    # a programme with places in the plan is never just "tidak terpilih"
    reason = ex[t("plan.col.reason", lang)]
    assert not (reason.str.startswith("tidak terpilih") & (total > 0)).any()


def test_ranking_prints_places_in_the_plan_not_a_knapsack_probability(res, plan):
    lang = res.ctx.lang
    rk = R.ranking_table(res, top=15)
    assert t("plan.col.seats_in_plan", lang) in rk.columns
    assert not any("%" in c for c in rk.columns)
    seats = plan.groupby("program_id").size()
    got = rk.set_index(t("plan.col.code", lang))[t("plan.col.seats_in_plan", lang)].map(_num)
    assert got.to_dict() == {p: float(seats.get(p, 0)) for p in got.index}


def test_mandatory_allocations_are_published_not_hidden(res, plan):
    tab = R.mandatory_table_view(res)
    hidden = t("label.suppressed", res.ctx.lang, k=int(res.ctx.settings["suppression.k_count"]))
    assert not tab.isin([hidden]).any().any()
    assert not bool(res.mandatory_table["suppressed"].any())
    wajib = plan[plan["tahap"].astype(str) == "wajib"]
    funded = res.mandatory_table.loc[res.mandatory_table["utama"].astype(bool), "n_funded"].sum()
    assert funded == len(wajib)


def test_selection_places_not_filled_per_person_are_said(res, plan):
    """Tabel 3.3's 'chosen by optimisation' and 'placed' differ: the chapter says by how much, and
    'placed' is what the plan holds of the selection (tahap rencana)."""
    lang = res.ctx.lang
    note = R._unfilled_note(res)
    placed = int((plan["tahap"].astype(str) == "rencana").sum())
    assert f"{fmt_int(placed, lang)} terisi" in note
    ex = R.explanations_table(res)
    assert ex[t("plan.col.placed_seats", lang)].map(_num).sum() == placed


def test_kernels_on_a_hand_computed_toy():
    """plan_figures / budget_line_table on four seats: an unfunded mandatory row is left out, money is
    biaya_kas per line and step, and competency lists read as words."""
    from workbook.plan import tables as T

    a = pd.DataFrame({"pegawai_id": ["A", "A", "B", "C"], "program_id": ["P1", "P2", "P1", "P9"],
                      "kode_unit": ["U", "U", "V", "V"], "jp": [20.0, 10.0, 20.0, 240.0],
                      "biaya_kas": [100.0, 0.0, 100.0, 0.0], "line_id": ["L1", "L1", "L2", None],
                      "tahap": ["rencana", "tambahan", "wajib", "wajib"], "terdanai": [True, True, True, False]})
    f = T.plan_figures(a).iloc[0]
    assert (f["persons"], f["seats"], f["jp"], f["biaya"]) == (2, 3, 50.0, 200.0)
    assert (f["seats_wajib"], f["seats_rencana"], f["seats_tambahan"]) == (1, 1, 1)
    lines = pd.DataFrame({"line_id": ["L1", "L2"], "sumber_dana": ["APBD", "BLUD"], "dpa": ["X", "V"],
                          "pagu": [150.0, 120.0]})
    short = pd.DataFrame({"line_id": ["L2"], "shortfall": [240.0]})
    b = T.budget_line_table(lines, a, short).set_index("line_id")
    assert b.loc["L1", ["terpilih", "tambahan", "wajib", "terpakai", "sisa"]].tolist() == [100.0, 0.0, 0.0, 100.0, 50.0]
    assert b.loc["L2", ["wajib", "terpakai", "sisa", "usulan"]].tolist() == [100.0, 100.0, 20.0, 240.0]
    assert b.loc["JUMLAH", "terpakai"] == 200.0
    assert T.competency_text("['M.6' 'M.8' 'M.2']") == "M.6, M.8, M.2"
    assert T.competency_text("T.04;T.01;T.04") == "T.04, T.01"


def test_a_report_view_keeps_the_component_split(res):
    """The report renders views of the result (``dataclasses.replace`` per unit and language): the
    components of split mandatory seats must survive it, or a line's money is printed whole on the
    main line (the sample's APBD line had shown Rp2.106.740.000 used of a Rp2.100.000.000 pagu)."""
    from dataclasses import replace

    view = replace(res, ctx=res.ctx)
    assert (view.components is None) == (res.components is None)
    pd.testing.assert_frame_equal(R.budget_lines_view(view), R.budget_lines_view(res))
    d = R.line_table(view)
    d = d[d["line_id"] != "JUMLAH"]
    assert (d["terpakai"] <= d["pagu"] + 1e-6).all(), d[["line_id", "pagu", "terpakai"]].to_dict("records")
