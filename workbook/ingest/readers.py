"""Readers: one input table (CSV, XLSX, Parquet) → a typed DataFrame with located problems.

:func:`read_table` reads one file against its data contract (:data:`workbook.core.schema.TABLES`)
and returns a :class:`ReadResult`: the DataFrame with canonical (Indonesian) column names, the
list of :class:`~workbook.core.exceptions.Problem` found, and the spreadsheet row of every DataFrame
row (1-based, header and title rows counted, as the spreadsheet shows it).

:func:`load_agency` reads a whole agency folder (one file per table plus ``instansi.yaml``),
runs the cross-table checks, pseudonymises NIPs and drops names, and returns an :class:`Agency`.

What the readers accept
-----------------------
* CSV separated by ``,`` or ``;`` (sniffed; an Excel ``sep=;`` first line is honoured), UTF-8
  with or without BOM; otherwise cp1252 (then latin-1) with an ``encoding_fallback`` warning.
  Decimal commas (``12,5``) and thousands dots in Rupiah columns (``Rp 1.500.000``).
* XLSX (read-only, cached formula values): the sheet named after the table (or its English
  alias), otherwise the first sheet. The header row may sit below title rows: it is the first row
  of the first 30 whose cells match the most known column names. Merged cells take the value of
  their top-left cell. A zip-bomb guard runs before openpyxl opens the file.
* Parquet (pyarrow). Rows are numbered as if the header were row 1.

How problems are reported
-------------------------
Every cell problem is located by file, spreadsheet row and canonical column. Blank answers in the
wide survey columns (``level_<KODE>``, ``penting_<KODE>``, ``fas_<n>`` …) are *aggregated*: one
``blank_answer`` warning per file and column, located at the first blank row, whose message gives
the number of blank cells and the first rows. Duplicate keys are one ``duplicate_key`` error per
repeated row (the first occurrence is kept as reference); in tables with ``latest_by`` (surveys,
assessments) the older submissions are dropped with one ``duplicate_submission`` warning each,
located at the dropped row.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.exceptions import DataError, Problem, WorkbookError
from workbook.core.problems import EXTRA_PROBLEM_CODES, make_problem
from workbook.core.schema import TABLE_EXTENSIONS, TABLES, Column, Table, find_table_file

__all__ = [
    "ReadResult",
    "Agency",
    "read_table",
    "load_agency",
    "find_table_file",
    "make_problem",
    "sha256_file",
    "EXTRA_PROBLEM_CODES",
    "TABLE_EXTENSIONS",
]

_HEADER_SCAN_ROWS = 30

def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes (read in blocks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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


@dataclass
class Agency:
    """One agency's input folder, loaded and checked.

    Attributes
    ----------
    tables : dict of str to DataFrame
        Canonical columns; wide pattern columns kept wide (``level_M.1``); NIP and names removed.
    meta : dict
        Contents of ``instansi.yaml``.
    report : ValidationReport
        Every problem found while loading.
    data_dir : Path
    input_hashes : dict of str to str
        File name → SHA-256 of every input file read.
    plan_year : int or None
        ``tahun_rencana`` from ``instansi.yaml``.
    rows : dict of str to Series
        Spreadsheet row of every row of every table (same index as the table).
    """

    tables: dict[str, pd.DataFrame]
    meta: dict
    report: Any
    data_dir: Path
    input_hashes: dict[str, str]
    plan_year: int | None
    rows: dict[str, pd.Series] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


# --------------------------------------------------------------------------------------------
# raw reading: bytes → list of rows of cells
# --------------------------------------------------------------------------------------------


def _setting(settings: Any, key: str, default: Any) -> Any:
    if settings is None:
        from workbook.core.settings import load_settings

        settings = load_settings()
    try:
        value = settings[key]
    except (KeyError, WorkbookError):
        return default
    return default if value is None else value


def _decode(data: bytes, fname: str, problems: list[Problem]) -> str:
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                break
            label = enc.upper()
            problems.append(Problem(
                "encoding_fallback", "warning",
                f"berkas bukan UTF-8; dibaca sebagai {label} (mis. 'Teks Unicode' Excel); simpan ulang sebagai "
                "'CSV UTF-8'",
                f"file is not UTF-8; read as {label} (e.g. Excel 'Unicode Text'); save again as 'CSV UTF-8'",
                fname, None, None, label, "UTF-8"))
            return text
    if b"\x00" in data[:65536]:
        raise DataError(
            f"{fname}: bukan berkas teks CSV (berisi byte nol; mungkin berkas .xls/biner yang diganti namanya).",
            f"{fname}: not a CSV text file (contains NUL bytes; perhaps a renamed .xls or binary file).",
            file=fname, problems=[make_problem(
                "unreadable_file", file=fname, expected="CSV UTF-8",
                detail_id="berisi byte nol: bukan teks CSV (mungkin .xls atau berkas biner yang diganti namanya); "
                          "buka di Excel lalu simpan sebagai 'CSV UTF-8' atau .xlsx",
                detail_en="contains NUL bytes: not CSV text (perhaps a renamed .xls or binary file); open it in "
                          "Excel and save as 'CSV UTF-8' or .xlsx")],
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
            enc = "cp1252"
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            enc = "latin-1"
        problems.append(make_problem(
            "encoding_fallback", file=fname, value=enc, expected="UTF-8",
            detail_id=f"byte bukan UTF-8 pertama di baris {bad_line}; periksa huruf beraksen, lalu simpan ulang "
                      "sebagai 'CSV UTF-8'",
            detail_en=f"first non-UTF-8 byte on line {bad_line}; check accented letters, then save again as "
                      "'CSV UTF-8'",
        ))
        return text


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        pass
    counts = {d: sum(ln.count(d) for ln in lines) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv_raw(path: Path, fname: str, problems: list[Problem]) -> list[tuple[int, list[Any]]]:
    with open(path, "rb") as fh:
        data = fh.read()
    text = _decode(data, fname, problems)
    offset = 0
    first = text.split("\n", 1)[0].strip().lower()
    delimiter = None
    if first.startswith("sep=") and len(first) >= 5:
        delimiter = first[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
        offset = 1
    if delimiter is None:
        delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    out = []
    try:
        for i, rec in enumerate(reader, start=1 + offset):
            out.append((i, rec))
    except csv.Error as exc:
        raise DataError(
            f"{fname}: berkas CSV rusak ({exc}).", f"{fname}: malformed CSV file ({exc}).",
            file=fname, row=reader.line_num,
        ) from None
    return out


def _xlsx_guard(path: Path, fname: str, settings: Any) -> None:
    limit_mb = float(_setting(settings, "input.max_xlsx_uncompressed_mb", 500))
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(
            f"{fname}: bukan berkas XLSX yang sah ({exc}).", f"{fname}: not a valid XLSX file ({exc}).",
            file=fname,
        ) from None
    if total > limit_mb * 1024 * 1024:
        raise DataError(
            f"{fname}: isi XLSX terlalu besar setelah dibuka ({total / 1048576:.0f} MB > {limit_mb:g} MB; "
            "pengaturan input.max_xlsx_uncompressed_mb).",
            f"{fname}: XLSX content too large once uncompressed ({total / 1048576:.0f} MB > {limit_mb:g} MB; "
            "setting input.max_xlsx_uncompressed_mb).",
            file=fname, problems=[make_problem("too_large", file=fname, value=f"{total / 1048576:.0f} MB",
                                               expected=f"≤ {limit_mb:g} MB")],
        )


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF_RE = re.compile(rb'\br="([A-Z]+)(\d+)"')
_HAS_F_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _formula_cells(xml: bytes) -> list[tuple[int, int]]:
    """(row, 0-based column) of every cell of a worksheet's XML that holds a formula."""
    if not _HAS_F_RE.search(xml):
        return []
    out = []
    for m in _CELL_RE.finditer(xml):
        inner = m.group(2)
        if inner and _HAS_F_RE.search(inner):
            ref = _REF_RE.search(m.group(1))
            if ref:
                out.append((int(ref.group(2)), _col_index(ref.group(1))))
    return out


