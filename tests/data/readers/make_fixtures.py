"""Build the tiny reader fixtures in this folder (run once; the files are committed).

    python tests/data/readers/make_fixtures.py

Each file imitates a real export: an Indonesian Excel CSV (';', decimal comma, Rupiah with
thousands dots), a UTF-8 BOM CSV, a cp1252 CSV, an XLSX with title rows above the header, a
Google Forms export, a KoboToolbox export, a SIASN employee export, an empty file, a header-only
file and a Parquet file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent


def main() -> None:
    # Indonesian Excel "CSV (separator ;)" export: decimal comma, Rupiah with thousands dots, quoted field
    (HERE / "katalog_semicolon.csv").write_text(
        "program_id;nama_program;bentuk;jalur;kode_kompetensi;jp;biaya_per_peserta;kapasitas_per_sesi;penyelenggara\n"
        'PRG-001;"Pelatihan Analisis Data; Tingkat Dasar";Pelatihan Teknis;Klasikal;M.1;12,5;Rp 3.500.000;30;BPSDM Provinsi\n'
        "PRG-002;Coaching Kepemimpinan;coaching;nonklasikal;M.2;24;1.250.000,50;10;Inspektorat\n"
        "PRG-003;E-Learning Integritas;E-Learning;Non Klasikal;M.1;8;0;100;LAN\n",
        encoding="utf-8", newline="")
    # UTF-8 with BOM (Excel "CSV UTF-8")
    (HERE / "kamus_bom.csv").write_bytes(
        "\ufeffKode_Kompetensi,Nama_ID,Nama_EN,Jenis\n"
        "M.1,Integritas,Integrity,Manajerial\n"
        "M.2,Kerja Sama,Teamwork,manajerial\n"
        "SK.1,Perekat Bangsa,Nation Building,Sosial Kultural\n".encode("utf-8"))
    # cp1252 (old Excel "CSV (Comma delimited)"): é, ö and an en dash
    (HERE / "katalog_cp1252.csv").write_bytes(
        ("program_id,nama_program,bentuk,jalur,kode_kompetensi,jp,biaya_per_peserta,kapasitas_per_sesi,penyelenggara\n"
         "PRG-010,Lokakarya Pelayanan Publik \u2013 Angkatan I,lokakarya,klasikal,M.1,16,2500000,25,Café Pendidikan Köln\n"
         ).encode("cp1252"))
    # XLSX with two title rows (the first merged) above the header, real dates and numbers
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["DATA PEGAWAI PEMERINTAH KABUPATEN CONTOH"])
    ws.merge_cells("A1:F1")
    ws.append(["Keadaan per 31 Desember 2025"])
    ws.append(["Pegawai ID", "Kode Unit", "Nama Unit", "Jabatan", "Jenis Jabatan", "Golongan", "Status", "TMT",
               "SKP Realisasi"])
    ws.append(["P0001", "DINKES", "Dinas Kesehatan", "Analis Kebijakan Ahli Muda", "Fungsional", "III/c", "pns",
               datetime(2012, 12, 1), 92.5])
    ws.append(["P0002", "DINKES", None, "Pengadministrasi Umum", "pelaksana", None, "PPPK", "01/03/2023", "88,5"])
    ws.append(["P0003", "BKPSDM", "BKPSDM", "Kepala Bidang", "Staf", "IV/a", "PNS", 41000, "x"])
    ws.merge_cells("C4:C4")
    wb.save(HERE / "pegawai_title.xlsx")
    # Google Forms export (Indonesian interface: "Stempel waktu")
    (HERE / "google_forms.csv").write_text(
        '"Stempel waktu","Alamat email","ID Pegawai","Tingkat kemampuan saya saat ini [Integritas]",'
        '"Tingkat kemampuan saya saat ini [Kerja Sama]","Tingkat kepentingan [Integritas]",'
        '"Tingkat kepentingan [Kerja Sama]","Kompetensi lain yang Anda butuhkan"\n'
        '"27/08/2026 9:14:03","a@contoh.go.id","P0001","3","4","5","4","Analisis data"\n'
        '"27/08/2026 10:02:41","b@contoh.go.id","P0002","2","","4","3",""\n'
        '"28/08/2026 8:00:00","c@contoh.go.id","P0003","6","3","4","2","=HYPERLINK(""http://x.invalid"")"\n',
        encoding="utf-8", newline="")
    # KoboToolbox export, XML values and group headers, ';' separated
    (HERE / "kobo.csv").write_text(
        "start;end;identitas/pegawai_id;kompetensi/level_M1;kompetensi/level_M2;kompetensi/penting_M1;"
        "_id;_uuid;_submission_time;_validation_status;_index\n"
        "2026-08-27T09:00:00.000+07:00;2026-08-27T09:10:00.000+07:00;P0001;3;4;5;101;aaa;2026-08-27T02:10:05;;1\n"
        "2026-08-27T10:00:00.000+07:00;2026-08-27T10:10:00.000+07:00;P0002;2 - Dasar;9;4;102;bbb;2026-08-27T03:10:05;;2\n",
        encoding="utf-8", newline="")
    # SIASN / SIMPEG employee export
    (HERE / "siasn.csv").write_text(
        "NIP BARU,NAMA,UNOR,JABATAN,JENIS JABATAN,ESELON,GOL/RUANG,STATUS CPNS/PNS,TMT CPNS,JENIS KELAMIN,TANGGAL LAHIR\n"
        "198602222012122003,Dewi Lestari,Dinas Kesehatan,Analis Kebijakan Ahli Muda,Fungsional Tertentu,,Penata (III/c),P,01-12-2012,Wanita,22-02-1986\n"
        "197511052001121001,Budi Santoso,Dinas Kesehatan,Kepala Bidang Pelayanan,Struktural,III.b,Pembina (IV/a),P,01-12-2001,Pria,05-11-1975\n"
        "'199907152024011002,Agus Wijaya,Badan Kepegawaian dan Pengembangan SDM,Pengelola Data,Fungsional Umum,,II / c,C,01-01-2024,Laki-laki,15-07-1999\n"
        "19860222201212,Rina Marlina,Dinas Kesehatan,Pengadministrasi Umum,Pelaksana,,III/a,P,01-12-2012,Perempuan,22-02-1986\n",
        encoding="utf-8", newline="")
    (HERE / "empty.csv").write_bytes(b"")
    (HERE / "header_only.csv").write_text("kode_kompetensi,nama_id,nama_en,jenis\n", encoding="utf-8")
    pd.DataFrame({"sumber_dana": ["APBD", "APBD"], "kode_unit": [None, "DINKES"],
                  "pagu": [1_500_000_000.0, 250_000_000.0]}).to_parquet(HERE / "anggaran.parquet", index=False)


if __name__ == "__main__":
    main()
