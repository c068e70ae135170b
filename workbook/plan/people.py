"""People on the planned seats: the second stage after the group-level plan.

Person-level outputs are pseudonymous and carry ``attrs["output_class"] == "restricted"``;
re-identification is done elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.plan.catalogue import _catalogue
from workbook.plan.common import (
    _ELIG_KEY,
    _GROUP_KEY_ORDER,
    JP_OWED_STATUS,
    _frame_of,
    _num,
    _owed,
    _text,
)
from workbook.plan.groups import GroupPlan

__all__ = ["PersonAssignment", "assign_people"]


@dataclass
class PersonAssignment:
    """Result of :func:`assign_people`.

    Attributes
    ----------
    assignments : DataFrame
        One row per person × programme (pseudonymous): ``pegawai_id``, the group keys,
        ``program_id``, ``jp``, ``cost``, ``need_score``, ``priority``, ``group_value`` (the
        group's need score, the value the group-level plan counted for this seat),
        ``biaya_kas`` (the money this seat costs the agency; equal to ``cost``) and ``line_id``
        (the budget line that pays it: with ``funding="lines"`` the line the group plan gave
        the seat, else the funding line of the mode; set by :func:`top_up_people`). In the plan
        stage also ``putaran``: 1 for the selection's seats, 2… for the refill rounds' seats
        (:mod:`workbook.plan.refill`), 0 for mandatory and top-up rows.
    unfilled : DataFrame
        Allocation rows with seats left empty: group keys, ``program_id``, ``participants``,
        ``filled``, ``unfilled``.
    summary : DataFrame
        ``metric``, ``value``: ``seats_planned``, ``seats_filled``, ``seats_unfilled``,
        ``value_planned``, ``value_filled``, ``value_lost`` (group-level need value of the
        empty seats), ``value_lost_share``, ``person_need_value`` (sum of the assigned people's
        own need scores), ``pppk_blocked`` (need lines refused a seat because of the PPPK JP
        cap), ``seats_rebalanced``, ``pns_reaching_minimum`` (PNS at or above
        ``jp.minimum_pns`` in the assignment, person level). After :func:`top_up_people` also
        ``pns_owed``, ``pns_reaching_before_top_up``, ``pns_below_minimum``,
        ``share_reaching``, ``top_up_seats``, ``top_up_general_seats``, ``top_up_cost``.
    below_minimum : DataFrame or None
        After :func:`top_up_people`: one row per person owed the minimum who is still below it
        (pseudonymous, restricted), with the reason.
    budget : DataFrame or None
        After :func:`top_up_people`: per funding line the person-level spending.
    """

    assignments: pd.DataFrame
    unfilled: pd.DataFrame
    summary: pd.DataFrame
    below_minimum: pd.DataFrame | None = None
    budget: pd.DataFrame | None = None

    def metric(self, name: str) -> float:
        """One figure of :attr:`summary`."""
        return float(self.summary.loc[self.summary["metric"] == name, "value"].iloc[0])


def assign_people(
    plan: GroupPlan,
    inventory: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    *,
    rebalance: bool = True,
    settings: Settings | None = None,
    held: set[tuple[str, str]] | None = None,
    jp_before: dict[str, float] | None = None,
) -> PersonAssignment:
    """Second stage: put individual (pseudonymous) people on the planned seats.

    Parameters
    ----------
    plan : GroupPlan
        From :func:`plan_groups`.
    inventory : DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``need_score``, ``priority`` (from
        ``needs.inventory``); optional ``jenis_kebutuhan`` (``kinerja`` lines) and ``profil``.
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``; ``profil`` if the plan's groups use it.
    katalog : DataFrame
    rebalance : bool, default True
        After the need-first pass, move a seat from a PNS who stays at or above
        ``jp.minimum_pns`` without it to a PNS of the same group who is below it (and reaches
        it with the seat, if possible). The group-level value is unchanged (same group); the
        person-level 20-JP share rises.
    held, jp_before : optional
        A refill round (:mod:`workbook.plan.refill`): the (person, programme) pairs the plan
        already holds (never given again) and each person's JP so far (the PPPK cap and the
        20-JP preference count them).
    settings : Settings, optional
        ``jp.minimum_pns``, ``jp.pppk_maximum``.

    Returns
    -------
    PersonAssignment

    Notes
    -----
    Heuristic (greedy), not an optimum: need lines are taken highest need first — priority 1
    of every person before anyone's priority 2, then by need score (descending), then by
    ``pegawai_id`` — and each line gets a seat of its group, if any is left. Among the
    group's programmes with free seats the person gets the one with the most JP while below
    ``jp.minimum_pns`` (else the fewest; a PPPK always the fewest); a PPPK is never given a
    seat that would take them above ``jp.pppk_maximum``. A person gets at most one programme per competency and never
    the same programme twice. The shortfall against the group-level optimum is reported as
    seats left empty and the group-level need value of those seats.
    """
    s = _settings(settings)
    jmin, jpppk = float(s["jp.minimum_pns"]), float(s["jp.pppk_maximum"])
    owed_st = _owed(s)
    alloc = _frame_of(plan, "allocation")
    keys = list(
        getattr(plan, "group_keys", []) or [k for k in _GROUP_KEY_ORDER if k in alloc.columns]
    )
    _require_columns(alloc, keys + ["program_id", "participants"], "allocation")
    _require_columns(inventory, ["pegawai_id", "kode_kompetensi", "need_score"], "inventory")
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    cat = _catalogue(katalog, s).set_index("program_id")
    d, peg = _need_lines(inventory, pegawai, keys)
    seats = _seats(alloc, keys, cat)
    _attach_line_quotas(seats, alloc, keys, getattr(plan, "allocation_lines", None))
    gval = _group_values(alloc, keys)
    d["_ns"] = d["need_score"].fillna(-np.inf)
    d = d.sort_values(
        ["priority", "_ns", "pegawai_id", "kode_kompetensi"],
        ascending=[True, False, True, True],
        kind="mergesort",
    )
    out, jp_person, taken, filled, pppk_blocked = _fill_seats(
        d, keys, seats, gval, len(alloc), jmin, jpppk, held, jp_before
    )
    rebalanced = (
        _rebalance(out, d, keys, seats, jp_person, taken, peg, jmin, owed_st) if rebalance else 0
    )
    acols = (
        ["pegawai_id"]
        + keys
        + ["program_id", "jp", "cost", "need_score", "priority", "group_value", "line_id"]
    )
    a = pd.DataFrame(out, columns=acols)
    a["biaya_kas"] = a["cost"].astype(float)
    a["line_id"] = a["line_id"].astype("string")
    a["tahap"] = pd.array(["rencana"] * len(a), dtype="str")
    for c in ["pegawai_id", "program_id"] + keys:
        a[c] = a[c].astype("str")
    a.attrs["output_class"] = "restricted"
    un = alloc[keys + ["program_id", "participants"]].copy()
    un["filled"] = filled
    un["unfilled"] = un["participants"] - un["filled"]
    un = un[un["unfilled"] > 0].reset_index(drop=True)
    reaching = sum(
        jp_person.get(q, 0.0) >= jmin - 1e-9
        for q, st_ in zip(peg["pegawai_id"], peg["status"], strict=True)
        if st_ in owed_st
    )
    summary = _summary(alloc, filled, a, pppk_blocked, rebalanced, reaching)
    return PersonAssignment(assignments=a, unfilled=un, summary=summary)


def _need_lines(
    inventory: pd.DataFrame, pegawai: pd.DataFrame, keys: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Need lines with the group-key columns of their person, and the employees' key columns."""
    inv = pd.DataFrame(
        {
            "pegawai_id": _text(inventory["pegawai_id"]),
            "kode_kompetensi": _text(inventory["kode_kompetensi"]),
            "need_score": _num(inventory["need_score"], "inventory", "need_score", lo=-np.inf),
        }
    )
    inv["priority"] = (
        _num(inventory["priority"], "inventory", "priority") if "priority" in inventory else 1.0
    )
    inv["jenis_kebutuhan"] = (
        _text(inventory["jenis_kebutuhan"]) if "jenis_kebutuhan" in inventory else "kompetensi"
    )
    peg_cols = ["pegawai_id", "kode_unit", "status"] + [
        k for k in ("profil", _ELIG_KEY) if k in keys and k in pegawai.columns
    ]
    peg = pd.DataFrame({c: _text(pegawai[c]) for c in peg_cols})
    if "profil" in keys and "profil" not in peg and "profil" in inventory.columns:
        inv["profil"] = _text(inventory["profil"])
    d = inv.merge(peg, on="pegawai_id", how="inner")
    missing = [k for k in keys if k not in d.columns]
    if missing:
        raise DataError(
            f"Kolom kunci kelompok tidak ada di data pegawai/inventaris: {', '.join(missing)}.",
            f"Group key column missing from employees/inventory: {', '.join(missing)}.",
            file="pegawai",
            column=missing[0],
        )
    return d, peg


