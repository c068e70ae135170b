"""Need profiles without imputation (issue #18): competencies that do not apply to a person are
structurally missing. Pinned here: the fit on a generated agency whose non-applicable
competencies differ by job family, the observed cells of the profile figure, the names
(numbered from 1) and the validity words, on crafted data, the sample and agency B."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from workbook.core.settings import load_settings
from workbook.needs import words
from workbook.needs.cards import describe_profiles, profile_cells, separation_class
from workbook.needs.clustering import masked_kmeans
from workbook.needs.profile_check import FAMILIES, compare_methods, planted_agency
from workbook.needs.profiles import NeedProfiles

FAST = {"n_bootstrap": 0, "random_state": 0}


# --------------------------------------------------------------------------- generated agency


def test_generated_agency_has_family_specific_competencies():
    X, family, truth = planted_agency(seed=0)
    # T.03 applies to health staff only, T.11 to teachers only: blank for everyone else
    assert X.loc[family != "kesehatan", "T.03"].isna().all()
    assert X.loc[family == "kesehatan", "T.03"].notna().all()
    assert X.loc[family != "guru", "T.11"].isna().all()
    # the planted profiles do not depend on the family (chi-square-free check: ARI near 0)
    assert abs(adjusted_rand_score(family, truth)) < 0.01
    # the family's typical gap differs: health staff are below standard on T.03
    assert X.loc[family == "kesehatan", "T.03"].mean() < -0.5
    assert set(family) == set(FAMILIES)


def test_masked_fit_recovers_planted_profiles_better_than_median_imputation():
    X, family, truth = planted_agency(seed=0)
    masked = NeedProfiles(n_profiles=4, missing="masked", **FAST).fit(X)
    median = NeedProfiles(n_profiles=4, missing="median", **FAST).fit(X)
    ari_masked = adjusted_rand_score(truth, masked.labels_)
    ari_median = adjusted_rand_score(truth, median.labels_)
    assert ari_masked >= 0.6
    assert ari_masked > ari_median + 0.05
    # profiles are not job families in disguise
    assert adjusted_rand_score(family, masked.labels_) < 0.05


def test_compare_methods_table():
    X, family, truth = planted_agency(n=600, seed=1)
    table = compare_methods(X, family, truth, k=4)
    assert table["method"].tolist() == ["impute_median", "core", "per_family", "masked"]
    row = table.set_index("method")
    assert row.loc["impute_median", "ari_vs_today"] == pytest.approx(1.0)
    # fitting each job family apart splits every planted profile by family
    assert row.loc["per_family", "ari_vs_family"] > 0.3
    assert row.loc["per_family", "ari_planted"] < row.loc["masked", "ari_planted"]


def test_core_uses_only_the_items_everyone_has():
    X, _, _ = planted_agency(n=600, seed=2)
    model = NeedProfiles(n_profiles=3, missing="core", **FAST).fit(X)
    assert model.items_used_ == [c for c in X.columns if c.startswith(("M.", "SK."))]
    assert list(model.cluster_centers_.columns) == model.items_used_
    assert len(model.predict(X)) == len(X)


# --------------------------------------------------------------------------- nothing imputed


def _teachers_and_nurses() -> pd.DataFrame:
    """Teachers (T.11, no T.03) and nurses (T.03 gap −1, no T.11); two planted managerial profiles."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(400):
        nurse = i % 2 == 0
        need = i % 4 < 2  # independent of the job
        core = (-1.5 if need else 0.0) + rng.normal(0, 0.3, 4)
        tech = {"T.03": -1.0 + rng.normal(0, 0.2)} if nurse else {"T.11": 0.3 + rng.normal(0, 0.2)}
        rows.append({"M.1": core[0], "M.2": core[1], "M.3": core[2], "M.4": core[3], **tech})
    return pd.DataFrame(rows)[["M.1", "M.2", "M.3", "M.4", "T.03", "T.11"]]


def test_masked_centres_are_observed_means_and_blank_where_nobody_has_the_item():
    X = _teachers_and_nurses()
    model = NeedProfiles(n_profiles=2, missing="masked", **FAST).fit(X)
    truth = (np.arange(len(X)) % 4 < 2).astype(int)
    assert adjusted_rand_score(truth, model.labels_) == pytest.approx(1.0)
    _, observed = model.item_means(X)
    pd.testing.assert_frame_equal(model.cluster_centers_, observed, check_exact=False, atol=1e-9)
    # the teachers' health-service "gap" is not invented: T.03 is the nurses' own mean
    nurses = X["T.03"].notna()
    for p in range(2):
        members = (model.labels_ == p) & nurses.to_numpy()
        assert model.cluster_centers_.loc[p, "T.03"] == pytest.approx(X.loc[members, "T.03"].mean())
    # median imputation gives every teacher the nurses' median T.03 (≈ −1): the old fault
    imputed = NeedProfiles(n_profiles=2, missing="median", **FAST).fit(X).imputer_.transform(X.to_numpy())
    assert np.allclose(imputed[~nurses.to_numpy(), 4], X["T.03"].median())


