"""The month-by-month schedule of the planned sessions, people placed in sessions.

Pseudonymous output (``attrs["output_class"] == "restricted"``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.plan.common import _frame_of, _months, _num, _text

__all__ = ["schedule"]


def _spread(months: list[int], k: int) -> list[int]:
    """k session months spread evenly over the allowed months (round-robin if k > len)."""
    L = len(months)
    if k <= L:
        idx = np.round(np.linspace(0, L - 1, k)).astype(int) if k > 1 else [0]
        return [months[i] for i in idx]
    return sorted(months[i % L] for i in range(k))


def schedule(
    assignments: Any, katalog: pd.DataFrame, *, year: int, settings: Settings | None = None
) -> pd.DataFrame:
    """Month-by-month schedule of the planned sessions, people placed in sessions.

    Parameters
    ----------
    assignments : PersonAssignment or DataFrame
        ``pegawai_id``, ``program_id`` (one row per person × programme).
    katalog : DataFrame
        ``kapasitas_per_sesi``, ``bulan_tersedia`` (blank = all year).
    year : int
        Plan year (``tahun_rencana``).
    settings : Settings, optional

    Returns
    -------
    DataFrame
        The assignment rows plus ``sesi`` (1…), ``bulan`` (1–12), ``tanggal_mulai`` (first day
        of the month; the provider fixes the date), ``kapasitas``, ``conflict`` (True when the
        person has another session in the same month that the greedy placement could not
        avoid).

    Notes
    -----
    A programme with *n* participants and capacity *K* runs :math:`\\lceil n/K \\rceil`
    sessions placed on its allowed months, evenly spread (two sessions share a month only when
    there are more sessions than months). Programmes with the fewest allowed months are placed
    first; each person goes to the free session whose month they are not yet busy in, the
    emptiest first.
    """
    _settings(settings)
    a = _frame_of(assignments, "assignments")
    _require_columns(a, ["pegawai_id", "program_id"], "assignments")
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 1900 <= year <= 2200:
        raise DataError(
            "Tahun rencana tidak sah.", "Invalid plan year.", value=year, expected="1900–2200"
        )
    _require_columns(katalog, ["program_id", "kapasitas_per_sesi"], "katalog_program")
    cap = dict(
        zip(
            _text(katalog["program_id"]),
            np.floor(
                _num(
                    katalog["kapasitas_per_sesi"],
                    "katalog_program",
                    "kapasitas_per_sesi",
                    lo=1,
                    allow_nan=False,
                )
            ).astype(int),
            strict=True,
        )
    )
    mon = dict(
        zip(
            _text(katalog["program_id"]),
            [
                _months(v)
                for v in (
                    katalog["bulan_tersedia"]
                    if "bulan_tersedia" in katalog
                    else [None] * len(katalog)
                )
            ],
            strict=True,
        )
    )
    a = a.reset_index(drop=True).copy()
    pids = _text(a["program_id"])
    unknown = sorted(set(pids) - set(cap))
    if unknown:
        raise DataError(
            f"Program {unknown[0]!r} tidak ada di katalog.",
            f"Programme {unknown[0]!r} is not in the catalogue.",
            file="katalog_program",
            column="program_id",
            value=unknown[0],
        )
    people = _text(a["pegawai_id"])
    sesi = np.zeros(len(a), dtype=np.int64)
    bulan = np.zeros(len(a), dtype=np.int64)
    conflict = np.zeros(len(a), dtype=bool)
    busy: dict[str, set[int]] = {}
    by_prog: dict[str, list[int]] = {}
    for i, p in enumerate(pids):
        by_prog.setdefault(p, []).append(i)
    for p in sorted(by_prog, key=lambda q: (len(mon[q]), -len(by_prog[q]), q)):
        rows = sorted(by_prog[p], key=lambda i: people[i])
        k = math.ceil(len(rows) / cap[p])
        months = _spread(mon[p], k)
        left = [cap[p]] * k
        for i in rows:
            free = [j for j in range(k) if left[j] > 0]
            ok = [j for j in free if months[j] not in busy.get(people[i], set())]
            pick = max(ok or free, key=lambda j: (left[j], -j))
            conflict[i] = not ok
            left[pick] -= 1
            sesi[i], bulan[i] = pick + 1, months[pick]
            busy.setdefault(people[i], set()).add(months[pick])
    a["sesi"] = sesi
    a["bulan"] = bulan
    a["tanggal_mulai"] = pd.to_datetime(
        pd.DataFrame({"year": year, "month": bulan, "day": 1})
    ).astype("datetime64[us]")
    a["kapasitas"] = np.array([cap[p] for p in pids], dtype=np.int64)
    a["conflict"] = conflict
    a.attrs["output_class"] = "restricted"
    return a
