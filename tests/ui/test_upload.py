"""The upload page without a browser: refusals, validation shown, "use" gated and session-only.

Every test checks that the sample input folder's bytes are unchanged (hash before and after) and
that nothing lands in the agency's output folder outside the session's scratch folder.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest

from workbook.core.context import open_context
from workbook.ui.upload import (
    AFFECTED_STAGES,
    SCRATCH,
    UPLOAD_TABLES,
    UploadApp,
    UploadRefused,
    UploadSession,
    build_session_data,
    check_upload,
    detect_table,
    problems_view,
    stage_upload,
    use_upload,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data_samples" / "contoh"


def _folder_hash(d: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir()) if p.is_file()}


def planted_survey(column: str = "level_M.1", value: str = "9", line: int = 5) -> tuple[bytes, int]:
    """The sample survey with one out-of-range answer; returns the bytes and its spreadsheet row."""
    lines = (SAMPLE / "survei_pegawai.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[line].split(",")
    cells[header.index(column)] = value
    lines[line] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode("utf-8"), line + 1  # header is row 1


@pytest.fixture(scope="module")
def input_hash():
    before = _folder_hash(SAMPLE)
    yield before
    assert _folder_hash(SAMPLE) == before, "the input folder changed"


@pytest.fixture()
def ctx(tmp_path, input_hash):
    return open_context(data_dir=str(SAMPLE), output_dir=str(tmp_path / "out"), interactive=False)


@pytest.fixture()
def session(ctx):
    return UploadSession(Path(ctx.data_dir), Path(ctx.output_dir), ctx.year, ctx.settings)


def _outside_scratch(out: Path, year: int) -> list[Path]:
    scratch = out / str(year) / "restricted" / SCRATCH
    return [p for p in out.rglob("*") if p.is_file() and scratch not in p.parents
            and p.name != "TERBATAS.txt"]


def test_size_limit_from_settings_is_refused_before_anything_is_written(session, ctx):
    ctx.settings.entries["dashboard.upload_max_mb"] = {"value": 0.01, "source": "test"}
    content, _ = planted_survey()
    assert len(content) > 0.01 * 1024 * 1024
    st = stage_upload(session, "survei.csv", content)
    assert st.refused is not None and "terlalu besar" in st.refused and "0.01" in st.refused
    assert st.report is None and not st.can_use
    assert not session.root.exists()
    with pytest.raises(UploadRefused) as exc:
        check_upload("x.csv", 3 * 1024 * 1024, 2)
    assert "too large" in exc.value.message_en


@pytest.mark.parametrize(("name", "content", "words"), [
    ("survei.xls", b"abc", "bukan CSV atau XLSX"),
    ("survei.csv", b"", "kosong"),
    ("survei.xlsx", b"this is not a zip file", "tidak dapat dibaca"),
    ("survei.csv", b"foo,bar\n1,2\n", "tidak cocok"),
])
def test_wrong_type_empty_unreadable_and_unknown_files_get_a_sentence(session, name, content, words):
    st = stage_upload(session, name, content)
    assert st.refused is not None and words in st.refused, st.refused
    assert "Traceback" not in st.refused and not st.can_use


def test_bad_value_is_reported_with_row_and_column_and_blocks_use(session, ctx):
    content, row = planted_survey()
    st = stage_upload(session, "ekspor survei.csv", content)
    assert st.refused is None and st.table == "survei_pegawai" and st.detected
    assert not st.can_use
    view = problems_view(st, "id")
    bad = view[(view["Jenis"] == "KESALAHAN")]
    assert len(bad) == 1
    assert bad.iloc[0]["Baris"] == str(row) and bad.iloc[0]["Kolom"] == "level_M.1"
    assert bad.iloc[0]["Nilai"] == "9" and bad.iloc[0]["Berkas"] == "ekspor survei.csv"
    en = problems_view(st, "en")
    assert list(en.columns)[:3] == ["Severity", "File", "Row"] and (en["Severity"] == "ERROR").sum() == 1
    with pytest.raises(Exception, match="cannot be used"):
        use_upload(session, st)
    # the upload was staged in the scratch folder, not in the data folder; rejected, so neither the raw
    # bytes nor the session's copy are kept (the report is in memory)
    assert st.upload_path is not None and session.root in st.upload_path.parents
    assert not st.upload_path.exists() and not (st.data_dir / "survei_pegawai.csv").exists()
    assert not _links_or_agency_files(session.root)  # the other tables were read where they are
    assert not _outside_scratch(Path(ctx.output_dir), ctx.year)


def _links_or_agency_files(root: Path) -> list[Path]:
    """Symbolic links, and files named like an agency input other than the upload tables, under ``root``."""
    agency = {p.stem.lower() for p in SAMPLE.iterdir() if p.is_file()} - set(UPLOAD_TABLES)
    return [p for p in root.rglob("*") if p.is_symlink() or (p.is_file() and p.parent.name == "data"
                                                             and p.stem.lower() in agency)]


def test_session_folder_holds_only_the_upload_never_the_employee_file(session, tmp_path):
    up = tmp_path / "x" / "baru.csv"
    up.parent.mkdir()
    up.write_bytes(b"pegawai_id,waktu_isi\n")
    d = build_session_data(SAMPLE, "survei_pegawai", up, tmp_path / "view")
    assert [p.name for p in d.iterdir()] == ["survei_pegawai.csv"]  # no link to or copy of pegawai.csv
    assert (d / "survei_pegawai.csv").read_bytes() == b"pegawai_id,waktu_isi\n"
    assert not (d / "survei_pegawai.csv").is_symlink()
    with pytest.raises(Exception, match="inside the input"):
        build_session_data(SAMPLE, "survei_pegawai", up, SAMPLE / "sesi")


@pytest.mark.parametrize("table", UPLOAD_TABLES)
def test_tables_are_detected_from_their_columns(table, tmp_path):
    src = SAMPLE / f"{table}.csv"
    target = tmp_path / "berkas" / "ekspor.csv"
    target.parent.mkdir()
    target.write_bytes(src.read_bytes())
    assert detect_table(target) == table


def test_widget_flow_good_file_enables_use_and_writes_session_outputs_only(ctx):
    app = UploadApp(ctx, "id")
    assert app.use_w.disabled
    content, row = planted_survey()
    app.upload_w.value = ({"name": "buruk.csv", "type": "text/csv", "size": len(content),
                           "content": memoryview(content),
                           "last_modified": datetime.datetime(2026, 11, 28, tzinfo=datetime.UTC)},)
    assert app.staged is not None and not app.staged.can_use and app.use_w.disabled
    assert "level_M.1" in app.report.value and f"<td>{row}</td>" in app.report.value
    assert "KESALAHAN" in app.report.value and "1 kesalahan" in app.summary.value
    app.use_w.click()  # disabled in the page; clicking from Python must not run anything either
    assert app.run is None

    good = (SAMPLE / "survei_pegawai.csv").read_bytes()
    app.table_w.value = "survei_pegawai"
    app.receive("survei_baru.csv", good)
    assert app.staged.can_use and not app.use_w.disabled
    assert "Tidak ada kesalahan" in app.summary.value and "KESALAHAN" not in app.report.value
    app.use_w.click()
    run = app.run
    assert run is not None and run.stages == AFFECTED_STAGES["survei_pegawai"]
    assert app.session.root in run.output_dir.parents
    assert (run.output_dir / str(ctx.year) / "01_needs" / "unit_competency.parquet").is_file()
    assert run.headline.value.endswith("%") and "dari 1.200 pegawai" in run.headline.note
    assert "Tingkat respons survei" in app.result.value and app.use_w.disabled
    assert "salinan berkas unggahan sudah dihapus" in app.result.value.lower() and "24 jam" in app.result.value
    assert not _outside_scratch(Path(ctx.output_dir), ctx.year)

    app.set_lang("en")
    assert "Upload new data" in app.header.value and "Unggah" not in app.header.value
    assert app.use_w.description == "Use this data for this session"


def test_xlsx_evaluation_export_is_detected_validated_and_used(session, ctx):
    import io

    import pandas as pd

    buf = io.BytesIO()
    pd.read_csv(SAMPLE / "evaluasi_l1.csv", dtype=str).to_excel(buf, index=False, sheet_name="Form Responses 1")
    st = stage_upload(session, "reaksi peserta.xlsx", buf.getvalue(), lang="en")
    assert st.table == "evaluasi_l1" and st.can_use, st.refused
    assert st.data_dir is not None and (st.data_dir / "evaluasi_l1.xlsx").is_file()
    assert not (st.data_dir / "evaluasi_l1.csv").exists()  # the agency's own L1 file is left out of the view
    assert not st.upload_path.exists()  # raw bytes deleted once placed in the session folder
    run = use_upload(session, st, "en")
    assert run.stages == AFFECTED_STAGES["evaluasi_l1"]
    # used: the session's copy is deleted and cannot be used twice; the outputs stay for the session
    assert not (st.data_dir / "evaluasi_l1.xlsx").exists() and st.consumed and not st.can_use
    with pytest.raises(Exception, match="already used"):
        use_upload(session, st, "en")
    # the Level 1 finding of the session's run: a facilitator score (%) or, when no aspect of the
    # uploaded export is reliable enough (Cronbach's α, issue #18), the sentence saying so
    assert run.headline.value.startswith("Level 1")
    assert "%" in run.headline.value or "reliability" in run.headline.value
    assert (run.output_dir / str(ctx.year) / "03_evaluation" / "level1.parquet").is_file()
    assert not _outside_scratch(Path(ctx.output_dir), ctx.year)
