"""The sample's planning inputs of issue #17: who already had which mandatory training, who is
available, the intake, JF obligations, cost components and budget lines.

Drawn from their own random stream (``numpy.random.default_rng([seed, 17])``), so the tables and
columns the sample had before stay byte-identical. What is planted:

- ``pegawai``: ``tanggal_lahir`` (from the age), ``tmt_cpns`` (the TMT of CPNS and PNS; blank for
  PPPK), ``tmt_jabatan``, ``status_aktif`` (a few on tugas belajar, on leave outside the state's
  responsibility or suspended; PNS reaching the retirement age in the plan year are
  ``pensiun_tahun_rencana``) and ``jf_nama`` for functional staff;
- ``riwayat_pelatihan``: Latsar for most PNS (``Diklat Prajabatan`` before 2018), leadership
  training for most officials — under an OLD name (``Diklatpim IV``/``III``/``II``) when completed
  before 2019 —, a few officials without it, some courses; CPNS have none unless
  ``cpns_baru`` leaves some CPNS with Latsar done;
- ``kesetaraan_pelatihan`` (a small agency override), ``formasi_tahun_rencana`` (a CPNS and a
  PPPK intake), ``jf_wajib`` (three JF formation trainings), ``komponen_biaya`` (Latsar, PKP and
  PKA split between BKPSDM and the participant's OPD);
- ``katalog_program``: ``wajib``, ``sasaran_*``, ``biaya_waktu`` and ``jenis_program`` on a few
  programmes; ``anggaran``: ``dpa``, ``sub_kegiatan``, ``kode_rekening``, ``jenis_program`` and
  ``cakupan_unit`` (see :func:`budget_lines`).

The plan stage uses them (eligibility, the mandatory block, every budget line a constraint).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.sample.arrays import as_timestamps, from_codes, masked_str_series, str_series
from workbook.sample.structure import FAMILY_NAMES, J_ADM, J_FUN, J_JPT, J_PGW, UNITS

__all__ = ["BUDGET_LINES", "STATUS_AKTIF_SHARES", "pegawai_extra", "katalog_extra", "budget_lines",
           "riwayat_table", "kesetaraan_table", "formasi_table", "jf_wajib_table", "komponen_biaya_table",
           "make_cpns_baru", "make_nips"]

#: the kinds of budget line ``workbook sample --budget-lines`` combines
BUDGET_LINES = ("central", "opd", "blud")
#: share of employees per non-aktif status (besides the retirements of the plan year)
STATUS_AKTIF_SHARES = {"tugas_belajar": 0.006, "cuti_di_luar_tanggungan_negara": 0.003,
                       "diberhentikan_sementara": 0.002}
_BUP = {J_JPT: 60}  # retirement age by jenis; others 58 (fungsional ahli madya 60 is ignored here)
_SUB_TUSI = "Pendidikan dan Pelatihan Pegawai Berdasarkan Tugas dan Fungsi"
_SUB_PUSAT = "Pengembangan Kompetensi Aparatur Sipil Negara"
_REK_PELATIHAN = "5.1.02.02.01.0003"  # label only (kode rekening belanja kursus/pelatihan; see komponen_biaya)
_REK_PERJADIN = "5.1.02.04.01.0001"


def _days(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[D]")


def pegawai_extra(rng: np.random.Generator, pop: dict[str, np.ndarray], plan_year: int) -> dict[str, pd.Series]:
    """The new optional ``pegawai`` columns (see the module docstring)."""
    n = len(pop["id"])
    ref = np.datetime64(f"{plan_year - 1}-07-01")
    born = _days(ref - (pop["age"] * 365.25).astype(np.int64).astype("timedelta64[D]"))
    tmt = _days(pop["tmt"])
    pppk = pop["status"] == 2
    service_days = (np.datetime64(f"{plan_year - 1}-12-31") - tmt).astype(np.int64)
    tmt_jab = tmt + (rng.random(n) * np.maximum(service_days, 1)).astype(np.int64).astype("timedelta64[D]")
    age_end = plan_year - born.astype("datetime64[Y]").astype(np.int64) - 1970
    bup = np.array([_BUP.get(int(j), 58) for j in pop["jenis"]])
    code = np.zeros(n, dtype=np.int64)  # 0 = blank (aktif)
    names = ["", "pensiun_tahun_rencana", *STATUS_AKTIF_SHARES]
    u = rng.random(n)
    lo = 0.0
    for k, share in enumerate(STATUS_AKTIF_SHARES.values()):
        code[(u >= lo) & (u < lo + share) & (pop["jenis"] >= J_PGW)] = k + 2
        lo += share
    code[(age_end >= bup) & ~pppk] = 1
    fam = pop["fam"]
    return {
        "tanggal_lahir": as_timestamps(born),
        "tmt_cpns": as_timestamps(tmt).mask(pppk),
        "tmt_jabatan": as_timestamps(tmt_jab),
        "status_aktif": from_codes(code, names, code == 0),
        "jf_nama": from_codes(np.maximum(fam, 0), FAMILY_NAMES, (fam < 0) | (pop["jenis"] != J_FUN)),
    }


# program_id: (wajib, sasaran_status, sasaran_jenis_jabatan, sasaran_jenjang, sasaran_jf, min_masa_kerja_th,
#              prasyarat, biaya_waktu, jenis_program)
_KATALOG_EXTRA: dict[str, tuple] = {
    "PRG-001": ("pkp", "PNS", "pengawas", "", "", None, "latsar", None, "kepemimpinan"),
    "PRG-002": ("pka", "PNS", "administrator", "", "", None, "latsar", None, "kepemimpinan"),
    "PRG-003": ("", "", "pengawas", "", "", None, "", None, ""),
    "PRG-019": ("", "", "fungsional", "", "Guru", None, "", None, "teknis"),
    "PRG-022": ("jf_pembentukan", "PNS", "fungsional", "ahli pertama", "Analis Kebijakan", None, "", None, "fungsional"),
    "PRG-023": ("jf_pembentukan", "PNS", "fungsional", "terampil", "Auditor", None, "", None, "fungsional"),
    "PRG-024": ("jf_pembentukan", "PNS", "fungsional", "ahli pertama", "Perencana", None, "", None, "fungsional"),
    "PRG-034": ("", "PNS", "pengawas", "", "", None, "", 750_000, "kepemimpinan"),
    "PRG-035": ("", "", "pelaksana;fungsional", "", "", None, "", 600_000, ""),
    "PRG-041": ("", "PNS", "fungsional", "", "Perencana", 2.0, "", None, "teknis"),
    "PRG-044": ("latsar", "CPNS", "", "", "", None, "", None, "wajib"),
}
_KATALOG_COLS = ("wajib", "sasaran_status", "sasaran_jenis_jabatan", "sasaran_jenjang", "sasaran_jf",
                 "min_masa_kerja_th", "prasyarat", "biaya_waktu", "jenis_program")


#: ``sasaran_unit``: the RSUD's own clinical programmes (BLUD-funded) are for the RSUD's staff only;
#: the provincial health office's seminar on regional health policy is for the health office
#: (DINKES), not a clinical course: without this it stood in for the RSUD's clinical gap T.03 (an
#: 8-JP seminar at Rp1,5 jt a seat while the RSUD's BLUD line bought general courses)
_SASARAN_UNIT: dict[str, str] = {"PRG-011": "RSUD", "PRG-040": "RSUD", "PRG-025": "DINKES"}


def katalog_extra(program_ids: list[str]) -> dict[str, pd.Series]:
    """The new optional ``katalog_program`` columns for the catalogue's programme ids."""
    out: dict[str, pd.Series] = {}
    for k, col in enumerate(_KATALOG_COLS):
        vals = [_KATALOG_EXTRA.get(p, ("", "", "", "", "", None, "", None, ""))[k] for p in program_ids]
        if col in ("min_masa_kerja_th", "biaya_waktu"):
            out[col] = pd.Series([np.nan if v is None else float(v) for v in vals], dtype=float)
        else:
            arr = np.array([v or "" for v in vals], dtype=object)
            out[col] = masked_str_series(arr, arr == "")
    arr = np.array([_SASARAN_UNIT.get(p, "") for p in program_ids], dtype=object)
    out["sasaran_unit"] = masked_str_series(arr, arr == "")
    return out


