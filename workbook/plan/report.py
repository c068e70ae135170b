"""Presentation of stage 02: sentences, formatted tables and figures (aggregate), and chapters
III (programmes and priorities) and IV (implementation plan) of the yearly report
(:func:`chapter`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbook.core.i18n import fmt_int, fmt_number, fmt_percent, fmt_rupiah
from workbook.core.suppression import k_for
from workbook.plan import words
from workbook.plan.stage import PlanResult, shown_coverage
from workbook.present import plots
from workbook.present.document import Chapter, ChapterKit
from workbook.present.format import CRITERIA_LABELS, format_table

__all__ = ["summary_markdown", "ranking_figure", "frontier_figure", "coverage_figure", "ranking_table",
           "plan_table_view", "budget_table", "explanations_table", "coverage_table", "funded_selection",
           "plan_unit_sentences", "plan_rows_for_unit", "plan_table_unit", "budget_table_view", "chapter"]

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


# --------------------------------------------------------------------------------------------
# The yearly report: the unit's sentences and tables, chapters III and IV
# --------------------------------------------------------------------------------------------

_PLAN_EN = {"need_type": "jenis_kebutuhan", "competency_code": "kode_kompetensi", "competency_type": "jenis_kompetensi",
            "target_employees": "target_pns", "target_units": "target_unit", "development_form": "jenis_pengembangan",
            "development_route": "jalur_pengembangan", "programme_id": "program_id", "programme_name": "nama_program",
            "provider": "penyelenggara", "schedule": "jadwal", "curriculum_fit": "kesesuaian_kurikulum",
            "budget": "anggaran", "employees_in_need": "kebutuhan_pns"}


def _unit_row(df: pd.DataFrame, unit: str) -> pd.Series | None:
    r = df[df["kode_unit"] == unit]
    return r.iloc[0] if len(r) else None


def plan_rows_for_unit(plan_table: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    """Rows of the plan table targeting ``unit`` (all rows for the agency); column names as in Indonesian."""
    plan_table = plan_table.rename(columns=_PLAN_EN)
    if not unit:
        return plan_table
    units = plan_table["target_unit"].fillna("").astype(str).str.split(";")
    return plan_table[units.map(lambda xs: unit in xs)]


def plan_unit_sentences(res: PlanResult, unit: str) -> list[str]:
    """The unit's seats, cost and 20-JP coverage in the agency plan (suppressed coverage)."""
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("count", s)
    out = []
    b = _unit_row(res.budget, unit)
    if b is not None:
        out.append({"id": f"Rencana instansi menyediakan {fmt_int(b['participants'], lang)} kursi peserta bagi unit ini "
                          f"dengan biaya {fmt_rupiah(b['cost'], lang)}; penempatan per orang mengisi "
                          f"{fmt_int(b['participants_assigned'], lang)} kursi ({fmt_rupiah(b['cost_assigned'], lang)}).",
                    "en": f"The agency plan provides {fmt_int(b['participants'], lang)} participant seats for this unit at "
                          f"{fmt_rupiah(b['cost'], lang)}; person assignment fills {fmt_int(b['participants_assigned'], lang)} "
                          f"seats ({fmt_rupiah(b['cost_assigned'], lang)})."}[lang])
    cov = shown_coverage(res)
    c = _unit_row(cov[cov["tingkat"] == "unit"], unit)
    if c is not None:
        if bool(c["suppressed"]) or c["share_reaching"] != c["share_reaching"]:
            out.append({"id": f"Cakupan 20 JP unit: disembunyikan (n < {k}).",
                        "en": f"Unit 20-JP coverage: suppressed (n < {k})."}[lang])
        else:
            out.append({"id": f"{fmt_percent(c['share_reaching'], lang)} PNS unit ini mencapai minimal {s['jp.minimum_pns']} JP "
                              f"dalam rencana ({fmt_int(c['pns_reaching'], lang)} dari {fmt_int(c['pns'], lang)}); "
                              f"rata-rata {fmt_number(c['jp_pns_mean'], lang, 1)} JP per PNS.",
                        "en": f"{fmt_percent(c['share_reaching'], lang)} of this unit's PNS reach at least {s['jp.minimum_pns']} JP "
                              f"in the plan ({fmt_int(c['pns_reaching'], lang)} of {fmt_int(c['pns'], lang)}); "
                              f"mean {fmt_number(c['jp_pns_mean'], lang, 1)} JP per PNS."}[lang])
    n_prog = int(plan_rows_for_unit(res.plan_table, unit).shape[0])
    out.append({"id": f"Unit ini menjadi sasaran {fmt_int(n_prog, lang)} baris program dalam rencana instansi (Tabel di bawah).",
                "en": f"This unit is a target of {fmt_int(n_prog, lang)} programme lines of the agency plan (table below)."}[lang])
    return out


