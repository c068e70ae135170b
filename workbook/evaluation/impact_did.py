"""Level 4 with comparison units: difference in differences with treatment from participation.

:func:`did` — per unit indicator, the mean change of the units whose staff took part in the
programmes linked to the indicator minus the mean change of units where nobody took part, with a
permutation p-value (treatment labels permuted across units; exact for small numbers of units),
Holm-adjusted over the indicators tested, a t-based interval, and the mismatch between the
agency's programme links and actual participation. Process indicators (the training's own
outputs, :func:`workbook.evaluation.l4_results.indicator_kind`) are not tested. Re-exported by
:mod:`workbook.evaluation.impact`; the method note is ``docs/methods/themes_impact.md`` §2.

References
----------
Angrist, J. D., Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton UP, ch. 5.
Bertrand, M., Duflo, E., Mullainathan, S. (2004). How much should we trust
differences-in-differences estimates? *Q. J. Econ.* 119(1):249–275 (few units: inference at the
level of the units; permutation of the treatment across units).
Card, D., Krueger, A. B. (1994). Minimum wages and employment. *Am. Econ. Rev.* 84(4):772–793.
Crawford, J. R., Howell, D. C. (1998). Comparing an individual's test score against norms derived
from small samples. *Clin. Neuropsychol.* 12(4):482–486.
Good, P. I. (2005). *Permutation, Parametric and Bootstrap Tests of Hypotheses*, 3rd ed. Springer.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scand. J. Stat.* 6:65–70.
Phipson, B., Smyth, G. K. (2010). Permutation p-values should never be zero. *Stat. Appl. Genet.
Mol. Biol.* 9(1):39.
Welch, B. L. (1947). The generalization of "Student's" problem when several different population
variances are involved. *Biometrika* 34:28–35.
"""

from __future__ import annotations

from itertools import combinations
from math import comb
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _st

from workbook.core.exceptions import DataError
from workbook.core.settings import Settings, load_settings
from workbook.core.stats import adjust_pvalues
from workbook.evaluation.l4_results import level4, participants_by_unit

__all__ = ["DID_MESSAGES", "TREATMENTS", "PERMUTATION_METHODS", "did", "permutation_p", "min_attainable_p"]

#: ``message`` codes of :func:`did` (empty when the estimate is complete; words:
#: :mod:`workbook.evaluation.words`).
DID_MESSAGES: tuple[str, ...] = (
    "no_comparison",  # no untrained unit: the change is not attributed to training
    "no_trained",  # no trained unit for the indicator
    "one_each",  # one unit in each group: no interval
    "process_indicator",  # a process/output indicator of the training itself: not tested
)

#: how a unit counts as trained (``impact.did_treatment``): ``realisasi`` from participation;
#: ``indikator``/``unit`` from the agency's ``program_id`` link (the old way, not recommended).
TREATMENTS: tuple[str, ...] = ("realisasi", "indikator", "unit")

#: ``perm_method`` codes: all assignments enumerated, or random draws
PERMUTATION_METHODS: tuple[str, ...] = ("exact", "monte_carlo")


# --------------------------------------------------------------------------------------------
# kernels
# --------------------------------------------------------------------------------------------


def _did_kernel(x: np.ndarray, y: np.ndarray, confidence: float) -> dict[str, float | str]:
    """DiD of unit-level changes ``x`` (trained) and ``y`` (comparison) with a t interval.

    Both groups ≥ 2 units: Welch's unequal-variance t (Welch–Satterthwaite dof). One group of a
    single unit: the pooled-variance Student t, which with n = 1 in one group is Crawford & Howell's
    (1998) test of a single case against a small control sample (the variance comes from the
    larger group; dof = n − 1). One unit in each group: point estimate only.
    """
    n1, n2 = len(x), len(y)
    est = float(np.mean(x) - np.mean(y))
    res: dict[str, float | str] = {
        "did": est, "se": np.nan, "dof": np.nan, "statistic": np.nan, "p_welch": np.nan,
        "ci_low": np.nan, "ci_high": np.nan, "method": "none",
    }
    if n1 >= 2 and n2 >= 2:
        v1, v2 = np.var(x, ddof=1) / n1, np.var(y, ddof=1) / n2
        se = float(np.sqrt(v1 + v2))
        dof = (
            float((v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1)))
            if se > 0
            else float(n1 + n2 - 2)
        )
        method = "welch"
    elif n1 + n2 >= 3:
        ss = np.sum((x - np.mean(x)) ** 2) + np.sum((y - np.mean(y)) ** 2)
        dof = float(n1 + n2 - 2)
        se = float(np.sqrt(ss / dof * (1 / n1 + 1 / n2)))
        method = "pooled_single_case"
    else:
        return res
    q = float(_st.t.ppf(0.5 + confidence / 2, dof))
    res.update(se=se, dof=dof, method=method, ci_low=est - q * se, ci_high=est + q * se)
    if se > 0:
        tstat = est / se
        res.update(statistic=tstat, p_welch=float(2 * _st.t.sf(abs(tstat), dof)))
    return res