def _read_xlsx_raw(path: Path, fname: str, table: Table, settings: Any,
                   max_rows: int | None = None,
                   formulas: list[tuple[int, int]] | None = None) -> list[tuple[int, list[Any]]]:
    """Rows of the table's sheet as (spreadsheet row, cell values); merged cells filled.

    When ``formulas`` is a list, the (row, column) of every formula cell whose saved value is
    empty (a file written by a program and never opened in Excel) is appended to it.
    """
    import openpyxl  # uses defusedxml when it is installed

    _xlsx_guard(path, fname, settings)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise DataError(
            f"{fname}: berkas XLSX tidak dapat dibuka ({type(exc).__name__}: {exc}).",
            f"{fname}: XLSX file cannot be opened ({type(exc).__name__}: {exc}).", file=fname,
        ) from None
    try:
        names = {n.strip().lower(): n for n in wb.sheetnames}
        sheet = names.get(table.name) or names.get(table.alias) or wb.sheetnames[0]
        ws = wb[sheet]
        rows: list[tuple[int, list[Any]]] = []
        for i, values in enumerate(ws.iter_rows(min_row=1, max_row=max_rows, values_only=True), start=1):
            rows.append((i, list(values)))
        merges = []
        try:
            if max_rows is not None:
                raise KeyError("header scan only")
            with ws.parent._archive.open(ws._worksheet_path) as fh:  # noqa: SLF001
                xml = fh.read()
            merges = _MERGE_RE.findall(xml)
            if formulas is not None:
                formulas.extend(_formula_cells(xml))
        except (AttributeError, KeyError, OSError):
            merges = []
    except Exception as exc:  # noqa: BLE001
        raise DataError(
            f"{fname}: lembar kerja tidak dapat dibaca ({type(exc).__name__}: {exc}).",
            f"{fname}: worksheet cannot be read ({type(exc).__name__}: {exc}).", file=fname,
        ) from None
    finally:
        wb.close()
    by_row = {r: vals for r, vals in rows}
    if formulas:
        empty = [(r, c) for r, c in formulas
                 if r in by_row and (c >= len(by_row[r]) or not _nonblank(by_row[r][c]))]
        formulas[:] = empty
    for c1, r1, c2, r2 in merges:
        r1i, r2i, c1i, c2i = int(r1), int(r2), _col_index(c1), _col_index(c2)
        anchor_row = by_row.get(r1i)
        if anchor_row is None or c1i >= len(anchor_row):
            continue
        anchor = anchor_row[c1i]
        for r in range(r1i, r2i + 1):
            vals = by_row.get(r)
            if vals is None:
                continue
            for c in range(c1i, c2i + 1):
                if (r, c) == (r1i, c1i):
                    continue
                if c < len(vals) and vals[c] is None:
                    vals[c] = anchor
    return rows


def _read_parquet_raw(path: Path, fname: str) -> tuple[list[str], pd.DataFrame]:
    try:
        import pyarrow.parquet as pq

        df = pq.read_table(path).to_pandas()
    except Exception as exc:  # noqa: BLE001
        raise DataError(
            f"{fname}: berkas Parquet tidak dapat dibaca ({type(exc).__name__}: {exc}).",
            f"{fname}: Parquet file cannot be read ({type(exc).__name__}: {exc}).", file=fname,
        ) from None
    return [str(c) for c in df.columns], df


