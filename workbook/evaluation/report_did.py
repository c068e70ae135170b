"""The comparison with untrained units (difference-in-differences) in the evaluation chapter: its
table and its sentences (:func:`did_table`, :func:`did_markdown`; re-exported by
:mod:`workbook.evaluation.report`)."""

from __future__ import annotations

import pandas as pd

from workbook.core.i18n import fmt_int, fmt_number, fmt_percent, t
from workbook.evaluation import words
from workbook.evaluation.stage import EvaluationResult
from workbook.present.format import format_table
from workbook.present.safe import md_text

__all__ = ["did_table", "did_markdown"]


def did_table(res: EvaluationResult) -> pd.DataFrame:
    """Difference in differences per indicator, shared indicators (most units) first; process
    indicators are left out (they are named in :func:`did_markdown`)."""
    lang = res.ctx.lang
    heads = [t("evaluation.col.indicator", lang),
             t("evaluation.col.better_direction", lang),
             t("evaluation.col.trained_units", lang),
             t("evaluation.col.comparison_units", lang),
             t("evaluation.col.change_trained", lang),
             t("evaluation.col.change_comparison", lang),
             t("evaluation.col.difference_did", lang),
             t("evaluation.col.ci_low", lang),
             t("evaluation.col.ci_high", lang),
             t("evaluation.col.p_permutation", lang),
             t("evaluation.col.p_holm", lang),
             t("evaluation.col.note", lang)]
    d = res.did
    if d is None or not len(d):
        return pd.DataFrame(columns=heads)
    if "indicator_kind" in d:
        d = d[d["indicator_kind"] != "proses"]
    d = d.assign(_n=d["n_trained"] + d["n_control"]).sort_values(["_n", "indikator"], ascending=[False, True],
                                                                   kind="stable").reset_index(drop=True)
    d["_message"] = words.words(d, "did_message", lang)
    single = _single_group(d)
    if single.any():  # one unit in a group: no variance of its own, no Welch interval (issue #18)
        d.loc[single, ["ci_low", "ci_high"]] = float("nan")
        note = t("evaluation.did.ci_single_unit", lang)
        d.loc[single, "_message"] = [f"{m}; {note}" if isinstance(m, str) and m else note
                                     for m in d.loc[single, "_message"]]
    if "p_adj" not in d:
        d["p_adj"] = float("nan")
    cols = {"indikator": "text", "arah_baik": "text", "n_trained": "int", "n_control": "int",
            "mean_change_trained": "num", "mean_change_control": "num", "did": "num", "ci_low": "num",
            "ci_high": "num", "p_val": "p", "p_adj": "p", "_message": "text"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=2)
    out.columns = heads
    return out


def _single_group(d: pd.DataFrame) -> pd.Series:
    """Rows whose trained or comparison group is a single unit (with both groups present): a Welch
    interval needs each group's variance, and one unit has none, so the interval is not shown."""
    return (((d["n_trained"] == 1) & (d["n_control"] >= 1)) | ((d["n_control"] == 1) & (d["n_trained"] >= 1)))


def _signed(x: float, lang: str, decimals: int = 1) -> str:
    return ("+" if x > 0 else "") + fmt_number(x, lang, decimals)


def _did_line(r, lang: str, alpha: float) -> str:
    """One tested (or untestable) indicator in words: the changes, the difference, its interval,
    the permutation and Holm p, and the reading ("terkait", never "disebabkan")."""
    better = t("evaluation.did.better_" + ("naik" if r.arah_baik == "naik" else "turun"), lang)
    txt = f"**{md_text(r.indikator)}** ({better}): " + t(
        "evaluation.did.change", lang, n_trained=r.n_trained, n_control=r.n_control,
        change_trained=_signed(r.mean_change_trained, lang),
        change_control=_signed(r.mean_change_control, lang), did=_signed(r.did, lang))
    if min(r.n_trained, r.n_control) == 1:
        txt += t("evaluation.did.ci_single_unit_inline", lang)
    elif r.ci_low == r.ci_low:
        txt += t("evaluation.ci", lang, lvl=fmt_percent(float(r.confidence), lang, 0),
                 ci_low=_signed(r.ci_low, lang), ci_high=_signed(r.ci_high, lang))
    start = getattr(r, "mean_before_trained", float("nan"))
    if start == start:
        txt += t("evaluation.did.start", lang, trained=fmt_number(start, lang, 1),
                 control=fmt_number(r.mean_before_control, lang, 1))
    p = getattr(r, "p_val", float("nan"))
    if p == p:
        txt += t("evaluation.did.p_perm", lang, p=fmt_number(p, lang, 3), n_perm=fmt_int(int(r.n_perm), lang),
                 p_adj=fmt_number(r.p_adj, lang, 3))
        n = int(r.n_trained + r.n_control)
        p_min = getattr(r, "p_min", float("nan"))
        if p_min == p_min and p_min >= alpha:
            txt += t("evaluation.did.unreachable", lang, n=n, p_min=fmt_number(p_min, lang, 3),
                     alpha=fmt_number(alpha, lang, 2)).rstrip(".") + "."
        elif bool(r.significant):
            txt += t("evaluation.did.related_" + ("better" if bool(r.favourable) else "worse"), lang)
        else:
            txt += t("evaluation.did.not_significant", lang).rstrip(".")
            if p_min == p_min:
                txt += t("evaluation.did.min_p_note", lang, n=n, p_min=fmt_number(p_min, lang, 3))
            txt += "."
    else:
        txt += f"; {words.text('evaluation.did_message', r.message, lang)}."
    return txt


