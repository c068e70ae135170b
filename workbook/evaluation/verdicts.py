"""Level 2 verdicts as codes: significance (Holm), magnitude on d_av with its interval, N-Gain
class, pass rate, and one combined code per programme.

The kernels here write codes and numbers; the words are in :mod:`workbook.evaluation.words`
(entries ``evaluation.magnitude.*`` and ``evaluation.verdict.*`` of ``messages.yaml``).

- :func:`d_av` — the standardised mean change of a pre/post design standardised by the average
  of the two variances, Hedges-corrected, with its 95 % interval (the method of R
  ``effectsize::repeated_measures_d(method = "av")``);
- :func:`magnitude_codes` — "medium_large" / "small" / "undetermined" / "decline" from that
  interval and the smallest effect of interest (``evaluation.magnitude_threshold``);
- :func:`verdict_codes` — one code per programme from the Holm-adjusted test and the magnitude;
- :func:`holm_counts` — the numbers of the significance sentence ("13 dari 28 program yang
  diuji; 33 dievaluasi"), counted from the data in one place;
- :func:`verdicts_table` — the ``verdicts`` artefact of the evaluation stage (read by the plan).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from workbook.core.stats import hedges_j

__all__ = ["MAGNITUDES", "VERDICTS", "VERDICT_COLUMNS", "d_av", "d_av_by_group", "magnitude_codes",
           "verdict_codes", "holm_counts", "verdicts_table", "CONFLICTS", "level_conflicts"]

#: ``magnitude`` codes (words: ``evaluation.magnitude.<code>``)
MAGNITUDES: tuple[str, ...] = (
    "medium_large",  # lower bound of the interval ≥ threshold
    "small",  # the whole interval within (−threshold, threshold)
    "undetermined",  # the interval reaches across a threshold: wide interval
    "decline",  # upper bound ≤ −threshold
    "not_estimable",  # no d_av (fewer than 3 pairs, or no spread in the scores)
)

#: ``verdict`` codes of Level 2, one per programme (words: ``evaluation.verdict.<code>``).
#: ``up``/``down``: significant rise/fall after the Holm correction; ``ns``: not significant.
VERDICTS: tuple[str, ...] = (
    "not_tested",
    "down",
    "up_medium_large",
    "up_small",
    "up_undetermined",
    "ns_medium_large",
    "ns_small",
    "ns_undetermined",
    "ns_decline",
)

#: columns of the ``verdicts`` artefact, in order
VERDICT_COLUMNS: tuple[str, ...] = (
    "program_id", "nama_program", "n", "method_reason", "p_adj", "p_adjust_method", "p_adjust_m",
    "significant",
    "direction", "d_av", "d_av_ci_low", "d_av_ci_high", "magnitude", "magnitude_threshold",
    "pre_mean_pct", "post_mean_pct", "pass_rate", "n_pass", "passing_score_pct", "g_class",
    "hake_category", "g_z", "mde", "mde_holm", "mde_power", "mde_alpha", "ceiling", "ceiling_limit_pct",
    "verdict", "conflict",
    "l3_d_av", "interviews_n", "interviews_not_applied", "suppressed",
)

#: ``conflict`` codes: evidence of Levels 2, 3 and the interviews that does not agree
#: (words: ``evaluation.conflict.<code>``)
CONFLICTS: tuple[str, ...] = (
    "none",
    "l3_up_l2_not",  # supervisors' ratings rose (d_av ≥ threshold) but L2 did not rise significantly
    "l2_up_l3_not",  # L2 rose with a medium/large effect but the finished L3 ratings did not (d_av < threshold)
    "l3_up_interviews_not",  # ratings rose but at least half of the interviews say "not applied"
    "l3_up_l2_not_interviews_not",  # both of the first and the third
)
#: interviewer codes (``wawancara.tema``) that say the training was not applied on the job
NOT_APPLIED_THEMES: tuple[str, ...] = ("tidak_diterapkan",)


def _z(confidence: float) -> float:
    return float(special.ndtri(1 - (1 - confidence) / 2))


def d_av_by_group(n: np.ndarray, mean_diff: np.ndarray, var_pre: np.ndarray,
                  var_post: np.ndarray, var_diff: np.ndarray, *, confidence: float = 0.95
                  ) -> dict[str, np.ndarray]:
    """Kernel of :func:`d_av` on per-group moments (arrays of equal length; NaN where undefined).

    Returns ``d_av`` (Hedges-corrected), ``ci_low``, ``ci_high`` and ``d_av_uncorrected``.
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        s_av = np.sqrt((np.asarray(var_pre, float) + np.asarray(var_post, float)) / 2)
        ok = (n >= 3) & (s_av > 0)
        d = np.where(ok, np.asarray(mean_diff, float) / s_av, np.nan)
        se = np.where(ok, np.sqrt(np.asarray(var_diff, float) / n) / s_av, np.nan)
    j = hedges_j(n - 1)
    z = _z(confidence)
    return {"d_av": j * d, "ci_low": j * (d - z * se), "ci_high": j * (d + z * se),
            "d_av_uncorrected": d}