# --------------------------------------------------------------------------------------------
# header matching
# --------------------------------------------------------------------------------------------


def norm_header(text: Any) -> str:
    """Normalise a header for matching: lower case, trimmed, spaces and dashes → ``_``."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = re.sub(r"[\s\-]+", "_", s)
    return s


class ColumnMatcher:
    """Maps a header text to a canonical column of ``table`` (name, English alias, patterns)."""

    def __init__(self, table: Table, extra: dict[str, str] | None = None) -> None:
        self.table = table
        self.exact: dict[str, str] = {}
        self.patterns: list[tuple[re.Pattern, Column]] = []
        for c in table.columns:
            if c.pattern:
                for form in {c.name, c.alias} - {""}:
                    prefix, _, suffix = form.partition("<")
                    suffix = suffix.partition(">")[2]
                    rx = re.compile("^" + re.escape(norm_header(prefix)) + r"\s*(?P<k>.+?)" +
                                    re.escape(norm_header(suffix)) + "$", re.IGNORECASE)
                    self.patterns.append((rx, c))
            else:
                self.exact[norm_header(c.name)] = c.name
                if c.alias:
                    self.exact.setdefault(norm_header(c.alias), c.name)
        for k, v in (extra or {}).items():
            self.exact[norm_header(k)] = v

    def match(self, header: Any) -> tuple[str, Column] | None:
        """Canonical name and contract column of ``header``, or None."""
        h = norm_header(header)
        if not h:
            return None
        if h in self.exact:
            name = self.exact[h]
            return name, self.table.column(name)
        raw = re.sub(r"\s+", "", str(header).strip())
        for rx, col in self.patterns:
            m = rx.match(raw) or rx.match(h)
            if m:
                key = raw[m.start("k"): m.end("k")] if rx.match(raw) else m.group("k")
                prefix = col.name.partition("<")[0]
                return f"{prefix}{key}", col
        return None


def _find_header(rows: list[tuple[int, list[Any]]], matcher: Callable[[Any], Any]) -> int:
    """Index (in ``rows``) of the header row: most known names among the first rows."""
    best, best_score = None, 0
    for idx, (_, vals) in enumerate(rows[:_HEADER_SCAN_ROWS]):
        score = sum(1 for v in vals if v is not None and str(v).strip() and matcher(v))
        if score > best_score:
            best, best_score = idx, score
    if best is not None:
        return best
    for idx, (_, vals) in enumerate(rows):
        if any(_nonblank(v) for v in vals):
            return idx
    return -1


def _nonblank(v: Any) -> bool:
    if v is None:
        return False
    if isinstance(v, float) and math.isnan(v):
        return False
    return bool(str(v).strip())


# --------------------------------------------------------------------------------------------
# value parsing
# --------------------------------------------------------------------------------------------

_NUM_CLEAN = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")
_PLAIN_NUM = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def parse_number(value: Any, *, rupiah: bool = False) -> float | None:
    """Parse a number as Indonesian or English spreadsheets write it; None if it is not one.

    >>> parse_number("1.500.000", rupiah=True), parse_number("12,5"), parse_number("Rp 3.500.000,00")
    (1500000.0, 12.5, 3500000.0)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        f = float(value)
        return None if math.isnan(f) else f
    s = unicodedata.normalize("NFKC", str(value)).strip().replace("\u00a0", " ")
    s = _NUM_CLEAN.sub("", s).replace(" ", "").replace("'", "")
    if s.endswith(",-"):
        s = s[:-2]
    if not s:
        return None
    if _PLAIN_NUM.match(s):
        if rupiah and _THOUSANDS_DOT.match(s):
            s = s.replace(".", "")
        elif s.count(".") > 1:
            return None
        return float(s)
    if _THOUSANDS_DOT.match(s):
        return float(s.replace(".", ""))
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        if rupiah and _THOUSANDS_COMMA.match(s):
            s = s.replace(",", "")
        elif s.count(",") == 1:
            s = s.replace(",", ".")
        else:
            return None
    if _PLAIN_NUM.match(s):
        return float(s)
    return None


