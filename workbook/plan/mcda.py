"""Programme prioritisation: USG, SAW, TOPSIS, agreement between methods and weight
sensitivity ("sistem pendukung keputusan"). Criterion weights from pairwise judgements (AHP) are
in :mod:`workbook.plan.ahp`; selection within the budget and the probability of being funded in
:mod:`workbook.plan.budget`.

Each method has a pure numeric kernel (``_saw``, ``_topsis``, ``_usg``...) working on numpy
arrays, and a public function that validates its input, calls the kernel and builds a tidy
:class:`pandas.DataFrame` in the input's row order and index. Compute code never rounds; the
reporting layer formats numbers.

Conventions that are *not* taken from a source are marked "(konvensi, tidak bersumber)" in the
docstrings and in ``docs/methods/priorities.md``.

>>> import pandas as pd
>>> usg(pd.DataFrame({"U": [4, 5, 3], "S": [5, 5, 4], "G": [4, 4, 3]}))["rank"].tolist()
[2, 1, 3]
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from workbook.core.checks import parse_numbers
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError, SettingsError
from workbook.core.settings import Settings

__all__ = [
    "usg",
    "saw",
    "topsis",
    "method_agreement",
    "weight_sensitivity",
]

_BENEFIT_WORDS = {"benefit", "max", "keuntungan", "manfaat", "+"}
_COST_WORDS = {"cost", "min", "biaya", "-"}


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
        num = parse_numbers(raw)[0]
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
