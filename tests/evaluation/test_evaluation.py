"""Tests of workbook.evaluation.levels (Kirkpatrick levels 1–4).

Oracles: hand arithmetic with the documented formula (written out in the comments), published
values (pingouin's documented Cronbach's alpha, the worked interval-class example of the
Indonesian L1 reports [S44]), and independent re-computation (Holm's step-down procedure
written out here, not imported).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from workbook.core import stats
from workbook.core.exceptions import DataError
from workbook.core.settings import load_settings
from workbook.evaluation import l1_reaction, words
from workbook.evaluation import levels as ev


def _l2(
    programmes: dict[str, tuple[list[float], list[float]]], max_score: float = 100
) -> pd.DataFrame:
    rows = []
    for pid, (pre, post) in programmes.items():
        for i, (a, b) in enumerate(zip(pre, post, strict=True)):
            rows.append(
                {
                    "pegawai_id": f"{pid}-{i:03d}",
                    "program_id": pid,
                    "skor_pre": a,
                    "skor_post": b,
                    "skor_maks": max_score,
                }
            )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------
# re-exports
# ------------------------------------------------------------------------------------------


def test_stats_functions_are_reexported():
    for name in (
        "paired_prepost",
        "effect_sizes",
        "adjust_pvalues",
        "normalized_gain",
        "reliable_change_index",
        "cronbach_alpha",
        "min_detectable_effect",
        "ceiling_warning",
        "prepost_by_group",
    ):
        assert name in ev.__all__
        assert getattr(ev, name) is getattr(stats, name)


# ------------------------------------------------------------------------------------------
# Level 1
# ------------------------------------------------------------------------------------------


def test_l1_class_table_worked_example_11_items_1_to_5():
    # [S44]: 11 items on 1–5 → totals 11–55; interval = (55 − 11) / 5 = 8.8
    # Buruk 11–19.8, Agak buruk 19.8–28.6, Sedang 28.6–37.4, Baik 37.4–46.2, Baik sekali 46.2–55
    s = load_settings(evaluation__l1_scale=[1, 5])
    t = ev.l1_class_table(11, settings=s)
    assert t["category"].tolist() == ["Buruk", "Agak buruk", "Sedang", "Baik", "Baik sekali"]
    assert t["interval"].tolist() == pytest.approx([8.8] * 5)
    assert t["total_low"].tolist() == pytest.approx([11, 19.8, 28.6, 37.4, 46.2])
    assert t["total_high"].tolist() == pytest.approx([19.8, 28.6, 37.4, 46.2, 55])
    # the same bounds as a mean item score: 1 + j · 0.8
    assert t["mean_low"].tolist() == pytest.approx([1.0, 1.8, 2.6, 3.4, 4.2])


def test_l1_interval_class_boundaries_are_lower_inclusive():
    # totals on the 11-item, 1–5 scale; lower bound inclusive, top class closed at 55
    totals = np.array([11.0, 19.79, 19.8, 28.6, 37.39, 46.2, 55.0])
    idx = l1_reaction._interval_class(totals, np.full(7, 11.0), np.full(7, 55.0), 5)
    assert idx.tolist() == [0, 0, 1, 2, 2, 4, 4]


def test_level1_percent_class_and_alpha_on_hand_toy():
    l1 = pd.DataFrame(
        {
            "program_id": ["P1", "P1", "P1"],
            "responden_id": ["r1", "r2", "r3"],
            "fas_1": [4, 3, 4],
            "fas_2": [3, 3, 4],
            "fas_3": [4, 2, 4],
            "pen_1": [2, None, 3],
            "rekomendasi": ["ya", "Tidak ", None],
        }
    )
    r = ev.level1(l1).set_index("aspect")
    fas = r.loc["fasilitator"]
    # Σ = (4+3+4) + (3+3+2) + (4+4+4) = 11 + 8 + 12 = 31; 9 answers on 1–4
    # % of max = 31 / (9 × 4) × 100 = 86.11 ; mean = 31 / 9 = 3.444
    assert fas["pct_of_max"] == pytest.approx(31 / 36 * 100)
    assert fas["mean"] == pytest.approx(31 / 9)
    assert fas["n"] == 3 and fas["n_items"] == 3
    # totals 3–12, interval (12 − 3) / 5 = 1.8 → Baik sekali is [10.2, 12]; mean total 10.33
    assert fas["interval"] == pytest.approx(1.8)
    assert fas["mean_total"] == pytest.approx(31 / 3)
    assert fas["category"] == "Baik sekali" and "category_en" not in r.columns
    assert words.words(r, "category", "en").loc["fasilitator"] == "Very good"
    # alpha is not computed for 3 respondents (evaluation.alpha_min_n = 10) ...
    assert math.isnan(fas["cronbach_alpha"]) and fas["reliability"] == "too_few"
    assert not fas["headline"]
    # ... and with the minimum lowered to 2: item variances 1/3, 1/3, 4/3 (Σ = 2); totals 11, 8,
    # 12 have variance 13/3; α = 3/2 × (1 − 2 / (13/3)) = 3/2 × 7/13 = 21/26 ≥ 0.6: adequate
    low = ev.level1(l1, settings=load_settings(evaluation__alpha_min_n=2)).set_index("aspect")
    assert low.loc["fasilitator", "cronbach_alpha"] == pytest.approx(21 / 26)
    assert low.loc["fasilitator", "reliability"] == "adequate" and low.loc["fasilitator", "headline"]
    pen = r.loc["penyelenggara"]
    # 2 answers: (2 + 3) / (2 × 4) × 100 = 62.5; totals 1–4, interval 0.6: Sedang = [2.2, 2.8)
    assert pen["pct_of_max"] == pytest.approx(62.5)
    assert pen["n"] == 2
    assert pen["category"] == "Sedang"
    assert math.isnan(pen["cronbach_alpha"])  # one item: alpha undefined
    # recommendation: "ya", "tidak" answered (blank ignored) → 1/2
    assert fas["share_recommend"] == pytest.approx(0.5) and fas["n_recommend"] == 2


def test_level1_alpha_matches_pingouin_documented_example():
    # pingouin docs (cronbach_alpha): data = pg.read_dataset('cronbach_wide_missing')
    # pg.cronbach_alpha(data=data, nan_policy='listwise') → (0.8016949152542373, …)
    # Verified: pingouin/reliability.py, cronbach_alpha docstring ("After listwise deletion ...
    # In R: psych:alpha(data, use="complete.obs")" → (0.8016949152542373, array([0.581, 0.933]))).
    # The 0/1 items are shifted to 1/2 to fit the 1–4 scale: alpha is invariant to adding a
    # constant to every item (variances unchanged).
    data = pg.read_dataset("cronbach_wide_missing")
    l1 = pd.DataFrame({f"fas_{i + 1}": data[c] + 1 for i, c in enumerate(data.columns)})
    l1.insert(0, "program_id", "P1")
    r = ev.level1(l1, settings=load_settings(evaluation__alpha_min_n=9))
    fas = r.loc[r["aspect"] == "fasilitator"].iloc[0]
    assert fas["cronbach_alpha"] == pytest.approx(0.8016949152542373, rel=1e-12)
    assert fas["alpha_n"] == 9


def test_level1_score_outside_scale_is_refused_with_location():
    l1 = pd.DataFrame({"program_id": ["P1", "P1"], "fas_1": [4, 3], "fas_2": [3, 5]})
    with pytest.raises(DataError) as exc:
        ev.level1(l1)  # default scale 1–4: the 5 in row 3 of the sheet is invalid
    e = exc.value
    assert e.column == "fas_2" and e.row == 3
    assert "di luar rentang 1–4" in e.message_id and "outside the range 1–4" in e.message_en


# ------------------------------------------------------------------------------------------
# Level 2
# ------------------------------------------------------------------------------------------


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm (1979) step-down, written out: sort, multiply by (m − rank + 1), running max, cap 1."""
    m = len(p)
    order = np.argsort(p)
    adj = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, (m - rank) * p[i])
        adj[i] = min(1.0, running)
    return adj


