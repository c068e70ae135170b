"""The 20-JP right, truthfully (issue #17 item 4): read from the Parquet artefacts of the sample run
and of agency B, as a user sees them — nobody owed a target stays below it while a free
non-classical programme they are eligible for has places, no PPPK above the cap, every top-up seat
an eligible pair, JP by form summing to the per-person plan, coverage counts equal a recount; plus
small hand-built cases for ``jp.cpns_to_pns``, the PPPK cap period and the top-up's caps."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

import workbook.plan as P
import workbook.plan.jp_right as J
from workbook.core import artefacts
from workbook.core.settings import load_settings
from workbook.plan.catalogue import _catalogue
from workbook.plan.eligibility import eligible, plan_year_status, programme_wajib
from workbook.plan.mandatory_plan import with_estimates

S = load_settings()
RUNS = ["sample_run", "agency_b_run"]
TOP_UP = ("tambahan", "umum")


@pytest.fixture(params=RUNS)
def run(request):
    return request.getfixturevalue(request.param)


def _read(run, name: str, cls: str = "aggregate") -> pd.DataFrame:
    df = artefacts.read_artefact(run.ctx.output_dir, run.ctx.year, "02_plan", name, cls)
    if name == "assignments" and "terdanai" in df:  # the rows that will happen
        df = df[df["terdanai"].astype(bool)].reset_index(drop=True)
    return df


def _tables(run) -> dict[str, pd.DataFrame]:
    return artefacts.require_clean_tables(run.ctx)


def _pairs(run) -> set[tuple[str, str]]:
    """The eligible pairs recomputed from the inputs (the optimiser's catalogue: no mandatory programme)."""
    tb, s = _tables(run), run.ctx.settings
    peg, kat = tb["pegawai"], tb["katalog_program"]
    status = plan_year_status(peg, tb.get("riwayat_pelatihan"), run.ctx.year, s,
                              realisasi=tb.get("realisasi_pengembangan"), katalog=kat,
                              kesetaraan=tb.get("kesetaraan_pelatihan"))
    k_opt = kat[(programme_wajib(kat, s)["wajib"] == "").to_numpy()].reset_index(drop=True)
    p = eligible(status, peg, k_opt, s, jf_wajib=tb.get("jf_wajib"), realisasi=tb.get("realisasi_pengembangan"))
    return set(zip(p["pegawai_id"].astype(str), p["program_id"].astype(str), strict=True))


def _free_nonclassical_with_places(run, a: pd.DataFrame) -> pd.DataFrame:
    """Programmes the top-up may use that cost no cash, are non-classical and still have places
    (capacity = months offered × seats per session × sessions per month, minus seats planned)."""
    tb, s = _tables(run), run.ctx.settings
    kat = tb["katalog_program"]
    cat = _catalogue(kat, s)
    comp = tb.get("komponen_biaya")
    paid_parts = set()
    if comp is not None and len(comp):
        paid_parts = set(comp.loc[pd.to_numeric(comp["biaya"], errors="coerce").fillna(0) > 0, "program_id"].astype(str))
    seats = a["program_id"].astype(str).value_counts()
    out = pd.DataFrame({
        "program_id": cat["program_id"].astype(str).to_numpy(),
        "jp": cat["jp"].to_numpy(float),
        "free": (cat["biaya_per_peserta"].to_numpy(float) <= 0) & ~cat["program_id"].astype(str).isin(paid_parts)
        .to_numpy(),
        "nonklasikal": kat.set_index("program_id").loc[cat["program_id"], "jalur"].astype(str).str.lower()
        .to_numpy() == "nonklasikal",
        "usable": ~cat["bentuk"].isin(["latsar", "pelatihan_kepemimpinan"]).to_numpy() & (cat["jp"].to_numpy() > 0),
        "places": np.array([len(b) for b in cat["bulan"]]) * cat["kapasitas_per_sesi"].to_numpy()
        * int(_read(run, "group_plan")["max_sessions_per_month"].iloc[0]) - cat["program_id"].astype(str).map(seats).fillna(0).to_numpy(),
    })
    return out[out["free"] & out["nonklasikal"] & out["usable"] & (out["places"] > 0)]


def _counted(run, a: pd.DataFrame, targets: pd.DataFrame) -> pd.Series:
    """JP per person that count toward the target or cap, recounted from the assignment rows."""
    s = run.ctx.settings
    py = a["pegawai_id"].astype(str).map(dict(zip(targets["pegawai_id"], targets["status_pada_tahun_rencana"],
                                                  strict=True))).fillna("")
    w = a["wajib"].astype(str) if "wajib" in a else pd.Series("", index=a.index)
    skip = pd.Series(False, index=a.index)
    if not s["jp.latsar_counts_for_new_pns"]:
        skip |= (w == "latsar") & (py == "CPNS_jadi_PNS")
    if s["eligibility.orientasi_outside_pppk_cap"]:
        skip |= (w == "orientasi_pppk") & (py == "PPPK")
    jp = a["jp"].astype(float).where(~skip, 0.0)
    return jp.groupby(a["pegawai_id"].astype(str)).sum()


def test_nobody_owed_is_below_target_while_a_free_eligible_nonclassical_programme_has_places(run):
    a = _read(run, "assignments", "restricted")
    tg = _read(run, "jp_targets", "restricted")
    jp = _counted(run, a, tg)
    tg = tg.assign(jp=tg["pegawai_id"].map(jp).fillna(0.0))
    below = tg[tg["owed"] & (tg["jp"] < tg["target_jp"] - 1e-9)]
    free = _free_nonclassical_with_places(run, a)
    assert len(free) > 0  # the check has something to check: free places remain
    pairs = _pairs(run)
    taken = set(zip(a["pegawai_id"].astype(str), a["program_id"].astype(str), strict=True))
    missed = [(p, q) for p in below["pegawai_id"] for q in free["program_id"]
              if (p, q) in pairs and (p, q) not in taken]
    assert missed == []
    # CPNS becoming PNS are owed under the default (full) and counted against their target
    jadi = tg[tg["status_pada_tahun_rencana"] == "CPNS_jadi_PNS"]
    assert len(jadi) > 0 and jadi["owed"].all() and (jadi["target_jp"] == S["jp.minimum_pns"]).all()
    # whoever stays below is listed with a reason, and "unavailable" only for the unavailable
    bm = _read(run, "below_minimum", "restricted").set_index("pegawai_id")
    assert set(below["pegawai_id"]) == set(bm.index)
    assert (bm["reason"].astype(str) != "").all()
    away = bm["reason"].str.contains("unavailable")
    assert (bm.loc[away, "unavailable_reason"] != "").all()


def test_no_pppk_above_the_cap(run):
    a = _read(run, "assignments", "restricted")
    tg = _read(run, "jp_targets", "restricted")
    jp = _counted(run, a, tg)
    pppk = tg[tg["status"] == "PPPK"].assign(jp=lambda d: d["pegawai_id"].map(jp).fillna(0.0))
    assert len(pppk) > 0
    assert (pppk["cap_jp"] <= S["jp.pppk_maximum"]).all()
    assert (pppk["jp"] <= pppk["cap_jp"] + 1e-9).all(), pppk[pppk["jp"] > pppk["cap_jp"]].to_dict("records")
    cov = _read(run, "jp_pppk_coverage").set_index("kode_unit")
    assert cov.at["INSTANSI", "pppk_over_cap"] == 0
    # PPPK get development: fewer with 0 JP than the 77 of 194 the review found (X6)
    assert (pppk["jp"] > 0).mean() > 0.9


def test_every_top_up_seat_is_an_eligible_pair(run):
    a = _read(run, "assignments", "restricted")
    top = a[a["tahap"].astype(str).isin(TOP_UP)]
    assert len(top) > 0
    pairs = _pairs(run)
    bad = [(p, q) for p, q in zip(top["pegawai_id"].astype(str), top["program_id"].astype(str), strict=True)
           if (p, q) not in pairs]
    assert bad == []


def test_jp_by_form_sums_to_the_per_person_plan(run):
    a = _read(run, "assignments", "restricted")
    f = _read(run, "jp_by_form").set_index("kode_unit")
    agency = f.loc["INSTANSI"]
    assert agency["jp_total"] == pytest.approx(float(a["jp"].sum()))
    parts = sum(agency[f"jp_{k}"] for k in J.FORMS)
    assert parts == pytest.approx(agency["jp_total"])
    assert sum(agency[f"jp_{k}"] for k in J.SHARES_1020_70) == pytest.approx(agency["jp_total"])
    per_unit = a.groupby(a["kode_unit"].astype(str))["jp"].sum()
    shown = f[(f["tingkat"] == "unit") & ~f["suppressed"].astype(bool)]
    assert len(shown) > 0
    assert np.allclose(shown["jp_total"].to_numpy(), per_unit.loc[shown.index].to_numpy())
    # the e-learning column holds the e-learning programmes' JP
    # (with the estimated mandatory rows the catalogue lacks: Orientasi PPPK is LAN's e-learning MOOC)
    kat = with_estimates(_tables(run)["katalog_program"], run.ctx.settings)
    el = set(kat.loc[kat["bentuk"].astype(str).isin(["e_learning", "pelatihan_jarak_jauh"]), "program_id"].astype(str))
    assert agency["jp_e_learning"] == pytest.approx(float(a.loc[a["program_id"].astype(str).isin(el), "jp"].sum()))


def test_coverage_counts_equal_a_recount_from_the_assignments(run):
    a = _read(run, "assignments", "restricted")
    tg = _read(run, "jp_targets", "restricted")
    jp = _counted(run, a, tg)
    d = tg.assign(jp=tg["pegawai_id"].map(jp).fillna(0.0))
    d["reach"] = d["owed"] & (d["jp"] >= d["target_jp"] - 1e-9)
    cov = _read(run, "jp_owed_coverage").set_index("kode_unit")
    ag = cov.loc["INSTANSI"]
    jadi = d["status_pada_tahun_rencana"] == "CPNS_jadi_PNS"
    assert ag["owed"] == d["owed"].sum() and ag["owed_reaching"] == d["reach"].sum()
    assert ag["cpns_jadi_pns"] == jadi.sum() and ag["cpns_jadi_pns_reaching"] == (jadi & d["reach"]).sum()
    assert ag["pns"] == (d["status_pada_tahun_rencana"] == "PNS").sum()
    assert ag["owed_below"] == len(_read(run, "below_minimum", "restricted"))
    for u, r in cov[(cov["tingkat"] == "unit") & ~cov["suppressed"].astype(bool)].iterrows():
        x = d[d["kode_unit"] == u]
        assert (r["owed"], r["owed_reaching"]) == (x["owed"].sum(), x["reach"].sum()), u
    pc = _read(run, "jp_pppk_coverage").set_index("kode_unit").loc["INSTANSI"]
    pp = d[d["status"] == "PPPK"]
    assert pc["pppk"] == len(pp) and pc["pppk_with_jp"] == (pp["jp"] > 0).sum()
    assert pc["jp_total"] == pytest.approx(pp["jp"].sum())


# --- hand-built cases -------------------------------------------------------------------------

def _status(rows: list[tuple[str, str, str, float]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pegawai, plan-year status) from (id, status, status in the plan year, months as PNS)."""
    peg = pd.DataFrame({"pegawai_id": [r[0] for r in rows], "kode_unit": "U", "status": [r[1] for r in rows],
                        "tmt": "2026-07-15"})
    st = pd.DataFrame({"pegawai_id": [r[0] for r in rows], "status_pada_tahun_rencana": [r[2] for r in rows],
                       "bulan_pns_tahun_rencana": [r[3] for r in rows], "unavailable_reason": ""})
    return peg, st


def test_cpns_to_pns_full_pro_rata_and_none():
    peg, st = _status([("A", "PNS", "PNS", 12), ("B", "CPNS", "CPNS_jadi_PNS", 7), ("C", "CPNS", "CPNS", 0),
                       ("D", "CPNS", "CPNS_jadi_PNS", 12)])
    full = J.jp_targets(st, peg, S, plan_year=2027).set_index("pegawai_id")
    assert list(full["target_jp"]) == [20, 20, 0, 20] and list(full["owed"]) == [True, True, False, True]
    pro = J.jp_targets(st, peg, S.with_overrides({"jp.cpns_to_pns": "pro_rata"}), plan_year=2027)
    assert list(pro["target_jp"]) == [20, math.ceil(20 * 7 / 12), 0, 20]  # 12 JP for 7 months as PNS
    none = J.jp_targets(st, peg, S.with_overrides({"jp.cpns_to_pns": "none"}), plan_year=2027)
    assert list(none["target_jp"]) == [20, 0, 0, 0] and list(none["owed"]) == [True, False, False, False]


def test_latsar_of_a_new_pns_counts_only_with_the_setting():
    peg, st = _status([("B", "CPNS", "CPNS_jadi_PNS", 7)])
    tg = J.jp_targets(st, peg, S, plan_year=2027)
    a = pd.DataFrame({"pegawai_id": ["B", "B"], "program_id": ["LAT", "E"], "jp": [240.0, 12.0],
                      "wajib": ["latsar", ""]})
    assert list(J.counted_jp(a, tg, S)) == [False, True]
    assert J.uncounted_per_person(a, tg, S)["B"] == 240
    on = S.with_overrides({"jp.latsar_counts_for_new_pns": True})
    assert list(J.counted_jp(a, tg, on)) == [True, True]


def test_pppk_cap_period_plan_year_or_contract_year():
    peg, st = _status([("K", "PPPK", "PPPK", 0), ("L", "PPPK", "PPPK", 0)])
    # K used 10 JP in September 2026, inside the contract year that began on 15 July 2026;
    # L's 6 JP of March 2026 belong to the contract year that ended in July 2026
    real = pd.DataFrame({"pegawai_id": ["K", "L"], "tanggal_mulai": ["2026-09-01", "2026-03-01"], "jp": [10.0, 6.0]})
    plan_year = J.jp_targets(st, peg, S, plan_year=2027, realisasi=real).set_index("pegawai_id")
    assert list(plan_year["cap_jp"]) == [24, 24]
    contract = J.jp_targets(st, peg, S.with_overrides({"jp.pppk_cap_period": "contract_year"}), plan_year=2027,
                            realisasi=real).set_index("pegawai_id")
    assert contract.at["K", "cap_jp"] == 14 and contract.at["L", "cap_jp"] == 24
    # PPPK are not owed; with plan.top_up_pppk = free they may get free places up to min(20, cap)
    assert not contract["owed"].any() and contract["free_only"].all()
    assert list(contract["target_jp"]) == [14, 20]
    off = J.jp_targets(st, peg, S.with_overrides({"plan.top_up_pppk": "none"}), plan_year=2027)
    assert (off["target_jp"] == 0).all() and not off["free_only"].any()


def _kat(rows: list[dict]) -> pd.DataFrame:
    base = {"nama_program": "x", "jalur": "nonklasikal", "penyelenggara": "BKPSDM", "bulan_tersedia": "",
            "sumber_dana": "APBD", "cakupan": "nasional"}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_top_up_offers_only_eligible_programmes_and_never_passes_a_cap():
    kat = _kat([
        {"program_id": "G1", "bentuk": "e_learning", "kode_kompetensi": "T.1", "jp": 12, "biaya_per_peserta": 0,
         "kapasitas_per_sesi": 100},
        {"program_id": "G2", "bentuk": "e_learning", "kode_kompetensi": "T.2", "jp": 10, "biaya_per_peserta": 0,
         "kapasitas_per_sesi": 100},
        {"program_id": "G3", "bentuk": "e_learning", "kode_kompetensi": "T.3", "jp": 15, "biaya_per_peserta": 0,
         "kapasitas_per_sesi": 100},
    ])
    peg = pd.DataFrame({"pegawai_id": ["A", "B", "K"], "kode_unit": "U", "status": ["PNS", "PNS", "PPPK"]})
    inv = pd.DataFrame({"pegawai_id": pd.Series([], dtype=str), "kode_kompetensi": pd.Series([], dtype=str),
                        "need_score": pd.Series([], dtype=float)})
    groups = pd.DataFrame({"kode_unit": ["U"], "kode_kompetensi": ["Z.1"], "n_need": [1], "need_score": [1.0]})
    gp = P.plan_groups(groups, kat, 100, pegawai=peg)
    pa = P.assign_people(gp, inv, peg, kat)
    # A may take every programme; B only G2 (10 JP: stays below, the reason is the real one); K (PPPK)
    # may take G1 and G3 but their cap is 14 JP here
    pairs = pd.DataFrame({"pegawai_id": ["A", "A", "A", "B", "K", "K"],
                          "program_id": ["G1", "G2", "G3", "G2", "G1", "G3"]})
    st = pd.DataFrame({"pegawai_id": ["A", "B", "K"], "status_pada_tahun_rencana": ["PNS", "PNS", "PPPK"],
                       "bulan_pns_tahun_rencana": [12, 12, 0], "unavailable_reason": ""})
    tg = J.jp_targets(st, peg, S, plan_year=2027).assign(cap_jp=[np.inf, np.inf, 14.0])
    pb = P.top_up_people(pa, gp, inv, peg, kat, settings=S, eligible=pairs, targets=tg)
    a = pb.assignments
    got = set(zip(a["pegawai_id"], a["program_id"], strict=True))
    pset = set(zip(pairs["pegawai_id"], pairs["program_id"], strict=True))
    assert got <= pset
    jp = a.groupby("pegawai_id")["jp"].sum()
    assert jp["A"] >= 20 and jp.get("B", 0) == 10 and jp.get("K", 0) <= 14
    below = pb.below_minimum.set_index("pegawai_id")
    assert set(below.index) == {"B"} and below.at["B", "reason"] == "no_need;no_programme"  # too few eligible JP
    assert below.at["B", "target_jp"] == 20
    # without the pairs (old callers) B would have been given G1 as well
    old = P.top_up_people(pa, gp, inv, peg, kat, settings=S)
    assert old.assignments.groupby("pegawai_id")["jp"].sum()["B"] >= 20


def test_report_blocks_state_the_settings_and_show_only_the_unit(sample_run):
    import workbook.plan.report_jp as R

    res = sample_run["plan"]
    txt = R._texts(res)
    # the rules in plain words (the settings keys are in Appendix A, never in the body)
    assert "diberi target penuh 20 JP (pilihan instansi)" in txt["owed"] and "belum dikonfirmasi" in txt["owed"]
    assert "24 JP per tahun rencana" in txt["pppk"] and "seluruh instansi" in txt["pppk"]
    assert not any(re.search(r"\b[a-z_]+\.[a-z_0-9]+ = |DOMAIN-PLAN|jp\.|plan\.", v) for v in txt.values())
    assert "10:20:70" in txt["forms"] and "bukan batasan" in txt["forms"]
    for table in (R.owed_table, R.pppk_table, R.form_table):
        unit = table(res, "RSUD")
        assert list(unit.iloc[:, 0]) == ["RSUD", "INSTANSI"]
        assert len(table(res, None)) > 2
    # the agency row of the owed table shows the counts the coverage artefact holds
    ag = _read(sample_run, "jp_owed_coverage").set_index("kode_unit").loc["INSTANSI"]
    row = R.owed_table(res, "RSUD").iloc[1]
    assert row.iloc[7] == f"{int(ag['owed']):,}".replace(",", ".")


def test_reason_no_line_when_no_budget_line_of_the_unit_may_pay_the_programme():
    kat = _kat([{"program_id": "T1", "bentuk": "pelatihan_teknis", "jalur": "klasikal", "kode_kompetensi": "M.1",
                 "jp": 20, "biaya_per_peserta": 100, "kapasitas_per_sesi": 10, "jenis_program": "teknis"}])
    peg = pd.DataFrame({"pegawai_id": ["A"], "kode_unit": ["DISDIK"], "status": ["PNS"]})
    inv = pd.DataFrame({"pegawai_id": ["A"], "kode_kompetensi": ["M.1"], "need_score": [1.0]})
    groups = pd.DataFrame({"kode_unit": ["DISDIK"], "kode_kompetensi": ["Z.1"], "n_need": [1], "need_score": [1.0]})
    # the only line is DISDIK's own DPA, for functional training only
    ang = pd.DataFrame({"sumber_dana": ["APBD"], "dpa": ["DISDIK"], "kode_unit": ["DISDIK"], "pagu": [1000.0],
                        "jenis_program": ["fungsional"]})
    gp = P.plan_groups(groups, kat, ang, pegawai=peg, funding="lines")
    pa = P.assign_people(gp, inv, peg, kat)
    pb = P.top_up_people(pa, gp, inv, peg, kat, settings=S)
    assert len(pb.assignments) == 0
    assert pb.below_minimum.set_index("pegawai_id").at["A", "reason"] == "no_line"
    # a line that may pay it: the seat is given (within the pagu)
    gp2 = P.plan_groups(groups, kat, ang.assign(jenis_program="teknis"), pegawai=peg, funding="lines")
    pc = P.top_up_people(P.assign_people(gp2, inv, peg, kat), gp2, inv, peg, kat, settings=S)
    assert list(pc.assignments["program_id"]) == ["T1"] and len(pc.below_minimum) == 0