def test_masked_centre_blank_for_an_item_no_member_has():
    X = _teachers_and_nurses()
    X["T.99"] = np.nan
    X.loc[(np.arange(len(X)) % 4 < 2), "T.99"] = -2.0  # only the "need" profile has T.99
    model = NeedProfiles(n_profiles=2, missing="masked", **FAST).fit(X)
    centres = model.cluster_centers_["T.99"]
    assert centres.isna().sum() == 1 and centres.min() == pytest.approx(-2.0)


def test_masked_kmeans_ignores_blanks_hand_computed():
    # two obvious groups; the blank in row 1 must not pull its group's centre
    X = np.array([[0.0, 0.0], [0.0, np.nan], [10.0, 10.0], [10.0, 12.0]])
    lab, centres, obj = masked_kmeans(X, 2, n_init=3, seed=0)
    assert lab[0] == lab[1] != lab[2] == lab[3]
    g0, g1 = lab[0], lab[2]
    np.testing.assert_allclose(centres[g0], [0.0, 0.0])
    np.testing.assert_allclose(centres[g1], [10.0, 11.0])
    # objective: row 3 and 4 each 1 from the centre on item 2; row 2 scaled by 2/1 but 0
    assert obj == pytest.approx(2.0)


# --------------------------------------------------------------------------- the figure's cells


def test_profile_cells_observed_with_n_blank_and_hidden():
    gaps = pd.DataFrame({
        "pegawai_id": ["a", "b", "c", "d", "e", "f", "a", "b", "e", "f", "f"],
        "kode_kompetensi": ["M.1"] * 6 + ["T.03", "T.03", "T.11", "T.11", "T.99"],
        "gap": [-1.0, 0.0, 1.0, 1.0, 0.0, np.nan, -1.0, -2.0, 0.5, np.nan, 0.0],
    })
    members = pd.DataFrame({"pegawai_id": list("abcdefg"), "profile": [0, 0, 0, 1, 1, 1, -1]})
    cells = profile_cells(gaps, members, min_n=2).set_index(["profile", "kode_kompetensi"])
    assert cells.loc[(0, "M.1"), "n"] == 3 and cells.loc[(0, "M.1"), "mean_gap"] == pytest.approx(0.0)
    assert cells.loc[(0, "T.03"), "n"] == 2 and cells.loc[(0, "T.03"), "mean_gap"] == pytest.approx(-1.5)
    # T.11 applies to nobody in profile 0: blank, not 0 and not imputed
    assert cells.loc[(0, "T.11"), "n"] == 0 and np.isnan(cells.loc[(0, "T.11"), "mean_gap"])
    assert not cells.loc[(0, "T.11"), "suppressed"]
    # an unknown level (NaN gap) is not counted; one person is under k = 2: hidden
    assert cells.loc[(1, "T.11"), "n"] == 1 and cells.loc[(1, "T.11"), "suppressed"]
    assert np.isnan(cells.loc[(1, "T.11"), "mean_gap"])
    assert cells.loc[(1, "M.1"), "n"] == 2  # f's gap is unknown
    assert -1 not in cells.index.get_level_values("profile")


# --------------------------------------------------------------------------- names, validity


def test_profile_names_by_need_numbered_from_one():
    names = {"M.3": "Komunikasi", "M.5": "Pelayanan Publik", "T.03": "Pelayanan Kesehatan"}
    kinds = {"M.3": "manajerial", "M.5": "manajerial", "T.03": "teknis"}
    row = {"profile": 0, "name_gaps": ["M.3", "M.5", "T.03"]}
    assert words.profile_name(row, "id", names, kinds) == (
        "Profil 1 — kesenjangan manajerial dan teknis: Komunikasi, Pelayanan Publik")
    assert words.profile_name(row, "en", names, kinds).startswith(
        "Profile 1 — managerial and technical gap: ")
    none = {"profile": 3, "name_gaps": []}
    assert words.profile_name(none, "id") == "Profil 4 — tanpa kesenjangan berarti"
    assert words.profile_name(none, "en", numbered=False) == "no meaningful gap"
    assert words.profile_name({"profile": 1, "name_gaps": ["K9"]}, "id") == "Profil 2 — kesenjangan K9"


