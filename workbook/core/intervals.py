"""Confidence intervals for shares and means of small populations (Wilson score with a finite
population correction, t-interval of a mean), and the share of a flag per unit. Shared by the needs
stage (gaps below standard, performance) and the evaluation stage (JP realisation)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from workbook.core.exceptions import DataError, SettingsError

__all__ = ["wilson_interval", "mean_interval", "share_by_unit"]


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise SettingsError(
            f"Tingkat kepercayaan harus di antara 0 dan 1, bukan {confidence!r}.",
            f"Confidence level must be between 0 and 1, not {confidence!r}.")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _wilson(k: np.ndarray, n: np.ndarray, z: float, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kernel: Wilson score interval with the variance multiplied by ``f`` (1 = no FPC)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        z2 = z * z * f
        denom = 1.0 + z2 / n
        centre = (p + z2 / (2.0 * n)) / denom
        half = (z * np.sqrt(f) / denom) * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    bad = ~(n > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def _fpc_proportion(n: np.ndarray, population: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(population > 1, (population - n) / (population - 1), 0.0)
    return np.where(np.isnan(population), 1.0, f)


def wilson_interval(
    k: Any, n: Any, *, confidence: float = 0.95, population: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, optionally with a finite-population correction.

    Parameters
    ----------
    k, n : array_like of int
        Successes and sample size (broadcast). ``n == 0`` gives NaN.
    confidence : float, default=0.95
    population : array_like, optional
        Population size :math:`N \\ge n` (e.g. unit headcount). NaN entries mean "no correction".

    Returns
    -------
    (low, high) : tuple of ndarray
        Bounds in [0, 1].

    Notes
    -----
    With :math:`\\hat p = k/n`, :math:`z = \\Phi^{-1}(1/2 + \\gamma/2)` and
    :math:`z_f^2 = z^2 f`:

    .. math:: \\frac{\\hat p + z_f^2/(2n) \\pm z\\sqrt{f}\\,\\sqrt{\\hat p(1-\\hat p)/n + z_f^2/(4n^2)}}
              {1 + z_f^2/n}

    Without a population, :math:`f = 1` (Wilson 1927; Newcombe 1998, method 3; identical to
    R ``prop.test(correct = FALSE)``). With a population, :math:`f = (N-n)/(N-1)`, the
    finite-population correction of the variance of a sample proportion under simple random
    sampling without replacement, :math:`V(\\hat p) = \\frac{N-n}{N-1}\\frac{PQ}{n}`
    (Cochran 1977, ch. 3), put into the score-test inversion — equivalently Wilson's formula
    with the modified sample size :math:`n/f` (Wallis 2013). At :math:`n = N` the interval
    collapses to :math:`\\hat p`; the width increases with :math:`N`.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
       inference. J. Am. Stat. Assoc. 22(158), 209–212.
    .. [2] Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
       comparison of seven methods. Stat. Med. 17(8), 857–872.
    .. [3] Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley, ch. 3.
    .. [4] Wallis, S. (2013). z-squared: the origin and application of χ². J. Quant. Linguist.
       20(4), 350–378.
    .. [5] O'Neill, B. (2021). Mathematical properties and finite-population correction for the
       Wilson score interval. arXiv:2109.12464.

    Examples
    --------
    >>> lo, hi = wilson_interval(81, 263)          # Newcombe (1998), Table I
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.2553, 0.3662)
    >>> lo, hi = wilson_interval(3, 12, population=12)   # census: the point 0.25
    >>> float(lo), float(hi)
    (0.25, 0.25)
    """
    z = _z(confidence)
    k_arr = np.asarray(k, dtype="float64")
    n_arr = np.asarray(n, dtype="float64")
    k_arr, n_arr = np.broadcast_arrays(k_arr, n_arr)
    if np.any((k_arr < 0) | (k_arr > n_arr)):
        raise DataError("Jumlah k harus 0 ≤ k ≤ n.", "Count k must satisfy 0 ≤ k ≤ n.",
                        value=k, expected="0 ≤ k ≤ n")
    if population is None:
        f = np.ones_like(n_arr)
    else:
        pop = np.broadcast_to(np.asarray(population, dtype="float64"), n_arr.shape)
        if np.any(pop < n_arr):
            raise DataError("Ukuran populasi N harus ≥ n.", "Population size N must be ≥ n.",
                            value=population, expected="N ≥ n")
        f = _fpc_proportion(n_arr, pop)
    low, high = _wilson(k_arr.copy(), n_arr.copy(), z, np.asarray(f, dtype="float64"))
    return low, high


def mean_interval(
    mean: Any, sd: Any, n: Any, *, confidence: float = 0.95, population: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """t-interval for a mean with the finite-population correction ``1 − n/N``.

    Notes
    -----
    :math:`\\bar y \\pm t_{n-1,\\,1/2+\\gamma/2}\\; s/\\sqrt{n}\\;\\sqrt{1 - n/N}` (Cochran 1977,
    ch. 2: :math:`V(\\bar y) = (1 - n/N) S^2/n`). NaN when :math:`n < 2`; zero width at
    :math:`n = N`.
    """
    z_check = _z(confidence)  # validates confidence
    del z_check
    m = np.asarray(mean, dtype="float64")
    sd_ = np.asarray(sd, dtype="float64")
    n_ = np.asarray(n, dtype="float64")
    m, sd_, n_ = np.broadcast_arrays(m, sd_, n_)
    if population is None:
        fpc = np.ones_like(n_)
    else:
        pop = np.broadcast_to(np.asarray(population, dtype="float64"), n_.shape)
        with np.errstate(invalid="ignore", divide="ignore"):
            fpc = np.where(np.isnan(pop), 1.0, np.clip(1.0 - n_ / pop, 0.0, 1.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(0.5 + confidence / 2, np.where(n_ >= 2, n_ - 1, np.nan))
        half = t * sd_ / np.sqrt(n_) * np.sqrt(fpc)
    low, high = m - half, m + half
    low = np.where(n_ >= 2, low, np.nan)
    high = np.where(n_ >= 2, high, np.nan)
    return low, high


def share_by_unit(flag: pd.Series, unit: pd.Series, confidence: float,
                   use_fpc: bool, name: str) -> pd.DataFrame:
    df = pd.DataFrame({"kode_unit": unit.to_numpy(), "_flag": flag.to_numpy()})
    df["_known"] = df["_flag"].notna()
    df["_hit"] = df["_flag"].fillna(False).astype(bool)
    g = df.groupby("kode_unit", sort=True).agg(
        headcount=("_flag", "size"), n=("_known", "sum"), k=("_hit", "sum")).reset_index()
    n_ = g["n"].to_numpy(dtype="float64")
    k_ = g["k"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n_ > 0, k_ / n_, np.nan)
    low, high = wilson_interval(k_, n_, confidence=confidence,
                                population=g["headcount"].to_numpy(dtype="float64") if use_fpc else None)
    return pd.DataFrame({
        "kode_unit": pd.array(g["kode_unit"], dtype="str"), "headcount": g["headcount"].astype("int64"),
        "n": g["n"].astype("int64"), f"n_{name}": g["k"].astype("int64"), f"share_{name}": share,
        "ci_low": low, "ci_high": high,
    })
