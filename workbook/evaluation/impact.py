"""Level 4 with comparison groups (difference in differences) and return on investment (Phillips).

* :func:`did` (from :mod:`workbook.evaluation.impact_did`) — per unit indicator, the mean change
  of units whose staff took part minus the mean change of units where nobody did, with a
  permutation p-value across units, Holm-adjusted, and the mismatch between the agency's
  programme links and participation. Where no untrained comparison unit exists the estimate is
  NaN and the row says so: the change is then **not** attributed to training.
* :func:`roi` — Phillips' return on investment: fully loaded programme costs, benefits converted
  to money with the agency's conversion table after isolating the programme's effect
  (comparison group, trend line, or participant/supervisor estimates discounted by their stated
  confidence), ROI % and benefit–cost ratio; benefits without a conversion are listed as
  intangible, never monetised. The evaluation stage feeds it from the optional input tables
  ``roi_biaya``, ``roi_manfaat`` and ``roi_konversi`` (:mod:`workbook.core.schema`); the yearly report
  shows the result (section 5.6) only when they are given.

Compute code never rounds; the method note is ``docs/methods/themes_impact.md``.

References
----------
Angrist, J. D., Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton UP, ch. 5.
Card, D., Krueger, A. B. (1994). Minimum wages and employment. *Am. Econ. Rev.* 84(4):772–793.
Crawford, J. R., Howell, D. C. (1998). Comparing an individual's test score against norms derived
from small samples. *Clin. Neuropsychol.* 12(4):482–486.
Phillips, J. J. (1997). *Return on Investment in Training and Performance Improvement Programs*.
Gulf Publishing (Butterworth-Heinemann 2003, 2nd ed.).
Phillips, P. P., Phillips, J. J. (2016). *Handbook of Training Evaluation and Measurement Methods*,
4th ed. Routledge.
Welch, B. L. (1947). The generalization of "Student's" problem when several different population
variances are involved. *Biometrika* 34:28–35.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import workbook.evaluation.impact_did as _did
from workbook.core.checks import numeric, parse_numbers
from workbook.core.exceptions import DataError

__all__ = [
    "DID_MESSAGES",
    "did",
    "permutation_p",
    "ISOLATION_METHODS",
    "ISOLATION_ALIASES",
    "ROI_NOTES",
    "RoiResult",
    "trend_projection",
    "roi",
]

#: re-exported: :mod:`workbook.evaluation.impact_did`
DID_MESSAGES = _did.DID_MESSAGES
did = _did.did
permutation_p = _did.permutation_p


# --------------------------------------------------------------------------------------------
# return on investment (Phillips)
# --------------------------------------------------------------------------------------------

#: Isolation methods accepted by :func:`roi` (Phillips 1997, ch. 5; Phillips & Phillips 2016).
#: Their words: :data:`workbook.evaluation.words.ISOLATION_METHODS`.
ISOLATION_METHODS: tuple[str, ...] = ("pembanding", "tren", "estimasi")

#: ``note`` codes of a benefit line (empty when there is nothing to say; words:
#: :data:`workbook.evaluation.words.ROI_NOTES`).
ROI_NOTES: tuple[str, ...] = ("no_data",)  # blank change: counted as no improvement (principle 6)

#: other spellings of the isolation methods (the note of setting ``impact.isolation_default``)
ISOLATION_ALIASES: dict[str | None, str] = {"kelompok_pembanding": "pembanding", "garis_tren": "tren"}


@dataclass
class RoiResult:
    """Result of :func:`roi`.

    Attributes
    ----------
    summary : DataFrame
        One row per programme: ``program_id``, ``costs``, ``benefits``, ``net_benefits``,
        ``roi_pct``, ``bcr``, ``n_benefit_lines``, ``n_intangible``, ``benefits_estimated``
        (the part of ``benefits`` isolated by participants'/supervisors' estimates),
        ``benefits_estimates_scaled`` and ``roi_pct_estimates_scaled`` (the same with the
        estimated benefits multiplied by ``estimate_factor``: Phillips' conservative reading,
        "ROI if the estimates are halved"), ``estimate_factor``.
    lines : DataFrame
        One row per monetised benefit line: ``program_id``, ``ukuran``, ``isolation``,
        ``change`` (as given), ``change_isolated``, ``factor`` (share kept after isolation),
        ``share`` and ``confidence`` (the ``kontribusi`` and confidence applied to an ``estimasi``
        line; NaN otherwise), ``value_per_unit`` (Rp), ``benefit`` (Rp), ``conversion_source``,
        ``note`` (code "no_data" when the change was blank and counted as no improvement, else
        empty).
    intangibles : DataFrame
        ``program_id``, ``ukuran``, ``keterangan``: benefits listed, not converted to money.
    total : dict
        ``costs``, ``benefits``, ``net_benefits``, ``roi_pct``, ``bcr``, ``benefits_estimated``,
        ``benefits_estimates_scaled``, ``roi_pct_estimates_scaled`` over all programmes.
    """

    summary: pd.DataFrame
    lines: pd.DataFrame
    intangibles: pd.DataFrame
    total: dict[str, float] = field(default_factory=dict)


def trend_projection(times: Sequence[float], values: Sequence[float], at: float) -> float:
    """Value at ``at`` of the least-squares line through the pre-programme series.

    Phillips' trend-line isolation: the improvement due to the programme is the actual post value
    minus this projection (valid when the pre-programme trend would have continued and no other
    new influence entered; Phillips & Phillips 2016, "Isolating the effects of the program").
    """
    t = np.asarray(times, dtype=float)
    v = np.asarray(values, dtype=float)
    if len(t) != len(v) or len(t) < 2 or np.ptp(t) == 0:
        raise DataError(
            "Garis tren memerlukan sedikitnya dua titik waktu berbeda.",
            "A trend line needs at least two distinct time points.",
        )
    slope, intercept = np.polyfit(t, v, 1)
    return float(intercept + slope * float(at))


def roi(
    costs: pd.DataFrame,
    benefits: pd.DataFrame,
    *,
    isolation: str | None = None,
    confidence_discount: float | None = None,
    conversion: pd.DataFrame | Mapping[str, float] | None = None,
    estimate_factor: float = 0.5,
) -> RoiResult:
    """Return on investment of programmes following Phillips' ROI methodology.

    Parameters
    ----------
    costs : DataFrame
        Fully loaded costs: ``program_id``, ``biaya`` (Rp) and optionally ``komponen`` (needs
        analysis, design, delivery, participants' time, evaluation, overhead — Phillips'
        guiding principle 10: all costs are included).
    benefits : DataFrame
        One row per programme × measure: ``program_id``, ``ukuran`` (measure) and ``perubahan``
        (annual change in the measure for the participants, in its own unit; first-year benefits
        only). Isolation columns, by method: ``pembanding`` → ``perubahan_pembanding`` (change in
        the comparison group, same scale); ``tren`` → ``proyeksi_tren`` (the change the
        pre-programme trend would have produced); ``estimasi`` → ``kontribusi`` (share of the
        change the participants/supervisors attribute to the programme, 0–1) and ``keyakinan``
        (their confidence in that estimate, 0–1). An ``isolasi`` column may give the method per
        row; ``nilai_per_satuan`` (Rp per unit) may give the conversion per row. Optional
        ``keterangan`` (description).
    isolation : {"pembanding", "tren", "estimasi"}, optional
        Method for rows without ``isolasi`` (``kelompok_pembanding`` and ``garis_tren`` are
        accepted as other spellings, :data:`ISOLATION_ALIASES`). Some method is required (Phillips' guiding
        principle 5: at least one method must be used to isolate the effects of the programme).
    confidence_discount : float, optional
        The confidence (0–1) applied to ``estimasi`` rows that carry no ``keyakinan``; without it
        such rows raise.
    conversion : DataFrame or mapping, optional
        The agency's conversion table: ``ukuran`` → Rp per unit (DataFrame with ``ukuran``,
        ``nilai_per_satuan`` and optional ``sumber``). A measure with no conversion (neither here
        nor in ``nilai_per_satuan``) is an intangible benefit: listed, not monetised.
    estimate_factor : float, default=0.5
        Sensitivity: the benefits of ``estimasi`` lines are multiplied by this factor in
        ``roi_pct_estimates_scaled`` (setting ``impact.roi_estimate_sensitivity``).

    Returns
    -------
    RoiResult

    Raises
    ------
    DataError
        Missing columns, non-numeric values, an unknown or missing isolation method, a share or
        confidence outside [0, 1], a negative cost, or programmes with benefits but no costs.

    Notes
    -----
    Phillips (1997) and Phillips & Phillips (2016):

    .. math::

        \\text{BCR} = \\frac{\\text{programme benefits}}{\\text{programme costs}}, \\qquad
        \\text{ROI}\\,\\% = \\frac{\\text{benefits} - \\text{costs}}{\\text{costs}} \\times 100.

    Isolated change per line: comparison group :math:`\\Delta - \\Delta_{pembanding}`; trend line
    :math:`\\Delta - \\Delta_{tren}`; estimates :math:`\\Delta \\times kontribusi \\times keyakinan`
    (the estimate is discounted by the estimator's confidence: guiding principle 7, "estimates of
    improvement are adjusted for the potential error of the estimates"). The monetary benefit is
    the isolated change times the value per unit from the conversion table. Missing change data
    count as no improvement (principle 6); measures not converted to money are reported as
    intangible benefits (principle 11). Benefits are first-year only (principle 9). The guiding
    principles are numbered as in Phillips & Phillips (2016), ch. 1.

    An estimate by participants or supervisors is the weakest isolation method (Phillips &
    Phillips 2016, "Isolating the effects of the program"): the summary therefore also gives the
    ROI with those benefits scaled by ``estimate_factor`` (halved by default), following guiding
    principle 4 (choose the most conservative alternative):

    .. math:: \\text{ROI}_{scaled} = \\frac{B_{other} + f \\cdot B_{estimasi} - C}{C} \\times 100.
    """
    _check_roi_inputs(costs, benefits, confidence_discount)
    if not 0 <= float(estimate_factor) <= 1:
        raise DataError("estimate_factor harus di antara 0 dan 1.", "estimate_factor must be in [0, 1].",
                        value=estimate_factor)
    cost_by = _costs_by_programme(costs)
    b = benefits.copy().reset_index(drop=True)
    b["program_id"] = b["program_id"].astype(str).str.strip()
    b["ukuran"] = b["ukuran"].astype(str).str.strip()
    b["perubahan"] = numeric(b["perubahan"], "roi_manfaat", "perubahan")
    # conversion: row value, else the agency table
    conv = _conversion_table(conversion)
    row_val = (
        numeric(b["nilai_per_satuan"], "roi_manfaat", "nilai_per_satuan")
        if "nilai_per_satuan" in b.columns
        else pd.Series(np.nan, index=b.index)
    )
    method = (
        b["isolasi"].astype("object").where(b["isolasi"].notna(), isolation)
        if "isolasi" in b.columns
        else pd.Series(isolation, index=b.index, dtype="object")
    )
    lines, intang = _benefit_lines(b, method, conv, row_val, confidence_discount)
    return _roi_totals(cost_by, lines, intang, float(estimate_factor))


def _check_roi_inputs(costs: Any, benefits: Any, confidence_discount: float | None) -> None:
    if not isinstance(costs, pd.DataFrame) or not {"program_id", "biaya"} <= set(costs.columns):
        raise DataError(
            "Tabel biaya memerlukan kolom program_id dan biaya.",
            "The cost table needs the columns program_id and biaya.",
            file="roi_biaya",
            expected="program_id, biaya",
        )
    needed = {"program_id", "ukuran", "perubahan"}
    if not isinstance(benefits, pd.DataFrame) or not needed <= set(benefits.columns):
        raise DataError(
            "Tabel manfaat memerlukan kolom program_id, ukuran dan perubahan.",
            "The benefit table needs the columns program_id, ukuran and perubahan.",
            file="roi_manfaat",
            expected="program_id, ukuran, perubahan",
        )
    if confidence_discount is not None and not 0 <= float(confidence_discount) <= 1:
        raise DataError(
            "confidence_discount harus di antara 0 dan 1.",
            "confidence_discount must be in [0, 1].",
            value=confidence_discount,
        )


def _costs_by_programme(costs: pd.DataFrame) -> pd.Series:
    """Fully loaded costs summed per programme (a negative cost raises)."""
    c = costs.copy()
    c["program_id"] = c["program_id"].astype(str).str.strip()
    c["biaya"] = numeric(c["biaya"], "roi_biaya", "biaya")
    if (c["biaya"] < 0).any():
        raise DataError(
            "Biaya tidak boleh negatif.", "Costs cannot be negative.", file="roi_biaya", column="biaya",
            expected="≥ 0"
        )
    return c.groupby("program_id")["biaya"].sum(min_count=1).fillna(0.0)


def _conversion_table(
    conversion: pd.DataFrame | Mapping[str, float] | None,
) -> dict[str, tuple[float, str]]:
    """The agency's conversion table as ``ukuran`` → (Rp per unit, source)."""
    conv: dict[str, tuple[float, str]] = {}
    if isinstance(conversion, pd.DataFrame):
        if not {"ukuran", "nilai_per_satuan"} <= set(conversion.columns):
            raise DataError(
                "Tabel konversi memerlukan kolom ukuran dan nilai_per_satuan.",
                "The conversion table needs the columns ukuran and nilai_per_satuan.",
                file="roi_konversi",
                expected="ukuran, nilai_per_satuan",
            )
        vals = numeric(conversion["nilai_per_satuan"], "roi_konversi", "nilai_per_satuan")
        src = (
            conversion["sumber"].astype(str)
            if "sumber" in conversion.columns
            else pd.Series("", index=conversion.index)
        )
        for u, v, so in zip(conversion["ukuran"].astype(str).str.strip(), vals, src, strict=True):
            if np.isfinite(v):
                conv[u] = (float(v), so)
    elif conversion is not None:
        conv = {str(k).strip(): (float(v), "") for k, v in conversion.items()}
    return conv


def _benefit_lines(
    b: pd.DataFrame,
    method: pd.Series,
    conv: Mapping[str, tuple[float, str]],
    row_val: pd.Series,
    confidence_discount: float | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Monetised benefit lines (isolated, then converted) and the intangible ones, row by row."""
    lines: list[dict[str, Any]] = []
    intang: list[dict[str, Any]] = []
    for i, r in b.iterrows():
        desc = (
            str(r["keterangan"])
            if "keterangan" in b.columns and pd.notna(r.get("keterangan"))
            else ""
        )
        v = row_val.iloc[i]
        if np.isfinite(v):
            value, vsrc = float(v), "baris manfaat"
        elif r["ukuran"] in conv:
            value, vsrc = conv[r["ukuran"]]
        else:
            intang.append(
                {"program_id": r["program_id"], "ukuran": r["ukuran"], "keterangan": desc}
            )
            continue
        m = method.iloc[i]
        m = None if m is None or (isinstance(m, float) and np.isnan(m)) else str(m).strip()
        m = ISOLATION_ALIASES.get(m, m)
        iso = _isolate(b, r, i, m, confidence_discount)
        lines.append(
            {
                "program_id": r["program_id"],
                "ukuran": r["ukuran"],
                **iso,
                "value_per_unit": value,
                "benefit": iso["change_isolated"] * value,
                "conversion_source": vsrc,
            }
        )
    return lines, intang


def _isolate(
    b: pd.DataFrame, r: pd.Series, i: int, m: str | None, confidence_discount: float | None
) -> dict[str, Any]:
    """The change of benefit row ``i`` due to the programme, by isolation method ``m``."""
    delta = float(r["perubahan"])
    note = ""
    share = conf = np.nan
    if not np.isfinite(delta):
        # principle 6: no data → no improvement; nothing to isolate
        delta_iso, factor, note = 0.0, 0.0, ROI_NOTES[0]
        m = m if m in ISOLATION_METHODS else ""
    elif m not in ISOLATION_METHODS:
        raise DataError(
            f"Baris manfaat {i + 2} ({r['ukuran']}): metode isolasi '{m}' tidak dikenal atau kosong "
            "(pembanding, tren, estimasi). Phillips: efek program harus diisolasi.",
            f"Benefit row {i + 2} ({r['ukuran']}): isolation method '{m}' unknown or missing "
            "(pembanding, tren, estimasi). Phillips: the programme's effect must be isolated.",
            file="roi_manfaat",
            row=i + 2,
            column="isolasi",
            value=m,
            expected=", ".join(ISOLATION_METHODS),
        )
    elif m == "pembanding":
        comp = _col(b, "perubahan_pembanding", i, m)
        delta_iso = delta - comp
        factor = delta_iso / delta if delta != 0 else np.nan
    elif m == "tren":
        trend = _col(b, "proyeksi_tren", i, m)
        delta_iso = delta - trend
        factor = delta_iso / delta if delta != 0 else np.nan
    else:
        share, conf = _estimate(b, r, i, m, confidence_discount)
        factor = share * conf
        delta_iso = delta * factor
    return {
        "isolation": m,
        "change": delta,
        "change_isolated": delta_iso,
        "factor": factor,
        "share": share,
        "confidence": conf,
        "note": note,
    }


def _estimate(
    b: pd.DataFrame, r: pd.Series, i: int, m: str, confidence_discount: float | None
) -> tuple[float, float]:
    """``kontribusi`` and the confidence that discounts it, of an ``estimasi`` row (both 0–1)."""
    share = _col(b, "kontribusi", i, m)
    conf = (
        float(r["keyakinan"])
        if "keyakinan" in b.columns and pd.notna(r["keyakinan"])
        else confidence_discount
    )
    if conf is None:
        raise DataError(
            f"Baris manfaat {i + 2}: estimasi tanpa keyakinan dan tanpa confidence_discount.",
            f"Benefit row {i + 2}: an estimate without keyakinan and without confidence_discount.",
            file="roi_manfaat",
            row=i + 2,
            column="keyakinan",
            expected="0–1",
        )
    conf = float(conf)
    for name, val in (("kontribusi", share), ("keyakinan", conf)):
        if not 0 <= val <= 1:
            raise DataError(
                f"Baris manfaat {i + 2}: {name} harus di antara 0 dan 1.",
                f"Benefit row {i + 2}: {name} must be in [0, 1].",
                file="roi_manfaat",
                row=i + 2,
                column=name,
                value=val,
                expected="0–1",
            )
    return share, conf


_LINE_COLUMNS = [
    "program_id",
    "ukuran",
    "isolation",
    "change",
    "change_isolated",
    "factor",
    "share",
    "confidence",
    "value_per_unit",
    "benefit",
    "conversion_source",
    "note",
]


def _roi_totals(
    cost_by: pd.Series, lines: list[dict[str, Any]], intang: list[dict[str, Any]],
    estimate_factor: float = 0.5,
) -> RoiResult:
    """Benefits, ROI % and BCR per programme and in total (programmes without costs raise)."""
    ldf = pd.DataFrame(lines, columns=_LINE_COLUMNS)
    idf = pd.DataFrame(intang, columns=["program_id", "ukuran", "keterangan"])
    progs = sorted(set(cost_by.index) | set(ldf["program_id"]) | set(idf["program_id"]))
    missing_cost = [p for p in progs if p not in cost_by.index]
    if missing_cost:
        raise DataError(
            f"Program tanpa biaya: {', '.join(missing_cost)}.",
            f"Programmes without costs: {', '.join(missing_cost)}.",
            file="roi_biaya",
            column="program_id",
            value=missing_cost[0],
            expected="program_id di roi_biaya / in roi_biaya",
        )
    ben_by = ldf.groupby("program_id")["benefit"].sum()
    summ = pd.DataFrame({"program_id": progs})
    summ["costs"] = summ["program_id"].map(cost_by).astype(float)
    summ["benefits"] = summ["program_id"].map(ben_by).fillna(0.0).astype(float)
    summ["net_benefits"] = summ["benefits"] - summ["costs"]
    with np.errstate(divide="ignore", invalid="ignore"):
        summ["roi_pct"] = np.where(
            summ["costs"] > 0, summ["net_benefits"] / summ["costs"] * 100.0, np.nan
        )
        summ["bcr"] = np.where(summ["costs"] > 0, summ["benefits"] / summ["costs"], np.nan)
    summ["n_benefit_lines"] = (
        summ["program_id"].map(ldf.groupby("program_id").size()).fillna(0).astype(int)
    )
    summ["n_intangible"] = (
        summ["program_id"].map(idf.groupby("program_id").size()).fillna(0).astype(int)
    )
    est = ldf[ldf["isolation"] == "estimasi"].groupby("program_id")["benefit"].sum()
    summ["benefits_estimated"] = summ["program_id"].map(est).fillna(0.0).astype(float)
    summ["benefits_estimates_scaled"] = (
        summ["benefits"] - (1.0 - estimate_factor) * summ["benefits_estimated"]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        summ["roi_pct_estimates_scaled"] = np.where(
            summ["costs"] > 0,
            (summ["benefits_estimates_scaled"] - summ["costs"]) / summ["costs"] * 100.0,
            np.nan,
        )
    summ["estimate_factor"] = estimate_factor
    tc, tb = float(summ["costs"].sum()), float(summ["benefits"].sum())
    te = float(summ["benefits_estimated"].sum())
    ts = tb - (1.0 - estimate_factor) * te
    total = {
        "costs": tc,
        "benefits": tb,
        "net_benefits": tb - tc,
        "roi_pct": (tb - tc) / tc * 100.0 if tc > 0 else np.nan,
        "bcr": tb / tc if tc > 0 else np.nan,
        "benefits_estimated": te,
        "benefits_estimates_scaled": ts,
        "roi_pct_estimates_scaled": (ts - tc) / tc * 100.0 if tc > 0 else np.nan,
    }
    return RoiResult(summary=summ, lines=ldf, intangibles=idf, total=total)


def _col(b: pd.DataFrame, col: str, i: int, method: str) -> float:
    v, bad = parse_numbers(b[col].iloc[[i]]) if col in b.columns else (pd.Series([np.nan]), [False])
    if bad[0]:
        raise DataError(
            f"Baris manfaat {i + 2}, kolom '{col}': bukan angka.",
            f"Benefit row {i + 2}, column '{col}': not a number.",
            file="roi_manfaat",
            row=i + 2,
            column=col,
        )
    if np.isnan(v.iloc[0]):
        raise DataError(
            f"Baris manfaat {i + 2}: isolasi '{method}' memerlukan kolom '{col}'.",
            f"Benefit row {i + 2}: isolation '{method}' needs the column '{col}'.",
            file="roi_manfaat",
            row=i + 2,
            column=col,
        )
    return float(v.iloc[0])
