"""Profile cards: what the stage records about each need profile (size, largest needs,
composition, stability) as codes and numbers.

:class:`~workbook.needs.profiles.NeedProfiles` finds the profiles and reports numbers (labels,
item means per profile, stability); this module turns them into the ``profiles`` table of stage
01 (written by :mod:`workbook.needs.stage`). The words — the composition texts and the card's
sentence — are made by :mod:`workbook.needs.words` (shown by
:func:`workbook.needs.report.profile_cards`). Small groups are not suppressed here — the stage
suppresses before writing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from workbook.needs.profiles import NeedProfiles, ProfileInputError

__all__ = ["describe_profiles"]


def describe_profiles(
    model: NeedProfiles,
    X: Any,
    meta: pd.DataFrame | None = None,
    *,
    top: int = 3,
) -> pd.DataFrame:
    """One row per profile of a fitted ``model``: size, largest needs, composition and
    stability, as codes and numbers (:func:`workbook.needs.words.profile_summary` makes the
    sentence).

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
    top : int, default=3
        Number of items and categories listed.

    Returns
    -------
    pandas.DataFrame
        Columns ``profile``, ``n``, ``share`` (of assigned rows), ``largest_gaps`` (list of
        item codes, largest need first) with ``largest_gaps_mean`` (their means),
        ``composition_unit`` / ``composition_jabatan`` (list of the top categories, largest
        first; None without ``meta``) with ``composition_unit_share`` /
        ``composition_jabatan_share`` (their shares), ``stability``, ``stability_label`` (the
        model's label: ``stabil``, ``ragu``, ``tidak dapat dipercaya``), ``suggested_areas``
        (item codes with the largest mean need, comma-separated; for gaps only items with a
        negative mean).

    Notes
    -----
    Means are over the respondents' answers (blanks ignored); numbers are not rounded. Small
    groups are not suppressed here — that is the reporting layer's job.
    """
    check_is_fitted(model)
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
        areas = [names[j] for j in order if positive or means[j] < 0]
        comp_unit = comp_jab = unit_share = jab_share = None
        if meta is not None:
            ucol = (
                "nama_unit"
                if "nama_unit" in meta
                else ("kode_unit" if "kode_unit" in meta else None)
            )
            if ucol:
                comp_unit, unit_share = _composition(meta.loc[mask, ucol], top)
            if "jenis_jabatan" in meta:
                comp_jab, jab_share = _composition(meta.loc[mask, "jenis_jabatan"], top)
        rows.append(
            {
                "profile": p,
                "n": n_p,
                "share": n_p / n_assigned if n_assigned else np.nan,
                "largest_gaps": [str(names[j]) for j in order],
                "largest_gaps_mean": [float(means[j]) for j in order],
                "composition_unit": comp_unit,
                "composition_unit_share": unit_share,
                "composition_jabatan": comp_jab,
                "composition_jabatan_share": jab_share,
                "stability": float(model.stability_[p]),
                "stability_label": str(model.stability_label_[p]),
                "suggested_areas": ", ".join(areas),
            }
        )
    return pd.DataFrame(rows)


def _composition(values: pd.Series, top: int) -> tuple[list[str] | None, list[float] | None]:
    """The ``top`` categories, largest share first (ties by name), and their shares."""
    shares = values.astype("string").fillna("?").value_counts(normalize=True, sort=True)
    if shares.empty:
        return None, None
    shares = shares.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    head = shares.head(top)
    return [str(n) for n in head.index], [float(v) for v in head.to_numpy()]
