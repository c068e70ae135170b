"""The 20-JP development right in the year evaluated (Y−1): learning hours realised per employee
and per unit. Read by the evaluation stage (follow-up: ``jp_kurang``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.checks import in_range as _check_range
from workbook.core.checks import numeric
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.intervals import share_by_unit as _share_by_unit
from workbook.core.settings import Settings

__all__ = ["jp_realisation", "jp_realisation_by_unit", "elearning_counted", "elearning_summary"]

#: ``bentuk`` of ``katalog_program`` whose JP count only when completed (DOMAIN-PLAN §9)
ELEARNING_FORMS = ("e_learning",)


def elearning_counted(realisasi: pd.DataFrame, katalog: pd.DataFrame | None,
                      settings: Settings | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of ``realisasi`` are e-learning, and which of them count.

    Returns ``(is_elearning, counts)``, two boolean arrays over the rows. A row is e-learning when
    its ``program_id`` has a ``bentuk`` of :data:`ELEARNING_FORMS` in ``katalog``. With the
    column ``status_penyelesaian`` an e-learning row counts only when its status is one of
    ``evaluation.elearning_completed_status`` (default selesai, bersertifikat: JP are recognised
    on a certificate or STTPP, DOMAIN-PLAN §9); without the column every row counts, and
    :func:`elearning_summary` says so. Rows that are not e-learning always count.
    """
    s = _settings(settings)
    n = len(realisasi)
    is_el = np.zeros(n, dtype=bool)
    if katalog is not None and {"program_id", "bentuk"} <= set(katalog.columns) and "program_id" in realisasi:
        forms = dict(zip(katalog["program_id"].astype("str"), katalog["bentuk"].astype("str"), strict=False))
        is_el = realisasi["program_id"].astype("str").map(forms).isin(ELEARNING_FORMS).to_numpy()
    counts = np.ones(n, dtype=bool)
    if "status_penyelesaian" in realisasi.columns:
        ok = {str(x).strip().lower() for x in s["evaluation.elearning_completed_status"]}
        done = realisasi["status_penyelesaian"].astype("str").str.strip().str.lower().isin(ok).to_numpy()
        counts = ~is_el | done
    return is_el, counts


def elearning_summary(realisasi: pd.DataFrame | None, katalog: pd.DataFrame | None, *, year: int | None = None,
                      settings: Settings | None = None) -> dict:
    """The numbers of the e-learning sentence: ``status_column`` (the realisation has
    ``status_penyelesaian``), ``rows``/``jp`` of e-learning, ``rows_not_counted``/``jp_not_counted``
    (not completed or certified), over activities starting in ``year`` when given."""
    out = {"status_column": False, "rows": 0, "jp": 0.0, "rows_not_counted": 0, "jp_not_counted": 0.0}
    if realisasi is None or not len(realisasi) or "jp" not in realisasi:
        return out
    r = realisasi
    if year is not None and "tanggal_mulai" in r:
        r = r.loc[pd.to_datetime(r["tanggal_mulai"], errors="coerce").dt.year == year]
    is_el, counts = elearning_counted(r, katalog, settings)
    jp = pd.to_numeric(r["jp"], errors="coerce").fillna(0.0).to_numpy()
    out.update(status_column="status_penyelesaian" in r.columns, rows=int(is_el.sum()), jp=float(jp[is_el].sum()),
               rows_not_counted=int((is_el & ~counts).sum()), jp_not_counted=float(jp[is_el & ~counts].sum()))
    return out


def _str_col(series: pd.Series) -> pd.Series:
    return series.astype("str")


