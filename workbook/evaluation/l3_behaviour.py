"""Kirkpatrick level 3 — behaviour: ratings before and 3–6 months after, and whether they are due.

Ratings by supervisors, peers or observers (``evaluasi_l3``) are averaged per person
(:func:`level3_scores`), then compared per programme with the paired machinery of level 2; a
programme whose follow-up rating is not due yet is "menunggu" (pending). Public through
:mod:`workbook.evaluation.levels`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import blank_cells as _blank
from workbook.core.checks import in_range as _check_range
from workbook.core.checks import numeric as _numeric
from workbook.core.checks import raise_first_bad
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.core.stats import TEST_COLUMNS, prepost_by_group
from workbook.evaluation.columns import choices as _enum
from workbook.evaluation.columns import optional_ids as _optional_ids
from workbook.evaluation.columns import required_ids as _ids
from workbook.evaluation.l2_learning import add_magnitude, flag_results

__all__ = ["STATUS_REASONS", "level3_scores", "level3"]

#: ``status_reason`` codes of :func:`level3` (words:
#: :data:`workbook.evaluation.words.L3_STATUS_REASONS`).
STATUS_REASONS: tuple[str, ...] = (
    "no_after",  # menunggu: no 'sesudah' rating yet
    "too_early",  # menunggu: fewer than delay_months months since the programme (due_date)
    "done",  # selesai: ≥ delay_months months since the programme
    "done_date_unknown",  # selesai: the programme date is unknown
)
#: ``method_reason`` of a finished programme with fewer than 2 persons rated before and after
#: (besides the codes of :data:`workbook.core.stats.grouped.METHOD_REASONS`).
TOO_FEW_RATED = "too_few_rated"


# --------------------------------------------------------------------------------------------
# Level 3 — behaviour
# --------------------------------------------------------------------------------------------


def _dates(series: pd.Series, table: str, column: str) -> pd.Series:
    out = pd.to_datetime(series, errors="coerce")
    bad = (out.isna() & ~pd.Series(_blank(series), index=series.index)).to_numpy()
    raise_first_bad(bad, series, table, column, "tanggal tidak dapat dibaca", "unreadable date", "YYYY-MM-DD")
    return out


def _clean_l3(l3: pd.DataFrame, scale: tuple[float, float] = (1.0, 5.0)) -> pd.DataFrame:
    t = "evaluasi_l3"
    _require_columns(
        l3,
        ["pegawai_id", "program_id", "peran_penilai", "tahap", "tanggal", "indikator", "rating"],
        t,
    )
    rating = _numeric(l3["rating"], t, "rating")
    _check_range(rating, float(scale[0]), float(scale[1]), t, "rating")
    return pd.DataFrame(
        {
            "pegawai_id": _ids(l3["pegawai_id"], t, "pegawai_id").to_numpy(),
            "program_id": _ids(l3["program_id"], t, "program_id").to_numpy(),
            "peran_penilai": _ids(l3["peran_penilai"], t, "peran_penilai").to_numpy(),
            "tahap": _enum(l3["tahap"], ("sebelum", "sesudah"), t, "tahap").to_numpy(),
            "tanggal": _dates(l3["tanggal"], t, "tanggal").to_numpy(),
            "indikator": _ids(l3["indikator"], t, "indikator").to_numpy(),
            "rating": rating.to_numpy(),
        }
    ).dropna(subset=["rating"])


def level3_scores(l3: pd.DataFrame, scale: tuple[float, float] = (1.0, 5.0)) -> pd.DataFrame:
    """Person-level behaviour scores before and after the programme.

    Returns
    -------
    pandas.DataFrame
        One row per programme × person: ``program_id``, ``pegawai_id``, ``skor_sebelum``,
        ``skor_sesudah`` (NaN when that phase has no rating), ``n_indikator_sebelum``,
        ``n_indikator_sesudah``, ``n_penilai_sebelum``, ``n_penilai_sesudah`` (distinct raters
        roles), ``tanggal_sebelum``, ``tanggal_sesudah`` (latest rating date of the phase).
        A restricted (person-level, pseudonymous) table.

    Notes
    -----
    Ratings are first averaged over raters within each indicator, then over indicators, so
    that an indicator rated by three people does not weigh three times as much as one rated
    by one person **(konvensi, tidak bersumber)**.
    """
    d = _clean_l3(l3, scale)
    key = ["program_id", "pegawai_id", "tahap"]
    per_ind = d.groupby(key + ["indikator"], sort=True)["rating"].mean().reset_index()
    per_phase = per_ind.groupby(key, sort=True).agg(
        skor=("rating", "mean"), n_indikator=("indikator", "nunique")
    )
    extra = d.groupby(key, sort=True).agg(
        n_penilai=("peran_penilai", "nunique"), tanggal=("tanggal", "max")
    )
    wide = per_phase.join(extra).unstack("tahap")
    out = pd.DataFrame(index=wide.index)
    for phase in ("sebelum", "sesudah"):
        for col in ("skor", "n_indikator", "n_penilai", "tanggal"):
            name = f"{col}_{phase}"
            out[name] = (
                wide[(col, phase)]
                if (col, phase) in wide.columns
                else (pd.NaT if col == "tanggal" else np.nan)
            )
    out = out.reset_index()
    for c in (
        "n_indikator_sebelum",
        "n_indikator_sesudah",
        "n_penilai_sebelum",
        "n_penilai_sesudah",
    ):
        out[c] = out[c].fillna(0).astype("int64")
    for c in ("program_id", "pegawai_id"):
        out[c] = out[c].astype("str")
    out.columns.name = None
    out.attrs["output_class"] = "restricted"
    return out[
        [
            "program_id",
            "pegawai_id",
            "skor_sebelum",
            "skor_sesudah",
            "n_indikator_sebelum",
            "n_indikator_sesudah",
            "n_penilai_sebelum",
            "n_penilai_sesudah",
            "tanggal_sebelum",
            "tanggal_sesudah",
        ]
    ]


def _today(today: Any) -> pd.Timestamp:
    if today is None:
        return pd.Timestamp(_dt.date.today())
    ts = pd.to_datetime(today, errors="coerce")
    if pd.isna(ts):
        raise DataError(
            f"Tanggal 'today' tidak dapat dibaca: {today!r}.",
            f"Unreadable 'today' date: {today!r}.",
            column="today",
            value=today,
            expected="YYYY-MM-DD",
        )
    return pd.Timestamp(ts).normalize()


def _programme_dates(scores: pd.DataFrame, realisasi: pd.DataFrame | None) -> pd.DataFrame:
    progs = pd.Index(sorted(scores["program_id"].unique()), name="program_id")
    out = pd.DataFrame(index=progs)
    out["program_date"] = pd.NaT
    out["program_date_source"] = "tidak_diketahui"
    if realisasi is not None:
        t = "realisasi_pengembangan"
        _require_columns(realisasi, ["program_id", "tanggal_mulai"], t)
        pid = _optional_ids(realisasi["program_id"])
        dates = _dates(realisasi["tanggal_mulai"], t, "tanggal_mulai")
        last = pd.Series(dates.to_numpy(), index=pid.to_numpy()).loc[pid.notna().to_numpy()]
        last = last.groupby(level=0).max()
        hit = out.index.intersection(last.index)
        out.loc[hit, "program_date"] = last.loc[hit].to_numpy()
        out.loc[hit, "program_date_source"] = "realisasi"
    before = scores.groupby("program_id")["tanggal_sebelum"].max()
    miss = out["program_date"].isna() & out.index.isin(before.dropna().index)
    idx = out.index[miss]
    out.loc[idx, "program_date"] = before.loc[idx].to_numpy()
    out.loc[idx, "program_date_source"] = "penilaian_sebelum"
    out["program_date"] = pd.to_datetime(out["program_date"])
    return out


_L3_BASE_COLUMNS = [
    "program_id",
    "status",
    "status_reason",
    "program_date",
    "program_date_source",
    "due_date",
    "delay_months",
    "early_measurement",
    "n_persons",
    "mean_before",
    "mean_after",
]
_L3_STR_COLUMNS = (
    "program_id",
    "status",
    "status_reason",
    "program_date_source",
    "method",
    "method_reason",
    "wilcoxon_p_method",
    "normality_test",
    "effect_type",
    "p_adjust_method",
    "p_adjust_family",
)
_L3_TEST_COLUMNS = (*TEST_COLUMNS, "g_z", "g_z_ci_low", "g_z_ci_high", "p_adj", "p_adjust_method",
                    "p_adjust_family", "p_adjust_m")


def level3(
    l3: pd.DataFrame,
    realisasi: pd.DataFrame | None = None,
    *,
    method: str = "auto",
    alternative: str = "two-sided",
    settings: Settings | None = None,
    today: Any = None,
) -> pd.DataFrame:
    """Level 3 (behaviour): per programme, paired before/after ratings and whether they are due.

    Parameters
    ----------
    l3 : pandas.DataFrame
        ``evaluasi_l3`` (long): ``pegawai_id``, ``program_id``, ``peran_penilai``, ``tahap``
        (sebelum/sesudah), ``tanggal``, ``indikator``, ``rating`` (1–5).
    realisasi : pandas.DataFrame, optional
        ``realisasi_pengembangan`` (``program_id``, ``tanggal_mulai``): the programme date is the
        latest start date recorded for it. Without it (or for a programme not in it) the latest
        'sebelum' rating date stands in.
    method, alternative
        As :func:`workbook.core.stats.paired_prepost`.
    settings : Settings, optional
        ``evaluation.l3_delay_months`` (first value = minimum months after the programme),
        ``evaluation.alpha``, ``evaluation.confidence``, ``evaluation.p_adjust``,
        ``evaluation.magnitude_threshold``, ``evaluation.l3_scale``.
    today : date-like, optional
        Reference date for the pending check (default: today).

    Returns
    -------
    pandas.DataFrame
        One row per programme: ``program_id``, ``status`` ("selesai" / "menunggu"),
        ``status_reason`` (code, :data:`STATUS_REASONS`), ``program_date``,
        ``program_date_source`` ("realisasi", "penilaian_sebelum", "tidak_diketahui"),
        ``due_date`` (programme date + the minimum delay), ``delay_months`` (that delay),
        ``early_measurement`` (some 'sesudah' ratings dated before
        ``due_date``), ``n_persons``, ``mean_before``, ``mean_after`` (over persons with that
        phase), then for finished programmes the :func:`workbook.core.stats.prepost_by_group`
        columns (``n`` complete pairs, ``mean_diff``, ``p_val``, ``g_z``, … ``p_adj``,
        ``p_adjust_family`` "l3_year", ``p_adjust_m``), ``significant``, ``direction``, d_av
        with its interval and ``magnitude`` (:func:`workbook.evaluation.l2_learning.add_magnitude`),
        ``scale_min``/``scale_max`` (``evaluation.l3_scale``) and ``rater_roles`` (the
        ``peran_penilai`` values of the programme, lower case, comma-separated).
        Pending programmes have no test (NaN); a finished programme without one has
        ``method_reason`` "too_few_rated".

    Notes
    -----
    Status "menunggu" (pending) when the programme has no 'sesudah' rating yet, or when fewer
    than ``evaluation.l3_delay_months[0]`` months (default 3) have passed between the
    programme date and ``today``: Kirkpatrick's behaviour level is measured 3–6 months after
    training [S35]. Person scores: :func:`level3_scores`. The Holm family is all *finished* L3
    programmes of the year (stated in ``p_adjust_family``); L3 is a separate family from L2.
    A finished programme with fewer than 2 complete pairs is reported without a test (no
    error: L3 follow-up is often partial).

    References
    ----------
    Kirkpatrick, D. L. & Kirkpatrick, J. D. (2006). *Evaluating Training Programs*, 3rd ed.
    DOMAIN.md §2.1 [S35]. Holm, S. (1979). *Scand. J. Stat.* 6, 65–70.
    """
    s = _settings(settings)
    now = _today(today)
    delay = s["evaluation.l3_delay_months"]
    delay_min = int(delay[0] if isinstance(delay, (list, tuple)) else delay)
    lo, hi = (float(x) for x in s["evaluation.l3_scale"])
    scores = level3_scores(l3, (lo, hi))
    summ = _programme_status(scores, _programme_dates(scores, realisasi), now, delay_min)
    done = summ.loc[summ["status"] == "selesai", "program_id"]
    pairs = scores.loc[
        scores["program_id"].isin(done)
        & scores["skor_sebelum"].notna()
        & scores["skor_sesudah"].notna()
    ]
    out = summ[_L3_BASE_COLUMNS]
    testable = pairs.groupby("program_id")["pegawai_id"].count()
    testable = testable[testable >= 2].index
    if len(testable):
        res = _finished_tests(pairs.loc[pairs["program_id"].isin(testable)], method, alternative, s)
        out = out.merge(res, on="program_id", how="left")
    out = out.reindex(columns=_L3_BASE_COLUMNS + list(_L3_TEST_COLUMNS))
    untested = ((out["status"] == "selesai") & ~out["program_id"].isin(testable)).to_numpy()
    out["method_reason"] = out["method_reason"].astype("object")
    out.loc[untested, "method_reason"] = TOO_FEW_RATED
    out = flag_results(out, s)
    out = add_magnitude(out, pairs, "skor_sebelum", "skor_sesudah", s)
    out["scale_min"], out["scale_max"] = lo, hi
    roles = _clean_l3(l3, (lo, hi)).groupby("program_id")["peran_penilai"].agg(
        lambda x: ", ".join(sorted({str(v).strip().lower() for v in x})))
    out["rater_roles"] = out["program_id"].astype("str").map(roles).fillna("").astype("str")
    for c in _L3_STR_COLUMNS:
        out[c] = out[c].astype("str")
    return out.reset_index(drop=True)


def _programme_status(
    scores: pd.DataFrame, dates: pd.DataFrame, now: pd.Timestamp, delay_min: int
) -> pd.DataFrame:
    """Per programme: persons, mean scores, dates, and whether the 'after' rating is due."""
    g = scores.groupby("program_id", sort=True)
    summ = pd.DataFrame(
        {
            "n_persons": g["pegawai_id"].nunique(),
            "mean_before": g["skor_sebelum"].mean(),
            "mean_after": g["skor_sesudah"].mean(),
            "n_after": g["skor_sesudah"].count(),
            "last_after": g["tanggal_sesudah"].max(),
            "first_after": g["tanggal_sesudah"].min(),
        }
    ).join(dates)
    summ["due_date"] = summ["program_date"] + pd.DateOffset(months=delay_min)
    summ["delay_months"] = delay_min
    status, reason = [], []
    for r in summ.itertuples():
        due = r.due_date
        if r.n_after == 0:
            status.append("menunggu")
            reason.append("no_after")
        elif pd.notna(due) and now < due:
            status.append("menunggu")
            reason.append("too_early")
        else:
            status.append("selesai")
            reason.append("done_date_unknown" if pd.isna(due) else "done")
    summ["status"] = status
    summ["status_reason"] = reason
    summ["early_measurement"] = (summ["first_after"] < summ["due_date"]).fillna(False).astype(bool)
    return summ.reset_index()


def _finished_tests(
    pairs: pd.DataFrame, method: str, alternative: str, s: Settings
) -> pd.DataFrame:
    """The paired tests of the finished programmes with ≥ 2 pairs: one Holm family."""
    adj = str(s["evaluation.p_adjust"])
    res = prepost_by_group(
        pairs,
        group="program_id",
        pre="skor_sebelum",
        post="skor_sesudah",
        max_score=None,
        method=method,
        alternative=alternative,
        confidence=float(s["evaluation.confidence"]),
        p_adjust=adj,
        settings=s,
    )
    res["p_adjust_family"] = "l3_year"
    res["program_id"] = res["program_id"].astype("str")
    return res
