"""Stage 02 — programmes, priorities and the yearly plan, once for the agency.

Reads stage 01's artefacts (inventory, profiles, gaps, performance), then:

1. formulation: need groups (profile × unit × status × competency, plus performance-gap lines)
   mapped to the catalogue programmes that address them (:mod:`workbook.plan.groups`);
2. prioritisation: a criteria matrix per programme (need value, people in need, cost per JP, JP),
   ranked with the method and weights of the settings (SAW by default; TOPSIS, AHP-weighted SAW
   or USG selectable), agreement between methods, weight sensitivity, and by Monte Carlo how
   stable the ranking is under other weights (``funding_probability``: a programme-level
   knapsack of the *ranking*, not of the plan — the plan's selection maximises need value and
   does not use the criteria weights, so the report does not print it; docs/methods/plan.md);
3. the exact group-level plan under the Rupiah budget, capacities and the 20-JP right, compared
   with the greedy choice, with reasons for every programme in or out;
4. the implementation plan: people on seats, a person-level top-up for every PNS still below
   20 JP (within the remaining budget and capacity; who stays below and why), a month-by-month
   schedule, mentors for new staff, the 9-box talent pool;
5. outputs: the Pasal 207 plan table, budget by unit and funding line (person-level spending),
   JP coverage per person aggregated by unit, reasons for staying below 20 JP (aggregate);
   assignments, schedule, mentoring and talent tables (restricted, pseudonymous); individual
   development plans and the talent pool re-identified in the confidential folder.

Besides these, the stage writes what :func:`load_result` needs to rebuild its result without
solving again: ``criteria``, ``group_plan`` (the figures of the group-level solve),
``group_budget`` and ``assignment_summary`` (aggregate); ``groups``, ``allocation``,
``greedy_allocation``, ``group_coverage``, ``unfilled`` and ``coverage_raw`` (restricted).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

import workbook.plan.groups as groups_
import workbook.plan.jp_right as jp_right
import workbook.plan.mandatory_plan as mp
import workbook.plan.refill as refill_
from workbook import plan
from workbook import plan as priorities
from workbook.core import artefacts
from workbook.core.context import Context
from workbook.core.exceptions import InfeasibleError, WorkbookError
from workbook.core.suppression import suppress_table
from workbook.plan import _line_model, words
from workbook.plan.stage_wajib import (
    as_planned,
    assumption_counts,
    finish_mandatory,
    in_plan,
    intake_after_tmt,
    mandatory_block,
    shown_infeasible,
    with_mandatory,
    with_reserve,
)

__all__ = ["PlanResult", "run_plan", "load_result", "programme_criteria", "rank_programmes",
           "selection_frontier", "with_plan_point", "below_reasons", "shown_coverage", "STAGE"]

STAGE = "02_plan"


@dataclass
class PlanResult:
    ctx: Context
    tables: dict[str, pd.DataFrame]
    groups: pd.DataFrame
    criteria: pd.DataFrame
    ranking: pd.DataFrame
    agreement: pd.DataFrame
    sensitivity: pd.DataFrame
    funding: pd.DataFrame
    frontier: pd.DataFrame
    group_plan: plan.GroupPlan
    assignment: plan.PersonAssignment
    schedule: pd.DataFrame
    mentoring: pd.DataFrame
    talent: pd.DataFrame
    plan_table: pd.DataFrame
    idp: pd.DataFrame
    budget: pd.DataFrame
    coverage: pd.DataFrame
    written: list = field(default_factory=list)
    below_reasons: pd.DataFrame | None = None
    #: the mandatory block as written (aggregate): per programme × unit × line, per wajib code,
    #: per budget line (reserve and shortfall), and the infeasible-input codes (issue #17)
    mandatory_table: pd.DataFrame | None = None
    mandatory_summary: pd.DataFrame | None = None
    mandatory_lines: pd.DataFrame | None = None
    infeasible: pd.DataFrame | None = None
    assumptions: pd.DataFrame | None = None
    #: the 20-JP right (issue #17 item 4, :mod:`workbook.plan.jp_right`): person targets (restricted),
    #: the owed coverage (PNS and CPNS becoming PNS), the PPPK coverage under the cap and JP by form
    #: (aggregate, suppressed as written)
    jp_targets: pd.DataFrame | None = None
    jp_owed: pd.DataFrame | None = None
    jp_pppk: pd.DataFrame | None = None
    jp_forms: pd.DataFrame | None = None
    #: the mandatory seats' komponen_biaya, each on its payer's line (restricted artefact
    #: ``mandatory_components``): every per-line money figure of the chapters includes the split
    components: pd.DataFrame | None = None

    @property
    def below_minimum(self) -> pd.DataFrame | None:
        """PNS still below the JP minimum, with the reason (pseudonymous, restricted)."""
        return self.assignment.below_minimum

    @property
    def budget_lines(self) -> pd.DataFrame:
        """Per funding line: the person-level spending (placed seats and top-up)."""
        b = self.assignment.budget
        return b if b is not None else self.group_plan.budget

    @property
    def budget_total(self) -> float:
        return float(pd.to_numeric(self.tables["anggaran"]["pagu"]).sum())


def programme_criteria(candidates: pd.DataFrame, members: pd.DataFrame | None = None) -> pd.DataFrame:
    """Criteria matrix per programme from the group × programme candidates.

    ``kebutuhan`` = Σ need score × people in need over the groups the programme addresses;
    ``jumlah_pegawai`` = distinct people in need ("pegawai yang membutuhkan": a person with three
    competencies the programme addresses counts once; :func:`workbook.plan.groups.programme_people`
    on ``members``, the groups' members); ``kebutuhan_kompetensi`` = Σ people in need over the
    groups (person × competency needs; what ``jumlah_pegawai`` is when ``members`` is None);
    ``biaya_per_jp`` = cost per participant / JP (a cost criterion; free programmes have 0);
    ``jp`` = JP per participant.
    """
    c = candidates.copy()
    c["need_value"] = c["need_score"] * c["n_need"]
    agg = c.groupby("program_id", sort=True).agg(
        nama_program=("nama_program", "first"), bentuk=("bentuk", "first"), jalur=("jalur", "first"),
        kebutuhan=("need_value", "sum"), jumlah_pegawai=("n_need", "sum"), jp=("jp", "first"),
        biaya_per_peserta=("biaya_per_peserta", "first"), kapasitas_per_sesi=("kapasitas_per_sesi", "first"),
        penyelenggara=("penyelenggara", "first"),
    )
    agg["kebutuhan_kompetensi"] = agg["jumlah_pegawai"]
    if members is not None:
        agg["jumlah_pegawai"] = groups_.programme_people(c, members).reindex(agg.index, fill_value=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        agg["biaya_per_jp"] = np.where(agg["jp"] > 0, agg["biaya_per_peserta"] / agg["jp"], agg["biaya_per_peserta"])
    return agg.reset_index()


def _criteria_spec(settings) -> tuple[list[str], np.ndarray, list[bool]]:
    spec = settings["priorities.criteria"]
    names = list(spec)
    weights = np.array([float(spec[k]["weight"]) for k in names])
    benefit = [bool(spec[k]["benefit"]) for k in names]
    return names, weights / weights.sum(), benefit


def rank_programmes(criteria: pd.DataFrame, *, settings, method: str | None = None,
                    weights: dict[str, float] | None = None, ahp_judgements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rank programmes with SAW (default), TOPSIS, AHP-weighted SAW or USG; all methods' ranks kept."""
    names, w, benefit = _criteria_spec(settings)
    if weights:
        w = np.array([float(weights.get(k, 0.0)) for k in names])
        if w.sum() <= 0:
            raise WorkbookError("Jumlah bobot kriteria harus positif.", "Criteria weights must sum to a positive number.")
        w = w / w.sum()
    ahp_result = None
    if ahp_judgements is not None:
        ahp_result = priorities.ahp(ahp_judgements.loc[names, names], settings=settings)
        w = ahp_result.weights.reindex(names).to_numpy()
    method = method or settings["priorities.method"]
    m = criteria.set_index("program_id")[names].astype(float)
    saw = priorities.saw(m, w, benefit, normalisation="minmax")
    top = priorities.topsis(m, w, benefit, normalisation="vector")
    out = criteria.copy()
    out["score_saw"] = saw["score"].to_numpy()
    out["rank_saw"] = saw["rank"].to_numpy()
    out["closeness_topsis"] = top["closeness"].to_numpy()
    out["rank_topsis"] = top["rank"].to_numpy()
    main = {"saw": "saw", "ahp": "saw", "topsis": "topsis"}.get(method, "saw")
    out["score"] = out["score_saw"] if main == "saw" else out["closeness_topsis"]
    out["rank"] = out["rank_saw"] if main == "saw" else out["rank_topsis"]
    out["method"] = method
    out.attrs["weights"] = dict(zip(names, w.tolist(), strict=True))
    out.attrs["ahp"] = ahp_result
    return out.sort_values("rank").reset_index(drop=True)


def selection_frontier(groups: pd.DataFrame, katalog: pd.DataFrame, budget, *, pegawai: pd.DataFrame, settings,
                       n_pairs: int, komponen: pd.DataFrame | None = None, reserve: float = 0.0,
                       prior=None) -> pd.DataFrame:
    """Need value of the selection model (:func:`workbook.plan.plan_groups`, the plan's own model
    with every budget line) at ``plan.frontier_points`` budget levels from 10 % to 150 % of every
    line's pagu, each solved to ``plan.frontier_mip_rel_gap``; the greedy rule on the same model beside it.

    Columns ``budget_share``, ``budget``, ``value_exact``, ``value_greedy``, ``n_programmes``,
    ``spent``, ``gap`` and ``model`` (``"seleksi"``). Above
    ``plan.frontier_max_pairs`` group × programme pairs it is not computed: an empty frame with
    ``attrs["omitted"] = n_pairs`` (the report says so). ``scipy.optimize.milp`` takes no start
    solution, so each point is solved cold (HiGHS presolve makes each solve about as fast as the
    plan's own).

    ``budget`` is what the selection may spend (the pagu after the mandatory reserve);
    ``reserve`` (the mandatory block, funded first) is added to the ``budget`` column, so every
    point is on the basis of the whole pagu, like the report's "pagu" line;
    ``budget_optional`` keeps the selection's own budget. :func:`with_plan_point` adds the plan.
    """
    cols = ["budget_share", "budget", "budget_optional", "value_exact", "value_greedy", "n_programmes", "spent", "gap",
            "model"]
    empty = pd.DataFrame({c: pd.Series([], dtype="str" if c == "model" else float) for c in cols})
    if n_pairs > int(settings["plan.frontier_max_pairs"]):
        empty.attrs["omitted"] = int(n_pairs)
        return empty
    rows = []
    for frac in np.linspace(0.1, 1.5, int(settings["plan.frontier_points"])):
        if isinstance(budget, pd.DataFrame):
            b = budget.assign(pagu=pd.to_numeric(budget["pagu"]) * frac)
            total = float(b["pagu"].sum())
        else:
            b = total = float(budget) * frac
        gp = plan.plan_groups(groups, katalog, b, pegawai=pegawai, settings=settings, funding=settings["plan.funding"],
                              time_limit=float(settings["plan.time_limit_s"]),
                              mip_rel_gap=float(settings["plan.frontier_mip_rel_gap"]), komponen=komponen,
                              prior=prior)
        rows.append({"budget_share": float(frac), "budget": total + float(reserve), "budget_optional": total,
                     "value_exact": gp.value,
                     "value_greedy": gp.greedy_value, "n_programmes": float(gp.allocation["program_id"].nunique()),
                     "spent": float(gp.allocation["cost"].sum()), "gap": gp.gap, "model": "seleksi"})
    return pd.DataFrame(rows, columns=cols).astype({"model": "str"})


def _plan_groups(groups, katalog, budget_arg, peg, s, komponen, reserved, prior) -> plan.GroupPlan:
    """The exact selection with the person-cell limits (``prior``); when the solver finds no
    solution within ``plan.time_limit_s`` with them (bench/plan.py at 10.000 employees × 300
    programmes), the selection without them (unfillable seats are then left to the refill rounds)."""
    kw = {"pegawai": peg, "settings": s, "funding": s["plan.funding"], "time_limit": float(s["plan.time_limit_s"]),
          "mip_rel_gap": float(s["plan.mip_rel_gap"]), "komponen": komponen, "reserved": reserved}
    t0 = time.perf_counter()
    try:
        return plan.plan_groups(groups, katalog, budget_arg, prior=prior, **kw)
    except InfeasibleError:
        if prior is None:
            raise
        waited = time.perf_counter() - t0
        gp = plan.plan_groups(groups, katalog, budget_arg, prior=None, **kw)
        gp.fallback_after_s = waited  # the seconds spent on the model with the limits (bench/plan.py)
        return gp


def _with_estimates(tables: dict, ctx: Context) -> dict:
    """The input tables with the catalogue the plan used: the agency's rows plus the estimated
    mandatory programmes it lacks (``PERKIRAAN-<code>``), so that the chapters can name them."""
    return {**tables, "katalog_program": mp.with_estimates(tables["katalog_program"], ctx.settings, ctx.lang)}


def with_plan_point(frontier: pd.DataFrame, gp: plan.GroupPlan, budget_total: float, reserve: float) -> pd.DataFrame:
    """The budget curve with the plan's own selection as its 100 % point (``model`` ``"rencana"``:
    the whole pagu, the plan's selection value and greedy value; no extra solve)."""
    if not len(frontier):
        return frontier
    row = {"budget_share": 1.0, "budget": float(budget_total), "budget_optional": float(budget_total) - float(reserve),
           "value_exact": float(gp.value), "value_greedy": float(gp.greedy_value),
           "n_programmes": float(gp.allocation["program_id"].nunique()), "spent": float(gp.allocation["cost"].sum()),
           "gap": float(gp.gap), "model": "rencana"}
    out = pd.concat([frontier, pd.DataFrame([row])], ignore_index=True)
    return out.sort_values(["budget_share", "model"], kind="mergesort").reset_index(drop=True).astype({"model": "str"})


def _need_artefacts(ctx: Context, tables: dict) -> dict[str, pd.DataFrame]:
    """The needs stage's person-level artefacts (the pipeline runs stage 01 first when they are missing)."""
    names = ("inventory", "profile_members", "gaps", "performance")
    return {n: artefacts.read(ctx, artefacts.NEEDS, n) for n in names}


def run_plan(ctx: Context, *, write: bool = True, budget: float | None = None, method: str | None = None,
             weights: dict[str, float] | None = None) -> PlanResult:
    s = ctx.settings
    tables = artefacts.require_clean_tables(ctx)
    peg, katalog = tables["pegawai"], tables["katalog_program"]
    need = _need_artefacts(ctx, tables)
    # the inventory already carries last year's open needs first (merged by stage 01)
    inv = need["inventory"]
    members = need["profile_members"].rename(columns={"profile": "profil"})[["pegawai_id", "profil"]].copy()
    members["profil"] = "P" + members["profil"].astype(int).astype(str)  # a label, not a number
    # staff without a need profile: the label "-" in the groups too (as on peg_p below), so that the
    # per-person assignment finds them in their groups (a blank label left those seats empty)
    members = pd.concat([members, pd.DataFrame({"pegawai_id": peg.loc[~peg["pegawai_id"].isin(members["pegawai_id"]),
                                                                       "pegawai_id"], "profil": "-"})],
                        ignore_index=True)
    wb = mandatory_block(ctx, tables)
    katalog = wb.katalog  # plus the estimated mandatory programmes the catalogue lacks (perkiraan)
    k_opt = wb.katalog_optimiser
    elig = wb.classes[wb.classes["n_eligible"] > 0]  # the eligibility classes of people eligible for something
    groups = plan.need_groups(inv, peg, profiles=members, eligibility=elig)
    cands = plan.candidate_programmes(groups, k_opt, settings=s)
    members_of = plan.need_groups(inv, peg, profiles=members, eligibility=elig,
                                  members_only=True)
    criteria = programme_criteria(cands, members_of)
    # the facilitator/mentor time of Rp0 programmes counts in the value-per-cost ranking only
    criteria = _line_model.with_time_cost(criteria, katalog, s)
    ranking = rank_programmes(criteria, settings=s, method=method, weights=weights)
    agreement = priorities.method_agreement(ranking.set_index("program_id")[["rank_saw", "rank_topsis"]])
    names, w, benefit = _criteria_spec(s)
    if weights:
        w = np.array([ranking.attrs["weights"][k] for k in names])
    matrix = criteria.set_index("program_id")[names].astype(float)
    sensitivity = priorities.weight_sensitivity(matrix, w, benefit, method="saw", normalisation="minmax")
    anggaran = tables["anggaran"]
    total_budget = float(budget if budget is not None else pd.to_numeric(anggaran["pagu"]).sum())
    reserve = float(wb.usage["terpakai"].sum())
    costs = (criteria["biaya_per_peserta"] * criteria["jumlah_pegawai"]).to_numpy(float)
    funding = priorities.funding_probability(matrix, w, benefit, costs, max(total_budget - reserve, 0.0),
                                             n_draws=int(s["priorities.mc_draws"]),
                                             concentration=float(s["priorities.mc_concentration"]),
                                             random_state=0, normalisation="minmax").reset_index()
    komponen = tables.get("komponen_biaya")
    lines_mode = str(s["plan.funding"]) == "lines" and budget is None
    # the mandatory block is funded first: with budget lines the optimiser keeps each line's reserve
    # (plan_groups(reserved=…)); in the other funding modes it sees the ceilings minus the reserve
    if budget is not None:
        budget_arg, reserved = max(total_budget - reserve, 0.0), None
    elif lines_mode:
        budget_arg, reserved = anggaran, wb.reserved
    else:
        budget_arg, reserved = wb.budget_for_optimiser, None
    peg_p = peg.merge(members, on="pegawai_id", how="left")
    peg_p["profil"] = peg_p["profil"].fillna("-")
    peg_p = peg_p.merge(wb.classes[["pegawai_id", "kelas_kelayakan"]], on="pegawai_id", how="left")
    peg_p["kelas_kelayakan"] = peg_p["kelas_kelayakan"].fillna("")
    # one person takes a programme once: its seats over the groups of the same people are bounded
    prior = refill_.first_prior(inv, peg_p, groups, k_opt, s, n_pairs=len(cands)) if lines_mode else None
    f_budget = wb.budget_for_optimiser if lines_mode else budget_arg
    f_optional = float(pd.to_numeric(f_budget["pagu"]).sum()) if isinstance(f_budget, pd.DataFrame) else float(f_budget)
    f_reserve = max(total_budget - f_optional, 0.0)  # the mandatory block, funded first at every point
    frontier = selection_frontier(groups, k_opt, f_budget, pegawai=peg, settings=s, n_pairs=len(cands),
                                  komponen=komponen, reserve=f_reserve, prior=prior)
    gp = _plan_groups(groups, k_opt, budget_arg, peg, s, komponen, reserved, prior)
    frontier = with_plan_point(frontier, gp, f_optional + f_reserve, f_reserve)
    placed = plan.assign_people(gp, inv, peg_p, k_opt, settings=s)
    placed = with_mandatory(placed, wb, peg_p, katalog, funded_only=True, priced=lines_mode)
    # the money of chosen seats nobody could fill goes back to the needs (plan.refill_rounds)
    rf = refill_.refill(gp, placed, inv, peg_p, k_opt, anggaran, settings=s, komponen=komponen,
                        make_groups=lambda rem: plan.need_groups(rem, peg, profiles=members, eligibility=elig),
                        rounds=None if lines_mode else 0)
    placed = rf.placed
    res_refill_rounds = rf.rounds
    # person level: every PNS still below 20 JP gets extra seats within the remaining budget
    # person level: targets per plan-year status (CPNS becoming PNS, PPPK cap); eligible pairs only
    targets = jp_right.jp_targets(wb.status, peg, s, plan_year=ctx.year,
                                  realisasi=tables.get("realisasi_pengembangan"))
    unc = jp_right.uncounted_per_person(placed.assignments, targets, s)
    pa = plan.top_up_people(placed, gp, inv, peg_p, wb.katalog_top_up, settings=s, komponen=komponen,
                            eligible=wb.pairs,
                            targets=targets.assign(uncounted_jp=targets["pegawai_id"].map(unc).fillna(0.0)))
    pa = finish_mandatory(pa, wb, peg_p, katalog)
    pa.assignments["putaran"] = pd.to_numeric(pa.assignments["putaran"]).fillna(0).astype("int64")  # 0: not selected
    if lines_mode:  # one plan: the money per line is the per-person plan's, mandatory rows included
        # tahap "wajib" kept: the reserve spent; mandatory seats with components charged per payer's line
        pa.budget = _line_model.lines_budget(gp, in_plan(pa.assignments), wb.split_correction())
        gp.budget = pa.budget
        gp.explanations = refill_.final_reasons(gp.explanations, pa.assignments, pa.budget, k_opt, groups, inv,
                                                settings=s, komponen=komponen)
    elif budget is None:  # the ceilings as the agency holds them, the mandatory reserve inside "used"
        pa.budget = with_reserve(pa.budget, wb.usage, anggaran, str(s["plan.funding"]))
    done = as_planned(pa)  # the rows that will happen (not the "belum terdanai" ones)
    sched = plan.schedule(done.assignments, katalog, year=ctx.year, settings=s)
    sched = intake_after_tmt(sched, tables.get("formasi_tahun_rencana"), ctx.year, katalog) if "bulan" in sched else sched
    mentoring = plan.mentoring_pairs(peg, need["gaps"], capacity=int(s["plan.mentor_capacity"]), year=ctx.year,
                                     settings=s)
    talent = plan.talent_pool(peg, need["gaps"], settings=s)
    table = plan.plan_table(gp, sched if "bulan" in sched else done, katalog, groups, lang=ctx.lang, settings=s,
                            kamus=tables.get("kamus_kompetensi"), components=wb.components)
    persons = sched if "bulan" in sched else done.assignments
    idp = plan.individual_plans(persons[~persons["intake"].astype(bool)], inv, katalog, settings=s)
    budget_units = plan.budget_by_unit(gp, done)
    coverage = plan.jp_coverage(done, peg, settings=s)
    res = PlanResult(ctx, _with_estimates(tables, ctx), groups, criteria, ranking, agreement, sensitivity, funding, frontier, gp, pa,
                     sched, mentoring, talent, table, idp, budget_units, coverage)
    res.jp_targets = targets
    res.refill_rounds = res_refill_rounds  # per refill round its figures (not written; bench and tests)
    _set_jp_tables(res, done.assignments, targets, katalog)
    res.below_reasons = below_reasons(pa.below_minimum, s)
    res.components = wb.components  # the mandatory seats' components on their payers' lines (restricted)
    res.mandatory = wb  # the run's block (person level); not a field: load_result cannot rebuild it
    res.mandatory_table, res.mandatory_summary = wb.table, wb.summary
    res.mandatory_lines, res.infeasible = wb.usage, shown_infeasible(wb.infeasible, s)
    res.assumptions = assumption_counts(wb.status, s)
    if write:
        res.written = _write(res)
    return res


def below_reasons(below: pd.DataFrame | None, settings) -> pd.DataFrame:
    """PNS below the JP minimum per unit and reason code (aggregate; small counts suppressed).

    A person with two codes (e.g. ``no_need;budget``) counts once under each code; the words of
    a code are :func:`workbook.plan.words.reason_text`.
    """
    cols = ["kode_unit", "reason", "n"]
    if below is None or not len(below):
        return pd.DataFrame({c: pd.Series([], dtype="str" if c != "n" else "int64") for c in cols})
    rows = []
    for _, r in below.iterrows():
        for code in str(r["reason"]).split(";"):
            if code:
                rows.append((str(r["kode_unit"]), code))
    d = pd.DataFrame(rows, columns=["kode_unit", "reason"])
    agg = d.groupby(["kode_unit", "reason"]).size().rename("n").reset_index()
    tot = d.groupby("reason").size().rename("n").reset_index().assign(kode_unit="INSTANSI")
    out = pd.concat([agg, tot[["kode_unit", "reason", "n"]]], ignore_index=True)
    out = out[cols]
    for c in cols[:-1]:
        out[c] = out[c].astype("str")
    out["n"] = out["n"].astype("int64")
    return suppress_table(out, n_col="n", value_cols=[], parent_cols=["reason"], settings=settings)


def _set_jp_tables(res: PlanResult, planned: pd.DataFrame, targets: pd.DataFrame, katalog: pd.DataFrame) -> None:
    """The 20-JP tables of the result (owed coverage, PPPK coverage, JP by form) as published
    (small counts suppressed): the same tables :func:`load_result` reads back."""
    s = res.ctx.settings
    res.jp_owed = jp_right.owed_coverage(planned, targets, s, below=res.assignment.below_minimum)
    res.jp_pppk = jp_right.pppk_coverage(planned, targets, s)
    res.jp_forms = jp_right.jp_by_form(planned, katalog, s)
    shown = shown_jp_tables(res)
    res.jp_owed, res.jp_pppk, res.jp_forms = (shown["jp_owed_coverage"], shown["jp_pppk_coverage"],
                                              shown["jp_by_form"])


def shown_jp_tables(res: PlanResult) -> dict[str, pd.DataFrame]:
    """The 20-JP tables as published (small counts suppressed): artefact name → table."""
    s = res.ctx.settings
    out = {}
    for name, df, n_col in (("jp_owed_coverage", res.jp_owed, "owed"), ("jp_pppk_coverage", res.jp_pppk, "pppk"),
                            ("jp_by_form", res.jp_forms, "n")):
        if df is None:
            continue
        if "suppressed" in df:  # already as published (read back by load_result)
            out[name] = df
            continue
        num = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and c != n_col]
        shares = [c for c in df.columns if c.startswith("share")]
        out[name] = suppress_table(df, n_col=n_col, value_cols=num, share_cols=shares, parent_cols=(), settings=s)
    return out


