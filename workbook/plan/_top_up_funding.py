"""The money side of the person-level top-up (:func:`workbook.plan.top_up.top_up_people`): the
remaining money per funding line while seats are added, and the person-level budget per line.
Split from :mod:`workbook.plan.top_up` to keep modules under 800 lines."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import workbook.plan._line_model as _line_model
import workbook.plan.lines as L
from workbook.core.checks import require_columns as _require_columns
from workbook.plan.common import _frame_of, _num, _text
from workbook.plan.explain import _budget_frame
from workbook.plan.groups import GroupPlan


@dataclass
class _Funding:
    """Remaining money per funding line during the top-up (person-level spending)."""

    mode: str
    lines: list[tuple[str, str]]
    pagu: np.ndarray
    spend: np.ndarray  # assigned + top-up, per line
    shared: float  # shared pool (funding="unit"), 0 otherwise
    index: dict[str, int]  # sumber_dana (source) or kode_unit (unit) or line_id (lines) -> line

    def line(self, unit: str, source: str) -> int:
        if self.mode == "pool":
            return 0
        key = source if self.mode == "source" else unit
        return self.index.get(key, -1)

    shared_direct: float = 0.0  # spent on the shared pool by rows without a line of their own
    table: pd.DataFrame | None = None  # funding="lines": the budget lines (may_pay reads them)
    rank: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # most specific first
    _may: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def pick(self, unit: str, source: str, kind: str, cost: float,
             extra: dict[int, float] | None = None, use_budget: bool = True) -> int:
        """The line that would pay one seat of ``cost``: with budget lines the most specific line
        that may pay it (unit, kind) and has room (the rule of :func:`workbook.plan.lines.charge`),
        -1 when none; otherwise the mode's line when it can pay (-1 = the shared pool or no room:
        :meth:`available` decides)."""
        if self.mode != "lines":
            return self.line(unit, source)
        ok = self._may.get((unit, kind))
        if ok is None:
            ok = L.may_pay(self.table, [unit], [kind])[0]
            self._may[(unit, kind)] = ok
        for j in self.rank:
            if not ok[j]:
                continue
            if not use_budget or cost <= 0:
                return int(j)
            left = self.pagu[j] - self.spend[j] - (extra or {}).get(int(j), 0.0)
            if cost <= left + 1e-6:
                return int(j)
        if cost <= 0:  # a free seat takes no money: recorded on the most specific line of the
            # person's unit even when no line may pay its kind (a LAN MOOC needs no sub-kegiatan)
            unit_ok = self._may.get((unit, ""))
            if unit_ok is None:
                unit_ok = L.may_pay(self.table, [unit], [""])[0]
                self._may[(unit, "")] = unit_ok
            for j in self.rank:
                if unit_ok[j]:
                    return int(j)
        return -1

    def label(self, li: int) -> str:
        """The ``line_id`` written on an assignment row charged to line ``li``."""
        if self.mode == "lines":
            return str(self.table["line_id"].iloc[li]) if li >= 0 else ""
        if self.mode == "pool":
            return "semua"
        if li < 0:
            return "semua"
        s_, u = self.lines[li]
        return s_ or u

    def available(self, li: int, extra: dict[int, float] | None = None) -> float:
        """Rupiah that line ``li`` can still pay, after ``extra`` tentative spending per line
        (``-1`` = the shared pool directly)."""
        sp = self.spend.copy()
        for k, v in (extra or {}).items():
            if k >= 0:
                sp[k] += v
        if self.shared <= 0:
            return float(self.pagu[li] - sp[li]) if li >= 0 else 0.0
        left = (
            self.shared
            - float(np.maximum(sp - self.pagu, 0.0).sum())
            - self.shared_direct
            - (extra or {}).get(-1, 0.0)
        )
        own = max(float(self.pagu[li] - sp[li]), 0.0) if li >= 0 else 0.0
        return own + max(left, 0.0)


def _funding_state(plan: GroupPlan, spend_rows: list[tuple[str, str, float]]) -> _Funding:
    bud = _frame_of(plan, "budget")
    _require_columns(bud, ["sumber_dana", "kode_unit", "pagu"], "budget")
    mode = str(getattr(plan, "funding", "pool") or "pool")
    if mode == "lines":
        return _lines_state(bud, spend_rows)
    src, unit = _text(bud["sumber_dana"]), _text(bud["kode_unit"])
    pagu = _num(bud["pagu"], "budget", "pagu", allow_nan=False)
    shared = 0.0
    if mode == "unit":
        keep = unit != ""
        shared = float(pagu[~keep].sum())
        src, unit, pagu = src[keep], unit[keep], pagu[keep]
        index = {u: i for i, u in enumerate(unit)}
    elif mode == "source":
        index = {s_: i for i, s_ in enumerate(src)}
    else:
        mode = "pool"
        src, unit, pagu = src[:1], unit[:1], np.array([float(pagu.sum())])
        index = {}
    f = _Funding(
        mode,
        list(zip(src.tolist(), unit.tolist(), strict=True)),
        pagu.astype(float),
        np.zeros(len(pagu)),
        shared,
        index,
    )
    for u, s_, c in spend_rows:
        li = f.line(u, s_)
        if li >= 0:
            f.spend[li] += c
        else:
            f.shared_direct += c
    return f


def _lines_state(bud: pd.DataFrame, spend_rows: list[tuple[str, str, float]]) -> _Funding:
    """Funding state with budget lines: room per line = pagu − the part of the reserve not yet
    spent by mandatory rows; ``spend_rows`` are (line_id, tahap, cost) of the seats charged."""
    _require_columns(bud, ["line_id", "cakupan_unit", "jenis_program"], "budget")
    table = _line_model.lines_from_budget(bud)
    reserved = bud["reserved"].to_numpy(float) if "reserved" in bud else np.zeros(len(bud))
    index = {v: i for i, v in enumerate(table["line_id"])}
    spend, wajib = np.zeros(len(table)), np.zeros(len(table))
    for lid, tahap, c in spend_rows:
        if lid in index:
            spend[index[lid]] += c
            if tahap == "wajib":
                wajib[index[lid]] += c
    return _Funding("lines", list(zip(table["sumber_dana"], table["dpa"], strict=True)),
                    table["pagu"].to_numpy(float) - np.maximum(reserved - wajib, 0.0), spend, 0.0, index,
                    table=table, rank=_line_model.line_order(table))


def _person_budget(
    plan: GroupPlan, fund: _Funding, spend0: np.ndarray, shared0: float, direct0: float
) -> pd.DataFrame:
    """Budget per funding line, person level: the group plan's use, the top-up's, what is left."""
    gp_used = _frame_of(plan, "budget")
    used_top = fund.spend - spend0
    bud = _budget_frame(fund.lines, fund.pagu, fund.spend, max(shared0, 0.0))
    if fund.shared > 0:  # rows without a unit line of their own drew on the shared pool
        bud.loc[bud.index[-1], "used"] += fund.shared_direct
        bud.loc[bud.index[-1], "remaining"] -= fund.shared_direct
    top_col = np.concatenate([used_top, np.zeros(len(bud) - len(used_top))])
    if fund.shared > 0:
        top_col[-1] = fund.shared_direct - direct0
    ug = dict(
        zip(
            zip(_text(gp_used["sumber_dana"]), _text(gp_used["kode_unit"]), strict=True),
            gp_used["used"].to_numpy(float) if "used" in gp_used else np.zeros(len(gp_used)),
            strict=True,
        )
    )
    bud.insert(
        3,
        "used_group_plan",
        [ug.get((x, y), np.nan) for x, y in zip(bud["sumber_dana"], bud["kode_unit"], strict=True)],
    )
    bud.insert(4, "used_top_up", top_col)
    return bud
