"""One run at a time per output folder, and no temporary file left behind by a killed run.

``workbook report``, a stage run through :mod:`workbook.pipeline` and the build that
``workbook serve`` starts when results are missing all write into one output folder. Two of them
at once on the same folder used to race silently (every file whole, the last writer winning, all
work done twice). :func:`output_lock` makes the second one stop at once with a sentence that says
who holds the folder::

    Folder keluaran /data/outputs sedang dipakai oleh proses lain (PID 4711, workbook report,
    sejak 2027-01-05 09:12:03) …
    Output folder /data/outputs is in use by another process (PID 4711, workbook report, …) …

How it works:

- the lock is the file ``OUTPUT/.workbook.lock``, locked with the operating system's advisory
  lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) for as long as the run lasts. The
  system releases it when the process ends, however it ends (``kill -9``, a power cut): a lock
  left by a dead process is therefore simply taken over by the next run. The file's text (PID,
  host, command, start time) only serves the message; the file itself is never deleted (deleting
  a locked file lets two later runs lock two different files);
- the same process may enter the lock again (``workbook report`` holds it for its two phases,
  each of which takes it too), and so may its child processes — the papermill kernels that run the
  stage notebooks, the report workers — which find the holder's token in the environment
  variable ``WORKBOOK_OUTPUT_LOCK``;
- when a run takes a free lock, every stale temporary file of the output folder is removed first:
  the ``.<name>.<random>.tmp<ext>`` files that :func:`workbook.core.artefacts.atomic_path` writes
  before moving them into place, which a killed run leaves behind (e.g.
  ``reports/notebooks/.laporan_2027_DISDIK.z0b4hd0q.tmp.ipynb``). Nobody else can be writing them
  while the lock is free; the upload page's session folders (``restricted/unggahan/``) belong to
  the dashboard server and are left alone.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import socket
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

from workbook.core.exceptions import WorkbookError
from workbook.core.i18n import t

__all__ = ["LOCK_NAME", "ENV_LOCK", "OutputBusyError", "output_lock", "holder", "remove_stale_temp",
           "is_stale_temp"]

LOCK_NAME = ".workbook.lock"
#: the tokens of the locks this process (or an ancestor) holds, separated by os.pathsep
ENV_LOCK = "WORKBOOK_OUTPUT_LOCK"
#: ``atomic_path``'s temporary names: ``.<stem>.<random>.tmp`` plus the real extension
_TEMP = re.compile(r"^\..+\.tmp(\.[A-Za-z0-9]+)?$")
#: folders whose files belong to the dashboard server's upload sessions, never cleaned here
_SKIP_DIRS = frozenset({"unggahan"})

_HELD: dict[str, tuple[int, object, str]] = {}  # resolved path -> (depth, open file, token)


class OutputBusyError(WorkbookError):
    """Another process is writing into the same output folder.

    A refusal to run, printed by the command line to whoever started it: :meth:`message` gives
    both languages, Indonesian first and the English on the next line, whatever ``lang`` is — as
    ``workbook serve`` prints its refusal to start on an open address.
    """

    def message(self, lang: str = "id") -> str:
        return self.message_id + "\n" + self.message_en

    def __str__(self) -> str:
        return self.message_id + " | " + self.message_en


def _key(output_dir: str | os.PathLike) -> str:
    return str(Path(output_dir).resolve())


def _try_lock(fh) -> bool:
    """Take the system lock on ``fh`` without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover — Windows
        import msvcrt

        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fh) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover — Windows
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def holder(output_dir: str | os.PathLike) -> dict:
    """What the lock file of ``output_dir`` says about its holder (empty when unreadable)."""
    try:
        return json.loads((Path(output_dir) / LOCK_NAME).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def _inherited(token: str) -> bool:
    return bool(token) and token in os.environ.get(ENV_LOCK, "").split(os.pathsep)


def _busy(output_dir: Path, info: dict) -> OutputBusyError:
    def words(lang: str) -> str:
        who = ", ".join(str(x) for x in (info.get("command"), info.get("host")) if x)
        return t("core.lock.busy", lang, path=output_dir, pid=info.get("pid", "?"),
                 since=info.get("since", "?"), who=f", {who}" if who else "")

    return OutputBusyError(words("id"), words("en"), file=None, pid=info.get("pid"))


def is_stale_temp(name: str) -> bool:
    """True for the names :func:`workbook.core.artefacts.atomic_path` gives its temporary files.

    >>> is_stale_temp(".laporan_2027_DISDIK.z0b4hd0q.tmp.ipynb"), is_stale_temp("laporan.ipynb")
    (True, False)
    """
    return bool(_TEMP.match(name))


def remove_stale_temp(output_dir: str | os.PathLike) -> list[Path]:
    """Remove the temporary files a killed run left under ``output_dir``; return them.

    Call it only while holding :func:`output_lock` (nobody else is writing them then).
    """
    removed: list[Path] = []
    root = Path(output_dir)
    if not root.is_dir():
        return removed
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in _SKIP_DIRS]
        for name in files:
            if is_stale_temp(name):
                p = Path(folder) / name
                with contextlib.suppress(OSError):
                    p.unlink()
                    removed.append(p)
    return removed


@contextlib.contextmanager
def output_lock(output_dir: str | os.PathLike, *, command: str | None = None,
                clean: bool = True) -> Iterator[Path]:
    """Hold ``output_dir`` for this run; raise :class:`OutputBusyError` when another run holds it.

    Re-entrant in the same process and in its child processes (see the module docstring). When
    the lock is taken fresh and ``clean`` is true, stale temporary files are removed first.
    Yields the lock file's path.
    """
    root = Path(output_dir)
    key = _key(root)
    lock_path = root / LOCK_NAME
    if key in _HELD:
        depth, fh, token = _HELD[key]
        _HELD[key] = (depth + 1, fh, token)
        try:
            yield lock_path
        finally:
            depth, fh, token = _HELD[key]
            _HELD[key] = (depth - 1, fh, token)
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        fh = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 — held open for the whole run
    except OSError as exc:
        from workbook.core.artefacts import _io_error

        raise _io_error(lock_path, exc) from None
    if not _try_lock(fh):
        fh.close()
        info = holder(root)
        if _inherited(info.get("token", "")):  # a child of the holder (papermill kernel, worker)
            yield lock_path
            return
        raise _busy(root, info)
    token = uuid.uuid4().hex
    info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command or _command(),
            "since": _dt.datetime.now().isoformat(timespec="seconds"), "token": token}
    fh.seek(0)
    fh.truncate()
    fh.write(json.dumps(info))
    fh.flush()
    before = os.environ.get(ENV_LOCK)
    os.environ[ENV_LOCK] = os.pathsep.join(x for x in (before, token) if x)
    _HELD[key] = (1, fh, token)
    try:
        if clean:
            remove_stale_temp(root)
        yield lock_path
    finally:
        del _HELD[key]
        if before is None:
            os.environ.pop(ENV_LOCK, None)
        else:
            os.environ[ENV_LOCK] = before
        with contextlib.suppress(OSError):
            fh.seek(0)
            fh.truncate()
            fh.flush()
            _unlock(fh)
        fh.close()


def _command() -> str:
    argv = [Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:2]]
    return " ".join(a for a in argv if a)[:60]
