"""Needs analysis (AKPK): the performance gap of PP 11/2017 Pasal 206 under PermenPANRB 6/2022.

*Analisis kesenjangan kinerja* compares a PNS's performance assessment with the position's
target. Since PermenPANRB 6/2022 the assessment is the **predikat kinerja** (hasil kerja ×
perilaku kerja); the gap is a rating of hasil kerja below expectation (Butuh Perbaikan, Sangat
Kurang). Kurang/Misconduct (behaviour below expectation) is a behaviour matter, reported apart.
The pre-2022 ratio realisasi/target is kept only as a labelled supplementary column
(DOMAIN-PLAN §0, §4). Conventions as in :mod:`workbook.needs.gaps`; the method note is
``docs/methods/needs.md`` §4.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from workbook.core.checks import in_range as _check_range
from workbook.core.checks import numeric as _numeric
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError, SettingsError
from workbook.core.settings import Settings

__all__ = ["PERFORMANCE_CLASSES", "skp_period", "performance_gaps", "performance_gaps_by_unit"]


def _str_col(series: pd.Series) -> pd.Series:
    return series.astype("str")



#: Codes of ``performance_class`` (:func:`performance_gaps`), in the order of the docs.
PERFORMANCE_CLASSES: tuple[str, ...] = ("kesenjangan_hasil_kerja", "perilaku", "sesuai")


def _predikat_classes(s: Settings) -> dict[str, str]:
    """``skp.predikat_classes`` as predikat → class code, checked."""
    spec = s["skp.predikat_classes"]
    if not isinstance(spec, Mapping) or set(spec) != set(PERFORMANCE_CLASSES):
        raise SettingsError(
            f"skp.predikat_classes harus memuat tepat kelas {', '.join(PERFORMANCE_CLASSES)}.",
            f"skp.predikat_classes must hold exactly the classes {', '.join(PERFORMANCE_CLASSES)}.",
            column="skp.predikat_classes")
    out: dict[str, str] = {}
    for cls in PERFORMANCE_CLASSES:
        for pred in spec[cls]:
            if str(pred) in out:
                raise SettingsError(
                    f"skp.predikat_classes: predikat {pred!r} ada di dua kelas.",
                    f"skp.predikat_classes: predikat {pred!r} is in two classes.",
                    column="skp.predikat_classes", value=str(pred))
            out[str(pred)] = cls
    return out


def skp_period(pegawai: pd.DataFrame, year: int, *, settings: Settings | None = None) -> list[int]:
    """The SKP assessment period(s) behind ``predikat_kinerja``: the distinct ``periode_skp`` of
    the employees with a predikat when the column is given, else ``year − skp.period_lag`` (the
    last annual SKP before the needs analysis; DOMAIN-PLAN §4)."""
    s = _settings(settings)
    if "periode_skp" in pegawai and "predikat_kinerja" in pegawai:
        has = pegawai["predikat_kinerja"].notna()
        per = _numeric(pegawai.loc[has, "periode_skp"], "pegawai", "periode_skp").dropna()
        if len(per):
            return sorted({int(v) for v in per})
    return [int(year) - int(s["skp.period_lag"])]


def performance_gaps(pegawai: pd.DataFrame, *, settings: Settings | None = None) -> pd.DataFrame:
    """Performance gap of each employee under PermenPANRB 6/2022: hasil kerja below expectation.

    Parameters
    ----------
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``; optional ``status``, ``predikat_kinerja``,
        ``periode_skp``, ``skp_target``, ``skp_realisasi``.
    settings : Settings, optional
        ``skp.predikat_classes`` (which predikat is a hasil-kerja shortfall, which a behaviour
        matter), ``talent.performance_axis`` (the talent axis, kept for the 9-box).

    Returns
    -------
    DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``, ``predikat_kinerja``, ``periode_skp``,
        ``performance_class`` (``kesenjangan_hasil_kerja``, ``perilaku``, ``sesuai``; missing
        without a predikat), ``below_target`` (nullable boolean: the performance gap, i.e.
        class ``kesenjangan_hasil_kerja``; NA without a predikat), ``behaviour_issue``
        (nullable boolean: class ``perilaku``), ``kinerja_axis`` (``di_atas``/``sesuai``/
        ``di_bawah`` of ``talent.performance_axis``, for the 9-box), ``basis`` (``"predikat"``
        or missing), and the supplementary pre-2022 numbers ``skp_target``,
        ``skp_realisasi``, ``skp_ratio`` (R/T when T > 0) and ``below_target_ratio``
        (R < T) — never used for the gap.

    Notes
    -----
    PP 11/2017 Pasal 206 compares the PNS's performance assessment with the position's target.
    Under PermenPANRB 6/2022 the predikat kinerja is the matrix of the rating of *hasil kerja*
    (results) × the rating of *perilaku kerja* (behaviour); there is no "realisasi/target"
    percentage any more. A shortfall in results gives **Butuh Perbaikan** (behaviour as or above
    expectation) or **Sangat Kurang** (behaviour below) — these are the performance gap.
    **Kurang/Misconduct** is results as or above expectation with behaviour below: a behaviour
    matter (pembinaan/disiplin), reported apart and not counted as a performance gap.
    Without a predikat nothing is claimed (NA, never "no gap"); the ratio of the old SKP logic
    is kept only as a supplementary column (DOMAIN-PLAN §0, §4).

    References
    ----------
    .. [1] PermenPANRB 6/2022 tentang Pengelolaan Kinerja Pegawai ASN, matriks predikat kinerja
       (DOMAIN-PLAN §4).
    .. [2] PP 11/2017 jo. PP 17/2020, Pasal 206 (DOMAIN.md [S03]).
    """
    s = _settings(settings)
    _require_columns(pegawai, ["pegawai_id", "kode_unit"], "pegawai")
    n = len(pegawai)
    nan = pd.Series(np.nan, index=pegawai.index)
    tgt = _numeric(pegawai["skp_target"], "pegawai", "skp_target") if "skp_target" in pegawai else nan
    real = (_numeric(pegawai["skp_realisasi"], "pegawai", "skp_realisasi")
            if "skp_realisasi" in pegawai else nan)
    for v, c in ((tgt, "skp_target"), (real, "skp_realisasi")):
        _check_range(v, 0, np.inf, "pegawai", c)
    pred = (pegawai["predikat_kinerja"] if "predikat_kinerja" in pegawai
            else pd.Series([None] * n, index=pegawai.index))
    classes = _predikat_classes(s)
    axis_of = {p: a for a, preds in s["talent.performance_axis"].items() for p in preds}
    pred_s = [None if (v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "")
              else str(v).strip() for v in pred]
    unknown = [p for p in pred_s if p is not None and p not in classes]
    if unknown:
        raise DataError(
            f"Tabel 'pegawai', kolom 'predikat_kinerja': nilai tidak dikenal {unknown[0]!r}.",
            f"Table 'pegawai', column 'predikat_kinerja': unknown value {unknown[0]!r}.",
            file="pegawai", column="predikat_kinerja", value=unknown[0],
            expected=", ".join(classes))
    t, r = tgt.to_numpy(), real.to_numpy()
    use_ratio = ~np.isnan(t) & ~np.isnan(r) & (t > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(use_ratio, r / t, np.nan)
    below_ratio = np.where(use_ratio, r < t, None)
    cls = np.array([classes.get(p) if p else None for p in pred_s], dtype=object)
    known = np.array([c is not None for c in cls])
    gap = np.where(known, cls == "kesenjangan_hasil_kerja", None)
    behaviour = np.where(known, cls == "perilaku", None)
    periode = (_numeric(pegawai["periode_skp"], "pegawai", "periode_skp").to_numpy()
               if "periode_skp" in pegawai else np.full(n, np.nan))
    status = (_str_col(pegawai["status"]).to_numpy() if "status" in pegawai else [None] * n)
    return pd.DataFrame({
        "pegawai_id": _str_col(pegawai["pegawai_id"]).to_numpy(),
        "kode_unit": _str_col(pegawai["kode_unit"]).to_numpy(),
        "status": pd.array(status, dtype="str"),
        "predikat_kinerja": pd.array(pred_s, dtype="str"),
        "periode_skp": pd.array(np.where(np.isnan(periode), None, periode), dtype="Int64"),
        "performance_class": pd.array(cls, dtype="str"),
        "below_target": pd.array(gap, dtype="boolean"),
        "behaviour_issue": pd.array(behaviour, dtype="boolean"),
        "kinerja_axis": pd.array([axis_of.get(p) if p else None for p in pred_s], dtype="str"),
        "basis": pd.array(np.where(known, "predikat", None), dtype="str"),
        "skp_target": t, "skp_realisasi": r, "skp_ratio": ratio,
        "below_target_ratio": pd.array(below_ratio, dtype="boolean"),
    })


def performance_gaps_by_unit(pegawai: pd.DataFrame, *, settings: Settings | None = None,
                             performance: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per unit: the predikat distribution, the performance gap and the behaviour matters.

    A count of the whole staff file (a census), so no confidence interval is given.

    Returns
    -------
    DataFrame
        ``kode_unit``, ``headcount``, ``n`` (with a predikat), ``n_missing`` (without),
        ``n_below`` (performance gap: Butuh Perbaikan or Sangat Kurang), ``share_below``
        (``n_below / n``), ``n_behaviour`` (Kurang/Misconduct), ``share_behaviour``,
        ``n_expected`` (Baik, Sangat Baik), ``n_below_ratio`` and ``n_ratio`` (supplementary:
        realisasi < target among those with both numbers), ``small_group``
        (``n < suppression.k_count``).
    """
    s = _settings(settings)
    perf = performance_gaps(pegawai, settings=s) if performance is None else performance
    d = pd.DataFrame({
        "kode_unit": perf["kode_unit"].to_numpy(),
        "_known": perf["performance_class"].notna().to_numpy(),
        "_gap": (perf["performance_class"] == "kesenjangan_hasil_kerja").fillna(False).to_numpy(),
        "_beh": (perf["performance_class"] == "perilaku").fillna(False).to_numpy(),
        "_exp": (perf["performance_class"] == "sesuai").fillna(False).to_numpy(),
        "_rat": perf["below_target_ratio"].notna().to_numpy(),
        "_rbelow": perf["below_target_ratio"].fillna(False).to_numpy(dtype=bool),
    })
    out = d.groupby("kode_unit", sort=True).agg(
        headcount=("_known", "size"), n=("_known", "sum"), n_below=("_gap", "sum"),
        n_behaviour=("_beh", "sum"), n_expected=("_exp", "sum"), n_ratio=("_rat", "sum"),
        n_below_ratio=("_rbelow", "sum")).reset_index()
    for c in out.columns[1:]:
        out[c] = out[c].astype("int64")
    out["n_missing"] = out["headcount"] - out["n"]
    n_ = out["n"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_below"] = np.where(n_ > 0, out["n_below"] / n_, np.nan)
        out["share_behaviour"] = np.where(n_ > 0, out["n_behaviour"] / n_, np.nan)
    out["kode_unit"] = _str_col(out["kode_unit"])
    out["small_group"] = out["n"] < int(s["suppression.k_count"])
    return out[["kode_unit", "headcount", "n", "n_missing", "n_below", "share_below", "n_behaviour",
                "share_behaviour", "n_expected", "n_ratio", "n_below_ratio", "small_group"]]
