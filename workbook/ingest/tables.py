"""Tables: one input file → a typed DataFrame against its data contract, with located problems.

:func:`read_table` reads one file against its data contract (:data:`workbook.core.schema.TABLES`)
and returns a :class:`ReadResult`: the DataFrame with canonical (Indonesian) column names, the
list of :class:`~workbook.core.exceptions.Problem` found, and the spreadsheet row of every DataFrame
row (1-based, header and title rows counted, as the spreadsheet shows it). The files it accepts
are described in :mod:`workbook.ingest.raw`; the checks across tables are in
:mod:`workbook.ingest.agency`.

How problems are reported
-------------------------
Every cell problem is located by file, spreadsheet row and canonical column. Blank answers in the
wide survey columns (``level_<KODE>``, ``penting_<KODE>``, ``fas_<n>`` …) are *aggregated*: one
``blank_answer`` warning per file and column, located at the first blank row, whose message gives
the number of blank cells and the first rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.artefacts import sha256_file
from workbook.core.exceptions import DataError, Problem, WorkbookError
from workbook.core.problems import make_problem
from workbook.core.schema import TABLES, Column, Table
from workbook.ingest.raw import (
    ColumnMatcher,
    check_size,
    enum_key,
    frame_from_rows,
    get_setting,
    nonblank,
    parse_date,
    parse_number,
    raw_frame,
)

__all__ = [
    "ReadResult",
    "read_table",
    "read_rows",
    "coerce_column",
    "check_mapped_frame",
    "blank_problem",
    "sha256_file",
]


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass
class ReadResult:
    """One table as read.

    Attributes
    ----------
    frame : DataFrame
        Canonical column names, typed per contract; RangeIndex.
    problems : list of Problem
        Everything found while reading, located.
    rows : Series of int
        Spreadsheet row of each frame row (same index as ``frame``).
    file : str
        File name (as shown in messages).
    table : str
        Table name.
    sha256 : str
        Hash of the file's bytes.
    header_row : int
        Spreadsheet row of the header.
    columns_source : dict
        Canonical column → header text as found in the file.
    """

    frame: pd.DataFrame
    problems: list[Problem]
    rows: pd.Series
    file: str
    table: str
    sha256: str = ""
    header_row: int = 1
    columns_source: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def row_of(self, index: Any) -> int:
        """Spreadsheet row of the frame row with label ``index``."""
        return int(self.rows.loc[index])


_FORMULA_RE = re.compile(r"^[=+\-@][A-Za-z(]")


def _cell_text(v: Any) -> str | None:
    if not nonblank(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    return unicodedata.normalize("NFC", str(v)).strip()


# --------------------------------------------------------------------------------------------
# coercion of one column
# --------------------------------------------------------------------------------------------


def _range_for(col: Column, canonical: str, settings: Any) -> tuple[float | None, float | None]:
    lo, hi = col.min, col.max
    if col.pattern and canonical.startswith("penting_"):
        lo, hi = get_setting(settings, "levels.importance_scale", [1, 5])
    elif col.pattern and (canonical.startswith("fas_") or canonical.startswith("pen_")):
        lo, hi = get_setting(settings, "evaluation.l1_scale", [1, 4])
    elif col.pattern and canonical.startswith("level_"):
        lo = get_setting(settings, "levels.proficiency_min", lo)
        hi = get_setting(settings, "levels.proficiency_max", hi)
    return lo, hi


def _fmt_range(lo: float | None, hi: float | None) -> str:
    def f(x: float) -> str:
        return f"{x:g}"

    if lo is not None and hi is not None:
        return f"{f(lo)}–{f(hi)}"
    if lo is not None:
        return f"≥ {f(lo)}"
    return f"≤ {f(hi)}" if hi is not None else ""


def coerce_column(
    values: pd.Series,
    col: Column,
    canonical: str,
    rows: pd.Series,
    fname: str,
    settings: Any,
    problems: list[Problem],
    *,
    required: bool | None = None,
    skip_enum: pd.Series | None = None,
) -> pd.Series:
    """Coerce raw cell values of one column to the contract's dtype, recording located problems.

    Blank cells of required columns give ``required_blank``; blank cells of pattern columns are
    collected by the caller (``blank_answer`` is aggregated per column).
    """
    required = col.required if required is None else required
    dtype = col.dtype
    lo, hi = _range_for(col, canonical, settings)
    allowed = {enum_key(a): a for a in col.allowed}
    shown_allowed = ", ".join(col.allowed) if len(col.allowed) <= 12 else ", ".join(col.allowed[:6]) + ", …"

    def parse(v: Any) -> tuple[Any, tuple | None]:
        """(value, problem) for one distinct non-blank cell value; problem = (code, expected, id, en)."""
        if dtype in ("int", "float", "rupiah"):
            num = parse_number(v, rupiah=(dtype == "rupiah"))
            if num is None:
                return None, ("not_a_number", "angka / number", "", "")
            if dtype == "int" and not float(num).is_integer():
                return None, ("not_an_integer", "bilangan bulat / whole number", "", "")
            if (lo is not None and num < lo) or (hi is not None and num > hi):
                return None, ("out_of_range", _fmt_range(lo, hi), "", "")
            return (int(num) if dtype == "int" else float(num)), None
        if dtype in ("date", "datetime"):
            d = parse_date(v)
            if d is None:
                return None, ("not_a_date", "YYYY-MM-DD / DD/MM/YYYY", "", "")
            return (pd.Timestamp(d.date()) if dtype == "date" else pd.Timestamp(d)), None
        if dtype == "enum":
            text = _cell_text(v)
            hit = allowed.get(enum_key(text))
            if hit is None:
                return text, ("not_allowed", shown_allowed, "", "")
            return hit, None
        if dtype == "list":
            text = _cell_text(v) or ""
            items = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
            if canonical == "bulan_tersedia" and any(not (p.isdigit() and 1 <= int(p) <= 12) for p in items):
                return None, ("out_of_range", "1–12", "", "")
            if allowed:  # a list of codes: every item must be one
                hits = [allowed.get(enum_key(p)) for p in items]
                if any(h is None for h in hits):
                    bad = ", ".join(p for p, h in zip(items, hits, strict=True) if h is None)
                    return None, ("not_allowed", shown_allowed, f"tidak dikenal: {bad}", f"unknown: {bad}")
                return hits, None
            return items, None
        text = _cell_text(v)  # str, text
        if text is not None and _FORMULA_RE.match(text):
            return text, ("formula_injection", "teks biasa / plain text", "teks diawali '=', '+', '-' atau '@'",
                          "text starts with '=', '+', '-' or '@'")
        return text, None

    # parse each distinct value once (survey columns hold a handful of distinct values)
    codes, uniques = pd.factorize(pd.Series(values.to_numpy(dtype=object), dtype=object), use_na_sentinel=True)
    n_u = len(uniques)
    parsed = np.empty(n_u + 1, dtype=object)  # last slot: blank
    parsed[:] = None
    blank_u = np.zeros(n_u + 1, dtype=bool)
    blank_u[n_u] = True
    probs_u: dict[int, tuple] = {}
    for k, v in enumerate(uniques):
        if not nonblank(v):
            blank_u[k] = True
            continue
        val, prob = parse(v)
        parsed[k] = val
        if prob is not None:
            probs_u[k] = prob
    codes = np.where(codes < 0, n_u, codes)
    rows_arr = rows.to_numpy()
    if required:
        for i in np.flatnonzero(blank_u[codes]):
            problems.append(make_problem("required_blank", file=fname, row=int(rows_arr[i]), column=canonical,
                                         expected="wajib diisi / required"))
    out = parsed[codes]
    skip = None if skip_enum is None else skip_enum.to_numpy(dtype=bool)
    for k, (code, expected, did, den) in probs_u.items():
        for i in np.flatnonzero(codes == k):
            if code == "not_allowed" and skip is not None and skip[i]:
                continue
            if code not in ("formula_injection",) and not (code == "not_allowed" and skip is not None and skip[i]):
                out[i] = None
            problems.append(make_problem(code, file=fname, row=int(rows_arr[i]), column=canonical,
                                         value=uniques[k], expected=expected, detail_id=did, detail_en=den))

    idx = values.index
    if dtype == "int":
        return pd.Series(pd.array(out.tolist(), dtype="Int64"), index=idx)
    if dtype in ("float", "rupiah"):
        return pd.Series([np.nan if x is None else x for x in out.tolist()], index=idx, dtype="float64")
    if dtype in ("date", "datetime"):
        return pd.Series(pd.to_datetime(pd.Series(out, index=idx, dtype=object)), index=idx).astype("datetime64[us]")
    if dtype == "list":
        return pd.Series(out, index=idx, dtype=object)
    return pd.Series(out.tolist(), index=idx, dtype="str")


# --------------------------------------------------------------------------------------------
# read_table
# --------------------------------------------------------------------------------------------


def read_table(path: str | Path, table_name: str, *, settings: Any = None,
               rename: dict[str, str] | None = None, display_name: str | None = None) -> ReadResult:
    """Read one input file against the contract of ``table_name``.

    Parameters
    ----------
    path : str or Path
        A ``.csv``, ``.xlsx`` or ``.parquet`` file. It is opened read-only and never changed.
    table_name : str
        Name of the contract in :data:`workbook.core.schema.TABLES` (or its English alias).
    settings : Settings, optional
        Uses ``input.max_file_mb``, ``input.max_xlsx_uncompressed_mb``, the level, importance and
        L1 scales.
    rename : dict, optional
        Extra header → canonical column names (used by the mapping presets).
    display_name : str, optional
        File name used in messages (default: the file's name).

    Returns
    -------
    ReadResult
        ``frame`` (canonical columns, typed; wide pattern columns kept), ``problems`` and ``rows``.

    Raises
    ------
    DataError
        The file is missing, too large, or cannot be parsed at all (never a raw pandas or
        openpyxl exception). Cell-level problems are *returned*, not raised.
    """
    from workbook.core.schema import table as _table

    table = _table(table_name)
    path = Path(path)
    fname = display_name or path.name
    problems: list[Problem] = []
    if not path.is_file():
        raise DataError(
            f"{fname}: berkas tidak ditemukan.", f"{fname}: file not found.", file=fname,
            problems=[make_problem("missing_file", file=fname)],
        )
    size = check_size(path, fname, settings)
    digest = sha256_file(path)
    matcher = ColumnMatcher(table, rename)

    def empty(code: str, header_row: int = 1) -> ReadResult:
        problems.append(make_problem(code, file=fname, row=header_row if code == "header_only" else None))
        return ReadResult(pd.DataFrame(columns=[c.name for c in table.columns if not c.pattern]), problems,
                          pd.Series(dtype="int64"), fname, table.name, digest, header_row)

    if size == 0:
        return empty("empty_file")
    try:
        headers, raw, rows, header_row = raw_frame(path, fname, table, matcher.match, settings, problems)
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - never leak a raw library exception
        raise DataError(
            f"{fname}: berkas tidak dapat dibaca ({type(exc).__name__}: {exc}).",
            f"{fname}: file cannot be read ({type(exc).__name__}: {exc}).", file=fname,
            problems=[make_problem("unreadable_file", file=fname, value=type(exc).__name__)],
        ) from None
    if not headers:
        return empty("empty_file")
    return _build(headers, raw, rows, header_row, table, fname, settings, problems, digest, rename)


def read_rows(raw: list[tuple[int, list[Any]]], table_name: str, *, fname: str, settings: Any = None) -> ReadResult:
    """Check rows already read (spreadsheet row, cells) against the contract of ``table_name``.

    What :func:`read_table` does after reading the file, for a sample held in memory (the upload
    page's table detection reads a file's first rows once and tries every table on them).
    """
    from workbook.core.schema import table as _table

    table = _table(table_name)
    problems: list[Problem] = []
    matcher = ColumnMatcher(table)
    headers, frame, rows, header_row = frame_from_rows(raw, fname, matcher.match, problems)
    if not headers:
        problems.append(make_problem("empty_file", file=fname))
        return ReadResult(pd.DataFrame(columns=[c.name for c in table.columns if not c.pattern]), problems,
                          pd.Series(dtype="int64"), fname, table.name)
    return _build(headers, frame, rows, header_row, table, fname, settings, problems, "", None)


def check_mapped_frame(mapped: pd.DataFrame, table_name: str, fname: str, header_row: int,
                       settings: Any, problems: list[Problem], digest: str) -> ReadResult:
    """Type-check a frame produced by a mapping preset (index = spreadsheet rows)."""
    table = TABLES[table_name]
    headers = [str(c) for c in mapped.columns]
    raw = pd.DataFrame(mapped.to_numpy(dtype=object), columns=range(len(headers)), dtype=object)
    rows = pd.Series([int(r) for r in mapped.index], dtype="int64")
    return _build(headers, raw, rows, header_row, table, fname, settings, problems, digest, None)


def _build(headers: list[str], raw: pd.DataFrame, rows: pd.Series, header_row: int, table: Table, fname: str,
           settings: Any, problems: list[Problem], digest: str, rename: dict[str, str] | None) -> ReadResult:
    matcher = ColumnMatcher(table, rename)

    def empty(code: str, header_row: int = 1) -> ReadResult:
        problems.append(make_problem(code, file=fname, row=header_row if code == "header_only" else None))
        return ReadResult(pd.DataFrame(columns=[c.name for c in table.columns if not c.pattern]), problems,
                          pd.Series(dtype="int64"), fname, table.name, digest, header_row)

    # map headers
    mapped: dict[int, tuple[str, Column]] = {}
    sources: dict[str, str] = {}
    for j, h in enumerate(headers):
        m = matcher.match(h)
        if m is None:
            has_data = j in raw.columns and raw[j].map(nonblank).any()
            if str(h).strip() or has_data:
                problems.append(make_problem(
                    "unknown_column", file=fname, row=header_row, column=str(h).strip() or f"#{j + 1}",
                    value=h))
            continue
        name, col = m
        if name in sources:
            problems.append(make_problem(
                "unknown_column", file=fname, row=header_row, column=str(h).strip(), value=h,
                detail_id=f"kolom ganda untuk '{name}'; yang pertama dipakai",
                detail_en=f"second column for '{name}'; the first one is used"))
            continue
        mapped[j] = (name, col)
        sources[name] = str(h).strip()

    present = set(sources)
    # a person table may give nip instead of pegawai_id (pseudonymised in load_agency)
    pegawai_nip = "nip" in present and any(c.name == "nip" for c in table.columns)
    for c in table.columns:
        if c.required and not c.pattern and c.name not in present:
            if c.name == "pegawai_id" and pegawai_nip:
                continue
            problems.append(make_problem(
                "missing_column", file=fname, row=header_row, column=c.name, expected=c.name,
                detail_id=f"kolom '{c.name}' (atau '{c.alias}') tidak ditemukan pada baris judul",
                detail_en=f"column '{c.name}' (or '{c.alias}') not found in the header row"))

    if raw.empty:
        return empty("header_only", header_row)

    frame = pd.DataFrame(index=raw.index)
    blanks: dict[str, list[int]] = {}
    status_pppk = None
    if table.name == "pegawai":
        for j, (name, _) in mapped.items():
            if name == "status":
                status_pppk = raw[j].map(lambda v: enum_key(v) == "pppk" if nonblank(v) else False)
    for j, (name, col) in mapped.items():
        values = raw[j]
        required = col.required
        skip = None
        if name == "pegawai_id" and pegawai_nip:
            required = False  # checked with nip in load_agency / pseudonymisation
        if table.name == "pegawai" and name == "golongan" and status_pppk is not None:
            required = False
            skip = status_pppk
            nonpppk_blank = ~values.map(nonblank) & ~status_pppk
            for i in np.flatnonzero(nonpppk_blank.to_numpy()):
                problems.append(make_problem(
                    "required_blank", file=fname, row=int(rows.to_numpy()[i]), column=name,
                    expected="wajib diisi / required",
                    detail_id="golongan wajib kecuali PPPK", detail_en="grade is required except for PPPK"))
        if col.pattern:
            blank_idx = np.flatnonzero(~values.map(nonblank).to_numpy())
            if len(blank_idx):
                blanks[name] = rows.to_numpy()[blank_idx].astype(int).tolist()
        frame[name] = coerce_column(values, col, name, rows, fname, settings, problems,
                                    required=required, skip_enum=skip)
    for name, brows in blanks.items():
        problems.append(blank_problem(fname, name, brows))
    frame = frame.reset_index(drop=True)
    rows = rows.reset_index(drop=True)
    return ReadResult(frame, problems, rows, fname, table.name, digest, header_row, sources)


def blank_problem(fname: str, column: str, brows: list[int]) -> Problem:
    """One aggregated ``blank_answer`` warning for a column, at its first blank row."""
    shown = ", ".join(str(r) for r in brows[:10]) + (", …" if len(brows) > 10 else "")
    return make_problem(
        "blank_answer", file=fname, row=brows[0], column=column, value=f"{len(brows)}",
        detail_id=f"{len(brows)} sel kosong (baris {shown}); dianggap tidak menjawab",
        detail_en=f"{len(brows)} blank cells (rows {shown}); treated as no answer")