def test_level2_holm_family_is_all_programmes_of_the_year():
    rng = np.random.default_rng(7)
    progs = {}
    for pid, n, gain in (("P1", 12, 12), ("P2", 9, 3), ("P3", 15, 6), ("P4", 6, 1)):
        pre = rng.integers(30, 70, n).astype(float)
        progs[pid] = (pre.tolist(), np.clip(pre + gain + rng.normal(0, 6, n), 0, 100).tolist())
    r = ev.level2(_l2(progs))
    assert r["program_id"].tolist() == ["P1", "P2", "P3", "P4"]
    p = r["p_val"].to_numpy()
    np.testing.assert_allclose(r["p_adj"].to_numpy(), ev.adjust_pvalues(p, method="holm"))
    np.testing.assert_allclose(r["p_adj"].to_numpy(), _holm(p))
    assert r["p_adjust_family"].eq("l2_year").all() and r["p_adjust_m"].eq(4).all()
    assert words.words(r, "p_adjust_family", "id").str.contains("semua 4 uji L2 tahun ini").all()
    assert words.words(r, "p_adjust_family", "en").str.contains("all 4 L2 tests of the year").all()


def test_level2_ceiling_flag():
    # mean pre = (92 + 95 + 91 + 94) / 4 = 93 % ≥ 90 % → ceiling
    progs = {"HI": ([92, 95, 91, 94], [96, 97, 95, 99]), "LO": ([40, 50, 45, 55], [60, 65, 70, 62])}
    r = ev.level2(_l2(progs)).set_index("program_id")
    assert bool(r.loc["HI", "ceiling"]) and not bool(r.loc["LO", "ceiling"])
    assert r["ceiling_limit_pct"].eq(90).all()
    assert "Efek plafon" in words.verdict_text(r.loc["HI"], "id")
    assert "Ceiling effect" in words.verdict_text(r.loc["HI"], "en")


