"""Profile cards: what a person reads about each need profile (size, largest needs, composition,
stability, one sentence in Indonesian or English).

:class:`~workbook.needs.profiles.NeedProfiles` finds the profiles and reports numbers (labels,
item means per profile, stability); this module turns them into the ``profiles`` table of stage
01 (written by :mod:`workbook.needs.stage`, shown by :func:`workbook.needs.report.profile_cards`).
It lives apart from ``report.py`` because the stage writes the cards and ``report.py`` imports the
stage. Small groups are not suppressed here — the stage suppresses before writing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from workbook.needs.profiles import NeedProfiles, ProfileInputError, ProfileParameterError

__all__ = ["describe_profiles", "STABILITY_LABELS_EN"]

#: English renderings of the stability labels (the Indonesian ones are the attribute values).
STABILITY_LABELS_EN = {
    "stabil": "stable",
    "ragu": "doubtful",
    "tidak dapat dipercaya": "not trustworthy",
}


def describe_profiles(
    model: NeedProfiles,
    X: Any,
    meta: pd.DataFrame | None = None,
    *,
    lang: str = "id",
    top: int = 3,
) -> pd.DataFrame:
    """One row per profile of a fitted ``model``: size, largest needs, composition, stability
    and a sentence.

    Parameters
    ----------
    model : NeedProfiles
        A fitted model; its ``need_direction`` says whether a need is a negative mean (gaps) or
        a positive one (need ratings).
    X : array-like or DataFrame of shape (n_samples, n_items)
        Usually the data the model was fitted on; rows are assigned with
        :meth:`NeedProfiles.predict <workbook.needs.profiles.NeedProfiles.predict>`.
    meta : DataFrame, optional
        Aligned with ``X`` (same length and order). Used columns, when present:
        ``nama_unit`` (else ``kode_unit``) and ``jenis_jabatan``.
    lang : {"id", "en"}, default="id"
    top : int, default=3
        Number of items and categories listed.

    Returns
    -------
    pandas.DataFrame
        Columns ``profile``, ``n``, ``share`` (of assigned rows), ``largest_gaps`` (text:
        items with their mean, largest need first), ``composition_unit``,
        ``composition_jabatan`` (text: top categories with shares; None without
        ``meta``), ``stability``, ``stability_label``, ``summary`` (one sentence),
        ``suggested_areas`` (item codes with the largest mean need, comma-separated; for
        gaps only items with a negative mean).

    Notes
    -----
    Means are over the respondents' answers (blanks ignored). Texts are presentation
    and show two decimals; numbers elsewhere are not rounded. Small groups are not
    suppressed here — that is the reporting layer's job.
    """
    check_is_fitted(model)
    if lang not in ("id", "en"):
        raise ProfileParameterError(
            f"Bahasa '{lang}' tidak dikenal; pilih 'id' atau 'en'.",
            f"Unknown language '{lang}'; choose 'id' or 'en'.",
            value=lang,
        )
    labels, item_means = model.item_means(X)
    all_means = item_means.to_numpy()
    if meta is not None:
        if not isinstance(meta, pd.DataFrame) or len(meta) != len(labels):
            raise ProfileInputError(
                f"Tabel meta harus DataFrame sepanjang data jawaban ({len(labels)} baris).",
                f"The meta table must be a DataFrame as long as the answer data "
                f"({len(labels)} rows).",
                expected=f"{len(labels)} rows",
            )
        meta = meta.reset_index(drop=True)
    positive = model.need_direction == "positive"
    n_assigned = int((labels >= 0).sum())
    sign = -1.0 if model.need_direction == "negative" else 1.0
    names = model.item_names_
    rows = []
    for p in range(model.n_profiles_):
        mask = labels == p
        n_p = int(mask.sum())
        means = all_means[p]
        need = sign * means
        order = [
            j
            for j in np.argsort(-np.nan_to_num(need, nan=-np.inf), kind="stable")
            if np.isfinite(need[j])
        ][:top]
        gaps_txt = "; ".join(f"{names[j]} ({_num(means[j], lang)})" for j in order)
        areas = [names[j] for j in order if positive or means[j] < 0]
        comp_unit = comp_jab = None
        if meta is not None:
            ucol = (
                "nama_unit"
                if "nama_unit" in meta
                else ("kode_unit" if "kode_unit" in meta else None)
            )
            if ucol:
                comp_unit = _composition(meta.loc[mask, ucol], top)
            if "jenis_jabatan" in meta:
                comp_jab = _composition(meta.loc[mask, "jenis_jabatan"], top)
        share = n_p / n_assigned if n_assigned else np.nan
        stab = float(model.stability_[p])
        lab_id = model.stability_label_[p]
        lab = lab_id if lang == "id" else STABILITY_LABELS_EN[lab_id]
        rows.append(
            {
                "profile": p,
                "n": n_p,
                "share": share,
                "largest_gaps": gaps_txt,
                "composition_unit": comp_unit,
                "composition_jabatan": comp_jab,
                "stability": stab,
                "stability_label": lab,
                "summary": _sentence(p, n_p, share, areas, lab, stab, comp_unit, lang),
                "suggested_areas": ", ".join(areas),
            }
        )
    return pd.DataFrame(rows)


def _composition(values: pd.Series, top: int) -> str | None:
    shares = values.astype("string").fillna("?").value_counts(normalize=True, sort=True)
    if shares.empty:
        return None
    shares = shares.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    return "; ".join(f"{name} {share:.0%}" for name, share in shares.head(top).items())


def _num(value: float, lang: str) -> str:
    """Two decimals for texts; Indonesian uses a decimal comma."""
    txt = f"{value:.2f}"
    return txt.replace(".", ",") if lang == "id" else txt


def _top_category(composition: str) -> str:
    """'Dinas A 60%; Dinas B 40%' → 'Dinas A (60%)'."""
    name, _, pct = composition.split("; ")[0].rpartition(" ")
    return f"{name} ({pct})"


def _sentence(
    p: int,
    n: int,
    share: float,
    areas: list[str],
    label: str,
    stab: float,
    comp_unit: str | None,
    lang: str,
) -> str:
    pct = f"{share:.0%}" if np.isfinite(share) else "–"
    if lang == "en":
        need = (
            f"the largest needs are in {', '.join(areas)}"
            if areas
            else "no item shows a shortfall on average"
        )
        unit = f"; mostly from {_top_category(comp_unit)}" if comp_unit else ""
        return (
            f"Profile {p} has {n:,} respondents ({pct} of those assigned); {need}"
            f"{unit}; the profile is {label} (bootstrap Jaccard {stab:.2f})."
        )
    need = (
        f"kebutuhan terbesar pada {', '.join(areas)}"
        if areas
        else "rata-rata tidak ada butir yang di bawah standar"
    )
    unit = f"; terbanyak dari {_top_category(comp_unit)}" if comp_unit else ""
    n_txt = f"{n:,}".replace(",", ".")
    stab_txt = f"{stab:.2f}".replace(".", ",")
    return (
        f"Profil {p} beranggotakan {n_txt} responden ({pct} dari yang terpetakan) "
        f"dengan {need}{unit}; profil ini {label} (Jaccard bootstrap {stab_txt})."
    )