_DATE_FORMATS = (
    "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S.%f", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d.%m.%Y", "%Y/%m/%d", "%Y/%m/%d %H:%M:%S",
)
_EXCEL_EPOCH = datetime(1899, 12, 30)
_TZ_SUFFIX = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def parse_date(value: Any) -> datetime | None:
    """Parse a date or timestamp; None if it is not one.

    Accepts ISO (``2026-08-27``, ``2026-08-27T09:14:03+07:00``), ``dd/mm/yyyy``, ``dd-mm-yyyy``,
    Google Forms timestamps (``27/08/2026 9:14:03``), Excel date serials and datetime objects.
    Time zones are dropped (local wall-clock time is kept).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float, np.integer, np.floating)):
        f = float(value)
        if math.isnan(f) or not 1 <= f < 2958466:
            return None
        if 19000101 <= f <= 21001231 and f == int(f):
            return parse_date(str(int(f)))
        return _EXCEL_EPOCH + timedelta(days=f)
    s = str(value).strip()
    if not s:
        return None
    if re.fullmatch(r"\d{8}", s):
        try:
            return datetime.strptime(s, "%Y%m%d")
        except ValueError:
            return None
    if re.fullmatch(r"\d{4,5}(\.\d+)?", s):
        return parse_date(float(s))
    s2 = s.replace(" UTC", "").strip()
    if re.search(r"\d:\d\d", s2):
        s2 = _TZ_SUFFIX.sub("", s2).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(s2, fmt)
        except ValueError:
            continue
    return None


def _enum_key(text: Any) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(text)).strip().lower())


_FORMULA_RE = re.compile(r"^[=+\-@][A-Za-z(]")


def _cell_text(v: Any) -> str | None:
    if not _nonblank(v):
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
        lo, hi = _setting(settings, "levels.importance_scale", [1, 5])
    elif col.pattern and (canonical.startswith("fas_") or canonical.startswith("pen_")):
        lo, hi = _setting(settings, "evaluation.l1_scale", [1, 4])
    elif col.pattern and canonical.startswith("level_"):
        lo = _setting(settings, "levels.proficiency_min", lo)
        hi = _setting(settings, "levels.proficiency_max", hi)
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
    allowed = {_enum_key(a): a for a in col.allowed}
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
            hit = allowed.get(_enum_key(text))
            if hit is None:
                return text, ("not_allowed", shown_allowed, "", "")
            return hit, None
        if dtype == "list":
            text = _cell_text(v) or ""
            items = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
            if canonical == "bulan_tersedia" and any(not (p.isdigit() and 1 <= int(p) <= 12) for p in items):
                return None, ("out_of_range", "1–12", "", "")
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
        if not _nonblank(v):
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


def _raw_frame(path: Path, fname: str, table: Table, matcher: Callable[[Any], Any], settings: Any,
               problems: list[Problem]) -> tuple[list[str], pd.DataFrame, pd.Series, int]:
    """Read a file into (headers, raw object frame, spreadsheet rows, header row)."""
    ext = path.suffix.lower()
    if ext == ".parquet":
        headers, df = _read_parquet_raw(path, fname)
        df = df.astype(object)
        df.columns = range(len(headers))
        rows = pd.Series(np.arange(2, len(df) + 2), index=df.index)
        return headers, df.reset_index(drop=True), rows.reset_index(drop=True), 1
    formulas: list[tuple[int, int]] = []
    if ext == ".xlsx":
        raw = _read_xlsx_raw(path, fname, table, settings, formulas=formulas)
    elif ext in (".csv", ".txt"):
        raw = _read_csv_raw(path, fname, problems)
    else:
        raise DataError(
            f"{fname}: jenis berkas tidak didukung (pakai .csv, .xlsx atau .parquet).",
            f"{fname}: unsupported file type (use .csv, .xlsx or .parquet).", file=fname,
        )
    if not any(any(_nonblank(v) for v in vals) for _, vals in raw):
        return [], pd.DataFrame(), pd.Series(dtype=int), 0
    h = _find_header(raw, matcher)
    header_row, header_vals = raw[h]
    headers = ["" if v is None else str(v) for v in header_vals]
    for r, c in formulas:
        if r <= header_row:
            continue
        m = matcher(headers[c]) if c < len(headers) else None
        col = m[0] if isinstance(m, tuple) else (headers[c].strip() if c < len(headers) and headers[c].strip()
                                                  else f"#{c + 1}")
        problems.append(make_problem(
            "formula_no_value", file=fname, row=r, column=col,
            detail_id="rumus tanpa nilai tersimpan (berkas dibuat program dan belum pernah dibuka di Excel); "
                      "buka dan simpan ulang di Excel, atau tempel sebagai nilai",
            detail_en="formula without a saved value (file written by a program and never opened in Excel); "
                      "open and save it again in Excel, or paste as values"))
    body = [(r, vals) for r, vals in raw[h + 1:] if any(_nonblank(v) for v in vals)]
    width = len(headers)
    extra_width = max([width] + [len(vals) for _, vals in body])
    data = [list(vals) + [None] * (extra_width - len(vals)) for _, vals in body]
    headers += [""] * (extra_width - width)
    df = pd.DataFrame(data, columns=range(extra_width), dtype=object) if data else pd.DataFrame(
        columns=range(extra_width), dtype=object)
    rows = pd.Series([r for r, _ in body], dtype="int64")
    return headers, df, rows, header_row


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
    size = _check_size(path, fname, settings)
    digest = sha256_file(path)
    matcher = ColumnMatcher(table, rename)

    def empty(code: str, header_row: int = 1) -> ReadResult:
        problems.append(make_problem(code, file=fname, row=header_row if code == "header_only" else None))
        return ReadResult(pd.DataFrame(columns=[c.name for c in table.columns if not c.pattern]), problems,
                          pd.Series(dtype="int64"), fname, table.name, digest, header_row)

    if size == 0:
        return empty("empty_file")
    try:
        headers, raw, rows, header_row = _raw_frame(path, fname, table, matcher.match, settings, problems)
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


def _check_size(path: Path, fname: str, settings: Any) -> int:
    """The file's size in bytes; :class:`DataError` (``too_large``) above ``input.max_file_mb``."""
    max_mb = float(_setting(settings, "input.max_file_mb", 200))
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise DataError(
            f"{fname}: berkas terlalu besar ({size / 1048576:.0f} MB > {max_mb:g} MB; pengaturan input.max_file_mb).",
            f"{fname}: file too large ({size / 1048576:.0f} MB > {max_mb:g} MB; setting input.max_file_mb).",
            file=fname, problems=[make_problem("too_large", file=fname, value=f"{size / 1048576:.0f} MB",
                                               expected=f"≤ {max_mb:g} MB")],
        )
    return size


