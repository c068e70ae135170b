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

__all__ = ["describe_profiles", "profile_cells", "separation_class", "SEPARATION_CLASSES"]

#: ``separation`` codes of the chosen partition's mean silhouette (Kaufman & Rousseeuw 1990,
#: ch. 2): below ``profiles.silhouette_weak`` no substantial structure, below
#: ``profiles.silhouette_reasonable`` weak, otherwise reasonable or strong
SEPARATION_CLASSES = ("tidak_berarti", "lemah", "memadai")


def describe_profiles(
    model: NeedProfiles,
    X: Any,
    meta: pd.DataFrame | None = None,
    *,
    top: int = 3,
    min_n: int = 1,
    name_gap: float | None = None,
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
    min_n : int, default=1
        An item enters ``largest_gaps`` only when at least ``min_n`` members of the profile have
        an answer on it (the stage passes the small-count ``k``): a mean of fewer people is
        neither shown nor used to name the profile.
    name_gap : float, optional
        The mean need (in levels) from which an item names the profile (``name_gaps``); the
        setting ``profiles.name_gap`` when None.

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
        negative mean), ``name_gaps`` (the ``largest_gaps`` whose mean need is at least
        ``name_gap``: what the profile is named by; empty = no meaningful gap).

    Notes
    -----
    Means are over the respondents' answers (blanks ignored); numbers are not rounded. Small
    groups are not suppressed here — that is the reporting layer's job.
    """
    check_is_fitted(model)
    labels, item_means = model.item_means(X)
    all_means = item_means.to_numpy()
    if name_gap is None:
        from workbook.core.settings import load_settings

        name_gap = float(load_settings()["profiles.name_gap"])
    answered = ~np.isnan(np.asarray(pd.DataFrame(X).to_numpy(dtype=np.float64)))
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
        need = np.where(answered[mask].sum(axis=0) >= max(min_n, 1), sign * means, np.nan)
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
                "name_gaps": [str(names[j]) for j in order if need[j] >= name_gap],
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


def profile_cells(
    gaps: pd.DataFrame, members: pd.DataFrame, *, min_n: int = 1
) -> pd.DataFrame:
    """Observed mean gap of each profile × competency, with the number of people behind it.

    Parameters
    ----------
    gaps : DataFrame
        ``pegawai_id``, ``kode_kompetensi``, ``gap`` (one row per person and competency of the
        person's standard: a competency that does not apply has no row; an unknown level has a
        NaN gap).
    members : DataFrame
        ``pegawai_id``, ``profile`` (``-1`` = not assigned).
    min_n : int, default=1
        Cells with ``0 < n < min_n`` are suppressed (mean NaN, ``suppressed`` True).

    Returns
    -------
    pandas.DataFrame
        One row per profile × competency that occurs in ``gaps``: ``profile``,
        ``kode_kompetensi``, ``n`` (members with a known gap), ``mean_gap`` (their mean; NaN
        when ``n`` is 0 — the competency applies to none of them — or the cell is suppressed),
        ``suppressed``. Nothing is imputed.
    """
    mem = members.loc[members["profile"] >= 0, ["pegawai_id", "profile"]]
    g = gaps.loc[gaps["gap"].notna(), ["pegawai_id", "kode_kompetensi", "gap"]]
    g = g.merge(mem, on="pegawai_id", how="inner")
    agg = g.groupby(["profile", "kode_kompetensi"])["gap"].agg(n="size", mean_gap="mean")
    comps = sorted(pd.unique(gaps["kode_kompetensi"].astype(str)))
    full = pd.MultiIndex.from_product(
        [sorted(pd.unique(mem["profile"])), comps], names=["profile", "kode_kompetensi"]
    )
    out = agg.reindex(full).reset_index()
    out["n"] = out["n"].fillna(0).astype("int64")
    out["suppressed"] = (out["n"] > 0) & (out["n"] < min_n)
    out.loc[out["suppressed"] | (out["n"] == 0), "mean_gap"] = np.nan
    return out


def separation_class(silhouette: float, weak: float, reasonable: float) -> str | None:
    """The ``separation`` code of a mean silhouette (:data:`SEPARATION_CLASSES`; None when NaN).

    Kaufman & Rousseeuw (1990, ch. 2): ≤ 0,25 no substantial structure, 0,26–0,50 weak
    structure, 0,51–0,70 reasonable, > 0,70 strong; ``weak`` and ``reasonable`` are the
    settings ``profiles.silhouette_weak`` and ``profiles.silhouette_reasonable``.
    """
    if silhouette is None or not np.isfinite(silhouette):
        return None
    if silhouette <= weak:
        return "tidak_berarti"
    if silhouette <= reasonable:
        return "lemah"
    return "memadai"
