"""Presentation of stage 01: sentences, formatted tables and figures (aggregate, suppressed),
and sections 2.2–2.5 of the yearly report (:func:`chapter`)."""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure

import workbook.needs.report_gap as report_gap_
from workbook.core.i18n import fmt_fixed, fmt_int, fmt_number, fmt_percent, t
from workbook.core.suppression import k_for
from workbook.needs import words
from workbook.needs.cards import profile_cells, separation_class
from workbook.needs.stage import (
    NeedsResult,
    shown_profiles,
    shown_unit_competency,
)
from workbook.present import plots
from workbook.present.document import Chapter, ChapterKit
from workbook.present.format import format_table
from workbook.present.safe import t_md

__all__ = ["summary_markdown", "heatmap_figure", "ranking_figure", "profile_figure", "ranking_table",
           "profile_cards", "profile_separation", "profile_validity", "unit_table", "performance_table", "needs_unit_sentences", "chapter"]

def _below_bounds_and_sources(res: NeedsResult, uc: pd.DataFrame, comp: str, unit: str | None) -> str:
    """After the largest-gap share: its counts, the non-response bounds over the staff the
    competency applies to (Manski's worst case, as chapter II's tables give them) and the rating
    sources the levels pool (issue #18: 215 of 287 assessed out of 324 → 66–78 %)."""
    lang = res.ctx.lang
    u = uc[uc["kode_kompetensi"] == comp]
    n_b, n_a, n_s = int(u["n_below"].sum()), int(u["n_assessed"].sum()), int(u["n_staff"].sum())
    out = ""
    if n_s > n_a > 0:
        out += " " + t_md("needs.summary.below_bounds", lang, n_below=fmt_int(n_b, lang), n_assessed=fmt_int(n_a, lang),
                          n_staff=fmt_int(n_s, lang), n_missing=fmt_int(n_s - n_a, lang),
                          lo=fmt_percent(n_b / n_s, lang, 0), hi=fmt_percent((n_b + n_s - n_a) / n_s, lang, 0))
    g = res.gaps
    if g is None or not len(g) or "level_source" not in g:
        return out
    g = g[g["level_actual"].notna() & g["level_source"].notna()]
    if unit:
        g = g[g["kode_unit"] == unit]

    def mix(d: pd.DataFrame) -> str:
        sh = d["level_source"].astype(str).value_counts(normalize=True)
        return ", ".join(f"{t(f'needs.summary.source.{k}', lang)} {fmt_percent(v, lang)}"
                         for k, v in sh.items() if k in ("atasan", "asesmen", "diri"))
    gc = g[g["kode_kompetensi"] == comp]
    if len(gc) >= int(res.ctx.settings["suppression.k_count"]):
        out += " " + t_md("needs.summary.below_sources", lang, comp=mix(gc))
    return out


def summary_markdown(res: NeedsResult, unit: str | None = None) -> str:
    lang = res.ctx.lang
    names = res.competency_names()
    # a unit view prints only what the agency's suppressed table shows for that unit
    uc = res.unit_competency if not unit else shown_unit_competency(res)
    if unit:
        uc = uc[(uc["kode_unit"] == unit) & ~uc["suppressed"]]
    by_comp = uc.groupby("kode_kompetensi")[["n_below", "n_assessed"]].sum()
    by_comp = by_comp[by_comp["n_assessed"] > 0]
    lines = [f"### {t('needs.summary.title', lang)}", ""]
    if unit:
        lines.append(f"- {t_md('needs.summary.unit', lang, unit=unit)}")
    if len(by_comp) and by_comp["n_assessed"].sum() >= int(res.ctx.settings["suppression.k_count"]):
        share = by_comp["n_below"] / by_comp["n_assessed"]
        top = share.idxmax()
        extra = _below_bounds_and_sources(res, uc, top, unit)
        below = t_md('needs.summary.below', lang, name=names.get(top, top), share=fmt_percent(share[top], lang))
        lines.append(f"- {below.rstrip('.') + extra if extra.startswith(' (') else below + extra}")
    rk = res.need_ranking.sort_values("rank").head(3)
    items = ", ".join(f"{i + 1}. {names.get(c, c)} ({fmt_number(v, lang, 3)})"
                      for i, (c, v) in enumerate(zip(rk["kode_kompetensi"], rk["need_index"], strict=False)))
    lines.append(f"- {t_md('needs.gap.summary_rank', lang, items=items)}")
    m = res.model
    if m is not None and m.structure_found_:
        stable = sum(1 for x in m.stability_label_ if x == "stabil")
        sil, sep = profile_separation(res)
        lines.append(f"- {t_md('needs.summary.profiles_validity', lang, k=m.n_profiles_, stable=stable, sil=fmt_fixed(sil, lang, 2), sep=words.separation_text(sep, lang))}")
    else:
        lines.append(f"- {t_md('needs.summary.noprof', lang)}")
    src = res.gaps["level_source"].value_counts(normalize=True)
    lines.append(f"- {t_md('needs.summary.source', lang, src=', '.join(f'{k} {fmt_percent(v, lang)}' for k, v in src.items()))}")
    perf = res.performance
    if "performance_class" in perf and perf["performance_class"].notna().any():
        n = int(perf["performance_class"].notna().sum())
        n_gap = int((perf["performance_class"] == "kesenjangan_hasil_kerja").sum())
        n_beh = int((perf["performance_class"] == "perilaku").sum())
        lines.append(f"- {t_md('needs.gap.summary_perf', lang, n_gap=fmt_int(n_gap, lang), n=fmt_int(n, lang), share=fmt_percent(n_gap / n, lang), n_beh=fmt_int(n_beh, lang))}")
    else:
        lines.append(f"- {t_md('needs.gap.perf_none', lang)}")
    inv = res.inventory
    if "carried_over" in inv and inv["carried_over"].any():
        lines.append(f"- {t_md('needs.summary.carry', lang, n=fmt_int(int(inv['carried_over'].sum()), lang), year=res.ctx.year - 1, resolved=fmt_int(int(inv.attrs.get('resolved', 0)), lang))}")
    if len(res.without_standard):
        lines.append(f"- {t_md('needs.summary.nostd', lang, n=fmt_int(len(res.without_standard), lang))}")
    return "\n".join(lines)