def test_level2_post_without_pre_is_refused():
    l2 = _l2({"P1": ([50, 60, 70], [60, 70, 80])})
    l2.loc[1, "skor_pre"] = np.nan
    with pytest.raises(DataError) as exc:
        ev.level2(l2)
    e = exc.value
    assert "post-test tanpa pre-test" in e.message_id and "no pre-test" in e.message_en
    assert "P1-001" in e.message_id and e.row == 3
    # non-strict: the row is left out of the test and counted
    r = ev.level2(l2, strict=False).iloc[0]
    assert r["n"] == 2 and r["n_dropped"] == 1


def test_level2_score_above_maximum_is_refused():
    l2 = _l2({"P1": ([50, 60, 70], [60, 105, 80])})
    with pytest.raises(DataError) as exc:
        ev.level2(l2)
    assert exc.value.column == "skor_post" and exc.value.row == 3
    assert "di luar rentang 0–100" in exc.value.message_id
    assert "outside the range 0–100" in exc.value.message_en


def test_level2_single_participant_is_refused_not_tested():
    l2 = _l2({"P1": ([50, 60, 70], [60, 65, 80]), "P2": ([40], [90])})
    with pytest.raises(DataError) as exc:
        ev.level2(l2)
    assert "P2 (n = 1)" in exc.value.message_id and "P2 (n = 1)" in exc.value.message_en
    r = ev.level2(l2, strict=False).set_index("program_id")
    assert math.isnan(r.loc["P2", "p_val"]) and math.isnan(r.loc["P2", "p_adj"])
    assert r.loc["P2", "verdict"] == "not_tested" and r.loc["P2", "method_reason"] == "too_few"
    assert words.verdict_text(r.loc["P2"], "id") == (
        "Tidak dapat diuji: Kurang dari 2 pasangan lengkap: uji tidak dapat dihitung.")
    # the family holds only the tested programme: p_adj = p_val for P1
    assert r.loc["P1", "p_adj"] == pytest.approx(r.loc["P1", "p_val"])


