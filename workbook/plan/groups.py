"""From needs to the yearly plan (PP 11/2017 Pasal 205–207).

Stage module of the yearly cycle: need groups → candidate programmes → an exact group-level
plan under the Rupiah budget and the 20-JP right → people on seats → a person-level top-up for
every PNS still below 20 JP (who stays below, and why) → a month-by-month schedule → the
Pasal 207 plan table, individual development plans, mentoring pairs and the talent pool.

Layers, as everywhere in the workbook: private numeric kernels (``_solve_groups``,
``_greedy_groups``, ``_jp_convert``, ``_nine_box``) and public validating wrappers that raise
:class:`~workbook.core.exceptions.DataError` / :class:`~workbook.core.exceptions.InfeasibleError` with an
Indonesian and an English message and return DataFrames with snake_case columns. Compute code
never rounds or formats.

Person-level outputs (``assign_people``, ``schedule``, ``individual_plans``,
``mentoring_pairs``, ``talent_pool``) are pseudonymous and carry
``attrs["output_class"] == "restricted"``; re-identification is done elsewhere.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError, InfeasibleError, SettingsError
from workbook.core.schema import BENTUK, GOLONGAN
from workbook.core.settings import Settings, load_settings

__all__ = [
    "GroupPlan",
    "PersonAssignment",
    "LEADERSHIP_LADDER",
    "JABATAN_RANK",
    "JENJANG_RANK",
    "JP_OWED_STATUS",
    "NINE_BOX",
    "PLAN_TABLE_COLUMNS_EN",
    "JENIS_KOMPETENSI_LABEL",
    "REASONS",
    "programme_jp",
    "quiet_c_output",
    "need_groups",
    "candidate_programmes",
    "plan_groups",
    "assign_people",
    "top_up_people",
    "TAHAP",
    "schedule",
    "mentoring_pairs",
    "talent_pool",
    "plan_table",
    "individual_plans",
    "budget_by_unit",
    "jp_coverage",
]

# --------------------------------------------------------------------------------------------
# constants (the assumptions live in settings; constants mirror their defaults)
# --------------------------------------------------------------------------------------------

#: Training forms whose JP follow the curriculum and get +20 % when international
#: (LAN, Konversi Pengembangan Kompetensi Non Klasikal rev. 201022 [S26]; DOMAIN.md §1.7).
_PLUS_INTERNATIONAL = (
    "pelatihan_manajerial",
    "pelatihan_teknis",
    "pelatihan_fungsional",
    "pelatihan_sosial_kultural",
)
#: Forms converted per day (seminar, lokakarya) — keys of ``jp.conversion``.
_PER_DAY = ("seminar", "lokakarya")


def _default(key: str) -> Any:
    """A value of the default settings (``workbook/defaults.yaml``), read once at import."""
    return _DEFAULTS[key]


_DEFAULTS = load_settings()

#: Statuses owed the 20-JP minimum: the default of ``plan.jp_owed_status`` (PP 11/2017: "setiap
#: PNS"). CPNS follow Latsar and are neither owed nor capped (assumption). Functions read the
#: setting; this constant mirrors the default.
JP_OWED_STATUS: tuple[str, ...] = tuple(_default("plan.jp_owed_status"))

#: Leadership-training ladder ``jenis_jabatan`` → (next jabatan, training): the default of
#: ``talent.leadership_ladder`` (assumption; DOMAIN.md §1.4, §1.7).
LEADERSHIP_LADDER: dict[str, tuple[str, str]] = {
    k: (str(v[0]), str(v[1])) for k, v in _default("talent.leadership_ladder").items()
}

#: Seniority rank of ``jenis_jabatan``: the default of ``talent.jabatan_rank`` (assumption).
JABATAN_RANK: dict[str, int] = {k: int(v) for k, v in _default("talent.jabatan_rank").items()}
#: Seniority rank of ``jenjang``: the default of ``talent.jenjang_rank`` (assumption).
JENJANG_RANK: dict[str, int] = {k: int(v) for k, v in _default("talent.jenjang_rank").items()}
_GOL_RANK = {g: i for i, g in enumerate(GOLONGAN)}

#: 9-box numbering: (kinerja, potensial) → box. ``permenpanrb_3_2020`` as in public ASN talent
#: apps (DOMAIN.md §1.8 [S30]); ``kemenkeu`` is the kinerja × kompetensi variant [S31].
NINE_BOX: dict[str, dict[tuple[str, str], int]] = {
    "permenpanrb_3_2020": {
        ("di_atas", "tinggi"): 9,
        ("sesuai", "tinggi"): 8,
        ("di_atas", "menengah"): 7,
        ("di_bawah", "tinggi"): 6,
        ("sesuai", "menengah"): 5,
        ("di_atas", "rendah"): 4,
        ("di_bawah", "menengah"): 3,
        ("sesuai", "rendah"): 2,
        ("di_bawah", "rendah"): 1,
    },
    "kemenkeu": {
        ("di_bawah", "rendah"): 1,
        ("di_bawah", "menengah"): 2,
        ("di_bawah", "tinggi"): 3,
        ("sesuai", "rendah"): 4,
        ("di_atas", "rendah"): 5,
        ("sesuai", "menengah"): 6,
        ("sesuai", "tinggi"): 7,
        ("di_atas", "menengah"): 8,
        ("di_atas", "tinggi"): 9,
    },
}
#: Recommendation per box under PermenPANRB 3/2020 numbering (DOMAIN.md §1.8 [S30]): (id, en).
_BOX_TEXT: dict[int, tuple[str, str]] = {
    9: (
        "Dipromosikan dan dipertahankan; masuk kelompok rencana suksesi instansi/nasional; penghargaan",
        "Promote and retain; national/agency succession pool; recognition",
    ),
    8: (
        "Dipertahankan; suksesi instansi; rotasi/perluasan jabatan; bimbingan kinerja",
        "Retain; agency succession pool; rotation/job enlargement; performance coaching",
    ),
    7: (
        "Dipertahankan; suksesi instansi; rotasi/pengayaan jabatan; pengembangan kompetensi; tugas belajar",
        "Retain; agency succession pool; rotation/job enrichment; competency development; study assignment",
    ),
    6: (
        "Penempatan yang sesuai; bimbingan kinerja; konseling kinerja",
        "Suitable placement; performance coaching; performance counselling",
    ),
    5: (
        "Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi",
        "Suitable placement; performance coaching; competency development",
    ),
    4: ("Rotasi; pengembangan kompetensi", "Rotation; competency development"),
    3: (
        "Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai",
        "Performance coaching; performance counselling; competency development; suitable placement",
    ),
    2: (
        "Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai",
        "Performance coaching; competency development; suitable placement",
    ),
    1: (
        "Diproses sesuai ketentuan peraturan perundang-undangan",
        "Handled according to the regulations",
    ),
}

#: Why someone cannot reach the plan: code → (Indonesian, English).
REASONS: dict[str, tuple[str, str]] = {
    "no_need": (
        "tidak ada kebutuhan pengembangan yang teridentifikasi",
        "no development need identified",
    ),
    "no_programme": (
        "tidak ada program di katalog yang menjawab kebutuhannya",
        "no catalogue programme addresses their needs",
    ),
    "budget": ("anggaran habis", "budget exhausted"),
    "capacity": (
        "kapasitas/bulan penyelenggaraan program penuh",
        "programme capacity/months are full",
    ),
    "pppk_cap": (
        "batas JP PPPK (program melebihi batas JP PPPK)",
        "PPPK JP cap (programmes exceed the PPPK JP cap)",
    ),
    "lower_priority": (
        "nilai kebutuhan lebih rendah daripada kebutuhan lain",
        "lower need value than other needs",
    ),
    "top_up_off": (
        "tahap tambahan per orang dimatikan (plan.top_up)",
        "person-level top-up switched off (plan.top_up)",
    ),
}

#: Pasal 207 plan-table columns (Indonesian) → English.
PLAN_TABLE_COLUMNS_EN: dict[str, str] = {
    "jenis_kebutuhan": "need_type",
    "kode_kompetensi": "competency_code",
    "jenis_kompetensi": "competency_type",
    "nama_kompetensi": "competency_name",
    "target_pns": "target_employees",
    "target_unit": "target_units",
    "jenis_pengembangan": "development_form",
    "jalur_pengembangan": "development_route",
    "program_id": "programme_id",
    "nama_program": "programme_name",
    "penyelenggara": "provider",
    "jadwal": "schedule",
    "kesesuaian_kurikulum": "curriculum_fit",
    "anggaran": "budget",
    "jp": "jp",
    "kebutuhan_pns": "employees_in_need",
}
_LINE_TYPE = {
    "kompetensi": ("kesenjangan kompetensi", "competency gap"),
    "kinerja": ("kesenjangan kinerja", "performance gap"),
    "umum": ("pengembangan umum (pemenuhan JP minimal)", "general development (JP minimum)"),
}
#: ``jenis`` of ``kamus_kompetensi`` → (Indonesian, English) label in the plan table.
JENIS_KOMPETENSI_LABEL: dict[str, tuple[str, str]] = {
    "teknis": ("teknis", "technical"),
    "manajerial": ("manajerial", "managerial"),
    "sosial_kultural": ("sosial kultural", "socio-cultural"),
}

_GROUP_KEY_ORDER = ("profil", "kode_unit", "status", "jenis_kebutuhan", "kode_kompetensi")


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------


def _owed(s: Settings) -> tuple[str, ...]:
    """Statuses owed the JP minimum (``plan.jp_owed_status``)."""
    return tuple(str(v) for v in s.get("plan.jp_owed_status", JP_OWED_STATUS))


def _num(
    series: pd.Series, table: str, column: str, *, lo: float = 0.0, allow_nan: bool = True
) -> np.ndarray:
    s = series
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        s = s.astype("object").map(
            lambda v: np.nan if v is None or (isinstance(v, str) and v.strip() == "") else v
        )
    out = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = (out.isna() & s.notna()) | (out < lo)
    if not allow_nan:
        bad |= out.isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"Tabel '{table}', kolom '{column}': nilai tidak sah ({series.iloc[pos]!r}); "
            f"harus angka ≥ {lo:g}.",
            f"Table '{table}', column '{column}': invalid value ({series.iloc[pos]!r}); "
            f"must be a number ≥ {lo:g}.",
            file=table,
            row=pos + 2,
            column=column,
            value=series.iloc[pos],
            expected=f"≥ {lo:g}",
        )
    return out.to_numpy()


def _text(series: pd.Series) -> np.ndarray:
    return np.array(
        [
            ""
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA
            else str(v).strip()
            for v in series
        ],
        dtype=object,
    )


def _as_list(v: Any) -> list[str]:
    """A ';'-list cell (list from the reader, or text) as a list of stripped strings."""
    if v is None or v is pd.NA:
        return []
    if isinstance(v, float) and np.isnan(v):
        return []
    if isinstance(v, (list, tuple, np.ndarray)):
        return [str(x).strip() for x in v if str(x).strip()]
    return [p.strip() for p in str(v).replace(",", ";").split(";") if p.strip()]


def _months(v: Any, table: str = "katalog_program") -> list[int]:
    items = _as_list(v)
    if not items:
        return list(range(1, 13))
    out = []
    for it in items:
        try:
            m = int(float(it))
        except ValueError:
            m = 0
        if not 1 <= m <= 12:
            raise DataError(
                f"Tabel '{table}', kolom 'bulan_tersedia': bulan tidak sah {it!r} (harus 1–12).",
                f"Table '{table}', column 'bulan_tersedia': invalid month {it!r} (must be 1–12).",
                file=table,
                column="bulan_tersedia",
                value=it,
                expected="1–12",
            )
        out.append(m)
    return sorted(set(out))


def _frame_of(obj: Any, attr: str) -> pd.DataFrame:
    """Accept a result object or a DataFrame."""
    if isinstance(obj, pd.DataFrame):
        return obj
    if hasattr(obj, attr):
        return getattr(obj, attr)
    raise DataError(
        f"Masukan harus DataFrame atau objek dengan atribut '{attr}'.",
        f"Input must be a DataFrame or an object with attribute '{attr}'.",
    )


# --------------------------------------------------------------------------------------------
# 1. formulation: JP per programme and candidate programmes
# --------------------------------------------------------------------------------------------


def _jp_convert(
    bentuk: np.ndarray, jp: np.ndarray, hari: np.ndarray, intl: np.ndarray, conv: dict
) -> tuple[np.ndarray, np.ndarray]:
    """Kernel: JP and basis per programme (NaN where neither JP nor days are known)."""
    n = len(bentuk)
    out = np.full(n, np.nan)
    basis = np.full(n, "", dtype=object)
    extra = 1.0 + float(conv.get("pelatihan_internasional_tambahan", 0.20))
    default = float(conv.get("jp_per_hari_default", 8))
    for i in range(n):
        b, scope = bentuk[i], "internasional" if intl[i] else "nasional"
        plus = b in _PLUS_INTERNATIONAL and intl[i]
        if not np.isnan(jp[i]):
            out[i] = jp[i] * (extra if plus else 1.0)
            basis[i] = "konversi" if plus else "katalog"
        elif not np.isnan(hari[i]):
            if b in _PER_DAY and isinstance(conv.get(b), dict) and scope in conv[b]:
                out[i] = hari[i] * float(conv[b][scope])
                basis[i] = "konversi"
            else:
                out[i] = hari[i] * default * (extra if plus else 1.0)
                basis[i] = "asumsi"
    return out, basis


def programme_jp(katalog: pd.DataFrame, *, settings: Settings | None = None) -> pd.DataFrame:
    """JP (jam pelajaran) per catalogue programme, from the catalogue or converted from days.

    Parameters
    ----------
    katalog : DataFrame
        ``katalog_program``: ``program_id``, ``bentuk``; ``jp`` and/or ``hari``; optional
        ``cakupan`` (``nasional``/``internasional``; blank = nasional).
    settings : Settings, optional
        ``jp.conversion``.

    Returns
    -------
    DataFrame
        ``program_id``, ``bentuk``, ``cakupan``, ``jp`` (float), ``jp_basis``:
        ``"katalog"`` (the curriculum JP of the catalogue), ``"konversi"`` (the LAN table
        applied) or ``"asumsi"`` (days × ``jp_per_hari_default``, an unsourced assumption).

    Raises
    ------
    DataError
        A programme has neither ``jp`` nor ``hari``, or an unknown ``bentuk``.

    Notes
    -----
    LAN conversion table [S26] (DOMAIN.md §1.7):

    * seminar / konferensi: :math:`JP = 4h` (national), :math:`6h` (international), *h* days;
    * workshop / lokakarya: :math:`JP = 5h` / :math:`7h`;
    * pelatihan manajerial / teknis / fungsional / sosial kultural: the curriculum JP, and
      :math:`1.2 \\times JP` when international;
    * any other form known only in days: :math:`JP = h \\cdot d` with
      :math:`d` = ``jp_per_hari_default`` (8) — flagged ``asumsi``.

    References
    ----------
    .. [S26] LAN, *Konversi Pengembangan Kompetensi Non Klasikal* (slides, rev. 201022).

    Examples
    --------
    >>> k = pd.DataFrame({"program_id": ["A", "B"], "bentuk": ["seminar", "lokakarya"],
    ...                   "hari": [2, 3], "cakupan": ["nasional", "internasional"]})
    >>> programme_jp(k)["jp"].tolist()
    [8.0, 21.0]
    """
    s = _settings(settings)
    _require_columns(katalog, ["program_id", "bentuk"], "katalog_program")
    if "jp" not in katalog.columns and "hari" not in katalog.columns:
        raise DataError(
            "Tabel 'katalog_program' harus punya kolom 'jp' atau 'hari'.",
            "Table 'katalog_program' needs a 'jp' or a 'hari' column.",
            file="katalog_program",
            column="jp",
            expected="jp, hari",
        )
    n = len(katalog)
    bentuk = _text(katalog["bentuk"])
    unknown = sorted({b for b in bentuk if b not in BENTUK})
    if unknown:
        raise DataError(
            f"Tabel 'katalog_program', kolom 'bentuk': nilai tidak dikenal {unknown[0]!r}.",
            f"Table 'katalog_program', column 'bentuk': unknown value {unknown[0]!r}.",
            file="katalog_program",
            column="bentuk",
            value=unknown[0],
            expected=", ".join(BENTUK),
        )
    jp = _num(katalog["jp"], "katalog_program", "jp") if "jp" in katalog else np.full(n, np.nan)
    hari = (
        _num(katalog["hari"], "katalog_program", "hari")
        if "hari" in katalog
        else np.full(n, np.nan)
    )
    scope = _text(katalog["cakupan"]) if "cakupan" in katalog else np.full(n, "", dtype=object)
    scope = np.where(scope == "", "nasional", scope)
    bad_scope = sorted({c for c in scope if c not in ("nasional", "internasional")})
    if bad_scope:
        raise DataError(
            f"Tabel 'katalog_program', kolom 'cakupan': nilai tidak dikenal {bad_scope[0]!r}.",
            f"Table 'katalog_program', column 'cakupan': unknown value {bad_scope[0]!r}.",
            file="katalog_program",
            column="cakupan",
            value=bad_scope[0],
            expected="nasional, internasional",
        )
    out, basis = _jp_convert(bentuk, jp, hari, scope == "internasional", s["jp.conversion"])
    miss = np.flatnonzero(np.isnan(out))
    if len(miss):
        pid = str(katalog["program_id"].iloc[miss[0]])
        raise DataError(
            f"Program {pid}: JP tidak diketahui (kolom 'jp' dan 'hari' kosong).",
            f"Programme {pid}: JP unknown (both 'jp' and 'hari' are blank).",
            file="katalog_program",
            row=int(miss[0]) + 2,
            column="jp",
            value=pid,
            expected="jp atau hari / jp or hari",
        )
    return pd.DataFrame(
        {
            "program_id": pd.array(_text(katalog["program_id"]), dtype="str"),
            "bentuk": pd.array(bentuk, dtype="str"),
            "cakupan": pd.array(scope, dtype="str"),
            "jp": out,
            "jp_basis": pd.array(basis, dtype="str"),
        }
    )


def need_groups(
    inventory: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    profiles: pd.DataFrame | None = None,
    performance: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Need groups (profile × unit × status × competency) from the person-level inventory.

    Parameters
    ----------
    inventory : DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``need_score`` (from ``needs.inventory``).
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``.
    profiles : DataFrame or Series, optional
        ``pegawai_id`` and ``profil`` (or ``profile``) — the need-profile label — or a Series
        of labels indexed by ``pegawai_id``; adds ``profil`` to the group key.
    performance : DataFrame, optional
        Performance-gap lines: ``pegawai_id``, ``kode_kompetensi`` (the competency chosen to
        answer the person's performance gap), optional ``need_score`` (default 1.0). They form
        groups with ``jenis_kebutuhan == "kinerja"``.

    Returns
    -------
    DataFrame
        Group keys (``profil`` if given, ``kode_unit``, ``status``, ``jenis_kebutuhan``,
        ``kode_kompetensi``), ``n_need`` (people), ``need_score`` (mean need score of the
        people; a blank need score counts as 0), ``need_total`` (sum).
    """
    _require_columns(inventory, ["pegawai_id", "kode_kompetensi", "need_score"], "inventory")
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    peg = pd.DataFrame(
        {
            "pegawai_id": _text(pegawai["pegawai_id"]),
            "kode_unit": _text(pegawai["kode_unit"]),
            "status": _text(pegawai["status"]),
        }
    )
    if profiles is not None:
        if isinstance(profiles, pd.Series):  # labels indexed by pegawai_id
            profiles = pd.DataFrame({"pegawai_id": profiles.index, "profil": profiles.to_numpy()})
        if (
            isinstance(profiles, pd.DataFrame)
            and "profile" in profiles
            and "profil" not in profiles
        ):
            profiles = profiles.rename(columns={"profile": "profil"})
        _require_columns(profiles, ["pegawai_id", "profil"], "profiles")
        peg = peg.merge(
            pd.DataFrame(
                {"pegawai_id": _text(profiles["pegawai_id"]), "profil": _text(profiles["profil"])}
            ),
            on="pegawai_id",
            how="left",
        )
        peg["profil"] = peg["profil"].fillna("")
    lines = [
        pd.DataFrame(
            {
                "pegawai_id": _text(inventory["pegawai_id"]),
                "kode_kompetensi": _text(inventory["kode_kompetensi"]),
                "need_score": np.nan_to_num(
                    _num(inventory["need_score"], "inventory", "need_score", lo=-np.inf)
                ),
                "jenis_kebutuhan": "kompetensi",
            }
        )
    ]
    if performance is not None:
        _require_columns(performance, ["pegawai_id", "kode_kompetensi"], "performance")
        sc = (
            np.nan_to_num(_num(performance["need_score"], "performance", "need_score"), nan=1.0)
            if "need_score" in performance
            else np.ones(len(performance))
        )
        lines.append(
            pd.DataFrame(
                {
                    "pegawai_id": _text(performance["pegawai_id"]),
                    "kode_kompetensi": _text(performance["kode_kompetensi"]),
                    "need_score": sc,
                    "jenis_kebutuhan": "kinerja",
                }
            )
        )
    d = pd.concat(lines, ignore_index=True).merge(peg, on="pegawai_id", how="inner")
    keys = [k for k in _GROUP_KEY_ORDER if k in d.columns]
    g = (
        d.groupby(keys, sort=True)
        .agg(n_need=("pegawai_id", "nunique"), need_total=("need_score", "sum"))
        .reset_index()
    )
    g["need_score"] = g["need_total"] / g["n_need"]
    g["n_need"] = g["n_need"].astype("int64")
    for k in keys:
        g[k] = g[k].astype("str")
    return g[keys + ["n_need", "need_score", "need_total"]]