def d_av(pre, post, *, confidence: float = 0.95) -> pd.DataFrame:
    """Standardised mean change d_av of paired scores (post − pre), Hedges-corrected, with its CI.

    Parameters
    ----------
    pre, post : array-like
        Scores of the same persons, paired by position; pairs with a missing value are dropped.
    confidence : float, default=0.95

    Returns
    -------
    pandas.DataFrame
        One row: ``n``, ``d_av`` (Hedges-corrected), ``ci_low``, ``ci_high``,
        ``d_av_uncorrected``, ``ci_method`` ("normal_av_se (Algina & Keselman 2003 eq. 4;
        R effectsize)").

    Notes
    -----
    With d_i = post_i − pre_i, :math:`s_{av} = \\sqrt{(s_{pre}^2 + s_{post}^2)/2}` (Cumming 2012,
    p. 291), :math:`d_{av} = \\bar d / s_{av}`. **Interval: the normal (Wald) interval**
    :math:`d_{av} \\pm z_{1-\\alpha/2}\\, SE` with :math:`SE = (s_d/\\sqrt n)/s_{av}` (Algina &
    Keselman 2003, eq. 4), then estimate and both limits times Hedges' exact
    :math:`J(n-1)` — exactly R ``effectsize::repeated_measures_d(method = "av", adjust = TRUE)``
    (effectsize ≥ 0.8.7). NaN for fewer than 3 pairs (J undefined) or no spread.

    The standardiser is the root mean square of the two SDs, as in effectsize and Cumming; Lakens
    (2013, eq. 10) writes the arithmetic mean (SD_pre + SD_post)/2, which differs only when the
    two SDs differ.

    References
    ----------
    Algina, J. & Keselman, H. J. (2003). Approximate confidence intervals for effect sizes.
    *Educ. Psychol. Meas.* 63, 537–553. Cumming, G. (2012). *Understanding the New Statistics*.
    Hedges, L. V. (1981). *J. Educ. Stat.* 6, 107–128. Lakens, D. (2013). *Front. Psychol.* 4:863.
    Ben-Shachar, M. S., Lüdecke, D. & Makowski, D. (2020). effectsize. *JOSS* 5(56), 2815;
    vignette "Standardized Differences": sleep data, d_av = −0.76, 95 % CI [−1.13, −0.39].

    Examples
    --------
    >>> g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    >>> g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    >>> r = d_av(g2, g1)  # effectsize: rm_d(extra_1, extra_2, method = "av") = -0.76 [-1.13, -0.39]
    >>> [round(float(r[c].iloc[0]), 2) for c in ("d_av", "ci_low", "ci_high")]
    [-0.76, -1.13, -0.39]
    """
    a = np.asarray(pre, dtype=float)
    b = np.asarray(post, dtype=float)
    ok = ~(np.isnan(a) | np.isnan(b))
    a, b = a[ok], b[ok]
    n = a.size
    if n >= 2:
        k = d_av_by_group(np.array([n]), np.array([np.mean(b - a)]), np.array([np.var(a, ddof=1)]),
                          np.array([np.var(b, ddof=1)]), np.array([np.var(b - a, ddof=1)]),
                          confidence=confidence)
    else:
        k = {c: np.array([np.nan]) for c in ("d_av", "ci_low", "ci_high", "d_av_uncorrected")}
    return pd.DataFrame({"n": [n], **{c: k[c] for c in ("d_av", "ci_low", "ci_high", "d_av_uncorrected")},
                         "ci_method": ["normal_av_se (Algina & Keselman 2003 eq. 4; R effectsize)"]})