def _seats(alloc: pd.DataFrame, keys: list[str], cat: pd.DataFrame) -> dict[tuple, list[list]]:
    """Seats per group: [programme, seats left, JP, cost, allocation row] per planned programme."""
    seats: dict[tuple, list[list]] = {}
    for i, row in enumerate(alloc[keys + ["program_id", "participants"]].itertuples(index=False)):
        kt = tuple(str(v) for v in row[: len(keys)])
        pid = str(row[len(keys)])
        if pid not in cat.index:
            raise DataError(
                f"Program {pid!r} di rencana tidak ada di katalog.",
                f"Programme {pid!r} in the plan is not in the catalogue.",
                file="katalog_program",
                column="program_id",
                value=pid,
            )
        seats.setdefault(kt, []).append(
            [
                pid,
                int(row[len(keys) + 1]),
                float(cat.at[pid, "jp"]),
                float(cat.at[pid, "biaya_per_peserta"]),
                i,
            ]
        )
    return seats


def _attach_line_quotas(seats: dict[tuple, list[list]], alloc: pd.DataFrame, keys: list[str],
                        al_lines: pd.DataFrame | None) -> None:
    """With budget lines: give every seat option the queue of lines that pay its seats (most
    specific first, as the group plan split them) and the cash cost per seat."""
    if not isinstance(al_lines, pd.DataFrame) or not len(alloc):
        for opts in seats.values():
            for o in opts:
                o.append(None)
        return
    per_seat = (alloc["cost"] / alloc["participants"].where(alloc["participants"] > 0)).to_numpy(float)
    idx = {tuple(str(v) for v in r): i for i, r in enumerate(alloc[keys + ["program_id"]].itertuples(index=False))}
    queues: dict[int, list] = {}
    for r in al_lines[keys + ["program_id", "line_id", "participants"]].itertuples(index=False):
        i = idx.get(tuple(str(v) for v in r[: len(keys) + 1]))
        if i is not None:
            queues.setdefault(i, []).extend([str(r[len(keys) + 1])] * int(r[len(keys) + 2]))
    for opts in seats.values():
        for o in opts:
            if np.isfinite(per_seat[o[4]]):
                o[3] = float(per_seat[o[4]])
            o.append(queues.get(o[4], []))


