"""Programme prioritisation: USG, SAW, AHP, TOPSIS, agreement between methods, weight
sensitivity and budget-constrained selection ("sistem pendukung keputusan").

Each method has a pure numeric kernel (``_saw``, ``_topsis``, ``_ahp_eigen``, ``_greedy_kernel``...)
working on numpy arrays, and a public function that validates its input, calls the kernel and
builds a tidy :class:`pandas.DataFrame` in the input's row order and index. Compute code never
rounds; the reporting layer formats numbers.

Conventions that are *not* taken from a source are marked "(konvensi, tidak bersumber)" in the
docstrings and in ``docs/methods/priorities.md``.

>>> import pandas as pd
>>> usg(pd.DataFrame({"U": [4, 5, 3], "S": [5, 5, 4], "G": [4, 4, 3]}))["rank"].tolist()
[2, 1, 3]
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import Bounds, LinearConstraint, milp

from workbook.core.exceptions import (
    DataError,
    InconsistentJudgementsError,
    InfeasibleError,
    SettingsError,
)
from workbook.core.settings import Settings, load_settings

__all__ = [
    "AHPResult",
    "usg",
    "saw",
    "topsis",
    "ahp",
    "method_agreement",
    "weight_sensitivity",
    "funding_probability",
    "greedy_within_budget",
    "select_within_budget",
]

_SAATY_MIN = 1.0 / 9.0
_SAATY_MAX = 9.0
_SAATY_SCALE = np.array([1 / k for k in range(9, 1, -1)] + list(range(1, 10)), dtype=float)
#: |a_ij * a_ji - 1| accepted as "reciprocal" (0.33 typed for 1/3 gives 0.01).
_RECIPROCAL_RTOL = 0.02
_DIAGONAL_ATOL = 1e-9
_DEFAULT_CONCENTRATION = 50.0
_MC_BLOCK = 2048

_BENEFIT_WORDS = {"benefit", "max", "keuntungan", "manfaat", "+"}
_COST_WORDS = {"cost", "min", "biaya", "-"}


def _settings(settings: Settings | None) -> Settings:
    return load_settings() if settings is None else settings


# --------------------------------------------------------------------------------------------
# Input validation shared by the MCDA functions
# --------------------------------------------------------------------------------------------


def _as_matrix(matrix: Any, *, name: str = "matrix") -> tuple[pd.DataFrame, np.ndarray]:
    """Validate a decision matrix (alternatives × criteria) and return it with a float array."""
    if isinstance(matrix, np.ndarray):
        if matrix.ndim != 2:
            raise DataError(
                f"{name} harus berupa tabel dua dimensi (alternatif × kriteria).",
                f"{name} must be a two-dimensional table (alternatives × criteria).",
            )
        matrix = pd.DataFrame(matrix, columns=[f"C{j + 1}" for j in range(matrix.shape[1])])
    if not isinstance(matrix, pd.DataFrame):
        raise DataError(
            f"{name} harus berupa DataFrame (baris = alternatif, kolom = kriteria).",
            f"{name} must be a DataFrame (rows = alternatives, columns = criteria).",
        )
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise DataError(
            f"{name} kosong: perlu paling sedikit satu alternatif dan satu kriteria.",
            f"{name} is empty: at least one alternative and one criterion are needed.",
        )
    if matrix.columns.duplicated().any():
        dup = list(matrix.columns[matrix.columns.duplicated()])
        raise DataError(
            f"{name}: nama kriteria ganda {dup}.", f"{name}: duplicated criterion names {dup}."
        )
    for col in matrix.columns:
        if not pd.api.types.is_numeric_dtype(matrix[col]) or pd.api.types.is_bool_dtype(
            matrix[col]
        ):
            raise DataError(
                f"{name}: kolom '{col}' harus berisi angka.",
                f"{name}: column '{col}' must be numeric.",
                column=str(col),
            )
    X = matrix.to_numpy(dtype=float)
    bad = ~np.isfinite(X)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        label, col = matrix.index[i], matrix.columns[j]
        raise DataError(
            f"{name}: nilai kosong atau tak hingga pada alternatif '{label}', kolom '{col}'.",
            f"{name}: missing or infinite value for alternative '{label}', column '{col}'.",
            column=str(col),
            value=matrix.iat[i, j],
            label=label,
        )
    return matrix, X


def _as_weights(weights: Any, columns: pd.Index) -> np.ndarray:
    """Weights as a float array aligned with ``columns``, normalised to sum 1."""
    if isinstance(weights, pd.Series) and set(weights.index) == set(columns):
        w = weights.reindex(columns).to_numpy(dtype=float)
    elif isinstance(weights, dict):
        missing = [c for c in columns if c not in weights]
        if missing:
            raise DataError(
                f"Bobot tidak diberikan untuk kriteria {missing}.",
                f"No weight given for criteria {missing}.",
            )
        w = np.array([weights[c] for c in columns], dtype=float)
    else:
        w = np.asarray(
            list(weights) if not isinstance(weights, np.ndarray) else weights, dtype=float
        ).ravel()
    if w.shape[0] != len(columns):
        raise DataError(
            f"Jumlah bobot ({w.shape[0]}) tidak sama dengan jumlah kriteria ({len(columns)}).",
            f"Number of weights ({w.shape[0]}) differs from the number of criteria "
            f"({len(columns)}).",
        )
    if not np.all(np.isfinite(w)):
        raise DataError("Bobot harus berupa angka terhingga.", "Weights must be finite numbers.")
    if (w < 0).any():
        j = int(np.argmax(w < 0))
        raise DataError(
            f"Bobot kriteria '{columns[j]}' negatif ({w[j]}); bobot harus ≥ 0.",
            f"The weight of criterion '{columns[j]}' is negative ({w[j]}); weights must be ≥ 0.",
            column=str(columns[j]),
            value=w[j],
        )
    total = w.sum()
    if total <= 0:
        raise DataError(
            "Semua bobot bernilai nol; paling sedikit satu bobot harus positif.",
            "All weights are zero; at least one weight must be positive.",
        )
    return w / total


def _as_benefit(benefit: Any, columns: pd.Index) -> np.ndarray:
    """Benefit mask (True = larger is better) from booleans or 'benefit'/'cost' strings."""
    if isinstance(benefit, str):
        benefit = [benefit] * len(columns)
    if isinstance(benefit, pd.Series) and set(benefit.index) == set(columns):
        items = list(benefit.reindex(columns))
    elif isinstance(benefit, dict):
        items = [benefit.get(c) for c in columns]
    else:
        items = list(benefit)
    if len(items) != len(columns):
        raise DataError(
            f"Jumlah jenis kriteria (benefit/cost) ({len(items)}) tidak sama dengan jumlah "
            f"kriteria ({len(columns)}).",
            f"Number of criterion types (benefit/cost) ({len(items)}) differs from the number "
            f"of criteria ({len(columns)}).",
        )
    mask = np.empty(len(items), dtype=bool)
    for j, item in enumerate(items):
        if isinstance(item, (bool, np.bool_)):
            mask[j] = bool(item)
        elif isinstance(item, str) and item.strip().lower() in _BENEFIT_WORDS:
            mask[j] = True
        elif isinstance(item, str) and item.strip().lower() in _COST_WORDS:
            mask[j] = False
        else:
            raise DataError(
                f"Jenis kriteria '{columns[j]}' tidak dikenal ({item!r}); gunakan True/False "
                "atau 'benefit'/'cost'.",
                f"Unknown type for criterion '{columns[j]}' ({item!r}); use True/False or "
                "'benefit'/'cost'.",
                column=str(columns[j]),
                value=item,
            )
    return mask


def _rank_desc(values: np.ndarray) -> np.ndarray:
    """Competition ranking, 1 = largest; exact ties share the smallest rank (1, 1, 3)."""
    return stats.rankdata(-np.asarray(values, dtype=float), method="min").astype(int)


# --------------------------------------------------------------------------------------------
# USG
# --------------------------------------------------------------------------------------------

_USG_ALIASES = {"u": "U", "urgency": "U", "s": "S", "seriousness": "S", "g": "G", "growth": "G"}


def usg(
    scores: pd.DataFrame,
    *,
    aggregate: str | None = None,
    scale: Sequence[float] | int | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Rank issues or programmes by USG (Urgency, Seriousness, Growth).

    Parameters
    ----------
    scores : DataFrame
        One row per issue, columns ``U``, ``S``, ``G`` (or ``urgency``, ``seriousness``,
        ``growth``; case-insensitive). Other columns are kept.
    aggregate : {"sum", "product"}, optional
        ``"sum"`` (USG, LAN Diklatpim III) or ``"product"`` (GUT, G×U×T). Default from
        ``settings["usg.aggregate"]``.
    scale : (low, high) or 5 or 10, optional
        Allowed score range. Default ``settings["usg.scale"]`` ([1, 5]); the LAN module also
        allows 1–10.
    settings : Settings, optional
        Loaded with :func:`workbook.core.settings.load_settings` when None.

    Returns
    -------
    DataFrame
        The input (copy, same order and index) with ``total`` and ``rank`` (1 = top priority).

    Raises
    ------
    DataError
        Missing U/S/G column, missing or out-of-range score (row label and column named).

    Notes
    -----
    ``total = U + S + G`` (sum) or ``U × S × G`` (product). The issue with the highest total is
    the priority ("Isu yang memiliki total skor tertinggi merupakan isu prioritas").
    Ties in ``total`` are broken by ``U`` then ``S`` (higher first); issues equal on all three
    keys share a rank. The tie-break is a convention of this workbook (konvensi, tidak
    bersumber).

    References
    ----------
    .. [1] LAN, Modul Diklat Kepemimpinan Tingkat III, "Validasi, memilih dan menetapkan isu"
       (USG, skala 1–5 atau 1–10) [DOMAIN S59].
    .. [2] GUT matrix (Gravidade × Urgência × Tendência), repo Thaigo/gut [DOMAIN S62].

    Examples
    --------
    >>> import pandas as pd
    >>> usg(pd.DataFrame({"U": [4, 5, 3], "S": [5, 5, 4], "G": [4, 4, 3]}))["total"].tolist()
    [13, 14, 10]
    """
    s = _settings(settings)
    aggregate = s["usg.aggregate"] if aggregate is None else aggregate
    if aggregate not in ("sum", "product"):
        raise SettingsError(
            f"aggregate harus 'sum' atau 'product', bukan {aggregate!r}.",
            f"aggregate must be 'sum' or 'product', not {aggregate!r}.",
            column="usg.aggregate",
            value=aggregate,
        )
    if scale is None:
        scale = s["usg.scale"]
    if isinstance(scale, (int, np.integer)):
        scale = (1, int(scale))
    low, high = (float(scale[0]), float(scale[1]))
    if not (low < high):
        raise SettingsError(
            f"Skala USG tidak sah: {list(scale)}.",
            f"Invalid USG scale: {list(scale)}.",
            column="usg.scale",
            value=scale,
        )
    if not isinstance(scores, pd.DataFrame):
        raise DataError("scores harus berupa DataFrame.", "scores must be a DataFrame.")
    found: dict[str, Any] = {}
    for col in scores.columns:
        key = _USG_ALIASES.get(str(col).strip().lower())
        if key is not None:
            if key in found:
                raise DataError(
                    f"Kolom {key} muncul dua kali ('{found[key]}' dan '{col}').",
                    f"Column {key} appears twice ('{found[key]}' and '{col}').",
                    column=str(col),
                )
            found[key] = col
    missing = [k for k in ("U", "S", "G") if k not in found]
    if missing:
        raise DataError(
            f"Kolom USG tidak ditemukan: {missing} (gunakan U, S, G atau urgency, "
            "seriousness, growth).",
            f"USG columns not found: {missing} (use U, S, G or urgency, seriousness, growth).",
            column=",".join(missing),
        )
    values = {}
    for key in ("U", "S", "G"):
        col = found[key]
        raw = scores[col]
        num = pd.to_numeric(raw, errors="coerce")
        for label, r, v in zip(scores.index, raw, num, strict=True):
            if pd.isna(v):
                raise DataError(
                    f"Skor {key} kosong atau bukan angka pada baris '{label}', kolom '{col}' "
                    f"(nilai: {r!r}).",
                    f"Score {key} is missing or not a number in row '{label}', column '{col}' "
                    f"(value: {r!r}).",
                    column=str(col),
                    value=r,
                    expected=f"{low:g}–{high:g}",
                    label=label,
                )
            if not (low <= v <= high):
                raise DataError(
                    f"Skor {key} = {v:g} di luar skala {low:g}–{high:g} pada baris '{label}', "
                    f"kolom '{col}'.",
                    f"Score {key} = {v:g} is outside the scale {low:g}–{high:g} in row "
                    f"'{label}', column '{col}'.",
                    column=str(col),
                    value=r,
                    expected=f"{low:g}–{high:g}",
                    label=label,
                )
        values[key] = num.to_numpy()
    total, rank = _usg(values["U"], values["S"], values["G"], aggregate)
    out = scores.copy()
    if all(pd.api.types.is_integer_dtype(scores[found[k]]) for k in "USG"):
        total = total.astype(np.int64)
    out["total"] = total
    out["rank"] = rank
    return out