def _did_mismatch_lines(d: pd.DataFrame, lang: str) -> list[str]:
    """The indicators whose programme link does not match participation (review W7)."""
    if "link_mismatch" not in d:
        return []
    mis = d[d["link_mismatch"].astype(bool)].sort_values("indikator")
    if not len(mis):
        return []
    out = ["", t("evaluation.did.mismatch_head", lang), ""]
    for r in mis.itertuples():
        parts = []
        prog = md_text(r.program_id.replace(";", ", ")) if r.program_id else "–"
        if r.units_linked_untrained:
            # a comparison unit had no participant; an excluded one had 1 to k − 1 (the rule's two cases)
            excl = set(str(getattr(r, "units_excluded", "") or "").split(";"))
            linked = [u for u in r.units_linked_untrained.split(";") if u]
            zero = [u for u in linked if u not in excl]
            few = [u for u in linked if u in excl]
            if zero:
                parts.append(t("evaluation.did.mismatch_linked_zero", lang, prog=prog,
                               units=md_text(", ".join(zero))))
            if few:
                parts.append(t("evaluation.did.mismatch_linked_few", lang, prog=prog, k=int(r.min_peserta),
                               k1=int(r.min_peserta) - 1, units=md_text(", ".join(few))))
        if r.units_trained_unlinked:
            parts.append(t("evaluation.did.mismatch_unlinked", lang, prog=prog,
                           units=md_text(r.units_trained_unlinked.replace(";", ", "))))
        out.append(f"- **{md_text(r.indikator)}**: " + "; ".join(parts) + ".")
    return out


def _pre_trend_lines(d: pd.DataFrame, lang: str, alpha: float) -> list[str]:
    """The pre-programme trends of trained and comparison units where several 'sebelum' years
    were given, else the sentence that parallel trends cannot be checked."""
    have = d[d["pre_trend_diff"].notna()] if "pre_trend_diff" in d else d.iloc[0:0]
    if not len(have):
        return ["", t("evaluation.did.pre_trend_missing", lang)]
    out = ["", t("evaluation.did.pre_trend_head", lang), ""]
    for r in have.sort_values("indikator").itertuples():
        txt = t("evaluation.did.pre_trend", lang, name=md_text(r.indikator), n=int(r.n_pre_periods),
                trained=_signed(r.pre_trend_trained, lang, 2), control=_signed(r.pre_trend_control, lang, 2),
                diff=_signed(r.pre_trend_diff, lang, 2), p=fmt_number(r.pre_trend_p, lang, 3))
        if r.pre_trend_p < alpha:
            txt += " " + t("evaluation.did.pre_trend_not_parallel", lang)
        out.append("- " + txt)
    return out


def did_markdown(res: EvaluationResult) -> str:
    """The DiD in words: how units were grouped and tested, each indicator, the link mismatches,
    the process indicators left out, the missing pre-period trend and the assumptions."""
    lang, s = res.ctx.lang, res.ctx.settings
    head = t("evaluation.level_4_comparison_groups", lang)
    d = res.did
    if d is None or not len(d):
        has_l4 = res.level4 is not None and len(res.level4)
        key = "evaluation.did.no_participation" if has_l4 else "evaluation.no_unit_indicators"
        return head + "\n\n" + t(key, lang)
    k = int(d["min_peserta"].iloc[0]) if "min_peserta" in d else int(s["impact.did_min_peserta"])
    m = int(d["p_adjust_m"].iloc[0]) if "p_adjust_m" in d else 0
    exact = t("evaluation.did.exact_note", lang, n=int(s["impact.permutation_exact_max_units"]))
    lines = [head, "", t("evaluation.did.intro", lang, k=k, k1=max(k - 1, 1), y1=res.ctx.year - 1, exact=exact,
                         m=fmt_int(m, lang)), ""]
    kind = d["indicator_kind"] if "indicator_kind" in d else pd.Series("hasil", index=d.index)
    r_ind = d[kind != "proses"]
    both = r_ind[(r_ind["n_trained"] > 0) & (r_ind["n_control"] > 0)].sort_values(
        ["n_trained", "indikator"], ascending=[False, True], kind="stable")
    lines += ["- " + _did_line(r, lang, float(s["evaluation.alpha"])) for r in both.itertuples()]
    no_cmp = r_ind[(r_ind["n_trained"] > 0) & (r_ind["n_control"] == 0)]
    for r in no_cmp[no_cmp["n_trained"] > 1].sort_values("indikator").itertuples():
        lines.append(f"- **{md_text(r.indikator)}** ({r.n_trained} {t('evaluation.units_all_trained', lang)}): "
                     f"{words.text('evaluation.did_message', r.message, lang)}.")
    n_single = int((no_cmp["n_trained"] == 1).sum())
    if n_single:
        msg = t("evaluation.did_message.no_comparison", lang)
        lines.append("- " + t("evaluation.indicators_measured_only_one_trained", lang, n_single=n_single, msg=msg))
    n_untrained = int(((r_ind["n_trained"] == 0) & (r_ind["n_control"] > 0)).sum())
    if n_untrained:
        lines.append("- " + t("evaluation.indicators_without_trained_unit_descriptive", lang, n_untrained=n_untrained))
    proc = sorted(d.loc[kind == "proses", "indikator"])
    if proc:
        lines.append("- " + t("evaluation.did.process", lang, n=len(proc), names="; ".join(md_text(x) for x in proc)))
    lines += _did_mismatch_lines(r_ind, lang)
    lines += _pre_trend_lines(r_ind, lang, float(s["evaluation.alpha"]))
    if m > 1:
        lines += ["", t("evaluation.did.multiplicity", lang, m=fmt_int(m, lang))]
    lines += ["", t("evaluation.assumptions_difference_read_as_effect", lang), words.did_assumptions(lang)]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The yearly report: the unit's sentences, chapters V and VI
# --------------------------------------------------------------------------------------------
