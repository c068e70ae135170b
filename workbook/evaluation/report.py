"""Presentation of stage 03: sentences, formatted tables and figures (aggregate, suppressed),
and chapters V (evaluation) and VI (follow-up) of the yearly report (:func:`chapter`).

The results carry codes; their words come from :mod:`workbook.evaluation.words`.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from workbook.core.i18n import codes, fmt_int, fmt_number, fmt_percent, t
from workbook.core.suppression import k_for
from workbook.evaluation import levels as evaluation
from workbook.evaluation import words
from workbook.evaluation.stage import EvaluationResult, shown_level1, shown_level2
from workbook.evaluation.themes import ID_PLACEHOLDER
from workbook.present import plots
from workbook.present.document import Chapter, ChapterKit
from workbook.present.format import format_table
from workbook.present.safe import md_text, t_md

__all__ = ["summary_markdown", "forest_figure", "slope_figure", "change_figure", "level1_table", "level2_table",
           "level3_table", "level4_table", "followup_table", "maturity_markdown", "conventions_markdown",
           "themes_table", "quotes_markdown", "did_table", "did_markdown", "evaluation_unit_sentences",
           "followup_sentences", "chapter"]

def summary_markdown(res: EvaluationResult) -> str:
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("count", s)
    lines = [f"### {t('evaluation.summary.title', lang)}", ""]
    l2 = res.level2
    if len(l2):
        ok = l2[l2["n"] >= k]
        lines.append("- " + t("evaluation.summary.l2", lang, sig=fmt_int(ok["significant"].sum(), lang), n=fmt_int(len(l2), lang),
                                           mean=fmt_int(ok["meaningful"].sum(), lang),
                                           thr=fmt_number(s["evaluation.meaningful_gain_g_z"], lang, 2)))
        if (l2["n"] < k).any():
            lines.append("- " + t("evaluation.summary.small", lang, n=fmt_int((l2["n"] < k).sum(), lang), k=k))
    l1 = res.level1
    if len(l1):
        fac = l1[(l1["aspect"] == "fasilitator") & (l1["n"] >= k)]
        if len(fac):
            w = fac["n"] / fac["n"].sum()
            lines.append("- " + t("evaluation.summary.l1", lang, pct=fmt_percent((fac["pct_of_max"] * w).sum() / 100, lang),
                                               rec=fmt_percent((fac["share_recommend"] * w).sum(), lang)))
    l3 = res.level3
    if len(l3):
        m1, m2 = s["evaluation.l3_delay_months"]
        lines.append("- " + t("evaluation.summary.l3", lang, done=fmt_int((l3["status"] == "selesai").sum(), lang),
                                           pend=fmt_int((l3["status"] == "menunggu").sum(), lang), m1=m1, m2=m2))
    lines += _l4_summary_lines(res)
    sh = _shown_themes(res)
    sh = sh[sh["tema"].notna()] if len(sh) else sh
    if len(sh):
        sh = sh.assign(_label=_theme_labels(res, sh))
        tot = sh.groupby(["tema", "_label"])["n"].sum().sort_values(ascending=False)
        top = ", ".join(f"{lab} ({fmt_int(n, lang)})" for (_, lab), n in tot.head(3).items())
        lines.append("- " + t_md("evaluation.summary.themes", lang, n=fmt_int(sh["n"].sum(), lang), m=fmt_int(len(tot), lang), top=top))
    lines.append("- " + t("evaluation.summary.fu", lang, n=fmt_int(res.followup["pegawai_id"].nunique() if len(res.followup) else 0, lang)))
    return "\n".join(lines)


def _l4_summary_lines(res: EvaluationResult) -> list[str]:
    """The Level 4 lines of the summary: the comparison with untrained units first (review M7),
    then the descriptive before–after count of the result indicators (process ones apart)."""
    lang = res.ctx.lang
    l4, d, out = res.level4, res.did, []
    if d is not None and len(d):
        tested = d[d["p_val"].notna()] if "p_val" in d else d.iloc[0:0]
        if len(tested):
            out.append("- " + t("evaluation.summary.did_tested", lang, n=fmt_int(len(tested), lang),
                                k=int(d["min_peserta"].iloc[0]), y1=res.ctx.year - 1,
                                sig=fmt_int(int(tested["significant"].fillna(False).astype(bool).sum()), lang),
                                m=fmt_int(int(tested["p_adjust_m"].iloc[0]), lang)))
        else:
            out.append("- " + t("evaluation.summary.did_none", lang))
    if len(l4):
        kind = l4["indicator_kind"] if "indicator_kind" in l4 else pd.Series("hasil", index=l4.index)
        res_ind = l4[kind == "hasil"]
        n_proc = int(l4.loc[kind == "proses", "indikator"].nunique())
        out.append("- " + t("evaluation.summary.l4_results", lang,
                            imp=fmt_int(int(res_ind["improved"].fillna(False).astype(bool).sum()), lang),
                            n=fmt_int(len(res_ind), lang), n_proc=fmt_int(n_proc, lang)))
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


def forest_figure(res: EvaluationResult) -> Figure | None:
    shown = shown_level2(res)
    shown = shown[~shown["suppressed"]]
    if not len(shown):
        return None
    fd = evaluation.forest_data(shown, settings=res.ctx.settings)
    lang = res.ctx.lang
    return plots.forest(fd, ref=float(fd["threshold"].iloc[0]) if len(fd) else None,
                        ref_label=t("evaluation.meaningful_threshold", lang),
                        title=t("evaluation.effect_size_g_z_programme", lang),
                        xlabel="g_z", highlight="significant")


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


def level2_table(res: EvaluationResult) -> pd.DataFrame:
    d = shown_level2(res)
    lang = res.ctx.lang
    d = d.assign(_verdict=words.words(d, "verdict", lang))
    cols = {"program_id": "text", "nama_program": "text", "n": "int", "mean_diff": "num", "p_adj": "p",
            "g_z": "num", "g_class": "num", "_verdict": "text"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=3)
    out.columns = [t("evaluation.col.code", lang),
                   t("evaluation.col.programme", lang),
                   t("evaluation.col.n", lang),
                   t("evaluation.col.mean_change", lang),
                   t("evaluation.col.p_holm", lang),
                   t("evaluation.col.g_z", lang),
                   t("evaluation.col.n_gain_g", lang),
                   t("evaluation.col.reading", lang)]
    return out


def level1_table(res: EvaluationResult) -> pd.DataFrame:
    d = shown_level1(res)
    lang = res.ctx.lang
    d = d.assign(_aspect=words.words(d, "aspect", lang), _category=words.words(d, "category", lang))
    cols = {"program_id": "text", "_aspect": "text", "n": "int", "pct_of_max": "num",
            "_category": "text", "cronbach_alpha": "num", "share_recommend": "pct"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=2)
    out.columns = [t("evaluation.col.code", lang),
                   t("evaluation.col.aspect", lang),
                   t("evaluation.col.n", lang),
                   t("evaluation.col.maximum", lang),
                   t("evaluation.col.category", lang),
                   t("evaluation.col.cronbach_s_alpha", lang),
                   t("evaluation.col.recommending", lang)]
    return out


def level3_table(res: EvaluationResult) -> pd.DataFrame:
    from workbook.evaluation.stage import shown_level3

    d = shown_level3(res)
    if not len(d):
        return d
    lang = res.ctx.lang
    names = {"program_id": "evaluation.col.code", "status": "evaluation.col.status", "n": "evaluation.col.n",
             "mean_diff": "evaluation.col.mean_rating_change", "p_adj": "evaluation.col.p_holm",
             "g_z": "evaluation.col.g_z"}
    kinds = {"program_id": "text", "status": "text", "n": "int", "mean_diff": "num", "p_adj": "p", "g_z": "num"}
    cols = {c: kinds[c] for c in names if c in d}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=3)
    out.columns = [t(names[c], lang) for c in cols]
    return out


def level4_table(res: EvaluationResult) -> pd.DataFrame:
    """Unit indicators before and after, with their kind, the agency's programme link and the
    unit's participants in Y−1 (a link is not participation: review W7)."""
    d = res.level4
    lang = res.ctx.lang
    if "indicator_kind" in d:
        d = d.assign(_kind=words.words(d, "indicator_kind", lang))
    cols = {"kode_unit": "text", "indikator": "text", "_kind": "text", "before": "num", "after": "num",
            "change": "num", "improved": "bool", "linked": "bool", "n_participants": "int"}
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
    d = res.followup_units
    if unit:
        d = d[d["kode_unit"] == unit]
    lang = res.ctx.lang
    d = d.assign(_reason=words.words(d, "reason", lang))
    cols = {"kode_unit": "text", "_reason": "text", "n": "int", "share": "pct"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings)
    out.columns = [t("evaluation.col.unit", lang),
                   t("evaluation.col.follow_up_reason", lang),
                   t("evaluation.col.employees", lang),
                   t("evaluation.col.unit_staff", lang)]
    return out


