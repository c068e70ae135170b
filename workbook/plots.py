"""Pure figure builders: each takes a tidy DataFrame (and an optional ``ax``) and returns a Figure.

They never call ``plt.show()``, never read files and never compute statistics: the stage modules
compute, these draw. Labels come in the language asked for.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = ["stacked_bar", "histogram", "barh", "heatmap", "PALETTE"]

PALETTE = ["#1F4E79", "#2E86C1", "#76B7E5", "#F5B041", "#C0392B", "#7D3C98", "#117A65", "#839192"]


def _fig_ax(ax, figsize=(8, 4.5)):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    return ax.figure, ax


def stacked_bar(df: pd.DataFrame, *, index: str, columns: str, values: str = "n", title: str = "",
                xlabel: str = "", ylabel: str = "", ax=None, horizontal: bool = True) -> Figure:
    """Stacked bars of ``values`` by ``index`` and ``columns`` (missing = suppressed, drawn as gaps)."""
    wide = df.pivot_table(index=index, columns=columns, values=values, aggfunc="sum", sort=False)
    fig, ax = _fig_ax(ax, figsize=(8, max(3, 0.4 * len(wide) + 1.5)))
    left = np.zeros(len(wide))
    for i, col in enumerate(wide.columns):
        vals = wide[col].fillna(0).to_numpy(dtype=float)
        if horizontal:
            ax.barh(wide.index.astype(str), vals, left=left, label=str(col), color=PALETTE[i % len(PALETTE)])
        else:
            ax.bar(wide.index.astype(str), vals, bottom=left, label=str(col), color=PALETTE[i % len(PALETTE)])
        left += vals
    if horizontal:
        ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(frameon=False, fontsize=8, loc="best")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def histogram(values: pd.Series, *, bins=20, title: str = "", xlabel: str = "", ylabel: str = "",
              vline: float | None = None, vline_label: str = "", ax=None) -> Figure:
    fig, ax = _fig_ax(ax)
    ax.hist(pd.to_numeric(values, errors="coerce").dropna(), bins=bins, color=PALETTE[1], edgecolor="white")
    if vline is not None:
        ax.axvline(vline, color=PALETTE[4], linestyle="--", label=vline_label)
        ax.legend(frameon=False)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def barh(df: pd.DataFrame, *, label: str, value: str, title: str = "", xlabel: str = "",
         ci_low: str | None = None, ci_high: str | None = None, percent: bool = False,
         ref: float | None = None, ax=None) -> Figure:
    """Horizontal bars with optional interval whiskers; missing values (suppressed) are left blank."""
    fig, ax = _fig_ax(ax, figsize=(8, max(3, 0.35 * len(df) + 1.5)))
    y = np.arange(len(df))
    vals = pd.to_numeric(df[value], errors="coerce").to_numpy(dtype=float)
    scale = 100.0 if percent else 1.0
    ax.barh(y, np.nan_to_num(vals) * scale, color=PALETTE[0])
    if ci_low and ci_high:
        lo = pd.to_numeric(df[ci_low], errors="coerce").to_numpy(dtype=float) * scale
        hi = pd.to_numeric(df[ci_high], errors="coerce").to_numpy(dtype=float) * scale
        ok = ~np.isnan(lo) & ~np.isnan(hi) & ~np.isnan(vals)
        ax.errorbar(vals[ok] * scale, y[ok], xerr=[vals[ok] * scale - lo[ok], hi[ok] - vals[ok] * scale],
                    fmt="none", ecolor="black", capsize=3, lw=1)
    if ref is not None:
        ax.axvline(ref * scale, color=PALETTE[4], linestyle="--", lw=1)
    ax.set_yticks(y, df[label].astype(str))
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def heatmap(df: pd.DataFrame, *, index: str, columns: str, values: str, title: str = "",
            cmap: str = "RdYlGn_r", fmt: str = "{:.0%}", na_label: str = "–", vmin=None, vmax=None,
            ax=None) -> Figure:
    """A labelled heatmap (e.g. unit × competency share below standard); NaN cells shown as ``na_label``."""
    wide = df.pivot_table(index=index, columns=columns, values=values, aggfunc="first", sort=False, dropna=False)
    fig, ax = _fig_ax(ax, figsize=(max(6, 0.55 * wide.shape[1] + 3), max(3, 0.4 * wide.shape[0] + 1.5)))
    data = wide.to_numpy(dtype=float)
    im = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, aspect="auto", vmin=vmin, vmax=vmax)
    ax.set_xticks(range(wide.shape[1]), [str(c) for c in wide.columns], rotation=45, ha="right")
    ax.set_yticks(range(wide.shape[0]), [str(i) for i in wide.index])
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            ax.text(j, i, na_label if np.isnan(v) else fmt.format(v), ha="center", va="center", fontsize=7)
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title(title)
    return fig
