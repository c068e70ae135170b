"""The vectorised paired-test kernel: every group at once, one numpy pass per phase.

:func:`grouped_kernel` sorts the changes d = post − pre by group, then runs its phases on the
sorted arrays — moments, paired t-test, normality of the differences, Wilcoxon signed-rank
test, effect sizes, choice of test — with ``bincount``/``reduceat`` instead of a loop over
groups (Shapiro–Wilk is the one per-group call, for small groups only). :func:`assemble_tests`
turns the kernel's arrays into the :data:`TEST_COLUMNS` of
:func:`workbook.core.stats.paired_prepost` and :func:`workbook.core.stats.prepost_by_group`.
Formulas and references: those two functions and :func:`workbook.core.stats.effect_sizes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special, stats

from workbook.core.exceptions import DataError
from workbook.core.stats.distributions import (
    ci_tails,
    hedges_j,
    lilliefors_pvalue,
    nct_ncp_ci,
    norm_pvalue,
    signrank_cdf,
    t_pvalue,
    tie_runs,
    within_positions,
)
from workbook.core.stats.validation import (
    ALTERNATIVES,
    METHODS,
    ZERO_METHODS,
    check_choice,
    check_confidence,
)

__all__ = [
    "TEST_COLUMNS",
    "METHOD_REASONS",
    "PairedOptions",
    "grouped_kernel",
    "assemble_tests",
    "validate_test_options",
]

#: Why the reported test was chosen (column ``method_reason``), by the kernel's reason number.
#: The words of each code (with ``normality_test``, ``normality_p`` and ``normality_alpha``
#: filled in) are in :mod:`workbook.evaluation.words`.
METHOD_REASONS: tuple[str, ...] = (
    "user_t",  # 0: the user chose the paired t-test
    "user_wilcoxon",  # 1: the user chose the Wilcoxon signed-rank test
    "normal",  # 2: differences normal (normality_p ≥ α): t-test
    "not_normal",  # 3: differences not normal (normality_p < α): Wilcoxon
    "two_pairs",  # 4: only 2 pairs, normality untestable: t-test (very low power)
    "constant",  # 5: all differences equal and non-zero: t undefined, Wilcoxon
    "all_zero",  # 6: all differences zero: no test
    "too_few",  # 7: fewer than 2 complete pairs: no test
)


#: The columns of a paired-test result, in order (one row per group).
TEST_COLUMNS = [
    "n",
    "n_dropped",
    "mean_diff",
    "ci_low",
    "ci_high",
    "statistic",
    "dof",
    "p_val",
    "method",
    "method_reason",
    "p_val_t",
    "p_val_wilcoxon",
    "wilcoxon_p_method",
    "n_zero",
    "normality_test",
    "normality_p",
    "normality_alpha",
    "effect_size",
    "effect_type",
    "es_ci_low",
    "es_ci_high",
]


@dataclass(frozen=True)
class PairedOptions:
    """Options of one run of :func:`grouped_kernel` (see :func:`workbook.core.stats.paired_prepost`).

    ``alpha`` is the level of the normality test that chooses between t and Wilcoxon
    (``method="auto"``); ``normality_max_n`` the largest group tested with Shapiro–Wilk
    (Lilliefors above it).
    """

    alternative: str
    confidence: float
    alpha: float
    method: str
    normality_max_n: int
    zero_method: str
    correction: bool
    exact: bool | None


@dataclass
class _Sorted:
    """Changes sorted by group (ascending inside a group) and the per-group moments."""

    n_groups: int
    c: np.ndarray  # group code of each sorted change
    ds: np.ndarray  # sorted changes post − pre
    n: np.ndarray
    starts: np.ndarray  # first position of each group in the sorted arrays
    mean: np.ndarray
    sd: np.ndarray
    mean_pre: np.ndarray
    mean_post: np.ndarray
    sd_pre: np.ndarray
    sd_post: np.ndarray
    enough: np.ndarray  # n ≥ 2
    constant: np.ndarray  # n ≥ 2 and every change equal
    all_zero: np.ndarray  # n ≥ 2 and every change 0


def _moments(
    d: np.ndarray, codes: np.ndarray, n_groups: int, pre: np.ndarray, post: np.ndarray
) -> _Sorted:
    order = np.lexsort((d, codes))  # groups contiguous, d ascending inside a group
    c = codes[order]
    ds = d[order]
    pre_s, post_s = pre[order], post[order]
    n = np.bincount(c, minlength=n_groups).astype(float)
    starts = np.concatenate(([0], np.cumsum(n)[:-1])).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(c, ds, minlength=n_groups) / n
        dev = ds - mean[c]
        var = np.bincount(c, dev * dev, minlength=n_groups) / (n - 1)
        sd = np.sqrt(var)
        mpre = np.bincount(c, pre_s, minlength=n_groups) / n
        mpost = np.bincount(c, post_s, minlength=n_groups) / n
        sd_pre = np.sqrt(np.bincount(c, (pre_s - mpre[c]) ** 2, minlength=n_groups) / (n - 1))
        sd_post = np.sqrt(np.bincount(c, (post_s - mpost[c]) ** 2, minlength=n_groups) / (n - 1))
    enough = n >= 2
    constant = enough & (sd == 0)
    return _Sorted(
        n_groups, c, ds, n, starts, mean, sd, mpre, mpost, sd_pre, sd_post, enough, constant,
        constant & (mean == 0),
    )


def _paired_t(g: _Sorted, opts: PairedOptions) -> dict[str, np.ndarray]:
    """Paired t-test and the t-interval of the mean change (R ``t.test(paired = TRUE)``)."""
    n, mean, enough = g.n, g.mean, g.enough
    dof = n - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        se = g.sd / np.sqrt(n)
        t = np.where(enough & ~g.constant, mean / se, np.nan)
    p_t = t_pvalue(t, dof, opts.alternative)
    a_lo, a_hi = ci_tails(opts.confidence, opts.alternative)
    with np.errstate(invalid="ignore"):
        ci_low = (
            mean - stats.t.isf(a_lo, dof) * se
            if a_lo is not None
            else np.full(g.n_groups, -np.inf)
        )
        ci_high = (
            mean + stats.t.isf(a_hi, dof) * se
            if a_hi is not None
            else np.full(g.n_groups, np.inf)
        )
    return {
        "t": t,
        "dof": dof,
        "p_t": p_t,
        "ci_low": np.where(enough, ci_low, np.nan),
        "ci_high": np.where(enough, ci_high, np.nan),
    }


def _normality(g: _Sorted, normality_max_n: int) -> dict[str, np.ndarray]:
    """Normality of the changes: Shapiro–Wilk for small groups, Lilliefors (vectorised) above."""
    n = g.n
    norm_p = np.full(g.n_groups, np.nan)
    norm_test = np.full(g.n_groups, "none", dtype=object)
    testable = g.enough & ~g.constant & (n >= 3)
    use_sw = testable & (n <= normality_max_n)
    use_lf = testable & (n > normality_max_n)
    for k in np.flatnonzero(use_sw):  # Shapiro-Wilk: small groups only (Royston's swilk)
        s = g.starts[k]
        norm_p[k] = stats.shapiro(g.ds[s : s + int(n[k])]).pvalue
    norm_test[use_sw] = "shapiro_wilk"
    if use_lf.any():  # Lilliefors, vectorised over all large groups
        pos = within_positions(g.c, g.starts)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (g.ds - g.mean[g.c]) / g.sd[g.c]
            pz = special.ndtr(z)
            nn = n[g.c]
            stat = np.maximum(pos / nn - pz, pz - (pos - 1) / nn)
        dmax = np.full(g.n_groups, np.nan)
        nonempty = n > 0
        dmax[nonempty] = np.maximum.reduceat(stat, g.starts[nonempty])
        norm_p[use_lf] = lilliefors_pvalue(dmax[use_lf], n[use_lf])
        norm_test[use_lf] = "lilliefors"
    return {"norm_p": norm_p, "norm_test": norm_test, "testable": testable}


def _ranks_without_zeros(g: _Sorted) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """V⁺, the number of non-zero changes and Σ(t³ − t) of the ties, zeros dropped first."""
    c, ds = g.c, g.ds
    nz = ds != 0
    cz = c[nz]
    az = np.abs(ds[nz])
    o2 = np.lexsort((az, cz))
    cz, az, sz = cz[o2], az[o2], ds[nz][o2] > 0
    n_nz = np.bincount(cz, minlength=g.n_groups).astype(float)
    st_nz = np.concatenate(([0], np.cumsum(n_nz)[:-1])).astype(np.int64)
    rank, tlen = tie_runs(cz, az, within_positions(cz, st_nz))
    v_plus = np.bincount(cz, np.where(sz, rank, 0.0), minlength=g.n_groups)
    tie_sum = np.bincount(cz, np.where(tlen > 1, (tlen**2 - 1), 0.0), minlength=g.n_groups)
    # (Σ over tied elements of t²−1 equals Σ over tie groups of t³−t)
    return v_plus, n_nz, tie_sum


def _ranks_with_zeros(g: _Sorted) -> tuple[np.ndarray, np.ndarray]:
    """Pratt (1959): V⁺ and the tie term with the zeros ranked, then their ranks dropped."""
    codes_all = g.c
    absall = np.abs(g.ds)
    o3 = np.lexsort((absall, codes_all))
    ca, aa, pa = codes_all[o3], absall[o3], g.ds[o3] > 0
    ra, tla = tie_runs(ca, aa, within_positions(ca, g.starts))
    v_w = np.bincount(ca, np.where(pa, ra, 0.0), minlength=g.n_groups)
    # zeros are not part of the tie correction (as scipy.stats.wilcoxon)
    ties_w = np.bincount(
        ca, np.where((tla > 1) & (aa != 0), tla**2 - 1, 0.0), minlength=g.n_groups
    )
    return v_w, ties_w


def _exact_signrank_p(
    p_w: np.ndarray, v_w: np.ndarray, n_w: np.ndarray, use_exact: np.ndarray, alternative: str
) -> np.ndarray:
    """``p_w`` with the exact signed-rank p-value where ``use_exact`` (one cdf per distinct n)."""
    for m_ in np.unique(n_w[use_exact]).astype(int):
        sel = use_exact & (n_w == m_)
        cdf = signrank_cdf(m_)
        total = m_ * (m_ + 1) // 2
        vv = np.rint(v_w[sel]).astype(int)
        lower = cdf[vv]  # P(V ≤ v)
        upper = cdf[total - vv]  # P(V ≥ v) by symmetry
        if alternative == "two-sided":
            p = np.minimum(1.0, 2.0 * np.where(vv > total / 2.0, upper, lower))
        elif alternative == "greater":
            p = upper
        else:
            p = lower
        p_w[sel] = p
    return p_w


def _wilcoxon(g: _Sorted, opts: PairedOptions) -> dict[str, np.ndarray]:
    """Wilcoxon signed-rank test (R ``wilcox.test(paired = TRUE)``), exact or normal."""
    n, n_groups, alternative = g.n, g.n_groups, opts.alternative
    v_plus, n_nz, tie_sum = _ranks_without_zeros(g)
    has_ties = tie_sum > 0
    n_zero = n - n_nz
    if opts.zero_method == "wilcox":
        n_w, v_w, ties_w = n_nz, v_plus, tie_sum
        mu = n_w * (n_w + 1) / 4
        var_w = n_w * (n_w + 1) * (2 * n_w + 1) / 24 - ties_w / 48
    else:  # Pratt (1959): rank with zeros, then drop the zeros' ranks
        v_w, ties_w = _ranks_with_zeros(g)
        n_w = n
        mu = n * (n + 1) / 4 - n_zero * (n_zero + 1) / 4
        var_w = (
            n * (n + 1) * (2 * n + 1) - n_zero * (n_zero + 1) * (2 * n_zero + 1)
        ) / 24 - ties_w / 48
    exact = opts.exact
    want_exact = (n_w < 50) if exact is None else np.full(n_groups, bool(exact))
    use_exact = (
        want_exact & ~has_ties & (n_zero == 0) & (n_w >= 1) & (opts.zero_method == "wilcox")
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        z0 = v_w - mu
        if opts.correction:
            if alternative == "two-sided":
                cc = np.sign(z0) * 0.5
            else:
                cc = np.full(n_groups, 0.5 if alternative == "greater" else -0.5)
        else:
            cc = np.zeros(n_groups)
        zw = (z0 - cc) / np.sqrt(var_w)
    p_w = np.where(var_w > 0, norm_pvalue(zw, alternative), np.nan)
    p_w = _exact_signrank_p(p_w, v_w, n_w, use_exact, alternative)
    p_w = np.where(g.enough & (n_w > 0), p_w, np.nan)
    w_method = np.where(use_exact, "exact", np.where(opts.correction, "normal_cc", "normal"))
    return {
        "n_zero": n_zero,
        "V": v_w,
        "p_w": p_w,
        "w_method": w_method,
        "v_plus": v_plus,
        "n_nz": n_nz,
    }


def _standardised_effects(
    g: _Sorted, t: np.ndarray, dof: np.ndarray, opts: PairedOptions
) -> dict[str, np.ndarray]:
    """d_z and d_av with their noncentral-t limits, and the Hedges-corrected g_z and g_av."""
    with np.errstate(invalid="ignore", divide="ignore"):
        d_z = np.where(g.enough & ~g.constant, g.mean / g.sd, np.nan)
    ncp_lo, ncp_hi = nct_ncp_ci(t, dof, opts.confidence, opts.alternative)
    sqn = np.sqrt(g.n)
    dz_lo, dz_hi = ncp_lo / sqn, ncp_hi / sqn
    j_z = hedges_j(dof)
    with np.errstate(invalid="ignore", divide="ignore"):
        s_av = (g.sd_pre + g.sd_post) / 2
        d_av = np.where(g.enough & (s_av > 0), g.mean / s_av, np.nan)
        scale_av = g.sd / s_av  # d_av = d_z * sd_diff / s_av  (Algina & Keselman 2003 rescaling)
    j_av = hedges_j(2 * dof)
    return {
        "d_z": d_z,
        "d_z_lo": dz_lo,
        "d_z_hi": dz_hi,
        "g_z": j_z * d_z,
        "g_z_lo": j_z * dz_lo,
        "g_z_hi": j_z * dz_hi,
        "d_av": d_av,
        "d_av_lo": dz_lo * scale_av,
        "d_av_hi": dz_hi * scale_av,
        "g_av": j_av * d_av,
        "g_av_lo": j_av * dz_lo * scale_av,
        "g_av_hi": j_av * dz_hi * scale_av,
    }


def _rank_biserial(
    v_plus: np.ndarray, n_nz: np.ndarray, n_groups: int, opts: PairedOptions
) -> dict[str, np.ndarray]:
    """Matched-pairs rank-biserial correlation and its Fisher-z interval."""
    a_lo, a_hi = ci_tails(opts.confidence, opts.alternative)
    with np.errstate(invalid="ignore", divide="ignore"):
        rb_total = n_nz * (n_nz + 1) / 2
        rbs = np.where(n_nz > 0, (2 * v_plus - rb_total) / rb_total, np.nan)
        rbs_se = np.sqrt(n_nz * (n_nz + 1) * (2 * n_nz + 1) / 6) / rb_total
        zq_lo = special.ndtri(1 - a_lo) if a_lo is not None else None
        zq_hi = special.ndtri(1 - a_hi) if a_hi is not None else None
        rz = np.arctanh(rbs)
        rbs_lo = np.tanh(rz - zq_lo * rbs_se) if zq_lo is not None else np.full(n_groups, -1.0)
        rbs_hi = np.tanh(rz + zq_hi * rbs_se) if zq_hi is not None else np.full(n_groups, 1.0)
    return {"rbs": rbs, "rbs_lo": rbs_lo, "rbs_hi": rbs_hi}


def _choose_test(
    g: _Sorted, norm_p: np.ndarray, testable: np.ndarray, opts: PairedOptions
) -> tuple[np.ndarray, np.ndarray]:
    """Whether the t-test is reported, and the number of its reason (:data:`METHOD_REASONS`)."""
    n_groups, enough, constant = g.n_groups, g.enough, g.constant
    reason = np.full(n_groups, 7)
    chosen_t = np.zeros(n_groups, dtype=bool)
    if opts.method == "t":
        chosen_t[:] = True
        reason[:] = 0
    elif opts.method == "wilcoxon":
        reason[:] = 1
    else:
        normal = norm_p >= opts.alpha
        chosen_t = np.where(testable, normal, enough & ~constant)
        reason = np.select(
            [testable & normal, testable & ~normal, enough & ~constant & (g.n < 3)],
            [2, 3, 4],
            default=5,
        )
    reason = np.where(g.all_zero, 6, reason)
    reason = np.where(enough, reason, 7)
    if opts.method == "auto":
        chosen_t = np.where(constant, False, chosen_t)
    return chosen_t, reason


def grouped_kernel(
    d: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    pre: np.ndarray,
    post: np.ndarray,
    opts: PairedOptions,
) -> dict[str, np.ndarray]:
    """All paired-test quantities for every group at once (d = post − pre, no NaN).

    ``codes`` are the group codes 0 … ``n_groups`` − 1 of the changes; ``pre`` and ``post``
    the scores they come from (for d_av). Returns a dict of arrays of length ``n_groups``.
    """
    g = _moments(d, codes, n_groups, pre, post)
    tt = _paired_t(g, opts)
    norm = _normality(g, opts.normality_max_n)
    w = _wilcoxon(g, opts)
    chosen_t, reason = _choose_test(g, norm["norm_p"], norm["testable"], opts)
    return {
        "n": g.n,
        "n_zero": w["n_zero"],
        "mean_diff": g.mean,
        "sd_diff": g.sd,
        "ci_low": tt["ci_low"],
        "ci_high": tt["ci_high"],
        "t": tt["t"],
        "dof": tt["dof"],
        "p_t": tt["p_t"],
        "V": w["V"],
        "p_w": w["p_w"],
        "w_method": w["w_method"],
        "norm_test": norm["norm_test"],
        "norm_p": norm["norm_p"],
        "chosen_t": chosen_t,
        "reason": reason,
        **_standardised_effects(g, tt["t"], tt["dof"], opts),
        **_rank_biserial(w["v_plus"], w["n_nz"], n_groups, opts),
        "mean_pre": g.mean_pre,
        "mean_post": g.mean_post,
        "sd_pre": g.sd_pre,
        "sd_post": g.sd_post,
    }


def assemble_tests(k: dict[str, np.ndarray], alpha: float) -> dict[str, Any]:
    """The public `paired_prepost` columns from kernel output (vectorised)."""
    chosen_t = k["chosen_t"]
    reason = np.asarray(METHOD_REASONS, dtype=object)[k["reason"].astype(np.int64)]
    ok = k["n"] >= 2  # groups with < 2 pairs: no test, no effect size (reason 7)

    def num(a: np.ndarray) -> np.ndarray:
        return np.where(ok, a, np.nan)

    def lab(a: np.ndarray) -> np.ndarray:
        return np.where(ok, a.astype(object), None)

    return {
        "n": k["n"].astype(np.int64),
        "mean_diff": k["mean_diff"],
        "ci_low": k["ci_low"],
        "ci_high": k["ci_high"],
        "statistic": num(np.where(chosen_t, k["t"], k["V"])),
        "dof": num(np.where(chosen_t, k["dof"], np.nan)),
        "p_val": num(np.where(chosen_t, k["p_t"], k["p_w"])),
        "method": lab(np.where(chosen_t, "t", "wilcoxon")),
        "method_reason": reason,
        "p_val_t": num(k["p_t"]),
        "p_val_wilcoxon": num(k["p_w"]),
        "wilcoxon_p_method": lab(k["w_method"]),
        "n_zero": k["n_zero"].astype(np.int64),
        "normality_test": k["norm_test"],
        "normality_p": k["norm_p"],
        "normality_alpha": np.full(reason.size, alpha),
        "effect_size": num(np.where(chosen_t, k["d_z"], k["rbs"])),
        "effect_type": lab(np.where(chosen_t, "d_z", "rank_biserial")),
        "es_ci_low": num(np.where(chosen_t, k["d_z_lo"], k["rbs_lo"])),
        "es_ci_high": num(np.where(chosen_t, k["d_z_hi"], k["rbs_hi"])),
    }


def validate_test_options(
    method: str, alternative: str, confidence: float, zero_method: str, exact: bool | None
) -> None:
    check_choice(method, "method", METHODS)
    check_choice(alternative, "alternative", ALTERNATIVES)
    check_choice(zero_method, "zero_method", ZERO_METHODS)
    check_confidence(confidence)
    if exact not in (None, True, False):
        raise DataError(
            "Parameter 'exact' harus None, True atau False.",
            "Parameter 'exact' must be None, True or False.",
            column="exact",
            value=exact,
        )