def magnitude_codes(ci_low, ci_high, threshold: float) -> np.ndarray:
    """The ``magnitude`` code of each interval [ci_low, ci_high] against the smallest effect of
    interest ``threshold`` (> 0).

    "medium_large" when ci_low ≥ threshold; "decline" when ci_high ≤ −threshold; "small" when the
    whole interval lies within (−threshold, threshold); otherwise "undetermined" (the interval is
    too wide to say); "not_estimable" without an interval. The rule reads the interval, never
    the point estimate (Lakens 2013: Cohen's benchmarks are arbitrary, so the threshold is a
    setting, not a label of d).
    """
    lo = np.asarray(ci_low, dtype=float)
    hi = np.asarray(ci_high, dtype=float)
    thr = float(threshold)
    with np.errstate(invalid="ignore"):
        conds = [np.isnan(lo) | np.isnan(hi), lo >= thr, hi <= -thr, (lo > -thr) & (hi < thr)]
    return np.select(conds, ["not_estimable", "medium_large", "decline", "small"],
                     "undetermined").astype(object)


def verdict_codes(p_adj, mean_diff, significant, magnitude) -> np.ndarray:
    """One :data:`VERDICTS` code per programme: the Holm-adjusted test, then the magnitude."""
    p = np.asarray(p_adj, dtype=float)
    m = np.asarray(mean_diff, dtype=float)
    sig = np.asarray(significant, dtype=bool)
    mag = np.asarray(magnitude, dtype=object)
    out = np.empty(p.size, dtype=object)
    for i in range(p.size):
        if np.isnan(p[i]):
            out[i] = "not_tested"
        elif sig[i] and m[i] < 0:
            out[i] = "down"
        else:
            head = "up" if sig[i] and m[i] > 0 else "ns"
            mg = "undetermined" if mag[i] == "not_estimable" else str(mag[i])
            if head == "up" and mg == "decline":  # cannot happen: d_av has the sign of the change
                mg = "undetermined"
            out[i] = f"{head}_{mg}"
    return out


def holm_counts(level2: pd.DataFrame) -> dict[str, int]:
    """The counts of the significance sentence, from the Level 2 rows (one per programme).

    Returns
    -------
    dict
        ``evaluated`` (programmes with L2 scores), ``tested`` (programmes with a p-value: the
        size of the Holm family), ``up`` (significant rise after the correction), ``down``
        (significant fall), ``not_tested`` (evaluated − tested). ``tested`` is counted from the
        p-values, so it equals ``p_adjust_m`` of every row by construction of the correction.
    """
    if level2 is None or not len(level2):
        return {"evaluated": 0, "tested": 0, "up": 0, "down": 0, "not_tested": 0}
    p = pd.to_numeric(level2["p_val"], errors="coerce")
    tested = p.notna()
    sig = level2["significant"].fillna(False).astype(bool) & tested
    diff = pd.to_numeric(level2["mean_diff"], errors="coerce")
    return {"evaluated": int(len(level2)), "tested": int(tested.sum()),
            "up": int((sig & (diff > 0)).sum()), "down": int((sig & (diff < 0)).sum()),
            "not_tested": int((~tested).sum())}


