"""Issue #17, the inputs: the optional columns and tables of the plan's rules, on agency B.

Agency B (``tests/conftest.py::agency_b``: 600 employees, 9 units, budget lines central, OPD and
BLUD, 12 CPNS without Latsar) validates; each new table loads; the NIP gives the birth date and
the TMT CPNS before it is pseudonymised (hand-computed values below); an agency keyed by NIP
loads and no NIP reaches ``restricted/``; bad rows give located, bilingual problems.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from _paths import AGENCY_B

from workbook.core.pseudonym import nip_dates
from workbook.core.settings import load_settings
from workbook.ingest.agency import load_agency
from workbook.ingest.validate import validate

NEW_TABLES = ("riwayat_pelatihan", "kesetaraan_pelatihan", "formasi_tahun_rencana", "jf_wajib", "komponen_biaya")


@pytest.fixture(autouse=True)
def _key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "config"))
    monkeypatch.setenv("WORKBOOK_PSEUDONYM_KEY", "kunci-uji-bukan-rahasia-0123456789")


@pytest.fixture(scope="module")
def b_loaded(agency_b):
    return load_agency(agency_b, settings=load_settings(), strict=False)


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_agency_b_validates_with_no_error(agency_b):
    report = validate(agency_b)
    assert report.errors == [], report.errors[:5]


def test_each_new_table_loads(b_loaded):
    t = b_loaded.tables
    for name in NEW_TABLES:
        assert name in t and len(t[name]) > 0, name
    riw = t["riwayat_pelatihan"]
    assert set(riw["pegawai_id"]) <= set(t["pegawai"]["pegawai_id"])
    # old names kept as exported: the equivalence is the plan's business
    assert {"Diklat Prajabatan", "Latsar CPNS", "Diklatpim IV", "PKP"} <= set(riw["jenis"])
    assert pd.api.types.is_datetime64_any_dtype(riw["tanggal_selesai"])
    assert t["formasi_tahun_rencana"].loc[t["formasi_tahun_rencana"]["status"] == "CPNS", "jumlah"].sum() == 12
    kat = t["katalog_program"].set_index("program_id")
    assert kat.at["PRG-044", "wajib"] == "latsar" and kat.at["PRG-044", "sasaran_status"] == ["CPNS"]
    assert kat.at["PRG-001", "prasyarat"] == ["latsar"]
    ang = t["anggaran"]
    assert len(ang) == 5 and set(ang["dpa"]) == {"BKPSDM", "DINKES", "DISDIK", "RSUD"}
    blud = ang[ang["sumber_dana"] == "BLUD"].iloc[0]
    assert blud["cakupan_unit"] == ["RSUD"]
    peg = t["pegawai"]
    assert peg["kode_unit"].nunique() == 9 and len(peg) == 600
    assert {"tugas_belajar", "pensiun_tahun_rencana"} <= set(peg["status_aktif"].dropna())


def test_agency_b_has_12_cpns_without_latsar(b_loaded):
    peg, riw = b_loaded.tables["pegawai"], b_loaded.tables["riwayat_pelatihan"]
    cpns = set(peg.loc[peg["status"] == "CPNS", "pegawai_id"])
    with_latsar = set(riw.loc[riw["jenis"].isin(["Latsar CPNS", "Diklat Prajabatan"]), "pegawai_id"])
    assert len(cpns - with_latsar) == 12


def test_new_tables_are_written_to_restricted(agency_b, tmp_path):
    from workbook.core.context import open_context
    from workbook.ingest.stage import run_data_check

    ctx = open_context(data_dir=str(agency_b), output_dir=str(tmp_path / "out"), interactive=False)
    run_data_check(ctx)
    restricted = tmp_path / "out" / "2027" / "restricted" / "00_data_check"
    for name in NEW_TABLES:
        assert (restricted / f"{name}.parquet").is_file(), name
    assert not any(name in p.name for p in (tmp_path / "out" / "2027" / "00_data_check").iterdir()
                   for name in NEW_TABLES)


def test_nip_dates_hand_computed():
    # 1986-02-22 born, CPNS from December 2012, woman, sequence 003
    assert nip_dates("198602222012122003") == (date(1986, 2, 22), date(2012, 12, 1))
    assert nip_dates("197001012000031001") == (date(1970, 1, 1), date(2000, 3, 1))


def test_nip_derivation_before_pseudonymisation(tmp_path):
    d = tmp_path / "a"
    d.mkdir()
    _tiny_agency(d, [("198602222012122003", "", ""), ("197001012000031001", "1969-12-31", ""),
                     ("193001012000031001", "", ""), ("195001012000031001", "", "")])
    ag = load_agency(d, settings=load_settings(), strict=False)
    peg = ag.tables["pegawai"]
    assert "nip" not in peg.columns and peg["pegawai_id"].iloc[[0, 1, 3]].str.startswith("N").all()
    assert peg.at[0, "tanggal_lahir"] == pd.Timestamp("1986-02-22")
    assert peg.at[0, "tmt_cpns"] == pd.Timestamp("2012-12-01")
    assert peg.at[1, "tanggal_lahir"] == pd.Timestamp("1969-12-31")  # given: kept
    assert peg.at[1, "tmt_cpns"] == pd.Timestamp("2000-03-01")
    # born 1930: invalid NIP (error, the checks of check_nip); born 1950: 77 in the plan year 2027: warning, blank
    probs = {(p.code, p.row) for p in ag.report.problems}
    assert ("invalid_nip", 4) in probs
    warn = [p for p in ag.report.problems if p.code == "nip_date_implausible"]
    assert [(p.row, p.severity, p.file) for p in warn] == [(5, "warning", "pegawai.csv")]
    assert "77" in warn[0].message_id and "77" in warn[0].message_en
    assert pd.isna(peg.at[3, "tanggal_lahir"]) and pd.isna(peg.at[3, "tmt_cpns"])


def _tiny_agency(d: Path, people: list[tuple[str, str, str]]) -> None:
    from workbook.sample.write import write_agency

    write_agency(d / "src", 120, seed=3)
    for p in (d / "src").iterdir():
        if p.name in ("kamus_kompetensi.csv", "standar_kompetensi.csv", "katalog_program.csv", "instansi.yaml"):
            shutil.copy(p, d / p.name)
    rows = ["nip,kode_unit,nama_unit,jabatan,jenis_jabatan,golongan,status,tmt,tanggal_lahir"]
    for nip, born, _ in people:
        rows.append(f"{nip},SETDA,Sekretariat Daerah,Sekretaris Daerah,JPT,IV/c,PNS,2000-03-01,{born}")
    (d / "pegawai.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (d / "anggaran.csv").write_text("sumber_dana,pagu\nAPBD,1000000\n", encoding="utf-8")
    shutil.rmtree(d / "src")


def test_keyed_by_nip_loads_and_no_nip_survives(agency_b, tmp_path):
    from workbook.core.context import open_context
    from workbook.ingest.stage import run_data_check
    from workbook.sample.write import write_agency

    d = tmp_path / "nip"
    write_agency(d, **AGENCY_B, keyed_by_nip=True)
    raw = pd.read_csv(d / "pegawai.csv", dtype=str)
    assert "pegawai_id" not in raw.columns and {"nip", "nama"} <= set(raw.columns)
    assert "nip" in pd.read_csv(d / "riwayat_pelatihan.csv", dtype=str).columns
    ctx = open_context(data_dir=str(d), output_dir=str(tmp_path / "out"), interactive=False)
    res = run_data_check(ctx)
    assert res.report.errors == []
    t = res.tables
    # the same pseudonym in every person table, every history row refers to an employee
    assert set(t["riwayat_pelatihan"]["pegawai_id"]) <= set(t["pegawai"]["pegawai_id"])
    assert set(t["realisasi_pengembangan"]["pegawai_id"]) <= set(t["pegawai"]["pegawai_id"])
    # dates derived from the NIP equal those of the same agency keyed by pegawai_id
    plain = pd.read_csv(agency_b / "pegawai.csv", dtype=str)
    got = t["pegawai"]["tanggal_lahir"].dt.strftime("%Y-%m-%d")
    assert sorted(got) == sorted(plain["tanggal_lahir"])
    pns = t["pegawai"]["status"] != "PPPK"
    assert t["pegawai"].loc[~pns, "tmt_cpns"].isna().all()
    assert sorted(t["pegawai"].loc[pns, "tmt_cpns"].dt.strftime("%Y-%m")) == sorted(
        plain.loc[plain["status"] != "PPPK", "tmt_cpns"].str[:7])
    nips = set(raw["nip"])
    names = set(raw["nama"])
    for p in (tmp_path / "out").rglob("*.parquet"):
        df = pd.read_parquet(p)
        assert "nip" not in df.columns and "nama" not in df.columns or p.stem in ("riwayat_pelatihan",), p
        text = df.astype(str).to_numpy().ravel()
        assert not (set(text) & nips), p
        assert not (set(text) & names), p


def _bad(agency_b: Path, tmp_path: Path, name: str, edit) -> list:
    d = _copy(agency_b, tmp_path / "bad")
    df = pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False)
    edit(df)
    df.to_csv(d / f"{name}.csv", index=False)
    return validate(d).problems


def test_unknown_pegawai_in_riwayat_is_a_located_error(agency_b, tmp_path):
    def edit(df):
        df.loc[4, "pegawai_id"] = "P999999"
    got = [p for p in _bad(agency_b, tmp_path, "riwayat_pelatihan", edit) if p.file == "riwayat_pelatihan.csv"]
    assert [(p.code, p.severity, p.row, p.column, p.value) for p in got] == [
        ("unknown_reference", "error", 6, "pegawai_id", "P999999")]
    assert "pegawai.pegawai_id" in got[0].message_id and "pegawai.pegawai_id" in got[0].message_en


def test_bad_dates_and_codes_are_located(agency_b, tmp_path):
    def edit_riw(df):
        df.loc[0, "tanggal_selesai"] = "31/02/2019"
        df.loc[1, "status"] = "gagal"
    got = {(p.code, p.row, p.column) for p in _bad(agency_b, tmp_path, "riwayat_pelatihan", edit_riw)
           if p.file == "riwayat_pelatihan.csv"}
    assert got == {("not_a_date", 2, "tanggal_selesai"), ("not_allowed", 3, "status")}


def test_unknown_wajib_codes_are_located(agency_b, tmp_path):
    def edit(df):
        i = df.index[df["program_id"] == "PRG-044"][0]
        df.loc[i, "wajib"] = "prajab"
        df.loc[0, "prasyarat"] = "latsar;PRG-999"
        df.loc[1, "sasaran_status"] = "CPNS;Honorer"
    got = {(p.code, p.row, p.column, p.severity) for p in _bad(agency_b, tmp_path, "katalog_program", edit)
           if p.file == "katalog_program.csv"}
    # row 24 (PRG-023, sasaran_jf Auditor): agency B has no Auditor, so validate warns before the
    # run that the programme has no participants (issue #17 item 5)
    assert got == {("not_allowed", 45, "wajib", "error"), ("unknown_reference", 2, "prasyarat", "error"),
                   ("not_allowed", 3, "sasaran_status", "error"), ("inconsistent_value", 24, "sasaran_jf", "warning")}


def test_kesetaraan_and_budget_lines_checked(agency_b, tmp_path):
    d = _copy(agency_b, tmp_path / "b2")
    (d / "kesetaraan_pelatihan.csv").write_text("nama_lama,wajib\nDiklatpim (IV,pkp\nSPAMA,pka\nADUMLA,pkx\n",
                                                encoding="utf-8")
    ang = pd.read_csv(d / "anggaran.csv", dtype=str, keep_default_na=False)
    ang.loc[2, "dpa"] = "DINAS_X"
    ang.loc[3, "sub_kegiatan"] = ang.loc[2, "sub_kegiatan"]
    ang.loc[3, "kode_unit"] = ang.loc[2, "kode_unit"]
    ang.loc[3, "dpa"] = "DINAS_X"
    ang.to_csv(d / "anggaran.csv", index=False)
    got = {(p.file, p.code, p.row, p.column) for p in validate(d).problems
           if p.file in ("kesetaraan_pelatihan.csv", "anggaran.csv")}
    assert got == {("kesetaraan_pelatihan.csv", "not_allowed", 2, "nama_lama"),
                   ("kesetaraan_pelatihan.csv", "not_allowed", 4, "wajib"),
                   ("anggaran.csv", "unknown_reference", 4, "dpa"), ("anggaran.csv", "unknown_reference", 5, "dpa"),
                   ("anggaran.csv", "duplicate_key", 5, "sumber_dana+kode_unit+dpa+sub_kegiatan+kode_rekening")}


def test_folder_without_the_new_inputs_loads_as_before(tmp_path):
    """An agency folder without any of the new columns or tables loads with no problem about them."""
    d = tmp_path / "old"
    from workbook.sample.write import write_agency

    write_agency(d, 150, seed=5)
    for name in NEW_TABLES:
        (d / f"{name}.csv").unlink()
    for name, cols in (("pegawai", ["tanggal_lahir", "tmt_cpns", "tmt_jabatan", "status_aktif", "jf_nama"]),
                       ("anggaran", ["dpa", "sub_kegiatan", "kode_rekening", "jenis_program", "cakupan_unit"])):
        df = pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False)
        df.drop(columns=cols).to_csv(d / f"{name}.csv", index=False)
    report = validate(d)
    assert report.errors == []
    ag = load_agency(d, settings=load_settings(), strict=False)
    assert not set(NEW_TABLES) & set(ag.tables)
    assert "tanggal_lahir" not in ag.tables["pegawai"].columns
