"""Located, bilingual problems of the input data: :func:`make_problem` (a :class:`Problem` with the
standard text of its code) and :class:`ValidationReport` (the problems found in an input folder).

Used by ingest (readers, validation) and by every stage that reports a located input problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbook.core.exceptions import Problem
from workbook.core.schema import PROBLEM_CODES

__all__ = ["ValidationReport", "make_problem", "REPORT_COLUMNS", "EXTRA_PROBLEM_CODES"]

# Codes used here that are not (yet) in schema.PROBLEM_CODES.
EXTRA_PROBLEM_CODES = {
    "missing_standard": (
        "warning",
        "jabatan tidak punya standar kompetensi",
        "position has no competency standard",
    ),
    "formula_no_value": (
        "error",
        "sel berisi rumus tanpa nilai",
        "cell holds a formula without a value",
    ),
}


def _codes() -> dict[str, tuple[str, str, str]]:
    return {**EXTRA_PROBLEM_CODES, **PROBLEM_CODES}


def make_problem(
    code: str,
    *,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: Any = None,
    expected: str | None = None,
    detail_id: str = "",
    detail_en: str = "",
    severity: str | None = None,
) -> Problem:
    """Build a :class:`Problem` whose messages start with the standard text of ``code``."""
    sev, base_id, base_en = _codes().get(code, ("error", code, code))
    mid = base_id + (f": {detail_id}" if detail_id else "")
    men = base_en + (f": {detail_en}" if detail_en else "")
    if value is not None and not isinstance(value, str):
        try:
            if pd.isna(value):
                value = None
        except (TypeError, ValueError):
            pass
    return Problem(code, severity or sev, mid, men, file, row, column,
                   None if value is None else _short(value), expected)


def _short(value: Any, n: int = 60) -> str:
    text = str(value)
    return text if len(text) <= n else text[: n - 1] + "…"


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