def test_level2_duplicate_participant_is_refused():
    l2 = _l2({"P1": ([50, 60, 70], [60, 65, 80])})
    l2.loc[2, "pegawai_id"] = "P1-000"
    with pytest.raises(DataError, match="lebih dari sekali"):
        ev.level2(l2)


def test_level2_pairs_and_forest_data():
    l2 = _l2({"P1": ([40, 50, 44], [60, 55, 70]), "P2": ([30, 35, 45], [60, 70, 66])}, max_score=80)
    pairs = ev.level2_pairs(l2, "P1")
    assert pairs["tahap"].tolist() == ["pre", "post"] * 3
    # score / 80 × 100
    assert pairs["skor_pct"].tolist() == pytest.approx([50.0, 75.0, 62.5, 68.75, 55.0, 87.5])
    assert pairs["change"].tolist() == [20, 20, 5, 5, 26, 26]
    with pytest.raises(DataError):
        ev.level2_pairs(l2, "PX")
    res = ev.level2(l2)
    fd = ev.forest_data(res)
    assert fd["estimate"].is_monotonic_decreasing
    assert set(fd["program_id"]) == {"P1", "P2"}
    assert (fd["threshold"] == 0.2).all() and (fd["effect_type"] == "d_av").all()
    assert (fd["ci_low"] <= fd["estimate"]).all() and (fd["estimate"] <= fd["ci_high"]).all()


# ------------------------------------------------------------------------------------------
# reliable change
# ------------------------------------------------------------------------------------------


def test_reliable_change_with_known_reliability():
    # pre 40, 50, 60: s1 = 10; r = 0.8: SE = 10·√0.2 = 4.4721; S_diff = √2 · SE = 6.3246
    # RCI = 10/6.3246 = 1.581, 20/6.3246 = 3.162, 0 → only the second exceeds 1.96
    l2 = _l2({"P1": ([40, 50, 60], [50, 70, 60])})
    r = ev.reliable_change(l2, reliability=0.8)
    assert r["rci"].tolist() == pytest.approx([1.5811388, 3.1622777, 0.0], rel=1e-6)
    assert r["reliable_improvement"].tolist() == [False, True, False]
    assert (r["reliability_source"] == "parameter").all()
    assert r.attrs["skipped"] == [] and r.attrs["message_id"] == ""


def test_reliable_change_from_item_scores_and_skipped_without():
    l2 = _l2({"P1": ([40, 50, 60, 55], [50, 70, 60, 65]), "P2": ([40, 50], [45, 60])})
    items = pd.DataFrame(
        {
            "pegawai_id": ["a", "b", "c", "d"],
            "program_id": "P1",
            "tahap": "pre",
            "butir_1": [1, 0, 1, 1],
            "butir_2": [1, 0, 1, 0],
            "butir_3": [1, 0, 0, 1],
        }
    )
    r = ev.reliable_change(l2, butir=items)
    alpha = ev.cronbach_alpha(items[["butir_1", "butir_2", "butir_3"]])["alpha"].iloc[0]
    p1 = r.loc[r["program_id"] == "P1"]
    assert (p1["reliability_source"] == "butir").all()
    assert p1["reliability"].iloc[0] == pytest.approx(alpha)
    assert p1["rci"].notna().all()
    p2 = r.loc[r["program_id"] == "P2"]
    assert p2["rci"].isna().all() and (p2["reliability_source"] == "tidak_tersedia").all()
    assert r.attrs["skipped"] == ["P2"]
    assert "P2" in r.attrs["message_id"] and "reliabilitas" in r.attrs["message_id"]
    assert "reliability" in r.attrs["message_en"]


# ------------------------------------------------------------------------------------------
# Level 3
# ------------------------------------------------------------------------------------------


def _l3_rows(pid, people, phase, date, ratings):
    rows = []
    for i, p in enumerate(people):
        for ind, val in ratings[i].items():
            for role, v in (val if isinstance(val, dict) else {"atasan": val}).items():
                rows.append(
                    {
                        "pegawai_id": p,
                        "program_id": pid,
                        "peran_penilai": role,
                        "tahap": phase,
                        "tanggal": date,
                        "indikator": ind,
                        "rating": v,
                    }
                )
    return rows