def shown_coverage(res: PlanResult) -> pd.DataFrame:
    cov = res.coverage
    n_col = "pns" if "pns" in cov else "n"
    num = [c for c in cov.columns if pd.api.types.is_numeric_dtype(cov[c]) and c != n_col]
    shares = [c for c in cov.columns if c.startswith("share")]
    return suppress_table(cov, n_col=n_col, value_cols=num, share_cols=shares, parent_cols=(), settings=res.ctx.settings)


#: GroupPlan table -> the artefact it is written to (its other fields are one row of ``group_plan``)
_GROUP_PLAN_TABLES = {"allocation": "allocation", "coverage": "group_coverage",
                      "budget": "group_budget", "explanations": "explanations", "unmet": "unmet",
                      "greedy": "greedy_allocation", "allocation_lines": "allocation_lines"}


def _group_plan_facts(gp: plan.GroupPlan) -> pd.DataFrame:
    """The figures of the group-level plan (status, objective, values, gap, timings…) as one row."""
    row = {f.name: getattr(gp, f.name) for f in fields(gp) if f.name not in _GROUP_PLAN_TABLES}
    row["group_keys"] = ";".join(gp.group_keys)
    return pd.DataFrame([row])


def _allocation_lines(gp: plan.GroupPlan) -> pd.DataFrame:
    """Seats per group × programme × budget line (empty with the pooled funding modes)."""
    if isinstance(gp.allocation_lines, pd.DataFrame):
        return gp.allocation_lines
    cols = list(gp.group_keys) + ["program_id", "line_id"]
    out = pd.DataFrame({c: pd.Series([], dtype="str") for c in cols})
    return out.assign(participants=pd.Series([], dtype="int64"), cost=pd.Series([], dtype=float))


