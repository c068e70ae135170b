"""Statistics kernels for the evaluation stage (Kirkpatrick level 2: pre-test / post-test).

Everything here follows one convention: the **change is post − pre** (positive = improvement),
and ``alternative`` ("two-sided", "greater", "less") refers to that change. Defaults follow R:
``t.test(paired = TRUE)``, ``wilcox.test(paired = TRUE)``, ``p.adjust`` and the ``effectsize``
package; ``docs/methods/statistics.md`` tabulates every convention and how to change it.

Design: private numpy kernels that work on *all groups at once* (``_grouped_kernel``), and
validating public wrappers that build one tidy DataFrame. :func:`paired_prepost` is the one-group
case of the same kernel that :func:`prepost_by_group` runs over every programme, so the two cannot
drift apart. Compute code never rounds; presentation does.

>>> r = paired_prepost([1, 2, 3, 4], [2, 4, 5, 7], method="t")
>>> float(r["mean_diff"].iloc[0])
2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special, stats
from scipy.optimize import brentq
from scipy.optimize import elementwise as _elementwise

from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings

__all__ = [
    "paired_prepost",
    "effect_sizes",
    "adjust_pvalues",
    "normalized_gain",
    "reliable_change_index",
    "cronbach_alpha",
    "power_paired_t",
    "min_detectable_effect",
    "ceiling_warning",
    "prepost_by_group",
    "lilliefors_test",
    "hedges_j",
]

Alternative = Literal["two-sided", "greater", "less"]
_ALTERNATIVES = ("two-sided", "greater", "less")
_METHODS = ("auto", "t", "wilcoxon")
_ZERO_METHODS = ("wilcox", "pratt")

# Reason codes for the choice of test -> (Indonesian, English). Filled per row by code.
_REASONS: dict[int, tuple[str, str]] = {
    0: ("Dipilih oleh pengguna: uji t berpasangan.", "Chosen by the user: paired t-test."),
    1: (
        "Dipilih oleh pengguna: uji Wilcoxon bertanda.",
        "Chosen by the user: Wilcoxon signed-rank test.",
    ),
    2: (
        "Selisih berdistribusi normal menurut {test} (p = {p:.4g} ≥ α = {alpha}): uji t berpasangan.",
        "Differences are normal by {test} (p = {p:.4g} ≥ α = {alpha}): paired t-test.",
    ),
    3: (
        "Selisih tidak normal menurut {test} (p = {p:.4g} < α = {alpha}): uji Wilcoxon bertanda.",
        "Differences are not normal by {test} (p = {p:.4g} < α = {alpha}): Wilcoxon signed-rank test.",
    ),
    4: (
        "Hanya 2 pasangan: normalitas tidak dapat diuji; uji t berpasangan dipakai (daya uji sangat rendah).",
        "Only 2 pairs: normality cannot be tested; paired t-test used (very low power).",
    ),
    5: (
        "Semua selisih bernilai sama (bukan nol): uji t tidak terdefinisi; uji Wilcoxon bertanda dipakai.",
        "All differences are equal (non-zero): the t-test is undefined; Wilcoxon signed-rank test used.",
    ),
    6: (
        "Semua selisih nol: tidak ada perubahan, uji tidak dapat dihitung (p tidak tersedia).",
        "All differences are zero: no change, the tests cannot be computed (no p-value).",
    ),
    7: (
        "Kurang dari 2 pasangan lengkap: uji tidak dapat dihitung.",
        "Fewer than 2 complete pairs: the tests cannot be computed.",
    ),
}
_TEST_LABEL = {"shapiro_wilk": "Shapiro-Wilk", "lilliefors": "Kolmogorov-Smirnov (Lilliefors)"}


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------
def _check_choice(value: Any, name: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise DataError(
            f"Parameter '{name}' = {value!r} tidak dikenal; pilihan: {', '.join(map(str, allowed))}.",
            f"Parameter '{name}' = {value!r} is unknown; choices: {', '.join(map(str, allowed))}.",
            column=name,
            value=value,
            expected=", ".join(map(str, allowed)),
        )


def _check_confidence(confidence: float) -> None:
    if not (isinstance(confidence, (int, float)) and 0.0 < float(confidence) < 1.0):
        raise DataError(
            f"Tingkat kepercayaan harus di antara 0 dan 1, bukan {confidence!r}.",
            f"The confidence level must lie between 0 and 1, not {confidence!r}.",
            column="confidence",
            value=confidence,
            expected="0 < confidence < 1",
        )


def _to_float(x: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    """1-D float array (missing -> NaN) and the labels used to locate problems.

    A Series keeps its index labels; anything else is labelled by position (0-based).
    """
    if isinstance(x, np.ndarray) and x.dtype.kind in "fiub" and x.ndim == 1:
        arr = x.astype(float)  # fast path: plain numeric vector, labelled by position
        if np.isinf(arr).any():
            i = int(np.flatnonzero(np.isinf(arr))[0])
            raise DataError(
                f"'{name}' berisi nilai tak hingga pada indeks {i}.",
                f"'{name}' holds an infinite value at index {i}.",
                column=name,
                value=arr[i],
                expected="angka / number",
                index=i,
            )
        return arr, np.array(range(arr.size), dtype=object)
    if isinstance(x, pd.Series):
        ser = x
    else:
        raw = np.asarray(x, dtype=object)
        if raw.ndim > 1 and sum(d > 1 for d in raw.shape) > 1:
            raise DataError(
                f"'{name}' harus satu kolom/vektor, bukan tabel.",
                f"'{name}' must be one column/vector, not a table.",
                column=name,
            )
        ser = pd.Series(raw.ravel())
    labels = np.array(ser.index.tolist(), dtype=object)
    values = pd.to_numeric(ser, errors="coerce")
    bad = (values.isna() & ser.notna()).to_numpy()
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    if bad.any() or np.isinf(arr).any():
        i = int(np.flatnonzero(bad | np.isinf(arr))[0])
        v = ser.iloc[i]
        raise DataError(
            f"'{name}' berisi nilai yang bukan angka hingga pada indeks {labels[i]!r}: {v!r}.",
            f"'{name}' holds a value that is not a finite number at index {labels[i]!r}: {v!r}.",
            column=name,
            value=v,
            expected="angka / number",
            index=labels[i],
        )
    return arr, labels


def _pairs(pre: Any, post: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Validated pre/post arrays (complete pairs only), their labels and the count dropped."""
    a, labels = _to_float(pre, "pre")
    b, _ = _to_float(post, "post")
    if a.size != b.size:
        raise DataError(
            f"Jumlah skor pre-test ({a.size}) dan post-test ({b.size}) tidak sama; "
            "pasangan dicocokkan menurut urutan.",
            f"The number of pre-test ({a.size}) and post-test ({b.size}) scores differ; "
            "pairs are matched by position.",
            column="pre/post",
            value=(a.size, b.size),
            expected="panjang sama / equal length",
        )
    ok = ~(np.isnan(a) | np.isnan(b))
    return a[ok], b[ok], labels[ok], int(a.size - ok.sum())