def test_level3_scores_average_raters_then_indicators():
    # indicator a: atasan 2, rekan 4 → 3; indicator b: atasan 5 → person score (3 + 5)/2 = 4
    # (a plain mean of the three ratings would be 11/3)
    l3 = pd.DataFrame(
        _l3_rows("P1", ["X"], "sebelum", "2026-01-05", [{"a": {"atasan": 2, "rekan": 4}, "b": 5}])
    )
    s = ev.level3_scores(l3).iloc[0]
    assert s["skor_sebelum"] == pytest.approx(4.0)
    assert s["n_indikator_sebelum"] == 2 and s["n_penilai_sebelum"] == 2
    assert math.isnan(s["skor_sesudah"])


def test_level3_pending_status():
    people = ["A", "B", "C", "D"]
    before = [{"a": 2, "b": 3}, {"a": 3, "b": 2}, {"a": 2, "b": 2}, {"a": 3, "b": 3}]
    after = [{"a": 4, "b": 4}, {"a": 4, "b": 3}, {"a": 3, "b": 4}, {"a": 5, "b": 4}]
    rows = (
        # OLD: programme 2026-02-01, rated after on 2026-06-15; today 2026-08-01 → finished
        _l3_rows("OLD", people, "sebelum", "2026-01-20", before)
        + _l3_rows("OLD", people, "sesudah", "2026-06-15", after)
        # NEW: programme 2026-06-01; today 2026-08-01 is before the due date 2026-09-01
        + _l3_rows("NEW", people, "sebelum", "2026-05-20", before)
        + _l3_rows("NEW", people, "sesudah", "2026-07-25", after)
        # NONE: no 'sesudah' rows at all
        + _l3_rows("NONE", people, "sebelum", "2025-12-01", before)
    )
    real = pd.DataFrame(
        {
            "pegawai_id": ["A", "A", "A"],
            "program_id": ["OLD", "NEW", "NONE"],
            "tanggal_mulai": ["2026-02-01", "2026-06-01", "2025-12-10"],
            "jp": [24, 24, 24],
        }
    )
    r = ev.level3(pd.DataFrame(rows), real, today="2026-08-01").set_index("program_id")
    assert r.loc["OLD", "status"] == "selesai"
    assert r.loc["NEW", "status"] == "menunggu" and r.loc["NONE", "status"] == "menunggu"
    assert r.loc["NEW", "due_date"] == pd.Timestamp("2026-09-01")
    assert r.loc["NEW", "status_reason"] == "too_early"
    assert r.loc["NONE", "status_reason"] == "no_after"
    reasons = words.words(r, "status_reason", "id")
    assert "2026-09-01" in reasons["NEW"] and "Belum 3 bulan" in reasons["NEW"]
    assert "Belum ada penilaian 'sesudah'" in reasons["NONE"]
    # only the finished programme is tested: mean_diff = mean(after) − mean(before)
    # before per person 2.5, 2.5, 2, 3 (mean 2.5); after 4, 3.5, 3.5, 4.5 (mean 3.875)
    assert r.loc["OLD", "mean_diff"] == pytest.approx(3.875 - 2.5)
    assert r.loc["OLD", "n"] == 4
    assert math.isnan(r.loc["NEW", "p_val"]) and not r.loc["NEW", "significant"]
    # one finished test → Holm leaves it unchanged
    assert r.loc["OLD", "p_adj"] == pytest.approx(r.loc["OLD", "p_val"])
    # the same data one month later: NEW is due
    later = ev.level3(pd.DataFrame(rows), real, today="2026-09-01").set_index("program_id")
    assert later.loc["NEW", "status"] == "selesai" and bool(later.loc["NEW", "early_measurement"])


def test_level3_bad_phase_is_refused():
    l3 = pd.DataFrame(_l3_rows("P1", ["A"], "setelah", "2026-01-05", [{"a": 3}]))
    with pytest.raises(DataError) as exc:
        ev.level3(l3)
    assert exc.value.column == "tahap" and "sebelum" in exc.value.message_en


