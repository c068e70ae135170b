"""The upload page cannot be choked (issue #16 item 3; reviews/2026-12-security.md 4.2, 4.4, 4.8, 4.10).

* an XLSX of 0.2 MB that inflates to 40 MB of valid rows: table detection parses at most the
  sample's rows (counted in openpyxl's sheet parser, not timed), and the whole check is stopped by
  the time limit with a located "terlalu lama" sentence;
* a UTF-16 CSV larger than the 64 KB detection sample is accepted;
* no server path and no session id in anything the page shows, OS errors included.
"""

from __future__ import annotations

import codecs
import csv
import io
import multiprocessing
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from workbook.core.context import open_context
from workbook.ingest.raw import text_sample
from workbook.ui import upload as upload_mod
from workbook.ui.upload import UploadApp, UploadSession, detect_table, stage_upload
from workbook.ui.upload_check import DEFAULT_SAMPLE_ROWS, run_limited, scrub_paths

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data_samples" / "contoh"


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def inflated_xlsx(target_mb: float = 40.0) -> tuple[bytes, int, int]:
    """The sample's first 40 L1 evaluation rows repeated into one sheet of about ``target_mb`` MB of XML.

    Returns (xlsx bytes, inflated size in bytes, number of data rows). Written with zipfile
    (openpyxl would take minutes): inline strings, numbers as numbers, every row valid.
    """
    with open(SAMPLE / "evaluasi_l1.csv", encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    header, body = records[0], records[1:]

    def row_xml(r: int, cells: list[str]) -> str:
        # rows and cells without a reference follow each other (as the format allows), so the
        # repeated rows are byte for byte the same: this is what makes 40 MB deflate to a few 100 KB
        out = [f"<c><v>{v}</v></c>" if v.isdigit() else
               f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in cells]
        return f'<row>{"".join(out)}</row>' if r > 1 else f'<row r="1">{"".join(out)}</row>'

    parts = [row_xml(1, header)]
    size, r = len(parts[0]), 1
    while size < target_mb * 1024 * 1024:
        r += 1
        parts.append(row_xml(r, body[(r - 2) % 40]))
        size += len(parts[-1])
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:{_col(len(header) - 1)}{r}"/><sheetData>{"".join(parts)}</sheetData></worksheet>')
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Form Responses 1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue(), sum(len(t.encode()) for t in files.values()), r - 1


@pytest.fixture(scope="module")
def bomb() -> tuple[bytes, int, int]:
    return inflated_xlsx()


@pytest.fixture()
def ctx(tmp_path):
    return open_context(data_dir=str(SAMPLE), output_dir=str(tmp_path / "out"), interactive=False)


@pytest.fixture()
def session(ctx):
    return UploadSession(Path(ctx.data_dir), Path(ctx.output_dir), ctx.year, ctx.settings)


def _set(ctx, key: str, value) -> None:
    ctx.settings.entries[key] = {"value": value, "source": "test"}


def test_the_inflated_xlsx_is_small_and_inflates_to_40_mb_of_rows(bomb):
    content, inflated, n_rows = bomb
    print(f"inflated XLSX: {len(content) / 1e6:.2f} MB → {inflated / 1e6:.1f} MB, {n_rows} rows")
    assert len(content) < 0.5 * 1024 * 1024 and inflated > 40 * 1024 * 1024 and n_rows > 50_000


def test_detection_parses_at_most_the_sample_rows_of_a_40_mb_sheet(bomb, tmp_path, monkeypatch):
    from openpyxl.worksheet._reader import WorkSheetParser

    parsed: list[int] = []
    real_parse = WorkSheetParser.parse

    def counting_parse(self):  # every row openpyxl's XML parser produces, whoever asked for it
        for item in real_parse(self):
            parsed.append(item[0])
            yield item

    monkeypatch.setattr(WorkSheetParser, "parse", counting_parse)
    path = tmp_path / "berkas" / "reaksi peserta.xlsx"
    path.parent.mkdir()
    path.write_bytes(bomb[0])
    assert detect_table(path) == "evaluasi_l1"
    # one sheet, read once for all six candidate tables, stopped after the sample (was: the whole
    # sheet read once per candidate, 177 s)
    assert 0 < len(parsed) <= DEFAULT_SAMPLE_ROWS, len(parsed)
    assert max(parsed) <= DEFAULT_SAMPLE_ROWS < bomb[2]


def test_inflated_xlsx_is_stopped_by_the_time_limit_with_a_located_sentence(bomb, session, ctx):
    _set(ctx, "upload.time_limit_s", 1)
    t0 = time.perf_counter()
    st = stage_upload(session, "reaksi peserta.xlsx", bomb[0])
    elapsed = time.perf_counter() - t0
    print(f"inflated XLSX refused after {elapsed:.1f} s (limit 1 s)")
    assert st.refused is not None and st.report is None and not st.can_use
    assert 'Pemeriksaan berkas "reaksi peserta.xlsx" terlalu lama (lebih dari 1 detik)' in st.refused, st.refused
    assert "upload.time_limit_s" in st.refused
    assert not multiprocessing.active_children()  # the worker was stopped, not left running
    assert not list(session.root.rglob("*.xlsx"))  # neither the raw bytes nor the session copy kept
    en = stage_upload(session, "reaksi peserta.xlsx", bomb[0], lang="en")
    assert 'Checking file "reaksi peserta.xlsx" took too long (more than 1 seconds)' in en.refused, en.refused


def test_upload_inflation_cap_is_stricter_than_the_data_folders(bomb, session, ctx):
    _set(ctx, "upload.max_xlsx_uncompressed_mb", 20)
    st = stage_upload(session, "reaksi peserta.xlsx", bomb[0])
    assert st.refused is not None and "upload.max_xlsx_uncompressed_mb" in st.refused, st.refused


def test_a_worker_that_finishes_returns_its_result_and_errors_keep_their_sentence():
    assert run_limited(divmod, (7, 2), 30) == (3, 1)
    with pytest.raises(Exception, match="integer division or modulo by zero"):
        run_limited(divmod, (1, 0), 30)
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_sample_of_a_utf16_or_utf32_file_ends_on_a_whole_line(encoding, tmp_path):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE}
    # "\u0a00" encodes to 0a 00 / 00 0a: a stray newline byte off the code-unit boundary
    text = "".join(f"baris {i},\u0a00nilai {i}\n" for i in range(5000))
    p = tmp_path / "x.csv"
    p.write_bytes(bom[encoding] + text.encode(encoding))
    sample = text_sample(p, 65536)
    assert len(sample) <= 65536 and sample.startswith(bom[encoding])
    decoded = sample[len(bom[encoding]):].decode(encoding)
    assert decoded.endswith("\n") and text.startswith(decoded)


