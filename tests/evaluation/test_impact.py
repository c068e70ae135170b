"""Tests of workbook.evaluation.impact (difference in differences, Phillips ROI).

Oracles: hand arithmetic written out in the comments; scipy's two-sample t-tests
(``scipy.stats.ttest_ind`` with ``equal_var=False`` for Welch, ``True`` for the pooled /
Crawford–Howell single-case interval) as an independent implementation of the interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from workbook.core.exceptions import DataError
from workbook.evaluation import impact, words


def _ind(rows: list[tuple[str, str, float, float, str, str]]) -> pd.DataFrame:
    """(unit, indicator, before, after, arah_baik, program_id) → indikator_unit long form.

    These tests use the link-based treatments (``indikator``/``unit``) for the estimator's
    arithmetic; the participation-based default is tested in ``test_impact_did.py``."""
    out = []
    for unit, name, before, after, arah, prog in rows:
        for periode, v in (("sebelum", before), ("sesudah", after)):
            out.append(
                {
                    "kode_unit": unit,
                    "indikator": name,
                    "periode": periode,
                    "nilai": v,
                    "arah_baik": arah,
                    "program_id": prog,
                }
            )
    return pd.DataFrame(out)


TOY = _ind(
    [
        # indicator IKM (higher is better): trained A, B, C; untrained D, E
        ("A", "IKM", 70, 78, "naik", "PRG-1"),  # change +8
        ("B", "IKM", 60, 66, "naik", "PRG-1"),  # change +6
        ("C", "IKM", 75, 85, "naik", "PRG-2"),  # change +10
        ("D", "IKM", 72, 74, "naik", ""),  # change +2
        ("E", "IKM", 65, 68, "naik", ""),  # change +3
        # indicator Waktu (lower is better): trained A only; untrained D, E
        ("A", "Waktu", 10, 7, "turun", "PRG-1"),  # change −3
        ("D", "Waktu", 9, 9, "turun", ""),  # change 0
        ("E", "Waktu", 12, 11, "turun", ""),  # change −1
        # indicator Aduan: trained units only (no comparison group)
        ("A", "Aduan", 20, 15, "turun", "PRG-1"),
        ("B", "Aduan", 30, 26, "turun", "PRG-1"),
    ]
)


def test_did_hand_computed_and_welch_interval_matches_scipy():
    r = impact.did(TOY, treatment="indikator").set_index("indikator")
    ikm = r.loc["IKM"]
    # trained changes 8, 6, 10 → mean 8; untrained 2, 3 → mean 2.5; DiD = 8 − 2.5 = 5.5
    assert ikm["mean_change_trained"] == pytest.approx(8.0)
    assert ikm["mean_change_control"] == pytest.approx(2.5)
    assert ikm["did"] == pytest.approx(5.5)
    # Welch: s1² = ((0)²+(−2)²+(2)²)/2 = 4 → 4/3; s2² = ((−0.5)²+(0.5)²)/1 = 0.5 → 0.5/2 = 0.25
    # SE = √(4/3 + 1/4) = √(19/12) = 1.258306…
    assert ikm["se"] == pytest.approx(np.sqrt(19 / 12))
    # dof = (19/12)² / ((4/3)²/2 + 0.25²/1) = 2.50694… / 0.95139… = 2.63504…
    assert ikm["dof"] == pytest.approx((19 / 12) ** 2 / ((4 / 3) ** 2 / 2 + 0.25**2 / 1))
    assert ikm["method"] == "welch"
    # independent oracle: scipy's Welch test on the same unit-level changes
    ref = stats.ttest_ind([8, 6, 10], [2, 3], equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert ikm["ci_low"] == pytest.approx(ci.low) and ikm["ci_high"] == pytest.approx(ci.high)
    assert ikm["p_welch"] == pytest.approx(ref.pvalue) and ikm["statistic"] == pytest.approx(
        ref.statistic
    )
    assert ikm["n_trained"] == 3 and ikm["n_control"] == 2
    assert ikm["units_trained"] == "A;B;C" and ikm["units_control"] == "D;E"
    assert ikm["program_id"] == "PRG-1;PRG-2" and ikm["message"] == ""
    assert bool(ikm["favourable"])


def test_did_direction_lower_is_better_and_single_trained_unit():
    w = impact.did(TOY, treatment="indikator").set_index("indikator").loc["Waktu"]
    # trained A: −3; untrained D, E: 0, −1 → mean −0.5; DiD = −3 − (−0.5) = −2.5 (time fell more)
    assert w["did"] == pytest.approx(-2.5)
    # lower is better → toward better = +2.5, favourable
    assert w["did_toward_better"] == pytest.approx(2.5) and bool(w["favourable"])
    # one trained unit: pooled-variance t (Crawford & Howell 1998) = Student's t-test with n1 = 1
    # s² of controls = ((0.5)² + (−0.5)²)/1 = 0.5; SE = √(0.5 × (1 + 1/2)) = √0.75; dof = 1
    assert w["method"] == "pooled_single_case" and w["dof"] == 1
    assert w["se"] == pytest.approx(np.sqrt(0.75))
    ci = stats.ttest_ind([-3], [0, -1], equal_var=True).confidence_interval(0.95)
    assert w["ci_low"] == pytest.approx(ci.low) and w["ci_high"] == pytest.approx(ci.high)


def test_did_without_comparison_group_is_nan_with_message():
    a = impact.did(TOY, treatment="indikator").set_index("indikator").loc["Aduan"]
    assert np.isnan(a["did"]) and np.isnan(a["ci_low"]) and a["n_control"] == 0
    assert a["message"] == "no_comparison"
    assert "tidak dikaitkan dengan pelatihan" in words.text(words.DID_MESSAGES, a["message"], "id")
    assert "not attributed" in words.text(words.DID_MESSAGES, a["message"], "en")
    assert pd.isna(a["favourable"]) and pd.isna(a["significant"])
    # the trained units' own change is still reported (descriptive): (−5 + −4)/2 = −4.5
    assert a["mean_change_trained"] == pytest.approx(-4.5)


def test_did_treatment_unit_level_changes_the_comparison_group():
    # with treatment="unit", unit A is trained for every indicator it has; add an untrained-for-
    # this-indicator row of a unit that trained elsewhere: B on Waktu without programme.
    extra = _ind([("B", "Waktu", 8, 8, "turun", "")])
    ind = pd.concat([TOY, extra], ignore_index=True)
    by_ind = impact.did(ind, treatment="indikator").set_index("indikator").loc["Waktu"]
    by_unit = impact.did(ind, treatment="unit").set_index("indikator").loc["Waktu"]
    assert by_ind["n_control"] == 3 and by_unit["n_control"] == 2
    assert by_unit["n_trained"] == 2  # A and B (B trained on IKM/Aduan)
    # unit-level: trained A −3, B 0 → −1.5; control D 0, E −1 → −0.5; DiD = −1.0
    assert by_unit["did"] == pytest.approx(-1.0)


def test_did_one_unit_each_gives_point_estimate_only_and_refusals():
    ind = _ind([("A", "X", 1, 3, "naik", "P"), ("B", "X", 1, 2, "naik", "")])
    r = impact.did(ind, treatment="indikator").iloc[0]
    assert r["did"] == pytest.approx(1.0) and np.isnan(r["ci_low"]) and r["method"] == "none"
    assert r["message"] == "one_each"
    assert "satu unit" in words.text(words.DID_MESSAGES, r["message"], "id")
    bad = _ind([("A", "X", 1, 3, "naik", "P"), ("B", "X", 1, 2, "turun", "")])
    with pytest.raises(DataError, match="arah_baik"):
        impact.did(bad, treatment="indikator")
    with pytest.raises(DataError):
        impact.did(TOY, treatment="programme")
    with pytest.raises(DataError):
        impact.did(TOY.drop(columns="program_id"), treatment="indikator")
    with pytest.raises(DataError, match="realisasi_pengembangan"):
        impact.did(TOY)  # the default treatment (participation) needs realisasi and pegawai
    assert "Tren paralel" in words.did_assumptions("id")
    assert "Parallel trends" in words.did_assumptions("en")


def test_did_confidence_level_widens_interval():
    r90 = impact.did(TOY, treatment="indikator", confidence=0.90).set_index("indikator").loc["IKM"]
    r99 = impact.did(TOY, treatment="indikator", confidence=0.99).set_index("indikator").loc["IKM"]
    assert r99["ci_high"] - r99["ci_low"] > r90["ci_high"] - r90["ci_low"]
    ci = stats.ttest_ind([8, 6, 10], [2, 3], equal_var=False).confidence_interval(0.90)
    assert r90["ci_low"] == pytest.approx(ci.low)


# ------------------------------------------------------------------------------------------
# ROI (Phillips)
# ------------------------------------------------------------------------------------------


def test_roi_hand_computed_phillips_example():
    # Programme PRG-1, fully loaded costs: design 20 M + delivery 60 M + participants' time 40 M
    # = Rp 120 000 000.
    costs = pd.DataFrame(
        {
            "program_id": ["PRG-1"] * 3,
            "komponen": ["desain", "penyelenggaraan", "waktu_peserta"],
            "biaya": [20e6, 60e6, 40e6],
        }
    )
    benefits = pd.DataFrame(
        {
            "program_id": ["PRG-1"] * 4,
            "ukuran": ["jam_lembur", "berkas_salah", "keluhan", "kepuasan_kerja"],
            "perubahan": [2000.0, 300.0, 100.0, 5.0],
            "isolasi": ["estimasi", "pembanding", "tren", None],
            "kontribusi": [0.60, np.nan, np.nan, np.nan],
            "keyakinan": [0.80, np.nan, np.nan, np.nan],
            "perubahan_pembanding": [np.nan, 100.0, np.nan, np.nan],
            "proyeksi_tren": [np.nan, np.nan, 40.0, np.nan],
        }
    )
    conversion = pd.DataFrame(
        {
            "ukuran": ["jam_lembur", "berkas_salah", "keluhan"],
            "nilai_per_satuan": [50_000.0, 150_000.0, 400_000.0],
            "sumber": ["SBM lembur", "biaya koreksi", "biaya penanganan"],
        }
    )
    res = impact.roi(costs, benefits, conversion=conversion)
    lines = res.lines.set_index("ukuran")
    # estimate: 2000 h × 60 % attributed × 80 % confidence = 960 h × Rp 50 000 = Rp 48 000 000
    assert lines.loc["jam_lembur", "change_isolated"] == pytest.approx(960.0)
    assert lines.loc["jam_lembur", "benefit"] == pytest.approx(48e6)
    # comparison group: 300 − 100 = 200 files × Rp 150 000 = Rp 30 000 000
    assert lines.loc["berkas_salah", "benefit"] == pytest.approx(30e6)
    # trend line: 100 − 40 = 60 complaints × Rp 400 000 = Rp 24 000 000
    assert lines.loc["keluhan", "benefit"] == pytest.approx(24e6)
    # kepuasan_kerja has no conversion → intangible, not monetised
    assert list(res.intangibles["ukuran"]) == ["kepuasan_kerja"]
    s = res.summary.set_index("program_id").loc["PRG-1"]
    # benefits 48 + 30 + 24 = Rp 102 000 000; net = 102 − 120 = −18 M
    # ROI = −18/120 × 100 = −15 %; BCR = 102/120 = 0.85
    assert s["benefits"] == pytest.approx(102e6) and s["costs"] == pytest.approx(120e6)
    assert s["roi_pct"] == pytest.approx(-15.0) and s["bcr"] == pytest.approx(0.85)
    assert s["n_intangible"] == 1 and s["n_benefit_lines"] == 3
    assert res.total["roi_pct"] == pytest.approx(-15.0)


def test_roi_confidence_default_missing_data_and_refusals():
    costs = pd.DataFrame({"program_id": ["P"], "biaya": [10e6]})
    b = pd.DataFrame(
        {
            "program_id": ["P", "P"],
            "ukuran": ["jam", "jam"],
            "perubahan": [1000.0, np.nan],
            "kontribusi": [0.5, 0.5],
        }
    )
    # no keyakinan → confidence_discount 0.7: 1000 × 0.5 × 0.7 = 350 h × Rp 40 000 = Rp 14 000 000;
    # the row without data counts as no improvement (Phillips principle 6)
    r = impact.roi(
        costs, b, isolation="estimasi", confidence_discount=0.7, conversion={"jam": 40_000}
    )
    assert r.summary["benefits"].iloc[0] == pytest.approx(14e6)
    # ROI = (14 − 10)/10 × 100 = 40 %; BCR = 1.4
    assert r.summary["roi_pct"].iloc[0] == pytest.approx(40.0) and r.summary["bcr"].iloc[
        0
    ] == pytest.approx(1.4)
    assert r.lines["benefit"].iloc[1] == 0 and r.lines["note"].iloc[1] == "no_data"
    assert "tidak ada data" in words.words(r.lines, "roi_note", "id").iloc[1]
    with pytest.raises(DataError, match="keyakinan"):
        impact.roi(costs, b, isolation="estimasi", conversion={"jam": 40_000})
    with pytest.raises(DataError, match="isolasi"):
        impact.roi(costs, b, conversion={"jam": 40_000})  # no isolation method
    with pytest.raises(DataError, match="tanpa biaya"):
        impact.roi(
            costs.assign(program_id="Q"),
            b,
            isolation="estimasi",
            confidence_discount=0.7,
            conversion={"jam": 40_000},
        )
    with pytest.raises(DataError):
        impact.roi(
            costs,
            b.assign(kontribusi=1.5),
            isolation="estimasi",
            confidence_discount=0.7,
            conversion={"jam": 40_000},
        )


def test_trend_projection_least_squares():
    # points (1, 10), (2, 12), (3, 14): slope 2, intercept 8 → at t = 5: 18
    assert impact.trend_projection([1, 2, 3], [10, 12, 14], 5) == pytest.approx(18.0)
    with pytest.raises(DataError):
        impact.trend_projection([1], [10], 2)
