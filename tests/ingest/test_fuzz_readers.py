"""Property-based tests: random CSV and XLSX files fed to the readers.

Whatever the bytes, :func:`workbook.ingest.tables.read_table` returns a :class:`ReadResult` whose
problems use known codes and spreadsheet rows, or raises a :class:`WorkbookError`; no pandas,
openpyxl, csv, zipfile or Unicode exception ever reaches the user. ``detect_preset`` never raises.
Bounded (a few hundred examples, derandomised) so that the suite stays fast and reproducible.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.core.exceptions import WorkbookError
from workbook.core.problems import EXTRA_PROBLEM_CODES
from workbook.core.schema import PROBLEM_CODES, TABLES
from workbook.core.settings import load_settings
from workbook.ingest.mapping import detect_preset
from workbook.ingest.tables import ReadResult, read_table

KNOWN = set(PROBLEM_CODES) | set(EXTRA_PROBLEM_CODES)
SETTINGS = load_settings()
TABLE_NAMES = sorted(TABLES)
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TALLY: Counter = Counter()


def _header_words(table: str) -> list[str]:
    words = []
    for c in TABLES[table].columns:
        name = c.name.replace("<KODE>", "M.1").replace("<n>", "1")
        words += [name, (c.alias or name).replace("<KODE>", "M.1").replace("<n>", "1")]
    return words


def _check(path: Path, table: str) -> str:
    """Read ``path``; return 'ok' or 'error' (a WorkbookError); anything else fails the test."""
    try:
        res = read_table(path, table, settings=SETTINGS)
    except WorkbookError as exc:
        for p in exc.problems:
            assert p.code in KNOWN, p.code
        assert exc.message("id") and exc.message("en")
        outcome = "error"
    else:
        assert isinstance(res, ReadResult)
        assert len(res.rows) == len(res.frame)
        for p in res.problems:
            assert p.code in KNOWN, p.code
            assert p.severity in ("error", "warning")
            assert p.row is None or (isinstance(p.row, int) and p.row >= 1)
            assert p.message("id") and p.message("en")
        outcome = "ok"
    if path.suffix in (".csv", ".xlsx") and table in ("pegawai", "survei_pegawai"):
        got = detect_preset(path, table, settings=SETTINGS)  # must never raise
        assert got is None or isinstance(got, str)
    return outcome


def _run(data: bytes, table: str, ext: str) -> str:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"{table}{ext}"
        p.write_bytes(data)
        outcome = _check(p, table)
        assert p.read_bytes() == data  # the reader never writes its input
    TALLY[(ext, outcome)] += 1
    return outcome


_plain = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
_cell = st.one_of(
    _plain,
    st.integers(-10**6, 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "12,5", "Rp 1.500.000", "1.234.567,89", "=1+1", "=HYPERLINK(\"x\")", "@SUM(A1)",
                     "-2", "+3", "2026-02-30", "31/12/2026", "45000", "PNS", "PPPK", "III/c", "ya", "N/A", "#REF!",
                     '"', '""', "a\nb", "\r", "\t", ";", ",", "\u00a0", "\ufeff", "٣", "１２"]),
)


@st.composite
def csv_text(draw: st.DrawFn, table: str) -> bytes:
    words = _header_words(table)
    header = draw(st.lists(st.one_of(st.sampled_from(words), _plain), min_size=0, max_size=len(words) + 2))
    width = max(1, len(header))
    rows = draw(st.lists(st.lists(_cell, min_size=0, max_size=width + 2), max_size=12))
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    quote = draw(st.booleans())

    def fmt(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if quote or sep in v or "\n" in v or '"' in v else v

    lines = [sep.join(fmt(h) for h in header)] + [sep.join(fmt(v) for v in r) for r in rows]
    if draw(st.booleans()):
        lines.insert(0, draw(st.sampled_from(["sep=;", "sep=,", "Judul laporan", ""])))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    return text.encode(enc, errors="replace")


@FUZZ
@given(table=st.sampled_from(TABLE_NAMES), data=st.binary(max_size=3000))
def test_random_bytes_as_csv(table, data):
    _run(data, table, ".csv")


@FUZZ
@given(data=st.data(), table=st.sampled_from(TABLE_NAMES))
def test_random_csv_tables(data, table):
    _run(data.draw(csv_text(table)), table, ".csv")


_xl_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=15)
_xl_cell = st.one_of(
    st.none(), _xl_text, st.integers(-10**9, 10**15), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(["=1/0", "=SUM(A1:A3)", "=HYPERLINK(\"http://x\")", "#DIV/0!", "M.1", "PNS", "2026-08-27"]),
)


@st.composite
def xlsx_bytes(draw: st.DrawFn, table: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = draw(st.sampled_from(["Sheet1", table, TABLES[table].alias, "Lembar 1"]))
    words = _header_words(table)
    for _ in range(draw(st.integers(0, 2))):
        ws.append([draw(_xl_text)])
    ws.append(draw(st.lists(st.one_of(st.sampled_from(words), _xl_text, st.none()), max_size=len(words) + 2)))
    for _ in range(draw(st.integers(0, 10))):
        ws.append(draw(st.lists(_xl_cell, max_size=len(words) + 2)))
    for _ in range(draw(st.integers(0, 2))):
        r1, c1 = draw(st.integers(1, 8)), draw(st.integers(1, 6))
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r1 + draw(st.integers(0, 3)),
                       end_column=c1 + draw(st.integers(0, 2)))
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    how = draw(st.sampled_from(["keep", "keep", "truncate", "flip", "drop_member"]))
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "flip":
        pos = draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=8))
        arr = bytearray(data)
        for p in pos:
            arr[p] ^= draw(st.integers(1, 255))
        data = bytes(arr)
    elif how == "drop_member":
        src = zipfile.ZipFile(io.BytesIO(data))
        names = src.namelist()
        gone = draw(st.sampled_from(names))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for n in names:
                if n != gone:
                    dst.writestr(n, src.read(n))
        data = out.getvalue()
    return data


@settings(max_examples=120, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), table=st.sampled_from(TABLE_NAMES))
def test_random_xlsx(data, table):
    _run(data.draw(xlsx_bytes(table)), table, ".xlsx")


@pytest.mark.parametrize("table", ["pegawai", "evaluasi_l1"])
def test_random_parquet_like_bytes(table, tmp_path):
    for i, blob in enumerate([b"", b"PAR1", b"PAR1" + bytes(range(256)) + b"PAR1", b"\x00" * 64]):
        p = tmp_path / str(i) / f"{table}.parquet"
        p.parent.mkdir()
        p.write_bytes(blob)
        assert _check(p, table) in ("ok", "error")


def test_zz_print_tally(capsys):
    with capsys.disabled():
        total = sum(TALLY.values())
        print(f"\nfuzzed readers: {total} files — " +
              ", ".join(f"{ext} {outcome}: {n}" for (ext, outcome), n in sorted(TALLY.items())))
    if TALLY:
        assert {o for _, o in TALLY} <= {"ok", "error"}
