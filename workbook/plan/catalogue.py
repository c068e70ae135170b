"""The programme catalogue as every step of the plan reads it: JP per programme (the LAN
conversion table) and the validated catalogue (JP, months, capacity, cost, funding source).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.schema import BENTUK
from workbook.core.settings import Settings
from workbook.plan.common import _as_list, _months, _num, _text

__all__ = ["programme_jp"]


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
