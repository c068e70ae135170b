"""The sample's programme catalogue (``katalog_program``) and budget (``anggaran``).

44 programmes of every bentuk, with the arrays the other modules draw from (JP, competencies,
months offered) and the programmes planted with no real learning gain (:data:`NO_GAIN`) or a
ceiling effect (:data:`CEILING`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.schema import BENTUK
from workbook.sample.arrays import masked_str_series, str_series
from workbook.sample.structure import CODE_INDEX

__all__ = [
    "CATALOGUE",
    "N_PROGRAMMES",
    "effective_jp",
    "PROG_JP",
    "PROG_COMP",
    "PROG_BENTUK",
    "PROG_MONTHS",
    "PROG_NMONTHS",
    "PROGRAMME_INDEX",
    "PROGRAMME_IDS",
    "LEADERSHIP",
    "NO_GAIN",
    "CEILING",
    "katalog_table",
    "anggaran_table",
]


# --------------------------------------------------------------------------------------------
# Programme catalogue
# --------------------------------------------------------------------------------------------
# id, name, bentuk, competencies, jp, hari, cakupan, cost, capacity, provider, months, funding
CATALOGUE: list[tuple] = [
    ("PRG-001", "Pelatihan Kepemimpinan Pengawas (PKP)", "pelatihan_kepemimpinan", "M.6;M.8;M.2", 380, 45, "nasional", 18_500_000, 30, "BPSDM Provinsi", "3;7", "APBD"),
    ("PRG-002", "Pelatihan Kepemimpinan Administrator (PKA)", "pelatihan_kepemimpinan", "M.7;M.8;M.4", 420, 50, "nasional", 24_500_000, 30, "BPSDM Provinsi", "4;8", "APBD"),
    ("PRG-003", "Pelatihan Manajemen Kinerja bagi Pejabat Pengawas", "pelatihan_manajerial", "M.4;M.6", 32, 4, "nasional", 3_750_000, 30, "BPSDM Provinsi", "5;9", "APBD"),
    ("PRG-004", "Pelatihan Pengambilan Keputusan Berbasis Data", "pelatihan_manajerial", "M.8;T.01", 24, 3, "nasional", 2_800_000, 30, "BPSDM Provinsi", "2;6;10", "APBD"),
    ("PRG-005", "Pelatihan Komunikasi Efektif dan Pelayanan Prima", "pelatihan_manajerial", "M.3;M.5", 24, 3, "nasional", 2_500_000, 35, "Internal BKPSDM", "2;5;8", "APBD"),
    ("PRG-006", "Pelatihan Wawasan Kebangsaan dan Moderasi", "pelatihan_sosial_kultural", "SK.1;M.1", 20, 3, "nasional", 1_500_000, 40, "BPSDM Provinsi", "4;10", "APBD"),
    ("PRG-007", "Pelatihan Integritas dan Budaya Antikorupsi", "pelatihan_manajerial", "M.1", 20, 3, "nasional", 1_200_000, 40, "BPSDM Provinsi", "3;11", "APBD"),
    ("PRG-008", "Pelatihan Analisis Data dan Statistik Dasar", "pelatihan_teknis", "T.01", 40, 5, "nasional", 4_200_000, 30, "Pusdiklat BPS", "3;6;9", "APBD"),
    ("PRG-009", "Pelatihan Pengelolaan Keuangan Daerah (SIPD)", "pelatihan_teknis", "T.02;T.09", 40, 5, "nasional", 4_500_000, 30, "BPSDM Kementerian Dalam Negeri", "2;7", "APBD"),
    ("PRG-010", "Pelatihan Pelayanan Kesehatan Primer", "pelatihan_teknis", "T.03", 48, 6, "nasional", 5_500_000, 30, "Bapelkes Provinsi", "3;5;8", "APBD"),
    ("PRG-011", "Pelatihan Komunikasi Klinis dan Keselamatan Pasien", "pelatihan_teknis", "T.03;M.5;M.3", 32, 4, "nasional", 3_800_000, 30, "Diklat RSUD", "2;4;6;9", "BLUD"),
    ("PRG-012", "Pelatihan Transformasi Digital dan SPBE", "pelatihan_teknis", "T.04;M.7", 32, 4, "nasional", 3_500_000, 30, "BPSDM Provinsi", "3;5;7;10", "APBD"),
    ("PRG-013", "Pelatihan Pengadaan Barang/Jasa Tingkat Dasar", "pelatihan_teknis", "T.05", 40, 5, "nasional", 5_000_000, 30, "LKPP", "2;6", "APBD"),
    ("PRG-014", "Pelatihan Penyusunan Kebijakan Publik", "pelatihan_teknis", "T.06;M.8", 40, 5, "nasional", 4_800_000, 30, "LAN", "4;9", "APBD"),
    ("PRG-015", "Pelatihan Kearsipan Dinamis dan SRIKANDI", "pelatihan_teknis", "T.07;T.04", 32, 4, "nasional", 2_900_000, 30, "Pusdiklat ANRI", "3;8", "APBD"),
    ("PRG-016", "Pelatihan Manajemen Aset Daerah", "pelatihan_teknis", "T.08;T.02", 32, 4, "nasional", 3_600_000, 30, "BPSDM Kementerian Dalam Negeri", "5;10", "APBD"),
    ("PRG-017", "Pelatihan Perencanaan dan Penganggaran Berbasis Kinerja", "pelatihan_teknis", "T.09", 40, 5, "nasional", 4_000_000, 30, "Pusbindiklatren Bappenas", "2;7", "APBD"),
    ("PRG-018", "Pelatihan Audit Berbasis Risiko", "pelatihan_fungsional", "T.10", 48, 6, "nasional", 6_500_000, 30, "Pusdiklatwas BPKP", "4;9", "APBD"),
    ("PRG-019", "Pelatihan Implementasi Kurikulum Merdeka", "pelatihan_teknis", "T.11;T.04", 32, 4, "nasional", 2_000_000, 40, "Balai Guru Penggerak Provinsi", "1;6;7", "APBD"),
    ("PRG-020", "Pelatihan Manajemen ASN Berbasis Sistem Merit", "pelatihan_teknis", "T.12", 32, 4, "nasional", 3_500_000, 30, "Kantor Regional BKN", "3;9", "APBD"),
    ("PRG-021", "Pelatihan Penegakan Peraturan Daerah", "pelatihan_teknis", "T.13;M.5", 40, 5, "nasional", 3_200_000, 40, "BPSDM Kementerian Dalam Negeri", "4;8", "APBD"),
    ("PRG-022", "Pelatihan Fungsional Analis Kebijakan Ahli Pertama", "pelatihan_fungsional", "T.06", 60, 8, "nasional", 7_500_000, 30, "LAN", "5", "APBD"),
    ("PRG-023", "Pelatihan Pembentukan Auditor Terampil", "pelatihan_fungsional", "T.10;T.02", 80, 10, "nasional", 12_000_000, 30, "Pusdiklatwas BPKP", "6", "APBD"),
    ("PRG-024", "Pelatihan Fungsional Perencana Tingkat Dasar", "pelatihan_fungsional", "T.09;T.01", 120, 15, "nasional", 22_500_000, 25, "Pusbindiklatren Bappenas", "7", "APBD"),
    ("PRG-025", "Seminar Nasional Kebijakan Kesehatan Daerah", "seminar", "T.03;T.06", None, 2, "nasional", 1_500_000, 200, "Dinas Kesehatan Provinsi", "10", "APBD"),
    ("PRG-026", "Seminar Internasional Smart Government", "seminar", "T.04;M.7", None, 2, "internasional", 7_500_000, 20, "Kementerian Komunikasi dan Digital", "11", "APBD"),
    ("PRG-027", "Seminar Nasional Pengawasan Intern Pemerintah", "seminar", "T.10", 8, 2, "nasional", 1_250_000, 150, "Pusdiklatwas BPKP", "5", "APBD"),
    ("PRG-028", "Lokakarya Penyusunan SOP Pelayanan", "lokakarya", "M.5;T.06", None, 3, "nasional", 1_800_000, 40, "Internal BKPSDM", "3;9", "APBD"),
    ("PRG-029", "Lokakarya Penyusunan Rencana Strategis Perangkat Daerah", "lokakarya", "T.09;M.4", None, 2, "nasional", 1_200_000, 40, "Bappeda", "2", "APBD"),
    ("PRG-030", "Bimtek Aplikasi SRIKANDI Tata Naskah Dinas Elektronik", "bimtek", "T.07;T.04", 16, 2, "nasional", 1_500_000, 40, "Internal BKPSDM", "2;5;8", "APBD"),
    ("PRG-031", "Bimtek e-Katalog dan Pengadaan Langsung", "bimtek", "T.05", 16, 2, "nasional", 2_250_000, 40, "LKPP", "4;9", "APBD"),
    ("PRG-032", "Bimtek Penyusunan SKP dan Manajemen Kinerja", "bimtek", "M.4;T.12", 12, 2, "nasional", 750_000, 50, "Internal BKPSDM", "1;7", "APBD"),
    ("PRG-033", "Kursus Bahasa Inggris untuk Aparatur", "kursus", "M.3", 60, 20, "nasional", 4_500_000, 20, "Lembaga kursus mitra", "", "APBD"),
    ("PRG-034", "Coaching Kepemimpinan bagi Pejabat Pengawas Baru", "coaching", "M.6;M.8;M.2", 20, 6, "nasional", 500_000, 10, "Internal BKPSDM", "", "APBD"),
    ("PRG-035", "Mentoring Pelayanan Publik di Unit Layanan", "mentoring", "M.5;M.3;SK.1", 16, 6, "nasional", 0, 10, "Internal BKPSDM", "", "APBD"),
    ("PRG-036", "E-Learning Literasi Digital ASN", "e_learning", "T.04;T.01", 20, None, "nasional", 0, 1000, "e-Learning ASN CorpU (LAN)", "", "APBD"),
    ("PRG-037", "E-Learning Pelayanan Publik Prima", "e_learning", "M.5;M.3", 12, None, "nasional", 0, 1000, "e-Learning ASN CorpU (LAN)", "", "APBD"),
    ("PRG-038", "E-Learning Mengelola Perubahan", "e_learning", "M.7;M.6", 15, None, "nasional", 0, 1000, "e-Learning ASN CorpU (LAN)", "", "APBD"),
    ("PRG-039", "E-Learning Integritas dan Wawasan Kebangsaan", "e_learning", "M.1;SK.1", 10, None, "nasional", 0, 1000, "e-Learning ASN CorpU (LAN)", "", "APBD"),
    ("PRG-040", "Magang di Rumah Sakit Rujukan Provinsi", "magang", "T.03;M.5", 40, 10, "nasional", 6_000_000, 10, "RSUD Provinsi", "4;10", "BLUD"),
    ("PRG-041", "Detasering Tenaga Perencana ke Bappeda Provinsi", "detasering", "T.09;T.01", 80, 30, "nasional", 8_000_000, 5, "Bappeda Provinsi", "6", "APBD"),
    ("PRG-042", "Pelatihan Kerja Sama Tim dan Kolaborasi Lintas OPD", "pelatihan_manajerial", "M.2;M.3", 20, 3, "nasional", 1_800_000, 35, "Internal BKPSDM", "3;8", "APBD"),
    ("PRG-043", "E-Learning Pengelolaan Keuangan Daerah", "e_learning", "T.02", 12, None, "nasional", 0, 1000, "e-Learning BPSDM Kementerian Dalam Negeri", "", "APBD"),
    ("PRG-044", "Pelatihan Dasar CPNS (Latsar)", "latsar", "SK.1;M.1;M.5", 240, 30, "nasional", 9_500_000, 40, "BPSDM Provinsi", "2;7", "APBD"),
]
N_PROGRAMMES = len(CATALOGUE)
_CONV = {"seminar": {"nasional": 4, "internasional": 6}, "lokakarya": {"nasional": 5, "internasional": 7}}


def effective_jp(row: tuple) -> float:
    jp, hari, cak = row[4], row[5], row[6]
    if jp is not None:
        return float(jp)
    return float(hari * _CONV.get(row[2], {}).get(cak, 8))


PROG_JP = np.array([effective_jp(r) for r in CATALOGUE])
PROG_COMP = np.full((N_PROGRAMMES, 3), -1)
for _i, _r in enumerate(CATALOGUE):
    for _s, _c in enumerate(_r[3].split(";")):
        PROG_COMP[_i, _s] = CODE_INDEX[_c]
PROG_BENTUK = np.array([r[2] for r in CATALOGUE])
PROG_MONTHS = np.zeros((N_PROGRAMMES, 12), dtype=np.int64)
PROG_NMONTHS = np.zeros(N_PROGRAMMES, dtype=np.int64)
for _i, _r in enumerate(CATALOGUE):
    _ms = [int(m) for m in _r[10].split(";")] if _r[10] else list(range(1, 12))
    PROG_MONTHS[_i, : len(_ms)] = _ms
    PROG_NMONTHS[_i] = len(_ms)
PROGRAMME_INDEX = {r[0]: i for i, r in enumerate(CATALOGUE)}
PROGRAMME_IDS = [r[0] for r in CATALOGUE]
LEADERSHIP = {"pelatihan_kepemimpinan", "latsar"}
# Programmes planted with no real learning gain, and with a ceiling effect (high pre-test).
NO_GAIN = (PROGRAMME_INDEX["PRG-032"], PROGRAMME_INDEX["PRG-042"], PROGRAMME_INDEX["PRG-006"])
CEILING = (PROGRAMME_INDEX["PRG-007"], PROGRAMME_INDEX["PRG-039"])


def katalog_table() -> pd.DataFrame:
    rows = CATALOGUE
    return pd.DataFrame({
        "program_id": str_series([r[0] for r in rows]),
        "nama_program": str_series([r[1] for r in rows]),
        "bentuk": str_series([r[2] for r in rows]),
        "jalur": str_series([BENTUK[r[2]] for r in rows]),
        "kode_kompetensi": str_series([r[3] for r in rows]),
        "jp": pd.Series([np.nan if r[4] is None else float(r[4]) for r in rows], dtype=float),
        "hari": pd.Series([np.nan if r[5] is None else float(r[5]) for r in rows], dtype=float),
        "cakupan": str_series([r[6] for r in rows]),
        "biaya_per_peserta": np.array([r[7] for r in rows], dtype=np.int64),
        "kapasitas_per_sesi": np.array([r[8] for r in rows], dtype=np.int64),
        "penyelenggara": str_series([r[9] for r in rows]),
        "bulan_tersedia": masked_str_series(np.array([r[10] for r in rows]), np.array([r[10] == "" for r in rows])),
        "sumber_dana": str_series([r[11] for r in rows]),
        "kesesuaian_kurikulum": str_series(["sesuai" if r[2] in ("pelatihan_kepemimpinan", "latsar", "pelatihan_fungsional")
                                      or r[9] in ("LAN", "BPSDM Provinsi", "LKPP", "Pusdiklatwas BPKP")
                                      else "perlu verifikasi" for r in rows]),
    })


def anggaran_table(n: int) -> pd.DataFrame:
    apbd = int(round(n * 1_750_000, -6))
    blud = int(round(n * 100_000, -6))
    return pd.DataFrame({
        "sumber_dana": str_series(["APBD", "BLUD"]),
        "kode_unit": masked_str_series(np.array(["", "RSUD"]), np.array([True, False])),
        "pagu": np.array([apbd, blud], dtype=np.int64),
    })
