"""Presentation of stage 02: sentences, formatted tables and figures (aggregate), and chapters
III (programmes and priorities) and IV (implementation plan) of the yearly report
(:func:`chapter`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from workbook.core.i18n import fmt_fixed, fmt_int, fmt_number, fmt_percent, fmt_rupiah, t
from workbook.core.suppression import k_for
from workbook.plan import words
from workbook.plan.stage import PlanResult, shown_coverage
from workbook.present import plots
from workbook.present.document import Chapter, ChapterKit
from workbook.present.format import criterion_label, format_table

__all__ = ["summary_markdown", "ranking_figure", "frontier_figure", "coverage_figure", "ranking_table",
           "plan_table_view", "budget_table", "explanations_table", "coverage_table", "funded_selection",
           "plan_unit_sentences", "plan_rows_for_unit", "plan_table_unit", "budget_table_view", "chapter",
           "mandatory_sentences", "mandatory_table_view", "infeasible_sentences", "assumption_sentences"]

def summary_markdown(res: PlanResult) -> str:
    lang, s = res.ctx.lang, res.ctx.settings
    gp = res.group_plan
    lines = [f"### {t('plan.summary.title', lang)}", ""]
    lines_b = res.budget_lines  # what the people placed (and topped up) actually cost
    used = float(lines_b["used"].sum())
    pagu = float(lines_b["pagu"].sum())
    a = res.assignment.assignments  # the per-person plan: the one figure every table shows
    if "terdanai" in a:  # the seats that will happen; "belum terdanai" mandatory rows are APBD-P proposals
        a = a[a["terdanai"].astype(bool)]
    seats = int(len(a))
    prog = int(a["program_id"].nunique())
    lines.append("- " + t("plan.summary.budget", lang, pagu=fmt_rupiah(pagu, lang), used=fmt_rupiah(used, lang),
                                           share=fmt_percent(used / pagu if pagu else np.nan, lang),
                                           prog=fmt_int(prog, lang), seats=fmt_int(seats, lang)))
    gain = (gp.value - gp.greedy_value) / gp.greedy_value if gp.greedy_value else np.nan
    lines.append("- " + t("plan.summary.exact", lang, v1=fmt_number(gp.value, lang, 1), v2=fmt_number(gp.greedy_value, lang, 1),
                                          gain=fmt_percent(gain, lang)))
    agency = res.coverage[res.coverage["tingkat"] == "instansi"].iloc[0]
    lines.append("- " + t("plan.summary.cov", lang, share=fmt_percent(agency["share_reaching"], lang), jp=s["jp.minimum_pns"],
                                        n=fmt_int(agency["pns_reaching"], lang), tot=fmt_int(agency["pns"], lang),
                                        cap=s["jp.pppk_maximum"]))
    summ = res.assignment.summary.set_index("metric")["value"]
    lines.append("- " + t("plan.summary.assign", lang, filled=fmt_int(summ["seats_filled"], lang),
                                           planned=fmt_int(summ["seats_planned"], lang),
                                           lost=fmt_percent(summ["value_lost_share"], lang)))
    below = res.below_minimum
    if below is not None and len(below):
        if "reason" in below:
            top = below["reason"].map(lambda c: words.reason_text(c, lang)).value_counts().idxmax()
            lines.append("- " + t("plan.summary.below", lang, n=fmt_int(below["pegawai_id"].nunique(), lang), jp=s["jp.minimum_pns"],
                                                  reason=top))
    if len(gp.unmet) and gp.unmet["unmet"].sum() > 0:
        reason = gp.unmet["reason"].map(lambda c: words.reason_text(c, lang))
        top = gp.unmet["unmet"].groupby(reason).sum().idxmax()
        lines.append("- " + t("plan.summary.unmet", lang, n=fmt_int(gp.unmet["unmet"].sum(), lang), reason=top))
    w = res.ranking.attrs.get("weights", {})
    rho = res.agreement["spearman"].iloc[0] if len(res.agreement) else np.nan
    lines.append("- " + t("plan.summary.method", lang, method=str(res.ranking["method"].iloc[0]).upper(),
                                           weights=", ".join(f"{criterion_label(k, lang)} {fmt_percent(v, lang, 0)}"
                                                             for k, v in w.items()),
                                           rho=fmt_fixed(rho, lang, 2, na="nan")))
    return "\n".join(lines)


def ranking_figure(res: PlanResult, top: int = 15) -> Figure:
    d = res.ranking.head(top).copy()
    d["label"] = d["program_id"] + " " + d["nama_program"].str.slice(0, 40)
    title = t("plan.programme_priority_ranking", res.ctx.lang)
    return plots.barh(d, label="label", value="score", title=title, xlabel=t("plan.score", res.ctx.lang))


def frontier_figure(res: PlanResult) -> Figure:
    f = res.frontier
    lang = res.ctx.lang
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    if not len(f):  # omitted above plan.frontier_max_pairs: the chapter says so in words
        ax.text(0.5, 0.5, t("plan.frontier_omitted_short", lang), ha="center", va="center", wrap=True)
        ax.set_axis_off()
        return fig
    ax.plot(f["budget"] / 1e9, f["value_exact"], marker="o", color=plots.PALETTE[0],
            label=t("plan.exact_choice", lang))
    ax.plot(f["budget"] / 1e9, f["value_greedy"], marker=".", ls="--", color=plots.PALETTE[3],
            label=t("plan.greedy_rule", lang))
    ax.axvline(res.budget_total / 1e9, color=plots.PALETTE[4], lw=1, label=t("plan.ceiling", lang))
    ax.set_xlabel(t("plan.budget_idr_billion", lang))
    ax.set_ylabel(t("plan.funded_priority_value", lang))
    ax.set_title(t("plan.budget_frontier_funded_value_budget", lang))
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _frontier_note(res: PlanResult) -> str:
    """How the budget curve was computed, or why it was not."""
    lang, s = res.ctx.lang, res.ctx.settings
    if not len(res.frontier):
        return t("plan.frontier_omitted", lang, max=fmt_int(s["plan.frontier_max_pairs"], lang))
    gap = float(pd.to_numeric(res.frontier.get("gap", pd.Series([0.0]))).max())
    return t("plan.frontier_selection_model", lang, n=fmt_int(len(res.frontier), lang),
             gap=fmt_fixed(gap * 100, lang, 3))


def coverage_figure(res: PlanResult) -> Figure:
    d = shown_coverage(res)
    d = d[d["tingkat"] == "unit"]
    lang = res.ctx.lang
    return plots.barh(d, label="kode_unit", value="share_reaching", percent=True, ref=1.0,
                      title=t("plan.pns_reaching_jp_plan", lang, minimum_pns=res.ctx.settings['jp.minimum_pns']),
                      xlabel="%")


def ranking_table(res: PlanResult, top: int = 20) -> pd.DataFrame:
    d = res.ranking.head(top).merge(res.funding[["program_id", "p_funded"]], on="program_id", how="left")
    out = format_table(d, {"rank": "int", "program_id": "text", "nama_program": "text", "bentuk": "form",
                           "jumlah_pegawai": "int", "biaya_per_jp": "rp", "score": "num", "rank_topsis": "int",
                           "p_funded": "pct"}, lang=res.ctx.lang, decimals=3)
    out.columns = [t("plan.col.rank", res.ctx.lang),
                   t("plan.col.code", res.ctx.lang),
                   t("plan.col.programme", res.ctx.lang),
                   t("plan.col.form", res.ctx.lang),
                   t("plan.col.staff_need", res.ctx.lang),
                   t("plan.col.cost_jp", res.ctx.lang),
                   t("plan.col.score", res.ctx.lang),
                   t("plan.col.topsis_rank", res.ctx.lang),
                   t("plan.col.probability_funded", res.ctx.lang)]
    return out


#: Pasal 207 elements (a)–(g): column → its format; the display names are ``plan.p207.<column>``
_PLAN_COLS = {
    "jenis_kebutuhan": "text",
    "kode_kompetensi": "text",
    "nama_kompetensi": "text",
    "target_pns": "int",
    "target_unit": "text",
    "jenis_pengembangan": "form",
    "jalur_pengembangan": "text",
    "nama_program": "text",
    "penyelenggara": "text",
    "jadwal": "text",
    "kesesuaian_kurikulum": "text",
    "anggaran": "rp",
}


def plan_table_view(res: PlanResult) -> pd.DataFrame:
    """The Pasal 207 plan table with its seven elements labelled (a)–(g)."""
    from workbook.plan.tables import PLAN_TABLE_COLUMNS_EN

    d = res.plan_table
    if res.ctx.lang == "en":  # the stage writes English column names for lang="en"
        back = {v: k for k, v in PLAN_TABLE_COLUMNS_EN.items()}
        d = d.rename(columns=back)
    cols = {c: kind for c, kind in _PLAN_COLS.items() if c in d}
    out = format_table(d, cols, lang=res.ctx.lang)
    out.columns = [t(f"plan.p207.{c}", res.ctx.lang) for c in cols]
    return out


def budget_table(res: PlanResult) -> pd.DataFrame:
    out = format_table(res.budget, {"kode_unit": "text", "participants_assigned": "int", "cost_assigned": "rp"},
                       lang=res.ctx.lang)
    out.columns = [t("plan.col.unit", res.ctx.lang),
                   t("plan.col.participants_placed", res.ctx.lang),
                   t("plan.col.cost_participants_placed", res.ctx.lang)]
    return out


def explanations_table(res: PlanResult) -> pd.DataFrame:
    col = "alasan" if res.ctx.lang == "id" else "reason_en"
    ex = words.explanations_sheet(res.group_plan.explanations)  # the reason in words
    out = format_table(ex, {"program_id": "text", "nama_program": "text", "participants": "int",
                            col: "text"}, lang=res.ctx.lang)
    out.columns = [t("plan.col.code", res.ctx.lang),
                   t("plan.col.programme", res.ctx.lang),
                   t("plan.col.participants", res.ctx.lang),
                   t("plan.col.reason", res.ctx.lang)]
    return out


def coverage_table(res: PlanResult) -> pd.DataFrame:
    d = shown_coverage(res)
    out = format_table(d, {"kode_unit": "text", "pns": "int", "pns_reaching": "int", "share_reaching": "pct",
                           "jp_pns_mean": "num", "pppk": "int"}, lang=res.ctx.lang, settings=res.ctx.settings)
    out.columns = [t("plan.col.unit", res.ctx.lang),
                   t("plan.col.pns", res.ctx.lang),
                   t("plan.col.reaching_20_jp", res.ctx.lang),
                   t("plan.col.reaching", res.ctx.lang),
                   t("plan.col.mean_jp_pns", res.ctx.lang),
                   t("plan.col.pppk", res.ctx.lang)]
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
        out.append(t("plan.unit_plan_seats_cost", lang, participants=fmt_int(b['participants_assigned'], lang),
                     cost=fmt_rupiah(b['cost_assigned'], lang)))
    cov = shown_coverage(res)
    c = _unit_row(cov[cov["tingkat"] == "unit"], unit)
    if c is not None:
        if bool(c["suppressed"]) or c["share_reaching"] != c["share_reaching"]:
            out.append(t("plan.unit_20_jp_coverage_suppressed", lang, k=k))
        else:
            out.append(t("plan.unit_s_pns_reach_at", lang, share_reaching=fmt_percent(c['share_reaching'], lang), minimum_pns=s['jp.minimum_pns'], pns_reaching=fmt_int(c['pns_reaching'], lang), pns=fmt_int(c['pns'], lang), jp_pns_mean=fmt_number(c['jp_pns_mean'], lang, 1)))
    n_prog = int(plan_rows_for_unit(res.plan_table, unit).shape[0])
    out.append(t("plan.unit_target_programme_lines_agency", lang, n_prog=fmt_int(n_prog, lang)))
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
    heads = {"program_id": t("plan.col.code", lang),
             "nama_program": t("plan.col.programme", lang),
             "kode_kompetensi": t("plan.col.competency", lang),
             "jalur_pengembangan": t("plan.col.route", lang),
             "penyelenggara": t("plan.col.provider", lang),
             "target_pns": t("plan.col.target_staff", lang),
             "jp": t("plan.col.jp", lang),
             "jadwal": t("plan.col.month", lang),
             "target_unit": t("plan.col.target_units", lang),
             "anggaran": t("plan.col.budget", lang)}
    out.columns = [heads[c] for c in cols]
    return out


def budget_table_view(res: PlanResult, unit: str | None) -> pd.DataFrame:
    """Seats and cost per unit (the agency row last), with readable headers."""
    lang = res.ctx.lang
    d = res.budget
    if unit:
        d = d[d["kode_unit"].isin([unit, "INSTANSI"])]
    out = format_table(d, {"kode_unit": "text", "participants_assigned": "int", "cost_assigned": "rp"}, lang=lang)
    out.columns = [t("plan.col.unit", lang),
                   t("plan.col.seats_filled_person", lang),
                   t("plan.col.cost_filled", lang)]
    return out


def mandatory_sentences(res: PlanResult) -> list[str]:
    """The mandatory block in words: one sentence per wajib code (``tidak_ada``: "Tidak ada CPNS
    yang belum Latsar pada 2027"), the reserve per budget line, and what is not yet funded."""
    from workbook.plan.mandatory import calendar_words, summary_words, usulan_word

    lang, s = res.ctx.lang, res.ctx.settings
    out = [t("plan.wajib_blok.intro", lang)]
    if res.mandatory_summary is not None:
        out += summary_words(res.mandatory_summary, res.ctx.year, lang,
                             late_months=s.get("eligibility.late_months"))
    u = res.mandatory_lines
    if u is not None:
        for r in u[u["line_id"] != "-"].itertuples(index=False):
            if r.terpakai > 0:
                out.append(t("plan.wajib_blok.pos", lang, line=r.line_id, used=fmt_rupiah(r.terpakai, lang),
                             pagu=fmt_rupiah(r.pagu, lang), sisa=fmt_rupiah(r.sisa, lang)))
        for r in u[u["shortfall"] > 0].itertuples(index=False):
            key = "plan.wajib_blok.belum_tanpa_pos" if r.line_id == "-" else "plan.wajib_kalimat.belum"
            out.append(t(key, lang, line=r.line_id, biaya=fmt_rupiah(r.shortfall, lang),
                         usulan=usulan_word(r.sumber_dana, s, lang)))
    kb = (res.tables or {}).get("komponen_biaya")
    out.append(t("plan.wajib_kalimat.komponen" if kb is not None and len(kb) else "plan.wajib_kalimat.rekening_label",
                 lang))
    return out + calendar_words(res.schedule, lang)


def mandatory_table_view(res: PlanResult) -> pd.DataFrame:
    """The mandatory block by programme × unit × line (suppressed cells shown as such)."""
    lang = res.ctx.lang
    d = res.mandatory_table.copy()
    d["wajib"] = [t(f"plan.wajib.singkat.{c}", lang) for c in d["wajib"]]
    cols = {"wajib": "text", "program_id": "text", "kode_unit": "text", "line_id": "text", "n_persons": "int",
            "n_intake": "int", "n_unfunded": "int", "biaya": "rp", "shortfall": "rp"}
    out = format_table(d, cols, lang=lang)
    names = {"wajib": "wajib", "program_id": "program", "kode_unit": "unit", "line_id": "line"}
    out.columns = [t(f"plan.wajib_blok.col.{names.get(c, c)}", lang) for c in cols]
    return out


def infeasible_sentences(res: PlanResult) -> list[str]:
    """One sentence per row of the infeasible-input table (``plan.kendala.<code>``)."""
    lang = res.ctx.lang
    inf = res.infeasible
    if inf is None or not len(inf):
        return [t("plan.wajib_blok.kendala_tidak_ada", lang)]
    out = []
    hidden = t("plan.wajib_blok.disembunyikan", lang)
    for r in inf.itertuples(index=False):
        sup = bool(getattr(r, "suppressed", False))
        n = hidden if sup or r.n != r.n else fmt_int(r.n, lang)
        biaya = hidden if sup or r.biaya != r.biaya else fmt_rupiah(r.biaya, lang)
        unit = t("plan.wajib_blok.instansi", lang) if r.kode_unit == "INSTANSI" else r.kode_unit
        out.append(t(f"plan.kendala.{r.kode}", lang, n=n, unit=unit, program=r.program_id, biaya=biaya))
    return out


def assumption_sentences(res: PlanResult) -> list[str]:
    """The assumptions the plan made for lack of data (``plan.asumsi.<code>``) with their counts."""
    from workbook.plan.mandatory import jp_assumption_words

    lang = res.ctx.lang
    a = res.assumptions
    jp_words = jp_assumption_words((res.tables or {}).get("katalog_program"), res.ctx.settings, lang)
    if a is None or not len(a):
        return jp_words
    hidden = t("plan.wajib_blok.disembunyikan", lang)
    return [t("plan.wajib_blok.asumsi", lang, teks=t(f"plan.asumsi.{r.asumsi}", lang),
              n=hidden if bool(getattr(r, "suppressed", False)) or r.n != r.n else fmt_int(r.n, lang))
            for r in a.itertuples(index=False)] + jp_words


def _mandatory_section(res: PlanResult, unit: str | None, kit: ChapterKit, ch: Chapter) -> None:
    """The "Pelatihan wajib" section, before the optimised programmes."""
    if res.mandatory_summary is None:
        return
    lang = res.ctx.lang
    tab = mandatory_table_view(res)
    if unit:
        tab = tab[res.mandatory_table["kode_unit"].to_numpy() == unit].reset_index(drop=True)
    blocks = [kit.bullets(mandatory_sentences(res)),
              kit.table(ch, t("plan.wajib_blok.tabel", lang), tab, "mandatory", wide=True)]
    if not unit:
        blocks += [kit.para(t("plan.wajib_blok.kendala_judul", lang)), kit.bullets(infeasible_sentences(res))]
        asm = assumption_sentences(res)
        if asm:
            blocks += [kit.para(t("plan.wajib_blok.asumsi_judul", lang)), kit.bullets(asm)]
    kit.section(ch, t("plan.wajib_blok.judul", lang), blocks)


def _programmes_chapter(res: PlanResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter III: the mandatory trainings (funded first), programme priorities, the budget
    frontier and (agency) why each programme is in or out."""
    lang = res.ctx.lang
    ch = kit.chapter("programmes")
    _mandatory_section(res, unit, kit, ch)
    kit.section(ch, t("plan.programme_priorities", lang), [
        kit.markdown(summary_markdown(res)),
        kit.figure(ch, t("plan.programme_priority_ranking", lang),
                   kit.png(lambda: ranking_figure(res), "prog_rank")),
        kit.table(ch, t("plan.fifteen_highest_priority_programmes", lang),
                  ranking_table(res, top=15), "programme_ranking", wide=True)])
    kit.section(ch, t("plan.budget_ceiling_programme_choice", lang), [
        kit.para(t("plan.programmes_chosen_exactly_integer_programming", lang)),
        kit.para(_frontier_note(res)),
        kit.figure(ch, t("plan.funded_need_value_budget_level", lang),
                   kit.png(lambda: frontier_figure(res), "frontier"))])
    if not unit:
        kit.section(ch, t("plan.why_each_programme_or_out", lang), [
            kit.table(ch, t("plan.why_each_programme_or_out_2", lang), explanations_table(res),
                      "explanations")])
    return ch


def _implementation_chapter(res: PlanResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter IV: the Pasal 207 plan table, coverage of the 20-JP right, seats and cost by unit."""
    lang, s = res.ctx.lang, res.ctx.settings
    ch = kit.chapter("implementation")
    plan_s = kit.section(ch, t("plan.competency_development_plan_pp_11", lang))
    if unit:
        plan_s.blocks.append(kit.bullets(plan_unit_sentences(res, unit)))
    plan_s.blocks.append(kit.para(t("plan.table_holds_plan_elements_pp", lang)))
    plan_s.blocks.append(kit.table(ch, t("plan.competency_development_plan", lang),
                                   plan_table_unit(res, unit), "plan_table", wide=True))
    cov = kit.section(ch, t("plan.coverage_20_jp_right", lang))
    cov_tab = coverage_table(res)
    if unit:
        cov_tab = cov_tab[cov_tab.iloc[:, 0].isin([unit, "INSTANSI"])]
    else:
        cov.blocks.append(kit.figure(ch, t("plan.pns_reaching_jp_plan_unit", lang, minimum_pns=s['jp.minimum_pns']),
                                     kit.png(lambda: coverage_figure(res), "coverage")))
    cov.blocks.append(kit.table(ch, t("plan.jp_coverage_plan", lang),
                                cov_tab.reset_index(drop=True), "coverage"))
    kit.section(ch, t("plan.budget_work_unit", lang), [
        kit.table(ch, t("plan.participant_seats_cost_work_unit", lang),
                  budget_table_view(res, unit), "budget_units")])
    return ch


def chapter(res: PlanResult, unit: str | None, kit: ChapterKit) -> list[Chapter]:
    """Chapters III (programmes and priorities) and IV (implementation plan) of the yearly report;
    a unit report shows the unit's share of the agency plan."""
    return [_programmes_chapter(res, unit, kit), _implementation_chapter(res, unit, kit)]
