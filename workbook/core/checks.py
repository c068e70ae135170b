"""Small input checks shared by the stage modules (one place, one bilingual message)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.exceptions import DataError
from workbook.core.settings import Settings, load_settings

__all__ = ["settings_or_default", "require_columns", "raise_first_bad", "numeric", "in_range"]


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


def raise_first_bad(bad: Any, series: pd.Series, table: str, column: str, what_id: str, what_en: str,
                    expected: str) -> None:
    """Raise a located DataError at the first True of ``bad`` (row counted as the spreadsheet shows it)."""
    import numpy as np

    if not np.any(bad):
        return
    pos = int(np.flatnonzero(bad)[0])
    raise DataError(
        f"Tabel '{table}', kolom '{column}': {what_id} ({series.iloc[pos]!r}).",
        f"Table '{table}', column '{column}': {what_en} ({series.iloc[pos]!r}).",
        file=table, row=pos + 2, column=column, value=series.iloc[pos], expected=expected,
    )


def numeric(series: pd.Series, table: str, column: str) -> pd.Series:
    """Numbers as float; blank (None, NaN, '', whitespace) becomes NaN; text raises."""
    s = series
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        s = s.astype("object").map(
            lambda v: np.nan if v is None or (isinstance(v, str) and v.strip() == "") else v
        )
    out = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = out.isna() & s.notna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"Tabel '{table}', kolom '{column}': nilai bukan angka ({series.iloc[pos]!r}).",
            f"Table '{table}', column '{column}': value is not a number ({series.iloc[pos]!r}).",
            file=table, row=pos + 2, column=column, value=series.iloc[pos], expected="angka / number",
        )
    return out


def in_range(values: pd.Series, lo: float, hi: float, table: str, column: str) -> None:
    """Raise a located DataError at the first value outside ``[lo, hi]`` (missing values pass)."""
    bad = values.notna() & ((values < lo) | (values > hi))
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        v = values.iloc[pos]
        raise DataError(
            f"Tabel '{table}', kolom '{column}': nilai {v:g} di luar rentang {lo:g}–{hi:g}.",
            f"Table '{table}', column '{column}': value {v:g} is outside the range {lo:g}–{hi:g}.",
            file=table, row=pos + 2, column=column, value=v, expected=f"{lo:g}–{hi:g}",
        )