def _lines_frame(rows: list[tuple]) -> pd.DataFrame:
    cols = ["sumber_dana", "kode_unit", "pagu", "dpa", "sub_kegiatan", "kode_rekening", "jenis_program", "cakupan_unit"]
    df = pd.DataFrame(rows, columns=cols)
    out = pd.DataFrame({"sumber_dana": str_series(df["sumber_dana"])})
    for c in cols[1:]:
        if c == "pagu":
            out[c] = df[c].astype(np.int64)
        else:
            arr = df[c].fillna("").to_numpy(dtype=object)
            out[c] = masked_str_series(arr, arr == "")
    return out


#: ``jenis_program`` of the RSUD's BLUD line: the technical and functional training of its staff
_BLUD_KINDS = "teknis;fungsional"


def budget_lines(default: pd.DataFrame, kinds: tuple[str, ...] | None, unit_codes: list[str],
                 headcount: dict[str, int]) -> pd.DataFrame:
    """``anggaran`` with the new columns.

    ``kinds=None`` keeps the default two rows (one agency-wide APBD line held by BKPSDM, the
    RSUD's BLUD line bound to its unit). Otherwise the lines are built from ``kinds``
    (:data:`BUDGET_LINES`): ``central`` a BKPSDM line for mandatory and leadership trainings (and,
    with ``opd``, a second BKPSDM line paying any programme for the units without their own DPA);
    ``opd`` the two largest units other than the RSUD paying technical and functional training from
    their own DPA ("Pendidikan dan Pelatihan Pegawai Berdasarkan Tugas dan Fungsi"); ``blud`` the
    RSUD's BLUD line bound to its unit. The BLUD line (in both cases) pays technical and functional
    training only (:data:`_BLUD_KINDS`).
    """
    n = sum(headcount.values())
    apbd = int(round(n * 1_750_000, -6))
    if kinds is None:
        # the RSUD's BLUD line (sub-kegiatan "… Berdasarkan Tugas dan Fungsi") pays technical and
        # functional training of its staff, as the OPD lines do: its clinical courses, not the
        # general courses the agency-wide APBD line buys
        rows = [(s, u, p, d, _SUB_PUSAT if d == "BKPSDM" else _SUB_TUSI, "",
                 "" if d == "BKPSDM" else _BLUD_KINDS, u)
                for s, u, p, d in zip(default["sumber_dana"], default["kode_unit"].fillna(""), default["pagu"],
                                      ["BKPSDM", "RSUD"], strict=True)]
        return _lines_frame(rows)
    rows: list[tuple] = []
    opd = [u for u in sorted(unit_codes, key=lambda c: -headcount.get(c, 0)) if u not in ("RSUD", "BKPSDM")][:2]
    own = set(opd if "opd" in kinds else []) | ({"RSUD"} if "blud" in kinds else set())
    if "central" in kinds:
        share = 0.40 if "opd" in kinds else 1.0
        rows.append(("APBD", "", int(round(apbd * share, -6)), "BKPSDM", _SUB_PUSAT, _REK_PELATIHAN,
                     "wajib;kepemimpinan" if "opd" in kinds else "", ""))
        if "opd" in kinds:
            rest = ";".join(u for u in unit_codes if u not in own)
            rows.append(("APBD", "", int(round(apbd * 0.25, -6)), "BKPSDM", _SUB_TUSI, _REK_PELATIHAN, "", rest))
    if "opd" in kinds:
        for u in opd:
            pagu = int(round(apbd * 0.35 * headcount[u] / sum(headcount[o] for o in opd), -6))
            rows.append(("APBD", u, pagu, u, _SUB_TUSI, _REK_PELATIHAN, "teknis;fungsional", u))
    if "blud" in kinds and "RSUD" in unit_codes:
        rows.append(("BLUD", "RSUD", int(round(n * 100_000, -6)), "RSUD", _SUB_TUSI, _REK_PELATIHAN, _BLUD_KINDS,
                     "RSUD"))
    return _lines_frame(rows)