def _refuse_small(n: int) -> None:
    if n < 2:
        raise DataError(
            f"Hanya {n} peserta dengan skor pre-test dan post-test lengkap; "
            "uji berpasangan memerlukan minimal 2 pasangan.",
            f"Only {n} participant(s) with complete pre-test and post-test scores; "
            "a paired test needs at least 2 pairs.",
            value=n,
            expected="n ≥ 2",
        )


def _check_scores(
    pre: np.ndarray,
    post: np.ndarray,
    maxs: np.ndarray,
    labels: np.ndarray,
    column_pre: str = "pre",
    column_post: str = "post",
    column_max: str = "max_score",
) -> None:
    """Refuse maxima ≤ 0, negative scores and scores above the maximum (first offender located)."""
    for arr, col in ((maxs, column_max),):
        bad = ~(arr > 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"Skor maksimum harus positif; indeks {labels[i]!r} berisi {arr[i]!r}.",
                f"The maximum score must be positive; index {labels[i]!r} holds {arr[i]!r}.",
                column=col,
                value=arr[i],
                expected="> 0",
                index=labels[i],
            )
    for arr, col, lab_id, lab_en in (
        (pre, column_pre, "pre-test", "pre-test"),
        (post, column_post, "post-test", "post-test"),
    ):
        bad = (arr < 0) | (arr > maxs)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"Skor {lab_id} di luar rentang 0–{maxs[i]:g} pada indeks {labels[i]!r}: {arr[i]:g}.",
                f"{lab_en.capitalize()} score outside 0–{maxs[i]:g} at index {labels[i]!r}: {arr[i]:g}.",
                column=col,
                value=arr[i],
                expected=f"0 ≤ skor ≤ {maxs[i]:g}",
                index=labels[i],
            )


# --------------------------------------------------------------------------------------------
# Pure kernels
# --------------------------------------------------------------------------------------------
def hedges_j(df: np.ndarray | float) -> np.ndarray:
    """Exact small-sample correction factor of Hedges (1981).

    Notes
    -----
    :math:`J(\\nu) = \\Gamma(\\nu/2) / (\\sqrt{\\nu/2}\\,\\Gamma((\\nu-1)/2))`, computed on the log
    scale. ``NaN`` for :math:`\\nu < 2` (where J is 0 or undefined and a corrected effect would be
    meaningless). ``J ≈ 1 − 3/(4ν − 1)``.

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and related
    estimators. *Journal of Educational Statistics*, 6(2), 107–128.
    """
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        j = np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2))
    return np.where(df >= 2, j, np.nan)


def _t_pvalue(t: np.ndarray, df: np.ndarray, alternative: str) -> np.ndarray:
    if alternative == "two-sided":
        return 2.0 * stats.t.sf(np.abs(t), df)
    if alternative == "greater":
        return stats.t.sf(t, df)
    return stats.t.cdf(t, df)


def _norm_pvalue(z: np.ndarray, alternative: str) -> np.ndarray:
    if alternative == "two-sided":
        return 2.0 * np.minimum(special.ndtr(z), special.ndtr(-z))
    if alternative == "greater":
        return special.ndtr(-z)
    return special.ndtr(z)


def _ci_tails(confidence: float, alternative: str) -> tuple[float | None, float | None]:
    """Upper-tail probabilities of the lower and upper bound (None = infinite bound)."""
    if alternative == "two-sided":
        a = (1 - confidence) / 2
        return a, a
    if alternative == "greater":
        return 1 - confidence, None
    return None, 1 - confidence


