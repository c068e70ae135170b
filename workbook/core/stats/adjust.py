"""Multiple-comparison adjustment of p-values (as R ``p.adjust``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from workbook.core.exceptions import DataError
from workbook.core.stats.validation import P_ADJUST_METHODS, check_choice, to_float

__all__ = ["adjust_pvalues", "adjust_kernel"]


def adjust_pvalues(p: Any, method: str = "holm") -> np.ndarray:
    """Multiple-comparison adjusted p-values, in the input's order (as R ``p.adjust``).

    Parameters
    ----------
    p : array-like of float
        p-values; NaN stays NaN and is not counted in the family size m.
    method : {"holm", "bonferroni", "bh", "fdr_bh", "none"}, default="holm"

    Returns
    -------
    numpy.ndarray
        Same length and order as ``p``.

    Notes
    -----
    With p sorted ascending p_(1) ≤ … ≤ p_(m):
    Holm: :math:`\\tilde p_{(i)} = \\max_{j \\le i} \\min(1, (m-j+1) p_{(j)})`.
    Bonferroni: :math:`\\min(1, m p)`.
    Benjamini–Hochberg: :math:`\\tilde p_{(i)} = \\min_{j \\ge i} \\min(1, m p_{(j)}/j)`.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scand. J. Stat.*
    6, 65–70. Benjamini, Y. & Hochberg, Y. (1995). *J. R. Stat. Soc. B* 57, 289–300.
    R Core Team, ``stats::p.adjust``.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.02, 0.03, 0.04, 0.05]).round(2).tolist()
    [0.05, 0.08, 0.09, 0.09, 0.09]
    """
    check_choice(method, "method", P_ADJUST_METHODS)
    arr, labels = to_float(p, "p")
    bad = ~np.isnan(arr) & ((arr < 0) | (arr > 1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"Nilai p harus di antara 0 dan 1; indeks {labels[i]!r} berisi {arr[i]!r}.",
            f"p-values must lie between 0 and 1; index {labels[i]!r} holds {arr[i]!r}.",
            column="p",
            value=arr[i],
            expected="0 ≤ p ≤ 1",
            index=labels[i],
        )
    return adjust_kernel(arr, method)


def adjust_kernel(arr: np.ndarray, method: str) -> np.ndarray:
    out = np.full(arr.shape, np.nan)
    ok = ~np.isnan(arr)
    q = arr[ok]
    m = q.size
    if m == 0:
        return out
    if method == "none":
        adj = q
    elif method == "bonferroni":
        adj = np.minimum(1.0, m * q)
    elif method == "holm":
        o = np.argsort(q, kind="stable")
        adj_sorted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * q[o]))
        adj = np.empty(m)
        adj[o] = adj_sorted
    else:  # Benjamini-Hochberg
        o = np.argsort(-q, kind="stable")
        i = np.arange(m, 0, -1)
        adj_sorted = np.minimum(1.0, np.minimum.accumulate(m / i * q[o]))
        adj = np.empty(m)
        adj[o] = adj_sorted
    out[ok] = adj
    return out
