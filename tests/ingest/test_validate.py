"""Validation report, agency loader cross-checks, the CLI and the messy sample (set equality)."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pandas as pd
import pytest

from workbook.core.exceptions import DataError
from workbook.ingest import load_agency
from workbook.ingest.validate import REPORT_COLUMNS, ValidationReport, main, validate
from workbook.sample.messy import make_messy

ROOT = Path(__file__).resolve().parents[2]
CONTOH = ROOT / "data_samples" / "contoh"
MESSY = ROOT / "data_samples" / "messy"


@pytest.fixture(autouse=True)
def _private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "config"))
    monkeypatch.delenv("WORKBOOK_PSEUDONYM_KEY", raising=False)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _located(problems) -> set[tuple]:
    return {(p.file or "", "" if p.row is None else str(p.row), p.column or "", p.code) for p in problems}


def _manifest(folder: Path) -> set[tuple]:
    m = pd.read_csv(folder / "MANIFEST.csv", dtype=str, keep_default_na=False)
    assert list(m.columns[:5]) == ["file", "row", "column", "code", "severity"]
    return {(r.file, r.row, r.column, r.code) for r in m.itertuples()}


def make_tiny_agency(d: Path, n: int = 24, seed: int = 1) -> Path:
    """A small clean agency folder in the canonical layout (all 14 tables)."""
    rng = random.Random(seed)
    d.mkdir(parents=True, exist_ok=True)
    (d / "instansi.yaml").write_text("nama_instansi: Kabupaten Uji\njenis_instansi: kabupaten\ntahun_rencana: 2027\n",
                                     encoding="utf-8")
    codes = [("M.1", "Integritas", "Integrity", "manajerial"), ("M.2", "Kerja Sama", "Teamwork", "manajerial"),
             ("M.3", "Komunikasi", "Communication", "manajerial"), ("SK.1", "Perekat Bangsa", "Nation Building",
                                                                     "sosial_kultural"),
             ("T.01", "Analisis Data", "Data Analysis", "teknis")]

    def w(name: str, lines: list[str]) -> None:
        (d / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    w("kamus_kompetensi.csv", ["kode_kompetensi,nama_id,nama_en,jenis"] + [",".join(c) for c in codes])
    jab = [("Analis Kebijakan Ahli Muda", "fungsional", "III/c"), ("Pengadministrasi Umum", "pelaksana", "II/c"),
           ("Kepala Seksi Pelayanan", "pengawas", "III/d"), ("Kepala Bidang Pelayanan", "administrator", "IV/a")]
    w("standar_kompetensi.csv", ["jabatan,kode_kompetensi,level_standar"] +
      [f"{j},{c[0]},{rng.randint(1, 4)}" for j, _, _ in jab for c in codes])
    units = [("DINKES", "Dinas Kesehatan"), ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM")]
    peg = ["pegawai_id,kode_unit,nama_unit,jabatan,jenis_jabatan,golongan,status,tmt,jenis_kelamin,kelompok_usia,"
           "skp_target,skp_realisasi,predikat_kinerja"]
    for i in range(n):
        u = units[i % 2]
        j = jab[i % 4]
        status = "PPPK" if i % 7 == 6 else "PNS"
        gol = "" if status == "PPPK" else j[2]
        peg.append(f"P{i + 1:04d},{u[0]},{u[1]},{j[0]},{j[1]},{gol},{status},20{10 + i % 10}-0{1 + i % 9}-01,"
                   f"{'LP'[i % 2]},{['<30', '30-39', '40-49', '50+'][i % 4]},100,{80 + i % 20},Baik")
    w("pegawai.csv", peg)
    sv = ["pegawai_id,waktu_isi," + ",".join(f"level_{c[0]}" for c in codes) + "," +
          ",".join(f"penting_{c[0]}" for c in codes) + ",bentuk_diminati,kebutuhan_lain"]
    for i in range(n - 2):
        sv.append(f"P{i + 1:04d},2026-08-{10 + i % 15:02d} 09:{i % 60:02d}:00," +
                  ",".join(str(rng.randint(1, 5)) for _ in codes) + "," +
                  ",".join(str(rng.randint(1, 5)) for _ in codes) + ",e_learning,")
    # an inherited duplicate submission and a blank answer
    sv.append("P0001,2026-08-29 10:00:00," + ",".join("3" for _ in codes) + "," + ",".join("4" for _ in codes) + ",coaching,")
    parts = sv[3].split(",")
    parts[2 + len(codes)] = ""  # penting_M.1 of P0003 (row 4) left blank
    sv[3] = ",".join(parts)
    w("survei_pegawai.csv", sv)
    w("hasil_asesmen.csv", ["pegawai_id,kode_kompetensi,level,tanggal,metode"] +
      [f"P{i + 1:04d},M.1,{rng.randint(1, 5)},2026-03-14,pemetaan" for i in range(6)])
    w("survei_atasan.csv", ["pegawai_id,atasan_id,waktu_isi,level_M.1,level_M.2"] +
      [f"P{i + 1:04d},P0004,2026-08-20 10:00:00,3,4" for i in range(5)])
    w("katalog_program.csv", ["program_id,nama_program,bentuk,jalur,kode_kompetensi,jp,hari,cakupan,biaya_per_peserta,"
                              "kapasitas_per_sesi,penyelenggara,bulan_tersedia"] +
      ["PRG-001,Pelatihan Analisis Data,pelatihan_teknis,klasikal,T.01;M.3,24,,nasional,3500000,30,BPSDM Provinsi,3;4;9",
       "PRG-002,Coaching Integritas,coaching,nonklasikal,M.1,10,,nasional,0,10,Inspektorat,",
       "PRG-003,Seminar Pelayanan Publik,seminar,klasikal,M.2;SK.1,,2,nasional,1500000,100,Dinas Kominfo,5"])
    w("anggaran.csv", ["sumber_dana,kode_unit,pagu", "APBD,,150000000"])
    w("realisasi_pengembangan.csv", ["pegawai_id,program_id,nama_kegiatan,tanggal_mulai,jp"] +
      [f"P{i + 1:04d},PRG-001,Pelatihan Analisis Data,2026-04-06,24" for i in range(8)])
    w("evaluasi_l1.csv", ["program_id,responden_id,fas_1,fas_2,pen_1,rekomendasi,komentar"] +
      [f"PRG-001,R{i},{rng.randint(1, 4)},{rng.randint(1, 4)},{rng.randint(1, 4)},ya," for i in range(6)])
    w("evaluasi_l2.csv", ["pegawai_id,program_id,skor_pre,skor_post,skor_maks"] +
      [f"P{i + 1:04d},PRG-001,{40 + i * 3},{60 + i * 3},100" for i in range(8)])
    w("evaluasi_l3.csv", ["pegawai_id,program_id,peran_penilai,tahap,tanggal,indikator,rating"] +
      [f"P{i + 1:04d},PRG-001,atasan,sesudah,2026-10-05,Menyusun laporan analisis,4" for i in range(4)])
    w("wawancara.csv", ["program_id,peran,tanggal,tema,ringkasan", "PRG-001,atasan,2026-10-12,penerapan,Sudah menerapkan"])
    w("indikator_unit.csv", ["kode_unit,indikator,periode,nilai,arah_baik,program_id",
                             "DINKES,Indeks kepuasan masyarakat,sebelum,78.2,naik,PRG-001",
                             "DINKES,Indeks kepuasan masyarakat,sesudah,82.4,naik,PRG-001"])
    return d


@pytest.fixture()
def tiny(tmp_path) -> Path:
    return make_tiny_agency(tmp_path / "agency")


# ------------------------------------------------------------------ clean data


def test_tiny_agency_is_clean_except_inherited_warnings(tiny):
    before = _hashes(tiny)
    rep = validate(tiny)
    assert rep.ok and rep.errors == []
    assert _located(rep.problems) == {("survei_pegawai.csv", "2", "pegawai_id", "duplicate_submission"),
                                      ("survei_pegawai.csv", "4", "penting_M.1", "blank_answer")}
    assert _hashes(tiny) == before


def test_load_agency_tables(tiny):
    ag = load_agency(tiny)
    assert ag.plan_year == 2027 and ag.meta["jenis_instansi"] == "kabupaten"
    sv = ag.tables["survei_pegawai"]
    assert sv["pegawai_id"].is_unique  # the older duplicate submission is dropped
    assert sv.loc[sv["pegawai_id"] == "P0001", "level_M.1"].item() == 3  # the later one is kept
    assert ag.rows["survei_pegawai"].max() == len(sv) + 2  # spreadsheet rows survive the drop
    assert ag.tables["katalog_program"].loc[0, "kode_kompetensi"] == ["T.01", "M.3"]
    assert set(ag.input_hashes) == {p.name for p in tiny.iterdir()}
    assert ag.tables["pegawai"]["golongan"].isna().sum() == 3  # PPPK without golongan


# ------------------------------------------------------------------ cross-table checks


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise ValueError(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_cross_table_problems_are_located(tiny):
    _edit(tiny / "pegawai.csv", "P0003,", "P0002,")  # duplicate key on row 4
    _edit(tiny / "pegawai.csv", "Kepala Bidang Pelayanan", "Kepala Bidang Umum")  # no standards
    _edit(tiny / "pegawai.csv", "BKPSDM,Badan Kepegawaian dan Pengembangan SDM,Pengadministrasi Umum,pelaksana,II/c,PNS",
          "BKPSDM,Badan Kepegawaian dan Pengembangan SDM,Pengadministrasi Umum,pelaksana,,PNS")
    _edit(tiny / "hasil_asesmen.csv", "P0002,M.1", "P0002,M.9")  # unknown code
    _edit(tiny / "survei_atasan.csv", "level_M.2", "level_X.7")  # unknown code in a header
    _edit(tiny / "evaluasi_l2.csv", "P0003,PRG-001,46,66,100", "P0003,PRG-001,46,166,100")
    _edit(tiny / "realisasi_pengembangan.csv", "P0004,", "P9999,")
    rep = validate(tiny)
    got = _located(rep.problems)
    assert ("pegawai.csv", "4", "pegawai_id", "duplicate_key") in got
    assert ("pegawai.csv", "5", "jabatan", "missing_standard") in got
    assert ("pegawai.csv", "3", "golongan", "required_blank") in got
    assert ("hasil_asesmen.csv", "3", "kode_kompetensi", "unknown_reference") in got
    assert ("survei_atasan.csv", "1", "level_X.7", "unknown_reference") in got
    assert ("evaluasi_l2.csv", "4", "skor_post", "score_above_max") in got
    assert ("realisasi_pengembangan.csv", "5", "pegawai_id", "unknown_reference") in got
    assert not rep.ok
    with pytest.raises(DataError) as err:
        load_agency(tiny)
    assert {p.code for p in err.value.problems} >= {"duplicate_key", "score_above_max"}


def test_missing_required_file_and_bad_yaml(tiny):
    (tiny / "kamus_kompetensi.csv").unlink()
    (tiny / "instansi.yaml").write_text("tahun_rencana: [1\n", encoding="utf-8")
    rep = validate(tiny)
    codes = {(p.code, p.file) for p in rep.errors}
    assert ("missing_file", "kamus_kompetensi.csv") in codes and ("unreadable_file", "instansi.yaml") in codes


def test_preset_picked_automatically(tiny, kamus_names=("Integritas", "Kerja Sama")):
    lines = ['"Stempel waktu","Alamat email","ID Pegawai","Tingkat kemampuan saya saat ini [Integritas]",'
             '"Tingkat kepentingan [Kerja Sama]"']
    for i in range(1, 6):
        lines.append(f'"27/08/2026 9:1{i}:03","x{i}@contoh.go.id","P000{i}","{i}","{6 - i}"')
    lines.append('"27/08/2026 11:00:00","y@contoh.go.id","P0002","4","2"')
    (tiny / "survei_pegawai.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ag = load_agency(tiny, strict=False)
    sv = ag.tables["survei_pegawai"]
    assert {"level_M.1", "penting_M.2"} <= set(sv.columns) and len(sv) == 5
    assert _located(ag.report.problems) == {("survei_pegawai.csv", "3", "pegawai_id", "duplicate_submission")}


# ------------------------------------------------------------------ report object


def test_report_frame_and_languages(tiny):
    _edit(tiny / "kamus_kompetensi.csv", "M.2,Kerja Sama,Teamwork,manajerial", "M.2,Kerja Sama,Teamwork,perilaku")
    rep = validate(tiny)
    df = rep.to_frame()
    assert list(df.columns) == REPORT_COLUMNS
    assert df.iloc[0]["severity"] == "error" and df.iloc[0]["code"] == "not_allowed"
    assert df.iloc[0]["row"] == 3 and df.iloc[0]["column"] == "jenis" and df.iloc[0]["value"] == "perilaku"
    assert "kesalahan" in rep.summary() and "error" in rep.summary("en")
    assert "baris 3" in rep.to_text() and "row 3" in rep.to_text("en")
    assert "nilai tidak diizinkan" in rep.to_text() and "value not allowed" in rep.to_text("en")
    assert ValidationReport([]).ok


# ------------------------------------------------------------------ CLI


def test_cli_exit_codes_and_outputs(tiny, tmp_path, capsys):
    assert main([str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "PERINGATAN" in out and "0 kesalahan" in out
    _edit(tiny / "evaluasi_l2.csv", "P0003,PRG-001,46,66,100", "P0003,PRG-001,46,166,100")
    _edit(tiny / "evaluasi_l1.csv", ",ya,", ",ya,=cmd|' /C calc'!A0")
    before = _hashes(tiny)
    csv_out = tmp_path / "out" / "laporan.csv"
    assert main([str(tiny), "--lang", "en", "--output", str(csv_out)]) == 1
    out = capsys.readouterr().out
    assert out.index("ERROR") < out.index("WARNING") and "row 4" in out and "1 error(s)" in out
    rep = pd.read_csv(csv_out, dtype=str, encoding="utf-8-sig")
    assert list(rep.columns) == REPORT_COLUMNS
    assert rep["value"].str.startswith("'=").any()  # escaped, never a live formula
    xlsx_out = tmp_path / "out" / "laporan.xlsx"
    assert main([str(tiny), "--output", str(xlsx_out)]) == 1
    from openpyxl import load_workbook

    ws = load_workbook(xlsx_out).active
    assert [c.value for c in ws[1]] == REPORT_COLUMNS
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert _hashes(tiny) == before
    assert main([str(tiny), "--output", str(tiny / "laporan.csv")]) == 2  # never into the input folder
    assert main([str(tmp_path / "tidak_ada")]) == 2
    assert main([str(tiny), "--bogus"]) == 2
    assert main([str(tiny), "--settings", str(tmp_path / "none.yaml")]) == 2


def test_cli_through_workbook_command(tiny, capsys):
    from workbook.cli import main as cli

    assert cli(["validate", str(tiny), "--lang", "en"]) == 0
    assert "Validation" in capsys.readouterr().out


# ------------------------------------------------------------------ messy copies


@pytest.mark.filterwarnings("ignore:Kunci samaran baru")
def test_messy_of_tiny_agency_set_equality(tiny, tmp_path):
    messy = tmp_path / "messy"
    man = make_messy(tiny, messy, seed=7)
    assert {"invalid_nip", "not_allowed", "duplicate_key", "encoding_fallback", "score_above_max"} <= set(man["code"])
    before_clean, before_messy = _hashes(tiny), _hashes(messy)
    rep = validate(messy)
    assert _located(rep.problems) == _manifest(messy)
    assert _hashes(tiny) == before_clean and _hashes(messy) == before_messy
    # the employee known only by NIP got a keyed pseudonym; no NIP or name is left
    peg = load_agency(messy, strict=False).tables["pegawai"]
    assert "nip" not in peg.columns and "nama" not in peg.columns
    assert peg["pegawai_id"].str.match(r"^N[0-9A-F]{12}$").sum() == 1
    # the survey is a Google Forms export (BOM, question texts), mapped by the preset automatically
    head = (messy / "survei_pegawai.csv").read_bytes()[:200].decode("utf-8")
    assert head.startswith("\ufeffStempel waktu,Alamat email,") and "[Integritas]" in head


def test_messy_is_deterministic(tiny, tmp_path):
    a = make_messy(tiny, tmp_path / "a", seed=3)
    b = make_messy(tiny, tmp_path / "b", seed=3)
    c = make_messy(tiny, tmp_path / "c", seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


@pytest.mark.filterwarnings("ignore:Kunci samaran baru")
@pytest.mark.skipif(not (MESSY / "MANIFEST.csv").is_file(), reason="data_samples/messy not generated")
def test_committed_messy_sample_reports_exactly_the_manifest():
    before = _hashes(MESSY)
    rep = validate(MESSY)
    assert _located(rep.problems) == _manifest(MESSY)
    assert _hashes(MESSY) == before


@pytest.mark.filterwarnings("ignore:Kunci samaran baru")
@pytest.mark.skipif(not CONTOH.is_dir(), reason="data_samples/contoh not generated")
def test_contoh_sample_has_no_errors_and_messy_regenerates(tmp_path):
    before = _hashes(CONTOH)
    rep = validate(CONTOH)
    assert rep.errors == []
    assert {p.code for p in rep.warnings} <= {"blank_answer", "duplicate_submission"}
    if (MESSY / "MANIFEST.csv").is_file():
        fresh = make_messy(CONTOH, tmp_path / "messy")
        assert _manifest(tmp_path / "messy") == _manifest(MESSY)
        assert len(fresh) == len(_manifest(MESSY))
    assert _hashes(CONTOH) == before


def test_unit_codes_in_budget_and_indicators_must_exist(tmp_path):
    import shutil

    from workbook.ingest.validate import validate

    d = tmp_path / "agency"
    shutil.copytree(ROOT / "data_samples" / "contoh", d)
    ind = pd.read_csv(d / "indikator_unit.csv", dtype=str, keep_default_na=False)
    ind.loc[0, "kode_unit"] = "DINASX"
    ind.to_csv(d / "indikator_unit.csv", index=False)
    rep = validate(d)
    hits = [p for p in rep.errors if p.code == "unknown_reference" and p.file == "indikator_unit.csv"]
    assert len(hits) == 1 and hits[0].row == 2 and hits[0].column == "kode_unit" and "DINASX" in str(hits[0].value)


def test_blank_answers_count_only_competencies_the_form_asks_about():
    # A form lists every competency; an employee is asked only about those of their job standard.
    from workbook.ingest import load_agency

    ag = load_agency(ROOT / "data_samples" / "contoh", strict=False)
    peg, std = ag.tables["pegawai"], ag.tables["standar_kompetensi"]
    sv = pd.read_csv(ROOT / "data_samples" / "contoh" / "survei_pegawai.csv", dtype=str, keep_default_na=False)
    asked = set(peg.merge(std, on="jabatan")[["pegawai_id", "kode_kompetensi"]].itertuples(index=False, name=None))
    for p in ag.report.warnings:
        if p.code == "blank_answer" and p.file == "survei_pegawai.csv":
            kode = p.column.split("_", 1)[1]
            expected = [i + 2 for i, (pid, v) in enumerate(zip(sv["pegawai_id"], sv[p.column], strict=True))
                        if v.strip() == "" and (pid, kode) in asked]
            assert int(p.value) == len(expected) and p.row == expected[0], p.column