def _check_mapped_frame(mapped: pd.DataFrame, table_name: str, fname: str, header_row: int, settings: Any,
                        problems: list[Problem], digest: str) -> ReadResult:
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
            has_data = j in raw.columns and raw[j].map(_nonblank).any()
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
    pegawai_nip = table.name == "pegawai" and "nip" in present
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
                status_pppk = raw[j].map(lambda v: _enum_key(v) == "pppk" if _nonblank(v) else False)
    for j, (name, col) in mapped.items():
        values = raw[j]
        required = col.required
        skip = None
        if table.name == "pegawai" and name == "pegawai_id" and pegawai_nip:
            required = False  # checked with nip in load_agency / pseudonymisation
        if table.name == "pegawai" and name == "golongan" and status_pppk is not None:
            required = False
            skip = status_pppk
            nonpppk_blank = ~values.map(_nonblank) & ~status_pppk
            for i in np.flatnonzero(nonpppk_blank.to_numpy()):
                problems.append(make_problem(
                    "required_blank", file=fname, row=int(rows.to_numpy()[i]), column=name,
                    expected="wajib diisi / required",
                    detail_id="golongan wajib kecuali PPPK", detail_en="grade is required except for PPPK"))
        if col.pattern:
            blank_idx = np.flatnonzero(~values.map(_nonblank).to_numpy())
            if len(blank_idx):
                blanks[name] = rows.to_numpy()[blank_idx].astype(int).tolist()
        frame[name] = coerce_column(values, col, name, rows, fname, settings, problems,
                                    required=required, skip_enum=skip)
    for name, brows in blanks.items():
        problems.append(_blank_problem(fname, name, brows))
    frame = frame.reset_index(drop=True)
    rows = rows.reset_index(drop=True)
    return ReadResult(frame, problems, rows, fname, table.name, digest, header_row, sources)


# --------------------------------------------------------------------------------------------
# agency loader
# --------------------------------------------------------------------------------------------


def _key_label(key: Iterable[str]) -> str:
    return "+".join(key)


def _check_duplicates(name: str, res: ReadResult, problems: list[Problem]) -> ReadResult:
    t = TABLES[name]
    df = res.frame
    if not t.key or any(k not in df.columns for k in t.key):
        return res
    keyed = df[list(t.key)]
    # blank optional key parts are a value (anggaran: kode_unit blank = the whole agency);
    # blank required ones are already reported as required_blank
    required_key = [k for k in t.key if t.column(k).required]
    valid = keyed[required_key].notna().all(axis=1)
    dup_any = keyed.duplicated(keep=False) & valid
    if not dup_any.any():
        return res
    col = t.key[0] if len(t.key) == 1 else _key_label(t.key)
    if t.latest_by and t.latest_by in df.columns:
        order = df.assign(_pos=np.arange(len(df))).sort_values([t.latest_by, "_pos"], na_position="first",
                                                                kind="stable")
        keep_idx = order[valid.loc[order.index]].drop_duplicates(list(t.key), keep="last").index
        drop = dup_any & ~df.index.isin(keep_idx)
        key_cols = list(t.key)
        kept_by_key = {tuple(r): j for j, r in zip(keep_idx, df.loc[keep_idx, key_cols].itertuples(index=False),
                                                    strict=True)}
        for i, r in zip(df.index[drop], df.loc[drop, key_cols].itertuples(index=False), strict=True):
            k = ", ".join(str(x) for x in r)
            j = kept_by_key.get(tuple(r))
            kept_row = res.row_of(j) if j is not None else None
            problems.append(make_problem(
                "duplicate_submission", file=res.file, row=res.row_of(i), column=col, value=k,
                detail_id=f"isian lain untuk {k} di baris {kept_row} lebih baru dan dipakai",
                detail_en=f"another submission for {k} on row {kept_row} is newer and is used"))
        keep = ~drop
        return ReadResult(df[keep].reset_index(drop=True), res.problems, res.rows[keep].reset_index(drop=True),
                          res.file, res.table, res.sha256, res.header_row, res.columns_source)
    first_seen: dict[tuple, int] = {}
    cand = df.index[dup_any]
    for i, r in zip(cand, df.loc[cand, list(t.key)].itertuples(index=False), strict=True):
        k = tuple("" if (not isinstance(x, list) and pd.isna(x)) else x for x in r)
        if k in first_seen:
            problems.append(make_problem(
                "duplicate_key", file=res.file, row=res.row_of(i), column=col, value=", ".join(map(str, k)),
                detail_id=f"sama dengan baris {first_seen[k]}", detail_en=f"same as row {first_seen[k]}"))
        else:
            first_seen[k] = res.row_of(i)
    return res


def _kamus_lookup(kamus: pd.DataFrame | None) -> dict[str, str]:
    if kamus is None or "kode_kompetensi" not in kamus.columns:
        return {}
    return {_enum_key(k): k for k in kamus["kode_kompetensi"].dropna()}


def _check_references(name: str, res: ReadResult, results: dict[str, ReadResult],
                      problems: list[Problem]) -> None:
    t = TABLES[name]
    df = res.frame
    for col, (ref_table, ref_col) in t.references.items():
        if col not in df.columns or ref_table not in results:
            continue
        target = results[ref_table].frame
        if ref_col not in target.columns:
            continue
        known = set(target[ref_col].dropna().astype(str))
        if ref_col == "kode_kompetensi":
            lookup = {_enum_key(k): k for k in known}
        else:
            lookup = {k: k for k in known}
        is_list = t.column(col).dtype == "list"
        canon_code = ref_col == "kode_kompetensi"

        def report(i: Any, item: Any, col: str = col, ref_table: str = ref_table, ref_col: str = ref_col) -> None:
            problems.append(make_problem(
                "unknown_reference", file=res.file, row=res.row_of(i), column=col, value=item,
                expected=f"{ref_table}.{ref_col}",
                detail_id=f"'{item}' tidak ada di {ref_table}.{ref_col}",
                detail_en=f"'{item}' is not in {ref_table}.{ref_col}"))

        if not is_list:
            series = df[col]
            distinct = series.dropna().unique()
            resolved = {v: lookup.get(_enum_key(v) if canon_code else str(v)) for v in distinct}
            bad = series.notna() & series.map(lambda v, r=resolved: r.get(v) is None if isinstance(v, str) else False)
            for i in series.index[bad.to_numpy(dtype=bool)]:
                report(i, series.at[i])
            if canon_code:
                df[col] = series.map(lambda v, r=resolved: r.get(v) or v if isinstance(v, str) else v).astype("str")
            continue
        fixed = []
        for i, v in df[col].items():
            if not isinstance(v, list):
                fixed.append(v)
                continue
            good = []
            for item in v:
                key = _enum_key(item) if canon_code else str(item)
                if key in lookup:
                    good.append(lookup[key])
                else:
                    report(i, item)
                    good.append(item)
            fixed.append(good)
        df[col] = pd.Series(fixed, index=df.index, dtype=object)


