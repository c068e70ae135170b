"""The frames of :class:`~workbook.plan.groups.GroupPlan` that say what the group-level plan did
and why: the allocation, the budget per funding line, the need groups left without a programme,
the unit-level JP coverage and, per catalogue programme, why it was (not) selected. Reasons are
codes (:data:`~workbook.plan.common.REASON_CODES`, :data:`EXPLANATION_CODES`) with the numbers a
sentence needs; the words are in :mod:`workbook.plan.words`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.plan.common import JP_OWED_STATUS, _reason_code
from workbook.plan.solver import _Model

__all__ = ["EXPLANATION_CODES", "COVERAGE_BASIS_CODES"]

#: Why a programme is (not) in the plan: the codes of ``reason`` in ``explanations`` (the first
#: rule that applies, :func:`_why_not_selected`; words in :mod:`workbook.plan.words`).
EXPLANATION_CODES: tuple[str, ...] = (
    "selected",
    "no_need",
    "capacity",
    "pppk_cap",
    "cost_per_jp",
    "budget",
    "covered_by_other",
    # the final plan (refill rounds, :func:`workbook.plan.refill.final_reasons`)
    "refill",
    "budget_at_selection",
    "budget_left",
)
#: What the JP figures of the group-level coverage are: ``basis`` of :attr:`GroupPlan.coverage`.
COVERAGE_BASIS_CODES: tuple[str, ...] = ("agregat_unit",)


def _allocation_frame(
    g: pd.DataFrame, keys: list[str], cat: pd.DataFrame, m: _Model, x: np.ndarray
) -> pd.DataFrame:
    nz = np.flatnonzero(x > 0)
    tot_p = np.bincount(m.pp, weights=x, minlength=len(cat))
    sessions = np.ceil(tot_p / m.cap).astype(np.int64)
    out = g.iloc[m.pg[nz]][keys].reset_index(drop=True)
    p = m.pp[nz]
    out["program_id"] = pd.array(cat["program_id"].to_numpy(dtype=object)[p], dtype="str")
    out["participants"] = x[nz].astype(np.int64)
    out["sessions"] = sessions[p]
    out["cost"] = m.cost[nz] * x[nz]
    out["jp"] = m.jp[nz]
    out["jp_total"] = m.jp[nz] * x[nz]
    out["value"] = m.w[nz] * x[nz]
    return out


def _budget_frame(
    lines: list[tuple[str, str]], pagu: np.ndarray, used: np.ndarray, shared: float
) -> pd.DataFrame:
    rows = [
        {"sumber_dana": s_, "kode_unit": u, "pagu": float(pg_), "used": float(us)}
        for (s_, u), pg_, us in zip(lines, pagu, used, strict=True)
    ]
    if shared > 0:
        draw = float(np.maximum(used - pagu, 0).sum())
        for r in rows:
            r["used"] = min(r["used"], r["pagu"])
        rows.append({"sumber_dana": "semua", "kode_unit": "", "pagu": shared, "used": draw})
    out = pd.DataFrame(rows)
    out["remaining"] = out["pagu"] - out["used"]
    for c in ("sumber_dana", "kode_unit"):
        out[c] = out[c].astype("str")
    return out


def _unmet_frame(
    g: pd.DataFrame,
    keys: list[str],
    m: _Model,
    x: np.ndarray,
    full_p: np.ndarray,
    room: np.ndarray,
    pairs_blocked: pd.DataFrame,
) -> pd.DataFrame:
    G = len(g)
    got = np.bincount(m.pg, weights=x, minlength=G).astype(np.int64)
    has_cand = np.bincount(m.pg, minlength=G) > 0
    pppk_used = np.bincount(m.unit_of_pair, weights=m.jp * m.pppk * x, minlength=len(m.owed))
    blocked_g = np.zeros(G, dtype=bool)
    blocked_g[pairs_blocked["g"].to_numpy(np.int64)] = True
    rows = []
    # plain arrays: a per-row ``g.at`` on Arrow-backed columns cost ~1 ms a cell (agency B: 2.4 s a plan)
    key_values = {k: g[k].to_numpy(dtype=object) for k in keys}
    n_need = g["n_need"].to_numpy()
    for gi in np.flatnonzero(got < n_need):
        js = np.flatnonzero(m.pg == gi)
        if not has_cand[gi]:
            code = "pppk_cap" if blocked_g[gi] else "no_programme"
        elif all(full_p[m.pp[j]] for j in js):
            code = "capacity"
        elif all(m.cost[j] > room[m.part_of_pair[j]] + 1e-9 for j in js if not full_p[m.pp[j]]):
            code = "budget"
        elif m.pppk[js[0]] and all(
            pppk_used[m.unit_of_pair[j]] + m.jp[j] > m.pppk_cap[m.unit_of_pair[j]] + 1e-9
            for j in js
            if not full_p[m.pp[j]]
        ):
            code = "pppk_cap"
        else:
            code = "lower_priority"
        rows.append(
            {
                **{k: key_values[k][gi] for k in keys},
                "n_need": int(n_need[gi]),
                "participants": int(got[gi]),
                "unmet": int(n_need[gi] - got[gi]),
                "reason": _reason_code([code]),
            }
        )
    cols = keys + ["n_need", "participants", "unmet", "reason"]
    out = pd.DataFrame(rows, columns=cols)
    for c in keys + ["reason"]:
        out[c] = out[c].astype("str")
    return out


def _coverage_frame(
    units: list[str],
    pns_u: np.ndarray,
    pppk_u: np.ndarray,
    m: _Model,
    x: np.ndarray,
    short: np.ndarray,
    jmin: float,
    jpppk: float,
    unmet: pd.DataFrame,
    g: pd.DataFrame,
    owed_st: tuple[str, ...] = JP_OWED_STATUS,
) -> pd.DataFrame:
    U = len(units)
    uidx = {u: i for i, u in enumerate(units)}
    owed_g = g["status"].isin(list(owed_st)).to_numpy()
    need_lines = np.bincount(
        [uidx[u] for u in g.loc[owed_g, "kode_unit"]],
        weights=g.loc[owed_g, "n_need"].to_numpy(float),
        minlength=U,
    )
    sup = np.bincount(m.unit_of_pair, weights=m.cov * x, minlength=U)
    jp_pppk = np.bincount(m.unit_of_pair, weights=m.jp * m.pppk * x, minlength=U)
    # PNS need capacity: people × best JP available per PNS group
    rows = []
    for u in range(U):
        codes: list[str] = []
        if short[u] > 1e-9:
            sub = unmet[(unmet["kode_unit"] == units[u]) & unmet["status"].isin(list(owed_st))]
            if need_lines[u] < pns_u[u]:
                codes.append("no_need")  # fewer PNS need lines than PNS: some have no need
            reach = np.bincount(m.unit_of_pair, weights=m.cov * m.ub, minlength=U)[u]
            if need_lines[u] > 0 and reach + 1e-9 < jmin * min(need_lines[u], pns_u[u]):
                codes.append("no_programme")
            for c in ("no_programme", "budget", "capacity", "pppk_cap", "lower_priority"):
                if len(sub) and (sub["reason"] == c).any() and c not in codes:
                    codes.append(c)
            if not codes:
                codes.append("lower_priority")
        rows.append(
            {
                "kode_unit": units[u],
                "pns": int(pns_u[u]),
                "jp_owed": float(m.owed[u]),
                "jp_planned": float(sup[u]),
                "shortfall": float(short[u]),
                "pppk": int(pppk_u[u]),
                "jp_pppk": float(jp_pppk[u]),
                "jp_pppk_cap": float(jpppk * pppk_u[u]),
                "reason": _reason_code(codes),
            }
        )
    out = pd.DataFrame(rows)
    out["basis"] = COVERAGE_BASIS_CODES[0]
    for c in ("kode_unit", "reason", "basis"):
        out[c] = out[c].astype("str")
    return out


@dataclass(frozen=True)
class _Scene:
    """What the explanation of one programme looks at (arrays per programme, pair or group)."""

    m: _Model
    x: np.ndarray
    comp_g: np.ndarray
    unit_g: np.ndarray
    demand: set[str]
    cost: np.ndarray
    cpj: np.ndarray
    pid: np.ndarray
    served_by_group: dict[int, list[int]]
    blocked_p: set[int]
    room: np.ndarray


def _explanations(
    g: pd.DataFrame,
    cat: pd.DataFrame,
    m: _Model,
    x: np.ndarray,
    full_p: np.ndarray,
    room: np.ndarray,
    pairs_blocked: pd.DataFrame,
    jpppk: float,
) -> pd.DataFrame:
    P = len(cat)
    tot_p = np.bincount(m.pp, weights=x, minlength=P).astype(np.int64)
    comp_g = g["kode_kompetensi"].to_numpy(dtype=object)
    jp = cat["jp"].to_numpy(float)
    cost = cat["biaya_per_peserta"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cpj = np.where(jp > 0, cost / jp, np.inf)
    pid = cat["program_id"].to_numpy(dtype=object)
    # per need group: the programmes the selection seats there (an alternative must serve the
    # very group the programme could have served, so both answer the group's competency)
    served_by_group: dict[int, list[int]] = {}
    for j in np.flatnonzero(x > 0):
        served_by_group.setdefault(int(m.pg[j]), []).append(int(m.pp[j]))
    sc = _Scene(
        m=m,
        x=x,
        comp_g=comp_g,
        unit_g=g["kode_unit"].to_numpy(dtype=object),
        demand=set(comp_g),
        cost=cost,
        cpj=cpj,
        pid=pid,
        served_by_group=served_by_group,
        blocked_p=set(pairs_blocked["p"].to_numpy(np.int64).tolist()),
        room=room,
    )
    rows = []
    for p in range(P):
        js = np.flatnonzero(m.pp == p)
        if tot_p[p] > 0:
            code, params = "selected", _selected_params(js, sc)
        else:
            code, params = _why_not_selected(p, cat.at[p, "kompetensi"], js, sc)
        rows.append(
            {
                "program_id": pid[p],
                "selected": bool(tot_p[p] > 0),
                "participants": int(tot_p[p]),
                "reason": code,
                **{k: list(v) if isinstance(v, list) else v for k, v in _NO_PARAMS.items()},
                **params,
            }
        )
    out = pd.DataFrame(rows, columns=["program_id", "selected", "participants", "reason",
                                      *_NO_PARAMS])
    out.insert(1, "nama_program", cat["nama_program"].to_numpy(dtype=object))
    for c in ("program_id", "nama_program", "reason", "alt_program_id"):
        out[c] = out[c].astype("str")
    out["selected"] = out["selected"].astype(bool)
    out["participants"] = out["participants"].astype(np.int64)
    out["other_groups"] = out["other_groups"].astype(np.int64)
    out["jp"] = jp
    out["jp_pppk_cap"] = float(jpppk)
    return out


#: The parameter columns of ``explanations`` and their value when a reason does not use them:
#: ``kompetensi`` (competency codes the reason names), ``group_kompetensi`` / ``group_unit`` /
#: ``group_participants`` (the three largest groups a selected programme serves, aligned),
#: ``other_groups`` (further groups served), ``alt_program_id`` (the cheaper alternative).
#: ``jp`` (of the programme) and ``jp_pppk_cap`` (the PPPK cap) are filled on every row.
_NO_PARAMS: dict = {
    "kompetensi": [],
    "group_kompetensi": [],
    "group_unit": [],
    "group_participants": [],
    "other_groups": 0,
    "alt_program_id": "",
    "jp": np.nan,
    "jp_pppk_cap": np.nan,
}


def _selected_params(js: np.ndarray, sc: _Scene) -> dict:
    """The gaps a selected programme closes: its three largest groups (competency, unit,
    participants) and how many other groups it serves."""
    m, x = sc.m, sc.x
    nz = js[x[js] > 0]
    agg: dict[tuple[str, str], int] = {}
    for j in nz:
        key = (sc.comp_g[m.pg[j]], sc.unit_g[m.pg[j]])
        agg[key] = agg.get(key, 0) + int(x[j])
    top = sorted(agg.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return {
        "group_kompetensi": [str(k) for (k, _u), _n in top],
        "group_unit": [str(u) for (_k, u), _n in top],
        "group_participants": [int(n) for _key, n in top],
        "other_groups": max(len(agg) - len(top), 0),
    }


def _why_not_selected(p: int, comps: list[str], js: np.ndarray, sc: _Scene) -> tuple[str, dict]:
    """Reason code of :data:`EXPLANATION_CODES` and its parameters for a programme without
    participants: the first rule that applies."""
    m, pid = sc.m, sc.pid
    needed = [k for k in comps if k in sc.demand]
    if not needed:
        return "no_need", {"kompetensi": [str(k) for k in comps]}
    if m.smax[p] == 0:
        return "capacity", {}
    if len(js) == 0 and p in sc.blocked_p:
        return "pppk_cap", {}
    # the cheaper alternative: a selected programme seated in a need group this programme could
    # serve (same competency, same unit and people), named with that group's competency; a
    # programme merely answering the competency elsewhere (another unit, other people) is no
    # alternative for these people
    alt = None
    for j in js:
        gi = int(m.pg[j])
        for q in sc.served_by_group.get(gi, []):
            if q != p and sc.cpj[q] < sc.cpj[p] and (alt is None or sc.cpj[q] < sc.cpj[alt[0]]):
                alt = (q, sc.comp_g[gi])
    if alt is not None:
        q, k = alt
        return "cost_per_jp", {"kompetensi": [str(k)], "alt_program_id": str(pid[q])}
    if len(js) and all(sc.cost[p] > sc.room[m.part_of_pair[j]] + 1e-9 for j in js):
        return "budget", {}
    return "covered_by_other", {"kompetensi": [str(k) for k in needed]}