def _usg(
    u: np.ndarray, s: np.ndarray, g: np.ndarray, aggregate: str = "sum"
) -> tuple[np.ndarray, np.ndarray]:
    """USG kernel: totals and ranks (ties broken by U then S; full ties share a rank)."""
    u, s, g = (np.asarray(a, dtype=float) for a in (u, s, g))
    total = u + s + g if aggregate == "sum" else u * s * g
    order = np.lexsort((-s, -u, -total))  # last key is primary
    rank = np.empty(len(total), dtype=int)
    prev = None
    for pos, i in enumerate(order):
        key = (total[i], u[i], s[i])
        if key != prev:
            current = pos + 1
            prev = key
        rank[i] = current
    return total, rank


# --------------------------------------------------------------------------------------------
# SAW
# --------------------------------------------------------------------------------------------


def _saw_normalise(X: np.ndarray, benefit: np.ndarray, normalisation: str) -> np.ndarray:
    """Normalised ratings r_ij; constant columns give r = 1 for every alternative."""
    X = np.asarray(X, dtype=float)
    R = np.ones_like(X)
    xmax = X.max(axis=0)
    xmin = X.min(axis=0)
    spread = xmax - xmin
    for j in range(X.shape[1]):
        if spread[j] == 0:
            continue  # constant column: does not discriminate, r = 1
        if normalisation == "linear":
            R[:, j] = X[:, j] / xmax[j] if benefit[j] else xmin[j] / X[:, j]
        else:  # minmax
            R[:, j] = (
                (X[:, j] - xmin[j]) / spread[j] if benefit[j] else ((xmax[j] - X[:, j]) / spread[j])
            )
    return R