def make_cpns_baru(rng: np.random.Generator, pop: dict[str, np.ndarray], n_new: int) -> np.ndarray:
    """Mark ``n_new`` CPNS as still without Latsar (turning the most junior non-structural PNS into
    CPNS when there are too few); returns the boolean mask of CPNS *with* Latsar done."""
    status = pop["status"]
    cpns = np.flatnonzero(status == 0)
    if len(cpns) < n_new:
        cand = np.flatnonzero((status == 1) & (pop["jenis"] >= 3))
        extra = cand[np.argsort(pop["tmt"][cand])[::-1][: n_new - len(cpns)]]
        status[extra] = 0
        pop["gol"][extra] = np.minimum(pop["gol"][extra], 8)
        cpns = np.flatnonzero(status == 0)
    done = np.zeros(len(status), dtype=bool)
    if n_new > 0:
        done[cpns[rng.permutation(len(cpns))[n_new:]]] = True
    return done


def riwayat_table(rng: np.random.Generator, pop: dict[str, np.ndarray], ids: Any, plan_year: int,
                  cpns_latsar: np.ndarray | None = None) -> pd.DataFrame:
    """Training history: Latsar/Prajab, leadership under old and new names, some courses."""
    n = len(pop["id"])
    status, jenis, tmt = pop["status"], pop["jenis"], _days(pop["tmt"])
    tmt_year = tmt.astype("datetime64[Y]").astype(np.int64) + 1970
    recs: list[tuple[int, str, str, np.datetime64, float]] = []
    latsar = ((status == 1) & (rng.random(n) < 0.95)) | ((status == 0) & (cpns_latsar if cpns_latsar is not None
                                                                          else np.zeros(n, bool)))
    done = tmt + (180 + rng.integers(0, 180, n)).astype("timedelta64[D]")
    for i in np.flatnonzero(latsar):
        if tmt_year[i] < 2018:
            recs.append((i, "Diklat Prajabatan", "Diklat Prajabatan Golongan III", done[i], 200.0))
        else:
            recs.append((i, "Latsar CPNS", "Pelatihan Dasar CPNS", done[i], 240.0))
    # most officials have their leadership training; a few (and the recently appointed) do not yet
    lead = {J_PGW: ("PKP", "Diklatpim IV", 0.92), J_ADM: ("PKA", "Diklatpim III", 0.94), J_JPT: ("PKN II", "Diklatpim II", 0.95)}
    u = rng.random(n)
    when = np.datetime64("2012-01-01") + rng.integers(0, 365 * 14, n).astype("timedelta64[D]")
    last = np.datetime64(f"{plan_year - 1}-10-31")
    for j, (new, old, share) in lead.items():
        for i in np.flatnonzero((jenis == j) & (u < share)):
            d = max(when[i], done[i] + np.timedelta64(3 * 365, "D"))
            if d > last:  # appointed too recently: not yet trained (an official without it)
                continue
            name = old if d < np.datetime64("2019-01-01") else new
            jp = {J_PGW: 380.0, J_ADM: 420.0, J_JPT: 480.0}[j]
            recs.append((i, name, f"{name} Angkatan {1 + i % 5}", d, jp))
    kursus = ["Kursus Bahasa Inggris", "Kursus Aplikasi Perkantoran", "Kursus Kearsipan Dasar"]
    for i in np.flatnonzero(rng.random(n) < 0.08):
        recs.append((i, "Kursus", kursus[i % 3], np.datetime64("2020-01-01") + np.timedelta64(int(i % 1800), "D"), 30.0))
    recs.sort(key=lambda r: (r[0], r[3]))
    who = np.array([r[0] for r in recs], dtype=np.int64)
    return pd.DataFrame({
        "pegawai_id": from_codes(who, ids),
        "jenis": str_series([r[1] for r in recs]),
        "nama": str_series([r[2] for r in recs]),
        "tanggal_selesai": as_timestamps(np.array([r[3] for r in recs], dtype="datetime64[D]")),
        "jp": np.array([r[4] for r in recs], dtype=float),
        "status": str_series(["lulus"] * len(recs)),
    })


