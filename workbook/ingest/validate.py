"""The validation report of an agency's input folder, and the ``workbook validate`` command.

>>> from workbook.ingest.validate import validate            # doctest: +SKIP
>>> report = validate("data_samples/contoh")          # doctest: +SKIP
>>> report.ok, len(report.errors)                     # doctest: +SKIP
(True, 0)

Every problem is located by file, spreadsheet row (1-based, header and title rows counted) and
column, with the value found and what was expected, in Indonesian (default) or English.
Blank survey answers are aggregated (one ``blank_answer`` warning per file and column, at the
first blank row); duplicate survey submissions give one ``duplicate_submission`` warning per
dropped (older) row. Input files are only read, never written.

Command line::

    workbook validate FOLDER [--lang en] [--settings FILE] [--output FILE.csv|FILE.xlsx] [--debug]

Exit code 0 when there is no error (warnings allowed), 1 when there are errors, 2 for usage
errors (unknown option, missing folder, settings problem, output inside the input folder).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import Any

from workbook.core import artefacts
from workbook.core.exceptions import SettingsError, WorkbookError
from workbook.core.problems import REPORT_COLUMNS, ValidationReport

__all__ = ["ValidationReport", "validate", "main", "REPORT_COLUMNS"]

def validate(data_dir: str | Path, *, settings: Any = None,
             replace: dict[str, str | Path] | None = None) -> ValidationReport:
    """Check an agency's input folder and return the report; never raises for data problems.

    Parameters
    ----------
    data_dir : str or Path
        The agency folder (one file per table plus ``instansi.yaml``).
    settings : Settings or str or Path, optional
        Loaded settings or a settings file (default: the defaults).
    replace : dict of str to path, optional
        Table name → a file checked instead of that table's file in ``data_dir`` (see
        :func:`workbook.ingest.agency.load_agency`).

    Returns
    -------
    ValidationReport
    """
    from workbook.core.problems import make_problem
    from workbook.core.settings import load_settings
    from workbook.ingest.agency import load_agency

    if settings is None or isinstance(settings, (str, Path)):
        settings = load_settings(settings)
    try:
        agency = load_agency(data_dir, settings=settings, strict=False, replace=replace)
    except SettingsError:
        raise
    except WorkbookError as exc:
        probs = exc.problems or [make_problem("unreadable_file", file=exc.file, row=exc.row, column=exc.column,
                                              detail_id=exc.message_id, detail_en=exc.message_en)]
        return ValidationReport(list(probs), data_dir=str(data_dir))
    agency.report.data_dir = str(data_dir)
    return agency.report


def _write_output(report: ValidationReport, out: Path, lang: str) -> None:
    """Write the report as CSV (UTF-8 with BOM) or XLSX with :mod:`workbook.core.artefacts`.

    The writers there are atomic and escape text that a spreadsheet would run as a formula.
    """
    df = report.to_frame(lang)
    if out.suffix.lower() == ".xlsx":
        artefacts.write_xlsx({"validasi": df}, out, lang=lang)
    else:
        artefacts.write_csv(df, out)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="workbook validate",
        description="Periksa folder data instansi / Check an agency's data folder.",
    )
    p.add_argument("folder", help="folder data instansi / agency data folder")
    p.add_argument("--lang", choices=["id", "en"], default="id", help="bahasa / language (id, en)")
    p.add_argument("--settings", help="berkas pengaturan / settings file (YAML)")
    p.add_argument("--output", help="simpan laporan / save the report (.csv or .xlsx)")
    p.add_argument("--debug", action="store_true", help="tampilkan traceback / show tracebacks")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``workbook validate``; returns the exit code (0 ok, 1 errors, 2 usage)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    lang = args.lang
    folder = Path(args.folder)
    if not folder.is_dir():
        print(("Folder data tidak ditemukan: " if lang == "id" else "Data folder not found: ") + str(folder),
              file=sys.stderr)
        return 2
    out = Path(args.output) if args.output else None
    if out is not None:
        if out.suffix.lower() not in (".csv", ".xlsx"):
            print("--output harus .csv atau .xlsx" if lang == "id" else "--output must be .csv or .xlsx",
                  file=sys.stderr)
            return 2
        try:
            out.resolve().relative_to(folder.resolve())
            print("Laporan tidak boleh ditulis ke dalam folder data masukan." if lang == "id"
                  else "The report must not be written into the input data folder.", file=sys.stderr)
            return 2
        except ValueError:
            pass
    try:
        from workbook.core.settings import load_settings

        settings = load_settings(args.settings)
        import warnings as _w

        with _w.catch_warnings(record=True) as caught:
            _w.simplefilter("always")
            report = validate(folder, settings=settings)
        for w in caught:
            text = str(w.message)
            print(text.split(" | ")[1 if lang == "en" and " | " in text else 0], file=sys.stderr)
    except SettingsError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2
    except WorkbookError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001
        print("Terjadi kesalahan tak terduga; jalankan lagi dengan --debug dan laporkan. | "
              "Unexpected error; run again with --debug and report it.", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 1
    print(report.to_text(lang))
    if out is not None:
        try:
            _write_output(report, out, lang)
        except (OSError, WorkbookError) as exc:
            why = exc.message(lang) if isinstance(exc, WorkbookError) else str(exc)
            lead = "Laporan tidak dapat disimpan: " if lang == "id" else "Report cannot be saved: "
            print(lead + why, file=sys.stderr)
            return 2
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
