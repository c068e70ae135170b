"""Power of the paired t-test and the smallest effect it detects (noncentral t)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats
from scipy.optimize import brentq

from workbook.core.exceptions import DataError
from workbook.core.stats.validation import ALTERNATIVES, Alternative, check_choice

__all__ = ["power_paired_t", "min_detectable_effect"]


def _power_kernel(ncp: float, df: float, alpha: float, alternative: str, strict: bool) -> float:
    if alternative == "two-sided":
        q = stats.t.isf(alpha / 2, df)
        p = stats.nct.sf(q, df, ncp)
        if not strict:
            return float(p)
        # The lower tail is negligible for a positive ncp, and scipy's nct.cdf returns NaN far
        # out in it; a NaN there would stop the root finder, so it counts as 0.
        lower = stats.nct.cdf(-q, df, ncp)
        return float(p + (0.0 if not np.isfinite(lower) else lower))
    q = stats.t.isf(alpha, df)
    if alternative == "greater":
        return float(stats.nct.sf(q, df, ncp))
    return float(stats.nct.cdf(-q, df, ncp))


def _check_power_args(n: Any, alpha: float, alternative: str) -> None:
    check_choice(alternative, "alternative", ALTERNATIVES)
    if not (isinstance(n, (int, np.integer, float)) and n >= 2):
        raise DataError(
            f"Jumlah pasangan harus ≥ 2, bukan {n!r}.",
            f"The number of pairs must be ≥ 2, not {n!r}.",
            column="n",
            value=n,
        )
    if not (0 < alpha < 1):
        raise DataError(
            f"α harus di antara 0 dan 1, bukan {alpha!r}.",
            f"α must lie between 0 and 1, not {alpha!r}.",
            column="alpha",
            value=alpha,
        )


def power_paired_t(
    d: float,
    n: int,
    *,
    alpha: float = 0.05,
    alternative: Alternative = "two-sided",
    strict: bool = True,
) -> float:
    """Power of the paired t-test for a standardised change d_z with n pairs.

    Notes
    -----
    Noncentral t with λ = d_z √n and n − 1 df; two-sided power
    :math:`P(T > t_{1-α/2}) + P(T < −t_{1-α/2})`. ``strict=False`` drops the second term, as
    R ``power.t.test`` does by default (the difference is negligible unless d ≈ 0).
    ``alternative="greater"`` expects d > 0 (improvement).

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    R Core Team, ``stats::power.t.test(type = "paired")``.
    """
    _check_power_args(n, alpha, alternative)
    return _power_kernel(float(d) * np.sqrt(n), n - 1.0, alpha, alternative, strict)


def min_detectable_effect(
    n: int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    alternative: Alternative = "two-sided",
    strict: bool = True,
) -> float:
    """Smallest |d_z| a paired t-test with n pairs detects with the given power.

    Notes
    -----
    Solves ``power_paired_t(d, n) = power`` for d by Brent's method. Returned positive for
    "two-sided" and "greater", negative for "less".

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    """
    _check_power_args(n, alpha, alternative)
    if not (0 < power < 1):
        raise DataError(
            f"Daya uji harus di antara 0 dan 1, bukan {power!r}.",
            f"Power must lie between 0 and 1, not {power!r}.",
            column="power",
            value=power,
        )
    sign = -1.0 if alternative == "less" else 1.0
    floor = _power_kernel(0.0, n - 1.0, alpha, alternative, strict)
    if power <= floor:
        return 0.0

    def gap(d: float) -> float:
        return _power_kernel(sign * d * np.sqrt(n), n - 1.0, alpha, alternative, strict) - power

    hi = 1.0
    while gap(hi) < 0:
        hi *= 2.0
    return sign * brentq(gap, 0.0, hi, xtol=1e-12, rtol=1e-12)
