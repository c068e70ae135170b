"""Sample agency generator: a synthetic kabupaten for demos, tests and benchmarks.

``generate_agency`` builds every input table of :mod:`workbook.core.schema` for a fictitious regional
government, *Pemerintah Kabupaten Contoh*: employees in 13 OPD (one deliberately tiny so that
small-group suppression is exercised), the competency dictionary (8 managerial + 1 socio-cultural
competencies of PermenPANRB 38/2017 and 13 technical ones), job standards, assessment results, the
AKPK survey (self and supervisor), the programme catalogue, the budget, last year's participation
and the Kirkpatrick L1–L4 evaluation tables. ``write_agency`` writes them as an input folder.

Everything is synthetic: no real names, no real NIP (only the invented ones of
:data:`FAKE_IDENTIFIERS` in a few free comments); ``pegawai_id`` is ``P`` + a sequence number.
Everything is vectorised with one :class:`numpy.random.Generator` per call, so a seed gives the
same tables on every machine and a million employees take seconds.

Planted structure (what the analysis stages should find)
--------------------------------------------------------
Four latent *need profiles* shape the gap ``actual − standard`` of each employee (shifts of the
latent level on the profile's competencies; on a 1–5 scale the level cannot drop below 1, so the
observed gap of a competency with standard 2 is at most −1):

``digital``
    Digital/technical gap: T.04 SPBE/Transformasi Digital (−2.0), T.01 Analisis Data (−1.8) and
    M.7 Mengelola Perubahan (−1.6). About 80 % of staff aged 40+ in administrative units (Setda,
    Setwan, Inspektorat, BKPSDM, Bappeda, PUPR, Kesbangpol) and of teachers aged 40+ (Dinas
    Pendidikan); rare elsewhere.
``manajerial``
    Managerial gap among new supervisors: M.6 Pengembangan Diri dan Orang Lain (−2.0), M.8
    Pengambilan Keputusan (−1.8), M.2 Kerja Sama (−1.7), M.4 Orientasi pada Hasil (−1.5). About
    85 % of pengawas under 40, some older pengawas and administrators; nobody else.
``pelayanan``
    Service-orientation gap in front-line units: M.5 Pelayanan Publik (−2.0), M.3 Komunikasi
    (−1.8), SK.1 Perekat Bangsa (−1.5), T.03 Pelayanan Kesehatan (−1.6, where in the standard).
    About 80 % of pelaksana and fungsional in Dinkes, RSUD, Disdukcapil, Dinsos and Satpol PP.
``tanpa_kesenjangan``
    No major gap (+0.3 everywhere): the rest.

Membership is drawn per employee from weights tied to the group (so it is strongly, not
perfectly, predictable from unit, position and age); :func:`planted_profiles` returns it for
checking — it is never part of the tables. On the committed sample the needs stage recovers the
four profiles (adjusted Rand index about 0.88 against the planted membership of respondents).

On top: noise (latent level ±0.3 SD around standard + shift, each rating ±0.3 SD around the
latent level, then rounded to a whole level) so that most actual levels are within ±1 of the
standard outside the profile competencies; self-ratings on average about 0.4 above supervisor
ratings; about 3 % blank answers; about 1 % duplicate submissions (same ``pegawai_id``, later
``waktu_isi``, slightly different answers); response rates differing per unit; training
before the survey raising the level of the competencies it addresses.

Level 2 gains are realistic: a person's change is the programme's mean change plus noise of the
same order (standard deviation 7–11 points), so the standardised mean change g_z is about 0.35–1.1
(the programme with most participants about 1.2); three programmes have no real gain and two a
ceiling effect (pre-test around 88 of 100).

Level 4 (``indikator_unit``): five indicators are shared by several units — "Nilai SAKIP perangkat
daerah", "Persentase PNS memenuhi 20 JP (%)" and "Jumlah temuan administrasi keuangan" (lower is
better) in all 13 units, "Indeks kepuasan masyarakat" in six service units, about half of the units
trained for each (``program_id`` set), and "Persentase layanan berbasis elektronik (%)" in five
units that all trained (no comparison group). Their change toward the better direction is
:data:`L4_TREND` (+1) for every unit plus :data:`L4_EFFECT` (+3) for trained units, with noise of
standard deviation :data:`L4_NOISE_SD` (1.5) — so difference in differences recovers about +3.
Each unit also has one to three indicators of its own.

Free texts: Level 1 comments in 80 wordings across the themes of
:data:`workbook.evaluation.themes.THEMES_EVALUASI` (informal forms such as "gk", "bgt", "mantap" included),
answers that say nothing ("-", "tidak ada"), a few that fit no theme (certificates, parking), and
five comments carrying FAKE identifiers (:data:`FAKE_IDENTIFIERS`: invented names after "Pak"/"Bu",
NIPs and telephone numbers) so that anonymisation of quotes is exercised; the TNA open question in
about 60 wordings; 8–10 coded interviews (one to three sentences) for each of four programmes.

Return on investment (``roi_biaya``, ``roi_manfaat``, ``roi_konversi``): a Phillips ROI study of three
of last year's programmes (PRG-012 digital transformation, PRG-011 clinical communication and
patient safety, PRG-005 service communication), derived from their participation without any
random draw (so the other tables do not change): fully loaded costs per component, four benefit
measures converted to Rupiah (estimate × confidence, trend line, comparison group) and one intangible
measure without conversion; see :data:`ROI_PROGRAMMES`.

Level 2 item scores (``evaluasi_l2_butir``): for three programmes — the largest with a real
gain, the largest without gain and the largest with a ceiling effect — 20 items of 0–5 points
each (skor_maks 100) that sum exactly to ``skor_pre``/``skor_post``, drawn from a logistic
item-response curve, so that Cronbach's alpha and the reliable change index can be shown.

Assumed standard-level ladder (not a regulation; DOMAIN.md §1.5 marks it ❓): JPT pratama 4,
administrator 3, pengawas 2–3, pelaksana 1–2 (2 for integrity, communication, public service,
managing change and national unity), fungsional by jenjang (ahli pertama 2, ahli muda 2–3, ahli
madya 3–4, terampil 1–2 like pelaksana, mahir 2, penyelia 2–3); see :data:`STANDARD_LADDER`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from workbook.core.exceptions import SettingsError, WorkbookError
from workbook.core.schema import BENTUK, GOLONGAN, KELOMPOK_USIA, PREDIKAT, STATUS, TABLES

__all__ = [
    "generate_agency",
    "planted_profiles",
    "write_agency",
    "main",
    "COMPETENCIES",
    "UNITS",
    "PROFILES",
    "STANDARD_LADDER",
    "SAMPLE_PARAMETERS",
    "FAKE_IDENTIFIERS",
    "L4_TREND",
    "L4_EFFECT",
    "L4_NOISE_SD",
    "ROI_PROGRAMMES",
    "ROI_CONVERSIONS",
    "ROI_HOUR_VALUE",
]

#: Parameters of the committed sample ``data_samples/contoh/``.
SAMPLE_PARAMETERS: dict[str, int] = {"n_employees": 1200, "seed": 2027, "plan_year": 2027, "years": 1}

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
_CODES = [c[0] for c in COMPETENCIES]
_K = len(_CODES)
_CI = {c: i for i, c in enumerate(_CODES)}
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
_PELAKSANA: dict[str, tuple[str, ...]] = {
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
_U = len(UNITS)
_SMALL = _U - 1

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
    "tanpa_kesenjangan": {c: 0.3 for c in _CODES},
}
#: Spread of the latent level around standard + profile shift, and of a rating around the latent level.
_LATENT_SD = 0.3
_RATING_SD = 0.3
_P = len(PROFILES)
_SHIFT = np.zeros((_P, _K))
for _p, _d in enumerate(PROFILES.values()):
    for _c, _v in _d.items():
        _SHIFT[_p, _CI[_c]] = _v


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
    idx["pelaksana"] = [add(n, J_PLK, 0, -1, t) for n, t in _PELAKSANA.items()]
    for fam, (kind, tech) in _FAMILIES.items():
        row = [-1] * 8
        levels = ([2, 3, 4] if kind in ("ahli", "both") else []) + ([5, 6, 7] if kind in ("terampil", "both") else [])
        for jj in levels:
            row[jj] = add(f"{fam} {_JENJANG_TITLE[jj]}", J_FUN, jj, -1, tech)
        idx["fam"][fam] = row

    std = np.full((len(names), _K), np.nan)
    for j in range(len(names)):
        lad = STANDARD_LADDER[_ladder_key(jenis[j], jenjang[j])]
        for c in _MSK:
            std[j, c] = lad["exceptions"].get(_CODES[c], lad["manajerial"])
        for t in techs[j]:
            std[j, _CI[t]] = lad["teknis"]
    return _Jabatan(names, np.array(jenis), np.array(jenjang), np.array(unit), std), idx


_JAB, _JAB_IDX = _build_jabatan()
_FAM_NAMES = list(_FAMILIES)
# fam x jenjang -> jabatan index
_FAM_JAB = np.array([_JAB_IDX["fam"][f] for f in _FAM_NAMES])
_FAM_KIND = np.array([{"ahli": 0, "terampil": 1, "both": 2}[_FAMILIES[f][0]] for f in _FAM_NAMES])

# --------------------------------------------------------------------------------------------
# Programme catalogue
# --------------------------------------------------------------------------------------------
# id, name, bentuk, competencies, jp, hari, cakupan, cost, capacity, provider, months, funding
_CATALOGUE: list[tuple] = [
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
_NPROG = len(_CATALOGUE)
_CONV = {"seminar": {"nasional": 4, "internasional": 6}, "lokakarya": {"nasional": 5, "internasional": 7}}


def _effective_jp(row: tuple) -> float:
    jp, hari, cak = row[4], row[5], row[6]
    if jp is not None:
        return float(jp)
    return float(hari * _CONV.get(row[2], {}).get(cak, 8))


_PROG_JP = np.array([_effective_jp(r) for r in _CATALOGUE])
_PROG_COMP = np.full((_NPROG, 3), -1)
for _i, _r in enumerate(_CATALOGUE):
    for _s, _c in enumerate(_r[3].split(";")):
        _PROG_COMP[_i, _s] = _CI[_c]
_PROG_BENTUK = np.array([r[2] for r in _CATALOGUE])
_PROG_MONTHS = np.zeros((_NPROG, 12), dtype=np.int64)
_PROG_NMONTHS = np.zeros(_NPROG, dtype=np.int64)
for _i, _r in enumerate(_CATALOGUE):
    _ms = [int(m) for m in _r[10].split(";")] if _r[10] else list(range(1, 12))
    _PROG_MONTHS[_i, : len(_ms)] = _ms
    _PROG_NMONTHS[_i] = len(_ms)
_PRG = {r[0]: i for i, r in enumerate(_CATALOGUE)}
_PID = [r[0] for r in _CATALOGUE]
_LEADERSHIP = {"pelatihan_kepemimpinan", "latsar"}
# Programmes planted with no real learning gain, and with a ceiling effect (high pre-test).
_NO_GAIN = (_PRG["PRG-032"], _PRG["PRG-042"], _PRG["PRG-006"])
_CEILING = (_PRG["PRG-007"], _PRG["PRG-039"])
_TESTED = {"pelatihan_kepemimpinan", "pelatihan_manajerial", "pelatihan_teknis", "pelatihan_fungsional",
           "pelatihan_sosial_kultural", "latsar", "bimtek", "kursus", "e_learning"}
# Item scores of L2 tests (evaluasi_l2_butir): items × points per item = skor_maks (100).
_N_ITEMS = 20
_ITEM_MAX = 5
_L3_BENTUK = {"pelatihan_kepemimpinan", "pelatihan_manajerial", "pelatihan_teknis", "pelatihan_fungsional",
              "coaching", "mentoring", "magang"}

# Activities outside the catalogue (blank program_id): name, JP.
_OUTSIDE = [
    ("Webinar Nasional SPBE", 3), ("Webinar Keterbukaan Informasi Publik", 2),
    ("Sosialisasi Peraturan Kepegawaian Terbaru", 4), ("Workshop Penulisan Artikel Ilmiah", 6),
    ("Webinar Keamanan Informasi", 2), ("Rapat Koordinasi Teknis Provinsi", 4),
    ("Seminar Daring Kesehatan Masyarakat", 3), ("Belajar Mandiri Modul Literasi Keuangan", 5),
]

# Behaviour indicators for L3, per competency.
_INDICATOR = {
    "M.1": "Menolak gratifikasi dan melaporkan konflik kepentingan",
    "M.2": "Melibatkan rekan lintas bidang dalam penyelesaian tugas",
    "M.3": "Menyampaikan informasi kepada pemangku kepentingan dengan jelas",
    "M.4": "Menetapkan target kerja terukur untuk tim",
    "M.5": "Menangani pengaduan masyarakat sesuai standar pelayanan",
    "M.6": "Memberikan umpan balik dan bimbingan kepada bawahan",
    "M.7": "Menerapkan cara kerja baru di unit",
    "M.8": "Mengambil keputusan dengan membandingkan alternatif",
    "SK.1": "Menghargai keberagaman dalam pelayanan",
    "T.01": "Menyajikan data dalam laporan analisis",
    "T.02": "Menyusun laporan keuangan tepat waktu",
    "T.03": "Menerapkan standar prosedur pelayanan kesehatan",
    "T.04": "Menggunakan aplikasi SPBE dalam pekerjaan",
    "T.05": "Menyusun dokumen pengadaan sesuai ketentuan",
    "T.06": "Menyusun naskah rekomendasi kebijakan",
    "T.07": "Mengelola naskah dinas secara elektronik",
    "T.08": "Memutakhirkan data aset unit",
    "T.09": "Menyusun rencana kerja berbasis kinerja",
    "T.10": "Menyusun kertas kerja pengawasan berbasis risiko",
    "T.11": "Menerapkan pembelajaran berdiferensiasi di kelas",
    "T.12": "Mengolah data kepegawaian untuk analisis kebutuhan",
    "T.13": "Melaksanakan penegakan perda sesuai prosedur",
}

_BENTUK_PREF = {  # profile -> (forms, weights) for bentuk_diminati
    0: (["e_learning", "pelatihan_teknis", "bimtek", "kursus", "coaching"], [0.35, 0.3, 0.2, 0.1, 0.05]),
    1: (["coaching", "mentoring", "pelatihan_manajerial", "pelatihan_kepemimpinan", "e_learning"],
        [0.3, 0.25, 0.25, 0.15, 0.05]),
    2: (["pelatihan_teknis", "bimtek", "magang", "mentoring", "e_learning"], [0.3, 0.25, 0.2, 0.15, 0.1]),
    3: (["e_learning", "seminar", "kursus", "pelatihan_teknis", "lokakarya"], [0.3, 0.2, 0.2, 0.2, 0.1]),
}
# Open answer of the TNA survey: profile -> 5 topics, each with a few wordings (informal ones too).
_NEEDS_TEXT: dict[int, list[list[str]]] = {
    0: [["Pelatihan aplikasi SRIKANDI untuk tata naskah dinas", "srikandi blm paham, perlu bimtek lagi",
         "Tata naskah dinas elektronik (SRIKANDI)"],
        ["Pelatihan analisis data dengan spreadsheet", "Excel tingkat lanjut (pivot, rumus)",
         "pengolahan data pakai excel bgt dibutuhkan"],
        ["Perlu pelatihan keamanan informasi dan SPBE", "Keamanan siber untuk operator aplikasi",
         "SPBE dan arsitektur sistem informasi"],
        ["Belajar membuat dasbor data unit", "Membuat dashboard kinerja unit", "Visualisasi data untuk laporan pimpinan"],
        ["Pelatihan pengolahan data dan statistik dasar", "Statistik dasar untuk analisis laporan",
         "Analisis data survei kepuasan"]],
    1: [["Pelatihan kepemimpinan untuk pejabat pengawas baru", "Kepemimpinan bagi pengawas yang baru dilantik",
         "Cara memimpin tim kecil"],
        ["Coaching cara membimbing staf", "Teknik coaching dan mentoring untuk atasan", "membimbing staf baru, gmn caranya"],
        ["Teknik pengambilan keputusan dan manajemen risiko", "Manajemen risiko di unit kerja",
         "Pengambilan keputusan berbasis data"],
        ["Cara memberi umpan balik kinerja kepada bawahan", "Umpan balik kinerja dan penyusunan SKP bawahan",
         "Menilai kinerja bawahan secara objektif"],
        ["Manajemen konflik dalam tim", "Mengelola konflik antarpegawai", "Membangun kerja sama tim lintas bidang"]],
    2: [["Pelatihan pelayanan prima", "Pelayanan prima di loket", "pelayanan prima utk petugas garis depan"],
        ["Komunikasi efektif dengan masyarakat", "Komunikasi dengan warga yang marah", "Teknik komunikasi publik"],
        ["Penanganan pengaduan masyarakat", "Mengelola pengaduan lewat SP4N-LAPOR", "Menangani keluhan masyarakat"],
        ["Komunikasi dengan pasien dan keluarga", "Komunikasi terapeutik untuk perawat", "Menyampaikan kabar buruk ke keluarga pasien"],
        ["Etika dan budaya melayani", "Budaya kerja BerAKHLAK dalam pelayanan", "Etika pelayanan publik"]],
    3: [["Pelatihan bahasa Inggris", "Bahasa Inggris percakapan", "english for presentation"],
        ["Penulisan laporan dan naskah dinas", "Menulis laporan yang ringkas", "Penyusunan surat dinas yang benar"],
        ["Manajemen waktu", "Manajemen stres dan waktu kerja", "Mengatur prioritas pekerjaan"],
        ["Berbicara di depan umum", "Public speaking", "Presentasi yang menarik"],
        ["Tidak ada", "-", "tidak ada", "Belum ada", "cukup"]],
}
# Level 1 free comments: wordings by theme of workbook.evaluation.themes.THEMES_EVALUASI, informal forms included.
_L1_POS = [
    "Widyaiswara menguasai materi", "Fasilitator sangat komunikatif dan sabar", "Narasumber menjelaskan dengan jelas",
    "Pengajarnya asik, gk bikin ngantuk", "Widyaiswara mantap bgt", "Penyampaian narasumber runtut dan mudah dipahami",
    "Instruktur menjawab semua pertanyaan dengan sabar", "Pemateri berpengalaman dan memberi banyak contoh",
    "Materi sangat aplikatif", "Materinya relevan dengan tugas saya", "Modul lengkap dan mudah dipahami",
    "Materi sesuai kebutuhan", "Isi materi bagus bgt", "Topiknya pas dengan kondisi di daerah",
    "Diskusi kelompok sangat membantu", "Studi kasus nyata bikin paham", "Banyak praktik langsung, mantap",
    "Simulasinya seru", "Metode interaktif dan menyenangkan",
    "Bermanfaat untuk pekerjaan", "Ilmunya langsung bisa diterapkan", "Sangat berguna untuk tugas sehari-hari",
    "Sudah saya coba terapkan di kantor", "Manfaatnya terasa untuk pekerjaan pelayanan",
    "Platform e-learning mudah diakses", "Video di LMS bisa ditonton ulang", "Konsumsi enak, ruangan nyaman",
    "Asrama bersih dan nyaman", "Jadwal tepat waktu", "Atasan mendukung saya ikut sampai selesai",
]
_L1_NEG = [
    "Waktu terlalu singkat", "Durasi kurang, materinya padat", "Jadwal berbenturan dengan pekerjaan kantor",
    "Jadwalnya molor terus", "Jam pelatihan terlalu padat sampai sore", "Waktunya kurang bgt buat latihan",
    "Sering bentrok dgn rapat", "Ruangan kurang nyaman", "AC ruangan mati", "Konsumsi kurang",
    "Kursi gk nyaman buat seharian", "Proyektor sering bermasalah", "Toilet kurang bersih", "Snack telat datang",
    "Materi terlalu teoretis", "Materi kurang relevan dengan tugas di unit", "Modul tidak dibagikan",
    "Materi terlalu banyak", "Perlu ditambah praktik", "Kebanyakan ceramah, kurang diskusi",
    "Sebaiknya ada simulasi kasus nyata", "Perlu lebih banyak studi kasus", "Narasumber terlalu cepat menjelaskan",
    "Pemateri kurang interaktif", "Widyaiswara hanya membaca slide", "Jaringan internet sering terputus",
    "Zoom sering putus-putus", "Sinyal di lokasi jelek", "LMS sering error saat ujian",
    "Aplikasi e-learning susah dibuka di HP", "Video tidak bisa diputar", "Belum tahu cara menerapkan di unit",
    "Sulit diterapkan karena aplikasi di kantor berbeda", "Perlu dukungan pimpinan supaya bisa dijalankan",
    "Atasan kurang memberi izin ikut penuh", "Sibuk dan banyak kendala selama ikut, kurang fokus",
]
# Comments that say nothing, and comments that fit no theme of the dictionary (clustered as "Lainnya").
_L1_EMPTY = ["-", "tidak ada", "Tidak ada", "Tidak ada komentar", "mantap", "ok"]
_L1_OTHER = ["Sertifikat belum dibagikan", "Sertifikatnya kapan keluar?", "Parkir motor penuh", "Lahan parkir sempit",
             "Semoga diadakan lagi tahun depan", "Terima kasih panitia"]
#: FAKE identifiers planted in a few Level 1 comments so that anonymisation is exercised. They are
#: invented (no real person, NIP or telephone number); the tests check that none reaches an artefact.
FAKE_IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "names": ("Hendra Wirayuda", "Ratna Kusumawardani"),
    "nip": ("199003122015021004", "19881105 201101 2 003"),
    "phones": ("0813-2222-4567", "085712345678"),
}
# (comment, how many times, rank of the programme by L1 respondents it is planted in)
_L1_FAKE = [
    ("Pak Hendra Wirayuda menjelaskan materi dengan sangat jelas", 6, 0),
    ("Terima kasih Bu Ratna Kusumawardani, fasilitatornya sabar sekali", 3, 1),
    ("Jadwal berubah tanpa info, untung bisa tanya panitia di 0813-2222-4567", 5, 2),
    ("Sertifikat belum diterima, NIP 199003122015021004", 1, 3),
    ("Mohon perbaiki nama di sertifikat, NIP 19881105 201101 2 003, HP 085712345678", 1, 4),
]
_L1_COMMENTS = _L1_POS + _L1_NEG + _L1_EMPTY + _L1_OTHER + [x[0] for x in _L1_FAKE]
# Interview codes with summaries of one to three sentences.
_THEMES: dict[str, list[str]] = {
    "penerapan": [
        "Peserta sudah menerapkan hasil pelatihan di unit.",
        "Sudah menerapkan format laporan baru dari pelatihan. Pimpinan unit menilai laporannya lebih rapi.",
        "Materi pelatihan dipakai untuk memperbaiki alur layanan. Waktu layanan terasa lebih cepat.",
        "Peserta membagikan materi kepada rekan satu bidang. Beberapa rekan ikut menerapkan cara kerja yang sama.",
        "Sebagian materi sudah diterapkan dalam pekerjaan sehari-hari; sisanya menunggu aplikasi baru.",
    ],
    "dukungan_atasan": [
        "Atasan memberi kesempatan menerapkan materi.",
        "Atasan meminta peserta memaparkan hasil pelatihan dalam rapat bidang. Ini membantu penerapan.",
        "Dukungan pimpinan baik, tetapi belum ada target tertulis untuk penerapan.",
    ],
    "hambatan_waktu": [
        "Beban kerja membuat penerapan tertunda.",
        "Peserta kembali ke tumpukan pekerjaan setelah pelatihan. Penerapan baru dimulai dua bulan kemudian.",
        "Waktu untuk mencoba cara baru hampir tidak ada karena jadwal pelayanan padat.",
    ],
    "relevansi_materi": [
        "Materi sesuai dengan tugas sehari-hari.",
        "Sebagian besar materi relevan. Contoh kasus perlu disesuaikan dengan kondisi kabupaten.",
        "Materi dasar sudah dikuasai peserta; yang dibutuhkan adalah materi tingkat lanjut.",
    ],
    "sarana": [
        "Perangkat dan aplikasi di kantor belum memadai.",
        "Komputer di unit belum mendukung aplikasi yang diajarkan. Peserta memakai laptop pribadi.",
        "Jaringan internet kantor sering terputus sehingga aplikasi sulit dipakai.",
    ],
    "tidak_diterapkan": [
        "Materi belum dapat diterapkan karena belum ada kebijakan unit.",
        "Peserta belum menerapkan materi. Tugas yang sekarang tidak berkaitan dengan isi pelatihan.",
        "Belum ada perubahan cara kerja setelah pelatihan. Atasan belum membahas hasil pelatihan dengan peserta.",
    ],
}
_THEME_CODES = list(_THEMES)
_INTERVIEW_MIX = {  # theme weights for programmes with a real gain and for those without
    "gain": np.array([0.55, 0.15, 0.1, 0.1, 0.1, 0.0]),
    "none": np.array([0.0, 0.0, 0.25, 0.1, 0.15, 0.5]),
}

# Unit indicators (L4), unit-specific: code -> [(indicator, direction, baseline, related programme or "")]
_UNIT_INDICATORS = {
    "SETDA": [("Persentase produk hukum daerah tepat waktu (%)", "naik", 72.0, "PRG-014")],
    "SETWAN": [("Persentase risalah sidang selesai tepat waktu (%)", "naik", 68.0, "")],
    "INSPEKTORAT": [("Tingkat kapabilitas APIP (level)", "naik", 2.6, "PRG-018"),
                    ("Persentase rekomendasi hasil pengawasan ditindaklanjuti (%)", "naik", 71.0, "PRG-018"),
                    ("Jumlah temuan berulang", "turun", 18.0, "")],
    "BKPSDM": [("Indeks sistem merit", "naik", 0.62, "PRG-020")],
    "BAPPEDA": [("Konsistensi perencanaan dan penganggaran (%)", "naik", 81.0, "PRG-017"),
                ("Persentase dokumen perencanaan tepat waktu (%)", "naik", 75.0, "")],
    "DINKES": [("Cakupan imunisasi dasar lengkap (%)", "naik", 86.5, "PRG-010"),
               ("Angka kematian ibu per 100.000 kelahiran hidup", "turun", 118.0, "")],
    "DISDIK": [("Rata-rata rapor pendidikan literasi", "naik", 61.0, "PRG-019"),
               ("Persentase guru memanfaatkan platform digital (%)", "naik", 54.0, "PRG-036")],
    "DPUPR": [("Persentase jalan kabupaten kondisi mantap (%)", "naik", 66.0, ""),
              ("Persentase paket pengadaan tepat waktu (%)", "naik", 70.0, "PRG-013")],
    "DISDUKCAPIL": [("Rata-rata waktu layanan KTP-el (hari)", "turun", 4.2, "PRG-012")],
    "DINSOS": [("Persentase data terpadu kesejahteraan sosial mutakhir (%)", "naik", 63.0, "PRG-008"),
               ("Jumlah pengaduan layanan sosial", "turun", 41.0, "")],
    "RSUD": [("Rata-rata waktu tunggu rawat jalan (menit)", "turun", 95.0, "PRG-011"),
             ("Angka infeksi nosokomial (per mil)", "turun", 3.1, "")],
    "SATPOLPP": [("Persentase pelanggaran perda yang ditindak (%)", "naik", 62.0, "PRG-021"),
                 ("Jumlah pengaduan terhadap petugas", "turun", 14.0, "")],
    "KESBANGPOL": [("Persentase konflik sosial tertangani (%)", "naik", 85.0, ""),
                   ("Jumlah kegiatan pembauran kebangsaan", "naik", 6.0, "")],
}
_SERVICE_UNITS = ("DINKES", "DPUPR", "DISDUKCAPIL", "DINSOS", "RSUD", "SATPOLPP")
# Indicators shared by several units, for difference in differences: (indicator, direction, baseline
# mean, baseline sd, decimals, programme, units (None = all), share of units trained). About half the
# units trained; one indicator where every unit trained (no comparison group).
_SHARED_INDICATORS = [
    ("Nilai SAKIP perangkat daerah", "naik", 65.0, 5.0, 1, "PRG-017", None, 0.5),
    ("Persentase PNS memenuhi 20 JP (%)", "naik", 58.0, 8.0, 1, "PRG-020", None, 0.5),
    ("Indeks kepuasan masyarakat", "naik", 78.0, 3.0, 2, "PRG-005", _SERVICE_UNITS, 0.5),
    ("Jumlah temuan administrasi keuangan", "turun", 14.0, 4.0, 0, "PRG-009", None, 0.5),
    ("Persentase layanan berbasis elektronik (%)", "naik", 55.0, 10.0, 1, "PRG-012",
     ("SETDA", "BKPSDM", "BAPPEDA", "DISDUKCAPIL", "DPUPR"), 1.0),
]
#: Planted Level 4 effect (toward the better direction): common trend, effect of training, noise sd.
L4_TREND, L4_EFFECT, L4_NOISE_SD = 1.0, 3.0, 1.5

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) probability matrix (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def _pick_from_groups(rng: np.random.Generator, group: np.ndarray, members: np.ndarray,
                      member_group: np.ndarray, n_groups: int) -> np.ndarray:
    """For each ``group`` value pick a random element of ``members`` with the same group (-1 if none)."""
    order = np.argsort(member_group, kind="stable")
    members, member_group = members[order], member_group[order]
    counts = np.bincount(member_group, minlength=n_groups)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    c = counts[group]
    pick = start[group] + np.floor(rng.random(len(group)) * np.maximum(c, 1)).astype(np.int64)
    out = np.full(len(group), -1, dtype=np.int64)
    ok = c > 0
    out[ok] = members[pick[ok]]
    return out


def _ids(numbers: np.ndarray, width: int) -> pa.Array:
    """``P`` + zero-padded sequence number, as an Arrow string array (the dictionary of :func:`_cat`)."""
    text = pc.utf8_lpad(pc.cast(pa.array(numbers.astype(np.int64)), pa.string()), width, "0")
    return pc.binary_join_element_wise("P", text, "")


def _cat(codes: np.ndarray, dictionary: Any, blank: np.ndarray | None = None) -> pd.Series:
    """A ``str`` Series ``dictionary[codes]`` (missing where ``blank``), decoded in Arrow (fast)."""
    if not isinstance(dictionary, pa.Array):
        dictionary = pa.array(np.asarray(dictionary, dtype=object), type=pa.string())
    idx = pa.array(np.asarray(codes, dtype=np.int32), mask=None if blank is None else np.asarray(blank, bool))
    out = pa.DictionaryArray.from_arrays(idx, dictionary).dictionary_decode().to_pandas()
    return out.reset_index(drop=True)


def _str(values: Any) -> pd.Series:
    return pd.Series(values, dtype="str")


def _blank_str(values: np.ndarray, blank: np.ndarray) -> pd.Series:
    s = pd.Series(values, dtype="str")
    return s.mask(blank)


def _int_na(values: np.ndarray, blank: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int64), blank.copy())


def _dates(year: int, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    ym = (np.datetime64(f"{year}-01", "M") + (month - 1).astype("timedelta64[M]"))
    return ym.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")


def _as_ts(d: np.ndarray) -> pd.Series:
    return pd.Series(d.astype("datetime64[s]"))


# --------------------------------------------------------------------------------------------
# Population
# --------------------------------------------------------------------------------------------


def _unit_sizes(n: int) -> np.ndarray:
    w = np.array([u.weight for u in UNITS])
    w = w / w.sum()
    rest = n - SMALL_UNIT_SIZE
    sizes = np.floor(w * rest).astype(np.int64)
    frac = w * rest - sizes
    sizes[np.argsort(-frac, kind="stable")[: rest - sizes.sum()]] += 1
    sizes[_SMALL] = SMALL_UNIT_SIZE
    return sizes


def _draw_people(rng: np.random.Generator, unit: np.ndarray, jenis: np.ndarray, jab: np.ndarray,
                 status_forced: np.ndarray | None, ref_year: int) -> dict[str, np.ndarray]:
    """Fill status, jenjang, jabatan, age, tmt, golongan, gender for given unit/jenis (jab of structurals)."""
    n = len(unit)
    jenjang = np.zeros(n, dtype=np.int64)
    jenjang[jenis == J_JPT] = 1
    fam = np.full(n, -1, dtype=np.int64)
    # status
    if status_forced is None:
        u = rng.random(n)
        nonstruct = jenis >= J_PLK
        status = np.where(nonstruct & (u < 0.033), 0, np.where(nonstruct & (u > 1 - 0.19), 2, 1))
    else:
        status = status_forced.copy()
    # pelaksana titles
    plk = jenis == J_PLK
    jab[plk] = np.array(_JAB_IDX["pelaksana"])[rng.integers(0, len(_PELAKSANA), plk.sum())]
    # functional family per unit, then jenjang
    fun = np.flatnonzero(jenis == J_FUN)
    if len(fun):
        fw = np.zeros((_U, len(_FAM_NAMES)))
        for ui, un in enumerate(UNITS):
            for name, w in un.fungsional:
                fw[ui, _FAM_NAMES.index(name)] = w
        fam[fun] = _categorical(rng, fw[unit[fun]])
        kind = _FAM_KIND[fam[fun]]
        ahli = np.where(kind == 2, rng.random(len(fun)) < 0.5, kind == 0)
        lvl = _categorical(rng, np.where(ahli[:, None], [[0.4, 0.4, 0.2]], [[0.45, 0.35, 0.2]]))
        junior = status[fun] != 1  # CPNS and PPPK start at the entry level
        lvl[junior] = 0
        jenjang[fun] = np.where(ahli, 2, 5) + lvl
        jab[fun] = _FAM_JAB[fam[fun], jenjang[fun]]
    # age at mid reference year
    lo = np.select([jenis == J_JPT, jenis == J_ADM, jenis == J_PGW, jenis == J_PLK], [45, 40, 31, 24], 0).astype(float)
    hi = np.select([jenis == J_JPT, jenis == J_ADM, jenis == J_PGW, jenis == J_PLK], [58, 57, 57, 57], 0).astype(float)
    flo = np.array([0, 0, 24, 30, 40, 23, 28, 35])
    fhi = np.array([0, 0, 45, 55, 59, 45, 55, 57])
    lo = np.where(jenis == J_FUN, flo[jenjang], lo)
    hi = np.where(jenis == J_FUN, fhi[jenjang], hi)
    lo = np.where(status == 0, 22, np.where(status == 2, 25, lo))
    hi = np.where(status == 0, 34, np.where(status == 2, 50, hi))
    age = lo + (hi - lo) * rng.beta(1.3, 1.3, n)
    # service years
    entry = 22 + (np.minimum(35, age - 2) - 22) * rng.random(n)
    service = np.maximum(age - entry, 2.0)
    service = np.where(status == 0, 0.1 + 0.8 * rng.random(n), np.where(status == 2, 0.3 + 3.5 * rng.random(n), service))
    months = np.floor(service * 12).astype(np.int64)
    tmt = (np.datetime64(f"{ref_year}-07", "M") - months.astype("timedelta64[M]")).astype("datetime64[D]")
    # golongan index (0..16), -1 for PPPK
    glo = np.select([jenis == J_JPT, jenis == J_ADM, jenis == J_PGW, jenis == J_PLK], [14, 11, 10, 5], 0)
    ghi = np.select([jenis == J_JPT, jenis == J_ADM, jenis == J_PGW, jenis == J_PLK], [15, 14, 12, 11], 0)
    fglo = np.array([0, 0, 8, 10, 12, 6, 8, 10])
    fghi = np.array([0, 0, 9, 11, 14, 7, 9, 11])
    glo = np.where(jenis == J_FUN, fglo[jenjang], glo)
    ghi = np.where(jenis == J_FUN, fghi[jenjang], ghi)
    q = np.clip(service / 30 + rng.normal(0, 0.15, n), 0, 0.999)
    gol = glo + np.floor((ghi - glo + 1) * q).astype(np.int64)
    cpns_gol = np.where(jenis == J_PLK, np.where(rng.random(n) < 0.5, 4, 8), np.where(jenjang == 5, 6, 8))
    gol = np.where(status == 0, cpns_gol, gol)
    gol = np.where(status == 2, -1, gol)
    # gender: share of women by family / type
    pf = np.full(n, 0.48)
    fem = {"Bidan": 0.99, "Perawat": 0.78, "Guru": 0.68, "Polisi Pamong Praja": 0.2, "Dokter": 0.55}
    fam_pf = np.array([fem.get(f, 0.5) for f in _FAM_NAMES])
    pf = np.where(fam >= 0, fam_pf[np.maximum(fam, 0)], pf)
    pf = np.where(jenis <= J_PGW, 0.33, pf)
    female = rng.random(n) < pf
    return {"status": status, "jenjang": jenjang, "fam": fam, "jab": jab, "age": age, "tmt": tmt,
            "gol": gol, "female": female}


def _profiles(rng: np.random.Generator, unit: np.ndarray, jenis: np.ndarray, fam: np.ndarray,
              age: np.ndarray) -> np.ndarray:
    n = len(unit)
    front = np.array([u.frontline for u in UNITS])[unit]
    admin_u = np.array([u.admin_unit for u in UNITS])[unit]
    guru = fam == _FAM_NAMES.index("Guru")
    staff = jenis >= J_PLK
    w = np.zeros((n, _P))
    w[:, 0] = np.where((admin_u | guru) & (staff | (jenis == J_PGW)), np.where(age >= 40, 4.0, 0.6), 0.05)
    w[:, 1] = np.where(jenis == J_PGW, np.where(age < 40, 8.0, 1.5), np.where(jenis == J_ADM, 0.6, 0.0))
    w[:, 2] = np.where(front & staff, 4.0, 0.05)
    w[:, 3] = 1.0
    return _categorical(rng, w)


def _latent(rng: np.random.Generator, jab: np.ndarray, profile: np.ndarray) -> np.ndarray:
    t = rng.standard_normal((len(jab), _K), dtype=np.float32)
    t *= np.float32(_LATENT_SD)
    t += _JAB.std.astype(np.float32)[jab]
    t += _SHIFT.astype(np.float32)[profile]
    return t


def _new_population(rng: np.random.Generator, n: int, ref_year: int) -> dict[str, np.ndarray]:
    sizes = _unit_sizes(n)
    unit = np.repeat(np.arange(_U), sizes)
    start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.arange(n) - start[unit]
    n_adm = np.maximum(1, np.round(0.025 * sizes)).astype(np.int64)
    n_pgw = np.maximum(1, np.round(0.06 * sizes)).astype(np.int64)
    n_fun = np.round(np.array([u.share_fungsional for u in UNITS]) * sizes).astype(np.int64)
    n_adm[_SMALL], n_pgw[_SMALL], n_fun[_SMALL] = 1, 1, 2
    r = rank
    jenis = np.where(r == 0, J_JPT, np.where(r < 1 + n_adm[unit], J_ADM, np.where(
        r < 1 + n_adm[unit] + n_pgw[unit], J_PGW,
        np.where(r < 1 + n_adm[unit] + n_pgw[unit] + n_fun[unit], J_FUN, J_PLK))))
    # structural titles
    jab = np.full(n, -1, dtype=np.int64)
    heads = np.array(_JAB_IDX["head"])
    jab[jenis == J_JPT] = heads[unit[jenis == J_JPT]]
    for key, j in (("admin", J_ADM), ("pengawas", J_PGW)):
        m = np.flatnonzero(jenis == j)
        # title index cycles within the unit so that every title is filled
        within = r[m] - 1 - (n_adm[unit[m]] if j == J_PGW else 0)
        counts = np.array([len(x) for x in _JAB_IDX[key]])
        tables = np.full((_U, counts.max()), -1)
        for ui, lst in enumerate(_JAB_IDX[key]):
            tables[ui, : len(lst)] = lst
        jab[m] = tables[unit[m], within % counts[unit[m]]]
    perm = rng.permutation(n)
    unit, jenis, jab = unit[perm], jenis[perm], jab[perm]
    pop = {"unit": unit, "jenis": jenis}
    pop.update(_draw_people(rng, unit, jenis, jab, None, ref_year))
    pop["id"] = np.arange(1, n + 1, dtype=np.int64)
    pop["potensi"] = np.where((jenis <= J_PGW) | (rng.random(n) < 0.55),
                              np.clip(rng.normal(62, 11, n) + 6 * (jenis <= J_PGW), 20, 98), np.nan)
    pop["profile"] = _profiles(rng, unit, jenis, pop["fam"], pop["age"])
    pop["t"] = _latent(rng, pop["jab"], pop["profile"])
    return pop


def _evolve(rng: np.random.Generator, pop: dict[str, np.ndarray], ref_year: int) -> dict[str, np.ndarray]:
    """One year later: ~5 % retire, ~5 % new CPNS, CPNS become PNS, everyone a year older."""
    n = len(pop["id"])
    k = int(round(0.05 * n))
    # retirement: the oldest are much more likely; JPT and the tiny unit are kept
    weight = np.where(pop["age"] >= 56, 20.0, np.where(pop["age"] >= 50, 2.0, 0.1))
    weight[(pop["jenis"] == J_JPT) | (pop["unit"] == _SMALL)] = 0.0
    key = np.log(weight + 1e-300) - np.log(-np.log(rng.random(n)))
    retire = np.zeros(n, dtype=bool)
    retire[np.argpartition(-key, k)[:k]] = True
    keep = ~retire
    new = {k_: v[keep] for k_, v in pop.items()}
    new["age"] = new["age"] + 1
    new["status"] = np.where(new["status"] == 0, 1, new["status"])
    new["t"] = (new["t"] + rng.normal(0, 0.1, new["t"].shape)).astype(np.float32)
    # newcomers
    m = int(round(0.05 * n))
    sizes = _unit_sizes(max(m + SMALL_UNIT_SIZE, MIN_EMPLOYEES))[: _SMALL].astype(float)
    unit = rng.choice(_U - 1, size=m, p=sizes / sizes.sum())
    jenis = np.where(rng.random(m) < 0.55, J_FUN, J_PLK)
    jab = np.full(m, -1, dtype=np.int64)
    ppl = _draw_people(rng, unit, jenis, jab, np.zeros(m, dtype=np.int64), ref_year)
    add = {"unit": unit, "jenis": jenis, **ppl}
    add["id"] = pop["id"].max() + 1 + np.arange(m)
    add["potensi"] = np.where(rng.random(m) < 0.3, np.clip(rng.normal(62, 11, m), 20, 98), np.nan)
    add["profile"] = _profiles(rng, unit, jenis, add["fam"], add["age"])
    add["t"] = _latent(rng, add["jab"], add["profile"])
    return {k_: np.concatenate([new[k_], add[k_]]) for k_ in new}


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def _pegawai(rng: np.random.Generator, pop: dict[str, np.ndarray], ids: pa.Array) -> pd.DataFrame:
    n = len(pop["id"])
    unit, jenis, status = pop["unit"], pop["jenis"], pop["status"]
    pred = _categorical(rng, np.tile([0.12, 0.80, 0.06, 0.015, 0.005], (n, 1)))
    lo = np.array([110, 90, 70, 50, 30])[pred]
    real = np.round(lo + 20 * rng.random(n), 1)
    no_skp = status == 0
    # target position: promising pengawas -> an administrator title of their unit; ahli muda -> ahli madya
    target = np.full(n, -1, dtype=np.int64)
    pot = np.nan_to_num(pop["potensi"], nan=0.0)
    pg = np.flatnonzero((jenis == J_PGW) & (pot >= 72))
    adm_first = np.array([lst[0] for lst in _JAB_IDX["admin"]])
    target[pg] = adm_first[unit[pg]]
    am = np.flatnonzero((pop["jenjang"] == 3) & (pot >= 80))
    target[am] = _FAM_JAB[pop["fam"][am], 4]
    names = _JAB.names
    age = pop["age"]
    band = np.select([age < 30, age < 40, age < 50], [0, 1, 2], 3)
    gol = pop["gol"]
    return pd.DataFrame({
        "pegawai_id": _cat(np.arange(n), ids),
        "kode_unit": _cat(unit, [u.code for u in UNITS]),
        "nama_unit": _cat(unit, [u.name for u in UNITS]),
        "jabatan": _cat(pop["jab"], names),
        "jabatan_target": _cat(np.maximum(target, 0), names, target < 0),
        "jenis_jabatan": _cat(jenis, JENIS),
        "jenjang": _cat(pop["jenjang"], JENJANG, pop["jenjang"] == 0),
        "golongan": _cat(np.maximum(gol, 0), GOLONGAN, gol < 0),
        "status": _cat(status, STATUS),
        "tmt": _as_ts(pop["tmt"]),
        "jenis_kelamin": _cat(pop["female"].astype(np.int64), ["L", "P"]),
        "kelompok_usia": _cat(band, KELOMPOK_USIA),
        "skp_target": np.where(no_skp, np.nan, 100.0),
        "skp_realisasi": np.where(no_skp, np.nan, real),
        "predikat_kinerja": _cat(pred, PREDIKAT, no_skp),
        "skor_potensi": np.round(pop["potensi"], 1),
    })


def _kamus() -> pd.DataFrame:
    return pd.DataFrame({
        "kode_kompetensi": _str([c[0] for c in COMPETENCIES]),
        "nama_id": _str([c[1] for c in COMPETENCIES]),
        "nama_en": _str([c[2] for c in COMPETENCIES]),
        "jenis": _str([c[3] for c in COMPETENCIES]),
    })


def _standar() -> pd.DataFrame:
    j, k = np.nonzero(~np.isnan(_JAB.std))
    return pd.DataFrame({
        "jabatan": _str(np.array(_JAB.names)[j]),
        "kode_kompetensi": _str(np.array(_CODES)[k]),
        "level_standar": _JAB.std[j, k].astype(np.int64),
    })


def _asesmen(rng: np.random.Generator, pop: dict[str, np.ndarray], ids: pa.Array, year: int) -> pd.DataFrame:
    n = len(ids)
    jenis, jj = pop["jenis"], pop["jenjang"]
    p = np.select([jenis <= J_ADM, jenis == J_PGW, jj == 4, jj == 3], [1.0, 0.9, 0.5, 0.4], 0.27)
    p = np.where(pop["status"] == 1, p, 0.0)
    who = np.flatnonzero(rng.random(n) < p)
    e = np.repeat(who, 9)
    c = np.tile(np.arange(9), len(who))
    level = np.clip(np.round(2 * (pop["t"][e, c] + rng.normal(0, 0.3, len(e)))) / 2, 1, 5)
    day = rng.integers(0, 500, len(who))  # from Feb of Y-2, over ~16 months
    date = np.datetime64(f"{year - 2}-02-01") + np.repeat(day, 9).astype("timedelta64[D]")
    return pd.DataFrame({
        "pegawai_id": _cat(e, ids),
        "kode_kompetensi": _cat(c, _CODES),
        "level": level.astype(float),
        "tanggal": _as_ts(date),
        "metode": _cat(np.zeros(len(e), np.int64), ["pemetaan"]),
    })


def _participation(rng: np.random.Generator, pop: dict[str, np.ndarray], year: int) -> dict[str, np.ndarray]:
    """Rows of last year's participation: employee, programme (-1 outside), outside index, jp, date."""
    n = len(pop["id"])
    status, jenis = pop["status"], pop["jenis"]
    group = _categorical(rng, np.tile([0.10, 0.25, 0.65], (n, 1)))
    group[status == 0] = 2
    # main programme: addresses the worst latent gap (what last year's plan targeted)
    gap = pop["t"] - _JAB.std[pop["jab"]]
    worst = np.argmin(np.where(np.isnan(gap), np.inf, gap), axis=1)
    main_ok = (_PROG_JP >= 20) & ~np.isin(_PROG_BENTUK, list(_LEADERSHIP))
    mem_p, mem_c = [], []
    for s in range(3):
        sel = main_ok & (_PROG_COMP[:, s] >= 0)
        mem_p.append(np.flatnonzero(sel))
        mem_c.append(_PROG_COMP[sel, s])
    mem_p, mem_c = np.concatenate(mem_p), np.concatenate(mem_c)
    main = _pick_from_groups(rng, worst, mem_p, mem_c, _K)
    fallback = np.flatnonzero(main_ok)[rng.integers(0, main_ok.sum(), n)]
    main = np.where(main < 0, fallback, main)
    u = rng.random(n)
    main = np.where((jenis == J_PGW) & (pop["profile"] == 1) & (u < 0.3), _PRG["PRG-001"], main)
    main = np.where((jenis == J_ADM) & (u < 0.15), _PRG["PRG-002"], main)
    main = np.where(status == 0, _PRG["PRG-044"], main)
    full = np.flatnonzero(group == 2)
    short_ids = np.flatnonzero(_PROG_JP < 20)

    def short(who: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        outside = rng.random(len(who)) < 0.4
        prog = np.where(outside, -1, short_ids[rng.integers(0, len(short_ids), len(who))])
        oi = np.where(outside, rng.integers(0, len(_OUTSIDE), len(who)), -1)
        jp = np.where(outside, np.array([o[1] for o in _OUTSIDE])[np.maximum(oi, 0)], _PROG_JP[np.maximum(prog, 0)])
        return prog, oi, jp.astype(float)

    part = np.flatnonzero(group == 1)
    s1_who = np.concatenate([part, full[rng.random(len(full)) < 0.5]])
    s1 = short(s1_who)
    s2_who = np.concatenate([part[rng.random(len(part)) < 0.4], full[rng.random(len(full)) < 0.2]])
    s2 = short(s2_who)
    # a partial employee stays below 20 JP
    jp1 = np.zeros(n)
    jp1[s1_who] = s1[2]
    drop = (group[s2_who] == 1) & (jp1[s2_who] + s2[2] >= 20)
    emp = np.concatenate([full, s1_who, s2_who[~drop]])
    prog = np.concatenate([main[full], s1[0], s2[0][~drop]])
    oi = np.concatenate([np.full(len(full), -1), s1[1], s2[1][~drop]])
    jp = np.concatenate([_PROG_JP[main[full]], s1[2], s2[2][~drop]])
    # one catalogue programme at most once per employee
    key = np.where(prog >= 0, emp * (_NPROG + 1) + prog, -1 - np.arange(len(emp)))
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)
    emp, prog, oi, jp = emp[first], prog[first], oi[first], jp[first]
    # start month: one of the months the programme is offered
    pm = np.maximum(prog, 0)
    mi = np.floor(rng.random(len(emp)) * _PROG_NMONTHS[pm]).astype(np.int64)
    month = np.where(prog >= 0, _PROG_MONTHS[pm, mi], rng.integers(1, 12, len(emp)))
    day = rng.integers(1, 26, len(emp))
    return {"emp": emp, "prog": prog, "oi": oi, "jp": jp, "month": month,
            "date": _dates(year, month, day)}


