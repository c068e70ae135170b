"""Tests of workbook.needs.gaps and workbook.needs.index (AKPK computations, PP 11/2017 Pasal 206).

All expected values are hand-computed (arithmetic in the comments) or published values with the
citation above the assertion. Inputs are small hand-built DataFrames in canonical columns.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from workbook.core import intervals
from workbook.core.exceptions import DataError, SettingsError
from workbook.core.settings import load_settings
from workbook.needs import gaps as nd
from workbook.needs import index as ni
from workbook.needs import words

Z95 = stats.norm.ppf(0.975)


# ------------------------------------------------------------------------------------------
# fixtures
# ------------------------------------------------------------------------------------------

@pytest.fixture
def settings():
    return load_settings()


@pytest.fixture
def pegawai():
    return pd.DataFrame({
        "pegawai_id": ["A", "B", "C", "D"],
        "kode_unit": ["U1", "U1", "U2", "U2"],
        "jabatan": ["J1", "J1", "J1", "JX"],           # JX has no standard
        "jabatan_target": ["J2", None, "", None],
        "status": ["PNS", "PPPK", "CPNS", "PNS"],
    })


@pytest.fixture
def standar():
    # J1: M.1 = 3, M.2 = 3 ; J2 (target of A): M.2 = 4, M.3 = 2
    return pd.DataFrame({
        "jabatan": ["J1", "J1", "J2", "J2"],
        "kode_kompetensi": ["M.1", "M.2", "M.2", "M.3"],
        "level_standar": [3, 3, 4, 2],
    })


def _actual(rows):
    """Hand-made actual_levels output: (pegawai_id, kode, level, source)."""
    return pd.DataFrame(rows, columns=["pegawai_id", "kode_kompetensi", "level_actual",
                                       "level_source"])


# ------------------------------------------------------------------------------------------
# survey_long
# ------------------------------------------------------------------------------------------

def test_survey_long_melts_and_keeps_blanks_as_nan(settings):
    sp = pd.DataFrame({
        "pegawai_id": ["A", "B", "A"],
        "waktu_isi": ["2026-08-01 09:00", "2026-08-02 09:00", "2026-08-05 09:00"],
        "level_M.1": [1, None, 3],       # A's second submission (latest) says 3
        "penting_M.1": [2, 4, 5],
        "level_M.2": [2, "", 2],         # B left M.2 blank ("" from a CSV)
        "penting_M.2": [3, 3, None],
    })
    sa = pd.DataFrame({"pegawai_id": ["B"], "waktu_isi": ["2026-08-03"], "level_M.1": [2]})
    out = nd.survey_long(sp, sa, settings=settings)
    assert list(out.columns) == ["pegawai_id", "kode_kompetensi", "level_diri", "penting",
                                 "level_atasan"]
    a1 = out.query("pegawai_id == 'A' and kode_kompetensi == 'M.1'").iloc[0]
    assert a1.level_diri == 3 and a1.penting == 5          # latest submission kept
    a2 = out.query("pegawai_id == 'A' and kode_kompetensi == 'M.2'").iloc[0]
    assert math.isnan(a2.penting)                          # blank importance stays NaN
    b1 = out.query("pegawai_id == 'B' and kode_kompetensi == 'M.1'").iloc[0]
    assert math.isnan(b1.level_diri) and b1.level_atasan == 2
    b2 = out.query("pegawai_id == 'B' and kode_kompetensi == 'M.2'").iloc[0]
    assert math.isnan(b2.level_diri) and b2.penting == 3   # "" → NaN, never 0
    assert len(out) == 4


def test_survey_long_rejects_out_of_range_and_text(settings):
    sp = pd.DataFrame({"pegawai_id": ["A"], "waktu_isi": ["2026-08-01"], "level_M.1": [6]})
    with pytest.raises(DataError) as e:
        nd.survey_long(sp, settings=settings)
    assert "rentang" in e.value.message_id and "range" in e.value.message_en
    sp = pd.DataFrame({"pegawai_id": ["A"], "waktu_isi": ["2026-08-01"], "penting_M.1": [0]})
    with pytest.raises(DataError):           # importance scale 1–5
        nd.survey_long(sp, settings=settings)
    sp = pd.DataFrame({"pegawai_id": ["A"], "waktu_isi": ["2026-08-01"], "level_M.1": ["tiga"]})
    with pytest.raises(DataError) as e:
        nd.survey_long(sp, settings=settings)
    assert "bukan angka" in e.value.message_id and "not a number" in e.value.message_en


# ------------------------------------------------------------------------------------------
# actual_levels: precedence and "gabungan"
# ------------------------------------------------------------------------------------------

@pytest.fixture
def sources():
    ha = pd.DataFrame({
        "pegawai_id": ["P1", "P1"], "kode_kompetensi": ["K", "K"], "level": [2, 4],
        "tanggal": ["2025-01-01", "2026-03-01"],   # latest (4) is used
    })
    sv = pd.DataFrame({
        "pegawai_id": ["P1", "P2", "P3"], "kode_kompetensi": ["K", "K", "K"],
        "level_diri": [3, 3, 5], "penting": [4, 4, 4], "level_atasan": [2, 2, np.nan],
    })
    return ha, sv


def test_actual_levels_precedence(settings, sources):
    ha, sv = sources
    out = nd.actual_levels(hasil_asesmen=ha, survey=sv, settings=settings).set_index("pegawai_id")
    # P1: asesmen 4 available → asesmen; P2: no asesmen → atasan 2; P3: only diri 5
    assert out.loc["P1", "level_actual"] == 4 and out.loc["P1", "level_source"] == "asesmen"
    assert out.loc["P2", "level_actual"] == 2 and out.loc["P2", "level_source"] == "atasan"
    assert out.loc["P3", "level_actual"] == 5 and out.loc["P3", "level_source"] == "diri"
    # the raw levels of every source are kept next to the chosen one
    assert out.loc["P1", "level_diri"] == 3 and out.loc["P1", "level_atasan"] == 2
    # another order: diri first
    out2 = nd.actual_levels(hasil_asesmen=ha, survey=sv, source="diri,atasan",
                            settings=settings).set_index("pegawai_id")
    assert out2.loc["P1", "level_actual"] == 3 and out2.loc["P1", "level_source"] == "diri"
    # order from settings
    s = load_settings(levels__actual_level_source="atasan,asesmen")
    out3 = nd.actual_levels(hasil_asesmen=ha, survey=sv, settings=s).set_index("pegawai_id")
    assert out3.loc["P1", "level_source"] == "atasan" and out3.loc["P3", "level_source"] != "diri"
    assert pd.isna(out3.loc["P3", "level_actual"])        # only diri, which is not in the order


def test_actual_levels_gabungan_weighted_mean(sources):
    ha, sv = sources
    s = load_settings(levels__actual_level_source="gabungan",
                      levels__combination_weights={"asesmen": 2.0, "atasan": 1.0, "diri": 1.0})
    out = nd.actual_levels(hasil_asesmen=ha, survey=sv, settings=s).set_index("pegawai_id")
    # P1: (2·4 + 1·2 + 1·3) / (2+1+1) = 13/4 = 3.25
    assert out.loc["P1", "level_actual"] == pytest.approx(3.25)
    assert out.loc["P1", "level_source"] == "gabungan"
    assert out.loc["P1", "sources_used"] == "asesmen+atasan+diri"
    # P2: no asesmen → weights renormalised over atasan, diri: (1·2 + 1·3) / 2 = 2.5
    assert out.loc["P2", "level_actual"] == pytest.approx(2.5)
    # P3: only diri → the single source is stated, not "gabungan"
    assert out.loc["P3", "level_actual"] == 5 and out.loc["P3", "level_source"] == "diri"
    # weight 0 excludes a source: with diri = 0, P3 has no usable level
    s0 = s.with_overrides({"levels.combination_weights": {"asesmen": 1.0, "atasan": 1.0, "diri": 0.0}})
    out0 = nd.actual_levels(hasil_asesmen=ha, survey=sv, settings=s0).set_index("pegawai_id")
    assert pd.isna(out0.loc["P3", "level_actual"]) and pd.isna(out0.loc["P3", "level_source"])
    # P1 with diri = 0: (4 + 2) / 2 = 3
    assert out0.loc["P1", "level_actual"] == pytest.approx(3.0)


def test_actual_levels_from_tables_mapping(settings):
    # the mapping shape of load_agency(...).tables, with the survey still wide
    tables = {
        "hasil_asesmen": pd.DataFrame({"pegawai_id": ["P1"], "kode_kompetensi": ["K"],
                                       "level": [4.0], "tanggal": ["2026-03-01"]}),
        "survei_pegawai": pd.DataFrame({"pegawai_id": ["P1", "P2"],
                                        "waktu_isi": ["2026-08-01", "2026-08-01"],
                                        "level_K": [3, None], "penting_K": [5, 4]}),
        "survei_atasan": pd.DataFrame({"pegawai_id": ["P2"], "waktu_isi": ["2026-08-02"],
                                       "level_K": [2]}),
    }
    out = nd.actual_levels(tables, settings=settings).set_index("pegawai_id")
    assert out.loc["P1", "level_source"] == "asesmen" and out.loc["P1", "level_diri"] == 3
    # P2: self level blank (NaN, not 0) → supervisor's 2 is used
    assert out.loc["P2", "level_actual"] == 2 and math.isnan(out.loc["P2", "level_diri"])


def test_actual_levels_bad_source_and_bad_level(settings, sources):
    ha, sv = sources
    with pytest.raises(SettingsError):
        nd.actual_levels(hasil_asesmen=ha, survey=sv, source="asesmen,boss", settings=settings)
    bad = ha.assign(level=[2, 5.5])
    with pytest.raises(DataError) as e:
        nd.actual_levels(hasil_asesmen=bad, settings=settings)
    assert e.value.column == "level" and "1–5" in e.value.message_en
    with pytest.raises(DataError) as e:
        nd.actual_levels(hasil_asesmen=ha.drop(columns="level"), settings=settings)
    assert "Kolom wajib" in e.value.message_id and "Required column" in e.value.message_en


# ------------------------------------------------------------------------------------------
# competency gaps (current and target position)
# ------------------------------------------------------------------------------------------

def test_competency_gaps_current_and_target(pegawai, standar, settings):
    act = _actual([
        ("A", "M.1", 2, "asesmen"), ("A", "M.2", 3, "asesmen"), ("A", "M.3", 4, "asesmen"),
        ("B", "M.1", 4, "diri"),                     # B: M.2 unknown
        ("C", "M.1", 3, "atasan"), ("C", "M.2", 1, "atasan"),
    ])
    g = nd.competency_gaps(pegawai, standar, act, settings=settings)
    r = g.set_index(["pegawai_id", "kode_kompetensi"])
    # A, M.1: 2 − 3 = −1 (shortfall)
    assert r.loc[("A", "M.1"), "gap"] == -1 and bool(r.loc[("A", "M.1"), "below_standard"])
    # A, M.2: current 3 − 3 = 0 ; target J2: 3 − 4 = −1
    assert r.loc[("A", "M.2"), "gap"] == 0 and not r.loc[("A", "M.2"), "below_standard"]
    assert r.loc[("A", "M.2"), "gap_target"] == -1
    assert bool(r.loc[("A", "M.2"), "below_target_standard"])
    # A, M.3: only in the target standard: level_standar NaN, gap_target = 4 − 2 = +2
    assert math.isnan(r.loc[("A", "M.3"), "level_standar"])
    assert r.loc[("A", "M.3"), "gap_target"] == 2
    # B, M.2: no actual level → gap NaN and below_standard NA (not computed from 0)
    assert math.isnan(r.loc[("B", "M.2"), "gap"]) and pd.isna(r.loc[("B", "M.2"), "below_standard"])
    # C, M.2: 1 − 3 = −2; source stated per row
    assert r.loc[("C", "M.2"), "gap"] == -2 and r.loc[("C", "M.2"), "level_source"] == "atasan"
    # D (jabatan JX) has no standard: reported, not silently dropped
    assert g.attrs["no_standard"] == ["D"]
    assert "D" not in set(g["pegawai_id"])
    ws = nd.employees_without_standard(pegawai, standar)
    assert ws["pegawai_id"].tolist() == ["D"] and ws["jabatan"].tolist() == ["JX"]
    # blank / missing targets are not "without standard"
    assert g.attrs["no_target_standard"] == []
    # without target
    g2 = nd.competency_gaps(pegawai, standar, act, include_target=False, settings=settings)
    assert "gap_target" not in g2.columns and ("A", "M.3") not in set(
        zip(g2.pegawai_id, g2.kode_kompetensi, strict=True))


def test_competency_gaps_bad_standard(pegawai, standar, settings):
    act = _actual([("A", "M.1", 2, "asesmen")])
    with pytest.raises(DataError):           # two actual levels for one pair
        nd.competency_gaps(pegawai, standar, pd.concat([act, act]), settings=settings)
    with pytest.raises(DataError) as e:
        nd.competency_gaps(pegawai, standar.assign(level_standar=[3, 6, 4, 2]), act,
                           settings=settings)
    assert e.value.column == "level_standar" and e.value.row == 3  # 2nd data row → sheet row 3
    assert "di luar rentang" in e.value.message_id and "outside the range" in e.value.message_en
    with pytest.raises(DataError):
        nd.competency_gaps(pegawai.drop(columns="jabatan"), standar, act, settings=settings)


# ------------------------------------------------------------------------------------------
# JPM
# ------------------------------------------------------------------------------------------

def _gaps_for(levels_by_person, source="asesmen", standard=5.0):
    rows = []
    for pid, levels in levels_by_person.items():
        for i, lv in enumerate(levels):
            rows.append({"pegawai_id": pid, "kode_unit": "U", "jabatan": "J",
                         "kode_kompetensi": f"K{i}", "level_standar": standard,
                         "level_actual": lv, "level_source": source})
    return pd.DataFrame(rows)


def test_jpm_raw_capped_and_pemetaan_boundaries(settings):
    # standard 5 × 5 competencies = 25
    g = _gaps_for({
        "p90": [5, 5, 5, 4, 3.5],      # 22.5 / 25 × 100 = 90   → Optimal (≥ 90)
        "p89": [5, 5, 5, 4, 3.0],      # 22   / 25 × 100 = 88   → Cukup Optimal
        "p78": [4, 4, 4, 4, 3.5],      # 19.5 / 25 × 100 = 78   → Cukup Optimal (78 included)
        "p76": [4, 4, 4, 4, 3.0],      # 19   / 25 × 100 = 76   → Kurang Optimal
    })
    out = nd.jpm(g, settings=settings).set_index("pegawai_id")
    assert out.loc["p90", "sum_actual"] == 22.5 and out.loc["p90", "sum_standard"] == 25
    assert out.loc["p90", "jpm_pct"] == 90 and out.loc["p90", "jpm_category"] == "Optimal"
    assert out.loc["p89", "jpm_category"] == "Cukup Optimal"
    assert out.loc["p78", "jpm_pct"] == 78 and out.loc["p78", "jpm_category"] == "Cukup Optimal"
    assert out.loc["p76", "jpm_category"] == "Kurang Optimal"
    assert set(out["jpm_label_type"]) == {"pemetaan"}
    assert words.jpm_category_text(out.loc["p76", "jpm_category"], "en") == "Less than optimal"
    assert "jpm_category_en" not in out  # the words are the report's (workbook.needs.words)
    # above the standard: 5+5 vs 4+4 → 10/8 × 100 = 125 raw, 100 capped
    g2 = _gaps_for({"hi": [5, 5]}, standard=4.0)
    o2 = nd.jpm(g2, settings=settings).iloc[0]
    assert o2.jpm_pct == 125 and o2.jpm_pct_capped == 100 and o2.jpm_basis == "raw"
    o3 = nd.jpm(g2, settings=load_settings(jpm__cap_at_100=True)).iloc[0]
    assert o3.jpm_basis == "capped" and o3.jpm_pct == 125


def test_jpm_uji_boundaries():
    s = load_settings(jpm__convention="uji")
    g = _gaps_for({
        "p80": [4, 4, 4, 4, 4],        # 20 / 25 × 100 = 80 → Memenuhi Syarat (≥ 80)
        "p79": [4, 4, 4, 4, 3.75],     # 19.75/25 × 100 = 79 → Masih Memenuhi Syarat
        "p68": [4, 4, 3, 3, 3],        # 17 / 25 × 100 = 68 → Masih Memenuhi Syarat (68 included)
        "p67": [4, 4, 3, 3, 2.75],     # 16.75/25 × 100 = 67 → Kurang Memenuhi Syarat
    })
    out = nd.jpm(g, settings=s).set_index("pegawai_id")
    assert out.loc["p80", "jpm_pct"] == 80
    assert out.loc["p80", "jpm_category"] == "Memenuhi Syarat"
    assert out.loc["p79", "jpm_category"] == "Masih Memenuhi Syarat"
    assert out.loc["p68", "jpm_pct"] == 68
    assert out.loc["p68", "jpm_category"] == "Masih Memenuhi Syarat"
    assert out.loc["p67", "jpm_category"] == "Kurang Memenuhi Syarat"
    assert set(out["jpm_label_type"]) == {"uji"}
    # the same cut-offs through the public category helper, just below each boundary
    cats = nd.jpm_category([79.999, 80.0, 67.999, 68.0], convention="uji", settings=s)
    assert list(cats) == ["Masih Memenuhi Syarat", "Memenuhi Syarat",
                          "Kurang Memenuhi Syarat", "Masih Memenuhi Syarat"]
    cats = nd.jpm_category([89.999, 90.0, 77.999, 78.0], convention="pemetaan", settings=s)
    assert list(cats) == ["Cukup Optimal", "Optimal", "Kurang Optimal", "Cukup Optimal"]


def test_jpm_indicative_when_levels_come_from_survey(settings):
    g = pd.concat([
        _gaps_for({"survey": [5, 5, 5, 5, 5]}, source="diri"),           # 100 % but survey
        _gaps_for({"mixed": [5, 5, 5, 5, 5]}, source="asesmen"),
    ], ignore_index=True)
    g.loc[(g.pegawai_id == "mixed") & (g.kode_kompetensi == "K0"), "level_source"] = "atasan"
    out = nd.jpm(g, settings=settings).set_index("pegawai_id")
    for pid in ("survey", "mixed"):
        assert out.loc[pid, "jpm_category"] == "JPM indikatif (survei)"
        category = out.loc[pid, "jpm_category"]
        assert words.jpm_category_text(category, "en") == "indicative JPM (survey)"
        assert out.loc[pid, "jpm_label_type"] == "indikatif"
        assert out.loc[pid, "jpm_pct"] == 100          # the number is still given
    assert out.loc["survey", "level_source"] == "diri"
    assert out.loc["mixed", "level_source"] == "campuran"
    # an assessed profile with a missing competency is indicative too; JPM over known pairs
    g3 = _gaps_for({"gap": [5, 4, np.nan]})           # (5 + 4) / (5 + 5) × 100 = 90
    o3 = nd.jpm(g3, settings=settings).iloc[0]
    assert o3.n_missing == 1 and o3.jpm_pct == 90 and o3.jpm_label_type == "indikatif"


# ------------------------------------------------------------------------------------------
# Wilson interval and finite-population correction
# ------------------------------------------------------------------------------------------

# Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison
# of seven methods. Stat. Med. 17:857–872, Table I, method 3 (score interval without continuity
# correction), printed to 4 decimals. Verified for 81/263 and 15/148 in R package propint,
# tests/testthat/test_Single_Proportion_CI.R ("ci.one.prop produces the results reported in
# Newcombe1998": 0.2553, 0.3662; 0.0624, 0.1605, tolerance 1e-4). The 0/20 and 1/29 rows once
# pinned here were quoted from memory and could not be found in a stored copy of the paper, so
# they are replaced by R's binom::binom.confint(x, n, tol = 1e-8) "wilson" limits printed in
# statsmodels/stats/tests/results/results_proportion.py (res_binom[(x, n)], last method):
# 18/20, 4/20, 4/200, 190/200, 1/30, 0/30 — the same score interval, to ~1e-13.
@pytest.mark.parametrize("k, n, low, high, tol", [
    (81, 263, 0.2553, 0.3662, 5e-5),
    (15, 148, 0.0624, 0.1605, 5e-5),
    (18, 20, 0.6989663547715128, 0.972133518786232, 1e-12),
    (4, 20, 0.0806576625797981, 0.4160174322518935, 1e-12),
    (4, 200, 0.00780442641634947, 0.05028708690582643, 1e-12),
    (190, 200, 0.910421851861224, 0.972617354399236, 1e-12),
    (1, 30, 5.908590e-03, 0.16670391, 5e-9),   # printed to 7 / 8 significant digits there
    (0, 30, 0.0, 0.11351339, 5e-9),
])
def test_wilson_newcombe_table_i(k, n, low, high, tol):
    lo, hi = intervals.wilson_interval(k, n)
    assert float(lo) == pytest.approx(low, abs=tol)
    assert float(hi) == pytest.approx(high, abs=tol)


def test_wilson_matches_r_epitools_form():
    # R package epitools, binom.wilson (rdrr.io/cran/epitools/src/R/binom.wilson.R), written as
    #   Zinsert <- Z*sqrt(((x*(n-x))/n^3) + Z^2/(4*n^2))
    #   lower <- (n/(n+Z^2))*(x/n + Z^2/(2*n) - Zinsert); upper likewise with +
    # an algebraically different arrangement of the same score interval.
    for x, n in [(81, 263), (15, 148), (1, 29), (7, 9)]:
        zins = Z95 * math.sqrt(x * (n - x) / n ** 3 + Z95 ** 2 / (4 * n ** 2))
        r_lo = n / (n + Z95 ** 2) * (x / n + Z95 ** 2 / (2 * n) - zins)
        r_hi = n / (n + Z95 ** 2) * (x / n + Z95 ** 2 / (2 * n) + zins)
        lo, hi = intervals.wilson_interval(x, n)
        assert float(lo) == pytest.approx(r_lo, rel=1e-12)
        assert float(hi) == pytest.approx(r_hi, rel=1e-12)


def test_wilson_vectorised_and_zero_n():
    lo, hi = intervals.wilson_interval([81, 15, 0], [263, 148, 0])
    assert lo.shape == (3,) and np.isnan(lo[2]) and np.isnan(hi[2])
    assert lo[0] == pytest.approx(0.2553, abs=5e-5)
    with pytest.raises(DataError):
        intervals.wilson_interval(5, 4)
    with pytest.raises(DataError):
        intervals.wilson_interval(2, 4, population=3)


def test_wilson_fpc_definition_and_behaviour():
    k, n, N = 5, 10, 20
    lo, hi = intervals.wilson_interval(k, n, population=N)
    # f = (N − n)/(N − 1) = 10/19; bounds solve (p − π)² = z² f π(1 − π)/n  (score inversion)
    f = 10 / 19
    p = 0.5
    for b in (float(lo), float(hi)):
        assert (p - b) ** 2 == pytest.approx(Z95 ** 2 * f * b * (1 - b) / n, rel=1e-9)
    # equivalently Wilson with the modified sample size n' = n / f (Wallis 2013)
    n_mod = n / f
    c = (p + Z95 ** 2 / (2 * n_mod)) / (1 + Z95 ** 2 / n_mod)
    h = Z95 / (1 + Z95 ** 2 / n_mod) * math.sqrt(p * (1 - p) / n_mod + Z95 ** 2 / (4 * n_mod ** 2))
    assert float(lo) == pytest.approx(c - h) and float(hi) == pytest.approx(c + h)
    # n == N: the interval collapses to the observed proportion
    lo, hi = intervals.wilson_interval(3, 12, population=12)
    assert float(lo) == pytest.approx(0.25) and float(hi) == pytest.approx(0.25)
    # width increases monotonically with N and tends to the uncorrected interval
    widths = [float(np.subtract(*intervals.wilson_interval(3, 12, population=N)[::-1]))
              for N in (13, 15, 20, 50, 100, 1000, 10**7)]
    assert all(a < b for a, b in zip(widths, widths[1:], strict=False))
    lo_inf, hi_inf = intervals.wilson_interval(3, 12)
    assert widths[-1] == pytest.approx(float(hi_inf - lo_inf), rel=1e-5)
    assert widths[0] < float(hi_inf - lo_inf)


def test_mean_interval_fpc():
    # mean −1, sd 1, n = 3, N = 4: half = t(0.975, 2) · 1/√3 · √(1 − 3/4)
    lo, hi = intervals.mean_interval(-1.0, 1.0, 3, population=4)
    half = stats.t.ppf(0.975, 2) / math.sqrt(3) * 0.5       # 4.3027 · 0.57735 · 0.5 = 1.2421
    assert float(hi) - (-1.0) == pytest.approx(half) and half == pytest.approx(1.2421, abs=1e-4)
    lo, hi = intervals.mean_interval(-1.0, 1.0, 4, population=4)
    assert float(lo) == float(hi) == -1.0
    lo, hi = intervals.mean_interval(-1.0, np.nan, 1, population=4)
    assert np.isnan(lo) and np.isnan(hi)


# ------------------------------------------------------------------------------------------
# performance gaps
# ------------------------------------------------------------------------------------------

# (the performance gap under PermenPANRB 6/2022 is tested in tests/needs/test_needs_gap.py)


# ------------------------------------------------------------------------------------------
# unit × competency summary
# ------------------------------------------------------------------------------------------

def test_unit_competency_summary(settings):
    gaps = pd.DataFrame({
        "pegawai_id": ["a", "b", "c", "d"],
        "kode_unit": ["U1"] * 4,
        "kode_kompetensi": ["M.1"] * 4,
        "level_standar": [3.0] * 4,
        "gap": [-1.0, 0.0, -2.0, np.nan],          # d: not assessed (blank), never 0
    })
    peg = pd.DataFrame({"pegawai_id": list("abcd"), "kode_unit": ["U1"] * 4})
    sp = pd.DataFrame({"pegawai_id": ["a", "c"], "waktu_isi": ["2026-08-01"] * 2})
    r = ni.unit_competency_summary(gaps, peg, sp, settings=settings).iloc[0]
    assert (r.n_staff, r.n_respondents, r.n_assessed, r.n_below) == (4, 2, 3, 2)
    assert r.response_rate == 0.5                       # 2 respondents / 4 staff
    assert r.share_below == pytest.approx(2 / 3)        # 2 below of 3 assessed
    lo, hi = intervals.wilson_interval(2, 3, population=4)
    assert r.share_ci_low == pytest.approx(float(lo)) and r.share_ci_high == pytest.approx(float(hi))
    assert r.mean_gap == pytest.approx(-1.0)            # (−1 + 0 − 2) / 3
    assert r.sd_gap == pytest.approx(1.0)               # √(((0)² + 1² + (−1)²)/2)
    half = stats.t.ppf(0.975, 2) / math.sqrt(3) * math.sqrt(1 - 3 / 4)
    assert r.mean_gap_ci_high == pytest.approx(-1.0 + half)
    assert bool(r.small_group)                          # 3 < k_count 5
    assert not ni.unit_competency_summary(
        gaps, peg, sp, settings=load_settings(suppression__k_count=3)).iloc[0].small_group


# ------------------------------------------------------------------------------------------
# need index (product and Borich) and inventory
# ------------------------------------------------------------------------------------------

@pytest.fixture
def need_data():
    # competency K, standard 4, levels 1–5 (range 4), importance scale 1–5 (range 4)
    gaps = pd.DataFrame({
        "pegawai_id": ["a", "b", "c", "d"],
        "kode_unit": ["U", "U", "U", "U"],
        "kode_kompetensi": ["K"] * 4,
        "level_standar": [4.0] * 4,
        "level_actual": [2.0, 3.0, 3.0, 1.0],
        "gap": [-2.0, -1.0, -1.0, -3.0],
    })
    survey = pd.DataFrame({
        "pegawai_id": ["a", "b", "c", "d"],
        "kode_kompetensi": ["K"] * 4,
        "penting": [5, 4, 3, np.nan],                 # d left importance blank → excluded
    })
    return gaps, survey


def test_need_index_product_hand_computed(need_data, settings):
    gaps, survey = need_data
    out = ni.need_index(gaps, survey, settings=settings).iloc[0]
    # importance scaled (I − 1)/4: a 1.00, b 0.75, c 0.50
    # shortfall scaled max(0, 4 − L)/4: a 0.50, b 0.25, c 0.25
    # products 0.5, 0.1875, 0.125 → mean 0.8125/3 = 0.2708333
    assert out.n == 3
    assert out.mean_importance == pytest.approx(0.75)
    assert out.mean_shortfall == pytest.approx(1.0 / 3)
    assert out.need_index == pytest.approx(0.8125 / 3)
    assert out["rank"] == 1 and out.method == "product"


def test_need_index_borich_hand_computed(need_data, settings):
    gaps, survey = need_data
    out = ni.need_index(gaps, survey, method="borich", settings=settings).iloc[0]
    # Borich (1980): MWDS = Σ (I_i − P_i) · Ī / n on the rescaled values
    # I = 1.00, 0.75, 0.50 ; P = (L − 1)/4 = 0.25, 0.50, 0.50
    # discrepancies 0.75, 0.25, 0.00 ; Ī = 0.75 ; weighted 0.5625, 0.1875, 0 → Σ 0.75 / 3 = 0.25
    assert out.need_index == pytest.approx(0.25) and out.method == "borich"
    # the kernel on raw Likert ratings as in Borich's worked form:
    # I = 5, 4, 4 ; C = 3, 3, 2 → D = 2, 1, 2 ; Ī = 13/3 ; MWDS = (2+1+2)·(13/3)/3 = 65/9
    assert ni._borich_mwds(np.array([5.0, 4, 4]), np.array([3.0, 3, 2])) == pytest.approx(65 / 9)
    with pytest.raises(SettingsError):
        ni.need_index(gaps, survey, method="mean", settings=settings)


def test_need_index_rank_and_by_unit(settings):
    gaps = pd.DataFrame({
        "pegawai_id": ["a", "a", "b", "b"], "kode_unit": ["U", "U", "V", "V"],
        "kode_kompetensi": ["K1", "K2", "K1", "K2"], "level_standar": [3.0] * 4,
        "level_actual": [3.0, 1.0, 1.0, 3.0],
    })
    survey = pd.DataFrame({"pegawai_id": ["a", "a", "b", "b"],
                           "kode_kompetensi": ["K1", "K2", "K1", "K2"], "penting": [5, 5, 5, 5]})
    out = ni.need_index(gaps, survey, settings=settings)
    # K1: (0 + 1·0.5)/2 = 0.25 ; K2: (1·0.5 + 0)/2 = 0.25 → tie, both rank 1
    assert out["rank"].tolist() == [1, 1]
    byu = ni.need_index(gaps, survey, by="kode_unit", settings=settings)
    top = byu.loc[byu["rank"] == 1].set_index("kode_unit")["kode_kompetensi"]
    assert top["U"] == "K2" and top["V"] == "K1"


def test_inventory_order_and_blank_importance(settings):
    gaps = pd.DataFrame({
        "pegawai_id": ["a"] * 5,
        "kode_kompetensi": ["K1", "K2", "K3", "K4", "K5"],
        "level_standar": [3.0, 3.0, 3.0, 3.0, np.nan],
        "level_actual": [1.0, 2.0, 3.0, 1.0, 2.0],
        "gap": [-2.0, -1.0, 0.0, -2.0, np.nan],
        "level_standar_target": [np.nan, np.nan, np.nan, np.nan, 4.0],
        "gap_target": [np.nan, np.nan, np.nan, np.nan, -2.0],
    })
    survey = pd.DataFrame({"pegawai_id": ["a"] * 5,
                           "kode_kompetensi": ["K1", "K2", "K3", "K4", "K5"],
                           "penting": [2, 5, 5, np.nan, 5]})
    inv = ni.inventory(gaps, survey, settings=settings)
    # need = (I−1)/4 · shortfall/4:
    # K1: 0.25 · 0.5 = 0.125 ; K2: 1 · 0.25 = 0.25 ; K3: no shortfall (excluded)
    # K4: importance blank → NaN (last) ; K5: target shortfall 2 → 1 · 0.5 = 0.5
    assert inv["kode_kompetensi"].tolist() == ["K5", "K2", "K1", "K4"]
    assert inv["priority"].tolist() == [1, 2, 3, 4]
    assert inv["need_score"].iloc[:3].tolist() == pytest.approx([0.5, 0.25, 0.125])
    assert math.isnan(inv["need_score"].iloc[3])
    assert inv.set_index("kode_kompetensi").loc["K5", "shortfall_basis"] == "target"
    assert inv.attrs["output_class"] == "restricted"