def _catalogue(katalog: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Validated catalogue with JP, months, max sessions and funding source."""
    _require_columns(
        katalog,
        ["program_id", "bentuk", "kode_kompetensi", "biaya_per_peserta", "kapasitas_per_sesi"],
        "katalog_program",
    )
    jp = programme_jp(katalog, settings=s)
    pid = _text(katalog["program_id"])
    if len(set(pid)) != len(pid):
        dup = pd.Series(pid)[pd.Series(pid).duplicated()].iloc[0]
        raise DataError(
            f"Tabel 'katalog_program': program_id ganda {dup!r}.",
            f"Table 'katalog_program': duplicate program_id {dup!r}.",
            file="katalog_program",
            column="program_id",
            value=dup,
        )
    cap = _num(
        katalog["kapasitas_per_sesi"],
        "katalog_program",
        "kapasitas_per_sesi",
        lo=1,
        allow_nan=False,
    )
    cost = _num(
        katalog["biaya_per_peserta"], "katalog_program", "biaya_per_peserta", allow_nan=False
    )
    n = len(katalog)
    bentuk = _text(katalog["bentuk"])
    jalur = _text(katalog["jalur"]) if "jalur" in katalog else np.full(n, "", dtype=object)
    jalur = np.where(jalur == "", [BENTUK.get(b, "") for b in bentuk], jalur)

    def col(c: str) -> np.ndarray:
        return _text(katalog[c]) if c in katalog else np.full(n, "", dtype=object)

    months = [
        _months(v)
        for v in (katalog["bulan_tersedia"] if "bulan_tersedia" in katalog else [None] * n)
    ]
    return pd.DataFrame(
        {
            "program_id": pid,
            "nama_program": col("nama_program"),
            "bentuk": bentuk,
            "jalur": jalur,
            "kompetensi": [_as_list(v) for v in katalog["kode_kompetensi"]],
            "jp": jp["jp"].to_numpy(),
            "jp_basis": jp["jp_basis"].to_numpy(dtype=object),
            "biaya_per_peserta": cost,
            "kapasitas_per_sesi": np.floor(cap).astype("int64"),
            "penyelenggara": col("penyelenggara"),
            "bulan": months,
            "sumber_dana": col("sumber_dana"),
            "kesesuaian_kurikulum": col("kesesuaian_kurikulum"),
        }
    )


def _groups(groups: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    _require_columns(groups, ["kode_unit", "kode_kompetensi", "n_need", "need_score"], "groups")
    g = groups.copy()
    if "status" not in g:
        g["status"] = "PNS"
    if "jenis_kebutuhan" not in g:
        g["jenis_kebutuhan"] = "kompetensi"
    keys = [k for k in _GROUP_KEY_ORDER if k in g.columns]
    for k in keys:
        g[k] = _text(g[k])
    n = _num(g["n_need"], "groups", "n_need", allow_nan=False)
    if (n != np.floor(n)).any():
        raise DataError(
            "Tabel 'groups', kolom 'n_need': harus bilangan bulat.",
            "Table 'groups', column 'n_need': must be whole numbers.",
            file="groups",
            column="n_need",
        )
    g["n_need"] = n.astype("int64")
    g["need_score"] = np.nan_to_num(_num(g["need_score"], "groups", "need_score", lo=-np.inf))
    bad = sorted(set(g["jenis_kebutuhan"]) - set(_LINE_TYPE))
    if bad:
        raise DataError(
            f"Tabel 'groups', kolom 'jenis_kebutuhan': nilai tidak dikenal {bad[0]!r}.",
            f"Table 'groups', column 'jenis_kebutuhan': unknown value {bad[0]!r}.",
            file="groups",
            column="jenis_kebutuhan",
            value=bad[0],
            expected="kompetensi, kinerja",
        )
    if g.duplicated(keys).any():
        raise DataError(
            "Tabel 'groups': kunci kelompok ganda.",
            "Table 'groups': duplicate group key.",
            file="groups",
            expected=", ".join(keys),
        )
    return g.reset_index(drop=True), keys


def candidate_programmes(
    needs_groups: pd.DataFrame, katalog: pd.DataFrame, *, settings: Settings | None = None
) -> pd.DataFrame:
    """Catalogue programmes that address each need group's competency.

    Parameters
    ----------
    needs_groups : DataFrame
        One row per need group: ``kode_unit``, ``kode_kompetensi``, ``n_need``,
        ``need_score``; optional ``profil``, ``status`` (default PNS), ``jenis_kebutuhan``
        (``kompetensi`` default, or ``kinerja`` for performance-gap lines).
    katalog : DataFrame
        ``katalog_program`` (``kode_kompetensi`` is a ';'-list).
    settings : Settings, optional

    Returns
    -------
    DataFrame
        One row per group × programme: the group keys, ``n_need``, ``need_score``,
        ``program_id``, ``nama_program``, ``bentuk``, ``jalur`` (route: klasikal /
        nonklasikal), ``jp``, ``jp_basis``, ``biaya_per_peserta``, ``biaya_per_jp``,
        ``kapasitas_per_sesi``, ``penyelenggara``. Groups without any programme do not appear
        (:func:`plan_groups` reports them with reason ``no_programme``).
    """
    s = _settings(settings)
    g, keys = _groups(needs_groups)
    cat = _catalogue(katalog, s)
    ex = cat.explode("kompetensi").dropna(subset=["kompetensi"])
    ex = ex.rename(columns={"kompetensi": "kode_kompetensi"})
    out = g[keys + ["n_need", "need_score"]].merge(
        ex[
            [
                "kode_kompetensi",
                "program_id",
                "nama_program",
                "bentuk",
                "jalur",
                "jp",
                "jp_basis",
                "biaya_per_peserta",
                "kapasitas_per_sesi",
                "penyelenggara",
            ]
        ],
        on="kode_kompetensi",
        how="inner",
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out["biaya_per_jp"] = np.where(out["jp"] > 0, out["biaya_per_peserta"] / out["jp"], np.inf)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# 2. exact group-level plan
# --------------------------------------------------------------------------------------------


@dataclass
class GroupPlan:
    """Result of :func:`plan_groups`.

    Attributes
    ----------
    allocation : DataFrame
        One row per group × programme with participants > 0: group keys, ``program_id``,
        ``participants``, ``sessions`` (of the programme, repeated), ``cost``, ``jp``
        (JP per participant), ``jp_total``, ``value`` (need score × participants).
    coverage : DataFrame
        **Unit-level aggregate**, not a count of people: per unit ``kode_unit``, ``pns``,
        ``jp_owed``, ``jp_planned`` (JP of the planned PNS seats summed over the unit, each seat
        counted up to the minimum), ``shortfall`` (aggregate JP shortfall of the unit), ``pppk``,
        ``jp_pppk``, ``jp_pppk_cap``, ``reason`` (codes, ';'), ``alasan``, ``reason_en``,
        ``basis`` (``"agregat_unit"``), ``catatan`` / ``note`` (says so). A shortfall of 0 does
        not mean that every PNS reaches the minimum: that is measured per person by
        :func:`jp_coverage` after :func:`assign_people` and :func:`top_up_people`.
    budget : DataFrame
        Per funding line: ``sumber_dana``, ``kode_unit``, ``pagu``, ``used``, ``remaining``.
    explanations : DataFrame
        Per programme: ``program_id``, ``nama_program``, ``selected``, ``participants``,
        ``reason`` (code), ``alasan`` (Indonesian), ``reason_en``.
    unmet : DataFrame
        Per need group with people left without a programme: keys, ``n_need``,
        ``participants``, ``unmet``, ``reason``, ``alasan``, ``reason_en``.
    greedy : DataFrame
        The greedy value-per-Rupiah allocation (same columns as ``allocation``).
    status : str
        ``"optimal"`` or ``"time_limit"`` (best feasible solution found).
    objective : float
        Need value − penalty × JP shortfall of the exact plan.
    value : float
        Need value Σ need score × participants of the exact plan.
    gap : float
        Relative MIP gap reported by HiGHS.
    greedy_value, greedy_objective : float
        The same two figures for the greedy allocation.
    penalty : float
        Penalty per JP of shortfall used in the objective.
    seconds, greedy_seconds : float
        Wall time of the exact solve and of the greedy baseline.
    group_keys : list of str
    funding : str
        The funding mode (``pool``, ``source``, ``unit``).
    max_sessions_per_month : int
        Sessions a programme can run in one of its months.
    """

    allocation: pd.DataFrame
    coverage: pd.DataFrame
    budget: pd.DataFrame
    explanations: pd.DataFrame
    unmet: pd.DataFrame
    greedy: pd.DataFrame
    status: str
    objective: float
    value: float
    gap: float
    greedy_value: float
    greedy_objective: float
    penalty: float
    seconds: float = 0.0
    greedy_seconds: float = 0.0
    group_keys: list[str] = field(default_factory=list)
    funding: str = "pool"
    max_sessions_per_month: int = 1


@dataclass
class _Model:
    """Arrays of the group-level model (one entry per candidate pair j = (g, p))."""

    pg: np.ndarray  # group index of pair
    pp: np.ndarray  # programme index of pair
    ub: np.ndarray  # upper bound of x_j
    w: np.ndarray  # need value per participant
    cost: np.ndarray  # Rupiah per participant
    jp: np.ndarray  # JP per participant
    cov: np.ndarray  # JP counted towards the 20-JP minimum (PNS pairs), else 0
    pppk: np.ndarray  # 1 if the pair's group is PPPK
    unit_of_pair: np.ndarray
    n_g: np.ndarray
    cap: np.ndarray  # per programme
    smax: np.ndarray  # per programme
    owed: np.ndarray  # per unit, JP owed
    pppk_cap: np.ndarray  # per unit, PPPK JP cap
    pppk_cap_jp: float  # JP cap of one PPPK
    part_of_pair: np.ndarray  # budget partition (funding line) of pair
    pagu: np.ndarray  # per partition
    shared: float  # shared pool for funding="unit" (blank kode_unit rows); 0 otherwise
    penalty: float


def _flush_c_stdio() -> None:
    """Flush the C runtime's stdio buffers (best effort; POSIX libc, else nothing)."""
    try:
        import ctypes

        if os.name == "nt":  # pragma: no cover - Windows
            ctypes.cdll.msvcrt.fflush(None)
        else:
            ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):  # pragma: no cover - no libc handle
        pass


