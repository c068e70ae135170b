"""Budget lines in the plan (``plan.funding = lines``): the pieces :func:`plan_groups`,
:func:`assign_people` and :func:`top_up_people` share so that every seat is paid by exactly one
line that may pay it (:mod:`workbook.plan.lines` holds the rule itself).

* :func:`line_table` — the lines of ``anggaran`` (or one unrestricted line for a single number);
* :func:`programme_kinds` — each programme's ``jenis_program`` (the catalogue column, or derived
  by :func:`workbook.plan.eligibility.programme_wajib` when blank);
* :func:`pair_lines` — for each (group, programme) pair the lines that may pay it, most specific
  first (the order of :func:`workbook.plan.lines.charge`): the sparsity pattern of the
  (pair, line) seat variables of the selection model;
* :func:`cash_cost` — ``biaya_kas`` per programme: what the agency pays (``komponen_biaya``
  without the components the organiser pays), else ``biaya_per_peserta``;
* :func:`line_budget_frame`, :func:`allocation_lines_frame` — the group plan's tables.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import workbook.plan.lines as L
from workbook.core.exceptions import DataError
from workbook.plan.common import _frame_of, _text, budget_number
from workbook.plan.eligibility import programme_wajib

__all__: list[str] = []

#: ``pembayar`` of a ``komponen_biaya`` row whose cost the agency does not pay
ORGANISER_PAYS = "penyelenggara"


def line_table(budget: Any, settings: Any) -> pd.DataFrame:
    """The budget lines (:data:`workbook.plan.lines.LINE_COLUMNS`); a single number is one line
    that may pay everything."""
    if isinstance(budget, pd.DataFrame):
        return L.budget_lines(budget, blud_own_unit_only=bool(settings.get("plan.blud_own_unit_only", True)))
    return L.budget_lines(pd.DataFrame({"sumber_dana": ["semua"], "pagu": [budget_number(budget)]}))


def programme_kinds(katalog: pd.DataFrame, settings: Any) -> np.ndarray:
    """``jenis_program`` of each catalogue row (catalogue order): the column where given, else
    derived from the mandatory code and the form."""
    return programme_wajib(katalog, settings)["programme_kind"].astype(str).to_numpy(dtype=object)


def line_order(lines: pd.DataFrame) -> np.ndarray:
    """Line indices, most specific first (unit-bound, then kind-restricted, then ``anggaran``
    order): the order in which :func:`workbook.plan.lines.charge` tries them."""
    spec = (lines["unit_bound"].astype(int) * 2 + lines["jenis_program"].map(bool).astype(int)).to_numpy()
    return np.lexsort((np.arange(len(lines)), -spec))


def pair_lines(lines: pd.DataFrame, units: np.ndarray, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pair index, line index) of every line that may pay each pair, per pair most specific
    first, and whether each pair has at least one line."""
    ok = L.may_pay(lines, units, kinds)
    order = line_order(lines)
    ok = ok[:, order]
    pj, col = np.nonzero(ok)  # row-major: per pair, in line order
    return pj.astype(np.int64), order[col].astype(np.int64), ok.any(axis=1)


def split_rank(lines: pd.DataFrame, source_of_entry: np.ndarray, line_of_entry: np.ndarray) -> np.ndarray:
    """Per (pair, line) entry of the money split, the order in which it is turned into whole
    seats (:attr:`workbook.plan.solver._Model.split_rank`): 2 × the line's rank in
    :func:`line_order` (most specific first) + 0 where the line's ``sumber_dana`` is the one the
    catalogue names for the pair's programme (the RSUD's clinical course, ``sumber_dana`` BLUD,
    on the RSUD's BLUD line), else 1."""
    rank = np.empty(len(lines), dtype=np.int64)
    rank[line_order(lines)] = np.arange(len(lines))
    own = (pd.Series(source_of_entry).astype(str).str.strip().str.upper().to_numpy()
           == lines["sumber_dana"].astype(str).str.strip().str.upper().to_numpy()[line_of_entry])
    return 2 * rank[line_of_entry] + (~own).astype(np.int64)


