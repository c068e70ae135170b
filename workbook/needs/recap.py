"""Needs analysis (AKPK): the recaps around the gaps — last year's 20-JP baseline by employment
status, the JPM recap with assessment coverage, the gaps against the position to be held, and
the survey's response by unit (data quality, non-response).

Conventions as in :mod:`workbook.needs.gaps`: inputs validated with a bilingual
:class:`~workbook.core.exceptions.DataError`, long tidy DataFrames, nothing rounded or
suppressed here. These are counts of the whole staff file (a census), so no confidence interval
is given; the survey's shares come with their response rate. The method note is
``docs/methods/needs.md`` §10–§13.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.checks import numeric as _numeric
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.settings import Settings

__all__ = ["STATUSES", "jp_baseline", "jpm_recap", "target_gaps", "response_by_unit",
           "nonresponse_check"]

#: Employment statuses reported apart, in the order of the report; ``PNS+CPNS`` is their sum.
STATUSES: tuple[str, ...] = ("PNS", "CPNS", "PPPK")


def _str_col(series: pd.Series) -> pd.Series:
    return series.astype("str")


# --------------------------------------------------------------------------------------------
# 20-JP baseline
# --------------------------------------------------------------------------------------------

def _jp_per_person(realisasi: pd.DataFrame | None, year: int | None) -> tuple[pd.Series, int]:
    """JP per employee in ``year`` (all rows when None or without dates); rows of other years."""
    if realisasi is None or not len(realisasi):
        return pd.Series(dtype="float64"), 0
    _require_columns(realisasi, ["pegawai_id", "jp"], "realisasi_pengembangan")
    r = realisasi.assign(jp=_numeric(realisasi["jp"], "realisasi_pengembangan", "jp"))
    outside = 0
    if year is not None and "tanggal_mulai" in r:
        yr = pd.to_datetime(r["tanggal_mulai"], errors="coerce").dt.year
        other = yr.notna() & (yr != year)
        outside = int(other.sum())
        r = r.loc[~other]
    return r.groupby(_str_col(r["pegawai_id"]))["jp"].sum(), outside


def jp_baseline(pegawai: pd.DataFrame, realisasi: pd.DataFrame | None, *, year: int | None = None,
                by: str | None = None, settings: Settings | None = None) -> pd.DataFrame:
    """Last year's JP per person against 20 JP, with PNS, CPNS and PPPK apart.

    Parameters
    ----------
    pegawai : DataFrame
        ``pegawai_id``, ``status`` (and ``by`` when given).
    realisasi : DataFrame or None
        ``realisasi_pengembangan``: ``pegawai_id``, ``jp``, optional ``tanggal_mulai``.
    year : int, optional
        The year measured (the plan year − 1); rows dated in another year are left out and
        counted in ``attrs["n_rows_other_year"]``. None: every row.
    by : str, optional
        A grouping column of ``pegawai`` (e.g. ``"kode_unit"``).
    settings : Settings, optional
        ``jp.minimum_pns`` (the 20 JP), ``jp.pppk_maximum``.

    Returns
    -------
    DataFrame
        ``[by,] status`` (``PNS``, ``CPNS``, ``PPPK``, ``PNS+CPNS``), ``n`` (the denominator:
        employees of that status in the staff file), ``jp_target``, ``n_reached`` (JP ≥ target),
        ``share_reached``, ``n_zero`` (no JP recorded), ``mean_jp``, ``jp_cap`` (PPPK: the
        entitlement ``jp.pppk_maximum``; else NaN).

    Notes
    -----
    PP 11/2017 Pasal 203(4): every PNS at least 20 JP a year. CPNS are reported apart (their
    first year is Latsar) and summed with PNS as ``PNS+CPNS``; PPPK are entitled to at most
    ``jp.pppk_maximum`` JP a year (Perlan 15/2020, DOMAIN-PLAN §10) and are measured against
    the same 20 JP for comparison only, never pooled with PNS (review W10). Employees with no
    realisation row have 0 JP (they are in the denominator).
    """
    s = _settings(settings)
    cols = ["pegawai_id", "status"] + ([by] if by else [])
    _require_columns(pegawai, cols, "pegawai")
    jp, outside = _jp_per_person(realisasi, year)
    target = float(s["jp.minimum_pns"])
    p = pd.DataFrame({c: _str_col(pegawai[c]).to_numpy() for c in cols})
    p["jp"] = p["pegawai_id"].map(jp).fillna(0.0).astype("float64")
    p = p.loc[p["status"].isin(STATUSES)]
    both = p.loc[p["status"].isin(["PNS", "CPNS"])].assign(status="PNS+CPNS")
    p = pd.concat([p, both], ignore_index=True)
    p["_reached"] = p["jp"] >= target
    p["_zero"] = p["jp"] <= 0
    keys = ([by] if by else []) + ["status"]
    out = p.groupby(keys, sort=False).agg(n=("pegawai_id", "size"), n_reached=("_reached", "sum"),
                                          n_zero=("_zero", "sum"), mean_jp=("jp", "mean")).reset_index()
    order = {st: i for i, st in enumerate((*STATUSES, "PNS+CPNS"))}
    out = out.assign(_o=out["status"].map(order)).sort_values(([by] if by else []) + ["_o"])
    out = out.drop(columns="_o").reset_index(drop=True)
    for c in ("n", "n_reached", "n_zero"):
        out[c] = out[c].astype("int64")
    out.insert(len(keys) + 1, "jp_target", target)
    out["share_reached"] = out["n_reached"] / out["n"]
    out["jp_cap"] = np.where(out["status"] == "PPPK", float(s["jp.pppk_maximum"]), np.nan)
    out.attrs["n_rows_other_year"] = outside
    return out[keys + ["n", "jp_target", "n_reached", "share_reached", "n_zero", "mean_jp", "jp_cap"]]


# --------------------------------------------------------------------------------------------
# JPM recap
# --------------------------------------------------------------------------------------------

def jpm_recap(jpm: pd.DataFrame, pegawai: pd.DataFrame, hasil_asesmen: pd.DataFrame | None, *,
              by: str = "kode_unit", low_cut: float | None = None) -> pd.DataFrame:
    """JPM by ``by`` (unit, jenis jabatan or jabatan) with the assessment coverage.

    Parameters
    ----------
    jpm : DataFrame
        Output of :func:`workbook.needs.gaps.jpm`.
    pegawai : DataFrame
        ``pegawai_id`` and ``by``.
    hasil_asesmen : DataFrame or None
        Assessment results (``pegawai_id``): who was assessed.
    by : str, default="kode_unit"
    low_cut : float, optional
        JPM (%) under which a person counts in ``n_jpm_low`` (e.g. the lowest bound of the
        convention's categories); None: not counted.

    Returns
    -------
    DataFrame
        ``by``, ``n_staff`` (employees), ``n_assessed`` (with at least one assessment result),
        ``assessment_coverage`` (``n_assessed / n_staff``), ``n_jpm`` (with a JPM),
        ``n_official`` (JPM with an official category: every level from assessment),
        ``n_indicative``, ``mean_jpm_pct``, ``median_jpm_pct`` (raw JPM), ``mean_jpm_capped_pct``
        (mean of min(100, JPM), DOMAIN.md §1.6 [S30b]: raw and capped are both reported), ``n_jpm_low``,
        ``share_jpm_low`` (of ``n_jpm``).
    """
    _require_columns(pegawai, ["pegawai_id", by], "pegawai")
    _require_columns(jpm, ["pegawai_id", "jpm_pct", "jpm_label_type"], "jpm")
    p = pd.DataFrame({"pegawai_id": _str_col(pegawai["pegawai_id"]).to_numpy(),
                      by: _str_col(pegawai[by]).to_numpy()})
    assessed = (set(_str_col(hasil_asesmen["pegawai_id"])) if hasil_asesmen is not None
                and "pegawai_id" in hasil_asesmen else set())
    p["_assessed"] = p["pegawai_id"].isin(assessed)
    cols = ["pegawai_id", "jpm_pct", "jpm_label_type"] + (["jpm_pct_capped"] if "jpm_pct_capped" in jpm else [])
    j = jpm[cols].copy()
    if "jpm_pct_capped" not in j:  # min(100, JPM) [S30b]; DOMAIN.md §1.6 asks for raw and capped
        j["jpm_pct_capped"] = np.minimum(pd.to_numeric(j["jpm_pct"], errors="coerce"), 100.0)
    j["pegawai_id"] = _str_col(j["pegawai_id"])
    p = p.merge(j, on="pegawai_id", how="left")
    p["_has"] = p["jpm_pct"].notna()
    p["_official"] = p["jpm_label_type"].isin(["pemetaan", "uji"]).fillna(False) & p["_has"]
    p["_low"] = (p["jpm_pct"] < low_cut).fillna(False) if low_cut is not None else False
    out = p.groupby(by, sort=True).agg(
        n_staff=("pegawai_id", "size"), n_assessed=("_assessed", "sum"), n_jpm=("_has", "sum"),
        n_official=("_official", "sum"), mean_jpm_pct=("jpm_pct", "mean"),
        median_jpm_pct=("jpm_pct", "median"), mean_jpm_capped_pct=("jpm_pct_capped", "mean"),
        n_jpm_low=("_low", "sum")).reset_index()
    for c in ("n_staff", "n_assessed", "n_jpm", "n_official", "n_jpm_low"):
        out[c] = out[c].astype("int64")
    out["n_indicative"] = out["n_jpm"] - out["n_official"]
    out["assessment_coverage"] = out["n_assessed"] / out["n_staff"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_jpm_low"] = np.where(out["n_jpm"] > 0, out["n_jpm_low"] / out["n_jpm"].clip(lower=1),
                                        np.nan)
    if low_cut is None:
        out[["n_jpm_low", "share_jpm_low"]] = np.nan
    out[by] = _str_col(out[by])
    return out[[by, "n_staff", "n_assessed", "assessment_coverage", "n_jpm", "n_official",
                "n_indicative", "mean_jpm_pct", "median_jpm_pct", "mean_jpm_capped_pct", "n_jpm_low",
                "share_jpm_low"]]


# --------------------------------------------------------------------------------------------
# gaps against the position to be held (Pasal 206)
# --------------------------------------------------------------------------------------------

def target_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per competency: the employees with a position to be held and their gap against its standard.

    Parameters
    ----------
    gaps : DataFrame
        Output of :func:`workbook.needs.gaps.competency_gaps` with ``include_target``
        (``jabatan_target``, ``level_standar_target``, ``gap_target``).

    Returns
    -------
    DataFrame
        ``kode_kompetensi``, ``n_target`` (employees whose target position's standard holds the
        competency), ``n_assessed`` (with a known level), ``n_below`` (gap against the target
        standard < 0), ``share_below`` (of ``n_assessed``), ``mean_gap_target``. Empty (same
        columns) when the data has no target positions. ``attrs``: ``n_persons`` (employees with a
        target standard), ``n_persons_below`` (with at least one gap < 0), ``n_rows_below``.

    Notes
    -----
    PP 11/2017 Pasal 206: the competency gap is analysed against the standard of the position
    held **and of the position to be held** (DOMAIN.md §1.3).
    """
    cols = ["kode_kompetensi", "n_target", "n_assessed", "n_below", "share_below", "mean_gap_target"]
    if "gap_target" not in gaps or "level_standar_target" not in gaps:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in cols})
        out.attrs.update(n_persons=0, n_persons_below=0, n_rows_below=0)
        return out
    g = gaps.loc[gaps["level_standar_target"].notna(),
                 ["pegawai_id", "kode_kompetensi", "gap_target"]].copy()
    g["gap_target"] = _numeric(g["gap_target"], "competency_gaps", "gap_target")
    g["_known"] = g["gap_target"].notna()
    g["_below"] = (g["gap_target"] < 0).fillna(False)
    out = g.groupby("kode_kompetensi", sort=True).agg(
        n_target=("pegawai_id", "nunique"), n_assessed=("_known", "sum"), n_below=("_below", "sum"),
        mean_gap_target=("gap_target", "mean")).reset_index()
    for c in ("n_target", "n_assessed", "n_below"):
        out[c] = out[c].astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_below"] = np.where(out["n_assessed"] > 0,
                                      out["n_below"] / out["n_assessed"].clip(lower=1), np.nan)
    out["kode_kompetensi"] = _str_col(out["kode_kompetensi"])
    out = out[cols]
    out.attrs.update(n_persons=int(g["pegawai_id"].nunique()),
                     n_persons_below=int(g.loc[g["_below"], "pegawai_id"].nunique()),
                     n_rows_below=int(g["_below"].sum()))
    return out