def _apply_training(rng: np.random.Generator, pop: dict[str, np.ndarray], part: dict[str, np.ndarray]) -> None:
    """Training before the survey (Jan–Jul) raises the latent level of the competencies addressed."""
    sel = (part["prog"] >= 0) & (part["month"] <= 7) & ~np.isin(part["prog"], _NO_GAIN)
    emp, prog = part["emp"][sel], part["prog"][sel]
    t = pop["t"]
    for s in range(3):
        c = _PROG_COMP[prog, s]
        ok = c >= 0
        gain = rng.uniform(0.2, 0.8, ok.sum()).astype(np.float32)
        np.add.at(t, (emp[ok], c[ok]), gain)


def _realisasi(part: dict[str, np.ndarray], ids: pa.Array) -> pd.DataFrame:
    prog = part["prog"]
    names = [r[1] for r in _CATALOGUE] + [o[0] for o in _OUTSIDE]
    ni = np.where(prog >= 0, prog, _NPROG + part["oi"])
    order = np.lexsort((part["emp"], part["date"]))
    return pd.DataFrame({
        "pegawai_id": _cat(part["emp"][order], ids),
        "program_id": _cat(np.maximum(prog, 0)[order], _PID, (prog < 0)[order]),
        "nama_kegiatan": _cat(ni[order], names),
        "tanggal_mulai": _as_ts(part["date"][order]),
        "jp": part["jp"][order].astype(float),
    })