def _saw(
    X: np.ndarray, w: np.ndarray, benefit: np.ndarray, normalisation: str = "linear"
) -> np.ndarray:
    """SAW kernel: V_i = sum_j w_j r_ij (w already sums to 1)."""
    return _saw_normalise(X, benefit, normalisation) @ np.asarray(w, dtype=float)


def _check_saw_input(
    matrix: pd.DataFrame, X: np.ndarray, benefit: np.ndarray, normalisation: str
) -> None:
    if normalisation not in ("linear", "minmax"):
        raise DataError(
            f"normalisation harus 'linear' atau 'minmax', bukan {normalisation!r}.",
            f"normalisation must be 'linear' or 'minmax', not {normalisation!r}.",
            value=normalisation,
        )
    if normalisation != "linear":
        return
    neg = X < 0
    if neg.any():
        i, j = map(int, np.argwhere(neg)[0])
        raise DataError(
            f"SAW linear (Kusumadewi) memerlukan nilai ≥ 0; alternatif '{matrix.index[i]}', "
            f"kriteria '{matrix.columns[j]}' bernilai {X[i, j]:g}. Gunakan "
            "normalisation='minmax'.",
            f"Linear SAW (Kusumadewi) needs values ≥ 0; alternative '{matrix.index[i]}', "
            f"criterion '{matrix.columns[j]}' is {X[i, j]:g}. Use normalisation='minmax'.",
            column=str(matrix.columns[j]),
            value=X[i, j],
            label=matrix.index[i],
        )
    for j in np.flatnonzero(~benefit):
        col = X[:, j]
        if (col == 0).any() and not (col == 0).all():
            zero_rows = [str(lab) for lab in matrix.index[col == 0]]
            shown = ", ".join(zero_rows[:5]) + (" …" if len(zero_rows) > 5 else "")
            raise DataError(
                f"Kriteria biaya '{matrix.columns[j]}' bernilai 0 untuk {len(zero_rows)} "
                f"alternatif ({shown}); rumus SAW r = min/x tidak terdefinisi (pembagian dengan "
                "nol). Gunakan normalisation='minmax' (r = (max − x)/(max − min)) atau ganti "
                "nilai nol.",
                f"Cost criterion '{matrix.columns[j]}' is 0 for {len(zero_rows)} "
                f"alternative(s) ({shown}); the SAW formula r = min/x is undefined (division "
                "by zero). Use normalisation='minmax' (r = (max − x)/(max − min)) or replace "
                "the zeros.",
                column=str(matrix.columns[j]),
                value=0,
                expected="> 0",
            )


