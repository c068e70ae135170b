"""Cluster-validation kernels of :class:`~workbook.needs.profiles.NeedProfiles`: pure functions
on arrays (nearest centroids, clusterwise Jaccard stability, gap statistic, mixture BIC).

The method and its sources are described in the class docstring and ``docs/methods/profiles.md``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.mixture import GaussianMixture

__all__ = [
    "jaccard_best",
    "nearest_two",
    "log_w",
    "clusterwise_stability",
    "gap_versus_one",
    "mixture_bic",
    "masked_kmeans",
    "masked_nearest_two",
    "CompleteBackend",
    "MaskedBackend",
    "backend",
    "core_items",
    "observed_counts",
]

_INT32_MAX = np.iinfo(np.int32).max


def jaccard_best(ref: np.ndarray, new: np.ndarray, k_ref: int, k_new: int) -> np.ndarray:
    """For each reference cluster, the largest Jaccard similarity with any new cluster.

    ``ref`` and ``new`` label the same points. Returns an array of length ``k_ref`` with NaN
    for reference clusters that have no point here (Hennig 2007, eq. 2.1).
    """
    table = np.zeros((k_ref, k_new), dtype=np.int64)
    np.add.at(table, (ref, new), 1)
    a = table.sum(axis=1, keepdims=True)
    b = table.sum(axis=0, keepdims=True)
    union = a + b - table
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.where(union > 0, table / np.where(union > 0, union, 1), 0.0)
    best = jac.max(axis=1).astype(np.float64)
    best[a[:, 0] == 0] = np.nan
    return best


def nearest_two(chunk: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centroid index and certainty ``1 − d₁/d₂`` for each row of ``chunk``."""
    d2 = euclidean_distances(chunk, centers, squared=True)
    if centers.shape[0] == 1:
        return np.zeros(chunk.shape[0], dtype=np.int64), np.ones(chunk.shape[0])
    part = np.partition(d2, 1, axis=1)
    lab = np.argmin(d2, axis=1).astype(np.int64)
    d1 = np.sqrt(np.maximum(part[:, 0], 0.0).astype(np.float64))
    d_2 = np.sqrt(np.maximum(part[:, 1], 0.0).astype(np.float64))
    with np.errstate(invalid="ignore", divide="ignore"):
        cert = np.where(d_2 > 0, 1.0 - d1 / np.where(d_2 > 0, d_2, 1.0), 0.0)
    return lab, cert


