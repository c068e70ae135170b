"""Identifier and choice columns of the evaluation input tables, shared by the four Kirkpatrick
levels (numbers, ranges and blank cells: :mod:`workbook.core.checks`).

Each check raises :class:`workbook.core.exceptions.DataError` naming the table, the first offending
row (spreadsheet row: header = 1) and the column, in Indonesian and English.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbook.core.checks import blank_cells
from workbook.core.checks import require_columns as _require_columns
from workbook.core.exceptions import DataError

__all__ = [
    "required_ids",
    "optional_ids",
    "choices",
    "add_programme_names",
]


def required_ids(series: pd.Series, table: str, column: str) -> pd.Series:
    """A required identifier column as ``str`` (stripped); a blank cell raises."""
    blank = blank_cells(series)
    if blank.any():
        pos = int(np.flatnonzero(blank)[0])
        raise DataError(
            f"Tabel '{table}', kolom '{column}' kosong.",
            f"Table '{table}', column '{column}' is blank.",
            file=table,
            row=pos + 2,
            column=column,
            expected="tidak kosong / not blank",
        )
    return series.astype("str").str.strip()


def optional_ids(series: pd.Series) -> pd.Series:
    blank = blank_cells(series)
    out = series.astype("str").str.strip()
    out[blank] = pd.NA
    return out


def choices(series: pd.Series, allowed: Sequence[str], table: str, column: str) -> pd.Series:
    norm = series.astype("str").str.strip().str.lower()
    bad = (~norm.isin(list(allowed))).to_numpy() | blank_cells(series)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"Tabel '{table}', kolom '{column}': nilai {series.iloc[pos]!r} tidak dikenal; "
            f"pilihan: {', '.join(allowed)}.",
            f"Table '{table}', column '{column}': unknown value {series.iloc[pos]!r}; "
            f"allowed: {', '.join(allowed)}.",
            file=table,
            row=pos + 2,
            column=column,
            value=series.iloc[pos],
            expected=" / ".join(allowed),
        )
    return norm


def _catalogue_names(katalog: pd.DataFrame | None) -> pd.DataFrame | None:
    if katalog is None:
        return None
    _require_columns(katalog, ["program_id", "nama_program"], "katalog_program")
    names = pd.DataFrame(
        {
            "program_id": required_ids(katalog["program_id"], "katalog_program", "program_id"),
            "nama_program": katalog["nama_program"].astype("str"),
        }
    )
    return names.drop_duplicates("program_id")


def add_programme_names(out: pd.DataFrame, katalog: pd.DataFrame | None) -> pd.DataFrame:
    names = _catalogue_names(katalog)
    if names is None:
        return out
    out = out.merge(names, on="program_id", how="left")
    cols = list(out.columns)
    cols.insert(1, cols.pop(cols.index("nama_program")))
    return out[cols]
