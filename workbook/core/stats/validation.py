"""Input checks shared by the statistics functions: options, numeric vectors, score ranges.

Every check raises :class:`workbook.core.exceptions.DataError` naming the first offending value
(its index label, or its position for plain arrays), in Indonesian and English.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from workbook.core.checks import parse_numbers
from workbook.core.exceptions import DataError

__all__ = [
    "Alternative",
    "ALTERNATIVES",
    "METHODS",
    "ZERO_METHODS",
    "P_ADJUST_METHODS",
    "check_choice",
    "check_confidence",
    "to_float",
    "complete_pairs",
    "refuse_small",
    "check_scores",
    "max_array",
]

Alternative = Literal["two-sided", "greater", "less"]
ALTERNATIVES = ("two-sided", "greater", "less")
METHODS = ("auto", "t", "wilcoxon")
ZERO_METHODS = ("wilcox", "pratt")
#: methods of :func:`workbook.core.stats.adjust_pvalues` (as R ``p.adjust``; "bh" = "fdr_bh")
P_ADJUST_METHODS = ("holm", "bonferroni", "bh", "fdr_bh", "none")


def check_choice(value: Any, name: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise DataError(
            f"Parameter '{name}' = {value!r} tidak dikenal; pilihan: {', '.join(map(str, allowed))}.",
            f"Parameter '{name}' = {value!r} is unknown; choices: {', '.join(map(str, allowed))}.",
            column=name,
            value=value,
            expected=", ".join(map(str, allowed)),
        )


def check_confidence(confidence: float) -> None:
    if not (isinstance(confidence, (int, float)) and 0.0 < float(confidence) < 1.0):
        raise DataError(
            f"Tingkat kepercayaan harus di antara 0 dan 1, bukan {confidence!r}.",
            f"The confidence level must lie between 0 and 1, not {confidence!r}.",
            column="confidence",
            value=confidence,
            expected="0 < confidence < 1",
        )


def to_float(x: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    """1-D float array (missing -> NaN) and the labels used to locate problems.

    A Series keeps its index labels; anything else is labelled by position (0-based). Cells are
    read by the rule of :func:`workbook.core.checks.parse_numbers` (blank → missing; text that is
    not a number and ±infinity raise).
    """
    if isinstance(x, np.ndarray) and x.dtype.kind in "fiub" and x.ndim == 1:
        arr = x.astype(float)  # fast path: plain numeric vector, labelled by position
        if np.isinf(arr).any():
            i = int(np.flatnonzero(np.isinf(arr))[0])
            raise DataError(
                f"'{name}' berisi nilai tak hingga pada indeks {i}.",
                f"'{name}' holds an infinite value at index {i}.",
                column=name,
                value=arr[i],
                expected="angka / number",
                index=i,
            )
        return arr, np.array(range(arr.size), dtype=object)
    if isinstance(x, pd.Series):
        ser = x
    else:
        raw = np.asarray(x, dtype=object)
        if raw.ndim > 1 and sum(d > 1 for d in raw.shape) > 1:
            raise DataError(
                f"'{name}' harus satu kolom/vektor, bukan tabel.",
                f"'{name}' must be one column/vector, not a table.",
                column=name,
            )
        ser = pd.Series(raw.ravel())
    labels = np.array(ser.index.tolist(), dtype=object)
    values, bad = parse_numbers(ser)
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        v = ser.iloc[i]
        raise DataError(
            f"'{name}' berisi nilai yang bukan angka hingga pada indeks {labels[i]!r}: {v!r}.",
            f"'{name}' holds a value that is not a finite number at index {labels[i]!r}: {v!r}.",
            column=name,
            value=v,
            expected="angka / number",
            index=labels[i],
        )
    return arr, labels


def complete_pairs(pre: Any, post: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Validated pre/post arrays (complete pairs only), their labels and the count dropped."""
    a, labels = to_float(pre, "pre")
    b, _ = to_float(post, "post")
    if a.size != b.size:
        raise DataError(
            f"Jumlah skor pre-test ({a.size}) dan post-test ({b.size}) tidak sama; "
            "pasangan dicocokkan menurut urutan.",
            f"The number of pre-test ({a.size}) and post-test ({b.size}) scores differ; "
            "pairs are matched by position.",
            column="pre/post",
            value=(a.size, b.size),
            expected="panjang sama / equal length",
        )
    ok = ~(np.isnan(a) | np.isnan(b))
    return a[ok], b[ok], labels[ok], int(a.size - ok.sum())


def refuse_small(n: int) -> None:
    if n < 2:
        raise DataError(
            f"Hanya {n} peserta dengan skor pre-test dan post-test lengkap; "
            "uji berpasangan memerlukan minimal 2 pasangan.",
            f"Only {n} participant(s) with complete pre-test and post-test scores; "
            "a paired test needs at least 2 pairs.",
            value=n,
            expected="n ≥ 2",
        )


def check_scores(
    pre: np.ndarray,
    post: np.ndarray,
    maxs: np.ndarray,
    labels: np.ndarray,
    column_pre: str = "pre",
    column_post: str = "post",
    column_max: str = "max_score",
) -> None:
    """Refuse maxima ≤ 0, negative scores and scores above the maximum (first offender located)."""
    for arr, col in ((maxs, column_max),):
        bad = ~(arr > 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"Skor maksimum harus positif; indeks {labels[i]!r} berisi {arr[i]!r}.",
                f"The maximum score must be positive; index {labels[i]!r} holds {arr[i]!r}.",
                column=col,
                value=arr[i],
                expected="> 0",
                index=labels[i],
            )
    for arr, col, lab_id, lab_en in (
        (pre, column_pre, "pre-test", "pre-test"),
        (post, column_post, "post-test", "post-test"),
    ):
        bad = (arr < 0) | (arr > maxs)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"Skor {lab_id} di luar rentang 0–{maxs[i]:g} pada indeks {labels[i]!r}: {arr[i]:g}.",
                f"{lab_en.capitalize()} score outside 0–{maxs[i]:g} at index {labels[i]!r}: {arr[i]:g}.",
                column=col,
                value=arr[i],
                expected=f"0 ≤ skor ≤ {maxs[i]:g}",
                index=labels[i],
            )


def max_array(
    max_score: Any, size: int, labels: np.ndarray, name: str = "max_score"
) -> np.ndarray:
    if np.ndim(max_score) == 0:
        try:
            value = float(max_score)
        except (TypeError, ValueError):
            raise DataError(
                f"Skor maksimum bukan angka: {max_score!r}.",
                f"The maximum score is not a number: {max_score!r}.",
                column=name,
                value=max_score,
            ) from None
        return np.full(size, value)
    arr, _ = to_float(max_score, name)
    if arr.size != size:
        raise DataError(
            f"Panjang '{name}' ({arr.size}) tidak sama dengan jumlah peserta ({size}).",
            f"Length of '{name}' ({arr.size}) differs from the number of participants ({size}).",
            column=name,
            value=arr.size,
            expected=str(size),
        )
    return arr
