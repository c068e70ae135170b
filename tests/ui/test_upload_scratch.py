"""Upload scratch folders are cleaned: idle sessions older than ``upload.scratch_ttl_h`` are swept when
a session starts, a session removes its own folder when it ends, and nothing outside the scratch
roots is ever touched — not through a symbolic link inside a session, not through a link named
like a session, not through a scratch root that is itself a link (``workbook.ui.upload``)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from workbook.core.settings import load_settings
from workbook.ui.upload import (
    DEFAULT_SCRATCH_TTL_H,
    SCRATCH,
    UploadSession,
    scratch_roots,
    scratch_ttl_h,
    sweep_scratch,
)

NOW = 2_000_000_000.0  # a fixed "now" (2033); ages are set relative to it with os.utime
HOUR = 3600.0
OLD, NEW = "a" * 16, "b" * 16  # session ids are 16 hex digits


def _age(path: Path, hours: float) -> None:
    """Set the modification time of ``path`` (and everything below it) to ``hours`` before NOW; links
    get their own time, their targets are left alone."""
    t = NOW - hours * HOUR
    if path.is_dir() and not path.is_symlink():
        for dirpath, dirnames, filenames in os.walk(path, topdown=False, followlinks=False):
            for name in dirnames + filenames:
                os.utime(os.path.join(dirpath, name), (t, t), follow_symlinks=False)
    os.utime(path, (t, t), follow_symlinks=False)


def _session(root: Path, sid: str, hours: float) -> Path:
    d = root / sid / "001"
    (d / "data").mkdir(parents=True)
    (d / "keluaran").mkdir()
    (d / "data" / "survei_pegawai.csv").write_text("pegawai_id\nP1\n", encoding="utf-8")
    (d / "keluaran" / "hasil.parquet").write_bytes(b"PAR1")
    _age(root / sid, hours)
    return root / sid


def _tree_hash(d: Path) -> dict[str, str]:
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture()
def world(tmp_path):
    """An output folder with one scratch root, and an outside folder the links point to."""
    out = tmp_path / "out"
    root = out / "2027" / "restricted" / SCRATCH
    root.mkdir(parents=True)
    (root.parent / "TERBATAS.txt").write_text("TERBATAS", encoding="utf-8")
    outside = tmp_path / "luar"
    (outside / "sub").mkdir(parents=True)
    (outside / "pegawai.csv").write_text("pegawai_id\nP1\n", encoding="utf-8")
    (outside / "sub" / "catatan.txt").write_text("jangan dihapus", encoding="utf-8")
    _age(outside, 500)  # old too: age alone must never make the sweep reach it
    return {"out": out, "root": root, "outside": outside, "before": _tree_hash(outside)}


def test_old_sessions_removed_new_kept_nothing_outside_touched(world):
    root, outside = world["root"], world["outside"]
    old = _session(root, OLD, 30)
    new = _session(root, NEW, 2)
    # an old session whose data view links to the agency's files (as build_session_data makes it)
    linked = _session(root, "c" * 16, 48)
    (linked / "001" / "data" / "pegawai.csv").symlink_to(outside / "pegawai.csv")
    (linked / "001" / "data" / "folder").symlink_to(outside / "sub", target_is_directory=True)
    _age(linked, 48)
    # a link named like a session that points outside: unlinked, its target untouched
    (root / ("d" * 16)).symlink_to(outside, target_is_directory=True)
    _age(root / ("d" * 16), 48)
    # entries that are not sessions are never swept, however old
    (root / "catatan_admin").mkdir()
    (root / "README.txt").write_text("x", encoding="utf-8")
    _age(root / "catatan_admin", 900)
    _age(root / "README.txt", 900)

    removed = sweep_scratch(world["out"], 24, now=NOW)

    assert sorted(p.name for p in removed) == sorted([OLD, "c" * 16, "d" * 16])
    assert not old.exists() and not linked.exists() and not (root / ("d" * 16)).is_symlink()
    assert new.is_dir() and (new / "001" / "keluaran" / "hasil.parquet").is_file()
    assert (root / "catatan_admin").is_dir() and (root / "README.txt").is_file()
    assert (root.parent / "TERBATAS.txt").is_file()
    assert _tree_hash(outside) == world["before"], "a file outside the scratch root changed"
    assert (outside / "sub" / "catatan.txt").is_file()


def test_age_is_the_newest_entry_and_ttl_zero_disables(world):
    root = world["root"]
    s = _session(root, OLD, 30)
    recent = s / "001" / "keluaran" / "hasil.parquet"
    os.utime(recent, (NOW - HOUR, NOW - HOUR))  # used an hour ago: the session is still active
    assert sweep_scratch(world["out"], 24, now=NOW) == [] and s.is_dir()
    _age(s, 30)
    assert sweep_scratch(world["out"], 0, now=NOW) == [] and s.is_dir()  # 0 = never swept
    assert sweep_scratch(world["out"], 31, now=NOW) == [] and s.is_dir()  # younger than the limit
    assert sweep_scratch(world["out"], 29.5, now=NOW) == [s] and not s.exists()


def test_scratch_roots_never_lead_outside_through_links(world, tmp_path):
    """A scratch root (or a year or restricted folder) that is a link is skipped, whatever it holds."""
    outside = world["outside"]
    elsewhere = tmp_path / "lain"
    victim = _session(elsewhere / "restricted" / SCRATCH, OLD, 100)
    (world["out"] / "2026").symlink_to(elsewhere, target_is_directory=True)  # a year folder that is a link
    (world["out"] / "2025" / "restricted").mkdir(parents=True)
    (world["out"] / "2025" / "restricted" / SCRATCH).symlink_to(elsewhere / "restricted" / SCRATCH,
                                                                 target_is_directory=True)
    assert scratch_roots(world["out"]) == [world["root"]]
    assert sweep_scratch(world["out"], 24, now=NOW) == []
    assert victim.is_dir() and (victim / "001" / "data" / "survei_pegawai.csv").is_file()
    assert _tree_hash(outside) == world["before"]
    assert sweep_scratch(tmp_path / "tidak_ada", 24) == []  # no output folder yet: nothing to do


def test_session_start_sweeps_idle_folders_and_close_removes_its_own(world):
    root = world["root"]
    old, new = _session(root, OLD, 30), _session(root, NEW, 2)
    settings = load_settings()
    assert scratch_ttl_h(settings) == DEFAULT_SCRATCH_TTL_H == 24 and settings.source("upload.scratch_ttl_h")
    # ages relative to the real clock for the automatic sweep
    t_old, t_new = time.time() - 30 * HOUR, time.time() - 2 * HOUR
    for p, t in ((old, t_old), (new, t_new)):
        for dirpath, dirnames, filenames in os.walk(p, topdown=False):
            for name in dirnames + filenames:
                os.utime(os.path.join(dirpath, name), (t, t))
        os.utime(p, (t, t))
    session = UploadSession(Path("."), world["out"], 2027, settings)
    assert not old.exists() and new.is_dir()
    d = session.next_attempt()
    (d / "berkas").mkdir()
    (d / "berkas" / "x.csv").write_text("a\n1\n", encoding="utf-8")
    session.close()  # session end: its own folder goes, the other session's stays
    assert not session.root.exists() and new.is_dir()
    assert _tree_hash(world["outside"]) == world["before"]


def test_ttl_setting_overrides(world):
    settings = load_settings().with_overrides({"upload.scratch_ttl_h": 1})
    assert scratch_ttl_h(settings) == 1.0
    s = _session(world["root"], OLD, 0)
    t = time.time() - 2 * HOUR
    for dirpath, dirnames, filenames in os.walk(s, topdown=False):
        for name in dirnames + filenames:
            os.utime(os.path.join(dirpath, name), (t, t))
    os.utime(s, (t, t))
    UploadSession(Path("."), world["out"], 2027, settings)
    assert not s.exists()