def permutation_p(
    changes: np.ndarray,
    treated: np.ndarray,
    *,
    exact_max_units: int = 20,
    draws: int = 9999,
    random_state: int | None = 0,
) -> tuple[float, str, int]:
    """Two-sided permutation p-value of a difference in mean changes, permuting the treatment
    labels across units.

    Parameters
    ----------
    changes : array of float
        One change (after − before) per unit.
    treated : array of bool
        The observed treatment of each unit (the number treated is kept in every permutation).
    exact_max_units : int, default=20
        Up to this many units every one of the :math:`\\binom{n}{n_1}` assignments is enumerated.
    draws : int, default=9999
        Random assignments beyond ``exact_max_units``.
    random_state : int, optional

    Returns
    -------
    p : float
        Exact: :math:`p = \\#\\{a : |D_a| \\ge |D_{obs}|\\} / \\binom{n}{n_1}` (the observed
        assignment is one of them, so :math:`p \\ge 1/\\binom{n}{n_1}`). Monte Carlo:
        :math:`p = (b + 1)/(m + 1)` with *b* of *m* random assignments at least as extreme
        (Phipson & Smyth 2010).
    method : {"exact", "monte_carlo"}
    n_perm : int
        Assignments enumerated or drawn.

    Notes
    -----
    Under the sharp null of no effect on any unit the labels are exchangeable across units, so
    the distribution of the statistic over all assignments is its exact null distribution
    (Fisher's randomisation test; Good 2005, ch. 3). With few units this is the valid inference
    for a DiD on unit means (Bertrand, Duflo & Mullainathan 2004); the smallest attainable p is
    :math:`1/\\binom{n}{n_1}`, e.g. 1/13 for one trained unit among 13. "At least as extreme"
    allows a relative tolerance of 1e-9 for floating-point ties.
    """
    c = np.asarray(changes, dtype=float)
    tr = np.asarray(treated, dtype=bool)
    n, n1 = len(c), int(tr.sum())
    obs = float(c[tr].mean() - c[~tr].mean())
    total = float(c.sum())
    tol = 1e-9 * max(1.0, abs(obs))
    if n <= exact_max_units:
        idx = np.fromiter(
            (i for comb_ in combinations(range(n), n1) for i in comb_), dtype=np.int64
        ).reshape(-1, n1)
        s1 = c[idx].sum(axis=1)
        d = s1 / n1 - (total - s1) / (n - n1)
        return float(np.mean(np.abs(d) >= abs(obs) - tol)), "exact", int(comb(n, n1))
    rng = np.random.default_rng(random_state)
    keys = rng.random((int(draws), n))
    picks = np.argsort(keys, axis=1)[:, :n1]
    s1 = c[picks].sum(axis=1)
    d = s1 / n1 - (total - s1) / (n - n1)
    b = int(np.sum(np.abs(d) >= abs(obs) - tol))
    return (b + 1) / (int(draws) + 1), "monte_carlo", int(draws)


def min_attainable_p(n: int, n1: int, method: str, n_perm: int) -> float:
    """The smallest two-sided permutation p the design can give, whatever the data.

    Exact (``method="exact"``): the observed assignment and, when the groups have equal size
    (:math:`2 n_1 = n`), its mirror image are always at least as extreme, so
    :math:`p_{min} = 1/\\binom{n}{n_1}` (or :math:`2/\\binom{n}{n_1}`). Monte Carlo:
    :math:`1/(m + 1)` (Phipson & Smyth 2010). With 4 trained units and 1 comparison unit
    :math:`p_{min} = 1/5 = 0.2`: no such test can be significant at α = 0.05.

    >>> min_attainable_p(5, 4, "exact", 5), min_attainable_p(4, 2, "exact", 6)
    (0.2, 0.3333333333333333)
    """
    if method == "exact":
        total = comb(int(n), int(n1))
        return (2.0 if 2 * int(n1) == int(n) else 1.0) / total if total else float("nan")
    if method == "monte_carlo":
        return 1.0 / (int(n_perm) + 1)
    return float("nan")