def _write(res: PlanResult) -> list:
    from workbook.core import pseudonym

    ctx = res.ctx
    agg = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE)
    rst = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE, "restricted")
    gp = res.group_plan
    cov = shown_coverage(res)
    written = [
        artefacts.write_parquet(res.ranking, agg / "ranking.parquet"),
        artefacts.write_parquet(res.agreement, agg / "agreement.parquet"),
        artefacts.write_parquet(res.sensitivity, agg / "sensitivity.parquet"),
        artefacts.write_parquet(res.funding, agg / "funding_probability.parquet"),
        artefacts.write_parquet(res.frontier, agg / "frontier.parquet"),
        artefacts.write_parquet(res.plan_table, agg / "plan_table.parquet"),
        artefacts.write_parquet(gp.explanations, agg / "explanations.parquet"),
        artefacts.write_parquet(res.budget_lines, agg / "budget_lines.parquet"),
        artefacts.write_parquet(res.budget, agg / "budget_units.parquet"),
        artefacts.write_parquet(cov, agg / "coverage.parquet"),
        artefacts.write_parquet(gp.unmet, agg / "unmet.parquet"),
    ]
    if res.below_reasons is not None:
        written.append(artefacts.write_parquet(res.below_reasons, agg / "below_minimum_reasons.parquet"))
    written += [artefacts.write_parquet(df, agg / f"{name}.parquet") for name, df in shown_jp_tables(res).items()]
    for name in ("mandatory", "mandatory_summary", "mandatory_lines", "infeasible", "assumptions"):
        df = getattr(res, "mandatory_table" if name == "mandatory" else name)
        if df is not None:
            written.append(artefacts.write_parquet(df, agg / f"{name}.parquet"))
    written += [
        artefacts.write_parquet(res.criteria, agg / "criteria.parquet"),
        artefacts.write_parquet(_group_plan_facts(gp), agg / "group_plan.parquet"),
        artefacts.write_parquet(gp.budget, agg / "group_budget.parquet"),
        artefacts.write_parquet(res.assignment.summary, agg / "assignment_summary.parquet"),
    ]
    rp = ("anggaran", "pagu", "used", "remaining", "biaya_per_peserta", "cost", "biaya")
    written.append(artefacts.write_xlsx(
        {"rencana_pasal_207": res.plan_table, "prioritas": res.ranking, "anggaran_unit": res.budget,
         "pagu": res.budget_lines, "cakupan_jp": cov,
         "alasan_program": words.explanations_sheet(gp.explanations)},
        agg / "plan.xlsx", lang=ctx.lang, rupiah_cols=rp + ("used_group_plan", "used_top_up", "cost_top_up",
                                                           "cost_assigned", "usulan_biaya"),
        percent_cols=("share_reaching",),
        banner="Agregat (boleh dibagikan) / Aggregate (shareable)"))
    artefacts.write_manifest(agg, stage=STAGE, settings=ctx.settings, params=ctx.params(), files=written)
    rwritten = [
        artefacts.write_parquet(res.assignment.assignments, rst / "assignments.parquet"),
        artefacts.write_parquet(res.schedule, rst / "schedule.parquet"),
        artefacts.write_parquet(res.mentoring, rst / "mentoring.parquet"),
        artefacts.write_parquet(res.talent, rst / "talent.parquet"),
        artefacts.write_parquet(res.idp, rst / "idp.parquet"),
    ]
    if res.below_minimum is not None:
        rwritten.append(artefacts.write_parquet(res.below_minimum, rst / "below_minimum.parquet"))
    if res.jp_targets is not None:
        rwritten.append(artefacts.write_parquet(res.jp_targets, rst / "jp_targets.parquet"))
    comp = getattr(getattr(res, "mandatory", None), "components", None)
    if comp is not None:  # the mandatory seats' komponen_biaya, each on its payer's line (kode_rekening kept)
        rwritten.append(artefacts.write_parquet(comp, rst / "mandatory_components.parquet"))
    rwritten += [
        artefacts.write_parquet(res.groups, rst / "groups.parquet"),
        artefacts.write_parquet(gp.allocation, rst / "allocation.parquet"),
        artefacts.write_parquet(_allocation_lines(gp), rst / "allocation_lines.parquet"),
        artefacts.write_parquet(gp.greedy, rst / "greedy_allocation.parquet"),
        artefacts.write_parquet(gp.coverage, rst / "group_coverage.parquet"),
        artefacts.write_parquet(res.assignment.unfilled, rst / "unfilled.parquet"),
        artefacts.write_parquet(res.coverage, rst / "coverage_raw.parquet"),
    ]
    artefacts.write_manifest(rst, stage=STAGE, settings=ctx.settings, params=ctx.params(), files=rwritten)
    # Confidential class: re-identified only here, in its own folder with a RAHASIA marker.
    conf = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE, "confidential")
    talent = words.talent_sheet(res.talent)  # the recommendation in words, for the reader
    try:
        idp = pseudonym.reidentify(res.idp, "pegawai_id", ctx.settings)
        talent = pseudonym.reidentify(talent, "pegawai_id", ctx.settings)
    except WorkbookError:  # no re-identification table (data without NIP): pseudonyms only
        idp = res.idp
    banner = "RAHASIA — data pribadi (UU 27/2022) / CONFIDENTIAL — personal data"
    cwritten = [artefacts.write_xlsx({"rencana_individu": idp}, conf / "individual_development_plans.xlsx",
                                     lang=ctx.lang, rupiah_cols=("biaya",), banner=banner),
                artefacts.write_xlsx({"kotak_talenta": talent}, conf / "talent_pool.xlsx", lang=ctx.lang, banner=banner)]
    artefacts.write_manifest(conf, stage=STAGE, settings=ctx.settings, params=ctx.params(), files=cwritten)
    return written + rwritten + cwritten


