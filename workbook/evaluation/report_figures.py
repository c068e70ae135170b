"""The figures of the evaluation chapter (re-exported by :mod:`workbook.evaluation.report`):
Level 1 scores per programme and aspect, the forest plot of d_av, and one programme's pairs.

Each figure reads only what the tables show (suppressed programmes are left out) and marks what
cannot carry a conclusion: a Level 1 aspect with too few respondents for α or with inadequate
reliability (hollow marker), a Level 2 programme with fewer pairs than
``evaluation.test_min_pairs`` (hollow marker). Legends stand outside the plotting area.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from workbook.core.i18n import fmt_int, fmt_number, t
from workbook.evaluation import levels as evaluation
from workbook.evaluation import verdicts as verdicts_mod
from workbook.evaluation import words
from workbook.evaluation.stage import EvaluationResult, shown_level1, shown_level2
from workbook.present import plots

__all__ = ["forest_figure", "forest_caption", "level1_figure", "slope_figure", "change_figure"]

#: characters per line of a programme label before it wraps (labels are wrapped, never cut)
_WRAP = 34


def _label(pid: str, name: str) -> str:
    return textwrap.fill(f"{pid} {name}".strip(), _WRAP)


def _forest_rows(res: EvaluationResult) -> pd.DataFrame:
    shown = shown_level2(res)
    shown = shown[~shown["suppressed"]]
    if not len(shown):
        return shown
    fd = evaluation.forest_data(shown, settings=res.ctx.settings)
    return fd


def forest_figure(res: EvaluationResult) -> Figure | None:
    """d_av with its unadjusted 95 % interval per shown programme (full names, wrapped); colour =
    the Holm-adjusted test (blue significant, grey not); hollow marker = fewer pairs than
    ``evaluation.test_min_pairs``. The caption (:func:`forest_caption`) says that the intervals
    are not adjusted while the colour is."""
    import matplotlib.pyplot as plt

    fd = _forest_rows(res)
    if not len(fd):
        return None
    lang, s = res.ctx.lang, res.ctx.settings
    min_n = int(s["evaluation.test_min_pairs"])
    labels = [_label(p, n if n != p else "") for p, n in zip(fd["program_id"], fd["label"], strict=True)]
    height = max(3.0, 0.38 * len(fd) + 1.8)
    fig, ax = plt.subplots(figsize=(7.6, height))
    y = range(len(fd))
    for i, r in enumerate(fd.itertuples()):
        color = plots.PALETTE[0] if bool(r.significant) else plots.PALETTE[7]
        small = int(r.n) < min_n
        ax.hlines(i, r.ci_low, r.ci_high, color=color, lw=1.5)
        ax.scatter([r.estimate], [i], s=26, zorder=3, color=color if not small else "white", edgecolors=color)
    ax.axvline(0, color="black", lw=0.8)
    thr = float(fd["threshold"].iloc[0])
    ax.axvline(thr, color=plots.PALETTE[4], ls="--", lw=1)
    ax.set_yticks(list(y), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(t("evaluation.forest_xlabel", lang))
    ax.set_title(t("evaluation.forest_title", lang))
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Line2D([], [], color=plots.PALETTE[4], ls="--", label=t("evaluation.magnitude_threshold_ref", lang)),
               Line2D([], [], marker="o", ls="-", color=plots.PALETTE[0], label=t("evaluation.legend.significant", lang)),
               Line2D([], [], marker="o", ls="-", color=plots.PALETTE[7], label=t("evaluation.legend.not_significant", lang)),
               Line2D([], [], marker="o", ls="", color=plots.PALETTE[7], markerfacecolor="white",
                      label=t("evaluation.legend.few_pairs", lang, n=min_n))]
    fig.legend(handles=handles, frameon=False, fontsize=7, loc="lower center", ncol=2, bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.55 / height, 1, 1))
    return fig


def forest_caption(res: EvaluationResult) -> str:
    """The caption of :func:`forest_figure`: what the colour and the lines are, and how many of
    the tested programmes it shows (the others are suppressed, fewer than k participants)."""
    lang, s = res.ctx.lang, res.ctx.settings
    c = verdicts_mod.holm_counts(res.level2)
    shown = len(_forest_rows(res)) if len(res.level2) else 0
    return t("evaluation.forest_caption", lang, shown=fmt_int(shown, lang), tested=fmt_int(c["tested"], lang),
             hidden=fmt_int(max(c["tested"] - shown, 0), lang), k=int(s["suppression.k_count"]),
             min_n=int(s["evaluation.test_min_pairs"]), alpha=fmt_number(s["evaluation.alpha"], lang, 2))


def level1_figure(res: EvaluationResult) -> Figure | None:
    """Dot plot of the % of the maximum score per shown programme: one marker per aspect
    (facilitator ●, organiser ■); a hollow marker = a score that cannot be interpreted: α below
    the limit, or too few respondents to compute α (``evaluation.alpha_min_n``). The legend
    stands below the plot, outside the points."""
    import matplotlib.pyplot as plt

    d = shown_level1(res)
    d = d[~d["suppressed"] & d["pct_of_max"].notna()]
    if not len(d):
        return None
    lang = res.ctx.lang
    min_n = int(res.ctx.settings["evaluation.alpha_min_n"])
    progs = sorted(d["program_id"].unique())
    pos = {p: i for i, p in enumerate(progs)}
    height = max(3.0, 0.24 * len(progs) + 2.0)
    fig, ax = plt.subplots(figsize=(7.5, height))
    for aspect, marker, color in (("fasilitator", "o", plots.PALETTE[0]), ("penyelenggara", "s", plots.PALETTE[2])):
        a = d[d["aspect"] == aspect]
        rel = a["reliability"].astype(str) if "reliability" in a else pd.Series("adequate", index=a.index)
        weak = (rel.isin(["inadequate", "too_few", "not_computable"]) | (a["n"] < min_n)).to_numpy()
        y = a["program_id"].map(pos).to_numpy(dtype=float)
        label = words.text("evaluation.aspect", aspect, lang)
        ax.scatter(a.loc[~weak, "pct_of_max"], y[~weak], marker=marker, color=color, s=26, label=label)
        ax.scatter(a.loc[weak, "pct_of_max"], y[weak], marker=marker, facecolors="none", edgecolors=color,
                   s=26, label=t("evaluation.legend.l1_weak", lang, aspect=label, n=min_n))
    ax.set_yticks(range(len(progs)), progs)
    ax.invert_yaxis()
    ax.set_xlabel(t("evaluation.col.maximum", lang))
    ax.set_title(t("evaluation.l1_figure_title", lang))
    ax.spines[["top", "right"]].set_visible(False)
    handles, labs = ax.get_legend_handles_labels()
    fig.legend(handles, labs, frameon=False, fontsize=7, loc="lower center", ncol=2, bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout(rect=(0, 0.55 / height, 1, 1))
    return fig


def _shown_pairs(res: EvaluationResult, program_id: str | None) -> tuple[str, pd.DataFrame] | None:
    """The programme to draw (``program_id``, else the largest shown one) and its pre/post pairs;
    None when it is suppressed or nothing is shown."""
    shown = shown_level2(res)
    shown = shown[~shown["suppressed"]].sort_values("n", ascending=False)
    if not len(shown):
        return None
    pid = program_id or shown["program_id"].iloc[0]
    if pid not in set(shown["program_id"]):
        return None
    return pid, evaluation.level2_pairs(res.tables["evaluasi_l2"], pid)


def slope_figure(res: EvaluationResult, program_id: str | None = None) -> Figure | None:
    picked = _shown_pairs(res, program_id)
    if picked is None:
        return None
    pid, pairs = picked
    name = res.programme_names().get(pid, pid)
    lang = res.ctx.lang
    return plots.slope(pairs, title=f"{name} ({pid})", ylabel=t("evaluation.score_maximum", lang))


def change_figure(res: EvaluationResult, program_id: str | None = None) -> Figure | None:
    """Distribution of individual changes (post − pre, % of maximum) for one programme (shown ones only)."""
    picked = _shown_pairs(res, program_id)
    if picked is None:
        return None
    pid, pairs = picked
    change = pairs[pairs["tahap"] == "post"].set_index("pegawai_id")["skor_pct"] - \
        pairs[pairs["tahap"] == "pre"].set_index("pegawai_id")["skor_pct"]
    lang = res.ctx.lang
    name = res.programme_names().get(pid, pid)
    return plots.histogram(change.dropna(), bins=15, vline=0.0, vline_label=t("evaluation.no_change", res.ctx.lang),
                           title=t("evaluation.distribution_score_changes", lang, name=name),
                           xlabel=t("evaluation.post_pre_maximum_score", lang),
                           ylabel=t("evaluation.participants", lang))

