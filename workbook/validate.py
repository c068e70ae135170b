"""The validation report of an agency's input folder, and the ``workbook validate`` command.

>>> from workbook.validate import validate            # doctest: +SKIP
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
import os
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.exceptions import Problem, SettingsError, WorkbookError

__all__ = ["ValidationReport", "validate", "main", "REPORT_COLUMNS"]

REPORT_COLUMNS = ["severity", "code", "file", "row", "column", "value", "expected", "message"]

_SEV = {"id": {"error": "KESALAHAN", "warning": "PERINGATAN"}, "en": {"error": "ERROR", "warning": "WARNING"}}


@dataclass
class ValidationReport:
    """Problems found in an input folder.

    Attributes
    ----------
    problems : list of Problem
    data_dir : str or None
    """

    problems: list[Problem] = field(default_factory=list)
    data_dir: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def sorted(self) -> list[Problem]:
        """Errors first, then warnings; each by file, row, column."""
        return sorted(self.problems, key=lambda p: (p.severity != "error", p.file or "", p.row or 0,
                                                    p.column or "", p.code))

    def to_frame(self, lang: str = "id") -> pd.DataFrame:
        """One row per problem: severity, code, file, row, column, value, expected, message."""
        recs = [{
            "severity": p.severity, "code": p.code, "file": p.file,
            "row": p.row, "column": p.column,
            "value": None if p.value is None else str(p.value),
            "expected": p.expected, "message": p.message(lang),
        } for p in self.sorted()]
        df = pd.DataFrame(recs, columns=REPORT_COLUMNS)
        df["row"] = df["row"].astype("Int64")
        return df

    def summary(self, lang: str = "id") -> str:
        """One line: how many errors and warnings, and whether the data can be used."""
        ne, nw = len(self.errors), len(self.warnings)
        files = len({p.file for p in self.problems if p.file})
        where = f" ({self.data_dir})" if self.data_dir else ""
        if lang == "en":
            verdict = "the data can be used." if ne == 0 else "fix the errors before continuing."
            return f"Validation{where}: {ne} error(s), {nw} warning(s) in {files} file(s) — {verdict}"
        verdict = "data dapat dipakai." if ne == 0 else "perbaiki kesalahan sebelum melanjutkan."
        return f"Validasi{where}: {ne} kesalahan, {nw} peringatan pada {files} berkas — {verdict}"

    def to_text(self, lang: str = "id") -> str:
        """Errors, then warnings, one per line, then the summary line."""
        lab = _SEV["en" if lang == "en" else "id"]
        words = ({"file": "file", "row": "row", "column": "column", "value": "value", "expected": "expected"}
                 if lang == "en" else
                 {"file": "berkas", "row": "baris", "column": "kolom", "value": "nilai", "expected": "diharapkan"})
        lines = []
        for p in self.sorted():
            parts = [f"{lab.get(p.severity, p.severity.upper())} [{p.code}]"]
            if p.file:
                parts.append(f"{words['file']} {p.file}")
            if p.row is not None:
                parts.append(f"{words['row']} {p.row}")
            if p.column:
                parts.append(f"{words['column']} {p.column}")
            if p.value is not None:
                parts.append(f"{words['value']} '{p.value}'")
            if p.expected:
                parts.append(f"{words['expected']}: {p.expected}")
            lines.append(" | ".join(parts) + " — " + p.message(lang))
        lines.append(self.summary(lang))
        return "\n".join(lines)

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.to_text()


def validate(data_dir: str | Path, *, settings: Any = None) -> ValidationReport:
    """Check an agency's input folder and return the report; never raises for data problems.

    Parameters
    ----------
    data_dir : str or Path
        The agency folder (one file per table plus ``instansi.yaml``).
    settings : Settings or str or Path, optional
        Loaded settings or a settings file (default: the defaults).

    Returns
    -------
    ValidationReport
    """
    from workbook.io.readers import load_agency, make_problem
    from workbook.settings import load_settings

    if settings is None or isinstance(settings, (str, Path)):
        settings = load_settings(settings)
    try:
        agency = load_agency(data_dir, settings=settings, strict=False)
    except SettingsError:
        raise
    except WorkbookError as exc:
        probs = exc.problems or [make_problem("unreadable_file", file=exc.file, row=exc.row, column=exc.column,
                                              detail_id=exc.message_id, detail_en=exc.message_en)]
        return ValidationReport(list(probs), data_dir=str(data_dir))
    agency.report.data_dir = str(data_dir)
    return agency.report


def _escape_cell(v: Any) -> Any:
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + v
    return v


def _write_output(report: ValidationReport, out: Path, lang: str) -> None:
    df = report.to_frame(lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=str(out.parent), prefix=".tmp-", suffix=out.suffix)
    os.close(fd)
    try:
        if out.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            wb = Workbook()
            ws = wb.active
            ws.title = "validasi"
            ws.append(list(df.columns))
            for rec in df.itertuples(index=False):
                ws.append([None if pd.isna(v) else (int(v) if isinstance(v, (int,)) else v) for v in rec])
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                        cell.data_type = "s"  # text, never a formula
            wb.save(tmp)
        else:
            df.map(_escape_cell).to_csv(tmp, index=False, encoding="utf-8-sig")
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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
        from workbook.settings import load_settings

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
        except OSError as exc:
            print(("Laporan tidak dapat disimpan: " if lang == "id" else "Report cannot be saved: ") + str(exc),
                  file=sys.stderr)
            return 2
    return 0 if report.ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