def _group_values(alloc: pd.DataFrame, keys: list[str]) -> dict[tuple, float]:
    """The need value of one seat per group, as the group-level plan counted it."""
    gval = {}
    if "value" in alloc and "participants" in alloc:
        for row in alloc[keys + ["participants", "value"]].itertuples(index=False):
            kt = tuple(str(v) for v in row[: len(keys)])
            if row[len(keys)] > 0:
                gval[kt] = float(row[len(keys) + 1]) / float(row[len(keys)])
    return gval


def _fill_seats(
    d: pd.DataFrame,
    keys: list[str],
    seats: dict[tuple, list[list]],
    gval: dict[tuple, float],
    n_alloc: int,
    jmin: float,
    jpppk: float,
    held: set[tuple[str, str]] | None = None,
    jp_before: dict[str, float] | None = None,
) -> tuple[list[dict], dict[str, float], set[tuple[str, str]], np.ndarray, int]:
    """The need-first pass over the sorted need lines (updates ``seats`` in place).

    Returns the assignment rows, the JP per person, the (person, programme) pairs taken, the
    seats filled per allocation row and the number of lines refused by the PPPK JP cap.
    """
    jp_person: dict[str, float] = dict(jp_before or {})
    taken: set[tuple[str, str]] = set(held or ())
    filled = np.zeros(n_alloc, dtype=np.int64)
    pppk_blocked = 0
    out = []
    key_idx = [d.columns.get_loc(k) for k in keys]
    cols = list(d.columns)
    for row in d.itertuples(index=False, name=None):
        kt = tuple(row[i] for i in key_idx)
        opts = seats.get(kt)
        if not opts:
            continue
        pid_ = row[cols.index("pegawai_id")]
        st = row[cols.index("status")]
        have = jp_person.get(pid_, 0.0)
        free = [o for o in opts if o[1] > 0 and (pid_, o[0]) not in taken]
        if st == "PPPK":
            fits = [o for o in free if have + o[2] <= jpppk + 1e-9]
            if free and not fits:
                pppk_blocked += 1
            free = fits
        if not free:
            continue
        o = (
            max(free, key=lambda z: (z[2], -z[4]))
            if have < jmin and st != "PPPK"
            else min(free, key=lambda z: (z[2], z[4]))
        )
        o[1] -= 1
        line = o[5].pop(0) if o[5] else pd.NA  # the line the group plan gave this seat
        filled[o[4]] += 1
        taken.add((pid_, o[0]))
        jp_person[pid_] = have + o[2]
        out.append(
            {
                **{k: row[cols.index(k)] for k in keys},
                "pegawai_id": pid_,
                "program_id": o[0],
                "jp": o[2],
                "cost": o[3],
                "need_score": row[cols.index("need_score")],
                "priority": row[cols.index("priority")],
                "group_value": gval.get(kt, np.nan),
                "line_id": line,
            }
        )
    return out, jp_person, taken, filled, pppk_blocked


