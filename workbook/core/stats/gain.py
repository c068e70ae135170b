"""Hake's normalized gain with the Hake and Indonesian effectiveness bands, and the ceiling check."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import settings_or_default as _settings
from workbook.core.settings import Settings
from workbook.core.stats.validation import (
    check_scores,
    complete_pairs,
    max_array,
    refuse_small,
    to_float,
)

__all__ = ["NGAIN_COLUMNS", "ngain_kernel", "normalized_gain", "ceiling_warning"]

_EDGE_TOL = 1e-12


def _band_labels(values: np.ndarray, settings: Settings) -> dict[str, np.ndarray]:
    hake = settings["ngain.hake_bands"]
    eff = settings["ngain.effectiveness_bands"]
    g = values
    pct = g * 100.0
    nan = np.isnan(g)
    # Half-open bands [edge, next). A gain that equals an edge up to floating-point error
    # (e.g. 42/60 computed via percentages) belongs to the upper band: compare with _EDGE_TOL.
    ge = lambda v, edge: v >= edge - _EDGE_TOL * max(1.0, abs(edge))  # noqa: E731
    hi_, me_ = ge(g, hake["high"]), ge(g, hake["medium"])
    hake = np.select([hi_, me_], ["high", "medium"], "low")
    effect = np.select(
        [ge(pct, eff["efektif"]), ge(pct, eff["cukup_efektif"]), ge(pct, eff["kurang_efektif"])],
        ["efektif", "cukup efektif", "kurang efektif"],
        "tidak efektif",
    )
    to_obj = lambda a: np.where(nan, None, a.astype(object))  # noqa: E731
    return {
        "hake_category": to_obj(hake),
        "ngain_pct": pct,
        "effectiveness": to_obj(effect),
    }


def ngain_kernel(
    pre: np.ndarray,
    post: np.ndarray,
    maxs: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    feeds: str,
    settings: Settings,
) -> dict[str, np.ndarray]:
    n = np.bincount(codes, minlength=n_groups).astype(float)
    pre_pct = pre / maxs * 100.0
    post_pct = post / maxs * 100.0
    at_max = pre >= maxs
    with np.errstate(invalid="ignore", divide="ignore"):
        mpre = np.bincount(codes, pre_pct, minlength=n_groups) / n
        mpost = np.bincount(codes, post_pct, minlength=n_groups) / n
        g_class = np.where(mpre < 100.0, (mpost - mpre) / (100.0 - mpre), np.nan)
        gi = np.where(at_max, 0.0, (post - pre) / np.where(at_max, 1.0, maxs - pre))
        n_inc = np.bincount(codes, ~at_max, minlength=n_groups).astype(float)
        g_ind = np.where(n_inc > 0, np.bincount(codes, gi, minlength=n_groups) / n_inc, np.nan)
    fed = g_class if feeds == "class" else g_ind
    out = {
        "n_excluded": (n - n_inc).astype(np.int64),
        "pre_mean_pct": mpre,
        "post_mean_pct": mpost,
        "g_class": g_class,
        "g_individual_mean": g_ind,
    }
    out.update(_band_labels(fed, settings))
    out["effectiveness_feeds"] = np.full(n_groups, feeds, dtype=object)
    return out


#: The columns of a normalized-gain result, in order (one row per group).
NGAIN_COLUMNS = [
    "n",
    "n_excluded",
    "pre_mean_pct",
    "post_mean_pct",
    "g_class",
    "g_individual_mean",
    "hake_category",
    "ngain_pct",
    "effectiveness",
    "effectiveness_feeds",
]


def normalized_gain(
    pre: Any, post: Any, max_score: Any, *, settings: Settings | None = None
) -> pd.DataFrame:
    """Hake's normalized gain of a class, with Hake and Indonesian effectiveness categories.

    Parameters
    ----------
    pre, post : array-like or Series
        Scores paired by position; incomplete pairs (a missing pre, post or maximum) dropped.
    max_score : float or array-like
        Maximum possible score, one for all or one per participant.
    settings : Settings, optional
        ``ngain.hake_bands``, ``ngain.effectiveness_bands``, ``ngain.effectiveness_feeds``.

    Returns
    -------
    pandas.DataFrame
        One row: ``n``, ``n_excluded`` (pre at the maximum: individual g undefined),
        ``pre_mean_pct``, ``post_mean_pct``, ``g_class``, ``g_individual_mean``,
        ``hake_category`` (code: high/medium/low; the Indonesian words tinggi/sedang/rendah are
        in :mod:`workbook.evaluation.words`),
        ``ngain_pct`` (fed gain × 100), ``effectiveness`` (tidak/kurang/cukup efektif, efektif),
        ``effectiveness_feeds`` ("class" or "individual": which gain fed both categories).

    Raises
    ------
    DataError
        Negative score, score above the maximum, maximum ≤ 0 (the first offending index is
        named), unequal lengths, fewer than 1 complete pair.

    Notes
    -----
    Class gain (Hake 1998): :math:`\\langle g\\rangle = (\\%post − \\%pre)/(100 − \\%pre)` on the
    class means of the percentage scores. Individual gain
    :math:`g_i = (post_i − pre_i)/(max_i − pre_i)`, averaged over participants with
    pre < max. Bands are half-open: high g ≥ 0.7, medium 0.3 ≤ g < 0.7, low g < 0.3; N-Gain %
    < 40 tidak efektif, 40 ≤ · < 56 kurang efektif, 56 ≤ · < 76 cukup efektif, ≥ 76 efektif
    (the 55–56 and 75–76 gaps of the Indonesian tables closed from below). Negative gains are
    kept (low / tidak efektif).

    References
    ----------
    Hake, R. R. (1998). Interactive-engagement versus traditional methods. *Am. J. Phys.* 66, 64–74.
    Hake, R. R. (1999). Analyzing change/gain scores. AERA-D (for the effectiveness bands as
    cited in Indonesian practice).

    Examples
    --------
    >>> r = normalized_gain([40, 60], [70, 80], 100)
    >>> round(float(r["g_class"].iloc[0]), 4)
    0.5
    """
    s = _settings(settings)
    a, la = to_float(pre, "pre")
    b, _ = to_float(post, "post")
    if a.size != b.size:
        complete_pairs(pre, post)
    m = max_array(max_score, a.size, la)
    ok = ~(np.isnan(a) | np.isnan(b) | np.isnan(m))
    a, b, m, la = a[ok], b[ok], m[ok], la[ok]
    check_scores(a, b, m, la)
    if a.size < 1:
        refuse_small(0)
    k = ngain_kernel(
        a, b, m, np.zeros(a.size, dtype=np.int64), 1, str(s["ngain.effectiveness_feeds"]), s
    )
    k["n"] = np.array([a.size], dtype=np.int64)
    return pd.DataFrame({c: k[c] for c in NGAIN_COLUMNS})


def ceiling_warning(pre: Any, max_score: Any, *, settings: Settings | None = None) -> str | None:
    """Warn when the pre-test mean is already near the maximum (ceiling effect).

    Returns
    -------
    str or None
        A bilingual message (Indonesian | English) when the mean of pre/max × 100 is
        ≥ ``evaluation.ceiling_warning_pct``; otherwise None (so it can be used as a bool).

    Notes
    -----
    Near the ceiling a gain cannot show and N-Gain becomes unstable (denominator 100 − %pre).

    References
    ----------
    Pawl, A., Barrantes, A. & Pritchard, D. E. What can normalized gain reveal? (PERC 2011).
    """
    s = _settings(settings)
    a, la = to_float(pre, "pre")
    m = max_array(max_score, a.size, la)
    ok = ~(np.isnan(a) | np.isnan(m))
    if not ok.any():
        return None
    check_scores(a[ok], a[ok], m[ok], la[ok])
    pct = float(np.mean(a[ok] / m[ok] * 100.0))
    limit = float(s["evaluation.ceiling_warning_pct"])
    if pct >= limit:
        return (
            f"Rata-rata pre-test {pct:.1f} % dari maksimum (≥ {limit:g} %): kemungkinan efek "
            "plafon; kenaikan dan N-Gain sulit ditafsirkan. | "
            f"Mean pre-test is {pct:.1f} % of the maximum (≥ {limit:g} %): likely ceiling "
            "effect; gains and N-Gain are hard to interpret."
        )
    return None