def saw(
    matrix: pd.DataFrame,
    weights: Sequence[float] | pd.Series,
    benefit: Sequence[bool | str] | pd.Series,
    *,
    normalisation: str = "linear",
) -> pd.DataFrame:
    """Simple Additive Weighting (weighted sum of normalised ratings).

    Parameters
    ----------
    matrix : DataFrame
        Alternatives (rows) × criteria (columns), numeric.
    weights : sequence or Series
        One non-negative weight per criterion (a Series is aligned by label); normalised to sum 1.
    benefit : sequence of bool or {"benefit", "cost"}
        True / "benefit" when larger is better, False / "cost" when smaller is better.
    normalisation : {"linear", "minmax"}, default="linear"
        ``"linear"``: Kusumadewi's ratios (benefit x/max, cost min/x). ``"minmax"``: benefit
        (x − min)/(max − min), cost (max − x)/(max − min); use it when a cost criterion
        contains 0 (free programmes).

    Returns
    -------
    DataFrame
        Index and row order of ``matrix``; columns ``score`` (V_i) and ``rank`` (1 = best;
        exact ties share the smallest rank).

    Raises
    ------
    DataError
        Bad shapes, missing values, negative weights; with ``"linear"``: negative values, or a
        cost criterion that is 0 for some but not all alternatives (the message names the
        criterion and the alternatives, and points to ``normalisation="minmax"``).

    Notes
    -----
    Benefit: :math:`r_{ij} = x_{ij} / \\max_i x_{ij}`; cost: :math:`r_{ij} = \\min_i x_{ij} /
    x_{ij}`; :math:`V_i = \\sum_j w_j r_{ij}` with :math:`\\sum_j w_j = 1`. A criterion with the
    same value for every alternative (including all zeros) gives :math:`r_{ij} = 1`: it adds the
    same amount to every score and never changes the ranking (konvensi, tidak bersumber). The
    default never returns inf or nan: a zero cost is refused rather than divided by.

    References
    ----------
    .. [1] Fishburn, P. C. (1967). Additive utilities with incomplete product set: applications
       to priorities and assignments. Operations Research Society of America.
    .. [2] Kusumadewi, S., Hartati, S., Harjoko, A., & Wardoyo, R. (2006). *Fuzzy Multi-Attribute
       Decision Making (Fuzzy MADM)*. Yogyakarta: Graha Ilmu [DOMAIN S63].

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"gap": [2, 4], "biaya": [10, 20]}, index=["A", "B"])
    >>> saw(m, [0.5, 0.5], ["benefit", "cost"])["score"].tolist()
    [0.75, 0.75]
    """
    matrix, X = _as_matrix(matrix)
    w = _as_weights(weights, matrix.columns)
    b = _as_benefit(benefit, matrix.columns)
    _check_saw_input(matrix, X, b, normalisation)
    score = _saw(X, w, b, normalisation)
    return pd.DataFrame({"score": score, "rank": _rank_desc(score)}, index=matrix.index)


# --------------------------------------------------------------------------------------------
# TOPSIS
# --------------------------------------------------------------------------------------------


def _topsis_normalise(X: np.ndarray, normalisation: str = "vector") -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if normalisation == "vector":
        norm = np.sqrt((X**2).sum(axis=0))
        safe = np.where(norm > 0, norm, 1.0)
        return np.where(norm > 0, X / safe, 0.0)
    xmin, xmax = X.min(axis=0), X.max(axis=0)
    spread = xmax - xmin
    safe = np.where(spread > 0, spread, 1.0)
    return np.where(spread > 0, (X - xmin) / safe, 0.0)


def _topsis_parts(
    X: np.ndarray, w: np.ndarray, benefit: np.ndarray, normalisation: str = "vector"
) -> dict[str, np.ndarray]:
    """TOPSIS intermediate quantities: v, ideal, anti-ideal, D+, D-, closeness."""
    V = _topsis_normalise(X, normalisation) * np.asarray(w, dtype=float)
    ideal = np.where(benefit, V.max(axis=0), V.min(axis=0))
    anti = np.where(benefit, V.min(axis=0), V.max(axis=0))
    d_pos = np.sqrt(((V - ideal) ** 2).sum(axis=1))
    d_neg = np.sqrt(((V - anti) ** 2).sum(axis=1))
    denom = d_pos + d_neg
    closeness = np.where(denom > 0, d_neg / np.where(denom > 0, denom, 1.0), 0.5)
    return {
        "v": V,
        "ideal": ideal,
        "anti_ideal": anti,
        "d_pos": d_pos,
        "d_neg": d_neg,
        "closeness": closeness,
    }


def _topsis(
    X: np.ndarray, w: np.ndarray, benefit: np.ndarray, normalisation: str = "vector"
) -> np.ndarray:
    """TOPSIS kernel: relative closeness C_i = D_i^- / (D_i^+ + D_i^-)."""
    return _topsis_parts(X, w, benefit, normalisation)["closeness"]


def topsis(
    matrix: pd.DataFrame,
    weights: Sequence[float] | pd.Series,
    benefit: Sequence[bool | str] | pd.Series,
    *,
    normalisation: str = "vector",
) -> pd.DataFrame:
    """TOPSIS: closeness to the ideal solution (Hwang & Yoon 1981).

    Parameters
    ----------
    matrix : DataFrame
        Alternatives (rows) × criteria (columns), numeric.
    weights : sequence or Series
        Non-negative, normalised to sum 1.
    benefit : sequence of bool or {"benefit", "cost"}
        Direction of each criterion.
    normalisation : {"vector", "minmax"}, default="vector"
        ``"vector"`` (Hwang & Yoon): :math:`r_{ij} = x_{ij}/\\sqrt{\\sum_i x_{ij}^2}`;
        ``"minmax"``: :math:`(x_{ij} - \\min_i x_{ij})/(\\max_i x_{ij} - \\min_i x_{ij})`
        (the default of some libraries; rankings can differ).

    Returns
    -------
    DataFrame
        Index and order of ``matrix``; ``closeness`` in [0, 1] and ``rank`` (1 = best).

    Notes
    -----
    :math:`v_{ij} = w_j r_{ij}`; ideal :math:`A^+_j` = max (benefit) or min (cost) of
    :math:`v_{\\cdot j}`, anti-ideal :math:`A^-_j` the opposite;
    :math:`D_i^\\pm = \\lVert v_i - A^\\pm \\rVert_2`; :math:`C_i = D_i^- / (D_i^+ + D_i^-)`.
    A column of zeros (or, with min-max, a constant column) normalises to 0 and adds nothing to
    either distance, so it gives no nan. If every alternative is identical
    (:math:`D^+ = D^- = 0`) all get :math:`C_i = 0.5` (konvensi, tidak bersumber).

    References
    ----------
    .. [1] Hwang, C.-L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
       Applications*. Berlin: Springer. doi:10.1007/978-3-642-48318-9 [DOMAIN S64].
    """
    if normalisation not in ("vector", "minmax"):
        raise DataError(
            f"normalisation harus 'vector' atau 'minmax', bukan {normalisation!r}.",
            f"normalisation must be 'vector' or 'minmax', not {normalisation!r}.",
            value=normalisation,
        )
    matrix, X = _as_matrix(matrix)
    w = _as_weights(weights, matrix.columns)
    b = _as_benefit(benefit, matrix.columns)
    c = _topsis(X, w, b, normalisation)
    return pd.DataFrame({"closeness": c, "rank": _rank_desc(c)}, index=matrix.index)


