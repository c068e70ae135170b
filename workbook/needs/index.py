"""Needs analysis (AKPK): where the needs are — by unit × competency, competency and person.

Built on the gaps of :mod:`workbook.needs.gaps` (PP 11/2017 Pasal 206, DOMAIN.md §1.6):

* :func:`unit_competency_summary` — share below standard and mean gap per unit × competency,
  with the response rate and intervals;
* :func:`need_index` — a per-competency need ranking, importance × shortfall (Hennessy-Hicks)
  or Borich's mean weighted discrepancy score;
* :func:`inventory` — the competencies each employee needs to develop (Pasal 205(1)(a)).

The conventions of :mod:`workbook.needs.gaps` hold: inputs are validated with a bilingual
:class:`~workbook.core.exceptions.DataError`, outputs are long, tidy DataFrames, nothing is
rounded or suppressed here, and blank answers stay ``NaN``. The method note is
``docs/methods/needs.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbook.core.checks import in_range as _check_range
from workbook.core.checks import numeric as _numeric
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import SettingsError
from workbook.core.intervals import mean_interval, wilson_interval
from workbook.core.settings import Settings
from workbook.needs.gaps import importance_bounds, level_bounds

__all__ = ["unit_competency_summary", "need_index", "inventory"]


def _str_col(series: pd.Series) -> pd.Series:
    return series.astype("str")


# --------------------------------------------------------------------------------------------
# unit × competency summary
# --------------------------------------------------------------------------------------------

def unit_competency_summary(
    gaps: pd.DataFrame,
    pegawai: pd.DataFrame,
    survei_pegawai: pd.DataFrame | None,
    *,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Share below standard and mean gap per unit × competency, with response rate and CIs.

    Parameters
    ----------
    gaps : DataFrame
        Output of :func:`competency_gaps`.
    pegawai : DataFrame
        Employees (``pegawai_id``, ``kode_unit``).
    survei_pegawai : DataFrame or None
        The self-assessment form (wide; only ``pegawai_id`` is used: who responded).
    settings : Settings, optional
        ``evaluation.confidence``, ``suppression.k_count``.

    Returns
    -------
    DataFrame
        ``kode_unit``, ``kode_kompetensi``, ``n_staff`` (employees of the unit whose current
        standard includes the competency), ``n_respondents`` (of those, who submitted the
        self-assessment form), ``response_rate`` (``n_respondents / n_staff``), ``n_assessed``
        (with a known actual level), ``n_below``, ``share_below`` (``n_below / n_assessed``),
        ``share_ci_low``, ``share_ci_high``, ``share_bound_low``, ``share_bound_high``
        (worst-case bounds for the staff without a known level, see Notes), ``mean_gap``,
        ``sd_gap``, ``mean_gap_ci_low``, ``mean_gap_ci_high``, ``census`` (every staff member counted: ``n_assessed ==
        n_staff``; the four interval columns are then NaN), ``small_group``
        (``n_assessed < suppression.k_count``). Nothing is suppressed here.

    Notes
    -----
    Share: Wilson interval with :math:`f = (N-n)/(N-1)`, :math:`N` = ``n_staff``; mean gap:
    t-interval with :math:`\\sqrt{1 - n/N}` (see :func:`~workbook.core.intervals.wilson_interval`,
    :func:`~workbook.core.intervals.mean_interval`).
    The intervals treat the assessed staff as a random sample of the unit's staff; non-response
    is rarely random, so the response rate is always shown next to them. When every staff member
    is counted (a census) there is no sampling error: no interval is given (a finite-population
    interval would have zero width, which a reader takes for an error; review M6).

    What the report prints instead are the worst-case (Manski) bounds for non-response: the staff
    with the competency but without a known level (:math:`N - n`) are counted first as all meeting
    the standard, then as all below it,

    .. math:: \\frac{k}{N} \\le p \\le \\frac{k + N - n}{N},

    with :math:`k` = ``n_below``. They assume nothing about who did not answer (no sampling
    model: the unit's staff is nearly a census) and equal the observed share when :math:`n = N`.
    Manski (1989), "Anatomy of the selection problem", *Journal of Human Resources* 24(3),
    343–360; Manski (2003), *Partial Identification of Probability Distributions*, Springer, ch. 1.
    """
    s = _settings(settings)
    conf = float(s["evaluation.confidence"])
    _require_columns(gaps, ["pegawai_id", "kode_unit", "kode_kompetensi", "level_standar", "gap"],
                     "competency_gaps")
    _require_columns(pegawai, ["pegawai_id", "kode_unit"], "pegawai")
    g = gaps.loc[gaps["level_standar"].notna(),
                 ["pegawai_id", "kode_unit", "kode_kompetensi", "gap"]].copy()
    g["gap"] = _numeric(g["gap"], "competency_gaps", "gap")
    if survei_pegawai is not None:
        _require_columns(survei_pegawai, ["pegawai_id"], "survei_pegawai")
        responded = set(_str_col(survei_pegawai["pegawai_id"]))
    else:
        responded = set()
    g["_resp"] = g["pegawai_id"].astype("str").isin(responded)
    g["_known"] = g["gap"].notna()
    g["_below"] = (g["gap"] < 0) & g["_known"]
    agg = g.groupby(["kode_unit", "kode_kompetensi"], sort=True).agg(
        n_staff=("pegawai_id", "size"), n_respondents=("_resp", "sum"),
        n_assessed=("_known", "sum"), n_below=("_below", "sum"),
        mean_gap=("gap", "mean"), sd_gap=("gap", "std"),
    ).reset_index()
    for c in ("n_staff", "n_respondents", "n_assessed", "n_below"):
        agg[c] = agg[c].astype("int64")
    N = agg["n_staff"].to_numpy(dtype="float64")
    n = agg["n_assessed"].to_numpy(dtype="float64")
    k = agg["n_below"].to_numpy(dtype="float64")
    agg["response_rate"] = agg["n_respondents"] / agg["n_staff"]
    with np.errstate(invalid="ignore", divide="ignore"):
        agg["share_below"] = np.where(n > 0, k / n, np.nan)
    lo, hi = wilson_interval(k, n, confidence=conf, population=N)
    agg["share_ci_low"], agg["share_ci_high"] = lo, hi
    with np.errstate(invalid="ignore", divide="ignore"):
        agg["share_bound_low"] = np.where(N > 0, k / N, np.nan)
        agg["share_bound_high"] = np.where(N > 0, (k + N - n) / N, np.nan)
    mlo, mhi = mean_interval(agg["mean_gap"], agg["sd_gap"], n, confidence=conf, population=N)
    agg["mean_gap_ci_low"], agg["mean_gap_ci_high"] = mlo, mhi
    # every staff member with the competency has a known level: a census, no sampling interval
    agg["census"] = (agg["n_assessed"] == agg["n_staff"]) & (agg["n_staff"] > 0)
    agg.loc[agg["census"], ["share_ci_low", "share_ci_high", "mean_gap_ci_low",
                            "mean_gap_ci_high"]] = np.nan
    agg["small_group"] = agg["n_assessed"] < int(s["suppression.k_count"])
    agg["kode_unit"] = _str_col(agg["kode_unit"])
    agg["kode_kompetensi"] = _str_col(agg["kode_kompetensi"])
    return agg[["kode_unit", "kode_kompetensi", "n_staff", "n_respondents", "response_rate",
                "n_assessed", "n_below", "share_below", "share_ci_low", "share_ci_high",
                "share_bound_low", "share_bound_high", "mean_gap", "sd_gap", "mean_gap_ci_low", "mean_gap_ci_high", "census", "small_group"]]


