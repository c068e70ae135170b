"""The sample agency's structure: competencies, units (OPD), positions, standards and profiles.

The competency dictionary (8 managerial + 1 socio-cultural competencies of PermenPANRB 38/2017 and
13 technical ones), the 13 units of *Pemerintah Kabupaten Contoh* (one deliberately tiny), the
positions (structural titles per unit, generic pelaksana titles, functional families by jenjang),
the assumed standard-level ladder (:data:`STANDARD_LADDER`) and the planted need profiles
(:data:`PROFILES`). See :mod:`workbook.sample.generator` for what is planted and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.sample.arrays import str_series

__all__ = [
    "NAMA_INSTANSI",
    "MIN_EMPLOYEES",
    "SMALL_UNIT_SIZE",
    "SMALL_UNIT_RESPONDENTS",
    "COMPETENCIES",
    "CODES",
    "N_COMPETENCIES",
    "CODE_INDEX",
    "PELAKSANA",
    "UNITS",
    "N_UNITS",
    "SMALL_UNIT",
    "JENIS",
    "J_JPT",
    "J_ADM",
    "J_PGW",
    "J_PLK",
    "J_FUN",
    "JENJANG",
    "STANDARD_LADDER",
    "PROFILES",
    "LATENT_SD",
    "RATING_SD",
    "N_PROFILES",
    "SHIFT",
    "JABATAN",
    "JABATAN_INDEX",
    "FAMILY_NAMES",
    "FAMILY_JABATAN",
    "FAMILY_KIND",
    "kamus_table",
    "standar_table",
]


NAMA_INSTANSI = "Pemerintah Kabupaten Contoh"
MIN_EMPLOYEES = 100
SMALL_UNIT_SIZE = 7
SMALL_UNIT_RESPONDENTS = 3


# --------------------------------------------------------------------------------------------
# Competency dictionary
# --------------------------------------------------------------------------------------------
#: (code, Indonesian name, English name, type). Managerial/socio-cultural names: DOMAIN.md §1.5.
COMPETENCIES: list[tuple[str, str, str, str]] = [
    ("M.1", "Integritas", "Integrity", "manajerial"),
    ("M.2", "Kerja Sama", "Teamwork", "manajerial"),
    ("M.3", "Komunikasi", "Communication", "manajerial"),
    ("M.4", "Orientasi pada Hasil", "Results Orientation", "manajerial"),
    ("M.5", "Pelayanan Publik", "Public Service", "manajerial"),
    ("M.6", "Pengembangan Diri dan Orang Lain", "Developing Self and Others", "manajerial"),
    ("M.7", "Mengelola Perubahan", "Managing Change", "manajerial"),
    ("M.8", "Pengambilan Keputusan", "Decision Making", "manajerial"),
    ("SK.1", "Perekat Bangsa", "National Unity", "sosial_kultural"),
    ("T.01", "Analisis Data", "Data Analysis", "teknis"),
    ("T.02", "Pengelolaan Keuangan Daerah", "Regional Financial Management", "teknis"),
    ("T.03", "Pelayanan Kesehatan", "Health Service Delivery", "teknis"),
    ("T.04", "SPBE/Transformasi Digital", "E-Government/Digital Transformation", "teknis"),
    ("T.05", "Pengadaan Barang/Jasa", "Public Procurement", "teknis"),
    ("T.06", "Penyusunan Kebijakan", "Policy Formulation", "teknis"),
    ("T.07", "Kearsipan", "Records Management", "teknis"),
    ("T.08", "Manajemen Aset", "Asset Management", "teknis"),
    ("T.09", "Perencanaan dan Penganggaran", "Planning and Budgeting", "teknis"),
    ("T.10", "Pengawasan Intern", "Internal Audit", "teknis"),
    ("T.11", "Pembelajaran dan Kurikulum", "Teaching and Curriculum", "teknis"),
    ("T.12", "Manajemen SDM Aparatur", "Civil Service HR Management", "teknis"),
    ("T.13", "Penegakan Peraturan Daerah", "Enforcement of Regional Regulations", "teknis"),
]
CODES = [c[0] for c in COMPETENCIES]
N_COMPETENCIES = len(CODES)
CODE_INDEX = {c: i for i, c in enumerate(CODES)}
_MSK = list(range(9))  # M.1..M.8, SK.1

# --------------------------------------------------------------------------------------------
# Units (OPD) and positions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str
    weight: float
    response: float
    frontline: bool
    admin_unit: bool
    head: str
    admin: tuple[str, ...]
    pengawas: tuple[str, ...]
    fungsional: tuple[tuple[str, float], ...]
    tech: tuple[str, ...]
    share_fungsional: float


# Functional families: name -> (kind, technical competencies). kind: ahli, terampil or both.
_FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Analis Kebijakan": ("ahli", ("T.06", "T.01")),
    "Perencana": ("ahli", ("T.09", "T.01")),
    "Auditor": ("both", ("T.10", "T.02")),
    "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah": ("ahli", ("T.10", "T.06")),
    "Analis Sumber Daya Manusia Aparatur": ("ahli", ("T.12", "T.01")),
    "Arsiparis": ("both", ("T.07", "T.04")),
    "Pranata Komputer": ("both", ("T.04", "T.01")),
    "Pengelola Pengadaan Barang/Jasa": ("ahli", ("T.05", "T.02")),
    "Analis Keuangan Pusat dan Daerah": ("ahli", ("T.02", "T.09")),
    "Dokter": ("ahli", ("T.03", "T.01")),
    "Perawat": ("both", ("T.03", "T.04")),
    "Bidan": ("both", ("T.03", "T.04")),
    "Apoteker": ("ahli", ("T.03", "T.08")),
    "Epidemiolog Kesehatan": ("ahli", ("T.03", "T.01")),
    "Pranata Laboratorium Kesehatan": ("both", ("T.03", "T.04")),
    "Guru": ("ahli", ("T.11", "T.04")),
    "Pengawas Sekolah": ("ahli", ("T.11", "T.10", "T.01")),
    "Teknik Jalan dan Jembatan": ("both", ("T.08", "T.05")),
    "Teknik Pengairan": ("both", ("T.08", "T.09")),
    "Penata Ruang": ("ahli", ("T.06", "T.01")),
    "Administrator Database Kependudukan": ("both", ("T.04", "T.07", "T.01")),
    "Pekerja Sosial": ("both", ("T.01", "T.06")),
    "Penyuluh Sosial": ("both", ("T.06", "T.04")),
    "Polisi Pamong Praja": ("both", ("T.13", "T.04")),
}

# Generic pelaksana titles (2024 nomenclature) and their technical competencies.
PELAKSANA: dict[str, tuple[str, ...]] = {
    "Pengadministrasi Perkantoran": ("T.07", "T.04"),
    "Penata Layanan Operasional": ("T.04", "T.01", "T.08"),
    "Operator Layanan Operasional": ("T.04", "T.07"),
    "Pengelola Umum Operasional": ("T.08", "T.02"),
}

UNITS: list[_Unit] = [
    _Unit("SETDA", "Sekretariat Daerah", 0.07, 0.95, False, True, "Sekretaris Daerah",
          ("Kepala Bagian Pemerintahan", "Kepala Bagian Hukum", "Kepala Bagian Organisasi",
           "Kepala Bagian Pengadaan Barang dan Jasa", "Kepala Bagian Perekonomian"),
          ("Kepala Subbagian Tata Usaha Pimpinan", "Kepala Subbagian Keuangan Sekretariat Daerah",
           "Kepala Subbagian Rumah Tangga"),
          (("Analis Kebijakan", 3), ("Pengelola Pengadaan Barang/Jasa", 2), ("Arsiparis", 2),
           ("Pranata Komputer", 1), ("Analis Keuangan Pusat dan Daerah", 2)),
          ("T.06", "T.05", "T.07"), 0.35),
    _Unit("SETWAN", "Sekretariat DPRD", 0.03, 0.85, False, True, "Sekretaris DPRD",
          ("Kepala Bagian Umum dan Keuangan DPRD", "Kepala Bagian Persidangan dan Perundang-undangan",
           "Kepala Bagian Fasilitasi Penganggaran dan Pengawasan"),
          ("Kepala Subbagian Tata Usaha dan Kepegawaian DPRD", "Kepala Subbagian Keuangan DPRD"),
          (("Analis Kebijakan", 2), ("Arsiparis", 1)),
          ("T.06", "T.07", "T.02"), 0.25),
    _Unit("INSPEKTORAT", "Inspektorat", 0.03, 0.95, False, True, "Inspektur",
          ("Sekretaris Inspektorat", "Inspektur Pembantu Wilayah I", "Inspektur Pembantu Wilayah II",
           "Inspektur Pembantu Khusus"),
          ("Kepala Subbagian Perencanaan dan Keuangan Inspektorat", "Kepala Subbagian Umum Inspektorat"),
          (("Auditor", 3), ("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", 2)),
          ("T.10", "T.02", "T.05"), 0.60),
    _Unit("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", 0.03, 0.98, False, True,
          "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
          ("Sekretaris BKPSDM", "Kepala Bidang Pengembangan Kompetensi Aparatur",
           "Kepala Bidang Mutasi dan Promosi"),
          ("Kepala Subbagian Umum dan Kepegawaian BKPSDM", "Kepala Subbagian Perencanaan dan Keuangan BKPSDM"),
          (("Analis Sumber Daya Manusia Aparatur", 3), ("Pranata Komputer", 1), ("Arsiparis", 1)),
          ("T.12", "T.04", "T.07"), 0.35),
    _Unit("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", 0.03, 0.95, False, True,
          "Kepala Badan Perencanaan Pembangunan Daerah",
          ("Sekretaris Bappeda", "Kepala Bidang Perencanaan Pembangunan Manusia",
           "Kepala Bidang Perencanaan Infrastruktur dan Kewilayahan", "Kepala Bidang Penelitian dan Pengembangan"),
          ("Kepala Subbagian Umum Bappeda", "Kepala Subbagian Keuangan Bappeda"),
          (("Perencana", 4), ("Analis Kebijakan", 1), ("Pranata Komputer", 1)),
          ("T.09", "T.01", "T.06"), 0.40),
    _Unit("DINKES", "Dinas Kesehatan", 0.20, 0.90, True, False, "Kepala Dinas Kesehatan",
          ("Sekretaris Dinas Kesehatan", "Kepala Bidang Pelayanan Kesehatan", "Kepala Bidang Kesehatan Masyarakat",
           "Kepala Bidang Pencegahan dan Pengendalian Penyakit", "Kepala Bidang Sumber Daya Kesehatan"),
          ("Kepala Subbagian Umum dan Kepegawaian Dinas Kesehatan", "Kepala Subbagian Keuangan Dinas Kesehatan",
           "Kepala UPT Puskesmas"),
          (("Perawat", 5), ("Bidan", 4), ("Dokter", 1.5), ("Apoteker", 0.5), ("Epidemiolog Kesehatan", 0.3),
           ("Pranata Laboratorium Kesehatan", 0.7)),
          ("T.03", "T.01", "T.09"), 0.72),
    _Unit("DISDIK", "Dinas Pendidikan", 0.30, 0.85, False, False, "Kepala Dinas Pendidikan",
          ("Sekretaris Dinas Pendidikan", "Kepala Bidang Pembinaan Sekolah Dasar",
           "Kepala Bidang Pembinaan Sekolah Menengah Pertama", "Kepala Bidang Pendidik dan Tenaga Kependidikan"),
          ("Kepala Subbagian Umum dan Kepegawaian Dinas Pendidikan", "Kepala Subbagian Keuangan Dinas Pendidikan",
           "Kepala Seksi Kurikulum"),
          (("Guru", 20), ("Pengawas Sekolah", 0.6), ("Pranata Komputer", 0.2)),
          ("T.11", "T.09", "T.04"), 0.82),
    _Unit("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", 0.05, 0.80, False, True,
          "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
          ("Sekretaris Dinas Pekerjaan Umum dan Penataan Ruang", "Kepala Bidang Bina Marga",
           "Kepala Bidang Sumber Daya Air", "Kepala Bidang Penataan Ruang"),
          ("Kepala Subbagian Umum Dinas Pekerjaan Umum dan Penataan Ruang",
           "Kepala Subbagian Keuangan Dinas Pekerjaan Umum dan Penataan Ruang", "Kepala UPT Peralatan dan Perbekalan"),
          (("Teknik Jalan dan Jembatan", 3), ("Teknik Pengairan", 2), ("Penata Ruang", 1),
           ("Pengelola Pengadaan Barang/Jasa", 1)),
          ("T.08", "T.05", "T.09"), 0.40),
    _Unit("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", 0.03, 0.93, True, False,
          "Kepala Dinas Kependudukan dan Pencatatan Sipil",
          ("Sekretaris Dinas Kependudukan dan Pencatatan Sipil", "Kepala Bidang Pelayanan Pendaftaran Penduduk",
           "Kepala Bidang Pelayanan Pencatatan Sipil"),
          ("Kepala Subbagian Umum Dinas Kependudukan dan Pencatatan Sipil", "Kepala Seksi Identitas Penduduk"),
          (("Administrator Database Kependudukan", 3), ("Arsiparis", 1), ("Pranata Komputer", 1)),
          ("T.04", "T.07", "T.01"), 0.35),
    _Unit("DINSOS", "Dinas Sosial", 0.03, 0.87, True, False, "Kepala Dinas Sosial",
          ("Sekretaris Dinas Sosial", "Kepala Bidang Rehabilitasi Sosial", "Kepala Bidang Perlindungan dan Jaminan Sosial"),
          ("Kepala Subbagian Umum Dinas Sosial", "Kepala Seksi Penanganan Fakir Miskin"),
          (("Pekerja Sosial", 3), ("Penyuluh Sosial", 2)),
          ("T.01", "T.04", "T.06"), 0.40),
    _Unit("RSUD", "Rumah Sakit Umum Daerah", 0.12, 0.83, True, False, "Direktur Rumah Sakit Umum Daerah",
          ("Wakil Direktur Pelayanan RSUD", "Wakil Direktur Umum dan Keuangan RSUD", "Kepala Bidang Keperawatan RSUD"),
          ("Kepala Seksi Pelayanan Medik RSUD", "Kepala Subbagian Keuangan RSUD", "Kepala Subbagian Umum RSUD"),
          (("Perawat", 8), ("Dokter", 2), ("Bidan", 1.5), ("Apoteker", 0.7), ("Pranata Laboratorium Kesehatan", 1)),
          ("T.03", "T.02", "T.08"), 0.75),
    _Unit("SATPOLPP", "Satuan Polisi Pamong Praja", 0.05, 0.75, True, False, "Kepala Satuan Polisi Pamong Praja",
          ("Sekretaris Satuan Polisi Pamong Praja", "Kepala Bidang Penegakan Peraturan Daerah",
           "Kepala Bidang Ketenteraman dan Ketertiban Umum"),
          ("Kepala Subbagian Umum Satuan Polisi Pamong Praja", "Kepala Seksi Operasi dan Pengendalian"),
          (("Polisi Pamong Praja", 1),),
          ("T.13", "T.06"), 0.60),
    # Deliberately tiny unit: fewer than 5 survey respondents, so that suppression is exercised.
    _Unit("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", 0.0, 0.0, False, True,
          "Kepala Badan Kesatuan Bangsa dan Politik",
          ("Sekretaris Badan Kesatuan Bangsa dan Politik",),
          ("Kepala Subbagian Umum Badan Kesatuan Bangsa dan Politik",),
          (("Analis Kebijakan", 1),),
          ("T.06", "T.07"), 0.30),
]
N_UNITS = len(UNITS)
SMALL_UNIT = N_UNITS - 1

JENIS = ["JPT", "administrator", "pengawas", "pelaksana", "fungsional"]
J_JPT, J_ADM, J_PGW, J_PLK, J_FUN = range(5)
# Jenjang codes: 0 none, 1 pratama, 2..4 ahli pertama/muda/madya, 5..7 terampil/mahir/penyelia
JENJANG = ["", "pratama", "ahli pertama", "ahli muda", "ahli madya", "terampil", "mahir", "penyelia"]
_JENJANG_TITLE = {2: "Ahli Pertama", 3: "Ahli Muda", 4: "Ahli Madya", 5: "Terampil", 6: "Mahir", 7: "Penyelia"}

#: Assumed standard levels (managerial default, exceptions, technical) by position type/jenjang.
#: Not a regulation (DOMAIN.md §1.5 ❓): each agency sets its own SKJ.
STANDARD_LADDER: dict[str, dict[str, Any]] = {
    "JPT pratama": {"manajerial": 4, "exceptions": {}, "teknis": 4},
    "administrator": {"manajerial": 3, "exceptions": {}, "teknis": 3},
    "pengawas": {"manajerial": 2, "exceptions": {"M.1": 3, "M.2": 3, "M.4": 3, "M.6": 3}, "teknis": 3},
    "pelaksana": {"manajerial": 1, "exceptions": {"M.1": 2, "M.3": 2, "M.5": 2, "M.7": 2, "SK.1": 2}, "teknis": 2},
    "ahli pertama": {"manajerial": 2, "exceptions": {}, "teknis": 2},
    "ahli muda": {"manajerial": 2, "exceptions": {"M.1": 3, "M.4": 3, "M.8": 3}, "teknis": 3},
    "ahli madya": {"manajerial": 3, "exceptions": {}, "teknis": 4},
    "terampil": {"manajerial": 1, "exceptions": {"M.1": 2, "M.3": 2, "M.5": 2, "M.7": 2, "SK.1": 2}, "teknis": 2},
    "mahir": {"manajerial": 2, "exceptions": {}, "teknis": 2},
    "penyelia": {"manajerial": 2, "exceptions": {"M.4": 3, "M.6": 3}, "teknis": 3},
}

#: Planted need profiles: name -> (shift of actual − standard per competency, description).
PROFILES: dict[str, dict[str, float]] = {
    "digital": {"T.04": -2.0, "T.01": -1.8, "M.7": -1.6},
    "manajerial": {"M.6": -2.0, "M.8": -1.8, "M.2": -1.7, "M.4": -1.5},
    "pelayanan": {"M.5": -2.0, "M.3": -1.8, "SK.1": -1.5, "T.03": -1.6},
    "tanpa_kesenjangan": {c: 0.3 for c in CODES},
}
#: Spread of the latent level around standard + profile shift, and of a rating around the latent level.
LATENT_SD = 0.3
RATING_SD = 0.3
N_PROFILES = len(PROFILES)
SHIFT = np.zeros((N_PROFILES, N_COMPETENCIES))
for _p, _d in enumerate(PROFILES.values()):
    for _c, _v in _d.items():
        SHIFT[_p, CODE_INDEX[_c]] = _v


@dataclass
class _Jabatan:
    names: list[str]
    jenis: np.ndarray
    jenjang: np.ndarray
    unit: np.ndarray  # -1 = shared across units
    std: np.ndarray  # (n_jab, K) float, NaN = not in the standard


def _ladder_key(jenis: int, jenjang: int) -> str:
    if jenis == J_JPT:
        return "JPT pratama"
    if jenis == J_FUN:
        return JENJANG[jenjang]
    return JENIS[jenis]


def _build_jabatan() -> tuple[_Jabatan, dict[str, Any]]:
    names: list[str] = []
    jenis: list[int] = []
    jenjang: list[int] = []
    unit: list[int] = []
    techs: list[tuple[str, ...]] = []
    idx: dict[str, Any] = {"head": [], "admin": [], "pengawas": [], "pelaksana": [], "fam": {}}

    def add(name: str, j: int, jj: int, u: int, tech: tuple[str, ...]) -> int:
        names.append(name)
        jenis.append(j)
        jenjang.append(jj)
        unit.append(u)
        t = list(dict.fromkeys(tech))[:4]
        for extra in ("T.04", "T.01"):
            if len(t) < 2 and extra not in t:
                t.append(extra)
        techs.append(tuple(t))
        return len(names) - 1

    for u, un in enumerate(UNITS):
        idx["head"].append(add(un.head, J_JPT, 1, u, un.tech + ("T.06",)))
        idx["admin"].append([add(n, J_ADM, 0, u, un.tech + ("T.09",)) for n in un.admin])
        idx["pengawas"].append([add(n, J_PGW, 0, u, un.tech[:2] + ("T.08",)) for n in un.pengawas])
    idx["pelaksana"] = [add(n, J_PLK, 0, -1, t) for n, t in PELAKSANA.items()]
    for fam, (kind, tech) in _FAMILIES.items():
        row = [-1] * 8
        levels = ([2, 3, 4] if kind in ("ahli", "both") else []) + ([5, 6, 7] if kind in ("terampil", "both") else [])
        for jj in levels:
            row[jj] = add(f"{fam} {_JENJANG_TITLE[jj]}", J_FUN, jj, -1, tech)
        idx["fam"][fam] = row

    std = np.full((len(names), N_COMPETENCIES), np.nan)
    for j in range(len(names)):
        lad = STANDARD_LADDER[_ladder_key(jenis[j], jenjang[j])]
        for c in _MSK:
            std[j, c] = lad["exceptions"].get(CODES[c], lad["manajerial"])
        for t in techs[j]:
            std[j, CODE_INDEX[t]] = lad["teknis"]
    return _Jabatan(names, np.array(jenis), np.array(jenjang), np.array(unit), std), idx


JABATAN, JABATAN_INDEX = _build_jabatan()
FAMILY_NAMES = list(_FAMILIES)
# fam x jenjang -> jabatan index
FAMILY_JABATAN = np.array([JABATAN_INDEX["fam"][f] for f in FAMILY_NAMES])
FAMILY_KIND = np.array([{"ahli": 0, "terampil": 1, "both": 2}[_FAMILIES[f][0]] for f in FAMILY_NAMES])

# --------------------------------------------------------------------------------------------
# Tables of the structure
# --------------------------------------------------------------------------------------------


def kamus_table() -> pd.DataFrame:
    return pd.DataFrame({
        "kode_kompetensi": str_series([c[0] for c in COMPETENCIES]),
        "nama_id": str_series([c[1] for c in COMPETENCIES]),
        "nama_en": str_series([c[2] for c in COMPETENCIES]),
        "jenis": str_series([c[3] for c in COMPETENCIES]),
    })


def standar_table() -> pd.DataFrame:
    j, k = np.nonzero(~np.isnan(JABATAN.std))
    return pd.DataFrame({
        "jabatan": str_series(np.array(JABATAN.names)[j]),
        "kode_kompetensi": str_series(np.array(CODES)[k]),
        "level_standar": JABATAN.std[j, k].astype(np.int64),
    })
