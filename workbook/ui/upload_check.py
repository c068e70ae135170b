"""Checking one upload without letting it choke the page: a bounded sample, a time limit, no paths.

The upload page (:mod:`workbook.ui.upload`) hands each file to :func:`check_file`, run by
:func:`run_limited` in a worker process that is stopped when it runs longer than the setting
``upload.time_limit_s``. What is checked:

* **which table** the file holds (:func:`detect_table`): the file's first rows are read *once*
  (``upload.sample_rows`` rows of each candidate sheet of an XLSX, read with openpyxl read-only
  and stopped there; the first 64 KB of a CSV, cut after a whole line in the encoding of its
  byte-order mark) and every candidate table is tried on those rows in memory;
* **the whole file against its contract and the agency's other tables**
  (:func:`workbook.ingest.validate.validate` with ``replace``): the agency's other files are read
  where they are, in the data folder. Nothing is linked or copied beside the upload: the session
  folder holds only the uploaded table (``<attempt>/data/<table><ext>``), never ``pegawai`` with
  its NIPs and names.

Why a worker process and not checks between rows
------------------------------------------------
The time goes into openpyxl's XML parsing, pandas, the cell coercion loops of
:mod:`workbook.ingest.tables` and the cross-table checks; cooperative checks would have to be
threaded through all of them and still could not interrupt one long library call. A worker
process can be stopped wherever it is (``Process.kill``), and the page's kernel stays free: on
Linux the worker is forked (it starts in milliseconds and shares the kernel's imported modules);
elsewhere it is spawned. The clock starts when the worker reports that it is running, so process
start-up never counts against the limit. ``upload.time_limit_s: 0`` runs the check in the kernel
itself, without a limit.

Messages shown to a viewer never carry a server path or the session id (:func:`scrub_paths`).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbook.core import artefacts
from workbook.core.exceptions import WorkbookError
from workbook.core.problems import ValidationReport

__all__ = [
    "UPLOAD_TABLES", "DEFAULT_TIME_LIMIT_S", "DEFAULT_SAMPLE_ROWS", "DEFAULT_SAMPLE_BYTES",
    "DEFAULT_XLSX_UNCOMPRESSED_MB", "time_limit_s", "sample_rows", "xlsx_uncompressed_mb",
    "TimeLimitExceeded", "detect_table", "place_upload", "Checked", "check_file", "run_limited",
    "scrub_paths",
]

#: the tables that can be uploaded (survey and evaluation exports)
UPLOAD_TABLES: tuple[str, ...] = ("survei_pegawai", "survei_atasan", "evaluasi_l1", "evaluasi_l2", "evaluasi_l3",
                                  "realisasi_pengembangan")
#: default of ``upload.time_limit_s``
DEFAULT_TIME_LIMIT_S = 60.0
#: default of ``upload.sample_rows``: rows of an XLSX sheet read to detect the table
DEFAULT_SAMPLE_ROWS = 200
#: bytes of a CSV read to detect the table
DEFAULT_SAMPLE_BYTES = 65536
#: default of ``upload.max_xlsx_uncompressed_mb``
DEFAULT_XLSX_UNCOMPRESSED_MB = 100.0
#: how long a worker may take to start (fork: milliseconds; spawn: the imports, a few seconds)
STARTUP_S = 120.0


def _setting(settings: Any, key: str, default: float) -> float:
    value = settings.get(key, default) if settings is not None else default
    return float(default if value is None else value)


def time_limit_s(settings: Any) -> float:
    """Seconds one upload's check may take: setting ``upload.time_limit_s`` (0 = no limit)."""
    return _setting(settings, "upload.time_limit_s", DEFAULT_TIME_LIMIT_S)


def sample_rows(settings: Any) -> int:
    """Rows of a sheet read to detect the table: setting ``upload.sample_rows``."""
    return max(int(_setting(settings, "upload.sample_rows", DEFAULT_SAMPLE_ROWS)), 1)


