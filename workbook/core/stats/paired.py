"""Paired pre-test/post-test comparisons: one group, effect sizes, and every group at once.

:func:`paired_prepost` is the one-group case of the same kernel
(:func:`workbook.core.stats.grouped.grouped_kernel`) that :func:`prepost_by_group` runs over every
programme, so the two cannot drift apart. The change is post − pre; ``alternative`` refers to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings
from workbook.core.stats.adjust import adjust_kernel
from workbook.core.stats.gain import NGAIN_COLUMNS, ngain_kernel
from workbook.core.stats.grouped import (
    TEST_COLUMNS,
    PairedOptions,
    assemble_tests,
    grouped_kernel,
    validate_test_options,
)
from workbook.core.stats.validation import (
    ALTERNATIVES,
    P_ADJUST_METHODS,
    Alternative,
    check_choice,
    check_confidence,
    check_scores,
    complete_pairs,
    max_array,
    refuse_small,
    to_float,
)

__all__ = ["paired_prepost", "effect_sizes", "prepost_by_group"]


def _one_group(a: np.ndarray, b: np.ndarray, options: PairedOptions) -> dict[str, np.ndarray]:
    """:func:`grouped_kernel` on one group of complete pairs ``(a, b)``."""
    return grouped_kernel(b - a, np.zeros(a.size, dtype=np.int64), 1, a, b, options)


def paired_prepost(
    pre: Any,
    post: Any,
    *,
    method: str = "auto",
    alternative: Alternative = "two-sided",
    confidence: float = 0.95,
    settings: Settings | None = None,
    zero_method: str = "wilcox",
    correction: bool = True,
    exact: bool | None = None,
) -> pd.DataFrame:
    """Paired pre-test/post-test comparison: normality check, t-test or Wilcoxon, effect size.

    Parameters
    ----------
    pre, post : array-like or Series
        Scores of the same participants, paired **by position** (indexes are ignored).
        Pairs with a missing value are dropped and counted in ``n_dropped``.
    method : {"auto", "t", "wilcoxon"}, default="auto"
        "auto" tests the normality of the differences (Shapiro–Wilk when n ≤
        ``evaluation.normality_test_max_n``, else Lilliefors) and uses the paired t-test when
        ``normality_p ≥ evaluation.alpha``, else the Wilcoxon signed-rank test.
    alternative : {"two-sided", "greater", "less"}, default="two-sided"
        About the change post − pre; "greater" = post is higher (improvement).
    confidence : float, default=0.95
        Level of every interval (mean difference and effect size). One-sided alternatives give
        one-sided intervals, as R does.
    settings : Settings, optional
        Uses ``evaluation.alpha`` and ``evaluation.normality_test_max_n``.
    zero_method : {"wilcox", "pratt"}, default="wilcox"
        Zero differences: dropped before ranking (Wilcoxon 1945; R) or ranked then dropped
        (Pratt 1959; normal approximation only).
    correction : bool, default=True
        Continuity correction of the normal approximation (R default).
    exact : bool or None, default=None
        Exact Wilcoxon p-value. None = R's rule: exact when fewer than 50 non-zero differences,
        no ties and no zeros; otherwise the normal approximation with tie correction.

    Returns
    -------
    pandas.DataFrame
        One row: ``n`` (complete pairs), ``n_dropped``, ``mean_diff``, ``ci_low``/``ci_high``
        (t-interval of the mean difference), ``statistic`` (t, or V = sum of the ranks of the
        positive changes), ``dof`` (NaN for Wilcoxon), ``p_val``, ``method`` ("t"/"wilcoxon"),
        ``method_reason`` (why that test: a code of
        :data:`workbook.core.stats.grouped.METHOD_REASONS`, e.g. "normal", "not_normal",
        "two_pairs"), ``p_val_t`` and ``p_val_wilcoxon`` (both always),
        ``wilcoxon_p_method`` ("exact", "normal_cc", "normal"), ``n_zero`` (zero differences),
        ``normality_test`` ("shapiro_wilk", "lilliefors", "none"), ``normality_p``,
        ``normality_alpha`` (the level it was compared with, ``evaluation.alpha``),
        ``effect_size``/``effect_type`` (``d_z`` for t, ``rank_biserial`` for Wilcoxon),
        ``es_ci_low``/``es_ci_high``.

    Raises
    ------
    DataError
        Unequal lengths, non-numeric values, fewer than 2 complete pairs, unknown options.

    Notes
    -----
    With d_i = post_i − pre_i: :math:`t = \\bar d / (s_d/\\sqrt n)`, df = n − 1, interval
    :math:`\\bar d \\pm t_{1-a, n-1} s_d/\\sqrt n`. Wilcoxon: V = Σ ranks of |d_i| with d_i > 0
    (mid-ranks for ties); normal approximation
    :math:`z = (V − n(n+1)/4 − c) / \\sqrt{n(n+1)(2n+1)/24 − Σ(t^3−t)/48}` with c = ±0.5
    (continuity). All-zero differences give NaN tests and the code "all_zero" in ``method_reason``;
    equal non-zero differences make t undefined, so Wilcoxon is reported. Lilliefors' p-value
    uses the Dallal–Wilkinson approximation as R ``nortest::lillie.test``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6, 1–25.
    Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics Bulletin* 1, 80–83.
    Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank procedures. *JASA* 54, 655–667.
    Shapiro, S. S. & Wilk, M. B. (1965). *Biometrika* 52, 591–611; Royston, P. (1995). AS R94.
    Lilliefors, H. W. (1967). *JASA* 62, 399–402; Dallal, G. E. & Wilkinson, L. (1986). *Am. Stat.* 40, 294–296.
    R Core Team. ``stats::t.test``, ``stats::wilcox.test``.

    Examples
    --------
    >>> r = paired_prepost([60, 55, 70, 65], [70, 60, 80, 72], method="t", alternative="greater")
    >>> r["method"].iloc[0], int(r["n"].iloc[0])
    ('t', 4)
    """
    validate_test_options(method, alternative, confidence, zero_method, exact)
    s = _settings(settings)
    a, b, _, dropped = complete_pairs(pre, post)
    refuse_small(a.size)
    k = _one_group(
        a,
        b,
        PairedOptions(
            alternative=alternative,
            confidence=float(confidence),
            alpha=float(s["evaluation.alpha"]),
            method=method,
            normality_max_n=int(s["evaluation.normality_test_max_n"]),
            zero_method=zero_method,
            correction=bool(correction),
            exact=exact,
        ),
    )
    cols = assemble_tests(k, float(s["evaluation.alpha"]))
    cols["n_dropped"] = np.array([dropped], dtype=np.int64)
    return pd.DataFrame({c: cols[c] for c in TEST_COLUMNS})


def effect_sizes(
    pre: Any, post: Any, *, confidence: float = 0.95, alternative: Alternative = "two-sided"
) -> pd.DataFrame:
    """Standardised effect sizes of a pre/post change, with confidence intervals.

    Parameters
    ----------
    pre, post : array-like or Series
        Paired by position; incomplete pairs dropped.
    confidence : float, default=0.95
    alternative : {"two-sided", "greater", "less"}, default="two-sided"
        One-sided alternatives give one-sided intervals (as R effectsize).

    Returns
    -------
    pandas.DataFrame
        Rows ``d_z``, ``g_z``, ``d_av``, ``g_av``, ``rank_biserial``; columns ``effect_type``,
        ``effect_size``, ``ci_low``, ``ci_high``, ``ci_method``. Signed: positive = improvement.

    Notes
    -----
    With d = post − pre (n pairs, df = n − 1):

    * :math:`d_z = \\bar d / s_d`; CI from the noncentral t: the limits λ of the
      noncentrality parameter for t = d_z √n, divided by √n (R ``effectsize::cohens_d(paired =
      TRUE)``, Steiger & Fouladi 1997).
    * :math:`g_z = J(n-1)\\,d_z` with the exact :func:`hedges_j`; CI limits times J.
    * :math:`d_{av} = \\bar d / ((s_{pre}+s_{post})/2)` (Cumming 2012; Lakens 2013, eq. 10);
      CI: the d_z noncentral-t limits rescaled by s_d/s_av, i.e. treating the ratio as fixed —
      the approximation of Algina & Keselman (2003).
    * :math:`g_{av} = J(2(n-1))\\,d_{av}` (Lakens 2013: J with n₁ + n₂ − 2 degrees of freedom).
    * Matched-pairs rank-biserial :math:`r = (T_+ − T_-)/(T_+ + T_-)` over non-zero differences
      (Kerby 2014); CI :math:`\\tanh(\\operatorname{atanh} r \\pm z\\,SE)`,
      :math:`SE = \\sqrt{n(n+1)(2n+1)/6} / (n(n+1)/2)` (R ``effectsize::rank_biserial``).

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    Hedges, L. V. (1981). *J. Educ. Stat.* 6, 107–128.
    Steiger, J. H. & Fouladi, R. T. (1997). Noncentrality interval estimation. In *What if there
    were no significance tests?* (pp. 221–257).
    Algina, J. & Keselman, H. J. (2003). Approximate confidence intervals for effect sizes.
    *Educ. Psychol. Meas.* 63, 537–553.
    Cumming, G. (2012). *Understanding the New Statistics*. Routledge.
    Lakens, D. (2013). Calculating and reporting effect sizes. *Front. Psychol.* 4:863.
    Kerby, D. S. (2014). The simple difference formula. *Compr. Psychol.* 3, 11.IT.3.1.
    Ben-Shachar, M. S., Lüdecke, D. & Makowski, D. (2020). effectsize. *JOSS* 5(56), 2815.
    """
    check_confidence(confidence)
    check_choice(alternative, "alternative", ALTERNATIVES)
    a, b, _, _ = complete_pairs(pre, post)
    refuse_small(a.size)
    k = _one_group(
        a,
        b,
        PairedOptions(
            alternative=alternative,
            confidence=float(confidence),
            alpha=0.05,
            method="t",
            normality_max_n=0,
            zero_method="wilcox",
            correction=True,
            exact=None,
        ),
    )
    nct = "noncentral_t (Steiger & Fouladi 1997; R effectsize)"
    rows = [
        ("d_z", k["d_z"], k["d_z_lo"], k["d_z_hi"], nct),
        ("g_z", k["g_z"], k["g_z_lo"], k["g_z_hi"], nct + " × Hedges J"),
        (
            "d_av",
            k["d_av"],
            k["d_av_lo"],
            k["d_av_hi"],
            "noncentral_t rescaled by s_d/s_av (Algina & Keselman 2003 approximation)",
        ),
        (
            "g_av",
            k["g_av"],
            k["g_av_lo"],
            k["g_av_hi"],
            "noncentral_t rescaled by s_d/s_av (Algina & Keselman 2003 approximation) × Hedges J",
        ),
        (
            "rank_biserial",
            k["rbs"],
            k["rbs_lo"],
            k["rbs_hi"],
            "fisher_z (R effectsize::rank_biserial)",
        ),
    ]
    return pd.DataFrame(
        [
            {
                "effect_type": r[0],
                "effect_size": float(r[1][0]),
                "ci_low": float(r[2][0]),
                "ci_high": float(r[3][0]),
                "ci_method": r[4],
            }
            for r in rows
        ]
    )


def prepost_by_group(
    df: pd.DataFrame,
    *,
    group: str = "program_id",
    pre: str = "skor_pre",
    post: str = "skor_post",
    max_score: str | float | None = "skor_maks",
    method: str = "auto",
    alternative: Alternative = "two-sided",
    confidence: float = 0.95,
    p_adjust: str | None = "holm",
    settings: Settings | None = None,
    zero_method: str = "wilcox",
    correction: bool = True,
    exact: bool | None = None,
) -> pd.DataFrame:
    """:func:`paired_prepost` + g_z + N-Gain for every group at once, with adjusted p-values.

    Parameters
    ----------
    df : pandas.DataFrame
        Long table, one row per participant record.
    group, pre, post : str
        Column names (group = programme id).
    max_score : str, float or None, default="skor_maks"
        Column of maximum scores, or one number for all; None skips the N-Gain columns.
    method, alternative, confidence, zero_method, correction, exact
        As :func:`paired_prepost` (applied per group).
    p_adjust : {"holm", "bonferroni", "bh", "fdr_bh", "none"} or None, default="holm"
        Correction across the family = every group in this call with a p-value. None takes
        ``evaluation.p_adjust`` from the settings; "none" reports unadjusted p in ``p_adj``.
    settings : Settings, optional

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted by group), column ``group`` first, then every
        :func:`paired_prepost` column, ``g_z``/``g_z_ci_low``/``g_z_ci_high``, the
        :func:`normalized_gain` columns (except the duplicate ``n``), ``ceiling_warning``
        (bool), ``p_adj``, ``p_adjust_method``, ``p_adjust_family`` ("call": every group of
        this call with a p-value) and ``p_adjust_m`` (the size of that family). A group with
        fewer than 2 complete pairs gets NaN tests, the reason "too_few", and is left out of the
        family.

    Raises
    ------
    DataError
        Missing column, non-numeric score, score outside 0–max, missing group id (first
        offending row label named).

    Notes
    -----
    Computed with numpy over all groups together: bincount moments, one lexsort for ranks and
    the Lilliefors statistic, a cached exact signed-rank distribution per n, and a vectorised
    root finder for the noncentral-t intervals. Shapiro–Wilk is called per group only for
    groups with n ≤ ``evaluation.normality_test_max_n``. Formulas and references: see
    :func:`paired_prepost`, :func:`effect_sizes`, :func:`normalized_gain`,
    :func:`adjust_pvalues`.

    References
    ----------
    Holm, S. (1979). *Scand. J. Stat.* 6, 65–70. See also :func:`paired_prepost`.
    """
    validate_test_options(method, alternative, confidence, zero_method, exact)
    s = _settings(settings)
    if p_adjust is None:
        p_adjust = str(s["evaluation.p_adjust"])
    check_choice(p_adjust, "p_adjust", P_ADJUST_METHODS)
    _check_frame(df, group, pre, post, max_score)
    a, b, m, codes, uniques, dropped = _group_arrays(df, group, pre, post, max_score)
    n_groups = len(uniques)
    alpha = float(s["evaluation.alpha"])
    k = grouped_kernel(
        b - a,
        codes,
        n_groups,
        a,
        b,
        PairedOptions(
            alternative=alternative,
            confidence=float(confidence),
            alpha=alpha,
            method=method,
            normality_max_n=int(s["evaluation.normality_test_max_n"]),
            zero_method=zero_method,
            correction=bool(correction),
            exact=exact,
        ),
    )
    cols: dict[str, Any] = {group: np.asarray(uniques)}
    tests = assemble_tests(k, alpha)
    tests["n_dropped"] = dropped
    cols.update({c: tests[c] for c in TEST_COLUMNS})
    cols.update({"g_z": k["g_z"], "g_z_ci_low": k["g_z_lo"], "g_z_ci_high": k["g_z_hi"]})
    if m is not None:
        ng = ngain_kernel(a, b, m, codes, n_groups, str(s["ngain.effectiveness_feeds"]), s)
        cols.update({c: ng[c] for c in NGAIN_COLUMNS if c != "n"})
        cols["ceiling_warning"] = ng["pre_mean_pct"] >= float(s["evaluation.ceiling_warning_pct"])
    cols.update(_adjusted(np.asarray(tests["p_val"], dtype=float), p_adjust))
    return pd.DataFrame(cols)


def _check_frame(
    df: Any, group: str, pre: str, post: str, max_score: str | float | None
) -> None:
    """Refuse a non-table, missing columns and a blank group id (first offending row named)."""
    if not isinstance(df, pd.DataFrame):
        raise DataError("Masukan harus berupa tabel (DataFrame).", "Input must be a DataFrame.")
    needed = [group, pre, post] + ([max_score] if isinstance(max_score, str) else [])
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise DataError(
            f"Kolom tidak ditemukan: {', '.join(missing)}.",
            f"Column(s) not found: {', '.join(missing)}.",
            column=missing[0],
            expected=", ".join(needed),
        )
    gcol = df[group]
    if gcol.isna().any():
        lab = gcol.index[np.flatnonzero(gcol.isna().to_numpy())[0]]
        raise DataError(
            f"Kolom '{group}' kosong pada baris berlabel {lab!r}.",
            f"Column '{group}' is empty at row label {lab!r}.",
            column=group,
            index=lab,
        )


def _group_arrays(
    df: pd.DataFrame, group: str, pre: str, post: str, max_score: str | float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, Any, np.ndarray]:
    """Complete pairs as arrays: pre, post, maximum (None without), group codes, the sorted
    group ids and the number of incomplete pairs dropped per group; scores are range-checked."""
    a, labels = to_float(df[pre], pre)
    b, _ = to_float(df[post], post)
    if max_score is None:
        m = None
    elif isinstance(max_score, str):
        m, _ = to_float(df[max_score], max_score)
    else:
        m = max_array(max_score, a.size, labels)
    ok = ~(np.isnan(a) | np.isnan(b))
    codes_all, uniques = pd.factorize(df[group], sort=True)
    dropped = np.bincount(codes_all[~ok], minlength=len(uniques)).astype(np.int64)
    a, b, labels, codes = a[ok], b[ok], labels[ok], codes_all[ok].astype(np.int64)
    if m is not None:
        m = m[ok]
        okm = ~np.isnan(m)
        if not okm.all():
            i = int(np.flatnonzero(~okm)[0])
            raise DataError(
                f"Skor maksimum kosong pada baris berlabel {labels[i]!r}.",
                f"Maximum score missing at row label {labels[i]!r}.",
                column=str(max_score),
                index=labels[i],
            )
        check_scores(a, b, m, labels, pre, post, str(max_score))
    return a, b, m, codes, uniques, dropped


def _adjusted(p_val: np.ndarray, method: str) -> dict[str, np.ndarray]:
    """``p_adj``, ``p_adjust_method``, ``p_adjust_family`` and ``p_adjust_m``: the family is every
    group with a p-value (code "call")."""
    n_groups = p_val.size
    return {
        "p_adj": adjust_kernel(p_val, method),
        "p_adjust_method": np.full(n_groups, method, dtype=object),
        "p_adjust_family": np.full(n_groups, "call", dtype=object),
        "p_adjust_m": np.full(n_groups, int(np.sum(~np.isnan(p_val))), dtype=np.int64),
    }