def test_a_200_kb_utf16_csv_is_detected_validated_and_accepted(session):
    # the sample survey (123 KB as UTF-8) as Excel's "Unicode Text" would save it: UTF-16 with BOM
    content = codecs.BOM_UTF16_LE + (SAMPLE / "survei_pegawai.csv").read_text(encoding="utf-8").encode("utf-16-le")
    assert len(content) > 200 * 1024
    st = stage_upload(session, "survei unicode.csv", content)
    assert st.refused is None, st.refused
    assert st.table == "survei_pegawai" and st.detected and st.can_use
    assert any(p.code == "encoding_fallback" for p in st.report.problems)  # said, not silently


def _shown(app: UploadApp) -> str:
    """Everything the page shows: every HTML widget's text and every widget description."""
    return "\n".join([w.value for w in (app.header, app.messages, app.summary, app.report, app.result)] +
                     [app.upload_w.description, app.use_w.description])


def _leaks(text: str, session: UploadSession) -> list[str]:
    marks = {str(Path(session.output_dir).resolve()), str(session.output_dir), str(SAMPLE), str(ROOT),
             session.session_id, "/tmp/", "restricted/unggahan"}
    return [m for m in marks if m in text]


def test_no_server_path_or_session_id_in_anything_the_page_shows(ctx, monkeypatch):
    import errno

    from workbook.core import artefacts

    app = UploadApp(ctx, "en")
    s = app.session
    good = (SAMPLE / "survei_pegawai.csv").read_bytes()
    # very long names (300 ASCII, 200 × é): stored under a shortened name, so writing cannot fail
    for name in ("a" * 300 + ".csv", "é" * 200 + ".csv"):
        st = app.receive(name, good)
        assert st.refused is None and st.can_use, st.refused
        assert len(st.name.encode()) <= 120 and st.name.endswith(".csv")
        assert not _leaks(_shown(app), s)
    # an OS error whose text names the server path ("File name too long") is shown relative to the session
    real = upload_mod.save_upload

    def failing_save(content, name, attempt_dir):
        target = Path(attempt_dir) / "berkas" / name
        raise artefacts._io_error(target, OSError(errno.ENAMETOOLONG, "File name too long"))  # noqa: SLF001

    monkeypatch.setattr(upload_mod, "save_upload", failing_save)
    st = app.receive("survei.csv", good)
    assert "File name too long" in st.refused and "berkas/survei.csv" in st.refused, st.refused
    assert not _leaks(_shown(app), s), _shown(app)
    monkeypatch.setattr(upload_mod, "save_upload", real)
    # a file with problems, then a good one used for the session: the report and the "done" note
    bad = good.replace(b"\n", b"\nP999999,2026-08-01,9\n", 1)
    app.receive("survei buruk.csv", bad)
    assert "ERROR" in app.report.value and not _leaks(_shown(app), s)
    app.table_w.value = "survei_pegawai"
    app.receive("survei.csv", good)
    app.use_w.click()
    assert app.run is not None and "(restricted) folder" in app.result.value
    assert not _leaks(_shown(app), s), _shown(app)


