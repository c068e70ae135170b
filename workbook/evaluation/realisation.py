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

__all__ = ["jp_realisation", "jp_realisation_by_unit"]


def _str_col(series: pd.Series) -> pd.Series:
    return series.astype("str")


def jp_realisation(
    realisasi: pd.DataFrame | None,
    pegawai: pd.DataFrame,
    *,
    year: int | None = None,
    settings: Settings | None = None,
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
        ``jp.minimum_pns`` (20), ``jp.pppk_maximum`` (24).

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
