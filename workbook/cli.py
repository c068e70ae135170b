"""The ``workbook`` command: ``workbook validate | sample | report`` (``workbook --help``).

Every sub-command prints its messages in Indonesian (``--lang en`` for English), exits non-zero
on errors, and never shows a traceback for a data problem (``--debug`` shows it).
"""

from __future__ import annotations

import sys

__all__ = ["main"]

_USAGE = """Penggunaan / usage: workbook <perintah> [opsi]

Perintah / commands:
  validate FOLDER   periksa data masukan / check the input data
  sample            buat data instansi contoh / generate a sample agency
  report            jalankan siklus tahunan dan buat laporan / run the yearly cycle and build the reports
  serve             dasbor manajer (Voilà) / manager dashboards (Voilà)

`workbook <perintah> --help` untuk opsi / for options.
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_USAGE)
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "--version":
        from workbook.core.version import __version__

        print(__version__)
        return 0
    if cmd == "validate":
        from workbook.ingest.validate import main as run
    elif cmd == "sample":
        from workbook.sample.write import main as run
    elif cmd == "report":
        from workbook.report.batch import main as run
    elif cmd == "serve":
        from workbook.ui.serve import main as run
    else:
        print(f"Perintah tidak dikenal / unknown command: {cmd}\n\n{_USAGE}", file=sys.stderr)
        return 2
    return int(run(rest) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
