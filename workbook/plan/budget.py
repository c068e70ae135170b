"""Programmes within the budget: the exact 0/1 knapsack (HiGHS), the greedy value-per-Rupiah
rule, and by Monte Carlo over the criterion weights the probability that each programme is
funded.

Kernels (``_greedy_kernel``, ``_knapsack_milp``, ``_draw_weights``, ``_mc_scores``) work on
numpy arrays; the public functions validate their input and return a tidy
:class:`pandas.DataFrame` in the input's row order and index. Compute code never rounds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from workbook.core.checks import parse_numbers
from workbook.core.exceptions import DataError, InfeasibleError
from workbook.plan.mcda import (
    _as_benefit,
    _as_matrix,
    _as_weights,
    _check_saw_input,
    _saw_normalise,
    _topsis_normalise,
)

__all__ = ["greedy_within_budget", "select_within_budget", "funding_probability"]

_DEFAULT_CONCENTRATION = 50.0
_MC_BLOCK = 2048


# --------------------------------------------------------------------------------------------
# Budget selection
# --------------------------------------------------------------------------------------------


def _check_candidates(
    candidates: pd.DataFrame, budget: float, cost: str, value: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    if not isinstance(candidates, pd.DataFrame):
        raise DataError("candidates harus berupa DataFrame.", "candidates must be a DataFrame.")
    for col in (cost, value):
        if col not in candidates.columns:
            raise DataError(
                f"Kolom '{col}' tidak ada pada daftar kandidat.",
                f"Column '{col}' is missing from the candidates.",
                column=col,
            )
    arrays = {}
    for col, what_id, what_en in ((cost, "biaya", "cost"), (value, "nilai", "value")):
        num = parse_numbers(candidates[col])[0].to_numpy()
        bad = np.isnan(num) | (num < 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise DataError(
                f"{what_id.capitalize()} harus angka ≥ 0; kandidat '{candidates.index[i]}', "
                f"kolom '{col}' bernilai {candidates[col].iloc[i]!r}.",
                f"{what_en.capitalize()} must be a number ≥ 0; candidate "
                f"'{candidates.index[i]}', column '{col}' is {candidates[col].iloc[i]!r}.",
                column=col,
                value=candidates[col].iloc[i],
                expected="≥ 0",
                label=candidates.index[i],
            )
        arrays[col] = num
    if "required" in candidates.columns:
        req_raw = candidates["required"]
        if pd.api.types.is_bool_dtype(req_raw):
            req = req_raw.to_numpy(dtype=bool)
        else:
            num = pd.to_numeric(req_raw, errors="coerce")
            if num.isna().any() or not num.isin([0, 1]).all():
                raise DataError(
                    "Kolom 'required' harus berisi True/False (atau 1/0).",
                    "Column 'required' must contain True/False (or 1/0).",
                    column="required",
                )
            req = num.to_numpy(dtype=float) == 1
    else:
        req = np.zeros(len(candidates), dtype=bool)
    try:
        budget = float(budget)
    except (TypeError, ValueError):
        raise DataError(
            f"Anggaran tidak sah: {budget!r}.", f"Invalid budget: {budget!r}."
        ) from None
    if not math.isfinite(budget) or budget < 0:
        raise DataError(
            f"Anggaran harus angka ≥ 0, bukan {budget!r}.",
            f"The budget must be a number ≥ 0, not {budget!r}.",
            value=budget,
        )
    c, v = arrays[cost], arrays[value]
    need = float(c[req].sum())
    if need > budget:
        raise InfeasibleError(
            f"Program wajib membutuhkan Rp {need:,.0f}, melebihi anggaran Rp {budget:,.0f}.",
            f"The required programmes cost Rp {need:,.0f}, more than the budget Rp {budget:,.0f}.",
            value=need,
            expected=f"≤ {budget:,.0f}",
        )
    return c, v, req, budget


def _greedy_kernel(
    values: np.ndarray, costs: np.ndarray, budget: float, required: np.ndarray | None = None
) -> np.ndarray:
    """Greedy value-per-Rupiah selection, vectorised over rows of ``values``.

    ``values`` is (d, n) (one row per scenario, e.g. Monte Carlo draw); ``costs`` (n,).
    Returns a (d, n) boolean selection. Order: required first, then value/cost descending
    (cost 0 → +inf, always taken), ties by value descending then input order; an item is taken
    if it still fits; items with value 0 and cost > 0 are never taken.
    """
    V = np.atleast_2d(np.asarray(values, dtype=float))
    d, n = V.shape
    c = np.asarray(costs, dtype=float)
    req = np.zeros(n, dtype=bool) if required is None else np.asarray(required, dtype=bool)
    free = c == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(free[None, :], np.inf, V / np.where(free, 1.0, c)[None, :])
    ratio = np.where(req[None, :], np.inf, ratio)
    eligible = free[None, :] | req[None, :] | (V > 0)
    idx = np.broadcast_to(np.arange(n), (d, n))
    # lexsort: last key primary → ratio desc, then value desc, then input order
    order = np.lexsort((idx, -V, -ratio), axis=-1)
    rows = np.arange(d)[:, None]
    c_sorted = c[order]
    elig_sorted = eligible[rows, order]
    remaining = np.full(d, float(budget))
    taken = np.zeros((d, n), dtype=bool)
    for p in range(n):  # loop over positions, vectorised over all scenarios
        fits = elig_sorted[:, p] & (c_sorted[:, p] <= remaining)
        taken[:, p] = fits
        remaining -= np.where(fits, c_sorted[:, p], 0.0)
    selected = np.zeros((d, n), dtype=bool)
    selected[rows, order] = taken
    return selected


def greedy_within_budget(
    candidates: pd.DataFrame, budget: float, *, cost: str = "cost", value: str = "value"
) -> pd.DataFrame:
    """Greedy selection by value per Rupiah under a budget (explainable, not always optimal).

    Parameters
    ----------
    candidates : DataFrame
        One row per programme with a cost column (Rupiah, ≥ 0) and a value column (≥ 0, e.g. a
        SAW/TOPSIS/USG score), and optionally a boolean ``required`` column.
    budget : float
        Available budget in Rupiah (≥ 0).
    cost, value : str
        Column names.

    Returns
    -------
    DataFrame
        Copy of ``candidates`` in input order with a boolean ``selected`` column.

    Raises
    ------
    DataError
        Missing columns, negative or missing cost/value, negative budget.
    InfeasibleError
        Required programmes cost more than the budget.

    Notes
    -----
    Required programmes are taken first. The others are sorted by :math:`v_k / c_k`
    (descending); a programme is taken if it still fits in the remaining budget, otherwise it is
    skipped and the next one is tried. Zero-cost programmes have :math:`v/c = +\\infty`: they are
    always affordable and always taken. Programmes with value 0 and positive cost are never
    taken. Ties in :math:`v/c` are broken by larger value, then input order (konvensi, tidak
    bersumber).

    References
    ----------
    .. [1] Dantzig, G. B. (1957). Discrete-variable extremum problems. *Operations Research*,
       5(2), 266–288 (the value-per-weight ordering).
    """
    c, v, req, budget = _check_candidates(candidates, budget, cost, value)
    sel = _greedy_kernel(v[None, :], c, budget, req)[0]
    out = candidates.copy()
    out["selected"] = sel
    return out


def _knapsack_milp(v: np.ndarray, c: np.ndarray, budget: float, fixed_in: np.ndarray) -> np.ndarray:
    """Exact 0/1 knapsack with HiGHS: max v·x s.t. c·x ≤ B; then the cheapest optimal set."""
    n = len(v)
    if n == 0:
        return np.zeros(0, dtype=bool)
    # Costs stay in Rupiah: HiGHS's feasibility tolerance (1e-7, absolute) is then far below
    # one Rupiah, so no cheap programme can hide inside the tolerance. Values are scaled to a
    # maximum of 1e6 so that HiGHS's absolute gap (1e-6) is negligible (1e-12 relative).
    scale_v = float(v.max()) / 1e6 if v.max() > 0 else 1.0
    cs, bs, vs = c, float(budget), v / scale_v
    lb = fixed_in.astype(float)
    ub = np.where(c > budget, 0.0, 1.0)
    ub = np.maximum(ub, lb)
    opts = {"mip_rel_gap": 0.0, "presolve": True}

    def solve(obj: np.ndarray, cons: list) -> np.ndarray:
        res = milp(
            obj, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons, options=opts
        )
        if res.x is None:  # pragma: no cover - feasibility is checked before
            raise InfeasibleError(
                f"Pemecah MILP gagal: {res.message}", f"The MILP solver failed: {res.message}"
            )
        return np.round(res.x).astype(bool)

    budget_con = LinearConstraint(cs[None, :], -np.inf, bs)
    x1 = solve(-vs, [budget_con])
    best = float(v[x1].sum())
    # second stage: among maximum-value selections, the cheapest
    tol = 1e-9 * max(1.0, best / scale_v)  # in scaled units
    value_con = LinearConstraint(vs[None, :], best / scale_v - tol, np.inf)
    x2 = solve(cs, [budget_con, value_con])
    x = x2 if float(v[x2].sum()) >= best - 1e-9 * max(1.0, best) else x1
    # exact feasibility check in original units (guards against solver tolerances)
    if float(c[x].sum()) > budget:  # pragma: no cover - defensive
        x = x1 if float(c[x1].sum()) <= budget else x
    return x


def select_within_budget(
    candidates: pd.DataFrame, budget: float, *, cost: str = "cost", value: str = "value"
) -> pd.DataFrame:
    """Exact 0/1 knapsack: the programmes with the largest total value within the budget.

    Parameters
    ----------
    candidates : DataFrame
        One row per programme with a cost column (Rupiah, ≥ 0; large integers are fine), a
        value column (≥ 0), and optionally a boolean ``required`` column (must be selected).
    budget : float
        Available budget in Rupiah (≥ 0).
    cost, value : str
        Column names.

    Returns
    -------
    DataFrame
        Copy of ``candidates`` in input order with a boolean ``selected`` column.

    Raises
    ------
    DataError
        Missing columns, negative or missing cost/value, negative budget.
    InfeasibleError
        Required programmes cost more than the budget.

    Notes
    -----
    Solves :math:`\\max \\sum_k v_k x_k` subject to :math:`\\sum_k c_k x_k \\le B`,
    :math:`x_k \\in \\{0, 1\\}`, :math:`x_k = 1` for required programmes, with
    :func:`scipy.optimize.milp` (HiGHS branch-and-bound, ``mip_rel_gap = 0`` so the optimum is
    proven, not approximate). Zero-cost programmes are always selected (they never reduce the
    value). Ties: among selections with the maximum total value the one with the lowest total
    cost is returned (a second MILP); if several remain, HiGHS decides (deterministic for a
    given input). Costs are passed in Rupiah (no rescaling, so a cheap programme cannot hide in
    the solver's feasibility tolerance) and the budget constraint is re-checked exactly.

    References
    ----------
    .. [1] Martello, S., & Toth, P. (1990). *Knapsack Problems: Algorithms and Computer
       Implementations*. Chichester: Wiley.
    .. [2] Huangfu, Q., & Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
       *Mathematical Programming Computation*, 10, 119–142 (HiGHS).
    """
    c, v, req, budget = _check_candidates(candidates, budget, cost, value)
    fixed_in = req | (c == 0)
    sel = _knapsack_milp(v, c, budget, fixed_in)
    out = candidates.copy()
    out["selected"] = sel
    return out


# --------------------------------------------------------------------------------------------
# Monte Carlo over weights
# --------------------------------------------------------------------------------------------


def _draw_weights(
    w: np.ndarray, concentration: float, n_draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Dirichlet(κ·w) draws (mean w); criteria with w_j = 0 stay 0; κ = inf → all equal w."""
    W = np.zeros((n_draws, len(w)))
    pos = w > 0
    if math.isinf(concentration):
        W[:, pos] = w[pos]
        return W
    G = rng.standard_gamma(concentration * w[pos], size=(n_draws, int(pos.sum())))
    W[:, pos] = G / G.sum(axis=1, keepdims=True)
    return W


def _mc_scores(R: np.ndarray, W: np.ndarray, benefit: np.ndarray, method: str) -> np.ndarray:
    """Scores for many weight vectors at once: (d, m) weights → (d, n) scores."""
    if method == "saw":
        return W @ R.T
    # TOPSIS with fixed normalisation R: v = w r, and for w ≥ 0 the ideal of v_j is w_j
    # times the ideal of r_j, so D² = (w²) · (r − r*)².
    best = np.where(benefit, R.max(axis=0), R.min(axis=0))
    worst = np.where(benefit, R.min(axis=0), R.max(axis=0))
    W2 = W**2
    d_pos = np.sqrt(np.maximum(W2 @ ((R - best) ** 2).T, 0.0))
    d_neg = np.sqrt(np.maximum(W2 @ ((R - worst) ** 2).T, 0.0))
    denom = d_pos + d_neg
    return np.where(denom > 0, d_neg / np.where(denom > 0, denom, 1.0), 0.5)


def funding_probability(
    matrix: pd.DataFrame,
    weights: Sequence[float] | pd.Series,
    benefit: Sequence[bool | str] | pd.Series,
    costs: Sequence[float] | pd.Series,
    budget: float,
    *,
    method: str = "saw",
    n_draws: int = 10000,
    concentration: float = _DEFAULT_CONCENTRATION,
    random_state: int | np.random.Generator | None = None,
    normalisation: str | None = None,
) -> pd.DataFrame:
    """Probability that each programme is funded when the criterion weights are uncertain.

    Parameters
    ----------
    matrix, weights, benefit
        As for :func:`saw` / :func:`topsis` (one row per programme).
    costs : sequence or Series
        Cost of each programme in Rupiah (≥ 0; a Series is aligned with ``matrix.index``).
    budget : float
        Budget in Rupiah.
    method : {"saw", "topsis"}, default="saw"
    n_draws : int, default=10000
    concentration : float, default=50
        Dirichlet concentration κ: draws are Dirichlet(κ·w), with mean w and
        Var(w_j) = w_j(1 − w_j)/(κ + 1). ``np.inf`` uses the given weights only. The default
        is an engineering choice (sd ≈ 0.06 for w = 0.25), not a sourced value.
    random_state : int, Generator or None
        Seed for reproducibility.
    normalisation : str, optional
        Passed to the method (default ``"linear"`` for SAW, ``"vector"`` for TOPSIS).

    Returns
    -------
    DataFrame
        Index and order of ``matrix``: ``p_funded`` (share of draws in which the greedy
        value-per-Rupiah rule funds the programme), ``p_top`` (share of draws in which it has
        the highest score; ties → first in input order) and ``mean_rank`` (mean score rank,
        1 = best; ties broken by input order).

    Notes
    -----
    For each draw :math:`w^{(d)} \\sim \\mathrm{Dirichlet}(\\kappa w)` the programmes are scored
    (SAW: :math:`V = R w`; TOPSIS closeness with the same normalised matrix R) and selected with
    :func:`greedy_within_budget`'s rule with the score as value. Everything is vectorised over
    draws (blocks of 2048): one matrix product for the scores, one sort per draw done by numpy,
    and a loop over the n sorted positions that updates all draws at once. Zero-cost programmes
    are always funded. Criteria with weight 0 stay at 0.

    References
    ----------
    .. [1] Butler, J., Jia, J., & Dyer, J. (1997). Simulation techniques for the sensitivity
       analysis of multi-criteria decision models. *European Journal of Operational Research*,
       103(3), 531–546.
    """
    if method not in ("saw", "topsis"):
        raise DataError(
            f"method harus 'saw' atau 'topsis', bukan {method!r}.",
            f"method must be 'saw' or 'topsis', not {method!r}.",
        )
    n_draws = int(n_draws)
    if n_draws < 1:
        raise DataError("n_draws harus ≥ 1.", "n_draws must be ≥ 1.", value=n_draws)
    concentration = float(concentration)
    if not concentration > 0:
        raise DataError(
            "concentration harus > 0.", "concentration must be > 0.", value=concentration
        )
    matrix, X = _as_matrix(matrix)
    w = _as_weights(weights, matrix.columns)
    b = _as_benefit(benefit, matrix.columns)
    if method == "saw":
        norm = normalisation or "linear"
        _check_saw_input(matrix, X, b, norm)
        R = _saw_normalise(X, b, norm)
    else:
        norm = normalisation or "vector"
        if norm not in ("vector", "minmax"):
            raise DataError(
                f"normalisation TOPSIS tidak dikenal: {norm!r}.",
                f"Unknown TOPSIS normalisation: {norm!r}.",
            )
        R = _topsis_normalise(X, norm)
    if isinstance(costs, pd.Series) and set(costs.index) == set(matrix.index):
        cost_values = costs.reindex(matrix.index).to_numpy()
    else:
        cost_values = np.asarray(costs).ravel()
    if len(cost_values) != len(matrix):
        raise DataError(
            f"Jumlah biaya ({len(cost_values)}) tidak sama dengan jumlah program ({len(matrix)}).",
            f"Number of costs ({len(cost_values)}) differs from the number of programmes "
            f"({len(matrix)}).",
        )
    cand = pd.DataFrame({"cost": cost_values, "value": 0.0}, index=matrix.index)
    c, _, _, budget = _check_candidates(cand, budget, "cost", "value")

    rng = np.random.default_rng(random_state)
    W = _draw_weights(w, concentration, n_draws, rng)
    n = X.shape[0]
    funded = np.zeros(n)
    top = np.zeros(n)
    rank_sum = np.zeros(n)
    ranks_template = np.arange(1, n + 1, dtype=float)
    for start in range(0, n_draws, _MC_BLOCK):
        Wb = W[start : start + _MC_BLOCK]
        S = _mc_scores(R, Wb, b, method)
        d = S.shape[0]
        funded += _greedy_kernel(S, c, budget).sum(axis=0)
        order = np.argsort(-S, axis=1, kind="stable")
        top += np.bincount(order[:, 0], minlength=n)
        ranks = np.empty_like(S)
        ranks[np.arange(d)[:, None], order] = ranks_template
        rank_sum += ranks.sum(axis=0)
    return pd.DataFrame(
        {"p_funded": funded / n_draws, "p_top": top / n_draws, "mean_rank": rank_sum / n_draws},
        index=matrix.index,
    )