# --------------------------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class AHPResult:
    """Result of :func:`ahp`.

    Attributes
    ----------
    weights : Series
        Priority of each criterion (sums to 1), indexed by criterion label.
    lambda_max : float
        Principal eigenvalue of the (combined) pairwise matrix.
    ci : float
        Consistency index (λmax − n)/(n − 1); 0 for n ≤ 2.
    cr : float
        Consistency ratio CI/RI(n); 0 for n ≤ 2.
    consistent : bool
        ``cr <= settings["ahp.cr_max"]``.
    n : int
        Number of criteria.
    ri : float
        Random index used.
    limit : float
        The CR limit applied.
    worst : dict
        The most inconsistent judgement: ``i``, ``j`` (labels), ``given`` (a_ij), ``implied``
        (geometric mean of the indirect judgements a_ik·a_kj, or w_i/w_j when n = 2),
        ``implied_by_weights`` (w_i/w_j), ``suggested`` (nearest Saaty-scale value to
        ``implied``), ``log_error`` = |log(a_ij w_j / w_i)|. Empty for n = 1.
    matrix : DataFrame
        The pairwise matrix used (the element-wise geometric mean for several raters).
    n_raters : int
        Number of matrices combined.
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    cr: float
    consistent: bool
    n: int
    ri: float
    limit: float
    worst: dict
    matrix: pd.DataFrame
    n_raters: int = 1


def _ahp_eigen(A: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal (Perron) eigenvector normalised to sum 1, and λmax."""
    A = np.asarray(A, dtype=float)
    vals, vecs = np.linalg.eig(A)
    k = int(np.argmax(vals.real))
    w = np.abs(vecs[:, k].real)
    return w / w.sum(), float(vals[k].real)


def _ahp_consistency(lambda_max: float, n: int, ri: float) -> tuple[float, float]:
    """CI = (λmax − n)/(n − 1), CR = CI/RI; both 0 for n ≤ 2 (RI undefined)."""
    if n <= 2:
        return 0.0, 0.0
    ci = (lambda_max - n) / (n - 1)
    return ci, ci / ri


def _ahp_worst(A: np.ndarray, w: np.ndarray) -> dict[str, Any]:
    """The judgement (i < j) with the largest |log(a_ij w_j / w_i)|."""
    n = A.shape[0]
    if n < 2:
        return {}
    err = np.abs(np.log(A * w[None, :] / w[:, None]))
    iu = np.triu_indices(n, k=1)
    k = int(np.argmax(err[iu]))
    i, j = int(iu[0][k]), int(iu[1][k])
    others = [m for m in range(n) if m not in (i, j)]
    if others:
        implied = float(np.exp(np.mean([np.log(A[i, m] * A[m, j]) for m in others])))
    else:
        implied = float(w[i] / w[j])
    suggested = float(_SAATY_SCALE[np.argmin(np.abs(np.log(_SAATY_SCALE) - np.log(implied)))])
    return {
        "i": i,
        "j": j,
        "given": float(A[i, j]),
        "implied": implied,
        "implied_by_weights": float(w[i] / w[j]),
        "suggested": suggested,
        "log_error": float(err[i, j]),
    }