def test_name_gaps_need_half_a_level_and_enough_people():
    X = _teachers_and_nurses()
    model = NeedProfiles(n_profiles=2, missing="masked", **FAST).fit(X)
    cards = describe_profiles(model, X, name_gap=0.5, min_n=5).set_index("profile")
    named = cards["name_gaps"].map(set)
    # the planted managerial-need profile is named by managerial items; the other one only by
    # the nurses' own T.03 gap (−1 among those who have it), not by the teachers' blanks
    assert sorted(named.map(lambda g: bool(g & {"M.1", "M.2", "M.3", "M.4"}))) == [False, True]
    assert {"T.03"} in named.tolist()
    assert not any("T.11" in g for g in named)  # +0,3: no need
    # with min_n above every profile's size no item can be listed or name a profile
    big = describe_profiles(model, X, name_gap=0.5, min_n=10_000)
    assert big["largest_gaps"].map(len).eq(0).all() and big["name_gaps"].map(len).eq(0).all()


def test_separation_thresholds_are_kaufman_rousseeuw_settings():
    s = load_settings()
    weak, reasonable = s["profiles.silhouette_weak"], s["profiles.silhouette_reasonable"]
    assert (weak, reasonable) == (0.25, 0.50)
    assert separation_class(0.25, weak, reasonable) == "tidak_berarti"
    assert separation_class(0.255, weak, reasonable) == "lemah"
    assert separation_class(0.50, weak, reasonable) == "lemah"
    assert separation_class(0.51, weak, reasonable) == "memadai"
    assert separation_class(float("nan"), weak, reasonable) is None
    assert words.separation_text("lemah", "id") == "pemisahan lemah"
    assert s["profiles.missing"] == "masked"


# --------------------------------------------------------------------------- sample and agency B


@pytest.fixture(params=["sample_run", "agency_b_run"])
def needs_run(request):
    return request.getfixturevalue(request.param)["needs"]


def test_report_figure_shows_observed_cells(needs_run):
    from workbook.core.suppression import k_for
    from workbook.needs import report as nr

    res = needs_run
    if res.model is None or res.model.n_profiles_ < 2:
        pytest.skip("no profiles found")
    k = k_for("count", res.ctx.settings)
    cells = profile_cells(res.gaps, res.profile_members, min_n=k)
    fig = nr.profile_figure(res)
    ax = fig.axes[0]
    shown = [c for c in pd.unique(cells["kode_kompetensi"]) if cells.loc[cells["kode_kompetensi"] == c, "n"].max() > 0]
    # competencies as rows, profiles (numbered from 1) as columns
    names = res.competency_names()
    assert [x.get_text() for x in ax.get_yticklabels()] == [names.get(c, c) for c in shown]  # by name
    assert [x.get_text() for x in ax.get_xticklabels()] == [
        f"Profil {p + 1}" for p in range(res.model.n_profiles_)]
    texts = {(round(tx.get_position()[0]), round(tx.get_position()[1])): tx.get_text() for tx in ax.texts}
    for r in cells[cells["kode_kompetensi"].isin(shown)].itertuples():
        text = texts[(int(r.profile), shown.index(r.kode_kompetensi))]
        if r.n == 0:
            assert text == ""
        elif r.suppressed:
            assert text == f"n<{k}"
        else:
            assert text.endswith(f"(n={r.n:,})".replace(",", "."))


def test_report_states_validity_and_weak_separation(needs_run):
    from workbook.needs import report as nr

    res = needs_run
    paras = nr.profile_validity(res)
    assert paras[0].startswith("Kompetensi yang tidak berlaku")
    if not res.model.structure_found_:
        return
    sil, sep = nr.profile_separation(res)
    assert f"silhouette {sil:.2f}".replace(".", ",") in paras[1]
    assert "Hennig 2007" in paras[1]
    if sil <= 0.5:
        assert "pemisahan lemah" in paras[1] and len(paras) == 3
    cards = nr.profile_cards(res)
    assert cards["Profil"].tolist() == [str(p + 1) for p in range(res.model.n_profiles_)] or \
        cards["Profil"].astype(int).tolist() == list(range(1, res.model.n_profiles_ + 1))
    assert cards["Nama profil"].str.match(r"^(kesenjangan |tanpa kesenjangan berarti)").all()


def test_pairwise_partial_matches_scikit_learn():
    from sklearn.metrics.pairwise import nan_euclidean_distances

    from workbook.needs.clustering import pairwise_partial

    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 7))
    X[rng.random(X.shape) < 0.3] = np.nan
    X[0] = np.nan
    X[0, 0] = 1.0
    ref = nan_euclidean_distances(X)
    D = pairwise_partial(X)
    ok = ~np.isnan(ref)
    np.testing.assert_allclose(D[ok], ref[ok], atol=1e-9)
    assert np.isfinite(D).all() and (np.diag(D) == 0).all()
