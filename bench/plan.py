"""Benchmark: exact group-level plan (MILP, HiGHS), person assignment, top-up, greedy baseline.

Reproducible: a synthetic agency-like instance from ``--seed`` — units of different sizes,
PNS/PPPK/CPNS, four need profiles with their own competency mix, an inventory of 1–5 needs
per person, and a catalogue of ``--programmes`` programmes (1–3 competencies each, forms and
costs as in a pemda catalogue). The budget is ``--budget-share`` of what it would cost to give
every need its cheapest programme.

With ``--funding lines`` (default) the budget is split into budget lines as an agency holds
them (:func:`budget_lines_for`): a BKPSDM line for everyone (50 %), three OPDs with their own
DPA line for technical and functional training (10 % each), a BLUD line for one unit (5 %) and a
second central line for the remaining units (15 %); every line is its own constraint of the
selection model. ``--funding pool`` gives the previous single-pool figures.

Usage::

    .venv/bin/python bench/plan.py --employees 10000 --programmes 300 --seed 0
    .venv/bin/python bench/plan.py --funding pool --compare-gap 0
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import pandas as pd

from workbook.core.exceptions import InfeasibleError
from workbook.core.settings import load_settings
from workbook.plan.calendar import schedule
from workbook.plan.groups import candidate_programmes, need_groups, plan_groups
from workbook.plan.people import assign_people
from workbook.plan.refill import first_prior, refill
from workbook.plan.tables import jp_coverage
from workbook.plan.top_up import top_up_people

FORMS = [
    ("pelatihan_teknis", 0.35),
    ("pelatihan_manajerial", 0.1),
    ("seminar", 0.1),
    ("lokakarya", 0.1),
    ("bimtek", 0.1),
    ("e_learning", 0.1),
    ("coaching", 0.05),
    ("pelatihan_fungsional", 0.1),
]


def make_instance(
    n_emp: int, n_prog: int, seed: int, n_units: int = 30, n_tech: int = 20
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, float]:
    """Employees (with profile), inventory, catalogue and a budget."""
    rng = np.random.default_rng(seed)
    comps = (
        [f"M.{i}" for i in range(1, 9)] + ["SK.1"] + [f"T.{i:02d}" for i in range(1, n_tech + 1)]
    )
    size = rng.lognormal(0, 0.8, n_units)
    units = [f"U{u:02d}" for u in range(n_units)]
    unit = rng.choice(units, n_emp, p=size / size.sum())
    status = rng.choice(["PNS", "PPPK", "CPNS"], n_emp, p=[0.8, 0.15, 0.05])
    profil = rng.integers(1, 5, n_emp).astype(str)
    peg = pd.DataFrame(
        {
            "pegawai_id": [f"P{i:06d}" for i in range(n_emp)],
            "kode_unit": unit,
            "status": status,
            "profil": profil,
        }
    )
    # each profile prefers a different slice of the competencies
    prefs = {str(k): rng.dirichlet(np.full(len(comps), 0.3)) for k in range(1, 5)}
    rows_p, rows_k, rows_s = [], [], []
    for pid, pr in zip(peg["pegawai_id"], profil, strict=True):
        k = rng.integers(1, 6)
        chosen = rng.choice(len(comps), size=k, replace=False, p=prefs[pr])
        rows_p += [pid] * k
        rows_k += [comps[c] for c in chosen]
        rows_s += list(rng.uniform(0.05, 1.0, k))
    inv = pd.DataFrame({"pegawai_id": rows_p, "kode_kompetensi": rows_k, "need_score": rows_s})
    inv["priority"] = (
        inv.groupby("pegawai_id")["need_score"].rank(ascending=False, method="first").astype(int)
    )
    forms, w = zip(*FORMS, strict=True)
    bentuk = rng.choice(forms, n_prog, p=np.array(w) / sum(w))
    jp = np.where(
        np.isin(bentuk, ["seminar", "lokakarya", "coaching"]),
        np.nan,
        rng.choice([8, 12, 16, 20, 24, 30, 40], n_prog),
    )
    hari = np.where(np.isnan(jp), rng.integers(1, 4, n_prog), np.nan)
    cost = np.where(bentuk == "e_learning", 0.0, rng.integers(5, 60, n_prog) * 100_000.0)
    months = [
        ";".join(map(str, sorted(rng.choice(np.arange(1, 13), rng.integers(2, 9), replace=False))))
        for _ in range(n_prog)
    ]
    kat = pd.DataFrame(
        {
            "program_id": [f"PRG-{i:03d}" for i in range(n_prog)],
            "nama_program": [f"Program {i}" for i in range(n_prog)],
            "bentuk": bentuk,
            "kode_kompetensi": [
                ";".join(rng.choice(comps, rng.integers(1, 4), replace=False))
                for _ in range(n_prog)
            ],
            "jp": jp,
            "hari": hari,
            "cakupan": "nasional",
            "biaya_per_peserta": cost,
            "kapasitas_per_sesi": np.where(
                bentuk == "e_learning", 500, rng.integers(20, 41, n_prog)
            ),
            "penyelenggara": rng.choice(["BPSDM Provinsi", "LAN", "Internal"], n_prog),
            "bulan_tersedia": months,
            "sumber_dana": "APBD",
            "kesesuaian_kurikulum": "sesuai",
        }
    )
    # budget: a share of the cost of the cheapest paid programme per need line
    ex = kat.assign(k=kat["kode_kompetensi"].str.split(";")).explode("k")
    cheapest = ex[ex["biaya_per_peserta"] > 0].groupby("k")["biaya_per_peserta"].min()
    full = float(inv["kode_kompetensi"].map(cheapest).fillna(0).sum())
    return peg, inv, kat, full


def budget_lines_for(peg: pd.DataFrame, budget: float) -> pd.DataFrame:
    """``anggaran`` with several lines (see the module docstring) summing to ``budget``."""
    units = peg["kode_unit"].value_counts().index.tolist()  # largest first
    opd, blud, rest = units[:3], units[3], units[4:]
    rows = [("APBD", "", "BKPSDM", "", "", 0.5 * budget)]
    rows += [("APBD", u, u, "teknis;fungsional", u, 0.1 * budget) for u in opd]
    rows += [("BLUD", blud, blud, "", blud, 0.05 * budget)]
    rows += [("APBD", "", "BKPSDM", "", ";".join(rest), 0.15 * budget)]
    a = pd.DataFrame(rows, columns=["sumber_dana", "kode_unit", "dpa", "jenis_program", "cakupan_unit", "pagu"])
    a["sub_kegiatan"] = ["Pengembangan Kompetensi ASN"] + ["Diklat Tugas dan Fungsi"] * (len(a) - 1)
    return a


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=10000)
    ap.add_argument("--programmes", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--budget-share", type=float, default=0.3)
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument(
        "--mip-rel-gap",
        type=float,
        default=float(load_settings()["plan.bench_mip_rel_gap"]),
        help="HiGHS stop gap (default: setting plan.bench_mip_rel_gap)",
    )
    ap.add_argument(
        "--compare-gap",
        type=float,
        default=1e-4,
        help="also solve at this (tighter) gap and report it; 0 = skip",
    )
    ap.add_argument("--funding", choices=["lines", "pool"], default="lines",
                    help="budget lines as separate constraints (default) or one pool")
    ap.add_argument("--refill-rounds", type=int, default=int(load_settings()["plan.refill_rounds"]),
                    help="with --funding lines: also run the plan with the person-cell limits and this many refill "
                         "rounds (setting plan.refill_rounds) and print its time beside the plan without; 0 = skip")
    a = ap.parse_args()

    t0 = time.perf_counter()
    peg, inv, kat, full = make_instance(a.employees, a.programmes, a.seed)
    groups = need_groups(inv, peg, profiles=peg[["pegawai_id", "profil"]])
    budget = round(a.budget_share * full, -6)
    budget_arg = budget_lines_for(peg, budget) if a.funding == "lines" else budget
    t_gen = time.perf_counter() - t0

    t0 = time.perf_counter()
    try:
        gp = plan_groups(
            groups, kat, budget_arg, pegawai=peg, time_limit=a.time_limit, mip_rel_gap=a.mip_rel_gap,
            funding=a.funding,
        )
    except InfeasibleError as e:  # a time-out without any solution: say so, never a traceback
        print(f"exact plan (milp/HiGHS): no solution after {time.perf_counter() - t0:.1f} s: {e.message_en}")
        return
    t_plan = time.perf_counter() - t0
    tight = None
    if a.compare_gap > 0:
        t0 = time.perf_counter()
        tight = plan_groups(
            groups, kat, budget_arg, pegawai=peg, time_limit=a.time_limit, mip_rel_gap=a.compare_gap,
            funding=a.funding,
        )
        t_tight = time.perf_counter() - t0
    t0 = time.perf_counter()
    pa = assign_people(gp, inv, peg, kat)
    t_assign = time.perf_counter() - t0
    cov0 = jp_coverage(pa, peg).set_index("kode_unit").loc["INSTANSI"]
    t0 = time.perf_counter()
    pb = top_up_people(pa, gp, inv, peg, kat)
    t_top = time.perf_counter() - t0
    t0 = time.perf_counter()
    sch = schedule(pb, kat, year=2027)
    t_sched = time.perf_counter() - t0
    cov = jp_coverage(pb, peg).set_index("kode_unit").loc["INSTANSI"]

    n_pairs = int(
        sum(
            len(set(k.split(";")) & {c}) > 0
            for c in groups["kode_kompetensi"]
            for k in kat["kode_kompetensi"]
        )
    )
    lines_txt = (f" ({len(budget_arg)} lines, {len(gp.allocation_lines)} seat-line rows)"
                 if a.funding == "lines" else "")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        f"instance: {a.employees} employees, {a.programmes} programmes, seed {a.seed}; "
        f"{len(inv)} need lines, {len(groups)} need groups, {n_pairs} group×programme pairs; "
        f"budget Rp {budget:,.0f} ({a.budget_share:.0%} of Rp {full:,.0f}), funding {a.funding}{lines_txt}; "
        f"generated in {t_gen:.1f} s"
    )
    print(
        f"exact plan (milp/HiGHS): {t_plan:.1f} s total, solver {gp.seconds:.1f} s, "
        f"status {gp.status}, stop gap {a.mip_rel_gap:g}, MIP gap {gp.gap:.2e}; objective {gp.objective:,.2f}, "
        f"need value {gp.value:,.2f}, seats {int(gp.allocation['participants'].sum())}, "
        f"cost Rp {gp.allocation['cost'].sum():,.0f}, JP shortfall "
        f"{gp.coverage['shortfall'].sum():,.0f} of {gp.coverage['jp_owed'].sum():,.0f}"
    )
    if tight is not None:
        print(
            f"exact plan at gap {a.compare_gap:g}: {t_tight:.1f} s, status {tight.status}, "
            f"MIP gap {tight.gap:.2e}; objective {tight.objective:,.2f} "
            f"({(tight.objective - gp.objective) / abs(tight.objective):+.3%} vs the plan above)"
        )
    print(
        f"greedy baseline (value per Rupiah): {gp.greedy_seconds:.2f} s; objective "
        f"{gp.greedy_objective:,.2f}, need value {gp.greedy_value:,.2f}, seats "
        f"{int(gp.greedy['participants'].sum())}"
    )
    m = pa.metric
    print(
        f"person assignment: {t_assign:.1f} s; seats planned {m('seats_planned'):.0f}, filled "
        f"{m('seats_filled'):.0f}, unfilled {m('seats_unfilled'):.0f}; need value lost "
        f"{m('value_lost'):.2f} ({m('value_lost_share'):.2%}); PPPK seats blocked by the cap "
        f"{m('pppk_blocked'):.0f}"
    )
    print(
        f"schedule: {t_sched:.1f} s; {sch.groupby(['program_id', 'sesi']).ngroups} sessions, "
        f"{int(sch['conflict'].sum())} same-month conflicts left by the heuristic"
    )
    print(
        f"JP coverage after assignment (person level): {int(cov0['pns_reaching'])} of "
        f"{int(cov0['pns'])} PNS reach 20 JP ({cov0['share_reaching']:.1%})"
    )
    m2 = pb.metric
    reasons = pb.below_minimum["reason"].value_counts().to_dict()
    b = pb.budget
    print(
        f"top-up: {t_top:.1f} s; {m2('top_up_seats'):.0f} seats ({m2('top_up_general_seats'):.0f} "
        f"general), Rp {m2('top_up_cost'):,.0f}; budget used Rp {b['used'].sum():,.0f} of "
        f"Rp {b['pagu'].sum():,.0f}; still below 20 JP by reason: {reasons}"
    )
    if "line_id" in pb.assignments:
        used = pb.assignments.groupby("line_id")["biaya_kas"].sum()
        over = int((b.set_index("line_id")["pagu"] < b.set_index("line_id").index.map(used).fillna(0) - 1e-6).sum()) \
            if "line_id" in b else 0
        print(f"lines: {pb.assignments['line_id'].isna().sum()} seats without a line; {over} lines over their pagu "
              f"(used per line = Σ biaya_kas of its seats)")
    print(
        f"JP coverage after top-up (person level): {int(cov['pns_reaching'])} of {int(cov['pns'])} "
        f"PNS reach 20 JP ({cov['share_reaching']:.1%}); PPPK over cap {int(cov['pppk_over_cap'])}"
    )
    if a.funding == "lines" and a.refill_rounds > 0:
        _bench_refill(a, groups, inv, peg, kat, budget_arg,
                      {"plan": t_plan, "assign": t_assign, "top": t_top, "gp": gp}, pa, pb)


def _bench_refill(a, groups, inv, peg, kat, budget_arg, prev: dict, pa, pb) -> None:
    """The real pipeline of run_plan (workbook/plan/stage.py) with budget lines: the selection with
    the person-cell limits (``first_prior``; on a time-out without a solution the stage's fallback
    re-solves without them), the per-person assignment, each refill round (``--refill-rounds``) and
    the top-up, printed beside the previous approach (selection without the limits, assignment,
    top-up: the lines above) of the same run. Never stops on a solver time-out: it says so."""
    from workbook.plan.stage import _plan_groups

    s = load_settings()
    s.entries["plan.refill_rounds"]["value"] = a.refill_rounds
    s.entries["plan.mip_rel_gap"]["value"] = a.mip_rel_gap
    s.entries["plan.time_limit_s"]["value"] = a.time_limit
    s.entries["plan.funding"]["value"] = "lines"
    t0 = time.perf_counter()
    n_pairs = int(len(candidate_programmes(groups, kat, settings=s)))
    prior = first_prior(inv, peg, groups, kat, s, n_pairs=n_pairs)
    t_prior = time.perf_counter() - t0
    t0 = time.perf_counter()
    gp = _plan_groups(groups, kat, budget_arg, peg, s, None, None, prior)
    t_sel = time.perf_counter() - t0
    fell_back = getattr(gp, "fallback_after_s", None)
    t0 = time.perf_counter()
    pa_r = assign_people(gp, inv, peg, kat, settings=s)
    t_assign = time.perf_counter() - t0
    t0 = time.perf_counter()
    rf = refill(gp, pa_r, inv, peg, kat, budget_arg, settings=s,
                make_groups=lambda rem: need_groups(rem, peg, profiles=peg[["pegawai_id", "profil"]]))
    t_refill = time.perf_counter() - t0
    t0 = time.perf_counter()
    pb_r = top_up_people(rf.placed, gp, inv, peg, kat, settings=s)
    t_top = time.perf_counter() - t0
    n_rows = 0 if prior is None or prior.person_limit is None else len(prior.person_limit)
    print(f"--- the pipeline of run_plan: selection + {a.refill_rounds} refill rounds with the person-cell limits "
          f"(beside the previous approach: no limits, no refill; lines above) ---")
    if prior is None:
        print(f"person-cell limits: not in the first selection ({n_pairs} pairs > plan.person_limits_max_pairs "
              f"{int(s['plan.person_limits_max_pairs'])}); the refill rounds keep them; checked in {t_prior:.1f} s")
    else:
        print(f"person-cell limits in the first selection: {n_rows} (cell, programme) limits, "
              f"{0 if prior.pppk_cells is None else len(prior.pppk_cells)} PPPK cells; built in {t_prior:.1f} s")
    if fell_back is not None:
        print(f"selection WITH the limits: no solution within {a.time_limit:g} s (gave up after {fell_back:.1f} s); "
              f"fallback without the limits used (figures below are the fallback's)")
    m0, m1 = pa.metric, pa_r.metric
    rows = [
        ("selection time (s)", f"{t_sel:.1f}", f"{prev['plan']:.1f}"),
        ("selection status", gp.status, prev["gp"].status),
        ("MIP gap", f"{gp.gap:.2e}", f"{prev['gp'].gap:.2e}"),
        ("objective", f"{gp.objective:,.2f}", f"{prev['gp'].objective:,.2f}"),
        ("seats chosen", f"{m1('seats_planned'):.0f}", f"{m0('seats_planned'):.0f}"),
        ("assignment time (s)", f"{t_assign:.1f}", f"{prev['assign']:.1f}"),
        ("seats filled", f"{m1('seats_filled'):.0f}", f"{m0('seats_filled'):.0f}"),
        ("seats unfilled", f"{m1('seats_unfilled'):.0f}", f"{m0('seats_unfilled'):.0f}"),
        ("need value lost", f"{m1('value_lost'):,.2f} ({m1('value_lost_share'):.2%})",
         f"{m0('value_lost'):,.2f} ({m0('value_lost_share'):.2%})"),
    ]
    r = rf.rounds
    for _, x in r.iterrows():
        rows.append((f"refill round {int(x['putaran'])}",
                     f"solver {x['seconds']:.1f} s; chose {int(x['seats_chosen'])}, filled {int(x['seats_filled'])}, "
                     f"Rp {x['cost']:,.0f}, value {x['value']:,.2f}", "-"))
    rows.append(("refill total", f"{t_refill:.1f} s; {len(r)} rounds ran; filled {int(r['seats_filled'].sum())} "
                 f"seats, Rp {r['cost'].sum():,.0f}", "-"))
    filled = int((rf.placed.assignments["putaran"] >= 1).sum())
    rows.append(("seats filled after refill", str(filled), f"{m0('seats_filled'):.0f}"))
    rows.append(("top-up time (s)", f"{t_top:.1f}", f"{prev['top']:.1f}"))
    m2, mb = pb_r.metric, pb.metric
    rows.append(("top-up seats", f"{m2('top_up_seats'):.0f}", f"{mb('top_up_seats'):.0f}"))
    used_r, used_b = pb_r.budget["used"].sum(), pb.budget["used"].sum()
    rows.append(("budget used (Rp)", f"{used_r:,.0f}", f"{used_b:,.0f}"))
    cov_r = jp_coverage(pb_r, peg).set_index("kode_unit").loc["INSTANSI"]
    cov_b = jp_coverage(pb, peg).set_index("kode_unit").loc["INSTANSI"]
    rows.append(("PNS reaching 20 JP", f"{int(cov_r['pns_reaching'])} of {int(cov_r['pns'])}",
                 f"{int(cov_b['pns_reaching'])} of {int(cov_b['pns'])}"))
    total = t_prior + t_sel + t_assign + t_refill + t_top
    rows.append(("total (s)", f"{total:.1f}", f"{prev['plan'] + prev['assign'] + prev['top']:.1f}"))
    w0 = max(len(x[0]) for x in rows)
    w1 = max(len(x[1]) for x in rows)
    print(f"{'':{w0}}  {'pipeline (selection + refill)':{w1}}  previous (no limits)")
    for k, v1, v0 in rows:
        print(f"{k:{w0}}  {v1:{w1}}  {v0}")
    before = pb.budget.set_index("line_id")["remaining"]
    after = pb_r.budget.set_index("line_id")["remaining"]
    print("sisa per line previous → pipeline: " + "; ".join(
        f"{k}: Rp {before[k]:,.0f} → Rp {after.get(k, float('nan')):,.0f}" for k in before.index))


if __name__ == "__main__":
    main()
