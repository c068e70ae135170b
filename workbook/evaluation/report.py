"""Presentation of stage 03: sentences, formatted tables and figures (aggregate, suppressed),
and chapters V (evaluation) and VI (follow-up) of the yearly report (:func:`chapter`).

The results carry codes; their words come from :mod:`workbook.evaluation.words`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.i18n import codes, fmt_fixed, fmt_int, fmt_number, fmt_percent, t
from workbook.core.suppression import k_for
from workbook.evaluation import realisation, words
from workbook.evaluation import verdicts as verdicts_mod
from workbook.evaluation.report_did import did_markdown, did_table
from workbook.evaluation.report_figures import (
    change_figure,
    forest_caption,
    forest_figure,
    level1_figure,
    slope_figure,
)
from workbook.evaluation.roi_report import roi_appendix_blocks
from workbook.evaluation.stage import EvaluationResult, shown_level1, shown_level2, verdicts_of
from workbook.evaluation.themes import ID_PLACEHOLDER
from workbook.present.document import Chapter, ChapterKit
from workbook.present.format import format_table
from workbook.present.safe import md_text, t_md

__all__ = ["summary_markdown", "forest_figure", "forest_caption", "level1_figure", "lakens_caveat", "slope_figure", "change_figure", "level1_table", "level2_table",
           "level1_table_note", "level3_table", "level4_table", "followup_table", "maturity_markdown", "conventions_markdown",
           "themes_table", "quotes_markdown", "did_table", "did_markdown", "evaluation_unit_sentences",
           "followup_sentences", "l4_change_codes", "roi_appendix_blocks", "chapter"]

def summary_markdown(res: EvaluationResult) -> str:
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("count", s)
    lines = [f"### {t('evaluation.summary.title', lang)}", ""]
    lines += _l2_summary(res)
    if (len(res.level2) and (res.level2["n"] < k).any()):
        lines.append("- " + t("evaluation.summary.small", lang, n=fmt_int((res.level2["n"] < k).sum(), lang), k=k))
    lines += _l1_summary(res)
    l3 = res.level3
    if len(l3):
        m1, m2 = s["evaluation.l3_delay_months"]
        lines.append("- " + t("evaluation.summary.l3", lang, done=fmt_int((l3["status"] == "selesai").sum(), lang),
                                           pend=fmt_int((l3["status"] == "menunggu").sum(), lang), m1=m1, m2=m2))
        lines += _conflict_summary(res)
    lines += _l4_summary_lines(res)
    sh = _shown_themes(res)
    sh = sh[sh["tema"].notna()] if len(sh) else sh
    if len(sh):
        sh = sh.assign(_label=_theme_labels(res, sh))
        tot = sh.groupby(["tema", "_label"])["n"].sum().sort_values(ascending=False)
        top = ", ".join(f"{lab} ({fmt_int(n, lang)})" for (_, lab), n in tot.head(3).items())
        lines.append("- " + t_md("evaluation.summary.themes", lang, n=fmt_int(sh["n"].sum(), lang), m=fmt_int(len(tot), lang), top=top))
    lines += _elearning_summary(res)
    lines.append("- " + t("evaluation.summary.fu", lang, n=fmt_int(res.followup["pegawai_id"].nunique() if len(res.followup) else 0, lang)))
    return "\n".join(lines)


def _l2_summary(res: EvaluationResult) -> list[str]:
    """The Level 2 bullets: the Holm count (one function counts), magnitudes, N-Gain classes, passes."""
    lang, s = res.ctx.lang, res.ctx.settings
    l2 = res.level2
    if not len(l2):
        return []
    c = verdicts_mod.holm_counts(l2)
    out = ["- " + t("evaluation.summary.l2_holm", lang, up=fmt_int(c["up"], lang), tested=fmt_int(c["tested"], lang),
                    evaluated=fmt_int(c["evaluated"], lang), not_tested=fmt_int(c["not_tested"], lang),
                    alpha=fmt_number(s["evaluation.alpha"], lang, 2))]
    if c["down"]:
        out.append("- " + t("evaluation.summary.l2_down", lang, down=fmt_int(c["down"], lang)))
    min_n = int(s["evaluation.test_min_pairs"])
    few = int(((l2["n"] < min_n) & l2["p_val"].notna()).sum())
    if few:
        out.append("- " + t("evaluation.summary.few_pairs", lang, n=fmt_int(few, lang), tested=fmt_int(c["tested"], lang),
                            min_n=min_n))
    tested = l2[l2["p_val"].notna()]
    mag = tested["magnitude"].astype(str).value_counts() if "magnitude" in tested else pd.Series(dtype=int)
    hake = tested["hake_category"].astype(str).value_counts() if "hake_category" in tested else pd.Series(dtype=int)
    out.append("- " + t("evaluation.summary.l2_magnitude", lang, thr=fmt_number(s["evaluation.magnitude_threshold"], lang, 1),
                        tested=fmt_int(c["tested"], lang), ml=fmt_int(mag.get("medium_large", 0), lang),
                        small=fmt_int(mag.get("small", 0), lang),
                        und=fmt_int(mag.get("undetermined", 0) + mag.get("not_estimable", 0) + mag.get("decline", 0), lang),
                        low=fmt_int(hake.get("low", 0), lang), med=fmt_int(hake.get("medium", 0), lang),
                        high=fmt_int(hake.get("high", 0), lang)))
    if "pass_rate" in l2:
        rated = l2[l2["n_post"] > 0]
        out.append("- " + t("evaluation.summary.l2_pass", lang,
                            passing=fmt_number(s["evaluation.passing_score_pct"], lang, 0),
                            n_half=fmt_int(int((rated["pass_rate"] <= 0.5).sum()), lang), n=fmt_int(len(rated), lang),
                            n_pass=fmt_int(int(rated["n_pass"].sum()), lang),
                            n_post=fmt_int(int(rated["n_post"].sum()), lang)))
    return out


def _l1_summary(res: EvaluationResult) -> list[str]:
    """The Level 1 bullet: facilitator score over reliable aspects only, and what was left out."""
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("count", s)
    l1 = res.level1
    if not len(l1):
        return []
    fac = l1[(l1["aspect"] == "fasilitator") & (l1["n"] >= k)]
    rel = l1["reliability"].astype(str) if "reliability" in l1 else pd.Series("adequate", index=l1.index)
    counts = {c: fmt_int(int((rel == c).sum()), lang) for c in ("adequate", "inadequate", "too_few")}
    extra = t("evaluation.summary.l1_reliability", lang, n=fmt_int(len(l1), lang), **counts,
              min_n=int(s["evaluation.alpha_min_n"]), adequate_thr=fmt_number(s["evaluation.alpha_adequate"], lang, 1))
    head = fac[fac["headline"].astype(bool)] if "headline" in fac else fac
    if not len(head):
        return ["- " + t("evaluation.summary.l1_none_reliable", lang) + " " + extra]
    w = head["n"] / head["n"].sum()
    return ["- " + t("evaluation.summary.l1", lang, pct=fmt_percent((head["pct_of_max"] * w).sum() / 100, lang),
                     rec=fmt_percent((head["share_recommend"] * w).sum(), lang)) + " " + extra]


def _elearning_summary(res: EvaluationResult) -> list[str]:
    """Whether e-learning JP were counted only when completed or certified (and how many were not)."""
    lang = res.ctx.lang
    e = realisation.elearning_summary(res.tables.get("realisasi_pengembangan"), res.tables.get("katalog_program"),
                                      year=res.ctx.year - 1, settings=res.ctx.settings)
    if not e["rows"]:
        return []
    key = "elearning_checked" if e["status_column"] else "elearning_absent"
    return ["- " + t(f"evaluation.summary.{key}", lang, rows=fmt_int(e["rows"], lang), jp=fmt_number(e["jp"], lang, 0),
                     rows_not=fmt_int(e["rows_not_counted"], lang), jp_not=fmt_number(e["jp_not_counted"], lang, 0))]


def _l3_support(res: EvaluationResult) -> dict[str, tuple[bool, float]]:
    """Per shown Level 3 programme: (a rise significant after Holm, its Holm p); suppressed
    programmes are left out (their numbers are hidden, so is their claim)."""
    from workbook.evaluation.stage import shown_level3

    l3 = shown_level3(res)
    if not len(l3) or "p_adj" not in l3:
        return {}
    l3 = l3[~l3["suppressed"].astype(bool) & pd.to_numeric(l3["p_adj"], errors="coerce").notna()]
    up = (l3["significant"].fillna(False).astype(bool)
          & (pd.to_numeric(l3["mean_diff"], errors="coerce") > 0)) if "mean_diff" in l3 else \
        l3["significant"].fillna(False).astype(bool)
    return {str(p): (bool(u), float(q)) for p, u, q in zip(l3["program_id"], up, l3["p_adj"].astype(float), strict=True)}


def _conflict_summary(res: EvaluationResult) -> list[str]:
    """One bullet per programme whose Level 3 ratings disagree with Level 2 or the interviews.

    A bullet claims a Level 3 rise only when the Level 3 test supports it (Holm-adjusted p <
    α); otherwise it says the rise is not shown (``evaluation.conflict_ns.*``). A programme
    whose Level 3 row is hidden (fewer than k raters) gets no bullet."""
    lang = res.ctx.lang
    if not len(res.level2):
        return []
    v = verdicts_of(res)
    v = v[v["conflict"].notna() & (v["conflict"].astype(str) != "none")]
    names = res.programme_names()
    support = _l3_support(res)
    out = []
    for r in v.itertuples():
        if str(r.program_id) not in support:
            continue
        l3_up, p3 = support[str(r.program_id)]
        family = "conflict" if (l3_up or r.conflict == "l2_up_l3_not") else "conflict_ns"
        out.append("- " + t(f"evaluation.{family}.{r.conflict}", lang,
                            prog=md_text(f"{r.program_id} {names.get(r.program_id, '')}".strip()),
                            l3=fmt_number(r.l3_d_av, lang, 2), n_int=fmt_int(r.interviews_n, lang),
                            n_not=fmt_int(r.interviews_not_applied, lang), p=words.fmt_p(p3, lang)))
    return out


def _l4_summary_lines(res: EvaluationResult) -> list[str]:
    """The Level 4 lines of the summary: the comparison with untrained units first (review M7),
    then the descriptive before–after count of the result indicators (process ones apart)."""
    lang = res.ctx.lang
    l4, d, out = res.level4, res.did, []
    if d is not None and len(d):
        tested = d[d["p_val"].notna()] if "p_val" in d else d.iloc[0:0]
        if len(tested):
            out.append("- " + _did_summary(res, d, tested))
        else:
            out.append("- " + t("evaluation.summary.did_none", lang))
    if len(l4):
        kind = l4["indicator_kind"] if "indicator_kind" in l4 else pd.Series("hasil", index=l4.index)
        res_ind = l4[kind == "hasil"]
        n_proc = int(l4.loc[kind == "proses", "indikator"].nunique())
        codes_ = l4_change_codes(res, res_ind)
        out.append("- " + t("evaluation.summary.l4_results", lang,
                            imp=fmt_int(int(codes_.isin(["better_unproven", "better_proven"]).sum()), lang),
                            n=fmt_int(len(res_ind), lang), n_proc=fmt_int(n_proc, lang),
                            proven=fmt_int(int((codes_ == "better_proven").sum()), lang)))
    return out


def l4_change_codes(res: EvaluationResult, l4: pd.DataFrame) -> pd.Series:
    """The direction of each Level 4 row's change as a code (words ``evaluation.l4_change.*``):
    ``better_proven``/``worse_proven`` only for a trained unit of an indicator whose difference
    in differences is significant after Holm; otherwise ``better_unproven``/``worse_unproven``
    (a before–after change of one unit is no evidence), ``none`` for no change, None without
    both periods."""
    proven: dict[tuple[str, str], bool] = {}
    d = res.did
    if d is not None and len(d) and "significant" in d:
        for r in d[d["significant"].fillna(False).astype(bool)].itertuples():
            for u in str(r.units_trained or "").split(";"):
                if u:
                    proven[(u, str(r.indikator))] = bool(r.favourable)
    out = []
    for u, ind, imp, ch in zip(l4["kode_unit"].astype(str), l4["indikator"].astype(str), l4["improved"],
                               pd.to_numeric(l4["change"], errors="coerce"), strict=True):
        if imp is pd.NA or imp is None or ch != ch:
            out.append(None)
        elif (u, ind) in proven:
            out.append("better_proven" if proven[(u, ind)] else "worse_proven")
        elif ch == 0:
            out.append("none")
        else:
            out.append("better_unproven" if bool(imp) else "worse_unproven")
    return pd.Series(out, index=l4.index, dtype=object)


def _did_summary(res: EvaluationResult, d: pd.DataFrame, tested: pd.DataFrame) -> str:
    """The DiD bullet: how many indicators were tested and how many are significant — or, when
    the design cannot reach α (too few units for the permutation test), that no test can be."""
    lang, s = res.ctx.lang, res.ctx.settings
    alpha = float(s["evaluation.alpha"])
    common = {"n": fmt_int(len(tested), lang), "k": int(d["min_peserta"].iloc[0]), "y1": res.ctx.year - 1,
              "alpha": fmt_number(alpha, lang, 2)}
    p_min = pd.to_numeric(tested["p_min"], errors="coerce") if "p_min" in tested else pd.Series(float("nan"),
                                                                                                 index=tested.index)
    unreachable = p_min >= alpha
    if unreachable.all():
        return t("evaluation.summary.did_unreachable", lang, p_min=fmt_number(float(p_min.min()), lang, 3), **common)
    out = t("evaluation.summary.did_tested", lang, sig=fmt_int(int(tested["significant"].fillna(False).astype(bool).sum()), lang),
            m=fmt_int(int(tested["p_adjust_m"].iloc[0]), lang), **common)
    if unreachable.any():
        out += t("evaluation.summary.did_some_unreachable", lang, n=common["n"],
                 n_un=fmt_int(int(unreachable.sum()), lang), alpha=common["alpha"])
    return out


def maturity_markdown(res: EvaluationResult) -> str:
    """The step of the merit-index ladder, what the follow-up step lacks and the next step."""
    m = res.maturity.iloc[0]
    score = int(m["score"])
    lang = res.ctx.lang
    head = t("evaluation.position_on_merit_index_ladder", lang)
    out = f"**{head}: {score}/4** — {t(f'evaluation.maturity.{score}', lang)} "
    state = m.get("followup_state") if hasattr(m, "get") else None
    if isinstance(state, str) and state:
        out += words.text("evaluation.followup_state", state, lang) + " "
        n = int(m.get("n_actions", 0) or 0)
        if n:
            out += t("evaluation.ladder.actions_counted", lang, n=fmt_int(n, lang),
                     done=fmt_int(int(m["n_actions_done"]), lang), ongoing=fmt_int(int(m["n_actions_ongoing"]), lang),
                     planned=fmt_int(int(m["n_actions_planned"]), lang)) + " "
        if score == 3:
            return out + t("evaluation.ladder.record_actions", lang)
    return out + t(f"evaluation.next_step.{score}", lang)


def level2_table(res: EvaluationResult) -> pd.DataFrame:
    """Per programme: n, pre %, post %, % passed, N-Gain with its class, Holm p, d_av with its
    interval, and the combined verdict (short: its numbers are in the columns)."""
    d = shown_level2(res)
    lang = res.ctx.lang

    def num(x: float) -> str:
        return "" if x != x else fmt_fixed(x, lang, 2)

    cls = words.words(d, "hake_category", lang)
    # the figure the class was read from (setting ngain.effectiveness_feeds): Hake's class ⟨g⟩ from the
    # unrounded class means, or the mean of individual g; the header says which (issue #18, PRG-007)
    individual = str(res.ctx.settings["ngain.effectiveness_feeds"]) == "individual" and "g_individual_mean" in d
    g_col = d["g_individual_mean"] if individual else d["g_class"]
    ngain = [("" if g != g or c is None else f"{num(g)} ({c})") for g, c in zip(g_col.astype(float), cls, strict=True)]
    sep = " s.d. " if lang == "id" else " to "
    dav = [("" if v != v else f"{num(v)} ({num(lo)}{sep}{num(hi)})")
           for v, lo, hi in zip(d["d_av"].astype(float), d["d_av_ci_low"].astype(float),
                                d["d_av_ci_high"].astype(float), strict=True)]
    short = [words.verdict_text(r, lang, short=True) for r in d.to_dict("records")]
    d = d.assign(_verdict=short, _ngain=ngain, _dav=dav, _pre=d["pre_mean_pct"] / 100, _post=d["post_mean_pct"] / 100)
    cols = {"program_id": "text", "nama_program": "text", "n": "int", "_pre": "pct", "_post": "pct",
            "pass_rate": "pct", "_ngain": "text", "p_adj": "p", "_dav": "text", "_verdict": "text"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=2)
    # the unadjusted p and the test used beside the Holm p, in one cell (the conventions say both
    # are shown; a column more would not fit the A4 page): "0,039; 0,462 (t berpasangan)"
    col_p = out.columns[list(cols).index("p_adj")]
    for i, (m, p, h) in enumerate(zip(d["method"], d["p_val"].astype(float), d["suppressed"].fillna(False),
                                      strict=True)):
        if p == p and str(m) in ("t", "wilcoxon") and not bool(h):
            raw = words.fmt_p(p, lang).removeprefix("= ")
            out.iloc[i, out.columns.get_loc(col_p)] = (f"{raw}; {out.iloc[i, out.columns.get_loc(col_p)]} "
                                                       f"({t(f'evaluation.test_name.{m}', lang)})")
    out.columns = [t(f"evaluation.col.{c}", lang) for c in
                   ("code", "programme", "n", "pre_pct", "post_pct", "pass_rate",
                    "n_gain_individual_with_class" if individual else "n_gain_with_class", "p_raw_holm_test",
                    "d_av_ci", "verdict")]
    return out


def level1_table(res: EvaluationResult) -> pd.DataFrame:
    d = shown_level1(res)
    lang = res.ctx.lang
    d = d.assign(_aspect=words.words(d, "aspect", lang), _category=words.words(d, "category", lang))
    if "reliability" in d:
        d = d.assign(_rel=words.words(d, "reliability", lang))
    else:
        d = d.assign(_rel="")
    cols = {"program_id": "text", "_aspect": "text", "n": "int", "pct_of_max": "num",
            "_category": "text", "cronbach_alpha": "num", "_rel": "text", "share_recommend": "pct"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=2)
    if "cronbach_alpha" in d:  # a negative α is no reliability: its words, never the number
        neg = (pd.to_numeric(d["cronbach_alpha"], errors="coerce") < 0).to_numpy()
        col = out.columns[list(cols).index("cronbach_alpha")]
        out.loc[neg, col] = t("evaluation.alpha_negative", lang)
        # no category on a scale whose items do not hang together (issue #18: "Baik sekali" beside α < 0)
        out.loc[neg, out.columns[list(cols).index("_category")]] = ""
    out.columns = [t("evaluation.col.code", lang),
                   t("evaluation.col.aspect", lang),
                   t("evaluation.col.n", lang),
                   t("evaluation.col.maximum", lang),
                   t("evaluation.col.category", lang),
                   t("evaluation.col.cronbach_s_alpha", lang),
                   t("evaluation.col.reliability", lang),
                   t("evaluation.col.recommending", lang)]
    return out


def level1_table_note(res: EvaluationResult) -> str | None:
    """The note under the Level 1 table when some α is negative (None otherwise)."""
    d = shown_level1(res)
    if "cronbach_alpha" not in d:
        return None
    n = int((pd.to_numeric(d["cronbach_alpha"], errors="coerce") < 0).sum())
    if not n:
        return None
    return t("evaluation.alpha_negative_note", res.ctx.lang, n=fmt_int(n, res.ctx.lang))


def _l3_verdict_words(d: pd.DataFrame, res: EvaluationResult) -> list[str]:
    """The reading of each shown Level 3 row in the Level 2 words: the Holm test first, then the
    magnitude ("Tidak signifikan secara statistik setelah koreksi Holm, walau …"), never the
    magnitude alone; a pending row is "belum diukur"; fewer than ``evaluation.test_min_pairs``
    pairs is flagged (a Wilcoxon test cannot reach p < 0,05: 2/2^5 = 0,0625)."""
    lang, s = res.ctx.lang, res.ctx.settings
    min_n = int(s["evaluation.test_min_pairs"])
    codes_ = verdicts_mod.verdict_codes(pd.to_numeric(d["p_adj"], errors="coerce"),
                                        pd.to_numeric(d["mean_diff"], errors="coerce"),
                                        d["significant"].fillna(False).astype(bool),
                                        d["magnitude"].astype(object).fillna("not_estimable"))
    out = []
    for r, c in zip(d.to_dict("records"), codes_, strict=True):
        if bool(r.get("suppressed")):
            out.append("")
        elif r.get("status") == "menunggu":
            out.append(t("evaluation.l3.pending", lang))
        elif c == "not_tested":
            out.append(t("evaluation.magnitude.not_estimable", lang))
        else:
            w = t(f"evaluation.verdict.{c}", lang)
            n = pd.to_numeric(r.get("n"), errors="coerce")
            if n == n and n < min_n:
                w += "; " + t("evaluation.l3.few_pairs", lang, n=fmt_int(int(n), lang), min_n=min_n)
            out.append(w)
    return out


def level3_table(res: EvaluationResult) -> pd.DataFrame:
    """Per programme: status, raters, scale, mean rating before and after, n pairs, Holm p, d_av
    with its interval and the reading (Holm test, then magnitude). A pending programme (no
    measurement after the programme yet) shows no means: no "sesudah" exists, and a mean is never
    printed without its n."""
    from workbook.evaluation.stage import shown_level3

    d = shown_level3(res)
    if not len(d):
        return d
    lang = res.ctx.lang
    pending = (d["status"] == "menunggu").to_numpy() if "status" in d else np.zeros(len(d), bool)
    d = d.assign(mean_before=d["mean_before"].where(~pending), mean_after=d["mean_after"].where(~pending))
    if "scale_min" in d:
        d = d.assign(_scale=[f"{fmt_number(a, lang, 0)}–{fmt_number(b, lang, 0)}"
                             for a, b in zip(d["scale_min"], d["scale_max"], strict=True)])
    if "magnitude" in d and "p_adj" in d:
        d = d.assign(_mag=_l3_verdict_words(d, res))
    names = {"program_id": "evaluation.col.code", "status": "evaluation.col.status",
             "rater_roles": "evaluation.col.rater_roles", "_scale": "evaluation.col.scale",
             "mean_before": "evaluation.col.mean_before", "mean_after": "evaluation.col.mean_after",
             "n": "evaluation.col.n", "p_adj": "evaluation.col.p_holm", "d_av": "evaluation.col.d_av_ci",
             "_mag": "evaluation.col.verdict"}
    kinds = {"program_id": "text", "status": "text", "rater_roles": "text", "_scale": "text", "mean_before": "num",
             "mean_after": "num", "n": "int", "p_adj": "p", "d_av": "num", "_mag": "text"}
    cols = {c: kinds[c] for c in names if c in d}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=2)
    if "d_av" in cols and "d_av_ci_low" in d:  # d_av with its interval in one cell, as in the Level 2 table
        sep = " s.d. " if lang == "id" else " to "
        col = out.columns[list(cols).index("d_av")]
        for i, (v, lo, hi) in enumerate(zip(d["d_av"].astype(float), d["d_av_ci_low"].astype(float),
                                            d["d_av_ci_high"].astype(float), strict=True)):
            if v == v and lo == lo and not bool(d["suppressed"].iloc[i]):
                out.iloc[i, out.columns.get_loc(col)] = (f"{fmt_fixed(v, lang, 2)} ({fmt_fixed(lo, lang, 2)}{sep}"
                                                         f"{fmt_fixed(hi, lang, 2)})")
    out.columns = [t(names[c], lang) for c in cols]
    return out


def level4_table(res: EvaluationResult, unit: str | None = None) -> pd.DataFrame:
    """Unit result indicators before and after (of ``unit``, or every unit), with their kind, the
    direction of the change and whether it is shown (:func:`l4_change_codes`), the agency's
    programme link and the unit's participants in Y−1 (a link is not participation: review W7).
    Process indicators are left out: 20-JP attainment has one source, the needs chapter
    (:func:`_process_note`)."""
    d = res.level4
    lang = res.ctx.lang
    if unit and len(d):
        d = d[d["kode_unit"] == unit]
    if "indicator_kind" in d:
        d = d[d["indicator_kind"] != "proses"]
    if "indicator_kind" in d:
        d = d.assign(_kind=words.words(d, "indicator_kind", lang))
    if "improved" in d:
        d = d.assign(improved=[None if c is None else t(f"evaluation.l4_change.{c}", lang)
                               for c in l4_change_codes(res, d)])
    cols = {"kode_unit": "text", "indikator": "text", "_kind": "text", "before": "num", "after": "num",
            "change": "num", "improved": "text", "linked": "bool", "n_participants": "int"}
    cols = {c: k for c, k in cols.items() if c in d}
    out = format_table(d, cols, lang=lang, decimals=2)
    names = {"kode_unit": "evaluation.col.unit", "indikator": "evaluation.col.indicator",
             "_kind": "evaluation.col.indicator_kind", "before": "evaluation.col.before",
             "after": "evaluation.col.after", "change": "evaluation.col.change",
             "improved": "evaluation.col.improved", "linked": "evaluation.col.linked_programme",
             "n_participants": "evaluation.col.unit_participants"}
    out.columns = [t(names[c], lang) for c in cols]
    return out


def followup_table(res: EvaluationResult, unit: str | None = None) -> pd.DataFrame:
    """Staff needing follow-up per unit and reason, with the denominator of each share: the
    unit's staff, its PNS for the 20-JP reason (the right is the PNS'), its test-takers for the
    post-test and N-Gain reasons (only people who sat the test can fail it)."""
    d = res.followup_units
    if unit:
        d = d[d["kode_unit"] == unit]
    lang = res.ctx.lang
    d = d.assign(_reason=words.words(d, "reason", lang))
    base = d["base"] if "base" in d else pd.Series("pegawai", index=d.index)
    n_base = d["n_base"] if "n_base" in d else d["n_pegawai"]
    k = k_for("count", res.ctx.settings)  # a denominator under k is itself a small group: not shown
    d = d.assign(_base=[t(f"evaluation.base.{b}", lang, n=fmt_int(int(n), lang) if n >= k else f"< {k}")
                        if n == n else "" for b, n in zip(base.astype(str), n_base.astype(float), strict=True)])
    cols = {"kode_unit": "text", "_reason": "text", "n": "int", "_base": "text", "share": "pct"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings)
    out.columns = [t("evaluation.col.unit", lang),
                   t("evaluation.col.follow_up_reason", lang),
                   t("evaluation.col.employees", lang),
                   t("evaluation.col.base", lang),
                   t("evaluation.col.share_of_base", lang)]
    return out


def conventions_markdown(res: EvaluationResult) -> str:
    s, lang = res.ctx.settings, res.ctx.lang
    bands = s["ngain.hake_bands"]
    thr = fmt_number(s["evaluation.magnitude_threshold"], lang, 1)
    return t("evaluation.conventions_verdicts", lang, max_n=s["evaluation.normality_test_max_n"],
             adjust=s["evaluation.p_adjust"].capitalize(), alpha=fmt_number(s["evaluation.alpha"], lang, 2),
             high=fmt_number(bands["high"], lang, 1), medium=fmt_number(bands["medium"], lang, 1), thr=thr,
             passing=fmt_number(s["evaluation.passing_score_pct"], lang, 0))


def lakens_caveat(res: EvaluationResult) -> str:
    """The caveat on Cohen's benchmarks (Lakens 2013) with the agency's threshold."""
    return t("evaluation.lakens_caveat", res.ctx.lang,
             thr=fmt_number(res.ctx.settings["evaluation.magnitude_threshold"], res.ctx.lang, 1))


# --------------------------------------------------------------------------------------------
# What participants and supervisors say (themes, quotes) and Level 4 with comparison groups
# --------------------------------------------------------------------------------------------

def _theme_labels(res: EvaluationResult, d: pd.DataFrame) -> pd.Series:
    """The labels of the theme codes of ``d`` (``themes`` or ``quotes`` rows), report language."""
    return words.words(d, "tema", res.ctx.lang, dictionary=getattr(res, "theme_dictionary", None))


def _shown_themes(res: EvaluationResult) -> pd.DataFrame:
    th = res.themes
    if th is None or not len(th):
        return pd.DataFrame(columns=["kelompok", "sumber", "program_id", "kode_unit", "tema", "n", "suppressed"])
    return th[~th["suppressed"].astype(bool)]


def themes_table(res: EvaluationResult) -> pd.DataFrame:
    """Themes of the free texts per programme and per unit (small groups shown as hidden)."""
    lang = res.ctx.lang
    th = res.themes
    heads = [t("evaluation.col.source", lang),
             t("evaluation.col.programme_unit", lang),
             t("evaluation.col.theme", lang),
             t("evaluation.col.texts_theme", lang),
             t("evaluation.col.texts_group", lang),
             t("evaluation.col.group", lang),
             t("evaluation.col.negative_tone", lang)]
    if th is None or not len(th):
        return pd.DataFrame(columns=heads)
    d = th.copy()
    names = res.programme_names()
    d["sumber_label"] = words.words(d, "sumber", lang)
    d["kelompok_label"] = [f"{p} {names.get(p, '')}".strip() if k == "program" else str(u)
                           for k, p, u in zip(d["kelompok"], d["program_id"], d["kode_unit"], strict=True)]
    d["tema_label"] = _theme_labels(res, d)
    cols = {"sumber_label": "text", "kelompok_label": "text", "tema_label": "text", "n": "int", "n_group": "int",
            "share": "pct", "n_negatif": "int"}
    out = format_table(d.reset_index(drop=True), cols, lang=lang, settings=res.ctx.settings)
    out.columns = heads
    return out


def _quotes_note(s, lang: str, k: int) -> str:
    """The note above the quotes, naming the placeholders the texts were de-identified with (settings)."""
    words = {"nama": "[nama]", "nip": "[NIP]", "nik": "[NIK]", "telepon": "[telepon]", "email": "[email]",
             "angka": "[angka]"}
    words.update({key: str(v) for key, v in (s.get("privacy.deidentify.placeholders") or {}).items() if key in words})
    return t_md("evaluation.quotes_shortened_anonymised_nip_telephone", lang, k=k, id=ID_PLACEHOLDER, **words)


def quotes_markdown(res: EvaluationResult, max_groups: int | None = None) -> str:
    """Themes and short anonymised quotes, per source and group (only groups that are shown).

    ``max_groups`` limits the groups listed per source (largest first); ``None`` lists all.
    """
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("text", s)
    q, shown = res.quotes, _shown_themes(res)
    head = t("evaluation.what_participants_supervisors_say_2", lang)
    if q is None or not len(q):
        return head + "\n\n" + t("evaluation.no_quotes_can_be_shown", lang, k=k)
    names = res.programme_names()
    lines = [head, "",
             _quotes_note(s, lang, k), ""]
    gcol = {"program": "program_id", "unit": "kode_unit"}
    for src in [x for x in codes("evaluation.sumber") if x in set(q["sumber"])]:
        qs = q[q["sumber"] == src]
        kel = qs["kelompok"].iloc[0]
        col = gcol[kel]
        sizes = shown[shown["sumber"] == src].groupby(col)["n_group"].max()
        groups = sorted(qs[col].unique(), key=lambda g: (-float(sizes.get(g, 0) or 0), str(g)))
        if max_groups is not None:
            groups = groups[:max_groups]
        lines += [f"#### {t(f'evaluation.sumber.{src}', lang)}", ""]
        for g in groups:
            title = md_text(f"{g} {names.get(g, '')}".strip() if kel == "program" else str(g))
            n_group = sizes.get(g)
            lines.append(f"**{title}** ({fmt_int(n_group, lang)} {t('evaluation.texts', lang)})")
            sub = qs[qs[col] == g]
            counts = shown[(shown["sumber"] == src) & (shown[col] == g)].set_index("tema")["n"]
            for tema, tq in sub.groupby("tema", sort=False):
                label = md_text(_theme_labels(res, tq.head(1)).iloc[0])
                quoted = "; ".join(f"“{md_text(r.kutipan)}”" + (f" (×{r.n_same})" if r.n_same > 1 else "")
                                   for r in tq.sort_values("rank").itertuples())
                lines.append(f"- *{label}* ({fmt_int(counts.get(tema), lang)}): {quoted}")
            lines.append("")
    return "\n".join(lines).rstrip()


def evaluation_unit_sentences(res: EvaluationResult, unit: str) -> list[str]:
    """Level 4 indicators of the unit (descriptive)."""
    lang = res.ctx.lang
    l4 = res.level4
    if not len(l4):
        return []
    u = l4[l4["kode_unit"] == unit]
    if "indicator_kind" in u:
        u = u[u["indicator_kind"] != "proses"]  # process indicators are not Level 4 results
    if not len(u):
        return [t("evaluation.there_no_unit_performance_indicators", lang)]
    c = l4_change_codes(res, u)
    return [t("evaluation.level_4_unit_indicators_improved", lang,
              imp=fmt_int(int(c.isin(["better_unproven", "better_proven"]).sum()), lang), u=fmt_int(len(u), lang),
              proven=fmt_int(int((c == "better_proven").sum()), lang))]


def followup_sentences(res: EvaluationResult, unit: str | None) -> list[str]:
    """Follow-up counts by reason (suppressed table) and the needs carried into next year; the
    last sentence is the recommended follow-up."""
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("count", s)
    d = res.followup_units
    if unit:
        d = d[d["kode_unit"] == unit]
    out = []
    if not len(d):
        return out
    vis = d[~d["suppressed"] & d["n"].notna()]
    if unit and not len(vis):
        out.append(t("evaluation.number_unit_staff_needing_follow", lang, k=k))
    elif len(vis):
        g = vis.assign(_r=words.words(vis, "reason", lang)).groupby("_r")["n"].sum()
        g = g.sort_values(ascending=False)
        items = "; ".join(f"{r} {fmt_int(v, lang)}" for r, v in g.items())
        out.append(t("evaluation.staff_needing_follow_up_reason", lang, items=items))
    y = res.ctx.year
    if not unit and len(res.carry_over):
        # the evaluation of Y−1 runs before the needs of Y: the carry-over goes into this year's needs
        out.append(t("evaluation.fu.carry_over_year", lang, x=fmt_int(res.carry_over['pegawai_id'].nunique(), lang),
                     y1=y - 1, y=y))
    if not unit:
        out.append(_coverage_sentence(res))
    out.append(t("evaluation.recommended_follow_up_1_remedial", lang))
    return out


def _followup_coverage(res: EvaluationResult) -> pd.DataFrame | None:
    """The plan stage's ``followup_coverage`` artefact of year Y (None until the plan writes it;
    expected columns: :data:`workbook.evaluation.followup.FOLLOWUP_COVERAGE_COLUMNS`)."""
    from workbook.core import artefacts

    for cls in ("aggregate", "restricted"):
        p = artefacts.artefact_path(res.ctx.output_dir, res.ctx.year, artefacts.PLAN, "followup_coverage", cls)
        if p.is_file():
            return pd.read_parquet(p)
    return None


def _coverage_sentence(res: EvaluationResult) -> str:
    """How many follow-up needs of Y−1 the plan of Y covers, or that the figure is not yet available."""
    from workbook.evaluation import followup

    lang, y = res.ctx.lang, res.ctx.year
    summ = followup.coverage_summary(_followup_coverage(res))
    if not len(summ):
        return t("evaluation.fu.coverage_missing", lang, y1=y - 1, y=y)
    r = summ.iloc[0]
    return t("evaluation.fu.coverage", lang, y=y, y1=y - 1, n_cov=fmt_int(int(r["n_covered"]), lang),
             n=fmt_int(int(r["n_needs"]), lang), share=fmt_percent(float(r["share_covered"]), lang, 0),
             p_cov=fmt_int(int(r["n_persons_covered"]), lang), p=fmt_int(int(r["n_persons"]), lang))


def _learning_sections(res: EvaluationResult, unit: str | None, kit: ChapterKit,
                       ch: Chapter) -> None:
    """Sections 5.1 (summary), 5.2 (Level 1), 5.3 (Level 2) and 5.4 (Level 3); in a unit report
    the agency-wide figures say so in their captions."""
    lang = res.ctx.lang
    agency_wide = t("evaluation.agency_wide_prefix", lang) if unit else ""
    es = kit.section(ch, t("evaluation.evaluation_summary", lang), [
        kit.markdown(summary_markdown(res)), kit.para(maturity_markdown(res).replace("**", ""))])
    if unit:
        es.blocks.insert(0, kit.para(t("evaluation.evaluation_programme_whole_agency_participants", lang)))
    if len(res.level1):
        kit.section(ch, t("evaluation.level_1_reaction", lang), [
            kit.markdown("\n".join(_l1_summary(res))),
            kit.figure(ch, agency_wide + t("evaluation.l1_figure_caption", lang, n=int(res.ctx.settings["evaluation.alpha_min_n"])), kit.png(lambda: level1_figure(res), "level1")),
            kit.para(t("evaluation.level_1_details_agency_report" if unit else "evaluation.level_1_details_programme_aspect",
                       lang))])
    l2 = kit.section(ch, t("evaluation.level_2_learning", lang), [
        kit.para(conventions_markdown(res)), kit.para(lakens_caveat(res)),
        kit.figure(ch, agency_wide + forest_caption(res), kit.png(lambda: forest_figure(res), "forest"))])
    if not unit:
        l2.blocks.append(kit.table(ch, t("evaluation.learning_results_pre_test_post", lang),
                                   level2_table(res), "level2", wide=True))
    else:
        l2.blocks.append(kit.para(t("evaluation.programme_details_agency_report_level", lang)))
    l3 = kit.section(ch, t("evaluation.level_3_behaviour", lang))
    if not unit:
        conflicts = _conflict_summary(res)
        l3.blocks.append(kit.para(t("evaluation.l3_reading", lang)))
        if conflicts:
            l3.blocks.append(kit.markdown("\n".join(conflicts)))
        l3.blocks.append(kit.table(ch, t("evaluation.change_work_behaviour_programme", lang), level3_table(res), "level3",
                                   wide=True))
    else:
        l3.blocks.append(kit.para(t("evaluation.level_3_measured_programme_whole", lang)))


def _results_section(res: EvaluationResult, unit: str | None, kit: ChapterKit, ch: Chapter) -> None:
    """Section 5.4: Level 4, with the difference in differences against comparison units (agency)."""
    lang = res.ctx.lang
    l4t = level4_table(res, unit)
    l4 = kit.section(ch, t("evaluation.level_4_results", lang))
    if unit:
        l4.blocks.append(kit.bullets(evaluation_unit_sentences(res, unit)))
    l4.blocks.append(kit.table(ch, t("evaluation.unit_performance_indicators_before_after", lang),
                               l4t.reset_index(drop=True), "level4"))
    note = _process_note(res, unit, kit)
    if note:
        l4.blocks.append(kit.para(note))
    if unit:
        return
    # Level 4 against comparison units (difference in differences), with its assumptions
    l4.blocks.append(kit.markdown(did_markdown(res)))
    did = did_table(res)
    # only indicators with an estimate; the others are summarised in one sentence above
    did = did[~did.iloc[:, 6].astype(str).str.strip().isin(["", "–", "-"])].reset_index(drop=True)
    if len(did):
        l4.blocks.append(kit.table(ch, t("evaluation.change_trained_units_minus_comparison", lang),
                                   did, "did", wide=True))


def _table_ref(kit: ChapterKit, keys: tuple[str, ...], lang: str) -> str | None:
    """"Tabel 2.6" for the first table of the document built so far with one of ``keys`` (None
    when there is none): a cross-reference that follows the numbering of the document."""
    for ch in kit.chapters:
        for sec in ch.sections:
            for b in sec.blocks:
                if b.kind == "table" and b.key in keys and b.number:
                    return t("evaluation.table_ref", lang, n=b.number)
    return None


def _process_note(res: EvaluationResult, unit: str | None, kit: ChapterKit) -> str | None:
    """Why the process indicators (20-JP attainment) are not in the Level 4 table, and where the
    one figure of the document is: the needs stage's 20-JP baseline of Y−1 (PNS), of the agency
    or the unit, unless that row is suppressed."""
    from workbook.core import artefacts

    lang, l4 = res.ctx.lang, res.level4
    if not len(l4) or "indicator_kind" not in l4:
        return None
    proc = l4[l4["indicator_kind"] == "proses"]
    if unit:
        proc = proc[proc["kode_unit"] == unit]
    if not len(proc):
        return None
    names = "; ".join(sorted(proc["indikator"].astype(str).unique()))
    ref = _table_ref(kit, ("jp_baseline_unit", "jp_baseline") if unit else ("jp_baseline",), lang) \
        or t("evaluation.l4_process_ref_fallback", lang)
    share = ""
    try:
        b = artefacts.read(res.ctx, artefacts.NEEDS, "jp_baseline_units" if unit else "jp_baseline",
                           required=False)
    except Exception:  # noqa: BLE001 — the needs stage has not run: the sentence names the chapter only
        b = None
    if b is not None and len(b):
        row = b[(b["status"] == "PNS") & ((b["kode_unit"] == unit) if unit else True)]
        hidden = bool(row["suppressed"].iloc[0]) if len(row) and "suppressed" in row else False
        if len(row) and not hidden and pd.notna(row["share_reached"].iloc[0]):
            share = t("evaluation.l4_process_share", lang, share=fmt_percent(float(row["share_reached"].iloc[0]), lang),
                      scope=t(f"evaluation.l4_process_scope_{'unit' if unit else 'agency'}", lang),
                      y1=res.ctx.year - 1)
    return t("evaluation.l4_process_note", lang, names=names, ref=ref, share=share)


def _evaluation_chapter(res: EvaluationResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter V: summary, Levels 2–4, and in the agency report the voices and the ROI (when computed)."""
    from workbook.evaluation import roi_report

    lang = res.ctx.lang
    ch = kit.chapter("evaluation")
    # the evaluated year is Y−1 (review W13): "Evaluasi Program Tahun 2026" in the 2027 document
    if str(res.ctx.year - 1) not in ch.title:
        ch.title = t("evaluation.chapter_title_year", lang, title=ch.title, year=res.ctx.year - 1)
    _learning_sections(res, unit, kit, ch)
    ch.sections[0].blocks.insert(0, kit.para(t("evaluation.chapter_intro_year", lang, y1=res.ctx.year - 1,
                                                 y=res.ctx.year)))
    _results_section(res, unit, kit, ch)
    if unit:
        return ch
    kit.section(ch, t("evaluation.what_participants_supervisors_say", lang),
                [kit.markdown(quotes_markdown(res, max_groups=4))])
    # Phillips ROI: only when the optional roi_* inputs were given and valid
    if roi_report.roi_status_sentence(res) is None:
        kit.section(ch, t("evaluation.return_on_investment_roi", lang), [
            kit.markdown(roi_report.roi_markdown(res)),
            kit.table(ch, t("evaluation.costs_benefits_roi_programme_phillips", lang),
                      roi_report.roi_table(res), "ROI", wide=True)])
    return ch


def _followup_chapter(res: EvaluationResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter VI: staff needing follow-up by unit and reason, and the recommendations."""
    lang = res.ctx.lang
    ch = kit.chapter("followup")
    sentences = followup_sentences(res, unit)
    kit.section(ch, t("evaluation.staff_needing_follow_up", lang), [
        kit.bullets(sentences[:-1] or [""]),
        kit.table(ch, t("evaluation.staff_needing_follow_up_unit", lang), followup_table(res, unit),
                  "followup_units")])
    kit.section(ch, t("evaluation.recommendations", lang), kit.paras(sentences[-1:]))
    return ch


def chapter(res: EvaluationResult, unit: str | None, kit: ChapterKit) -> list[Chapter]:
    """Chapters V (evaluation of last year's programmes) and VI (follow-up) of the yearly report;
    a unit report keeps the agency-wide Levels 2–3 short and shows the unit's Level 4 and
    follow-up."""
    return [_evaluation_chapter(res, unit, kit), _followup_chapter(res, unit, kit)]
