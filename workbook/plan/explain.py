"""The frames of :class:`~workbook.plan.groups.GroupPlan` that say what the group-level plan did
and why: the allocation, the budget per funding line, the need groups left without a programme,
the unit-level JP coverage and, per catalogue programme, why it was (not) selected. Reasons are
codes of :data:`~workbook.plan.common.REASONS` with their Indonesian and English words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.plan.common import JP_OWED_STATUS, _reason_cols
from workbook.plan.solver import _Model

__all__: list[str] = []


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
    for gi in np.flatnonzero(got < g["n_need"].to_numpy()):
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
        r, a, e = _reason_cols([code])
        rows.append(
            {
                **{k: g.at[gi, k] for k in keys},
                "n_need": int(g.at[gi, "n_need"]),
                "participants": int(got[gi]),
                "unmet": int(g.at[gi, "n_need"] - got[gi]),
                "reason": r,
                "alasan": a,
                "reason_en": e,
            }
        )
    cols = keys + ["n_need", "participants", "unmet", "reason", "alasan", "reason_en"]
    out = pd.DataFrame(rows, columns=cols)
    for c in keys + ["reason", "alasan", "reason_en"]:
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
        r, a, e = _reason_cols(codes)
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
                "reason": r,
                "alasan": a,
                "reason_en": e,
            }
        )
    out = pd.DataFrame(rows)
    out["basis"] = "agregat_unit"
    out["catatan"] = _UNIT_AGGREGATE_NOTE[0]
    out["note"] = _UNIT_AGGREGATE_NOTE[1]
    for c in ("kode_unit", "reason", "alasan", "reason_en", "basis", "catatan", "note"):
        out[c] = out[c].astype("str")
    out.attrs["note"] = _UNIT_AGGREGATE_NOTE[1]
    return out


_UNIT_AGGREGATE_NOTE = (
    "agregat unit: JP kursi rencana dijumlahkan per unit (tiap kursi dihitung paling banyak"
    " sebesar minimal JP); kekurangan 0 tidak berarti setiap PNS mencapai minimal JP — lihat"
    " cakupan JP per orang",
    "unit-level aggregate: JP of the planned seats summed per unit (each seat counts at most"
    " the JP minimum); a shortfall of 0 does not mean every PNS reaches the minimum — see the"
    " person-level JP coverage",
)


@dataclass(frozen=True)
class _Scene:
    """What the explanation of one programme looks at (arrays per programme, pair or group)."""

    m: _Model
    x: np.ndarray
    comp_g: np.ndarray
    unit_g: np.ndarray
    demand: set[str]
    jp: np.ndarray
    cost: np.ndarray
    cpj: np.ndarray
    pid: np.ndarray
    selected_by_comp: dict[str, list[int]]
    blocked_p: set[int]
    room: np.ndarray
    jpppk: float


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
    selected_by_comp: dict[str, list[int]] = {}
    for p in np.flatnonzero(tot_p > 0):
        for k in cat.at[p, "kompetensi"]:
            selected_by_comp.setdefault(k, []).append(p)
    sc = _Scene(
        m=m,
        x=x,
        comp_g=comp_g,
        unit_g=g["kode_unit"].to_numpy(dtype=object),
        demand=set(comp_g),
        jp=jp,
        cost=cost,
        cpj=cpj,
        pid=pid,
        selected_by_comp=selected_by_comp,
        blocked_p=set(pairs_blocked["p"].to_numpy(np.int64).tolist()),
        room=room,
        jpppk=jpppk,
    )
    rows = []
    for p in range(P):
        js = np.flatnonzero(m.pp == p)
        if tot_p[p] > 0:
            rows.append((pid[p], True, int(tot_p[p]), "selected", *_selected_text(js, sc)))
        else:
            rows.append((pid[p], False, 0, *_why_not_selected(p, cat.at[p, "kompetensi"], js, sc)))
    out = pd.DataFrame(
        rows, columns=["program_id", "selected", "participants", "reason", "alasan", "reason_en"]
    )
    out.insert(1, "nama_program", cat["nama_program"].to_numpy(dtype=object))
    for c in ("program_id", "nama_program", "reason", "alasan", "reason_en"):
        out[c] = out[c].astype("str")
    out["selected"] = out["selected"].astype(bool)
    return out


def _selected_text(js: np.ndarray, sc: _Scene) -> tuple[str, str]:
    """The gaps a selected programme closes (its three largest groups), Indonesian and English."""
    m, x = sc.m, sc.x
    nz = js[x[js] > 0]
    agg: dict[tuple[str, str], int] = {}
    for j in nz:
        key = (sc.comp_g[m.pg[j]], sc.unit_g[m.pg[j]])
        agg[key] = agg.get(key, 0) + int(x[j])
    top = sorted(agg.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    txt_id = ", ".join(f"{k} untuk {n} pegawai di {u}" for (k, u), n in top)
    txt_en = ", ".join(f"{k} for {n} employees in {u}" for (k, u), n in top)
    more = len(agg) - len(top)
    if more > 0:
        txt_id += f" (dan {more} kelompok lain)"
        txt_en += f" (and {more} other groups)"
    return f"terpilih: menutup kesenjangan {txt_id}", f"selected: closes the gap in {txt_en}"


def _why_not_selected(p: int, comps: list[str], js: np.ndarray, sc: _Scene) -> tuple[str, str, str]:
    """Reason code, Indonesian and English words for a programme without participants: the
    first rule that applies."""
    m, pid, jp, jpppk = sc.m, sc.pid, sc.jp, sc.jpppk
    needed = [k for k in comps if k in sc.demand]
    if not needed:
        return (
            "no_need",
            f"tidak terpilih: tidak ada kebutuhan untuk kompetensi {', '.join(comps) or '-'}",
            f"not selected: no need for competency {', '.join(comps) or '-'}",
        )
    if m.smax[p] == 0:
        return (
            "capacity",
            "tidak terpilih: tidak ada bulan penyelenggaraan",
            "not selected: no months offered",
        )
    if len(js) == 0 and p in sc.blocked_p:
        return (
            "pppk_cap",
            f"tidak terpilih: hanya dibutuhkan PPPK dan {jp[p]:g} JP melebihi batas "
            f"{jpppk:g} JP PPPK",
            f"not selected: only PPPK need it and {jp[p]:g} JP exceed the PPPK cap of {jpppk:g} JP",
        )
    alt = None
    for k in needed:
        for q in sc.selected_by_comp.get(k, []):
            if sc.cpj[q] < sc.cpj[p] and (alt is None or sc.cpj[q] < sc.cpj[alt[0]]):
                alt = (q, k)
    if alt is not None:
        q, k = alt
        return (
            "cost_per_jp",
            f"tidak terpilih: biaya per JP lebih tinggi daripada alternatif {pid[q]} "
            f"untuk kompetensi {k}",
            f"not selected: higher cost per JP than alternative {pid[q]} for competency {k}",
        )
    if len(js) and all(sc.cost[p] > sc.room[m.part_of_pair[j]] + 1e-9 for j in js):
        return (
            "budget",
            "tidak terpilih: sisa anggaran tidak cukup; nilai kebutuhan per Rupiah "
            "lebih rendah daripada program terpilih",
            "not selected: remaining budget too small; lower need value per Rupiah "
            "than the selected programmes",
        )
    return (
        "covered_by_other",
        "tidak terpilih: kebutuhan kompetensi "
        f"{', '.join(needed)} sudah dijawab program lain atau nilainya lebih rendah",
        f"not selected: the need for {', '.join(needed)} is met by other programmes "
        "or has lower value",
    )
