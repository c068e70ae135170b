"""The rules of issue #18 item 3 on crafted data: DiD treatment from participation (a linked but
untrained unit is a comparison unit), the permutation p-value across units, multiplicity,
process indicators out of Level 4, ROI with the estimates halved, and the merit ladder.

Oracles: hand enumeration of every treatment assignment (written out in the comments);
statsmodels OLS with unit and period fixed effects for the DiD estimate (Angrist & Pischke 2009,
§5.2: the DiD is the coefficient of trained × after); Holm's step-down by hand (Holm 1979);
Phillips' arithmetic by hand.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from workbook.core.settings import load_settings
from workbook.evaluation import impact, words
from workbook.evaluation import levels as ev
from workbook.evaluation import maturity as mat


def _ind(rows):
    """(unit, indicator, before, after, arah_baik, linked programme) → indikator_unit."""
    out = []
    for unit, name, before, after, arah, prog in rows:
        for periode, v in (("sebelum", before), ("sesudah", after)):
            out.append({"kode_unit": unit, "indikator": name, "periode": periode, "nilai": v,
                        "arah_baik": arah, "program_id": prog})
    return pd.DataFrame(out)


def _staff(counts: dict[str, int]) -> pd.DataFrame:
    """``pegawai``: ``counts[unit]`` employees per unit (ids U1-000 …)."""
    return pd.DataFrame([{"pegawai_id": f"{u}-{i:03d}", "kode_unit": u}
                         for u, n in counts.items() for i in range(n)])


def _attended(unit: str, n: int, prog: str, date: str = "2026-03-02") -> list[dict]:
    return [{"pegawai_id": f"{unit}-{i:03d}", "program_id": prog, "tanggal_mulai": date, "jp": 24.0}
            for i in range(n)]


# IKM is linked to P1 on U1, U2 and U3. Who attended P1 in 2026 (the evaluated year):
#   U1 6, U2 5 → trained (≥ did_min_peserta = 5);
#   U3 0 → linked but untrained: a COMPARISON unit (its 2025 attendance does not count);
#   U4 7 → trained although not linked (reported as a mismatch);
#   U5 0 in P1 (8 in P9, a programme not linked to IKM) → comparison;
#   U6 2 → fewer than 5 but not none: left out of both groups.
IND = _ind([
    ("U1", "IKM", 70, 78, "naik", "P1"),  # +8
    ("U2", "IKM", 60, 66, "naik", "P1"),  # +6
    ("U3", "IKM", 72, 73, "naik", "P1"),  # +1
    ("U4", "IKM", 75, 85, "naik", ""),  # +10
    ("U5", "IKM", 65, 68, "naik", ""),  # +3
    ("U6", "IKM", 64, 90, "naik", ""),  # +26 (excluded: it must not move the estimate)
    # a process indicator: the training's own output, never a Level 4 result
    ("U1", "Persentase PNS memenuhi 20 JP (%)", 50, 80, "naik", "P1"),
    ("U5", "Persentase PNS memenuhi 20 JP (%)", 50, 55, "naik", ""),
])
PEG = _staff({"U1": 20, "U2": 10, "U3": 10, "U4": 14, "U5": 10, "U6": 10})
REAL = pd.DataFrame(
    _attended("U1", 6, "P1") + _attended("U2", 5, "P1") + _attended("U3", 9, "P1", "2025-05-01")
    + _attended("U4", 7, "P1") + _attended("U5", 8, "P9") + _attended("U6", 2, "P1"))


def _run(**kw):
    return impact.did(IND, REAL, PEG, year=2026, **kw).set_index("indikator")


def test_linked_but_untrained_unit_is_a_comparison_unit_and_the_mismatch_is_reported():
    r = _run().loc["IKM"]
    assert r["treatment"] == "realisasi" and r["min_peserta"] == 5
    assert r["units_trained"] == "U1;U2;U4"
    assert r["units_control"] == "U3;U5"  # U3 is linked to P1, but nobody attended in 2026
    assert r["units_excluded"] == "U6"
    assert r["units_linked_untrained"] == "U3" and r["units_trained_unlinked"] == "U4"
    assert bool(r["link_mismatch"])
    # trained changes 8, 6, 10 → 8; comparison 1, 3 → 2; DiD = 6
    assert r["did"] == pytest.approx(6.0)
    assert r["mean_change_trained"] == pytest.approx(8.0) and r["mean_change_control"] == pytest.approx(2.0)
    # dose: 6/20, 5/10, 7/14 → (0.3 + 0.5 + 0.5)/3
    assert r["dose_trained"] == pytest.approx(1.3 / 3)
    # the old link-based treatment would have called U3 trained and U4 untrained
    old = impact.did(IND, treatment="indikator").set_index("indikator").loc["IKM"]
    assert "U3" in old["units_trained"] and "U4" in old["units_control"]


def test_min_peserta_moves_units_between_groups():
    r = _run(min_peserta=2).loc["IKM"]
    assert r["units_trained"] == "U1;U2;U4;U6" and r["units_excluded"] == ""
    r7 = _run(min_peserta=7).loc["IKM"]
    assert r7["units_trained"] == "U4" and r7["units_excluded"] == "U1;U2;U6"


def test_exact_permutation_p_matches_a_hand_enumeration():
    # 4 units, 2 trained: changes A 5, B 3 (trained), C 1, D 0. Observed 4 − 0.5 = 3.5.
    # The 6 assignments of two trained units and their differences in mean change:
    #   {A,B} 3.5   {A,C} 1.5   {A,D} 0.5   {B,C} −0.5   {B,D} −1.5   {C,D} −3.5
    # |d| ≥ 3.5 for {A,B} and {C,D}: p = 2/6.
    p, how, m = impact.permutation_p(np.array([5.0, 3.0, 1.0, 0.0]), np.array([True, True, False, False]))
    assert (p, how, m) == (pytest.approx(2 / 6), "exact", 6)
    # one trained unit among 5: A 10 vs 1, 2, 3, 4. d_i = c_i − mean(others):
    #   A 10 − 2.5 = 7.5; 1 − 4.75; 2 − 4.5; 3 − 4.25; 4 − 4 → only A reaches 7.5: p = 1/5
    p1, _, m1 = impact.permutation_p(np.array([10.0, 1, 2, 3, 4]), np.array([True, False, False, False, False]))
    assert p1 == pytest.approx(1 / 5) and m1 == 5


def test_did_row_permutation_p_is_the_enumeration_over_its_units():
    r = _run().loc["IKM"]
    # the 5 units in the two groups: changes U1 8, U2 6, U4 10 (trained), U3 1, U5 3
    c = {"U1": 8.0, "U2": 6.0, "U4": 10.0, "U3": 1.0, "U5": 3.0}
    obs = 6.0
    ds = []
    for tr in combinations(c, 3):
        rest = [u for u in c if u not in tr]
        ds.append(np.mean([c[u] for u in tr]) - np.mean([c[u] for u in rest]))
    hand = np.mean(np.abs(ds) >= obs - 1e-12)
    assert len(ds) == 10 and r["n_perm"] == 10 and r["perm_method"] == "exact"
    assert r["p_val"] == pytest.approx(hand)
    # by hand: with total 28, d = s/3 − (28 − s)/2 for a trained sum s; |d| ≥ 6 needs s ≥ 24
    # (only 8 + 6 + 10) or s ≤ 9.6 (the smallest sum is 1 + 3 + 6 = 10): p = 1/10
    assert r["p_val"] == pytest.approx(0.1)


def test_did_estimate_equals_the_ols_interaction_with_unit_and_period_fixed_effects():
    smf = pytest.importorskip("statsmodels.formula.api")
    r = _run().loc["IKM"]
    d = IND[(IND["indikator"] == "IKM") & IND["kode_unit"].isin(["U1", "U2", "U3", "U4", "U5"])].copy()
    d["after"] = (d["periode"] == "sesudah").astype(int)
    d["trained"] = d["kode_unit"].isin(["U1", "U2", "U4"]).astype(int)
    d["did_term"] = d["after"] * d["trained"]
    fit = smf.ols("nilai ~ C(kode_unit) + C(periode) + did_term", data=d).fit()
    assert r["did"] == pytest.approx(fit.params["did_term"], abs=1e-9)


def test_monte_carlo_permutation_p_agrees_with_exact_enumeration():
    rng = np.random.default_rng(3)
    c = rng.normal(0, 1, 22)
    c[:2] += 1.5
    tr = np.zeros(22, bool)
    tr[:2] = True
    exact, how, m = impact.permutation_p(c, tr, exact_max_units=30)  # C(22, 2) = 231
    assert how == "exact" and m == 231
    mc, how_mc, draws = impact.permutation_p(c, tr, exact_max_units=20, draws=20000, random_state=1)
    assert how_mc == "monte_carlo" and draws == 20000
    assert abs(mc - exact) < 4 * np.sqrt(exact * (1 - exact) / draws) + 1 / draws
    # Phipson & Smyth: never zero
    never, _, _ = impact.permutation_p(np.r_[100.0, 100.0, rng.normal(0, 0.01, 30)],
                                       np.r_[True, True, np.zeros(30, bool)], draws=99)
    assert never == pytest.approx(1 / 100)


def test_process_indicator_is_not_tested_and_not_in_the_holm_family():
    r = _run()
    jp = r.loc["Persentase PNS memenuhi 20 JP (%)"]
    assert jp["indicator_kind"] == "proses" and jp["message"] == "process_indicator"
    assert np.isnan(jp["did"]) and np.isnan(jp["p_val"])
    assert (r["p_adjust_m"] == 1).all()  # only IKM was tested
    assert r.loc["IKM", "p_adj"] == pytest.approx(r.loc["IKM", "p_val"])
    l4 = ev.level4(IND, realisasi=REAL, pegawai=PEG, year=2026).set_index(["kode_unit", "indikator"])
    assert l4.loc[("U1", "Persentase PNS memenuhi 20 JP (%)"), "indicator_kind"] == "proses"
    assert l4.loc[("U1", "IKM"), "indicator_kind"] == "hasil"
    assert "proses" in words.text("evaluation.did_message", "process_indicator", "id").lower()


def test_holm_over_the_tested_indicators():
    # two tested indicators: A (strong difference) and B (none), 8 units each, 4 trained
    rows, real = [], []
    for i in range(8):
        u = f"V{i}"
        trained = i < 4
        rows.append((u, "A", 10, 10 + (5 + i if trained else i - 4), "naik", "P1"))
        rows.append((u, "B", 10, 10 + (i % 4), "naik", "P1"))
        if trained:
            real += _attended(u, 5, "P1")
    ind = _ind(rows)
    peg = _staff({f"V{i}": 10 for i in range(8)})
    r = impact.did(ind, pd.DataFrame(real), peg, year=2026).set_index("indikator")
    pa, pb = r.loc["A", "p_val"], r.loc["B", "p_val"]
    # A: the 4 trained units hold the 4 largest changes: only it and its mirror reach |obs|,
    # 2 / C(8, 4) = 2/70
    assert pa == pytest.approx(2 / 70) and r.loc["A", "n_perm"] == 70
    # Holm, m = 2: smallest × 2, then max(previous, larger × 1)
    assert r.loc["A", "p_adj"] == pytest.approx(min(1, 2 * pa))
    assert r.loc["B", "p_adj"] == pytest.approx(max(min(1, 2 * pa), pb))
    assert (r["p_adjust_m"] == 2).all() and (r["p_adjust_method"] == "holm").all()
    assert bool(r.loc["A", "significant"]) is bool(2 * pa < 0.05)  # 0.057: not significant


def test_level4_trained_comes_from_participation_not_from_the_link():
    l4 = ev.level4(IND, realisasi=REAL, pegawai=PEG, year=2026).set_index(["kode_unit", "indikator"])
    u3 = l4.loc[("U3", "IKM")]
    assert bool(u3["linked"]) and not bool(u3["trained"]) and u3["n_participants"] == 0
    u4 = l4.loc[("U4", "IKM")]
    assert not bool(u4["linked"]) and bool(u4["trained"]) and u4["n_participants"] == 7
    # U5's staff attended P9 (any catalogue programme counts for the unit's column)
    assert bool(l4.loc[("U5", "IKM"), "trained"])
    no_real = ev.level4(IND)
    assert no_real["trained"].isna().all() and no_real["linked"].any()


# ------------------------------------------------------------------------------------------
# ROI with the estimates halved
# ------------------------------------------------------------------------------------------


def test_roi_shows_the_roi_with_the_estimates_halved():
    costs = pd.DataFrame({"program_id": ["PRG-1"] * 3, "komponen": ["desain", "penyelenggaraan", "waktu_peserta"],
                          "biaya": [20e6, 60e6, 40e6]})
    benefits = pd.DataFrame({
        "program_id": ["PRG-1"] * 3, "ukuran": ["jam_lembur", "berkas_salah", "keluhan"],
        "perubahan": [2000.0, 300.0, 100.0], "isolasi": ["estimasi", "pembanding", "tren"],
        "kontribusi": [0.60, np.nan, np.nan], "keyakinan": [0.80, np.nan, np.nan],
        "perubahan_pembanding": [np.nan, 100.0, np.nan], "proyeksi_tren": [np.nan, np.nan, 40.0]})
    conv = {"jam_lembur": 50_000.0, "berkas_salah": 150_000.0, "keluhan": 400_000.0}
    res = impact.roi(costs, benefits, conversion=conv)
    s = res.summary.set_index("program_id").loc["PRG-1"]
    # estimate line: 2000 × 0.6 × 0.8 = 960 h × Rp 50 000 = Rp 48 M; others 30 M + 24 M
    # halved: 24 + 30 + 24 = Rp 78 M → ROI = (78 − 120)/120 × 100 = −35 % (−15 % unhalved)
    assert s["benefits_estimated"] == pytest.approx(48e6)
    assert s["benefits_estimates_scaled"] == pytest.approx(78e6)
    assert s["roi_pct_estimates_scaled"] == pytest.approx(-35.0) and s["roi_pct"] == pytest.approx(-15.0)
    assert res.total["roi_pct_estimates_scaled"] == pytest.approx(-35.0)
    # without estimates nothing changes; a factor of 1 reproduces the ROI
    same = impact.roi(costs, benefits, conversion=conv, estimate_factor=1.0).summary.iloc[0]
    assert same["roi_pct_estimates_scaled"] == pytest.approx(same["roi_pct"])
    assert load_settings()["impact.roi_estimate_sensitivity"] == 0.5


# ------------------------------------------------------------------------------------------
# The merit ladder: a list is not an action
# ------------------------------------------------------------------------------------------

ACTIONS = pd.DataFrame({
    "tindakan": ["Remedial e-learning SAKIP", "Coaching atasan", "Pelatihan ulang"],
    "penanggung_jawab": ["BKPSDM", "Kepala DINSOS", "BKPSDM"],
    "tanggal": ["2027-02-15", "2027-03-01", "2027-05-01"],
    "status": ["selesai", "Berjalan", "rencana"],
})


def test_merit_ladder_with_and_without_recorded_actions():
    listed = mat.maturity_ladder(True, True, True, True).iloc[0]
    assert listed["score"] == 3 and listed["followup_state"] == "listed_not_recorded"
    done = mat.maturity_ladder(True, True, True, True, actions=ACTIONS).iloc[0]
    assert done["score"] == 4 and done["followup_state"] == "recorded"
    assert (done["n_actions"], done["n_actions_done"], done["n_actions_ongoing"], done["n_actions_planned"]) == (
        3, 1, 1, 1)
    planned = mat.maturity_ladder(True, True, True, True, actions=ACTIONS[ACTIONS["status"] == "rencana"]).iloc[0]
    assert planned["score"] == 3 and planned["followup_state"] == "planned_only"
    # an action without who/when is not recorded
    vague = ACTIONS.assign(penanggung_jawab=["", None, ""])
    assert mat.maturity_ladder(True, True, True, True, actions=vague).iloc[0]["score"] == 3
    # recorded actions do not lift a ladder whose evaluation step is missing
    gap = mat.maturity_ladder(True, True, False, True, actions=ACTIONS).iloc[0]
    assert gap["score"] == 2 and bool(gap["gap_in_chain"])
    # what a person reads
    assert "belum tercatat" in words.text("evaluation.followup_state", "listed_not_recorded", "id")


def test_pre_period_trends_with_several_before_years():
    # two 'sebelum' years (2024, 2025) and one 'sesudah' (2026); trained W1, W2 (5 attended P1),
    # comparison W3, W4. Pre-programme slopes per year: W1 +1, W2 +3 → 2; W3 0, W4 +1 → 0.5
    rows = []
    for u, v24, v25, v26 in (("W1", 10, 11, 15), ("W2", 10, 13, 20), ("W3", 10, 10, 11), ("W4", 10, 11, 12)):
        rows += [{"kode_unit": u, "indikator": "IKM", "periode": "sebelum", "tahun": 2024, "nilai": v24},
                 {"kode_unit": u, "indikator": "IKM", "periode": "sebelum", "tahun": 2025, "nilai": v25},
                 {"kode_unit": u, "indikator": "IKM", "periode": "sesudah", "tahun": 2026, "nilai": v26}]
    ind = pd.DataFrame(rows).assign(arah_baik="naik", program_id="P1")
    real = pd.DataFrame(_attended("W1", 5, "P1") + _attended("W2", 5, "P1"))
    peg = _staff({"W1": 10, "W2": 10, "W3": 10, "W4": 10})
    r = impact.did(ind, real, peg, year=2026).iloc[0]
    # "before" is the latest 'sebelum' (2025): W1 +4, W2 +7 → 5.5; W3 +1, W4 +1 → 1; DiD 4.5
    assert r["did"] == pytest.approx(4.5)
    assert r["n_pre_periods"] == 2
    assert r["pre_trend_trained"] == pytest.approx(2.0) and r["pre_trend_control"] == pytest.approx(0.5)
    assert r["pre_trend_diff"] == pytest.approx(1.5)
    # placebo permutation over the slopes W1 1, W2 3 | W3 0, W4 1 (total 5): C(4, 2) = 6,
    # d = {W1,W2} 2 − 0.5 = 1.5; {W1,W3} 0.5 − 2 = −1.5; {W1,W4} 1 − 1.5 = −0.5;
    #     {W2,W3} 1.5 − 1 = 0.5; {W2,W4} 2 − 0.5 = 1.5; {W3,W4} 0.5 − 2 = −1.5 → |d| ≥ 1.5: 4 of 6
    assert r["pre_trend_p"] == pytest.approx(4 / 6)
    # without tahun there is one 'sebelum' period and no trend
    assert np.isnan(_run().loc["IKM", "pre_trend_diff"]) and _run().loc["IKM", "n_pre_periods"] == 1
