"""Tests of workbook.needs.profiles.NeedProfiles.

Oracles are invariants (adjusted Rand index against planted profiles, label order, ranges),
not label numbers, following scikit-learn's own clustering tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from workbook.core.exceptions import DataError, SettingsError
from workbook.core.settings import load_settings
from workbook.needs import words
from workbook.needs.cards import describe_profiles
from workbook.needs.clustering import jaccard_best
from workbook.needs.profiles import NeedProfiles, ProfileInputError


def _planted(
    n: int,
    p: int,
    k: int,
    seed: int,
    *,
    sep: float = 2.0,
    noise: float = 1.0,
    nan_rate: float = 0.02,
    shares: list[float] | None = None,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """n respondents × p items of gaps around k planted need profiles, with blanks.

    Each profile has a shortfall of ``-sep·U(1, 1.5)`` on its own block of items (disjoint
    blocks), plus Gaussian noise; a share ``nan_rate`` of cells is blank.
    """
    rng = np.random.default_rng(seed)
    centres = np.zeros((k, p))
    block = p // k
    for j in range(k):
        centres[j, j * block : (j + 1) * block] = -sep * rng.uniform(1.0, 1.5, block)
    probs = np.full(k, 1 / k) if shares is None else np.asarray(shares)
    truth = rng.choice(k, size=n, p=probs)
    X = centres[truth] + rng.normal(0.0, noise, (n, p))
    X[rng.random(X.shape) < nan_rate] = np.nan
    cols = [f"K{j + 1:02d}" for j in range(p)]
    return pd.DataFrame(X, columns=cols), truth, centres


FAST = dict(k_range=(2, 6), n_bootstrap=8, n_reference=6)


# --------------------------------------------------------------------------- recovery


@pytest.mark.parametrize("k,p,seed", [(3, 12, 0), (4, 40, 1), (4, 24, 2)])
def test_recovers_planted_profiles(k, p, seed):
    X, truth, _ = _planted(1500, p, k, seed, shares=None)
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    assert model.structure_found_
    assert model.n_profiles_ == k
    assert adjusted_rand_score(truth, model.labels_) >= 0.9
    chosen = model.selection_.loc[model.selection_["chosen"]]
    assert chosen["k"].tolist() == [k]


def test_recovers_unequal_profiles_default_k_range():
    X, truth, _ = _planted(2000, 20, 4, 3, shares=[0.5, 0.25, 0.15, 0.10])
    model = NeedProfiles(random_state=1, n_bootstrap=8).fit(X)
    assert model.n_profiles_ == 4
    assert adjusted_rand_score(truth, model.labels_) >= 0.9
    assert model.selection_["k"].tolist() == list(range(2, 11))


@pytest.mark.parametrize("kind", ["gaussian", "uniform", "likert", "one_factor"])
def test_no_structure_gives_one_profile(kind):
    rng = np.random.default_rng(7)
    n, p = 1500, 16
    if kind == "gaussian":
        X = rng.normal(size=(n, p))
    elif kind == "uniform":
        X = rng.uniform(-2, 2, size=(n, p))
    elif kind == "likert":  # independent integer answers, like ratings without profiles
        X = rng.integers(1, 6, size=(n, p)).astype(float)
    else:  # one general "need" factor: elongated but unimodal, no profiles
        X = 1.5 * rng.normal(size=(n, 1)) + rng.normal(size=(n, p))
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    assert not model.structure_found_
    assert model.n_profiles_ == 1
    assert set(np.unique(model.labels_)) == {0}
    assert model.stability_.tolist() == [1.0]
    assert not model.selection_["chosen"].any()
    assert model.cluster_centers_.shape == (1, p)


# --------------------------------------------------------------------------- labels


def test_same_seed_same_labels():
    X, _, _ = _planted(1200, 12, 3, 4)
    a = NeedProfiles(random_state=42, **FAST).fit(X)
    b = NeedProfiles(random_state=42, **FAST).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    pd.testing.assert_frame_equal(a.selection_, b.selection_)
    pd.testing.assert_frame_equal(a.cluster_centers_, b.cluster_centers_)


def test_labels_ordered_by_size():
    X, _, _ = _planted(1500, 12, 3, 5, shares=[0.2, 0.5, 0.3])
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    sizes = np.bincount(model.labels_)
    assert (np.diff(sizes) <= 0).all()
    np.testing.assert_array_equal(sizes, model.profile_sizes_)
    assert sizes[0] > 0.4 * len(X)


def test_ties_broken_by_centroid_order():
    # two equal groups, mirror images: the one with the lexicographically smaller centroid
    # (first item more negative) must be profile 0
    rng = np.random.default_rng(0)
    a = rng.normal(0, 0.3, (300, 4)) + [-3, 0, 0, 0]
    b = rng.normal(0, 0.3, (300, 4)) + [3, 0, 0, 0]
    X = np.vstack([b, a])
    model = NeedProfiles(n_profiles=2, random_state=0, n_bootstrap=4).fit(X)
    assert model.profile_sizes_.tolist() == [300, 300]
    assert model.cluster_centers_.iloc[0, 0] < model.cluster_centers_.iloc[1, 0]
    assert (model.labels_[300:] == 0).all() and (model.labels_[:300] == 1).all()


def test_labels_do_not_depend_on_row_order():
    X, _, _ = _planted(1200, 12, 3, 6, nan_rate=0.0)
    perm = np.random.default_rng(1).permutation(len(X))
    a = NeedProfiles(random_state=0, **FAST).fit(X)
    b = NeedProfiles(random_state=0, **FAST).fit(X.iloc[perm])
    np.testing.assert_array_equal(a.labels_[perm], b.labels_)


def test_fixed_number_of_profiles():
    X, _, _ = _planted(1200, 16, 4, 7)
    model = NeedProfiles(n_profiles=3, random_state=0, n_bootstrap=6).fit(X)
    assert model.n_profiles_ == 3
    assert model.selection_["k"].tolist() == [3]
    assert model.selection_["chosen"].tolist() == [True]
    assert set(np.unique(model.labels_)) == {0, 1, 2}
    assert len(model.stability_) == 3 and len(model.stability_label_) == 3


def test_predict_matches_labels_on_training_data():
    X, _, _ = _planted(1000, 12, 3, 8, nan_rate=0.05)
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    np.testing.assert_array_equal(model.predict(X), model.labels_)
    np.testing.assert_array_equal(model.fit_predict(X), model.labels_)


# --------------------------------------------------------------------------- blanks


def test_respondents_with_blanks_are_kept():
    X, truth, _ = _planted(1200, 20, 3, 9, nan_rate=0.15)
    assert X.isna().any(axis=1).mean() > 0.9  # nearly every respondent has a blank
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    assert model.n_excluded_ == 0
    assert (model.labels_ >= 0).all()
    assert adjusted_rand_score(truth, model.labels_) >= 0.9


def test_all_blank_rows_are_excluded_and_counted():
    X, truth, _ = _planted(900, 12, 3, 10)
    blank_rows = [3, 100, 500, 899]
    X.iloc[blank_rows] = np.nan
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    assert model.n_excluded_ == 4
    assert (model.labels_[blank_rows] == -1).all()
    assert np.isnan(model.certainty_[blank_rows]).all()
    keep = np.setdiff1d(np.arange(len(X)), blank_rows)
    assert (model.labels_[keep] >= 0).all()
    assert model.profile_sizes_.sum() == len(X) - 4
    np.testing.assert_array_equal(model.predict(X), model.labels_)
    assert adjusted_rand_score(truth[keep], model.labels_[keep]) >= 0.9


def test_nullable_integer_codes_accepted():
    # small integer codes as read from Parquet (pandas nullable Int8, pd.NA for blanks)
    X, truth, _ = _planted(600, 8, 2, 21, nan_rate=0.0)
    codes = X.round().astype("Int8")
    codes.iloc[0, 0] = pd.NA
    codes.iloc[1] = pd.NA
    model = NeedProfiles(random_state=0, **FAST).fit(codes)
    assert model.n_excluded_ == 1 and model.labels_[1] == -1
    assert model.n_profiles_ == 2
    assert adjusted_rand_score(truth[2:], model.labels_[2:]) >= 0.9


# --------------------------------------------------------------------------- fitted values


def test_stability_and_certainty_ranges():
    X, _, _ = _planted(1500, 16, 4, 11)
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    assert ((model.stability_ >= 0) & (model.stability_ <= 1)).all()
    assert (model.stability_ >= 0.75).all()  # well separated → stable (Hennig 2007)
    assert model.stability_label_ == ["stabil"] * 4
    sel = model.selection_["stability"]
    assert ((sel >= 0) & (sel <= 1)).all()
    c = model.certainty_
    assert ((c >= 0) & (c <= 1)).all()
    assert np.median(c) > 0.3


def test_stability_labels_follow_settings():
    s = load_settings()
    stable, doubtful = s["profiles.stability_stable"], s["profiles.stability_doubtful"]
    assert (stable, doubtful) == (0.75, 0.60)
    lab = NeedProfiles._label
    assert lab(0.75, stable, doubtful) == "stabil"
    assert lab(0.74, stable, doubtful) == "ragu"
    assert lab(0.60, stable, doubtful) == "ragu"
    assert lab(0.59, stable, doubtful) == "tidak dapat dipercaya"


def test_centers_in_original_units_with_item_names():
    X, _, centres = _planted(1500, 12, 3, 12, noise=0.5)
    for scale in (False, True):
        model = NeedProfiles(n_profiles=3, scale=scale, random_state=0, n_bootstrap=4).fit(X)
        cc = model.cluster_centers_
        assert list(cc.columns) == list(X.columns)
        # each planted centre is matched by one fitted centre (in item units, not z-scores)
        d = np.abs(cc.to_numpy()[:, None, :] - centres[None]).max(axis=2)
        assert (d.min(axis=0) < 0.25).all()
    np.testing.assert_array_equal(model.feature_names_in_, X.columns.to_numpy())
    assert model.n_features_in_ == 12


def test_selection_table_columns():
    X, _, _ = _planted(800, 12, 3, 13)
    sel = NeedProfiles(random_state=0, **FAST).fit(X).selection_
    for col in (
        "k",
        "silhouette",
        "bic",
        "calinski_harabasz",
        "min_profile_size",
        "stability",
        "gap",
        "chosen",
    ):
        assert col in sel.columns
    assert sel["chosen"].sum() == 1
    assert sel["silhouette"].between(-1, 1).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=2, max_size=60))
def test_jaccard_of_a_partition_with_itself_is_one(labels):
    lab = np.array(labels)
    k = int(lab.max()) + 1
    best = jaccard_best(lab, lab, k, k)
    present = np.bincount(lab, minlength=k) > 0
    np.testing.assert_allclose(best[present], 1.0)
    assert np.isnan(best[~present]).all()


def test_jaccard_hand_computed():
    # reference {0,1,2} {3,4}; new {0,1} {2,3,4}: J(A,{0,1}) = 2/3, J(B,{2,3,4}) = 2/3
    ref = np.array([0, 0, 0, 1, 1])
    new = np.array([0, 0, 1, 1, 1])
    np.testing.assert_allclose(jaccard_best(ref, new, 2, 2), [2 / 3, 2 / 3])


# --------------------------------------------------------------------------- describe


def _meta(n: int, truth: np.ndarray) -> pd.DataFrame:
    units = np.where(truth == 0, "Dinas Kesehatan", "Dinas Pendidikan")
    jab = np.where(truth == 1, "Pelaksana", "JF")
    return pd.DataFrame(
        {"kode_unit": np.where(truth == 0, "U01", "U02"), "nama_unit": units, "jenis_jabatan": jab}
    )


def test_describe_indonesian():
    X, truth, _ = _planted(900, 12, 3, 14, shares=[0.5, 0.3, 0.2])
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    d = describe_profiles(model, X, _meta(len(X), truth), top=3)
    assert list(d.columns) == [
        "profile",
        "n",
        "share",
        "largest_gaps",
        "largest_gaps_mean",
        "composition_unit",
        "composition_unit_share",
        "composition_jabatan",
        "composition_jabatan_share",
        "stability",
        "stability_label",
        "suggested_areas",
        "name_gaps",
    ]
    assert d["profile"].tolist() == [0, 1, 2]
    assert d["n"].sum() == len(X)
    assert d["share"].sum() == pytest.approx(1.0)
    first = d.iloc[0]
    assert first["stability_label"] == "stabil"
    # the largest profile is planted profile 0: shortfall on items K01–K04
    assert first["suggested_areas"].split(", ")[0] in {"K01", "K02", "K03", "K04"}
    assert len(first["largest_gaps"]) == 3 and len(first["largest_gaps_mean"]) == 3
    assert first["largest_gaps_mean"] == sorted(first["largest_gaps_mean"])  # largest need first
    assert first["composition_unit"][0] == "Dinas Kesehatan"
    assert first["composition_unit_share"][0] == 1.0
    assert "JF" in first["composition_jabatan"]
    # the words (workbook.needs.words): the card as a person reads it
    sheet = words.profiles_sheet(d, "id")
    card = sheet.iloc[0]
    assert list(sheet.columns) == [
        "profile",
        "name",
        "n",
        "share",
        "largest_gaps",
        "composition_unit",
        "composition_jabatan",
        "stability",
        "stability_label",
        "summary",
        "suggested_areas",
    ]
    assert f"{first['n']} responden" in card["summary"]
    assert card["summary"].startswith("Profil 1 ")
    assert sheet["profile"].tolist() == [1, 2, 3]
    assert "kebutuhan terbesar" in card["summary"]
    assert "terbanyak dari Dinas Kesehatan (100%)" in card["summary"]
    assert card["largest_gaps"].count(";") == 2 and "," in card["largest_gaps"]
    assert card["composition_unit"].startswith("Dinas Kesehatan 100%")
    assert "JF" in card["composition_jabatan"]


def test_describe_english_and_without_meta():
    X, _, _ = _planted(900, 12, 3, 15)
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    d = describe_profiles(model, X, top=2)
    assert d["composition_unit"].isna().all()
    assert (d["suggested_areas"].str.count(",") <= 1).all()
    assert set(d["stability_label"]) <= set(words.STABILITY_LABELS)
    en = words.profiles_sheet(d, "en")
    assert en["summary"].str.startswith("Profile").all()
    assert en["summary"].str.contains("respondents").all()
    assert not en["summary"].str.contains("mostly from").any()  # no composition without meta
    assert set(en["stability_label"]) <= {"stable", "doubtful", "not trustworthy"}
    assert en["composition_unit"].isna().all()


def test_describe_positive_needs():
    X, _, _ = _planted(900, 12, 3, 16)
    model = NeedProfiles(random_state=0, need_direction="positive", **FAST).fit(-X)
    d = describe_profiles(model, -X)
    assert (d["suggested_areas"].str.len() > 0).all()


# --------------------------------------------------------------------------- bad input


def _bilingual(err: DataError) -> None:
    assert err.message_id and err.message_en and err.message_id != err.message_en


def test_non_numeric_column_refused():
    X, _, _ = _planted(100, 6, 2, 17)
    X["unit"] = "Dinas"
    with pytest.raises(DataError) as exc:
        NeedProfiles(random_state=0).fit(X)
    _bilingual(exc.value)
    assert exc.value.column == "unit"
    assert "tidak berisi angka" in exc.value.message_id
    assert "not numeric" in exc.value.message_en


def test_non_numeric_array_refused():
    X = np.array([["a", "b"], ["c", "d"], ["e", "f"]], dtype=object)
    with pytest.raises(DataError) as exc:
        NeedProfiles(random_state=0).fit(X)
    _bilingual(exc.value)


def test_infinite_values_refused():
    X, _, _ = _planted(100, 6, 2, 18)
    X.iloc[0, 0] = np.inf
    with pytest.raises(ProfileInputError) as exc:
        NeedProfiles(random_state=0).fit(X)
    _bilingual(exc.value)


@pytest.mark.parametrize("n_rows,params", [(3, {"n_profiles": 4}), (2, {}), (5, {"n_profiles": 5})])
def test_too_few_rows_refused(n_rows, params):
    X = np.arange(n_rows * 3, dtype=float).reshape(n_rows, 3)
    with pytest.raises(DataError) as exc:
        NeedProfiles(random_state=0, **params).fit(X)
    _bilingual(exc.value)
    assert "n_samples" in exc.value.message_en


def test_too_few_rows_after_excluding_blanks():
    X = np.full((10, 3), np.nan)
    X[:2] = 1.0
    with pytest.raises(DataError) as exc:
        NeedProfiles(random_state=0).fit(X)
    assert "8" in exc.value.message_id  # the blank rows are counted in the message


@pytest.mark.parametrize(
    "params",
    [
        {"k_range": (1, 3)},
        {"k_range": (5, 3)},
        {"n_profiles": 0},
        {"need_direction": "up"},
        {"n_bootstrap": -1},
        {"stability_stable": 0.5, "stability_doubtful": 0.7},
    ],
)
def test_bad_parameters_refused(params):
    X, _, _ = _planted(100, 6, 2, 19)
    with pytest.raises(SettingsError) as exc:
        NeedProfiles(**params).fit(X)
    assert exc.value.message_id != exc.value.message_en


def test_predict_wrong_width_refused():
    X, _, _ = _planted(300, 6, 2, 20)
    model = NeedProfiles(random_state=0, **FAST).fit(X)
    with pytest.raises(DataError):
        model.predict(X.iloc[:, :5])


# --------------------------------------------------------------------------- contract


# No check is expected to fail. `check_array_api_input` skips itself (SCIPY_ARRAY_API unset);
# the estimator does not claim array-API support. NaN is accepted (allow_nan tag), sparse
# input is refused with a TypeError, as the checks require.
@parametrize_with_checks(
    [NeedProfiles(k_range=(2, 4), n_bootstrap=3, n_reference=3, random_state=0)],
    expected_failed_checks=lambda est: {},
)
def test_sklearn_estimator_contract(estimator, check):
    check(estimator)
