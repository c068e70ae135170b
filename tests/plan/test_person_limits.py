"""Person-cell limits of the selection (issue #17, branch ``bench``): a programme that answers
several competency groups of the same people gets at most as many seats there as there are
distinct people; rows that cannot bind are left out of the model without changing the plan."""

from __future__ import annotations

import pandas as pd

import workbook.plan.groups as groups_
from workbook.core.settings import load_settings
from workbook.plan.groups import need_groups, plan_groups
from workbook.plan.refill import first_prior


def _instance():
    """Six PNS of one unit, each needing competencies A and B. Programme X (free, answers A and B)
    could take 12 seats over the two groups but only 6 people exist: its row binds. Programme Z
    (answers A and B) has 1 place × 2 sessions, so its two pairs hold at most 2 + 2 ≤ 6 seats: its
    row cannot bind and is left out. Programme Y answers only A (no row)."""
    ids = [f"P{i}" for i in range(6)]
    peg = pd.DataFrame({"pegawai_id": ids, "kode_unit": "U1", "status": "PNS", "profil": "1"})
    inv = pd.DataFrame({"pegawai_id": ids * 2, "kode_kompetensi": ["A"] * 6 + ["B"] * 6,
                        "need_score": 0.9, "priority": [1] * 6 + [2] * 6})
    kat = pd.DataFrame({
        "program_id": ["X", "Y", "Z"], "nama_program": ["X", "Y", "Z"],
        "bentuk": ["e_learning", "pelatihan_teknis", "pelatihan_teknis"],
        "kode_kompetensi": ["A;B", "A", "A;B"], "jp": [24.0, 24.0, 24.0], "hari": [float("nan")] * 3,
        "cakupan": "nasional", "biaya_per_peserta": [0.0, 1_000_000.0, 1_000_000.0],
        "kapasitas_per_sesi": [500, 30, 1], "penyelenggara": "LAN", "bulan_tersedia": "3;6",
        "sumber_dana": "APBD", "kesesuaian_kurikulum": "sesuai"})
    return peg, inv, kat


def test_seats_of_a_programme_in_a_person_cell_never_exceed_its_people(monkeypatch):
    peg, inv, kat = _instance()
    groups = need_groups(inv, peg, profiles=peg[["pegawai_id", "profil"]])
    s = load_settings()
    s.entries["plan.refill_rounds"]["value"] = 2
    prior = first_prior(inv, peg, groups, kat, s)
    assert set(prior.person_limit["program_id"]) == {"X", "Z"}  # Y answers one group only
    seen = {}
    solve = groups_._solve_groups

    def spy(m, *a):
        seen["m"] = m
        return solve(m, *a)

    monkeypatch.setattr(groups_, "_solve_groups", spy)
    without = plan_groups(groups, kat, 10_000_000.0, pegawai=peg, settings=s)
    gp = plan_groups(groups, kat, 10_000_000.0, pegawai=peg, settings=s, prior=prior)
    seats = gp.allocation.groupby("program_id")["participants"].sum()
    assert int(without.allocation.groupby("program_id")["participants"].sum().get("X", 0)) > 6  # the flaw
    assert int(seats.get("X", 0)) <= 6
    m = seen["m"]
    assert len(m.union_hi) == 1 and m.union_hi[0] == 6  # X's row kept, Z's (cannot bind) left out
    reach = pd.Series(m.ub[m.union_pair]).groupby(m.union_row).sum().to_numpy()
    assert (reach > m.union_hi).all()  # every row kept can bind


def test_first_round_limits_are_gated_by_the_model_size():
    """Above ``plan.person_limits_max_pairs`` pairs the first selection runs without the
    person-cell limits (bench/plan.py: with them HiGHS runs to its time limit at 96.449 pairs);
    at or below it they are kept."""
    peg, inv, kat = _instance()
    groups = need_groups(inv, peg, profiles=peg[["pegawai_id", "profil"]])
    s = load_settings()
    s.entries["plan.refill_rounds"]["value"] = 2
    gate = int(s["plan.person_limits_max_pairs"])
    assert first_prior(inv, peg, groups, kat, s, n_pairs=gate) is not None
    assert first_prior(inv, peg, groups, kat, s, n_pairs=gate + 1) is None
    s.entries["plan.person_limits_max_pairs"]["value"] = 3
    assert first_prior(inv, peg, groups, kat, s, n_pairs=4) is None
