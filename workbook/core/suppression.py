"""Small-group suppression: the one set of rules every aggregate output obeys.

Rules (defaults from ``settings``; sources in ``defaults.yaml``):

1. **Primary** — counts, means and shares of a group with fewer than ``k_count`` (5) people are
   hidden; distributions and cross-tab cells use ``k_distribution`` (8).
2. **Complementary** — when a parent total is published, a single hidden group among its siblings
   could be recovered by subtraction; so in every parent with exactly one hidden group (or hidden
   groups adding up to fewer than ``k`` people) the next-smallest sibling is hidden too — also
   when the first was hidden for an extreme share (rule 3 runs first). For cross-tabs the rule
   runs over rows and columns until stable, with a zero cell as the complement of last resort.
3. **No extreme shares for small groups** — a share of 0 % or 100 % in a group of fewer than
   ``k_distribution`` people tells something about every member (attribute disclosure), so it is
   hidden.

Hidden values become missing (NaN) and the row gets ``suppressed = True`` and a
``suppression_reason`` (``primary``, ``complementary``, ``extreme_share``); the presentation layer
shows "disembunyikan (n < 5)". References: Hundepool et al. (2012) *Statistical Disclosure
Control*, Wiley, §5.2 (primary and secondary suppression); DOMAIN.md §5.3 [S71–S74].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbook.core.exceptions import DataError
from workbook.core.settings import Settings, load_settings

__all__ = ["suppress_table", "suppress_crosstab", "k_for", "is_suppressed_value"]


def k_for(kind: str = "count", settings: Settings | None = None) -> int:
    """The minimum group size for ``kind`` in ``{"count", "distribution", "text"}``."""
    s = settings or load_settings()
    key = {"count": "suppression.k_count", "distribution": "suppression.k_distribution",
           "text": "suppression.k_text"}.get(kind)
    if key is None:
        raise DataError(f"Jenis penyembunyian '{kind}' tidak dikenal.", f"Unknown suppression kind '{kind}'.")
    return int(s[key])


def is_suppressed_value(x: object) -> bool:
    return x is None or (isinstance(x, float) and np.isnan(x))


def suppress_table(
    df: pd.DataFrame,
    *,
    n_col: str = "n",
    value_cols: Sequence[str] | None = None,
    share_cols: Sequence[str] = (),
    parent_cols: Sequence[str] | None = (),
    kind: str = "count",
    k: int | None = None,
    settings: Settings | None = None,
    count_cols: Sequence[str] = (),
) -> pd.DataFrame:
    """Apply primary, complementary and extreme-share suppression to a group-level table.

    Parameters
    ----------
    df : DataFrame
        One row per group, with the group size in ``n_col``.
    value_cols : sequence of str, optional
        Columns hidden when a row is suppressed (default: every numeric column except ``n_col``).
        ``n_col`` itself is hidden too (a count is a value).
    share_cols : sequence of str
        Columns holding shares in [0, 1]; 0 and 1 are hidden when n < ``k_distribution``.
    parent_cols : sequence of str or None
        Columns defining the parent whose total is published (e.g. ``["kode_kompetensi"]`` for a
        unit × competency table: sibling units share a competency total). ``()`` means the whole
        table is one parent; ``None`` turns complementary suppression off (only when no total of
        these rows is published anywhere).
    kind : {"count", "distribution"}
        Which minimum applies.
    count_cols : sequence of str
        Count columns among ``value_cols`` whose parent total is published (e.g. the agency's
        number with a performance gap): where the hidden rows of a parent add up to 0 in one of
        them, each would be read as 0, so the smallest sibling with a non-zero count is hidden too.

    Returns
    -------
    DataFrame
        A copy with hidden values set to NaN and the columns ``suppressed`` (bool) and
        ``suppression_reason`` (str, empty when shown). ``n_col`` is hidden in primary rows and
        in complementary rows of a parent with a primary row (a parent whose hidden rows are all
        extreme shares or complements has no hidden size to protect, so its sizes stay).
    """
    if n_col not in df.columns:
        raise DataError(f"Kolom jumlah '{n_col}' tidak ada di tabel.", f"Count column '{n_col}' is missing.",
                        column=n_col)
    s = settings or load_settings()
    k = int(k if k is not None else k_for(kind, s))
    k_dist = k_for("distribution", s)
    out = df.copy()
    n = pd.to_numeric(out[n_col], errors="coerce").fillna(0).to_numpy(dtype=float)
    if value_cols is None:
        value_cols = [c for c in out.select_dtypes("number").columns if c != n_col]
    value_cols = [c for c in value_cols if c != n_col]
    reason = np.where(n < k, "primary", "").astype(object)
    hide_n = reason == "primary"
    # Extreme shares first: a row hidden for one is a hidden sibling like any other, so it gets
    # its complementary sibling too (else a published total gives it back; security review 5.4).
    for c in share_cols:
        vals = pd.to_numeric(out[c], errors="coerce").to_numpy(dtype=float)
        extreme = (n < k_dist) & ((vals <= 0.0) | (vals >= 1.0)) & (reason == "")
        reason[extreme] = "extreme_share"

    if parent_cols is not None:
        parents = [c for c in parent_cols]
        groups = out.groupby(parents, sort=False, dropna=False).indices if parents else {None: np.arange(len(out))}
        for idx in groups.values():
            idx = np.asarray(idx)
            hidden = idx[reason[idx] != ""]
            shown = idx[reason[idx] == ""]
            # Hide more siblings while the hidden total could be recovered or pinned down.
            while len(hidden) > 0 and len(shown) > 0 and (len(hidden) == 1 or n[hidden].sum() < k):
                nxt = shown[np.argmin(n[shown])]
                reason[nxt] = "complementary"
                hidden = np.append(hidden, nxt)
                shown = shown[shown != nxt]
            # A count column whose total is published: hidden cells adding up to 0 are each 0.
            for c in count_cols:
                v = pd.to_numeric(out[c], errors="coerce").fillna(0).to_numpy(dtype=float)
                while len(hidden) > 1 and v[hidden].sum() == 0 and (v[shown] > 0).any():
                    cand = shown[v[shown] > 0]
                    nxt = cand[np.argmin(n[cand])]
                    reason[nxt] = "complementary"
                    hidden = np.append(hidden, nxt)
                    shown = shown[shown != nxt]
            _protect_sizes(idx, reason, hide_n, n, k)

    mask = reason != ""
    cols_to_hide = list(dict.fromkeys([*value_cols, *share_cols]))
    for c in cols_to_hide:
        col = pd.to_numeric(out[c], errors="coerce").astype(float)
        col[mask] = np.nan
        out[c] = col
    # The count itself: hidden for primary rows and their complements (_protect_sizes), kept for
    # extreme shares and for the complements of extreme shares alone.
    ncol = out[n_col].astype(float)
    ncol[hide_n] = np.nan
    out[n_col] = ncol
    out["suppressed"] = mask
    out["suppression_reason"] = pd.Series(reason, index=out.index).astype(str)
    return out


def _protect_sizes(idx: np.ndarray, reason: np.ndarray, hide_n: np.ndarray, n: np.ndarray, k: int) -> None:
    """The sizes of one parent (in place): where a primary row hides its size, the complements
    hide theirs too, and more siblings (also a row hidden for an extreme share, which otherwise
    keeps its size) until no hidden size can be recovered from the total or pinned below k.
    Without a primary row no size is hidden."""
    if not hide_n[idx].any():
        return
    hn = idx[hide_n[idx] | (reason[idx] == "complementary")]
    rest = idx[~np.isin(idx, hn)]
    while len(rest) and (len(hn) == 1 or n[hn].sum() < k):
        nxt = rest[np.argmin(n[rest])]
        reason[nxt] = "complementary"
        hn = np.append(hn, nxt)
        rest = rest[rest != nxt]
    hide_n[hn] = True


def suppress_crosstab(ct: pd.DataFrame, *, k: int | None = None, settings: Settings | None = None,
                      kind: str = "distribution") -> pd.DataFrame:
    """Suppress a cross-tab of counts (rows × columns, margins published).

    Cells with 0 < count < k are hidden (a zero cell is not disclosive by itself and stays);
    then, so that row and column margins cannot reveal a hidden cell, every row and column with
    exactly one hidden cell (or hidden cells adding to fewer than k) gets its smallest non-zero
    visible cell hidden too — a zero cell when no non-zero one is left — repeated until stable.
    Returns a float frame with NaN for hidden cells.
    """
    s = settings or load_settings()
    k = int(k if k is not None else k_for(kind, s))
    vals = ct.to_numpy(dtype=float)
    hidden = (vals > 0) & (vals < k)
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines = hidden if axis == 1 else hidden.T
            v = vals if axis == 1 else vals.T
            for i in range(lines.shape[0]):
                h = lines[i]
                if h.any() and (h.sum() == 1 or v[i][h].sum() < k):
                    cand = np.where(~h & (v[i] > 0))[0]
                    if not len(cand):
                        # only zeros left: a shown 0 next to a published margin gives the hidden
                        # cell back (7 = 7 − 0 − 0), so a zero is the complement of last resort
                        cand = np.where(~h)[0]
                    if len(cand):
                        j = cand[np.argmin(v[i][cand])]
                        lines[i, j] = True
                        changed = True
            hidden = lines if axis == 1 else lines.T
    out = pd.DataFrame(np.where(hidden, np.nan, vals), index=ct.index, columns=ct.columns)
    return out
