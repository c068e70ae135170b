"""File-descriptor plumbing for the compiled solver: HiGHS (in :func:`scipy.optimize.milp`)
writes to the C-level stdout even with ``disp=False``; :func:`quiet_c_output` silences it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

__all__ = ["quiet_c_output"]


def _flush_c_stdio() -> None:
    """Flush the C runtime's stdio buffers (best effort; POSIX libc, else nothing)."""
    try:
        import ctypes

        if os.name == "nt":  # pragma: no cover - Windows
            ctypes.cdll.msvcrt.fflush(None)
        else:
            ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):  # pragma: no cover - no libc handle
        pass


@contextlib.contextmanager
def quiet_c_output() -> Iterator[None]:
    """Silence the process's file descriptors 1 and 2 (C-level stdout/stderr) inside the block.

    Compiled solvers (HiGHS in :func:`scipy.optimize.milp`) can write to the C-level stdout
    even with ``disp=False``; in notebooks those lines leak into the cell outputs. The
    descriptors are duplicated, pointed at :data:`os.devnull` with :func:`os.dup2`, and restored
    in ``finally`` — also after an exception. C stdio buffers are flushed before the
    descriptors are restored, so buffered solver output goes to the null device too.
    ``os.dup``/``os.dup2`` exist on Windows as well. Not thread-safe: another thread's output
    during the block is discarded too.

    Examples
    --------
    >>> with quiet_c_output():
    ...     _ = os.write(1, b"hidden")
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    _flush_c_stdio()
    saved: list[tuple[int, int]] = []
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # pragma: no cover - no null device
        devnull = -1
    try:
        if devnull >= 0:
            for fd in (1, 2):
                try:
                    copy = os.dup(fd)
                except OSError:  # descriptor not open (e.g. pythonw): nothing to silence
                    continue
                try:
                    os.dup2(devnull, fd)
                except OSError:  # pragma: no cover
                    os.close(copy)
                    continue
                saved.append((fd, copy))
        yield
    finally:
        _flush_c_stdio()
        for fd, copy in saved:
            try:
                os.dup2(copy, fd)
            finally:
                os.close(copy)
        if devnull >= 0:
            os.close(devnull)
