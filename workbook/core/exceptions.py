"""Exceptions of the workbook.

Every problem a user can act on is a :class:`WorkbookError` (or a subclass). Each carries
structured context (file, row, column, value, expected) and renders a message in Indonesian
(first language) or English. Validation code raises these; it never uses ``assert``.

Row numbers are *as the spreadsheet shows them*: 1-based, with the header and any title rows
counted, so that a user can go straight to the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "WorkbookError",
    "DataError",
    "SchemaError",
    "SettingsError",
    "InconsistentJudgementsError",
    "InfeasibleError",
    "Problem",
]


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file.

    ``severity`` is ``"error"`` (the stage cannot run on this input) or ``"warning"`` (the input
    was used, with the stated treatment). ``code`` is a stable machine-readable identifier
    (e.g. ``"missing_column"``, ``"out_of_range"``) used by tests and by the messy-data manifest.
    """

    code: str
    severity: str
    message_id: str
    message_en: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    expected: str | None = None

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id

    def location(self, lang: str = "id") -> str:
        parts = []
        if self.file:
            parts.append(f"{'file' if lang == 'en' else 'berkas'} {self.file}")
        if self.row is not None:
            parts.append(f"{'row' if lang == 'en' else 'baris'} {self.row}")
        if self.column:
            parts.append(f"{'column' if lang == 'en' else 'kolom'} {self.column}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "expected": self.expected,
            "message_id": self.message_id,
            "message_en": self.message_en,
        }


class WorkbookError(Exception):
    """Base class of every error the workbook reports to a user.

    Parameters
    ----------
    message_id, message_en : str
        The message in Indonesian and in English. ``str(err)`` gives the Indonesian one
        followed by the English one so that logs are readable by both audiences.
    file, row, column, value, expected : optional
        Where the problem is and what was expected.
    problems : list of Problem, optional
        Several located problems (e.g. the whole validation report of a file).
    """

    def __init__(
        self,
        message_id: str,
        message_en: str | None = None,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        expected: str | None = None,
        problems: list[Problem] | None = None,
        **context: Any,
    ) -> None:
        self.message_id = message_id
        self.message_en = message_en or message_id
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected
        self.problems = list(problems or [])
        self.context = context
        super().__init__(self.message("id") + " | " + self.message("en"))

    def location(self, lang: str = "id") -> str:
        return Problem(
            "x", "error", "", "", self.file, self.row, self.column
        ).location(lang)

    def message(self, lang: str = "id") -> str:
        text = self.message_en if lang == "en" else self.message_id
        loc = self.location(lang)
        return f"{loc}: {text}" if loc else text


class DataError(WorkbookError):
    """An input table cannot be used as it is (wrong columns, bad values, unreadable file)."""


class SchemaError(DataError):
    """An input table does not follow its data contract (see ``docs/data.md``)."""


class SettingsError(WorkbookError):
    """The settings file or a notebook/CLI parameter is unknown, ill-typed or out of range."""


class InconsistentJudgementsError(WorkbookError):
    """AHP pairwise judgements whose consistency ratio exceeds the configured limit.

    Carries ``cr``, ``limit`` and ``worst`` (the pair ``(i, j)`` of the most inconsistent
    judgement, with its given and implied values) in attributes of the same names.
    """

    def __init__(self, message_id: str, message_en: str, *, cr: float, limit: float,
                 worst: dict[str, Any] | None = None, **kw: Any) -> None:
        self.cr = cr
        self.limit = limit
        self.worst = worst or {}
        super().__init__(message_id, message_en, **kw)


class InfeasibleError(WorkbookError):
    """An optimisation problem (selection, plan) has no feasible solution as posed."""