# --------------------------------------------------------------------------------------------
# need index and inventory
# --------------------------------------------------------------------------------------------

def _rescale(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return (x - lo) / (hi - lo)


def _need_product(imp_s: np.ndarray, short_s: np.ndarray) -> float:
    """Kernel: mean over respondents of importance × shortfall (both on [0, 1])."""
    return float(np.mean(imp_s * short_s)) if imp_s.size else np.nan


def _borich_mwds(imp: np.ndarray, perf: np.ndarray) -> float:
    """Kernel: Borich (1980) mean weighted discrepancy score.

    ``MWDS = Σ_i (I_i − P_i) · Ī / n`` = mean(I − P) × mean(I).
    """
    if imp.size == 0:
        return np.nan
    return float(np.sum((imp - perf) * imp.mean()) / imp.size)


def _need_frame(gaps: pd.DataFrame, survey: pd.DataFrame, s: Settings) -> pd.DataFrame:
    lo, hi = level_bounds(s)
    ilo, ihi = importance_bounds(s)
    _require_columns(gaps, ["pegawai_id", "kode_kompetensi", "level_standar", "level_actual"],
                     "competency_gaps")
    _require_columns(survey, ["pegawai_id", "kode_kompetensi", "penting"], "survey_long")
    sv = pd.DataFrame({
        "pegawai_id": _str_col(survey["pegawai_id"]).to_numpy(),
        "kode_kompetensi": _str_col(survey["kode_kompetensi"]).to_numpy(),
        "penting": _numeric(survey["penting"], "survey_long", "penting").to_numpy(),
    })
    _check_range(sv["penting"], ilo, ihi, "survey_long", "penting")
    g = gaps.copy()
    g["pegawai_id"] = _str_col(g["pegawai_id"])
    g["kode_kompetensi"] = _str_col(g["kode_kompetensi"])
    out = g.merge(sv, on=["pegawai_id", "kode_kompetensi"], how="left")
    act = _numeric(out["level_actual"], "competency_gaps", "level_actual").to_numpy()
    std = _numeric(out["level_standar"], "competency_gaps", "level_standar").to_numpy()
    out["shortfall_scaled"] = np.maximum(0.0, std - act) / (hi - lo)
    out["performance_scaled"] = _rescale(act, lo, hi)
    out["importance_scaled"] = _rescale(out["penting"].to_numpy(), ilo, ihi)
    if "level_standar_target" in out.columns:
        stt = _numeric(out["level_standar_target"], "competency_gaps", "level_standar_target").to_numpy()
        out["shortfall_target_scaled"] = np.maximum(0.0, stt - act) / (hi - lo)
    return out


def need_index(
    gaps: pd.DataFrame,
    survey: pd.DataFrame,
    *,
    method: str = "product",
    by: str | Sequence[str] | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Training-need index per competency (optionally per unit): importance × shortfall.

    Parameters
    ----------
    gaps : DataFrame
        Output of :func:`competency_gaps` (rows of the current standard are used).
    survey : DataFrame
        Output of :func:`survey_long` (``penting``: importance).
    method : {"product", "borich"}, default="product"
    by : str or list of str, optional
        Extra grouping columns of ``gaps`` (e.g. ``"kode_unit"``).
    settings : Settings, optional
        ``levels.proficiency_min/max``, ``levels.importance_scale``.

    Returns
    -------
    DataFrame
        ``[by...,] kode_kompetensi, n, mean_shortfall, mean_importance, need_index, rank,
        method``. ``n`` = respondents with both a known actual level and an importance answer;
        ``mean_shortfall`` and ``mean_importance`` are on the rescaled [0, 1] scale; ``rank`` 1 =
        greatest need (ties share the lowest rank), within each ``by`` group.

    Notes
    -----
    Importance and proficiency use different scales, so both are rescaled to [0, 1]:
    :math:`s_{ik} = \\max(0, L^{std}_{ik} - L^{act}_{ik}) / (L_{max} - L_{min})`,
    :math:`m_{ik} = (I_{ik} - I_{min}) / (I_{max} - I_{min})`.

    ``product`` (default): :math:`\\text{need}_k = \\frac{1}{n_k} \\sum_i m_{ik} s_{ik}` — the
    Hennessy-Hicks logic that a training need is a performance deficit on a task that matters
    (Hennessy & Hicks 2011), with the deficit measured against the job standard (Pasal 206).

    ``borich``: Borich's (1980) mean weighted discrepancy score, computed as published on the
    rescaled values, with performance :math:`p_{ik} = (L^{act}_{ik} - L_{min})/(L_{max}-L_{min})`:
    :math:`\\mathrm{MWDS}_k = \\frac{1}{n_k}\\sum_i (m_{ik} - p_{ik})\\,\\bar m_k
    = \\overline{(m - p)}_k \\cdot \\bar m_k`. It ignores the standard (Borich compares
    importance with self-rated competence on one scale) and can be negative;
    ``mean_shortfall`` is still reported for the same respondents.

    References
    ----------
    .. [1] Hennessy, D., & Hicks, C. (2011). Hennessy-Hicks Training Needs Analysis
       Questionnaire and Manual. University of Birmingham / WHO (DOMAIN.md [S68]).
    .. [2] Borich, G. D. (1980). A needs assessment model for conducting follow-up studies.
       Journal of Teacher Education, 31(3), 39–42.
    .. [3] Caillouet, O., & Harder, A. Conducting the Needs Assessment #8: The Borich Model.
       UF/IFAS EDIS WC415 (computation of the MWDS).
    """
    s = _settings(settings)
    if method not in ("product", "borich"):
        raise SettingsError(
            f"Metode indeks kebutuhan harus 'product' atau 'borich', bukan {method!r}.",
            f"Need-index method must be 'product' or 'borich', not {method!r}.")
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    _require_columns(gaps, by_cols, "competency_gaps")
    d = _need_frame(gaps, survey, s)
    d = d.loc[d["level_standar"].notna()]
    d = d.loc[d["importance_scaled"].notna() & d["performance_scaled"].notna()]
    keys = by_cols + ["kode_kompetensi"]
    all_keys = gaps.loc[gaps["level_standar"].notna(), keys].drop_duplicates()
    rows = []
    for kv, grp in d.groupby(keys, sort=True):
        kv = kv if isinstance(kv, tuple) else (kv,)
        imp = grp["importance_scaled"].to_numpy()
        sh = grp["shortfall_scaled"].to_numpy()
        if method == "product":
            val = _need_product(imp, sh)
        else:
            val = _borich_mwds(imp, grp["performance_scaled"].to_numpy())
        rows.append(dict(zip(keys, kv, strict=True)) | {
            "n": int(len(grp)), "mean_shortfall": float(sh.mean()),
            "mean_importance": float(imp.mean()), "need_index": val})
    res = pd.DataFrame(rows, columns=keys + ["n", "mean_shortfall", "mean_importance", "need_index"])
    for c in keys:
        res[c] = _str_col(res[c])
        all_keys[c] = _str_col(all_keys[c])
    res = all_keys.merge(res, on=keys, how="left")  # competencies with no respondent: n = 0
    res["n"] = res["n"].fillna(0).astype("int64")
    grp_rank = res.groupby(by_cols)["need_index"] if by_cols else res["need_index"]
    res["rank"] = grp_rank.rank(method="min", ascending=False).astype("Int64")
    res["method"] = method
    res = res.sort_values(by_cols + ["rank", "kode_kompetensi"], na_position="last")
    return res.reset_index(drop=True)


def inventory(gaps: pd.DataFrame, survey: pd.DataFrame, *,
              settings: Settings | None = None) -> pd.DataFrame:
    """Inventory of competencies each employee needs to develop (Pasal 205(1)(a)).

    Person-level and pseudonymous: an output of the *restricted* class
    (``attrs["output_class"] == "restricted"``).

    Returns
    -------
    DataFrame
        Only competencies with a shortfall against the current or the target standard:
        ``pegawai_id``, ``kode_kompetensi``, ``gap``, ``gap_target``, ``shortfall_basis``
        (``"standar"``, ``"target"``, ``"keduanya"``), ``importance`` (raw answer, NaN if blank),
        ``need_score``, ``priority`` (1 = most needed, per employee), ordered by employee and
        priority.

    Notes
    -----
    :math:`\\text{need}_{ik} = m_{ik} \\cdot \\max(s_{ik}, s^{target}_{ik})` with the rescaled
    importance :math:`m` and shortfalls :math:`s` of :func:`need_index`. A blank importance
    gives ``need_score`` NaN (never 0); such rows come after the scored ones, ordered by
    shortfall. Ties: larger shortfall first, then competency code.
    """
    s = _settings(settings)
    d = _need_frame(gaps, survey, s)
    sh = d["shortfall_scaled"].fillna(0.0).to_numpy()
    sht = (d["shortfall_target_scaled"].fillna(0.0).to_numpy()
           if "shortfall_target_scaled" in d else np.zeros(len(d)))
    cur, tgt = sh > 0, sht > 0
    d = d.assign(_short=np.maximum(sh, sht))
    d["shortfall_basis"] = np.where(cur & tgt, "keduanya", np.where(cur, "standar", "target"))
    d = d.loc[cur | tgt].copy()
    d["need_score"] = d["importance_scaled"] * d["_short"]
    if "gap_target" not in d.columns:
        d["gap_target"] = np.nan
    d["_scored"] = d["need_score"].notna()
    d = d.sort_values(["pegawai_id", "_scored", "need_score", "_short", "kode_kompetensi"],
                      ascending=[True, False, False, False, True], na_position="last")
    d["priority"] = d.groupby("pegawai_id").cumcount().astype("int64") + 1
    out = d.rename(columns={"penting": "importance"})[
        ["pegawai_id", "kode_kompetensi", "gap", "gap_target", "shortfall_basis", "importance",
         "need_score", "priority"]].reset_index(drop=True)
    out["shortfall_basis"] = _str_col(out["shortfall_basis"])
    out.attrs["output_class"] = "restricted"
    return out