def cells(split_pair: np.ndarray, split_line: np.ndarray, unit_of_pair: np.ndarray, kind_of_pair: np.ndarray,
          n_pairs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells of the money split: paid pairs of one unit and programme kind share the lines that
    may pay them. Returns the cell of each pair (-1 when free) and (cell, line) of every money
    variable of the model."""
    cell = np.full(n_pairs, -1, dtype=np.int64)
    paid = np.unique(split_pair)
    if not len(paid):
        return cell, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = pd.Series([f"{u}\x1f{k}" for u, k in zip(unit_of_pair[paid], kind_of_pair[paid], strict=True)])
    codes, _ = pd.factorize(key)
    cell[paid] = codes
    zl = pd.DataFrame({"c": cell[split_pair], "b": split_line}).drop_duplicates().sort_values(["c", "b"])
    return cell, zl["c"].to_numpy(np.int64), zl["b"].to_numpy(np.int64)


def cash_cost(katalog: pd.DataFrame, komponen: pd.DataFrame | None, cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``biaya_kas`` per programme (catalogue order) and whether ``komponen_biaya`` gave it.

    With components for a programme, its cash cost is the sum of the components not paid by the
    organiser (``pembayar`` ≠ ``penyelenggara``); without them, ``biaya_per_peserta``.
    """
    cost = np.asarray(cost, float).copy()
    given = np.zeros(len(cost), dtype=bool)
    if komponen is None or not len(komponen) or not {"program_id", "biaya", "pembayar"} <= set(komponen.columns):
        return cost, given
    k = komponen.assign(_b=pd.to_numeric(komponen["biaya"], errors="coerce").fillna(0.0),
                        _p=komponen["pembayar"].astype(str).str.strip().str.lower(),
                        _id=komponen["program_id"].astype(str).str.strip())
    paid = k[k["_p"] != ORGANISER_PAYS].groupby("_id")["_b"].sum()
    ids = katalog["program_id"].astype(str).str.strip().to_numpy()
    have = set(k["_id"])
    for i, pid in enumerate(ids):
        if pid in have:
            cost[i] = float(paid.get(pid, 0.0))
            given[i] = True
    return cost, given


def line_budget_frame(lines: pd.DataFrame, reserved: np.ndarray, used: np.ndarray) -> pd.DataFrame:
    """Per line: ``line_id``, ``sumber_dana``, ``kode_unit`` (the DPA holder), ``dpa``, ``pagu``,
    ``reserved`` (kept for the mandatory block), ``used``, ``remaining`` = pagu − reserved − used,
    ``cakupan_unit`` and ``jenis_program`` (";"-lists: whom and which kinds the line may pay)."""
    out = pd.DataFrame({
        "sumber_dana": lines["sumber_dana"].astype("str").to_numpy(),
        "kode_unit": lines["dpa"].astype("str").to_numpy(),
        "pagu": lines["pagu"].to_numpy(float),
        "used": np.asarray(used, float),
    })
    out["remaining"] = out["pagu"] - np.asarray(reserved, float) - out["used"]
    out.insert(0, "line_id", lines["line_id"].astype("str").to_numpy())
    out.insert(3, "dpa", lines["dpa"].astype("str").to_numpy())
    out.insert(5, "reserved", np.asarray(reserved, float))
    out["cakupan_unit"] = [";".join(v) for v in lines["cakupan_unit"]]
    out["jenis_program"] = [";".join(v) for v in lines["jenis_program"]]
    for c in ("cakupan_unit", "jenis_program"):
        out[c] = out[c].astype("str")
    return out


def reserved_array(lines: pd.DataFrame, reserved: dict[str, float] | None) -> np.ndarray:
    """``reserved`` (line_id → Rupiah) as an array in line order; an unknown line is refused."""
    out = np.zeros(len(lines))
    ids = {v: i for i, v in enumerate(lines["line_id"])}
    for k, v in (reserved or {}).items():
        if k not in ids:
            raise DataError(
                f"Cadangan untuk mata anggaran yang tidak ada: {k!r}.",
                f"Reserve for a budget line that does not exist: {k!r}.",
                file="anggaran", value=k, expected=", ".join(ids),
            )
        out[ids[k]] = max(float(v), 0.0)
    return out


def allocation_lines_frame(g: pd.DataFrame, keys: list[str], cat: pd.DataFrame, m: Any, x: np.ndarray,
                           y: np.ndarray, lines: pd.DataFrame, first_line: np.ndarray) -> pd.DataFrame:
    """One row per (group, programme, line) with seats: the group keys, ``program_id``,
    ``line_id``, ``participants`` (seats that line pays), ``cost`` (their cash cost). A free
    programme's seats are on the most specific line that may pay them (cost 0)."""
    nz = np.flatnonzero(y > 0)
    free = np.flatnonzero((m.cost <= 0) & (x > 0) & (first_line >= 0))
    j = np.concatenate([m.split_pair[nz], free]).astype(np.int64)
    b = np.concatenate([m.split_line[nz], first_line[free]]).astype(np.int64)
    n = np.concatenate([y[nz], x[free]]).astype(np.int64)
    out = g.iloc[m.pg[j]][keys].reset_index(drop=True)
    out["program_id"] = pd.array(cat["program_id"].to_numpy(dtype=object)[m.pp[j]], dtype="str")
    out["line_id"] = pd.array(lines["line_id"].to_numpy(dtype=object)[b], dtype="str")
    out["participants"] = n
    out["cost"] = m.cost[j] * n
    return out


def lines_from_budget(budget: pd.DataFrame) -> pd.DataFrame:
    """The line table rebuilt from a group plan's ``budget`` frame (``funding="lines"``):
    ``cakupan_unit`` and ``jenis_program`` are stored there as ";"-lists."""
    out = budget[["line_id", "sumber_dana", "dpa", "pagu"]].copy()
    out["cakupan_unit"] = [L._items(v) for v in budget["cakupan_unit"]]
    out["jenis_program"] = [L._items(v) for v in budget["jenis_program"]]
    out["unit_bound"] = [bool(v) for v in out["cakupan_unit"]]
    return out.reset_index(drop=True)


def with_time_cost(criteria: pd.DataFrame, katalog: pd.DataFrame, settings: Any) -> pd.DataFrame:
    """``criteria`` with ``biaya_waktu`` (facilitator or mentor time per participant, Rupiah) and
    ``biaya_per_jp`` = (``biaya_per_peserta`` + ``biaya_waktu``) / JP: the katalog column
    ``biaya_waktu`` where given, else for a programme whose ``biaya_per_peserta`` is 0
    ``plan.biaya_waktu_per_jp`` × JP. Only the value-per-cost ranking reads it (never a money
    table), so a Rp0 programme (e-learning, internal mentoring) no longer wins by construction."""
    out = criteria.copy()
    per_jp = float(settings.get("plan.biaya_waktu_per_jp", 0.0) or 0.0)
    given = (pd.to_numeric(katalog.set_index(katalog["program_id"].astype(str))["biaya_waktu"], errors="coerce")
             if "biaya_waktu" in katalog else pd.Series(dtype=float))
    col = out["program_id"].astype(str).map(given).to_numpy(float) if len(given) else np.full(len(out), np.nan)
    jp = out["jp"].to_numpy(float)
    free = out["biaya_per_peserta"].to_numpy(float) <= 0
    waktu = np.where(np.isfinite(col) & (col > 0), col, np.where(free, per_jp * jp, 0.0))
    out["biaya_waktu"] = waktu
    with np.errstate(divide="ignore", invalid="ignore"):
        total = out["biaya_per_peserta"].to_numpy(float) + waktu
        out["biaya_per_jp"] = np.where(jp > 0, total / jp, total)
    return out


def charge_unlined(a0: pd.DataFrame, plan: Any, offer: Any,
                    pegawai: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """With budget lines: rows without a line (mandatory rows of the ``wajib`` block first, then
    the rest by cost, highest first) are charged with :func:`workbook.plan.lines.charge` after the
    rows that have one. A non-mandatory row no line can pay is taken out of the plan and counted
    (``seats_without_line``); a mandatory one stays with its blank line (not funded)."""
    if str(getattr(plan, "funding", "pool")) != "lines":
        return a0, 0
    todo = a0["line_id"].isna()
    if not todo.any():
        return a0, 0
    bud = _frame_of(plan, "budget")
    table = lines_from_budget(bud)
    reserved = bud["reserved"].to_numpy(float) if "reserved" in bud else np.zeros(len(bud))
    done = a0[~todo]
    used = table["line_id"].map(done.groupby("line_id")["biaya_kas"].sum()).fillna(0.0).to_numpy(float)
    unit_of = dict(zip(_text(pegawai["pegawai_id"]), _text(pegawai["kode_unit"]), strict=True))
    items = a0[todo].copy()
    items["_wajib"] = items["tahap"].astype("str").eq("wajib") if "tahap" in items else False
    items = items.sort_values(["_wajib", "biaya_kas"], ascending=[False, False], kind="mergesort")
    items["kode_unit"] = [unit_of.get(p_, "") for p_ in _text(items["pegawai_id"])]
    items["jenis_program"] = [offer.kind[offer.pindex[p_]] for p_ in _text(items["program_id"])]
    # mandatory rows may use the reserve; the others only what is left after it
    w = items["_wajib"].to_numpy(bool)
    got = L.charge(items[w].assign(biaya=items["biaya_kas"][w]), table, used=used)
    used = used + table["line_id"].map(got.groupby("line_id")["biaya"].sum()).fillna(0.0).to_numpy(float)
    rest = L.charge(items[~w].assign(biaya=items["biaya_kas"][~w]), table, used=used + reserved)
    charged = pd.concat([got, rest])
    out = a0.copy()
    out.loc[charged.index, "line_id"] = charged["line_id"]
    drop = charged.index[charged["line_id"].isna() & ~charged["_wajib"].to_numpy(bool)]
    return out.drop(index=drop).reset_index(drop=True), int(len(drop))


def lines_budget(plan: Any, a: pd.DataFrame, split: pd.Series | None = None) -> pd.DataFrame:
    """Per budget line, from the per-person assignments: ``line_id``, ``sumber_dana``,
    ``kode_unit`` (DPA holder), ``dpa``, ``pagu``, ``reserved``, ``used_group_plan`` (the group
    plan's figure), ``used_top_up``, ``used`` (Σ ``biaya_kas`` of the assignment rows charged to
    the line), ``remaining`` (pagu − used − the reserve not spent by mandatory rows), ``n_seats``,
    ``cakupan_unit``, ``jenis_program``. ``split`` (per line_id): what charging mandatory seats
    component by component moves between lines (``MandatoryBlock.split_correction``), added to
    ``used`` and to the mandatory spend."""
    gp = _frame_of(plan, "budget")
    out = gp[["line_id", "sumber_dana", "kode_unit", "dpa", "pagu", "reserved"]].copy()
    out.insert(6, "used_group_plan", gp["used"].to_numpy(float))
    tahap = a["tahap"].astype("str") if "tahap" in a else pd.Series("rencana", index=a.index)
    by = a.assign(_t=tahap).groupby("line_id")
    used = by["biaya_kas"].sum()
    top = a[tahap.isin(["tambahan", "umum"])].groupby("line_id")["biaya_kas"].sum()
    waj = a[tahap.eq("wajib")].groupby("line_id")["biaya_kas"].sum()
    out["used_top_up"] = out["line_id"].map(top).fillna(0.0).astype(float)
    moved = out["line_id"].map(split).fillna(0.0).to_numpy(float) if split is not None and len(split) else 0.0
    out["used"] = out["line_id"].map(used).fillna(0.0).astype(float) + moved
    spent = out["line_id"].map(waj).fillna(0.0).to_numpy(float) + moved
    unspent = np.maximum(out["reserved"].to_numpy(float) - spent, 0)
    out["remaining"] = out["pagu"] - out["used"] - unspent
    out["n_seats"] = out["line_id"].map(by.size()).fillna(0).astype("int64")
    out["cakupan_unit"] = gp["cakupan_unit"].astype("str").to_numpy()
    out["jenis_program"] = gp["jenis_program"].astype("str").to_numpy()
    return out.reset_index(drop=True)