def xlsx_uncompressed_mb(settings: Any) -> float:
    """Inflation limit of an uploaded XLSX: setting ``upload.max_xlsx_uncompressed_mb``."""
    return _setting(settings, "upload.max_xlsx_uncompressed_mb", DEFAULT_XLSX_UNCOMPRESSED_MB)


class TimeLimitExceeded(WorkbookError):
    """The check of an upload ran longer than ``upload.time_limit_s`` and was stopped."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = float(limit_s)
        super().__init__(f"lebih dari {limit_s:g} detik", f"more than {limit_s:g} seconds", value=limit_s)


# --------------------------------------------------------------------------- detection on a sample

def _sample(path: Path, tables: list[Any], settings: Any) -> dict[str, list[tuple[int, list[Any]]]]:
    """``{table: first rows}``: an XLSX's sheets read once each, a CSV's first 64 KB once."""
    from workbook.ingest import raw

    n = sample_rows(settings)
    if path.suffix.lower() == ".xlsx":
        return raw.xlsx_sample(path, path.name, tables, settings, n)
    rows = raw.csv_rows(raw.text_sample(path, DEFAULT_SAMPLE_BYTES), path.name, [], max_rows=n)
    return {t.name: rows for t in tables}


def detect_table(path: str | os.PathLike, settings: Any = None,
                 candidates: tuple[str, ...] = UPLOAD_TABLES) -> str | None:
    """The table whose contract the file's columns match best, or None when none fits.

    The file's first rows are read once (:func:`_sample`) and every candidate is tried on them in
    memory. A table fits when none of its required columns is missing (directly or through a
    built-in mapping preset such as a Google Forms export); among those, the one with the fewest
    unknown columns, then the most recognised columns, wins.

    Raises
    ------
    DataError
        When the file cannot be read at all (the reason, located).
    """
    from workbook.core.schema import TABLES
    from workbook.ingest.mapping import detect_preset_rows
    from workbook.ingest.tables import read_rows

    path = Path(path)
    samples = _sample(path, [TABLES[name] for name in candidates], settings)
    best: tuple[tuple, str] | None = None
    for name in candidates:
        rows = samples[name]
        if detect_preset_rows(rows, name):
            return name
        res = read_rows(rows, name, fname=path.name, settings=settings)
        if any(p.code == "missing_column" for p in res.problems):
            continue
        unknown = sum(1 for p in res.problems if p.code == "unknown_column")
        score = (-unknown, len(res.columns_source))
        if best is None or score > best[0]:
            best = (score, name)
    return None if best is None else best[1]


# --------------------------------------------------------------------------- the check itself

def place_upload(upload_path: str | os.PathLike, table: str, dest: str | os.PathLike) -> Path:
    """Copy the upload to ``dest/<table><ext>`` (atomically) and return that path.

    ``dest`` holds nothing else: the agency's other tables are read from its data folder
    (:func:`workbook.ingest.validate.validate` with ``replace``), never linked or copied here.
    """
    upload_path = Path(upload_path)
    target = Path(dest) / f"{table}{upload_path.suffix.lower()}"
    with artefacts.atomic_path(target) as tmp:
        shutil.copyfile(upload_path, tmp)
    return target


@dataclass
class Checked:
    """What :func:`check_file` found: the table (None when undetected), whether it was detected,
    the session copy and the validation report."""

    table: str | None
    detected: bool = False
    copy: Path | None = None
    report: ValidationReport | None = None


def check_file(upload_path: Path, table: str, data_dir: Path, dest: Path, settings: Any) -> Checked:
    """Detect the table (``table="auto"``), place the session copy and validate the agency with it.

    Runs in the worker of :func:`run_limited`; the agency's own files are only read.
    """
    from workbook.ingest.validate import validate

    detected = table == "auto"
    if detected:
        found = detect_table(upload_path, settings)
        if found is None:
            return Checked(None)
        table = found
    copy = place_upload(upload_path, table, dest)
    return Checked(table, detected, copy, validate(data_dir, settings=settings, replace={table: copy}))


# --------------------------------------------------------------------------- the worker

def _mp_context() -> Any:
    """fork on Linux (fast, shares the kernel's imports), spawn elsewhere."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") and "fork" in methods
                                       else "spawn")


