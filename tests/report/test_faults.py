"""Faults while writing outputs: a read-only or impossible output folder, a full disk.

Tests run as root in CI, where file permissions do not stop a write, so the faults are injected:
an output path whose parent is a *file* (``ENOTDIR``), ``os.mkdir`` refusing with ``EACCES`` /
``EROFS``, and ``os.replace`` or the writer itself raising ``ENOSPC``. Every fault must surface
as a :class:`WorkbookError` with a clear message in Indonesian and English (never a raw
``OSError``), leave no temporary file behind and leave an earlier artefact untouched.
"""

from __future__ import annotations

import errno
import os
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from workbook.core import artefacts
from workbook.core.exceptions import WorkbookError

ROOT = Path(__file__).resolve().parents[2]
CONTOH = ROOT / "data_samples" / "contoh"
FRAME = pd.DataFrame({"kode_unit": ["DINKES", "BKPSDM"], "n": [12, 7], "catatan": ["=1+1", "biasa"]})
INJECTED: Counter = Counter()

WORDS = {
    "enospc": ("Disk penuh", "Disk full"),
    "readonly": ("tidak dapat ditulisi", "not writable"),
    "notdir": ("sebagian jalurnya adalah berkas", "part of its path is a file"),
}


def _writers(d: Path) -> dict:
    return {
        "parquet": lambda: artefacts.write_parquet(FRAME, d / "t.parquet"),
        "csv": lambda: artefacts.write_csv(FRAME, d / "t.csv"),
        "xlsx": lambda: artefacts.write_xlsx({"data": FRAME}, d / "t.xlsx"),
        "text": lambda: artefacts.atomic_write_text(d / "t.txt", "isi"),
        "manifest": lambda: artefacts.write_manifest(d, stage="01_needs", files=[]),
        "stage_dir": lambda: artefacts.stage_dir(d, 2027, "01_needs", "confidential"),
    }


def _assert_clear(err: WorkbookError, kind: str, path_part: str) -> None:
    mid, men = WORDS[kind]
    text_id, text_en = err.message("id"), err.message("en")
    assert mid in text_id and men in text_en, (text_id, text_en)
    assert path_part in text_id and path_part in text_en
    assert "Traceback" not in text_id and text_id != text_en
    INJECTED[kind] += 1


def _no_temp_files(d: Path) -> None:
    if d.is_dir():
        left = [p.name for p in d.rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]
        assert left == [], left


@pytest.mark.parametrize("writer", ["parquet", "csv", "xlsx", "text", "manifest", "stage_dir"])
def test_output_path_under_a_file(tmp_path, writer):
    blocker = tmp_path / "keluaran"
    blocker.write_text("ini berkas, bukan folder", encoding="utf-8")
    with pytest.raises(WorkbookError) as err:
        _writers(blocker / "2027" / "01_needs")[writer]()
    _assert_clear(err.value, "notdir", "keluaran")
    assert blocker.read_text(encoding="utf-8") == "ini berkas, bukan folder"


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
@pytest.mark.parametrize("writer", ["parquet", "xlsx", "stage_dir"])
def test_read_only_output_folder(tmp_path, monkeypatch, writer, code):
    def refuse(*a, **k):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "mkdir", refuse)
    with pytest.raises(WorkbookError) as err:
        _writers(tmp_path / "ro" / "sub")[writer]()
    _assert_clear(err.value, "readonly", "ro")


@pytest.mark.parametrize("writer", ["parquet", "csv", "xlsx", "text", "manifest"])
def test_disk_full_on_replace_keeps_the_old_file(tmp_path, monkeypatch, writer):
    d = tmp_path / "out"
    d.mkdir()
    _writers(d)[writer]()  # a first, good version
    before = {p.name: p.read_bytes() for p in d.iterdir()}

    def full(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(WorkbookError) as err:
        _writers(d)[writer]()
    _assert_clear(err.value, "enospc", str(d))
    _no_temp_files(d)
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before


def test_disk_full_inside_the_writer(tmp_path, monkeypatch):
    """pyarrow and openpyxl report ENOSPC themselves, sometimes with the errno only in the text."""
    d = tmp_path / "out"

    def arrow_full(self, *a, **k):
        raise OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", arrow_full)
    with pytest.raises(WorkbookError) as err:
        artefacts.write_parquet(FRAME, d / "t.parquet")
    _assert_clear(err.value, "enospc", "t.parquet")
    _no_temp_files(d)

    from openpyxl import Workbook

    def xl_full(self, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "save", xl_full)
    with pytest.raises(WorkbookError) as err:
        artefacts.write_xlsx({"data": FRAME}, d / "t.xlsx")
    _assert_clear(err.value, "enospc", "t.xlsx")
    _no_temp_files(d)
    assert not (d / "t.xlsx").exists() and not (d / "t.parquet").exists()


def test_stage_run_on_full_disk_raises_a_workbook_error(tmp_path, monkeypatch):
    """A whole stage (00 data check on the sample) stops with the clear message, not an OSError."""
    from workbook.core.context import open_context
    from workbook.pipeline import run_data_check

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ctx = open_context(data_dir=str(CONTOH), output_dir=str(tmp_path / "out"), interactive=False)

    def full(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(WorkbookError) as err:
        run_data_check(ctx)
    _assert_clear(err.value, "enospc", str(tmp_path / "out"))
    _no_temp_files(tmp_path / "out")


def test_validate_report_to_unwritable_place(tmp_path, capsys, monkeypatch):
    """``workbook validate --output`` into a path under a file: exit 2 and a message, no traceback."""
    from workbook.ingest.validate import main

    blocker = tmp_path / "berkas"
    blocker.write_text("x", encoding="utf-8")
    for lang, word in (("id", "Laporan tidak dapat disimpan"), ("en", "Report cannot be saved")):
        rc = main([str(ROOT / "tests" / "data" / "bad" / "_base"), "--lang", lang,
                   "--output", str(blocker / "laporan.csv")])
        out = capsys.readouterr()
        assert rc == 2 and word in out.err and "Traceback" not in out.out + out.err
        INJECTED["validate_output"] += 1

    def full(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    rc = main([str(ROOT / "tests" / "data" / "bad" / "_base"), "--output", str(tmp_path / "laporan.xlsx")])
    out = capsys.readouterr()
    assert rc == 2 and "Laporan tidak dapat disimpan" in out.err and "Traceback" not in out.err
    assert not list(tmp_path.glob(".tmp-*"))
    INJECTED["validate_output"] += 1


def test_zz_print_faults(capsys):
    with capsys.disabled():
        print(f"\nfaults injected: {sum(INJECTED.values())} — " +
              ", ".join(f"{k}: {v}" for k, v in sorted(INJECTED.items())))
    assert sum(INJECTED.values()) > 0