def test_upper_case_extension_is_validated_and_used(session):
    st = stage_upload(session, "SURVEI.CSV", (SAMPLE / "survei_pegawai.csv").read_bytes())
    assert st.can_use and st.session_file == "survei_pegawai.csv", st.refused
    assert (st.data_dir / st.session_file).is_file()


def test_scrub_paths_keeps_ordinary_slashes():
    text = "CSV/XLSX, 1/2 dan/atau /srv/data/agency/pegawai.csv (C:\\Users\\hr\\out\\x.xlsx)"
    assert scrub_paths(text, {}) == "CSV/XLSX, 1/2 dan/atau pegawai.csv (x.xlsx)"


def test_the_browser_size_guard_is_on_the_page_with_the_limit(ctx):
    ctx.settings.entries["dashboard.upload_max_mb"] = {"value": 8, "source": "test"}
    app = UploadApp(ctx, "id")
    assert 'data-max-bytes="8388608"' in app.header.value and "wb-size-guard" in app.header.value
    assert "terlalu besar" in app.header.value and "tidak dikirim" in app.header.value
    assert "stopImmediatePropagation" in upload_mod.SIZE_GUARD_JS


def test_server_websocket_limit_is_above_the_upload_limit_plus_margin():
    """Above Tornado's message limit the page lost its kernel connection silently (review 4.6)."""
    from voila.app import Voila

    from workbook.ui import serve

    for mb in (8, 30):
        app = Voila()
        app.parse_command_line(serve.voila_argv(pool_size=0, upload_max_mb=mb)[1:])
        limit = app.tornado_settings["websocket_max_message_size"]
        assert limit >= mb * 1.25 * 1048576 + 1048576 and limit >= 10 * 1048576


def test_problem_values_are_quoted_as_written_while_paths_are_still_scrubbed(ctx):
    """A cell holding ``http://evil.example/f`` or ``/srv/x`` is quoted as written in the problems
    table (the reviewer saw ``http:/f``); the session's own folders are still removed."""
    app = UploadApp(ctx, "id")
    good = (SAMPLE / "survei_pegawai.csv").read_text(encoding="utf-8")
    header, first, rest = good.split("\n", 2)
    cells = first.split(",")
    cells[0] = "http://evil.example/f"  # an unknown pegawai_id: quoted in the problems table
    app.receive("survei.csv", "\n".join([header, ",".join(cells), rest]).encode("utf-8"))
    assert "http://evil.example/f" in app.report.value, app.report.value[:2000]
    assert not _leaks(_shown(app), app.session)
    assert scrub_paths("nilai /srv/x/y di /srv/out/s1/a.csv", {"/srv/out/s1": ""}, any_path=False) == \
        "nilai /srv/x/y di a.csv"