def plan_table_unit(res: PlanResult, unit: str | None) -> pd.DataFrame:
    """The Pasal 207 plan table with Indonesian/English headers (rows targeting ``unit``)."""
    lang = res.ctx.lang
    d = plan_rows_for_unit(res.plan_table, unit).copy()
    d["jadwal"] = d["jadwal"].fillna("").astype(str).str.replace(";", ", ")
    d["target_unit"] = d["target_unit"].fillna("").astype(str).str.replace(";", ", ")
    cols = {"program_id": "text", "nama_program": "text", "kode_kompetensi": "text", "jalur_pengembangan": "text",
            "penyelenggara": "text", "target_pns": "int", "jp": "int", "jadwal": "text", "anggaran": "rp"}
    if not unit:
        cols = {**{k: v for k, v in cols.items() if k != "anggaran"}, "target_unit": "text", "anggaran": "rp"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings)
    heads = {"id": {"program_id": "Kode", "nama_program": "Program", "kode_kompetensi": "Kompetensi",
                    "jalur_pengembangan": "Jalur", "penyelenggara": "Penyelenggara", "target_pns": "Sasaran (pegawai)",
                    "jp": "JP", "jadwal": "Bulan", "target_unit": "Unit sasaran", "anggaran": "Anggaran"},
             "en": {"program_id": "Code", "nama_program": "Programme", "kode_kompetensi": "Competency",
                    "jalur_pengembangan": "Route", "penyelenggara": "Provider", "target_pns": "Target (staff)",
                    "jp": "JP", "jadwal": "Month", "target_unit": "Target units", "anggaran": "Budget"}}[lang]
    out.columns = [heads[c] for c in cols]
    return out


def budget_table_view(res: PlanResult, unit: str | None) -> pd.DataFrame:
    """Seats and cost per unit (the agency row last), with readable headers."""
    lang = res.ctx.lang
    d = res.budget
    if unit:
        d = d[d["kode_unit"].isin([unit, "INSTANSI"])]
    out = format_table(d, {"kode_unit": "text", "participants": "int", "cost": "rp", "participants_assigned": "int",
                           "cost_assigned": "rp"}, lang=lang)
    out.columns = {"id": ["Unit", "Kursi rencana", "Biaya rencana", "Kursi terisi (per orang)", "Biaya terisi"],
                   "en": ["Unit", "Planned seats", "Planned cost", "Seats filled (per person)", "Cost filled"]}[lang]
    return out


