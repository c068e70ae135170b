"""Budget lines as the agency holds them: one line per row of ``anggaran``, who it may pay for
and which kind of programme, and the charging of costs to exactly one line.

A line (``anggaran`` row) is ``sumber_dana`` × ``dpa`` (the unit holding the DPA) with optional
``sub_kegiatan`` and ``kode_rekening``. It may pay only for

* the staff of the units in ``cakupan_unit`` (blank = every unit). Without that column, a row with a
  ``kode_unit`` is bound to that unit (the layout before ``cakupan_unit`` existed: ``BLUD,RSUD,…``),
  and a BLUD line with only a ``dpa`` is bound to the DPA's unit: BLUD money belongs to the RSUD's
  RBA and pays for its own staff only (DOMAIN-PLAN §3.5: structural, "belum dikonfirmasi" as a
  written prohibition; setting ``plan.blud_own_unit_only``);
* the programme kinds in ``jenis_program`` (blank = every kind), e.g. a BKPSDM line for
  ``wajib;kepemimpinan`` and an OPD's own "Pendidikan dan Pelatihan Pegawai Berdasarkan Tugas dan
  Fungsi" line for ``teknis;fungsional`` (DOMAIN-PLAN §3.2–3.3).

The functions are pure: DataFrames in, DataFrames or arrays out, codes and numbers only.
:func:`charge` is the one rule that puts each cost on exactly one line; the plan stage, the
mandatory block and the invariant tests all use it, so "used per line = Σ cost of its items" holds
by construction and can be checked on the artefacts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.core.exceptions import DataError

__all__ = ["budget_lines", "may_pay", "charge", "line_usage", "LINE_COLUMNS"]

#: the columns of :func:`budget_lines`' result
LINE_COLUMNS = ["line_id", "sumber_dana", "dpa", "sub_kegiatan", "kode_rekening", "pagu",
                "cakupan_unit", "jenis_program", "unit_bound"]


def _text(s: pd.Series | None, n: int) -> np.ndarray:
    if s is None:
        return np.full(n, "", dtype=object)
    return s.astype("string").fillna("").str.strip().to_numpy(dtype=object)


def _items(value: Any) -> tuple[str, ...]:
    """A ";"-separated list cell (or a list already parsed) as a tuple of stripped items."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ()
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(v.strip() for v in str(value).split(";") if v.strip())


def budget_lines(anggaran: pd.DataFrame, *, blud_own_unit_only: bool = True) -> pd.DataFrame:
    """One row per budget line: :data:`LINE_COLUMNS`.

    ``line_id`` names the line for a person ("APBD · BKPSDM", "BLUD · RSUD", with the
    sub-kegiatan or kode rekening added when two lines would otherwise share a name).

    >>> a = pd.DataFrame({"sumber_dana": ["APBD", "BLUD"], "kode_unit": ["", "RSUD"], "pagu": [2e9, 1.2e8]})
    >>> budget_lines(a)[["line_id", "cakupan_unit", "unit_bound"]].to_dict("records")
    [{'line_id': 'APBD', 'cakupan_unit': (), 'unit_bound': False}, {'line_id': 'BLUD · RSUD', 'cakupan_unit': ('RSUD',), 'unit_bound': True}]
    """
    if not isinstance(anggaran, pd.DataFrame) or not {"sumber_dana", "pagu"} <= set(anggaran.columns):
        raise DataError("Tabel anggaran perlu kolom sumber_dana dan pagu.",
                        "The budget table needs the columns sumber_dana and pagu.",
                        file="anggaran", expected="sumber_dana, pagu")
    n = len(anggaran)
    src = _text(anggaran["sumber_dana"], n)
    unit = _text(anggaran.get("kode_unit"), n)
    dpa = _text(anggaran.get("dpa"), n)
    sub = _text(anggaran.get("sub_kegiatan"), n)
    rek = _text(anggaran.get("kode_rekening"), n)
    pagu = pd.to_numeric(anggaran["pagu"], errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(pagu) | (pagu < 0))
    if len(bad):
        raise DataError(f"anggaran baris {bad[0] + 2}: pagu tidak sah.", f"anggaran row {bad[0] + 2}: invalid pagu.",
                        file="anggaran", row=int(bad[0]) + 2, column="pagu", value=anggaran["pagu"].iloc[bad[0]],
                        expected="angka ≥ 0 / number ≥ 0")
    scope_col = anggaran["cakupan_unit"] if "cakupan_unit" in anggaran else pd.Series([None] * n)
    kind_col = anggaran["jenis_program"] if "jenis_program" in anggaran else pd.Series([None] * n)
    scopes, kinds = [], []
    for i in range(n):
        scope = _items(scope_col.iloc[i])
        if not scope and unit[i]:
            scope = (unit[i],)
        if not scope and blud_own_unit_only and src[i].upper() == "BLUD" and dpa[i]:
            scope = (dpa[i],)
        scopes.append(scope)
        kinds.append(_items(kind_col.iloc[i]))
    base = [" · ".join(x for x in (src[i], dpa[i] or unit[i]) if x) or f"baris {i + 2}" for i in range(n)]
    ids = list(base)
    for extra in (sub, rek):
        seen = pd.Series(ids).duplicated(keep=False).to_numpy()
        ids = [f"{ids[i]} · {extra[i]}" if seen[i] and extra[i] else ids[i] for i in range(n)]
    seen = pd.Series(ids).duplicated(keep=False).to_numpy()
    ids = [f"{ids[i]} · baris {i + 2}" if seen[i] else ids[i] for i in range(n)]
    return pd.DataFrame({"line_id": ids, "sumber_dana": src, "dpa": dpa, "sub_kegiatan": sub,
                         "kode_rekening": rek, "pagu": pagu, "cakupan_unit": scopes, "jenis_program": kinds,
                         "unit_bound": [bool(s) for s in scopes]})