def conventions_markdown(res: EvaluationResult) -> str:
    s, lang = res.ctx.settings, res.ctx.lang
    bands = s["ngain.hake_bands"]
    return t("evaluation.conventions", lang, max_n=s["evaluation.normality_test_max_n"],
             adjust=s["evaluation.p_adjust"].capitalize(), alpha=fmt_number(s["evaluation.alpha"], lang, 2),
             high=fmt_number(bands["high"], lang, 1), medium=fmt_number(bands["medium"], lang, 1))


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
    if "p_adj" not in d:
        d["p_adj"] = float("nan")
    cols = {"indikator": "text", "arah_baik": "text", "n_trained": "int", "n_control": "int",
            "mean_change_trained": "num", "mean_change_control": "num", "did": "num", "ci_low": "num",
            "ci_high": "num", "p_val": "p", "p_adj": "p", "_message": "text"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings, decimals=2)
    out.columns = heads
    return out


def _signed(x: float, lang: str, decimals: int = 1) -> str:
    return ("+" if x > 0 else "") + fmt_number(x, lang, decimals)


def _did_line(r, lang: str) -> str:
    """One tested (or untestable) indicator in words: the changes, the difference, its interval,
    the permutation and Holm p, and the reading ("terkait", never "disebabkan")."""
    better = t("evaluation.did.better_" + ("naik" if r.arah_baik == "naik" else "turun"), lang)
    txt = f"**{md_text(r.indikator)}** ({better}): " + t(
        "evaluation.did.change", lang, n_trained=r.n_trained, n_control=r.n_control,
        change_trained=_signed(r.mean_change_trained, lang),
        change_control=_signed(r.mean_change_control, lang), did=_signed(r.did, lang))
    if r.ci_low == r.ci_low:
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
        if bool(r.significant):
            txt += t("evaluation.did.related_" + ("better" if bool(r.favourable) else "worse"), lang)
        else:
            txt += t("evaluation.did.not_significant", lang).rstrip(".")
            if r.perm_method == "exact":
                n = int(r.n_trained + r.n_control)
                txt += t("evaluation.did.min_p_note", lang, n=n, p_min=fmt_number(2 / r.n_perm if r.n_trained * 2 == n
                                                                                  else 1 / r.n_perm, lang, 3))
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
            parts.append(t("evaluation.did.mismatch_linked", lang, prog=prog, k=int(r.min_peserta),
                           units=md_text(r.units_linked_untrained.replace(";", ", "))))
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
    lines += ["- " + _did_line(r, lang) for r in both.itertuples()]
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
    imp = int(u["improved"].fillna(False).astype(bool).sum())
    return [t("evaluation.level_4_unit_indicators_improved", lang, imp=fmt_int(imp, lang), u=fmt_int(len(u), lang))]


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
    """Sections 5.1 (summary), 5.2 (Level 2) and 5.3 (Level 3)."""
    lang = res.ctx.lang
    es = kit.section(ch, t("evaluation.evaluation_summary", lang), [
        kit.markdown(summary_markdown(res)), kit.para(maturity_markdown(res).replace("**", ""))])
    if unit:
        es.blocks.insert(0, kit.para(t("evaluation.evaluation_programme_whole_agency_participants", lang)))
    l2 = kit.section(ch, t("evaluation.level_2_learning", lang), [
        kit.para(conventions_markdown(res)),
        kit.figure(ch, t("evaluation.effect_size_g_z_programme_2", lang),
                   kit.png(lambda: forest_figure(res), "forest"))])
    if not unit:
        l2.blocks.append(kit.table(ch, t("evaluation.learning_results_pre_test_post", lang),
                                   level2_table(res), "level2", wide=True))
    else:
        l2.blocks.append(kit.para(t("evaluation.programme_details_agency_report_level", lang)))
    l3 = kit.section(ch, t("evaluation.level_3_behaviour", lang))
    if not unit:
        l3.blocks.append(kit.table(ch, t("evaluation.change_work_behaviour_programme", lang), level3_table(res), "level3"))
    else:
        l3.blocks.append(kit.para(t("evaluation.level_3_measured_programme_whole", lang)))