def _load_group_plan(ctx: Context) -> plan.GroupPlan:
    facts = artefacts.read(ctx, STAGE, "group_plan").iloc[0].to_dict()
    facts = {k: v.item() if hasattr(v, "item") else v for k, v in facts.items()}
    facts["group_keys"] = [k for k in str(facts["group_keys"] or "").split(";") if k]
    tables = {f: artefacts.read(ctx, STAGE, name) for f, name in _GROUP_PLAN_TABLES.items()}
    return plan.GroupPlan(**tables, **facts)


def load_result(ctx: Context) -> PlanResult:
    """Stage 02's result rebuilt from the artefacts it wrote (read through the registry).

    Nothing is solved again: the group-level plan, the person assignment, the schedule and the
    tables are read back as written; ``coverage`` is the person-level JP coverage before
    suppression (``coverage_raw``). ``assignment.budget`` is the written ``budget_lines``. A
    missing artefact raises a bilingual :class:`~workbook.core.exceptions.DataError`.
    """
    def read(name: str, required: bool = True) -> pd.DataFrame | None:
        return artefacts.read(ctx, STAGE, name, required=required)

    pa = plan.PersonAssignment(read("assignments"), read("unfilled"), read("assignment_summary"),
                               below_minimum=read("below_minimum", False),
                               budget=read("budget_lines"))
    res = PlanResult(ctx, _with_estimates(artefacts.require_clean_tables(ctx), ctx), read("groups"), read("criteria"),
                     read("ranking"), read("agreement"), read("sensitivity"),
                     read("funding_probability"), read("frontier"), _load_group_plan(ctx), pa,
                     read("schedule"), read("mentoring"), read("talent"), read("plan_table"),
                     read("idp"), read("budget_units"), read("coverage_raw"))
    res.below_reasons = read("below_minimum_reasons", False)
    res.components = read("mandatory_components", False)
    res.mandatory_table, res.mandatory_summary = read("mandatory", False), read("mandatory_summary", False)
    res.mandatory_lines, res.infeasible = read("mandatory_lines", False), read("infeasible", False)
    res.assumptions = read("assumptions", False)
    res.jp_targets = read("jp_targets", False)
    res.jp_owed, res.jp_pppk = read("jp_owed_coverage", False), read("jp_pppk_coverage", False)
    res.jp_forms = read("jp_by_form", False)
    return res
