"""What the earlier rounds of the plan already hold, applied to the selection model of a refill
round (:mod:`workbook.plan.refill`, ``plan_groups(prior=…)``): per (group, programme) pair the
group members who do not yet hold the programme, per programme the seats already taken, per unit
the PPPK JP already planned and the JP already covered towards the 20-JP minimum."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.plan.solver import _Model

__all__: list[str] = []


@dataclass
class Prior:
    """The plan so far, as a refill round's model needs it.

    ``pair_limit``: group keys, ``program_id``, ``limit`` (members of the group who may still take
    the programme; pairs without a row: the whole group); ``seats_used``: programme id → seats;
    ``pppk_jp_used`` and ``jp_covered``: unit → JP; ``person_limit``: the person cell's keys (the
    group keys without ``jenis_kebutuhan`` and ``kode_kompetensi``), ``program_id``, ``limit``
    (distinct people of the cell with a need the programme answers): the seats of a programme
    over the groups of one cell never exceed it (one person takes a programme once), so the
    selection does not choose seats nobody can fill. Also used by the first round."""

    pair_limit: pd.DataFrame | None = None
    seats_used: dict[str, float] = field(default_factory=dict)
    pppk_jp_used: dict[str, float] = field(default_factory=dict)
    jp_covered: dict[str, float] = field(default_factory=dict)
    person_limit: pd.DataFrame | None = None
    #: PPPK person cells: the cell's keys, ``jp_left`` (Σ JP its people may still take under the
    #: cap) and ``n_half`` (people who may still take a seat of more than half the cap)
    pppk_cells: pd.DataFrame | None = None


def pppk_cells(lines: pd.DataFrame, keys: list[str], cap: float, jp_before: dict[str, float] | None = None
               ) -> pd.DataFrame:
    """Per PPPK person cell the JP its people may still take (``jp_left``) and how many may still
    take a seat of more than half the cap (``n_half``): the per-person PPPK cap summed over the
    cell, tighter than the unit's."""
    cell = [k for k in keys if k not in _NOT_PERSON]
    d = lines[lines["status"].astype(str) == "PPPK"] if "status" in lines else lines.iloc[:0]
    d = d[["pegawai_id"] + cell].astype(str).drop_duplicates("pegawai_id")
    left = np.maximum(cap - d["pegawai_id"].map(jp_before or {}).fillna(0.0).to_numpy(float), 0.0)
    d = d.assign(jp_left=left, n_half=(left > cap / 2 + 1e-9).astype(float))
    return d.groupby(cell)[["jp_left", "n_half"]].sum().reset_index()


#: group keys that are not the person's (a person is in one group per competency and need kind)
_NOT_PERSON = ("jenis_kebutuhan", "kode_kompetensi")


