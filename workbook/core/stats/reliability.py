"""Reliability and normality: Cronbach's alpha, the reliable change index, the Lilliefors test."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from workbook.core.exceptions import DataError
from workbook.core.stats.distributions import lilliefors_pvalue
from workbook.core.stats.validation import check_confidence, complete_pairs, to_float

__all__ = ["reliable_change_index", "cronbach_alpha", "lilliefors_test"]


def reliable_change_index(
    pre: Any,
    post: Any,
    *,
    reliability: float,
    sd_pre: float | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Jacobson–Truax reliable change index per participant.

    Parameters
    ----------
    pre, post : array-like or Series
        Paired by position. Rows with a missing score get NaN (they are not dropped, so the
        result lines up with the input).
    reliability : float
        Test–retest (or internal-consistency) reliability r_xx of the instrument, 0 ≤ r < 1.
    sd_pre : float, optional
        Standard deviation of the pre-test (norm group); default: sample SD of ``pre`` (ddof=1).
    confidence : float, default=0.95
        Two-sided level of the criterion (1.96 at 0.95).

    Returns
    -------
    pandas.DataFrame
        ``rci``, ``reliable_improvement`` (rci > z), ``reliable_decline`` (rci < −z), indexed
        like ``pre``.

    Notes
    -----
    :math:`SE = s_1\\sqrt{1-r_{xx}}`, :math:`S_{diff} = \\sqrt{2 SE^2}`,
    :math:`RCI = (x_2 - x_1)/S_{diff}`.

    References
    ----------
    Jacobson, N. S. & Truax, P. (1991). Clinical significance: a statistical approach to defining
    meaningful change in psychotherapy research. *J. Consult. Clin. Psychol.* 59, 12–19.
    """
    check_confidence(confidence)
    a, la = to_float(pre, "pre")
    b, _ = to_float(post, "post")
    if a.size != b.size:
        complete_pairs(pre, post)
    if not (isinstance(reliability, (int, float)) and 0 <= reliability < 1):
        raise DataError(
            f"Reliabilitas harus 0 ≤ r < 1, bukan {reliability!r}.",
            f"Reliability must satisfy 0 ≤ r < 1, not {reliability!r}.",
            column="reliability",
            value=reliability,
            expected="0 ≤ r < 1",
        )
    s1 = float(np.nanstd(a, ddof=1)) if sd_pre is None else float(sd_pre)
    if not (np.isfinite(s1) and s1 > 0):
        raise DataError(
            "Simpangan baku pre-test harus positif.",
            "The pre-test standard deviation must be positive.",
            column="sd_pre",
            value=s1,
            expected="> 0",
        )
    s_diff = np.sqrt(2.0 * (s1 * np.sqrt(1.0 - reliability)) ** 2)
    rci = (b - a) / s_diff
    z = special.ndtri(1 - (1 - confidence) / 2)
    index = pre.index if isinstance(pre, pd.Series) else None
    return pd.DataFrame(
        {"rci": rci, "reliable_improvement": rci > z, "reliable_decline": rci < -z}, index=index
    )


def cronbach_alpha(items: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha of a wide item table (rows = respondents), with Feldt's interval.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item, numeric. Rows with any missing item are dropped (listwise; counted
        in ``n_dropped``).
    confidence : float, default=0.95

    Returns
    -------
    pandas.DataFrame
        One row: ``n``, ``n_dropped``, ``k`` (items), ``alpha``, ``ci_low``, ``ci_high``,
        ``ci_method``.

    Notes
    -----
    :math:`\\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum s_i^2}{s_X^2}\\right)`. Feldt (1965):
    :math:`1-\\alpha` follows :math:`(1-\\alpha_{pop})F(n-1, (n-1)(k-1))`, so the limits are
    :math:`1-(1-\\alpha)F_{a/2}` and :math:`1-(1-\\alpha)F_{1-a/2}` (upper-tail quantiles), as
    ``pingouin.cronbach_alpha`` (which rounds its CI to 3 decimals; this does not).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16, 297–334. Feldt, L. S. (1965). The approximate sampling distribution of
    Kuder-Richardson reliability coefficient twenty. *Psychometrika* 30, 357–370.
    """
    check_confidence(confidence)
    if not isinstance(items, pd.DataFrame):
        raise DataError(
            "Butir harus berupa tabel (DataFrame), satu kolom per butir.",
            "Items must be a table (DataFrame), one column per item.",
        )
    for col in items.columns:
        if not pd.api.types.is_numeric_dtype(items[col]):
            raise DataError(
                f"Kolom butir '{col}' bukan angka.",
                f"Item column '{col}' is not numeric.",
                column=str(col),
            )
    x = items.to_numpy(dtype=float, na_value=np.nan)
    complete = ~np.isnan(x).any(axis=1)
    x = x[complete]
    n, k = x.shape
    if k < 2 or n < 2:
        raise DataError(
            f"Alpha Cronbach memerlukan ≥ 2 butir dan ≥ 2 responden lengkap (ada {k} butir, {n} responden).",
            f"Cronbach's alpha needs ≥ 2 items and ≥ 2 complete respondents (got {k} items, {n} respondents).",
            value=(n, k),
            expected="n ≥ 2, k ≥ 2",
        )
    alpha_ = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    a = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lo = 1 - (1 - alpha_) * stats.f.isf(a / 2, df1, df2)
    hi = 1 - (1 - alpha_) * stats.f.isf(1 - a / 2, df1, df2)
    return pd.DataFrame(
        [
            {
                "n": n,
                "n_dropped": int((~complete).sum()),
                "k": k,
                "alpha": alpha_,
                "ci_low": lo,
                "ci_high": hi,
                "ci_method": "Feldt 1965 (F)",
            }
        ]
    )


def lilliefors_test(x: Any) -> tuple[float, float]:
    """Lilliefors (Kolmogorov–Smirnov) normality test, as R ``nortest::lillie.test``.

    Returns
    -------
    (D, p_value)

    Notes
    -----
    :math:`D = \\max(D^+, D^-)` with :math:`p_{(i)} = \\Phi((x_{(i)}-\\bar x)/s)`; p-value from the
    Dallal–Wilkinson (1986) formula, and from Stephens' (1974) modified statistic
    :math:`Z = D(\\sqrt n - 0.01 + 0.85/\\sqrt n)` when that p exceeds 0.1. ``scipy.stats``
    has no Lilliefors p-value; ``scipy.stats.goodness_of_fit`` gives a Monte-Carlo one (used in
    the tests as a cross-check).

    References
    ----------
    Lilliefors, H. W. (1967). *JASA* 62, 399–402. Dallal, G. E. & Wilkinson, L. (1986).
    *Am. Stat.* 40, 294–296. Stephens, M. A. (1974). *JASA* 69, 730–737.
    Gross, J. & Ligges, U. (2015). nortest: Tests for Normality. R package.
    """
    arr, _ = to_float(x, "x")
    arr = np.sort(arr[~np.isnan(arr)])
    n = arr.size
    if n < 5:
        raise DataError(
            "Uji Lilliefors memerlukan lebih dari 4 nilai.",
            "The Lilliefors test needs more than 4 values.",
            value=n,
            expected="n > 4",
        )
    p = special.ndtr((arr - arr.mean()) / arr.std(ddof=1))
    i = np.arange(1, n + 1)
    d = float(max(np.max(i / n - p), np.max(p - (i - 1) / n)))
    return d, float(lilliefors_pvalue(np.array([d]), np.array([float(n)]))[0])