def unit_table(res: NeedsResult, unit: str | None = None, competency: str | None = None) -> pd.DataFrame:
    """Unit × competency: staff, response, assessed, share below standard with its worst-case
    bounds for the staff without a known level (:func:`workbook.needs.index.unit_competency_summary`;
    no sampling interval: a unit's staff is nearly a census) and the mean gap."""
    uc = shown_unit_competency(res)
    if unit:
        uc = uc[uc["kode_unit"] == unit]
    if competency:
        uc = uc[uc["kode_kompetensi"] == competency]
    uc = uc.assign(nama=uc["kode_kompetensi"].map(res.competency_names()))
    cols = {"kode_unit": "text", "kode_kompetensi": "text", "nama": "text", "n_staff": "int",
            "response_rate": "pct", "n_assessed": "int", "share_below": "pct", "share_bound_low": "pct",
            "share_bound_high": "pct", "mean_gap": "num"}
    out = format_table(uc, cols, lang=res.ctx.lang, settings=res.ctx.settings)
    out.columns = [t(k, res.ctx.lang) for k in (
        "needs.col.unit", "needs.col.code", "needs.col.competency", "needs.col.staff", "needs.col.response_rate",
        "needs.col.assessed", "needs.col.below_standard", "needs.col.bound_low", "needs.col.bound_high",
        "needs.col.mean_gap")]
    return out.reset_index(drop=True)


def ranking_table(res: NeedsResult) -> pd.DataFrame:
    names = res.competency_names()
    rk = res.need_ranking.sort_values("rank").copy()
    rk["nama"] = rk["kode_kompetensi"].map(names)
    out = format_table(rk, {"rank": "int", "kode_kompetensi": "text", "nama": "text", "n": "int",
                            "mean_shortfall": "num", "mean_importance": "num", "need_index": "num"},
                       lang=res.ctx.lang, decimals=3)
    out.columns = [t("needs.col.rank", res.ctx.lang),
                   t("needs.col.code", res.ctx.lang),
                   t("needs.col.competency", res.ctx.lang),
                   t("needs.col.respondents", res.ctx.lang),
                   t("needs.col.mean_shortfall_0_1", res.ctx.lang),
                   t("needs.col.mean_importance_0_1", res.ctx.lang),
                   t("needs.col.need_index", res.ctx.lang)]
    return out


def _kamus(res: NeedsResult) -> tuple[dict[str, str], dict[str, str]]:
    """Competency code → name (in the report's language) and → kind (``jenis``)."""
    return words.competency_maps(res.tables.get("kamus_kompetensi"), res.ctx.lang)


def profile_cards(res: NeedsResult) -> pd.DataFrame:
    """The profile cards as the report shows them: numbered from 1 and named by their largest needs."""
    names, kinds = _kamus(res)
    p = words.profiles_sheet(shown_profiles(res), res.ctx.lang, names, kinds)
    cols = {"profile": "int", "name": "text", "n": "int", "share": "pct", "stability": "num",
            "stability_label": "text", "summary": "text", "suggested_areas": "text"}
    cols = {k: v for k, v in cols.items() if k in p}
    out = format_table(p, cols, lang=res.ctx.lang, decimals=2)
    out.columns = [{"profile": t("needs.col.profile", res.ctx.lang),
                    "name": t("needs.col.profile_name", res.ctx.lang),
                    "n": t("needs.col.count", res.ctx.lang),
                    "share": t("needs.col.share", res.ctx.lang),
                    "stability": t("needs.col.stability_jaccard", res.ctx.lang),
                    "stability_label": t("needs.col.label", res.ctx.lang),
                    "summary": t("needs.col.summary", res.ctx.lang),
                    "suggested_areas": t("needs.col.suggested_areas", res.ctx.lang)}[c]
                   for c in cols]
    return out


