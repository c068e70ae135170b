"""Plan wording a planner flagged (issue #17, the planner's items 2 and 3), on the sample and agency B:
numbers in a sentence equal the table's, a subset that is the whole is not said as "(20 di
antaranya …)", overdue leadership training is said in the unit report, PKN II proposals carry no JP
or month, who is unavailable is said against its base, and why PPPK get 0 JP."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import workbook.plan.report_jp as report_jp
from workbook.core import artefacts
from workbook.core.i18n import fmt_int, t
from workbook.plan import report as R


def _num(cell: str) -> float:
    s = re.sub(r"[^0-9,\-]", "", str(cell)).replace(",", ".")
    return float(s) if s not in ("", "-") else 0.0


@pytest.fixture(scope="module")
def plan(run) -> pd.DataFrame:
    a = artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", "assignments", "restricted")
    return a[a["terdanai"].astype(bool)].copy()


def test_selected_programme_sentence_counts_the_plan_s_places(res, plan):
    """"terpilih: menutup kesenjangan T.03 untuk 113 pegawai di DINKES" — the persons the plan placed,
    not the selection's 125."""
    lang = res.ctx.lang
    ex = R.explanations_table(res)
    ex = ex[ex[t("plan.col.code", lang)] != ""]
    placed = plan[plan["tahap"].astype(str) == "rencana"].groupby("program_id").size()
    checked = 0
    for _, r in ex.iterrows():
        reason = str(r[t("plan.col.reason", lang)])
        if not reason.startswith("terpilih: menutup") or "kelompok lain" in reason:
            continue
        said = sum(int(n.replace(".", "")) for n in re.findall(r"untuk ([\d.]+) pegawai", reason))
        assert said == placed.get(r[t("plan.col.code", lang)], 0) == _num(r[t("plan.col.placed_seats", lang)]), reason
        checked += 1
    assert checked


def test_a_programme_lost_to_a_cheaper_one_says_why_with_the_table_s_figures(run, res, plan):
    lang = res.ctx.lang
    ex = R.explanations_table(res).set_index(t("plan.col.code", lang))
    why = ex[t("plan.col.reason", lang)]
    for code, reason in why[why.str.contains("dijawab PRG")].items():
        alt, n = re.search(r"dijawab (\S+) .*? untuk ([\d.]+) pegawai", reason).groups()
        assert int(n.replace(".", "")) <= int((plan["program_id"] == alt).sum()), reason
        assert "tidak menurut JP program" in reason and _num(ex.loc[code, t("plan.col.plan_seats", lang)]) == 0
    if run.ctx.data_dir.name == "contoh":  # DINKES's T.03: PRG-010 (48 JP) lost to the seminar PRG-025
        assert "PRG-025" in why["PRG-010"] and "Rp5.500.000" in why["PRG-010"]
        assert f"untuk {fmt_int((plan['program_id'] == 'PRG-025').sum(), lang)} pegawai" in why["PRG-010"]


def test_no_subset_that_is_the_whole(res):
    for s in R.mandatory_sentences(res):
        m = re.match(r"([\d.]+) .*?\(([\d.]+) di antaranya", s)
        assert not m or m.group(1) != m.group(2), s


def test_unit_report_says_overdue_mandatory_training(res):
    tab = res.mandatory_table
    late = tab[tab["n_late"] > 0]
    for unit, g in late.groupby("kode_unit"):
        words = " ".join(R.unit_mandatory_sentences(res, unit))
        for code, n in g.groupby("wajib")["n_late"].sum().items():
            name = t(f"plan.wajib.singkat.{code}", res.ctx.lang)
            assert f"{name} terlambat: {fmt_int(n, res.ctx.lang)} " in words, (unit, code, words)
    if res.ctx.data_dir.name == "contoh":
        words = " ".join(R.unit_mandatory_sentences(res, "RSUD"))
        assert "PKP terlambat" in words and "PKA terlambat" in words


def test_pkn2_proposals_have_no_jp_or_month(res):
    lang = res.ctx.lang
    tab = R.plan_table_unit(res, None)
    rows = tab[tab[t("plan.col.programme", lang)].str.contains("PKN II")]
    if not bool(res.ctx.settings["eligibility.pkn2_proposal_only"]) or not len(rows):
        pytest.skip("no PKN II proposal in this plan")
    for _, r in rows.iterrows():
        if _num(r[t("plan.col.jp", lang)]) == 0:  # the JP the plan does not know: a dash, LAN's month
            assert r[t("plan.col.jp", lang)] == "–" and r[t("plan.col.month", lang)] == "ditetapkan LAN"
    notes = [R.money_.proposal_note(R.plan_rows_for_unit(res, None), res.ctx.settings, lang)]
    assert notes[0] and "LAN menyeleksi" in notes[0]


def test_unavailable_staff_said_against_their_base(res, plan):
    lang = res.ctx.lang
    said = [s for s in R.infeasible_sentences(res) if "tidak tersedia pada tahun rencana" in s]
    tg = res.jp_targets
    away = tg[tg["unavailable_reason"].astype("string").fillna("") != ""]
    if not len(away):
        assert not said
        return
    assert len(said) == 1
    assert said[0].startswith(f"{fmt_int(len(away), lang)} dari {fmt_int(len(res.tables['pegawai']), lang)} pegawai")
    with_seats = away["pegawai_id"].astype(str).isin(set(plan["pegawai_id"].astype(str))).sum()
    if with_seats >= 5:
        assert f"{fmt_int(with_seats, lang)} di antaranya tetap mendapat" in said[0]


def test_why_pppk_get_zero_jp(res):
    from workbook.plan import stage as stage_

    shown = stage_.shown_jp_tables(res)["jp_pppk_coverage"]
    for r in shown.itertuples(index=False):
        if bool(r.suppressed) or not (r.pppk_zero == r.pppk_zero) or r.pppk_zero <= 0:
            continue
        unit = None if r.kode_unit == "INSTANSI" else r.kode_unit
        words = report_jp._pppk_zero_reasons(res, unit)
        assert "0 JP" in words, (r.kode_unit, words)


def test_seminar_jp_and_cost_per_jp_words(res):
    lang = res.ctx.lang
    conv = R.jp_conversion_sentence(res)
    if conv:
        assert "nonklasikal" not in conv and "klasikal" in conv
    kat = res.tables["katalog_program"]
    sem = kat[kat["bentuk"].astype(str) == "seminar"]
    assert (sem["jalur"].astype(str) == "klasikal").all()  # the catalogue and the words agree
    assert "waktu fasilitator" in t("plan.col.cost_jp", lang)
    assert "waktu fasilitator" in t("plan.words3.cost_jp_note", lang, per_jp="Rp0")