def _check_pattern_codes(res: ReadResult, kamus_codes: dict[str, str], problems: list[Problem]) -> None:
    """Pattern columns (level_<KODE>, penting_<KODE>) must name dictionary codes."""
    t = TABLES[res.table]
    renames = {}
    for c in t.columns:
        if not c.pattern or "<KODE>" not in c.name:
            continue
        prefix = c.name.partition("<")[0]
        for name in list(res.frame.columns):
            if not name.startswith(prefix):
                continue
            code = name[len(prefix):]
            hit = kamus_codes.get(_enum_key(code))
            if hit is None:
                problems.append(make_problem(
                    "unknown_reference", file=res.file, row=res.header_row, column=name, value=code,
                    expected="kamus_kompetensi.kode_kompetensi",
                    detail_id=f"kode '{code}' pada judul kolom tidak ada di kamus kompetensi",
                    detail_en=f"code '{code}' in the column header is not in the competency dictionary"))
            elif hit != code:
                renames[name] = prefix + hit
    if renames:
        res.frame.rename(columns=renames, inplace=True)


def _read_meta(d: Path, problems: list[Problem]) -> dict:
    import yaml

    p = d / "instansi.yaml"
    if not p.is_file():
        alt = d / "instansi.yml"
        p = alt if alt.is_file() else p
    if not p.is_file():
        problems.append(make_problem(
            "missing_file", file="instansi.yaml",
            detail_id="isi nama_instansi, jenis_instansi dan tahun_rencana",
            detail_en="give nama_instansi, jenis_instansi and tahun_rencana"))
        return {}
    try:
        with open(p, encoding="utf-8-sig") as fh:
            meta = yaml.safe_load(fh) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(make_problem(
            "unreadable_file", file=p.name, row=(mark.line + 1) if mark else None,
            detail_id=str(exc).splitlines()[0], detail_en=str(exc).splitlines()[0]))
        return {}
    if not isinstance(meta, dict):
        problems.append(make_problem("unreadable_file", file=p.name, detail_id="harus berisi pemetaan kunci: nilai",
                                     detail_en="must contain a mapping of key: value"))
        return {}
    year = meta.get("tahun_rencana")
    if year is None:
        problems.append(make_problem("required_blank", file=p.name, column="tahun_rencana", expected="2000–2100"))
    elif not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(make_problem("out_of_range", file=p.name, column="tahun_rencana", value=year,
                                     expected="2000–2100"))
    jenis = meta.get("jenis_instansi")
    if jenis is not None and str(jenis).strip().lower() not in ("kabupaten", "kota", "provinsi", "kementerian", "lembaga"):
        problems.append(make_problem("not_allowed", file=p.name, column="jenis_instansi", value=jenis,
                                     expected="kabupaten, kota, provinsi, kementerian, lembaga"))
    return meta