# --------------------------------------------------------------------------------------------
# survey response and non-response
# --------------------------------------------------------------------------------------------

def response_by_unit(pegawai: pd.DataFrame, survei_pegawai: pd.DataFrame | None, *,
                     settings: Settings | None = None) -> pd.DataFrame:
    """The AKPK survey's response by unit, with the low-response flag.

    Returns
    -------
    DataFrame
        ``kode_unit``, ``headcount``, ``n_respondents`` (employees of the unit who submitted the
        self-assessment; duplicates already resolved at load), ``response_rate``,
        ``low_response`` (``response_rate < survey.response_rate_low``).

    Notes
    -----
    Below 80 % unit response, OMB's Standards for Statistical Surveys (2006, Standard 3.2,
    Guideline 3.2.9) ask for a non-response bias analysis: respondents may differ from those
    who did not answer, and the survey's shares for the unit may be biased.
    """
    s = _settings(settings)
    _require_columns(pegawai, ["pegawai_id", "kode_unit"], "pegawai")
    resp = (set(_str_col(survei_pegawai["pegawai_id"])) if survei_pegawai is not None
            and "pegawai_id" in survei_pegawai else set())
    p = pd.DataFrame({"kode_unit": _str_col(pegawai["kode_unit"]).to_numpy(),
                      "_resp": _str_col(pegawai["pegawai_id"]).isin(resp).to_numpy()})
    out = p.groupby("kode_unit", sort=True).agg(headcount=("_resp", "size"),
                                                n_respondents=("_resp", "sum")).reset_index()
    out["headcount"] = out["headcount"].astype("int64")
    out["n_respondents"] = out["n_respondents"].astype("int64")
    out["response_rate"] = out["n_respondents"] / out["headcount"]
    out["low_response"] = out["response_rate"] < float(s["survey.response_rate_low"])
    out["kode_unit"] = _str_col(out["kode_unit"])
    return out