# ------------------------------------------------------------------------------------------
# Level 4
# ------------------------------------------------------------------------------------------


def test_level4_direction_and_trained_flag():
    ind = pd.DataFrame(
        {
            "kode_unit": ["U1", "U1", "U1", "U1", "U2", "U2", "U2"],
            "indikator": ["IKM", "IKM", "Waktu", "Waktu", "Waktu", "Waktu", "Aduan"],
            "periode": [
                "sebelum",
                "sesudah",
                "sebelum",
                "sesudah",
                "sebelum",
                "sesudah",
                "sebelum",
            ],
            "nilai": [80, 85, 10, 12, 10, 8, 4],
            "arah_baik": ["naik", "naik", "turun", "turun", "Turun", "turun", "turun"],
            "program_id": ["P1", None, "", None, None, None, None],
        }
    )
    r = ev.level4(ind).set_index(["kode_unit", "indikator"])
    # naik 80 → 85: +5 improved; turun 10 → 12: +2 is worse; turun 10 → 8: −2 is better
    assert bool(r.loc[("U1", "IKM"), "improved"])
    assert not bool(r.loc[("U1", "Waktu"), "improved"])
    assert bool(r.loc[("U2", "Waktu"), "improved"])
    assert r.loc[("U1", "Waktu"), "change_toward_better"] == -2
    assert r.loc[("U2", "Waktu"), "change_pct"] == pytest.approx(-20.0)
    assert pd.isna(r.loc[("U2", "Aduan"), "improved"])  # no 'sesudah' value
    # the agency's link, not participation (no realisasi given: trained is unknown)
    assert r.loc[("U1", "IKM"), "linked"] and not r.loc[("U2", "Waktu"), "linked"]
    assert r["trained"].isna().all()
    assert (r["note"] == "descriptive").all() and "note_en" not in r.columns
    assert "comparison group" in words.words(r, "l4_note", "en").iloc[0]


def test_level4_inconsistent_direction_and_duplicates_are_refused():
    base = {
        "kode_unit": ["U1", "U1"],
        "indikator": ["IKM", "IKM"],
        "periode": ["sebelum", "sesudah"],
        "nilai": [1, 2],
    }
    with pytest.raises(DataError, match="arah_baik"):
        ev.level4(pd.DataFrame({**base, "arah_baik": ["naik", "turun"]}))
    with pytest.raises(DataError, match="dua kali"):
        ev.level4(
            pd.DataFrame({**base, "periode": ["sebelum", "sebelum"], "arah_baik": ["naik", "naik"]})
        )


def test_level1_worked_example_scale_end_to_end():
    # 11 items on 1–5 (interval 8.8). Programme X: one respondent, 7 items at 4 and 4 at 3 →
    # total 28 + 12 = 40, in [37.4, 46.2) → Baik; % of max = 40 / 55 × 100 = 72.73.
    # Programme Y: five respondents with totals 46, 46, 46, 46, 47 → mean total 231/5 = 46.2,
    # exactly the lower bound of Baik sekali (lower bounds are inclusive).
    s = load_settings(evaluation__l1_scale=[1, 5])
    cols = [f"fas_{i}" for i in range(1, 12)]
    x = [[4] * 7 + [3] * 4]
    y = [[5] * 2 + [4] * 9] * 4 + [[5] * 3 + [4] * 8]  # 10 + 36 = 46; 15 + 32 = 47
    l1 = pd.DataFrame(x + y, columns=cols)
    l1.insert(0, "program_id", ["X"] + ["Y"] * 5)
    r = ev.level1(l1, settings=s).set_index("program_id")
    assert r.loc["X", "mean_total"] == pytest.approx(40.0)
    assert r.loc["X", "pct_of_max"] == pytest.approx(40 / 55 * 100)
    assert r.loc["X", "category"] == "Baik" and r.loc["X", "interval"] == pytest.approx(8.8)
    assert r.loc["Y", "mean_total"] == pytest.approx(46.2)
    assert r.loc["Y", "category"] == "Baik sekali" and r.loc["Y", "class_rank"] == 5
