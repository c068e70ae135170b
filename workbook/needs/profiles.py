"""Need profiles: groups of respondents with a similar pattern of competency needs.

:class:`NeedProfiles` is a scikit-learn estimator (``__init__`` stores arguments only, ``fit``
returns ``self``, learned attributes end in ``_``, randomness through ``random_state``). It
takes a respondents × items table of gaps (``level − standard``, negative = shortfall, the
workbook's convention, DOMAIN §1.6) or of need ratings, with blank answers allowed, and:

1. excludes rows that are entirely blank (counted in ``n_excluded_``, labelled ``-1``);
2. handles the remaining blanks by ``missing``: ``"masked"`` (the workbook's setting) skips them
   in every distance and mean — a competency that does not apply to a person is structurally
   missing, never imputed; ``"core"`` clusters only the items nearly everyone has; ``"median"``
   imputes the item median (the old method);
3. chooses the number of profiles on random subsamples (k-means per k, silhouette on a sample,
   Calinski–Harabasz, Gaussian-mixture BIC, bootstrap stability, gap statistic);
4. tests the chosen partition against a null reference (no structure → one profile);
5. fits the final centroids on a subsample and assigns *every* row to its nearest centroid in
   chunks (data held as float32), with an assignment certainty;
6. relabels the profiles canonically (0 = largest; ties by centroid order).

The method and the measured speed are described in ``docs/methods/profiles.md``. The pure
cluster-validation kernels are in :mod:`workbook.needs.clustering`; the profile cards (what a
person reads about each profile) are :func:`workbook.needs.cards.describe_profiles`.

The model is decision *support*: profiles describe groups for planning, they do not place
individuals (UU 27/2022 PDP; DOMAIN §5.1). Suppression of small groups happens in the
reporting layer, not here.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.metrics import calinski_harabasz_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from workbook.core.exceptions import DataError, SettingsError
from workbook.needs.clustering import (
    backend,
    clusterwise_stability,
    core_items,
    gap_versus_one,
    mixture_bic,
    observed_counts,
)

__all__ = [
    "NeedProfiles",
    "ProfileInputError",
    "ProfileInputTypeError",
    "ProfileParameterError",
    "MISSING",
]

_CHUNK_ROWS = 65_536

#: how blanks are handled (``missing``): ``"median"`` imputes the item median and clusters all
#: items; ``"core"`` clusters only the items nearly everyone has (``core_share``), imputing the
#: few blanks there; ``"masked"`` clusters all items with partial distances, imputing nothing
MISSING = ("median", "core", "masked")
_INT32_MAX = np.iinfo(np.int32).max


class ProfileInputError(DataError, ValueError):
    """The table given to :class:`NeedProfiles` cannot be used as it is.

    A :class:`~workbook.core.exceptions.DataError` that is also a :class:`ValueError`, so that
    scikit-learn tooling (pipelines, ``check_estimator``) recognises it as bad input.
    """


class ProfileInputTypeError(ProfileInputError, TypeError):
    """A :class:`ProfileInputError` raised where scikit-learn raises a :class:`TypeError`
    (values that are not numbers at all, sparse matrices)."""


class ProfileParameterError(SettingsError, ValueError):
    """A parameter of :class:`NeedProfiles` is out of range or of the wrong type."""


# --------------------------------------------------------------------------- estimator


class NeedProfiles(ClusterMixin, BaseEstimator):
    """Need profiles: k-means partition of respondents by their pattern of competency needs.

    Parameters
    ----------
    n_profiles : int or None, default=None
        Fix the number of profiles. ``None`` chooses it from ``k_range`` (see Notes).
    k_range : tuple of (int, int), default=(2, 10)
        Smallest and largest number of profiles tried (inclusive). The workbook's default is
        the setting ``profiles.k_range``.
    n_bootstrap : int, default=20
        Bootstrap resamples for the clusterwise stability (Hennig 2007); setting
        ``profiles.n_bootstrap``.
    random_state : int, RandomState instance or None, default=None
        Seeds every random step (subsamples, k-means++ starts, bootstraps, null references).
    need_direction : {"negative", "positive"}, default="negative"
        ``"negative"``: values are gaps ``level − standard`` and a need is a negative mean
        (DOMAIN §1.6). ``"positive"``: higher values mean more need (e.g. need ratings).
        Not used by the fit; the profile cards (:func:`workbook.needs.cards.describe_profiles`)
        read it.
    scale : bool, default=False
        Standardise items before clustering. Off by default: gaps and ratings share one
        scale (competency levels), and standardising would inflate items that barely vary.
    selection_size : int, default=5_000
        Rows of the random subsample on which k-means is run for each k (and Calinski–Harabasz
        computed).
    silhouette_size : int, default=2_000
        Rows of the subsample on which the silhouette is computed.
    bic_size : int, default=2_000
        Rows on which the Gaussian mixture for the BIC is fitted.
    stability_size : int, default=1_000
        Rows of the base sample that is bootstrapped for stability and that the null reference
        mimics.
    fit_size : int, default=50_000
        Rows on which the final centroids are refined before all rows are assigned.
    n_init : int, default=3
        k-means++ restarts per k on the selection sample.
    n_reference : int, default=10
        Null-reference data sets for the gap statistic.
    min_profile_share : float, default=0.01
        A k whose smallest profile holds a smaller share of the selection sample is not chosen.
    stability_stable, stability_doubtful : float or None, default=None
        Jaccard thresholds for "stabil" and "ragu"; ``None`` reads the settings
        ``profiles.stability_stable`` (0.75) and ``profiles.stability_doubtful`` (0.60).
    missing : {"masked", "core", "median"} or None, default=None
        How blanks are handled (see Notes); ``None`` reads the setting ``profiles.missing``.
    core_share : float, default=0.9
        With ``missing="core"``: an item is fitted when at least this share of the rows answer it.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,), int64
        Profile of each row, ``-1`` for rows with every answer blank.
    n_profiles_ : int
        Number of profiles (1 when no structure was found and ``n_profiles`` was not fixed).
    structure_found_ : bool
        Whether the chosen partition beats the null reference (gap statistic, see Notes).
    selection_ : pandas.DataFrame
        One row per k tried: ``k``, ``inertia``, ``silhouette``, ``calinski_harabasz``,
        ``bic``, ``min_profile_size``, ``min_profile_share``, ``stability``, ``gap``,
        ``gap_se``, ``chosen``.
    cluster_centers_ : pandas.DataFrame
        Profile centroids in the original item units, one row per profile, one column per item
        fitted (``items_used_``). With ``"masked"`` they are the members' observed means (NaN
        for an item none of the members has); with ``"median"`` they include imputed values.
    items_used_ : list of str
        The items the profiles were fitted on (all but with ``missing="core"``).
    stability_ : ndarray of shape (n_profiles_,)
        Clusterwise bootstrap Jaccard stability of each profile (1.0 for a single profile).
    stability_label_ : list of str
        "stabil", "ragu" or "tidak dapat dipercaya" per profile.
    certainty_ : ndarray of shape (n_samples,)
        Assignment certainty ``1 − d₁/d₂`` in [0, 1] (NaN for excluded rows).
    profile_sizes_ : ndarray of shape (n_profiles_,)
        Number of rows in each profile.
    n_excluded_ : int
        Rows with every answer blank (not assigned).
    imputer_ : sklearn.pipeline.Pipeline
        The fitted preprocessing (median imputer unless ``"masked"``, optional scaler).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names (scikit-learn convention); ``item_names_``
        always holds the item names used in outputs.

    Notes
    -----
    **Blanks.** Rows with every item blank are excluded and counted. With ``"masked"`` every
    other blank is skipped: k-means with the partial distance strategy (Hathaway & Bezdek
    2001) — the squared distance of a row to a centroid sums over the row's answered items,
    scaled by items / answered items, and a centroid is its members' mean of the answered
    values; silhouettes use the same pairwise partial distance (``nan_euclidean_distances``),
    the Calinski–Harabasz ratio and the BIC are not computed (NaN). With ``"median"`` blanks are
    replaced by the item's median over the fit sample, which gives a teacher the nurses' typical
    health-service gap; ``"core"`` does so only for the rare blanks of the items fitted. The
    choice of ``"masked"`` was measured (``docs/methods/profiles.md``).

    **Choice of k.** For each k the data subsample is clustered by k-means with k-means++
    starts (Arthur & Vassilvitskii 2007). Reported per k: the mean silhouette
    :math:`s = \\frac{1}{n}\\sum_i \\frac{b_i - a_i}{\\max(a_i, b_i)}` (Rousseeuw 1987) on a
    random sample; the Calinski–Harabasz ratio
    :math:`\\frac{\\operatorname{tr} B_k/(k-1)}{\\operatorname{tr} W_k/(n-k)}` (Caliński &
    Harabasz 1974); the BIC :math:`-2\\ln\\hat L + p\\ln n` (Schwarz 1978) of a regularised
    diagonal Gaussian mixture started at the k-means centroids; the smallest profile; the mean
    clusterwise bootstrap Jaccard (Hennig 2007). The chosen k maximises the silhouette among
    the k whose stability is at least ``stability_doubtful`` and whose smallest profile holds
    at least ``min_profile_share`` (all k if none qualifies).

    **Null reference.** The silhouette cannot score a single group, so the chosen partition is
    compared with data without profiles: ``n_reference`` uniform samples from the box spanned
    by the principal components of the base sample (Tibshirani, Walther & Hastie 2001,
    method b). With :math:`\\Delta_k = \\log W_1 - \\log W_k` the drop in log within-cluster
    dispersion, :math:`\\mathrm{gap}_k - \\mathrm{gap}_1 = \\Delta_k - \\overline{\\Delta^*_k}`.
    Structure is found when this exceeds :math:`s_k = \\mathrm{sd}(\\Delta^*_k)\\sqrt{1+1/B}`
    (the one-standard-error rule of Tibshirani et al. applied to k versus 1). A single
    Gaussian blob or uniform cloud gives no structure; ``n_profiles_`` is then 1 unless
    ``n_profiles`` was fixed.

    **Stability.** The base sample is resampled with replacement ``n_bootstrap`` times; each
    resample is re-clustered; for every profile the largest Jaccard similarity with a new
    cluster, on the points present in the resample, is averaged over resamples (Hennig 2007).
    Hennig's reading: ≥ 0.75 stable, 0.6–0.75 doubtful, < 0.6 not to be trusted.

    **Certainty.** With :math:`d_1 \\le d_2` the distances to the nearest two centroids,
    certainty is :math:`1 - d_1/d_2`: 0 on the boundary between two profiles, 1 at a centroid.

    **Canonical labels.** Profiles are numbered by size over all assigned rows (0 = largest),
    ties broken by the lexicographic order of the centroids, so that the same data and seed
    give the same labels and reports do not reshuffle between runs.

    References
    ----------
    .. [1] Rousseeuw, P. J. (1987). Silhouettes: a graphical aid to the interpretation and
       validation of cluster analysis. *J. Comput. Appl. Math.* 20, 53–65.
    .. [2] Caliński, T., & Harabasz, J. (1974). A dendrite method for cluster analysis.
       *Commun. Stat.* 3(1), 1–27.
    .. [3] Schwarz, G. (1978). Estimating the dimension of a model. *Ann. Stat.* 6(2), 461–464.
    .. [4] Tibshirani, R., Walther, G., & Hastie, T. (2001). Estimating the number of clusters
       in a data set via the gap statistic. *J. R. Stat. Soc. B* 63(2), 411–423.
    .. [5] Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Comput. Stat. Data
       Anal.* 52(1), 258–271.
    .. [6] Arthur, D., & Vassilvitskii, S. (2007). k-means++: the advantages of careful
       seeding. *Proc. 18th ACM-SIAM SODA*, 1027–1035.
    .. [7] Hathaway, R. J., & Bezdek, J. C. (2001). Fuzzy c-means clustering of incomplete
       data. *IEEE Trans. Syst. Man Cybern. B* 31(5), 735–744.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> centres = np.array([[-2.0] * 6, [0.0] * 6, [2.0] * 6])
    >>> X = centres[rng.integers(0, 3, 300)] + rng.normal(0, 0.3, (300, 6))
    >>> model = NeedProfiles(k_range=(2, 5), n_bootstrap=5, random_state=0).fit(X)
    >>> model.n_profiles_, model.structure_found_
    (3, True)
    """

    def __init__(
        self,
        n_profiles: int | None = None,
        *,
        k_range: Sequence[int] = (2, 10),
        n_bootstrap: int = 20,
        random_state: int | np.random.RandomState | None = None,
        need_direction: str = "negative",
        scale: bool = False,
        selection_size: int = 5_000,
        silhouette_size: int = 2_000,
        bic_size: int = 2_000,
        stability_size: int = 1_000,
        fit_size: int = 50_000,
        n_init: int = 3,
        n_reference: int = 10,
        min_profile_share: float = 0.01,
        stability_stable: float | None = None,
        stability_doubtful: float | None = None,
        missing: str | None = None,
        core_share: float = 0.9,
    ) -> None:
        self.n_profiles = n_profiles
        self.k_range = k_range
        self.n_bootstrap = n_bootstrap
        self.random_state = random_state
        self.need_direction = need_direction
        self.scale = scale
        self.selection_size = selection_size
        self.silhouette_size = silhouette_size
        self.bic_size = bic_size
        self.stability_size = stability_size
        self.fit_size = fit_size
        self.n_init = n_init
        self.n_reference = n_reference
        self.min_profile_share = min_profile_share
        self.stability_stable = stability_stable
        self.stability_doubtful = stability_doubtful
        self.missing = missing
        self.core_share = core_share

    # ------------------------------------------------------------------ sklearn plumbing

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = False
        return tags

    def _more_tags(self) -> dict[str, Any]:  # scikit-learn < 1.6
        return {"allow_nan": True}

    # ------------------------------------------------------------------ validation

    def _missing_strategy(self) -> str:
        """``missing``, or the setting ``profiles.missing`` when it is None."""
        if self.missing is not None:
            return str(self.missing)
        from workbook.core.settings import load_settings

        value = str(load_settings()["profiles.missing"])
        if value not in MISSING:
            raise ProfileParameterError(
                f"Setelan 'profiles.missing' = {value!r} tidak valid; seharusnya salah satu dari "
                + ", ".join(MISSING) + ".",
                f"Setting 'profiles.missing' = {value!r} is invalid; expected one of "
                + ", ".join(MISSING) + ".",
                column="profiles.missing", value=value, expected=" | ".join(MISSING),
            )
        return value

    def _check_params(self) -> tuple[list[int], float, float]:
        def bad(name: str, value: Any, expected: str) -> ProfileParameterError:
            return ProfileParameterError(
                f"Parameter '{name}' = {value!r} tidak valid; seharusnya {expected}.",
                f"Parameter '{name}' = {value!r} is invalid; expected {expected}.",
                column=name,
                value=value,
                expected=expected,
            )

        def is_int(v: Any) -> bool:
            return isinstance(v, (int, np.integer)) and not isinstance(v, bool)

        for name in (
            "n_bootstrap",
            "selection_size",
            "silhouette_size",
            "bic_size",
            "stability_size",
            "fit_size",
            "n_init",
            "n_reference",
        ):
            v = getattr(self, name)
            minimum = 0 if name == "n_bootstrap" else (1 if name in ("n_init",) else 2)
            if not is_int(v) or v < minimum:
                raise bad(name, v, f"an integer ≥ {minimum} / bilangan bulat ≥ {minimum}")
        if self.n_profiles is not None:
            if not is_int(self.n_profiles) or self.n_profiles < 1:
                raise bad("n_profiles", self.n_profiles, "None or an integer ≥ 1")
            ks = [int(self.n_profiles)]
        else:
            kr = self.k_range
            if (
                not isinstance(kr, (tuple, list))
                or len(kr) != 2
                or not all(is_int(v) for v in kr)
                or kr[0] < 2
                or kr[1] < kr[0]
            ):
                raise bad("k_range", kr, "(k_min, k_max) with 2 ≤ k_min ≤ k_max")
            ks = list(range(int(kr[0]), int(kr[1]) + 1))
        if self.missing not in (None, *MISSING):
            raise bad("missing", self.missing, "None or one of " + ", ".join(MISSING))
        if not (0.0 < float(self.core_share) <= 1.0):
            raise bad("core_share", self.core_share, "a share in (0, 1]")
        if self.need_direction not in ("negative", "positive"):
            raise bad("need_direction", self.need_direction, "'negative' or 'positive'")
        if not (0.0 <= float(self.min_profile_share) < 1.0):
            raise bad("min_profile_share", self.min_profile_share, "a share in [0, 1)")
        stable, doubtful = self.stability_stable, self.stability_doubtful
        if stable is None or doubtful is None:
            from workbook.core.settings import load_settings

            s = load_settings()
            stable = s["profiles.stability_stable"] if stable is None else stable
            doubtful = s["profiles.stability_doubtful"] if doubtful is None else doubtful
        if not (0.0 <= float(doubtful) <= float(stable) <= 1.0):
            raise bad(
                "stability_stable/stability_doubtful",
                (stable, doubtful),
                "0 ≤ doubtful ≤ stable ≤ 1",
            )
        return ks, float(stable), float(doubtful)

    def _validate_X(self, X: Any, *, reset: bool) -> np.ndarray:
        if isinstance(X, pd.DataFrame):
            bad_cols = [
                str(c)
                for c in X.columns
                if not (
                    pd.api.types.is_numeric_dtype(X[c].dtype)
                    and not pd.api.types.is_bool_dtype(X[c].dtype)
                )
            ]
            if bad_cols:
                shown = ", ".join(bad_cols[:5]) + (" …" if len(bad_cols) > 5 else "")
                raise ProfileInputError(
                    f"Kolom berikut tidak berisi angka: {shown}. Profil kebutuhan hanya dapat "
                    "dihitung dari selisih (gap) atau skor numerik; pisahkan kolom identitas "
                    "dan kategori sebelum analisis.",
                    f"These columns are not numeric: {shown}. Need profiles are computed from "
                    "numeric gaps or ratings only; separate identity and category columns "
                    "before the analysis.",
                    column=bad_cols[0],
                    expected="numeric",
                )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                Xv = validate_data(
                    self,
                    X,
                    reset=reset,
                    dtype=np.float32,
                    ensure_all_finite="allow-nan",
                    ensure_min_samples=1,
                    copy=False,
                )
        except (ValueError, TypeError) as exc:
            cls = ProfileInputTypeError if isinstance(exc, TypeError) else ProfileInputError
            raise cls(
                "Data untuk profil kebutuhan tidak dapat dipakai: harus tabel angka "
                f"(responden × butir), boleh berisi sel kosong. Rincian: {exc}",
                f"The data for need profiles cannot be used: it must be a numeric table "
                f"(respondents × items); blank cells are allowed. Details: {exc}",
            ) from exc
        return Xv

    # ------------------------------------------------------------------ fitting

    def fit(self, X: Any, y: Any = None) -> NeedProfiles:
        """Find the need profiles in ``X``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_items)
            Gaps or ratings, NaN for blank answers.
        y : ignored

        Returns
        -------
        self : NeedProfiles

        Raises
        ------
        ProfileInputError
            Non-numeric values, infinite values, or too few usable rows for the k asked.
        ProfileParameterError
            A parameter out of range.
        """
        ks, stable_thr, doubtful_thr = self._check_params()
        self._missing = self._missing_strategy()
        self._be = backend(self._missing)
        Xv = self._validate_X(X, reset=True)
        # Every model is fitted on a subsample of a few thousand rows, where starting thread
        # pools costs more than it saves (measured ~10× slower with 2 OpenMP threads on a
        # 2-core machine); the chunked assignment is memory-bound. So: one thread.
        with threadpool_limits(limits=1):
            return self._fit(X, Xv, ks, stable_thr, doubtful_thr)

    def _fit(
        self, X: Any, Xv: np.ndarray, ks: list[int], stable_thr: float, doubtful_thr: float
    ) -> NeedProfiles:
        n, p = Xv.shape
        if isinstance(X, pd.DataFrame):
            self.item_names_ = [str(c) for c in X.columns]
        else:
            self.item_names_ = [f"x{j}" for j in range(p)]
        self._used = self._core_items(Xv)
        self.items_used_ = [self.item_names_[j] for j in self._used]
        Xv = Xv[:, self._used] if self._used.size < p else Xv
        p = Xv.shape[1]

        blank = self._all_blank(Xv)
        valid_idx = np.flatnonzero(~blank)
        n_valid = int(valid_idx.size)
        self.n_excluded_ = int(n - n_valid)
        ks = self._usable_ks(ks, n_valid)

        rng = check_random_state(self.random_state)
        seeds = rng.randint(0, _INT32_MAX, size=8)

        def subsample(size: int, seed: int) -> np.ndarray:
            if n_valid <= size:
                return valid_idx
            r = np.random.RandomState(seed)
            return np.sort(valid_idx[r.choice(n_valid, size, replace=False)])

        # preprocessing: median imputation (+ optional scaling), fitted on the fit sample
        fit_idx = subsample(self.fit_size, seeds[0])
        steps: list[tuple[str, Any]] = []
        if not self._be.masked:
            steps.append(("impute", SimpleImputer(strategy="median", keep_empty_features=True)))
        if self.scale:
            steps.append(("scale", StandardScaler()))
        if not steps:
            steps.append(("keep", "passthrough"))
        self.imputer_ = Pipeline(steps)
        X_fit = self._prep_fit(Xv[fit_idx])

        # nested subsamples: selection ⊂ fit, silhouette/bic/stability ⊂ selection
        r_sel = np.random.RandomState(seeds[1])
        order = r_sel.permutation(X_fit.shape[0])
        sel = order[: min(self.selection_size, order.size)]
        X_sel = X_fit[sel]
        X_sil = X_sel[: self.silhouette_size]
        X_bic = X_sel[: self.bic_size]
        X_base = X_sel[: self.stability_size]

        reference = self._null_reference(X_base, seeds[2])
        rows: list[dict[str, Any]] = []
        models: dict[int, np.ndarray] = {}
        boots: dict[int, tuple[list[np.ndarray], list[np.ndarray]]] = {}
        for k in ks:
            row, centers, boot = self._score_k(
                k, X_sel, X_sil, X_bic, X_base, reference, int(seeds[3]) + k
            )
            rows.append(row)
            models[k] = centers
            boots[k] = boot
        selection = pd.DataFrame(rows)

        # choice of k
        k_star = ks[0] if self.n_profiles is not None else self._choose_k(selection, doubtful_thr)
        # gap statistic of the chosen k versus one group, against the null reference
        gap_diff, gap_se = gap_versus_one(
            k_star, X_base, reference, np.random.RandomState(seeds[5]), self._be
        )
        self._be.forget()
        selection.loc[selection["k"] == k_star, ["gap", "gap_se"]] = [gap_diff, gap_se]
        structure = bool(k_star > 1 and np.isfinite(gap_diff) and gap_diff > gap_se)
        self.structure_found_ = structure
        k_final = k_star if (structure or self.n_profiles is not None) else 1
        selection["chosen"] = selection["k"] == k_final
        self.selection_ = selection

        # final centroids: k-means on the fit sample started at the selection centroids
        init = None if k_final == 1 else models[k_final]
        centers = self._be.fit(k_final, X_fit, int(seeds[4]), init=init)[1]

        # assign every row in chunks, then canonicalise
        labels, certainty = self._assign(Xv, centers, blank)
        counts = np.bincount(labels[labels >= 0], minlength=k_final)
        perm = np.lexsort(tuple(centers[:, j] for j in range(p - 1, -1, -1)) + (-counts,))
        rank = np.empty(k_final, dtype=np.int64)
        rank[perm] = np.arange(k_final)
        labels = np.where(labels >= 0, rank[np.maximum(labels, 0)], -1)
        centers = centers[perm]
        self._centers_internal = centers
        self.labels_ = labels
        self.certainty_ = certainty
        self.n_profiles_ = int(k_final)
        self.profile_sizes_ = counts[perm]

        # clusterwise stability of the final profiles on the base sample
        if k_final == 1:
            stab = np.ones(1)
        else:
            base_lab, _ = self._be.nearest(X_base, centers)
            stab = clusterwise_stability(base_lab, k_final, *boots[k_final])
        self.stability_ = stab
        self.stability_label_ = [self._label(s, stable_thr, doubtful_thr) for s in stab]
        self._thresholds = (stable_thr, doubtful_thr)

        shown = centers
        if self.scale:
            shown = self.imputer_.named_steps["scale"].inverse_transform(centers)
        if self._be.masked:  # an item none of a profile's members has: no centre value
            shown = np.where(observed_counts(Xv, labels, k_final, _CHUNK_ROWS) > 0, shown, np.nan)
        self.cluster_centers_ = pd.DataFrame(
            np.asarray(shown, dtype=np.float64),
            columns=self.items_used_,
            index=pd.RangeIndex(k_final, name="profile"),
        )
        return self

    # ------------------------------------------------------------------ pieces

    def _usable_ks(self, ks: list[int], n_valid: int) -> list[int]:
        """The k that ``n_valid`` non-blank rows can support; refuse when there are too few."""
        k_min = min(ks)
        if n_valid <= max(k_min, 1) and not (self.n_profiles == 1 and n_valid >= 1):
            raise ProfileInputError(
                f"Terlalu sedikit responden yang dapat dipakai (n_samples={n_valid}; "
                f"{self.n_excluded_} baris kosong seluruhnya) untuk membentuk {k_min} profil; "
                f"perlu lebih dari {k_min} baris berisi.",
                f"Too few usable respondents (n_samples={n_valid}; {self.n_excluded_} rows "
                f"entirely blank) to form {k_min} profiles; more than {k_min} non-blank rows "
                "are needed.",
                value=n_valid,
                expected=f"> {k_min}",
            )
        ks = [k for k in ks if k < n_valid] if self.n_profiles is None else ks
        if self.n_profiles is not None and ks[0] > 1 and ks[0] >= n_valid:
            raise ProfileInputError(
                f"n_profiles={ks[0]} memerlukan lebih dari {ks[0]} baris berisi; "
                f"hanya ada n_samples={n_valid}.",
                f"n_profiles={ks[0]} needs more than {ks[0]} non-blank rows; "
                f"only n_samples={n_valid} are available.",
                value=n_valid,
                expected=f"> {ks[0]}",
            )
        return ks

    def _choose_k(self, selection: pd.DataFrame, doubtful_thr: float) -> int:
        """The k with the largest silhouette among those stable enough and whose smallest
        profile is large enough (among all k when none qualifies)."""
        ok = selection[
            (selection["stability"] >= doubtful_thr)
            & (selection["min_profile_share"] >= self.min_profile_share)
        ]
        pool = ok if len(ok) and ok["silhouette"].notna().any() else selection
        if pool["silhouette"].notna().any():
            return int(pool.loc[pool["silhouette"].idxmax(), "k"])
        return int(pool["k"].iloc[0])

    def _core_items(self, Xv: np.ndarray) -> np.ndarray:
        """Indices of the items fitted: all, or with ``missing="core"`` those answered by at
        least ``core_share`` of the rows not entirely blank (:func:`clustering.core_items`)."""
        if self._missing != "core":
            return np.arange(Xv.shape[1])
        return core_items(Xv, float(self.core_share), _CHUNK_ROWS)

    @staticmethod
    def _all_blank(Xv: np.ndarray) -> np.ndarray:
        out = np.empty(Xv.shape[0], dtype=bool)
        for s in range(0, Xv.shape[0], _CHUNK_ROWS):
            out[s : s + _CHUNK_ROWS] = np.isnan(Xv[s : s + _CHUNK_ROWS]).all(axis=1)
        return out

    def _prep_fit(self, Xs: np.ndarray) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return np.ascontiguousarray(self.imputer_.fit_transform(Xs), dtype=np.float64)

    def _prep(self, chunk: np.ndarray) -> np.ndarray:
        # the data stay float32; each chunk is computed in float64 (small, and BLAS-exact)
        return np.ascontiguousarray(self.imputer_.transform(chunk), dtype=np.float64)

    def _assign(
        self, Xv: np.ndarray, centers: np.ndarray, blank: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        n = Xv.shape[0]
        labels = np.full(n, -1, dtype=np.int64)
        certainty = np.full(n, np.nan, dtype=np.float64)
        for s in range(0, n, _CHUNK_ROWS):
            e = min(s + _CHUNK_ROWS, n)
            ok = ~blank[s:e]
            if not ok.any():
                continue
            chunk = Xv[s:e]
            chunk = chunk if ok.all() else chunk[ok]
            lab, cert = self._be.nearest(self._prep(chunk), centers)
            labels[s:e][ok] = lab
            certainty[s:e][ok] = cert
        return labels, certainty

    def _null_reference(self, X_base: np.ndarray, seed: int) -> list[np.ndarray]:
        """Null data sets like ``X_base`` without profiles (Tibshirani 2001, reference b)."""
        return self._be.reference(X_base, self.n_reference, seed)

    def _score_k(
        self,
        k: int,
        X_sel: np.ndarray,
        X_sil: np.ndarray,
        X_bic: np.ndarray,
        X_base: np.ndarray,
        reference: list[np.ndarray],
        seed: int,
    ) -> tuple[dict[str, Any], np.ndarray, tuple[list, list]]:
        r = np.random.RandomState(seed)
        row: dict[str, Any] = {"k": k}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            lab_sel, centers, row["inertia"] = self._be.fit(
                k, X_sel, r.randint(_INT32_MAX), n_init=self.n_init
            )
            n_distinct = np.unique(lab_sel).size
            row["silhouette"] = np.nan
            row["calinski_harabasz"] = np.nan
            if 1 < n_distinct:
                lab_sil = lab_sel[: X_sil.shape[0]]
                if 1 < np.unique(lab_sil).size < X_sil.shape[0]:
                    row["silhouette"] = self._be.silhouette(X_sil, lab_sil)
                if n_distinct < X_sel.shape[0] and not self._be.masked:
                    row["calinski_harabasz"] = float(calinski_harabasz_score(X_sel, lab_sel))
            seed_bic = r.randint(_INT32_MAX)
            row["bic"] = np.nan if self._be.masked else mixture_bic(k, X_bic, centers, seed_bic)
            sizes = np.bincount(lab_sel, minlength=k)
            row["min_profile_size"] = int(sizes.min())
            row["min_profile_share"] = float(sizes.min() / lab_sel.size)

            # bootstrap re-clusterings of the base sample (Hennig 2007)
            m = X_base.shape[0]
            base_lab, _ = self._be.nearest(X_base, centers)
            present_all, new_all = [], []
            for _ in range(self.n_bootstrap if k > 1 else 0):
                idx = r.randint(0, m, size=m)
                uniq, first = np.unique(idx, return_index=True)
                kb = min(k, uniq.size)
                lab_b = self._be.fit(kb, X_base[idx], r.randint(_INT32_MAX))[0]
                present_all.append(uniq)
                # identical points share a label, so the first copy's label stands for all
                new_all.append(lab_b[first])
            stab = clusterwise_stability(base_lab, k, present_all, new_all) if k > 1 else np.ones(1)
            row["stability"] = float(np.nanmean(stab)) if np.isfinite(stab).any() else np.nan
            row["gap"], row["gap_se"] = np.nan, np.nan
        return row, centers, (present_all, new_all)

    @staticmethod
    def _label(s: float, stable: float, doubtful: float) -> str:
        if not np.isfinite(s):
            return "tidak dapat dipercaya"
        if s >= stable:
            return "stabil"
        if s >= doubtful:
            return "ragu"
        return "tidak dapat dipercaya"

    # ------------------------------------------------------------------ prediction

    def predict(self, X: Any) -> np.ndarray:
        """Profile of each row of ``X`` (nearest centroid; ``-1`` for all-blank rows).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_items)

        Returns
        -------
        labels : ndarray of shape (n_samples,), int64
        """
        check_is_fitted(self, "_centers_internal")
        Xv = self._validate_X(X, reset=False)
        Xv = Xv[:, self._used] if self._used.size < Xv.shape[1] else Xv
        with threadpool_limits(limits=1):
            labels, _ = self._assign(Xv, self._centers_internal, self._all_blank(Xv))
        return labels

    def fit_predict(self, X: Any, y: Any = None, **kwargs: Any) -> np.ndarray:
        """Fit and return ``labels_``."""
        return self.fit(X).labels_

    def item_means(self, X: Any) -> tuple[np.ndarray, pd.DataFrame]:
        """Profile of each row of ``X`` and the mean of each item per profile.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_items)
            Usually the data the model was fitted on.

        Returns
        -------
        labels : ndarray of shape (n_samples,), int64
            As :meth:`predict`.
        means : pandas.DataFrame of shape (n_profiles_, n_items)
            Mean answer of the rows assigned to each profile, blanks ignored (NaN for an item
            nobody in the profile answered, or for a profile without rows); index ``profile``,
            columns ``item_names_``. Not imputed, not rounded.
        """
        labels = self.predict(X)
        Xv = self._validate_X(X, reset=False)
        rows = []
        for p in range(self.n_profiles_):
            mask = labels == p
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                rows.append(
                    np.nanmean(Xv[mask].astype(np.float64), axis=0)
                    if mask.any()
                    else np.full(Xv.shape[1], np.nan)
                )
        means = pd.DataFrame(
            np.vstack(rows),
            columns=self.item_names_,
            index=pd.RangeIndex(self.n_profiles_, name="profile"),
        )
        return labels, means
