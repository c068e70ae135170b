"""Small input checks shared by the stage modules (one place, one bilingual message)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from workbook.exceptions import DataError
from workbook.settings import Settings, load_settings

__all__ = ["settings_or_default", "require_columns", "raise_first_bad"]


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