def load_agency(data_dir: str | Path, *, settings: Any = None, strict: bool = True) -> Agency:
    """Load and check one agency's input folder.

    Parameters
    ----------
    data_dir : str or Path
        Folder with one file per table (``pegawai.csv`` …) and ``instansi.yaml``. Never modified.
    settings : Settings, optional
        Loaded settings (default: the defaults).
    strict : bool, default=True
        If True, any error raises :class:`DataError` carrying every problem (``err.problems``).
        If False, returns what could be loaded with the full report.

    Returns
    -------
    Agency

    Notes
    -----
    Cross-table checks: unique keys (``duplicate_key``) except in tables with ``latest_by``
    (older submissions dropped, ``duplicate_submission``); references resolve
    (``unknown_reference``); survey pattern columns name dictionary codes; every employee's
    ``jabatan`` has standards (``missing_standard`` warning, one per position); L2 scores not above
    ``skor_maks`` (``score_above_max``); ``golongan`` required unless ``status`` is PPPK; the optional
    ROI tables come as a pair (``roi_biaya`` with ``roi_manfaat``, else ``missing_file``) and every
    benefit converted to money has an isolation method and its columns (``required_blank``). A raw
    ``nip`` column is validated (``invalid_nip``) and replaced by a keyed pseudonym; ``nama`` is
    dropped (see :mod:`workbook.core.pseudonym`). A per-table mapping preset may be named in
    ``instansi.yaml`` under ``pemetaan`` (``{survei_pegawai: google_forms_survei}``); otherwise a
    preset is chosen automatically when the file's header matches it and not the contract.
    """
    from workbook.core.problems import ValidationReport

    if settings is None:
        from workbook.core.settings import load_settings

        settings = load_settings()
    d = Path(data_dir)
    if not d.is_dir():
        raise DataError(f"Folder data tidak ditemukan: {d}", f"Data folder not found: {d}", file=str(d))
    problems: list[Problem] = []
    meta = _read_meta(d, problems)
    hashes: dict[str, str] = {}
    max_bytes = float(_setting(settings, "input.max_file_mb", 200)) * 1024 * 1024
    for p in sorted(d.iterdir()):
        if p.is_file() and (p.suffix.lower() in TABLE_EXTENSIONS or p.name.startswith("instansi.")):
            # an oversized file is refused by its reader; do not read it whole just to hash it
            hashes[p.name] = sha256_file(p) if p.stat().st_size <= max_bytes else "too_large"
    presets = dict(meta.get("pemetaan") or {}) if isinstance(meta.get("pemetaan"), dict) else {}

    results: dict[str, ReadResult] = {}
    for name, t in TABLES.items():
        path = find_table_file(d, name)
        if path is None:
            if t.required:
                problems.append(make_problem(
                    "missing_file", file=f"{name}.csv", expected=f"{name}.csv / .xlsx / .parquet"))
            continue
        try:
            res = _read_with_preset(path, name, settings, presets.get(name))
        except WorkbookError as exc:
            problems.extend(exc.problems or [make_problem(
                "unreadable_file", file=path.name, detail_id=exc.message_id, detail_en=exc.message_en)])
            continue
        except Exception as exc:  # noqa: BLE001 - never leak a raw library exception
            problems.append(make_problem(
                "unreadable_file", file=path.name, value=type(exc).__name__,
                detail_id=f"{type(exc).__name__}: {exc}", detail_en=f"{type(exc).__name__}: {exc}"))
            continue
        problems.extend(res.problems)
        res.problems = []
        results[name] = res

    # NIP → pseudonym, names dropped
    if "pegawai" in results:
        from workbook.core.pseudonym import pseudonymise_frame

        res = results["pegawai"]
        res.frame = pseudonymise_frame(res.frame, res.rows, res.file, settings, problems,
                                       plan_year=meta.get("tahun_rencana"))
    for res in results.values():
        drop = [c.name for c in TABLES[res.table].columns if c.personal and c.name in res.frame.columns]
        if drop:
            res.frame = res.frame.drop(columns=drop)

    kamus_codes = _kamus_lookup(results["kamus_kompetensi"].frame if "kamus_kompetensi" in results else None)
    _refine_blank_answers(results, problems)  # on the file's rows, before duplicates are dropped
    for name in list(results):
        results[name] = _check_duplicates(name, results[name], problems)
    for name, res in results.items():
        if TABLES[name].wide and kamus_codes:
            _check_pattern_codes(res, kamus_codes, problems)
        _check_references(name, res, results, problems)
    _check_standards(results, problems)
    _check_scores(results, problems)
    _check_roi(d, results, problems, settings)

    report = ValidationReport(problems, data_dir=str(d))
    agency = Agency(
        tables={n: r.frame for n, r in results.items()}, meta=meta, report=report, data_dir=d,
        input_hashes=hashes, plan_year=meta.get("tahun_rencana") if isinstance(meta.get("tahun_rencana"), int) else None,
        rows={n: r.rows for n, r in results.items()},
    )
    if strict and report.errors:
        raise DataError(
            f"Data di {d} belum dapat dipakai: {len(report.errors)} kesalahan. Jalankan 'workbook validate {d}'.",
            f"Data in {d} cannot be used yet: {len(report.errors)} errors. Run 'workbook validate {d}'.",
            file=str(d), problems=problems,
        )
    return agency


def _read_with_preset(path: Path, name: str, settings: Any, preset: str | None) -> ReadResult:
    from workbook.ingest import mapping

    _check_size(path, path.name, settings)  # before any preset reads the file
    if preset:
        return mapping.read_mapped(path, preset, name, settings=settings)
    auto = mapping.detect_preset(path, name, settings=settings)
    if auto:
        return mapping.read_mapped(path, auto, name, settings=settings)
    return read_table(path, name, settings=settings)


def _check_standards(results: dict[str, ReadResult], problems: list[Problem]) -> None:
    if "pegawai" not in results or "standar_kompetensi" not in results:
        return
    peg = results["pegawai"]
    std = results["standar_kompetensi"].frame
    if "jabatan" not in peg.frame.columns or "jabatan" not in std.columns:
        return
    known = {_enum_key(j) for j in std["jabatan"].dropna()}
    seen: set[str] = set()
    for i, j in peg.frame["jabatan"].items():
        if j is None or pd.isna(j):
            continue
        k = _enum_key(j)
        if k in known or k in seen:
            continue
        seen.add(k)
        n = int((peg.frame["jabatan"].map(lambda x: _enum_key(x) if isinstance(x, str) else "") == k).sum())
        problems.append(make_problem(
            "missing_standard", file=peg.file, row=peg.row_of(i), column="jabatan", value=j,
            expected="standar_kompetensi.jabatan",
            detail_id=f"'{j}' ({n} pegawai) tidak ada di standar_kompetensi; kesenjangan tidak dihitung untuk mereka",
            detail_en=f"'{j}' ({n} employees) is not in standar_kompetensi; no gaps are computed for them"))


def _blank_problem(fname: str, column: str, brows: list[int]) -> Problem:
    """One aggregated ``blank_answer`` warning for a column, at its first blank row."""
    shown = ", ".join(str(r) for r in brows[:10]) + (", …" if len(brows) > 10 else "")
    return make_problem(
        "blank_answer", file=fname, row=brows[0], column=column, value=f"{len(brows)}",
        detail_id=f"{len(brows)} sel kosong (baris {shown}); dianggap tidak menjawab",
        detail_en=f"{len(brows)} blank cells (rows {shown}); treated as no answer")


_ANSWER_RE = re.compile(r"^(?:level|penting)_(?P<kode>.+)$")


