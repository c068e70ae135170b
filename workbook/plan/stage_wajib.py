"""Stage 02's wiring of the mandatory block and eligibility (issue #17 items 1, 2 and 5).

:func:`mandatory_block` computes, once per run, the plan-year status, the eligible pairs, the
eligibility classes for the optimiser, the mandatory rows charged to the budget lines FIRST, the
reserve per line and the infeasible-input table. :func:`with_mandatory` puts the funded mandatory
rows of current employees into the person-level plan before the top-up (so their JP count, at
cost 0 for the top-up's money, which the reserve already took off the lines);
:func:`finish_mandatory` restores their cost and appends the intake seats and the rows marked
"belum terdanai". Mandatory rows are fixed: the optimiser never sees the mandatory programmes
(they are not in :attr:`MandatoryBlock.katalog_optimiser`), so it can neither drop nor replace
them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import workbook.plan.mandatory_plan as mp
from workbook.core.context import Context
from workbook.core.suppression import suppress_table
from workbook.plan.common import _months
from workbook.plan.eligibility import eligible, plan_year_status, programme_wajib
from workbook.plan.mandatory import mandatory_needs, mandatory_summary
from workbook.plan.people import PersonAssignment

__all__ = ["MandatoryBlock", "mandatory_block", "with_mandatory", "finish_mandatory", "as_planned", "in_plan",
           "shown_infeasible", "assumption_counts", "with_reserve"]

#: ``tahap`` of a mandatory row in the assignments
TAHAP_WAJIB = "wajib"


@dataclass
class MandatoryBlock:
    """What the plan stage knows about eligibility and mandatory trainings (see module doc)."""

    status: pd.DataFrame  # plan_year_status (person level)
    pairs: pd.DataFrame  # eligible (pegawai_id, program_id) of the optimiser's catalogue
    classes: pd.DataFrame  # pegawai_id, kelas_kelayakan, n_eligible
    rows: pd.DataFrame  # mandatory rows charged: ROW_COLUMNS + line_id, shortfall, terdanai, line_usulan
    usage: pd.DataFrame  # per line: pagu, terpakai (the reserve), sisa, shortfall
    needs: pd.DataFrame  # mandatory_needs
    summary: pd.DataFrame  # mandatory_summary (with the "tidak_ada" code)
    table: pd.DataFrame  # aggregate artefact 02_plan/mandatory
    infeasible: pd.DataFrame  # codes of item 5
    katalog_optimiser: pd.DataFrame  # the catalogue without the mandatory programmes
    katalog_top_up: pd.DataFrame  # the catalogue, mandatory programmes not offered by the top-up
    budget_for_optimiser: pd.DataFrame  # anggaran minus the reserve per line
    katalog: pd.DataFrame | None = None  # the catalogue plus the estimated mandatory programmes (``perkiraan``)
    components: pd.DataFrame | None = None  # funded rows × komponen_biaya, each on its payer's line

    def split_correction(self) -> pd.Series:
        """Per line_id, what the component split moves: Σ components charged to the line − Σ
        cost of the split rows whose (main) line it is. Added to the per-line money computed
        from the assignments, it gives "used per line = Σ charged components and whole rows"."""
        c = self.components
        if c is None or not len(c):
            return pd.Series(dtype=float)
        r = self.rows[self.rows["terdanai"] & self.rows["program_id"].isin(set(c["program_id"]))]
        plus = c[c["line_id"] != ""].groupby("line_id")["biaya"].sum()
        minus = r.groupby(r["line_id"].astype(str))["biaya"].sum()
        return plus.sub(minus, fill_value=0.0)

    @property
    def reserved(self) -> dict[str, float]:
        """The reserve per line_id (``plan_groups(reserved=…)`` once it exists)."""
        return mp.reserved_by_line(self.usage)


def mandatory_block(ctx: Context, tables: dict[str, pd.DataFrame]) -> MandatoryBlock:
    """Eligibility and the mandatory block for one run of the plan stage."""
    s = ctx.settings
    peg, anggaran = tables["pegawai"], tables["anggaran"]
    # a mandatory training needed but missing from the catalogue gets a sourced estimate (perkiraan)
    katalog = mp.with_estimates(tables["katalog_program"], s, ctx.lang)
    # a programme funded by a unit-bound source (BLUD · RSUD) is for that unit's staff only
    katalog = mp.bind_to_line_units(katalog, anggaran, s)
    realisasi = tables.get("realisasi_pengembangan")
    jf_wajib = tables.get("jf_wajib")
    status = plan_year_status(peg, tables.get("riwayat_pelatihan"), ctx.year, s, realisasi=realisasi,
                              katalog=katalog, kesetaraan=tables.get("kesetaraan_pelatihan"))
    pw = programme_wajib(katalog, s)
    is_wajib = (pw["wajib"] != "").to_numpy()
    k_opt = katalog[~is_wajib].reset_index(drop=True)
    pairs = eligible(status, peg, k_opt, s, jf_wajib=jf_wajib, realisasi=realisasi)
    pairs = pd.DataFrame({"pegawai_id": pairs["pegawai_id"].astype(str), "program_id": pairs["program_id"].astype(str)})
    classes = mp.eligibility_classes(pairs, peg["pegawai_id"], k_opt["program_id"])
    rows = mp.mandatory_rows(status, peg, katalog, s, plan_year=ctx.year, jf_wajib=jf_wajib,
                             formasi=tables.get("formasi_tahun_rencana"), komponen=tables.get("komponen_biaya"),
                             realisasi=realisasi)
    charged, usage, components = mp.fund_mandatory(rows, anggaran, s, tables.get("komponen_biaya"))
    needs = mandatory_needs(status, peg, katalog, jf_wajib, tables.get("formasi_tahun_rencana"), s,
                            plan_year=ctx.year, realisasi=realisasi)
    summary = mandatory_summary(needs, status, peg, katalog, s, jf_wajib=jf_wajib)
    k_top = katalog.copy()
    k_top.loc[is_wajib, "kode_kompetensi"] = ""  # never offered as a top-up seat
    return MandatoryBlock(
        status=status, pairs=pairs, classes=classes, rows=charged, usage=usage, needs=needs, summary=summary,
        table=mp.with_late(mp.mandatory_table(charged, s, components), needs),
        infeasible=mp.infeasible_inputs(charged, classes, peg, k_opt, anggaran, status, s),
        katalog_optimiser=k_opt, katalog_top_up=k_top,
        budget_for_optimiser=mp.reserve_budget(anggaran, usage), katalog=katalog, components=components)


def _rows(wb: MandatoryBlock, peg_p: pd.DataFrame, katalog: pd.DataFrame, which: pd.Series,
          columns: list[str]) -> pd.DataFrame:
    """Mandatory rows as assignment rows (the columns of ``columns`` plus the mandatory ones)."""
    r = wb.rows[which.to_numpy()]
    comp = dict(zip(katalog["program_id"].astype(str), katalog["kode_kompetensi"].astype("string").fillna(""),
                    strict=True))
    info = peg_p.drop_duplicates("pegawai_id").set_index(peg_p["pegawai_id"].astype(str).drop_duplicates())
    out = pd.DataFrame({"pegawai_id": r["pegawai_id"].to_numpy()})
    out["profil"] = out["pegawai_id"].map(info["profil"]).fillna("-") if "profil" in info else "-"
    out["kode_unit"] = r["kode_unit"].to_numpy()
    out["status"] = r["status"].to_numpy()
    out["kelas_kelayakan"] = (out["pegawai_id"].map(info["kelas_kelayakan"]).fillna("")
                              if "kelas_kelayakan" in info else "")
    out["jenis_kebutuhan"] = "wajib"
    out["kode_kompetensi"] = r["program_id"].map(comp).fillna("").to_numpy()
    out["program_id"] = r["program_id"].to_numpy()
    out["jp"] = r["jp"].to_numpy(float)
    out["cost"] = np.where(r["terdanai"], r["biaya"], 0.0)
    out["need_score"] = np.nan
    out["priority"] = np.nan
    out["group_value"] = np.nan
    out["tahap"] = TAHAP_WAJIB
    out["wajib"] = r["wajib"].to_numpy()
    out["line_id"] = r["line_id"].astype("string").to_numpy()
    out["terdanai"] = r["terdanai"].to_numpy(bool)
    out["shortfall"] = r["shortfall"].to_numpy(float)
    out["intake"] = r["intake"].to_numpy(bool)
    keep = [c for c in columns if c in out] + [c for c in _EXTRA if c not in columns]
    return out[keep]


_EXTRA = ["wajib", "line_id", "terdanai", "shortfall", "intake"]


def _with_extra(a: pd.DataFrame) -> pd.DataFrame:
    a = a.copy()
    defaults = {"wajib": "", "line_id": pd.NA, "terdanai": True, "shortfall": 0.0, "intake": False}
    for c, v in defaults.items():
        if c not in a:
            a[c] = v
    a["wajib"] = a["wajib"].fillna("").astype("str")
    a["line_id"] = a["line_id"].astype("string")
    a["terdanai"] = a["terdanai"].fillna(True).astype(bool)
    a["shortfall"] = a["shortfall"].fillna(0.0).astype(float)
    a["intake"] = a["intake"].fillna(False).astype(bool)
    return a


def with_mandatory(pa: PersonAssignment, wb: MandatoryBlock, peg_p: pd.DataFrame, katalog: pd.DataFrame, *,
                   funded_only: bool = True, priced: bool = False) -> PersonAssignment:
    """The funded mandatory rows of current employees added to the assignments: at their cost on
    their line (``priced``, budget lines: the top-up counts them against the line's reserve), or
    at cost 0 (the other funding modes: their money is already off the ceilings the top-up reads)."""
    a = pa.assignments
    which = wb.rows["terdanai"] & ~wb.rows["intake"] if funded_only else ~wb.rows["intake"]
    add = _rows(wb, peg_p, katalog, which, list(a.columns))
    if not priced:
        add["cost"] = 0.0
    if "biaya_kas" in a.columns or priced:
        add["biaya_kas"] = add["cost"].astype(float)
    out = pd.concat([_with_extra(a), add], ignore_index=True)
    return PersonAssignment(out, pa.unfilled, pa.summary, pa.below_minimum, pa.budget)


def finish_mandatory(pa: PersonAssignment, wb: MandatoryBlock, peg_p: pd.DataFrame,
                     katalog: pd.DataFrame) -> PersonAssignment:
    """After the top-up: the mandatory rows' cost restored, the intake seats and the "belum
    terdanai" rows appended, the eligibility class filled on the top-up rows."""
    a = _with_extra(pa.assignments)
    mand = a["tahap"].astype(str) == TAHAP_WAJIB
    cost = dict(zip(zip(wb.rows["pegawai_id"], wb.rows["program_id"], strict=True), wb.rows["biaya"], strict=True))
    a.loc[mand, "cost"] = [float(cost.get((p, q), 0.0))
                          for p, q in zip(a.loc[mand, "pegawai_id"], a.loc[mand, "program_id"], strict=True)]
    if "kelas_kelayakan" in a:
        cls = dict(zip(peg_p["pegawai_id"].astype(str), peg_p["kelas_kelayakan"], strict=True))
        miss = a["kelas_kelayakan"].isna() | (a["kelas_kelayakan"].astype(str) == "nan")
        a.loc[miss, "kelas_kelayakan"] = a.loc[miss, "pegawai_id"].map(cls).fillna("")
    rest = wb.rows["intake"] | ~wb.rows["terdanai"]
    add = _rows(wb, peg_p, katalog, rest, list(a.columns))
    if "biaya_kas" in a.columns:
        a.loc[mand, "biaya_kas"] = a.loc[mand, "cost"].astype(float)
        add["biaya_kas"] = add["cost"].astype(float)
    out = pd.concat([a, add], ignore_index=True)
    for c in ("pegawai_id", "program_id", "tahap", "wajib", "kode_unit", "status", "profil", "kelas_kelayakan",
              "jenis_kebutuhan", "kode_kompetensi"):
        if c in out:
            out[c] = out[c].fillna("").astype("str")
    out.attrs["output_class"] = "restricted"
    return PersonAssignment(out, pa.unfilled, pa.summary, pa.below_minimum, pa.budget)


def in_plan(a: pd.DataFrame) -> pd.DataFrame:
    """The rows that will happen: everything but the "belum terdanai" mandatory rows."""
    return a[a["terdanai"].astype(bool)] if "terdanai" in a else a


def as_planned(pa: PersonAssignment) -> PersonAssignment:
    """The funded rows, mandatory ones counted as planned seats (for the tables that split the
    group plan from the top-up)."""
    a = in_plan(pa.assignments).copy()
    a.loc[a["tahap"].astype(str) == TAHAP_WAJIB, "tahap"] = "rencana"
    return PersonAssignment(a, pa.unfilled, pa.summary, pa.below_minimum, pa.budget)


def shown_infeasible(inf: pd.DataFrame, settings) -> pd.DataFrame:
    """The infeasible-input table as published: person counts per unit suppressed below the
    minimum cell size (programme rows carry no person count)."""
    per_person = inf["n"] > 0
    if not per_person.any():
        return inf.assign(suppressed=False, suppression_reason="")
    shown = suppress_table(inf[per_person].reset_index(drop=True), n_col="n", value_cols=["biaya"],
                           parent_cols=["kode"], settings=settings)
    rest = inf[~per_person].assign(suppressed=False, suppression_reason="")
    out = pd.concat([shown, rest], ignore_index=True)
    out["suppression_reason"] = out["suppression_reason"].fillna("").astype("str")
    return out


def assumption_counts(status: pd.DataFrame, settings) -> pd.DataFrame:
    """Employees per ``asumsi`` code of the plan-year status (aggregate, agency level): the
    assumptions the plan made for lack of data, printed in the chapter."""
    codes = status["asumsi"].astype(str).str.split(";").explode()
    codes = codes[codes.fillna("") != ""]
    out = codes.value_counts().rename_axis("asumsi").rename("n").reset_index()
    out["asumsi"] = out["asumsi"].astype("str")
    out["n"] = out["n"].astype("int64")
    return suppress_table(out, n_col="n", value_cols=[], parent_cols=None, settings=settings)


#: funding mode (``plan.funding``) → the column (same name in ``anggaran`` and in the person-level
#: budget) that says which row of that budget carries an ``anggaran`` line's reserve; ``pool`` has one row
_RESERVE_KEY = {"source": "sumber_dana", "unit": "kode_unit", "pool": None}


def _reserve_rows(bud: pd.DataFrame, anggaran: pd.DataFrame, mode: str) -> np.ndarray:
    """For each ``anggaran`` line, the position in ``bud`` (the person-level budget of a pooled
    funding mode) whose ceiling holds that line: same ``sumber_dana`` (``source``), same unit, the
    agency-wide row for a line without a unit (``unit``), the one row (``pool``); the first row
    when nothing matches."""
    key = _RESERVE_KEY.get(mode)
    if key is None or key not in bud:
        return np.zeros(len(anggaran), dtype=np.int64)
    a_col = b_col = key
    theirs = (anggaran[a_col].astype("string").fillna("").str.strip().to_numpy(dtype=object) if a_col in anggaran
              else np.full(len(anggaran), "", dtype=object))
    ours = bud[b_col].astype("string").fillna("").str.strip().tolist()
    fallback = ours.index("") if mode == "unit" and "" in ours else 0
    return np.array([ours.index(v) if v in ours else fallback for v in theirs], dtype=np.int64)


def with_reserve(bud: pd.DataFrame | None, usage: pd.DataFrame, anggaran: pd.DataFrame, mode: str) -> pd.DataFrame | None:
    """The person-level budget of a pooled funding mode with the mandatory reserve put back:
    ``pagu`` is the agency's ceiling again, ``reserved_wajib`` the mandatory block's part of
    ``used`` (the optimiser and the top-up saw the ceiling minus the reserve). Which row holds
    which line: :data:`_RESERVE_KEY` (one mapping for every mode)."""
    if bud is None or not len(bud):
        return bud
    out = bud.copy()
    res = usage["terpakai"].to_numpy(float)[: len(anggaran)]
    add = np.bincount(_reserve_rows(out, anggaran, mode), weights=res, minlength=len(out))[: len(out)]
    out["reserved_wajib"] = add
    for c in ("pagu", "used"):
        if c in out:
            out[c] = out[c].astype(float) + add
    return out


def intake_after_tmt(sched: pd.DataFrame, formasi: pd.DataFrame | None, year: int,
                     katalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """The intake's mandatory seats (``intake``) start no earlier than the month after the intake's
    expected TMT (``formasi_tahun_rencana.tmt_perkiraan`` of its unit and status — CPNS and PPPK
    of one unit may start in different months —; the earliest of the plan year when none matches): a CPNS is trained after appointment, during the probation
    (DOMAIN-PLAN §1.1). With ``katalog``, the seat goes to the first month the programme is
    offered (``bulan_tersedia``) from that month on (Latsar offered in 2 and 7, TMT in March →
    July); when no offered month is left in the year the seat stays in the first month after the
    TMT and ``kalender_konflik`` is true (the chapter says so: ask the provider for a session).
    Other rows are unchanged (``kalender_konflik`` false)."""
    out = sched.copy()
    out["kalender_konflik"] = False
    if "intake" not in sched or not sched["intake"].astype(bool).any() or formasi is None or not len(formasi):
        return out
    f = formasi.copy()
    f["_m"] = pd.to_datetime(f["tmt_perkiraan"], errors="coerce").dt.month
    f = f[pd.to_datetime(f["tmt_perkiraan"], errors="coerce").dt.year == year].dropna(subset=["_m"])
    if not len(f):
        return out
    f_unit = f["kode_unit"].astype("string").fillna("").astype(str)
    f_st = f["status"].astype("string").fillna("").str.upper().astype(str) if "status" in f else ""
    first = dict(f.groupby(f_unit)["_m"].min())
    first_st = dict(f.assign(_k=f_unit + "\x1f" + f_st).groupby("_k")["_m"].min())  # CPNS and PPPK differ
    earliest = int(f["_m"].min())
    offered: dict[str, list[int]] = {}
    if katalog is not None and "bulan_tersedia" in katalog:
        offered = {str(p): _months(v) for p, v in zip(katalog["program_id"], katalog["bulan_tersedia"], strict=True)}
    rows = out["intake"].astype(bool).to_numpy()
    unit = out.loc[rows, "kode_unit"].astype(str)
    st = out.loc[rows, "status"].astype(str).str.upper() if "status" in out else pd.Series("", index=unit.index)
    floor = np.array([min(int(first_st.get(f"{u}\x1f{v}", first.get(u, earliest))) + 1, 12)
                      for u, v in zip(unit, st, strict=True)], dtype=np.int64)
    month = np.maximum(out.loc[rows, "bulan"].astype("int64").to_numpy(), floor)
    conflict = np.zeros(len(month), dtype=bool)
    for k, (pid, lo) in enumerate(zip(out.loc[rows, "program_id"].astype(str), month.copy(), strict=True)):
        allowed = offered.get(pid)
        if not allowed:
            continue
        later = [m for m in sorted(allowed) if m >= lo]
        month[k], conflict[k] = (later[0], False) if later else (floor[k], True)
    out.loc[rows, "bulan"] = month
    out.loc[rows, "kalender_konflik"] = conflict
    if "tanggal_mulai" in out:
        starts = pd.to_datetime([f"{year}-{m:02d}-01" for m in month]).astype(out["tanggal_mulai"].dtype)
        out.loc[rows, "tanggal_mulai"] = starts
    return out
