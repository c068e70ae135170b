"""Readers, mapping presets and pseudonyms (fixtures in tests/data/readers, built by make_fixtures.py)."""

from __future__ import annotations

import hashlib
import warnings
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from workbook.core.exceptions import DataError, SettingsError
from workbook.core.pseudonym import check_nip, load_key, pseudonym, pseudonymise_frame, reidentify
from workbook.core.schema import TABLES
from workbook.core.settings import load_settings
from workbook.ingest import load_preset, parse_date, parse_number, read_mapped, read_table
from workbook.ingest.mapping import apply_mapping, detect_preset, list_presets

D = Path(__file__).parents[1] / "data" / "readers"


@pytest.fixture(autouse=True)
def _private_config(tmp_path, monkeypatch):
    """Never touch the real user config folder; no key from the environment unless a test sets it."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "config"))
    monkeypatch.delenv("WORKBOOK_PSEUDONYM_KEY", raising=False)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _codes(res) -> set[tuple]:
    return {(p.code, p.row, p.column) for p in res.problems}


@pytest.fixture(scope="module")
def kamus() -> pd.DataFrame:
    return read_table(D / "kamus_bom.csv", "kamus_kompetensi").frame


# ------------------------------------------------------------------ value parsing


@pytest.mark.parametrize("text, rupiah, expected", [
    ("1.500.000", True, 1_500_000.0),
    ("Rp 3.500.000", True, 3_500_000.0),
    ("Rp3.500.000,00", True, 3_500_000.0),
    ("1.250.000,50", True, 1_250_000.5),
    ("1,500,000", True, 1_500_000.0),
    ("12,5", False, 12.5),
    ("12.5", False, 12.5),
    ("1.500", True, 1500.0),
    ("1.500", False, 1.5),
    ("-3", False, -3.0),
    ("abc", False, None),
    ("1.2.3,4,5", False, None),
])
def test_parse_number(text, rupiah, expected):
    assert parse_number(text, rupiah=rupiah) == expected


@pytest.mark.parametrize("text, expected", [
    ("2026-08-27", datetime(2026, 8, 27)),
    ("27/08/2026", datetime(2026, 8, 27)),
    ("27-08-2026", datetime(2026, 8, 27)),
    ("27/08/2026 9:14:03", datetime(2026, 8, 27, 9, 14, 3)),  # Google Forms
    ("2026-08-27T09:10:00.000+07:00", datetime(2026, 8, 27, 9, 10)),  # KoboToolbox
    (46261, datetime(2026, 8, 27)),  # Excel serial
    ("31/02/2019", None),
    ("besok", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


# ------------------------------------------------------------------ CSV


def test_semicolon_decimal_comma_rupiah_quoted():
    res = read_table(D / "katalog_semicolon.csv", "katalog_program")
    df = res.frame
    assert res.problems == []
    assert df["jp"].tolist() == [12.5, 24.0, 8.0]
    assert df["biaya_per_peserta"].tolist() == [3_500_000.0, 1_250_000.5, 0.0]
    assert df.loc[0, "nama_program"] == "Pelatihan Analisis Data; Tingkat Dasar"  # quoted ';'
    # enums matched ignoring case and spaces
    assert df["bentuk"].tolist() == ["pelatihan_teknis", "coaching", "e_learning"]
    assert df["jalur"].tolist() == ["klasikal", "nonklasikal", "nonklasikal"]
    assert df.loc[0, "kode_kompetensi"] == ["M.1"]
    assert res.rows.tolist() == [2, 3, 4]


def test_utf8_bom_and_header_case():
    res = read_table(D / "kamus_bom.csv", "kamus_kompetensi")
    assert res.problems == []
    assert list(res.frame.columns) == ["kode_kompetensi", "nama_id", "nama_en", "jenis"]
    assert res.frame["jenis"].tolist() == ["manajerial", "manajerial", "sosial_kultural"]


def test_cp1252_fallback_is_a_warning_and_decodes():
    res = read_table(D / "katalog_cp1252.csv", "katalog_program")
    assert [p.code for p in res.problems] == ["encoding_fallback"]
    assert res.problems[0].severity == "warning"
    assert res.frame.loc[0, "penyelenggara"] == "Café Pendidikan Köln"
    assert "\u2013" in res.frame.loc[0, "nama_program"]


def test_empty_and_header_only():
    e = read_table(D / "empty.csv", "kamus_kompetensi")
    assert [(p.code, p.severity) for p in e.problems] == [("empty_file", "error")]
    h = read_table(D / "header_only.csv", "kamus_kompetensi")
    assert [(p.code, p.row) for p in h.problems] == [("header_only", 1)]
    assert h.frame.empty


def test_unknown_and_missing_columns(tmp_path):
    p = tmp_path / "kamus.csv"
    p.write_text("Competency_Code,nama_id,jenis,catatan\nM.1,Integritas,manajerial,x\n", encoding="utf-8")
    res = read_table(p, "kamus_kompetensi")
    assert ("missing_column", 1, "nama_en") in _codes(res)
    assert ("unknown_column", 1, "catatan") in _codes(res)
    assert res.frame.loc[0, "kode_kompetensi"] == "M.1"  # English alias accepted


def test_type_problems_are_located(tmp_path):
    p = tmp_path / "standar.csv"
    p.write_text("jabatan,kode_kompetensi,level_standar\nA,M.1,3\nA,M.2,2.5\nA,M.3,tinggi\nA,M.4,9\n,M.5,2\n",
                 encoding="utf-8")
    res = read_table(p, "standar_kompetensi")
    assert _codes(res) == {("not_an_integer", 3, "level_standar"), ("not_a_number", 4, "level_standar"),
                           ("out_of_range", 5, "level_standar"), ("required_blank", 6, "jabatan")}


def test_formula_injection_warning(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text('program_id,peran,tanggal,tema,ringkasan\nPRG-1,atasan,2026-10-12,penerapan,"=HYPERLINK(""x"")"\n'
                 "PRG-1,atasan,2026-10-12,penerapan,-5 hari lebih cepat\n", encoding="utf-8")
    res = read_table(p, "wawancara")
    assert _codes(res) == {("formula_injection", 2, "ringkasan")}


def test_file_size_limit(tmp_path):
    p = tmp_path / "kamus.csv"
    p.write_text("kode_kompetensi,nama_id,nama_en,jenis\n" + "M.1,a,b,teknis\n" * 2000, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table(p, "kamus_kompetensi", settings=load_settings(input__max_file_mb=0.01))
    assert err.value.problems[0].code == "too_large"


# ------------------------------------------------------------------ XLSX


def test_xlsx_title_rows_merged_and_excel_values():
    res = read_table(D / "pegawai_title.xlsx", "pegawai")
    df = res.frame
    assert res.header_row == 3
    assert res.rows.tolist() == [4, 5, 6]
    assert df["tmt"].tolist() == [pd.Timestamp("2012-12-01"), pd.Timestamp("2023-03-01"), pd.Timestamp("2012-04-01")]
    assert df.loc[0, "status"] == "PNS" and df.loc[0, "jenis_jabatan"] == "fungsional"
    assert df["skp_realisasi"].tolist()[:2] == [92.5, 88.5]
    # PPPK row: golongan blank is fine; nama_unit blank is not
    assert _codes(res) == {("required_blank", 5, "nama_unit"), ("not_allowed", 6, "jenis_jabatan"),
                           ("not_a_number", 6, "skp_realisasi")}


def test_xlsx_named_sheet_and_formula_cache(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Petunjuk"
    wb.active.append(["Isi lembar kamus_kompetensi"])
    ws = wb.create_sheet("kamus_kompetensi")
    ws.append(["kode_kompetensi", "nama_id", "nama_en", "jenis"])
    ws.append(["M.1", "Integritas", "Integrity", "manajerial"])
    ws.append(["M.2", '=CONCAT("Kerja"," Sama")', "Teamwork", "manajerial"])
    p = tmp_path / "kamus.xlsx"
    wb.save(p)
    res = read_table(p, "kamus_kompetensi")
    # openpyxl never computes formulas: the cached value of a never-opened file is empty
    assert res.frame["kode_kompetensi"].tolist() == ["M.1", "M.2"]
    assert ("required_blank", 3, "nama_id") in _codes(res)


def test_xlsx_zip_bomb_guard_and_bad_file(tmp_path):
    with pytest.raises(DataError) as err:
        read_table(D / "pegawai_title.xlsx", "pegawai", settings=load_settings(input__max_xlsx_uncompressed_mb=0.001))
    assert err.value.problems[0].code == "too_large"
    bad = tmp_path / "pegawai.xlsx"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(DataError, match="XLSX"):
        read_table(bad, "pegawai")


def test_xlsx_merged_cells_in_data_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["kode_unit", "indikator", "periode", "nilai", "arah_baik"])
    ws.append(["DINKES", "Indeks kepuasan masyarakat", "sebelum", 78.2, "naik"])
    ws.append([None, None, "sesudah", 82.4, "naik"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    p = tmp_path / "indikator_unit.xlsx"
    wb.save(p)
    res = read_table(p, "indikator_unit")
    assert res.problems == []
    assert res.frame["kode_unit"].tolist() == ["DINKES", "DINKES"]
    assert res.frame["indikator"].nunique() == 1


def test_corrupt_files_raise_dataerror_not_library_errors(tmp_path):
    bad = tmp_path / "anggaran.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DataError) as err:
        read_table(bad, "anggaran")
    assert err.value.file == "anggaran.parquet"
    with pytest.raises(DataError):
        read_table(tmp_path / "tidak_ada.csv", "anggaran")


# ------------------------------------------------------------------ Parquet


def test_parquet():
    res = read_table(D / "anggaran.parquet", "anggaran")
    assert res.problems == []
    assert res.frame["pagu"].tolist() == [1_500_000_000.0, 250_000_000.0]
    assert res.rows.tolist() == [2, 3]


# ------------------------------------------------------------------ mapping presets


def test_presets_exist_and_load():
    assert {"google_forms_survei", "kobo_survei", "siasn_pegawai"} <= set(list_presets())
    for name in list_presets():
        assert load_preset(name)["table"] in TABLES


def test_google_forms_preset(kamus):
    res = read_mapped(D / "google_forms.csv", "google_forms_survei", "survei_pegawai", dictionary=kamus)
    df = res.frame
    assert {"level_M.1", "level_M.2", "penting_M.1", "penting_M.2", "waktu_isi", "pegawai_id"} <= set(df.columns)
    assert "Alamat email" not in df.columns and not any("@" in str(v) for v in df.to_numpy().ravel())
    assert df.loc[0, "waktu_isi"] == pd.Timestamp("2026-08-27 09:14:03")
    assert _codes(res) == {("out_of_range", 4, "level_M.1"), ("blank_answer", 3, "level_M.2"),
                           ("formula_injection", 4, "kebutuhan_lain")}
    assert detect_preset(D / "google_forms.csv", "survei_pegawai") == "google_forms_survei"


def test_kobo_preset(kamus):
    res = read_mapped(D / "kobo.csv", "kobo_survei", "survei_pegawai", dictionary=kamus)
    df = res.frame
    assert df["level_M.1"].tolist() == [3, 2]  # "2 - Dasar" (label export) → 2
    assert df["penting_M.1"].tolist() == [5, 4]
    assert df["waktu_isi"].iloc[0] == pd.Timestamp("2026-08-27 02:10:05")
    assert _codes(res) == {("out_of_range", 3, "level_M.2")}  # bookkeeping columns ignored silently


def test_siasn_preset():
    res = read_mapped(D / "siasn.csv", "siasn_pegawai", "pegawai", ref_year=2026)
    df = res.frame
    assert df["golongan"].tolist() == ["III/c", "IV/a", "II/c", "III/a"]
    assert df["jenis_jabatan"].tolist() == ["fungsional", "administrator", "pelaksana", "pelaksana"]
    assert df["status"].tolist() == ["PNS", "PNS", "CPNS", "PNS"]
    assert df["jenis_kelamin"].tolist() == ["P", "L", "L", "P"]
    assert df["kelompok_usia"].tolist() == ["40-49", "50+", "<30", "40-49"]
    assert "tanggal_lahir" not in df.columns
    assert df["kode_unit"].iloc[0] == "DINAS_KESEHATAN"
    assert df["tmt"].iloc[0] == pd.Timestamp("2012-12-01")
    assert [p.code for p in res.problems] == []


def test_apply_mapping_keeps_row_index(kamus):
    raw = pd.DataFrame({"Stempel waktu": ["27/08/2026 9:14:03"], "Tingkat kepentingan [Kerja Sama]": ["4"]},
                       index=[7])
    out = apply_mapping(raw, "google_forms_survei", kamus)
    assert list(out.columns) == ["waktu_isi", "penting_M.2"] and out.index.tolist() == [7]


# ------------------------------------------------------------------ every contract: one pass, one fail


def _example_frame(t) -> pd.DataFrame:
    rec = {}
    for c in t.columns:
        name = c.name.replace("<KODE>", "M.1").replace("<n>", "1")
        rec[name] = c.example if c.example and c.example != "—" else ("x" if c.required else "")
    if t.name == "pegawai":
        rec["nip"] = ""
    else:  # other person tables keyed by pegawai_id (a nip column defers the blank-id check to load_agency)
        rec.pop("nip", None)
    return pd.DataFrame([rec])


def _broken(t, df: pd.DataFrame) -> tuple[pd.DataFrame, str, str]:
    for c in t.columns:
        if c.required and not c.pattern and c.dtype in ("int", "float", "rupiah", "date", "datetime", "enum"):
            df[c.name] = "??"
            code = {"date": "not_a_date", "datetime": "not_a_date", "enum": "not_allowed"}.get(c.dtype, "not_a_number")
            return df, c.name, code
    c = next(c for c in t.columns if c.required)
    df[c.name] = ""
    return df, c.name, "required_blank"


@pytest.mark.parametrize("name", list(TABLES))
def test_every_contract_reads_and_fails_located(name, tmp_path):
    t = TABLES[name]
    good = _example_frame(t)
    p = tmp_path / f"{name}.csv"
    good.to_csv(p, index=False)
    ok = read_table(p, name)
    assert [q for q in ok.problems if q.severity == "error"] == []
    bad, col, code = _broken(t, good.copy())
    bad.to_csv(p, index=False)
    res = read_table(p, name)
    hits = [q for q in res.problems if q.code == code]
    assert hits and hits[0].row == 2 and hits[0].column == col and hits[0].file == p.name
    assert hits[0].message("id") != hits[0].message("en") and hits[0].message("id") and hits[0].message("en")


# ------------------------------------------------------------------ inputs are never modified


def test_reading_never_modifies_inputs(kamus):
    before = _hashes(D)
    for f, t in [("katalog_semicolon.csv", "katalog_program"), ("katalog_cp1252.csv", "katalog_program"),
                 ("pegawai_title.xlsx", "pegawai"), ("anggaran.parquet", "anggaran"), ("empty.csv", "kamus_kompetensi")]:
        read_table(D / f, t)
    read_mapped(D / "siasn.csv", "siasn_pegawai", "pegawai")
    read_mapped(D / "kobo.csv", "kobo_survei", "survei_pegawai", dictionary=kamus)
    assert _hashes(D) == before


# ------------------------------------------------------------------ pseudonyms


@pytest.mark.parametrize("nip, ok", [
    ("198602222012122003", True),
    ("1986 0222 2012 12 2 003".replace(" ", ""), True),
    ("19860222201212200", False),   # 17 digits
    ("198602302012122003", False),  # 30 February
    ("198602222012132003", False),  # TMT month 13
    ("198602222012123003", False),  # sex digit 3
    ("198602221996122003", False),  # appointed at 10
])
def test_check_nip(nip, ok):
    assert (check_nip(nip) is None) is ok


def test_pseudonym_is_keyed_and_stable():
    a, b = b"k" * 32, b"other-key-000000"
    nip = "198602222012122003"
    assert pseudonym(nip, a) == pseudonym(nip, a)
    assert pseudonym(nip, a) != pseudonym(nip, b)
    assert pseudonym(nip, a) != pseudonym("197511052001121001", a)
    assert pseudonym(nip, a).startswith("N") and nip not in pseudonym(nip, a)


def test_siasn_load_pseudonymises_and_drops_names(tmp_path):
    key = tmp_path / "keys" / "pseudonym.key"
    s = load_settings(privacy__pseudonym_key_file=str(key))
    res = read_mapped(D / "siasn.csv", "siasn_pegawai", "pegawai", ref_year=2026)
    probs = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a configured key file is created silently
        out = pseudonymise_frame(res.frame, res.rows, res.file, s, probs, plan_year=2027)
    assert "nip" not in out.columns and "nama" not in out.columns
    assert out["pegawai_id"].iloc[:3].str.match(r"^N[0-9A-F]{12}$").all()
    assert [(p.code, p.row, p.column) for p in probs] == [("invalid_nip", 5, "nip")]
    assert "19860222201212" not in str(probs[0].value)  # the report does not repeat the NIP
    # same key → same pseudonyms; re-identification only through the table next to the key
    again = pseudonymise_frame(res.frame, res.rows, res.file, s, [], plan_year=2028)
    assert again["pegawai_id"].tolist() == out["pegawai_id"].tolist()
    reid = reidentify(out.iloc[:1], "pegawai_id", s)
    assert reid.loc[0, "nip"] == "198602222012122003" and reid.loc[0, "nama"] == "Dewi Lestari"
    table = pd.read_csv(key.parent / "pseudonym_reid.csv", dtype=str)
    assert len(table) == 3 and set(table["first_seen"]) == {"2027"} and set(table["last_seen"]) == {"2028"}


def test_key_from_env_and_default_location(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_PSEUDONYM_KEY", "secret-from-the-environment")
    k1, _ = load_key(load_settings())
    assert k1 == b"secret-from-the-environment"
    monkeypatch.delenv("WORKBOOK_PSEUDONYM_KEY")
    with pytest.warns(UserWarning, match="pseudonym.key"):
        k2, where = load_key(load_settings())
    assert where == tmp_path / "config" / "workbook" and (where / "pseudonym.key").is_file()
    k3, _ = load_key(load_settings())
    assert k2 == k3 != k1


def test_key_file_inside_repo_refused():
    repo = Path(__file__).resolve().parents[2]
    with pytest.raises(SettingsError):
        load_key(load_settings(privacy__pseudonym_key_file=str(repo / "pseudonym.key")))
