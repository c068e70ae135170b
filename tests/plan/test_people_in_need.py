"""'Pegawai yang membutuhkan' counts people, not person × competency needs (issue #17).

Hand-built data: a programme that addresses three competencies of one person counts that person
once in ``jumlah_pegawai``; the person × competency count stays in ``kebutuhan_kompetensi``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import workbook.plan as P
from workbook.plan.stage import programme_criteria


def _katalog() -> pd.DataFrame:
    base = {"jalur": "", "penyelenggara": "BPSDM", "hari": np.nan, "cakupan": "nasional",
            "bulan_tersedia": None, "kesesuaian_kurikulum": "sesuai", "sumber_dana": "APBD",
            "bentuk": "pelatihan_teknis", "jp": 20, "biaya_per_peserta": 1_000_000, "kapasitas_per_sesi": 30}
    rows = [
        {"program_id": "A", "kode_kompetensi": "K1;K2;K3"},  # addresses all three of Ani's needs
        {"program_id": "B", "kode_kompetensi": "K3"},
    ]
    out = pd.DataFrame([{**base, **r} for r in rows])
    out["nama_program"] = "Program " + out["program_id"]
    return out


def _people():
    # Ani needs K1, K2, K3; Budi needs K1; Cici needs K3; all in unit U, PNS
    inv = pd.DataFrame({
        "pegawai_id": ["ani", "ani", "ani", "budi", "cici"],
        "kode_kompetensi": ["K1", "K2", "K3", "K1", "K3"],
        "need_score": [1.0, 0.5, 0.5, 1.0, 1.0],
    })
    peg = pd.DataFrame({"pegawai_id": ["ani", "budi", "cici"], "kode_unit": "U", "status": "PNS"})
    return inv, peg


def test_a_person_with_three_addressed_competencies_counts_once():
    inv, peg = _people()
    groups = P.need_groups(inv, peg)
    members = P.need_groups(inv, peg, members_only=True)
    cands = P.candidate_programmes(groups, _katalog())
    crit = programme_criteria(cands, members).set_index("program_id")
    # A: Ani (once), Budi, Cici → 3 people; 5 person × competency needs (K1: 2, K2: 1, K3: 2)
    assert crit.at["A", "jumlah_pegawai"] == 3
    assert crit.at["A", "kebutuhan_kompetensi"] == 5
    # B addresses K3 only: Ani and Cici
    assert crit.at["B", "jumlah_pegawai"] == 2
    assert crit.at["B", "kebutuhan_kompetensi"] == 2
    # the need value is unchanged: Σ need score over the person × competency needs
    assert crit.at["A", "kebutuhan"] == 4.0


def test_members_are_the_people_of_each_group():
    inv, peg = _people()
    members = P.need_groups(inv, peg, members_only=True)
    by_comp = members.groupby("kode_kompetensi")["pegawai_id"].apply(set).to_dict()
    assert by_comp == {"K1": {"ani", "budi"}, "K2": {"ani"}, "K3": {"ani", "cici"}}
    groups = P.need_groups(inv, peg)
    assert groups.set_index("kode_kompetensi")["n_need"].to_dict() == {"K1": 2, "K2": 1, "K3": 2}


def test_people_in_separate_units_count_separately_and_without_members_the_old_sum():
    inv = pd.DataFrame({"pegawai_id": ["a", "a", "b"], "kode_kompetensi": ["K1", "K3", "K1"],
                        "need_score": [1.0, 1.0, 1.0]})
    peg = pd.DataFrame({"pegawai_id": ["a", "b"], "kode_unit": ["U1", "U2"], "status": "PNS"})
    groups = P.need_groups(inv, peg)
    cands = P.candidate_programmes(groups, _katalog())
    with_members = programme_criteria(cands, P.need_groups(inv, peg, members_only=True)).set_index("program_id")
    assert with_members.at["A", "jumlah_pegawai"] == 2
    assert with_members.at["A", "kebutuhan_kompetensi"] == 3
    # without members the count is the person × competency sum (kept for callers that lack them)
    assert programme_criteria(cands).set_index("program_id").at["A", "jumlah_pegawai"] == 3
