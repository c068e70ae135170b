"""Tests of workbook.evaluation.followup (tindak lanjut, carry-over, maturity ladder).

Every expected value is hand-computed from the documented rule (arithmetic in the comments).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.core.exceptions import DataError, SchemaError
from workbook.core.settings import load_settings
from workbook.evaluation import followup as fu
from workbook.evaluation import maturity as mat
from workbook.evaluation import words
from workbook.needs.carry_over import merge_carry_over


@pytest.fixture
def katalog():
    # cost per JP: P1 3.0 M / 24 = 125 000; P2 free / 10 = 0; P3 1.0 M / (2 days × 8) = 62 500;
    # P4 400 000 / 8 = 50 000; P5 100 000 / 4 = 25 000; P6 free but JP unknown (last);
    # P7 800 000 / 16 = 50 000 (ties P4 on cost per JP, more JP → before P4)
    return pd.DataFrame(
        {
            "program_id": ["P1", "P2", "P3", "P4", "P5", "P6", "P7"],
            "nama_program": ["Satu", "Dua", "Tiga", "Empat", "Lima", "Enam", "Tujuh"],
            "kode_kompetensi": ["T.01", "T.02;M.1", "T.01", "T.01;T.02", "T.02", "T.01", "T.01"],
            "jp": [24, 10, None, 8, 4, None, 16],
            "hari": [3, 1, 2, 1, 1, None, 2],
            "biaya_per_peserta": [3_000_000, 0, 1_000_000, 400_000, 100_000, 0, 800_000],
        }
    )


@pytest.fixture
def pegawai():
    return pd.DataFrame(
        {"pegawai_id": list("ABCDEFG"), "kode_unit": ["U1", "U1", "U1", "U2", "U2", "U2", "U2"]}
    )


def test_programme_options_order(katalog):
    o = fu.programme_options(katalog)
    t01 = o.loc[o["kode_kompetensi"] == "T.01"]
    # 50 000 (P7, 16 JP) before 50 000 (P4, 8 JP), then 62 500, 125 000, unknown JP last
    assert t01["program_id"].tolist() == ["P7", "P4", "P3", "P1", "P6"]
    assert t01["option_rank"].tolist() == [1, 2, 3, 4, 5]
    assert o.loc[o["program_id"] == "P3", "jp"].iloc[0] == 16  # 2 days × 8 JP
    assert o.loc[o["kode_kompetensi"] == "T.02", "program_id"].tolist() == ["P2", "P5", "P4"]


def test_each_trigger_and_boundaries(katalog, pegawai):
    l2 = pd.DataFrame(
        {
            "pegawai_id": ["A", "B", "C", "D", "G"],
            "program_id": ["P1", "P1", "P1", "P1", "P1"],
            # A: post 65 < 70 → post-test; g = (65 − 50)/(100 − 50) = 0.30, not < 0.3 → no gain flag
            # B: post 80, g = 40/60 = 0.67 → nothing
            # C: post 71 ≥ 70; g = (71 − 60)/(100 − 60) = 0.275 < 0.3 → low gain only
            # D: pre = max: g undefined → not flagged; post 100 → nothing
            # G: post exactly 70 (not below); g = (70 − 0)/100 = 0.7 → nothing
            "skor_pre": [50, 40, 60, 100, 0],
            "skor_post": [65, 80, 71, 100, 70],
            "skor_maks": 100,
        }
    )
    gaps = pd.DataFrame(
        {
            "pegawai_id": ["E", "E", "B"],
            "kode_unit": ["U2", "U2", "U1"],
            "kode_kompetensi": ["T.02", "M.1", "T.01"],
            "gap": [-1.0, 0.0, np.nan],
            "below_standard": pd.array([True, False, None], dtype="boolean"),
        }
    )
    jp = pd.DataFrame(
        {
            "pegawai_id": ["F", "B"],
            "jp_total": [12.0, 20.0],
            "jp_target": [20.0, 20.0],
            "reached": [False, True],
        }
    )
    lst = fu.still_below_standard(l2, gaps, jp, katalog, pegawai=pegawai)
    got = set(zip(lst["pegawai_id"], lst["reason"], strict=True))
    assert got == {
        ("A", "post_test_rendah"),
        ("C", "gain_rendah"),
        ("E", "kesenjangan_tersisa"),
        ("F", "jp_kurang"),
    }
    a = lst.loc[lst["pegawai_id"] == "A"].iloc[0]
    assert a["value"] == pytest.approx(65.0) and a["threshold"] == 70
    assert a["kode_kompetensi"] == "T.01" and a["program_id"] == "P1"
    c = lst.loc[lst["pegawai_id"] == "C"].iloc[0]
    assert c["value"] == pytest.approx(0.275)
    f = lst.loc[lst["pegawai_id"] == "F"].iloc[0]
    assert pd.isna(f["kode_kompetensi"]) and pd.isna(f["recommended_program_id"])
    assert f["value"] == 12 and f["threshold"] == 20
    assert lst.loc[lst["pegawai_id"] == "E", "kode_unit"].iloc[0] == "U2"
    assert f["kode_unit"] == "U2"  # from pegawai
    assert lst["reason"].isin(fu.REASONS).all() and "reason_id" not in lst.columns
    said = words.words(lst, "reason", "id")
    assert said.isin([w[0] for w in words.FOLLOWUP_REASONS.values()]).all()
    assert lst.attrs["output_class"] == "restricted"
    # a stricter passing score flags B too (80 < 85)
    s = load_settings(evaluation__passing_score_pct=85)
    lst85 = fu.still_below_standard(l2, None, None, katalog, settings=s)
    assert set(lst85.loc[lst85["reason"] == "post_test_rendah", "pegawai_id"]) == {
        "A",
        "B",
        "C",
        "G",
    }


def test_recommendation_skips_programmes_already_taken(katalog):
    l2 = pd.DataFrame(
        {
            "pegawai_id": ["A"],
            "program_id": ["P7"],
            "skor_pre": [50],
            "skor_post": [60],
            "skor_maks": 100,
        }
    )
    gaps = pd.DataFrame(
        {
            "pegawai_id": ["A", "B"],
            "kode_kompetensi": ["T.01", "T.01"],
            "gap": [-1, -1],
            "below_standard": [True, True],
        }
    )
    real = pd.DataFrame({"pegawai_id": ["A"], "program_id": ["P4"]})
    lst = fu.still_below_standard(l2, gaps, None, katalog, realisasi=real)
    rec = lst.set_index(["pegawai_id", "reason"])["recommended_program_id"]
    # A took P7 (in l2) and P4 (in realisasi): next is P3; B took nothing: P7
    assert rec[("A", "kesenjangan_tersisa")] == "P3"
    assert rec[("A", "post_test_rendah")] == "P3"
    assert rec[("B", "kesenjangan_tersisa")] == "P7"
    assert lst.loc[lst["pegawai_id"] == "B", "recommended_program"].iloc[0] == "Tujuh"


def test_counts_by_unit_are_suppressed_below_5():
    # reason kesenjangan_tersisa: U1 has 6 people, U2 has 2, U3 has 7
    ids = {"U1": [f"a{i}" for i in range(6)], "U2": ["b0", "b1"], "U3": [f"c{i}" for i in range(7)]}
    peg = pd.DataFrame(
        [(p, u) for u, ps in ids.items() for p in ps], columns=["pegawai_id", "kode_unit"]
    )
    peg = pd.concat(
        [peg, pd.DataFrame({"pegawai_id": [f"x{i}" for i in range(10)], "kode_unit": "U2"})],
        ignore_index=True,
    )
    lst = pd.DataFrame(
        {"pegawai_id": peg["pegawai_id"].iloc[:15].tolist(), "reason": "kesenjangan_tersisa"}
    )
    # a person listed twice (two competencies) counts once
    lst = pd.concat([lst, lst.iloc[[0]]], ignore_index=True)
    out = fu.followup_counts_by_unit(lst, peg).set_index("kode_unit")
    # U2: n = 2 < 5 → primary; U1 (6, the smallest shown sibling) → complementary; U3 shown
    assert out.loc["U2", "suppression_reason"] == "primary" and np.isnan(out.loc["U2", "n"])
    assert out.loc["U1", "suppression_reason"] == "complementary" and np.isnan(out.loc["U1", "n"])
    # U3: n = 7 is shown, but 7 of 7 (share 100 %) in a group under k_distribution = 8 tells
    # something about every member → the share is hidden (extreme share), the count kept
    assert out.loc["U3", "n"] == 7 and out.loc["U3", "suppression_reason"] == "extreme_share"
    assert np.isnan(out.loc["U3", "share"])
    assert out.loc["U2", "n_pegawai"] == 12
    assert "pegawai_id" not in out.columns


def test_carry_over_round_trip_into_merge(tmp_path, katalog):
    lst = pd.DataFrame(
        {
            "pegawai_id": ["A", "A", "A", "B", "C"],
            "reason": [
                "kesenjangan_tersisa",
                "post_test_rendah",
                "jp_kurang",
                "kesenjangan_tersisa",
                "gain_rendah",
            ],
            "kode_kompetensi": ["T.01", "T.01", None, "T.02", "M.1"],
            "recommended_program_id": ["P7", "P7", None, "P2", "P2"],
        }
    )
    gaps = pd.DataFrame(
        {"pegawai_id": ["A", "B"], "kode_kompetensi": ["T.01", "T.02"], "gap": [-1.0, -2.0]}
    )
    co = fu.carry_over(lst, gaps, year=2025)
    assert list(co.columns) == list(fu.CARRY_OVER_COLUMNS)
    assert co.attrs["schema_version"] == fu.CARRY_OVER_SCHEMA_VERSION
    a = co.loc[(co["pegawai_id"] == "A") & (co["kode_kompetensi"] == "T.01")].iloc[0]
    assert a["reason"] == "post_test_rendah;kesenjangan_tersisa"  # fixed reason order
    assert a["gap"] == -1.0 and a["source_year"] == 2025
    assert co["kode_kompetensi"].isna().sum() == 1  # A's JP shortfall, person-level
    # through Parquet (the file next year's stage reads)
    path = tmp_path / "carry_over.parquet"
    co.to_parquet(path)
    back = fu.check_carry_over(pd.read_parquet(path))
    pd.testing.assert_frame_equal(
        back.reset_index(drop=True), co.reset_index(drop=True), check_dtype=False
    )
    inventory = pd.DataFrame(
        {
            "pegawai_id": ["A", "A", "A", "B", "B", "D"],
            "kode_kompetensi": ["M.2", "M.3", "T.01", "X", "T.02", "M.1"],
            "gap": [-2, -1, -1, -1, -1, -1],
            "shortfall_basis": "standar",
            "need_score": [3.0, 2.0, 1.0, 2.0, 1.0, 1.0],
            "priority": [1, 2, 3, 1, 2, 1],
        }
    )
    # this year's gaps: B's T.02 is now at standard → resolved and dropped
    gaps_now = pd.DataFrame({"pegawai_id": ["B"], "kode_kompetensi": ["T.02"], "gap": [0.0]})
    m = merge_carry_over(inventory, back, gaps=gaps_now)
    ma = m.loc[m["pegawai_id"] == "A"].sort_values("priority")
    # A: carried T.01 (was 3rd) moves first; M.2, M.3 follow in their old order
    assert ma["kode_kompetensi"].tolist() == ["T.01", "M.2", "M.3"]
    assert ma["priority"].tolist() == [1, 2, 3]
    assert ma["priority_before"].tolist() == [3, 1, 2]
    assert ma["jp_shortfall_last_year"].all()
    mb = m.loc[m["pegawai_id"] == "B"].sort_values("priority")
    assert mb["kode_kompetensi"].tolist() == ["X", "T.02"] and not mb["carried_over"].any()
    assert m.attrs["resolved"] == 1
    # C's M.1 was not in the inventory: added as a follow-up need, first for C
    mc = m.loc[m["pegawai_id"] == "C"]
    assert len(mc) == 1 and mc["shortfall_basis"].iloc[0] == "tindak_lanjut"
    assert mc["priority"].iloc[0] == 1 and m.attrs["added"] == 1
    # D's M.1 was not carried: unchanged
    assert m.loc[m["pegawai_id"] == "D", "carried_over"].tolist() == [False]
    assert m.loc[m["carried_over"], "carry_source_year"].eq(2025).all()


def test_carry_over_refuses_bad_input():
    with pytest.raises(DataError):
        fu.carry_over(pd.DataFrame({"pegawai_id": []}), None, year="2025")
    with pytest.raises(SchemaError):
        fu.check_carry_over(pd.DataFrame({"pegawai_id": ["A"]}))
    bad = pd.DataFrame(
        {
            "pegawai_id": ["A"],
            "kode_kompetensi": ["T"],
            "source_year": [2025],
            "reason": ["lupa"],
            "recommended_program_id": [None],
            "gap": [None],
        }
    )
    with pytest.raises(SchemaError, match="lupa"):
        fu.check_carry_over(bad)


@pytest.mark.parametrize(
    ("steps", "score"),
    [
        ((False, False, False, False), 0),
        ((True, False, False, False), 1),
        ((True, True, False, False), 2),
        ((True, True, True, False), 3),
        ((True, True, True, True), 4),  # with a recorded action (below)
        ((False, True, True, True), 0),  # nothing counts without a plan
        ((True, True, False, True), 2),  # follow-up without evaluation does not count
    ],
)
def test_maturity_ladder(steps, score):
    # step 4 is a recorded action with status, not the follow-up list (review W12)
    acted = pd.DataFrame({"tindakan": ["Remedial"], "penanggung_jawab": ["BKPSDM"],
                          "tanggal": ["2027-02-01"], "status": ["berjalan"]})
    r = mat.maturity_ladder(*steps, actions=acted if steps[3] else None).iloc[0]
    assert r["score"] == score
    assert list(r.index) == ["score", "gap_in_chain", "followup_state", "n_actions", "n_actions_planned",
                             "n_actions_ongoing", "n_actions_done"]
    assert words.text(words.MATURITY_LADDER, score, "en") == words.MATURITY_LADDER[score][1]
    assert bool(r["gap_in_chain"]) == any(steps[score:])


def test_maturity_ladder_refuses_non_boolean():
    with pytest.raises(DataError):
        mat.maturity_ladder(1, True, True, True)


def test_compare_years():
    cur = pd.DataFrame(
        {"program_id": ["P1", "P2"], "n": [5, 6], "g_z": [0.5, 0.7], "significant": [True, False]}
    )
    prev = pd.DataFrame({"program_id": ["P1", "P3"], "n": [4, 6], "g_z": [0.3, 0.9]})
    r = mat.compare_years(cur, prev, year_current=2026, year_previous=2025)
    assert set(r["measure"]) == {"n", "g_z"}  # booleans are not compared
    p1 = r.loc[(r["program_id"] == "P1") & (r["measure"] == "g_z")].iloc[0]
    assert p1["change"] == pytest.approx(0.2)  # 0.5 − 0.3
    assert p1["in_current"] and p1["in_previous"]
    p3 = r.loc[r["program_id"] == "P3"]
    assert (~p3["in_current"]).all() and p3["change"].isna().all()
    assert (r["year_previous"] == 2025).all()
    none = mat.compare_years(cur, None)
    assert none["previous"].isna().all() and "tidak tersedia" in none.attrs["message_id"]
