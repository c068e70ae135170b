"""Presentation of stage 02: sentences, formatted tables and figures (aggregate)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbook.core.i18n import fmt_int, fmt_number, fmt_percent, fmt_rupiah
from workbook.plan import words
from workbook.plan.stage import PlanResult, shown_coverage
from workbook.present import plots
from workbook.present.format import CRITERIA_LABELS, format_table

__all__ = ["summary_markdown", "ranking_figure", "frontier_figure", "coverage_figure", "ranking_table",
           "plan_table_view", "budget_table", "explanations_table", "coverage_table", "funded_selection"]

_T = {
    "id": {
        "title": "Ringkasan rencana",
        "budget": "Pagu {pagu}; rencana memakai {used} ({share}) untuk {prog} program dan {seats} kursi peserta.",
        "exact": "Pilihan eksak (MILP) memberi nilai kebutuhan {v1} dibanding {v2} dengan aturan rakus nilai-per-rupiah (+{gain}).",
        "cov": "{share} PNS mencapai minimal {jp} JP dalam rencana ({n} dari {tot}); PPPK dibatasi {cap} JP.",
        "unmet": "{n} pegawai dengan kebutuhan belum mendapat program; alasan terbanyak: {reason}.",
        "below": "{n} PNS masih di bawah {jp} JP dalam rencana; alasan terbanyak: {reason}.",
        "method": "Prioritas program dengan metode {method} (bobot: {weights}); kesepakatan SAW–TOPSIS: Spearman {rho}.",
        "assign": "Penempatan per orang mengisi {filled} dari {planned} kursi rencana tingkat kelompok; nilai kebutuhan yang hilang {lost}.",
    },
    "en": {
        "title": "Plan summary",
        "budget": "Budget ceiling {pagu}; the plan uses {used} ({share}) for {prog} programmes and {seats} participant seats.",
        "exact": "The exact choice (MILP) gives a need value of {v1} against {v2} with the greedy value-per-Rupiah rule (+{gain}).",
        "cov": "{share} of PNS reach at least {jp} JP in the plan ({n} of {tot}); PPPK are capped at {cap} JP.",
        "unmet": "{n} employees with needs get no programme yet; most frequent reason: {reason}.",
        "below": "{n} PNS are still below {jp} JP in the plan; most frequent reason: {reason}.",
        "method": "Programme priority by {method} (weights: {weights}); SAW–TOPSIS agreement: Spearman {rho}.",
        "assign": "Person assignment fills {filled} of {planned} seats of the group-level plan; need value lost {lost}.",
    },
}


def summary_markdown(res: PlanResult) -> str:
    lang, s = res.ctx.lang, res.ctx.settings
    T = _T[lang]
    gp = res.group_plan
    lines = [f"### {T['title']}", ""]
    lines_b = res.budget_lines  # what the people placed (and topped up) actually cost
    used = float(lines_b["used"].sum())
    pagu = float(lines_b["pagu"].sum())
    seats = int(gp.allocation["participants"].sum())
    prog = int(gp.allocation["program_id"].nunique())
    lines.append("- " + T["budget"].format(pagu=fmt_rupiah(pagu, lang), used=fmt_rupiah(used, lang),
                                           share=fmt_percent(used / pagu if pagu else np.nan, lang),
                                           prog=fmt_int(prog, lang), seats=fmt_int(seats, lang)))
    gain = (gp.value - gp.greedy_value) / gp.greedy_value if gp.greedy_value else np.nan
    lines.append("- " + T["exact"].format(v1=fmt_number(gp.value, lang, 1), v2=fmt_number(gp.greedy_value, lang, 1),
                                          gain=fmt_percent(gain, lang)))
    agency = res.coverage[res.coverage["tingkat"] == "instansi"].iloc[0]
    lines.append("- " + T["cov"].format(share=fmt_percent(agency["share_reaching"], lang), jp=s["jp.minimum_pns"],
                                        n=fmt_int(agency["pns_reaching"], lang), tot=fmt_int(agency["pns"], lang),
                                        cap=s["jp.pppk_maximum"]))
    summ = res.assignment.summary.set_index("metric")["value"]
    lines.append("- " + T["assign"].format(filled=fmt_int(summ["seats_filled"], lang),
                                           planned=fmt_int(summ["seats_planned"], lang),
                                           lost=fmt_percent(summ["value_lost_share"], lang)))
    below = res.below_minimum
    if below is not None and len(below):
        if "reason" in below:
            top = below["reason"].map(lambda c: words.reason_text(c, lang)).value_counts().idxmax()
            lines.append("- " + T["below"].format(n=fmt_int(below["pegawai_id"].nunique(), lang), jp=s["jp.minimum_pns"],
                                                  reason=top))
    if len(gp.unmet) and gp.unmet["unmet"].sum() > 0:
        reason = gp.unmet["reason"].map(lambda c: words.reason_text(c, lang))
        top = gp.unmet["unmet"].groupby(reason).sum().idxmax()
        lines.append("- " + T["unmet"].format(n=fmt_int(gp.unmet["unmet"].sum(), lang), reason=top))
    w = res.ranking.attrs.get("weights", {})
    rho = res.agreement["spearman"].iloc[0] if len(res.agreement) else np.nan
    lines.append("- " + T["method"].format(method=str(res.ranking["method"].iloc[0]).upper(),
                                           weights=", ".join(f"{CRITERIA_LABELS[lang].get(k, k)} {fmt_percent(v, lang, 0)}"
                                                             for k, v in w.items()),
                                           rho=f"{rho:.2f}".replace(".", "," if lang == "id" else ".")))
    return "\n".join(lines)


def ranking_figure(res: PlanResult, top: int = 15) -> Figure:
    d = res.ranking.head(top).copy()
    d["label"] = d["program_id"] + " " + d["nama_program"].str.slice(0, 40)
    title = {"id": "Peringkat prioritas program", "en": "Programme priority ranking"}[res.ctx.lang]
    return plots.barh(d, label="label", value="score", title=title, xlabel="skor" if res.ctx.lang == "id" else "score")


def frontier_figure(res: PlanResult) -> Figure:
    f = res.frontier
    lang = res.ctx.lang
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    ax.plot(f["budget"] / 1e9, f["value_exact"], marker="o", color=plots.PALETTE[0],
            label={"id": "pilihan eksak", "en": "exact choice"}[lang])
    ax.plot(f["budget"] / 1e9, f["value_greedy"], marker=".", ls="--", color=plots.PALETTE[3],
            label={"id": "aturan rakus", "en": "greedy rule"}[lang])
    ax.axvline(res.budget_total / 1e9, color=plots.PALETTE[4], lw=1, label={"id": "pagu", "en": "ceiling"}[lang])
    ax.set_xlabel({"id": "anggaran (miliar Rp)", "en": "budget (IDR billion)"}[lang])
    ax.set_ylabel({"id": "nilai prioritas terdanai", "en": "funded priority value"}[lang])
    ax.set_title({"id": "Batas anggaran: nilai yang terdanai per tingkat anggaran",
                  "en": "Budget frontier: funded value by budget level"}[lang])
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def coverage_figure(res: PlanResult) -> Figure:
    d = shown_coverage(res)
    d = d[d["tingkat"] == "unit"]
    lang = res.ctx.lang
    return plots.barh(d, label="kode_unit", value="share_reaching", percent=True, ref=1.0,
                      title={"id": f"PNS yang mencapai {res.ctx.settings['jp.minimum_pns']} JP dalam rencana",
                             "en": f"PNS reaching {res.ctx.settings['jp.minimum_pns']} JP in the plan"}[lang],
                      xlabel="%")


def ranking_table(res: PlanResult, top: int = 20) -> pd.DataFrame:
    d = res.ranking.head(top).merge(res.funding[["program_id", "p_funded"]], on="program_id", how="left")
    out = format_table(d, {"rank": "int", "program_id": "text", "nama_program": "text", "bentuk": "form",
                           "jumlah_pegawai": "int", "biaya_per_jp": "rp", "score": "num", "rank_topsis": "int",
                           "p_funded": "pct"}, lang=res.ctx.lang, decimals=3)
    out.columns = {"id": ["Peringkat", "Kode", "Program", "Bentuk", "Pegawai berkebutuhan", "Biaya per JP", "Skor",
                          "Peringkat TOPSIS", "Peluang terdanai"],
                   "en": ["Rank", "Code", "Programme", "Form", "Staff in need", "Cost per JP", "Score", "TOPSIS rank",
                          "Probability funded"]}[res.ctx.lang]
    return out


_PLAN_COLS = {  # Pasal 207 elements (a)–(g) and their display names
    "jenis_kebutuhan": ("Jenis kebutuhan", "Need type", "text"),
    "kode_kompetensi": ("(a) Kompetensi", "(a) Competency", "text"),
    "nama_kompetensi": ("Nama kompetensi", "Competency name", "text"),
    "target_pns": ("(b) Target PNS", "(b) Target staff", "int"),
    "target_unit": ("Unit sasaran", "Target units", "text"),
    "jenis_pengembangan": ("(c) Bentuk", "(c) Form", "form"),
    "jalur_pengembangan": ("Jalur", "Route", "text"),
    "nama_program": ("Program", "Programme", "text"),
    "penyelenggara": ("(d) Penyelenggara", "(d) Provider", "text"),
    "jadwal": ("(e) Jadwal (bulan)", "(e) Schedule (months)", "text"),
    "kesesuaian_kurikulum": ("(f) Kesesuaian kurikulum", "(f) Curriculum fit", "text"),
    "anggaran": ("(g) Anggaran", "(g) Budget", "rp"),
}


def plan_table_view(res: PlanResult) -> pd.DataFrame:
    """The Pasal 207 plan table with its seven elements labelled (a)–(g)."""
    from workbook.plan.tables import PLAN_TABLE_COLUMNS_EN

    d = res.plan_table
    if res.ctx.lang == "en":  # the stage writes English column names for lang="en"
        back = {v: k for k, v in PLAN_TABLE_COLUMNS_EN.items()}
        d = d.rename(columns=back)
    cols = {c: k[2] for c, k in _PLAN_COLS.items() if c in d}
    out = format_table(d, cols, lang=res.ctx.lang)
    out.columns = [_PLAN_COLS[c][0 if res.ctx.lang == "id" else 1] for c in cols]
    return out


def budget_table(res: PlanResult) -> pd.DataFrame:
    out = format_table(res.budget, {"kode_unit": "text", "participants": "int", "cost": "rp",
                                    "participants_assigned": "int", "cost_assigned": "rp"}, lang=res.ctx.lang)
    out.columns = {"id": ["Unit", "Kursi (rencana kelompok)", "Biaya (rencana kelompok)", "Peserta ditempatkan",
                          "Biaya peserta ditempatkan"],
                   "en": ["Unit", "Seats (group plan)", "Cost (group plan)", "Participants placed",
                          "Cost of participants placed"]}[res.ctx.lang]
    return out


def explanations_table(res: PlanResult) -> pd.DataFrame:
    col = "alasan" if res.ctx.lang == "id" else "reason_en"
    ex = words.explanations_sheet(res.group_plan.explanations)  # the reason in words
    out = format_table(ex, {"program_id": "text", "nama_program": "text", "participants": "int",
                            col: "text"}, lang=res.ctx.lang)
    out.columns = {"id": ["Kode", "Program", "Peserta", "Alasan"], "en": ["Code", "Programme", "Participants", "Reason"]}[res.ctx.lang]
    return out


def coverage_table(res: PlanResult) -> pd.DataFrame:
    d = shown_coverage(res)
    out = format_table(d, {"kode_unit": "text", "pns": "int", "pns_reaching": "int", "share_reaching": "pct",
                           "jp_pns_mean": "num", "pppk": "int"}, lang=res.ctx.lang, settings=res.ctx.settings)
    out.columns = {"id": ["Unit", "PNS", "Mencapai 20 JP", "% mencapai", "Rata-rata JP PNS", "PPPK"],
                   "en": ["Unit", "PNS", "Reaching 20 JP", "% reaching", "Mean JP of PNS", "PPPK"]}[res.ctx.lang]
    return out


def funded_selection(res: PlanResult, ranking: pd.DataFrame, budget: float) -> pd.DataFrame:
    """Programme-level funded set for an interactive budget (exact 0/1 choice over the ranking)."""
    from workbook.plan.budget import select_within_budget

    c = ranking[["program_id", "nama_program", "score", "biaya_per_peserta", "jumlah_pegawai"]].copy()
    c["cost"] = c["biaya_per_peserta"] * c["jumlah_pegawai"]
    c["value"] = c["score"] * c["jumlah_pegawai"]
    return select_within_budget(c, budget)