def jp_realisation(
    realisasi: pd.DataFrame | None,
    pegawai: pd.DataFrame,
    *,
    year: int | None = None,
    settings: Settings | None = None,
    katalog: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Learning hours (JP) realised per employee against the 20-JP right/obligation.

    Parameters
    ----------
    realisasi : DataFrame or None
        ``realisasi_pengembangan``: ``pegawai_id``, ``jp`` (and ``tanggal_mulai`` if ``year``).
        None or no rows for an employee = 0 JP recognised.
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status`` (CPNS/PNS/PPPK).
    year : int, optional
        Keep only activities starting in this year (the participation year, Y − 1).
    settings : Settings, optional
        ``jp.minimum_pns`` (20), ``jp.pppk_maximum`` (24), ``evaluation.elearning_completed_status``.
    katalog : DataFrame, optional
        ``katalog_program`` (``program_id``, ``bentuk``): with it, e-learning JP count only when
        completed or certified (:func:`elearning_counted`).

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``, ``jp_total``, ``jp_target``, ``jp_cap``
        (PPPK only), ``reached``, ``shortfall_jp``, ``over_cap`` (PPPK above the cap).

    Notes
    -----
    PNS and CPNS: target :math:`= 20` JP (``jp.minimum_pns``; PP 11/2017). PPPK: the
    development entitlement is *at most* 24 JP per contract year (``jp.pppk_maximum``;
    Perlan 15/2020, Permenhan 9/2025), so the target is :math:`\\min(20, 24) = 20` and 24 is
    reported as ``jp_cap``; hours beyond the cap are flagged (``over_cap``), not removed.
    ``reached`` iff :math:`JP \\ge` target; ``shortfall_jp`` :math:`= \\max(0, \\text{target} - JP)`.
    """
    s = _settings(settings)
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    minimum = float(s["jp.minimum_pns"])
    cap = float(s["jp.pppk_maximum"])
    status = _str_col(pegawai["status"])
    bad = ~status.isin(["CPNS", "PNS", "PPPK"])
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"Tabel 'pegawai', kolom 'status': nilai tidak diizinkan {status.iloc[pos]!r}.",
            f"Table 'pegawai', column 'status': value not allowed {status.iloc[pos]!r}.",
            file="pegawai", row=pos + 2, column="status", value=status.iloc[pos],
            expected="CPNS, PNS, PPPK")
    totals = pd.Series(dtype="float64")
    if realisasi is not None:
        _require_columns(realisasi, ["pegawai_id", "jp"], "realisasi_pengembangan")
        r = realisasi
        if year is not None:
            _require_columns(r, ["tanggal_mulai"], "realisasi_pengembangan")
            r = r.loc[pd.to_datetime(r["tanggal_mulai"], errors="coerce").dt.year == year]
        jp = numeric(r["jp"], "realisasi_pengembangan", "jp")
        if jp.isna().any():
            pos = int(np.flatnonzero(jp.isna().to_numpy())[0])
            raise DataError(
                "Tabel 'realisasi_pengembangan': jp kosong (JP yang diakui wajib diisi).",
                "Table 'realisasi_pengembangan': jp is blank (recognised JP is required).",
                file="realisasi_pengembangan", row=pos + 2, column="jp")
        _check_range(jp, 0, np.inf, "realisasi_pengembangan", "jp")
        _, counts = elearning_counted(r, katalog, s)
        jp = jp.where(counts, 0.0)
        totals = jp.groupby(_str_col(r["pegawai_id"]).to_numpy()).sum()
    pid = _str_col(pegawai["pegawai_id"])
    jp_total = pid.map(totals).fillna(0.0).astype("float64").to_numpy()
    is_pppk = (status == "PPPK").to_numpy()
    target = np.where(is_pppk, min(minimum, cap), minimum)
    jp_cap = np.where(is_pppk, cap, np.nan)
    return pd.DataFrame({
        "pegawai_id": pid.to_numpy(),
        "kode_unit": _str_col(pegawai["kode_unit"]).to_numpy(),
        "status": status.to_numpy(),
        "jp_total": jp_total,
        "jp_target": target,
        "jp_cap": jp_cap,
        "reached": jp_total >= target,
        "shortfall_jp": np.maximum(0.0, target - jp_total),
        "over_cap": is_pppk & (jp_total > cap),
    })


def jp_realisation_by_unit(per_employee: pd.DataFrame, *,
                           settings: Settings | None = None) -> pd.DataFrame:
    """Per unit: ``n`` employees, ``n_reached``, ``share_reached`` with a Wilson interval.

    Every employee of the unit is counted (a census), so no finite-population correction is
    applied: the interval describes the unit's underlying rate (process view), not sampling
    error. Columns: ``kode_unit``, ``n``, ``n_reached``, ``share_reached``, ``ci_low``,
    ``ci_high``, ``mean_jp``, ``small_group``.
    """
    s = _settings(settings)
    _require_columns(per_employee, ["kode_unit", "reached", "jp_total"], "jp_realisation")
    out = _share_by_unit(per_employee["reached"].astype("boolean"), per_employee["kode_unit"],
                         float(s["evaluation.confidence"]), False, "reached")
    out = out.drop(columns="headcount")
    means = per_employee.groupby("kode_unit")["jp_total"].mean()
    out["mean_jp"] = out["kode_unit"].map(means).astype("float64")
    out["small_group"] = out["n"] < int(s["suppression.k_count"])
    return out
