"""Kirkpatrick level 4 — results: unit indicators before and after, with no causal claim.

Whether each unit indicator moved in the better direction and whether the unit took part; the
comparison with untrained units is :func:`workbook.evaluation.impact.did`. Public through
:mod:`workbook.evaluation.levels`.
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

__all__ = ["L4_NOTE", "level4"]


#: The ``note`` code every L4 row carries: no causal attribution without a comparison group
#: (words: :data:`workbook.evaluation.words.L4_NOTES`).
L4_NOTE = "descriptive"


# --------------------------------------------------------------------------------------------
# Level 4 — results
# --------------------------------------------------------------------------------------------


def level4(ind: pd.DataFrame, *, settings: Settings | None = None) -> pd.DataFrame:
    """Level 4 (results): unit indicators before and after, in the better direction or not.

    Parameters
    ----------
    ind : pandas.DataFrame
        ``indikator_unit``: ``kode_unit``, ``indikator``, ``periode`` (sebelum/sesudah),
        ``nilai``, ``arah_baik`` (naik = higher is better, turun = lower is better), optional
        ``program_id`` (the programme linked to the unit).
    settings : Settings, optional
        Unused (kept for a uniform signature).

    Returns
    -------
    pandas.DataFrame
        One row per unit × indicator: ``kode_unit``, ``indikator``, ``arah_baik``, ``before``,
        ``after``, ``change`` (after − before), ``change_pct`` (change / |before| × 100; NaN when
        before is 0), ``change_toward_better`` (change, sign flipped for "turun": positive =
        better), ``improved`` (nullable boolean; NA when a period is missing), ``trained``
        (the unit has a ``program_id`` on any of its rows), ``program_id`` (the unit's
        programmes, ';'-separated, empty when none) and ``note`` (the code :data:`L4_NOTE`:
        the figures are descriptive).

    Raises
    ------
    DataError
        Missing column, unknown ``periode`` or ``arah_baik``, a non-numeric value, the same unit ×
        indicator × period twice, or a ``arah_baik`` that differs between the periods.

    Notes
    -----
    No causal claim: without a comparison group (units that did not train, or a time series
    before the programme), a change in a unit indicator cannot be attributed to training;
    ``trained`` lets the reader compare trained and untrained units descriptively only.
    """
    _settings(settings)
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
    key = ["kode_unit", "indikator"]
    dup = d.duplicated(key + ["periode"]).to_numpy()
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
    wide = d.pivot_table(
        index=key, columns="periode", values="nilai", aggfunc="first", dropna=False
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
    out["trained"] = out["program_id"] != ""
    out["note"] = L4_NOTE
    for c in ("kode_unit", "indikator", "arah_baik", "note"):
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
            "trained",
            "program_id",
            "note",
        ]
    ]
