"""The last planner findings on chapters III–IV (issue #17, planner review 4), on the sample agency
and on agency B: the money a Tabel 3.3 reason compares with is what the lines that may pay that
programme for those units have left; competency and programme codes come with their names; the
cost of the needs left unanswered is estimated at catalogue prices per line, apart from the
mandatory block's "Kekurangan"; the budget-curve sentence splits mandatory money from the share of
the rest and rounds the plan's value as the summary does; wide plan tables print landscape; a
unit report gives the reasons for the programmes answering its needs with no or fewer places."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

import workbook.plan._line_model as line_model
import workbook.plan.lines as lines_
import workbook.plan.report_reasons as RR
import workbook.plan.report_unmet as U
from workbook.core.i18n import fmt_number, fmt_rupiah, t
from workbook.plan import report as R
from workbook.plan import tables as tables_
from workbook.present.document import ChapterKit
from workbook.report.render import LANDSCAPE_TABLES

CODE_ALONE = re.compile(r"\b(?:[A-Z]{1,2}\.\d+(?:\.\d+)?) (?:untuk|di) ")


def _rp(s: str) -> float:
    return float(s.replace("Rp", "").replace(".", ""))


def _units(res) -> list[str]:
    return sorted(R.plan_rows(res)["kode_unit"].astype(str).unique())


def _line_left(res, pid: str, units: list[str]) -> tuple[set[str], float]:
    """The lines that may pay ``pid`` for ``units`` and Σ of their sisa, from the artefacts."""
    lines = line_model.lines_from_budget(res.budget_lines)
    kat = res.tables["katalog_program"]
    kind = dict(zip(kat["program_id"].astype(str), line_model.programme_kinds(kat, res.ctx.settings), strict=True))
    ok = lines_.may_pay(lines, units, [kind[pid]] * len(units)).any(axis=0)
    sisa = RR.line_table(res).set_index("line_id")["sisa"]
    ids = set(lines["line_id"][ok].astype(str))
    return ids, float(sum(sisa[i] for i in ids))


def _cheaper_reasons(res, tab: pd.DataFrame) -> list[tuple[str, str]]:
    lang = res.ctx.lang
    why = tab.set_index(t("plan.col.code", lang))[t("plan.col.reason", lang)]
    return [(c, r) for c, r in why.items() if "dijawab PRG" in str(r)]


def test_a_cheaper_programme_s_reason_names_the_sisa_of_the_lines_that_may_pay_it(run, res):
    checked = 0
    tabs = [R.explanations_table(res)] + [d for u in _units(res) if (d := RR.unit_reasons_table(res, u)) is not None]
    for tab in tabs:
        for code, reason in _cheaper_reasons(res, tab):
            m = re.search(r"lebih dari sisa (Rp[\d.]+) pada pos anggaran yang boleh membayar program ini bagi (.+?) \((.+?)\)\.",
                          reason)
            assert m, reason
            units = m.group(2).split(", ")
            ids, left = _line_left(res, code, units)
            assert _rp(m.group(1)) == left and set(m.group(3).split(", ")) == ids, (code, reason)
            extra = _rp(re.search(r"tambahan (Rp[\d.]+)", reason).group(1))
            assert extra > left, reason
            checked += 1
    if run.ctx.data_dir.name == "contoh":  # PRG-010 for DINKES: the APBD line's Rp210.000, not the RSUD BLUD's
        assert checked
        reason = dict(_cheaper_reasons(res, R.explanations_table(res)))["PRG-010"]
        sisa = RR.line_table(res).set_index("line_id")["sisa"]
        blud = [i for i in sisa.index if str(i).startswith("BLUD")]
        assert blud and fmt_rupiah(float(sisa.drop(["JUMLAH", *blud]).sum()), "id") in reason
        assert "BLUD" not in reason.split("bagi DINKES")[-1]


def test_competency_codes_in_the_reasons_carry_their_names(run, res):
    kam = res.tables["kamus_kompetensi"]
    names = dict(zip(kam["kode_kompetensi"].astype(str), kam["nama_id"].astype(str), strict=True))
    col = t("plan.col.reason", res.ctx.lang)
    said = " ".join(R.explanations_table(res)[col].astype(str))
    assert not CODE_ALONE.search(said), CODE_ALONE.search(said)
    codes = set(re.findall(r"kesenjangan ([A-Z]{1,2}\.\d+)", said))
    assert codes and all(f"{c} {names[c]}" in said for c in codes)


def test_programmes_counted_per_day_are_named(res):
    kat = res.tables["katalog_program"]
    names = dict(zip(kat["program_id"].astype(str), kat["nama_program"].astype(str), strict=True))
    for s in R.assumption_sentences(res) + [R.jp_conversion_sentence(res) or ""]:
        for pid in re.findall(r"PRG-\d+", s):
            assert f"{pid} {names[pid]}" in s, s


def test_unmet_needs_are_priced_by_the_cheapest_programme_per_line(run, res):
    d = U.unmet_cost(res)
    um = res.group_plan.unmet
    assert int(d["unmet"].sum()) == int(um["unmet"].sum())  # the "n kebutuhan" of the summary
    kat = res.tables["katalog_program"].drop_duplicates("program_id").set_index("program_id")
    price = pd.to_numeric(kat["biaya_per_peserta"], errors="coerce")
    for r in d[d["program_id"].notna()].itertuples(index=False):
        assert r.kode_kompetensi in tables_.competency_text(kat.at[r.program_id, "kode_kompetensi"]).split(", ")
        assert r.biaya == r.unmet * price[r.program_id]
    sentence = U.unmet_cost_sentence(res)
    if not len(d):
        assert sentence is None
        return
    priced = d[d["program_id"].notna()]
    assert fmt_rupiah(float(priced["biaya"].sum()), "id") in sentence and "harga katalog" in sentence
    for line, v in priced.groupby(priced["line_id"].astype(str))["biaya"].sum().items():
        if line != "<NA>":
            assert f"{line} {fmt_rupiah(v, 'id')}" in sentence
    assert "hanya mengukur bagian pelatihan wajib" in sentence
    lines = _line_left(res, str(priced["program_id"].iloc[0]), [str(priced["kode_unit"].iloc[0])])[0]
    assert str(priced["line_id"].iloc[0]) in lines  # the line it is put on may pay it


def test_budget_curve_sentence_splits_mandatory_and_rounds_as_the_summary(run, res):
    note = R._frontier_note(res)
    f = res.frontier
    own = f[f["model"].astype(str) == "rencana"].iloc[0]
    if "ditambah" not in note:
        return
    wajib = float(own["budget"]) - float(own["budget_optional"])
    assert f"pelatihan wajib {fmt_rupiah(wajib, 'id')} ditambah" in note and " % " not in note
    v = fmt_number(float(own["value_exact"]), "id", 1)
    assert f"nilainya {v}" in note
    if run.ctx.data_dir.name == "contoh":
        assert f"({v})" in R.summary_markdown(res)


def test_wide_plan_tables_print_landscape(res):
    outline = [("programmes", "bab3", "BAB III", "III", "3"), ("implementation", "bab4", "BAB IV", "IV", "4")]
    for unit in [None, *_units(res)[:3]]:
        kit = ChapterKit(outline, lang=res.ctx.lang, hidden="disembunyikan", no_figure="-", figure_key="t")
        kit.png = lambda make, name=None: None
        for ch in R.chapter(res, unit, kit):
            for sec in ch.sections:
                for b in sec.blocks:
                    if b.kind == "table" and str(b.content).split("</thead>")[0].count("<th") > 10:
                        assert b.key in LANDSCAPE_TABLES, (unit, b.key)


def test_unit_reasons_cover_the_programmes_with_no_place_for_the_unit(run, res):
    lang = res.ctx.lang
    said = 0
    for unit in _units(res):
        tab = RR.unit_reasons_table(res, unit)
        if tab is None:
            continue
        seats = R.plan_rows(res, unit)["program_id"].astype(str).value_counts()
        for r in tab.itertuples(index=False):
            code, need, got, why = r[0], int(str(r[2]).replace(".", "")), int(str(r[3]).replace(".", "")), r[4]
            assert got == int(seats.get(code, 0)) and got < need and why, (unit, r)
        said += len(tab)
    assert said
    if run.ctx.data_dir.name == "contoh":  # the planner's case: DINKES's Tabel 3.2 shows PRG-010 with 0 places
        tab = RR.unit_reasons_table(res, "DINKES").set_index(t("plan.col.code", lang))
        assert "PRG-025" in tab.loc["PRG-010", t("plan.col.reason", lang)]
        assert not np.any(tab.index.duplicated())


def test_intro_names_the_agency_s_data_not_its_folder():
    said = html.unescape(t("report.intro.data", "id", agency="Pemerintah Kabupaten Contoh", year=2027))
    assert "folder" not in said and "Pemerintah Kabupaten Contoh" in said