@contextlib.contextmanager
def quiet_c_output() -> Iterator[None]:
    """Silence the process's file descriptors 1 and 2 (C-level stdout/stderr) inside the block.

    Compiled solvers (HiGHS in :func:`scipy.optimize.milp`) can write to the C-level stdout
    even with ``disp=False``; in notebooks those lines leak into the cell outputs. The
    descriptors are duplicated, pointed at :data:`os.devnull` with :func:`os.dup2`, and restored
    in ``finally`` — also after an exception. C stdio buffers are flushed before the
    descriptors are restored, so buffered solver output goes to the null device too.
    ``os.dup``/``os.dup2`` exist on Windows as well. Not thread-safe: another thread's output
    during the block is discarded too.

    Examples
    --------
    >>> with quiet_c_output():
    ...     _ = os.write(1, b"hidden")
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    _flush_c_stdio()
    saved: list[tuple[int, int]] = []
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:  # pragma: no cover - no null device
        devnull = -1
    try:
        if devnull >= 0:
            for fd in (1, 2):
                try:
                    copy = os.dup(fd)
                except OSError:  # descriptor not open (e.g. pythonw): nothing to silence
                    continue
                try:
                    os.dup2(devnull, fd)
                except OSError:  # pragma: no cover
                    os.close(copy)
                    continue
                saved.append((fd, copy))
        yield
    finally:
        _flush_c_stdio()
        for fd, copy in saved:
            try:
                os.dup2(copy, fd)
            finally:
                os.close(copy)
        if devnull >= 0:
            os.close(devnull)


def _solve_groups(m: _Model, time_limit: float, mip_rel_gap: float) -> tuple[np.ndarray, Any]:
    """Kernel: solve the group-level MILP; returns (x per pair, milp result)."""
    J, P, U, B = len(m.pg), len(m.cap), len(m.owed), len(m.pagu)
    use_shared = m.shared > 0
    nv = J + P + U + (B if use_shared else 0)
    c = np.zeros(nv)
    c[:J] = -m.w
    c[J + P : J + P + U] = m.penalty
    lb = np.zeros(nv)
    ub = np.concatenate([m.ub, m.smax, m.owed, np.full(B, m.shared) if use_shared else []])
    integrality = np.concatenate([np.ones(J + P), np.zeros(U + (B if use_shared else 0))])
    rows, lo, hi = [], [], []
    jj = np.arange(J)
    # capacity: sum_g x_gp - cap_p s_p <= 0
    A = sparse.coo_matrix((np.ones(J), (m.pp, jj)), shape=(P, nv)).tocsr()
    A = (
        A
        - sparse.coo_matrix(
            (m.cap.astype(float), (np.arange(P), J + np.arange(P))), shape=(P, nv)
        ).tocsr()
    )
    rows.append(A), lo.append(np.full(P, -np.inf)), hi.append(np.zeros(P))
    # group size: sum_p x_gp <= n_g
    G = len(m.n_g)
    rows.append(sparse.coo_matrix((np.ones(J), (m.pg, jj)), shape=(G, nv)).tocsr())
    lo.append(np.full(G, -np.inf)), hi.append(m.n_g.astype(float))
    # budget per partition (funding line); with a shared pool, z_b draws from it
    # (rows scaled by the largest unit cost for the solver's numerics; _repair then enforces
    # the unscaled Rupiah constraints exactly)
    sc = float(m.cost.max()) if len(m.cost) and m.cost.max() > 0 else 1.0
    A = sparse.coo_matrix((m.cost / sc, (m.part_of_pair, jj)), shape=(B, nv)).tocsr()
    if use_shared:
        ub[J + P + U :] = m.shared / sc
        A = (
            A
            - sparse.coo_matrix(
                (np.ones(B), (np.arange(B), J + P + U + np.arange(B))), shape=(B, nv)
            ).tocsr()
        )
        rows.append(
            sparse.coo_matrix(
                (np.ones(B), (np.zeros(B, int), J + P + U + np.arange(B))), shape=(1, nv)
            ).tocsr()
        )
        lo.append(np.array([-np.inf])), hi.append(np.array([m.shared / sc]))
    rows.append(A), lo.append(np.full(B, -np.inf)), hi.append(m.pagu.astype(float) / sc)
    # JP coverage per unit: sum cov x + shortfall_u >= owed_u
    A = sparse.coo_matrix((m.cov, (m.unit_of_pair, jj)), shape=(U, nv)).tocsr()
    A = (
        A
        + sparse.coo_matrix(
            (np.ones(U), (np.arange(U), J + P + np.arange(U))), shape=(U, nv)
        ).tocsr()
    )
    rows.append(A), lo.append(m.owed.astype(float)), hi.append(np.full(U, np.inf))
    # PPPK JP cap per unit
    A = sparse.coo_matrix((m.jp * m.pppk, (m.unit_of_pair, jj)), shape=(U, nv)).tocsr()
    rows.append(A), lo.append(np.full(U, -np.inf)), hi.append(m.pppk_cap.astype(float))
    # valid cuts: a PPPK holds at most k seats of more than cap/(k+1) JP each
    heads = m.pppk_cap / m.pppk_cap_jp if m.pppk_cap_jp > 0 else np.zeros(U)
    for k in (1, 2, 3):
        sel = m.pppk * (m.jp > m.pppk_cap_jp / (k + 1) + 1e-9)
        if sel.any():
            rows.append(sparse.coo_matrix((sel, (m.unit_of_pair, jj)), shape=(U, nv)).tocsr())
            lo.append(np.full(U, -np.inf)), hi.append(k * heads)
    cons = LinearConstraint(sparse.vstack(rows).tocsr(), np.concatenate(lo), np.concatenate(hi))
    with quiet_c_output():  # HiGHS prints debug lines to the C-level stdout despite disp=False
        res = milp(
            c,
            constraints=cons,
            integrality=integrality,
            bounds=Bounds(lb, ub),
            options={
                "time_limit": float(time_limit),
                "mip_rel_gap": float(mip_rel_gap),
                "disp": False,
                "presolve": True,
            },
        )
    if res.x is None:
        raise InfeasibleError(
            f"Perencanaan tingkat kelompok tidak menemukan solusi (status HiGHS {res.status}: "
            f"{res.message}). Perpanjang batas waktu atau periksa data.",
            f"The group-level plan found no solution (HiGHS status {res.status}: {res.message}). "
            "Increase the time limit or check the data.",
        )
    x = np.round(res.x[:J]).astype(np.int64)
    return _repair(x, m), res


def _repair(x: np.ndarray, m: _Model) -> np.ndarray:
    """Make the rounded integer solution satisfy every hard constraint exactly."""
    x = np.clip(x, 0, m.ub.astype(np.int64))
    order = np.argsort(np.where(m.cost > 0, m.w / np.maximum(m.cost, 1e-12), np.inf))
    for _ in range(3):
        tot_g = np.bincount(m.pg, weights=x, minlength=len(m.n_g))
        for j in order:
            if tot_g[m.pg[j]] > m.n_g[m.pg[j]] and x[j] > 0:
                d = min(x[j], int(tot_g[m.pg[j]] - m.n_g[m.pg[j]]))
                x[j] -= d
                tot_g[m.pg[j]] -= d
        used = np.bincount(m.part_of_pair, weights=m.cost * x, minlength=len(m.pagu))
        room = m.pagu.astype(float) - used
        over_total = max(0.0, -(np.minimum(room, 0).sum() + m.shared))
        if m.shared <= 0:
            over = np.maximum(-room, 0.0)
        else:
            over = np.zeros_like(room)
            if over_total > 0:
                over = np.maximum(-room, 0.0) * over_total / max(np.maximum(-room, 0).sum(), 1e-12)
        for j in order:
            b = m.part_of_pair[j]
            while over[b] > 1e-9 and x[j] > 0 and m.cost[j] > 0:
                x[j] -= 1
                over[b] -= m.cost[j]
        pu = np.bincount(m.unit_of_pair, weights=m.jp * m.pppk * x, minlength=len(m.owed))
        for j in order:
            u = m.unit_of_pair[j]
            while m.pppk[j] and pu[u] > m.pppk_cap[u] + 1e-9 and x[j] > 0:
                x[j] -= 1
                pu[u] -= m.jp[j]
    return x


def _greedy_groups(m: _Model) -> np.ndarray:
    """Kernel: greedy by need value per Rupiah (zero cost first), then by value.

    Takes for each pair, in that order, as many participants as the group's remaining
    people, the programme's remaining seats (capacity × max sessions), the funding line's
    remaining budget and the unit's remaining PPPK JP allow. Ignores the JP coverage term.
    """
    J = len(m.pg)
    ratio = np.where(m.cost > 0, m.w / np.maximum(m.cost, 1e-300), np.inf)
    order = np.lexsort((-m.jp, -m.w, -ratio))
    rem_g = m.n_g.astype(np.int64).copy()
    rem_p = (m.cap * m.smax).astype(np.int64)
    rem_b = m.pagu.astype(float).copy()
    shared = float(m.shared)
    rem_pppk = m.pppk_cap.astype(float).copy()
    x = np.zeros(J, dtype=np.int64)
    for j in order:
        if m.w[j] <= 0:
            continue
        g, p, b, u = m.pg[j], m.pp[j], m.part_of_pair[j], m.unit_of_pair[j]
        take = min(rem_g[g], rem_p[p], int(m.ub[j]))
        if m.cost[j] > 0:
            take = min(take, int((rem_b[b] + shared + 1e-9) // m.cost[j]))
        if m.pppk[j] and m.jp[j] > 0:
            take = min(take, int((rem_pppk[u] + 1e-9) // m.jp[j]))
        if take <= 0:
            continue
        x[j] = take
        rem_g[g] -= take
        rem_p[p] -= take
        spend = m.cost[j] * take
        from_line = min(spend, max(rem_b[b], 0.0))
        rem_b[b] -= from_line
        shared -= spend - from_line
        if m.pppk[j]:
            rem_pppk[u] -= m.jp[j] * take
    return x


def _objective(m: _Model, x: np.ndarray) -> tuple[float, float, np.ndarray]:
    value = float(m.w @ x)
    sup = np.bincount(m.unit_of_pair, weights=m.cov * x, minlength=len(m.owed))
    short = np.maximum(m.owed - sup, 0.0)
    return value - m.penalty * float(short.sum()), value, short


def _budget_lines(
    budget: Any, funding: str, units: list[str], sources: np.ndarray
) -> tuple[list[tuple[str, str]], np.ndarray, float]:
    """Funding lines (sumber_dana, kode_unit) with their pagu, and the shared pool."""
    if funding not in ("pool", "source", "unit"):
        raise DataError(
            f"Parameter 'funding' tidak dikenal: {funding!r}.",
            f"Unknown 'funding' parameter: {funding!r}.",
            value=funding,
            expected="pool, source, unit",
        )
    if isinstance(budget, pd.DataFrame):
        _require_columns(budget, ["sumber_dana", "pagu"], "anggaran")
        src = _text(budget["sumber_dana"])
        unit = (
            _text(budget["kode_unit"])
            if "kode_unit" in budget
            else np.full(len(budget), "", dtype=object)
        )
        pagu = _num(budget["pagu"], "anggaran", "pagu", allow_nan=False)
    else:
        try:
            b = float(budget)
        except (TypeError, ValueError):
            b = float("nan")
        if not np.isfinite(b) or b < 0:
            raise DataError(
                f"Anggaran tidak sah: {budget!r} (harus angka ≥ 0 atau tabel anggaran).",
                f"Invalid budget: {budget!r} (must be a number ≥ 0 or the budget table).",
                file="anggaran",
                column="pagu",
                value=budget,
                expected="≥ 0",
            )
        if funding != "pool":
            raise DataError(
                f"funding={funding!r} memerlukan tabel anggaran (sumber_dana, kode_unit, pagu).",
                f"funding={funding!r} needs the budget table (sumber_dana, kode_unit, pagu).",
                file="anggaran",
                expected="DataFrame",
            )
        return [("semua", "")], np.array([b]), 0.0
    if funding == "pool":
        return [("semua", "")], np.array([float(pagu.sum())]), 0.0
    if funding == "source":
        lines = sorted(set(src))
        missing = sorted({s_ for s_ in sources if s_ and s_ not in lines})
        if missing or any(s_ == "" for s_ in sources):
            raise DataError(
                "funding='source': setiap program perlu sumber_dana yang ada di tabel anggaran "
                f"(tidak ada: {', '.join(missing) or '(kosong)'}).",
                "funding='source': every programme needs a sumber_dana listed in the budget table "
                f"(missing: {', '.join(missing) or '(blank)'}).",
                file="katalog_program",
                column="sumber_dana",
                value=(missing or [""])[0],
            )
        pag = np.array([pagu[src == s_].sum() for s_ in lines])
        return [(s_, "") for s_ in lines], pag, 0.0
    # funding == "unit": one line per unit; blank-unit rows form a shared pool
    pag = np.array([pagu[unit == u].sum() for u in units])
    return [("", u) for u in units], pag, float(pagu[unit == ""].sum())


def plan_groups(
    groups: pd.DataFrame,
    katalog: pd.DataFrame,
    budget: float | pd.DataFrame,
    *,
    pegawai: pd.DataFrame,
    settings: Settings | None = None,
    funding: str = "pool",
    time_limit: float = 60,
    mip_rel_gap: float = 1e-4,
    penalty: float | None = None,
    max_sessions_per_month: int = 1,
) -> GroupPlan:
    """Exact group-level yearly plan under the Rupiah budget and the 20-JP right (MILP).

    Parameters
    ----------
    groups : DataFrame
        Need groups (see :func:`candidate_programmes`): ``kode_unit``, ``kode_kompetensi``,
        ``n_need``, ``need_score``; optional ``profil``, ``status`` (default PNS),
        ``jenis_kebutuhan`` (``kompetensi``/``kinerja``).
    katalog : DataFrame
        ``katalog_program``.
    budget : float or DataFrame
        One Rupiah ceiling, or the ``anggaran`` table (``sumber_dana``, ``kode_unit``,
        ``pagu``).
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status`` — headcounts of PNS (owed
        ``jp.minimum_pns`` JP each) and PPPK (capped at ``jp.pppk_maximum``) per unit.
    settings : Settings, optional
        ``jp.minimum_pns``, ``jp.pppk_maximum``, ``jp.conversion``.
    funding : {"pool", "source", "unit"}, default "pool"
        One pool (sum of ``anggaran``), one ceiling per ``sumber_dana`` (each programme
        charged to its catalogue ``sumber_dana``), or one per unit (``anggaran`` rows with a
        ``kode_unit``; rows with a blank unit form a shared pool any unit may draw on).
    time_limit : float, default 60
        Seconds for HiGHS; on timeout the best plan found is returned (``status ==
        "time_limit"``, ``gap`` > 0).
    mip_rel_gap : float, default 1e-4
        Relative MIP gap at which HiGHS stops (its own default); 0 proves optimality.
    penalty : float, optional
        Penalty per JP of shortfall; default :math:`\\lambda = 10 \\cdot \\max_g w_g /
        \\min_p c_p` (below).
    max_sessions_per_month : int, default 1
        Sessions a programme can run in one of its ``bulan_tersedia`` months.

    Returns
    -------
    GroupPlan

    Raises
    ------
    DataError
        Missing columns, invalid numbers, unknown funding mode, a programme without JP.
    InfeasibleError
        HiGHS returned no solution (the model itself is always feasible: x = 0).

    Notes
    -----
    Pairs :math:`(g, p)` where programme *p* addresses the competency of group *g*; PPPK
    groups are never paired with a programme of more than ``jp.pppk_maximum`` JP.

    Variables: integer participants :math:`x_{gp} \\ge 0`, integer sessions
    :math:`0 \\le s_p \\le S_p = |\\text{bulan}_p| \\cdot` ``max_sessions_per_month``,
    continuous shortfall :math:`d_u \\ge 0` per unit.

    .. math::

        \\max \\; \\sum_{g,p} w_g x_{gp} - \\lambda \\sum_u d_u

    subject to :math:`\\sum_g x_{gp} \\le K_p s_p` (capacity),
    :math:`\\sum_p x_{gp} \\le n_g` (a person gets at most one programme per competency),
    :math:`\\sum_{(g,p) \\in b} \\text{biaya}_p x_{gp} \\le B_b` per funding line *b*,
    :math:`\\sum_{g \\in u, \\text{PNS}} \\sum_p c_p x_{gp} + d_u \\ge J \\cdot \\text{PNS}_u`
    with :math:`c_p = \\min(jp_p, J)`, :math:`J` = ``jp.minimum_pns`` (a seat counts at most
    *J* JP, so one long programme cannot cover several people), and
    :math:`\\sum_{g \\in u, \\text{PPPK}} \\sum_p jp_p x_{gp} \\le J^{PPPK} \\cdot
    \\text{PPPK}_u`.

    Weights: :math:`w_g` is the group's mean need score (value of one seat);
    :math:`\\lambda = f \\max_g w_g / \\min_{p: c_p > 0} c_p` with :math:`f` =
    ``plan.shortfall_penalty_factor`` (10), so one JP of shortfall costs more than ten seats of
    the most needed group: coverage of the 20 JP comes first, need value
    second. The group level is an aggregate (:attr:`GroupPlan.coverage` says so): the share of
    PNS who really reach 20 JP is reached by :func:`top_up_people` and measured per person by
    :func:`jp_coverage`. Statuses owed the minimum: ``plan.jp_owed_status`` (PNS; CPNS follow
    Latsar). HiGHS runs inside :func:`quiet_c_output`, so its C-level prints do not leak. Sessions are reported as
    :math:`\\lceil \\sum_g x_{gp} / K_p \\rceil`.

    References
    ----------
    PP 11/2017 jo. PP 17/2020 (20 JP, Pasal 205–207); Perlan 15/2020 (PPPK 24 JP); HiGHS via
    :func:`scipy.optimize.milp` (Huangfu & Hall 2018, Math. Prog. Comp. 10:119).
    """
    import time

    s = _settings(settings)
    jmin = float(s["jp.minimum_pns"])
    jpppk = float(s["jp.pppk_maximum"])
    g, keys = _groups(groups)
    cat = _catalogue(katalog, s)
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    if int(max_sessions_per_month) < 1:
        raise DataError(
            "max_sessions_per_month harus ≥ 1.",
            "max_sessions_per_month must be ≥ 1.",
            value=max_sessions_per_month,
            expected="≥ 1",
        )
    if float(time_limit) <= 0:
        raise DataError(
            "time_limit harus > 0 detik.",
            "time_limit must be > 0 seconds.",
            value=time_limit,
            expected="> 0",
        )
    owed_st = _owed(s)
    peg_unit, peg_status = _text(pegawai["kode_unit"]), _text(pegawai["status"])
    units = sorted(set(peg_unit) | set(g["kode_unit"]))
    uidx = {u: i for i, u in enumerate(units)}
    U = len(units)
    pns_u = np.bincount(
        [uidx[u] for u, st in zip(peg_unit, peg_status, strict=True) if st in owed_st],
        minlength=U,
    ).astype(float)
    pppk_u = np.bincount(
        [uidx[u] for u, st in zip(peg_unit, peg_status, strict=True) if st == "PPPK"], minlength=U
    ).astype(float)

    # candidate pairs
    ex = cat[["program_id", "kompetensi"]].reset_index().rename(columns={"index": "p"})
    ex = ex.explode("kompetensi").dropna(subset=["kompetensi"])
    pairs = (
        g[["kode_kompetensi"]]
        .reset_index()
        .rename(columns={"index": "g"})
        .merge(
            ex.rename(columns={"kompetensi": "kode_kompetensi"}), on="kode_kompetensi", how="inner"
        )
    )
    pg, pp = pairs["g"].to_numpy(np.int64), pairs["p"].to_numpy(np.int64)
    status_g = g["status"].to_numpy(dtype=object)
    is_pppk = (status_g[pg] == "PPPK").astype(float)
    jp_p = cat["jp"].to_numpy(float)
    blocked = (is_pppk > 0) & (jp_p[pp] > jpppk + 1e-9)
    pairs_blocked = pairs[blocked]
    pg, pp, is_pppk = pg[~blocked], pp[~blocked], is_pppk[~blocked]
    cap = cat["kapasitas_per_sesi"].to_numpy(np.int64)
    smax = np.array([len(b) for b in cat["bulan"]], dtype=np.int64) * int(max_sessions_per_month)
    n_g = g["n_need"].to_numpy(np.int64)
    w_g = g["need_score"].to_numpy(float)
    unit_g = np.array([uidx[u] for u in g["kode_unit"]], dtype=np.int64)
    owed_status = np.isin(status_g, list(owed_st))
    cov = np.where(owed_status[pg], np.minimum(jp_p[pp], jmin), 0.0)
    sources = cat["sumber_dana"].to_numpy(dtype=object)
    lines, pagu, shared = _budget_lines(budget, funding, units, sources)
    if funding == "pool":
        part = np.zeros(len(pg), dtype=np.int64)
    elif funding == "source":
        li = {s_: i for i, (s_, _) in enumerate(lines)}
        part = np.array([li[s_] for s_ in sources[pp]], dtype=np.int64)
    else:
        part = unit_g[pg]
    if penalty is None:
        pos_c = cov[cov > 0]
        wmax = float(w_g.max()) if len(w_g) and w_g.max() > 0 else 1.0
        factor = float(s.get("plan.shortfall_penalty_factor", 10.0))
        penalty = factor * wmax / (float(pos_c.min()) if len(pos_c) else 1.0)
    m = _Model(
        pg=pg,
        pp=pp,
        ub=np.minimum(n_g[pg], cap[pp] * smax[pp]).astype(float),
        w=w_g[pg],
        cost=cat["biaya_per_peserta"].to_numpy(float)[pp],
        jp=jp_p[pp],
        cov=cov,
        pppk=is_pppk,
        unit_of_pair=unit_g[pg],
        n_g=n_g,
        cap=cap,
        smax=smax,
        owed=jmin * pns_u,
        pppk_cap=jpppk * pppk_u,
        pppk_cap_jp=jpppk,
        part_of_pair=part,
        pagu=pagu,
        shared=shared,
        penalty=float(penalty),
    )
    t0 = time.perf_counter()
    if len(pg):
        x, res = _solve_groups(m, time_limit, mip_rel_gap)
        status = "optimal" if res.status == 0 else "time_limit"
        gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    else:
        x, status, gap = np.zeros(0, dtype=np.int64), "optimal", 0.0
    secs = time.perf_counter() - t0
    t0 = time.perf_counter()
    xg = _greedy_groups(m) if len(pg) else np.zeros(0, dtype=np.int64)
    gsecs = time.perf_counter() - t0
    obj, val, short = _objective(m, x)
    gobj, gval, _ = _objective(m, xg)

    alloc = _allocation_frame(g, keys, cat, m, x)
    greedy = _allocation_frame(g, keys, cat, m, xg)
    used = np.bincount(m.part_of_pair, weights=m.cost * x, minlength=len(pagu))
    bud = _budget_frame(lines, pagu, used, shared)
    tot_p = np.bincount(pp, weights=x, minlength=len(cat))
    full_p = tot_p >= cap * smax
    room = (
        pagu
        - used
        + (shared - max(0.0, float((used - pagu)[used > pagu].sum())) if shared > 0 else 0.0)
    )
    unmet = _unmet_frame(g, keys, m, x, full_p, room, pairs_blocked)
    coverage = _coverage_frame(units, pns_u, pppk_u, m, x, short, jmin, jpppk, unmet, g, owed_st)
    expl = _explanations(g, cat, m, x, full_p, room, pairs_blocked, jpppk)
    return GroupPlan(
        allocation=alloc,
        coverage=coverage,
        budget=bud,
        explanations=expl,
        unmet=unmet,
        greedy=greedy,
        status=status,
        objective=obj,
        value=val,
        gap=gap,
        greedy_value=gval,
        greedy_objective=gobj,
        penalty=float(penalty),
        seconds=secs,
        greedy_seconds=gsecs,
        group_keys=keys,
        funding=funding,
        max_sessions_per_month=int(max_sessions_per_month),
    )


def _allocation_frame(
    g: pd.DataFrame, keys: list[str], cat: pd.DataFrame, m: _Model, x: np.ndarray
) -> pd.DataFrame:
    nz = np.flatnonzero(x > 0)
    tot_p = np.bincount(m.pp, weights=x, minlength=len(cat))
    sessions = np.ceil(tot_p / m.cap).astype(np.int64)
    out = g.iloc[m.pg[nz]][keys].reset_index(drop=True)
    p = m.pp[nz]
    out["program_id"] = pd.array(cat["program_id"].to_numpy(dtype=object)[p], dtype="str")
    out["participants"] = x[nz].astype(np.int64)
    out["sessions"] = sessions[p]
    out["cost"] = m.cost[nz] * x[nz]
    out["jp"] = m.jp[nz]
    out["jp_total"] = m.jp[nz] * x[nz]
    out["value"] = m.w[nz] * x[nz]
    return out


def _budget_frame(
    lines: list[tuple[str, str]], pagu: np.ndarray, used: np.ndarray, shared: float
) -> pd.DataFrame:
    rows = [
        {"sumber_dana": s_, "kode_unit": u, "pagu": float(pg_), "used": float(us)}
        for (s_, u), pg_, us in zip(lines, pagu, used, strict=True)
    ]
    if shared > 0:
        draw = float(np.maximum(used - pagu, 0).sum())
        for r in rows:
            r["used"] = min(r["used"], r["pagu"])
        rows.append({"sumber_dana": "semua", "kode_unit": "", "pagu": shared, "used": draw})
    out = pd.DataFrame(rows)
    out["remaining"] = out["pagu"] - out["used"]
    for c in ("sumber_dana", "kode_unit"):
        out[c] = out[c].astype("str")
    return out


def _reason_cols(codes: list[str]) -> tuple[str, str, str]:
    codes = [c for c in codes if c]
    return (
        ";".join(codes),
        "; ".join(REASONS[c][0] for c in codes),
        "; ".join(REASONS[c][1] for c in codes),
    )


def _unmet_frame(
    g: pd.DataFrame,
    keys: list[str],
    m: _Model,
    x: np.ndarray,
    full_p: np.ndarray,
    room: np.ndarray,
    pairs_blocked: pd.DataFrame,
) -> pd.DataFrame:
    G = len(g)
    got = np.bincount(m.pg, weights=x, minlength=G).astype(np.int64)
    has_cand = np.bincount(m.pg, minlength=G) > 0
    pppk_used = np.bincount(m.unit_of_pair, weights=m.jp * m.pppk * x, minlength=len(m.owed))
    blocked_g = np.zeros(G, dtype=bool)
    blocked_g[pairs_blocked["g"].to_numpy(np.int64)] = True
    rows = []
    for gi in np.flatnonzero(got < g["n_need"].to_numpy()):
        js = np.flatnonzero(m.pg == gi)
        if not has_cand[gi]:
            code = "pppk_cap" if blocked_g[gi] else "no_programme"
        elif all(full_p[m.pp[j]] for j in js):
            code = "capacity"
        elif all(m.cost[j] > room[m.part_of_pair[j]] + 1e-9 for j in js if not full_p[m.pp[j]]):
            code = "budget"
        elif m.pppk[js[0]] and all(
            pppk_used[m.unit_of_pair[j]] + m.jp[j] > m.pppk_cap[m.unit_of_pair[j]] + 1e-9
            for j in js
            if not full_p[m.pp[j]]
        ):
            code = "pppk_cap"
        else:
            code = "lower_priority"
        r, a, e = _reason_cols([code])
        rows.append(
            {
                **{k: g.at[gi, k] for k in keys},
                "n_need": int(g.at[gi, "n_need"]),
                "participants": int(got[gi]),
                "unmet": int(g.at[gi, "n_need"] - got[gi]),
                "reason": r,
                "alasan": a,
                "reason_en": e,
            }
        )
    cols = keys + ["n_need", "participants", "unmet", "reason", "alasan", "reason_en"]
    out = pd.DataFrame(rows, columns=cols)
    for c in keys + ["reason", "alasan", "reason_en"]:
        out[c] = out[c].astype("str")
    return out


def _coverage_frame(
    units: list[str],
    pns_u: np.ndarray,
    pppk_u: np.ndarray,
    m: _Model,
    x: np.ndarray,
    short: np.ndarray,
    jmin: float,
    jpppk: float,
    unmet: pd.DataFrame,
    g: pd.DataFrame,
    owed_st: tuple[str, ...] = JP_OWED_STATUS,
) -> pd.DataFrame:
    U = len(units)
    uidx = {u: i for i, u in enumerate(units)}
    owed_g = g["status"].isin(list(owed_st)).to_numpy()
    need_lines = np.bincount(
        [uidx[u] for u in g.loc[owed_g, "kode_unit"]],
        weights=g.loc[owed_g, "n_need"].to_numpy(float),
        minlength=U,
    )
    sup = np.bincount(m.unit_of_pair, weights=m.cov * x, minlength=U)
    jp_pppk = np.bincount(m.unit_of_pair, weights=m.jp * m.pppk * x, minlength=U)
    # PNS need capacity: people × best JP available per PNS group
    rows = []
    for u in range(U):
        codes: list[str] = []
        if short[u] > 1e-9:
            sub = unmet[(unmet["kode_unit"] == units[u]) & unmet["status"].isin(list(owed_st))]
            if need_lines[u] < pns_u[u]:
                codes.append("no_need")  # fewer PNS need lines than PNS: some have no need
            reach = np.bincount(m.unit_of_pair, weights=m.cov * m.ub, minlength=U)[u]
            if need_lines[u] > 0 and reach + 1e-9 < jmin * min(need_lines[u], pns_u[u]):
                codes.append("no_programme")
            for c in ("no_programme", "budget", "capacity", "pppk_cap", "lower_priority"):
                if len(sub) and (sub["reason"] == c).any() and c not in codes:
                    codes.append(c)
            if not codes:
                codes.append("lower_priority")
        r, a, e = _reason_cols(codes)
        rows.append(
            {
                "kode_unit": units[u],
                "pns": int(pns_u[u]),
                "jp_owed": float(m.owed[u]),
                "jp_planned": float(sup[u]),
                "shortfall": float(short[u]),
                "pppk": int(pppk_u[u]),
                "jp_pppk": float(jp_pppk[u]),
                "jp_pppk_cap": float(jpppk * pppk_u[u]),
                "reason": r,
                "alasan": a,
                "reason_en": e,
            }
        )
    out = pd.DataFrame(rows)
    out["basis"] = "agregat_unit"
    out["catatan"] = _UNIT_AGGREGATE_NOTE[0]
    out["note"] = _UNIT_AGGREGATE_NOTE[1]
    for c in ("kode_unit", "reason", "alasan", "reason_en", "basis", "catatan", "note"):
        out[c] = out[c].astype("str")
    out.attrs["note"] = _UNIT_AGGREGATE_NOTE[1]
    return out


_UNIT_AGGREGATE_NOTE = (
    "agregat unit: JP kursi rencana dijumlahkan per unit (tiap kursi dihitung paling banyak"
    " sebesar minimal JP); kekurangan 0 tidak berarti setiap PNS mencapai minimal JP — lihat"
    " cakupan JP per orang",
    "unit-level aggregate: JP of the planned seats summed per unit (each seat counts at most"
    " the JP minimum); a shortfall of 0 does not mean every PNS reaches the minimum — see the"
    " person-level JP coverage",
)


def _explanations(
    g: pd.DataFrame,
    cat: pd.DataFrame,
    m: _Model,
    x: np.ndarray,
    full_p: np.ndarray,
    room: np.ndarray,
    pairs_blocked: pd.DataFrame,
    jpppk: float,
) -> pd.DataFrame:
    P = len(cat)
    tot_p = np.bincount(m.pp, weights=x, minlength=P).astype(np.int64)
    comp_g = g["kode_kompetensi"].to_numpy(dtype=object)
    unit_g = g["kode_unit"].to_numpy(dtype=object)
    demand = set(comp_g)
    jp = cat["jp"].to_numpy(float)
    cost = cat["biaya_per_peserta"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cpj = np.where(jp > 0, cost / jp, np.inf)
    pid = cat["program_id"].to_numpy(dtype=object)
    selected_by_comp: dict[str, list[int]] = {}
    for p in np.flatnonzero(tot_p > 0):
        for k in cat.at[p, "kompetensi"]:
            selected_by_comp.setdefault(k, []).append(p)
    blocked_p = set(pairs_blocked["p"].to_numpy(np.int64).tolist())
    rows = []
    for p in range(P):
        comps = cat.at[p, "kompetensi"]
        js = np.flatnonzero(m.pp == p)
        if tot_p[p] > 0:
            nz = js[x[js] > 0]
            agg: dict[tuple[str, str], int] = {}
            for j in nz:
                key = (comp_g[m.pg[j]], unit_g[m.pg[j]])
                agg[key] = agg.get(key, 0) + int(x[j])
            top = sorted(agg.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
            txt_id = ", ".join(f"{k} untuk {n} pegawai di {u}" for (k, u), n in top)
            txt_en = ", ".join(f"{k} for {n} employees in {u}" for (k, u), n in top)
            more = len(agg) - len(top)
            if more > 0:
                txt_id += f" (dan {more} kelompok lain)"
                txt_en += f" (and {more} other groups)"
            rows.append(
                (
                    pid[p],
                    True,
                    int(tot_p[p]),
                    "selected",
                    f"terpilih: menutup kesenjangan {txt_id}",
                    f"selected: closes the gap in {txt_en}",
                )
            )
            continue
        needed = [k for k in comps if k in demand]
        if not needed:
            rows.append(
                (
                    pid[p],
                    False,
                    0,
                    "no_need",
                    "tidak terpilih: tidak ada kebutuhan untuk kompetensi "
                    f"{', '.join(comps) or '-'}",
                    f"not selected: no need for competency {', '.join(comps) or '-'}",
                )
            )
            continue
        if m.smax[p] == 0:
            rows.append(
                (
                    pid[p],
                    False,
                    0,
                    "capacity",
                    "tidak terpilih: tidak ada bulan penyelenggaraan",
                    "not selected: no months offered",
                )
            )
            continue
        if len(js) == 0 and p in blocked_p:
            rows.append(
                (
                    pid[p],
                    False,
                    0,
                    "pppk_cap",
                    f"tidak terpilih: hanya dibutuhkan PPPK dan {jp[p]:g} JP melebihi batas "
                    f"{jpppk:g} JP PPPK",
                    f"not selected: only PPPK need it and {jp[p]:g} JP exceed the PPPK cap "
                    f"of {jpppk:g} JP",
                )
            )
            continue
        alt = None
        for k in needed:
            for q in selected_by_comp.get(k, []):
                if cpj[q] < cpj[p] and (alt is None or cpj[q] < cpj[alt[0]]):
                    alt = (q, k)
        if alt is not None:
            q, k = alt
            rows.append(
                (
                    pid[p],
                    False,
                    0,
                    "cost_per_jp",
                    f"tidak terpilih: biaya per JP lebih tinggi daripada alternatif {pid[q]} "
                    f"untuk kompetensi {k}",
                    f"not selected: higher cost per JP than alternative {pid[q]} for "
                    f"competency {k}",
                )
            )
            continue
        if len(js) and all(cost[p] > room[m.part_of_pair[j]] + 1e-9 for j in js):
            rows.append(
                (
                    pid[p],
                    False,
                    0,
                    "budget",
                    "tidak terpilih: sisa anggaran tidak cukup; nilai kebutuhan per Rupiah "
                    "lebih rendah daripada program terpilih",
                    "not selected: remaining budget too small; lower need value per Rupiah "
                    "than the selected programmes",
                )
            )
            continue
        rows.append(
            (
                pid[p],
                False,
                0,
                "covered_by_other",
                "tidak terpilih: kebutuhan kompetensi "
                f"{', '.join(needed)} sudah dijawab program lain atau nilainya lebih rendah",
                f"not selected: the need for {', '.join(needed)} is met by other programmes "
                "or has lower value",
            )
        )
    out = pd.DataFrame(
        rows, columns=["program_id", "selected", "participants", "reason", "alasan", "reason_en"]
    )
    out.insert(1, "nama_program", cat["nama_program"].to_numpy(dtype=object))
    for c in ("program_id", "nama_program", "reason", "alasan", "reason_en"):
        out[c] = out[c].astype("str")
    out["selected"] = out["selected"].astype(bool)
    return out


# --------------------------------------------------------------------------------------------
# 3. implementation plan: people, schedule, mentoring, talent pool
# --------------------------------------------------------------------------------------------


@dataclass
class PersonAssignment:
    """Result of :func:`assign_people`.

    Attributes
    ----------
    assignments : DataFrame
        One row per person × programme (pseudonymous): ``pegawai_id``, the group keys,
        ``program_id``, ``jp``, ``cost``, ``need_score``, ``priority``, ``group_value`` (the
        group's need score, the value the group-level plan counted for this seat).
    unfilled : DataFrame
        Allocation rows with seats left empty: group keys, ``program_id``, ``participants``,
        ``filled``, ``unfilled``.
    summary : DataFrame
        ``metric``, ``value``: ``seats_planned``, ``seats_filled``, ``seats_unfilled``,
        ``value_planned``, ``value_filled``, ``value_lost`` (group-level need value of the
        empty seats), ``value_lost_share``, ``person_need_value`` (sum of the assigned people's
        own need scores), ``pppk_blocked`` (need lines refused a seat because of the PPPK JP
        cap), ``seats_rebalanced``, ``pns_reaching_minimum`` (PNS at or above
        ``jp.minimum_pns`` in the assignment, person level). After :func:`top_up_people` also
        ``pns_owed``, ``pns_reaching_before_top_up``, ``pns_below_minimum``,
        ``share_reaching``, ``top_up_seats``, ``top_up_general_seats``, ``top_up_cost``.
    below_minimum : DataFrame or None
        After :func:`top_up_people`: one row per person owed the minimum who is still below it
        (pseudonymous, restricted), with the reason.
    budget : DataFrame or None
        After :func:`top_up_people`: per funding line the person-level spending.
    """

    assignments: pd.DataFrame
    unfilled: pd.DataFrame
    summary: pd.DataFrame
    below_minimum: pd.DataFrame | None = None
    budget: pd.DataFrame | None = None

    def metric(self, name: str) -> float:
        """One figure of :attr:`summary`."""
        return float(self.summary.loc[self.summary["metric"] == name, "value"].iloc[0])


def assign_people(
    plan: GroupPlan,
    inventory: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    *,
    rebalance: bool = True,
    settings: Settings | None = None,
) -> PersonAssignment:
    """Second stage: put individual (pseudonymous) people on the planned seats.

    Parameters
    ----------
    plan : GroupPlan
        From :func:`plan_groups`.
    inventory : DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``need_score``, ``priority`` (from
        ``needs.inventory``); optional ``jenis_kebutuhan`` (``kinerja`` lines) and ``profil``.
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``; ``profil`` if the plan's groups use it.
    katalog : DataFrame
    rebalance : bool, default True
        After the need-first pass, move a seat from a PNS who stays at or above
        ``jp.minimum_pns`` without it to a PNS of the same group who is below it (and reaches
        it with the seat, if possible). The group-level value is unchanged (same group); the
        person-level 20-JP share rises.
    settings : Settings, optional
        ``jp.minimum_pns``, ``jp.pppk_maximum``.

    Returns
    -------
    PersonAssignment

    Notes
    -----
    Heuristic (greedy), not an optimum: need lines are taken highest need first — priority 1
    of every person before anyone's priority 2, then by need score (descending), then by
    ``pegawai_id`` — and each line gets a seat of its group, if any is left. Among the
    group's programmes with free seats the person gets the one with the most JP while below
    ``jp.minimum_pns`` (else the fewest; a PPPK always the fewest); a PPPK is never given a
    seat that would take them above ``jp.pppk_maximum``. A person gets at most one programme per competency and never
    the same programme twice. The shortfall against the group-level optimum is reported as
    seats left empty and the group-level need value of those seats.
    """
    s = _settings(settings)
    jmin, jpppk = float(s["jp.minimum_pns"]), float(s["jp.pppk_maximum"])
    owed_st = _owed(s)
    alloc = _frame_of(plan, "allocation")
    keys = list(
        getattr(plan, "group_keys", []) or [k for k in _GROUP_KEY_ORDER if k in alloc.columns]
    )
    _require_columns(alloc, keys + ["program_id", "participants"], "allocation")
    _require_columns(inventory, ["pegawai_id", "kode_kompetensi", "need_score"], "inventory")
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    cat = _catalogue(katalog, s).set_index("program_id")
    inv = pd.DataFrame(
        {
            "pegawai_id": _text(inventory["pegawai_id"]),
            "kode_kompetensi": _text(inventory["kode_kompetensi"]),
            "need_score": _num(inventory["need_score"], "inventory", "need_score", lo=-np.inf),
        }
    )
    inv["priority"] = (
        _num(inventory["priority"], "inventory", "priority") if "priority" in inventory else 1.0
    )
    inv["jenis_kebutuhan"] = (
        _text(inventory["jenis_kebutuhan"]) if "jenis_kebutuhan" in inventory else "kompetensi"
    )
    peg_cols = ["pegawai_id", "kode_unit", "status"] + (
        ["profil"] if "profil" in keys and "profil" in pegawai.columns else []
    )
    peg = pd.DataFrame({c: _text(pegawai[c]) for c in peg_cols})
    if "profil" in keys and "profil" not in peg and "profil" in inventory.columns:
        inv["profil"] = _text(inventory["profil"])
    d = inv.merge(peg, on="pegawai_id", how="inner")
    missing = [k for k in keys if k not in d.columns]
    if missing:
        raise DataError(
            f"Kolom kunci kelompok tidak ada di data pegawai/inventaris: {', '.join(missing)}.",
            f"Group key column missing from employees/inventory: {', '.join(missing)}.",
            file="pegawai",
            column=missing[0],
        )
    # seats per group
    seats: dict[tuple, list[list]] = {}
    for i, row in enumerate(alloc[keys + ["program_id", "participants"]].itertuples(index=False)):
        kt = tuple(str(v) for v in row[: len(keys)])
        pid = str(row[len(keys)])
        if pid not in cat.index:
            raise DataError(
                f"Program {pid!r} di rencana tidak ada di katalog.",
                f"Programme {pid!r} in the plan is not in the catalogue.",
                file="katalog_program",
                column="program_id",
                value=pid,
            )
        seats.setdefault(kt, []).append(
            [
                pid,
                int(row[len(keys) + 1]),
                float(cat.at[pid, "jp"]),
                float(cat.at[pid, "biaya_per_peserta"]),
                i,
            ]
        )
    gval = {}
    if "value" in alloc and "participants" in alloc:
        for row in alloc[keys + ["participants", "value"]].itertuples(index=False):
            kt = tuple(str(v) for v in row[: len(keys)])
            if row[len(keys)] > 0:
                gval[kt] = float(row[len(keys) + 1]) / float(row[len(keys)])
    d["_ns"] = d["need_score"].fillna(-np.inf)
    d = d.sort_values(
        ["priority", "_ns", "pegawai_id", "kode_kompetensi"],
        ascending=[True, False, True, True],
        kind="mergesort",
    )
    jp_person: dict[str, float] = {}
    taken: set[tuple[str, str]] = set()
    filled = np.zeros(len(alloc), dtype=np.int64)
    pppk_blocked = 0
    out = []
    key_idx = [d.columns.get_loc(k) for k in keys]
    cols = list(d.columns)
    for row in d.itertuples(index=False, name=None):
        kt = tuple(row[i] for i in key_idx)
        opts = seats.get(kt)
        if not opts:
            continue
        pid_ = row[cols.index("pegawai_id")]
        st = row[cols.index("status")]
        have = jp_person.get(pid_, 0.0)
        free = [o for o in opts if o[1] > 0 and (pid_, o[0]) not in taken]
        if st == "PPPK":
            fits = [o for o in free if have + o[2] <= jpppk + 1e-9]
            if free and not fits:
                pppk_blocked += 1
            free = fits
        if not free:
            continue
        o = (
            max(free, key=lambda z: (z[2], -z[4]))
            if have < jmin and st != "PPPK"
            else min(free, key=lambda z: (z[2], z[4]))
        )
        o[1] -= 1
        filled[o[4]] += 1
        taken.add((pid_, o[0]))
        jp_person[pid_] = have + o[2]
        out.append(
            {
                **{k: row[cols.index(k)] for k in keys},
                "pegawai_id": pid_,
                "program_id": o[0],
                "jp": o[2],
                "cost": o[3],
                "need_score": row[cols.index("need_score")],
                "priority": row[cols.index("priority")],
                "group_value": gval.get(kt, np.nan),
            }
        )
    rebalanced = (
        _rebalance(out, d, keys, seats, jp_person, taken, peg, jmin, owed_st) if rebalance else 0
    )
    acols = (
        ["pegawai_id"]
        + keys
        + ["program_id", "jp", "cost", "need_score", "priority", "group_value"]
    )
    a = pd.DataFrame(out, columns=acols)
    a["tahap"] = pd.array(["rencana"] * len(a), dtype="str")
    for c in ["pegawai_id", "program_id"] + keys:
        a[c] = a[c].astype("str")
    a.attrs["output_class"] = "restricted"
    un = alloc[keys + ["program_id", "participants"]].copy()
    un["filled"] = filled
    un["unfilled"] = un["participants"] - un["filled"]
    un = un[un["unfilled"] > 0].reset_index(drop=True)
    planned = int(alloc["participants"].sum())
    per_seat = (
        (alloc["value"] / alloc["participants"]).to_numpy()
        if "value" in alloc
        else np.zeros(len(alloc))
    )
    v_planned = float((per_seat * alloc["participants"].to_numpy()).sum())
    v_filled = float((per_seat * filled).sum())
    summary = pd.DataFrame(
        {
            "metric": [
                "seats_planned",
                "seats_filled",
                "seats_unfilled",
                "value_planned",
                "value_filled",
                "value_lost",
                "value_lost_share",
                "person_need_value",
                "pppk_blocked",
                "seats_rebalanced",
                "pns_reaching_minimum",
            ],
            "value": [
                float(planned),
                float(filled.sum()),
                float(planned - filled.sum()),
                v_planned,
                v_filled,
                v_planned - v_filled,
                (v_planned - v_filled) / v_planned if v_planned > 0 else 0.0,
                float(np.nansum(a["need_score"].to_numpy(float))),
                float(pppk_blocked),
                float(rebalanced),
                float(
                    sum(
                        jp_person.get(q, 0.0) >= jmin - 1e-9
                        for q, st_ in zip(peg["pegawai_id"], peg["status"], strict=True)
                        if st_ in owed_st
                    )
                ),
            ],
        }
    )
    summary["metric"] = summary["metric"].astype("str")
    return PersonAssignment(assignments=a, unfilled=un, summary=summary)


#: ``tahap`` of an assignment row: a planned seat, a top-up seat for the person's own need,
#: or a top-up seat in a general programme (person without a recorded need).
TAHAP = ("rencana", "tambahan", "umum")

#: Forms never used by the top-up: leadership training needs a nomination and Latsar is the
#: CPNS basic training (rule of :func:`top_up_people`).
_TOP_UP_EXCLUDED_FORMS = ("pelatihan_kepemimpinan", "latsar")


@dataclass
class _Funding:
    """Remaining money per funding line during the top-up (person-level spending)."""

    mode: str
    lines: list[tuple[str, str]]
    pagu: np.ndarray
    spend: np.ndarray  # assigned + top-up, per line
    shared: float  # shared pool (funding="unit"), 0 otherwise
    index: dict[str, int]  # sumber_dana (source) or kode_unit (unit) -> line

    def line(self, unit: str, source: str) -> int:
        if self.mode == "pool":
            return 0
        key = source if self.mode == "source" else unit
        return self.index.get(key, -1)

    shared_direct: float = 0.0  # spent on the shared pool by rows without a line of their own

    def available(self, li: int, extra: dict[int, float] | None = None) -> float:
        """Rupiah that line ``li`` can still pay, after ``extra`` tentative spending per line
        (``-1`` = the shared pool directly)."""
        sp = self.spend.copy()
        for k, v in (extra or {}).items():
            if k >= 0:
                sp[k] += v
        if self.shared <= 0:
            return float(self.pagu[li] - sp[li]) if li >= 0 else 0.0
        left = (
            self.shared
            - float(np.maximum(sp - self.pagu, 0.0).sum())
            - self.shared_direct
            - (extra or {}).get(-1, 0.0)
        )
        own = max(float(self.pagu[li] - sp[li]), 0.0) if li >= 0 else 0.0
        return own + max(left, 0.0)


def _funding_state(plan: GroupPlan, spend_rows: list[tuple[str, str, float]]) -> _Funding:
    bud = _frame_of(plan, "budget")
    _require_columns(bud, ["sumber_dana", "kode_unit", "pagu"], "budget")
    mode = str(getattr(plan, "funding", "pool") or "pool")
    src, unit = _text(bud["sumber_dana"]), _text(bud["kode_unit"])
    pagu = _num(bud["pagu"], "budget", "pagu", allow_nan=False)
    shared = 0.0
    if mode == "unit":
        keep = unit != ""
        shared = float(pagu[~keep].sum())
        src, unit, pagu = src[keep], unit[keep], pagu[keep]
        index = {u: i for i, u in enumerate(unit)}
    elif mode == "source":
        index = {s_: i for i, s_ in enumerate(src)}
    else:
        mode = "pool"
        src, unit, pagu = src[:1], unit[:1], np.array([float(pagu.sum())])
        index = {}
    f = _Funding(
        mode,
        list(zip(src.tolist(), unit.tolist(), strict=True)),
        pagu.astype(float),
        np.zeros(len(pagu)),
        shared,
        index,
    )
    for u, s_, c in spend_rows:
        li = f.line(u, s_)
        if li >= 0:
            f.spend[li] += c
        else:
            f.shared_direct += c
    return f


def top_up_people(
    assignment: PersonAssignment,
    plan: GroupPlan,
    inventory: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    *,
    settings: Settings | None = None,
) -> PersonAssignment:
    """Person-level top-up: extra seats for everyone owed the JP minimum who is still below it.

    The group-level plan counts JP per unit, so after :func:`assign_people` some PNS stay below
    ``jp.minimum_pns`` although the unit aggregate shows no shortfall. This stage gives them
    additional seats within the **remaining** budget of their funding line (the ceiling minus
    what the placed people cost; seats of the group plan left empty free their money) and the
    remaining capacity of the programmes, and lists who still cannot reach the minimum and why.

    Parameters
    ----------
    assignment : PersonAssignment
        From :func:`assign_people`.
    plan : GroupPlan
        From :func:`plan_groups` (funding lines, ``funding``, ``max_sessions_per_month``).
    inventory : DataFrame
        ``pegawai_id``, ``kode_kompetensi``; optional ``need_score``, ``priority``,
        ``jenis_kebutuhan``.
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``; ``profil`` if the plan's groups use it.
    katalog : DataFrame
    settings : Settings, optional
        ``jp.minimum_pns``, ``plan.jp_owed_status``, ``plan.top_up_preferred_forms``,
        ``plan.top_up_general_for``, ``plan.top_up_general_forms``,
        ``plan.top_up_general_programmes``.

    Returns
    -------
    PersonAssignment
        The assignment rows plus the top-up rows (``tahap`` = ``"tambahan"`` for a seat that
        answers the person's own need, ``"umum"`` for a general programme; planned seats keep
        ``"rencana"``); ``summary`` with the person-level figures; ``below_minimum`` (one row
        per person still below the minimum: ``pegawai_id``, ``kode_unit``, ``status``,
        ``jp_planned``, ``jp_missing``, ``n_needs``, ``reason``, ``alasan``, ``reason_en``,
        ``usulan_program``, ``usulan_biaya``; restricted); ``budget`` (per funding line:
        ``sumber_dana``, ``kode_unit``, ``pagu``, ``used_group_plan``, ``used_top_up``,
        ``used`` (placed people and top-up), ``remaining``).

    Notes
    -----
    Only people whose status is in ``plan.jp_owed_status`` (PNS) get top-up seats, so a PPPK
    is never moved towards or over ``jp.pppk_maximum``. Leadership training and Latsar are never
    used. A person gets a programme at most once.

    Options of one person, in this order (tiers):

    0. free programmes for a need without a seat yet (inventory);
    1. free programmes for a need that already has a seat (a second activity);
    2. free general programmes — for a person without a recorded need (or everyone with
       ``plan.top_up_general_for = "all"``);
    3. paid programmes for a need without a seat; 4. paid, need with a seat;
    5. paid general programmes (same condition as 2).

    Within a tier: preferred forms first (``plan.top_up_preferred_forms``: e-learning, coaching,
    mentoring, belajar mandiri …), then the lowest cost per useful JP
    (:math:`\\text{biaya} / \\min(jp, J - JP_i)`), then the most useful JP (fewest
    activities), then a leftover seat in a session that already runs before a new session. General programmes are those listed in ``plan.top_up_general_programmes`` or,
    when that list is empty, every programme of a form in ``plan.top_up_general_forms``.

    Pass A gives everyone below the minimum the free options (tiers 0–2) until they reach it.
    Pass B prices, for everyone still below, the cheapest bundle that reaches the minimum, and
    serves people in increasing order of that price (so the money lifts as many people as
    possible); a paid bundle is committed only when it reaches the minimum. A new seat needs
    room in a planned session or a new session within ``|bulan_tersedia| ×
    max_sessions_per_month``.

    Reasons for a person still below the minimum (codes of :data:`REASONS`): ``no_need`` (no
    recorded need and no general programme could be given; ``usulan_program`` proposes the
    cheapest general programme), ``no_programme`` (even without budget and capacity limits the
    programmes for their needs give too few JP), ``capacity`` (the programmes that would suffice
    are full in their months), ``budget`` (the funding line cannot pay the bundle),
    ``top_up_off`` (``plan.top_up`` is false and a bundle was possible).
    """
    s = _settings(settings)
    jmin = float(s["jp.minimum_pns"])
    owed_st = _owed(s)
    a0 = _frame_of(assignment, "assignments").copy()
    _require_columns(a0, ["pegawai_id", "program_id", "kode_unit", "jp", "cost"], "assignments")
    _require_columns(inventory, ["pegawai_id", "kode_kompetensi"], "inventory")
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    keys = list(getattr(plan, "group_keys", []) or [k for k in _GROUP_KEY_ORDER if k in a0.columns])
    if "tahap" not in a0:
        a0["tahap"] = "rencana"
    general_for = str(s.get("plan.top_up_general_for", "no_need"))
    if general_for not in ("no_need", "all", "none"):
        raise SettingsError(
            f"plan.top_up_general_for tidak dikenal: {general_for!r}.",
            f"Unknown plan.top_up_general_for: {general_for!r}.",
            value=general_for,
            expected="no_need, all, none",
        )
    preferred = set(s.get("plan.top_up_preferred_forms", []) or [])
    cat = _catalogue(katalog, s)
    pids = cat["program_id"].to_numpy(dtype=object)
    pindex = {p: i for i, p in enumerate(pids)}
    P_ = len(cat)
    jp_p = cat["jp"].to_numpy(float)
    cost_p = cat["biaya_per_peserta"].to_numpy(float)
    cap_p = cat["kapasitas_per_sesi"].to_numpy(np.int64)
    msm = int(getattr(plan, "max_sessions_per_month", 1) or 1)
    max_p = np.array([len(b) for b in cat["bulan"]], dtype=np.int64) * cap_p * msm
    bentuk_p = cat["bentuk"].to_numpy(dtype=object)
    src_p = cat["sumber_dana"].to_numpy(dtype=object)
    comps_p = list(cat["kompetensi"])
    usable = ~np.isin(bentuk_p, _TOP_UP_EXCLUDED_FORMS) & (jp_p > 0)
    pref_p = np.isin(bentuk_p, list(preferred))
    gen_ids = [str(v) for v in (s.get("plan.top_up_general_programmes", []) or [])]
    unknown = [g_ for g_ in gen_ids if g_ not in pindex]
    if unknown:
        raise SettingsError(
            f"plan.top_up_general_programmes: program {unknown[0]!r} tidak ada di katalog.",
            f"plan.top_up_general_programmes: programme {unknown[0]!r} is not in the catalogue.",
            value=unknown[0],
        )
    if gen_ids:
        general = [pindex[g_] for g_ in gen_ids if usable[pindex[g_]]]
    else:
        gforms = set(s.get("plan.top_up_general_forms", []) or [])
        general = [int(i) for i in np.flatnonzero(usable & np.isin(bentuk_p, list(gforms)))]
    prog_by_comp: dict[str, list[int]] = {}
    for i in np.flatnonzero(usable):
        for k in comps_p[i]:
            prog_by_comp.setdefault(k, []).append(int(i))

    # state from the assignment
    a_pid = _text(a0["pegawai_id"])
    a_prog = _text(a0["program_id"])
    bad = sorted(set(a_prog) - set(pindex))
    if bad:
        raise DataError(
            f"Program {bad[0]!r} di penempatan tidak ada di katalog.",
            f"Programme {bad[0]!r} in the assignment is not in the catalogue.",
            file="katalog_program",
            column="program_id",
            value=bad[0],
        )
    a_cost = _num(a0["cost"], "assignments", "cost")
    a_jp = _num(a0["jp"], "assignments", "jp")
    seats = np.bincount([pindex[p] for p in a_prog], minlength=P_).astype(np.int64)
    have: dict[str, float] = {}
    for p_, j_ in zip(a_pid, a_jp, strict=True):
        have[p_] = have.get(p_, 0.0) + float(j_)
    taken = set(zip(a_pid.tolist(), [pindex[p] for p in a_prog], strict=True))
    covered = (
        set(zip(a_pid.tolist(), _text(a0["kode_kompetensi"]).tolist(), strict=True))
        if "kode_kompetensi" in a0
        else set()
    )
    peg = pd.DataFrame({c: _text(pegawai[c]) for c in ("pegawai_id", "kode_unit", "status")})
    if "profil" in keys:
        peg["profil"] = _text(pegawai["profil"]) if "profil" in pegawai else ""
    unit_of = dict(zip(peg["pegawai_id"], peg["kode_unit"], strict=True))
    fund = _funding_state(
        plan,
        [
            (unit_of.get(p_, ""), src_p[pindex[q]], float(c))
            for p_, q, c in zip(a_pid, a_prog, np.nan_to_num(a_cost), strict=True)
        ],
    )
    # needs per person, highest priority first
    inv = pd.DataFrame(
        {
            "pegawai_id": _text(inventory["pegawai_id"]),
            "k": _text(inventory["kode_kompetensi"]),
            "ns": (
                _num(inventory["need_score"], "inventory", "need_score", lo=-np.inf)
                if "need_score" in inventory
                else np.full(len(inventory), np.nan)
            ),
            "pr": (
                _num(inventory["priority"], "inventory", "priority")
                if "priority" in inventory
                else np.ones(len(inventory))
            ),
            "jk": (
                _text(inventory["jenis_kebutuhan"])
                if "jenis_kebutuhan" in inventory
                else np.full(len(inventory), "kompetensi", dtype=object)
            ),
        }
    )
    inv = inv[inv["k"] != ""].sort_values(["pegawai_id", "pr", "k"], kind="mergesort")
    needs: dict[str, list[tuple[str, str, float, float]]] = {}
    for pid_, k, ns, pr, jk in inv.itertuples(index=False, name=None):
        needs.setdefault(pid_, []).append((k, jk, ns, pr))

    def options(pid_: str) -> list[tuple[int, int, str, str, float, float]]:
        """(tier, programme, competency, need type, need score, priority), best tier per prog."""
        best: dict[int, tuple[int, int, str, str, float, float]] = {}
        lines = needs.get(pid_, [])
        for k, jk, ns, pr in lines:
            cov = (pid_, k) in covered
            for q in prog_by_comp.get(k, []):
                if (pid_, q) in taken:
                    continue
                tier = (0 if cost_p[q] <= 0 else 3) + (1 if cov else 0)
                if q not in best or tier < best[q][0]:
                    best[q] = (tier, q, k, jk, ns, pr)
        if general_for == "all" or (general_for == "no_need" and not lines):
            for q in general:
                if (pid_, q) in taken or q in best:
                    continue
                best[q] = (2 if cost_p[q] <= 0 else 5, q, "", "umum", np.nan, np.nan)
        return list(best.values())

    def bundle(
        pid_: str, max_tier: int, use_budget: bool = True, use_capacity: bool = True
    ) -> tuple[list[tuple], bool, float]:
        """Greedy bundle for one person without changing the state: (choices, reached, cost)."""
        jp_now = have.get(pid_, 0.0)
        opts = [o for o in options(pid_) if o[0] <= max_tier]
        extra: dict[int, float] = {}
        used_seats: dict[int, int] = {}
        chosen: list[tuple] = []
        unit = unit_of.get(pid_, "")
        while jp_now < jmin - 1e-9 and opts:
            gap = jmin - jp_now

            def key(o: tuple, gap: float = gap) -> tuple:
                q = o[1]
                n = seats[q] + used_seats.get(q, 0)
                leftover = n % cap_p[q] != 0
                useful = min(jp_p[q], gap)
                pr = o[5] if o[5] == o[5] else np.inf
                return (o[0], not pref_p[q], cost_p[q] / useful, -useful, not leftover, pr, pids[q])

            ok = []
            for o in opts:
                q = o[1]
                if use_capacity and seats[q] + used_seats.get(q, 0) >= max_p[q]:
                    continue
                if use_budget and cost_p[q] > 0:
                    li = fund.line(unit, src_p[q])
                    if cost_p[q] > fund.available(li, extra) + 1e-6:
                        continue
                ok.append(o)
            if not ok:
                break
            o = min(ok, key=key)
            q = o[1]
            opts.remove(o)
            chosen.append(o)
            jp_now += jp_p[q]
            used_seats[q] = used_seats.get(q, 0) + 1
            if cost_p[q] > 0:
                li = fund.line(unit, src_p[q])
                extra[li] = extra.get(li, 0.0) + cost_p[q]
        cost = float(sum(cost_p[o[1]] for o in chosen))
        return chosen, jp_now >= jmin - 1e-9, cost

    new_rows: list[dict] = []
    peg_by_id = peg.set_index("pegawai_id")

    def commit(pid_: str, chosen: list[tuple]) -> None:
        info = peg_by_id.loc[pid_]
        for _tier, q, k, jk, ns, pr in chosen:
            code = k or ";".join(comps_p[q])
            row = {
                "pegawai_id": pid_,
                "profil": str(info["profil"]) if "profil" in info.index else "",
                "kode_unit": str(info["kode_unit"]),
                "status": str(info["status"]),
                "jenis_kebutuhan": jk if jk else "kompetensi",
                "kode_kompetensi": code,
                "program_id": pids[q],
                "jp": float(jp_p[q]),
                "cost": float(cost_p[q]),
                "need_score": ns,
                "priority": pr,
                "group_value": np.nan,
                "tahap": "umum" if jk == "umum" else "tambahan",
            }
            new_rows.append(row)
            seats[q] += 1
            taken.add((pid_, q))
            if k:
                covered.add((pid_, k))
            have[pid_] = have.get(pid_, 0.0) + float(jp_p[q])
            if cost_p[q] > 0:
                li = fund.line(str(info["kode_unit"]), src_p[q])
                if li >= 0:
                    fund.spend[li] += cost_p[q]
                else:  # no line of its own: charged to the shared pool
                    fund.shared_direct += cost_p[q]

    owed_ids = [
        p_ for p_, st in zip(peg["pegawai_id"], peg["status"], strict=True) if st in owed_st
    ]
    before = sum(have.get(p_, 0.0) >= jmin - 1e-9 for p_ in owed_ids)
    spend0 = fund.spend.copy()
    shared0 = fund.shared
    direct0 = fund.shared_direct
    do_top_up = bool(s.get("plan.top_up", True))
    if do_top_up:
        # pass A: free options for everyone below the minimum
        for p_ in owed_ids:
            if have.get(p_, 0.0) < jmin - 1e-9:
                chosen, _, _ = bundle(p_, max_tier=2)
                if chosen:
                    commit(p_, chosen)
        # pass B: paid bundles, cheapest to lift first
        below = [p_ for p_ in owed_ids if have.get(p_, 0.0) < jmin - 1e-9]
        priced = []
        for p_ in below:
            chosen, ok, cost = bundle(p_, max_tier=5)
            priced.append((cost if ok else np.inf, jmin - have.get(p_, 0.0), p_))
        for cost, _, p_ in sorted(priced):
            if not np.isfinite(cost):
                continue
            chosen, ok, _ = bundle(p_, max_tier=5)
            if ok and chosen:
                commit(p_, chosen)

    # who is still below, and why
    rows_b = []
    for p_ in owed_ids:
        jp_now = have.get(p_, 0.0)
        if jp_now >= jmin - 1e-9:
            continue
        lines = needs.get(p_, [])
        codes: list[str] = []
        _, reach_free, _ = bundle(p_, 5, use_budget=False, use_capacity=False)
        _, reach_cap, _ = bundle(p_, 5, use_budget=False, use_capacity=True)
        _, reach_all, _ = bundle(p_, 5)
        if not lines:
            codes.append("no_need")
        if not lines and general_for == "none":
            pass  # the general rule is off: the reason is the missing need itself
        elif not reach_free:
            if lines:
                codes.append("no_programme")
        elif not reach_cap:
            codes.append("capacity")
        elif not reach_all:
            codes.append("budget")
        else:
            codes.append("top_up_off" if not do_top_up else "lower_priority")
        # proposal: the cheapest option (a general programme for people without a need)
        opts = options(p_)
        if not lines and general_for == "none":
            opts = [(5, q, "", "umum", np.nan, np.nan) for q in general if (p_, q) not in taken]
        prop = min(
            opts,
            key=lambda o: (cost_p[o[1]] / min(jp_p[o[1]], jmin - jp_now), -jp_p[o[1]], pids[o[1]]),
            default=None,
        )
        r, al, en = _reason_cols(codes)
        rows_b.append(
            {
                "pegawai_id": p_,
                "kode_unit": unit_of.get(p_, ""),
                "status": str(peg_by_id.at[p_, "status"]),
                "jp_planned": float(jp_now),
                "jp_missing": float(jmin - jp_now),
                "n_needs": len(lines),
                "reason": r,
                "alasan": al,
                "reason_en": en,
                "usulan_program": pids[prop[1]] if prop is not None else "",
                "usulan_biaya": float(cost_p[prop[1]]) if prop is not None else np.nan,
            }
        )
    bcols = [
        "pegawai_id",
        "kode_unit",
        "status",
        "jp_planned",
        "jp_missing",
        "n_needs",
        "reason",
        "alasan",
        "reason_en",
        "usulan_program",
        "usulan_biaya",
    ]
    below_df = pd.DataFrame(rows_b, columns=bcols)
    for c in (
        "pegawai_id",
        "kode_unit",
        "status",
        "reason",
        "alasan",
        "reason_en",
        "usulan_program",
    ):
        below_df[c] = below_df[c].astype("str")
    below_df["n_needs"] = below_df["n_needs"].astype("int64")
    below_df.attrs["output_class"] = "restricted"

    # assignments with the top-up rows
    add = pd.DataFrame(new_rows)
    if len(add):
        add = add[[c for c in a0.columns if c in add.columns]]
    a = pd.concat([a0, add], ignore_index=True) if len(add) else a0
    for c in ["pegawai_id", "program_id", "tahap"] + [k for k in keys if k in a]:
        a[c] = a[c].astype("str")
    a.attrs["output_class"] = "restricted"

    # budget per funding line, person level
    gp_used = _frame_of(plan, "budget")
    used_top = fund.spend - spend0
    bud = _budget_frame(fund.lines, fund.pagu, fund.spend, max(shared0, 0.0))
    if fund.shared > 0:  # rows without a unit line of their own drew on the shared pool
        bud.loc[bud.index[-1], "used"] += fund.shared_direct
        bud.loc[bud.index[-1], "remaining"] -= fund.shared_direct
    top_col = np.concatenate([used_top, np.zeros(len(bud) - len(used_top))])
    if fund.shared > 0:
        top_col[-1] = fund.shared_direct - direct0
    ug = dict(
        zip(
            zip(_text(gp_used["sumber_dana"]), _text(gp_used["kode_unit"]), strict=True),
            gp_used["used"].to_numpy(float) if "used" in gp_used else np.zeros(len(gp_used)),
            strict=True,
        )
    )
    bud.insert(
        3,
        "used_group_plan",
        [ug.get((x, y), np.nan) for x, y in zip(bud["sumber_dana"], bud["kode_unit"], strict=True)],
    )
    bud.insert(4, "used_top_up", top_col)

    n_top = len(new_rows)
    n_gen = sum(r["tahap"] == "umum" for r in new_rows)
    after = sum(have.get(p_, 0.0) >= jmin - 1e-9 for p_ in owed_ids)
    summ = assignment.summary.copy() if isinstance(assignment, PersonAssignment) else None
    extra_rows = {
        "pns_owed": float(len(owed_ids)),
        "pns_reaching_before_top_up": float(before),
        "pns_reaching_minimum": float(after),
        "pns_below_minimum": float(len(owed_ids) - after),
        "share_reaching": after / len(owed_ids) if owed_ids else np.nan,
        "top_up_seats": float(n_top),
        "top_up_general_seats": float(n_gen),
        "top_up_cost": float(sum(r["cost"] for r in new_rows)),
    }
    if summ is None:
        summ = pd.DataFrame(
            {"metric": pd.Series([], dtype="str"), "value": pd.Series([], dtype=float)}
        )
    summ = summ[~summ["metric"].isin(list(extra_rows))]
    summ = pd.concat(
        [summ, pd.DataFrame({"metric": list(extra_rows), "value": list(extra_rows.values())})],
        ignore_index=True,
    )
    summ["metric"] = summ["metric"].astype("str")
    unfilled = assignment.unfilled if isinstance(assignment, PersonAssignment) else pd.DataFrame()
    return PersonAssignment(
        assignments=a, unfilled=unfilled, summary=summ, below_minimum=below_df, budget=bud
    )


def _rebalance(
    out: list[dict],
    d: pd.DataFrame,
    keys: list[str],
    seats: dict,
    jp_person: dict[str, float],
    taken: set[tuple[str, str]],
    peg: pd.DataFrame,
    jmin: float,
    owed_st: tuple[str, ...] = JP_OWED_STATUS,
) -> int:
    """Move seats within a group from PNS above the JP minimum to PNS below it (in place)."""
    status = dict(zip(peg["pegawai_id"], peg["status"], strict=True))
    cols = list(d.columns)
    ki = [cols.index(k) for k in keys]
    ip, ins, ipr = cols.index("pegawai_id"), cols.index("need_score"), cols.index("priority")
    members: dict[tuple, list[tuple]] = {}
    for row in d.itertuples(index=False, name=None):
        kt = tuple(row[i] for i in ki)
        if kt in seats and status.get(row[ip]) in owed_st:
            members.setdefault(kt, []).append((row[ip], row[ins], row[ipr]))
    in_group = {(r["pegawai_id"], tuple(r[k] for k in keys)) for r in out}

    def low_need_first(i: int) -> tuple:
        ns = out[i]["need_score"]
        return (-out[i]["priority"], -np.inf if pd.isna(ns) else ns, out[i]["pegawai_id"])

    moved = 0
    for i in sorted(range(len(out)), key=low_need_first):
        r = out[i]
        a_ = r["pegawai_id"]
        if status.get(a_) not in owed_st or jp_person[a_] - r["jp"] < jmin - 1e-9:
            continue
        kt = tuple(r[k] for k in keys)
        best, best_key = None, None
        for b, ns, pr in members.get(kt, []):
            have = jp_person.get(b, 0.0)
            if b == a_ or have >= jmin - 1e-9 or (b, kt) in in_group:
                continue
            if (b, r["program_id"]) in taken:
                continue
            key = (have + r["jp"] >= jmin - 1e-9, -pr, -np.inf if pd.isna(ns) else ns, b)
            if best_key is None or key > best_key:
                best, best_key = (b, ns, pr), key
        if best is None:
            continue
        b, ns, pr = best
        jp_person[a_] -= r["jp"]
        jp_person[b] = jp_person.get(b, 0.0) + r["jp"]
        taken.discard((a_, r["program_id"]))
        taken.add((b, r["program_id"]))
        in_group.discard((a_, kt))
        in_group.add((b, kt))
        r.update({"pegawai_id": b, "need_score": ns, "priority": pr})
        moved += 1
    return moved


def _spread(months: list[int], k: int) -> list[int]:
    """k session months spread evenly over the allowed months (round-robin if k > len)."""
    L = len(months)
    if k <= L:
        idx = np.round(np.linspace(0, L - 1, k)).astype(int) if k > 1 else [0]
        return [months[i] for i in idx]
    return sorted(months[i % L] for i in range(k))


def schedule(
    assignments: Any, katalog: pd.DataFrame, *, year: int, settings: Settings | None = None
) -> pd.DataFrame:
    """Month-by-month schedule of the planned sessions, people placed in sessions.

    Parameters
    ----------
    assignments : PersonAssignment or DataFrame
        ``pegawai_id``, ``program_id`` (one row per person × programme).
    katalog : DataFrame
        ``kapasitas_per_sesi``, ``bulan_tersedia`` (blank = all year).
    year : int
        Plan year (``tahun_rencana``).
    settings : Settings, optional

    Returns
    -------
    DataFrame
        The assignment rows plus ``sesi`` (1…), ``bulan`` (1–12), ``tanggal_mulai`` (first day
        of the month; the provider fixes the date), ``kapasitas``, ``conflict`` (True when the
        person has another session in the same month that the greedy placement could not
        avoid).

    Notes
    -----
    A programme with *n* participants and capacity *K* runs :math:`\\lceil n/K \\rceil`
    sessions placed on its allowed months, evenly spread (two sessions share a month only when
    there are more sessions than months). Programmes with the fewest allowed months are placed
    first; each person goes to the free session whose month they are not yet busy in, the
    emptiest first.
    """
    _settings(settings)
    a = _frame_of(assignments, "assignments")
    _require_columns(a, ["pegawai_id", "program_id"], "assignments")
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 1900 <= year <= 2200:
        raise DataError(
            "Tahun rencana tidak sah.", "Invalid plan year.", value=year, expected="1900–2200"
        )
    _require_columns(katalog, ["program_id", "kapasitas_per_sesi"], "katalog_program")
    cap = dict(
        zip(
            _text(katalog["program_id"]),
            np.floor(
                _num(
                    katalog["kapasitas_per_sesi"],
                    "katalog_program",
                    "kapasitas_per_sesi",
                    lo=1,
                    allow_nan=False,
                )
            ).astype(int),
            strict=True,
        )
    )
    mon = dict(
        zip(
            _text(katalog["program_id"]),
            [
                _months(v)
                for v in (
                    katalog["bulan_tersedia"]
                    if "bulan_tersedia" in katalog
                    else [None] * len(katalog)
                )
            ],
            strict=True,
        )
    )
    a = a.reset_index(drop=True).copy()
    pids = _text(a["program_id"])
    unknown = sorted(set(pids) - set(cap))
    if unknown:
        raise DataError(
            f"Program {unknown[0]!r} tidak ada di katalog.",
            f"Programme {unknown[0]!r} is not in the catalogue.",
            file="katalog_program",
            column="program_id",
            value=unknown[0],
        )
    people = _text(a["pegawai_id"])
    sesi = np.zeros(len(a), dtype=np.int64)
    bulan = np.zeros(len(a), dtype=np.int64)
    conflict = np.zeros(len(a), dtype=bool)
    busy: dict[str, set[int]] = {}
    by_prog: dict[str, list[int]] = {}
    for i, p in enumerate(pids):
        by_prog.setdefault(p, []).append(i)
    for p in sorted(by_prog, key=lambda q: (len(mon[q]), -len(by_prog[q]), q)):
        rows = sorted(by_prog[p], key=lambda i: people[i])
        k = math.ceil(len(rows) / cap[p])
        months = _spread(mon[p], k)
        left = [cap[p]] * k
        for i in rows:
            free = [j for j in range(k) if left[j] > 0]
            ok = [j for j in free if months[j] not in busy.get(people[i], set())]
            pick = max(ok or free, key=lambda j: (left[j], -j))
            conflict[i] = not ok
            left[pick] -= 1
            sesi[i], bulan[i] = pick + 1, months[pick]
            busy.setdefault(people[i], set()).add(months[pick])
    a["sesi"] = sesi
    a["bulan"] = bulan
    a["tanggal_mulai"] = pd.to_datetime(
        pd.DataFrame({"year": year, "month": bulan, "day": 1})
    ).astype("datetime64[us]")
    a["kapasitas"] = np.array([cap[p] for p in pids], dtype=np.int64)
    a["conflict"] = conflict
    a.attrs["output_class"] = "restricted"
    return a


def _tenure_years(tmt: pd.Series, year: int) -> np.ndarray:
    t = pd.to_datetime(tmt, errors="coerce")
    ref = pd.Timestamp(year=year, month=1, day=1)
    return ((ref - t).dt.days / 365.25).to_numpy(float)


def _seniority(
    jenis: np.ndarray,
    jenjang: np.ndarray,
    gol: np.ndarray,
    jenjang_rank: dict[str, int] | None = None,
    jabatan_rank: dict[str, int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    jnr = {str(k).lower(): int(v) for k, v in (jenjang_rank or JENJANG_RANK).items()}
    jbr = jabatan_rank or JABATAN_RANK
    jr = np.array([jnr.get(j.lower(), 0) if j else 0 for j in jenjang], dtype=float)
    jr = np.where(jr > 0, jr, [jbr.get(j, 0) * 2 for j in jenis])
    gr = np.array([_GOL_RANK.get(g, -1) for g in gol], dtype=float)
    return jr, gr


def mentoring_pairs(
    pegawai: pd.DataFrame,
    gaps: pd.DataFrame,
    *,
    capacity: int = 3,
    year: int | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Mentor–mentee pairs for new staff, solved as an assignment problem.

    Parameters
    ----------
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``, ``jenis_jabatan``, ``golongan``, ``tmt``;
        optional ``jenjang``.
    gaps : DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``level_actual``, ``below_standard`` (from
        ``needs.competency_gaps``).
    capacity : int, default 3
        Mentees per mentor.
    year : int, optional
        Plan year; staff with less than ``plan.new_staff_years`` (2) years of service on
        1 January of *year* (from ``tmt``) are newcomers. Without it only CPNS are newcomers.
    settings : Settings, optional

    Returns
    -------
    DataFrame
        One row per newcomer: ``mentee_id``, ``kode_unit``, ``mentee_status``, ``mentor_id``
        (missing when unpaired), ``score``, ``kompetensi_kuat`` (';' codes where the mentor is
        stronger), ``catatan`` / ``note`` (for CPNS: onboarding mentor beside the Latsar mentor,
        the direct superior), ``reason`` when unpaired.

    Notes
    -----
    Mentee *i*: CPNS, or tenure < ``plan.new_staff_years``. Mentor *j* eligible for *i*: same
    ``kode_unit``, PNS with tenure ≥ ``plan.new_staff_years`` (or unknown tmt), and senior —
    higher jenjang/jabatan rank (``talent.jenjang_rank``, ``talent.jabatan_rank``, assumptions)
    or higher golongan.
    Score :math:`S_{ij} = \\sum_k \\max(0, L_{jk} - L_{ik})` over the competencies *k* where
    the mentee is below standard. Each mentor is replicated ``capacity`` times and
    :func:`scipy.optimize.linear_sum_assignment` maximises :math:`\\sum S_{ij}` per unit with
    ineligible pairs priced :math:`-M`, so the number of paired newcomers is maximised first
    and the total score second (Kuhn 1955; Crouse 2016, IEEE TAES 52:1679).
    """
    s = _settings(settings)
    if int(capacity) < 1:
        raise DataError(
            "Kapasitas mentor harus ≥ 1.",
            "Mentor capacity must be ≥ 1.",
            value=capacity,
            expected="≥ 1",
        )
    capacity = int(capacity)
    _require_columns(
        pegawai,
        ["pegawai_id", "kode_unit", "status", "jenis_jabatan", "golongan", "tmt"],
        "pegawai",
    )
    _require_columns(
        gaps, ["pegawai_id", "kode_kompetensi", "level_actual", "below_standard"], "gaps"
    )
    ids = _text(pegawai["pegawai_id"])
    unit = _text(pegawai["kode_unit"])
    st = _text(pegawai["status"])
    jr, gr = _seniority(
        _text(pegawai["jenis_jabatan"]),
        _text(pegawai["jenjang"]) if "jenjang" in pegawai else np.full(len(ids), "", dtype=object),
        _text(pegawai["golongan"]),
        s.get("talent.jenjang_rank", JENJANG_RANK),
        s.get("talent.jabatan_rank", JABATAN_RANK),
    )
    ten = (
        _tenure_years(pegawai["tmt"], int(year)) if year is not None else np.full(len(ids), np.nan)
    )
    new_years = float(s.get("plan.new_staff_years", 2))
    newcomer = (st == "CPNS") | (ten < new_years)
    mentor_ok = (st == "PNS") & ~(ten < new_years)
    lv = pd.DataFrame(
        {
            "pegawai_id": _text(gaps["pegawai_id"]),
            "k": _text(gaps["kode_kompetensi"]),
            "lvl": _num(gaps["level_actual"], "gaps", "level_actual", lo=-np.inf),
            "below": gaps["below_standard"].astype("boolean").fillna(False).to_numpy(bool),
        }
    )
    comps = sorted(set(lv["k"]))
    kidx = {k: i for i, k in enumerate(comps)}
    pidx = {p: i for i, p in enumerate(ids)}
    L = np.full((len(ids), len(comps)), np.nan)
    W = np.zeros((len(ids), len(comps)), dtype=bool)
    for p, k, lvl, b in lv.itertuples(index=False, name=None):
        if p in pidx:
            L[pidx[p], kidx[k]] = lvl
            W[pidx[p], kidx[k]] = b
    big = 1e6
    rows = []
    for u in sorted(set(unit[newcomer])):
        mi = np.flatnonzero(newcomer & (unit == u))
        mj = np.flatnonzero(mentor_ok & (unit == u) & ~newcomer)
        S = np.zeros((len(mi), len(mj)))
        E = np.zeros((len(mi), len(mj)), dtype=bool)
        for a_, i in enumerate(mi):
            E[a_] = (jr[mj] > jr[i]) | (gr[mj] > gr[i])
            diff = np.nan_to_num(L[mj] - L[i], nan=0.0)
            S[a_] = np.where(W[i][None, :], np.maximum(diff, 0.0), 0.0).sum(axis=1)
        pair = {}
        if len(mj) and len(mi):
            cols_ = np.repeat(np.arange(len(mj)), capacity)
            M = np.where(E[:, cols_], S[:, cols_], -big)
            r, c = linear_sum_assignment(M, maximize=True)
            for a_, cc in zip(r, c, strict=True):
                if E[a_, cols_[cc]]:
                    pair[a_] = cols_[cc]
        for a_, i in enumerate(mi):
            cp = st[i] == "CPNS"
            note = (
                (
                    "mentor orientasi, di samping mentor Latsar (atasan langsung)",
                    "onboarding mentor, beside the Latsar mentor (the direct superior)",
                )
                if cp
                else ("mentor orientasi pegawai baru", "onboarding mentor for new staff")
            )
            if a_ in pair:
                j = mj[pair[a_]]
                strong = [
                    comps[k]
                    for k in range(len(comps))
                    if W[i, k] and np.nan_to_num(L[j, k] - L[i, k]) > 0
                ]
                rows.append(
                    (
                        ids[i],
                        u,
                        st[i],
                        ids[j],
                        float(S[a_, pair[a_]]),
                        ";".join(strong),
                        note[0],
                        note[1],
                        "",
                    )
                )
            else:
                code = "no_mentor" if not E[a_].any() else "capacity"
                rows.append((ids[i], u, st[i], None, np.nan, "", note[0], note[1], code))
    out = pd.DataFrame(
        rows,
        columns=[
            "mentee_id",
            "kode_unit",
            "mentee_status",
            "mentor_id",
            "score",
            "kompetensi_kuat",
            "catatan",
            "note",
            "reason",
        ],
    )
    for c in (
        "mentee_id",
        "kode_unit",
        "mentee_status",
        "mentor_id",
        "kompetensi_kuat",
        "catatan",
        "note",
        "reason",
    ):
        out[c] = out[c].astype("str")
    out.attrs["output_class"] = "restricted"
    return out


def _nine_box(perf: np.ndarray, pot: np.ndarray, numbering: str) -> np.ndarray:
    """Kernel: box number (0 where an axis is unknown)."""
    table = NINE_BOX[numbering]
    return np.array([table.get((a, b), 0) for a, b in zip(perf, pot, strict=True)], dtype=np.int64)


def _cut3(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.where(
        np.isnan(x), "", np.where(x >= hi, "tinggi", np.where(x >= lo, "menengah", "rendah"))
    )


def talent_pool(
    pegawai: pd.DataFrame, gaps: pd.DataFrame | None = None, *, settings: Settings | None = None
) -> pd.DataFrame:
    """9-box talent map and leadership-training candidates (PermenPANRB 3/2020).

    Parameters
    ----------
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``, ``jenis_jabatan``, ``predikat_kinerja``;
        optional ``skor_potensi`` (0–100).
    gaps : DataFrame, optional
        ``pegawai_id``, ``level_actual``, ``level_standar``: the competency axis (JPM) for
        people without a potential score.
    settings : Settings, optional
        ``talent.performance_axis``, ``talent.potential_cutoffs``, ``talent.box_numbering``,
        ``jpm.categories_pemetaan``.

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kode_unit``, ``jenis_jabatan``, ``kinerja_axis`` (di_atas / sesuai /
        di_bawah), ``potensial_axis`` (tinggi / menengah / rendah), ``axis_basis``
        (``"potensi"``: potential score; ``"kompetensi_jpm"``: assessed competency, JPM — a
        kinerja × kompetensi grid; ``""`` when an axis is unknown), ``jpm``, ``box`` (1–9; 0 =
        unknown), ``rekomendasi``, ``recommendation``, ``pelatihan_kepemimpinan`` (PKP / PKA /
        PKN or ''), ``jabatan_berikut``.

    Notes
    -----
    Potential: rendah :math:`< c_1`, menengah :math:`c_1 \\le x < c_2`, tinggi
    :math:`\\ge c_2` with ``talent.potential_cutoffs`` (46, 72) [S30]. Without a potential
    score: :math:`JPM = \\sum \\text{actual} / \\sum \\text{standard} \\times 100` and the
    pemetaan categories (Optimal ≥ 90 → tinggi, Cukup Optimal ≥ 78 → menengah) [S25].
    Boxes per DOMAIN.md §1.8 (9 = di atas/tinggi … 1 = di bawah/rendah). Leadership candidates:
    PNS in boxes 7–9 whose ``jenis_jabatan`` is on ``talent.leadership_ladder`` (assumption).
    """
    s = _settings(settings)
    _require_columns(
        pegawai,
        ["pegawai_id", "kode_unit", "status", "jenis_jabatan", "predikat_kinerja"],
        "pegawai",
    )
    numbering = s["talent.box_numbering"]
    if numbering not in NINE_BOX:
        raise SettingsError(
            f"talent.box_numbering tidak dikenal: {numbering!r}.",
            f"Unknown talent.box_numbering: {numbering!r}.",
            value=numbering,
            expected=", ".join(NINE_BOX),
        )
    axis_of = {p: a for a, ps in s["talent.performance_axis"].items() for p in ps}
    ids = _text(pegawai["pegawai_id"])
    pred = _text(pegawai["predikat_kinerja"])
    bad = sorted({p for p in pred if p and p not in axis_of})
    if bad:
        raise DataError(
            f"Tabel 'pegawai', kolom 'predikat_kinerja': nilai tidak dikenal {bad[0]!r}.",
            f"Table 'pegawai', column 'predikat_kinerja': unknown value {bad[0]!r}.",
            file="pegawai",
            column="predikat_kinerja",
            value=bad[0],
            expected=", ".join(axis_of),
        )
    perf = np.array([axis_of.get(p, "") for p in pred], dtype=object)
    c1, c2 = (float(v) for v in s["talent.potential_cutoffs"])
    pot_score = (
        _num(pegawai["skor_potensi"], "pegawai", "skor_potensi")
        if "skor_potensi" in pegawai
        else np.full(len(ids), np.nan)
    )
    pot = _cut3(pot_score, c1, c2).astype(object)
    jpm = np.full(len(ids), np.nan)
    if gaps is not None:
        _require_columns(gaps, ["pegawai_id", "level_actual", "level_standar"], "gaps")
        gg = pd.DataFrame(
            {
                "pegawai_id": _text(gaps["pegawai_id"]),
                "a": _num(gaps["level_actual"], "gaps", "level_actual", lo=-np.inf),
                "s": _num(gaps["level_standar"], "gaps", "level_standar"),
            }
        ).dropna()
        agg = gg.groupby("pegawai_id")[["a", "s"]].sum()
        agg = agg[agg["s"] > 0]
        jpm_map = (agg["a"] / agg["s"] * 100).to_dict()
        jpm = np.array([jpm_map.get(i, np.nan) for i in ids])
    cats = s["jpm.categories_pemetaan"]
    hi_c, mid_c = float(cats["Optimal"]), float(cats["Cukup Optimal"])
    comp_axis = _cut3(jpm, mid_c, hi_c).astype(object)
    use_comp = (pot == "") & (comp_axis != "")
    basis = np.where(pot != "", "potensi", np.where(use_comp, "kompetensi_jpm", ""))
    pot = np.where(use_comp, comp_axis, pot)
    basis = np.where(perf == "", "", basis)
    box = _nine_box(perf, pot, numbering)
    box = np.where(basis == "", 0, box)
    if numbering == "permenpanrb_3_2020":
        rec = [_BOX_TEXT.get(b, ("", "")) for b in box]
    else:  # recommendations are tied to PermenPANRB numbering: translate through the axes
        inv_n = {v: k for k, v in NINE_BOX[numbering].items()}
        rec = [
            _BOX_TEXT.get(NINE_BOX["permenpanrb_3_2020"].get(inv_n.get(b, ("", "")), 0), ("", ""))
            for b in box
        ]
    jenis = _text(pegawai["jenis_jabatan"])
    st = _text(pegawai["status"])
    top = (
        box >= 7
        if numbering == "permenpanrb_3_2020"
        else np.isin(
            box,
            [
                NINE_BOX[numbering][k]
                for k in (("di_atas", "tinggi"), ("sesuai", "tinggi"), ("di_atas", "menengah"))
            ],
        )
    )
    ladder = s.get("talent.leadership_ladder", LEADERSHIP_LADDER)
    train, nxt = [], []
    for j, s_, t in zip(jenis, st, top, strict=True):
        lad = ladder.get(j) if (t and s_ == "PNS") else None
        nxt.append(lad[0] if lad else "")
        train.append(lad[1] if lad else "")
    out = pd.DataFrame(
        {
            "pegawai_id": ids,
            "kode_unit": _text(pegawai["kode_unit"]),
            "jenis_jabatan": jenis,
            "kinerja_axis": perf,
            "potensial_axis": pot,
            "axis_basis": basis,
            "jpm": jpm,
            "box": box,
            "rekomendasi": [r[0] for r in rec],
            "recommendation": [r[1] for r in rec],
            "pelatihan_kepemimpinan": train,
            "jabatan_berikut": nxt,
        }
    )
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("str")
    out.attrs["output_class"] = "restricted"
    return out


# --------------------------------------------------------------------------------------------
# 4. outputs
# --------------------------------------------------------------------------------------------


def _month_names(months: Sequence[int]) -> str:
    return ";".join(str(int(m)) for m in sorted(set(int(x) for x in months)))


def plan_table(
    plan: GroupPlan,
    assignments: Any,
    katalog: pd.DataFrame,
    needs: pd.DataFrame,
    *,
    lang: str = "id",
    settings: Settings | None = None,
    kamus: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The yearly plan table with the seven elements of PP 11/2017 Pasal 207.

    Parameters
    ----------
    plan : GroupPlan
    assignments : PersonAssignment or DataFrame or None
        People on seats (``pegawai_id``, ``program_id``, ``kode_unit``, ``kode_kompetensi``,
        ``jenis_kebutuhan``; ``bulan`` when scheduled). Without it the planned seats are used.
    katalog : DataFrame
    needs : DataFrame
        The need groups (``kode_kompetensi``, ``n_need``, optional ``jenis_kebutuhan``,
        ``nama_kompetensi``) — for the number of employees in need.
    lang : {"id", "en"}
        Column names and line types in Indonesian (default) or English
        (:data:`PLAN_TABLE_COLUMNS_EN`).
    settings : Settings, optional
    kamus : DataFrame, optional
        ``kamus_kompetensi`` (``kode_kompetensi``, ``jenis``; optional ``nama_id``,
        ``nama_en``): fills ``jenis_kompetensi`` with the type (teknis / manajerial / sosial
        kultural) and ``nama_kompetensi`` with the name. Without it the type is blank and the
        name comes from ``needs["nama_kompetensi"]`` when present. A ';'-list of codes (a
        general programme) gets the names and types of its codes.

    Returns
    -------
    DataFrame
        One line per need type × competency × programme: ``jenis_kebutuhan`` (kesenjangan
        kompetensi / kesenjangan kinerja — performance lines are a separate type),
        (a) ``kode_kompetensi``, ``jenis_kompetensi`` (type), ``nama_kompetensi``; (b) ``target_pns`` (count), ``target_unit``
        (unit codes; no names); (c) ``jenis_pengembangan``, ``jalur_pengembangan``;
        (d) ``penyelenggara``; (e) ``jadwal`` (months, ';'); (f) ``kesesuaian_kurikulum``;
        (g) ``anggaran`` (Rupiah); plus ``program_id``, ``nama_program``, ``jp``,
        ``kebutuhan_pns``.

    Notes
    -----
    Pasal 207 content (a)–(g) (DOMAIN.md §1.3 [S03]); an aggregate output (no person-level
    data).
    """
    if lang not in ("id", "en"):
        raise DataError(
            f"Bahasa tidak dikenal: {lang!r}.",
            f"Unknown language: {lang!r}.",
            value=lang,
            expected="id, en",
        )
    s = _settings(settings)
    cat = _catalogue(katalog, s).set_index("program_id")
    _require_columns(needs, ["kode_kompetensi", "n_need"], "needs")
    nd = needs.copy()
    if "jenis_kebutuhan" not in nd:
        nd["jenis_kebutuhan"] = "kompetensi"
    need_n = nd.groupby(["jenis_kebutuhan", "kode_kompetensi"])["n_need"].sum().to_dict()
    names = (
        dict(zip(_text(nd["kode_kompetensi"]), _text(nd["nama_kompetensi"]), strict=True))
        if "nama_kompetensi" in nd
        else {}
    )
    jenis_of: dict[str, str] = {}
    if kamus is not None:
        _require_columns(kamus, ["kode_kompetensi", "jenis"], "kamus_kompetensi")
        codes = _text(kamus["kode_kompetensi"])
        jen = _text(kamus["jenis"])
        li = 0 if lang == "id" else 1
        jenis_of = {
            c: JENIS_KOMPETENSI_LABEL.get(j, (j.replace("_", " "),) * 2)[li]
            for c, j in zip(codes, jen, strict=True)
        }
        name_col = "nama_id" if lang == "id" else "nama_en"
        if name_col not in kamus and "nama_id" in kamus:
            name_col = "nama_id"
        if name_col in kamus:
            names = {
                **names,
                **{c: n for c, n in zip(codes, _text(kamus[name_col]), strict=True) if n},
            }

    def _label(code: str, table: dict[str, str], default: str) -> str:
        parts = [p_.strip() for p_ in code.split(";") if p_.strip()]
        got = [table.get(p_, default if default else "") for p_ in parts]
        uniq = list(dict.fromkeys(g_ for g_ in got if g_))
        return "; ".join(uniq)

    if assignments is not None:
        a = _frame_of(assignments, "assignments").copy()
        _require_columns(
            a, ["pegawai_id", "program_id", "kode_unit", "kode_kompetensi"], "assignments"
        )
        if "jenis_kebutuhan" not in a:
            a["jenis_kebutuhan"] = "kompetensi"
        a["_n"] = 1
        if "cost" not in a:
            a["cost"] = [cat.at[p, "biaya_per_peserta"] for p in a["program_id"]]
    else:
        al = _frame_of(plan, "allocation").copy()
        if "jenis_kebutuhan" not in al:
            al["jenis_kebutuhan"] = "kompetensi"
        a = al.rename(columns={"participants": "_n"})
    rows = []
    for (jk, k, p), sub in a.groupby(
        ["jenis_kebutuhan", "kode_kompetensi", "program_id"], sort=True
    ):
        if "bulan" in sub:
            jad = _month_names(sub["bulan"])
        else:
            jad = _month_names(cat.at[p, "bulan"])
        units = sorted(set(_text(sub["kode_unit"])))
        rows.append(
            {
                "jenis_kebutuhan": _LINE_TYPE[jk][0 if lang == "id" else 1],
                "kode_kompetensi": k,
                "jenis_kompetensi": _label(k, jenis_of, ""),
                "nama_kompetensi": _label(k, names, ""),
                "target_pns": int(sub["_n"].sum()),
                "target_unit": ";".join(units),
                "jenis_pengembangan": cat.at[p, "bentuk"],
                "jalur_pengembangan": cat.at[p, "jalur"],
                "program_id": p,
                "nama_program": cat.at[p, "nama_program"],
                "penyelenggara": cat.at[p, "penyelenggara"],
                "jadwal": jad,
                "kesesuaian_kurikulum": cat.at[p, "kesesuaian_kurikulum"],
                "anggaran": float(sub["cost"].sum()),
                "jp": float(cat.at[p, "jp"]),
                "kebutuhan_pns": int(need_n.get((jk, k), 0)),
            }
        )
    out = pd.DataFrame(rows, columns=list(PLAN_TABLE_COLUMNS_EN))
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("str")
    if lang == "en":
        out = out.rename(columns=PLAN_TABLE_COLUMNS_EN)
    return out


def individual_plans(
    assignments: Any,
    inventory: pd.DataFrame,
    katalog: pd.DataFrame,
    *,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Individual development plans (IDP): one row per person × planned programme.

    Pseudonymous (``attrs["output_class"] == "restricted"``); the writer of the confidential
    class re-identifies.

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``gap``, ``need_score``, ``priority``,
        ``program_id``, ``nama_program``, ``bentuk``, ``jalur``, ``penyelenggara``, ``jp``,
        ``biaya``, ``bulan`` (when scheduled, else missing), ``jp_total_pegawai`` (the person's
        planned JP in the year), ``tahap`` (``rencana`` / ``tambahan`` / ``umum``, see
        :func:`top_up_people`).
    """
    s = _settings(settings)
    a = _frame_of(assignments, "assignments")
    _require_columns(a, ["pegawai_id", "program_id", "kode_kompetensi"], "assignments")
    _require_columns(inventory, ["pegawai_id", "kode_kompetensi"], "inventory")
    cat = _catalogue(katalog, s)
    inv_cols = [
        c
        for c in ("pegawai_id", "kode_kompetensi", "gap", "need_score", "priority")
        if c in inventory.columns
    ]
    inv = inventory[inv_cols].copy()
    for c in ("pegawai_id", "kode_kompetensi"):
        inv[c] = _text(inv[c])
    base = pd.DataFrame(
        {
            "pegawai_id": _text(a["pegawai_id"]),
            "kode_kompetensi": _text(a["kode_kompetensi"]),
            "program_id": _text(a["program_id"]),
            "bulan": (a["bulan"].to_numpy() if "bulan" in a else np.full(len(a), np.nan)),
            "tahap": (
                _text(a["tahap"]) if "tahap" in a else np.full(len(a), "rencana", dtype=object)
            ),
        }
    )
    out = base.merge(
        inv.drop_duplicates(["pegawai_id", "kode_kompetensi"]),
        on=["pegawai_id", "kode_kompetensi"],
        how="left",
    )
    for c in ("gap", "need_score", "priority"):
        if c not in out:
            out[c] = np.nan
    c2 = cat[
        [
            "program_id",
            "nama_program",
            "bentuk",
            "jalur",
            "penyelenggara",
            "jp",
            "biaya_per_peserta",
        ]
    ].rename(columns={"biaya_per_peserta": "biaya"})
    out = out.merge(c2, on="program_id", how="left")
    out["jp_total_pegawai"] = out.groupby("pegawai_id")["jp"].transform("sum")
    out = out[
        [
            "pegawai_id",
            "kode_kompetensi",
            "gap",
            "need_score",
            "priority",
            "program_id",
            "nama_program",
            "bentuk",
            "jalur",
            "penyelenggara",
            "jp",
            "biaya",
            "bulan",
            "jp_total_pegawai",
            "tahap",
        ]
    ].sort_values(["pegawai_id", "priority", "program_id"])
    for c in ("nama_program", "bentuk", "jalur", "penyelenggara", "tahap"):
        out[c] = out[c].astype("str")
    out = out.reset_index(drop=True)
    out.attrs["output_class"] = "restricted"
    return out


def budget_by_unit(plan: GroupPlan, assignments: Any = None) -> pd.DataFrame:
    """Planned budget per unit.

    Returns
    -------
    DataFrame
        ``kode_unit``, ``participants``, ``cost`` (group-level plan), and when assignments are
        given ``participants_assigned``, ``cost_assigned`` (every placed seat, top-up
        included) and, after :func:`top_up_people`, ``participants_top_up``, ``cost_top_up``;
        with ``funding="unit"`` also
        ``pagu`` and ``remaining``; a last row ``kode_unit == "INSTANSI"`` with the totals.
    """
    al = _frame_of(plan, "allocation")
    _require_columns(al, ["kode_unit", "participants", "cost"], "allocation")
    out = al.groupby("kode_unit", sort=True)[["participants", "cost"]].sum().reset_index()
    if assignments is not None:
        a = _frame_of(assignments, "assignments")
        _require_columns(a, ["kode_unit", "cost"], "assignments")
        aa = (
            a.groupby("kode_unit")["cost"]
            .agg(["size", "sum"])
            .reset_index()
            .rename(columns={"size": "participants_assigned", "sum": "cost_assigned"})
        )
        if "tahap" in a:
            tu = a[a["tahap"].astype("str") != "rencana"]
            tt = (
                tu.groupby("kode_unit")["cost"]
                .agg(["size", "sum"])
                .rename(columns={"size": "participants_top_up", "sum": "cost_top_up"})
            )
            aa = aa.merge(tt, left_on="kode_unit", right_index=True, how="left").fillna(
                {"participants_top_up": 0, "cost_top_up": 0.0}
            )
        out = out.merge(aa, on="kode_unit", how="outer").fillna(
            {
                "participants": 0,
                "cost": 0.0,
                "participants_assigned": 0,
                "cost_assigned": 0.0,
                "participants_top_up": 0,
                "cost_top_up": 0.0,
            }
        )
    bud = getattr(plan, "budget", None)
    if isinstance(bud, pd.DataFrame) and (bud["kode_unit"] != "").any():
        b = bud[bud["kode_unit"] != ""][["kode_unit", "pagu", "remaining"]]
        out = out.merge(b, on="kode_unit", how="outer").fillna({"participants": 0, "cost": 0.0})
    tot = {c: (out[c].sum() if c != "kode_unit" else "INSTANSI") for c in out.columns}
    out = pd.concat([out, pd.DataFrame([tot])], ignore_index=True)
    out["kode_unit"] = out["kode_unit"].astype("str")
    return out


def jp_coverage(
    assignments: Any,
    pegawai: pd.DataFrame,
    *,
    settings: Settings | None = None,
    below: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of PNS reaching the JP minimum in the plan (person level), per unit and agency.

    Parameters
    ----------
    assignments : PersonAssignment or DataFrame
        ``pegawai_id``, ``jp``.
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``.
    below : DataFrame, optional
        ``PersonAssignment.below_minimum`` (``pegawai_id``, ``reason``); default: taken from
        ``assignments`` when it is a :class:`PersonAssignment` after :func:`top_up_people`.

    Returns
    -------
    DataFrame
        ``tingkat`` (``unit``/``instansi``), ``kode_unit`` (``INSTANSI`` for the agency row),
        ``pns`` (people owed the minimum, ``plan.jp_owed_status``), ``pns_reaching``,
        ``pns_below``, ``share_reaching`` (NaN when no PNS), ``jp_pns_total``,
        ``jp_pns_mean``, ``pppk``, ``pppk_over_cap`` (PPPK planned above ``jp.pppk_maximum``;
        0 by construction); with the reasons, ``below_<code>`` per code of :data:`REASONS`
        (people below the minimum for that reason; a person may have two codes).

    Notes
    -----
    Every figure counts people: a PNS reaches the minimum when the JP of *their* planned
    programmes sum to at least ``jp.minimum_pns``. (The unit aggregate of
    :attr:`GroupPlan.coverage` is not a count of people.)
    """
    s = _settings(settings)
    jmin, jpppk = float(s["jp.minimum_pns"]), float(s["jp.pppk_maximum"])
    a = _frame_of(assignments, "assignments")
    _require_columns(a, ["pegawai_id", "jp"], "assignments")
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    per = pd.Series(_num(a["jp"], "assignments", "jp"), index=_text(a["pegawai_id"]))
    per = per.groupby(level=0).sum()
    d = pd.DataFrame(
        {
            "pegawai_id": _text(pegawai["pegawai_id"]),
            "kode_unit": _text(pegawai["kode_unit"]),
            "status": _text(pegawai["status"]),
        }
    )
    d["jp"] = d["pegawai_id"].map(per).fillna(0.0).astype(float)
    d["is_pns"] = d["status"].isin(list(_owed(s)))
    d["reach"] = d["is_pns"] & (d["jp"] >= jmin - 1e-9)
    d["is_pppk"] = d["status"] == "PPPK"
    d["over"] = d["is_pppk"] & (d["jp"] > jpppk + 1e-9)
    d["jp_pns"] = np.where(d["is_pns"], d["jp"], 0.0)
    if below is None and isinstance(assignments, PersonAssignment):
        below = assignments.below_minimum
    codes: list[str] = []
    if below is not None:
        _require_columns(below, ["pegawai_id", "reason"], "below_minimum")
        rmap = dict(zip(_text(below["pegawai_id"]), _text(below["reason"]), strict=True))
        codes = list(REASONS)
        for c in codes:
            d[f"below_{c}"] = np.array(
                [
                    (c in rmap.get(p_, "").split(";")) and not r_ and o_
                    for p_, r_, o_ in zip(d["pegawai_id"], d["reach"], d["is_pns"], strict=True)
                ],
                dtype=bool,
            )

    def agg(x: pd.DataFrame) -> dict:
        pns = int(x["is_pns"].sum())
        return {
            "pns": pns,
            "pns_reaching": int(x["reach"].sum()),
            "pns_below": pns - int(x["reach"].sum()),
            "share_reaching": x["reach"].sum() / pns if pns else np.nan,
            "jp_pns_total": float(x["jp_pns"].sum()),
            "jp_pns_mean": float(x["jp_pns"].sum() / pns) if pns else np.nan,
            "pppk": int(x["is_pppk"].sum()),
            "pppk_over_cap": int(x["over"].sum()),
            **{f"below_{c}": int(x[f"below_{c}"].sum()) for c in codes},
        }

    rows = [{"tingkat": "unit", "kode_unit": u, **agg(x)} for u, x in d.groupby("kode_unit")]
    rows.append({"tingkat": "instansi", "kode_unit": "INSTANSI", **agg(d)})
    out = pd.DataFrame(rows)
    out["tingkat"] = out["tingkat"].astype("str")
    out["kode_unit"] = out["kode_unit"].astype("str")
    return out