def _summary(
    alloc: pd.DataFrame,
    filled: np.ndarray,
    a: pd.DataFrame,
    pppk_blocked: int,
    rebalanced: int,
    reaching: int,
) -> pd.DataFrame:
    """``metric``, ``value`` of :attr:`PersonAssignment.summary` after the assignment."""
    planned = int(alloc["participants"].sum())
    per_seat = (
        (alloc["value"] / alloc["participants"]).to_numpy()
        if "value" in alloc
        else np.zeros(len(alloc))
    )
    v_planned = float((per_seat * alloc["participants"].to_numpy()).sum())
    v_filled = float((per_seat * filled).sum())
    summary = pd.DataFrame(
        {
            "metric": [
                "seats_planned",
                "seats_filled",
                "seats_unfilled",
                "value_planned",
                "value_filled",
                "value_lost",
                "value_lost_share",
                "person_need_value",
                "pppk_blocked",
                "seats_rebalanced",
                "pns_reaching_minimum",
            ],
            "value": [
                float(planned),
                float(filled.sum()),
                float(planned - filled.sum()),
                v_planned,
                v_filled,
                v_planned - v_filled,
                (v_planned - v_filled) / v_planned if v_planned > 0 else 0.0,
                float(np.nansum(a["need_score"].to_numpy(float))),
                float(pppk_blocked),
                float(rebalanced),
                float(reaching),
            ],
        }
    )
    summary["metric"] = summary["metric"].astype("str")
    return summary


def _rebalance(
    out: list[dict],
    d: pd.DataFrame,
    keys: list[str],
    seats: dict,
    jp_person: dict[str, float],
    taken: set[tuple[str, str]],
    peg: pd.DataFrame,
    jmin: float,
    owed_st: tuple[str, ...] = JP_OWED_STATUS,
) -> int:
    """Move seats within a group from PNS above the JP minimum to PNS below it (in place)."""
    status = dict(zip(peg["pegawai_id"], peg["status"], strict=True))
    cols = list(d.columns)
    ki = [cols.index(k) for k in keys]
    ip, ins, ipr = cols.index("pegawai_id"), cols.index("need_score"), cols.index("priority")
    members: dict[tuple, list[tuple]] = {}
    for row in d.itertuples(index=False, name=None):
        kt = tuple(row[i] for i in ki)
        if kt in seats and status.get(row[ip]) in owed_st:
            members.setdefault(kt, []).append((row[ip], row[ins], row[ipr]))
    in_group = {(r["pegawai_id"], tuple(r[k] for k in keys)) for r in out}

    def low_need_first(i: int) -> tuple:
        ns = out[i]["need_score"]
        return (-out[i]["priority"], -np.inf if pd.isna(ns) else ns, out[i]["pegawai_id"])

    moved = 0
    for i in sorted(range(len(out)), key=low_need_first):
        r = out[i]
        a_ = r["pegawai_id"]
        if status.get(a_) not in owed_st or jp_person[a_] - r["jp"] < jmin - 1e-9:
            continue
        kt = tuple(r[k] for k in keys)
        best, best_key = None, None
        for b, ns, pr in members.get(kt, []):
            have = jp_person.get(b, 0.0)
            if b == a_ or have >= jmin - 1e-9 or (b, kt) in in_group:
                continue
            if (b, r["program_id"]) in taken:
                continue
            key = (have + r["jp"] >= jmin - 1e-9, -pr, -np.inf if pd.isna(ns) else ns, b)
            if best_key is None or key > best_key:
                best, best_key = (b, ns, pr), key
        if best is None:
            continue
        b, ns, pr = best
        jp_person[a_] -= r["jp"]
        jp_person[b] = jp_person.get(b, 0.0) + r["jp"]
        taken.discard((a_, r["program_id"]))
        taken.add((b, r["program_id"]))
        in_group.discard((a_, kt))
        in_group.add((b, kt))
        r.update({"pegawai_id": b, "need_score": ns, "priority": pr})
        moved += 1
    return moved