def _answers(rng: np.random.Generator, t: np.ndarray, bias: float, sd: float) -> np.ndarray:
    noise = rng.standard_normal(t.shape, dtype=np.float32)
    noise *= np.float32(sd)
    noise += t
    noise += np.float32(bias)
    return np.clip(np.rint(noise), 1, 5).astype(np.int8)


def _timestamps(rng: np.random.Generator, year: int, start: str, n: int, days: int) -> np.ndarray:
    sec = rng.integers(0, days * 86400, n)
    # office hours only: 07:00–21:59
    day, s = np.divmod(sec, 86400)
    s = 7 * 3600 + s % (15 * 3600)
    return np.datetime64(f"{year}-{start}T00:00:00", "s") + (day * 86400 + s).astype("timedelta64[s]")


def _survey(rng: np.random.Generator, pop: dict[str, np.ndarray], ids: pa.Array,
            year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(ids)
    unit = pop["unit"]
    rate = np.array([u.response for u in UNITS])
    respond = rng.random(n) < rate[unit]
    small = np.flatnonzero(unit == _SMALL)
    respond[small] = False
    respond[small[rng.permutation(len(small))[:SMALL_UNIT_RESPONDENTS]]] = True
    r = np.flatnonzero(respond)
    std = _JAB.std[pop["jab"][r]]
    t = pop["t"][r]
    in_std = ~np.isnan(std)
    level = _answers(rng, np.nan_to_num(t), 0.3, _RATING_SD)
    imp_base = (3.3 - 0.6 * _SHIFT + np.where(np.arange(_K) == 0, 0.8, 0.0)).astype(np.float32)
    imp = _answers(rng, imp_base[pop["profile"][r]], 0.0, 0.8)
    blank_l = ~in_std | (rng.random(level.shape, dtype=np.float32) < 0.03)
    blank_i = ~in_std | (rng.random(level.shape, dtype=np.float32) < 0.03)
    when = _timestamps(rng, year - 1, "08-01", len(r), 61)
    prof = pop["profile"][r]
    forms_all = sorted({f for forms, _ in _BENTUK_PREF.values() for f in forms})
    bentuk = np.zeros(len(r), dtype=np.int64)
    for p_, (forms, w) in _BENTUK_PREF.items():
        m = prof == p_
        fi = np.array([forms_all.index(f) for f in forms])
        bentuk[m] = fi[rng.choice(len(forms), m.sum(), p=w)]
    bentuk_blank = rng.random(len(r)) < 0.05
    text_pool = [x for p_ in range(_P) for topic in _NEEDS_TEXT[p_] for x in topic]
    n_var = np.array([len(topic) for p_ in range(_P) for topic in _NEEDS_TEXT[p_]])
    start = np.concatenate([[0], np.cumsum(n_var)[:-1]])
    topic_idx = prof * 5 + rng.integers(0, 5, len(r))
    # the wording within a topic comes from a child generator, so the main stream is unchanged
    wording = np.floor(rng.spawn(1)[0].random(len(r)) * n_var[topic_idx]).astype(np.int64)
    text_idx = start[topic_idx] + wording
    text_blank = rng.random(len(r)) >= 0.30
    # duplicate submissions: same employee, later time, a few answers changed by one step
    dup = np.flatnonzero(rng.random(len(r)) < 0.01)
    rows = np.concatenate([np.arange(len(r)), dup])
    level_d = level[rows]
    step = np.where(rng.random((len(dup), _K)) < 0.2, rng.choice([-1, 1], (len(dup), _K)), 0)
    level_d[len(r):] = np.clip(level_d[len(r):] + step, 1, 5)
    when_d = when[rows].copy()
    room = (np.datetime64(f"{year - 1}-09-30T23:59:59", "s") - when_d[len(r):]).astype(np.int64)
    delay = np.maximum(60, np.floor(rng.random(len(dup)) * np.minimum(5 * 86400, room))).astype(np.int64)
    when_d[len(r):] += delay.astype("timedelta64[s]")
    order = np.argsort(when_d, kind="stable")
    rows, when_d = rows[order], when_d[order]
    level_t, blank_lt = level_d[order].T.copy(), blank_l[rows].T.copy()
    imp_t, blank_it = imp[rows].T.copy(), blank_i[rows].T.copy()
    data: dict[str, Any] = {"pegawai_id": _cat(r[rows], ids), "waktu_isi": pd.Series(when_d)}
    for k, code in enumerate(_CODES):
        data[f"level_{code}"] = _int_na(level_t[k], blank_lt[k])
    for k, code in enumerate(_CODES):
        data[f"penting_{code}"] = _int_na(imp_t[k], blank_it[k])
    data["bentuk_diminati"] = _cat(bentuk[rows], forms_all, bentuk_blank[rows])
    data["kebutuhan_lain"] = _cat(text_idx[rows], text_pool, text_blank[rows])
    self_df = pd.DataFrame(data)

    # supervisor ratings for ~70 % of respondents
    a = r[rng.random(len(r)) < 0.70]
    jenis = pop["jenis"]
    up = np.select([jenis == J_ADM, jenis == J_PGW], [J_JPT, J_ADM], J_PGW)
    sup = np.full(n, -1, dtype=np.int64)
    for level_j in (J_JPT, J_ADM, J_PGW):
        cand = np.flatnonzero(jenis == level_j)
        who = np.flatnonzero(up == level_j)
        sup[who] = _pick_from_groups(rng, unit[who], cand, unit[cand], _U)
    fallback = _pick_from_groups(rng, unit, np.flatnonzero(jenis == J_JPT), unit[jenis == J_JPT], _U)
    sup = np.where(sup < 0, fallback, sup)
    sup[jenis == J_JPT] = -1  # heads of units are rated by the regional secretary, outside this form
    s_std = _JAB.std[pop["jab"][a]]
    s_level = _answers(rng, np.nan_to_num(pop["t"][a]), -0.17, _RATING_SD)
    s_blank = np.isnan(s_std) | (rng.random(s_level.shape, dtype=np.float32) < 0.02)
    s_when = _timestamps(rng, year - 1, "08-15", len(a), 45)
    order = np.argsort(s_when, kind="stable")
    a, s_level, s_blank, s_when = a[order], s_level[order], s_blank[order], s_when[order]
    sdata: dict[str, Any] = {
        "pegawai_id": _cat(a, ids),
        "atasan_id": _cat(np.maximum(sup[a], 0), ids, sup[a] < 0),
        "waktu_isi": pd.Series(s_when),
    }
    s_level, s_blank = s_level.T.copy(), s_blank.T.copy()
    for k, code in enumerate(_CODES):
        sdata[f"level_{code}"] = _int_na(s_level[k], s_blank[k])
    return self_df, pd.DataFrame(sdata)


def _katalog() -> pd.DataFrame:
    rows = _CATALOGUE
    return pd.DataFrame({
        "program_id": _str([r[0] for r in rows]),
        "nama_program": _str([r[1] for r in rows]),
        "bentuk": _str([r[2] for r in rows]),
        "jalur": _str([BENTUK[r[2]] for r in rows]),
        "kode_kompetensi": _str([r[3] for r in rows]),
        "jp": pd.Series([np.nan if r[4] is None else float(r[4]) for r in rows], dtype=float),
        "hari": pd.Series([np.nan if r[5] is None else float(r[5]) for r in rows], dtype=float),
        "cakupan": _str([r[6] for r in rows]),
        "biaya_per_peserta": np.array([r[7] for r in rows], dtype=np.int64),
        "kapasitas_per_sesi": np.array([r[8] for r in rows], dtype=np.int64),
        "penyelenggara": _str([r[9] for r in rows]),
        "bulan_tersedia": _blank_str(np.array([r[10] for r in rows]), np.array([r[10] == "" for r in rows])),
        "sumber_dana": _str([r[11] for r in rows]),
        "kesesuaian_kurikulum": _str(["sesuai" if r[2] in ("pelatihan_kepemimpinan", "latsar", "pelatihan_fungsional")
                                      or r[9] in ("LAN", "BPSDM Provinsi", "LKPP", "Pusdiklatwas BPKP")
                                      else "perlu verifikasi" for r in rows]),
    })


def _anggaran(n: int) -> pd.DataFrame:
    apbd = int(round(n * 1_750_000, -6))
    blud = int(round(n * 100_000, -6))
    return pd.DataFrame({
        "sumber_dana": _str(["APBD", "BLUD"]),
        "kode_unit": _blank_str(np.array(["", "RSUD"]), np.array([True, False])),
        "pagu": np.array([apbd, blud], dtype=np.int64),
    })


def _evaluations(rng: np.random.Generator, part: dict[str, np.ndarray], ids: pa.Array,
                 year: int) -> dict[str, pd.DataFrame]:
    sel = part["prog"] >= 0
    emp, prog, date = part["emp"][sel], part["prog"][sel], part["date"][sel]
    month = part["month"][sel]
    bentuk = _PROG_BENTUK
    quality = rng.normal(0, 0.3, _NPROG)
    quality[_NO_GAIN[0]] -= 0.5
    # L1: ~60 % of participants answer
    m1 = rng.random(len(emp)) < 0.6
    e1, p1 = emp[m1], prog[m1]
    o1 = np.lexsort((e1, p1))
    e1, p1 = e1[o1], p1[o1]
    items = {}
    tot = np.zeros(len(e1))
    for i in range(1, 7):
        v = np.clip(np.rint(3.2 + quality[p1] + rng.normal(0, 0.55, len(e1))), 1, 4)
        items[f"fas_{i}"] = v.astype(np.int64)
        tot += v
    org = rng.normal(0, 0.3, _NPROG)
    for i in range(1, 6):
        v = np.clip(np.rint(3.0 + org[p1] + rng.normal(0, 0.6, len(e1))), 1, 4)
        items[f"pen_{i}"] = v.astype(np.int64)
        tot += v
    mean = tot / 11
    rek = (rng.random(len(e1)) >= np.clip(mean - 2.2, 0.05, 0.97)).astype(np.int64)  # 0 ya, 1 tidak
    com = _l1_comments(rng, p1, mean)
    named = np.isin(np.array([r[9] for r in _CATALOGUE])[p1], ["Internal BKPSDM"])
    l1 = pd.DataFrame({"program_id": _cat(p1, _PID), "responden_id": _cat(e1, ids, ~named), **items,
                       "rekomendasi": _cat(rek, ["ya", "tidak"]),
                       "komentar": _cat(np.maximum(com, 0), _L1_COMMENTS, com < 0)})

    # L2: pre/post for tested forms
    m2 = np.isin(bentuk[prog], list(_TESTED))
    e2, p2 = emp[m2], prog[m2]
    o2 = np.lexsort((e2, p2))
    e2, p2 = e2[o2], p2[o2]
    # Individual change = programme mean + person-level noise of comparable size: the standardised
    # mean change g_z = mean / sd is about 0.35–1.1 (the programme with most participants ~1.2).
    counts = np.bincount(p2, minlength=_NPROG)
    regular = ~np.isin(np.arange(_NPROG), _NO_GAIN + _CEILING)
    d_prog = rng.uniform(0.35, 1.1, _NPROG)
    d_prog[int(np.argmax(np.where(regular, counts, -1)))] = 1.25
    sd_prog = rng.uniform(7.0, 11.0, _NPROG)
    ceil = np.isin(p2, _CEILING)
    nogain = np.isin(p2, _NO_GAIN)
    pre = np.where(ceil, rng.normal(88, 5, len(e2)), rng.normal(55, 12, len(e2)))
    pre = np.clip(np.rint(pre), 10, 100)
    change = d_prog[p2] * sd_prog[p2] + sd_prog[p2] * rng.standard_normal(len(e2))
    post = np.where(nogain, pre + rng.normal(0.5, 6, len(e2)),
                    np.where(ceil, pre + rng.normal(3, 4, len(e2)), pre + change))
    post = np.clip(np.rint(post), 0, 100)
    post[rng.random(len(e2)) < 0.04] = np.nan
    l2 = pd.DataFrame({"pegawai_id": _cat(e2, ids), "program_id": _cat(p2, _PID), "skor_pre": pre.astype(float),
                       "skor_post": post, "skor_maks": np.full(len(e2), 100.0)})

    # L3: supervisor ratings before/after; programmes starting after June are still pending
    m3 = np.isin(bentuk[prog], list(_L3_BENTUK)) & (rng.random(len(emp)) < 0.35)
    e3, p3, d3, mo3 = emp[m3], prog[m3], date[m3], month[m3]
    o3 = np.lexsort((e3, p3))
    e3, p3, d3, mo3 = e3[o3], p3[o3], d3[o3], mo3[o3]
    rows = []
    effect = np.where(np.isin(np.arange(_NPROG), _NO_GAIN), 0.0, rng.uniform(0.4, 0.9, _NPROG))
    rater = (rng.random(len(e3)) >= 0.85).astype(np.int64)  # 0 atasan, 1 rekan
    for s in range(2):  # two indicators per programme (its first two competencies, or one twice)
        c = _PROG_COMP[p3, min(s, 2)]
        c = np.where(c < 0, _PROG_COMP[p3, 0], c)
        ind = c
        before = np.clip(np.rint(2.6 + rng.normal(0, 0.7, len(e3))), 1, 5)
        after = np.clip(np.rint(before + effect[p3] + rng.normal(0, 0.6, len(e3))), 1, 5)
        bd = d3 - rng.integers(3, 11, len(e3)).astype("timedelta64[D]")
        ad = d3 + rng.integers(90, 151, len(e3)).astype("timedelta64[D]")
        rows.append((e3, p3, rater, 0, bd, ind, before, np.ones(len(e3), bool)))
        rows.append((e3, p3, rater, 1, ad, ind, after, mo3 <= 6))
    l3 = pd.DataFrame({
        "pegawai_id": _cat(np.concatenate([r_[0][r_[7]] for r_ in rows]), ids),
        "program_id": _cat(np.concatenate([r_[1][r_[7]] for r_ in rows]), _PID),
        "peran_penilai": _cat(np.concatenate([r_[2][r_[7]] for r_ in rows]), ["atasan", "rekan"]),
        "tahap": _cat(np.concatenate([np.full(r_[7].sum(), r_[3]) for r_ in rows]), ["sebelum", "sesudah"]),
        "tanggal": _as_ts(np.concatenate([r_[4][r_[7]] for r_ in rows])),
        "indikator": _cat(np.concatenate([r_[5][r_[7]] for r_ in rows]), [_INDICATOR[x] for x in _CODES]),
        "rating": np.concatenate([r_[6][r_[7]] for r_ in rows]).astype(float),
    })

    wawancara = _interviews(rng, p3, mo3, year)
    butir = _butir(rng, e2, p2, pre, post, ids)
    return {"evaluasi_l1": l1, "evaluasi_l2": l2, "evaluasi_l2_butir": butir, "evaluasi_l3": l3,
            "wawancara": wawancara}


def _l1_comments(rng: np.random.Generator, prog: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Index into :data:`_L1_COMMENTS` per L1 answer (−1 blank): about 35 % comment; positive
    wordings when the mean item score is at least 3, else critical ones; a few say nothing or fit no
    theme; the comments with FAKE identifiers are planted in the largest programmes."""
    n = len(prog)
    npos, nneg, nemp, noth = len(_L1_POS), len(_L1_NEG), len(_L1_EMPTY), len(_L1_OTHER)
    kind = _categorical(rng, np.tile([0.88, 0.08, 0.04], (n, 1)))  # themed, says nothing, no theme
    pos = mean >= 3.0
    themed = np.where(pos, rng.integers(0, npos, n), npos + rng.integers(0, nneg, n))
    com = np.select([kind == 0, kind == 1],
                    [themed, npos + nneg + rng.integers(0, nemp, n)],
                    npos + nneg + nemp + rng.integers(0, noth, n))
    com = np.where(rng.random(n) < 0.35, com, -1)
    first_fake = npos + nneg + nemp + noth
    sizes = np.bincount(prog, minlength=_NPROG)
    ranked = np.argsort(-sizes, kind="stable")
    for j, (_, times, rank) in enumerate(_L1_FAKE):
        rows = np.flatnonzero(prog == ranked[rank])
        rows = rows[~np.isin(com[rows], np.arange(first_fake, len(_L1_COMMENTS)))]
        com[rng.permutation(rows)[:times]] = first_fake + j
    return com


def _interviews(rng: np.random.Generator, p3: np.ndarray, mo3: np.ndarray, year: int) -> pd.DataFrame:
    """Coded interview records: 8–10 per programme for three programmes with completed L3 and a
    real gain and one without, each a one- to three-sentence summary of its code."""
    done, n_done = np.unique(p3[mo3 <= 6], return_counts=True)
    order = np.argsort(-n_done, kind="stable")
    done = done[order]
    gain = done[~np.isin(done, _NO_GAIN)][:3]
    chosen = np.concatenate([gain, done[np.isin(done, _NO_GAIN)][:1]])
    n_int = rng.integers(8, 11, len(chosen))
    ip = np.repeat(chosen, n_int)
    roles = np.array(["peserta", "atasan", "rekan"])[_categorical(rng, np.tile([0.5, 0.35, 0.15], (len(ip), 1)))]
    mix = np.where(np.isin(ip, _NO_GAIN)[:, None], _INTERVIEW_MIX["none"][None, :], _INTERVIEW_MIX["gain"][None, :])
    th = _categorical(rng, mix)
    variant = np.floor(rng.random(len(ip)) * np.array([len(_THEMES[_THEME_CODES[t]]) for t in th])).astype(np.int64)
    idate = np.datetime64(f"{year}-10-01") + rng.integers(0, 45, len(ip)).astype("timedelta64[D]")
    return pd.DataFrame({
        "program_id": _cat(ip, _PID), "peran": _str(roles), "tanggal": _as_ts(idate),
        "tema": _str(np.array(_THEME_CODES)[th]),
        "ringkasan": _str([_THEMES[_THEME_CODES[t]][v] for t, v in zip(th, variant, strict=True)]),
    })


def _item_scores(rng: np.random.Generator, total: np.ndarray, difficulty: np.ndarray) -> np.ndarray:
    """Integer item scores (0…``_ITEM_MAX`` each) summing exactly to ``total`` per row.

    Expected item scores follow a logistic item-response curve of the person's ability (the logit
    of the total's share of the maximum) minus the item difficulty, plus person × item noise; they
    are rescaled to the total with a cap per item (water filling) and rounded by largest remainder.
    """
    n, k = len(total), len(difficulty)
    share = np.clip(total / (k * _ITEM_MAX), 0.02, 0.98)
    theta = np.log(share / (1 - share))
    e = _ITEM_MAX / (1 + np.exp(-(theta[:, None] - difficulty[None, :] + rng.normal(0, 0.9, (n, k)))))
    t = total.astype(float)
    for _ in range(50):  # water filling: scale the uncapped items, cap at the maximum
        capped = e >= _ITEM_MAX
        room = t - _ITEM_MAX * capped.sum(axis=1)
        free = np.where(capped, 0.0, e).sum(axis=1)
        scale = np.divide(room, free, out=np.zeros(n), where=free > 0)
        e = np.where(capped, _ITEM_MAX, np.minimum(_ITEM_MAX, e * scale[:, None]))
        if np.allclose(e.sum(axis=1), t):
            break
    e = np.clip(e, 0, _ITEM_MAX)
    base = np.floor(e + 1e-9)
    rest = np.rint(t - base.sum(axis=1)).astype(np.int64)
    order = np.argsort(-(e - base), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(k)[None, :].repeat(n, axis=0), axis=1)
    return base + (rank < rest[:, None])


def _butir(rng: np.random.Generator, emp: np.ndarray, prog: np.ndarray, pre: np.ndarray, post: np.ndarray,
           ids: pa.Array) -> pd.DataFrame:
    """Item scores of the pre/post tests of up to three programmes (one with a real gain, one without,
    one with a ceiling effect: the largest of each kind), consistent with ``skor_pre``/``skor_post``."""
    counts = np.bincount(prog, minlength=_NPROG)
    kinds = [np.isin(np.arange(_NPROG), _CEILING), np.isin(np.arange(_NPROG), _NO_GAIN)]
    kinds.insert(0, ~kinds[0] & ~kinds[1])
    chosen = [int(np.argmax(np.where(kind, counts, -1))) for kind in kinds]
    chosen = sorted({c for c in chosen if counts[c] >= 2})
    cols: list[np.ndarray] = []
    e_all, p_all, ph_all = [], [], []
    for c in chosen:
        difficulty = rng.normal(0, 0.8, _N_ITEMS)
        m = np.flatnonzero(prog == c)
        for phase, score in ((0, pre), (1, post)):
            ok = m[~np.isnan(score[m])]
            cols.append(_item_scores(rng, score[ok], difficulty))
            e_all.append(emp[ok])
            p_all.append(prog[ok])
            ph_all.append(np.full(len(ok), phase))
    items = np.concatenate(cols) if cols else np.zeros((0, _N_ITEMS))
    e = np.concatenate(e_all).astype(np.int64) if e_all else np.zeros(0, np.int64)
    p = np.concatenate(p_all).astype(np.int64) if p_all else np.zeros(0, np.int64)
    ph = np.concatenate(ph_all).astype(np.int64) if ph_all else np.zeros(0, np.int64)
    order = np.lexsort((ph, e, p))
    data: dict[str, Any] = {"pegawai_id": _cat(e[order], ids), "program_id": _cat(p[order], _PID),
                            "tahap": _cat(ph[order], ["pre", "post"])}
    for i in range(_N_ITEMS):
        data[f"butir_{i + 1}"] = items[order, i].astype(float)
    return pd.DataFrame(data)


def _indikator(rng: np.random.Generator, part: dict[str, np.ndarray]) -> pd.DataFrame:
    """Unit indicators before/after: shared indicators with a planted effect of training (for
    difference in differences) and unit-specific ones."""
    trained = set(np.unique(part["prog"][part["prog"] >= 0]).tolist())
    codes = [u.code for u in UNITS]
    rows = []
    for name, arah, mu, sd, dec, prog, units, share in _SHARED_INDICATORS:
        members = list(units) if units is not None else codes
        n_tr = len(members) if share >= 1 else int(round(share * len(members)))
        tr = set(np.array(members)[rng.permutation(len(members))[:n_tr]].tolist())
        sign = 1.0 if arah == "naik" else -1.0
        for code in members:
            before = max(rng.normal(mu, sd), 0.0)
            change = sign * (L4_TREND + L4_EFFECT * (code in tr)) + rng.normal(0, L4_NOISE_SD)
            after = max(before + change, 0.0)
            for per, val in (("sebelum", before), ("sesudah", after)):
                rows.append((code, name, per, round(float(val), dec), arah, prog if code in tr else ""))
    for code, inds in _UNIT_INDICATORS.items():
        for name, arah, base, prog in inds:
            linked = prog != "" and _PRG[prog] in trained
            sign = 1 if arah == "naik" else -1
            change = (0.06 if linked else 0.005) * abs(base) * (1 + rng.normal(0, 0.4))
            after = base + sign * change + rng.normal(0, 0.01 * abs(base))
            dec = 2 if abs(base) < 10 else 1
            for per, val in (("sebelum", base), ("sesudah", after)):
                rows.append((code, name, per, round(float(val), dec), arah, prog if linked else ""))
    df = pd.DataFrame(rows, columns=["kode_unit", "indikator", "periode", "nilai", "arah_baik", "program_id"])
    order = {c: i for i, c in enumerate(codes)} | {"sebelum": 0, "sesudah": 1}
    df = df.sort_values(["kode_unit", "indikator", "periode"], kind="stable",
                        key=lambda c: c.map(order) if c.name != "indikator" else c)
    df = df.reset_index(drop=True)
    for c in ("kode_unit", "indikator", "periode", "arah_baik"):
        df[c] = df[c].astype("str")
    df["program_id"] = _blank_str(df["program_id"].to_numpy(dtype=str), (df["program_id"] == "").to_numpy())
    return df


#: Hourly value of staff time used for participants' time and hours saved (an assumption of the sample).
ROI_HOUR_VALUE = 60_000
#: Phillips ROI study of three programmes of Y−1: (program_id, design cost, benefit measures).
#: A measure is (ukuran, change per participant, isolasi, isolation values per participant or shares,
#: note); conversions are in :data:`ROI_CONVERSIONS`; "Kepuasan pasien (indeks)" has none (intangible).
ROI_PROGRAMMES: list[tuple[str, int, list[tuple]]] = [
    ("PRG-012", 5_000_000, [
        ("Jam kerja yang dihemat", 200, "estimasi", {"kontribusi": 0.6, "keyakinan": 0.75},
         "estimasi peserta dan atasan 3 bulan setelah pelatihan (layanan dan naskah elektronik)"),
        ("Kertas dan tinta cetak", 6, "tren", {"proyeksi_tren": 2},
         "pemakaian kertas unit peserta; tren 3 tahun sebelum pelatihan"),
    ]),
    ("PRG-011", 15_000_000, [
        ("Insiden keselamatan pasien", 1 / 2, "pembanding", {"perubahan_pembanding": 1 / 7},
         "laporan insiden RSUD: ruangan peserta dibanding ruangan lain"),
        ("Kepuasan pasien (indeks)", None, "", {},
         "survei kepuasan pasien RSUD naik 4,2 poin; tidak dirupiahkan"),
    ]),
    ("PRG-005", 15_000_000, [
        ("Pengaduan masyarakat", 3, "estimasi", {"kontribusi": 0.4, "keyakinan": 0.6},
         "estimasi atasan langsung; pengaduan yang tidak terjadi lagi per tahun"),
    ]),
]
#: (ukuran, satuan, Rp per satuan, sumber) — the sample's conversion table.
ROI_CONVERSIONS: list[tuple[str, str, int, str]] = [
    ("Jam kerja yang dihemat", "jam", ROI_HOUR_VALUE, "rata-rata gaji dan tunjangan per jam kerja efektif (asumsi contoh)"),
    ("Kertas dan tinta cetak", "rim", 55_000, "standar harga satuan kertas A4 dan tinta (asumsi contoh)"),
    ("Insiden keselamatan pasien", "insiden", 25_000_000, "biaya perawatan tambahan per insiden, data keuangan RSUD (asumsi contoh)"),
    ("Pengaduan masyarakat", "pengaduan", 750_000, "waktu petugas dan pimpinan menangani satu pengaduan (asumsi contoh)"),
]


def _rp(x: float) -> str:
    return "Rp " + f"{int(round(x)):,}".replace(",", ".")


def _roi_tables(part: dict[str, np.ndarray]) -> dict[str, pd.DataFrame]:
    """A Phillips ROI study of three of last year's programmes, from their participation (no random draw).

    Costs are fully loaded: needs analysis, design, delivery (participants × catalogue cost),
    participants' time (JP × 45 min × :data:`ROI_HOUR_VALUE`), evaluation and overhead (5 % of
    delivery). Benefits scale with the number of participants; one measure per isolation method
    (estimate × confidence, trend line, comparison group) and one intangible measure.
    """
    counts = np.bincount(part["prog"][part["prog"] >= 0], minlength=_NPROG)
    cost_rows, ben_rows = [], []
    for pid, design, measures in ROI_PROGRAMMES:
        row = _CATALOGUE[_PRG[pid]]
        n = int(counts[_PRG[pid]])
        hours = _effective_jp(row) * 45 / 60
        delivery = n * row[7]
        for komp, biaya, note in (
                ("analisis_kebutuhan", 12_500_000, "porsi biaya AKPK untuk program ini"),
                ("desain", design, "penyusunan atau penyesuaian materi"),
                ("penyelenggaraan", delivery, f"{n} peserta × {_rp(row[7])}"),
                ("waktu_peserta", n * hours * ROI_HOUR_VALUE,
                 f"{n} peserta × {hours:g} jam × {_rp(ROI_HOUR_VALUE)}".replace(".", ",", int(hours % 1 > 0))),
                ("evaluasi", 10_000_000, "studi ROI dan evaluasi level 3–4"),
                ("overhead", delivery * 5 // 100, "5 % biaya penyelenggaraan (administrasi BKPSDM)")):
            cost_rows.append((pid, komp, int(round(biaya)), note))
        for ukuran, per, iso, vals, note in measures:
            rec = {"program_id": pid, "ukuran": ukuran, "perubahan": np.nan, "isolasi": iso or None,
                   "perubahan_pembanding": np.nan, "proyeksi_tren": np.nan, "kontribusi": np.nan,
                   "keyakinan": np.nan, "keterangan": note}
            if per is None:
                rec["perubahan"] = 4.2
            else:
                rec["perubahan"] = float(int(n * per))
                for k, v in vals.items():
                    rec[k] = float(int(n * v)) if k in ("perubahan_pembanding", "proyeksi_tren") else float(v)
            ben_rows.append(rec)
    biaya = pd.DataFrame(cost_rows, columns=["program_id", "komponen", "biaya", "keterangan"])
    biaya["biaya"] = biaya["biaya"].astype(np.int64)
    manfaat = pd.DataFrame(ben_rows)
    konversi = pd.DataFrame(ROI_CONVERSIONS, columns=["ukuran", "satuan", "nilai_per_satuan", "sumber"])
    for df in (biaya, manfaat, konversi):
        for c in df.columns:
            if df[c].dtype == object:
                df[c] = df[c].astype("str") if df[c].notna().all() else df[c].astype("str").mask(df[c].isna())
    return {"roi_biaya": biaya, "roi_manfaat": manfaat, "roi_konversi": konversi}


def _year_tables(rng: np.random.Generator, pop: dict[str, np.ndarray], plan_year: int, width: int) -> dict[str, Any]:
    ids = _ids(pop["id"], width)
    last = plan_year - 1
    out: dict[str, Any] = {}
    out["pegawai"] = _pegawai(rng, pop, ids)
    out["kamus_kompetensi"] = _kamus()
    out["standar_kompetensi"] = _standar()
    out["hasil_asesmen"] = _asesmen(rng, pop, ids, plan_year)
    part = _participation(rng, pop, last)
    _apply_training(rng, pop, part)
    out["survei_pegawai"], out["survei_atasan"] = _survey(rng, pop, ids, plan_year)
    out["katalog_program"] = _katalog()
    out["anggaran"] = _anggaran(len(ids))
    out["realisasi_pengembangan"] = _realisasi(part, ids)
    out.update(_evaluations(rng, part, ids, last))
    out["indikator_unit"] = _indikator(rng, part)
    out.update(_roi_tables(part))  # no random draw: the other tables stay byte-identical
    out = {name: out[name] for name in TABLES if name in out}
    out["instansi"] = {"nama_instansi": NAMA_INSTANSI, "jenis_instansi": "kabupaten", "tahun_rencana": int(plan_year)}
    return out


def _check_params(n_employees: Any, seed: Any, plan_year: Any, years: Any) -> None:
    def bad(name: str, value: Any, exp_id: str, exp_en: str) -> SettingsError:
        return SettingsError(f"parameter {name} tidak sah: {value!r} (harus {exp_id})",
                             f"invalid parameter {name}: {value!r} (must be {exp_en})",
                             column=name, value=value, expected=exp_en)

    if isinstance(n_employees, bool) or not isinstance(n_employees, (int, np.integer)) or n_employees < MIN_EMPLOYEES:
        raise bad("n_employees", n_employees, f"bilangan bulat ≥ {MIN_EMPLOYEES}", f"an integer ≥ {MIN_EMPLOYEES}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise bad("seed", seed, "bilangan bulat ≥ 0", "an integer ≥ 0")
    if isinstance(plan_year, bool) or not isinstance(plan_year, (int, np.integer)) or not 2000 <= plan_year <= 2100:
        raise bad("plan_year", plan_year, "tahun 2000–2100", "a year 2000–2100")
    if years not in (1, 2) or isinstance(years, bool):
        raise bad("years", years, "1 atau 2", "1 or 2")


def generate_agency(n_employees: int = 1200, *, seed: int = 0, plan_year: int = 2027,
                    years: int = 1) -> dict[Any, Any]:
    """Generate the input tables of a synthetic kabupaten.

    Parameters
    ----------
    n_employees : int, default=1200
        Number of employees in the (first) year; at least 100. Seven of them form the tiny unit
        ``KESBANGPOL``, whatever ``n_employees`` is.
    seed : int, default=0
        Seed of the :class:`numpy.random.Generator`; the same seed gives identical tables.
    plan_year : int, default=2027
        Plan year Y (``tahun_rencana``): survey and standards for Y, participation and
        evaluation describing Y−1.
    years : {1, 2}, default=1
        ``2`` gives two consecutive years (Y−1 and Y) of the same agency: about 5 % retire,
        about 5 % new CPNS join, ``pegawai_id`` stays the same for everyone else. Participation
        in the second year targets the largest gaps of the first year's survey, and those trained
        before the survey report higher levels.

    Returns
    -------
    dict
        For ``years=1``: table name → :class:`pandas.DataFrame` for every table of
        :data:`workbook.core.schema.TABLES` (canonical Indonesian column names), plus ``"instansi"``:
        the dict written to ``instansi.yaml``. For ``years=2``: ``{Y-1: {...}, Y: {...}}``.

    Raises
    ------
    SettingsError
        If a parameter is out of range.

    Notes
    -----
    The planted need profiles, the standard-level ladder and the other planted features are
    described in the module docstring; the data are entirely synthetic (no real names or NIP).

    Examples
    --------
    >>> tables = generate_agency(200, seed=1)
    >>> sorted(tables)[:3]
    ['anggaran', 'evaluasi_l1', 'evaluasi_l2']
    >>> tables["instansi"]["tahun_rencana"]
    2027
    """
    return _generate(n_employees, seed, plan_year, years)[0]


def _generate(n_employees: Any, seed: Any, plan_year: Any,
              years: Any) -> tuple[dict[Any, Any], dict[int, pd.DataFrame]]:
    """The tables (as :func:`generate_agency` returns them) and the planted profile per year."""
    _check_params(n_employees, seed, plan_year, years)
    rng = np.random.default_rng(int(seed))
    n = int(n_employees)
    width = max(6, len(str(int(round(n * 1.06)) + 1)))
    first_year = plan_year - years + 1
    pop = _new_population(rng, n, first_year - 1)
    result: dict[int, dict[str, Any]] = {}
    truth: dict[int, pd.DataFrame] = {}
    names = list(PROFILES)
    for y in range(first_year, plan_year + 1):
        if y > first_year:
            pop = _evolve(rng, pop, y - 1)
        result[y] = _year_tables(rng, pop, y, width)
        truth[y] = pd.DataFrame({"pegawai_id": _cat(np.arange(len(pop["id"])), _ids(pop["id"], width)),
                                 "profil": _cat(pop["profile"], names)})
    return (result[plan_year] if years == 1 else result), truth


def planted_profiles(n_employees: int = 1200, *, seed: int = 0, plan_year: int = 2027,
                     years: int = 1) -> pd.DataFrame | dict[int, pd.DataFrame]:
    """The planted need profile of every employee of :func:`generate_agency` with the same arguments.

    The ground truth for checking that the profile analysis recovers the planted structure. It is
    deliberately *not* part of the generated tables (real data have no such column) and is never
    written by :func:`write_agency`.

    Parameters
    ----------
    n_employees, seed, plan_year, years
        As in :func:`generate_agency`.

    Returns
    -------
    DataFrame or dict
        ``pegawai_id`` and ``profil`` (one of :data:`PROFILES`: ``digital``, ``manajerial``,
        ``pelayanan``, ``tanpa_kesenjangan``) for every employee of the plan year; for
        ``years=2`` a dict year → DataFrame.

    Raises
    ------
    SettingsError
        If a parameter is out of range.

    Examples
    --------
    >>> truth = planted_profiles(200, seed=1)
    >>> sorted(truth["profil"].unique())[:2]
    ['digital', 'manajerial']
    """
    truth = _generate(n_employees, seed, plan_year, years)[1]
    return truth[int(plan_year)] if years == 1 else truth


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _for_file(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Dates as ISO text (date or date-time per the schema); everything else unchanged."""
    out = df.copy()
    tbl = TABLES[name]
    for c in tbl.columns:
        if c.name in out.columns and c.dtype in ("date", "datetime"):
            fmt = "%Y-%m-%d" if c.dtype == "date" else "%Y-%m-%d %H:%M:%S"
            out[c.name] = out[c.name].dt.strftime(fmt)
    return out


def _umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux ``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:  # pragma: no cover - not Linux
        pass
    mask = os.umask(0o022)  # pragma: no cover
    os.umask(mask)  # pragma: no cover
    return mask  # pragma: no cover


def _atomic_write(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_year(tables: dict[str, Any], folder: Path, fmt: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        if name not in tables:  # optional tables the sample does not include
            continue
        df = tables[name]
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            data = _for_file(df, name).to_csv(index=False, sep=",", decimal=".", lineterminator="\n")
            _atomic_write(path, lambda p, d=data: p.write_text(d, encoding="utf-8"))
        elif fmt == "xlsx":
            d = _for_file(df, name)
            _atomic_write(path, lambda p, d=d, n=name: d.to_excel(p, sheet_name=n[:31], index=False, engine="openpyxl"))
        else:
            _atomic_write(path, lambda p, d=df: d.to_parquet(p, index=False))
        written.append(path)
    text = ("# Data sintetis dari workbook.sample — bukan data instansi nyata.\n"
            "# Synthetic data from workbook.sample — not a real agency.\n"
            + yaml.safe_dump(tables["instansi"], allow_unicode=True, sort_keys=False))
    path = folder / "instansi.yaml"
    _atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    written.append(path)
    return written


def write_agency(out_dir: str | os.PathLike[str], n_employees: int = 1200, *, seed: int = 0,
                 plan_year: int = 2027, years: int = 1, fmt: str = "csv",
                 overwrite: bool = False) -> list[Path]:
    """Generate a synthetic agency and write it as an input folder.

    Parameters
    ----------
    out_dir : path
        Target folder; created if missing. For ``years=2`` the years go to ``out_dir/<year>/``.
    n_employees, seed, plan_year, years
        As in :func:`generate_agency`.
    fmt : {"csv", "xlsx", "parquet"}, default="csv"
        File format. CSV is UTF-8 with ``,`` as separator, ``.`` as decimal mark and ISO dates.
    overwrite : bool, default=False
        Write into a non-empty folder (files of the same name are replaced).

    Returns
    -------
    list of Path
        The files written, in table order, ``instansi.yaml`` last (per year).

    Raises
    ------
    WorkbookError
        If ``out_dir`` exists and is not empty and ``overwrite`` is False, or is not a folder.
    SettingsError
        If a parameter is out of range.
    """
    if fmt not in ("csv", "xlsx", "parquet"):
        raise SettingsError(f"format tidak dikenal: {fmt!r} (csv, xlsx atau parquet)",
                            f"unknown format: {fmt!r} (csv, xlsx or parquet)", value=fmt,
                            expected="csv, xlsx, parquet")
    _check_params(n_employees, seed, plan_year, years)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise WorkbookError("bukan folder", "not a folder", file=str(out))
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise WorkbookError(
            "folder tidak kosong; pilih folder lain atau gunakan overwrite=True (--overwrite)",
            "folder is not empty; choose another folder or use overwrite=True (--overwrite)",
            file=str(out), expected="an empty or new folder")
    tables = generate_agency(n_employees, seed=seed, plan_year=plan_year, years=years)
    if years == 1:
        return _write_year(tables, out, fmt)
    written: list[Path] = []
    for y, t in tables.items():
        written += _write_year(t, out / str(y), fmt)
    return written


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


def main(argv: list[str] | None = None) -> int:
    """``workbook sample``: write a synthetic agency folder.

    ``workbook sample --employees N --seed S --out DIR [--years 2] [--plan-year Y]
    [--format csv|xlsx|parquet] [--overwrite] [--lang id|en]``
    """
    p = argparse.ArgumentParser(
        prog="workbook sample",
        description="Membuat data instansi sintetis (Pemerintah Kabupaten Contoh) / "
                    "write a synthetic agency (Pemerintah Kabupaten Contoh).")
    p.add_argument("--employees", type=int, default=1200, help="jumlah pegawai / number of employees")
    p.add_argument("--seed", type=int, default=0, help="seed acak / random seed")
    p.add_argument("--out", required=True, help="folder tujuan / output folder")
    p.add_argument("--years", type=int, choices=(1, 2), default=1, help="1 atau 2 tahun / 1 or 2 years")
    p.add_argument("--plan-year", type=int, default=2027, help="tahun rencana / plan year")
    p.add_argument("--format", choices=("csv", "xlsx", "parquet"), default="csv", help="format berkas / file format")
    p.add_argument("--overwrite", action="store_true", help="timpa folder yang tidak kosong / overwrite a non-empty folder")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa pesan / message language")
    a = p.parse_args(argv)
    try:
        paths = write_agency(a.out, a.employees, seed=a.seed, plan_year=a.plan_year, years=a.years,
                             fmt=a.format, overwrite=a.overwrite)
    except WorkbookError as err:
        print(err.message(a.lang), file=sys.stderr)
        return 2
    if a.lang == "en":
        print(f"Wrote {len(paths)} files for {NAMA_INSTANSI} (synthetic; {a.employees} employees, "
              f"seed {a.seed}, plan year {a.plan_year}) to {a.out}:")
    else:
        print(f"Menulis {len(paths)} berkas {NAMA_INSTANSI} (sintetis; {a.employees} pegawai, "
              f"seed {a.seed}, tahun rencana {a.plan_year}) ke {a.out}:")
    for path in paths:
        print(f"  {path}  ({_size(path.stat().st_size)})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
