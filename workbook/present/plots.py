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
            ax=None, labels: str | None = None, figsize: tuple[float, float] | None = None,
            fontsize: float | None = None, rotate: bool = True) -> Figure:
    """A labelled heatmap (e.g. unit × competency share below standard); NaN cells shown as ``na_label``.

    ``labels`` names a text column of ``df`` written in each cell instead of the formatted value
    (e.g. the mean with its n; an empty text leaves the cell blank). ``figsize`` (inches) and
    ``fontsize`` (points, cells and ticks) fix the print size of a figure meant for an A4 page;
    ``rotate=False`` writes the column labels level."""
    wide = df.pivot_table(index=index, columns=columns, values=values, aggfunc="first", sort=False, dropna=False)
    text = (df.pivot(index=index, columns=columns, values=labels).reindex(index=wide.index, columns=wide.columns)
            if labels else None)
    fig, ax = _fig_ax(ax, figsize=figsize or (max(6, 0.55 * wide.shape[1] + 3), max(3, 0.4 * wide.shape[0] + 1.5)))
    data = wide.to_numpy(dtype=float)
    im = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, aspect="auto", vmin=vmin, vmax=vmax)
    tick = {"fontsize": fontsize} if fontsize else {}
    ax.set_xticks(range(wide.shape[1]), [str(c) for c in wide.columns], **(
        {"rotation": 45, "ha": "right"} if rotate else {}), **tick)
    ax.set_yticks(range(wide.shape[0]), [str(i) for i in wide.index], **tick)
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = data[i, j]
            if text is not None:
                cell = text.iat[i, j]
                ax.text(j, i, "" if cell is None or cell != cell else str(cell), ha="center", va="center",
                        fontsize=fontsize or 6)
                continue
            ax.text(j, i, na_label if np.isnan(v) else fmt.format(v), ha="center", va="center", fontsize=fontsize or 7)
    fig.colorbar(im, ax=ax, shrink=0.8)
    ax.set_title(title)
    return fig


def forest(df: pd.DataFrame, *, label: str = "label", estimate: str = "estimate", ci_low: str = "ci_low",
           ci_high: str = "ci_high", ref: float | None = None, ref_label: str = "", title: str = "",
           xlabel: str = "", highlight: str | None = None, ax=None) -> Figure:
    """Forest plot: one point with its interval per row (e.g. g_z per programme)."""
    fig, ax = _fig_ax(ax, figsize=(8, max(3, 0.32 * len(df) + 1.5)))
    y = np.arange(len(df))
    est = df[estimate].to_numpy(dtype=float)
    lo, hi = df[ci_low].to_numpy(dtype=float), df[ci_high].to_numpy(dtype=float)
    colors = [PALETTE[0] if (highlight is None or bool(h)) else PALETTE[7]
              for h in (df[highlight] if highlight else [True] * len(df))]
    ax.hlines(y, lo, hi, color=colors, lw=1.5)
    ax.scatter(est, y, color=colors, zorder=3, s=22)
    ax.axvline(0, color="black", lw=0.8)
    if ref is not None:
        ax.axvline(ref, color=PALETTE[4], ls="--", lw=1, label=ref_label)
        ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_yticks(y, [str(x)[:45] for x in df[label]])
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def slope(pairs: pd.DataFrame, *, id_col: str = "pegawai_id", phase: str = "tahap", value: str = "skor_pct",
          order: tuple[str, str] = ("pre", "post"), labels: tuple[str, str] = ("Pre-test", "Post-test"),
          title: str = "", ylabel: str = "", ax=None) -> Figure:
    """Paired slope chart: one line per participant from pre to post (green up, red down)."""
    fig, ax = _fig_ax(ax, figsize=(5, 5))
    wide = pairs.pivot_table(index=id_col, columns=phase, values=value, aggfunc="first")
    a, b = wide[order[0]].to_numpy(dtype=float), wide[order[1]].to_numpy(dtype=float)
    for x0, x1 in zip(a, b, strict=False):
        ax.plot([0, 1], [x0, x1], color=PALETTE[6] if x1 >= x0 else PALETTE[4], alpha=0.35, lw=1)
    ax.plot([0, 1], [np.nanmean(a), np.nanmean(b)], color="black", lw=3, marker="o")
    ax.set_xticks([0, 1], labels)
    ax.set_xlim(-0.2, 1.2)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