def _ahp_matrix(pairwise: Any, k: int | None = None) -> tuple[np.ndarray, list]:
    who = "" if k is None else f" (penilai ke-{k + 1})"
    who_en = "" if k is None else f" (rater {k + 1})"
    if isinstance(pairwise, pd.DataFrame):
        labels = list(pairwise.columns)
        if not isinstance(pairwise.index, pd.RangeIndex) and list(pairwise.index) != labels:
            raise DataError(
                f"Matriks perbandingan{who}: label baris {list(pairwise.index)} harus sama "
                f"dengan label kolom {labels} (urutan sama).",
                f"Pairwise matrix{who_en}: row labels {list(pairwise.index)} must equal the "
                f"column labels {labels} (same order).",
            )
        try:
            A = pairwise.to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise DataError(
                f"Matriks perbandingan{who} harus berisi angka.",
                f"Pairwise matrix{who_en} must be numeric.",
            ) from None
    else:
        try:
            A = np.asarray(pairwise, dtype=float)
        except (TypeError, ValueError):
            raise DataError(
                f"Matriks perbandingan{who} harus berisi angka.",
                f"Pairwise matrix{who_en} must be numeric.",
            ) from None
        labels = [f"C{i + 1}" for i in range(A.shape[0])] if A.ndim == 2 else []
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise DataError(
            f"Matriks perbandingan{who} harus persegi (n × n), bukan {A.shape}.",
            f"Pairwise matrix{who_en} must be square (n × n), not {A.shape}.",
        )
    n = A.shape[0]
    bad = ~np.isfinite(A) | (A <= 0)
    if bad.any():
        i, j = map(int, np.argwhere(bad)[0])
        raise DataError(
            f"Matriks perbandingan{who}: nilai ({labels[i]}, {labels[j]}) = {A[i, j]} harus "
            "positif dan terhingga.",
            f"Pairwise matrix{who_en}: value ({labels[i]}, {labels[j]}) = {A[i, j]} must be "
            "positive and finite.",
            value=A[i, j],
            expected="1/9..9",
        )
    for i in range(n):
        if abs(A[i, i] - 1.0) > _DIAGONAL_ATOL:
            raise DataError(
                f"Matriks perbandingan{who}: diagonal ({labels[i]}, {labels[i]}) harus 1, "
                f"bukan {A[i, i]}.",
                f"Pairwise matrix{who_en}: diagonal ({labels[i]}, {labels[i]}) must be 1, "
                f"not {A[i, i]}.",
                value=A[i, i],
                expected="1",
            )
    out = (A < _SAATY_MIN * (1 - 1e-9)) | (A > _SAATY_MAX * (1 + 1e-9))
    if out.any():
        i, j = map(int, np.argwhere(out)[0])
        raise DataError(
            f"Matriks perbandingan{who}: nilai ({labels[i]}, {labels[j]}) = {A[i, j]:g} di "
            "luar skala Saaty 1/9..9.",
            f"Pairwise matrix{who_en}: value ({labels[i]}, {labels[j]}) = {A[i, j]:g} is "
            "outside Saaty's scale 1/9..9.",
            value=A[i, j],
            expected="1/9..9",
        )
    dev = np.abs(A * A.T - 1.0)
    if (dev > _RECIPROCAL_RTOL).any():
        i, j = map(int, np.argwhere(np.triu(dev > _RECIPROCAL_RTOL, k=1))[0])
        raise DataError(
            f"Matriks perbandingan{who} tidak resiprokal: a({labels[i]}, {labels[j]}) = "
            f"{A[i, j]:g} tetapi a({labels[j]}, {labels[i]}) = {A[j, i]:g}; seharusnya "
            f"{1 / A[i, j]:g}.",
            f"Pairwise matrix{who_en} is not reciprocal: a({labels[i]}, {labels[j]}) = "
            f"{A[i, j]:g} but a({labels[j]}, {labels[i]}) = {A[j, i]:g}; expected "
            f"{1 / A[i, j]:g}.",
            value=(A[i, j], A[j, i]),
            expected="a_ji = 1/a_ij",
        )
    # make exactly reciprocal (no-op for exact input; fixes 0.33 typed for 1/3)
    A = np.sqrt(A / A.T)
    return A, labels


