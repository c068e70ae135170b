"""Data contracts: the tables an agency brings, column by column.

One :class:`Table` per input file. Each column has a type, whether it is required, its allowed
values or range, an example, and Indonesian and English descriptions; the canonical column name
is Indonesian and an English alias is accepted on input (``employee_id`` → ``pegawai_id``).
``docs/data.md`` is generated from these definitions (``python -m workbook.core.schema > docs/data.md``),
so the documentation cannot drift from the code.

Wide tables (survey forms, L1 questionnaires) have *pattern* columns such as ``level_<KODE>``, one
per competency code in the competency dictionary.

Problem codes (:data:`PROBLEM_CODES`) are the stable identifiers used by the validation report,
by ``data_samples/messy/MANIFEST.csv`` and by the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "Column", "Table", "TABLES", "PROBLEM_CODES", "GOLONGAN", "JENIS_JABATAN", "STATUS",
    "PREDIKAT", "BENTUK", "JALUR", "KELOMPOK_USIA", "ROI_TABLES", "ROI_REQUIRED", "ISOLASI", "table", "data_md",
    "TABLE_EXTENSIONS", "find_table_file",
    "WAJIB", "STATUS_AKTIF", "JENIS_PROGRAM", "STATUS_RIWAYAT", "PEMICU_JF", "KOMPONEN_BIAYA", "PEMBAYAR",
    "PERSON_TABLES",
]

GOLONGAN = [f"{g}/{r}" for g in ("I", "II", "III") for r in "abcd"] + [f"IV/{r}" for r in "abcde"]
JENIS_JABATAN = ["JPT", "administrator", "pengawas", "pelaksana", "fungsional"]
STATUS = ["CPNS", "PNS", "PPPK"]
PREDIKAT = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
KELOMPOK_USIA = ["<30", "30-39", "40-49", "50+"]
JENIS_KOMPETENSI = ["teknis", "manajerial", "sosial_kultural"]
JALUR = ["klasikal", "nonklasikal"]
# Forms of development (DOMAIN.md §1.7) and their route.
BENTUK = {
    "pelatihan_kepemimpinan": "klasikal",   # PKP, PKA, PKN
    "pelatihan_manajerial": "klasikal",
    "pelatihan_teknis": "klasikal",
    "pelatihan_fungsional": "klasikal",
    "pelatihan_sosial_kultural": "klasikal",
    "latsar": "klasikal",
    "seminar": "klasikal",
    "lokakarya": "klasikal",
    "kursus": "klasikal",
    "penataran": "klasikal",
    "bimtek": "klasikal",
    "sosialisasi": "klasikal",
    "coaching": "nonklasikal",
    "mentoring": "nonklasikal",
    "e_learning": "nonklasikal",
    "pelatihan_jarak_jauh": "nonklasikal",
    "magang": "nonklasikal",
    "detasering": "nonklasikal",
    "patok_banding": "nonklasikal",
    "pertukaran_pegawai": "nonklasikal",
    "belajar_mandiri": "nonklasikal",
    "komunitas_belajar": "nonklasikal",
}

# Issue #17 (mandatory trainings, eligibility, money per budget line): codes of the new optional inputs.
#: mandatory-training codes (``katalog_program.wajib``, ``kesetaraan_pelatihan.wajib``, ``prasyarat``)
WAJIB = ["latsar", "orientasi_pppk", "pkp", "pka", "pkn2", "pkn1", "jf_pembentukan", "jf_penjenjangan"]
#: availability in the plan year (``pegawai.status_aktif``; blank = aktif)
STATUS_AKTIF = ["aktif", "cuti_di_luar_tanggungan_negara", "tugas_belajar", "diberhentikan_sementara",
                "pensiun_tahun_rencana"]
#: kind of programme (``katalog_program.jenis_program``, ``anggaran.jenis_program``)
JENIS_PROGRAM = ["wajib", "kepemimpinan", "teknis", "fungsional", "sosiokultural", "lainnya"]
STATUS_RIWAYAT = ["lulus", "tidak_lulus", "sedang"]
PEMICU_JF = ["pengangkatan_pertama", "kenaikan_jenjang", "perpindahan"]
KOMPONEN_BIAYA = ["kontribusi", "perjalanan_dinas", "paket_meeting", "honorarium", "lainnya"]
PEMBAYAR = ["BKPSDM", "OPD_peserta", "penyelenggara"]

PROBLEM_CODES = {
    # code: (severity, Indonesian, English)
    "missing_file": ("error", "berkas wajib tidak ada", "required file is missing"),
    "unreadable_file": ("error", "berkas tidak dapat dibaca", "file cannot be read"),
    "empty_file": ("error", "berkas kosong", "file is empty"),
    "header_only": ("error", "berkas hanya berisi judul kolom", "file has a header but no rows"),
    "encoding_fallback": ("warning", "berkas bukan UTF-8; dibaca sebagai cp1252", "file is not UTF-8; read as cp1252"),
    "missing_column": ("error", "kolom wajib tidak ada", "required column is missing"),
    "unknown_column": ("warning", "kolom tidak dikenal, diabaikan", "unknown column, ignored"),
    "required_blank": ("error", "nilai wajib kosong", "required value is blank"),
    "blank_answer": ("warning", "jawaban kosong", "blank answer"),
    "not_a_number": ("error", "bukan angka", "not a number"),
    "not_an_integer": ("error", "bukan bilangan bulat", "not a whole number"),
    "not_a_date": ("error", "bukan tanggal", "not a date"),
    "out_of_range": ("error", "di luar rentang", "out of range"),
    "not_allowed": ("error", "nilai tidak diizinkan", "value not allowed"),
    "duplicate_key": ("error", "kunci ganda", "duplicate key"),
    "duplicate_submission": ("warning", "isian ganda; yang terakhir dipakai", "duplicate submission; the latest is kept"),
    "unknown_reference": ("error", "rujukan tidak dikenal", "unknown reference"),
    "invalid_nip": ("error", "NIP tidak sah (harus 18 digit)", "invalid NIP (must be 18 digits)"),
    "score_above_max": ("error", "skor melebihi skor maksimum", "score above the maximum score"),
    "formula_injection": ("warning", "teks diawali tanda rumus; akan di-escape saat ekspor", "text starts like a formula; escaped on export"),
    "inconsistent_value": ("error", "nilai tidak konsisten", "inconsistent value"),
    "too_large": ("error", "berkas terlalu besar", "file too large"),
    "missing_standard": ("warning", "jabatan tidak punya standar kompetensi", "position has no competency standard"),
    "formula_no_value": ("error", "sel berisi rumus tanpa nilai", "cell holds a formula without a value"),
    "nip_date_implausible": ("warning", "tanggal dari NIP tidak masuk akal; dibiarkan kosong",
                             "date derived from the NIP is implausible; left blank"),
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # str, int, float, date, datetime, enum, list, text, rupiah
    required: bool
    desc_id: str
    desc_en: str
    alias: str = ""
    allowed: tuple = ()
    min: float | None = None
    max: float | None = None
    example: str = ""
    pattern: bool = False  # name contains <KODE> / <n>: one column per competency / item
    personal: bool = False  # direct identifier: pseudonymised or dropped on load
    free_text: bool = False  # typed by a person: de-identified on load (workbook.ingest.deidentify)

    def regex(self) -> re.Pattern:
        base = re.escape(self.name).replace(re.escape("<KODE>"), r"(?P<kode>.+)")
        base = base.replace(re.escape("<n>"), r"(?P<n>\d+)")
        return re.compile(f"^{base}$")


@dataclass(frozen=True)
class Table:
    name: str
    alias: str
    title_id: str
    title_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = True
    wide: bool = False
    latest_by: str | None = None  # duplicates on key: keep the latest by this column (warning)
    references: dict[str, tuple[str, str]] = field(default_factory=dict)  # col -> (table, col)
    note_id: str = ""
    note_en: str = ""
    #: optional key parts: part of the key when the file has the column (anggaran: dpa, sub_kegiatan)
    key_optional: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def aliases(self) -> dict[str, str]:
        return {c.alias: c.name for c in self.columns if c.alias}


C = Column
_ID = C("pegawai_id", "str", True, "ID pegawai samaran (bukan NIP)", "pseudonymous employee id (never the NIP)",
        "employee_id", example="P000123")
_KOMP = C("kode_kompetensi", "str", True, "kode kompetensi dari kamus", "competency code from the dictionary",
          "competency_code", example="M.3")
_PROG = C("program_id", "str", True, "kode program dari katalog", "programme id from the catalogue",
          "programme_id", example="PRG-012")

TABLES: dict[str, Table] = {}


def _add(t: Table) -> None:
    TABLES[t.name] = t


_add(Table(
    "pegawai", "employees", "Data pegawai", "Employees",
    (
        C("pegawai_id", "str", True, "ID pegawai samaran; bila hanya ada kolom nip, ID dibuat dari NIP dengan kunci rahasia",
          "pseudonymous employee id; if only nip is given, the id is derived from it with a secret key",
          "employee_id", example="P000123"),
        C("nip", "str", False, "NIP 18 digit (opsional; diganti ID samaran saat dimuat, tidak pernah disimpan)",
          "18-digit NIP (optional; replaced by a pseudonym on load, never stored)", "nip",
          example="198602222012122003", personal=True),
        C("nama", "str", False, "nama pegawai (opsional; dibuang saat dimuat)", "employee name (optional; dropped on load)",
          "name", example="—", personal=True),
        C("kode_unit", "str", True, "kode unit kerja / OPD", "work unit (OPD) code", "unit_code", example="DINKES"),
        C("nama_unit", "str", True, "nama unit kerja / OPD", "work unit name", "unit_name", example="Dinas Kesehatan"),
        C("jabatan", "str", True, "nama jabatan saat ini (kunci ke standar kompetensi)", "current position (key to the job standard)",
          "position", example="Analis Kebijakan Ahli Muda"),
        C("jabatan_target", "str", False, "jabatan yang akan diduduki (bila ada)", "position to be held (if any)",
          "target_position", example="Kepala Bidang Pelayanan"),
        C("jenis_jabatan", "enum", True, "jenis jabatan", "position type", "position_type", tuple(JENIS_JABATAN),
          example="fungsional"),
        C("jenjang", "str", False, "jenjang jabatan (pratama, ahli muda, terampil, …)", "level of the position",
          "position_level", example="ahli muda"),
        C("golongan", "enum", True, "golongan/ruang (PPPK: kosong)", "grade (PPPK: blank)", "grade", tuple(GOLONGAN),
          example="III/c"),
        C("status", "enum", True, "status kepegawaian", "employment status", "status", tuple(STATUS), example="PNS"),
        C("tmt", "date", True, "TMT pengangkatan (CPNS/PPPK)", "appointment start date", "start_date", example="2012-12-01"),
        C("jenis_kelamin", "enum", False, "jenis kelamin", "gender", "gender", ("L", "P"), example="P"),
        C("kelompok_usia", "enum", False, "kelompok usia", "age band", "age_band", tuple(KELOMPOK_USIA), example="30-39"),
        C("skp_target", "float", False, "target kinerja SKP (angka)", "SKP performance target", "skp_target", min=0,
          example="100"),
        C("skp_realisasi", "float", False, "realisasi kinerja SKP", "SKP performance realisation", "skp_actual", min=0,
          example="92.5"),
        C("predikat_kinerja", "enum", False, "predikat kinerja (PermenPANRB 6/2022)", "performance rating",
          "performance_rating", tuple(PREDIKAT), example="Baik"),
        C("skor_potensi", "float", False, "skor potensi 0–100 (opsional)", "potential score 0–100 (optional)",
          "potential_score", min=0, max=100, example="68"),
        C("tanggal_lahir", "date", False, "tanggal lahir (opsional; bila kosong dan nip ada, diambil dari digit 1–8 NIP "
          "sebelum NIP diganti ID samaran; hanya disimpan di restricted/)",
          "date of birth (optional; when blank and nip is given, taken from NIP digits 1–8 before the NIP is "
          "replaced by the pseudonym; stored in restricted/ only)", "birth_date", example="1986-02-22"),
        C("tmt_cpns", "date", False, "TMT CPNS (opsional; bila kosong dan nip ada, diambil dari digit 9–14 NIP, "
          "tanggal 1 bulan itu)", "start date as CPNS (optional; when blank and nip is given, taken from NIP "
          "digits 9–14, first of that month)", "cpns_start_date", example="2012-12-01"),
        C("tmt_jabatan", "date", False, "TMT jabatan saat ini (opsional)", "start date in the current position (optional)",
          "position_start_date", example="2023-01-02"),
        C("status_aktif", "enum", False, "ketersediaan pada tahun rencana (kosong = aktif)",
          "availability in the plan year (blank = aktif)", "active_status", tuple(STATUS_AKTIF), example="tugas_belajar"),
        C("jf_nama", "str", False, "nama jabatan fungsional (untuk jenis_jabatan fungsional; opsional)",
          "name of the functional position family (for jenis_jabatan fungsional; optional)", "jf_name",
          example="Perencana"),
        C("periode_skp", "int", False, "tahun periode penilaian SKP tahunan dari predikat_kinerja (opsional; kosong = "
          "tahun rencana − skp.period_lag)", "year of the annual SKP assessment period behind predikat_kinerja "
          "(optional; blank = plan year − skp.period_lag)", "skp_period", min=2000, max=2100, example="2025"),
    ),
    key=("pegawai_id",),
    note_id="Satu baris per pegawai. Golongan wajib kecuali untuk PPPK.",
    note_en="One row per employee. Grade is required except for PPPK.",
))

_add(Table(
    "kamus_kompetensi", "competencies", "Kamus kompetensi", "Competency dictionary",
    (
        C("kode_kompetensi", "str", True, "kode kompetensi", "competency code", "competency_code", example="M.1"),
        C("nama_id", "str", True, "nama kompetensi (Indonesia)", "name in Indonesian", "name_id", example="Integritas"),
        C("nama_en", "str", True, "nama kompetensi (Inggris)", "name in English", "name_en", example="Integrity"),
        C("jenis", "enum", True, "jenis kompetensi", "competency type", "type", tuple(JENIS_KOMPETENSI),
          example="manajerial"),
    ),
    key=("kode_kompetensi",),
))

_add(Table(
    "standar_kompetensi", "job_standards", "Standar kompetensi jabatan", "Job competency standards",
    (
        C("jabatan", "str", True, "nama jabatan (sama dengan data pegawai)", "position (as in the employees table)",
          "position", example="Analis Kebijakan Ahli Muda"),
        _KOMP,
        C("level_standar", "int", True, "level standar 1–5", "required level 1–5", "required_level", min=1, max=5,
          example="3"),
    ),
    key=("jabatan", "kode_kompetensi"),
    references={"kode_kompetensi": ("kamus_kompetensi", "kode_kompetensi")},
))

_add(Table(
    "hasil_asesmen", "assessments", "Hasil pemetaan / uji kompetensi", "Assessment results",
    (
        _ID, _KOMP,
        C("level", "float", True, "level hasil asesmen 1–5", "assessed level 1–5", "level", min=1, max=5, example="3"),
        C("tanggal", "date", True, "tanggal asesmen", "assessment date", "date", example="2026-03-14"),
        C("metode", "enum", True, "metode", "method", "method", ("pemetaan", "uji_kompetensi"), example="pemetaan"),
    ),
    key=("pegawai_id", "kode_kompetensi"), required=False, latest_by="tanggal",
    references={"pegawai_id": ("pegawai", "pegawai_id"), "kode_kompetensi": ("kamus_kompetensi", "kode_kompetensi")},
    note_id="Sebagian pegawai saja. Bila seorang pegawai diases dua kali untuk kompetensi yang sama, yang terbaru dipakai.",
    note_en="Part of the staff only. If an employee is assessed twice on a competency, the latest is used.",
))

_add(Table(
    "survei_pegawai", "self_survey", "Survei AKPK — penilaian diri", "TNA survey — self-assessment",
    (
        _ID,
        C("waktu_isi", "datetime", True, "waktu pengisian", "submission time", "timestamp", example="2026-08-27 09:14:00"),
        C("level_<KODE>", "int", False, "level diri untuk kompetensi KODE (1–5)", "self-assessed level for competency KODE",
          "level_<KODE>", min=1, max=5, example="3", pattern=True),
        C("penting_<KODE>", "int", False, "tingkat kepentingan kompetensi KODE (skala di pengaturan)",
          "importance of competency KODE (scale in settings)", "importance_<KODE>", example="4", pattern=True),
        C("bentuk_diminati", "str", False, "bentuk pengembangan yang diminati", "preferred form of development",
          "preferred_form", example="e_learning"),
        C("kebutuhan_lain", "text", False, "jawaban terbuka: kompetensi lain yang dibutuhkan",
          "open answer: other competencies needed", "open_answer", example="Pelatihan analisis data", free_text=True),
    ),
    key=("pegawai_id",), wide=True, latest_by="waktu_isi",
    references={"pegawai_id": ("pegawai", "pegawai_id")},
    note_id="Satu baris per isian formulir (Google Forms/KoboToolbox dipetakan dengan preset). Isian ganda: yang terbaru dipakai, dengan peringatan.",
    note_en="One row per form submission (Google Forms/KoboToolbox mapped with presets). Duplicates: the latest is kept, with a warning.",
))

_add(Table(
    "survei_atasan", "supervisor_survey", "Survei AKPK — penilaian atasan", "TNA survey — supervisor assessment",
    (
        C("pegawai_id", "str", True, "ID samaran pegawai yang dinilai", "pseudonymous id of the rated employee",
          "employee_id", example="P000123"),
        C("atasan_id", "str", False, "ID samaran atasan penilai", "pseudonymous id of the rating supervisor",
          "supervisor_id", example="P000045"),
        C("waktu_isi", "datetime", True, "waktu pengisian", "submission time", "timestamp", example="2026-08-29 10:02:00"),
        C("level_<KODE>", "int", False, "level menurut atasan untuk kompetensi KODE (1–5)",
          "supervisor-assessed level for competency KODE", "level_<KODE>", min=1, max=5, example="3", pattern=True),
    ),
    key=("pegawai_id",), wide=True, required=False, latest_by="waktu_isi",
    references={"pegawai_id": ("pegawai", "pegawai_id")},
))

_add(Table(
    "katalog_program", "programmes", "Katalog program pengembangan", "Programme catalogue",
    (
        _PROG.__class__(**{**_PROG.__dict__, "desc_id": "kode program", "desc_en": "programme id"}),
        C("nama_program", "str", True, "nama program", "programme name", "programme_name", example="Pelatihan Analisis Data"),
        C("bentuk", "enum", True, "bentuk pengembangan", "form of development", "form", tuple(BENTUK), example="pelatihan_teknis"),
        C("jalur", "enum", True, "jalur (klasikal/nonklasikal)", "route (classroom/non-classroom)", "route", tuple(JALUR),
          example="klasikal"),
        C("kode_kompetensi", "list", True, "kompetensi yang dikembangkan (dipisah ';')",
          "competencies addressed (separated by ';')", "competency_codes", example="T.01;M.8"),
        C("jp", "float", False, "jam pelajaran (kosong bila hanya hari diketahui)", "learning hours (blank if only days are known)",
          "jp", min=0, example="24"),
        C("hari", "float", False, "lama dalam hari (dipakai bila jp kosong)", "duration in days (used when jp is blank)",
          "days", min=0, example="3"),
        C("cakupan", "enum", False, "cakupan (nasional/internasional; bawaan nasional)", "scope (national/international)",
          "scope", ("nasional", "internasional"), example="nasional"),
        C("biaya_per_peserta", "rupiah", True, "biaya per peserta (Rupiah; 0 boleh)", "cost per participant (Rupiah; 0 allowed)",
          "cost_per_participant", min=0, example="3500000"),
        C("kapasitas_per_sesi", "int", True, "kapasitas peserta per sesi", "capacity per session", "capacity_per_session",
          min=1, example="30"),
        C("penyelenggara", "str", True, "penyelenggara", "provider", "provider", example="BPSDM Provinsi"),
        C("bulan_tersedia", "list", False, "bulan penyelenggaraan 1–12 (dipisah ';'; kosong = sepanjang tahun)",
          "months offered 1–12 (';'-separated; blank = all year)", "months_offered", example="3;4;9"),
        C("sumber_dana", "str", False, "sumber dana (opsional, mis. APBD, BLUD)", "funding source (optional)",
          "funding_source", example="APBD"),
        C("kesesuaian_kurikulum", "str", False, "kesesuaian dengan standar kurikulum instansi pembina",
          "fit with the curriculum standard of the supervising agency", "curriculum_fit", example="sesuai"),
        C("wajib", "enum", False, "pelatihan wajib yang dipenuhi program ini (kosong = bukan pelatihan wajib)",
          "mandatory training this programme fulfils (blank = not a mandatory training)", "mandatory",
          tuple(WAJIB), example="latsar"),
        C("sasaran_status", "list", False, "status kepegawaian sasaran (dipisah ';'; kosong = semua)",
          "target employment statuses (';'-separated; blank = all)", "target_status", tuple(STATUS),
          example="CPNS"),
        C("sasaran_jenis_jabatan", "list", False, "jenis jabatan sasaran (dipisah ';'; kosong = semua)",
          "target position types (';'-separated; blank = all)", "target_position_type", tuple(JENIS_JABATAN),
          example="pengawas"),
        C("sasaran_jenjang", "list", False, "jenjang sasaran (dipisah ';'; kosong = semua)",
          "target levels (';'-separated; blank = all)", "target_level", example="ahli pertama;ahli muda"),
        C("sasaran_jf", "list", False, "nama jabatan fungsional sasaran (dipisah ';'; kosong = semua)",
          "target functional position families (';'-separated; blank = all)", "target_jf", example="Perencana"),
        C("min_masa_kerja_th", "float", False, "masa kerja minimum (tahun) untuk mengikuti",
          "minimum years of service to take part", "min_years_service", min=0, example="2"),
        C("prasyarat", "list", False, "kode wajib atau program_id yang harus sudah diikuti (dipisah ';')",
          "mandatory-training codes or programme ids that must be done before (';'-separated)", "prerequisites",
          example="latsar"),
        C("biaya_waktu", "rupiah", False, "biaya waktu fasilitator/mentor per peserta (setara Rupiah; bukan uang kas)",
          "facilitator or mentor time per participant (Rupiah equivalent; not cash)", "time_cost", min=0,
          example="250000"),
        C("jenis_program", "enum", False, "jenis program (kosong = diturunkan dari bentuk dan wajib)",
          "kind of programme (blank = derived from bentuk and wajib)", "programme_kind", tuple(JENIS_PROGRAM),
          example="teknis"),
        C("sasaran_unit", "list", False, "kode_unit sasaran (dipisah ';'; kosong = semua unit; program berdana BLUD "
          "tanpa isian: unit pemegang pos BLUD)", "target work units (';'-separated; blank = every unit; a BLUD-funded "
          "programme left blank: the unit holding the BLUD line)", "target_unit", example="RSUD"),
    ),
    key=("program_id",),
    references={"kode_kompetensi": ("kamus_kompetensi", "kode_kompetensi"), "sasaran_unit": ("pegawai", "kode_unit")},
    note_id="JP diambil dari kolom jp; bila kosong, dihitung dari hari dan cakupan dengan tabel konversi di pengaturan.",
    note_en="JP come from the jp column; when blank they are converted from days and scope with the table in settings.",
))

_add(Table(
    "anggaran", "budget", "Pagu anggaran pengembangan kompetensi", "Development budget",
    (
        C("sumber_dana", "str", True, "sumber dana (satu baris 'semua' = satu pos)", "funding source ('semua' = one pool)",
          "funding_source", example="APBD"),
        C("kode_unit", "str", False, "kode unit (kosong = seluruh instansi)", "unit code (blank = whole agency)", "unit_code"),
        C("pagu", "rupiah", True, "pagu anggaran (Rupiah)", "budget ceiling (Rupiah)", "ceiling", min=0, example="1500000000"),
        C("dpa", "str", False, "kode unit yang memegang DPA baris ini (mis. BKPSDM untuk pos pusat)",
          "code of the unit whose DPA holds the line (e.g. BKPSDM for the central line)", "dpa", example="BKPSDM"),
        C("sub_kegiatan", "str", False, "sub kegiatan DPA", "DPA sub-activity", "sub_activity",
          example="Pendidikan dan Pelatihan Pegawai Berdasarkan Tugas dan Fungsi"),
        C("kode_rekening", "str", False, "kode rekening belanja", "expenditure account code", "account_code",
          example="5.1.02.02.01.0003"),
        C("jenis_program", "list", False, "jenis program yang boleh dibayar baris ini (dipisah ';'; kosong = semua)",
          "kinds of programme this line may pay (';'-separated; blank = any)", "programme_kinds",
          tuple(JENIS_PROGRAM), example="wajib;kepemimpinan"),
        C("cakupan_unit", "list", False, "kode unit yang pegawainya boleh dibayar baris ini (dipisah ';'; kosong = semua)",
          "unit codes whose staff this line may pay (';'-separated; blank = all units)", "unit_scope",
          example="RSUD"),
    ),
    key=("sumber_dana", "kode_unit"),
    references={"kode_unit": ("pegawai", "kode_unit"), "cakupan_unit": ("pegawai", "kode_unit")},
    key_optional=("dpa", "sub_kegiatan", "kode_rekening"),
    note_id="Satu baris per pos anggaran. Kolom dpa, sub_kegiatan, kode_rekening, jenis_program dan cakupan_unit "
            "opsional (isu #17); baris BLUD memakai sumber_dana BLUD dan cakupan_unit = unitnya. Bila ada, dpa, "
            "sub_kegiatan dan kode_rekening ikut menjadi kunci.",
    note_en="One row per budget line. The columns dpa, sub_kegiatan, kode_rekening, jenis_program and cakupan_unit "
            "are optional (issue #17); a BLUD line has sumber_dana BLUD and cakupan_unit = its unit. When given, "
            "dpa, sub_kegiatan and kode_rekening are part of the key.",
))

_add(Table(
    "realisasi_pengembangan", "participation", "Realisasi pengembangan kompetensi (tahun lalu)",
    "Participation (previous year)",
    (
        _ID,
        C("program_id", "str", False, "kode program (kosong bila kegiatan di luar katalog)",
          "programme id (blank for activities outside the catalogue)", "programme_id", example="PRG-012"),
        C("nama_kegiatan", "str", False, "nama kegiatan", "activity name", "activity_name", example="Webinar SPBE", free_text=True),
        C("tanggal_mulai", "date", True, "tanggal mulai", "start date", "start_date", example="2026-04-06"),
        C("jp", "float", True, "jam pelajaran yang diakui", "recognised learning hours", "jp", min=0, max=1000, example="24"),
        C("status_penyelesaian", "enum", False, "status penyelesaian (e-learning diakui hanya bila selesai/bersertifikat)",
          "completion status (e-learning counts only when completed/certified)", "completion_status",
          ("terdaftar", "belum_selesai", "selesai", "bersertifikat"), example="bersertifikat"),
    ),
    references={"pegawai_id": ("pegawai", "pegawai_id")},
))

_add(Table(
    "evaluasi_l1", "reaction", "Evaluasi Level 1 — reaksi", "Level 1 — reaction",
    (
        _PROG,
        C("responden_id", "str", False, "ID responden (boleh anonim)", "respondent id (may be anonymous)", "respondent_id"),
        C("fas_<n>", "int", False, "butir fasilitator/widyaiswara n (skala di pengaturan)", "facilitator item n",
          "fac_<n>", example="4", pattern=True),
        C("pen_<n>", "int", False, "butir penyelenggara n", "organiser item n", "org_<n>", example="3", pattern=True),
        C("rekomendasi", "enum", False, "akan merekomendasikan program", "would recommend", "recommend", ("ya", "tidak"),
          example="ya"),
        C("komentar", "text", False, "komentar bebas", "free comment", "comment", example="Materi sangat aplikatif", free_text=True),
    ),
    wide=True, required=False,
    references={"program_id": ("katalog_program", "program_id")},
))

_add(Table(
    "evaluasi_l2", "learning", "Evaluasi Level 2 — pre-test dan post-test", "Level 2 — pre/post test",
    (
        _ID, _PROG,
        C("skor_pre", "float", False, "skor pre-test", "pre-test score", "pre_score", min=0, example="55"),
        C("skor_post", "float", False, "skor post-test", "post-test score", "post_score", min=0, example="80"),
        C("skor_maks", "float", True, "skor maksimum tes", "maximum test score", "max_score", min=0, example="100"),
    ),
    key=("pegawai_id", "program_id"), required=False,
    references={"pegawai_id": ("pegawai", "pegawai_id"), "program_id": ("katalog_program", "program_id")},
))

_add(Table(
    "evaluasi_l2_butir", "learning_items", "Evaluasi Level 2 — skor per butir", "Level 2 — item scores",
    (
        _ID, _PROG,
        C("tahap", "enum", True, "pre atau post", "pre or post", "phase", ("pre", "post"), example="pre"),
        C("butir_<n>", "float", False, "skor butir n (untuk reliabilitas tes)", "score of item n (for test reliability)",
          "item_<n>", min=0, example="1", pattern=True),
    ),
    key=("pegawai_id", "program_id", "tahap"), wide=True, required=False,
    references={"pegawai_id": ("pegawai", "pegawai_id"), "program_id": ("katalog_program", "program_id")},
    note_id="Opsional: bila ada, reliabilitas tes (alfa Cronbach) dihitung dan indeks perubahan andal (RCI) dilaporkan.",
    note_en="Optional: when given, the test's reliability (Cronbach's alpha) is computed and the reliable change index reported.",
))

_add(Table(
    "evaluasi_l3", "behaviour", "Evaluasi Level 3 — perilaku", "Level 3 — behaviour",
    (
        _ID, _PROG,
        C("peran_penilai", "enum", True, "peran penilai", "rater role", "rater_role", ("atasan", "rekan", "observer", "diri"),
          example="atasan"),
        C("tahap", "enum", True, "sebelum/sesudah pelatihan", "before/after training", "phase", ("sebelum", "sesudah"),
          example="sesudah"),
        C("tanggal", "date", True, "tanggal penilaian/observasi", "rating/observation date", "date", example="2026-10-05"),
        C("indikator", "str", True, "indikator perilaku", "behaviour indicator", "indicator", example="Menyusun laporan analisis"),
        C("rating", "float", True, "rating 1–5", "rating 1–5", "rating", min=1, max=5, example="4"),
    ),
    required=False,
    references={"pegawai_id": ("pegawai", "pegawai_id"), "program_id": ("katalog_program", "program_id")},
))

_add(Table(
    "wawancara", "interviews", "Catatan wawancara (terkode)", "Interview records (coded)",
    (
        _PROG,
        C("peran", "enum", True, "peran narasumber", "interviewee role", "role", ("peserta", "atasan", "rekan"), example="atasan"),
        C("tanggal", "date", True, "tanggal wawancara", "interview date", "date", example="2026-10-12"),
        C("tema", "str", True, "kode tema", "coded theme", "theme", example="penerapan"),
        C("ringkasan", "text", False, "ringkasan singkat", "short summary", "summary", example="Sudah menerapkan di unit", free_text=True),
    ),
    required=False, references={"program_id": ("katalog_program", "program_id")},
))

_add(Table(
    "indikator_unit", "unit_indicators", "Evaluasi Level 4 — indikator unit", "Level 4 — unit indicators",
    (
        C("kode_unit", "str", True, "kode unit", "unit code", "unit_code", example="DINKES"),
        C("indikator", "str", True, "indikator kinerja unit", "unit performance indicator", "indicator",
          example="Indeks kepuasan masyarakat"),
        C("periode", "enum", True, "sebelum/sesudah", "before/after", "period", ("sebelum", "sesudah"), example="sesudah"),
        C("nilai", "float", True, "nilai indikator", "indicator value", "value", example="82.4"),
        C("arah_baik", "enum", True, "arah yang lebih baik", "better direction", "better_direction", ("naik", "turun"),
          example="naik"),
        C("program_id", "str", False, "program terkait (opsional)", "related programme (optional)", "programme_id"),
        C("tahun", "int", False, "tahun nilai (opsional; beberapa baris 'sebelum' dengan tahun berbeda menunjukkan "
          "tren sebelum program)", "year of the value (optional; several 'sebelum' rows of different years show the "
          "pre-programme trend)", "year", min=1900, max=2200, example="2025"),
    ),
    key=("kode_unit", "indikator", "periode"), required=False, key_optional=("tahun",),
    references={"kode_unit": ("pegawai", "kode_unit"), "program_id": ("katalog_program", "program_id")},
))

# Return on investment (Phillips): optional; roi_biaya and roi_manfaat come together, roi_konversi
# converts measures to Rupiah (a measure without a conversion is an intangible benefit).
#: the ROI input tables; when one of them is given, :data:`ROI_REQUIRED` must be given too
ROI_TABLES = ("roi_biaya", "roi_manfaat", "roi_konversi")
ROI_REQUIRED = ("roi_biaya", "roi_manfaat")
#: isolation methods of Phillips' ROI (``workbook.evaluation.impact.ISOLATION_METHODS``) and the column each needs
ISOLASI = {"pembanding": ("perubahan_pembanding",), "tren": ("proyeksi_tren",), "estimasi": ("kontribusi", "keyakinan")}

_add(Table(
    "roi_biaya", "roi_costs", "ROI — biaya program (dibebankan penuh)", "ROI — programme costs (fully loaded)",
    (
        C("program_id", "str", True, "kode program dari katalog (program yang dihitung ROI-nya)",
          "programme id from the catalogue (a programme whose ROI is computed)", "programme_id", example="PRG-012"),
        C("komponen", "str", True, "komponen biaya: analisis_kebutuhan, desain, penyelenggaraan, waktu_peserta, "
          "evaluasi, overhead (atau nama lain)", "cost component: needs analysis, design, delivery, participants' "
          "time, evaluation, overhead (or another name)", "component", example="penyelenggaraan"),
        C("biaya", "rupiah", True, "biaya komponen untuk program itu (Rupiah)", "cost of the component (Rupiah)",
          "cost", min=0, example="458500000"),
        C("keterangan", "text", False, "dasar perhitungan (opsional)", "how it was computed (optional)", "note",
          example="131 peserta × Rp 3.500.000", free_text=True),
    ),
    key=("program_id", "komponen"), required=False,
    references={"program_id": ("katalog_program", "program_id")},
    note_id="Opsional, bersama roi_manfaat. Semua biaya dimasukkan (prinsip Phillips 10): analisis kebutuhan, desain, "
            "penyelenggaraan, waktu peserta, evaluasi dan overhead. Tanpa berkas roi_* tidak ada bagian ROI di laporan.",
    note_en="Optional, together with roi_manfaat. All costs are included (Phillips' principle 10): needs analysis, "
            "design, delivery, participants' time, evaluation and overhead. Without the roi_* files the report has no "
            "ROI section.",
))

_add(Table(
    "roi_manfaat", "roi_benefits", "ROI — manfaat program per ukuran", "ROI — programme benefits by measure",
    (
        C("program_id", "str", True, "kode program (harus ada di roi_biaya)", "programme id (must be in roi_biaya)",
          "programme_id", example="PRG-012"),
        C("ukuran", "str", True, "ukuran manfaat (kunci ke roi_konversi; tanpa konversi = manfaat tak berwujud)",
          "benefit measure (key to roi_konversi; without a conversion = intangible benefit)", "measure",
          example="Jam kerja yang dihemat"),
        C("perubahan", "float", False, "perubahan tahunan (tahun pertama) ukuran itu pada peserta, ke arah yang lebih "
          "baik (positif = membaik); kosong = dianggap tidak ada peningkatan",
          "annual (first-year) change of the measure among participants, toward the better (positive = better); "
          "blank = counted as no improvement", "change", example="7860"),
        C("isolasi", "enum", False, "metode isolasi efek program (kosong = pengaturan impact.isolation_default)",
          "method isolating the programme's effect (blank = setting impact.isolation_default)", "isolation",
          tuple(ISOLASI), example="estimasi"),
        C("perubahan_pembanding", "float", False, "isolasi pembanding: perubahan pada kelompok pembanding (skala sama)",
          "comparison isolation: change in the comparison group (same scale)", "comparison_change", example="14"),
        C("proyeksi_tren", "float", False, "isolasi tren: perubahan yang diproyeksikan tren sebelum program",
          "trend isolation: change projected by the pre-programme trend", "trend_projection", example="131"),
        C("kontribusi", "float", False, "isolasi estimasi: porsi perubahan yang dikaitkan peserta/atasan dengan program "
          "(0–1)", "estimate isolation: share of the change participants/supervisors attribute to the programme (0–1)",
          "contribution", min=0, max=1, example="0.5"),
        C("keyakinan", "float", False, "isolasi estimasi: keyakinan pemberi estimasi (0–1; kosong = pengaturan "
          "impact.confidence_discount_default)", "estimate isolation: the estimator's confidence (0–1; blank = "
          "setting impact.confidence_discount_default)", "confidence", min=0, max=1, example="0.7"),
        C("keterangan", "text", False, "sumber data dan keterangan", "data source and note", "note",
          example="estimasi peserta 3 bulan setelah pelatihan", free_text=True),
    ),
    key=("program_id", "ukuran"), required=False,
    references={"program_id": ("roi_biaya", "program_id")},
    note_id="Satu baris per program × ukuran; hanya manfaat tahun pertama (prinsip Phillips 9). Kolom isolasi yang "
            "dibutuhkan bergantung pada metode: pembanding → perubahan_pembanding; tren → proyeksi_tren; estimasi → "
            "kontribusi dan keyakinan.",
    note_en="One row per programme × measure; first-year benefits only (Phillips' principle 9). The isolation columns "
            "needed depend on the method: pembanding → perubahan_pembanding; tren → proyeksi_tren; estimasi → "
            "kontribusi and keyakinan.",
))

_add(Table(
    "roi_konversi", "roi_conversions", "ROI — nilai rupiah per satuan ukuran", "ROI — Rupiah value per unit of measure",
    (
        C("ukuran", "str", True, "ukuran manfaat (sama dengan roi_manfaat)", "benefit measure (as in roi_manfaat)",
          "measure", example="Jam kerja yang dihemat"),
        C("satuan", "str", False, "satuan ukuran", "unit of the measure", "unit", example="jam"),
        C("nilai_per_satuan", "rupiah", True, "nilai satu satuan (Rupiah)", "value of one unit (Rupiah)",
          "value_per_unit", min=0, example="75000"),
        C("sumber", "str", True, "sumber nilai konversi (standar biaya, data keuangan, perkiraan ahli)",
          "source of the conversion value (cost standard, financial records, expert estimate)", "source",
          example="rata-rata gaji dan tunjangan per jam kerja efektif", free_text=True),
    ),
    key=("ukuran",), required=False,
    note_id="Ukuran di roi_manfaat yang tidak ada di sini dicantumkan sebagai manfaat tak berwujud, tidak dirupiahkan "
            "(prinsip Phillips 11).",
    note_en="Measures of roi_manfaat missing here are listed as intangible benefits, not converted to money "
            "(Phillips' principle 11).",
))

# Issue #17: optional inputs for mandatory trainings, eligibility and money per budget line.
# Used by the plan stage (eligibility, mandatory block, budget lines; docs/methods/plan.md); loaded, checked and
# written to restricted/.
_NIP_KEY = C("nip", "str", False, "NIP 18 digit sebagai ganti pegawai_id (opsional; diganti ID samaran saat dimuat, "
             "tidak pernah disimpan)", "18-digit NIP instead of pegawai_id (optional; replaced by the pseudonym on "
             "load, never stored)", "nip", example="198602222012122003", personal=True)

_add(Table(
    "riwayat_pelatihan", "training_history", "Riwayat pelatihan (diklat/kursus)", "Training history",
    (
        C("pegawai_id", "str", True, "ID pegawai samaran (atau kolom nip)", "pseudonymous employee id (or the nip column)",
          "employee_id", example="P000123"),
        _NIP_KEY,
        C("jenis", "str", True, "jenis diklat seperti diekspor (mis. Diklat Prajabatan, Latsar CPNS, Diklatpim IV, "
          "PKP, Kursus)", "kind of training as exported (e.g. Diklat Prajabatan, Latsar CPNS, Diklatpim IV, PKP, "
          "Kursus)", "kind", example="Diklatpim IV"),
        C("nama", "str", False, "nama diklat/kursus", "name of the training or course", "name",
          example="Diklat Kepemimpinan Tingkat IV Angkatan II"),
        C("tanggal_selesai", "date", False, "tanggal selesai", "completion date", "end_date", example="2014-11-20"),
        C("jp", "float", False, "jam pelajaran", "learning hours", "jp", min=0, max=2000, example="360"),
        C("status", "enum", False, "hasil (kosong = lulus)", "result (blank = lulus)", "status", tuple(STATUS_RIWAYAT),
          example="lulus"),
    ),
    required=False,
    references={"pegawai_id": ("pegawai", "pegawai_id")},
    note_id="Riwayat diklat/kursus (SIASN: riwayat diklat dan kursus). Nama lama dipetakan ke kode wajib dengan tabel "
            "kesetaraan_pelatihan. Dipakai tahap rencana (kelayakan, pelatihan wajib).",
    note_en="Training and course history (SIASN: riwayat diklat and kursus). Old names are mapped to mandatory codes "
            "with the kesetaraan_pelatihan table. Used by the plan stage (eligibility, mandatory trainings).",
))

_add(Table(
    "kesetaraan_pelatihan", "training_equivalence", "Kesetaraan nama pelatihan lama", "Equivalence of old training names",
    (
        C("nama_lama", "str", True, "nama lama (teks, tidak peka huruf besar/kecil, atau ekspresi reguler)",
          "old name (case-insensitive text or regular expression)", "old_name", example="Diklatpim IV"),
        C("wajib", "enum", True, "kode pelatihan wajib yang setara", "equivalent mandatory-training code", "mandatory",
          tuple(WAJIB), example="pkp"),
    ),
    key=("nama_lama",), required=False,
    note_id="Opsional: menambah atau memetakan ulang nama pelatihan; dibaca sebelum tabel kesetaraan bawaan "
            "(pengaturan eligibility.kesetaraan), yang tetap berlaku.",
    note_en="Optional: adds or re-maps training names; read before the default equivalence table (setting "
            "eligibility.kesetaraan), which still applies.",
))

_add(Table(
    "formasi_tahun_rencana", "intake", "Formasi (penerimaan) tahun rencana", "Intake in the plan year",
    (
        C("status", "enum", True, "status yang diterima", "status of the intake", "status", ("CPNS", "PPPK"),
          example="CPNS"),
        C("jumlah", "int", True, "jumlah orang", "number of people", "count", min=1, example="12"),
        C("kode_unit", "str", False, "unit penempatan (opsional)", "unit of placement (optional)", "unit_code",
          example="DINKES"),
        C("jabatan", "str", False, "jabatan (opsional)", "position (optional)", "position", example="Perawat Terampil"),
        C("tmt_perkiraan", "date", False, "perkiraan TMT", "expected start date", "expected_start", example="2027-03-01"),
    ),
    required=False,
    references={"kode_unit": ("pegawai", "kode_unit")},
    note_id="Penerimaan CPNS/PPPK pada tahun rencana (Latsar/orientasi dianggarkan). Dipakai tahap rencana (kelayakan, pelatihan wajib).",
    note_en="CPNS/PPPK intake in the plan year (Latsar/orientation to be budgeted). Used by the plan stage (eligibility, mandatory trainings).",
))

_add(Table(
    "jf_wajib", "jf_mandatory", "Pelatihan wajib jabatan fungsional", "Mandatory trainings of functional positions",
    (
        C("jf_nama", "str", True, "nama jabatan fungsional (seperti pegawai.jf_nama)",
          "functional position family (as pegawai.jf_nama)", "jf_name", example="Perencana"),
        C("jenjang", "str", False, "jenjang (kosong = semua jenjang)", "level (blank = every level)", "level",
          example="ahli pertama"),
        C("pemicu", "enum", True, "pemicu kewajiban", "what triggers the obligation", "trigger", tuple(PEMICU_JF),
          example="pengangkatan_pertama"),
        C("program_id", "str", True, "program dari katalog yang memenuhinya", "catalogue programme that fulfils it",
          "programme_id", example="PRG-024"),
    ),
    key=("jf_nama", "jenjang", "pemicu"), required=False,
    references={"program_id": ("katalog_program", "program_id")},
    note_id="Pelatihan pembentukan/penjenjangan JF. Dipakai tahap rencana (kelayakan, pelatihan wajib).",
    note_en="JF formation/promotion trainings. Used by the plan stage (eligibility, mandatory trainings).",
))

_add(Table(
    "komponen_biaya", "cost_components", "Komponen biaya program", "Programme cost components",
    (
        C("program_id", "str", True, "kode program dari katalog", "programme id from the catalogue", "programme_id",
          example="PRG-001"),
        C("komponen", "enum", True, "komponen biaya", "cost component", "component", tuple(KOMPONEN_BIAYA),
          example="kontribusi"),
        C("kode_rekening", "str", False, "kode rekening belanja", "expenditure account code", "account_code",
          example="5.1.02.02.01.0003"),
        C("biaya", "rupiah", True, "biaya per peserta (Rupiah)", "cost per participant (Rupiah)", "cost", min=0,
          example="12500000"),
        C("pembayar", "enum", True, "siapa yang membayar", "who pays", "payer", tuple(PEMBAYAR), example="BKPSDM"),
    ),
    key=("program_id", "komponen", "pembayar"), required=False,
    references={"program_id": ("katalog_program", "program_id")},
    note_id="Opsional: membagi biaya program ke beberapa pembayar. Rencana memakai jumlah komponen yang tidak "
            "dibayar penyelenggara sebagai biaya_kas program (dibebankan ke satu mata anggaran per kursi). Tanpa "
            "tabel ini kode rekening hanya label.",
    note_en="Optional: splits a programme's cost across payers. The plan takes the sum of the components not paid "
            "by the organiser as the programme's biaya_kas (charged to one budget line per seat). Without it the "
            "account code is a label.",
))

#: tables keyed by employee: a file may give ``nip`` instead of ``pegawai_id`` (pseudonymised on load)
PERSON_TABLES = ("pegawai", "hasil_asesmen", "survei_pegawai", "survei_atasan", "realisasi_pengembangan",
                 "evaluasi_l2", "evaluasi_l2_butir", "evaluasi_l3", "riwayat_pelatihan")
for _name in PERSON_TABLES:
    _t = TABLES[_name]
    if "nip" not in {c.name for c in _t.columns}:
        TABLES[_name] = Table(**{**_t.__dict__, "columns": _t.columns + (_NIP_KEY,)})


def table(name: str) -> Table:
    """The contract of one table, by Indonesian name or English alias."""
    if name in TABLES:
        return TABLES[name]
    for t in TABLES.values():
        if t.alias == name:
            return t
    raise KeyError(name)


def data_md() -> str:
    """Render the contracts as Markdown (the body of ``docs/data.md``)."""
    out = [
        "# Kontrak data / Data contracts",
        "",
        "Generated from `workbook/core/schema.py` and the stages' `words.py` (`make docs`). Do not edit by hand.",
        "",
        "Files are CSV (`,` or `;`, UTF-8 with or without BOM, cp1252), XLSX (named or first sheet; the header",
        "row may sit below title rows) or Parquet, named after the table (`pegawai.csv`, `pegawai.xlsx`, …).",
        "Column names may be the Indonesian name or the English alias, in any case. Rows in messages are",
        "counted as the spreadsheet shows them (1-based, header and title rows counted).",
        "",
        "Tahun: the plan year Y is given in `instansi.yaml` (`tahun_rencana`). The survey, standards and",
        "catalogue are for Y; participation and evaluation tables describe Y−1 (L3/L4 may be pending).",
        "",
    ]
    for t in TABLES.values():
        out += [f"## `{t.name}` — {t.title_id} / {t.title_en}", ""]
        out.append(f"English alias: `{t.alias}`. {'Wajib' if t.required else 'Opsional'} / "
                   f"{'required' if t.required else 'optional'}."
                   + (f" Key: `{', '.join(t.key)}`." if t.key else ""))
        if t.note_id:
            out += ["", t.note_id, "", t.note_en]
        out += ["", "| kolom | alias (en) | tipe | wajib | nilai yang diizinkan | contoh | keterangan | description |",
                "|---|---|---|---|---|---|---|---|"]
        for c in t.columns:
            allowed = ", ".join(c.allowed) if c.allowed else (
                f"{'' if c.min is None else c.min}–{'' if c.max is None else c.max}" if (c.min is not None or c.max is not None) else "")
            out.append(f"| `{c.name}` | `{c.alias}` | {c.dtype} | {'ya' if c.required else 'tidak'} | {allowed} | "
                       f"{c.example} | {c.desc_id} | {c.desc_en} |")
        if t.references:
            out += ["", "References: " + "; ".join(f"`{k}` → `{v[0]}.{v[1]}`" for k, v in t.references.items())]
        out.append("")
    out += ["## Problem codes / kode masalah", "", "| code | severity | id | en |", "|---|---|---|---|"]
    for code, (sev, mid, men) in PROBLEM_CODES.items():
        out.append(f"| `{code}` | {sev} | {mid} | {men} |")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(data_md())


#: file extensions an input table may have
TABLE_EXTENSIONS = (".csv", ".xlsx", ".parquet")


def find_table_file(data_dir: str | Path, table_name: str) -> Path | None:
    """The file of ``table_name`` in ``data_dir`` (``.csv``, ``.xlsx`` or ``.parquet``; Indonesian
    name or English alias, any case), or None."""
    d = Path(data_dir)
    t = TABLES[table_name]
    wanted = {f"{n}{ext}" for n in (t.name, t.alias) for ext in TABLE_EXTENSIONS}
    found = sorted(p for p in d.iterdir() if p.is_file() and p.name.lower() in wanted)
    return found[0] if found else None
