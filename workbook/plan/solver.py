"""The group-level model of :func:`workbook.plan.groups.plan_groups` and its numeric kernels:
the exact MILP (HiGHS), the repair of its rounded solution, the greedy baseline and the
objective. Arrays in, arrays out; the validating wrapper is ``plan_groups``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from workbook.core.exceptions import InfeasibleError
from workbook.plan._highs import quiet_c_output

__all__: list[str] = []


@dataclass
class _Model:
    """Arrays of the group-level model (one entry per candidate pair j = (g, p))."""

    pg: np.ndarray  # group index of pair
    pp: np.ndarray  # programme index of pair
    ub: np.ndarray  # upper bound of x_j
    w: np.ndarray  # need value per participant
    cost: np.ndarray  # Rupiah per participant
    jp: np.ndarray  # JP per participant
    cov: np.ndarray  # JP counted towards the 20-JP minimum (PNS pairs), else 0
    pppk: np.ndarray  # 1 if the pair's group is PPPK
    unit_of_pair: np.ndarray
    n_g: np.ndarray
    cap: np.ndarray  # per programme
    smax: np.ndarray  # per programme
    owed: np.ndarray  # per unit, JP owed
    pppk_cap: np.ndarray  # per unit, PPPK JP cap
    pppk_cap_jp: float  # JP cap of one PPPK
    part_of_pair: np.ndarray  # budget partition (funding line) of pair
    pagu: np.ndarray  # per partition
    shared: float  # shared pool for funding="unit" (blank kode_unit rows); 0 otherwise
    penalty: float
    # funding="lines": (pair, line) for every line that may pay a paid pair (may_pay is the
    # pattern; per pair most specific line first); the model splits the money of each cell
    # (unit × programme kind, whose pairs share the lines that may pay them) over its lines with
    # one continuous variable z per (cell, line): Σ_{j∈c} biaya_j x_j = Σ_b z_cb, Σ_c z_cb ≤ B_b
    split_pair: np.ndarray | None = None
    split_line: np.ndarray | None = None
    cell_of_pair: np.ndarray | None = None  # -1 for a free pair
    z_cell: np.ndarray | None = None
    z_line: np.ndarray | None = None
    # refill rounds (:mod:`workbook.plan.refill`): seats of each programme already taken by the
    # plan's earlier rounds (they count against its capacity × sessions); None = none
    cap_used: np.ndarray | None = None
    # one person takes a programme once: Σ x over the pairs of one (person cell, programme) row
    # ≤ the distinct people of the cell it may serve (:func:`workbook.plan._refill_model.person_limits`)
    union_pair: np.ndarray | None = None
    union_row: np.ndarray | None = None
    union_hi: np.ndarray | None = None
    union_coef: np.ndarray | None = None  # None: 1 (with PPPK cells: JP per seat on the JP rows)
    # per (pair, line) of split_pair, the order in which the money split is turned into whole
    # seats: 2 × the line's rank (most specific line first) + 0 where the line's sumber_dana is
    # the one the catalogue names for the programme (the RSUD's clinical course on its BLUD line)
    # or 1; None: the pairs' order
    split_rank: np.ndarray | None = None


def _lines_mode(m: _Model) -> bool:
    return m.split_pair is not None


def _solve_groups(m: _Model, time_limit: float, mip_rel_gap: float) -> tuple[np.ndarray, Any]:
    """Kernel: solve the group-level MILP; returns (x per pair, milp result). With budget lines
    (:attr:`_Model.split_pair`) the seats per (pair, line) are in ``res.y_split``."""
    J, P, U, B = len(m.pg), len(m.cap), len(m.owed), len(m.pagu)
    use_shared = m.shared > 0
    K = len(m.z_cell) if _lines_mode(m) else 0
    nv = J + P + U + (B if use_shared else 0) + K
    c = np.zeros(nv)
    c[:J] = -m.w
    c[J + P : J + P + U] = m.penalty
    lb = np.zeros(nv)
    ub = np.concatenate([m.ub, m.smax, m.owed, np.full(B, m.shared) if use_shared else [],
                         np.full(K, np.inf)])
    integrality = np.concatenate([np.ones(J + P), np.zeros(U + (B if use_shared else 0) + K)])
    rows, lo, hi = [], [], []
    jj = np.arange(J)
    # capacity: sum_g x_gp - cap_p s_p <= 0
    A = sparse.coo_matrix((np.ones(J), (m.pp, jj)), shape=(P, nv)).tocsr()
    A = (
        A
        - sparse.coo_matrix(
            (m.cap.astype(float), (np.arange(P), J + np.arange(P))), shape=(P, nv)
        ).tocsr()
    )
    cap_used = np.zeros(P) if m.cap_used is None else m.cap_used.astype(float)
    rows.append(A), lo.append(np.full(P, -np.inf)), hi.append(-cap_used)
    # group size: sum_p x_gp <= n_g
    G = len(m.n_g)
    rows.append(sparse.coo_matrix((np.ones(J), (m.pg, jj)), shape=(G, nv)).tocsr())
    lo.append(np.full(G, -np.inf)), hi.append(m.n_g.astype(float))
    if m.union_pair is not None and len(m.union_pair):
        R = len(m.union_hi)
        coef = np.ones(len(m.union_pair)) if m.union_coef is None else m.union_coef
        rows.append(sparse.coo_matrix((coef, (m.union_row, m.union_pair)), shape=(R, nv)).tocsr())
        lo.append(np.full(R, -np.inf)), hi.append(m.union_hi.astype(float))
    # budget per partition (funding line); with a shared pool, z_b draws from it
    # (rows scaled by the largest unit cost for the solver's numerics; _repair then enforces
    # the unscaled Rupiah constraints exactly)
    sc = float(m.cost.max()) if len(m.cost) and m.cost.max() > 0 else 1.0
    if K:  # every line its own row over the z that may draw on it; per cell Σ biaya x − Σ z = 0
        z0 = nv - K
        kk = np.arange(K)
        A = sparse.coo_matrix((np.ones(K), (m.z_line, z0 + kk)), shape=(B, nv)).tocsr()
        C = int(m.z_cell.max()) + 1
        paid = np.flatnonzero(m.cell_of_pair >= 0)
        link = sparse.coo_matrix(
            (np.concatenate([m.cost[paid] / sc, -np.ones(K)]),
             (np.concatenate([m.cell_of_pair[paid], m.z_cell]), np.concatenate([paid, z0 + kk]))),
            shape=(C, nv)).tocsr()
        rows.append(link), lo.append(np.zeros(C)), hi.append(np.zeros(C))
    else:
        A = sparse.coo_matrix((m.cost / sc, (m.part_of_pair, jj)), shape=(B, nv)).tocsr()
    if use_shared:
        ub[J + P + U :] = m.shared / sc
        A = (
            A
            - sparse.coo_matrix(
                (np.ones(B), (np.arange(B), J + P + U + np.arange(B))), shape=(B, nv)
            ).tocsr()
        )
        rows.append(
            sparse.coo_matrix(
                (np.ones(B), (np.zeros(B, int), J + P + U + np.arange(B))), shape=(1, nv)
            ).tocsr()
        )
        lo.append(np.array([-np.inf])), hi.append(np.array([m.shared / sc]))
    rows.append(A), lo.append(np.full(B, -np.inf)), hi.append(m.pagu.astype(float) / sc)
    # JP coverage per unit: sum cov x + shortfall_u >= owed_u
    A = sparse.coo_matrix((m.cov, (m.unit_of_pair, jj)), shape=(U, nv)).tocsr()
    A = (
        A
        + sparse.coo_matrix(
            (np.ones(U), (np.arange(U), J + P + np.arange(U))), shape=(U, nv)
        ).tocsr()
    )
    rows.append(A), lo.append(m.owed.astype(float)), hi.append(np.full(U, np.inf))
    # PPPK JP cap per unit
    A = sparse.coo_matrix((m.jp * m.pppk, (m.unit_of_pair, jj)), shape=(U, nv)).tocsr()
    rows.append(A), lo.append(np.full(U, -np.inf)), hi.append(m.pppk_cap.astype(float))
    # valid cuts: a PPPK holds at most k seats of more than cap/(k+1) JP each
    heads = m.pppk_cap / m.pppk_cap_jp if m.pppk_cap_jp > 0 else np.zeros(U)
    for k in (1, 2, 3):
        sel = m.pppk * (m.jp > m.pppk_cap_jp / (k + 1) + 1e-9)
        if sel.any():
            rows.append(sparse.coo_matrix((sel, (m.unit_of_pair, jj)), shape=(U, nv)).tocsr())
            lo.append(np.full(U, -np.inf)), hi.append(k * heads)
    cons = LinearConstraint(sparse.vstack(rows).tocsr(), np.concatenate(lo), np.concatenate(hi))
    with quiet_c_output():  # HiGHS prints debug lines to the C-level stdout despite disp=False
        res = milp(
            c,
            constraints=cons,
            integrality=integrality,
            bounds=Bounds(lb, ub),
            options={
                "time_limit": float(time_limit),
                "mip_rel_gap": float(mip_rel_gap),
                "disp": False,
                "presolve": True,
            },
        )
    if res.x is None:
        raise InfeasibleError(
            f"Perencanaan tingkat kelompok tidak menemukan solusi (status HiGHS {res.status}: "
            f"{res.message}). Perpanjang batas waktu atau periksa data.",
            f"The group-level plan found no solution (HiGHS status {res.status}: {res.message}). "
            "Increase the time limit or check the data.",
        )
    x = np.round(res.x[:J]).astype(np.int64)
    if K:
        x0 = int(x.sum())
        x, y = _repair_lines(x, _integral_split(x, res.x[nv - K:] * sc, m), m)
        res.seats_rounding = x0 - int(x.sum())  # seats lost turning the money split into whole seats
        res.y_split = y
        return x, res
    return _repair(x, m), res


def _integral_split(x: np.ndarray, z: np.ndarray, m: _Model) -> np.ndarray:
    """Whole seats per (pair, line) from the solver's money split z (Rupiah per cell and line):
    line by line (most specific first; on each line the programmes whose catalogue source is
    the line's before the others, :attr:`_Model.split_rank`), each pair's seats go to the line
    while the cell's share of the line (z) holds a whole seat, then to any of its lines that still has room; seats no line
    can take stay unassigned (``_repair_lines`` removes them from x: at most about one seat per
    cell and line, the rounding of the money split)."""
    quota = {(int(c), int(b)): float(v) for c, b, v in zip(m.z_cell, m.z_line, z, strict=True)}
    room = m.pagu.astype(float).copy()
    yi = np.zeros(len(m.split_pair), dtype=np.int64)
    rem = np.where(m.cost > 0, x, 0).astype(np.int64)
    ks = np.flatnonzero(rem[m.split_pair] > 0)
    if m.split_rank is not None:  # per line, the programme's own source first (value-neutral inside a cell)
        ks = ks[np.argsort(m.split_rank[ks], kind="stable")]
    for use_quota in (True, False):
        for k in ks:
            j, b = int(m.split_pair[k]), int(m.split_line[k])
            c, cj = int(m.cell_of_pair[j]), float(m.cost[j])
            if rem[j] <= 0:
                continue
            cap = room[b] if not use_quota else min(room[b], quota.get((c, b), 0.0))
            n = int(min(rem[j], np.floor((cap + 1e-6) / cj)))
            if n > 0:
                yi[k] += n
                rem[j] -= n
                room[b] -= n * cj
                if use_quota:
                    quota[(c, b)] -= n * cj
    return yi


def _repair_lines(x: np.ndarray, y: np.ndarray, m: _Model) -> tuple[np.ndarray, np.ndarray]:
    """The rounded (pair, line) seats made to satisfy every hard constraint exactly: group
    sizes, every line's room, the PPPK cap (seats removed worst value per Rupiah first)."""
    x = np.clip(x, 0, m.ub.astype(np.int64))
    y = np.clip(y, 0, m.ub[m.split_pair].astype(np.int64))
    paid = m.cost > 0
    x = np.where(paid, np.bincount(m.split_pair, weights=y, minlength=len(x)).astype(np.int64), x)
    ratio = np.where(m.cost > 0, m.w / np.maximum(m.cost, 1e-12), np.inf)
    korder = np.argsort(ratio[m.split_pair], kind="stable")
    by_pair: dict[int, list[int]] = {}
    for k in korder:
        by_pair.setdefault(int(m.split_pair[k]), []).append(int(k))

    def drop(j: int, n: int) -> None:
        x[j] -= n
        for k in by_pair.get(j, []):
            d = min(n, int(y[k]))
            y[k] -= d
            n -= d

    order = np.argsort(ratio, kind="stable")
    tot_g = np.bincount(m.pg, weights=x, minlength=len(m.n_g))
    for j in order:
        over = tot_g[m.pg[j]] - m.n_g[m.pg[j]]
        if over > 0 and x[j] > 0:
            d = int(min(x[j], over))
            drop(int(j), d)
            tot_g[m.pg[j]] -= d
    used = np.bincount(m.split_line, weights=m.cost[m.split_pair] * y, minlength=len(m.pagu))
    for k in korder:
        b, j = m.split_line[k], m.split_pair[k]
        while used[b] > m.pagu[b] + 1e-6 and y[k] > 0:
            y[k] -= 1
            x[j] -= 1
            used[b] -= m.cost[j]
    pu = np.bincount(m.unit_of_pair, weights=m.jp * m.pppk * x, minlength=len(m.owed))
    for j in order:
        u = m.unit_of_pair[j]
        while m.pppk[j] and pu[u] > m.pppk_cap[u] + 1e-9 and x[j] > 0:
            drop(int(j), 1)
            pu[u] -= m.jp[j]
    return x, y


def _repair(x: np.ndarray, m: _Model) -> np.ndarray:
    """Make the rounded integer solution satisfy every hard constraint exactly."""
    x = np.clip(x, 0, m.ub.astype(np.int64))
    order = np.argsort(np.where(m.cost > 0, m.w / np.maximum(m.cost, 1e-12), np.inf))
    for _ in range(3):
        tot_g = np.bincount(m.pg, weights=x, minlength=len(m.n_g))
        for j in order:
            if tot_g[m.pg[j]] > m.n_g[m.pg[j]] and x[j] > 0:
                d = min(x[j], int(tot_g[m.pg[j]] - m.n_g[m.pg[j]]))
                x[j] -= d
                tot_g[m.pg[j]] -= d
        used = np.bincount(m.part_of_pair, weights=m.cost * x, minlength=len(m.pagu))
        room = m.pagu.astype(float) - used
        over_total = max(0.0, -(np.minimum(room, 0).sum() + m.shared))
        if m.shared <= 0:
            over = np.maximum(-room, 0.0)
        else:
            over = np.zeros_like(room)
            if over_total > 0:
                over = np.maximum(-room, 0.0) * over_total / max(np.maximum(-room, 0).sum(), 1e-12)
        for j in order:
            b = m.part_of_pair[j]
            while over[b] > 1e-9 and x[j] > 0 and m.cost[j] > 0:
                x[j] -= 1
                over[b] -= m.cost[j]
        pu = np.bincount(m.unit_of_pair, weights=m.jp * m.pppk * x, minlength=len(m.owed))
        for j in order:
            u = m.unit_of_pair[j]
            while m.pppk[j] and pu[u] > m.pppk_cap[u] + 1e-9 and x[j] > 0:
                x[j] -= 1
                pu[u] -= m.jp[j]
    return x


def _greedy_groups(m: _Model) -> np.ndarray:
    """Kernel: greedy by need value per Rupiah (zero cost first), then by value.

    Takes for each pair, in that order, as many participants as the group's remaining
    people, the programme's remaining seats (capacity × max sessions), the funding line's
    remaining budget and the unit's remaining PPPK JP allow. Ignores the JP coverage term.
    """
    J = len(m.pg)
    ratio = np.where(m.cost > 0, m.w / np.maximum(m.cost, 1e-300), np.inf)
    order = np.lexsort((-m.jp, -m.w, -ratio))
    rem_g = m.n_g.astype(np.int64).copy()
    rem_p = (m.cap * m.smax).astype(np.int64) - (0 if m.cap_used is None else m.cap_used.astype(np.int64))
    rem_b = m.pagu.astype(float).copy()
    shared = np.array([float(m.shared)])  # pooled modes: the money no line holds
    rem_pppk = m.pppk_cap.astype(float).copy()
    x = np.zeros(J, dtype=np.int64)
    lines_of: dict[int, list[int]] = {}
    if _lines_mode(m):  # the lines that may pay each pair, most specific first (their order)
        for j_, b_ in zip(m.split_pair.tolist(), m.split_line.tolist(), strict=True):
            lines_of.setdefault(j_, []).append(b_)
    else:  # the pair's own line, then the shared pool
        lines_of = {int(j_): [int(b_)] for j_, b_ in enumerate(m.part_of_pair)}

    def affordable(j: int) -> int:
        fits = sum(int((rem_b[b_] + 1e-9) // m.cost[j]) for b_ in lines_of.get(j, []))
        return fits if _lines_mode(m) else int((rem_b[lines_of[j][0]] + shared[0] + 1e-9) // m.cost[j])

    def pay(j: int, n: int) -> None:
        left = n * m.cost[j]
        for b_ in lines_of.get(j, []):
            from_line = min(left, max(rem_b[b_], 0.0)) if not _lines_mode(m) else \
                min(left, ((rem_b[b_] + 1e-9) // m.cost[j]) * m.cost[j])
            rem_b[b_] -= from_line
            left -= from_line
        shared[0] -= left  # pooled modes: the rest from the shared pool (0 with lines)

    for j in (int(j_) for j_ in order):
        if m.w[j] <= 0:
            continue
        g, p, u = m.pg[j], m.pp[j], m.unit_of_pair[j]
        take = min(rem_g[g], rem_p[p], int(m.ub[j]))
        if m.cost[j] > 0:
            take = min(take, affordable(j))
        if m.pppk[j] and m.jp[j] > 0:
            take = min(take, int((rem_pppk[u] + 1e-9) // m.jp[j]))
        if take <= 0:
            continue
        x[j] = take
        rem_g[g] -= take
        rem_p[p] -= take
        if m.cost[j] > 0:
            pay(j, take)
        if m.pppk[j]:
            rem_pppk[u] -= m.jp[j] * take
    return x


def _objective(m: _Model, x: np.ndarray) -> tuple[float, float, np.ndarray]:
    value = float(m.w @ x)
    sup = np.bincount(m.unit_of_pair, weights=m.cov * x, minlength=len(m.owed))
    short = np.maximum(m.owed - sup, 0.0)
    return value - m.penalty * float(short.sum()), value, short
