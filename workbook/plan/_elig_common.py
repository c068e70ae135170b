"""Shared helpers of the eligibility and mandatory-training kernels (issue #17): codes, list
parsing, dates and the wajib code of a free training label. Private: import from
:mod:`workbook.plan.eligibility` and :mod:`workbook.plan.mandatory`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.exceptions import DataError
from workbook.core.i18n import t

# Codes of `katalog_program.wajib` (data contract of #17), in the order the documents list them.
WAJIB_CODES = ("latsar", "orientasi_pppk", "pkp", "pka", "pkn2", "pkn1", "jf_pembentukan", "jf_penjenjangan")
LEADERSHIP = ("pkp", "pka", "pkn2", "pkn1")
JF_CODES = ("jf_pembentukan", "jf_penjenjangan")
JENIS_PROGRAM = ("wajib", "kepemimpinan", "teknis", "fungsional", "sosiokultural", "lainnya")
# `pegawai.status_aktif` → unavailable_reason code (blank / aktif = available).
STATUS_AKTIF = {
    "cuti_di_luar_tanggungan_negara": "cuti_dltn",
    "tugas_belajar": "tugas_belajar",
    "diberhentikan_sementara": "diberhentikan_sementara",
    "pensiun_tahun_rencana": "pensiun_tahun_rencana",
}
# status_pada_tahun_rencana → the `sasaran_status` values it matches.
STATUS_MATCHES = {"PNS": ("pns",), "CPNS": ("cpns",), "CPNS_jadi_PNS": ("cpns", "pns"), "PPPK": ("pppk",)}


def text(col: pd.Series | None, index: pd.Index) -> pd.Series:
    """A text column stripped, blanks as "" (a missing column gives all "")."""
    if col is None:
        return pd.Series("", index=index, dtype=object)
    out = col.astype(object).where(col.notna(), "")
    return out.astype(str).str.strip().astype(object)


def dates(col: pd.Series | None, index: pd.Index) -> pd.Series:
    """A date column as datetime64 (missing column or unreadable value → NaT)."""
    if col is None:
        return pd.Series(pd.NaT, index=index, dtype="datetime64[us]")
    return pd.to_datetime(col, errors="coerce").astype("datetime64[us]")


def split_list(value: Any) -> tuple[str, ...]:
    """A `;`-separated list cell (or a list) as a tuple of lower-case items; blank → ()."""
    if value is None or (not isinstance(value, (list, tuple, np.ndarray)) and pd.isna(value)):
        return ()
    items = value if isinstance(value, (list, tuple, np.ndarray)) else str(value).split(";")
    return tuple(s for s in (str(i).strip().lower() for i in items) if s)


def months_between(earlier: pd.Series, later: pd.Timestamp) -> pd.Series:
    """Months (float, 30.4375 days each) from each date to ``later``; NaT → NaN."""
    return (later - earlier).dt.days / 30.4375


def compile_patterns(pairs: Iterable[tuple[str, str]]) -> list[tuple[re.Pattern, str]]:
    """(pattern, code) → compiled case-insensitive patterns; an invalid pattern is matched as
    plain text (an agency's table may hold old names with brackets)."""
    out = []
    for pattern, code in pairs:
        try:
            rx = re.compile(str(pattern), re.IGNORECASE)
        except re.error:
            rx = re.compile(re.escape(str(pattern)), re.IGNORECASE)
        out.append((rx, str(code).strip().lower()))
    return out


def label_codes(labels: pd.Series, patterns: list[tuple[re.Pattern, str]]) -> pd.Series:
    """The wajib code of each label: the first pattern of the table that matches (``""`` when
    none). Matched once per distinct label, so the cost does not grow with the rows."""
    uniq = pd.unique(labels.astype(str))
    found = {}
    for lab in uniq:
        found[lab] = next((code for rx, code in patterns if rx.search(lab)), "")
    return labels.astype(str).map(found)


def kesetaraan_patterns(settings, kesetaraan: pd.DataFrame | None) -> list[tuple[re.Pattern, str]]:
    """The equivalence table: the agency's `kesetaraan_pelatihan` (nama_lama, wajib) first, then
    ``eligibility.kesetaraan`` of the settings (the first pattern that matches decides, so an
    agency row adds a name or re-maps one; an agency replaces the defaults through its settings)."""
    rows = []
    if kesetaraan is not None and len(kesetaraan):
        rows += list(zip(kesetaraan["nama_lama"], kesetaraan["wajib"], strict=True))
    rows += [(r["nama_lama"], r["wajib"]) for r in settings["eligibility.kesetaraan"]]
    return compile_patterns((p, c) for p, c in rows if str(c).strip().lower() in WAJIB_CODES)


def join_codes(flags: dict[str, pd.Series], index: pd.Index) -> pd.Series:
    """``{code: mask}`` → one `;`-joined code string per row (``""`` when no mask is set)."""
    out = pd.Series("", index=index, dtype=object)
    for code, mask in flags.items():
        mask = mask.reindex(index, fill_value=False).astype(bool)
        out = out.where(~mask, out + ";" + code)
    return out.str.lstrip(";")


# Every code the kernels can write (their words: plan.alasan.*, plan.asumsi.*; tested).
UNAVAILABLE_CODES = (*STATUS_AKTIF.values(), "pensiun_bup", "status_aktif_lain")
ALASAN_CODES = (
    *UNAVAILABLE_CODES, "status_tidak_sesuai", "jenis_jabatan_tidak_sesuai", "jenjang_tidak_sesuai",
    "jf_tidak_sesuai", "unit_tidak_sesuai", "bukan_cpns", "bukan_pppk", "pemicu_jf_tidak_ada", "sudah_memiliki",
    "lewat_masa_orientasi", "prasyarat_belum", "masa_kerja_kurang", "pegawai_tidak_dikenal",
    "program_tidak_dikenal",
)
ASUMSI_CODES = (
    "latsar_dari_status", "kepemimpinan_tanpa_riwayat", "tmt_cpns_dari_tmt", "tanpa_tmt_cpns",
    "jadi_pns_latsar_direncanakan", "tanpa_tanggal_lahir", "tanpa_tmt_jabatan", "pemicu_dari_tmt_jabatan",
)


def require(frame: pd.DataFrame | None, columns: Iterable[str], table: str) -> None:
    """Refuse an optional table given without a column the kernels need (DataError, located)."""
    if frame is None:
        return
    for col in columns:
        if col not in frame.columns:
            kw = {"table": table, "col": col}
            raise DataError(t("plan.elig_missing_column", "id", **kw), t("plan.elig_missing_column", "en", **kw),
                            file=table, column=col, expected=col)