def level_conflicts(level2: pd.DataFrame, level3: pd.DataFrame | None,
                    wawancara: pd.DataFrame | None, threshold: float) -> pd.DataFrame:
    """Per programme, whether Level 2, Level 3 and the interviews tell different stories.

    Returns
    -------
    pandas.DataFrame
        ``program_id``, ``l3_d_av`` (d_av of the finished Level 3 ratings), ``interviews_n``,
        ``interviews_not_applied`` (interviews coded as not applied, :data:`NOT_APPLIED_THEMES`)
        and ``conflict`` (:data:`CONFLICTS`), one row per programme of ``level2``.

    Notes
    -----
    The ratings "rose" when the point estimate of the L3 d_av is ≥ ``threshold``: the flag is about
    evidence that disagrees, so it reads the estimates, not their significance. Supervisors who
    know who was trained rate with an expectancy bias (Kirkpatrick & Kirkpatrick 2006), so a rise
    in ratings that the test (L2) or the interviews do not show is flagged for the reader
    (review 2026-12, M12). Convention of this workbook (half of the interviews), not sourced.
    """
    ids = level2["program_id"].astype("str").reset_index(drop=True)
    l3d = pd.Series(dtype=float)
    if level3 is not None and len(level3) and "d_av" in level3:
        done = level3[level3["status"].astype("str") == "selesai"]
        l3d = pd.Series(pd.to_numeric(done["d_av"], errors="coerce").to_numpy(),
                        index=done["program_id"].astype("str"))
    n_int = pd.Series(dtype=float)
    n_not = pd.Series(dtype=float)
    if wawancara is not None and len(wawancara) and {"program_id", "tema"} <= set(wawancara.columns):
        w = wawancara.assign(_p=wawancara["program_id"].astype("str"),
                             _no=wawancara["tema"].astype("str").str.strip().str.lower().isin(NOT_APPLIED_THEMES))
        n_int = w.groupby("_p").size()
        n_not = w.groupby("_p")["_no"].sum()
    out = pd.DataFrame({"program_id": ids, "l3_d_av": ids.map(l3d).astype(float),
                        "interviews_n": ids.map(n_int).fillna(0).astype("int64"),
                        "interviews_not_applied": ids.map(n_not).fillna(0).astype("int64")})
    verdict = level2["verdict"].astype("str").reset_index(drop=True)
    l2_up = verdict.str.startswith("up_")
    with np.errstate(invalid="ignore"):
        l3_up = (out["l3_d_av"] >= threshold).to_numpy()
        l3_flat = (out["l3_d_av"] < threshold).to_numpy()
    ints = (out["interviews_n"] > 0) & (out["interviews_not_applied"] * 2 >= out["interviews_n"])
    a = l3_up & ~l2_up.to_numpy()
    b = (verdict == "up_medium_large").to_numpy() & l3_flat
    c = l3_up & ints.to_numpy()
    out["conflict"] = np.select([a & c, a, c, b], ["l3_up_l2_not_interviews_not", "l3_up_l2_not",
                                                   "l3_up_interviews_not", "l2_up_l3_not"], "none")
    out["conflict"] = out["conflict"].astype(object)
    return out


def verdicts_table(level2: pd.DataFrame, conflicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``verdicts`` artefact: one row per programme with the codes and numbers of its verdict.

    ``level2`` is the (suppressed, when written to the aggregate folder) Level 2 table of
    :func:`workbook.evaluation.l2_learning.level2`; a missing column (e.g. ``suppressed`` of an
    unsuppressed table) is filled with its empty value. Columns: :data:`VERDICT_COLUMNS`.
    """
    d = level2.copy()
    if conflicts is not None and len(conflicts):
        d = d.drop(columns=[c for c in conflicts.columns if c != "program_id" and c in d])
        d = d.merge(conflicts, on="program_id", how="left")
        if "suppressed" in d:  # a hidden programme's conflict would tell its results
            hide = d["suppressed"].fillna(False).astype(bool)
            for c in ("l3_d_av", "interviews_n", "interviews_not_applied"):
                d[c] = d[c].astype(float).where(~hide)
            d["conflict"] = d["conflict"].astype(object).where(~hide, None)
    if "suppressed" not in d:
        d["suppressed"] = False
    for c in VERDICT_COLUMNS:
        if c not in d:
            d[c] = np.nan
    out = d[list(VERDICT_COLUMNS)].reset_index(drop=True)
    for c in ("program_id", "verdict", "magnitude", "direction", "hake_category", "p_adjust_method",
              "nama_program", "conflict", "method_reason"):
        out[c] = out[c].astype(object)
    return out