def _distinct(row: np.ndarray, val: np.ndarray, n_rows: int) -> np.ndarray:
    """Per row index the number of distinct values (non-negative integer codes)."""
    base = int(val.max()) + 1 if len(val) else 1
    return np.bincount(pd.unique(row * base + val) // base, minlength=n_rows)


def person_limits(lines: pd.DataFrame, cat: pd.DataFrame, keys: list[str],
                  held: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per person cell × programme the distinct people with a need line the programme answers
    (and who do not hold it, ``held``: ``pegawai_id``, ``program_id``); only where the programme
    answers two or more of the cell's groups (elsewhere the group size already bounds it).
    ``lines``: ``pegawai_id`` and the group keys of each need line; ``cat``: ``program_id``,
    ``kompetensi`` (lists)."""
    cell = [k for k in keys if k not in _NOT_PERSON]
    ex = cat[["program_id", "kompetensi"]].explode("kompetensi").dropna()
    ex = ex.rename(columns={"kompetensi": "kode_kompetensi"}).astype(str)
    d = lines.astype({k: str for k in keys}).merge(ex, on="kode_kompetensi", how="inner")
    if held is not None and len(held):
        h = held[["pegawai_id", "program_id"]].astype(str).drop_duplicates().assign(_h=True)
        d = d.merge(h, on=["pegawai_id", "program_id"], how="left")
        d = d[d["_h"].isna()].drop(columns="_h")
    kinds = [k for k in _NOT_PERSON if k in d.columns]
    # integer codes: distinct counts over (cell, programme) without string group-bys (seconds at 10.000 × 300)
    row = d.groupby(cell + ["program_id"], sort=True).ngroup().to_numpy(np.int64)
    first = pd.Series(np.arange(len(d))).groupby(row).first().to_numpy()
    g = d.groupby(kinds, sort=False).ngroup().to_numpy(np.int64) if kinds else np.zeros(len(d), np.int64)
    who = pd.factorize(d["pegawai_id"])[0].astype(np.int64)
    n_rows = int(row.max()) + 1 if len(row) else 0
    limit, n_groups = _distinct(row, who, n_rows), _distinct(row, g, n_rows)
    out = d.iloc[first][cell + ["program_id"]].reset_index(drop=True).assign(limit=limit, n_groups=n_groups)
    return out[out["n_groups"] >= 2][cell + ["program_id", "limit"]].reset_index(drop=True)


def apply_prior(m: _Model, g: pd.DataFrame, keys: list[str], cat: pd.DataFrame, units: list[str],
                prior: Prior | None) -> None:
    """Tighten the model ``m`` (in place) by what the earlier rounds hold."""
    if prior is None:
        return
    pid = cat["program_id"].astype(str).to_numpy(dtype=object)
    m.cap_used = np.array([float(prior.seats_used.get(p, 0.0)) for p in pid])
    m.pppk_cap = np.maximum(m.pppk_cap - np.array([prior.pppk_jp_used.get(u, 0.0) for u in units]), 0.0)
    m.owed = np.maximum(m.owed - np.array([prior.jp_covered.get(u, 0.0) for u in units]), 0.0)
    if not len(m.pg):
        return
    gk = g[keys].astype(str).reset_index(drop=True).assign(_g=np.arange(len(g)))
    pairs = pd.DataFrame({"_g": m.pg, "program_id": pid[m.pp], "_j": np.arange(len(m.pg))})
    pairs = pairs.merge(gk, on="_g", how="left")
    lim = prior.pair_limit
    if lim is not None and len(lim):
        lim = lim.astype({k: str for k in keys + ["program_id"]})
        hit = pairs.merge(lim[keys + ["program_id", "limit"]], on=keys + ["program_id"], how="inner")
        if len(hit):
            j = hit["_j"].to_numpy(np.int64)
            m.ub[j] = np.minimum(m.ub[j], np.maximum(hit["limit"].to_numpy(float), 0.0))
    cell = [k for k in keys if k not in _NOT_PERSON]
    parts = []  # (pair, row key, coefficient, bound)
    cells = prior.person_limit
    if cells is not None and len(cells):
        c = cells.astype({k: str for k in cell + ["program_id"]})
        hit = pairs.merge(c[cell + ["program_id", "limit"]], on=cell + ["program_id"], how="inner")
        parts.append((hit["_j"], hit.groupby(cell + ["program_id"], sort=False).ngroup(), 1.0, hit["limit"]))
    pc = prior.pppk_cells
    if pc is not None and len(pc):
        hit = pairs.merge(pc.astype({k: str for k in cell}), on=cell, how="inner")
        key = hit.groupby(cell, sort=False).ngroup() if len(hit) else pd.Series([], dtype=np.int64)
        parts.append((hit["_j"], key, m.jp[hit["_j"].to_numpy(np.int64)], hit["jp_left"]))
        half = hit[m.jp[hit["_j"].to_numpy(np.int64)] > m.pppk_cap_jp / 2 + 1e-9]
        parts.append((half["_j"], key[half.index], 1.0, half["n_half"]))
    parts = [p_ for p_ in parts if len(p_[0])]
    if not parts:
        return
    j = np.concatenate([np.asarray(p_[0], np.int64) for p_ in parts])
    offsets = np.cumsum([0] + [int(np.asarray(p_[1]).max()) + 1 for p_ in parts[:-1]])
    rkey = np.concatenate([np.asarray(p_[1], np.int64) + off for p_, off in zip(parts, offsets, strict=True)])
    coef = np.concatenate([np.broadcast_to(np.asarray(p_[2], float), (len(p_[0]),)) for p_ in parts])
    bound = np.concatenate([np.asarray(p_[3], float) for p_ in parts])
    rid, uniq = pd.factorize(rkey)
    hi = np.zeros(len(uniq))
    hi[rid] = bound  # the same bound on every pair of a row
    hi = np.maximum(hi, 0.0)
    # a row that cannot bind (Σ coef × ub over its pairs ≤ its bound) is left out: it removes no
    # solution and only slows HiGHS down (about half the rows at 10.000 × 300)
    reach = np.bincount(rid, weights=coef * m.ub[j], minlength=len(hi))
    binds = reach > hi + 1e-9
    keep = binds[rid]
    new_id = np.cumsum(binds) - 1
    m.union_pair, m.union_row, m.union_coef = j[keep], new_id[rid[keep]].astype(np.int64), coef[keep]
    m.union_hi = hi[binds]