def _nct_ncp_ci(
    t: np.ndarray, df: np.ndarray, confidence: float, alternative: str
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence limits of the noncentrality parameter of a noncentral t (vectorised).

    Notes
    -----
    The lower limit λ_L solves ``P(T ≤ t | λ_L) = 1 − a_L`` and the upper λ_U solves
    ``P(T ≤ t | λ_U) = a_U`` (Steiger & Fouladi 1997), with ``a = (1 − confidence)/2`` for a
    two-sided interval and ``a = 1 − confidence`` on the one open side of a one-sided interval
    (as R effectsize). Roots are found with SciPy's elementwise bracket + Chandrupatla solver.
    """
    t = np.asarray(t, dtype=float)
    df = np.asarray(df, dtype=float)
    lo = np.full(t.shape, -np.inf)
    hi = np.full(t.shape, np.inf)
    ok = np.isfinite(t) & (df >= 1)
    a_lo, a_hi = _ci_tails(confidence, alternative)

    def f(ncp: np.ndarray, tt: np.ndarray, nu: np.ndarray, target: np.ndarray) -> np.ndarray:
        return stats.nct.cdf(tt, nu, ncp) - target

    lo[~ok] = np.nan
    hi[~ok] = np.nan
    for tail, out, target_of in ((a_lo, lo, lambda a: 1 - a), (a_hi, hi, lambda a: a)):
        if tail is None or not ok.any():
            continue
        tt, nu = t[ok], df[ok]
        target = np.full(tt.shape, target_of(tail))
        width = 1.0 + np.sqrt(1.0 + tt * tt / (2.0 * nu))
        br = _elementwise.bracket_root(f, tt - width, tt + width, args=(tt, nu, target))
        root = _elementwise.find_root(f, br.bracket, args=(tt, nu, target))
        out[ok] = np.where(br.success & root.success, root.x, np.nan)
    return lo, hi


@cache
def _signrank_cdf(n: int) -> np.ndarray:
    """P(V ≤ k), k = 0 … n(n+1)/2, of Wilcoxon's signed-rank statistic (as R ``psignrank``).

    Counts subsets of {1,…,n} by their sum with the usual recursion; exact in float64 for
    n ≤ 49 (counts < 2**53), probability-scaled recursion beyond.
    """
    total = n * (n + 1) // 2
    w = np.zeros(total + 1)
    w[0] = 1.0
    scaled = n > 49
    for k in range(1, n + 1):
        nxt = w.copy()
        nxt[k:] += w[: total + 1 - k]
        w = nxt * 0.5 if scaled else nxt
    prob = w if scaled else w / 2.0**n
    cdf = np.cumsum(prob)
    cdf.setflags(write=False)
    return cdf


def _lilliefors_pvalue(d: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Dallal–Wilkinson (1986) / Stephens (1974) p-value of the Lilliefors statistic (as nortest)."""
    d = np.asarray(d, dtype=float)
    n = np.asarray(n, dtype=float)
    kd = np.where(n <= 100, d, d * (n / 100.0) ** 0.49)
    nd = np.where(n <= 100, n, 100.0)
    p = np.exp(
        -7.01256 * kd**2 * (nd + 2.78019)
        + 2.99587 * kd * np.sqrt(nd + 2.78019)
        - 0.122119
        + 0.974598 / np.sqrt(nd)
        + 1.67997 / nd
    )
    kk = (np.sqrt(n) - 0.01 + 0.85 / np.sqrt(n)) * d
    p_hi = np.select(
        [kk <= 0.302, kk <= 0.5, kk <= 0.9, kk <= 1.31],
        [
            np.ones_like(kk),
            2.76773 - 19.828315 * kk + 80.709644 * kk**2 - 138.55152 * kk**3 + 81.218052 * kk**4,
            -4.901232 + 40.662806 * kk - 97.490286 * kk**2 + 94.029866 * kk**3 - 32.355711 * kk**4,
            6.198765 - 19.558097 * kk + 23.186922 * kk**2 - 12.234627 * kk**3 + 2.423045 * kk**4,
        ],
        default=0.0,
    )
    return np.where(p > 0.1, p_hi, p)


def _within_positions(codes_sorted: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """1-based position of each element inside its (contiguous) group."""
    return np.arange(codes_sorted.size) - starts[codes_sorted] + 1


def _tie_runs(
    codes_s: np.ndarray, vals_s: np.ndarray, pos: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Average (mid) ranks of sorted values within groups, and per-element tie-run length."""
    m = vals_s.size
    if m == 0:
        return np.empty(0), np.empty(0)
    new = np.empty(m, dtype=bool)
    new[0] = True
    new[1:] = (vals_s[1:] != vals_s[:-1]) | (codes_s[1:] != codes_s[:-1])
    run = np.cumsum(new) - 1
    first = pos[new]
    length = np.bincount(run)
    mid = first + (length - 1) / 2.0
    return mid[run], length[run].astype(float)


def _grouped_kernel(
    d: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    *,
    alternative: str,
    confidence: float,
    alpha: float,
    method: str,
    normality_max_n: int,
    zero_method: str,
    correction: bool,
    exact: bool | None,
    pre: np.ndarray,
    post: np.ndarray,
) -> dict[str, np.ndarray]:
    """All paired-test quantities for every group at once (d = post − pre, no NaN).

    Returns a dict of arrays of length ``n_groups``.
    """
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
    all_zero = constant & (mean == 0)
    # ---- paired t-test (R t.test(paired = TRUE)) ----
    dof = n - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        se = sd / np.sqrt(n)
        t = np.where(enough & ~constant, mean / se, np.nan)
    p_t = _t_pvalue(t, dof, alternative)
    a_lo, a_hi = _ci_tails(confidence, alternative)
    with np.errstate(invalid="ignore"):
        ci_low = (
            mean - stats.t.isf(a_lo, dof) * se if a_lo is not None else np.full(n_groups, -np.inf)
        )
        ci_high = (
            mean + stats.t.isf(a_hi, dof) * se if a_hi is not None else np.full(n_groups, np.inf)
        )
    ci_low = np.where(enough, ci_low, np.nan)
    ci_high = np.where(enough, ci_high, np.nan)
    # ---- normality of the differences ----
    norm_p = np.full(n_groups, np.nan)
    norm_test = np.full(n_groups, "none", dtype=object)
    testable = enough & ~constant & (n >= 3)
    use_sw = testable & (n <= normality_max_n)
    use_lf = testable & (n > normality_max_n)
    for g in np.flatnonzero(use_sw):  # Shapiro-Wilk: small groups only (Royston's swilk)
        s = starts[g]
        norm_p[g] = stats.shapiro(ds[s : s + int(n[g])]).pvalue
    norm_test[use_sw] = "shapiro_wilk"
    if use_lf.any():  # Lilliefors, vectorised over all large groups
        pos = _within_positions(c, starts)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (ds - mean[c]) / sd[c]
            pz = special.ndtr(z)
            nn = n[c]
            stat = np.maximum(pos / nn - pz, pz - (pos - 1) / nn)
        dmax = np.full(n_groups, np.nan)
        nonempty = n > 0
        dmax[nonempty] = np.maximum.reduceat(stat, starts[nonempty])
        norm_p[use_lf] = _lilliefors_pvalue(dmax[use_lf], n[use_lf])
        norm_test[use_lf] = "lilliefors"
    # ---- Wilcoxon signed-rank (R wilcox.test(paired = TRUE)) ----
    nz = ds != 0
    cz = c[nz]
    az = np.abs(ds[nz])
    o2 = np.lexsort((az, cz))
    cz, az, sz = cz[o2], az[o2], ds[nz][o2] > 0
    n_nz = np.bincount(cz, minlength=n_groups).astype(float)
    st_nz = np.concatenate(([0], np.cumsum(n_nz)[:-1])).astype(np.int64)
    rank, tlen = _tie_runs(cz, az, _within_positions(cz, st_nz))
    v_plus = np.bincount(cz, np.where(sz, rank, 0.0), minlength=n_groups)
    tie_sum = np.bincount(cz, np.where(tlen > 1, (tlen**2 - 1), 0.0), minlength=n_groups)
    # (Σ over tied elements of t²−1 equals Σ over tie groups of t³−t)
    has_ties = tie_sum > 0
    n_zero = n - n_nz
    if zero_method == "wilcox":
        n_w, v_w, ties_w = n_nz, v_plus, tie_sum
        mu = n_w * (n_w + 1) / 4
        var_w = n_w * (n_w + 1) * (2 * n_w + 1) / 24 - ties_w / 48
    else:  # Pratt (1959): rank with zeros, then drop the zeros' ranks
        codes_all = c
        absall = np.abs(ds)
        o3 = np.lexsort((absall, codes_all))
        ca, aa, pa = codes_all[o3], absall[o3], ds[o3] > 0
        ra, tla = _tie_runs(ca, aa, _within_positions(ca, starts))
        n_w = n
        v_w = np.bincount(ca, np.where(pa, ra, 0.0), minlength=n_groups)
        # zeros are not part of the tie correction (as scipy.stats.wilcoxon)
        ties_w = np.bincount(
            ca, np.where((tla > 1) & (aa != 0), tla**2 - 1, 0.0), minlength=n_groups
        )
        mu = n * (n + 1) / 4 - n_zero * (n_zero + 1) / 4
        var_w = (
            n * (n + 1) * (2 * n + 1) - n_zero * (n_zero + 1) * (2 * n_zero + 1)
        ) / 24 - ties_w / 48
    want_exact = (n_w < 50) if exact is None else np.full(n_groups, bool(exact))
    use_exact = want_exact & ~has_ties & (n_zero == 0) & (n_w >= 1) & (zero_method == "wilcox")
    with np.errstate(invalid="ignore", divide="ignore"):
        z0 = v_w - mu
        if correction:
            if alternative == "two-sided":
                cc = np.sign(z0) * 0.5
            else:
                cc = np.full(n_groups, 0.5 if alternative == "greater" else -0.5)
        else:
            cc = np.zeros(n_groups)
        zw = (z0 - cc) / np.sqrt(var_w)
    p_w = np.where(var_w > 0, _norm_pvalue(zw, alternative), np.nan)
    for m_ in np.unique(n_w[use_exact]).astype(int):
        sel = use_exact & (n_w == m_)
        cdf = _signrank_cdf(m_)
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
    p_w = np.where(enough & (n_w > 0), p_w, np.nan)
    w_method = np.where(use_exact, "exact", np.where(correction, "normal_cc", "normal"))
    # ---- effect sizes ----
    with np.errstate(invalid="ignore", divide="ignore"):
        d_z = np.where(enough & ~constant, mean / sd, np.nan)
    ncp_lo, ncp_hi = _nct_ncp_ci(t, dof, confidence, alternative)
    sqn = np.sqrt(n)
    dz_lo, dz_hi = ncp_lo / sqn, ncp_hi / sqn
    j_z = hedges_j(dof)
    with np.errstate(invalid="ignore", divide="ignore"):
        s_av = (sd_pre + sd_post) / 2
        d_av = np.where(enough & (s_av > 0), mean / s_av, np.nan)
        scale_av = sd / s_av  # d_av = d_z * sd_diff / s_av  (Algina & Keselman 2003 rescaling)
        rb_total = n_nz * (n_nz + 1) / 2
        rbs = np.where(n_nz > 0, (2 * v_plus - rb_total) / rb_total, np.nan)
        rbs_se = np.sqrt(n_nz * (n_nz + 1) * (2 * n_nz + 1) / 6) / rb_total
        zq_lo = special.ndtri(1 - a_lo) if a_lo is not None else None
        zq_hi = special.ndtri(1 - a_hi) if a_hi is not None else None
        rz = np.arctanh(rbs)
        rbs_lo = np.tanh(rz - zq_lo * rbs_se) if zq_lo is not None else np.full(n_groups, -1.0)
        rbs_hi = np.tanh(rz + zq_hi * rbs_se) if zq_hi is not None else np.full(n_groups, 1.0)
    j_av = hedges_j(2 * dof)
    # ---- choice of test ----
    reason = np.full(n_groups, 7)
    chosen_t = np.zeros(n_groups, dtype=bool)
    if method == "t":
        chosen_t[:] = True
        reason[:] = 0
    elif method == "wilcoxon":
        reason[:] = 1
    else:
        normal = norm_p >= alpha
        chosen_t = np.where(testable, normal, enough & ~constant)
        reason = np.select(
            [testable & normal, testable & ~normal, enough & ~constant & (n < 3)],
            [2, 3, 4],
            default=5,
        )
    reason = np.where(all_zero, 6, reason)
    reason = np.where(enough, reason, 7)
    if method == "auto":
        chosen_t = np.where(constant, False, chosen_t)
    return {
        "n": n,
        "n_zero": n_zero,
        "mean_diff": mean,
        "sd_diff": sd,
        "ci_low": ci_low,
        "ci_high": ci_high,
        "t": t,
        "dof": dof,
        "p_t": p_t,
        "V": v_w,
        "p_w": p_w,
        "w_method": w_method,
        "norm_test": norm_test,
        "norm_p": norm_p,
        "chosen_t": chosen_t,
        "reason": reason,
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
        "rbs": rbs,
        "rbs_lo": rbs_lo,
        "rbs_hi": rbs_hi,
        "mean_pre": mpre,
        "mean_post": mpost,
        "sd_pre": sd_pre,
        "sd_post": sd_post,
    }


def _assemble_tests(k: dict[str, np.ndarray], alpha: float) -> dict[str, Any]:
    """The public `paired_prepost` columns from kernel output (vectorised)."""
    chosen_t = k["chosen_t"]
    reason = k["reason"]
    txt_id = np.empty(reason.size, dtype=object)
    txt_en = np.empty(reason.size, dtype=object)
    for i, (code, test, p) in enumerate(zip(reason, k["norm_test"], k["norm_p"], strict=True)):
        rid, ren = _REASONS[int(code)]
        fmt = {"test": _TEST_LABEL.get(test, test), "p": p, "alpha": alpha}
        txt_id[i] = rid.format(**fmt) if code in (2, 3) else rid
        txt_en[i] = ren.format(**fmt) if code in (2, 3) else ren
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
        "method_reason": txt_id,
        "method_reason_en": txt_en,
        "p_val_t": num(k["p_t"]),
        "p_val_wilcoxon": num(k["p_w"]),
        "wilcoxon_p_method": lab(k["w_method"]),
        "n_zero": k["n_zero"].astype(np.int64),
        "normality_test": k["norm_test"],
        "normality_p": k["norm_p"],
        "effect_size": num(np.where(chosen_t, k["d_z"], k["rbs"])),
        "effect_type": lab(np.where(chosen_t, "d_z", "rank_biserial")),
        "es_ci_low": num(np.where(chosen_t, k["d_z_lo"], k["rbs_lo"])),
        "es_ci_high": num(np.where(chosen_t, k["d_z_hi"], k["rbs_hi"])),
    }


_TEST_COLUMNS = [
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
    "method_reason_en",
    "p_val_t",
    "p_val_wilcoxon",
    "wilcoxon_p_method",
    "n_zero",
    "normality_test",
    "normality_p",
    "effect_size",
    "effect_type",
    "es_ci_low",
    "es_ci_high",
]


def _validate_test_options(
    method: str, alternative: str, confidence: float, zero_method: str, exact: bool | None
) -> None:
    _check_choice(method, "method", _METHODS)
    _check_choice(alternative, "alternative", _ALTERNATIVES)
    _check_choice(zero_method, "zero_method", _ZERO_METHODS)
    _check_confidence(confidence)
    if exact not in (None, True, False):
        raise DataError(
            "Parameter 'exact' harus None, True atau False.",
            "Parameter 'exact' must be None, True or False.",
            column="exact",
            value=exact,
        )


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------
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
        ``method_reason``/``method_reason_en``, ``p_val_t`` and ``p_val_wilcoxon`` (both always),
        ``wilcoxon_p_method`` ("exact", "normal_cc", "normal"), ``n_zero`` (zero differences),
        ``normality_test`` ("shapiro_wilk", "lilliefors", "none"), ``normality_p``,
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
    (continuity). All-zero differences give NaN tests and a message in ``method_reason``;
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
    _validate_test_options(method, alternative, confidence, zero_method, exact)
    s = _settings(settings)
    a, b, _, dropped = _pairs(pre, post)
    _refuse_small(a.size)
    k = _grouped_kernel(
        b - a,
        np.zeros(a.size, dtype=np.int64),
        1,
        alternative=alternative,
        confidence=float(confidence),
        alpha=float(s["evaluation.alpha"]),
        method=method,
        normality_max_n=int(s["evaluation.normality_test_max_n"]),
        zero_method=zero_method,
        correction=bool(correction),
        exact=exact,
        pre=a,
        post=b,
    )
    cols = _assemble_tests(k, float(s["evaluation.alpha"]))
    cols["n_dropped"] = np.array([dropped], dtype=np.int64)
    return pd.DataFrame({c: cols[c] for c in _TEST_COLUMNS})


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
    _check_confidence(confidence)
    _check_choice(alternative, "alternative", _ALTERNATIVES)
    a, b, _, _ = _pairs(pre, post)
    _refuse_small(a.size)
    k = _grouped_kernel(
        b - a,
        np.zeros(a.size, dtype=np.int64),
        1,
        alternative=alternative,
        confidence=float(confidence),
        alpha=0.05,
        method="t",
        normality_max_n=0,
        zero_method="wilcox",
        correction=True,
        exact=None,
        pre=a,
        post=b,
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


def adjust_pvalues(p: Any, method: str = "holm") -> np.ndarray:
    """Multiple-comparison adjusted p-values, in the input's order (as R ``p.adjust``).

    Parameters
    ----------
    p : array-like of float
        p-values; NaN stays NaN and is not counted in the family size m.
    method : {"holm", "bonferroni", "bh", "fdr_bh", "none"}, default="holm"

    Returns
    -------
    numpy.ndarray
        Same length and order as ``p``.

    Notes
    -----
    With p sorted ascending p_(1) ≤ … ≤ p_(m):
    Holm: :math:`\\tilde p_{(i)} = \\max_{j \\le i} \\min(1, (m-j+1) p_{(j)})`.
    Bonferroni: :math:`\\min(1, m p)`.
    Benjamini–Hochberg: :math:`\\tilde p_{(i)} = \\min_{j \\ge i} \\min(1, m p_{(j)}/j)`.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scand. J. Stat.*
    6, 65–70. Benjamini, Y. & Hochberg, Y. (1995). *J. R. Stat. Soc. B* 57, 289–300.
    R Core Team, ``stats::p.adjust``.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.02, 0.03, 0.04, 0.05]).round(2).tolist()
    [0.05, 0.08, 0.09, 0.09, 0.09]
    """
    _check_choice(method, "method", ("holm", "bonferroni", "bh", "fdr_bh", "none"))
    arr, labels = _to_float(p, "p")
    bad = ~np.isnan(arr) & ((arr < 0) | (arr > 1))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"Nilai p harus di antara 0 dan 1; indeks {labels[i]!r} berisi {arr[i]!r}.",
            f"p-values must lie between 0 and 1; index {labels[i]!r} holds {arr[i]!r}.",
            column="p",
            value=arr[i],
            expected="0 ≤ p ≤ 1",
            index=labels[i],
        )
    return _adjust_kernel(arr, method)


def _adjust_kernel(arr: np.ndarray, method: str) -> np.ndarray:
    out = np.full(arr.shape, np.nan)
    ok = ~np.isnan(arr)
    q = arr[ok]
    m = q.size
    if m == 0:
        return out
    if method == "none":
        adj = q
    elif method == "bonferroni":
        adj = np.minimum(1.0, m * q)
    elif method == "holm":
        o = np.argsort(q, kind="stable")
        adj_sorted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * q[o]))
        adj = np.empty(m)
        adj[o] = adj_sorted
    else:  # Benjamini-Hochberg
        o = np.argsort(-q, kind="stable")
        i = np.arange(m, 0, -1)
        adj_sorted = np.minimum(1.0, np.minimum.accumulate(m / i * q[o]))
        adj = np.empty(m)
        adj[o] = adj_sorted
    out[ok] = adj
    return out


_EDGE_TOL = 1e-12


def _band_labels(values: np.ndarray, settings: Settings) -> dict[str, np.ndarray]:
    hake = settings["ngain.hake_bands"]
    eff = settings["ngain.effectiveness_bands"]
    g = values
    pct = g * 100.0
    nan = np.isnan(g)
    # Half-open bands [edge, next). A gain that equals an edge up to floating-point error
    # (e.g. 42/60 computed via percentages) belongs to the upper band: compare with _EDGE_TOL.
    ge = lambda v, edge: v >= edge - _EDGE_TOL * max(1.0, abs(edge))  # noqa: E731
    hi_, me_ = ge(g, hake["high"]), ge(g, hake["medium"])
    hake_en = np.select([hi_, me_], ["high", "medium"], "low")
    hake_id = np.select([hi_, me_], ["tinggi", "sedang"], "rendah")
    effect = np.select(
        [ge(pct, eff["efektif"]), ge(pct, eff["cukup_efektif"]), ge(pct, eff["kurang_efektif"])],
        ["efektif", "cukup efektif", "kurang efektif"],
        "tidak efektif",
    )
    to_obj = lambda a: np.where(nan, None, a.astype(object))  # noqa: E731
    return {
        "hake_category": to_obj(hake_en),
        "hake_category_id": to_obj(hake_id),
        "ngain_pct": pct,
        "effectiveness": to_obj(effect),
    }


def _ngain_kernel(
    pre: np.ndarray,
    post: np.ndarray,
    maxs: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    feeds: str,
    settings: Settings,
) -> dict[str, np.ndarray]:
    n = np.bincount(codes, minlength=n_groups).astype(float)
    pre_pct = pre / maxs * 100.0
    post_pct = post / maxs * 100.0
    at_max = pre >= maxs
    with np.errstate(invalid="ignore", divide="ignore"):
        mpre = np.bincount(codes, pre_pct, minlength=n_groups) / n
        mpost = np.bincount(codes, post_pct, minlength=n_groups) / n
        g_class = np.where(mpre < 100.0, (mpost - mpre) / (100.0 - mpre), np.nan)
        gi = np.where(at_max, 0.0, (post - pre) / np.where(at_max, 1.0, maxs - pre))
        n_inc = np.bincount(codes, ~at_max, minlength=n_groups).astype(float)
        g_ind = np.where(n_inc > 0, np.bincount(codes, gi, minlength=n_groups) / n_inc, np.nan)
    fed = g_class if feeds == "class" else g_ind
    out = {
        "n_excluded": (n - n_inc).astype(np.int64),
        "pre_mean_pct": mpre,
        "post_mean_pct": mpost,
        "g_class": g_class,
        "g_individual_mean": g_ind,
    }
    out.update(_band_labels(fed, settings))
    out["effectiveness_feeds"] = np.full(n_groups, feeds, dtype=object)
    return out


_NGAIN_COLUMNS = [
    "n",
    "n_excluded",
    "pre_mean_pct",
    "post_mean_pct",
    "g_class",
    "g_individual_mean",
    "hake_category",
    "hake_category_id",
    "ngain_pct",
    "effectiveness",
    "effectiveness_feeds",
]


def _max_array(
    max_score: Any, size: int, labels: np.ndarray, name: str = "max_score"
) -> np.ndarray:
    if np.ndim(max_score) == 0:
        try:
            value = float(max_score)
        except (TypeError, ValueError):
            raise DataError(
                f"Skor maksimum bukan angka: {max_score!r}.",
                f"The maximum score is not a number: {max_score!r}.",
                column=name,
                value=max_score,
            ) from None
        return np.full(size, value)
    arr, _ = _to_float(max_score, name)
    if arr.size != size:
        raise DataError(
            f"Panjang '{name}' ({arr.size}) tidak sama dengan jumlah peserta ({size}).",
            f"Length of '{name}' ({arr.size}) differs from the number of participants ({size}).",
            column=name,
            value=arr.size,
            expected=str(size),
        )
    return arr


def normalized_gain(
    pre: Any, post: Any, max_score: Any, *, settings: Settings | None = None
) -> pd.DataFrame:
    """Hake's normalized gain of a class, with Hake and Indonesian effectiveness categories.

    Parameters
    ----------
    pre, post : array-like or Series
        Scores paired by position; incomplete pairs (a missing pre, post or maximum) dropped.
    max_score : float or array-like
        Maximum possible score, one for all or one per participant.
    settings : Settings, optional
        ``ngain.hake_bands``, ``ngain.effectiveness_bands``, ``ngain.effectiveness_feeds``.

    Returns
    -------
    pandas.DataFrame
        One row: ``n``, ``n_excluded`` (pre at the maximum: individual g undefined),
        ``pre_mean_pct``, ``post_mean_pct``, ``g_class``, ``g_individual_mean``,
        ``hake_category`` (high/medium/low), ``hake_category_id`` (tinggi/sedang/rendah),
        ``ngain_pct`` (fed gain × 100), ``effectiveness`` (tidak/kurang/cukup efektif, efektif),
        ``effectiveness_feeds`` ("class" or "individual": which gain fed both categories).

    Raises
    ------
    DataError
        Negative score, score above the maximum, maximum ≤ 0 (the first offending index is
        named), unequal lengths, fewer than 1 complete pair.

    Notes
    -----
    Class gain (Hake 1998): :math:`\\langle g\\rangle = (\\%post − \\%pre)/(100 − \\%pre)` on the
    class means of the percentage scores. Individual gain
    :math:`g_i = (post_i − pre_i)/(max_i − pre_i)`, averaged over participants with
    pre < max. Bands are half-open: high g ≥ 0.7, medium 0.3 ≤ g < 0.7, low g < 0.3; N-Gain %
    < 40 tidak efektif, 40 ≤ · < 56 kurang efektif, 56 ≤ · < 76 cukup efektif, ≥ 76 efektif
    (the 55–56 and 75–76 gaps of the Indonesian tables closed from below). Negative gains are
    kept (low / tidak efektif).

    References
    ----------
    Hake, R. R. (1998). Interactive-engagement versus traditional methods. *Am. J. Phys.* 66, 64–74.
    Hake, R. R. (1999). Analyzing change/gain scores. AERA-D (for the effectiveness bands as
    cited in Indonesian practice).

    Examples
    --------
    >>> r = normalized_gain([40, 60], [70, 80], 100)
    >>> round(float(r["g_class"].iloc[0]), 4)
    0.5
    """
    s = _settings(settings)
    a, la = _to_float(pre, "pre")
    b, _ = _to_float(post, "post")
    if a.size != b.size:
        _pairs(pre, post)
    m = _max_array(max_score, a.size, la)
    ok = ~(np.isnan(a) | np.isnan(b) | np.isnan(m))
    a, b, m, la = a[ok], b[ok], m[ok], la[ok]
    _check_scores(a, b, m, la)
    if a.size < 1:
        _refuse_small(0)
    k = _ngain_kernel(
        a, b, m, np.zeros(a.size, dtype=np.int64), 1, str(s["ngain.effectiveness_feeds"]), s
    )
    k["n"] = np.array([a.size], dtype=np.int64)
    return pd.DataFrame({c: k[c] for c in _NGAIN_COLUMNS})


def reliable_change_index(
    pre: Any,
    post: Any,
    *,
    reliability: float,
    sd_pre: float | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Jacobson–Truax reliable change index per participant.

    Parameters
    ----------
    pre, post : array-like or Series
        Paired by position. Rows with a missing score get NaN (they are not dropped, so the
        result lines up with the input).
    reliability : float
        Test–retest (or internal-consistency) reliability r_xx of the instrument, 0 ≤ r < 1.
    sd_pre : float, optional
        Standard deviation of the pre-test (norm group); default: sample SD of ``pre`` (ddof=1).
    confidence : float, default=0.95
        Two-sided level of the criterion (1.96 at 0.95).

    Returns
    -------
    pandas.DataFrame
        ``rci``, ``reliable_improvement`` (rci > z), ``reliable_decline`` (rci < −z), indexed
        like ``pre``.

    Notes
    -----
    :math:`SE = s_1\\sqrt{1-r_{xx}}`, :math:`S_{diff} = \\sqrt{2 SE^2}`,
    :math:`RCI = (x_2 - x_1)/S_{diff}`.

    References
    ----------
    Jacobson, N. S. & Truax, P. (1991). Clinical significance: a statistical approach to defining
    meaningful change in psychotherapy research. *J. Consult. Clin. Psychol.* 59, 12–19.
    """
    _check_confidence(confidence)
    a, la = _to_float(pre, "pre")
    b, _ = _to_float(post, "post")
    if a.size != b.size:
        _pairs(pre, post)
    if not (isinstance(reliability, (int, float)) and 0 <= reliability < 1):
        raise DataError(
            f"Reliabilitas harus 0 ≤ r < 1, bukan {reliability!r}.",
            f"Reliability must satisfy 0 ≤ r < 1, not {reliability!r}.",
            column="reliability",
            value=reliability,
            expected="0 ≤ r < 1",
        )
    s1 = float(np.nanstd(a, ddof=1)) if sd_pre is None else float(sd_pre)
    if not (np.isfinite(s1) and s1 > 0):
        raise DataError(
            "Simpangan baku pre-test harus positif.",
            "The pre-test standard deviation must be positive.",
            column="sd_pre",
            value=s1,
            expected="> 0",
        )
    s_diff = np.sqrt(2.0 * (s1 * np.sqrt(1.0 - reliability)) ** 2)
    rci = (b - a) / s_diff
    z = special.ndtri(1 - (1 - confidence) / 2)
    index = pre.index if isinstance(pre, pd.Series) else None
    return pd.DataFrame(
        {"rci": rci, "reliable_improvement": rci > z, "reliable_decline": rci < -z}, index=index
    )


def cronbach_alpha(items: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame:
    """Cronbach's alpha of a wide item table (rows = respondents), with Feldt's interval.

    Parameters
    ----------
    items : pandas.DataFrame
        One column per item, numeric. Rows with any missing item are dropped (listwise; counted
        in ``n_dropped``).
    confidence : float, default=0.95

    Returns
    -------
    pandas.DataFrame
        One row: ``n``, ``n_dropped``, ``k`` (items), ``alpha``, ``ci_low``, ``ci_high``,
        ``ci_method``.

    Notes
    -----
    :math:`\\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum s_i^2}{s_X^2}\\right)`. Feldt (1965):
    :math:`1-\\alpha` follows :math:`(1-\\alpha_{pop})F(n-1, (n-1)(k-1))`, so the limits are
    :math:`1-(1-\\alpha)F_{a/2}` and :math:`1-(1-\\alpha)F_{1-a/2}` (upper-tail quantiles), as
    ``pingouin.cronbach_alpha`` (which rounds its CI to 3 decimals; this does not).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16, 297–334. Feldt, L. S. (1965). The approximate sampling distribution of
    Kuder-Richardson reliability coefficient twenty. *Psychometrika* 30, 357–370.
    """
    _check_confidence(confidence)
    if not isinstance(items, pd.DataFrame):
        raise DataError(
            "Butir harus berupa tabel (DataFrame), satu kolom per butir.",
            "Items must be a table (DataFrame), one column per item.",
        )
    for col in items.columns:
        if not pd.api.types.is_numeric_dtype(items[col]):
            raise DataError(
                f"Kolom butir '{col}' bukan angka.",
                f"Item column '{col}' is not numeric.",
                column=str(col),
            )
    x = items.to_numpy(dtype=float, na_value=np.nan)
    complete = ~np.isnan(x).any(axis=1)
    x = x[complete]
    n, k = x.shape
    if k < 2 or n < 2:
        raise DataError(
            f"Alpha Cronbach memerlukan ≥ 2 butir dan ≥ 2 responden lengkap (ada {k} butir, {n} responden).",
            f"Cronbach's alpha needs ≥ 2 items and ≥ 2 complete respondents (got {k} items, {n} respondents).",
            value=(n, k),
            expected="n ≥ 2, k ≥ 2",
        )
    alpha_ = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    a = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lo = 1 - (1 - alpha_) * stats.f.isf(a / 2, df1, df2)
    hi = 1 - (1 - alpha_) * stats.f.isf(1 - a / 2, df1, df2)
    return pd.DataFrame(
        [
            {
                "n": n,
                "n_dropped": int((~complete).sum()),
                "k": k,
                "alpha": alpha_,
                "ci_low": lo,
                "ci_high": hi,
                "ci_method": "Feldt 1965 (F)",
            }
        ]
    )


def _power_kernel(ncp: float, df: float, alpha: float, alternative: str, strict: bool) -> float:
    if alternative == "two-sided":
        q = stats.t.isf(alpha / 2, df)
        p = stats.nct.sf(q, df, ncp)
        if not strict:
            return float(p)
        # The lower tail is negligible for a positive ncp, and scipy's nct.cdf returns NaN far
        # out in it; a NaN there would stop the root finder, so it counts as 0.
        lower = stats.nct.cdf(-q, df, ncp)
        return float(p + (0.0 if not np.isfinite(lower) else lower))
    q = stats.t.isf(alpha, df)
    if alternative == "greater":
        return float(stats.nct.sf(q, df, ncp))
    return float(stats.nct.cdf(-q, df, ncp))


def _check_power_args(n: Any, alpha: float, alternative: str) -> None:
    _check_choice(alternative, "alternative", _ALTERNATIVES)
    if not (isinstance(n, (int, np.integer, float)) and n >= 2):
        raise DataError(
            f"Jumlah pasangan harus ≥ 2, bukan {n!r}.",
            f"The number of pairs must be ≥ 2, not {n!r}.",
            column="n",
            value=n,
        )
    if not (0 < alpha < 1):
        raise DataError(
            f"α harus di antara 0 dan 1, bukan {alpha!r}.",
            f"α must lie between 0 and 1, not {alpha!r}.",
            column="alpha",
            value=alpha,
        )


def power_paired_t(
    d: float,
    n: int,
    *,
    alpha: float = 0.05,
    alternative: Alternative = "two-sided",
    strict: bool = True,
) -> float:
    """Power of the paired t-test for a standardised change d_z with n pairs.

    Notes
    -----
    Noncentral t with λ = d_z √n and n − 1 df; two-sided power
    :math:`P(T > t_{1-α/2}) + P(T < −t_{1-α/2})`. ``strict=False`` drops the second term, as
    R ``power.t.test`` does by default (the difference is negligible unless d ≈ 0).
    ``alternative="greater"`` expects d > 0 (improvement).

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    R Core Team, ``stats::power.t.test(type = "paired")``.
    """
    _check_power_args(n, alpha, alternative)
    return _power_kernel(float(d) * np.sqrt(n), n - 1.0, alpha, alternative, strict)


def min_detectable_effect(
    n: int,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    alternative: Alternative = "two-sided",
    strict: bool = True,
) -> float:
    """Smallest |d_z| a paired t-test with n pairs detects with the given power.

    Notes
    -----
    Solves ``power_paired_t(d, n) = power`` for d by Brent's method. Returned positive for
    "two-sided" and "greater", negative for "less".

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences*, 2nd ed.
    """
    _check_power_args(n, alpha, alternative)
    if not (0 < power < 1):
        raise DataError(
            f"Daya uji harus di antara 0 dan 1, bukan {power!r}.",
            f"Power must lie between 0 and 1, not {power!r}.",
            column="power",
            value=power,
        )
    sign = -1.0 if alternative == "less" else 1.0
    floor = _power_kernel(0.0, n - 1.0, alpha, alternative, strict)
    if power <= floor:
        return 0.0

    def gap(d: float) -> float:
        return _power_kernel(sign * d * np.sqrt(n), n - 1.0, alpha, alternative, strict) - power

    hi = 1.0
    while gap(hi) < 0:
        hi *= 2.0
    return sign * brentq(gap, 0.0, hi, xtol=1e-12, rtol=1e-12)


def ceiling_warning(pre: Any, max_score: Any, *, settings: Settings | None = None) -> str | None:
    """Warn when the pre-test mean is already near the maximum (ceiling effect).

    Returns
    -------
    str or None
        A bilingual message (Indonesian | English) when the mean of pre/max × 100 is
        ≥ ``evaluation.ceiling_warning_pct``; otherwise None (so it can be used as a bool).

    Notes
    -----
    Near the ceiling a gain cannot show and N-Gain becomes unstable (denominator 100 − %pre).

    References
    ----------
    Pawl, A., Barrantes, A. & Pritchard, D. E. What can normalized gain reveal? (PERC 2011).
    """
    s = _settings(settings)
    a, la = _to_float(pre, "pre")
    m = _max_array(max_score, a.size, la)
    ok = ~(np.isnan(a) | np.isnan(m))
    if not ok.any():
        return None
    _check_scores(a[ok], a[ok], m[ok], la[ok])
    pct = float(np.mean(a[ok] / m[ok] * 100.0))
    limit = float(s["evaluation.ceiling_warning_pct"])
    if pct >= limit:
        return (
            f"Rata-rata pre-test {pct:.1f} % dari maksimum (≥ {limit:g} %): kemungkinan efek "
            "plafon; kenaikan dan N-Gain sulit ditafsirkan. | "
            f"Mean pre-test is {pct:.1f} % of the maximum (≥ {limit:g} %): likely ceiling "
            "effect; gains and N-Gain are hard to interpret."
        )
    return None


def lilliefors_test(x: Any) -> tuple[float, float]:
    """Lilliefors (Kolmogorov–Smirnov) normality test, as R ``nortest::lillie.test``.

    Returns
    -------
    (D, p_value)

    Notes
    -----
    :math:`D = \\max(D^+, D^-)` with :math:`p_{(i)} = \\Phi((x_{(i)}-\\bar x)/s)`; p-value from the
    Dallal–Wilkinson (1986) formula, and from Stephens' (1974) modified statistic
    :math:`Z = D(\\sqrt n - 0.01 + 0.85/\\sqrt n)` when that p exceeds 0.1. ``scipy.stats``
    has no Lilliefors p-value; ``scipy.stats.goodness_of_fit`` gives a Monte-Carlo one (used in
    the tests as a cross-check).

    References
    ----------
    Lilliefors, H. W. (1967). *JASA* 62, 399–402. Dallal, G. E. & Wilkinson, L. (1986).
    *Am. Stat.* 40, 294–296. Stephens, M. A. (1974). *JASA* 69, 730–737.
    Gross, J. & Ligges, U. (2015). nortest: Tests for Normality. R package.
    """
    arr, _ = _to_float(x, "x")
    arr = np.sort(arr[~np.isnan(arr)])
    n = arr.size
    if n < 5:
        raise DataError(
            "Uji Lilliefors memerlukan lebih dari 4 nilai.",
            "The Lilliefors test needs more than 4 values.",
            value=n,
            expected="n > 4",
        )
    p = special.ndtr((arr - arr.mean()) / arr.std(ddof=1))
    i = np.arange(1, n + 1)
    d = float(max(np.max(i / n - p), np.max(p - (i - 1) / n)))
    return d, float(_lilliefors_pvalue(np.array([d]), np.array([float(n)]))[0])


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
        (bool), ``p_adj``, ``p_adjust_method`` and ``p_adjust_family``. A group with fewer
        than 2 complete pairs gets NaN tests, a reason, and is left out of the family.

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
    _validate_test_options(method, alternative, confidence, zero_method, exact)
    s = _settings(settings)
    if p_adjust is None:
        p_adjust = str(s["evaluation.p_adjust"])
    _check_choice(p_adjust, "p_adjust", ("holm", "bonferroni", "bh", "fdr_bh", "none"))
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
    a, labels = _to_float(df[pre], pre)
    b, _ = _to_float(df[post], post)
    if max_score is None:
        m = None
    elif isinstance(max_score, str):
        m, _ = _to_float(df[max_score], max_score)
    else:
        m = _max_array(max_score, a.size, labels)
    ok = ~(np.isnan(a) | np.isnan(b))
    codes_all, uniques = pd.factorize(gcol, sort=True)
    n_groups = len(uniques)
    dropped = np.bincount(codes_all[~ok], minlength=n_groups).astype(np.int64)
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
        _check_scores(a, b, m, labels, pre, post, str(max_score))
    alpha = float(s["evaluation.alpha"])
    k = _grouped_kernel(
        b - a,
        codes,
        n_groups,
        alternative=alternative,
        confidence=float(confidence),
        alpha=alpha,
        method=method,
        normality_max_n=int(s["evaluation.normality_test_max_n"]),
        zero_method=zero_method,
        correction=bool(correction),
        exact=exact,
        pre=a,
        post=b,
    )
    cols: dict[str, Any] = {group: np.asarray(uniques)}
    tests = _assemble_tests(k, alpha)
    tests["n_dropped"] = dropped
    cols.update({c: tests[c] for c in _TEST_COLUMNS})
    cols.update({"g_z": k["g_z"], "g_z_ci_low": k["g_z_lo"], "g_z_ci_high": k["g_z_hi"]})
    if m is not None:
        ng = _ngain_kernel(a, b, m, codes, n_groups, str(s["ngain.effectiveness_feeds"]), s)
        cols.update({c: ng[c] for c in _NGAIN_COLUMNS if c != "n"})
        cols["ceiling_warning"] = ng["pre_mean_pct"] >= float(s["evaluation.ceiling_warning_pct"])
    adj_method = p_adjust
    cols["p_adj"] = _adjust_kernel(np.asarray(tests["p_val"], dtype=float), adj_method)
    cols["p_adjust_method"] = np.full(n_groups, adj_method, dtype=object)
    m_family = int(np.sum(~np.isnan(tests["p_val"])))
    cols["p_adjust_family"] = np.full(
        n_groups,
        f"semua {m_family} kelompok '{group}' dengan nilai p dalam panggilan ini "
        f"| all {m_family} '{group}' groups with a p-value in this call",
        dtype=object,
    )
    return pd.DataFrame(cols)
