"""Kirkpatrick level 4 — results: unit indicators before and after, with no causal claim.

Whether each unit indicator moved in the better direction, whether it is a result or a process
indicator (:func:`indicator_kind`), whether the agency linked it to a programme and whether the
unit's staff actually took part (:func:`participants_by_unit`, from ``realisasi_pengembangan``);
the comparison with untrained units is :func:`workbook.evaluation.impact.did`. Public through
:mod:`workbook.evaluation.levels`.

References
----------
Kirkpatrick, D. L., Kirkpatrick, J. D. (2006). *Evaluating Training Programs: The Four Levels*,
3rd ed. Berrett-Koehler (Level 4: results the organisation gets *because of* the training —
not the training's own outputs such as hours delivered).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.checks import numeric as _numeric
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.evaluation.columns import choices as _enum
from workbook.evaluation.columns import optional_ids as _optional_ids
from workbook.evaluation.columns import required_ids as _ids

__all__ = ["L4_NOTE", "INDICATOR_KINDS", "indicator_kind", "participants_by_unit", "level4"]


#: The ``note`` code every L4 row carries: no causal attribution without a comparison group
#: (words: :data:`workbook.evaluation.words.L4_NOTES`).
L4_NOTE = "descriptive"

#: ``indicator_kind`` codes: an organisational result (Level 4) or a process/output measure of
#: the training itself (e.g. "% PNS memenuhi 20 JP"), kept out of Level 4's counts and of the DiD.
INDICATOR_KINDS: tuple[str, ...] = ("hasil", "proses")


def indicator_kind(names: pd.Series, settings: Settings | None = None) -> pd.Series:
    """``"proses"`` for indicators matching a pattern of ``impact.process_indicator_patterns``.

    The patterns are regular expressions, matched case-insensitively anywhere in the indicator's
    name; every other indicator is ``"hasil"``. A process indicator counts what the training
    programme itself produced (hours, participants), so its change is not a Level 4 result
    (Kirkpatrick & Kirkpatrick 2006; review M7).
    """
    s = _settings(settings)
    pats = [str(p) for p in (s.get("impact.process_indicator_patterns") or [])]
    txt = names.astype("str")
    hit = pd.Series(False, index=names.index)
    for p in pats:
        hit |= txt.str.contains(p, case=False, regex=True, na=False)
    return pd.Series(np.where(hit, "proses", "hasil"), index=names.index, dtype="str")


def participants_by_unit(
    realisasi: pd.DataFrame | None,
    pegawai: pd.DataFrame | None,
    programmes: set[str] | frozenset[str] | None = None,
    *,
    year: int | None = None,
) -> pd.Series:
    """Distinct employees per unit who took part in ``programmes`` (any catalogue programme when
    None or empty), from ``realisasi_pengembangan`` joined to ``pegawai.kode_unit``.

    ``year``: only activities starting in that year (the evaluated year, Y − 1). Rows without
    ``program_id`` (activities outside the catalogue) never count. Returns a Series indexed by
    ``kode_unit`` (units without participants are absent).
    """
    if realisasi is None or pegawai is None or not len(realisasi):
        return pd.Series(dtype="int64")
    _require_columns(realisasi, ["pegawai_id", "program_id"], "realisasi_pengembangan")
    _require_columns(pegawai, ["pegawai_id", "kode_unit"], "pegawai")
    r = realisasi
    if year is not None and "tanggal_mulai" in r.columns:
        r = r[pd.to_datetime(r["tanggal_mulai"], errors="coerce").dt.year == int(year)]
    prog = _optional_ids(r["program_id"])
    keep = prog.notna()
    if programmes:
        keep &= prog.isin(set(programmes))
    r = pd.DataFrame({"pegawai_id": r["pegawai_id"].astype("str")[keep.to_numpy()]})
    units = pegawai[["pegawai_id", "kode_unit"]].astype("str").drop_duplicates("pegawai_id")
    m = r.merge(units, on="pegawai_id", how="inner")
    return m.groupby("kode_unit")["pegawai_id"].nunique().astype("int64")


# --------------------------------------------------------------------------------------------
# Level 4 — results
# --------------------------------------------------------------------------------------------


def _pre_trends(d: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Per unit × indicator: the number of distinct 'sebelum' years and the least-squares slope
    of the indicator per year over them (NaN with fewer than two years)."""
    pre = d[(d["periode"] == "sebelum") & d["tahun"].notna()]
    rows = []
    for k, g in pre.groupby(key, sort=False):
        yrs = g["tahun"].to_numpy(float)
        vals = g["nilai"].to_numpy(float)
        ok = np.isfinite(vals)
        n = len(np.unique(yrs[ok]))
        slope = float(np.polyfit(yrs[ok], vals[ok], 1)[0]) if n >= 2 else np.nan
        rows.append((*k, n, slope))
    return pd.DataFrame(rows, columns=[*key, "n_pre_periods", "pre_trend"]).astype(
        {"pre_trend": "float64"})