def ahp(
    pairwise: pd.DataFrame | np.ndarray | Sequence[pd.DataFrame | np.ndarray],
    *,
    ri_table: str = "saaty1980",
    on_inconsistent: str = "raise",
    settings: Settings | None = None,
) -> AHPResult:
    """Criterion weights from pairwise judgements (Analytic Hierarchy Process).

    Parameters
    ----------
    pairwise : DataFrame, ndarray, or list of them
        Square matrix of judgements on Saaty's 1/9..9 scale, ``a_ij`` = how much more important
        criterion i is than j; labels are the DataFrame columns (rows must carry the same labels
        or a default RangeIndex). A list holds one matrix per rater (pimpinan); they are combined
        by the element-wise geometric mean.
    ri_table : str, default="saaty1980"
        Key of ``settings["ahp.random_index"]`` (``"saaty1980"`` or ``"saaty_tran2007"``).
    on_inconsistent : {"raise", "warn"}, default="raise"
        What to do when CR exceeds ``settings["ahp.cr_max"]``.
    settings : Settings, optional
        Loaded from the defaults when None.

    Returns
    -------
    AHPResult

    Raises
    ------
    DataError
        Not square, not positive, diagonal ≠ 1, outside 1/9..9, not reciprocal (the offending
        pair is named; |a_ij·a_ji − 1| ≤ 0.02 is accepted so that 0.33 for 1/3 passes), raters'
        labels differ, or more criteria than the RI table covers.
    InconsistentJudgementsError
        CR > limit and ``on_inconsistent="raise"``; carries ``cr``, ``limit`` and ``worst``.

    Notes
    -----
    Weights :math:`w` solve :math:`A w = \\lambda_{max} w` (principal eigenvector, normalised to
    :math:`\\sum w = 1`). :math:`CI = (\\lambda_{max} - n)/(n - 1)`, :math:`CR = CI / RI(n)`;
    for :math:`n \\le 2` every reciprocal matrix is consistent and CR = 0. Judgements are
    accepted when :math:`CR \\le 0.10` (``ahp.cr_max``). The most inconsistent judgement is the
    pair (i, j) maximising :math:`|\\log(a_{ij} w_j / w_i)|`; the value the other judgements
    imply for it is the geometric mean of :math:`a_{ik} a_{kj}` over the other criteria k.
    Near-reciprocal input is made exactly reciprocal with :math:`\\sqrt{a_{ij}/a_{ji}}`. Group
    judgements: :math:`a_{ij} = (\\prod_k a_{ij}^{(k)})^{1/K}` (the standard aggregation of
    individual judgements; keeps the matrix reciprocal).

    References
    ----------
    .. [1] Saaty, T. L. (1977). A scaling method for priorities in hierarchical structures.
       *Journal of Mathematical Psychology*, 15(3), 234–281.
    .. [2] Saaty, T. L. (1980). *The Analytic Hierarchy Process*. New York: McGraw-Hill.
    .. [3] R package AHPWR, ``CR`` (RI for n = 1..15) [DOMAIN S57]; Saaty & Tran (2007),
       R package ahpsurvey (simulated RI) [DOMAIN S56].
    """
    s = _settings(settings)
    if on_inconsistent not in ("raise", "warn"):
        raise DataError(
            f"on_inconsistent harus 'raise' atau 'warn', bukan {on_inconsistent!r}.",
            f"on_inconsistent must be 'raise' or 'warn', not {on_inconsistent!r}.",
        )
    tables = s["ahp.random_index"]
    if ri_table not in tables:
        raise SettingsError(
            f"Tabel RI '{ri_table}' tidak dikenal; pilihan: {sorted(tables)}.",
            f"Unknown RI table '{ri_table}'; choices: {sorted(tables)}.",
            column="ahp.random_index",
            value=ri_table,
        )
    limit = float(s["ahp.cr_max"])
    if isinstance(pairwise, (list, tuple)):
        if len(pairwise) == 0:
            raise DataError("Daftar matriks penilai kosong.", "The list of raters is empty.")
        mats = [_ahp_matrix(p, k) for k, p in enumerate(pairwise)]
        labels = mats[0][1]
        for k, (A_k, lab_k) in enumerate(mats[1:], start=2):
            if A_k.shape != mats[0][0].shape or lab_k != labels:
                raise DataError(
                    f"Matriks penilai ke-{k} tidak memakai kriteria yang sama ({lab_k}) dengan "
                    f"penilai ke-1 ({labels}).",
                    f"Rater {k}'s matrix does not use the same criteria ({lab_k}) as rater 1 "
                    f"({labels}).",
                )
        A = np.exp(np.mean([np.log(m[0]) for m in mats], axis=0))
        n_raters = len(mats)
    else:
        A, labels = _ahp_matrix(pairwise)
        n_raters = 1
    n = A.shape[0]
    ri_list = tables[ri_table]
    if n > len(ri_list):
        raise DataError(
            f"Tabel RI '{ri_table}' hanya mencakup n ≤ {len(ri_list)}; ada {n} kriteria. "
            "Kelompokkan kriteria dalam hierarki.",
            f"RI table '{ri_table}' covers only n ≤ {len(ri_list)}; there are {n} criteria. "
            "Group the criteria into a hierarchy.",
        )
    ri = float(ri_list[n - 1])
    w, lam = _ahp_eigen(A)
    ci, cr = _ahp_consistency(lam, n, ri)
    worst = _ahp_worst(A, w)
    if worst:
        worst = {**worst, "i": labels[worst["i"]], "j": labels[worst["j"]]}
    consistent = bool(cr <= limit)
    result = AHPResult(
        weights=pd.Series(w, index=pd.Index(labels), name="weight"),
        lambda_max=lam,
        ci=ci,
        cr=cr,
        consistent=consistent,
        n=n,
        ri=ri,
        limit=limit,
        worst=worst,
        matrix=pd.DataFrame(A, index=labels, columns=labels),
        n_raters=n_raters,
    )
    if not consistent:
        msg_id = (
            f"Penilaian AHP tidak konsisten: CR = {cr:.3f} > batas {limit:.2f}. Penilaian paling "
            f"tidak konsisten: '{worst['i']}' dibanding '{worst['j']}' = {worst['given']:.3g}; "
            f"penilaian lain menyiratkan sekitar {worst['implied']:.3g} (skala Saaty terdekat: "
            f"{_fmt_saaty(worst['suggested'])}). Tinjau ulang penilaian ini."
        )
        msg_en = (
            f"AHP judgements are inconsistent: CR = {cr:.3f} > limit {limit:.2f}. Most "
            f"inconsistent judgement: '{worst['i']}' versus '{worst['j']}' = "
            f"{worst['given']:.3g}; the other judgements imply about {worst['implied']:.3g} "
            f"(nearest Saaty value: {_fmt_saaty(worst['suggested'])}). Please review it."
        )
        if on_inconsistent == "raise":
            raise InconsistentJudgementsError(msg_id, msg_en, cr=cr, limit=limit, worst=worst)
        warnings.warn(f"{msg_id} | {msg_en}", UserWarning, stacklevel=2)
    return result


def _fmt_saaty(v: float) -> str:
    return f"{v:g}" if v >= 1 else f"1/{round(1 / v)}"


# --------------------------------------------------------------------------------------------
# Agreement between methods
# --------------------------------------------------------------------------------------------


