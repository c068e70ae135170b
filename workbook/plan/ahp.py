"""Criterion weights from pairwise judgements: the Analytic Hierarchy Process (Saaty), with the
consistency ratio and the most inconsistent judgement named.

The kernels (``_ahp_eigen``, ``_ahp_consistency``, ``_ahp_worst``) work on numpy arrays;
:func:`ahp` validates the judgements (one matrix, or one per rater combined by the geometric
mean) and returns an :class:`AHPResult`. The weights feed SAW/TOPSIS in
:mod:`workbook.plan.mcda`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError, InconsistentJudgementsError, SettingsError
from workbook.core.settings import Settings

__all__ = ["AHPResult", "ahp"]

_SAATY_MIN = 1.0 / 9.0
_SAATY_MAX = 9.0
_SAATY_SCALE = np.array([1 / k for k in range(9, 1, -1)] + list(range(1, 10)), dtype=float)
#: |a_ij * a_ji - 1| accepted as "reciprocal" (0.33 typed for 1/3 gives 0.01).
_RECIPROCAL_RTOL = 0.02
_DIAGONAL_ATOL = 1e-9


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
