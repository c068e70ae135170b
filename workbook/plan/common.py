"""What every step of the plan shares: the readers of input cells, the statuses owed the JP
minimum, the need-group key, the line types and the reason codes (their words are in
:mod:`workbook.plan.words`).

The private readers (``_num``, ``_text``, ``_as_list``, ``_months``, ``_frame_of``) turn the
cells of an input table into arrays and raise :class:`~workbook.core.exceptions.DataError` with
an Indonesian and an English message located at the table, row and column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import numeric
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings

__all__ = ["JP_OWED_STATUS", "REASON_CODES"]

#: Statuses owed the 20-JP minimum: the default of ``plan.jp_owed_status`` (PP 11/2017: "setiap
#: PNS"). CPNS follow Latsar and are neither owed nor capped (assumption). Functions read the
#: setting; this constant mirrors the default (``tests/plan`` checks that it does).
JP_OWED_STATUS: tuple[str, ...] = ("PNS",)

#: Why someone cannot reach the plan: the codes of ``reason`` in ``unmet``, ``below_minimum``,
#: ``below_minimum_reasons`` and :attr:`GroupPlan.coverage`, in their fixed order (the words are in
#: :data:`workbook.plan.words.REASONS`).
REASON_CODES: tuple[str, ...] = (
    "no_need",
    "no_programme",
    "budget",
    "capacity",
    "pppk_cap",
    "lower_priority",
    "top_up_off",
    "unavailable",
    "no_line",
)

#: ``jenis_kebutuhan`` codes of a need line (words of the plan table's line type:
#: ``plan.line_type.<code>`` in ``workbook/plan/messages.yaml``).
_LINE_TYPE = ("kompetensi", "kinerja", "umum", "wajib")

#: Columns of a need-group key, in this order when present. ``kelas_kelayakan`` (issue #17): the
#: programmes the group's members may not take (``;``-joined program_id, "" = none), so that a
#: group × programme pair exists only where every member is eligible.
_GROUP_KEY_ORDER = ("profil", "kode_unit", "status", "kelas_kelayakan", "jenis_kebutuhan", "kode_kompetensi")

#: the group-key column of the eligibility class
_ELIG_KEY = "kelas_kelayakan"


def _not_eligible(label: Any) -> set[str]:
    """The programmes of an eligibility-class label (``;``-joined program_id)."""
    return {x for x in str(label or "").split(";") if x}


def _owed(s: Settings) -> tuple[str, ...]:
    """Statuses owed the JP minimum (``plan.jp_owed_status``)."""
    return tuple(str(v) for v in s.get("plan.jp_owed_status", JP_OWED_STATUS))


def _num(
    series: pd.Series, table: str, column: str, *, lo: float = 0.0, allow_nan: bool = True
) -> np.ndarray:
    """A number column as a float array (:func:`workbook.core.checks.numeric`), ≥ ``lo``."""
    return numeric(series, table, column, lo=lo, required=not allow_nan).to_numpy()


def _text(series: pd.Series) -> np.ndarray:
    return np.array(
        [
            ""
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA
            else str(v).strip()
            for v in series
        ],
        dtype=object,
    )


def _as_list(v: Any) -> list[str]:
    """A ';'-list cell (list from the reader, or text) as a list of stripped strings."""
    if v is None or v is pd.NA:
        return []
    if isinstance(v, float) and np.isnan(v):
        return []
    if isinstance(v, (list, tuple, np.ndarray)):
        return [str(x).strip() for x in v if str(x).strip()]
    return [p.strip() for p in str(v).replace(",", ";").split(";") if p.strip()]


def _months(v: Any, table: str = "katalog_program") -> list[int]:
    items = _as_list(v)
    if not items:
        return list(range(1, 13))
    out = []
    for it in items:
        try:
            m = int(float(it))
        except ValueError:
            m = 0
        if not 1 <= m <= 12:
            raise DataError(
                f"Tabel '{table}', kolom 'bulan_tersedia': bulan tidak sah {it!r} (harus 1–12).",
                f"Table '{table}', column 'bulan_tersedia': invalid month {it!r} (must be 1–12).",
                file=table,
                column="bulan_tersedia",
                value=it,
                expected="1–12",
            )
        out.append(m)
    return sorted(set(out))


def _frame_of(obj: Any, attr: str) -> pd.DataFrame:
    """Accept a result object or a DataFrame."""
    if isinstance(obj, pd.DataFrame):
        return obj
    if hasattr(obj, attr):
        return getattr(obj, attr)
    raise DataError(
        f"Masukan harus DataFrame atau objek dengan atribut '{attr}'.",
        f"Input must be a DataFrame or an object with attribute '{attr}'.",
    )


def _reason_code(codes: list[str]) -> str:
    """Reason codes of :data:`REASON_CODES` joined by ';' ('' for none)."""
    return ";".join(c for c in codes if c)


def budget_number(budget: Any) -> float:
    """A budget given as one number, checked: finite and ≥ 0 (a located message otherwise)."""
    try:
        b = float(budget)
    except (TypeError, ValueError):
        b = float("nan")
    if not np.isfinite(b) or b < 0:
        raise DataError(
            f"Anggaran tidak sah: {budget!r} (harus angka ≥ 0 atau tabel anggaran).",
            f"Invalid budget: {budget!r} (must be a number ≥ 0 or the budget table).",
            file="anggaran", column="pagu", value=budget, expected="≥ 0",
        )
    return b