def method_agreement(rankings: pd.DataFrame) -> pd.DataFrame:
    """Rank agreement between every pair of methods (Spearman's ρ and Kendall's τ-b).

    Parameters
    ----------
    rankings : DataFrame
        One column of ranks (or scores) per method, one row per alternative.

    Returns
    -------
    DataFrame
        One row per pair (in column order): ``method_a``, ``method_b``, ``n``, ``spearman``,
        ``kendall``, ``p_val_spearman``, ``p_val_kendall``. Rows with a missing value in either
        column are left out of that pair. A constant column gives nan correlations.

    Notes
    -----
    :func:`scipy.stats.spearmanr` and :func:`scipy.stats.kendalltau` (τ-b, which corrects for
    ties), two-sided p-values.

    References
    ----------
    .. [1] Spearman, C. (1904). The proof and measurement of association between two things.
       *American Journal of Psychology*, 15, 72–101.
    .. [2] Kendall, M. G. (1938). A new measure of rank correlation. *Biometrika*, 30, 81–93.
    """
    if not isinstance(rankings, pd.DataFrame) or rankings.shape[1] < 2:
        raise DataError(
            "rankings harus berupa DataFrame dengan paling sedikit dua kolom metode.",
            "rankings must be a DataFrame with at least two method columns.",
        )
    rows = []
    for a, b in itertools.combinations(rankings.columns, 2):
        pair = rankings[[a, b]].apply(pd.to_numeric, errors="coerce").dropna()
        if len(pair) < 3:
            raise DataError(
                f"Metode '{a}' dan '{b}' hanya punya {len(pair)} alternatif lengkap; perlu ≥ 3.",
                f"Methods '{a}' and '{b}' have only {len(pair)} complete alternatives; need ≥ 3.",
            )
        x, y = pair[a].to_numpy(float), pair[b].to_numpy(float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", stats.ConstantInputWarning)
            sp = stats.spearmanr(x, y)
            kt = stats.kendalltau(x, y)
        rows.append(
            {
                "method_a": a,
                "method_b": b,
                "n": len(pair),
                "spearman": float(sp.statistic),
                "kendall": float(kt.statistic),
                "p_val_spearman": float(sp.pvalue),
                "p_val_kendall": float(kt.pvalue),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Weight sensitivity
# --------------------------------------------------------------------------------------------


def _rescaled(w: np.ndarray, j: int, t: np.ndarray) -> np.ndarray:
    """Weights with w_j = t and the others rescaled proportionally (equal split if w_j = 1)."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    m = len(w)
    rest = np.delete(w, j)
    share = rest / rest.sum() if rest.sum() > 0 else np.full(m - 1, 1.0 / (m - 1))
    W = np.empty((len(t), m))
    W[:, j] = t
    W[:, np.arange(m) != j] = (1.0 - t)[:, None] * share[None, :]
    return W


def _saw_interval(R: np.ndarray, w: np.ndarray, j: int, top: int) -> tuple[float, float]:
    """Exact range of w_j (others proportional) over which ``top`` keeps the highest score.

    Score_i(t) = t a_i + (1 − t) b_i is linear in t, so the set where
    score_top − score_i ≥ 0 for all i is an interval.
    """
    m = R.shape[1]
    rest = np.delete(w, j)
    share = rest / rest.sum() if rest.sum() > 0 else np.full(m - 1, 1.0 / (m - 1))
    a = R[:, j]
    b = np.delete(R, j, axis=1) @ share
    lo, hi = 0.0, 1.0
    for i in range(R.shape[0]):
        if i == top:
            continue
        e = b[top] - b[i]  # difference at t = 0
        slope = (a[top] - a[i]) - e  # d(t) = e + slope * t
        if slope > 0:
            lo = max(lo, -e / slope)
        elif slope < 0:
            hi = min(hi, -e / slope)
        elif e < 0:  # pragma: no cover - impossible when top is on top at w_j
            return (float(w[j]), float(w[j]))
    return (min(max(lo, 0.0), w[j]), max(min(hi, 1.0), w[j]))


def weight_sensitivity(
    matrix: pd.DataFrame,
    weights: Sequence[float] | pd.Series,
    benefit: Sequence[bool | str] | pd.Series,
    *,
    method: str = "saw",
    steps: int = 201,
    normalisation: str | None = None,
) -> pd.DataFrame:
    """How far each criterion's weight can move before the top alternative changes.

    Parameters
    ----------
    matrix, weights, benefit
        As for :func:`saw` / :func:`topsis`.
    method : {"saw", "topsis"}, default="saw"
    steps : int, default=201
        Grid points on [0, 1] for TOPSIS (whose range is found on the grid, accurate to
        1/(steps − 1)); SAW's range is exact and ignores ``steps``.
    normalisation : str, optional
        Passed to the method (default: ``"linear"`` for SAW, ``"vector"`` for TOPSIS).

    Returns
    -------
    DataFrame
        One row per criterion: ``criterion``, ``weight`` (normalised), ``weight_low``,
        ``weight_high`` (the contiguous range of that weight, containing the given one, over
        which ``top_alternative`` stays ranked first), ``top_alternative`` (label of the
        alternative ranked first at the given weights; ties → first in input order).

    Notes
    -----
    When criterion j's weight is set to t, every other weight becomes
    :math:`w_k (1 - t)/(1 - w_j)` so the weights still sum to 1 and keep their ratios (if
    :math:`w_j = 1` the others share :math:`1 - t` equally). For SAW the score of each
    alternative is linear in t and the range is solved exactly; ties keep the alternative on
    top. This one-at-a-time analysis is an engineering aid (konvensi, tidak bersumber).

    References
    ----------
    .. [1] Triantaphyllou, E., & Sánchez, A. (1997). A sensitivity analysis approach for some
       deterministic multi-criteria decision-making methods. *Decision Sciences*, 28(1),
       151–194.
    """
    if method not in ("saw", "topsis"):
        raise DataError(
            f"method harus 'saw' atau 'topsis', bukan {method!r}.",
            f"method must be 'saw' or 'topsis', not {method!r}.",
        )
    if int(steps) < 2:
        raise DataError("steps harus ≥ 2.", "steps must be ≥ 2.", value=steps)
    matrix, X = _as_matrix(matrix)
    w = _as_weights(weights, matrix.columns)
    b = _as_benefit(benefit, matrix.columns)
    m = X.shape[1]
    if method == "saw":
        norm = normalisation or "linear"
        _check_saw_input(matrix, X, b, norm)
        R = _saw_normalise(X, b, norm)
        scores = R @ w
    else:
        norm = normalisation or "vector"
        if norm not in ("vector", "minmax"):
            raise DataError(
                f"normalisation TOPSIS tidak dikenal: {norm!r}.",
                f"Unknown TOPSIS normalisation: {norm!r}.",
            )
        scores = _topsis(X, w, b, norm)
    top = int(np.argmax(scores))
    rows = []
    for j in range(m):
        if m == 1:
            lo, hi = 1.0, 1.0
        elif method == "saw":
            lo, hi = _saw_interval(R, w, j, top)
        else:
            grid = np.union1d(np.linspace(0.0, 1.0, int(steps)), [w[j]])
            Wg = _rescaled(w, j, grid)
            tops = np.array([int(np.argmax(_topsis(X, wg, b, norm))) for wg in Wg])
            here = int(np.searchsorted(grid, w[j]))
            ok = tops == top
            ok[here] = True
            lo_i = here
            while lo_i > 0 and ok[lo_i - 1]:
                lo_i -= 1
            hi_i = here
            while hi_i < len(grid) - 1 and ok[hi_i + 1]:
                hi_i += 1
            lo, hi = float(grid[lo_i]), float(grid[hi_i])
        rows.append(
            {
                "criterion": matrix.columns[j],
                "weight": float(w[j]),
                "weight_low": float(lo),
                "weight_high": float(hi),
                "top_alternative": matrix.index[top],
            }
        )
    return pd.DataFrame(rows)


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
        num = pd.to_numeric(candidates[col], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(num) | (num < 0)
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
