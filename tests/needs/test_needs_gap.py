"""Tests of the needs chapter's gaps, baselines and data quality (issue #18, needs-gap):
the performance gap under PermenPANRB 6/2022, the census rule for intervals, the gaps against the
position to be held (Pasal 206), the 20-JP baseline by status, the JPM recap with coverage, the
response rates and what the chapter says of them.

Crafted inputs carry hand-computed expectations (arithmetic in the comments). On the sample agency
the expected figures are those the reviewers recomputed from the data
(``shared/reviews/2026-12-yearly-outputs.md`` W8, W10, X8, X13), not this code's output.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from workbook.core.exceptions import DataError, SettingsError
from workbook.core.settings import load_settings
from workbook.needs import gaps as nd
from workbook.needs import index as ni
from workbook.needs import performance as pf
from workbook.needs import recap as rc
from workbook.needs import report_gap as rg


@pytest.fixture
def settings():
    return load_settings()


# ------------------------------------------------------------------------------------------
# performance gap: PermenPANRB 6/2022 (DOMAIN-PLAN §4)
# ------------------------------------------------------------------------------------------

@pytest.fixture
def peg_perf():
    # every predikat case, plus a blank one; SKP numbers that would disagree with the predikat
    return pd.DataFrame({
        "pegawai_id": ["bp", "sk", "ku", "ba", "sb", "na", "em"],
        "kode_unit": ["U", "U", "U", "U", "V", "V", "V"],
        "status": ["PNS", "PNS", "PNS", "PPPK", "PNS", "CPNS", "PNS"],
        "predikat_kinerja": ["Butuh Perbaikan", "Sangat Kurang", "Kurang", "Baik", "Sangat Baik", None, "  "],
        "skp_target": [100, 100, 100, 100, 100, np.nan, 100],
        "skp_realisasi": [105, 110, 90, 99.7, 80, np.nan, 50],
    })


def test_each_predikat_case_and_the_ratio_never_decides(peg_perf, settings):
    out = pf.performance_gaps(peg_perf, settings=settings).set_index("pegawai_id")
    # hasil kerja below expectation: Butuh Perbaikan and Sangat Kurang are the performance gap,
    # even though their realisasi is above target (105, 110)
    assert out.loc["bp", "below_target"] and out.loc["sk", "below_target"]
    assert out.loc["bp", "performance_class"] == out.loc["sk", "performance_class"] == "kesenjangan_hasil_kerja"
    # Kurang/Misconduct: behaviour, not a performance gap
    assert not out.loc["ku", "below_target"] and out.loc["ku", "behaviour_issue"]
    assert out.loc["ku", "performance_class"] == "perilaku"
    # Baik at 99.7 of 100 and Sangat Baik at 80 of 100: no gap (the old ratio says "below")
    for pid in ("ba", "sb"):
        assert not out.loc[pid, "below_target"] and not out.loc[pid, "behaviour_issue"]
        assert out.loc[pid, "below_target_ratio"]
    assert out.loc["ba", "skp_ratio"] == pytest.approx(0.997)
    # missing predikat (None, blank text): no claim either way, even with a ratio of 0.5
    for pid in ("na", "em"):
        assert pd.isna(out.loc[pid, "below_target"]) and pd.isna(out.loc[pid, "behaviour_issue"])
        assert pd.isna(out.loc[pid, "performance_class"]) and pd.isna(out.loc[pid, "basis"])
    assert out.loc["em", "below_target_ratio"]
    # the talent axis is kept for the 9-box: Kurang stays "di_bawah" there
    assert out.loc["ku", "kinerja_axis"] == "di_bawah"


def test_unknown_predikat_is_refused_and_absent_column_claims_nothing(peg_perf, settings):
    with pytest.raises(DataError) as e:
        pf.performance_gaps(peg_perf.assign(predikat_kinerja="Luar Biasa"), settings=settings)
    assert e.value.column == "predikat_kinerja"
    out = pf.performance_gaps(peg_perf.drop(columns="predikat_kinerja"), settings=settings)
    assert out["below_target"].isna().all() and out["behaviour_issue"].isna().all()
    # the predikat sets are a setting: a predikat in two classes is refused
    bad = load_settings(skp__predikat_classes={"kesenjangan_hasil_kerja": ["Kurang"], "perilaku": ["Kurang"],
                                               "sesuai": ["Baik"]})
    with pytest.raises(SettingsError):
        pf.performance_gaps(peg_perf, settings=bad)


def test_performance_by_unit_counts_a_census_without_interval(peg_perf, settings):
    by = pf.performance_gaps_by_unit(peg_perf, settings=settings).set_index("kode_unit")
    # U: bp, sk, ku, ba — 4 with predikat, gap = bp + sk = 2 → 0.5; behaviour = ku → 0.25
    assert (by.loc["U", "headcount"], by.loc["U", "n"], by.loc["U", "n_missing"]) == (4, 4, 0)
    assert (by.loc["U", "n_below"], by.loc["U", "n_behaviour"], by.loc["U", "n_expected"]) == (2, 1, 1)
    assert by.loc["U", "share_below"] == 0.5 and by.loc["U", "share_behaviour"] == 0.25
    # V: sb with predikat; na, em without → n 1, missing 2, share 0 of 1
    assert (by.loc["V", "n"], by.loc["V", "n_missing"], by.loc["V", "n_below"]) == (1, 2, 0)
    # old ratio, supplementary: U realisasi < target = ku (90), ba (99.7); V: sb (80), em (50)
    assert by.loc["U", "n_below_ratio"] == 2 and by.loc["V", "n_below_ratio"] == 2
    assert not {"ci_low", "ci_high"} & set(by.columns)


def test_skp_period_from_the_column_else_the_setting(peg_perf, settings):
    assert pf.skp_period(peg_perf, 2027, settings=settings) == [2026]          # 2027 − period_lag 1
    assert pf.skp_period(peg_perf, 2027, settings=load_settings(skp__period_lag=2)) == [2025]
    with_col = peg_perf.assign(periode_skp=[2025, 2025, 2025, 2025, 2025, 2024, np.nan])
    # na (2024) has no predikat: only the periods behind a predikat are named
    assert pf.skp_period(with_col, 2027, settings=settings) == [2025]


# ------------------------------------------------------------------------------------------
# census: no interval when every staff member is counted (review M6)
# ------------------------------------------------------------------------------------------

def test_unit_competency_census_rows_have_no_interval(settings):
    gaps = pd.DataFrame({
        "pegawai_id": ["a", "b", "c", "d", "e", "f"],
        "kode_unit": ["U1"] * 3 + ["U2"] * 3,
        "kode_kompetensi": ["M.1"] * 6,
        "level_standar": [3.0] * 6,
        "gap": [-1.0, 0.0, -2.0, -1.0, 0.0, np.nan],     # U1: all 3 known (census); U2: 2 of 3
    })
    peg = pd.DataFrame({"pegawai_id": list("abcdef"), "kode_unit": ["U1"] * 3 + ["U2"] * 3})
    out = ni.unit_competency_summary(gaps, peg, None, settings=settings).set_index("kode_unit")
    assert bool(out.loc["U1", "census"]) and not bool(out.loc["U2", "census"])
    assert out.loc["U1", ["share_ci_low", "share_ci_high", "mean_gap_ci_low", "mean_gap_ci_high"]].isna().all()
    assert out.loc["U1", "share_below"] == pytest.approx(2 / 3)            # the share itself stays
    lo, hi = out.loc["U2", "share_ci_low"], out.loc["U2", "share_ci_high"]
    assert lo < 0.5 < hi and hi - lo > 0.01                                # a sample keeps its interval


def test_share_bounds_are_the_worst_cases_of_non_response(settings):
    # Manski's bounds by hand. U1: N = 10 staff with the competency, n = 8 with a known level,
    # k = 3 below: lower = 3/10 = 0.30 (both unknown meet the standard), upper = (3 + 2)/10 = 0.50
    # (both unknown below it); the observed share 3/8 = 0.375 lies between. U2: a census (N = n = 4,
    # k = 1): both bounds are 1/4, the share itself.
    gaps = pd.DataFrame({
        "pegawai_id": [f"a{i}" for i in range(10)] + [f"b{i}" for i in range(4)],
        "kode_unit": ["U1"] * 10 + ["U2"] * 4,
        "kode_kompetensi": ["M.1"] * 14,
        "level_standar": [3.0] * 14,
        "gap": [-1.0, -2.0, -1.0, 0.0, 0.0, 1.0, 0.0, 0.0, np.nan, np.nan] + [-1.0, 0.0, 0.0, 1.0],
    })
    peg = gaps[["pegawai_id", "kode_unit"]]
    out = ni.unit_competency_summary(gaps, peg, None, settings=settings).set_index("kode_unit")
    assert out.loc["U1", "share_bound_low"] == pytest.approx(0.30)
    assert out.loc["U1", "share_bound_high"] == pytest.approx(0.50)
    assert out.loc["U1", "share_below"] == pytest.approx(0.375)
    assert out.loc["U2", "share_bound_low"] == out.loc["U2", "share_bound_high"] == pytest.approx(0.25)


# ------------------------------------------------------------------------------------------
# position to be held (Pasal 206)
# ------------------------------------------------------------------------------------------

def test_target_gaps_by_competency(settings):
    peg = pd.DataFrame({"pegawai_id": ["A", "B", "C"], "kode_unit": ["U"] * 3, "jabatan": ["J1"] * 3,
                        "jabatan_target": ["J2", "J2", None]})
    std = pd.DataFrame({"jabatan": ["J1", "J1", "J2", "J2"], "kode_kompetensi": ["M.1", "M.2", "M.2", "M.3"],
                        "level_standar": [3, 3, 4, 2]})
    act = pd.DataFrame({"pegawai_id": ["A", "A", "A", "B", "B", "C"],
                        "kode_kompetensi": ["M.1", "M.2", "M.3", "M.2", "M.3", "M.2"],
                        "level_actual": [3.0, 3.0, 1.0, 4.0, 2.0, 2.0], "level_source": ["diri"] * 6})
    g = nd.competency_gaps(peg, std, act, settings=settings)
    out = rc.target_gaps(g).set_index("kode_kompetensi")
    # M.2 target 4: A 3 (−1), B 4 (0) → 1 below of 2; M.3 target 2: A 1 (−1), B 2 (0) → 1 of 2
    assert list(out.index) == ["M.2", "M.3"]
    assert (out.loc["M.2", "n_target"], out.loc["M.2", "n_below"]) == (2, 1)
    assert out.loc["M.3", "mean_gap_target"] == pytest.approx(-0.5)
    assert out.attrs == {"n_persons": 2, "n_persons_below": 1, "n_rows_below": 2}
    # without target positions: empty, with the same columns
    empty = rc.target_gaps(nd.competency_gaps(peg.drop(columns="jabatan_target"), std, act, settings=settings))
    assert len(empty) == 0 and "n_below" in empty and empty.attrs["n_persons"] == 0


# ------------------------------------------------------------------------------------------
# 20-JP baseline by status (review W10)
# ------------------------------------------------------------------------------------------

def test_jp_baseline_denominators_by_status(settings):
    peg = pd.DataFrame({"pegawai_id": list("abcdefg"), "kode_unit": list("UUUUVVV"),
                        "status": ["PNS", "PNS", "PNS", "CPNS", "PPPK", "PPPK", "PNS"]})
    real = pd.DataFrame({
        "pegawai_id": ["a", "a", "b", "d", "e", "f", "g"],
        "jp": [12, 8, 19, 40, 24, 10, 30],
        "tanggal_mulai": ["2026-02-01", "2026-05-01", "2026-03-01", "2026-01-10", "2026-07-01", "2026-07-01",
                          "2025-12-31"],                      # g's JP are of another year
    })
    out = rc.jp_baseline(peg, real, year=2026, settings=settings).set_index("status")
    # PNS a (20 ≥ 20), b (19), c (none: 0), g (0 in 2026) → 1 of 4; no JP: c, g
    assert (out.loc["PNS", "n"], out.loc["PNS", "n_reached"], out.loc["PNS", "n_zero"]) == (4, 1, 2)
    assert out.loc["PNS", "share_reached"] == 0.25 and out.loc["PNS", "mean_jp"] == pytest.approx(39 / 4)
    assert (out.loc["CPNS", "n"], out.loc["CPNS", "n_reached"]) == (1, 1)
    # PPPK apart: e 24, f 10 → 1 of 2 at 20 JP (benchmark); their cap is stated
    assert (out.loc["PPPK", "n"], out.loc["PPPK", "n_reached"]) == (2, 1) and out.loc["PPPK", "jp_cap"] == 24
    # PNS + CPNS: 2 of 5; PPPK never pooled in
    assert (out.loc["PNS+CPNS", "n"], out.loc["PNS+CPNS", "n_reached"]) == (5, 2)
    assert out.attrs["n_rows_other_year"] == 1
    by = rc.jp_baseline(peg, real, year=2026, by="kode_unit", settings=settings)
    assert by.loc[(by["kode_unit"] == "U") & (by["status"] == "PNS"), "n"].item() == 3


# ------------------------------------------------------------------------------------------
# JPM recap with assessment coverage (review X10)
# ------------------------------------------------------------------------------------------

def test_jpm_recap_coverage():
    peg = pd.DataFrame({"pegawai_id": list("abcde"), "kode_unit": ["U", "U", "U", "V", "V"]})
    jpm = pd.DataFrame({"pegawai_id": ["a", "b", "c", "d"], "jpm_pct": [100.0, 70.0, 90.0, 80.0],
                        "jpm_label_type": ["pemetaan", "indikatif", "indikatif", "indikatif"]})
    ha = pd.DataFrame({"pegawai_id": ["a", "a", "d"], "kode_kompetensi": ["M.1", "M.2", "M.1"]})
    out = rc.jpm_recap(jpm, peg, ha, by="kode_unit", low_cut=78).set_index("kode_unit")
    # U: 3 staff, assessed a → 1/3; JPM a, b, c; official a; mean (100 + 70 + 90)/3 = 86.67; < 78: b
    assert (out.loc["U", "n_staff"], out.loc["U", "n_assessed"], out.loc["U", "n_jpm"]) == (3, 1, 3)
    assert out.loc["U", "assessment_coverage"] == pytest.approx(1 / 3)
    assert (out.loc["U", "n_official"], out.loc["U", "n_indicative"]) == (1, 2)
    assert out.loc["U", "mean_jpm_pct"] == pytest.approx(260 / 3) and out.loc["U", "median_jpm_pct"] == 90
    assert out.loc["U", "n_jpm_low"] == 1
    # V: e has no JPM (no standard): 2 staff, 1 JPM, coverage 1/2
    assert (out.loc["V", "n_staff"], out.loc["V", "n_jpm"], out.loc["V", "assessment_coverage"]) == (2, 1, 0.5)


# ------------------------------------------------------------------------------------------
# response and non-response (review X13; OMB 2006 Guideline 3.2.9)
# ------------------------------------------------------------------------------------------

def test_response_by_unit_flags_below_the_threshold(settings):
    # U: 79 of 100 → flagged; V: 80 of 100 → not (the threshold is "below 80 %")
    peg = pd.DataFrame({"pegawai_id": [f"p{i}" for i in range(200)], "kode_unit": ["U"] * 100 + ["V"] * 100})
    sp = pd.DataFrame({"pegawai_id": [f"p{i}" for i in range(79)] + [f"p{i}" for i in range(100, 180)]})
    out = rc.response_by_unit(peg, sp, settings=settings).set_index("kode_unit")
    assert out.loc["U", "response_rate"] == 0.79 and bool(out.loc["U", "low_response"])
    assert out.loc["V", "response_rate"] == 0.80 and not bool(out.loc["V", "low_response"])
    assert rc.response_by_unit(peg, sp, settings=load_settings(survey__response_rate_low=0.5))[
        "low_response"].sum() == 0


def test_nonresponse_check_compares_on_the_staff_file(peg_perf, settings):
    perf = pf.performance_gaps(peg_perf, settings=settings)
    sp = pd.DataFrame({"pegawai_id": ["bp", "ba", "na"]})
    jp = pd.DataFrame({"pegawai_id": ["bp", "sk"], "jp": [10.0, 30.0]})
    out = rc.nonresponse_check(peg_perf, sp, perf, jp).set_index("group")
    # respondents bp (gap), ba (no), na (no predikat) → 1 of 2; JP (10 + 0 + 0)/3
    assert out.loc["responden", "share_performance_gap"] == 0.5
    assert out.loc["responden", "mean_jp_last_year"] == pytest.approx(10 / 3)
    # non-respondents sk (gap), ku, sb, em (none) → 1 of 3; JP 30/4
    assert out.loc["bukan_responden", "n_with_predikat"] == 3
    assert out.loc["bukan_responden", "share_performance_gap"] == pytest.approx(1 / 3)
    assert out.loc["bukan_responden", "mean_jp_last_year"] == pytest.approx(7.5)


# ------------------------------------------------------------------------------------------
# the sample agency: the reviewers' figures, and what the chapter says
# ------------------------------------------------------------------------------------------

def test_sample_performance_gap_is_the_predikat_not_the_ratio(sample_run):
    res = sample_run["needs"]
    p = res.performance
    # sample pegawai.csv: 1.200 staff, 1.162 with a predikat (38 CPNS blank); 75 Butuh Perbaikan +
    # 5 Sangat Kurang = 80 performance gaps; 13 Kurang (behaviour); 530 realisasi < target (the
    # old 45,6 %); the reviewers' 93 (8,0 %) below Baik = 80 + 13 (W8)
    assert int(p["performance_class"].notna().sum()) == 1162
    assert int(p["below_target"].sum()) == 80 and int(p["behaviour_issue"].sum()) == 13
    assert int(p["below_target_ratio"].sum()) == 530
    text = " ".join(rg.performance_sentences(res))
    assert "80 dari 1.162" in text and "6,9" in text and "13 pegawai" in text
    assert "38 dari 1.200" in text and "e-Kinerja" in text
    assert "periode penilaian 2026" in text and "sensus" in text
    assert "45,6" not in text
    table = rg.performance_unit_table(res)
    assert not any("SK 95%" in c for c in table.columns)
    assert any("SKP format lama" in c for c in table.columns)      # the ratio only as a labelled supplement


def test_chapter_claims_no_performance_gap_without_predikat(sample_run):
    res = sample_run["needs"]
    perf = res.performance.assign(predikat_kinerja=pd.NA, performance_class=pd.NA,
                                  below_target=pd.array([pd.NA] * len(res.performance), dtype="boolean"))
    blank = dataclasses.replace(res, performance=perf)
    text = " ".join(rg.performance_sentences(blank))
    assert "e-Kinerja" in text and "tidak menyatakan kesenjangan kinerja" in text
    assert "dari 1.162" not in text and "memiliki kesenjangan kinerja" not in text


def test_sample_jp_baseline_matches_the_review(sample_run):
    b = sample_run["needs"].recaps["jp_baseline"].set_index("status")
    # review W10: 66,9 % for PNS + CPNS (673 / 1.006), 65,6 % for PNS only (635 / 968); PPPK apart
    assert (b.loc["PNS", "n"], b.loc["PNS", "n_reached"]) == (968, 635)
    assert (b.loc["PNS+CPNS", "n"], b.loc["PNS+CPNS", "n_reached"]) == (1006, 673)
    assert round(b.loc["PNS", "share_reached"] * 100, 1) == 65.6
    assert round(b.loc["PNS+CPNS", "share_reached"] * 100, 1) == 66.9
    assert b.loc["PPPK", "n"] == 194 and b.loc["CPNS", "n"] == 38


def test_sample_target_gaps_are_reported(sample_run):
    res = sample_run["needs"]
    tg = res.recaps["target_gaps"]
    # review X8: 33 employees with a target position, 237 gap rows
    assert tg.attrs["n_persons"] == 33 and tg.attrs["n_rows_below"] == 237


def test_sample_data_quality_names_duplicates_and_low_response(sample_run):
    res = sample_run["needs"]
    text = " ".join(rg.quality_sentences(res))
    # review X13: 10 duplicate submissions; SATPOLPP 78,7 % is below 80 %
    assert "10 isian ganda di survei AKPK pegawai" in text and "isian terakhir" in text
    assert "SATPOLPP (78,7%)" in text.replace("\u00a0", "") or "SATPOLPP (78,7 %)" in text
    assert "DINSOS" not in text.split("berisiko")[-1]            # 81,1 % is above the threshold


@pytest.mark.parametrize("run", ["sample_run", "agency_b_run"])
def test_rules_hold_on_both_agencies(run, request):
    r = request.getfixturevalue(run)
    res = r["needs"]
    peg = res.tables["pegawai"]
    pred = peg["predikat_kinerja"].astype("str")
    expected_gap = int(pred.isin(["Butuh Perbaikan", "Sangat Kurang"]).sum())
    assert int(res.performance["below_target"].sum()) == expected_gap
    assert int(res.performance["behaviour_issue"].sum()) == int((pred == "Kurang").sum())
    b = res.recaps["jp_baseline"].set_index("status")
    for st in ("PNS", "CPNS", "PPPK"):
        assert b.loc[st, "n"] == int((peg["status"] == st).sum())       # each status its own denominator
    uc = res.unit_competency
    assert uc.loc[uc["census"], "share_ci_low"].isna().all()
    assert (uc.loc[~uc["census"] & (uc["n_assessed"] > 1), "share_ci_high"]
            > uc.loc[~uc["census"] & (uc["n_assessed"] > 1), "share_ci_low"]).all()
    assert not math.isnan(float(res.recaps["response_units"]["response_rate"].mean()))


def test_unit_table_prints_non_response_bounds_not_a_sampling_interval(sample_run):
    from workbook.needs import report as nr
    from workbook.needs.stage import shown_unit_competency
    res = sample_run["needs"]
    su = shown_unit_competency(res)
    su = su.loc[(su["kode_unit"] == "RSUD") & ~su["suppressed"]].reset_index(drop=True)
    table = nr.unit_table(res, "RSUD")
    assert "SK 95% bawah" not in table.columns and {"Batas bawah", "Batas atas"} <= set(table.columns)
    assert "Pelayanan Kesehatan" in set(table["Kompetensi"])                   # names next to the codes
    # every shown row: lower bound ≤ share ≤ upper bound, and the width is the share not assessed
    width = su["share_bound_high"] - su["share_bound_low"]
    assert ((su["share_bound_low"] <= su["share_below"] + 1e-12)
            & (su["share_below"] <= su["share_bound_high"] + 1e-12)).all()
    assert np.allclose(width, 1 - su["n_assessed"] / su["n_staff"])
    # RSUD T.03: 125 staff, 108 assessed, 90 below (83,3 %) → bounds 90/125 = 72,0 % and 107/125 = 85,6 %
    t03 = table.set_index("Kode").loc["T.03"]
    assert (t03["% di bawah standar"], t03["Batas bawah"], t03["Batas atas"]) == ("83,3%", "72,0%", "85,6%")


def test_unit_view_names_its_own_response_and_hides_status_sums(sample_run):
    res = sample_run["needs"]
    text = " ".join(rg.quality_sentences(res, "SATPOLPP"))
    assert "48 dari 61" in text and "bias nonrespons" in text
    assert "tidak di bawah" in " ".join(rg.quality_sentences(res, "RSUD"))
    # a PNS+CPNS row next to a hidden CPNS row would give the CPNS count away: units carry none
    assert "PNS+CPNS" not in set(res.recaps["jp_baseline_units"]["status"])
