"""Level 2 verdicts: d_av against published values, the three magnitude outcomes, the Holm family
count, the combined verdict words, the pass rate, the MDE at the Holm threshold, Cronbach's α
rules and the conflicts between Levels 2, 3 and the interviews."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from workbook.core import stats
from workbook.core.settings import load_settings
from workbook.evaluation import levels as ev
from workbook.evaluation import verdicts, words

# R datasets::sleep (Cushny & Peebles 1905, Student 1908): extra sleep (h) of 10 patients under
# drug 1 and drug 2, paired by ID.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def _l2(programmes: dict[str, tuple[list[float], list[float]]], max_score: float = 100) -> pd.DataFrame:
    rows = [{"pegawai_id": f"{pid}-{i:03d}", "program_id": pid, "skor_pre": a, "skor_post": b,
             "skor_maks": max_score}
            for pid, (pre, post) in programmes.items() for i, (a, b) in enumerate(zip(pre, post, strict=True))]
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------
# d_av and its interval against the published values of the method
# ------------------------------------------------------------------------------------------


def test_d_av_matches_the_effectsize_vignette_on_the_sleep_data():
    # effectsize vignette "Standardized Differences" (easystats, R package effectsize):
    #   repeated_measures_d(sleep_wide$extra_1, sleep_wide$extra_2, method = "av")
    #   d_av = -0.76, 95% CI [-1.13, -0.39]  ("Adjusted for small sample bias")
    # and cohens_d(extra_1, extra_2, ci = NULL) = -0.83 (pooled SD; with equal n the pooled SD is
    # √((s1² + s2²)/2), the same standardiser as d_av before the Hedges correction).
    # effectsize computes x − y; here the change is post − pre, so pre = extra_2, post = extra_1.
    r = verdicts.d_av(SLEEP_2, SLEEP_1).iloc[0]
    assert round(r["d_av"], 2) == -0.76
    assert round(r["ci_low"], 2) == -1.13 and round(r["ci_high"], 2) == -0.39
    assert round(r["d_av_uncorrected"], 2) == -0.83
    assert "Algina & Keselman 2003" in r["ci_method"]
    # the sign follows the change: post − pre the other way round mirrors the interval
    m = verdicts.d_av(SLEEP_1, SLEEP_2).iloc[0]
    assert m["d_av"] == pytest.approx(-r["d_av"]) and m["ci_low"] == pytest.approx(-r["ci_high"])


def test_d_av_is_the_hedges_corrected_mean_change_over_the_root_mean_variance():
    # the formula written out: d = mean(d_i) / √((s²pre + s²post)/2), SE = (s_d/√n)/s_av, × J(n−1)
    pre, post = np.array(SLEEP_2), np.array(SLEEP_1)
    s_av = math.sqrt((pre.var(ddof=1) + post.var(ddof=1)) / 2)
    d = (post - pre).mean() / s_av
    se = (post - pre).std(ddof=1) / math.sqrt(10) / s_av
    j = float(stats.hedges_j(9))
    r = verdicts.d_av(pre, post).iloc[0]
    assert r["d_av"] == pytest.approx(j * d, rel=1e-12)
    assert r["ci_low"] == pytest.approx(j * (d - 1.959963984540054 * se), rel=1e-12)
    # fewer than 3 pairs: J is undefined, so no d_av
    assert math.isnan(verdicts.d_av([1, 2], [2, 4]).iloc[0]["d_av"])


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(0.2, "medium_large"),  # lower bound 0.39 ≥ 0.2
     (0.5, "undetermined"),  # 0.39 < 0.5 ≤ 1.13: the interval reaches across the threshold
     (1.2, "small")],  # the whole interval [0.39, 1.13] lies below 1.2
)
def test_three_magnitude_outcomes_on_the_published_interval(threshold, expected):
    # the published interval, as an improvement: d_av = 0.76 [0.39, 1.13] (pre = extra_1)
    r = verdicts.d_av(SLEEP_1, SLEEP_2).iloc[0]
    assert (round(r["ci_low"], 2), round(r["ci_high"], 2)) == (0.39, 1.13)
    assert verdicts.magnitude_codes([r["ci_low"]], [r["ci_high"]], threshold)[0] == expected


def test_magnitude_of_a_decline_and_of_a_missing_interval():
    # the published interval as a decline: [-1.13, -0.39] ≤ −0.2 → "decline"; a small interval
    # that reaches −0.2 is not "small" but undetermined
    assert list(verdicts.magnitude_codes([-1.13, -0.25, -0.1, np.nan], [-0.39, 0.1, 0.15, np.nan], 0.2)) == [
        "decline", "undetermined", "small", "not_estimable"]


# ------------------------------------------------------------------------------------------
# Level 2: Holm family count, verdicts, pass rate, MDE
# ------------------------------------------------------------------------------------------


def _three_programmes() -> pd.DataFrame:
    pre_big = np.tile([40.0, 60.0, 40.0, 60.0], 100)  # 400 people, SD ≈ 10
    diff_big = np.tile([-1.0, 3.0, 3.0, -1.0], 100)  # mean 1, SD ≈ 2: t ≈ 10, d_av ≈ 0.1
    return _l2({
        "BIG": (pre_big.tolist(), (pre_big + diff_big).tolist()),  # significant but small
        "MID": ([40, 50, 60, 55, 45, 42, 58, 48], [50, 58, 72, 64, 56, 52, 65, 61]),  # significant, CI above 0.2
        "WIDE": ([50, 60, 40, 55], [50, 62, 44, 65]),  # n = 4, not significant, wide CI
        "ONE": ([50], [60]),  # one pair: no test
        "TWO": ([50, 40], [60, 48]),  # two pairs: tested, no d_av
    })


def test_holm_family_count_is_the_programmes_with_a_test():
    r = ev.level2(_three_programmes(), method="t", strict=False).set_index("program_id")
    c = verdicts.holm_counts(r.reset_index())
    # 5 programmes evaluated, 4 with a p-value (ONE has none): the Holm family has 4 members
    assert c == {"evaluated": 5, "tested": 4, "up": 2, "down": 0, "not_tested": 1}
    assert r["p_adjust_m"].eq(4).all()
    tested = r["p_val"].notna()
    np.testing.assert_allclose(r.loc[tested, "p_adj"], stats.adjust_pvalues(r.loc[tested, "p_val"].to_numpy(),
                                                                             method="holm"))
    s = load_settings()
    from workbook.evaluation.report import _l2_summary

    class _Res:  # the summary reads only these fields
        level2 = r.reset_index()
        ctx = type("C", (), {"lang": "id", "settings": s})()
    text = "\n".join(_l2_summary(_Res()))
    assert "2 dari 4 program yang diuji naik signifikan secara statistik (p terkoreksi Holm < 0,05" in text
    assert "5 program dievaluasi, 1 di antaranya tanpa uji" in text
    assert "bermakna" not in text


def test_verdicts_of_the_three_outcomes_and_their_words():
    r = ev.level2(_three_programmes(), method="t", strict=False).set_index("program_id")
    for pid in ("BIG", "MID", "WIDE"):  # the kernel equals the published-value function
        d = _three_programmes()
        d = d[d["program_id"] == pid]
        ref = verdicts.d_av(d["skor_pre"], d["skor_post"]).iloc[0]
        assert r.loc[pid, "d_av"] == pytest.approx(ref["d_av"], rel=1e-12)
        assert r.loc[pid, "d_av_ci_low"] == pytest.approx(ref["ci_low"], rel=1e-12)
    assert r.loc["BIG", "verdict"] == "up_small" and r.loc["BIG", "d_av_ci_high"] < 0.2
    assert r.loc["MID", "verdict"] == "up_medium_large" and r.loc["MID", "d_av_ci_low"] >= 0.2
    assert r.loc["WIDE", "verdict"] == "ns_undetermined"
    assert r.loc["ONE", "verdict"] == "not_tested"
    assert r.loc["TWO", "magnitude"] == "not_estimable" and r.loc["TWO", "verdict"] == "ns_undetermined"
    big = words.verdict_text(r.loc["BIG"], "id")
    assert big.startswith("Naik signifikan secara statistik tetapi kecil (p Holm < 0,001; d_av = 0,")
    assert "N-Gain 0,0" in big and "(rendah)" in big
    # the table's short form: the verdict words and the share not passed (numbers are in columns)
    short = words.verdict_text(r.loc["BIG"], "id", short=True)
    assert short.startswith("Naik signifikan secara statistik tetapi kecil; ") and "peserta belum lulus" in short
    assert "d_av" not in short and "N-Gain" not in short
    wide = words.verdict_text(r.loc["WIDE"], "id")
    assert wide.startswith("Tidak signifikan secara statistik; belum dapat disimpulkan (selang kepercayaan lebar)")
    # not significant: the MDE with its power and both α, unadjusted and Holm
    mde = f"{r.loc['WIDE', 'mde']:.2f}".replace(".", ",")
    mde_holm = f"{r.loc['WIDE', 'mde_holm']:.2f}".replace(".", ",")
    assert f"efek terkecil yang dapat dideteksi d_z = {mde} (daya 80 %, α = 0,05 tanpa koreksi; {mde_holm} dengan " \
           "koreksi Holm)" in wide
    assert words.verdict_text(r.loc["MID"], "en").startswith(
        "Rose, statistically significant, with a medium/large effect (Holm p < 0.001; d_av = 1.21, 95 % CI ")
    for code in r["verdict"]:
        assert "bermakna" not in words.text("evaluation.verdict", code, "id", reason="x")


def test_mde_at_the_holm_threshold_has_the_stated_power():
    r = ev.level2(_three_programmes(), method="t", strict=False).set_index("program_id")
    m = int(r["p_adjust_m"].iloc[0])
    # MDE at α/m (Holm's first step = Bonferroni): power 0.8 at that α; larger than unadjusted
    w = r.loc["WIDE"]
    assert stats.power_paired_t(w["mde_holm"], 4, alpha=0.05 / m, strict=False) == pytest.approx(0.8, abs=1e-6)
    assert stats.power_paired_t(w["mde"], 4, alpha=0.05, strict=False) == pytest.approx(0.8, abs=1e-6)
    assert w["mde_holm"] > w["mde"] and w["mde_power"] == 0.8 and w["mde_alpha"] == 0.05


def test_pass_rate_counts_post_tests_at_or_above_the_pass_mark():
    # pass mark 70 % of the maximum 80 = 56: post scores 56 (pass), 55, 60 (pass), 40 → 2 of 4
    l2 = _l2({"P": ([30, 35, 40, 20], [56, 55, 60, 40])}, max_score=80)
    r = ev.level2(l2, method="t").iloc[0]
    assert (r["n_post"], r["n_pass"], r["pass_rate"], r["passing_score_pct"]) == (4, 2, 0.5, 70)
    assert "50 % peserta belum lulus (post-test < 70 %)" in words.verdict_text(r, "id")
    r2 = ev.level2(l2, method="t", settings=load_settings(evaluation__passing_score_pct=50)).iloc[0]
    assert r2["pass_rate"] == 1.0 and "semua peserta lulus (post-test ≥ 50 %)" in words.verdict_text(r2, "id")


def test_verdicts_artefact_has_one_row_per_programme_with_codes_for_the_plan():
    r = ev.level2(_three_programmes(), method="t", strict=False)
    v = verdicts.verdicts_table(r)
    assert list(v.columns) == list(verdicts.VERDICT_COLUMNS)
    assert v["program_id"].tolist() == r["program_id"].tolist()
    assert set(v["verdict"]) <= set(verdicts.VERDICTS) and set(v["magnitude"]) <= set(verdicts.MAGNITUDES)
    assert not v["suppressed"].any()


# ------------------------------------------------------------------------------------------
# Cronbach's α: n < 10, a negative α, a reverse-keyed item
# ------------------------------------------------------------------------------------------


def _l1(fas: dict[str, list[int]], pid: str = "P1") -> pd.DataFrame:
    d = pd.DataFrame(fas)
    d.insert(0, "program_id", pid)
    return d


def test_alpha_is_not_computed_below_ten_respondents():
    l1 = _l1({"fas_1": [4, 3, 4, 2, 3, 4, 1, 2, 3], "fas_2": [4, 3, 4, 2, 3, 4, 2, 2, 3]})
    r = ev.level1(l1).iloc[0]
    assert r["alpha_n"] == 9 and math.isnan(r["cronbach_alpha"]) and r["reliability"] == "too_few"
    r10 = ev.level1(pd.concat([l1, _l1({"fas_1": [3], "fas_2": [3]})], ignore_index=True)).iloc[0]
    assert r10["alpha_n"] == 10 and not math.isnan(r10["cronbach_alpha"])


def test_negative_alpha_is_flagged_and_left_out_of_the_headline():
    # two items that move against each other: item variances 1.1 + 1.1, total constant-ish →
    # α = 2 × (1 − Σs²_i / s²_total) < 0
    a = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2]
    b = [4, 3, 2, 1, 4, 3, 2, 2, 4, 3]
    r = ev.level1(_l1({"fas_1": a, "fas_2": b})).iloc[0]
    items = pd.DataFrame({"a": a, "b": b})
    expect = 2 * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert r["cronbach_alpha"] == pytest.approx(expect) and expect < 0
    assert r["reliability"] == "inadequate" and not r["headline"]
    assert words.text("evaluation.reliability", r["reliability"], "id") == "reliabilitas tidak memadai"


def test_reverse_keyed_item_is_recoded_before_alpha_and_the_score():
    # fas_3 is worded negatively: a respondent who rates 4, 4 answers 1 on it. Unrecoded α is low;
    # recoded (1 + 4 − x) the three items agree.
    f1 = [4, 3, 4, 2, 3, 4, 1, 2, 3, 4]
    f2 = [4, 3, 3, 2, 3, 4, 1, 2, 4, 4]
    f3 = [1, 2, 1, 3, 2, 1, 4, 3, 2, 1]
    l1 = _l1({"fas_1": f1, "fas_2": f2, "fas_3": f3})
    raw = ev.level1(l1).iloc[0]
    rec = ev.level1(l1, settings=load_settings(evaluation__l1_reverse_items=["fas_3"])).iloc[0]
    items = pd.DataFrame({"a": f1, "b": f2, "c": [5 - x for x in f3]})
    k = 3
    expect = k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert rec["cronbach_alpha"] == pytest.approx(expect) and rec["reliability"] == "adequate"
    assert raw["cronbach_alpha"] < 0.6 and raw["reliability"] == "inadequate"
    assert rec["pct_of_max"] == pytest.approx(items.to_numpy().sum() / (30 * 4) * 100)


# ------------------------------------------------------------------------------------------
# Level 3 and contradictions
# ------------------------------------------------------------------------------------------


def test_conflicts_between_levels_and_interviews():
    l2 = pd.DataFrame({"program_id": ["A", "B", "C", "D"],
                       "verdict": ["ns_undetermined", "up_medium_large", "up_small", "up_medium_large"]})
    l3 = pd.DataFrame({"program_id": ["A", "B", "C", "D"], "status": ["selesai"] * 3 + ["menunggu"],
                       "d_av": [0.48, 0.05, 0.9, np.nan]})
    ww = pd.DataFrame({"program_id": ["A"] * 4 + ["C"] * 2,
                       "tema": ["tidak_diterapkan", "tidak_diterapkan", "sarana", "tidak_diterapkan",
                                "penerapan", "penerapan"]})
    c = verdicts.level_conflicts(l2, l3, ww, 0.2).set_index("program_id")
    # A: ratings rose, L2 did not, 3 of 4 interviews "not applied"
    assert c.loc["A", "conflict"] == "l3_up_l2_not_interviews_not"
    assert (c.loc["A", "interviews_n"], c.loc["A", "interviews_not_applied"]) == (4, 3)
    assert c.loc["B", "conflict"] == "l2_up_l3_not"  # test rose, ratings did not
    assert c.loc["C", "conflict"] == "none"  # both rose, interviews agree
    assert c.loc["D", "conflict"] == "none"  # L3 pending
    txt = words.text("evaluation.conflict", "l3_up_l2_not_interviews_not", "id", prog="A", l3="0,48",
                     n_int=4, n_not=3)
    assert "3 dari 4 wawancara" in txt and "bias ekspektasi" in txt


def test_level3_reports_scale_raters_and_means():
    rows = []
    for i, (b, a) in enumerate([(2, 3), (3, 4), (2, 4)]):
        for tahap, v, tgl in (("sebelum", b, "2026-01-10"), ("sesudah", a, "2026-06-10")):
            rows.append({"pegawai_id": f"E{i}", "program_id": "P", "peran_penilai": "Atasan", "tahap": tahap,
                         "tanggal": tgl, "indikator": "I1", "rating": v})
    r = ev.level3(pd.DataFrame(rows), today="2026-12-31").iloc[0]
    assert (r["scale_min"], r["scale_max"]) == (1, 5) and r["rater_roles"] == "atasan"
    assert r["mean_before"] == pytest.approx(7 / 3) and r["mean_after"] == pytest.approx(11 / 3)
    ref = verdicts.d_av([2, 3, 2], [3, 4, 4]).iloc[0]
    assert r["d_av"] == pytest.approx(ref["d_av"]) and r["magnitude"] in verdicts.MAGNITUDES


# ------------------------------------------------------------------------------------------
# E-learning JP count only when completed or certified
# ------------------------------------------------------------------------------------------


def test_elearning_jp_count_only_when_completed_and_absence_is_said():
    from workbook.evaluation import realisation

    peg = pd.DataFrame({"pegawai_id": ["A", "B"], "kode_unit": ["U", "U"], "status": ["PNS", "PNS"]})
    kat = pd.DataFrame({"program_id": ["EL", "KL"], "bentuk": ["e_learning", "pelatihan_teknis"]})
    rz = pd.DataFrame({"pegawai_id": ["A", "A", "B"], "program_id": ["EL", "KL", "EL"],
                       "tanggal_mulai": ["2026-03-01"] * 3, "jp": [12.0, 10.0, 20.0],
                       "status_penyelesaian": ["terdaftar", "terdaftar", "bersertifikat"]})
    jp = realisation.jp_realisation(rz, peg, year=2026, katalog=kat).set_index("pegawai_id")
    # A: the e-learning row is only registered (12 JP not counted); the classroom row counts
    assert jp.loc["A", "jp_total"] == 10 and jp.loc["B", "jp_total"] == 20 and jp.loc["B", "reached"]
    e = realisation.elearning_summary(rz, kat, year=2026)
    assert (e["status_column"], e["rows"], e["jp"], e["rows_not_counted"], e["jp_not_counted"]) == (
        True, 2, 32.0, 1, 12.0)
    # without the status column every row counts, and the summary says the column is absent
    no_status = rz.drop(columns="status_penyelesaian")
    assert realisation.jp_realisation(no_status, peg, year=2026, katalog=kat).set_index("pegawai_id").loc[
        "A", "jp_total"] == 22
    assert realisation.elearning_summary(no_status, kat, year=2026)["status_column"] is False
    from workbook.core.i18n import t
    txt = t("evaluation.summary.elearning_absent", "id", jp="32", rows="2")
    assert "tidak memuat status penyelesaian" in txt and "status_penyelesaian" not in txt