def _refine_blank_answers(results: dict[str, ReadResult], problems: list[Problem]) -> None:
    """Count a blank survey answer only where the competency is in the employee's job standard.

    A form lists every competency, but an employee is asked only about those of the standard of
    their position: a blank elsewhere is structural, not a missing answer. Needs the employees
    and the standards; without them the per-file counts of :func:`read_table` stand.
    """
    if "pegawai" not in results or "standar_kompetensi" not in results:
        return
    peg, std = results["pegawai"].frame, results["standar_kompetensi"].frame
    if not {"pegawai_id", "jabatan"} <= set(peg.columns) or not {"jabatan", "kode_kompetensi"} <= set(std.columns):
        return
    applicable = {(_enum_key(j), str(k)) for j, k in zip(std["jabatan"], std["kode_kompetensi"], strict=False)
                  if isinstance(j, str) and isinstance(k, str)}
    job = {pid: _enum_key(j) for pid, j in zip(peg["pegawai_id"], peg["jabatan"], strict=False) if isinstance(j, str)}
    for name in ("survei_pegawai", "survei_atasan"):
        res = results.get(name)
        if res is None or "pegawai_id" not in res.frame.columns:
            continue
        f = res.frame
        jobs = f["pegawai_id"].map(job)
        # a cell that failed coercion is missing in the frame but was not blank in the file
        flagged = {(p.row, p.column) for p in problems if p.file == res.file and p.code != "blank_answer"}
        refined = []
        for col in f.columns:
            m = _ANSWER_RE.match(str(col))
            if not m:
                continue
            kode = m.group("kode")
            asked = jobs.map(lambda j, kode=kode: (j, kode) in applicable).fillna(False).astype(bool)
            idx = f.index[f[col].isna().to_numpy() & asked.to_numpy()]
            rows = [r for r in (int(res.row_of(i)) for i in idx) if (r, col) not in flagged]
            if rows:
                refined.append(_blank_problem(res.file, col, rows))
        first = next((i for i, p in enumerate(problems) if p.code == "blank_answer" and p.file == res.file), len(problems))
        problems[:] = ([p for p in problems[:first] if not (p.code == "blank_answer" and p.file == res.file)]
                       + refined
                       + [p for p in problems[first:] if not (p.code == "blank_answer" and p.file == res.file)])


def _check_scores(results: dict[str, ReadResult], problems: list[Problem]) -> None:
    res = results.get("evaluasi_l2")
    if res is None or "skor_maks" not in res.frame.columns:
        return
    df = res.frame
    for col in ("skor_pre", "skor_post"):
        if col not in df.columns:
            continue
        bad = df[col].notna() & df["skor_maks"].notna() & (df[col] > df["skor_maks"])
        for i in df.index[bad]:
            problems.append(make_problem(
                "score_above_max", file=res.file, row=res.row_of(i), column=col, value=f"{df.at[i, col]:g}",
                expected=f"≤ {df.at[i, 'skor_maks']:g}"))


def _check_roi(d: Path, results: dict[str, ReadResult], problems: list[Problem], settings: Any) -> None:
    """Phillips ROI inputs (optional): ``roi_biaya`` and ``roi_manfaat`` come together, and every
    benefit row that is converted to money names an isolation method and fills the columns it needs.

    A measure without a conversion (intangible) and a row without ``perubahan`` (no improvement,
    Phillips' principle 6) need no isolation. Rows that already carry an error are skipped.
    """
    from workbook.core.schema import ISOLASI, ROI_REQUIRED, ROI_TABLES

    given = [n for n in ROI_TABLES if find_table_file(d, n) is not None]
    if not given:
        return
    for n in ROI_REQUIRED:
        if n not in given:
            problems.append(make_problem(
                "missing_file", file=f"{n}.csv", expected=f"{n}.csv / .xlsx / .parquet",
                detail_id=f"diperlukan untuk ROI bersama {', '.join(g + '.csv' for g in given)}",
                detail_en=f"needed for ROI together with {', '.join(g + '.csv' for g in given)}"))
    res = results.get("roi_manfaat")
    if res is None or "ukuran" not in res.frame.columns:  # a missing column is already an error
        return
    df = res.frame
    conv = results.get("roi_konversi")
    converted = (set(conv.frame["ukuran"].dropna().astype(str).str.strip())
                 if conv is not None and "ukuran" in conv.frame.columns else set())
    default = _setting(settings, "impact.isolation_default", None)
    default = {"kelompok_pembanding": "pembanding"}.get(str(default), default) if default is not None else None
    default_conf = _setting(settings, "impact.confidence_discount_default", None)
    flagged = {p.row for p in problems if p.file == res.file and p.severity == "error"}
    methods = ", ".join(ISOLASI)
    for i in df.index:
        row = res.row_of(i)
        if row in flagged or str(df.at[i, "ukuran"]).strip() not in converted:
            continue
        if "perubahan" not in df.columns or pd.isna(df.at[i, "perubahan"]):
            continue
        m = df.at[i, "isolasi"] if "isolasi" in df.columns and pd.notna(df.at[i, "isolasi"]) else default
        if m not in ISOLASI:
            problems.append(make_problem(
                "required_blank", file=res.file, row=row, column="isolasi", expected=methods,
                detail_id="manfaat yang dirupiahkan memerlukan metode isolasi efek program (prinsip Phillips 5; "
                          "atau pengaturan impact.isolation_default)",
                detail_en="a benefit converted to money needs a method isolating the programme's effect (Phillips' "
                          "principle 5; or setting impact.isolation_default)"))
            continue
        for col in ISOLASI[m]:
            if col == "keyakinan" and default_conf is not None:
                continue
            if col not in df.columns or pd.isna(df.at[i, col]):
                problems.append(make_problem(
                    "required_blank", file=res.file, row=row, column=col, expected=col,
                    detail_id=f"isolasi '{m}' memerlukan kolom {col}",
                    detail_en=f"isolation '{m}' needs the column {col}"))