def _results_section(res: EvaluationResult, unit: str | None, kit: ChapterKit, ch: Chapter) -> None:
    """Section 5.4: Level 4, with the difference in differences against comparison units (agency)."""
    lang = res.ctx.lang
    l4t = level4_table(res)
    if unit:
        l4t = l4t[l4t.iloc[:, 0] == unit]
    l4 = kit.section(ch, t("evaluation.level_4_results", lang))
    if unit:
        l4.blocks.append(kit.bullets(evaluation_unit_sentences(res, unit)))
    l4.blocks.append(kit.table(ch, t("evaluation.unit_performance_indicators_before_after", lang),
                               l4t.reset_index(drop=True), "level4"))
    if unit:
        return
    l4.blocks.append(kit.para(t("evaluation.level_1_details_programme_aspect", lang)))
    # Level 4 against comparison units (difference in differences), with its assumptions
    l4.blocks.append(kit.markdown(did_markdown(res)))
    did = did_table(res)
    # only indicators with an estimate; the others are summarised in one sentence above
    did = did[~did.iloc[:, 6].astype(str).str.strip().isin(["", "–", "-"])].reset_index(drop=True)
    if len(did):
        l4.blocks.append(kit.table(ch, t("evaluation.change_trained_units_minus_comparison", lang),
                                   did, "did", wide=True))


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
                      roi_report.roi_table(res), "ROI", wide=True),
            kit.table(ch, t("evaluation.benefits_converted_money_isolating_programme", lang),
                      roi_report.roi_lines_table(res), "ROI_manfaat", wide=True)])
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