def kesetaraan_table() -> pd.DataFrame:
    """A small agency override of the default equivalence table."""
    return pd.DataFrame({"nama_lama": str_series(["Diklat Kepemimpinan Tingkat IV", "Diklat Kepemimpinan Tingkat III",
                                                  "Pelatihan Dasar CPNS"]),
                         "wajib": str_series(["pkp", "pka", "latsar"])})


def formasi_table(plan_year: int, cpns: int, unit_codes: list[str]) -> pd.DataFrame:
    """A CPNS intake of ``cpns`` people (split over two units) and a PPPK intake."""
    a = [u for u in ("DINKES", "DISDIK") if u in unit_codes] or unit_codes[:2]
    first = cpns - cpns // 2
    rows = [("CPNS", first, a[0], "", f"{plan_year}-03-01"), ("CPNS", cpns - first, a[-1], "", f"{plan_year}-03-01"),
            ("PPPK", max(2, cpns), a[-1], "", f"{plan_year}-07-01")]
    rows = [r for r in rows if r[1] > 0]
    return pd.DataFrame({
        "status": str_series([r[0] for r in rows]),
        "jumlah": np.array([r[1] for r in rows], dtype=np.int64),
        "kode_unit": str_series([r[2] for r in rows]),
        "jabatan": masked_str_series(np.array([r[3] for r in rows], dtype=object), np.array([r[3] == "" for r in rows])),
        "tmt_perkiraan": pd.to_datetime(pd.Series([r[4] for r in rows])).astype("datetime64[s]"),
    })