def may_pay(lines: pd.DataFrame, kode_unit: Any, jenis_program: Any) -> np.ndarray:
    """Boolean matrix (items × lines): may line j pay for item i (a person of ``kode_unit[i]`` on a
    programme of kind ``jenis_program[i]``)? Vectorised over the distinct (unit, kind) pairs.

    >>> a = pd.DataFrame({"sumber_dana": ["APBD", "BLUD"], "kode_unit": ["", "RSUD"], "pagu": [1, 1]})
    >>> may_pay(budget_lines(a), ["RSUD", "DINKES"], ["teknis", "teknis"]).tolist()
    [[True, True], [True, False]]
    """
    units = pd.Series(kode_unit, dtype="string").fillna("").to_numpy(dtype=object)
    kinds = pd.Series(jenis_program, dtype="string").fillna("").to_numpy(dtype=object)
    if len(units) != len(kinds):
        raise ValueError("kode_unit and jenis_program differ in length")
    codes, uniq = pd.factorize(pd.Series(list(zip(units, kinds, strict=True)), dtype=object))
    table = np.zeros((len(uniq), len(lines)), dtype=bool)
    for k, (u, kind) in enumerate(uniq):
        for j, (scope, allowed) in enumerate(zip(lines["cakupan_unit"], lines["jenis_program"], strict=True)):
            table[k, j] = (not scope or u in scope) and (not allowed or not kind or kind in allowed)
    return table[codes] if len(units) else np.zeros((0, len(lines)), dtype=bool)


def charge(items: pd.DataFrame, lines: pd.DataFrame, *, used: np.ndarray | None = None) -> pd.DataFrame:
    """Put each item's ``biaya`` on exactly one line, in the order of ``items`` (put mandatory
    items first): the most specific line that may pay it and still has room (unit-bound before
    unit-free, kind-restricted before unrestricted, then the order of ``anggaran``); an item no line
    can hold gets ``line_id`` NA and ``shortfall`` = its cost.

    ``items`` needs ``kode_unit``, ``jenis_program`` and ``biaya``. Returns ``items`` with
    ``line_id`` and ``shortfall`` added (the input is not modified). ``used`` (per line, in the
    order of ``lines``) starts the running totals (money already committed).

    >>> a = pd.DataFrame({"sumber_dana": ["APBD", "BLUD"], "kode_unit": ["", "RSUD"], "pagu": [100, 50]})
    >>> it = pd.DataFrame({"kode_unit": ["RSUD", "RSUD", "DINKES"], "jenis_program": "teknis", "biaya": [40, 40, 90]})
    >>> charge(it, budget_lines(a))[["line_id", "shortfall"]].to_dict("list")
    {'line_id': ['BLUD · RSUD', 'APBD', None], 'shortfall': [0.0, 0.0, 90.0]}
    """
    out = items.copy()
    cost = pd.to_numeric(out["biaya"], errors="coerce").fillna(0.0).to_numpy(float)
    ok = may_pay(lines, out["kode_unit"], out["jenis_program"])
    specificity = (lines["unit_bound"].astype(int) * 2 + lines["jenis_program"].map(bool).astype(int)).to_numpy()
    order = np.lexsort((np.arange(len(lines)), -specificity))
    room = lines["pagu"].to_numpy(float) - (np.zeros(len(lines)) if used is None else np.asarray(used, float))
    line_of = np.full(len(out), -1)
    eps = 1e-6
    for i in range(len(out)):
        for j in order:
            if ok[i, j] and room[j] + eps >= cost[i]:
                line_of[i] = j
                room[j] -= cost[i]
                break
    ids = lines["line_id"].to_numpy(dtype=object)
    out["line_id"] = pd.array([ids[j] if j >= 0 else pd.NA for j in line_of], dtype="string")
    out["shortfall"] = np.where(line_of >= 0, 0.0, cost)
    return out


def line_usage(charged: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Per line: pagu, terpakai (Σ biaya of the items charged to it), sisa; the invariant
    ``terpakai ≤ pagu`` is what the tests check on the plan's artefacts."""
    used = (charged.dropna(subset=["line_id"]).groupby("line_id")["biaya"].sum()
            if len(charged) else pd.Series(dtype=float))
    out = lines[["line_id", "sumber_dana", "dpa", "pagu"]].copy()
    out["terpakai"] = out["line_id"].map(used).fillna(0.0).astype(float)
    out["sisa"] = out["pagu"] - out["terpakai"]
    return out
