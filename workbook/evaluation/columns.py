"""Column checks of the evaluation input tables, shared by the four Kirkpatrick levels.

Each check raises :class:`workbook.core.exceptions.DataError` naming the table, the first offending
row (spreadsheet row: header = 1) and the column, in Indonesian and English.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbook.core.checks import raise_first_bad
from workbook.core.checks import require_columns as _require_columns
from workbook.core.exceptions import DataError

__all__ = [
    "blank_cells",
    "required_ids",
    "optional_ids",
    "numbers",
    "check_range",
    "choices",
    "add_programme_names",
]


def blank_cells(series: pd.Series) -> np.ndarray:
    s = series.astype("object")
    return (s.isna() | s.map(lambda v: isinstance(v, str) and v.strip() == "")).to_numpy(dtype=bool)


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


def numbers(series: pd.Series, table: str, column: str) -> pd.Series:
    """Numbers as float; blank (None, NaN, '', whitespace) becomes NaN; text raises."""
    s = series
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        s = s.astype("object").map(
            lambda v: np.nan if v is None or (isinstance(v, str) and v.strip() == "") else v
        )
    out = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = (out.isna() & s.notna()).to_numpy() | np.isinf(out.to_numpy())
    raise_first_bad(bad, series, table, column, "nilai bukan angka", "value is not a number", "angka / number")
    return out


def check_range(
    values: pd.Series, lo: float | np.ndarray, hi: float | np.ndarray, table: str, column: str
) -> None:
    lo_a = np.broadcast_to(np.asarray(lo, dtype=float), values.shape)
    hi_a = np.broadcast_to(np.asarray(hi, dtype=float), values.shape)
    v = values.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isnan(v) & ((v < lo_a) | (v > hi_a))
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"Tabel '{table}', kolom '{column}': nilai {v[pos]:g} di luar rentang "
            f"{lo_a[pos]:g}–{hi_a[pos]:g}.",
            f"Table '{table}', column '{column}': value {v[pos]:g} is outside the range "
            f"{lo_a[pos]:g}–{hi_a[pos]:g}.",
            file=table,
            row=pos + 2,
            column=column,
            value=v[pos],
            expected=f"{lo_a[pos]:g}–{hi_a[pos]:g}",
        )


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
