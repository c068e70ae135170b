"""Presentation of stage 01: sentences, formatted tables and figures (aggregate, suppressed),
and sections 2.2–2.5 of the yearly report (:func:`chapter`)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from workbook.core.i18n import fmt_int, fmt_number, fmt_percent
from workbook.core.suppression import k_for
from workbook.needs import words
from workbook.needs.stage import (
    NeedsResult,
    shown_performance_units,
    shown_profiles,
    shown_unit_competency,
)
from workbook.present import plots
from workbook.present.document import Chapter, ChapterKit
from workbook.present.format import format_table

__all__ = ["summary_markdown", "heatmap_figure", "ranking_figure", "profile_figure", "ranking_table",
           "profile_cards", "unit_table", "performance_table", "needs_unit_sentences", "chapter"]

_TXT = {
    "id": {
        "title": "Temuan utama analisis kebutuhan",
        "below": "Kesenjangan terbesar: **{name}** — {share} pegawai yang dinilai berada di bawah standar jabatan.",
        "rank": "Peringkat indeks kebutuhan (kekurangan × kepentingan): {items}.",
        "profiles": "Responden terbagi dalam **{k} profil kebutuhan** ({stable} stabil menurut bootstrap).",
        "noprof": "Tidak ditemukan profil kebutuhan yang lebih baik daripada kebetulan; rencana disusun per unit dan kompetensi.",
        "source": "Sumber level aktual: {src}. JPM berkategori resmi hanya bila level berasal dari hasil asesmen; selain itu ditandai \"JPM indikatif (survei)\".",
        "perf": "{share} pegawai dengan data kinerja berada di bawah target SKP.",
        "nostd": "{n} pegawai menduduki jabatan tanpa standar kompetensi di data; mereka tidak masuk analisis kesenjangan.",
        "unit": "Tampilan unit: {unit}. Profil dihitung untuk seluruh instansi.",
        "carry": "{n} kebutuhan belum tuntas dari tahun {year} dibawa ke inventarisasi tahun ini dan didahulukan ({resolved} kebutuhan lama kini sudah memenuhi standar).",
    },
    "en": {
        "title": "Main findings of the needs analysis",
        "below": "Largest gap: **{name}** — {share} of assessed staff are below the job standard.",
        "rank": "Need index ranking (shortfall × importance): {items}.",
        "profiles": "Respondents fall into **{k} need profiles** ({stable} stable by bootstrap).",
        "noprof": "No need profiles better than chance were found; the plan is built per unit and competency.",
        "source": "Source of actual levels: {src}. JPM carries an official category only when levels come from assessment results; otherwise it is marked \"indicative JPM (survey)\".",
        "perf": "{share} of staff with performance data are below their SKP target.",
        "nostd": "{n} employees hold positions with no competency standard in the data; they are left out of the gap analysis.",
        "unit": "Unit view: {unit}. Profiles are computed for the whole agency.",
        "carry": "{n} open needs from {year} are carried into this year's inventory and come first ({resolved} earlier needs now meet the standard).",
    },
}


def summary_markdown(res: NeedsResult, unit: str | None = None) -> str:
    lang = res.ctx.lang
    T = _TXT[lang]
    names = res.competency_names()
    # a unit view prints only what the agency's suppressed table shows for that unit
    uc = res.unit_competency if not unit else shown_unit_competency(res)
    if unit:
        uc = uc[(uc["kode_unit"] == unit) & ~uc["suppressed"]]
    by_comp = uc.groupby("kode_kompetensi")[["n_below", "n_assessed"]].sum()
    by_comp = by_comp[by_comp["n_assessed"] > 0]
    lines = [f"### {T['title']}", ""]
    if unit:
        lines.append(f"- {T['unit'].format(unit=unit)}")
    if len(by_comp) and by_comp["n_assessed"].sum() >= int(res.ctx.settings["suppression.k_count"]):
        share = by_comp["n_below"] / by_comp["n_assessed"]
        top = share.idxmax()
        lines.append(f"- {T['below'].format(name=names.get(top, top), share=fmt_percent(share[top], lang))}")
    rk = res.need_ranking.sort_values("rank").head(3)
    items = ", ".join(f"{i + 1}. {names.get(c, c)} ({fmt_number(v, lang, 3)})"
                      for i, (c, v) in enumerate(zip(rk["kode_kompetensi"], rk["need_index"], strict=False)))
    lines.append(f"- {T['rank'].format(items=items)}")
    m = res.model
    if m is not None and m.structure_found_:
        stable = sum(1 for x in m.stability_label_ if x == "stabil")
        lines.append(f"- {T['profiles'].format(k=m.n_profiles_, stable=stable)}")
    else:
        lines.append(f"- {T['noprof']}")
    src = res.gaps["level_source"].value_counts(normalize=True)
    lines.append(f"- {T['source'].format(src=', '.join(f'{k} {fmt_percent(v, lang)}' for k, v in src.items()))}")
    perf = res.performance
    if "below_target" in perf and perf["below_target"].notna().any():
        lines.append(f"- {T['perf'].format(share=fmt_percent(perf['below_target'].mean(), lang))}")
    inv = res.inventory
    if "carried_over" in inv and inv["carried_over"].any():
        lines.append(f"- {T['carry'].format(n=fmt_int(int(inv['carried_over'].sum()), lang), year=res.ctx.year - 1, resolved=fmt_int(int(inv.attrs.get('resolved', 0)), lang))}")
    if len(res.without_standard):
        lines.append(f"- {T['nostd'].format(n=fmt_int(len(res.without_standard), lang))}")
    return "\n".join(lines)


def unit_table(res: NeedsResult, unit: str | None = None, competency: str | None = None) -> pd.DataFrame:
    uc = shown_unit_competency(res)
    if unit:
        uc = uc[uc["kode_unit"] == unit]
    if competency:
        uc = uc[uc["kode_kompetensi"] == competency]
    cols = {"kode_unit": "text", "kode_kompetensi": "text", "n_staff": "int", "response_rate": "pct",
            "n_assessed": "int", "share_below": "pct", "share_ci_low": "pct", "share_ci_high": "pct", "mean_gap": "num"}
    out = format_table(uc, cols, lang=res.ctx.lang, settings=res.ctx.settings)
    labels = {"id": ["Unit", "Kompetensi", "Pegawai", "Tingkat respons", "Dinilai", "% di bawah standar",
                     "SK 95% bawah", "SK 95% atas", "Rata-rata kesenjangan"],
              "en": ["Unit", "Competency", "Staff", "Response rate", "Assessed", "% below standard",
                     "95% CI low", "95% CI high", "Mean gap"]}[res.ctx.lang]
    out.columns = labels
    return out


def ranking_table(res: NeedsResult) -> pd.DataFrame:
    names = res.competency_names()
    rk = res.need_ranking.sort_values("rank").copy()
    rk["nama"] = rk["kode_kompetensi"].map(names)
    out = format_table(rk, {"rank": "int", "kode_kompetensi": "text", "nama": "text", "n": "int",
                            "mean_shortfall": "num", "mean_importance": "num", "need_index": "num"},
                       lang=res.ctx.lang, decimals=3)
    out.columns = {"id": ["Peringkat", "Kode", "Kompetensi", "Responden", "Rata-rata kekurangan (0–1)",
                          "Rata-rata kepentingan (0–1)", "Indeks kebutuhan"],
                   "en": ["Rank", "Code", "Competency", "Respondents", "Mean shortfall (0–1)",
                          "Mean importance (0–1)", "Need index"]}[res.ctx.lang]
    return out


def profile_cards(res: NeedsResult) -> pd.DataFrame:
    p = words.profiles_sheet(shown_profiles(res), res.ctx.lang)
    cols = {"profile": "int", "n": "int", "share": "pct", "stability": "num", "stability_label": "text",
            "summary": "text", "suggested_areas": "text"}
    cols = {k: v for k, v in cols.items() if k in p}
    out = format_table(p, cols, lang=res.ctx.lang, decimals=2)
    out.columns = [{"id": {"profile": "Profil", "n": "Jumlah", "share": "Porsi", "stability": "Stabilitas (Jaccard)",
                           "stability_label": "Keterangan", "summary": "Ringkasan", "suggested_areas": "Bidang yang disarankan"},
                    "en": {"profile": "Profile", "n": "Count", "share": "Share", "stability": "Stability (Jaccard)",
                           "stability_label": "Label", "summary": "Summary", "suggested_areas": "Suggested areas"}}[res.ctx.lang][c]
                   for c in cols]
    return out


def performance_table(res: NeedsResult, unit: str | None = None) -> pd.DataFrame:
    p = shown_performance_units(res)
    if unit:
        p = p[p["kode_unit"] == unit]
    out = format_table(p, {"kode_unit": "text", "headcount": "int", "n": "int", "share_below": "pct",
                           "ci_low": "pct", "ci_high": "pct"}, lang=res.ctx.lang, settings=res.ctx.settings)
    out.columns = {"id": ["Unit", "Pegawai", "Dengan data kinerja", "% di bawah target", "SK 95% bawah", "SK 95% atas"],
                   "en": ["Unit", "Staff", "With performance data", "% below target", "95% CI low", "95% CI high"]}[res.ctx.lang]
    return out


def heatmap_figure(res: NeedsResult, unit: str | None = None) -> Figure:
    uc = shown_unit_competency(res)
    if unit:
        uc = uc[uc["kode_unit"] == unit]
    title = {"id": "Persentase pegawai di bawah standar (unit × kompetensi; – = disembunyikan/tidak berlaku)",
             "en": "Share of staff below standard (unit × competency; – = suppressed/not applicable)"}[res.ctx.lang]
    return plots.heatmap(uc, index="kode_unit", columns="kode_kompetensi", values="share_below", title=title,
                         vmin=0, vmax=1)


def ranking_figure(res: NeedsResult, top: int = 15) -> Figure:
    names = res.competency_names()
    rk = res.need_ranking.sort_values("rank").head(top).copy()
    rk["label"] = rk["kode_kompetensi"].map(lambda c: f"{c} {names.get(c, '')}")
    title = {"id": "Peringkat indeks kebutuhan", "en": "Need index ranking"}[res.ctx.lang]
    return plots.barh(rk, label="label", value="need_index", title=title,
                      xlabel={"id": "indeks kebutuhan (0–1)", "en": "need index (0–1)"}[res.ctx.lang])


def profile_figure(res: NeedsResult) -> Figure | None:
    m = res.model
    if m is None or m.n_profiles_ < 2:
        return None
    centers = m.cluster_centers_.copy()
    centers.index = [f"{'Profil' if res.ctx.lang == 'id' else 'Profile'} {i}" for i in range(len(centers))]
    long = centers.reset_index(names="profil").melt(id_vars="profil", var_name="kode_kompetensi", value_name="gap")
    title = {"id": "Rata-rata kesenjangan per profil (negatif = di bawah standar)",
             "en": "Mean gap per profile (negative = below standard)"}[res.ctx.lang]
    return plots.heatmap(long, index="profil", columns="kode_kompetensi", values="gap", title=title,
                         cmap="RdYlGn", fmt="{:.1f}", vmin=-2, vmax=2)


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
        out.append({"id": f"Angka kebutuhan kompetensi unit ini disembunyikan (n < {k}): jumlah responden survei atau "
                          "pegawai yang dinilai terlalu kecil untuk dilaporkan tanpa mengungkap individu. Kebutuhan "
                          "pegawainya tetap masuk perhitungan tingkat instansi dan rencana.",
                    "en": f"The unit's competency-need figures are suppressed (n < {k}): too few survey respondents or "
                          "assessed staff to report without revealing individuals. Its staff's needs still count in "
                          "the agency-wide figures and in the plan."}[lang])
    elif len(shown):
        top = shown.sort_values("share_below", ascending=False).head(3)
        items = "; ".join(f"{names.get(c, c)} ({fmt_percent(v, lang)})"
                          for c, v in zip(top["kode_kompetensi"], top["share_below"], strict=False))
        out.append({"id": f"Kompetensi dengan porsi pegawai di bawah standar terbesar di unit ini: {items}.",
                    "en": f"Competencies with the largest share of staff below standard in this unit: {items}."}[lang])
        n_hidden = int(uc["suppressed"].sum())
        if n_hidden:
            out.append({"id": f"{fmt_int(n_hidden, lang)} baris kompetensi disembunyikan (n < {k}).",
                        "en": f"{fmt_int(n_hidden, lang)} competency rows are suppressed (n < {k})."}[lang])
    perf = shown_performance_units(res)
    perf = perf[perf["kode_unit"] == unit]
    if len(perf):
        perf = perf.iloc[0]
        if bool(perf["suppressed"]):
            out.append({"id": f"Kesenjangan kinerja unit: disembunyikan (n < {k}).",
                        "en": f"Unit performance gap: suppressed (n < {k})."}[lang])
        elif perf["share_below"] == perf["share_below"]:
            out.append({"id": f"{fmt_percent(perf['share_below'], lang)} pegawai unit dengan data kinerja berada di bawah target SKP.",
                        "en": f"{fmt_percent(perf['share_below'], lang)} of the unit's staff with performance data are below their SKP target."}[lang])
    return out


def _gap_section(res: NeedsResult, unit: str | None, kit: ChapterKit, ch: Chapter) -> None:
    lang = res.ctx.lang
    gap = kit.section(ch, {"id": "Kesenjangan Kompetensi", "en": "Competency Gaps"}[lang])
    if unit:
        gap.blocks.append(kit.bullets(needs_unit_sentences(res, unit)))
    else:
        gap.blocks.append(kit.markdown(summary_markdown(res, None)))
    uc = shown_unit_competency(res)
    any_shown = bool((~uc[uc["kode_unit"] == unit]["suppressed"]).any()) if unit else True
    if any_shown:
        gap.blocks.append(kit.figure(ch, {"id": "Persentase pegawai di bawah standar per unit dan kompetensi",
                                          "en": "Share of staff below standard by unit and competency"}[lang],
                                     kit.png(lambda: heatmap_figure(res, unit))))
    if unit and any_shown:
        gap.blocks.append(kit.table(ch, {"id": "Kesenjangan kompetensi unit", "en": "Unit competency gaps"}[lang],
                                    unit_table(res, unit), "unit_competency"))


def chapter(res: NeedsResult, unit: str | None, kit: ChapterKit) -> list[Chapter]:
    """Chapter II, needs analysis, after the staff overview: competency gaps (the unit's sentences
    and table in a unit report), the need ranking, performance gaps and the need profiles (both
    computed once for the agency)."""
    lang = res.ctx.lang
    ch = kit.chapter("needs")
    _gap_section(res, unit, kit, ch)
    kit.section(ch, {"id": "Peringkat Kebutuhan", "en": "Need Ranking"}[lang], [
        kit.para({"id": "Indeks kebutuhan menggabungkan kekurangan level kompetensi dan tingkat kepentingannya bagi "
                        "jabatan (keduanya diskalakan 0–1); dihitung untuk seluruh instansi.",
                  "en": "The need index combines the shortfall in proficiency level with its importance for the "
                        "position (both scaled 0–1); computed for the whole agency."}[lang]),
        kit.figure(ch, {"id": "Peringkat indeks kebutuhan", "en": "Need index ranking"}[lang],
                   kit.png(lambda: ranking_figure(res), "need_rank")),
        kit.table(ch, {"id": "Sepuluh kebutuhan kompetensi tertinggi", "en": "Top ten competency needs"}[lang],
                  ranking_table(res).head(10), "need_ranking")])
    kit.section(ch, {"id": "Kesenjangan Kinerja", "en": "Performance Gaps"}[lang], [
        kit.table(ch, {"id": "Kesenjangan kinerja (realisasi SKP terhadap target)",
                       "en": "Performance gaps (SKP realisation against target)"}[lang],
                  performance_table(res, unit), "performance_units")])
    cards = profile_cards(res)
    prof = kit.section(ch, {"id": "Profil Kebutuhan", "en": "Need Profiles"}[lang], [
        kit.para({"id": "Profil kebutuhan mengelompokkan responden dengan pola kesenjangan serupa sehingga program "
                        "dapat dirancang per kelompok; profil dihitung sekali untuk seluruh instansi.",
                  "en": "Need profiles group respondents with similar gap patterns so programmes can be designed per "
                        "group; they are computed once for the whole agency."}[lang]),
        kit.table(ch, {"id": "Profil kebutuhan", "en": "Need profiles"}[lang],
                  cards[list(cards.columns[:5]) + [cards.columns[-1]]], "profiles")])
    pf = kit.png(lambda: profile_figure(res), "profile")
    if pf is not None:
        prof.blocks.append(kit.figure(ch, {"id": "Rata-rata kesenjangan per profil", "en": "Mean gap per profile"}[lang],
                                      pf))
    return [ch]