def _programmes_chapter(res: PlanResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter III: programme priorities, the budget frontier and (agency) why each programme is in or out."""
    lang = res.ctx.lang
    ch = kit.chapter("programmes")
    kit.section(ch, {"id": "Prioritas Program", "en": "Programme Priorities"}[lang], [
        kit.markdown(summary_markdown(res)),
        kit.figure(ch, {"id": "Peringkat prioritas program", "en": "Programme priority ranking"}[lang],
                   kit.png(lambda: ranking_figure(res), "prog_rank")),
        kit.table(ch, {"id": "Lima belas program dengan prioritas tertinggi",
                       "en": "Fifteen highest-priority programmes"}[lang],
                  ranking_table(res, top=15), "programme_ranking", wide=True)])
    kit.section(ch, {"id": "Pagu Anggaran dan Pilihan Program", "en": "Budget Ceiling and Programme Choice"}[lang], [
        kit.para({"id": "Program dipilih secara eksak (pemrograman bilangan bulat) sehingga nilai kebutuhan yang "
                        "terdanai sebesar mungkin di bawah pagu, kapasitas sesi dan hak 20 JP; grafik menunjukkan "
                        "nilai yang terdanai bila pagu lebih kecil atau lebih besar.",
                  "en": "Programmes are chosen exactly (integer programming) so the funded need value is as large as "
                        "possible under the ceiling, session capacities and the 20-JP right; the chart shows the "
                        "funded value at smaller or larger ceilings."}[lang]),
        kit.figure(ch, {"id": "Nilai kebutuhan yang terdanai per tingkat anggaran",
                        "en": "Funded need value by budget level"}[lang],
                   kit.png(lambda: frontier_figure(res), "frontier"))])
    if not unit:
        kit.section(ch, {"id": "Alasan Program Masuk atau Tidak", "en": "Why Each Programme Is In or Out"}[lang], [
            kit.table(ch, {"id": "Alasan setiap program masuk atau tidak masuk rencana",
                           "en": "Why each programme is in or out of the plan"}[lang], explanations_table(res),
                      "explanations")])
    return ch


def _implementation_chapter(res: PlanResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter IV: the Pasal 207 plan table, coverage of the 20-JP right, seats and cost by unit."""
    lang, s = res.ctx.lang, res.ctx.settings
    ch = kit.chapter("implementation")
    plan_s = kit.section(ch, {"id": "Rencana Pengembangan Kompetensi (PP 11/2017 Pasal 207)",
                              "en": "Competency Development Plan (PP 11/2017 Art. 207)"}[lang])
    if unit:
        plan_s.blocks.append(kit.bullets(plan_unit_sentences(res, unit)))
    plan_s.blocks.append(kit.para({"id": "Tabel memuat unsur rencana menurut PP 11/2017 Pasal 207: jenis kompetensi, "
                                         "sasaran pegawai, jenis dan jalur pengembangan, penyelenggara, jadwal "
                                         "(bulan) dan anggaran.",
                                   "en": "The table holds the plan elements of PP 11/2017 Art. 207: competency, "
                                         "target staff, form and route of development, provider, schedule (month) "
                                         "and budget."}[lang]))
    plan_s.blocks.append(kit.table(ch, {"id": "Rencana pengembangan kompetensi",
                                        "en": "Competency development plan"}[lang],
                                   plan_table_unit(res, unit), "plan_table", wide=True))
    cov = kit.section(ch, {"id": "Cakupan Hak 20 JP", "en": "Coverage of the 20-JP Right"}[lang])
    cov_tab = coverage_table(res)
    if unit:
        cov_tab = cov_tab[cov_tab.iloc[:, 0].isin([unit, "INSTANSI"])]
    else:
        cov.blocks.append(kit.figure(ch, {"id": f"PNS yang mencapai {s['jp.minimum_pns']} JP dalam rencana per unit",
                                          "en": f"PNS reaching {s['jp.minimum_pns']} JP in the plan by unit"}[lang],
                                     kit.png(lambda: coverage_figure(res), "coverage")))
    cov.blocks.append(kit.table(ch, {"id": "Cakupan JP dalam rencana", "en": "JP coverage in the plan"}[lang],
                                cov_tab.reset_index(drop=True), "coverage"))
    kit.section(ch, {"id": "Anggaran per Unit Kerja", "en": "Budget by Work Unit"}[lang], [
        kit.table(ch, {"id": "Kursi peserta dan biaya per unit kerja",
                       "en": "Participant seats and cost by work unit"}[lang],
                  budget_table_view(res, unit), "budget_units")])
    return ch


def chapter(res: PlanResult, unit: str | None, kit: ChapterKit) -> list[Chapter]:
    """Chapters III (programmes and priorities) and IV (implementation plan) of the yearly report;
    a unit report shows the unit's share of the agency plan."""
    return [_programmes_chapter(res, unit, kit), _implementation_chapter(res, unit, kit)]