def level4(
    ind: pd.DataFrame,
    *,
    realisasi: pd.DataFrame | None = None,
    pegawai: pd.DataFrame | None = None,
    year: int | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Level 4 (results): unit indicators before and after, in the better direction or not.

    Parameters
    ----------
    ind : pandas.DataFrame
        ``indikator_unit``: ``kode_unit``, ``indikator``, ``periode`` (sebelum/sesudah),
        ``nilai``, ``arah_baik`` (naik = higher is better, turun = lower is better), optional
        ``program_id`` (the programme the agency linked to the unit's indicator) and optional
        ``tahun`` (the year of the value: several 'sebelum' rows of different years give the
        pre-programme trend; the latest is "before").
    realisasi, pegawai : DataFrame, optional
        ``realisasi_pengembangan`` and ``pegawai``: who actually took part (``n_participants``,
        ``trained``). Without them ``trained`` is NA: a link is not participation.
    year : int, optional
        The evaluated year (Y − 1): only activities starting then count.
    settings : Settings, optional
        ``impact.did_min_peserta`` (participants for a unit to count as trained) and
        ``impact.process_indicator_patterns`` (:func:`indicator_kind`).

    Returns
    -------
    pandas.DataFrame
        One row per unit × indicator: ``kode_unit``, ``indikator``, ``arah_baik``, ``before``,
        ``after``, ``change`` (after − before), ``change_pct`` (change / |before| × 100; NaN when
        before is 0), ``change_toward_better`` (change, sign flipped for "turun": positive =
        better), ``improved`` (nullable boolean; NA when a period is missing),
        ``n_pre_periods`` (distinct 'sebelum' years; 1 without ``tahun``), ``pre_trend`` (the
        least-squares change per year over them; NaN with fewer than two),
        ``indicator_kind`` (:data:`INDICATOR_KINDS`), ``linked`` (the agency linked a programme
        to this unit × indicator: ``program_id`` on its rows), ``n_participants`` (distinct staff of
        the unit in any catalogue programme of ``year``; NaN without ``realisasi``),
        ``trained`` (nullable boolean: ``n_participants`` ≥ ``impact.did_min_peserta``),
        ``program_id`` (the linked programmes, ';'-separated, empty when none) and ``note``
        (the code :data:`L4_NOTE`: the figures are descriptive).

    Raises
    ------
    DataError
        Missing column, unknown ``periode`` or ``arah_baik``, a non-numeric value, the same unit ×
        indicator × period twice, or a ``arah_baik`` that differs between the periods.

    Notes
    -----
    No causal claim: without a comparison group (units that did not train, or a time series
    before the programme), a change in a unit indicator cannot be attributed to training;
    ``trained`` lets the reader compare trained and untrained units descriptively only. It comes
    from participation, never from the link (review W7: a linked unit whose staff did not attend
    is not trained).
    """
    s = _settings(settings)
    t = "indikator_unit"
    _require_columns(ind, ["kode_unit", "indikator", "periode", "nilai", "arah_baik"], t)
    d = pd.DataFrame(
        {
            "kode_unit": _ids(ind["kode_unit"], t, "kode_unit").to_numpy(),
            "indikator": _ids(ind["indikator"], t, "indikator").to_numpy(),
            "periode": _enum(ind["periode"], ("sebelum", "sesudah"), t, "periode").to_numpy(),
            "nilai": _numeric(ind["nilai"], t, "nilai").to_numpy(),
            "arah_baik": _enum(ind["arah_baik"], ("naik", "turun"), t, "arah_baik").to_numpy(),
            "program_id": (
                _optional_ids(ind["program_id"]).to_numpy()
                if "program_id" in ind.columns
                else pd.NA
            ),
        }
    )
    has_year = "tahun" in ind.columns
    d["tahun"] = _numeric(ind["tahun"], t, "tahun").to_numpy() if has_year else np.nan
    key = ["kode_unit", "indikator"]
    dup = d.duplicated(key + ["periode", "tahun"]).to_numpy()
    if dup.any():
        pos = int(np.flatnonzero(dup)[0])
        raise DataError(
            f"Tabel '{t}': unit {d['kode_unit'].iloc[pos]}, indikator "
            f"{d['indikator'].iloc[pos]!r}, periode {d['periode'].iloc[pos]} tercatat dua kali.",
            f"Table '{t}': unit {d['kode_unit'].iloc[pos]}, indicator "
            f"{d['indikator'].iloc[pos]!r}, period {d['periode'].iloc[pos]} appears twice.",
            file=t,
            row=pos + 2,
            column="periode",
            value=d["periode"].iloc[pos],
        )
    n_dir = d.groupby(key)["arah_baik"].nunique()
    if (n_dir > 1).any():
        u, i = n_dir[n_dir > 1].index[0]
        raise DataError(
            f"Tabel '{t}': arah_baik untuk unit {u}, indikator {i!r} berbeda antara periode "
            "sebelum dan sesudah.",
            f"Table '{t}': arah_baik of unit {u}, indicator {i!r} differs between the before "
            "and after periods.",
            file=t,
            column="arah_baik",
            value=i,
        )
    # with a ``tahun`` column, several 'sebelum' years may be given: the latest is "before", the
    # earlier ones give the pre-programme trend
    d = d.sort_values("tahun", kind="stable", na_position="first")
    wide = d.pivot_table(
        index=key, columns="periode", values="nilai", aggfunc="last", dropna=False
    )
    out = pd.DataFrame(index=d.groupby(key).size().index)
    out["arah_baik"] = d.groupby(key)["arah_baik"].first()
    out["before"] = wide["sebelum"] if "sebelum" in wide.columns else np.nan
    out["after"] = wide["sesudah"] if "sesudah" in wide.columns else np.nan
    out["change"] = out["after"] - out["before"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = out["change"].to_numpy(float) / np.abs(out["before"].to_numpy(float)) * 100.0
    out["change_pct"] = np.where(out["before"].to_numpy(float) == 0, np.nan, pct)
    sign = np.where(out["arah_baik"] == "turun", -1.0, 1.0)
    out["change_toward_better"] = out["change"] * sign
    better = out["change_toward_better"].to_numpy(float)
    out["improved"] = pd.array(np.where(np.isnan(better), None, better > 0), dtype="boolean")
    out = out.reset_index()
    progs = (
        d.dropna(subset=["program_id"])
        .groupby("kode_unit")["program_id"]
        .agg(lambda x: ";".join(sorted(set(map(str, x)))))
    )
    out["program_id"] = out["kode_unit"].map(progs).fillna("").astype("str")
    trend = _pre_trends(d, key)
    out = out.merge(trend, on=key, how="left")
    out["n_pre_periods"] = out["n_pre_periods"].fillna(1 if len(out) else 0).astype(int)
    here = d.dropna(subset=["program_id"]).groupby(key).size()
    out["linked"] = pd.MultiIndex.from_frame(out[key]).isin(here.index)
    out["indicator_kind"] = indicator_kind(out["indikator"], s)
    if realisasi is not None and pegawai is not None:
        part = participants_by_unit(realisasi, pegawai, year=year)
        out["n_participants"] = out["kode_unit"].map(part).fillna(0).astype("float64")
        k = int(s["impact.did_min_peserta"])
        out["trained"] = pd.array(out["n_participants"].to_numpy() >= k, dtype="boolean")
    else:
        out["n_participants"] = np.nan
        out["trained"] = pd.array([pd.NA] * len(out), dtype="boolean")
    out["note"] = L4_NOTE
    for c in ("kode_unit", "indikator", "arah_baik", "note", "indicator_kind"):
        out[c] = out[c].astype("str")
    return out[
        [
            "kode_unit",
            "indikator",
            "arah_baik",
            "before",
            "after",
            "change",
            "change_pct",
            "change_toward_better",
            "improved",
            "n_pre_periods",
            "pre_trend",
            "indicator_kind",
            "linked",
            "n_participants",
            "trained",
            "program_id",
            "note",
        ]
    ]