def profile_separation(res: NeedsResult) -> tuple[float, str | None]:
    """Mean silhouette of the chosen partition and its ``separation`` code (NaN, None without one)."""
    m, s = res.model, res.ctx.settings
    sel = m.selection_ if m is not None else pd.DataFrame()
    chosen = sel[sel["chosen"].astype(bool)] if "chosen" in sel else sel.iloc[0:0]
    sil = float(chosen["silhouette"].iloc[0]) if len(chosen) else float("nan")
    return sil, separation_class(sil, float(s["profiles.silhouette_weak"]),
                                 float(s["profiles.silhouette_reasonable"]))


def profile_validity(res: NeedsResult) -> list[str]:
    """The paragraphs on how the profiles were formed and how valid they are (silhouette and
    bootstrap stability in words; the weak-separation caveat)."""
    lang, s, m = res.ctx.lang, res.ctx.settings, res.model
    out = [t(f"needs.profile_method.{s['profiles.missing']}", lang)]
    if m is None or not m.structure_found_:
        return out
    sil, sep = profile_separation(res)
    stab = [float(x) for x in m.stability_]
    thr = float(s["profiles.stability_stable"])
    out.append(t("needs.profile_validity", lang, sil=fmt_fixed(sil, lang, 2), k=m.n_profiles_,
                 sep=words.separation_text(sep, lang),
                 weak=fmt_fixed(float(s["profiles.silhouette_weak"]), lang, 2),
                 reasonable=fmt_fixed(float(s["profiles.silhouette_reasonable"]), lang, 2),
                 stable=sum(x >= thr for x in stab), thr=fmt_fixed(thr, lang, 2),
                 low=fmt_fixed(min(stab), lang, 2)))
    if sep in ("lemah", "tidak_berarti"):
        out.append(t("needs.profile_validity_weak", lang))
    return out


def performance_table(res: NeedsResult, unit: str | None = None) -> pd.DataFrame:
    """Per unit: the performance gap under PermenPANRB 6/2022 (a census: no interval)."""
    return report_gap_.performance_unit_table(res, unit)


def heatmap_figure(res: NeedsResult, unit: str | None = None) -> Figure:
    uc = shown_unit_competency(res)
    if unit:
        uc = uc[uc["kode_unit"] == unit]
    title = t("needs.share_staff_below_standard_unit", res.ctx.lang)
    return plots.heatmap(uc, index="kode_unit", columns="kode_kompetensi", values="share_below", title=title,
                         vmin=0, vmax=1)


def ranking_figure(res: NeedsResult, top: int = 15) -> Figure:
    names = res.competency_names()
    rk = res.need_ranking.sort_values("rank").head(top).copy()
    rk["label"] = rk["kode_kompetensi"].map(lambda c: f"{c} {names.get(c, '')}")
    title = t("needs.need_index_ranking", res.ctx.lang)
    return plots.barh(rk, label="label", value="need_index", title=title,
                      xlabel=t("needs.need_index_0_1", res.ctx.lang))


#: the profile figure's size (inches) and font (points): drawn at 110 dpi, the report shows a
#: PNG at 96 px per inch (× 1,15) unless it is wider than the 165 mm text or higher than 150 mm
#: (report.css); at this size it is neither, so the 7,5-pt text prints at about 8,6 pt
PRINT_FIGURE = ((5.6, 5.1), 7.5)


def profile_figure(res: NeedsResult) -> Figure | None:
    """Observed mean gap per profile × competency with n per cell (:func:`workbook.needs.cards.profile_cells`):
    blank where the competency applies to none of the profile's members, ``n<k`` where fewer than
    the small-count k have it; nothing imputed. Profiles numbered from 1."""
    m = res.model
    if m is None or m.n_profiles_ < 2:
        return None
    lang = res.ctx.lang
    k = k_for("count", res.ctx.settings)
    cells = profile_cells(res.gaps, res.profile_members, min_n=k)
    cells = cells[cells.groupby("kode_kompetensi")["n"].transform("max") > 0].copy()
    cells["profil"] = [f"{t('needs.col.profile', lang)} {words.profile_number(p)}" for p in cells["profile"]]
    cells["label"] = [
        "" if n == 0 else (t("needs.cell_hidden", lang, k=k) if hidden else f"{fmt_fixed(v, lang, 1)} (n={fmt_int(n, lang)})")
        for n, v, hidden in zip(cells["n"], cells["mean_gap"], cells["suppressed"], strict=True)]
    names = res.competency_names()
    cells["kompetensi"] = [textwrap.shorten(names.get(c, c), 34, placeholder="…") for c in cells["kode_kompetensi"]]
    title = t("needs.mean_gap_profile", lang)
    # competencies (by name) as rows, profiles as columns, drawn at the size it is printed
    size, font = PRINT_FIGURE
    return plots.heatmap(cells, index="kompetensi", columns="profil", values="mean_gap", title=title,
                         cmap="RdYlGn", vmin=-2, vmax=2, labels="label", figsize=size, fontsize=font,
                         rotate=False)


