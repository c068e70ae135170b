"""Tests of the sample agency generator (workbook/sample/)."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from workbook.core.exceptions import SettingsError, WorkbookError
from workbook.core.schema import BENTUK
from workbook.core.schema import TABLES as _ALL_TABLES
from workbook.evaluation import levels as evaluation
from workbook.sample import (
    FAKE_IDENTIFIERS,
    PROFILES,
    SAMPLE_PARAMETERS,
    generate_agency,
    planted_profiles,
    write_agency,
)
from workbook.sample import generator as sample
from workbook.sample.write import main

# every table of the schema, the optional item scores of L2 tests (evaluasi_l2_butir) included
TABLES = dict(_ALL_TABLES)

REPO = Path(__file__).resolve().parents[2]
CONTOH = REPO / "data_samples" / "contoh"


@pytest.fixture(scope="module")
def agency() -> dict:
    return generate_agency(**SAMPLE_PARAMETERS)


@pytest.fixture(scope="module")
def two_years() -> dict:
    return generate_agency(1500, seed=11, plan_year=2027, years=2)


# ------------------------------------------------------------------------------------------
# A schema checker written against workbook.core.schema (independent of the generator's code)
# ------------------------------------------------------------------------------------------


def _column_contract(table, name):
    for c in table.columns:
        if not c.pattern and c.name == name:
            return c, None
    for c in table.columns:
        if c.pattern:
            m = c.regex().match(name)
            if m:
                return c, m.groupdict()
    return None, None


def _conformance_problems(tables: dict) -> list[str]:
    problems = []
    codes = set(tables["kamus_kompetensi"]["kode_kompetensi"])
    for name, table in TABLES.items():
        df = tables[name]
        for c in table.columns:
            if c.required and not c.pattern and c.name not in df.columns:
                problems.append(f"{name}: missing required column {c.name}")
        for col in df.columns:
            c, groups = _column_contract(table, col)
            if c is None:
                problems.append(f"{name}: unknown column {col}")
                continue
            if c.personal:
                problems.append(f"{name}: personal column {col} present")
            if groups and "kode" in groups and groups["kode"] not in codes:
                problems.append(f"{name}: {col} names an unknown competency")
            s = df[col]
            blank = s.isna()
            if c.required and blank.any():
                ok_pppk = name == "pegawai" and col == "golongan" and (df.loc[blank, "status"] == "PPPK").all()
                if not ok_pppk:
                    problems.append(f"{name}: required {col} has {int(blank.sum())} blanks")
            v = s[~blank]
            if c.dtype == "enum" and not set(v).issubset(c.allowed):
                problems.append(f"{name}: {col} values outside {c.allowed}: {set(v) - set(c.allowed)}")
            if c.dtype in ("int", "float", "rupiah"):
                if not pd.api.types.is_numeric_dtype(s):
                    problems.append(f"{name}: {col} not numeric ({s.dtype})")
                    continue
                vals = v.astype(float)
                if c.dtype in ("int", "rupiah") and not (vals == np.round(vals)).all():
                    problems.append(f"{name}: {col} not whole numbers")
                if c.min is not None and (vals < c.min).any():
                    problems.append(f"{name}: {col} below {c.min}")
                if c.max is not None and (vals > c.max).any():
                    problems.append(f"{name}: {col} above {c.max}")
            if c.dtype in ("date", "datetime") and not pd.api.types.is_datetime64_any_dtype(s):
                problems.append(f"{name}: {col} is not a date ({s.dtype})")
            if c.dtype in ("str", "text", "list") and not pd.api.types.is_string_dtype(s):
                problems.append(f"{name}: {col} is not text ({s.dtype})")
        # references
        for col, (ref_table, ref_col) in table.references.items():
            allowed = set(tables[ref_table][ref_col])
            vals = df[col].dropna()
            if table.column(col).dtype == "list":
                vals = pd.Series([x for item in vals for x in item.split(";")])
            missing = set(vals) - allowed
            if missing:
                problems.append(f"{name}: {col} has unknown references {sorted(missing)[:3]}")
        # keys
        if table.key:
            dup = df.duplicated(list(table.key), keep=False)
            if dup.any() and table.latest_by is None:
                problems.append(f"{name}: duplicate keys {int(dup.sum())}")
    return problems


def test_every_table_present_with_schema_names(agency):
    assert set(agency) == set(TABLES) | {"instansi"}
    assert agency["instansi"] == {"nama_instansi": "Pemerintah Kabupaten Contoh", "jenis_instansi": "kabupaten",
                                  "tahun_rencana": 2027}


def test_tables_conform_to_schema(agency):
    assert _conformance_problems(agency) == []


def test_checker_catches_a_broken_table(agency):
    broken = dict(agency)
    peg = agency["pegawai"].copy()
    peg.loc[0, "status"] = "Honorer"
    broken["pegawai"] = peg
    assert any("status" in p for p in _conformance_problems(broken))


def test_standards_cover_every_position(agency):
    std = agency["standar_kompetensi"]
    peg = agency["pegawai"]
    jobs = set(peg["jabatan"]) | set(peg["jabatan_target"].dropna())
    per_job = std.groupby("jabatan")["kode_kompetensi"].apply(set)
    assert jobs <= set(per_job.index)
    msk = {"M.1", "M.2", "M.3", "M.4", "M.5", "M.6", "M.7", "M.8", "SK.1"}
    for job in jobs:
        comps = per_job[job]
        assert msk <= comps
        assert 2 <= len(comps - msk) <= 4, job
    kamus = agency["kamus_kompetensi"]
    assert (kamus["jenis"] == "manajerial").sum() == 8
    assert (kamus["jenis"] == "sosial_kultural").sum() == 1
    assert 10 <= (kamus["jenis"] == "teknis").sum() <= 15


def test_standard_ladder_by_position_type(agency):
    std = agency["standar_kompetensi"].merge(
        agency["pegawai"][["jabatan", "jenis_jabatan"]].drop_duplicates(), on="jabatan")
    mean = std[std["kode_kompetensi"].str.startswith("M.")].groupby("jenis_jabatan")["level_standar"].mean()
    assert mean["JPT"] > mean["administrator"] > mean["pengawas"] > mean["pelaksana"]


def test_no_real_identifiers(agency):
    peg = agency["pegawai"]
    assert peg["pegawai_id"].str.fullmatch(r"P\d{6}").all()
    assert "nip" not in peg.columns and "nama" not in peg.columns
    for name in TABLES:
        for col in agency[name].select_dtypes("str").columns:
            found = agency[name][col].dropna().str.findall(r"\d{18}").explode().dropna()
            # the only 18-digit numbers are the documented FAKE NIPs planted in a few L1 comments
            assert set(found) <= set(FAKE_IDENTIFIERS["nip"]), (name, col)
            assert len(found) <= 3 and (len(found) == 0 or (name, col) == ("evaluasi_l1", "komentar"))


def test_free_texts_are_varied_and_carry_the_fake_identifiers(agency):
    com = agency["evaluasi_l1"]["komentar"].dropna()
    assert 60 <= com.nunique() <= 100
    low = com.str.lower()
    assert (low == "-").any() and (low == "tidak ada").any()
    assert low.str.contains(r"\b(?:gk|bgt|mantap)\b").any()
    assert low.str.contains("sertifikat").any() and low.str.contains("parkir").any()
    fake = [x for values in FAKE_IDENTIFIERS.values() for x in values]
    with_fake = com[com.apply(lambda t: any(f in t for f in fake))]
    assert 3 <= with_fake.nunique() <= 5
    assert all(any(f in t for t in com) for f in fake)  # every fake identifier is planted
    need = agency["survei_pegawai"]["kebutuhan_lain"].dropna()
    assert need.nunique() >= 40
    ww = agency["wawancara"]
    per_prog = ww.groupby("program_id").size()
    assert 3 <= (per_prog >= 5).sum() <= 4
    assert ww["tema"].notna().all() and ww["ringkasan"].nunique() >= 10
    sentences = ww["ringkasan"].str.count(r"[.;]\s*")
    assert sentences.between(1, 3).all()


def test_workforce_mix(agency):
    peg = agency["pegawai"]
    status = peg["status"].value_counts(normalize=True)
    assert 0.01 <= status["CPNS"] <= 0.06
    assert 0.74 <= status["PNS"] <= 0.86
    assert 0.12 <= status["PPPK"] <= 0.22
    assert peg.loc[peg["status"] == "PPPK", "golongan"].isna().all()
    assert peg.loc[peg["status"] != "PPPK", "golongan"].notna().all()
    jenis = peg["jenis_jabatan"].value_counts()
    assert jenis["JPT"] == peg["kode_unit"].nunique()
    assert jenis["JPT"] < jenis["administrator"] < jenis["pengawas"] < jenis["pelaksana"] < jenis["fungsional"]
    fun = peg[peg["jenis_jabatan"] == "fungsional"]
    assert set(fun["jenjang"]) == {"ahli pertama", "ahli muda", "ahli madya", "terampil", "mahir", "penyelia"}
    # grade consistent with position type
    gol = peg["golongan"].str.split("/").str[0]
    assert (gol[peg["jenis_jabatan"] == "JPT"] == "IV").all()
    assert gol[peg["jenis_jabatan"] == "administrator"].isin(["III", "IV"]).all()
    assert (gol[peg["jenjang"] == "ahli madya"] == "IV").all()
    assert gol[peg["jenjang"] == "terampil"].dropna().isin(["II"]).all()
    assert (peg["predikat_kinerja"].value_counts(normalize=True).idxmax()) == "Baik"
    assert 0.5 <= peg["skor_potensi"].notna().mean() <= 0.7
    assert 8 <= peg["kode_unit"].nunique() <= 15
    assert {"DINKES", "DISDIK", "RSUD", "BKPSDM"} <= set(peg["kode_unit"])


def test_small_unit_has_fewer_than_five_respondents(agency):
    resp = agency["survei_pegawai"].drop_duplicates("pegawai_id").merge(agency["pegawai"], on="pegawai_id")
    per_unit = resp.groupby("kode_unit").size()
    assert (per_unit < 5).any()
    assert (per_unit >= 5).sum() >= 8
    rate = per_unit / agency["pegawai"].groupby("kode_unit").size()
    assert rate.drop(per_unit[per_unit < 5].index).std() > 0.02  # response rate differs by unit


def _survey_matrices(agency):
    codes = list(agency["kamus_kompetensi"]["kode_kompetensi"])
    std = agency["standar_kompetensi"].pivot(index="jabatan", columns="kode_kompetensi", values="level_standar")
    sv = agency["survei_pegawai"].merge(agency["pegawai"][["pegawai_id", "jabatan"]], on="pegawai_id")
    s = std.reindex(index=sv["jabatan"], columns=codes).to_numpy(dtype=float)
    lv = sv[[f"level_{c}" for c in codes]].to_numpy(dtype=float, na_value=np.nan)
    imp = sv[[f"penting_{c}" for c in codes]].to_numpy(dtype=float, na_value=np.nan)
    return codes, sv, s, lv, imp


def test_survey_answers_follow_the_job_standard(agency):
    _, sv, s, lv, imp = _survey_matrices(agency)
    outside = np.isnan(s)
    assert np.isnan(lv[outside]).all() and np.isnan(imp[outside]).all()
    blank = np.isnan(lv[~outside]).mean()
    assert 0.015 <= blank <= 0.05
    assert np.nanmin(imp) >= 1 and np.nanmax(imp) <= 5
    gap = (lv - s)[~outside & ~np.isnan(lv)]
    assert (np.abs(gap) <= 1).mean() >= 0.8
    # outside the competencies of the planted profiles, almost every level is within ±1 of the standard
    # (the profile competencies carry shifts of −1.5 to −2 levels by design, so they are left out here)
    planted = {c for name, shifts in PROFILES.items() if name != "tanpa_kesenjangan" for c in shifts}
    other = np.array([c not in planted for c in _survey_matrices(agency)[0]])
    gap_other = (lv - s)[:, other]
    gap_other = gap_other[~np.isnan(gap_other)]
    assert (np.abs(gap_other) <= 1).mean() >= 0.9
    assert 0.8 <= sv["pegawai_id"].nunique() / len(agency["pegawai"]) <= 0.92
    waktu = sv["waktu_isi"]
    assert waktu.min() >= pd.Timestamp("2026-08-01") and waktu.max() < pd.Timestamp("2026-10-01")
    text = sv["kebutuhan_lain"].notna().mean()
    assert 0.2 <= text <= 0.4
    assert set(sv["bentuk_diminati"].dropna()) <= set(BENTUK)


def test_duplicate_submissions_are_later_and_slightly_different(agency):
    sv = agency["survei_pegawai"]
    dup_ids = sv.loc[sv["pegawai_id"].duplicated(), "pegawai_id"]
    assert 0.003 <= len(dup_ids) / sv["pegawai_id"].nunique() <= 0.03
    levels = [c for c in sv.columns if c.startswith("level_")]
    changed = 0
    for pid in dup_ids:
        rows = sv[sv["pegawai_id"] == pid]
        assert rows["waktu_isi"].is_unique
        a, b = rows[levels].iloc[0], rows[levels].iloc[-1]
        diff = (a.astype("Float64") - b.astype("Float64")).abs().dropna()
        assert (diff <= 1).all()
        changed += int((diff > 0).any())
    assert changed >= 1


def test_self_ratings_above_supervisor_ratings(agency):
    codes = list(agency["kamus_kompetensi"]["kode_kompetensi"])
    cols = [f"level_{c}" for c in codes]
    self_ = agency["survei_pegawai"].drop_duplicates("pegawai_id", keep="last").set_index("pegawai_id")
    sup = agency["survei_atasan"].set_index("pegawai_id")
    assert 0.6 <= len(sup) / len(self_) <= 0.8
    assert sup.index.isin(self_.index).all()
    d = (self_.loc[sup.index, cols].to_numpy(float, na_value=np.nan) - sup[cols].to_numpy(float, na_value=np.nan))
    d = d[~np.isnan(d)]
    assert 0.25 <= d.mean() <= 0.55
    assert (d > 0).mean() > 2 * (d < 0).mean()
    # supervisors are structural officials of the same unit
    peg = agency["pegawai"].set_index("pegawai_id")
    rated = agency["survei_atasan"].dropna(subset=["atasan_id"])
    assert peg.loc[rated["atasan_id"], "jenis_jabatan"].isin(["JPT", "administrator", "pengawas"]).all()


def test_planted_profiles_shape_the_gaps(agency):
    codes, sv, s, lv, imp = _survey_matrices(agency)
    gap = pd.DataFrame(lv - s, columns=codes)
    peg = sv.merge(agency["pegawai"].drop(columns="jabatan"), on="pegawai_id")
    front = peg["kode_unit"].isin(["DINKES", "RSUD", "DISDUKCAPIL", "DINSOS", "SATPOLPP"]).to_numpy()
    staff = peg["jenis_jabatan"].isin(["pelaksana", "fungsional"]).to_numpy()
    # service gap in front-line units
    assert gap.loc[front & staff, "M.5"].mean() < gap.loc[~front & staff, "M.5"].mean() - 0.3
    # managerial gap among young pengawas
    young_pgw = (peg["jenis_jabatan"] == "pengawas").to_numpy() & peg["kelompok_usia"].isin(["<30", "30-39"]).to_numpy()
    assert gap.loc[young_pgw, "M.6"].mean() < gap.loc[~young_pgw & staff, "M.6"].mean() - 0.3
    # digital gap among older staff of administrative units
    admin = peg["kode_unit"].isin(["SETDA", "SETWAN", "INSPEKTORAT", "BKPSDM", "BAPPEDA", "DPUPR"]).to_numpy()
    older = peg["kelompok_usia"].isin(["40-49", "50+"]).to_numpy()
    assert gap.loc[admin & older, "T.04"].mean() < gap.loc[front & staff, "T.04"].mean() - 0.3


def test_assessments_mostly_structural(agency):
    ases = agency["hasil_asesmen"]
    peg = agency["pegawai"]
    share = ases["pegawai_id"].nunique() / len(peg)
    assert 0.25 <= share <= 0.45
    assessed = peg["pegawai_id"].isin(ases["pegawai_id"])
    structural = peg["jenis_jabatan"].isin(["JPT", "administrator", "pengawas"])
    assert assessed[structural].mean() > 0.85 > assessed[~structural].mean()
    assert (ases["metode"] == "pemetaan").all()


def test_catalogue_features(agency):
    kat = agency["katalog_program"]
    assert 35 <= len(kat) <= 50
    assert (kat["jalur"] == kat["bentuk"].map(BENTUK)).all()
    assert (kat["biaya_per_peserta"] == 0).sum() >= 3
    assert kat["biaya_per_peserta"].between(0, 25_000_000).all()
    conv = kat[kat["bentuk"].isin(["seminar", "lokakarya"]) & kat["jp"].isna()]
    assert len(conv) >= 2 and conv["hari"].notna().all() and conv["cakupan"].notna().all()
    assert (conv["cakupan"] == "internasional").any()
    comps = {c for item in kat["kode_kompetensi"] for c in item.split(";")}
    assert comps == set(agency["kamus_kompetensi"]["kode_kompetensi"])
    assert kat["kode_kompetensi"].str.count(";").between(0, 2).all()
    assert {"APBD", "BLUD"} <= set(kat["sumber_dana"])
    assert {"pelatihan_kepemimpinan", "seminar", "lokakarya", "bimtek", "kursus", "coaching", "mentoring",
            "e_learning", "magang", "detasering"} <= set(kat["bentuk"])
    months = {int(m) for item in kat["bulan_tersedia"].dropna() for m in item.split(";")}
    assert months <= set(range(1, 13))
    ang = agency["anggaran"]
    apbd = ang.loc[ang["sumber_dana"] == "APBD", "pagu"].sum()
    assert 1_500_000_000 <= apbd <= 2_500_000_000
    assert (ang["sumber_dana"] == "BLUD").sum() == 1


def test_participation_last_year(agency):
    r = agency["realisasi_pengembangan"]
    peg = agency["pegawai"]
    jp = r.groupby("pegawai_id")["jp"].sum().reindex(peg["pegawai_id"], fill_value=0)
    assert 0.6 <= (jp >= 20).mean() <= 0.72
    assert (jp == 0).any() and ((jp > 0) & (jp < 20)).any()
    assert r["program_id"].isna().any() and r.loc[r["program_id"].isna(), "nama_kegiatan"].notna().all()
    assert r["tanggal_mulai"].dt.year.eq(2026).all()
    # recognised JP of converted seminars = days × conversion factor
    kat = agency["katalog_program"].set_index("program_id")
    conv = r[r["program_id"].isin(kat.index[kat["jp"].isna() & (kat["bentuk"] == "seminar")])]
    factor = kat.loc[conv["program_id"], "cakupan"].map({"nasional": 4, "internasional": 6}).to_numpy()
    assert np.allclose(conv["jp"].to_numpy(), kat.loc[conv["program_id"], "hari"].to_numpy() * factor)


def test_evaluation_tables(agency):
    l1, l2, l3 = agency["evaluasi_l1"], agency["evaluasi_l2"], agency["evaluasi_l3"]
    items = [c for c in l1.columns if re.fullmatch(r"(fas|pen)_\d", c)]
    assert len(items) == 11 and l1[items].min().min() >= 1 and l1[items].max().max() <= 4
    assert l1["komentar"].notna().any()
    diff = (l2["skor_post"] - l2["skor_pre"]).groupby(l2["program_id"])
    gain, sd, n = diff.mean(), diff.std(), diff.count()
    pre = l2.groupby("program_id")["skor_pre"].mean()
    g_z = (gain / sd)[n >= 15]
    # realistic learning gains: most programmes g_z 0.3–1.2, individual change as variable as its mean
    assert ((g_z >= 0.25) & (g_z <= 1.3)).mean() >= 0.7 and g_z.max() < 1.6
    assert (sd / gain)[(n >= 15) & (gain > 5)].between(0.6, 3.5).all()
    assert (gain[n >= 15].abs() < 2).sum() >= 2     # no real gain
    assert (pre > 80).sum() >= 2                    # ceiling effects
    assert l2["skor_post"].isna().any() and (l2["skor_post"].dropna() <= l2["skor_maks"].max()).all()
    phases = l3.groupby("program_id")["tahap"].agg(set)
    assert (phases.apply(lambda s: s == {"sebelum"})).any()          # pending
    assert (phases.apply(lambda s: s == {"sebelum", "sesudah"})).any()
    done = l3[l3["tahap"] == "sesudah"]
    assert (done["tanggal"] > l3.loc[l3["tahap"] == "sebelum", "tanggal"].min()).all()
    assert len(agency["wawancara"]) >= 10
    ind = agency["indikator_unit"]
    linked = ind.groupby("kode_unit")["program_id"].apply(lambda s: s.notna().any())
    assert linked.any()


def test_unit_indicators_support_difference_in_differences(agency):
    ind = agency["indikator_unit"]
    n_units = ind["kode_unit"].nunique()
    assert n_units == 13
    wide = ind.pivot_table(index=["indikator", "kode_unit"], columns="periode", values="nilai").reset_index()
    wide["change"] = wide["sesudah"] - wide["sebelum"]
    arah = ind.groupby("indikator")["arah_baik"].agg(set)
    assert (arah.apply(len) == 1).all()
    wide["toward"] = np.where(wide["indikator"].map(arah.apply(min)) == "turun", -1, 1) * wide["change"]
    trained = ind.groupby(["indikator", "kode_unit"])["program_id"].apply(lambda s: s.notna().any())
    wide["trained"] = wide.set_index(["indikator", "kode_unit"]).index.map(trained)
    per = wide.groupby("indikator")
    units = per.size()
    for name in ("Nilai SAKIP perangkat daerah", "Persentase PNS memenuhi 20 JP (%)"):
        assert units[name] == n_units and 0.3 <= per.get_group(name)["trained"].mean() <= 0.7
    assert 5 <= units["Indeks kepuasan masyarakat"] <= 8
    shared = units[units >= 5].index
    assert any(arah[i] == {"turun"} for i in shared)
    share = per["trained"].mean()[shared]
    assert (share == 1).sum() == 1 and ((share > 0) & (share < 1)).sum() >= 4
    # planted: common trend about +1, effect of training about +3 (toward better), noise sd about 1.5
    mixed = wide[wide["indikator"].isin(share[(share > 0) & (share < 1)].index)]
    ctrl, trt = mixed.loc[~mixed["trained"], "toward"], mixed.loc[mixed["trained"], "toward"]
    assert 0 < ctrl.mean() < 2 and 2 < trt.mean() - ctrl.mean() < 4
    assert 0.8 < ctrl.std() < 2.5


def test_l2_item_scores_sum_to_the_totals(agency):
    butir, l2 = agency["evaluasi_l2_butir"], agency["evaluasi_l2"]
    items = [c for c in butir.columns if re.fullmatch(r"butir_\d+", c)]
    assert len(items) == 20
    assert 2 <= butir["program_id"].nunique() <= 3
    assert set(butir["tahap"]) == {"pre", "post"}
    assert not butir.duplicated(["pegawai_id", "program_id", "tahap"]).any()
    vals = butir[items].to_numpy(float)
    assert vals.min() >= 0 and vals.max() <= 5 and (vals == np.round(vals)).all()
    # 20 items × 5 points = skor_maks; the items of each row add up to its skor_pre / skor_post
    assert (l2.loc[l2["program_id"].isin(butir["program_id"]), "skor_maks"] == 20 * 5).all()
    m = butir.merge(l2, on=["pegawai_id", "program_id"], how="left", validate="many_to_one")
    expected = np.where(m["tahap"] == "pre", m["skor_pre"], m["skor_post"])
    assert np.array_equal(m[items].sum(axis=1).to_numpy(), expected)
    # every participant of a chosen programme has the items of each test taken (post may be missing)
    chosen = l2[l2["program_id"].isin(butir["program_id"])]
    assert (butir["tahap"] == "pre").sum() == len(chosen)
    assert (butir["tahap"] == "post").sum() == chosen["skor_post"].notna().sum()
    # the items make a reliable test for the programme with a real gain, and the RCI can be shown
    rc = evaluation.reliable_change(l2, butir=butir)
    shown = rc[rc["program_id"].isin(butir["program_id"])]
    assert (shown["reliability_source"] == "butir").all()
    alpha = shown.groupby("program_id")["reliability"].first()
    assert alpha.max() >= 0.8 and (alpha > 0).all()
    improved = shown.groupby("program_id")["reliable_improvement"].mean()
    assert improved.max() > 0.4 and improved.min() < 0.2  # a real gain and no/ceiling gain


def test_planted_profiles_are_returned_but_never_written(agency, tmp_path):
    truth = planted_profiles(**SAMPLE_PARAMETERS)
    peg = agency["pegawai"]
    assert list(truth.columns) == ["pegawai_id", "profil"]
    assert truth["pegawai_id"].tolist() == peg["pegawai_id"].tolist()
    assert set(truth["profil"]) == set(PROFILES)
    share = truth["profil"].value_counts(normalize=True)
    assert share.min() > 0.02 and share.max() < 0.6
    # membership is tied to the group, not deterministic
    p = peg.merge(truth, on="pegawai_id")
    young_pgw = (p["jenis_jabatan"] == "pengawas") & p["kelompok_usia"].isin(["<30", "30-39"])
    assert 0.6 <= (p.loc[young_pgw, "profil"] == "manajerial").mean() < 1
    assert (p.loc[~p["jenis_jabatan"].isin(["pengawas", "administrator"]), "profil"] != "manajerial").all()
    front = p["kode_unit"].isin(["DINKES", "RSUD", "DISDUKCAPIL", "DINSOS", "SATPOLPP"]) & \
        p["jenis_jabatan"].isin(["pelaksana", "fungsional"])
    assert 0.6 <= (p.loc[front, "profil"] == "pelayanan").mean() < 1
    assert (p.loc[~front, "profil"] == "pelayanan").mean() < 0.05
    # the truth is not a column of any table, and no written file contains it
    for name in TABLES:
        assert "profil" not in agency[name].columns
    write_agency(tmp_path / "a", 150, seed=3)
    for path in (tmp_path / "a").iterdir():
        assert "tanpa_kesenjangan" not in path.read_text(encoding="utf-8"), path.name
    two = planted_profiles(150, seed=3, years=2)
    assert sorted(two) == [2026, 2027] and len(two[2027]) == 150


def test_same_seed_same_tables_other_seed_different():
    a = generate_agency(300, seed=4)
    b = generate_agency(300, seed=4)
    c = generate_agency(300, seed=5)
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["survei_pegawai"].equals(c["survei_pegawai"])
    assert not a["pegawai"].equals(c["pegawai"])


def test_two_years_keep_ids_and_turn_over(two_years):
    assert list(two_years) == [2026, 2027]
    y1, y2 = two_years[2026], two_years[2027]
    assert y1["instansi"]["tahun_rencana"] == 2026 and y2["instansi"]["tahun_rencana"] == 2027
    for t in (y1, y2):
        assert _conformance_problems(t) == []
    p1 = y1["pegawai"].set_index("pegawai_id")
    p2 = y2["pegawai"].set_index("pegawai_id")
    gone, new = p1.index.difference(p2.index), p2.index.difference(p1.index)
    assert 0.03 <= len(gone) / len(p1) <= 0.07
    assert 0.03 <= len(new) / len(p1) <= 0.07
    assert (p2.loc[new, "status"] == "CPNS").all()
    assert (p1.loc[gone, "kelompok_usia"] == "50+").mean() > 0.6
    stay = p1.index.intersection(p2.index)
    assert (p1.loc[stay, "jabatan"] == p2.loc[stay, "jabatan"]).all()
    assert (p1.loc[stay, "tmt"] == p2.loc[stay, "tmt"]).all()
    assert not (p2.loc[stay, "status"] == "CPNS").any()
    assert y2["survei_pegawai"]["waktu_isi"].dt.year.eq(2026).all()
    assert y2["realisasi_pengembangan"]["tanggal_mulai"].dt.year.eq(2026).all()


def test_second_year_participation_follows_first_year_needs(two_years):
    """Training in Y−1 targets the gaps of the Y−1 survey, and trained competencies improve."""
    y1, y2 = two_years[2026], two_years[2027]
    codes = list(y1["kamus_kompetensi"]["kode_kompetensi"])
    cols = [f"level_{c}" for c in codes]
    kat = y2["katalog_program"].set_index("program_id")
    r = y2["realisasi_pengembangan"].dropna(subset=["program_id"])
    r = r[(r["jp"] >= 20) & (r["tanggal_mulai"].dt.month <= 7)]
    s1 = y1["survei_pegawai"].drop_duplicates("pegawai_id", keep="last").set_index("pegawai_id")[cols]
    s2 = y2["survei_pegawai"].drop_duplicates("pegawai_id", keep="last").set_index("pegawai_id")[cols]
    both = s1.index.intersection(s2.index)
    change = (s2.loc[both].astype("Float64") - s1.loc[both].astype("Float64"))
    trained, other = [], []
    for pid, prog in zip(r["pegawai_id"], r["program_id"], strict=True):
        if pid not in change.index:
            continue
        targeted = {f"level_{c}" for c in kat.loc[prog, "kode_kompetensi"].split(";")}
        row = change.loc[pid].dropna()
        trained += [v for k, v in row.items() if k in targeted]
        other += [v for k, v in row.items() if k not in targeted]
    assert np.mean(trained) > np.mean(other) + 0.2


def test_write_agency_csv_and_refuses_non_empty(tmp_path):
    out = tmp_path / "a"
    paths = write_agency(out, 150, seed=3)
    assert [p.name for p in paths] == [f"{t}.csv" for t in TABLES] + ["instansi.yaml"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left
    mask = os.umask(0o022)
    os.umask(mask)
    assert {stat.S_IMODE(p.stat().st_mode) for p in paths} == {0o666 & ~mask}
    text = (out / "pegawai.csv").read_text(encoding="utf-8")
    assert text.startswith("pegawai_id,kode_unit,")
    assert re.search(r",\d{4}-\d{2}-\d{2},", text)
    sv = (out / "survei_pegawai.csv").read_text(encoding="utf-8").splitlines()[1]
    assert re.match(r"P\d{6},2026-0[89]-\d\d \d\d:\d\d:\d\d,", sv)
    assert yaml.safe_load((out / "instansi.yaml").read_text(encoding="utf-8"))["tahun_rencana"] == 2027
    back = pd.read_csv(out / "survei_pegawai.csv")
    frame = generate_agency(150, seed=3)["survei_pegawai"]
    assert back.shape == frame.shape and list(back.columns) == list(frame.columns)
    with pytest.raises(WorkbookError, match="tidak kosong"):
        write_agency(out, 150, seed=3)
    before = (out / "pegawai.csv").read_bytes()
    write_agency(out, 150, seed=4, overwrite=True)
    assert (out / "pegawai.csv").read_bytes() != before


def test_write_two_years_and_other_formats(tmp_path):
    paths = write_agency(tmp_path / "dua", 120, seed=1, years=2, fmt="parquet")
    assert {p.parent.name for p in paths} == {"2026", "2027"}
    peg = pd.read_parquet(tmp_path / "dua" / "2027" / "pegawai.parquet")
    assert len(peg) == 120
    paths = write_agency(tmp_path / "x", 120, seed=1, fmt="xlsx")
    book = pd.read_excel(tmp_path / "x" / "katalog_program.xlsx")
    assert len(book) == len(generate_agency(120, seed=1)["katalog_program"])


@pytest.mark.parametrize("kwargs", [{"n_employees": 10}, {"n_employees": 1200.5}, {"seed": -1},
                                    {"years": 3}, {"plan_year": 1890}])
def test_invalid_parameters_raise(kwargs):
    with pytest.raises(SettingsError):
        generate_agency(**{"n_employees": 200, **kwargs})


def test_unknown_format_raises(tmp_path):
    with pytest.raises(SettingsError):
        write_agency(tmp_path / "f", 200, fmt="json")


def test_cli_prints_in_indonesian_and_english(tmp_path, capsys):
    assert main(["--employees", "120", "--seed", "2", "--out", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert f"Menulis {len(TABLES) + 1} berkas" in out and "pegawai.csv" in out
    assert main(["--employees", "120", "--seed", "2", "--out", str(tmp_path / "c"), "--lang", "en"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["--employees", "120", "--out", str(tmp_path / "c"), "--overwrite", "--lang", "en",
                 "--years", "2", "--plan-year", "2028"]) == 0
    out = capsys.readouterr().out
    assert f"Wrote {2 * (len(TABLES) + 1)} files" in out and (tmp_path / "c" / "2027" / "pegawai.csv").exists()


def test_committed_sample_matches_generator(tmp_path):
    assert CONTOH.is_dir(), "data_samples/contoh is missing"
    write_agency(tmp_path / "contoh", **SAMPLE_PARAMETERS)
    committed = sorted(p.name for p in CONTOH.iterdir() if p.name != "README.md")
    regenerated = sorted(p.name for p in (tmp_path / "contoh").iterdir())
    assert committed == regenerated
    for name in regenerated:
        assert (CONTOH / name).read_bytes() == (tmp_path / "contoh" / name).read_bytes(), name
    assert (CONTOH / "README.md").exists()
    assert sum(p.stat().st_size for p in CONTOH.iterdir()) < 5_000_000


def test_profiles_and_ladder_are_documented():
    assert set(PROFILES) == {"digital", "manajerial", "pelayanan", "tanpa_kesenjangan"}
    doc = sample.__doc__
    for name in PROFILES:
        assert name in doc
    readme = (CONTOH / "README.md").read_text(encoding="utf-8")
    assert "sintetis" in readme and "synthetic" in readme
    assert str(SAMPLE_PARAMETERS["seed"]) in readme


def test_hostile_sample_is_valid_data_with_payloads_everywhere(tmp_path, monkeypatch):
    """``workbook sample --hostile``: every planted field carries a payload, the folder still
    validates without error, and the markers sit outside the data folder."""
    import json

    from workbook.cli import main
    from workbook.ingest.validate import validate

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert main(["sample", "--employees", "100", "--seed", "3", "--out", str(tmp_path / "data"), "--hostile"]) == 0
    info = json.loads((tmp_path / "_hostile_markers.json").read_text(encoding="utf-8"))
    assert set(info["markers"].values()) == set(info["fields"])  # every field got at least one marker
    assert len(info["names"]) == len(info["nips"]) == 100
    comments = (tmp_path / "data" / "evaluasi_l1.csv").read_text(encoding="utf-8")
    assert "onerror=alert(" in comments and any(n in comments for n in info["names"])
    report = validate(tmp_path / "data")
    assert report.ok, report.errors[:5]