def nonresponse_check(pegawai: pd.DataFrame, survei_pegawai: pd.DataFrame | None,
                      performance: pd.DataFrame, jp: pd.DataFrame | None = None) -> pd.DataFrame:
    """Respondents against non-respondents on what the staff file knows of everyone.

    Parameters
    ----------
    pegawai : DataFrame
        ``pegawai_id``.
    survei_pegawai : DataFrame or None
        Who responded (``pegawai_id``).
    performance : DataFrame
        Output of :func:`workbook.needs.performance.performance_gaps` (``below_target``).
    jp : DataFrame, optional
        ``pegawai_id``, ``jp`` (last year's JP per person).

    Returns
    -------
    DataFrame
        Two rows, ``group`` = ``responden`` / ``bukan_responden``: ``n``, ``n_with_predikat``,
        ``share_performance_gap`` (of those with a predikat), ``mean_jp_last_year``.

    Notes
    -----
    A comparison on frame variables, the simplest non-response bias analysis of OMB Guideline
    3.2.9: a clear difference warns that the survey's figures may not hold for everyone.
    """
    _require_columns(pegawai, ["pegawai_id"], "pegawai")
    resp = (set(_str_col(survei_pegawai["pegawai_id"])) if survei_pegawai is not None
            and "pegawai_id" in survei_pegawai else set())
    ids = _str_col(pegawai["pegawai_id"])
    perf = performance.set_index(_str_col(performance["pegawai_id"]))["below_target"]
    d = pd.DataFrame({"pegawai_id": ids.to_numpy(), "_resp": ids.isin(resp).to_numpy()})
    d["_gap"] = d["pegawai_id"].map(perf).astype("boolean")
    jp_map = (jp.set_index(_str_col(jp["pegawai_id"]))["jp"] if jp is not None and len(jp)
              else pd.Series(dtype="float64"))
    d["_jp"] = d["pegawai_id"].map(jp_map).fillna(0.0).astype("float64")
    rows = []
    for code, flag in (("responden", True), ("bukan_responden", False)):
        g = d.loc[d["_resp"] == flag]
        known = g["_gap"].dropna()
        rows.append({"group": code, "n": int(len(g)), "n_with_predikat": int(len(known)),
                     "share_performance_gap": float(known.mean()) if len(known) else np.nan,
                     "mean_jp_last_year": float(g["_jp"].mean()) if len(g) else np.nan})
    return pd.DataFrame(rows)