# --------------------------------------------------------------------------------------------
# The yearly report: the unit's sentences and chapter II (after the staff overview of stage 00)
# --------------------------------------------------------------------------------------------


def needs_unit_sentences(res: NeedsResult, unit: str) -> list[str]:
    """The unit's largest competency gaps, read from the suppressed unit × competency table only."""
    lang, s = res.ctx.lang, res.ctx.settings
    names = res.competency_names()
    uc = shown_unit_competency(res)
    uc = uc[uc["kode_unit"] == unit]
    shown = uc[~uc["suppressed"] & uc["share_below"].notna()]
    k = k_for("count", s)
    out = []
    if len(uc) and not len(shown):
        out.append(t("needs.unit_s_competency_need_figures", lang, k=k))
    elif len(shown):
        top = shown.sort_values("share_below", ascending=False).head(3)
        items = "; ".join(f"{names.get(c, c)} ({fmt_percent(v, lang)})"
                          for c, v in zip(top["kode_kompetensi"], top["share_below"], strict=False))
        out.append(t("needs.competencies_largest_share_staff_below", lang, items=items))
        n_hidden = int(uc["suppressed"].sum())
        if n_hidden:
            out.append(t("needs.competency_rows_suppressed_n", lang, n_hidden=fmt_int(n_hidden, lang), k=k))
    return out


def _gap_section(res: NeedsResult, unit: str | None, kit: ChapterKit, ch: Chapter) -> None:
    lang = res.ctx.lang
    gap = kit.section(ch, t("needs.competency_gaps", lang))
    if unit:
        gap.blocks.append(kit.bullets(needs_unit_sentences(res, unit)))
    else:
        gap.blocks.append(kit.markdown(summary_markdown(res, None)))
    uc = shown_unit_competency(res)
    any_shown = bool((~uc[uc["kode_unit"] == unit]["suppressed"]).any()) if unit else True
    if any_shown:
        gap.blocks.append(kit.figure(ch, t("needs.share_staff_below_standard_unit_2", lang),
                                     kit.png(lambda: heatmap_figure(res, unit))))
    if unit and any_shown:
        # one unit: its code on every row says nothing
        table = unit_table(res, unit).drop(columns=t("needs.col.unit", lang))
        gap.blocks += [kit.table(ch, t("needs.unit_competency_gaps", lang), table, "unit_competency", wide=True),
                       kit.para(t("needs.bounds_note", lang))]
    if not unit:
        report_gap_.target_block(res, kit, ch, gap)


def chapter(res: NeedsResult, unit: str | None, kit: ChapterKit) -> list[Chapter]:
    """Chapter II, needs analysis, after the staff overview: competency gaps (the unit's sentences
    and table in a unit report), the need ranking, performance gaps and the need profiles (both
    computed once for the agency)."""
    lang = res.ctx.lang
    ch = kit.chapter("needs")
    _gap_section(res, unit, kit, ch)
    kit.section(ch, t("needs.need_ranking", lang), [
        kit.para(report_gap_.index_formula(res)),
        kit.figure(ch, t("needs.need_index_ranking", lang),
                   kit.png(lambda: ranking_figure(res), "need_rank")),
        kit.table(ch, t("needs.top_ten_competency_needs", lang),
                  ranking_table(res).head(10), "need_ranking")])
    report_gap_.performance_section(res, unit, kit, ch)
    report_gap_.extra_sections(res, unit, kit, ch)
    cards = profile_cards(res)
    prof = kit.section(ch, t("needs.need_profiles", lang), [
        kit.para(t("needs.need_profiles_group_respondents_similar", lang)),
        *[kit.para(x) for x in profile_validity(res)],
        kit.table(ch, t("needs.need_profiles_table", lang),
                  cards[list(cards.columns[:6]) + [cards.columns[-1]]], "profiles")])
    pf = kit.png(lambda: profile_figure(res), "profile")
    if pf is not None:
        prof.blocks.append(kit.figure(ch, t("needs.mean_gap_profile_observed", lang,
                                            k=k_for("count", res.ctx.settings)), pf))
    report_gap_.quality_section(res, unit, kit, ch)
    return [ch]