def jf_wajib_table() -> pd.DataFrame:
    rows = [("Analis Kebijakan", "ahli pertama", "pengangkatan_pertama", "PRG-022"),
            ("Auditor", "terampil", "pengangkatan_pertama", "PRG-023"),
            ("Perencana", "ahli pertama", "pengangkatan_pertama", "PRG-024")]
    return pd.DataFrame({c: str_series([r[k] for r in rows]) for k, c in
                         enumerate(("jf_nama", "jenjang", "pemicu", "program_id"))})


def komponen_biaya_table() -> pd.DataFrame:
    """Latsar, PKP and PKA split between BKPSDM (contribution) and the participant's OPD (travel);
    each programme's components add up to its ``biaya_per_peserta``."""
    rows = [("PRG-001", "kontribusi", _REK_PELATIHAN, 15_000_000, "BKPSDM"),
            ("PRG-001", "perjalanan_dinas", _REK_PERJADIN, 3_500_000, "OPD_peserta"),
            ("PRG-002", "kontribusi", _REK_PELATIHAN, 21_000_000, "BKPSDM"),
            ("PRG-002", "perjalanan_dinas", _REK_PERJADIN, 3_500_000, "OPD_peserta"),
            ("PRG-044", "kontribusi", _REK_PELATIHAN, 8_000_000, "BKPSDM"),
            ("PRG-044", "perjalanan_dinas", _REK_PERJADIN, 1_500_000, "OPD_peserta")]
    return pd.DataFrame({
        "program_id": str_series([r[0] for r in rows]), "komponen": str_series([r[1] for r in rows]),
        "kode_rekening": str_series([r[2] for r in rows]), "biaya": np.array([r[3] for r in rows], dtype=np.int64),
        "pembayar": str_series([r[4] for r in rows]),
    })


def make_nips(pop: dict[str, np.ndarray], born: pd.Series, plan_year: int) -> pd.Series:
    """Synthetic 18-digit NIPs: birth date, TMT (CPNS or PPPK) year and month, sex, a sequence."""
    tmt = pd.Series(pop["tmt"].astype("datetime64[s]"))
    sex = np.where(pop["female"], "2", "1")
    stem = born.dt.strftime("%Y%m%d") + tmt.dt.strftime("%Y%m") + pd.Series(sex)
    seq = stem.groupby(stem).cumcount() + 1
    return (stem + seq.map(lambda k: f"{k:03d}")).astype("str")


def unit_headcount(pop: dict[str, np.ndarray]) -> dict[str, int]:
    codes = [u.code for u in UNITS]
    return {codes[u]: int(c) for u, c in zip(*np.unique(pop["unit"], return_counts=True), strict=True)}
