"""The output-folder lock (workbook.core.lock): a second run gets a clear message, a dead holder's
lock is taken over, and a killed run's temporary files are removed by the next run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _paths import ROOT, SAMPLE

from workbook.core.lock import ENV_LOCK, LOCK_NAME, OutputBusyError, holder, output_lock

_HOLD = """
import sys, time
from workbook.core.lock import output_lock
with output_lock(sys.argv[1], command="workbook report"):
    print("held", flush=True)
    sys.stdin.readline()
"""


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != ENV_LOCK}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.fixture
def held(tmp_path):
    """Another process holding the lock of ``tmp_path / "out"`` (released when the test ends)."""
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=_env(), cwd=str(ROOT))
    assert proc.stdout.readline().strip() == "held"
    yield out, proc.pid
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait(timeout=20)


def test_second_run_gets_a_message_naming_the_holder(held):
    out, pid = held
    with pytest.raises(OutputBusyError) as err:
        with output_lock(out):
            pytest.fail("entered a folder another process holds")
    id_text, en_text = err.value.message("id"), err.value.message("en")
    assert f"Folder keluaran {out} sedang dipakai oleh proses lain (PID {pid}" in id_text
    assert "workbook report" in id_text and "sejak 20" in id_text
    assert f"Output folder {out} is in use by another process (PID {pid}" in en_text
    assert id_text == en_text == err.value.message_id + "\n" + err.value.message_en  # both, whatever lang
    assert str(err.value).count("Output folder") == 1


def test_workbook_report_on_a_held_folder_stops_at_once(held):
    out, pid = held
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "workbook.cli", "report", "--data", str(SAMPLE), "--out", str(out),
                        "--no-progress"], capture_output=True, text=True, env=_env(), cwd=str(ROOT), timeout=120)
    assert r.returncode == 1
    assert f"sedang dipakai oleh proses lain (PID {pid}" in r.stderr
    # a refusal carries both languages, Indonesian first, the English on its own line
    lines = r.stderr.splitlines()
    i_id = next(i for i, x in enumerate(lines) if x.startswith(f"Folder keluaran {out} sedang dipakai"))
    assert lines[i_id + 1].startswith(f"Output folder {out} is in use by another process (PID {pid}")
    assert "Traceback" not in r.stderr
    assert time.perf_counter() - start < 60  # refused before any stage ran
    assert not (out / "2027").exists() or not any((out / "2027").rglob("*.parquet"))


def test_pipeline_stage_run_on_a_held_folder_is_refused(held):
    from workbook import pipeline
    from workbook.core.context import open_context

    out, pid = held
    ctx = open_context(data_dir=str(SAMPLE), output_dir=str(out), interactive=False)
    with pytest.raises(OutputBusyError, match=f"PID {pid}"):
        pipeline.run_data_check(ctx)


def test_a_dead_holders_lock_is_taken_over(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    (out / LOCK_NAME).write_text(json.dumps({"pid": int(dead), "command": "workbook report",
                                             "since": "2027-01-05T09:12:03", "token": "x"}))
    with output_lock(out, command="test"):
        assert holder(out)["pid"] == os.getpid()
    assert holder(out) == {}  # released: the text is cleared, the file kept


def test_a_killed_holder_is_taken_over(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=_env(), cwd=str(ROOT))
    assert proc.stdout.readline().strip() == "held"
    proc.kill()
    proc.wait(timeout=20)
    assert holder(out)["pid"] == proc.pid  # the text stays; the system lock went with the process
    with output_lock(out):
        assert holder(out)["pid"] == os.getpid()


def test_reentrant_and_inherited_by_child_processes(tmp_path):
    out = tmp_path / "out"
    with output_lock(out):
        with output_lock(out):  # workbook report's two phases inside main's hold
            pass
        child = subprocess.run([sys.executable, "-c", "from workbook.core.lock import output_lock\n"
                                f"with output_lock({str(out)!r}): print('child in')"],
                               capture_output=True, text=True, cwd=str(ROOT),
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert child.stdout.strip() == "child in", child.stderr[-2000:]
        stranger = subprocess.run([sys.executable, "-c", "from workbook.core.lock import output_lock\n"
                                   f"with output_lock({str(out)!r}): print('stranger in')"],
                                  capture_output=True, text=True, cwd=str(ROOT), env=_env())
        assert "stranger in" not in stranger.stdout and "OutputBusyError" in stranger.stderr
    assert ENV_LOCK not in os.environ


def test_leftover_temporary_files_are_removed_by_the_next_run(tmp_path):
    out = tmp_path / "out"
    nb = out / "2027" / "reports" / "notebooks"
    nb.mkdir(parents=True)
    left = [nb / ".laporan_2027_DISDIK.z0b4hd0q.tmp.ipynb", out / "2027" / "01_needs" / ".gaps.k2j3h4g5.tmp.parquet",
            out / "2027" / "reports" / ".laporan_2027_INSTANSI.ab12cd34.tmp.html"]
    kept = [nb / "laporan_2027_DISDIK.ipynb", out / "2027" / ".hidden_note.txt",
            out / "2027" / "restricted" / "unggahan" / "s1" / ".pegawai.abc123.tmp.csv"]
    for p in left + kept:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    with output_lock(out):
        assert not any(p.exists() for p in left)
        assert all(p.exists() for p in kept)
    # a nested (re-entrant) hold does not clean: files being written by the holder stay
    with output_lock(out):
        (nb / ".laporan_2027_X.qwertyui.tmp.ipynb").write_text("being written")
        with output_lock(out):
            assert (nb / ".laporan_2027_X.qwertyui.tmp.ipynb").exists()


def test_message_is_in_the_catalogue_in_both_languages():
    from workbook.core.i18n import t

    kw = {"path": Path("/x"), "pid": 1, "since": "s", "who": ""}
    assert t("core.lock.busy", "id", **kw) != t("core.lock.busy", "en", **kw)
