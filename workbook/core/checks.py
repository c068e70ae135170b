"""Small input checks shared by the stage modules (one place, one bilingual message).

One rule for the cells of a numeric column, used by every stage:

- **blank** — ``None``, NaN/``pd.NA``, an empty or whitespace-only string — is a missing value
  (NaN); a column that must be filled says so with ``required=True``;
- **a number** — a number, a boolean (``True`` = 1, ``False`` = 0) or text that
  :func:`pandas.to_numeric` reads after trimming the spaces (``" 3 "``, ``"1e3"``) — is kept as
  ``float64``;
- **anything else** — text that is not a number (``"abc"``, ``"3,5"``: the decimal comma is read
  by the input readers of stage 00, not here) and ±infinity — is refused with a located
  :class:`~workbook.core.exceptions.DataError`: table, row as the spreadsheet shows it (header =
  row 1, so the first data row is row 2), column, the value found and what was expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.exceptions import DataError
from workbook.core.settings import Settings, load_settings

__all__ = [
    "settings_or_default",
    "require_columns",
    "blank_cells",
    "parse_numbers",
    "raise_first_bad",
    "numeric",
    "in_range",
]

_NUMBER = "angka / number"


def settings_or_default(settings: Settings | None) -> Settings:
    """The settings given, or the defaults."""
    return load_settings() if settings is None else settings


def require_columns(df: Any, columns: Sequence[str], table: str) -> pd.DataFrame:
    """Refuse anything but a DataFrame holding ``columns`` (message names the table and column)."""
    if not isinstance(df, pd.DataFrame):
        raise DataError(
            f"Tabel '{table}' harus berupa DataFrame, bukan {type(df).__name__}.",
            f"Table '{table}' must be a DataFrame, not {type(df).__name__}.",
            file=table,
        )
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(
            f"Kolom wajib tidak ada di tabel '{table}': {', '.join(missing)}.",
            f"Required column missing from table '{table}': {', '.join(missing)}.",
            file=table,
            column=missing[0],
            expected=", ".join(columns),
        )
    return df


def blank_cells(series: pd.Series) -> np.ndarray:
    """True where a cell is blank: ``None``, NaN/``pd.NA`` or an empty/whitespace-only string."""
    s = series.astype("object")
    return (s.isna() | s.map(lambda v: isinstance(v, str) and v.strip() == "")).to_numpy(dtype=bool)


def parse_numbers(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The cells as ``float64`` (blank → NaN) and where a cell is not a finite number.

    The second value is a boolean array, True at text that is not a number and at ±infinity;
    those cells are NaN in the first. Callers that locate problems their own way (by index label,
    by benefit row) use this; the others call :func:`numeric`.
    """
    s = series
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        s = s.astype("object").mask(blank_cells(s), np.nan)
    out = pd.to_numeric(s, errors="coerce").astype("float64")
    arr = out.to_numpy()
    bad = (out.isna() & s.notna()).to_numpy() | np.isinf(arr)
    if bad.any():
        out = out.mask(bad)
    return out, bad


def raise_first_bad(bad: Any, series: pd.Series, table: str, column: str, what_id: str, what_en: str,
                    expected: str) -> None:
    """Raise a located DataError at the first True of ``bad`` (row counted as the spreadsheet shows it)."""
    if not np.any(bad):
        return
    pos = int(np.flatnonzero(bad)[0])
    raise DataError(
        f"Tabel '{table}', kolom '{column}': {what_id} ({series.iloc[pos]!r}).",
        f"Table '{table}', column '{column}': {what_en} ({series.iloc[pos]!r}).",
        file=table, row=pos + 2, column=column, value=series.iloc[pos], expected=expected,
    )


def numeric(series: pd.Series, table: str, column: str, *, lo: float | None = None,
            hi: float | None = None, required: bool = False) -> pd.Series:
    """The column as ``float64`` under the module's rule; the first bad cell raises, located.

    Blank cells become NaN (``required=True`` refuses them); text that is not a number and
    ±infinity are refused. ``lo``/``hi`` (inclusive; None = no bound) are checked with
    :func:`in_range`. The index of ``series`` is kept.
    """
    out, bad = parse_numbers(series)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        v = series.iloc[pos]
        infinite = isinstance(v, (float, np.floating)) and np.isinf(v)
        raise_first_bad(bad, series, table, column,
                        "nilai tak hingga" if infinite else "nilai bukan angka",
                        "value is infinite" if infinite else "value is not a number", _NUMBER)
    if required:
        raise_first_bad(out.isna().to_numpy(), series, table, column, "nilai kosong",
                        "value is blank", _NUMBER)
    if lo is not None or hi is not None:
        in_range(out, -np.inf if lo is None else lo, np.inf if hi is None else hi, table, column)
    return out


def _range_text(lo: float, hi: float) -> str:
    if np.isinf(hi):
        return f"≥ {lo:g}"
    if np.isinf(lo):
        return f"≤ {hi:g}"
    return f"{lo:g}–{hi:g}"


def in_range(values: pd.Series, lo: float | np.ndarray, hi: float | np.ndarray, table: str,
             column: str) -> None:
    """Raise a located DataError at the first value outside ``[lo, hi]`` (missing values pass).

    ``lo`` and ``hi`` are numbers or arrays of the length of ``values`` (a bound per row, e.g. each
    row's maximum score); an infinite bound is no bound.
    """
    v = values.to_numpy(dtype=float, na_value=np.nan)
    lo_a = np.broadcast_to(np.asarray(lo, dtype=float), v.shape)
    hi_a = np.broadcast_to(np.asarray(hi, dtype=float), v.shape)
    bad = ~np.isnan(v) & ((v < lo_a) | (v > hi_a))
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        rng = _range_text(lo_a[pos], hi_a[pos])
        raise DataError(
            f"Tabel '{table}', kolom '{column}': nilai {v[pos]:g} di luar rentang {rng}.",
            f"Table '{table}', column '{column}': value {v[pos]:g} is outside the range {rng}.",
            file=table, row=pos + 2, column=column, value=v[pos], expected=rng,
        )