def log_w(x: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> float:
    """log of the pooled within-cluster sum of squares (Tibshirani et al. 2001, eq. 2)."""
    w = float(((x.astype(np.float64) - centers[labels].astype(np.float64)) ** 2).sum())
    return math.log(w) if w > 0 else -math.inf


def clusterwise_stability(
    base_lab: np.ndarray, k: int, present: list[np.ndarray], new: list[np.ndarray]
) -> np.ndarray:
    """Mean over resamples of each reference cluster's best Jaccard (Hennig 2007).

    ``base_lab`` labels the base sample with ``k`` clusters; ``present[b]`` are the distinct
    base points drawn in resample ``b`` and ``new[b]`` their labels after re-clustering. NaN for
    a cluster never present; all NaN without resamples.
    """
    if not present:
        return np.full(k, np.nan)
    jac = np.vstack(
        [
            jaccard_best(base_lab[u], lab, k, int(lab.max()) + 1)
            for u, lab in zip(present, new, strict=True)
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(jac, axis=0)


def gap_versus_one(
    k: int, X_base: np.ndarray, reference: list[np.ndarray], r: np.random.RandomState,
    backend: CompleteBackend | MaskedBackend | None = None,
) -> tuple[float, float]:
    """Gap statistic of ``k`` clusters versus one and its standard error (Tibshirani 2001).

    With :math:`\\Delta_k = \\log W_1 - \\log W_k` on ``X_base`` and on each null ``reference``
    set, returns :math:`\\Delta_k - \\overline{\\Delta^*_k}` and
    :math:`\\mathrm{sd}(\\Delta^*_k)\\sqrt{1 + 1/B}`; NaN when ``k`` is 1, the sample is too small
    or there is no reference. k-means seeds are drawn from ``r``; ``backend``
    (:class:`CompleteBackend` by default, :class:`MaskedBackend` for partial distances) clusters
    and measures the within-cluster sum of squares.
    """
    be = CompleteBackend() if backend is None else backend
    if k == 1 or X_base.shape[0] <= k or not reference:
        return np.nan, np.nan

    def drop(x: np.ndarray) -> float:
        w1 = be.fit(1, x, 0)[2]
        wk = be.fit(k, x, r.randint(_INT32_MAX))[2]
        lw1 = math.log(w1) if w1 > 0 else -math.inf
        lwk = math.log(wk) if wk > 0 else -math.inf
        if not np.isfinite(lw1):
            return 0.0
        if not np.isfinite(lwk):
            return math.inf
        return lw1 - lwk

    d_data = drop(X_base)
    d_ref = np.array([drop(x) for x in reference], dtype=np.float64)
    if not np.isfinite(d_ref).all():
        return np.nan, np.nan
    se = float(d_ref.std(ddof=0) * math.sqrt(1.0 + 1.0 / d_ref.size))
    return float(d_data - d_ref.mean()), se


def mixture_bic(k: int, X_bic: np.ndarray, centers: np.ndarray, seed: int) -> float:
    """BIC of a regularised diagonal Gaussian mixture started at ``centers`` (Schwarz 1978).

    NaN when ``X_bic`` has at most ``2k`` rows or the mixture cannot be fitted.
    """
    if X_bic.shape[0] <= 2 * k:
        return np.nan
    gm = GaussianMixture(
        k,
        covariance_type="diag",
        reg_covar=1e-3,
        means_init=centers,
        max_iter=20,
        init_params="random_from_data",
        random_state=seed,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gm.fit(X_bic.astype(np.float64))
        return float(gm.bic(X_bic.astype(np.float64)))
    except ValueError:
        return np.nan


def masked_kmeans(
    X: np.ndarray, k: int, *, n_init: int = 5, max_iter: int = 100, seed: int = 0,
    init: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """k-means on incomplete data with the partial distance strategy (Hathaway & Bezdek 2001).

    The squared distance of row ``i`` to centroid ``c`` sums over the items observed in row
    ``i`` only, scaled by ``p / p_i`` (``p_i`` observed items); a centroid is the mean of its
    members' *observed* values per item (an item none of its members has keeps the overall
    observed mean). A blank never enters a distance or a mean — nothing is imputed. Starts:
    k-means++ (Arthur & Vassilvitskii 2007) on partial distances, best of ``n_init`` by the
    objective. Returns ``(labels, centers, objective)``; rows with no observed item get -1.
    """
    obs = ~np.isnan(X)
    Z = np.where(obs, X, 0.0)
    m = obs.astype(np.float64)
    p_i = m.sum(axis=1)
    ok = p_i > 0
    scale = np.where(ok, X.shape[1] / np.maximum(p_i, 1), 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        overall = np.nan_to_num(np.nanmean(X, axis=0))

    z2 = (Z**2).sum(axis=1, keepdims=True)

    def dist(C: np.ndarray) -> np.ndarray:
        # sum_j m_ij (x_ij - c_j)^2 = sum m x² - 2 x·c + m·c²
        d = z2 - 2 * Z @ C.T + m @ (C**2).T
        return np.maximum(d, 0.0) * scale[:, None]

    def centres(lab: np.ndarray) -> np.ndarray:
        onehot = np.zeros((X.shape[0], k))
        onehot[lab >= 0, lab[lab >= 0]] = 1.0
        cnt, tot = onehot.T @ m, onehot.T @ Z
        return np.where(cnt > 0, tot / np.maximum(cnt, 1), overall)

    rng = np.random.default_rng(seed)
    rows = np.flatnonzero(ok)
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    for _ in range(1 if init is not None else n_init):
        if init is not None:
            C = np.asarray(init, dtype=np.float64).copy()
        else:
            first = X[rng.choice(rows)]
            C = [np.where(np.isnan(first), overall, first)]
            for _c in range(1, k):
                d = dist(np.array(C)).min(axis=1)[rows]
                pick = rows[rng.choice(rows.size, p=d / d.sum())] if d.sum() > 0 else rng.choice(rows)
                C.append(np.where(np.isnan(X[pick]), overall, X[pick]))
            C = np.array(C)
        lab = np.full(X.shape[0], -1, dtype=np.int64)
        for _it in range(max_iter):
            new = np.where(ok, dist(C).argmin(axis=1), -1)
            if np.array_equal(new, lab):
                break
            lab = new
            C = centres(lab)
        obj = float(dist(C)[rows, lab[rows]].sum())
        if best is None or obj < best[2]:
            best = (lab, C, obj)
    assert best is not None
    return best


def masked_nearest_two(chunk: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`nearest_two` with partial distances (blanks skipped, see :func:`masked_kmeans`)."""
    obs = ~np.isnan(chunk)
    Z = np.where(obs, chunk, 0.0).astype(np.float64)
    m = obs.astype(np.float64)
    d2 = (Z**2).sum(axis=1, keepdims=True) - 2 * Z @ centers.T + m @ (centers**2).T
    d2 = np.maximum(d2, 0.0) * (chunk.shape[1] / np.maximum(m.sum(axis=1), 1))[:, None]
    if centers.shape[0] == 1:
        return np.zeros(chunk.shape[0], dtype=np.int64), np.ones(chunk.shape[0])
    part = np.partition(d2, 1, axis=1)
    lab = np.argmin(d2, axis=1).astype(np.int64)
    d1, d_2 = np.sqrt(part[:, 0]), np.sqrt(part[:, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        cert = np.where(d_2 > 0, 1.0 - d1 / np.where(d_2 > 0, d_2, 1.0), 0.0)
    return lab, cert


def pairwise_partial(X: np.ndarray) -> np.ndarray:
    """Pairwise partial Euclidean distances: ``sqrt(p / p_ab · Σ_shared (x_a − x_b)²)`` over the
    ``p_ab`` items both rows have (equal to scikit-learn's ``nan_euclidean_distances``, computed
    with three matrix products); a pair with no item in common gets the largest distance."""
    obs = ~np.isnan(X)
    Z = np.where(obs, X, 0.0).astype(np.float64)
    m = obs.astype(np.float64)
    sq = Z**2
    num = sq @ m.T + m @ sq.T - 2 * Z @ Z.T
    shared = m @ m.T
    with np.errstate(invalid="ignore", divide="ignore"):
        D = np.sqrt(np.maximum(num, 0.0) * X.shape[1] / shared)
    D[shared == 0] = np.nan
    if np.isnan(D).any():
        D = np.where(np.isnan(D), np.nanmax(D) if np.isfinite(D).any() else 0.0, D)
    np.fill_diagonal(D, 0.0)
    return D


class CompleteBackend:
    """k-means on complete (imputed) data: scikit-learn's ``KMeans``, Euclidean distances."""

    masked = False

    def forget(self) -> None:
        """Nothing is kept between calls."""

    @staticmethod
    def fit(k: int, X: np.ndarray, seed: int, n_init: int = 1, init: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray, float]:
        if k == 1:
            c = X.astype(np.float64).mean(axis=0, keepdims=True)
            return np.zeros(X.shape[0], dtype=np.int64), c, float(((X - c) ** 2).sum())
        km = KMeans(k, n_init=1 if init is not None else n_init,
                    init=init if init is not None else "k-means++", random_state=seed).fit(X)
        return km.labels_.astype(np.int64), km.cluster_centers_, float(km.inertia_)

    nearest = staticmethod(nearest_two)

    @staticmethod
    def silhouette(X: np.ndarray, lab: np.ndarray) -> float:
        return float(silhouette_score(X, lab))

    @staticmethod
    def reference(X_base: np.ndarray, n_reference: int, seed: int) -> list[np.ndarray]:
        """Uniform samples in the principal-component box of ``X_base`` (Tibshirani 2001, b)."""
        xb = X_base.astype(np.float64)
        mean = xb.mean(axis=0)
        _, _, vt = np.linalg.svd(xb - mean, full_matrices=False)
        z = (xb - mean) @ vt.T
        lo, hi = z.min(axis=0), z.max(axis=0)
        r = np.random.RandomState(seed)
        return [r.uniform(lo, hi, size=z.shape) @ vt + mean for _ in range(n_reference)]


class MaskedBackend:
    """k-means with partial distances on incomplete data (:func:`masked_kmeans`): a blank — a
    competency that does not apply to the person, or an unknown level — is skipped, never
    imputed."""

    masked = True

    @staticmethod
    def fit(k: int, X: np.ndarray, seed: int, n_init: int = 1, init: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray, float]:
        lab, c, obj = masked_kmeans(X.astype(np.float64), k, n_init=n_init, seed=seed, init=init)
        return lab, c, obj

    nearest = staticmethod(masked_nearest_two)

    def __init__(self) -> None:
        self._last: tuple[np.ndarray, np.ndarray] | None = None

    def forget(self) -> None:
        """Drop the kept distance matrix (after a fit)."""
        self._last = None

    def silhouette(self, X: np.ndarray, lab: np.ndarray) -> float:
        """Silhouette on pairwise partial distances (as scikit-learn ``nan_euclidean_distances``:
        over the items both rows have, scaled by items / shared items). The distance matrix of
        the last ``X`` is kept: every k is scored on the same silhouette sample."""
        if self._last is None or self._last[0] is not X:
            self._last = (X, pairwise_partial(X))
        return float(silhouette_score(self._last[1], lab, metric="precomputed"))

    @staticmethod
    def reference(X_base: np.ndarray, n_reference: int, seed: int) -> list[np.ndarray]:
        """Tibshirani's reference (b) for incomplete data: uniform in the box of the principal
        components of the pairwise-complete covariance (rows projected with blanks at the item
        mean), then given the base sample's blanks, row by row."""
        xb = X_base.astype(np.float64)
        blank = np.isnan(xb)
        mean = np.nan_to_num(np.nanmean(xb, axis=0))
        cov = pd.DataFrame(xb).cov(min_periods=2).fillna(0.0).to_numpy()
        _, vecs = np.linalg.eigh(cov)
        xc = np.where(blank, 0.0, xb - mean)
        z = xc @ vecs
        lo, hi = z.min(axis=0), z.max(axis=0)
        r = np.random.RandomState(seed)
        out = []
        for _ in range(n_reference):
            ref = r.uniform(lo, hi, size=z.shape) @ vecs.T + mean
            ref[blank] = np.nan
            out.append(ref)
        return out


def backend(missing: str) -> CompleteBackend | MaskedBackend:
    """The k-means backend of a ``missing`` strategy of :class:`NeedProfiles`."""
    return MaskedBackend() if missing == "masked" else CompleteBackend()


def core_items(X: np.ndarray, share: float, chunk: int = 65_536) -> np.ndarray:
    """Indices of the columns answered by at least ``share`` of the rows that are not entirely
    blank (all columns when none reaches it): the competencies nearly everyone has."""
    answered = np.zeros(X.shape[1])
    n_rows = 0
    for s in range(0, X.shape[0], chunk):
        obs = ~np.isnan(X[s : s + chunk])
        obs = obs[obs.any(axis=1)]
        answered += obs.sum(axis=0)
        n_rows += obs.shape[0]
    core = np.flatnonzero(answered / max(n_rows, 1) >= share)
    return core if core.size else np.arange(X.shape[1])


def observed_counts(X: np.ndarray, labels: np.ndarray, k: int, chunk: int = 65_536) -> np.ndarray:
    """Answers (non-blank cells) per cluster × column; rows labelled ``-1`` are not counted."""
    counts = np.zeros((k, X.shape[1]), dtype=np.int64)
    for s in range(0, X.shape[0], chunk):
        lab = labels[s : s + chunk]
        obs = ~np.isnan(X[s : s + chunk])
        for c in range(k):
            counts[c] += obs[lab == c].sum(axis=0)
    return counts
