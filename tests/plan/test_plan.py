"""Tests of the plan kernels (workbook.plan): JP conversion, the group-level MILP, people,
schedule, mentoring, 9-box and the Pasal 207 plan table. Oracles: hand computation and brute
force on tiny cases."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

import workbook.plan as P
from workbook.core.exceptions import DataError, WorkbookError
from workbook.core.schema import GOLONGAN
from workbook.core.settings import load_settings
from workbook.plan import _highs, solver
from workbook.plan import words as W

S = load_settings()


def katalog(rows):
    base = {
        "nama_program": "prog",
        "jalur": "",
        "penyelenggara": "BPSDM",
        "hari": np.nan,
        "cakupan": "nasional",
        "bulan_tersedia": None,
        "kesesuaian_kurikulum": "sesuai",
        "sumber_dana": "APBD",
    }
    out = pd.DataFrame([{**base, **r} for r in rows])
    out["nama_program"] = ["Program " + p for p in out["program_id"]]
    return out


def pegawai(spec):
    """spec: list of (unit, status, count)."""
    rows, i = [], 0
    for unit, status, n in spec:
        for _ in range(n):
            rows.append({"pegawai_id": f"P{i:03d}", "kode_unit": unit, "status": status})
            i += 1
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# 1. JP conversion
# --------------------------------------------------------------------------------------------


def test_jp_conversion_lan_table():
    k = pd.DataFrame(
        {
            "program_id": ["S1", "S2", "W1", "W2", "T1", "T2", "C1", "K1"],
            "bentuk": [
                "seminar",
                "seminar",
                "lokakarya",
                "lokakarya",
                "pelatihan_teknis",
                "pelatihan_teknis",
                "coaching",
                "pelatihan_kepemimpinan",
            ],
            "jp": [np.nan, np.nan, np.nan, np.nan, 30, 30, np.nan, 50],
            "hari": [2, 2, 3, 3, np.nan, np.nan, 2, np.nan],
            "cakupan": [
                "nasional",
                "internasional",
                "nasional",
                "internasional",
                "internasional",
                "nasional",
                None,
                "internasional",
            ],
        }
    )
    out = P.programme_jp(k, settings=S).set_index("program_id")
    # LAN conversion [S26]: seminar 4/6 JP per day, lokakarya 5/7, training +20 % international
    assert out.loc["S1", "jp"] == 8 and out.loc["S2", "jp"] == 12
    assert out.loc["W1", "jp"] == 15 and out.loc["W2", "jp"] == 21
    assert out.loc["T1", "jp"] == pytest.approx(36) and out.loc["T2", "jp"] == 30
    assert out.loc["C1", "jp"] == 2 * S["jp.conversion"]["jp_per_hari_default"]
    assert out.loc["K1", "jp"] == 50  # leadership: curriculum JP, no +20 %
    assert out.loc["S1", "jp_basis"] == "konversi"
    assert out.loc["T1", "jp_basis"] == "konversi"
    assert out.loc["T2", "jp_basis"] == "katalog"
    assert out.loc["C1", "jp_basis"] == "asumsi"


def test_jp_conversion_settings_and_errors():
    s = S.with_overrides({"jp.conversion": {**S["jp.conversion"], "jp_per_hari_default": 6}})
    k = pd.DataFrame({"program_id": ["C"], "bentuk": ["magang"], "hari": [5]})
    assert P.programme_jp(k, settings=s)["jp"].iloc[0] == 30
    with pytest.raises(DataError) as e:
        P.programme_jp(
            pd.DataFrame(
                {"program_id": ["X"], "bentuk": ["seminar"], "jp": [np.nan], "hari": [np.nan]}
            )
        )
    assert "X" in str(e.value) and "JP" in e.value.message_en
    with pytest.raises(DataError):
        P.programme_jp(pd.DataFrame({"program_id": ["X"], "bentuk": ["kuliah"], "jp": [3]}))
    with pytest.raises(DataError):
        P.programme_jp(pd.DataFrame({"program_id": ["X"], "bentuk": ["seminar"], "hari": [-1]}))


def test_candidate_programmes_maps_semicolon_lists():
    k = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3;T.1",
                "jp": 20,
                "biaya_per_peserta": 1000,
                "kapasitas_per_sesi": 10,
            },
            {
                "program_id": "B",
                "bentuk": "e_learning",
                "kode_kompetensi": ["T.1"],
                "jp": 10,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 100,
            },
        ]
    )
    g = pd.DataFrame(
        {
            "kode_unit": ["U", "U", "U"],
            "kode_kompetensi": ["M.3", "T.1", "Z.9"],
            "n_need": [3, 2, 1],
            "need_score": [0.5, 0.2, 0.9],
        }
    )
    c = P.candidate_programmes(g, k)
    assert sorted(map(tuple, c[["kode_kompetensi", "program_id"]].to_numpy())) == [
        ("M.3", "A"),
        ("T.1", "A"),
        ("T.1", "B"),
    ]
    assert set(c.loc[c["program_id"] == "B", "jalur"]) == {"nonklasikal"}
    assert c.loc[c["program_id"] == "A", "biaya_per_jp"].iloc[0] == 50


# --------------------------------------------------------------------------------------------
# 2. group-level MILP
# --------------------------------------------------------------------------------------------


def brute_force(groups, kat, budget, peg, penalty, jmin=20.0, jpppk=24.0):
    """Best objective over every integer allocation (tiny instances)."""
    cat = kat.set_index("program_id")
    comps = {p: str(cat.at[p, "kode_kompetensi"]).split(";") for p in cat.index}
    jp = P.programme_jp(kat).set_index("program_id")["jp"]
    pairs = [
        (gi, p)
        for gi, r in groups.iterrows()
        for p in cat.index
        if r["kode_kompetensi"] in comps[p]
        and not (r.get("status", "PNS") == "PPPK" and jp[p] > jpppk)
    ]
    units = sorted(set(peg["kode_unit"]) | set(groups["kode_unit"]))
    pns = {u: int(((peg["kode_unit"] == u) & (peg["status"] == "PNS")).sum()) for u in units}
    pppk = {u: int(((peg["kode_unit"] == u) & (peg["status"] == "PPPK")).sum()) for u in units}
    months = {
        p: 12
        if cat.at[p, "bulan_tersedia"] is None
        else len(str(cat.at[p, "bulan_tersedia"]).split(";"))
        for p in cat.index
    }
    best = -math.inf
    ranges = [range(int(groups.at[g, "n_need"]) + 1) for g, _ in pairs]
    for xs in itertools.product(*ranges):
        tot_g, tot_p, cost, cov, jpp = (
            {},
            {},
            0.0,
            dict.fromkeys(units, 0.0),
            dict.fromkeys(units, 0.0),
        )
        for (g, p), x in zip(pairs, xs, strict=True):
            tot_g[g] = tot_g.get(g, 0) + x
            tot_p[p] = tot_p.get(p, 0) + x
            cost += cat.at[p, "biaya_per_peserta"] * x
            u, st = groups.at[g, "kode_unit"], groups.at[g, "status"]
            if st == "PNS":
                cov[u] += min(jp[p], jmin) * x
            if st == "PPPK":
                jpp[u] += jp[p] * x
        if any(tot_g[g] > groups.at[g, "n_need"] for g in tot_g):
            continue
        if any(tot_p[p] > cat.at[p, "kapasitas_per_sesi"] * months[p] for p in tot_p):
            continue
        if cost > budget or any(jpp[u] > jpppk * pppk[u] for u in units):
            continue
        value = sum(groups.at[g, "need_score"] * x for (g, _), x in zip(pairs, xs, strict=True))
        short = sum(max(0.0, jmin * pns[u] - cov[u]) for u in units)
        best = max(best, value - penalty * short)
    return best


def tiny_instance(seed):
    rng = np.random.default_rng(seed)
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": float(rng.choice([8, 20, 30])),
                "biaya_per_peserta": float(rng.integers(0, 4) * 500),
                "kapasitas_per_sesi": int(rng.integers(1, 3)),
                "bulan_tersedia": "3;4",
            },
            {
                "program_id": "B",
                "bentuk": "seminar",
                "kode_kompetensi": "M.3;T.1",
                "hari": 1.0,
                "biaya_per_peserta": float(rng.integers(1, 4) * 300),
                "kapasitas_per_sesi": 2,
                "bulan_tersedia": "5",
            },
        ]
    )
    groups = pd.DataFrame(
        {
            "kode_unit": ["U1", "U1", "U2"],
            "status": ["PNS", "PPPK", "PNS"],
            "kode_kompetensi": ["M.3", "M.3", "T.1"],
            "n_need": rng.integers(1, 4, 3),
            "need_score": rng.uniform(0.1, 1.0, 3).round(3),
        }
    )
    peg = pegawai(
        [
            ("U1", "PNS", int(groups.at[0, "n_need"])),
            ("U1", "PPPK", 1),
            ("U2", "PNS", int(groups.at[2, "n_need"])),
        ]
    )
    budget = float(rng.integers(1, 14) * 400)
    return groups, kat, budget, peg


@pytest.mark.parametrize("seed", range(12))
def test_milp_matches_brute_force(seed):
    groups, kat, budget, peg = tiny_instance(seed)
    penalty = 0.05 if seed % 2 else 0.0  # value only, and value vs JP coverage
    gp = P.plan_groups(groups, kat, budget, pegawai=peg, penalty=penalty, mip_rel_gap=0)
    assert gp.status == "optimal"
    assert gp.objective == pytest.approx(brute_force(groups, kat, budget, peg, penalty), abs=1e-6)
    # hard constraints hold exactly
    assert gp.allocation["cost"].sum() <= budget
    assert (gp.budget["used"] <= gp.budget["pagu"]).all()
    per_g = gp.allocation.groupby(["kode_unit", "status", "kode_kompetensi"])["participants"].sum()
    for (u, st, k), n in per_g.items():
        row = groups[
            (groups.kode_unit == u) & (groups.status == st) & (groups.kode_kompetensi == k)
        ]
        assert n <= int(row["n_need"].iloc[0])
    cap = kat.set_index("program_id")["kapasitas_per_sesi"]
    for p, sub in gp.allocation.groupby("program_id"):
        assert sub["participants"].sum() <= cap[p] * sub["sessions"].iloc[0]
        assert sub["sessions"].iloc[0] == math.ceil(sub["participants"].sum() / cap[p])
    # greedy is feasible, so never better than the exact optimum
    assert gp.greedy_objective <= gp.objective + 1e-9
    assert gp.greedy["cost"].sum() <= budget


def test_budget_respected_exactly_and_shortfall_reason():
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 1_750_000,
                "kapasitas_per_sesi": 30,
            }
        ]
    )
    groups = pd.DataFrame(
        {"kode_unit": ["DINKES"], "kode_kompetensi": ["M.3"], "n_need": [10], "need_score": [0.6]}
    )
    peg = pegawai([("DINKES", "PNS", 10)])
    gp = P.plan_groups(groups, kat, 10_000_000, pegawai=peg)
    # floor(10 000 000 / 1 750 000) = 5 seats
    assert gp.allocation["participants"].sum() == 5
    assert gp.budget["used"].iloc[0] == 8_750_000 and gp.budget["remaining"].iloc[0] == 1_250_000
    cov = gp.coverage.set_index("kode_unit")
    assert cov.at["DINKES", "jp_owed"] == 200 and cov.at["DINKES", "shortfall"] == 100
    assert "budget" in cov.at["DINKES", "reason"]
    assert "anggaran" in W.reason_text(cov.at["DINKES", "reason"], "id")
    assert gp.unmet["unmet"].sum() == 5 and (gp.unmet["reason"] == "budget").all()
    # enough money: everybody reaches 20 JP
    gp2 = P.plan_groups(groups, kat, 17_500_000, pegawai=peg)
    assert gp2.coverage["shortfall"].sum() == 0
    assert gp2.coverage["reason"].iloc[0] == "" and len(gp2.unmet) == 0


def test_coverage_prefers_jp_over_value_and_no_programme_reason():
    # B is worth more per Rupiah for need value but gives few JP; with the default penalty the
    # 20-JP coverage wins.
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 1000,
                "kapasitas_per_sesi": 10,
            },
            {
                "program_id": "B",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "T.1",
                "jp": 2,
                "biaya_per_peserta": 1000,
                "kapasitas_per_sesi": 10,
            },
        ]
    )
    groups = pd.DataFrame(
        {
            "kode_unit": ["U", "U", "V"],
            "kode_kompetensi": ["M.3", "T.1", "Z.9"],
            "n_need": [2, 2, 3],
            "need_score": [0.1, 0.9, 0.5],
        }
    )
    peg = pegawai([("U", "PNS", 2), ("V", "PNS", 3)])
    gp = P.plan_groups(groups, kat, 2000, pegawai=peg)
    assert set(gp.allocation["program_id"]) == {"A"}
    cov = gp.coverage.set_index("kode_unit")
    assert cov.at["U", "shortfall"] == 0
    assert cov.at["V", "shortfall"] == 60
    assert cov.at["V", "reason"] == "no_programme"  # 3 PNS with a need no programme answers
    assert "tidak ada program" in W.reason_text(cov.at["V", "reason"], "id")
    un = gp.unmet.set_index("kode_kompetensi")
    assert un.at["Z.9", "reason"] == "no_programme"
    # without the penalty the value per Rupiah decides
    gp0 = P.plan_groups(groups, kat, 2000, pegawai=peg, penalty=0.0)
    assert set(gp0.allocation["program_id"]) == {"B"}


def test_pppk_never_beyond_cap():
    kat = katalog(
        [
            {
                "program_id": "LONG",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 30,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 10,
            },
            {
                "program_id": "S16",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3;T.1",
                "jp": 16,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 10,
            },
        ]
    )
    groups = pd.DataFrame(
        {
            "kode_unit": ["U", "U"],
            "status": ["PPPK", "PPPK"],
            "kode_kompetensi": ["M.3", "T.1"],
            "n_need": [3, 3],
            "need_score": [1.0, 1.0],
        }
    )
    peg = pegawai([("U", "PPPK", 3)])
    gp = P.plan_groups(groups, kat, 0, pegawai=peg)
    assert "LONG" not in set(gp.allocation["program_id"])
    # PPPK JP in the unit ≤ 24 × 3 = 72 would allow 4 seats of 16 JP, but 16 > 24/2: a PPPK
    # can hold only one such seat, so at most 3 (the valid cut in the model)
    assert gp.coverage["jp_pppk"].iloc[0] <= 72
    assert gp.allocation["participants"].sum() == 3
    ex = gp.explanations.set_index("program_id")
    assert not ex.at["LONG", "selected"]
    # people: no PPPK above 24 JP
    inv = pd.DataFrame(
        {
            "pegawai_id": list(peg["pegawai_id"]) * 2,
            "kode_kompetensi": ["M.3"] * 3 + ["T.1"] * 3,
            "need_score": [1.0] * 6,
            "priority": [1] * 3 + [2] * 3,
        }
    )
    pa = P.assign_people(gp, inv, peg, kat)
    per = pa.assignments.groupby("pegawai_id")["jp"].sum()
    assert (per <= 24).all()
    cov = P.jp_coverage(pa, peg)
    assert cov["pppk_over_cap"].sum() == 0


def test_pppk_only_need_with_long_programme_is_explained():
    kat = katalog(
        [
            {
                "program_id": "LONG",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 40,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 10,
            }
        ]
    )
    groups = pd.DataFrame(
        {
            "kode_unit": ["U"],
            "status": ["PPPK"],
            "kode_kompetensi": ["M.3"],
            "n_need": [2],
            "need_score": [1.0],
        }
    )
    gp = P.plan_groups(groups, kat, 0, pegawai=pegawai([("U", "PPPK", 2)]))
    assert gp.allocation.empty
    assert gp.explanations["reason"].iloc[0] == "pppk_cap"
    assert gp.unmet["reason"].iloc[0] == "pppk_cap"


def test_zero_cost_programmes_with_zero_budget():
    kat = katalog(
        [
            {
                "program_id": "FREE",
                "bentuk": "e_learning",
                "kode_kompetensi": "M.3",
                "jp": 10,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 4,
                "bulan_tersedia": "2",
            },
            {
                "program_id": "PAID",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 50,
            },
        ]
    )
    groups = pd.DataFrame(
        {"kode_unit": ["U"], "kode_kompetensi": ["M.3"], "n_need": [6], "need_score": [0.5]}
    )
    gp = P.plan_groups(groups, kat, 0, pegawai=pegawai([("U", "PNS", 6)]))
    a = gp.allocation.set_index("program_id")
    assert list(a.index) == ["FREE"] and a.at["FREE", "participants"] == 4  # 1 month × 4 seats
    assert a.at["FREE", "sessions"] == 1
    un = gp.unmet.iloc[0]
    assert un["unmet"] == 2 and un["reason"] == "budget"


def test_explanations_name_competency_unit_and_alternative():
    kat = katalog(
        [
            {
                "program_id": "CHEAP",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 1000,
                "kapasitas_per_sesi": 50,
            },
            {
                "program_id": "DEAR",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 5000,
                "kapasitas_per_sesi": 50,
            },
            {
                "program_id": "NONE",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "X.1",
                "jp": 20,
                "biaya_per_peserta": 10,
                "kapasitas_per_sesi": 50,
            },
        ]
    )
    groups = pd.DataFrame(
        {"kode_unit": ["DINKES"], "kode_kompetensi": ["M.3"], "n_need": [45], "need_score": [0.7]}
    )
    gp = P.plan_groups(groups, kat, 1e9, pegawai=pegawai([("DINKES", "PNS", 45)]))
    ex = gp.explanations.set_index("program_id")
    assert ex.at["CHEAP", "selected"]
    assert ex.at["CHEAP", "reason"] == "selected"
    assert list(ex.at["CHEAP", "group_kompetensi"]) == ["M.3"]
    assert list(ex.at["CHEAP", "group_unit"]) == ["DINKES"]
    assert list(ex.at["CHEAP", "group_participants"]) == [45]
    assert ex.at["CHEAP", "other_groups"] == 0
    assert ex.at["DEAR", "reason"] == "cost_per_jp"
    assert ex.at["DEAR", "alt_program_id"] == "CHEAP"
    assert list(ex.at["DEAR", "kompetensi"]) == ["M.3"]
    assert ex.at["NONE", "reason"] == "no_need" and list(ex.at["NONE", "kompetensi"]) == ["X.1"]
    # the words (workbook.plan.words): the same sentences as a person reads them
    words = W.explanations_sheet(gp.explanations).set_index("program_id")
    assert words.at["CHEAP", "alasan"] == (
        "terpilih: menutup kesenjangan M.3 untuk 45 pegawai di DINKES"
    )
    assert words.at["CHEAP", "reason_en"] == (
        "selected: closes the gap in M.3 for 45 employees in DINKES"
    )
    assert words.at["DEAR", "alasan"] == (
        "tidak terpilih: biaya per JP lebih tinggi daripada alternatif CHEAP untuk kompetensi M.3"
    )
    assert words.at["NONE", "reason_en"] == "not selected: no need for competency X.1"


def test_funding_per_source_and_per_unit():
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 50,
                "sumber_dana": "APBD",
            },
            {
                "program_id": "B",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 50,
                "sumber_dana": "BLUD",
            },
        ]
    )
    groups = pd.DataFrame(
        {
            "kode_unit": ["U1", "U2"],
            "kode_kompetensi": ["M.3", "M.3"],
            "n_need": [10, 10],
            "need_score": [0.5, 0.5],
        }
    )
    peg = pegawai([("U1", "PNS", 10), ("U2", "PNS", 10)])
    ang = pd.DataFrame(
        {"sumber_dana": ["APBD", "BLUD"], "kode_unit": ["", ""], "pagu": [300.0, 500.0]}
    )
    gp = P.plan_groups(groups, kat, ang, pegawai=peg, funding="source")
    used = gp.allocation.groupby("program_id")["cost"].sum()
    assert used.get("A", 0) <= 300 and used.get("B", 0) <= 500
    assert gp.allocation["participants"].sum() == 8
    ang_u = pd.DataFrame(
        {
            "sumber_dana": ["APBD", "APBD", "APBD"],
            "kode_unit": ["U1", "U2", ""],
            "pagu": [200.0, 0.0, 300.0],
        }
    )
    gp = P.plan_groups(groups, kat, ang_u, pegawai=peg, funding="unit")
    by_u = gp.allocation.groupby("kode_unit")["cost"].sum()
    assert by_u.sum() == 500  # 200 of U1 + 300 shared
    b = gp.budget.set_index("kode_unit")
    assert (b["used"] <= b["pagu"] + 1e-9).all()
    with pytest.raises(DataError):
        P.plan_groups(groups, kat, 100, pegawai=peg, funding="unit")
    with pytest.raises(DataError):
        P.plan_groups(groups, kat, 100, pegawai=peg, funding="semua")
    with pytest.raises(DataError):
        P.plan_groups(groups, kat, -5, pegawai=peg)


def test_plan_groups_validates_columns():
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 5,
            }
        ]
    )
    with pytest.raises(DataError) as e:
        P.plan_groups(
            pd.DataFrame({"kode_unit": ["U"]}), kat, 10, pegawai=pegawai([("U", "PNS", 1)])
        )
    assert isinstance(e.value, WorkbookError) and "kolom" in e.value.message_id.lower()
    bad = pd.DataFrame(
        {"kode_unit": ["U"], "kode_kompetensi": ["M.3"], "n_need": [1.5], "need_score": [1]}
    )
    with pytest.raises(DataError):
        P.plan_groups(bad, kat, 10, pegawai=pegawai([("U", "PNS", 1)]))


# --------------------------------------------------------------------------------------------
# 3. people, schedule, mentoring, talent
# --------------------------------------------------------------------------------------------


def test_assign_people_shortfall_on_toy():
    # Group U/M.3 planned 4 seats, but the inventory knows only 3 people of that group:
    # 1 seat stays empty, value lost = 1 × 0.5.
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 10,
                "kapasitas_per_sesi": 10,
            }
        ]
    )
    groups = pd.DataFrame(
        {"kode_unit": ["U"], "kode_kompetensi": ["M.3"], "n_need": [4], "need_score": [0.5]}
    )
    peg = pegawai([("U", "PNS", 4)])
    gp = P.plan_groups(groups, kat, 1000, pegawai=peg)
    assert gp.allocation["participants"].sum() == 4
    inv = pd.DataFrame(
        {
            "pegawai_id": ["P000", "P001", "P002"],
            "kode_kompetensi": ["M.3"] * 3,
            "need_score": [0.2, 0.9, 0.4],
            "priority": [1, 1, 1],
        }
    )
    pa = P.assign_people(gp, inv, peg, kat)
    assert pa.metric("seats_planned") == 4 and pa.metric("seats_filled") == 3
    assert pa.metric("seats_unfilled") == 1
    assert pa.metric("value_lost") == pytest.approx(0.5)
    assert pa.metric("value_lost_share") == pytest.approx(0.25)
    assert pa.metric("person_need_value") == pytest.approx(1.5)
    assert pa.unfilled["unfilled"].sum() == 1
    assert pa.assignments.attrs["output_class"] == "restricted"


def test_assign_people_highest_need_first():
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 10,
                "kapasitas_per_sesi": 10,
            }
        ]
    )
    groups = pd.DataFrame(
        {"kode_unit": ["U"], "kode_kompetensi": ["M.3"], "n_need": [4], "need_score": [0.5]}
    )
    peg = pegawai([("U", "PNS", 4)])
    gp = P.plan_groups(groups, kat, 20, pegawai=peg)  # 2 seats only
    inv = pd.DataFrame(
        {
            "pegawai_id": ["P000", "P001", "P002", "P003"],
            "kode_kompetensi": ["M.3"] * 4,
            "need_score": [0.2, 0.9, 0.4, 0.7],
            "priority": [1, 1, 1, 1],
        }
    )
    pa = P.assign_people(gp, inv, peg, kat)
    assert sorted(pa.assignments["pegawai_id"]) == ["P001", "P003"]
    assert pa.metric("seats_unfilled") == 0


def test_schedule_respects_months_capacity_and_conflicts():
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 3,
                "bulan_tersedia": "3;4;9",
            },
            {
                "program_id": "B",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "T.1",
                "jp": 20,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 5,
                "bulan_tersedia": ["3", "9"],
            },
        ]
    )
    people = [f"P{i}" for i in range(7)]
    a = pd.DataFrame({"pegawai_id": people + people[:4], "program_id": ["A"] * 7 + ["B"] * 4})
    sch = P.schedule(a, kat, year=2027)
    allowed = {"A": {3, 4, 9}, "B": {3, 9}}
    assert all(m in allowed[p] for p, m in zip(sch["program_id"], sch["bulan"], strict=True))
    per_sess = sch.groupby(["program_id", "sesi"]).size()
    assert per_sess.loc["A"].max() <= 3 and len(per_sess.loc["A"]) == 3
    assert len(per_sess.loc["B"]) == 1
    # no person twice in one month (avoidable here)
    assert not sch.duplicated(["pegawai_id", "bulan"]).any() and not sch["conflict"].any()
    assert (sch["tanggal_mulai"].dt.year == 2027).all()
    with pytest.raises(DataError):
        P.schedule(pd.DataFrame({"pegawai_id": ["P"], "program_id": ["ZZ"]}), kat, year=2027)


def _mentor_data():
    peg = pd.DataFrame(
        {
            "pegawai_id": ["N1", "N2", "N3", "S1", "S2", "S3", "O1"],
            "kode_unit": ["U", "U", "U", "U", "U", "U", "V"],
            "status": ["CPNS", "PNS", "PNS", "PNS", "PNS", "PNS", "PNS"],
            "jenis_jabatan": [
                "pelaksana",
                "pelaksana",
                "pelaksana",
                "pengawas",
                "fungsional",
                "pelaksana",
                "administrator",
            ],
            "jenjang": ["", "", "", "", "ahli muda", "", ""],
            "golongan": ["II/a", "III/a", "II/c", "III/d", "III/c", "II/b", "IV/a"],
            "tmt": pd.to_datetime(
                [
                    "2026-03-01",
                    "2025-06-01",
                    "2025-09-01",
                    "2010-01-01",
                    "2012-01-01",
                    "2008-01-01",
                    "2005-01-01",
                ]
            ),
        }
    )
    rng = np.random.default_rng(3)
    comps = ["M.1", "M.2", "M.3"]
    rows = []
    for p in peg["pegawai_id"]:
        for k in comps:
            lvl = int(rng.integers(1, 5))
            rows.append(
                {
                    "pegawai_id": p,
                    "kode_kompetensi": k,
                    "level_actual": lvl,
                    "level_standar": 3,
                    "below_standard": lvl < 3,
                }
            )
    return peg, pd.DataFrame(rows)


def test_mentoring_capacity_seniority_and_optimality():
    peg, gaps = _mentor_data()
    out = P.mentoring_pairs(peg, gaps, capacity=1, year=2027)
    assert set(out["mentee_id"]) == {"N1", "N2", "N3"}
    paired = out[out["mentor_id"].notna() & (out["reason"] == "")]
    assert paired["mentor_id"].value_counts().max() <= 1
    info = peg.set_index("pegawai_id")
    gol = {g: i for i, g in enumerate(GOLONGAN)}
    for r in paired.itertuples():
        assert info.at[r.mentor_id, "kode_unit"] == info.at[r.mentee_id, "kode_unit"]
        assert r.mentor_id not in {"N1", "N2", "N3", "O1"}
        senior_gol = gol[info.at[r.mentor_id, "golongan"]] > gol[info.at[r.mentee_id, "golongan"]]
        senior_jab = (
            P.JABATAN_RANK[info.at[r.mentor_id, "jenis_jabatan"]]
            > P.JABATAN_RANK[info.at[r.mentee_id, "jenis_jabatan"]]
        )
        assert senior_gol or senior_jab
    cp = out.set_index("mentee_id").at["N1", "note"]
    assert cp == "onboarding_beside_latsar" and "Latsar" in W.mentor_note_text(cp, "id")
    # brute force: best total score over injective mentee → mentor maps (every mentee paired)
    L = gaps.pivot(index="pegawai_id", columns="kode_kompetensi", values="level_actual")
    B = gaps.pivot(index="pegawai_id", columns="kode_kompetensi", values="below_standard")

    def score(i, j):
        return float(sum(max(0, L.at[j, k] - L.at[i, k]) for k in L.columns if B.at[i, k]))

    def eligible(i, j):
        return (gol[info.at[j, "golongan"]] > gol[info.at[i, "golongan"]]) or (
            P.JENJANG_RANK.get(str(info.at[j, "jenjang"]).lower(), 0)
            or 2 * P.JABATAN_RANK[info.at[j, "jenis_jabatan"]]
        ) > 2 * P.JABATAN_RANK[info.at[i, "jenis_jabatan"]]

    mentees, mentors = ["N1", "N2", "N3"], ["S1", "S2", "S3"]
    best = (-1, -1.0)
    for perm in itertools.permutations(mentors):
        pairs = [(i, j) for i, j in zip(mentees, perm, strict=True) if eligible(i, j)]
        best = max(best, (len(pairs), sum(score(i, j) for i, j in pairs)))
    assert (len(paired), paired["score"].sum()) == (best[0], pytest.approx(best[1]))


def test_mentoring_capacity_two():
    peg, gaps = _mentor_data()
    out = P.mentoring_pairs(peg, gaps, capacity=2, year=2027)
    counts = out["mentor_id"][out["reason"] == ""].value_counts()
    assert counts.max() <= 2 and (out["reason"] == "").sum() == 3


def test_nine_box_all_combinations():
    perf = {"di_atas": "Sangat Baik", "sesuai": "Baik", "di_bawah": "Kurang"}
    pot = {"tinggi": 80, "menengah": 50, "rendah": 20}
    expected = {
        ("di_atas", "tinggi"): 9,
        ("sesuai", "tinggi"): 8,
        ("di_atas", "menengah"): 7,
        ("di_bawah", "tinggi"): 6,
        ("sesuai", "menengah"): 5,
        ("di_atas", "rendah"): 4,
        ("di_bawah", "menengah"): 3,
        ("sesuai", "rendah"): 2,
        ("di_bawah", "rendah"): 1,
    }
    rows = [
        {
            "pegawai_id": f"{a}-{b}",
            "kode_unit": "U",
            "status": "PNS",
            "jenis_jabatan": "pengawas",
            "predikat_kinerja": perf[a],
            "skor_potensi": pot[b],
        }
        for a, b in expected
    ]
    tp = P.talent_pool(pd.DataFrame(rows)).set_index("pegawai_id")
    for (a, b), box in expected.items():
        assert tp.at[f"{a}-{b}", "box"] == box
        assert tp.at[f"{a}-{b}", "axis_basis"] == "potensi"
    assert tp.at["di_bawah-rendah", "recommendation"] == "per_regulation"
    assert tp.at["di_atas-tinggi", "recommendation"] == "promote_retain"
    assert W.recommendation_text("per_regulation", "id").startswith("Diproses sesuai ketentuan")
    assert W.recommendation_text("promote_retain", "en").startswith("Promote")
    # leadership: pengawas in boxes 7–9 → PKA
    assert set(tp.loc[tp["box"] >= 7, "pelatihan_kepemimpinan"]) == {"PKA"}
    assert set(tp.loc[tp["box"] < 7, "pelatihan_kepemimpinan"]) == {""}
    # cut-off boundaries: 46 is menengah, 72 tinggi (half-open)
    edge = pd.DataFrame(
        [
            {
                "pegawai_id": "a",
                "kode_unit": "U",
                "status": "PNS",
                "jenis_jabatan": "pelaksana",
                "predikat_kinerja": "Baik",
                "skor_potensi": v,
            }
            for v in (45.9, 46, 72)
        ]
    )
    edge["pegawai_id"] = ["x", "y", "z"]
    assert P.talent_pool(edge)["potensial_axis"].tolist() == ["rendah", "menengah", "tinggi"]


def test_talent_pool_falls_back_to_jpm():
    peg = pd.DataFrame(
        {
            "pegawai_id": ["A", "B", "C"],
            "kode_unit": "U",
            "status": "PNS",
            "jenis_jabatan": ["pelaksana", "administrator", "JPT"],
            "predikat_kinerja": ["Sangat Baik", "Sangat Baik", "Baik"],
            "skor_potensi": [np.nan, 80, np.nan],
        }
    )
    gaps = pd.DataFrame(
        {"pegawai_id": ["A", "A", "C"], "level_actual": [3, 3, 2], "level_standar": [3, 3, 4]}
    )
    tp = P.talent_pool(peg, gaps).set_index("pegawai_id")
    assert tp.at["A", "axis_basis"] == "kompetensi_jpm" and tp.at["A", "jpm"] == 100
    assert tp.at["A", "box"] == 9 and tp.at["A", "pelatihan_kepemimpinan"] == "PKP"
    assert tp.at["B", "axis_basis"] == "potensi" and tp.at["B", "pelatihan_kepemimpinan"] == "PKN"
    assert tp.at["C", "potensial_axis"] == "rendah" and tp.at["C", "box"] == 2
    assert tp.at["C", "pelatihan_kepemimpinan"] == ""


# --------------------------------------------------------------------------------------------
# 4. outputs
# --------------------------------------------------------------------------------------------


def _small_plan():
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 2,
                "bulan_tersedia": "3;9",
                "kesesuaian_kurikulum": "sesuai standar LAN",
            },
            {
                "program_id": "B",
                "bentuk": "coaching",
                "kode_kompetensi": "M.4",
                "hari": 3,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 5,
            },
        ]
    )
    groups = pd.DataFrame(
        {
            "kode_unit": ["U1", "U2", "U1"],
            "kode_kompetensi": ["M.3", "M.3", "M.4"],
            "jenis_kebutuhan": ["kompetensi", "kompetensi", "kinerja"],
            "n_need": [2, 1, 1],
            "need_score": [0.5, 0.4, 1.0],
        }
    )
    peg = pegawai([("U1", "PNS", 2), ("U2", "PNS", 1)])
    inv = pd.DataFrame(
        {
            "pegawai_id": ["P000", "P001", "P002", "P000"],
            "kode_kompetensi": ["M.3", "M.3", "M.3", "M.4"],
            "jenis_kebutuhan": ["kompetensi"] * 3 + ["kinerja"],
            "gap": [-1, -2, -1, np.nan],
            "need_score": [0.5, 0.5, 0.4, 1.0],
            "priority": [1, 1, 1, 2],
        }
    )
    gp = P.plan_groups(groups, kat, 1e6, pegawai=peg)
    pa = P.assign_people(gp, inv, peg, kat)
    return kat, groups, peg, inv, gp, pa


def test_plan_table_has_pasal_207_elements():
    kat, groups, peg, inv, gp, pa = _small_plan()
    sch = P.schedule(pa, kat, year=2027)
    t = P.plan_table(gp, sch, kat, groups)
    pasal_207 = [
        "jenis_kompetensi",
        "target_pns",
        "jenis_pengembangan",
        "jalur_pengembangan",
        "penyelenggara",
        "jadwal",
        "kesesuaian_kurikulum",
        "anggaran",
    ]
    assert all(c in t.columns for c in pasal_207)
    assert set(t["jenis_kebutuhan"]) == {"kesenjangan kompetensi", "kesenjangan kinerja"}
    a = t.set_index("program_id")
    assert a.at["A", "target_pns"] == 3 and a.at["A", "target_unit"] == "U1;U2"
    assert (
        a.at["A", "anggaran"] == 300 and a.at["A", "kesesuaian_kurikulum"] == "sesuai standar LAN"
    )
    assert set(a.at["A", "jadwal"].split(";")) <= {"3", "9"}
    assert a.at["B", "jalur_pengembangan"] == "nonklasikal"
    assert not any("P00" in str(v) for v in t.to_numpy().ravel())  # no person ids
    en = P.plan_table(gp, pa, kat, groups, lang="en")
    assert set(en.columns) == set(P.PLAN_TABLE_COLUMNS_EN.values())
    assert "performance gap" in set(en["need_type"])


def test_individual_plans_budget_and_coverage():
    kat, groups, peg, inv, gp, pa = _small_plan()
    idp = P.individual_plans(pa, inv, kat)
    assert len(idp) == len(pa.assignments) == 4
    p0 = idp[idp["pegawai_id"] == "P000"]
    assert set(p0["program_id"]) == {"A", "B"} and p0["jp_total_pegawai"].iloc[0] == 20 + 3 * 8
    bu = P.budget_by_unit(gp, pa).set_index("kode_unit")
    assert bu.at["U1", "cost"] == 200 and bu.at["INSTANSI", "cost"] == 300
    cov = P.jp_coverage(pa, peg).set_index("kode_unit")
    assert cov.at["INSTANSI", "pns"] == 3 and cov.at["INSTANSI", "pns_reaching"] == 3
    assert cov.at["INSTANSI", "share_reaching"] == 1.0


def test_need_groups_from_inventory():
    inv = pd.DataFrame(
        {
            "pegawai_id": ["A", "B", "C", "A"],
            "kode_kompetensi": ["M.3"] * 3 + ["M.4"],
            "need_score": [0.2, 0.4, np.nan, 1.0],
        }
    )
    peg = pd.DataFrame(
        {
            "pegawai_id": ["A", "B", "C"],
            "kode_unit": ["U", "U", "V"],
            "status": ["PNS", "PNS", "PPPK"],
        }
    )
    prof = pd.DataFrame({"pegawai_id": ["A", "B", "C"], "profil": ["1", "1", "2"]})
    perf = pd.DataFrame({"pegawai_id": ["B"], "kode_kompetensi": ["M.4"]})
    g = P.need_groups(inv, peg, profiles=prof, performance=perf)
    row = g[(g.kode_unit == "U") & (g.kode_kompetensi == "M.3")].iloc[0]
    assert row["n_need"] == 2 and row["need_score"] == pytest.approx(0.3)
    assert (g["jenis_kebutuhan"] == "kinerja").sum() == 1
    assert g.loc[g.kode_unit == "V", "need_score"].iloc[0] == 0.0


def test_unit_without_needs_reports_no_need():
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 10,
            }
        ]
    )
    groups = pd.DataFrame(
        {"kode_unit": ["U"], "kode_kompetensi": ["M.3"], "n_need": [2], "need_score": [0.5]}
    )
    peg = pegawai([("U", "PNS", 3), ("W", "PNS", 2)])
    cov = P.plan_groups(groups, kat, 0, pegawai=peg).coverage.set_index("kode_unit")
    # U: 2 of 3 PNS have a need (covered), 1 has none → 20 JP short, reason no_need
    assert cov.at["U", "shortfall"] == 20 and cov.at["U", "reason"] == "no_need"
    assert cov.at["W", "shortfall"] == 40 and cov.at["W", "reason"] == "no_need"


def test_assign_people_rebalances_towards_20_jp():
    kat = katalog(
        [
            {
                "program_id": "X",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 10,
            },
            {
                "program_id": "Y",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "T.1",
                "jp": 20,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 10,
            },
        ]
    )
    groups = pd.DataFrame(
        {
            "kode_unit": ["U", "U"],
            "kode_kompetensi": ["M.3", "T.1"],
            "n_need": [2, 1],
            "need_score": [0.7, 0.8],
        }
    )
    peg = pegawai([("U", "PNS", 2)])  # P000 needs M.3 and T.1, P001 only M.3
    gp = P.plan_groups(groups, kat, 200, pegawai=peg)
    assert sorted(gp.allocation["program_id"]) == ["X", "Y"]  # value 1.5 beats 2 × 0.7
    inv = pd.DataFrame(
        {
            "pegawai_id": ["P000", "P001", "P000"],
            "kode_kompetensi": ["M.3", "M.3", "T.1"],
            "need_score": [0.9, 0.5, 0.8],
            "priority": [1, 1, 2],
        }
    )
    plain = P.assign_people(gp, inv, peg, kat, rebalance=False)
    assert plain.metric("pns_reaching_minimum") == 1  # P000 gets 40 JP, P001 none
    reb = P.assign_people(gp, inv, peg, kat)
    assert reb.metric("seats_rebalanced") == 1 and reb.metric("pns_reaching_minimum") == 2
    assert reb.metric("value_filled") == plain.metric("value_filled")
    got = reb.assignments.set_index("program_id")["pegawai_id"]
    assert got["X"] == "P001" and got["Y"] == "P000"


def test_repair_kernel_enforces_hard_constraints():
    # two pairs of one group (n = 3), one budget line of 25, PPPK cap 24 JP in the unit
    m = solver._Model(
        pg=np.array([0, 0]),
        pp=np.array([0, 1]),
        ub=np.array([3.0, 3.0]),
        w=np.array([1.0, 2.0]),
        cost=np.array([10.0, 10.0]),
        jp=np.array([8.0, 8.0]),
        cov=np.zeros(2),
        pppk=np.array([1.0, 1.0]),
        unit_of_pair=np.array([0, 0]),
        n_g=np.array([3]),
        cap=np.array([5, 5]),
        smax=np.array([1, 1]),
        owed=np.array([0.0]),
        pppk_cap=np.array([24.0]),
        pppk_cap_jp=24.0,
        part_of_pair=np.array([0, 0]),
        pagu=np.array([25.0]),
        shared=0.0,
        penalty=1.0,
    )
    x = solver._repair(np.array([3, 2]), m)
    assert x.sum() <= 3 and (m.cost * x).sum() <= 25 and (m.jp * x).sum() <= 24
    assert x[1] == 2  # the lower value-per-Rupiah pair is cut first
    assert solver._greedy_groups(m).tolist() == [0, 2]


def test_mentoring_without_year_only_cpns():
    peg, gaps = _mentor_data()
    out = P.mentoring_pairs(peg, gaps, capacity=3)
    assert out["mentee_id"].tolist() == ["N1"]
    with pytest.raises(DataError):
        P.mentoring_pairs(peg, gaps, capacity=0, year=2027)


def test_pppk_unit_cap_reason_and_profile_series():
    kat = katalog(
        [
            {
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3;T.1",
                "jp": 20,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 10,
            }
        ]
    )
    groups = pd.DataFrame(
        {
            "kode_unit": ["U", "U"],
            "status": ["PPPK", "PPPK"],
            "kode_kompetensi": ["M.3", "T.1"],
            "n_need": [1, 1],
            "need_score": [0.9, 0.5],
        }
    )
    gp = P.plan_groups(groups, kat, 0, pegawai=pegawai([("U", "PPPK", 1)]))
    # one PPPK, 24 JP: only one 20-JP seat; the other need is refused because of the cap
    assert gp.allocation["participants"].sum() == 1
    assert gp.unmet["reason"].tolist() == ["pppk_cap"]
    inv = pd.DataFrame(
        {"pegawai_id": ["A", "B"], "kode_kompetensi": ["M.3", "M.3"], "need_score": [0.1, 0.3]}
    )
    peg = pd.DataFrame({"pegawai_id": ["A", "B"], "kode_unit": "U", "status": "PNS"})
    g = P.need_groups(inv, peg, profiles=pd.Series([0, 1], index=["A", "B"]))
    assert sorted(g["profil"]) == ["0", "1"]


# --------------------------------------------------------------------------------------------
# person-level top-up, C-level output, kamus, settings
# --------------------------------------------------------------------------------------------


def _topup_catalogue():
    return katalog(
        [
            {  # planned classroom seat: 12 JP, paid
                "program_id": "A",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.1",
                "jp": 12,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 10,
            },
            {  # free e-learning for M.1 and M.2
                "program_id": "E",
                "bentuk": "e_learning",
                "kode_kompetensi": "M.1;M.2",
                "jp": 10,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 100,
            },
            {  # paid coaching for M.2
                "program_id": "C",
                "bentuk": "coaching",
                "kode_kompetensi": "M.2",
                "jp": 10,
                "biaya_per_peserta": 50,
                "kapasitas_per_sesi": 10,
            },
            {  # free general e-learning (no one's need)
                "program_id": "G",
                "bentuk": "e_learning",
                "kode_kompetensi": "T.99",
                "jp": 20,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 100,
            },
            {  # leadership training: never used by the top-up
                "program_id": "L",
                "bentuk": "pelatihan_kepemimpinan",
                "kode_kompetensi": "M.1;M.2",
                "jp": 300,
                "biaya_per_peserta": 1,
                "kapasitas_per_sesi": 30,
            },
        ]
    )


def test_top_up_lifts_every_pns_within_budget_and_spares_pppk():
    kat = _topup_catalogue()
    # P000 needs M.1 (planned on A: 12 JP); P001 needs M.2 only; P002 has no recorded need;
    # P003, P004 are PPPK with an M.1 need.
    peg = pegawai([("U", "PNS", 3), ("U", "PPPK", 2)])
    inv = pd.DataFrame(
        {
            "pegawai_id": ["P000", "P001", "P003", "P004"],
            "kode_kompetensi": ["M.1", "M.2", "M.1", "M.1"],
            "need_score": [0.9, 0.5, 0.8, 0.8],
            "priority": [1, 1, 1, 1],
        }
    )
    groups = P.need_groups(inv, peg)
    # only the M.1 group of PNS is planned at group level (the top-up must do the rest)
    groups = groups[(groups["kode_kompetensi"] == "M.1") & (groups["status"] == "PNS")]
    kat_plan = kat[kat["program_id"] == "A"]
    gp = P.plan_groups(groups, kat_plan, 1000, pegawai=peg)
    pa = P.assign_people(gp, inv, peg, kat)
    before = P.jp_coverage(pa, peg).set_index("kode_unit").at["INSTANSI", "pns_reaching"]
    assert before == 0  # P000 has 12 JP, the others nothing
    pb = P.top_up_people(pa, gp, inv, peg, kat, settings=S)
    a = pb.assignments
    jp = a.groupby("pegawai_id")["jp"].sum()
    # every PNS reaches 20 JP, and the person-level coverage says so
    assert all(jp.get(p, 0) >= 20 for p in ["P000", "P001", "P002"])
    cov = P.jp_coverage(pb, peg).set_index("kode_unit").loc["INSTANSI"]
    assert cov["pns_reaching"] == 3 and cov["share_reaching"] == 1.0 and cov["pns_below"] == 0
    assert pb.metric("pns_reaching_before_top_up") == 0 and pb.metric("pns_reaching_minimum") == 3
    assert len(pb.below_minimum) == 0
    # P000: a free second activity for M.1 (E), not a paid one
    assert set(a.loc[a["pegawai_id"] == "P000", "program_id"]) == {"A", "E"}
    # P001: free E first (10 JP) for their own need, then the free general G before any paid
    # coaching (issue #17, review W9: a free place is never withheld from someone below 20 JP)
    p1 = a[a["pegawai_id"] == "P001"].set_index("program_id")
    assert set(p1.index) == {"E", "G"} and p1.at["E", "tahap"] == "tambahan" and p1.at["G", "tahap"] == "umum"
    # P002 without a need: the free general programme, marked as such
    p2 = a[a["pegawai_id"] == "P002"]
    assert list(p2["program_id"]) == ["G"] and list(p2["tahap"]) == ["umum"]
    assert list(p2["jenis_kebutuhan"]) == ["umum"]
    # PPPK are not topped up and stay within the cap; leadership training is never used
    assert not a["pegawai_id"].isin(["P003", "P004"]).any()
    assert cov["pppk_over_cap"] == 0 and "L" not in set(a["program_id"])
    assert not a.duplicated(["pegawai_id", "program_id"]).any()
    # spending: the planned seat only (the top-up found free places), within the ceiling
    b = pb.budget.iloc[0]
    assert b["used"] == 100 and b["used_top_up"] == 0 and b["remaining"] == 900
    assert pb.metric("top_up_cost") == 0 and pb.metric("top_up_seats") == 4
    bu = P.budget_by_unit(gp, pb).set_index("kode_unit")
    assert bu.at["INSTANSI", "cost_assigned"] == 100 and bu.at["INSTANSI", "cost_top_up"] == 0
    assert a.attrs["output_class"] == "restricted"
    # the plan table budgets every placed seat, top-up included
    t = P.plan_table(gp, pb, kat, groups)
    assert t["anggaran"].sum() == 100
    assert "pengembangan umum (pemenuhan JP minimal)" in set(t["jenis_kebutuhan"])


def test_top_up_off_keeps_the_assignment_and_lists_everyone_below():
    kat = _topup_catalogue()
    peg = pegawai([("U", "PNS", 2)])
    inv = pd.DataFrame({"pegawai_id": ["P000"], "kode_kompetensi": ["M.2"], "need_score": [1.0]})
    groups = pd.DataFrame(
        {"kode_unit": ["U"], "kode_kompetensi": ["Z.1"], "n_need": [1], "need_score": [1.0]}
    )
    gp = P.plan_groups(groups, kat, 1000, pegawai=peg)
    pa = P.assign_people(gp, inv, peg, kat)
    pb = P.top_up_people(pa, gp, inv, peg, kat, settings=S.with_overrides({"plan.top_up": False}))
    assert len(pb.assignments) == len(pa.assignments) == 0
    assert set(pb.below_minimum["pegawai_id"]) == {"P000", "P001"}
    r = pb.below_minimum.set_index("pegawai_id")["reason"]
    assert r["P000"] == "top_up_off" and r["P001"] == "no_need;top_up_off"
    assert pb.metric("top_up_seats") == 0


def test_top_up_budget_runs_out_cheapest_first_and_reasons():
    kat = katalog(
        [
            {
                "program_id": "H",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.5",
                "jp": 20,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 10,
            },
            {
                "program_id": "I",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.6",
                "jp": 20,
                "biaya_per_peserta": 80,
                "kapasitas_per_sesi": 10,
            },
            # free, but a single seat in a single month
            {
                "program_id": "F",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.3",
                "jp": 20,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 1,
                "bulan_tersedia": "5",
            },
            {
                "program_id": "G",
                "bentuk": "e_learning",
                "kode_kompetensi": "T.99",
                "jp": 20,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 100,
            },
        ]
    )
    peg = pegawai([("U", "PNS", 7)])
    inv = pd.DataFrame(
        {
            "pegawai_id": ["P000", "P001", "P002", "P003", "P004"],
            "kode_kompetensi": ["M.5", "M.6", "M.9", "M.3", "M.3"],
            "need_score": [0.9, 0.1, 0.5, 0.5, 0.6],
            "priority": [1, 1, 1, 1, 1],
        }
    )
    # nothing planned at group level: all money is left for the top-up
    groups = pd.DataFrame(
        {"kode_unit": ["U"], "kode_kompetensi": ["Z.1"], "n_need": [1], "need_score": [1.0]}
    )
    gp = P.plan_groups(groups, kat, 100, pegawai=peg)
    assert len(gp.allocation) == 0
    pa = P.assign_people(gp, inv, peg, kat)
    s = S.with_overrides({"plan.top_up_general_for": "none"})
    pb = P.top_up_people(pa, gp, inv, peg, kat, settings=s)
    a = pb.assignments
    # the cheaper lift (P001, Rp 80) comes first although P000's need is higher; then the
    # Rp 20 left cannot pay H for P000
    assert set(a.loc[a["pegawai_id"] == "P001", "program_id"]) == {"I"}
    assert not (a["pegawai_id"] == "P000").any()
    assert pb.budget["used"].sum() == 80 <= 100
    below = pb.below_minimum.set_index("pegawai_id")
    assert below.at["P000", "reason"] == "budget"
    assert W.reason_text(below.at["P000", "reason"], "id") == "anggaran habis"
    assert below.at["P000", "usulan_program"] == "H" and below.at["P000", "usulan_biaya"] == 100
    assert below.at["P002", "reason"] == "no_programme"  # M.9: no programme
    # one seat of F: one of P003/P004 gets it, the other is blocked by capacity
    got_f = set(a.loc[a["program_id"] == "F", "pegawai_id"])
    assert len(got_f) == 1
    other = ({"P003", "P004"} - got_f).pop()
    assert below.at[other, "reason"] == "capacity"
    # no recorded need and the general rule switched off: the general programme is proposed
    for p in ("P005", "P006"):
        assert below.at[p, "reason"] == "no_need" and below.at[p, "usulan_program"] == "G"
        assert below.at[p, "jp_missing"] == 20
    assert set(below.index) == {"P000", "P002", other, "P005", "P006"}
    assert pb.below_minimum.attrs["output_class"] == "restricted"
    cov = P.jp_coverage(pb, peg).set_index("kode_unit").loc["INSTANSI"]
    assert cov["pns_below"] == 5 and cov["below_budget"] == 1 and cov["below_no_need"] == 2
    assert cov["below_capacity"] == 1 and cov["below_no_programme"] == 1
    # with the rule on (no_need), the free general programme goes to everyone still below after
    # their own free options (issue #17, W9), the paid ones only to people without a need
    pc = P.top_up_people(pa, gp, inv, peg, kat, settings=S)
    umum = set(pc.assignments.loc[pc.assignments["tahap"] == "umum", "pegawai_id"])
    got_f = set(pc.assignments.loc[pc.assignments["program_id"] == "F", "pegawai_id"])
    assert umum == {"P000", "P001", "P002", "P003", "P004", "P005", "P006"} - got_f and len(got_f) == 1
    assert len(pc.below_minimum) == 0 and pc.metric("top_up_cost") == 0


def test_top_up_respects_unit_funding_lines_and_pppk_cap():
    kat = katalog(
        [
            {
                "program_id": "H",
                "bentuk": "pelatihan_teknis",
                "kode_kompetensi": "M.5",
                "jp": 20,
                "biaya_per_peserta": 100,
                "kapasitas_per_sesi": 10,
            },
            {
                "program_id": "S",
                "bentuk": "seminar",
                "kode_kompetensi": "M.5",
                "jp": 8,
                "biaya_per_peserta": 0,
                "kapasitas_per_sesi": 10,
            },
        ]
    )
    peg = pegawai([("U1", "PNS", 1), ("U2", "PNS", 1), ("U2", "PPPK", 1)])
    inv = pd.DataFrame(
        {
            "pegawai_id": ["P000", "P001", "P002"],
            "kode_kompetensi": ["M.5"] * 3,
            "need_score": [1.0, 1.0, 1.0],
        }
    )
    groups = pd.DataFrame(
        {"kode_unit": ["U1"], "kode_kompetensi": ["Z.1"], "n_need": [1], "need_score": [1.0]}
    )
    anggaran = pd.DataFrame(
        {"sumber_dana": ["APBD", "APBD"], "kode_unit": ["U1", "U2"], "pagu": [0.0, 100.0]}
    )
    gp = P.plan_groups(groups, kat, anggaran, pegawai=peg, funding="unit")
    pa = P.assign_people(gp, inv, peg, kat)
    pb = P.top_up_people(pa, gp, inv, peg, kat, settings=S)
    jp = pb.assignments.groupby("pegawai_id")["jp"].sum()
    assert jp.get("P001", 0) >= 20 and jp.get("P000", 0) == 8  # U1 has no money for H
    assert pb.below_minimum.set_index("pegawai_id").at["P000", "reason"] == "budget"
    assert jp.get("P002", 0) == 0  # the PPPK is never topped up
    b = pb.budget.set_index("kode_unit")
    assert b.at["U1", "used"] == 0 and b.at["U2", "used"] == 100 and (b["remaining"] >= 0).all()


def test_milp_solve_writes_nothing_to_c_level_stdout(capfd, monkeypatch):
    import ctypes
    import os

    real = solver.milp

    def noisy(*args, **kwargs):
        # what HiGHS does: write to the process's descriptors, below Python's sys.stdout
        os.write(1, b"HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();\n")
        os.write(2, b"noise on stderr\n")
        try:
            ctypes.CDLL(None).printf(b"buffered C noise\n")
        except (OSError, AttributeError, TypeError):
            pass
        return real(*args, **kwargs)

    monkeypatch.setattr(solver, "milp", noisy)
    groups, kat, budget, peg = tiny_instance(3)
    capfd.readouterr()
    gp = P.plan_groups(groups, kat, budget, pegawai=peg)
    _highs._flush_c_stdio()
    out, err = capfd.readouterr()
    assert gp.status == "optimal"
    assert "Highs" not in out and "noise" not in out and "noise" not in err and out == ""
    # the descriptors are restored after the solve
    os.write(1, b"after the solve\n")
    assert "after the solve" in capfd.readouterr().out


def test_quiet_c_output_restores_descriptors_after_an_error(capfd):
    import os

    with pytest.raises(RuntimeError):
        with P.quiet_c_output():
            os.write(1, b"hidden\n")
            raise RuntimeError("boom")
    os.write(1, b"shown\n")
    out, _ = capfd.readouterr()
    assert "hidden" not in out and "shown" in out


def test_plan_table_fills_type_and_name_from_kamus():
    kat, groups, peg, inv, gp, pa = _small_plan()
    kamus = pd.DataFrame(
        {
            "kode_kompetensi": ["M.3", "M.4"],
            "nama_id": ["Komunikasi", "Orientasi pada Hasil"],
            "nama_en": ["Communication", "Results Orientation"],
            "jenis": ["manajerial", "sosial_kultural"],
        }
    )
    t = P.plan_table(gp, pa, kat, groups, kamus=kamus).set_index("program_id")
    assert t.at["A", "jenis_kompetensi"] == "manajerial" and t.at["A", "kode_kompetensi"] == "M.3"
    assert t.at["A", "nama_kompetensi"] == "Komunikasi"
    assert t.at["B", "jenis_kompetensi"] == "sosial kultural"
    en = P.plan_table(gp, pa, kat, groups, kamus=kamus, lang="en").set_index("programme_id")
    assert en.at["A", "competency_type"] == "managerial"
    assert en.at["A", "competency_name"] == "Communication"
    # without the kamus the type is blank, never the code
    plain = P.plan_table(gp, pa, kat, groups).set_index("program_id")
    assert plain.at["A", "jenis_kompetensi"] == ""
    with pytest.raises(DataError):
        P.plan_table(gp, pa, kat, groups, kamus=kamus.drop(columns="jenis"))


def test_group_coverage_says_it_is_a_unit_aggregate():
    kat, groups, peg, inv, gp, pa = _small_plan()
    assert (gp.coverage["basis"] == "agregat_unit").all()
    assert "not mean every PNS" in W.basis_text(gp.coverage["basis"].iloc[0], "en")
    assert "agregat unit" in W.basis_text(gp.coverage["basis"].iloc[0], "id")


def test_assumptions_come_from_settings():
    peg = pd.DataFrame(
        {
            "pegawai_id": ["A", "B", "C"],
            "kode_unit": ["U"] * 3,
            "status": ["PNS", "CPNS", "PPPK"],
        }
    )
    a = pd.DataFrame({"pegawai_id": ["A"], "jp": [20.0]})
    cov = P.jp_coverage(a, peg, settings=S).set_index("kode_unit")
    assert cov.at["INSTANSI", "pns"] == 1
    s2 = S.with_overrides({"plan.jp_owed_status": ["PNS", "CPNS"]})
    cov2 = P.jp_coverage(a, peg, settings=s2).set_index("kode_unit")
    assert cov2.at["INSTANSI", "pns"] == 2 and cov2.at["INSTANSI", "pns_reaching"] == 1
    assert P.JP_OWED_STATUS == tuple(S["plan.jp_owed_status"])
    assert P.LEADERSHIP_LADDER["pengawas"] == tuple(S["talent.leadership_ladder"]["pengawas"])
    # the shortfall penalty scales with its factor
    groups, kat, budget, pg = tiny_instance(1)
    g1 = P.plan_groups(groups, kat, budget, pegawai=pg, settings=S)
    g2 = P.plan_groups(
        groups,
        kat,
        budget,
        pegawai=pg,
        settings=S.with_overrides({"plan.shortfall_penalty_factor": 20}),
    )
    assert g2.penalty == pytest.approx(2 * g1.penalty)
    # the leadership ladder of the settings drives the talent pool
    tp_peg = pd.DataFrame(
        {
            "pegawai_id": ["X"],
            "kode_unit": ["U"],
            "status": ["PNS"],
            "jenis_jabatan": ["pengawas"],
            "predikat_kinerja": ["Sangat Baik"],
            "skor_potensi": [90.0],
        }
    )
    s3 = S.with_overrides({"talent.leadership_ladder": {"pengawas": ["administrator", "PKX"]}})
    assert P.talent_pool(tp_peg, settings=s3)["pelatihan_kepemimpinan"].iloc[0] == "PKX"
    assert P.talent_pool(tp_peg, settings=S)["pelatihan_kepemimpinan"].iloc[0] == "PKA"


def test_module_constants_mirror_the_default_settings():
    """The constants are literals (no settings read at import) equal to the defaults."""
    assert P.JP_OWED_STATUS == tuple(S["plan.jp_owed_status"])
    assert P.LEADERSHIP_LADDER == {
        k: (str(v[0]), str(v[1])) for k, v in S["talent.leadership_ladder"].items()
    }
    assert P.JABATAN_RANK == {k: int(v) for k, v in S["talent.jabatan_rank"].items()}
    assert P.JENJANG_RANK == {k: int(v) for k, v in S["talent.jenjang_rank"].items()}


def test_importing_the_plan_kernels_reads_no_settings():
    """No settings file (or any YAML) is read at import: settings are loaded where used."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "opened = []\n"
        "def hook(event, args):\n"
        "    if event == 'open' and str(args[0]).endswith(('.yaml', '.yml')):\n"
        "        opened.append(str(args[0]))\n"
        "sys.addaudithook(hook)\n"
        "import workbook.plan\n"
        "assert not opened, opened\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONPATH": path}
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, env=env)
