"""Raw reading: one input file (CSV, XLSX, Parquet) → header texts and cells, with their rows.

Nothing here knows a data contract's types: :func:`raw_frame` returns the header row and the
cells as found (object dtype) with the spreadsheet row of every body row, and
:func:`parse_number` / :func:`parse_date` turn one cell into a number or a date.
:class:`ColumnMatcher` maps a header text to a contract column. The typed reading built on this
is :mod:`workbook.ingest.tables`.

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
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.exceptions import DataError, Problem, WorkbookError
from workbook.core.problems import make_problem
from workbook.core.schema import Column, Table

__all__ = [
    "get_setting",
    "check_size",
    "read_csv_raw",
    "read_xlsx_raw",
    "raw_frame",
    "csv_rows",
    "text_sample",
    "sheet_for",
    "xlsx_sample",
    "xlsx_guard",
    "frame_from_rows",
    "norm_header",
    "ColumnMatcher",
    "nonblank",
    "enum_key",
    "parse_number",
    "parse_date",
]

_HEADER_SCAN_ROWS = 30


# --------------------------------------------------------------------------------------------
# raw reading: bytes → list of rows of cells
# --------------------------------------------------------------------------------------------


def get_setting(settings: Any, key: str, default: Any) -> Any:
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


def read_csv_raw(path: Path, fname: str, problems: list[Problem]) -> list[tuple[int, list[Any]]]:
    with open(path, "rb") as fh:
        data = fh.read()
    return csv_rows(data, fname, problems)


def csv_rows(data: bytes, fname: str, problems: list[Problem],
             max_rows: int | None = None) -> list[tuple[int, list[Any]]]:
    """The records of CSV bytes as (line, cells): decoded (:func:`_decode`), delimiter sniffed.

    ``max_rows`` stops after that many records (a detection sample).
    """
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
            if max_rows is not None and len(out) >= max_rows:
                break
            out.append((i, rec))
    except csv.Error as exc:
        raise DataError(
            f"{fname}: berkas CSV rusak ({exc}).", f"{fname}: malformed CSV file ({exc}).",
            file=fname, row=reader.line_num,
        ) from None
    return out


#: byte-order marks and the width of one code unit in that encoding (UTF-32 first: its LE mark
#: begins with UTF-16's)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le", 4), (codecs.BOM_UTF32_BE, "utf-32-be", 4),
         (codecs.BOM_UTF16_LE, "utf-16-le", 2), (codecs.BOM_UTF16_BE, "utf-16-be", 2))


def text_sample(path: Path, max_bytes: int = 65536) -> bytes:
    """The first ``max_bytes`` of a text file, cut after its last complete line.

    The encoding is taken from the byte-order mark: in UTF-16 and UTF-32 a line end is a whole
    code unit (``"\\n"`` encoded, at a multiple of the unit width from the start), so the sample
    still decodes; in UTF-8 and single-byte encodings it is the byte ``\\n``. A file no longer
    than ``max_bytes`` is returned whole.
    """
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) <= max_bytes:
        return data
    data = data[:max_bytes]
    for bom, enc, width in _BOMS:
        if data.startswith(bom):
            nl = "\n".encode(enc)
            end = len(data) - len(data) % width
            while end > len(bom):
                pos = data.rfind(nl, len(bom), end)
                if pos < 0:
                    break
                if pos % width == 0:  # a whole code unit, not the tail of another one
                    return data[: pos + width]
                end = pos + width - 1
            return data[: len(data) - len(data) % width]
    cut = data.rfind(b"\n") + 1
    return data[:cut] if cut else data


def xlsx_guard(path: Path, fname: str, settings: Any, limit_mb: float | None = None,
                setting: str = "input.max_xlsx_uncompressed_mb") -> None:
    """Refuse an XLSX whose parts inflate to more than ``limit_mb`` (default: the setting
    ``input.max_xlsx_uncompressed_mb``), before openpyxl opens it; ``setting`` is named in the message."""
    if limit_mb is None:
        limit_mb = float(get_setting(settings, "input.max_xlsx_uncompressed_mb", 500))
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
            f"pengaturan {setting}).",
            f"{fname}: XLSX content too large once uncompressed ({total / 1048576:.0f} MB > {limit_mb:g} MB; "
            f"setting {setting}).",
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


def sheet_for(sheetnames: list[str], table: Table) -> str:
    """The sheet a table is read from: the one named after the table (or its English alias), else the first."""
    names = {n.strip().lower(): n for n in sheetnames}
    return names.get(table.name) or names.get(table.alias) or sheetnames[0]


def _open_xlsx(path: Path, fname: str, settings: Any):
    """The workbook opened read-only (values, not formulas) after the inflation guard; a located
    message when openpyxl cannot open it (openpyxl uses defusedxml when it is installed)."""
    import openpyxl

    xlsx_guard(path, fname, settings)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise DataError(
            f"{fname}: berkas XLSX tidak dapat dibuka ({type(exc).__name__}: {exc}).",
            f"{fname}: XLSX file cannot be opened ({type(exc).__name__}: {exc}).", file=fname,
        ) from None


@contextlib.contextmanager
def _sheet_reading(path: Path, fname: str, settings: Any) -> Iterator[Any]:
    """The workbook opened by :func:`_open_xlsx` for reading its sheets, closed afterwards.

    Whatever openpyxl raises while a sheet is read becomes one located :class:`DataError`
    ("lembar kerja tidak dapat dibaca"), the same for a header sample and a full read.
    """
    wb = _open_xlsx(path, fname, settings)
    try:
        yield wb
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise DataError(
            f"{fname}: lembar kerja tidak dapat dibaca ({type(exc).__name__}: {exc}).",
            f"{fname}: worksheet cannot be read ({type(exc).__name__}: {exc}).", file=fname,
        ) from None
    finally:
        wb.close()


def xlsx_sample(path: Path, fname: str, tables: list[Table], settings: Any,
                max_rows: int) -> dict[str, list[tuple[int, list[Any]]]]:
    """The first ``max_rows`` rows of each sheet that one of ``tables`` would be read from.

    The workbook is opened once (read-only) and each sheet is read once, whatever the number of
    tables: ``{table name: rows}``, tables reading the same sheet sharing one list. Rows are
    taken with :func:`itertools.islice`, so openpyxl parses no row beyond ``max_rows`` (a
    detection sample costs the same for a 40 MB sheet as for a small one). Merged cells are not
    filled (headers are what detection needs).
    """
    import itertools

    with _sheet_reading(path, fname, settings) as wb:
        by_sheet: dict[str, list[tuple[int, list[Any]]]] = {}
        out = {}
        for table in tables:
            sheet = sheet_for(wb.sheetnames, table)
            if sheet not in by_sheet:
                rows = itertools.islice(wb[sheet].iter_rows(values_only=True), max(int(max_rows), 0))
                by_sheet[sheet] = [(i, list(values)) for i, values in enumerate(rows, start=1)]
            out[table.name] = by_sheet[sheet]
        return out


def read_xlsx_raw(path: Path, fname: str, table: Table, settings: Any,
                  max_rows: int | None = None,
                  formulas: list[tuple[int, int]] | None = None) -> list[tuple[int, list[Any]]]:
    """Rows of the table's sheet as (spreadsheet row, cell values); merged cells filled.

    When ``formulas`` is a list, the (row, column) of every formula cell whose saved value is
    empty (a file written by a program and never opened in Excel) is appended to it.
    """
    with _sheet_reading(path, fname, settings) as wb:
        ws = wb[sheet_for(wb.sheetnames, table)]
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
    by_row = {r: vals for r, vals in rows}
    if formulas:
        empty = [(r, c) for r, c in formulas
                 if r in by_row and (c >= len(by_row[r]) or not nonblank(by_row[r][c]))]
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
        if any(nonblank(v) for v in vals):
            return idx
    return -1


def nonblank(v: Any) -> bool:
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


def enum_key(text: Any) -> str:
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(text)).strip().lower())


# --------------------------------------------------------------------------------------------
# raw frame: file → header texts, cells and spreadsheet rows
# --------------------------------------------------------------------------------------------


def raw_frame(path: Path, fname: str, table: Table, matcher: Callable[[Any], Any], settings: Any,
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
        raw = read_xlsx_raw(path, fname, table, settings, formulas=formulas)
    elif ext in (".csv", ".txt"):
        raw = read_csv_raw(path, fname, problems)
    else:
        raise DataError(
            f"{fname}: jenis berkas tidak didukung (pakai .csv, .xlsx atau .parquet).",
            f"{fname}: unsupported file type (use .csv, .xlsx or .parquet).", file=fname,
        )
    return frame_from_rows(raw, fname, matcher, problems, formulas)


def frame_from_rows(raw: list[tuple[int, list[Any]]], fname: str, matcher: Callable[[Any], Any],
                    problems: list[Problem], formulas: list[tuple[int, int]] = ()
                    ) -> tuple[list[str], pd.DataFrame, pd.Series, int]:
    """Rows as read (spreadsheet row, cells) → (headers, raw object frame, spreadsheet rows, header row).

    The header is the row among the first ones that matches the most known names; blank rows are
    dropped; ``formulas`` (cells with a formula and no saved value) become ``formula_no_value``
    warnings.
    """
    if not any(any(nonblank(v) for v in vals) for _, vals in raw):
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
    body = [(r, vals) for r, vals in raw[h + 1:] if any(nonblank(v) for v in vals)]
    width = len(headers)
    extra_width = max([width] + [len(vals) for _, vals in body])
    data = [list(vals) + [None] * (extra_width - len(vals)) for _, vals in body]
    headers += [""] * (extra_width - width)
    df = pd.DataFrame(data, columns=range(extra_width), dtype=object) if data else pd.DataFrame(
        columns=range(extra_width), dtype=object)
    rows = pd.Series([r for r, _ in body], dtype="int64")
    return headers, df, rows, header_row


def check_size(path: Path, fname: str, settings: Any) -> int:
    """The file's size in bytes; :class:`DataError` (``too_large``) above ``input.max_file_mb``."""
    max_mb = float(get_setting(settings, "input.max_file_mb", 200))
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise DataError(
            f"{fname}: berkas terlalu besar ({size / 1048576:.0f} MB > {max_mb:g} MB; pengaturan input.max_file_mb).",
            f"{fname}: file too large ({size / 1048576:.0f} MB > {max_mb:g} MB; setting input.max_file_mb).",
            file=fname, problems=[make_problem("too_large", file=fname, value=f"{size / 1048576:.0f} MB",
                                               expected=f"≤ {max_mb:g} MB")],
        )
    return size

