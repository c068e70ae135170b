"""The needs stage recovers the need profiles planted in the committed sample ``data_samples/contoh``.

The ground truth comes from :func:`workbook.sample.planted_profiles` (never written to the sample's
files). The stage must find structure, four profiles, agree with the planted membership of the
survey respondents (adjusted Rand index ≥ 0.8), and each profile's largest needs must be the
competencies of the planted profile it matches.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from workbook.sample import PROFILES, SAMPLE_PARAMETERS, planted_profiles

CONTOH = Path(__file__).resolve().parents[2] / "data_samples" / "contoh"
NO_GAP = "tanpa_kesenjangan"
NEED = -0.5  # a profile's mean gap at or below this is a "need"

pytestmark = pytest.mark.skipif(not CONTOH.is_dir(), reason="data_samples/contoh not generated")


@pytest.fixture(scope="module")
def stage(sample_run):
    """Stage 01 of the shared sample run (``tests/conftest.py``) and the planted profiles."""
    res = sample_run["needs"]
    truth = planted_profiles(**SAMPLE_PARAMETERS)
    members = res.profile_members.merge(truth, on="pegawai_id", how="left", validate="one_to_one")
    return res, members


def test_structure_found_with_four_profiles(stage):
    res, _ = stage
    assert res.model.structure_found_
    assert res.model.n_profiles_ == 4
    # every profile is stable in Hennig's sense
    assert (np.asarray(res.model.stability_) >= 0.75).all(), res.model.stability_


def test_found_profiles_agree_with_planted_membership(stage):
    _, members = stage
    assert members["profil"].notna().all()  # every respondent has a planted profile
    used = members[members["profile"] >= 0]
    assert len(used) >= 0.95 * len(members)
    assert adjusted_rand_score(used["profil"], used["profile"]) >= 0.8


def test_profile_needs_match_the_planted_profiles(stage):
    res, members = stage
    gaps = res.gaps.merge(members[["pegawai_id", "profile", "profil"]], on="pegawai_id")
    gaps = gaps[gaps["profile"] >= 0]
    mean = gaps.groupby(["profile", "kode_kompetensi"])["gap"].mean().unstack()
    # each found profile ↔ the planted profile most of its members have; a one-to-one match
    match = members[members["profile"] >= 0].groupby("profile")["profil"].agg(lambda s: s.value_counts().idxmax())
    assert sorted(match) == sorted(PROFILES)
    for k, planted in match.items():
        needs = mean.loc[k].dropna().sort_values()
        top = set(needs[needs <= NEED].index[:3])
        if planted == NO_GAP:
            assert not top, (k, needs.head(3).to_dict())
        else:
            assert len(top) >= 2, (k, planted, needs.head(3).to_dict())
            assert top <= set(PROFILES[planted]), (k, planted, needs.head(3).to_dict())


def test_truth_is_not_in_the_committed_files():
    for path in CONTOH.iterdir():
        if path.suffix == ".csv":
            header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
            assert "profil" not in header, path.name
            assert NO_GAP not in path.read_text(encoding="utf-8"), path.name


def test_planted_membership_has_every_profile_among_respondents(stage):
    _, members = stage
    counts = pd.Series(members["profil"]).value_counts()
    assert set(counts.index) == set(PROFILES) and counts.min() >= 20
