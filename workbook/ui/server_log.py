"""The log of the widget pages: ``workbook.ui`` messages go to the Voilà server's log, never to
the page.

A viewer sees one friendly sentence; the traceback goes here (:func:`log_exception`).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback

__all__ = ["log", "log_exception"]

log = logging.getLogger("workbook.ui")


class _ServerLogHandler(logging.Handler):
    """Write to the kernel's *original* stderr (the Voilà server's log), never to the page.

    ipykernel redirects file descriptor 2 into the notebook output; its copy of the original
    descriptor is kept on ``sys.stderr._original_stdstream_copy``.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            fd = getattr(sys.stderr, "_original_stdstream_copy", None)
            text = (self.format(record) + "\n").encode("utf-8", "replace")
            if fd is None:
                sys.__stderr__.write(text.decode("utf-8"))
            else:
                os.write(fd, text)
        except Exception:  # noqa: BLE001 — logging must never fail the page
            pass


if not any(isinstance(h, _ServerLogHandler) for h in log.handlers):
    _h = _ServerLogHandler()
    _h.setFormatter(logging.Formatter("[workbook.ui %(levelname)s] %(message)s"))
    log.addHandler(_h)
    log.setLevel(logging.INFO)
    log.propagate = False


def log_exception(where: str) -> None:
    """Log the exception being handled, with its traceback, under ``where``."""
    log.error("%s\n%s", where, traceback.format_exc())