# --------------------------------------------------------------------------------------------
# the public function
# --------------------------------------------------------------------------------------------


def did(
    ind: pd.DataFrame,
    realisasi: pd.DataFrame | None = None,
    pegawai: pd.DataFrame | None = None,
    *,
    trained_col: str = "program_id",
    treatment: str | None = None,
    min_peserta: int | None = None,
    year: int | None = None,
    confidence: float | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Difference in differences of unit indicators, trained vs untrained units, per indicator.

    Parameters
    ----------
    ind : DataFrame
        ``indikator_unit``: ``kode_unit``, ``indikator``, ``periode`` (sebelum/sesudah), ``nilai``,
        ``arah_baik`` (naik/turun) and ``trained_col`` (the programme the agency linked to the
        unit's indicator). Validated by :func:`workbook.evaluation.l4_results.level4`.
    realisasi, pegawai : DataFrame, optional
        ``realisasi_pengembangan`` (``pegawai_id``, ``program_id``, ``tanggal_mulai``) and
        ``pegawai`` (``pegawai_id``, ``kode_unit``): needed for ``treatment="realisasi"``.
    trained_col : str, default="program_id"
        The link column of ``ind``.
    treatment : {"realisasi", "indikator", "unit"}, optional
        Default ``impact.did_treatment`` (``realisasi``). ``"realisasi"``: for an indicator whose
        rows link programmes *P*, a unit is **trained** when at least ``min_peserta`` of its
        staff took part in a programme of *P* in ``year``, a **comparison** unit when none did;
        units in between are left out (``units_excluded``). An indicator without a link uses
        participation in any catalogue programme. ``"indikator"``/``"unit"``: the link itself
        (the old way; a linked unit whose staff did not attend counts as trained).
    min_peserta : int, optional
        Default ``impact.did_min_peserta``.
    year : int, optional
        The evaluated year (Y − 1): only activities starting then count.
    confidence : float, optional
        Interval level (default ``evaluation.confidence``, 0.95).

    Returns
    -------
    DataFrame
        One row per indicator: ``indikator``, ``arah_baik``, ``indicator_kind``, ``treatment``,
        ``min_peserta``, ``n_trained``, ``n_control`` (units with both periods),
        ``mean_change_trained``, ``mean_change_control`` (after − before, in the indicator's
        units), ``mean_before_trained``, ``mean_before_control`` (the starting levels),
        ``did``, ``se``, ``dof``, ``statistic``, ``p_welch`` (Welch / single-case t),
        ``ci_low``, ``ci_high``, ``confidence``, ``method`` (``welch`` / ``pooled_single_case``
        / ``none``), ``p_val`` (permutation p), ``perm_method`` (:data:`PERMUTATION_METHODS`),
        ``n_perm``, ``p_min`` (the smallest p the design can reach, :func:`min_attainable_p`:
        when it is ≥ α no result can be significant), ``p_adj`` (``evaluation.p_adjust``, Holm, over the indicators with a
        ``p_val``), ``p_adjust_method``, ``p_adjust_m`` (family size), ``did_toward_better``
        (positive = trained units improved more), ``favourable`` (nullable bool),
        ``significant`` (nullable bool: ``p_adj`` < ``evaluation.alpha``), ``program_id``
        (linked programmes, ';'-joined), ``units_trained``, ``units_control``,
        ``units_excluded`` (';'-joined codes), ``dose_trained`` (mean share of staff of the
        trained units who took part), ``units_linked_untrained`` (linked, but fewer than
        ``min_peserta`` participants), ``units_trained_unlinked`` (trained, not linked),
        ``link_mismatch`` (bool: either list is non-empty), ``n_pre_periods`` (most 'sebelum'
        years of a unit; 1 without ``tahun``), ``pre_trend_trained``, ``pre_trend_control``
        (mean change per year before the programme), ``pre_trend_diff`` (their difference: a
        placebo DiD) and ``pre_trend_p`` (its permutation p; NaN without two 'sebelum' years),
        and ``message`` (a code of :data:`DID_MESSAGES`, empty when the estimate is complete).

    Raises
    ------
    DataError
        Invalid ``indikator_unit`` (see ``level4``), an ``arah_baik`` that differs between
        units, an unknown ``treatment``, ``treatment="realisasi"`` without ``realisasi`` and
        ``pegawai``, or a confidence outside (0, 1).

    Notes
    -----
    For unit *i* the change is :math:`\\Delta_i = Y_{i,after} - Y_{i,before}` and

    .. math:: \\widehat{DiD} = \\bar\\Delta_{trained} - \\bar\\Delta_{control},

    the two-group two-period estimator (Card & Krueger 1994; Angrist & Pischke 2009, §5.2),
    equal to the interaction coefficient of the regression of the indicator on unit and period
    fixed effects and *trained × after* (checked against statsmodels OLS in the tests).
    **Inference** is the permutation p of :func:`permutation_p` (labels permuted across units;
    exact up to ``impact.permutation_exact_max_units`` units), adjusted for the number of
    indicators tested with ``evaluation.p_adjust`` (Holm 1979). The interval is Welch's t on
    the unit changes (Welch 1947), or Crawford & Howell's (1998) single-case t when a group has
    one unit: approximate with few units, shown for the size of the difference only. Parallel
    trends can be looked at only with several 'sebelum' years (``tahun``): the pre-programme
    slopes of the two groups and their permutation-tested difference (a placebo test; Angrist &
    Pischke 2009, §5.2.1). The
    difference is read as *related to* (terkait dengan) the training, never as *caused by* it,
    and only under the assumptions of :func:`workbook.evaluation.words.did_assumptions`.
    """
    s = settings or load_settings()
    conf = float(s["evaluation.confidence"] if confidence is None else confidence)
    treatment = str(s["impact.did_treatment"] if treatment is None else treatment)
    k = int(s["impact.did_min_peserta"] if min_peserta is None else min_peserta)
    _check_did_args(ind, trained_col, treatment, conf, realisasi, pegawai)
    l4 = _changes(ind, trained_col, s)
    size = (
        pegawai.astype({"kode_unit": "str"}).groupby("kode_unit")["pegawai_id"].nunique()
        if pegawai is not None and "kode_unit" in pegawai.columns
        else pd.Series(dtype=float)
    )
    rows = []
    for name, g in l4.groupby("indikator", sort=True):
        g = _treatment(g, treatment, k, realisasi, pegawai, year)
        rows.append(_did_row(name, g, conf, s, size))
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _DID_COLUMNS})
    out = pd.DataFrame(rows)
    out["treatment"], out["min_peserta"] = treatment, k
    return _finish(out, s)[_DID_COLUMNS]


_DID_COLUMNS = [
    "indikator", "arah_baik", "indicator_kind", "treatment", "min_peserta", "n_trained",
    "n_control", "mean_change_trained", "mean_change_control", "mean_before_trained",
    "mean_before_control", "did", "se", "dof", "statistic", "p_welch", "ci_low", "ci_high",
    "confidence", "method", "p_val", "perm_method", "n_perm", "p_min", "p_adj", "p_adjust_method",
    "p_adjust_m", "did_toward_better", "favourable", "significant", "program_id",
    "units_trained", "units_control", "units_excluded", "dose_trained",
    "units_linked_untrained", "units_trained_unlinked", "link_mismatch", "n_pre_periods",
    "pre_trend_trained", "pre_trend_control", "pre_trend_diff", "pre_trend_p", "message",
]


def _check_did_args(ind: Any, trained_col: str, treatment: str, conf: float, realisasi: Any,
                    pegawai: Any) -> None:
    if not 0 < conf < 1:
        raise DataError("Tingkat kepercayaan harus di antara 0 dan 1.",
                        "Confidence must be between 0 and 1.", value=conf)
    if treatment not in TREATMENTS:
        raise DataError(
            f"treatment '{treatment}' tidak dikenal ({', '.join(TREATMENTS)}).",
            f"Unknown treatment '{treatment}' ({', '.join(TREATMENTS)}).", value=treatment,
            expected=", ".join(TREATMENTS))
    if not isinstance(ind, pd.DataFrame) or trained_col not in ind.columns:
        raise DataError(
            f"Kolom '{trained_col}' tidak ada di tabel 'indikator_unit'.",
            f"Column '{trained_col}' is missing from table 'indikator_unit'.",
            file="indikator_unit", column=trained_col)
    if treatment == "realisasi" and (realisasi is None or pegawai is None):
        raise DataError(
            "Selisih-dalam-selisih menurut keikutsertaan memerlukan tabel realisasi_pengembangan "
            "dan pegawai.",
            "A difference in differences by participation needs the tables "
            "realisasi_pengembangan and pegawai.",
            file="realisasi_pengembangan")


def _changes(ind: pd.DataFrame, trained_col: str, s: Settings) -> pd.DataFrame:
    """:func:`level4`'s unit × indicator changes with the link per unit × indicator
    (``linked_here``) and per unit (``linked_unit``); raises when ``arah_baik`` differs between
    units of an indicator."""
    base = ind if trained_col == "program_id" else (
        ind.drop(columns=["program_id"], errors="ignore").rename(columns={trained_col: "program_id"}))
    l4 = level4(base, settings=s)
    raw = pd.DataFrame({
        "kode_unit": ind["kode_unit"].astype(str).str.strip(),
        "indikator": ind["indikator"].astype(str).str.strip(),
        "prog": ind[trained_col].astype("object"),
    })
    blank = raw["prog"].isna() | (raw["prog"].astype(str).str.strip() == "")
    raw["prog"] = raw["prog"].astype(str).str.strip().where(~blank, "")
    linked = raw[raw["prog"] != ""]
    here = linked.groupby(["kode_unit", "indikator"])["prog"].agg(lambda x: ";".join(sorted(set(x))))
    l4 = l4.drop(columns=["program_id", "trained", "linked"])
    l4 = l4.merge(here.rename("program_id").reset_index(), on=["kode_unit", "indikator"], how="left")
    l4["program_id"] = l4["program_id"].fillna("")
    l4["linked_here"] = l4["program_id"] != ""
    l4["linked_unit"] = l4["kode_unit"].isin(set(linked["kode_unit"]))
    n_dir = l4.groupby("indikator")["arah_baik"].nunique()
    if (n_dir > 1).any():
        name = n_dir[n_dir > 1].index[0]
        raise DataError(
            f"Tabel 'indikator_unit': arah_baik indikator {name!r} berbeda antarunit.",
            f"Table 'indikator_unit': arah_baik of indicator {name!r} differs between units.",
            file="indikator_unit", column="arah_baik", value=name)
    return l4


def _treatment(g: pd.DataFrame, treatment: str, k: int, realisasi: pd.DataFrame | None,
               pegawai: pd.DataFrame | None, year: int | None) -> pd.DataFrame:
    """The units of one indicator with ``group`` ("trained" / "control" / "excluded"),
    ``n_part`` (participants in the linked programmes) and ``linked``."""
    g = g.copy()
    progs = {p for v in g["program_id"] for p in str(v).split(";") if p}
    g["linked"] = g["linked_here"] if treatment != "unit" else g["linked_unit"]
    if treatment == "realisasi":
        part = participants_by_unit(realisasi, pegawai, progs or None, year=year)
        g["n_part"] = g["kode_unit"].map(part).fillna(0).astype(int)
        g["group"] = np.where(g["n_part"] >= k, "trained",
                              np.where(g["n_part"] == 0, "control", "excluded"))
    else:
        g["n_part"] = np.nan
        g["group"] = np.where(g["linked"], "trained", "control")
    g.attrs["programmes"] = progs
    return g


def _did_row(name: Any, g: pd.DataFrame, conf: float, s: Settings, size: pd.Series) -> dict[str, Any]:
    """The estimate of one indicator from its units' changes (trained vs comparison)."""
    progs = g.attrs.get("programmes", set())
    kind = str(g["indicator_kind"].iloc[0])
    g = g[np.isfinite(g["change"].to_numpy(float))]
    tr, co = g[g["group"] == "trained"], g[g["group"] == "control"]
    x, y = tr["change"].to_numpy(float), co["change"].to_numpy(float)
    rec: dict[str, Any] = {
        "indikator": name, "arah_baik": str(g["arah_baik"].iloc[0]) if len(g) else "",
        "indicator_kind": kind, "n_trained": len(x), "n_control": len(y),
        "mean_change_trained": float(np.mean(x)) if len(x) else np.nan,
        "mean_change_control": float(np.mean(y)) if len(y) else np.nan,
        "mean_before_trained": float(tr["before"].mean()) if len(x) else np.nan,
        "mean_before_control": float(co["before"].mean()) if len(y) else np.nan,
        "did": np.nan, "se": np.nan, "dof": np.nan, "statistic": np.nan, "p_welch": np.nan,
        "ci_low": np.nan, "ci_high": np.nan, "method": "none", "p_val": np.nan,
        "perm_method": "", "n_perm": 0, "p_min": np.nan,
    }
    if kind == "proses":
        rec["message"] = "process_indicator"
    elif len(x) == 0 or len(y) == 0:
        rec["message"] = "no_comparison" if len(y) == 0 else "no_trained"
    else:
        rec.update(_did_kernel(x, y, conf))
        rec["message"] = "one_each" if rec["method"] == "none" else ""
        both = pd.concat([tr, co])
        p, how, m = permutation_p(
            both["change"].to_numpy(float), (both["group"] == "trained").to_numpy(),
            exact_max_units=int(s["impact.permutation_exact_max_units"]),
            draws=int(s["impact.permutation_draws"]), random_state=int(s["impact.random_state"]))
        rec.update(p_val=p, perm_method=how, n_perm=m,
                   p_min=min_attainable_p(len(both), int((both["group"] == "trained").sum()), how, m))
    rec.update(_pre_trend(tr, co, s) if kind != "proses" else _pre_trend(tr.iloc[0:0], co.iloc[0:0], s))
    rec["confidence"] = conf
    rec["program_id"] = ";".join(sorted(progs))
    rec["units_trained"] = ";".join(sorted(tr["kode_unit"]))
    rec["units_control"] = ";".join(sorted(co["kode_unit"]))
    rec["units_excluded"] = ";".join(sorted(g.loc[g["group"] == "excluded", "kode_unit"]))
    share = tr["n_part"] / tr["kode_unit"].map(size) if len(tr) else pd.Series(dtype=float)
    rec["dose_trained"] = float(share.mean()) if len(share) and share.notna().any() else np.nan
    rec["units_linked_untrained"] = ";".join(sorted(g.loc[g["linked"] & (g["group"] != "trained"),
                                                          "kode_unit"]))
    rec["units_trained_unlinked"] = ";".join(sorted(g.loc[~g["linked"] & (g["group"] == "trained"),
                                                          "kode_unit"])) if progs else ""
    rec["link_mismatch"] = bool(rec["units_linked_untrained"] or rec["units_trained_unlinked"])
    return rec


def _pre_trend(tr: pd.DataFrame, co: pd.DataFrame, s: Settings) -> dict[str, Any]:
    """The pre-programme trends of trained and comparison units (change per year over the
    'sebelum' years, :func:`~workbook.evaluation.l4_results.level4`'s ``pre_trend``), their
    difference (a placebo DiD before the programme) and its permutation p."""
    both = pd.concat([tr, co])
    a = tr["pre_trend"].to_numpy(float) if "pre_trend" in tr else np.array([])
    b = co["pre_trend"].to_numpy(float) if "pre_trend" in co else np.array([])
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    n_pre = int(both["n_pre_periods"].max()) if "n_pre_periods" in both and len(both) else 1
    out = {"n_pre_periods": n_pre, "pre_trend_trained": float(a.mean()) if len(a) else np.nan,
           "pre_trend_control": float(b.mean()) if len(b) else np.nan, "pre_trend_diff": np.nan,
           "pre_trend_p": np.nan}
    if len(a) and len(b):
        out["pre_trend_diff"] = out["pre_trend_trained"] - out["pre_trend_control"]
        out["pre_trend_p"] = permutation_p(
            np.r_[a, b], np.r_[np.ones(len(a), bool), np.zeros(len(b), bool)],
            exact_max_units=int(s["impact.permutation_exact_max_units"]),
            draws=int(s["impact.permutation_draws"]), random_state=int(s["impact.random_state"]))[0]
    return out


def _finish(out: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Direction, the multiplicity adjustment over the tested indicators, significance."""
    sign = np.where(out["arah_baik"] == "turun", -1.0, 1.0)
    out["did_toward_better"] = out["did"].to_numpy(float) * sign
    tb = out["did_toward_better"].to_numpy(float)
    out["favourable"] = pd.array(np.where(np.isnan(tb), None, tb > 0), dtype="boolean")
    method = str(s["evaluation.p_adjust"])
    p = out["p_val"].to_numpy(float)
    out["p_adj"] = adjust_pvalues(p, method) if np.isfinite(p).any() else np.nan
    out["p_adjust_method"] = method
    out["p_adjust_m"] = int(np.isfinite(p).sum())
    pa = out["p_adj"].to_numpy(float)
    alpha = float(s["evaluation.alpha"])
    out["significant"] = pd.array(np.where(np.isnan(pa), None, pa < alpha), dtype="boolean")
    for c in ("n_trained", "n_control", "n_perm", "min_peserta", "p_adjust_m", "n_pre_periods"):
        out[c] = out[c].astype(int)
    out["link_mismatch"] = out["link_mismatch"].astype(bool)
    return out