def _worker(conn: Any, fn: Callable[..., Any], args: tuple) -> None:
    conn.send(("started", None))
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except WorkbookError as exc:  # rebuilt in the caller: a custom exception may not unpickle
        result = ("workbook_error", (exc.message_id, exc.message_en, exc.file, exc.row, exc.column,
                                     exc.problems))
    except BaseException:  # noqa: BLE001 — reported to the caller, who logs it
        result = ("error", traceback.format_exc())
    conn.send(result)
    conn.close()


def run_limited(fn: Callable[..., Any], args: tuple, limit_s: float, *, startup_s: float = STARTUP_S) -> Any:
    """``fn(*args)`` in a worker process, stopped after ``limit_s`` seconds of work.

    ``fn`` and ``args`` must be picklable (a module-level function) when the worker is spawned.
    ``limit_s <= 0`` calls ``fn`` here, without a limit.

    Raises
    ------
    TimeLimitExceeded
        The work ran longer than ``limit_s``; the worker has been killed.
    WorkbookError
        What ``fn`` raised (message and location kept), or a worker that died or did not start.
    """
    if not limit_s or limit_s <= 0:
        return fn(*args)
    ctx = _mp_context()
    reader, writer = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(writer, fn, args), daemon=True, name="workbook-upload-check")
    proc.start()
    writer.close()
    try:
        if not reader.poll(startup_s):
            raise WorkbookError("Pemeriksa berkas tidak dapat dimulai.", "The file checker could not start.")
        reader.recv()  # "started": the clock starts now
        if not reader.poll(limit_s):
            raise TimeLimitExceeded(limit_s)
        kind, payload = reader.recv()
    except EOFError:  # the worker died (out of memory, killed)
        raise WorkbookError("Pemeriksa berkas berhenti tanpa hasil (mungkin kehabisan memori).",
                            "The file checker stopped without a result (perhaps out of memory).") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(10)
        reader.close()
    if kind == "ok":
        return payload
    if kind == "workbook_error":
        mid, men, file, row, column, problems = payload
        raise WorkbookError(mid, men, file=file, row=row, column=column, problems=problems)
    raise RuntimeError(f"upload check failed in its worker:\n{payload}")


# --------------------------------------------------------------------------- no paths on the page

_ABS_POSIX = re.compile(r"(?<![\w.~-])/(?:[^/\s:;,'\"()<>]+/)+([^/\s:;,'\"()<>]*)")
_ABS_WINDOWS = re.compile(r"\b[A-Za-z]:\\(?:[^\\\s:;,'\"()<>]+\\)+([^\\\s:;,'\"()<>]*)")


def scrub_paths(text: str, known: dict[str | os.PathLike, str], secrets: tuple[str, ...] = (), *,
                any_path: bool = True) -> str:
    """``text`` without server paths: each ``known`` folder → its label (``""`` = relative to it),
    any other absolute path → its last part (unless ``any_path`` is false: for text quoting data),
    each of ``secrets`` (the session id) → ``"…"``.

    >>> scrub_paths("Failed to write file: /srv/out/2027/x/ab12/001/berkas/a.csv (File name too long)",
    ...             {"/srv/out/2027/x/ab12/001": ""}, ("ab12",))
    'Failed to write file: berkas/a.csv (File name too long)'
    """
    if not text:
        return text
    forms: list[tuple[str, str]] = []
    for folder, label in known.items():
        for form in {str(folder), str(Path(folder).resolve())}:
            forms.append((form.rstrip("/\\"), label))
    for form, label in sorted(forms, key=lambda f: -len(f[0])):
        if not form:
            continue
        text = text.replace(form + os.sep, f"{label}/" if label else "").replace(form, label or ".")
    if any_path:
        text = _ABS_POSIX.sub(lambda m: m.group(1) or ".", text)
        text = _ABS_WINDOWS.sub(lambda m: m.group(1) or ".", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "…")
    return text
