"""The measurement behind the choice of the profile method (``docs/methods/profiles.md``).

:func:`planted_agency` generates respondents × competencies gaps with *planted* need profiles
that are independent of job family, while the technical competencies that apply — and their
typical gap — differ by job family (as in a real agency: only health staff have *Pelayanan
Kesehatan*, only teachers *Pembelajaran*). :func:`compare_methods` fits each candidate method and
returns its adjusted Rand index (Hubert & Arabie 1985) against the planted labels. Run
``python -m workbook.needs.profile_check`` to print the table of the note.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

import workbook.needs.profiles as profiles_

__all__ = ["CORE", "FAMILIES", "PLANTED", "planted_agency", "compare_methods", "METHODS"]

#: the competencies every position has (managerial and socio-cultural, PermenPANRB 38/2017)
CORE = [f"M.{i}" for i in range(1, 9)] + ["SK.1"]

#: job family → (share of staff, {technical competency: the family's typical gap})
FAMILIES: dict[str, tuple[float, dict[str, float]]] = {
    "guru": (0.30, {"T.11": 0.0}),
    "kesehatan": (0.25, {"T.03": -0.8}),
    "teknis": (0.20, {"T.01": -0.2, "T.04": -0.3, "T.08": 0.1}),
    "umum": (0.25, {"T.04": -0.3}),
}

#: planted profile → (share, {competency: extra gap}); "teknis" lowers every technical
#: competency that applies to the person
PLANTED: dict[str, tuple[float, dict[str, float]]] = {
    "tanpa_kesenjangan": (0.35, {}),
    "manajerial": (0.30, {"M.3": -1.0, "M.5": -1.0, "M.7": -1.0, "M.8": -1.0}),
    "sosio_kultural": (0.20, {"SK.1": -1.0, "M.1": -1.0, "M.2": -1.0}),
    "teknis": (0.15, {"*teknis*": -1.0}),
}


def planted_agency(
    n: int = 1200, *, noise: float = 0.5, blank_rate: float = 0.01, seed: int = 0,
    integer: bool = True,
) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    """Gaps (``level − standard``) of ``n`` respondents with planted profiles.

    Returns ``(X, family, truth)``: ``X`` respondents × competencies (NaN where the competency
    does not apply to the person's job family, and ``blank_rate`` of the core answers blank
    at random), the job family of each row and the planted profile (0 … 3, the order of
    :data:`PLANTED`), drawn independently of the family. Gaps are the family's typical gap plus
    the profile's extra gap plus N(0, ``noise``²), rounded to whole levels when ``integer``.
    """
    rng = np.random.default_rng(seed)
    fams = list(FAMILIES)
    fam = rng.choice(len(fams), size=n, p=[FAMILIES[f][0] for f in fams])
    truth = rng.choice(len(PLANTED), size=n, p=[v[0] for v in PLANTED.values()])
    tech = sorted({c for _, items in FAMILIES.values() for c in items})
    cols = CORE + tech
    X = np.full((n, len(cols)), np.nan)
    j = {c: i for i, c in enumerate(cols)}
    for i in range(n):
        applies = FAMILIES[fams[fam[i]]][1]
        extra = list(PLANTED.values())[truth[i]][1]
        for c in CORE:
            X[i, j[c]] = extra.get(c, 0.0)
        for c, base in applies.items():
            X[i, j[c]] = base + extra.get(c, extra.get("*teknis*", 0.0))
    X = X + rng.normal(0.0, noise, X.shape)
    if integer:
        X = np.clip(np.round(X), -3, 2)
    core_blank = rng.random((n, len(CORE))) < blank_rate
    X[:, : len(CORE)][core_blank] = np.nan
    return (pd.DataFrame(X, columns=cols), pd.Series(np.array(fams)[fam], name="family"), truth)


def _today(X: pd.DataFrame, family: pd.Series, k: int, seed: int) -> np.ndarray:
    return _fit(X, k, seed, "median")


def _fit(X: pd.DataFrame, k: int, seed: int, missing: str) -> np.ndarray:
    model = profiles_.NeedProfiles(n_profiles=k, n_bootstrap=0, random_state=seed, missing=missing)
    return model.fit(X).labels_


def _core(X: pd.DataFrame, family: pd.Series, k: int, seed: int) -> np.ndarray:
    return _fit(X, k, seed, "core")


def _per_family(X: pd.DataFrame, family: pd.Series, k: int, seed: int) -> np.ndarray:
    out = np.full(len(X), -1, dtype=np.int64)
    fam = family.to_numpy()
    for f_i, f in enumerate(pd.unique(fam)):
        rows = fam == f
        Xf = X.loc[rows, X.loc[rows].notna().mean() >= 0.5]
        lab = _fit(Xf, min(k, int(rows.sum()) - 1), seed, "median")
        out[rows] = f_i * 100 + lab
    return out


def _masked(X: pd.DataFrame, family: pd.Series, k: int, seed: int) -> np.ndarray:
    return _fit(X, k, seed, "masked")


#: candidate → function(X, family, k, seed) → labels (k profiles; per_family: k per family)
METHODS = {
    "impute_median": _today,
    "core": _core,
    "per_family": _per_family,
    "masked": _masked,
}


def compare_methods(
    X: pd.DataFrame, family: pd.Series, truth: np.ndarray | None, *, k: int, seed: int = 0,
    reference: str = "impute_median",
) -> pd.DataFrame:
    """ARI of each method in :data:`METHODS` at ``k`` profiles: against ``truth`` (planted
    labels; NaN when None) and against the ``reference`` method's labels."""
    labels = {m: f(X, family, k, seed) for m, f in METHODS.items()}
    ref = labels[reference]
    rows = []
    for m, lab in labels.items():
        rows.append({
            "method": m,
            "ari_planted": adjusted_rand_score(truth, lab) if truth is not None else np.nan,
            "ari_vs_today": adjusted_rand_score(ref, lab),
            "ari_vs_family": adjusted_rand_score(family.to_numpy(), lab),
        })
    return pd.DataFrame(rows)


if __name__ == "__main__":  # pragma: no cover
    X, fam, truth = planted_agency()
    print(compare_methods(X, fam, truth, k=4).to_markdown(index=False, floatfmt=".3f"))
