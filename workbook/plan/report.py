"""Presentation of stage 02: sentences, formatted tables and figures (aggregate), and chapters
III (programmes and priorities) and IV (implementation plan) of the yearly report
(:func:`chapter`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import workbook.plan.mandatory_plan as mandatory_plan
import workbook.plan.report_jp as report_jp
import workbook.plan.report_money as money_
import workbook.plan.report_reasons as reasons_
import workbook.plan.report_unmet as unmet_
import workbook.plan.report_words as rw_
import workbook.plan.tables as tables_
from workbook.core.i18n import fmt_fixed, fmt_int, fmt_number, fmt_percent, fmt_rupiah, t
from workbook.core.suppression import k_for
from workbook.plan import words
from workbook.plan.report_reasons import (
    components,
    explanations_table,
    line_table,
    plan_rows,
    wajib_first,
)
from workbook.plan.stage import PlanResult, shown_coverage
from workbook.present import plots
from workbook.present.document import Chapter, ChapterKit
from workbook.present.format import criterion_label, format_table

__all__ = ["summary_markdown", "ranking_figure", "frontier_figure", "coverage_figure", "ranking_table",
           "plan_table_view", "budget_table", "explanations_table", "coverage_table", "funded_selection",
           "plan_unit_sentences", "plan_rows_for_unit", "plan_table_unit", "budget_table_view", "chapter",
           "mandatory_sentences", "mandatory_table_view", "infeasible_sentences", "assumption_sentences",
           "budget_lines_view", "plan_rows", "unit_mandatory_sentences"]


def charges(res: PlanResult, unit: str | None = None) -> pd.DataFrame:
    """:func:`tables.line_charges` of the plan's seats (of ``unit``'s staff): one row per seat ×
    line that pays a part of it."""
    return tables_.line_charges(plan_rows(res, unit), components(res))


def line_money(res: PlanResult, unit: str | None = None, by: tuple[str, ...] = ("line_id",)) -> pd.Series:
    """:func:`tables.line_money` of the plan's seats (of ``unit``'s staff)."""
    return tables_.line_money(plan_rows(res, unit), components(res), by)


def unit_lines_view(res: PlanResult, unit: str) -> pd.DataFrame:
    """The lines that pay for the unit's staff: sub-kegiatan, pagu, what the whole plan uses and
    leaves on each line, and the unit's own part of it."""
    lang = res.ctx.lang
    mine = line_money(res, unit)
    d = line_table(res)
    d = d[d["line_id"].isin(mine.index)].copy()
    d["unit"] = d["line_id"].map(mine).astype(float)
    d["sub_kegiatan"] = d["sub_kegiatan"].where(d["sub_kegiatan"].astype(str).str.strip() != "",
                                                t("plan.words.not_given", lang))
    cols = {"line_id": "text", "sub_kegiatan": "text", "pagu": "rp", "terpakai": "rp", "sisa": "rp", "unit": "rp"}
    out = format_table(d, cols, lang=lang)
    out.columns = [t(f"plan.pos.col.{c}", lang) for c in ("line_id", "sub_kegiatan", "pagu")] + [
        t("plan.words.col.used_all", lang), t("plan.pos.col.sisa", lang), t("plan.words.col.used_unit", lang)]
    return out


def split_programmes(res: PlanResult, unit: str | None = None) -> list[str]:
    """The programmes whose places for the staff of one unit are paid from more than one line (a
    programme taken by staff of two units, each paid by their own unit's line, is not split)."""
    a = plan_rows(res, unit)
    n = a.groupby(["program_id", "kode_unit"])["line_id"].nunique()
    return sorted(set(n[n > 1].index.get_level_values(0).astype(str)))


def line_sub_kegiatan(res: PlanResult) -> str | None:
    """The sub-kegiatan of each budget line in one sentence (None when anggaran names none)."""
    d = line_table(res)
    d = d[(d["line_id"] != "JUMLAH") & (d["sub_kegiatan"].astype(str).str.strip() != "")]
    if not len(d):
        return None
    lang = res.ctx.lang
    return t("plan.words.sub_kegiatan", lang, items="; ".join(
        t("plan.words.sub_kegiatan_item", lang, line=r.line_id, sub=r.sub_kegiatan) for r in d.itertuples()))


def split_rule(res: PlanResult, unit: str | None = None) -> str | None:
    """The rule by which one programme's places are paid from two lines, with the programmes it
    concerns (None when every programme is paid from one line)."""
    progs = split_programmes(res, unit)
    if not progs:
        return None
    return t("plan.words.split_rule", res.ctx.lang, programmes=", ".join(progs))


def _line_sentences(res: PlanResult) -> list[str]:
    """One sentence per budget line: pagu, used and left by the whole per-person plan."""
    lang = res.ctx.lang
    b = line_table(res)
    b = b[b["line_id"] != "JUMLAH"]
    return [t("plan.oneplan.line", lang, line=r.line_id, pagu=fmt_rupiah(r.pagu, lang),
              used=fmt_rupiah(r.terpakai, lang), share=fmt_percent(r.terpakai / r.pagu if r.pagu else np.nan, lang),
              sisa=fmt_rupiah(r.sisa, lang)) for r in b.itertuples(index=False)]


def summary_markdown(res: PlanResult, unit: str | None = None) -> str:
    """The plan in words: its steps, then the agency's figures (a unit report: the unit's staff
    only, and the agency's total in one sentence labelled as such)."""
    lang, s = res.ctx.lang, res.ctx.settings
    gp = res.group_plan
    lines = [f"### {t('plan.summary.title', lang)}", "", rw_.steps_sentence(rw_.wajib_in_plan(plan_rows(res)), lang), ""]
    if unit:
        words_ = plan_unit_sentences(res, unit)
        return "\n".join(lines + ["- " + words_[0], "- " + words_[-1]])
    a = plan_rows(res)  # the per-person plan: the one figure every table shows
    f = tables_.plan_figures(a).iloc[0]
    lines.append("- " + t("plan.oneplan.total", lang, seats=fmt_int(f["seats"], lang), persons=fmt_int(f["persons"], lang),
                          prog=fmt_int(a["program_id"].nunique(), lang), jp=fmt_int(f["jp"], lang),
                          biaya=fmt_rupiah(f["biaya"], lang), wajib=fmt_int(f["seats_wajib"], lang),
                          rencana=fmt_int(f["seats_rencana"], lang), tambahan=fmt_int(f["seats_tambahan"], lang)))
    lines += ["- " + x for x in [mandatory_plan.persons_note(a, res.ctx.year, lang, len(res.tables["pegawai"])), *_line_sentences(res)] if x]
    gain = (gp.value - gp.greedy_value) / gp.greedy_value if gp.greedy_value else np.nan
    if gain == gain and gain < 0:  # the simple way scores higher on need value: it ignores the 20-JP right
        lines.append("- " + t("plan.summary.greedy_higher", lang, v1=fmt_number(gp.value, lang, 1),
                              v2=fmt_number(gp.greedy_value, lang, 1),
                              gain=fmt_percent((gp.greedy_value - gp.value) / gp.value if gp.value else np.nan, lang)))
    else:
        lines.append("- " + t("plan.summary.exact", lang, v1=fmt_number(gp.value, lang, 1),
                              v2=fmt_number(gp.greedy_value, lang, 1), gain=fmt_percent(gain, lang)))
    agency = res.coverage[res.coverage["tingkat"] == "instansi"].iloc[0]
    lines.append("- " + t("plan.summary.cov", lang, share=fmt_percent(agency["share_reaching"], lang), jp=s["jp.minimum_pns"],
                                        n=fmt_int(agency["pns_reaching"], lang), tot=fmt_int(agency["pns"], lang),
                                        cap=s["jp.pppk_maximum"]))
    lines += ["- " + x for x in below_sentences(res)]
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


#: who owed 20 JP stays below it and why (moved to :mod:`workbook.plan.report_words`; kept here by name)
below_sentences = rw_.below_sentences


def ranking_figure(res: PlanResult, top: int = 15) -> Figure:
    d = res.ranking.head(top).copy()
    d["label"] = [rw_.wrap_label(f"{p} {n}") for p, n in zip(rw_.code_cells(d["program_id"]), d["nama_program"].astype(str),
                                                                     strict=True)]
    title = t("plan.programme_priority_ranking", res.ctx.lang)
    fig = plots.barh(d, label="label", value="score", title=title, xlabel=t("plan.score", res.ctx.lang))
    fig.set_size_inches(9, max(3.0, 0.42 * len(d) + 1.3))  # two-line labels: room for each
    fig.axes[0].tick_params(axis="y", labelsize=8.5)
    return fig


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
    own = f[f["model"].astype(str) == "rencana"] if "model" in f else f.iloc[:0]
    if len(own):  # the plan itself, at the whole pagu (points are on the same basis: reserve included)
        ax.plot(own["budget"] / 1e9, own["value_exact"], marker="*", ms=14, ls="none", color=plots.PALETTE[4],
                label=t("plan.refill.frontier_plan_point", lang))
    reserve = float((f["budget"] - f["budget_optional"]).max()) if "budget_optional" in f else 0.0
    if reserve > 0:
        ax.axvline(reserve / 1e9, color=plots.PALETTE[2], lw=1, ls=":", label=t("plan.refill.frontier_reserve", lang))
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
    f = res.frontier
    gap = float(pd.to_numeric(f.get("gap", pd.Series([0.0]))).max())
    solved = f[f["model"].astype(str) != "rencana"] if "model" in f else f
    gp = res.group_plan  # how much lower the simple way is than the exact choice at the plan's budget
    simple = (gp.value - gp.greedy_value) / gp.value if gp.value else 0.0
    note = t("plan.frontier_selection_model", lang, n=fmt_int(len(solved), lang), gap=fmt_fixed(gap * 100, lang, 3))
    if simple > 0.0005:
        note += " " + t("plan.frontier_simple_lower", lang, simple=fmt_percent(simple, lang))
    above = (pd.to_numeric(f["value_greedy"]) > pd.to_numeric(f["value_exact"]) + 1e-9).any() if len(f) else False
    why = t("plan.refill.frontier_greedy_above", lang) if above else ""
    return " ".join(x for x in (note, _frontier_last_part(res), why) if x)


def _frontier_last_part(res: PlanResult) -> str:
    """One sentence on what the last part of the budget buys: the plan's value at the whole pagu
    against the largest solved point below 80 % of it (empty when there is no such point)."""
    f, lang = res.frontier, res.ctx.lang
    if "model" not in f or "budget_optional" not in f:
        return ""
    own = f[f["model"].astype(str) == "rencana"]
    low = f[(f["model"].astype(str) != "rencana") & (f["budget_share"] < 0.8)]
    if not len(own) or not len(low):
        return ""
    o, lo_ = own.iloc[0], low.sort_values("budget_share").iloc[-1]
    v_o, v_l = float(o["value_exact"]), float(lo_["value_exact"])
    if v_o <= 0:
        return ""
    wajib = float(o["budget"]) - float(o["budget_optional"])  # the mandatory block every point holds
    return t("plan.refill.frontier_last_part", lang, share=fmt_percent(float(lo_["budget_share"]), lang, 0),
             b_low=fmt_rupiah(float(lo_["budget"]), lang), v_low=fmt_number(v_l, lang, 1),
             b_wajib=fmt_rupiah(wajib, lang),
             b_full=fmt_rupiah(float(o["budget"]), lang), v_full=fmt_number(v_o, lang, 1),
             d_b=fmt_rupiah(float(o["budget"]) - float(lo_["budget"]), lang),
             d_v=fmt_percent((v_o - v_l) / v_o, lang, 1))


def coverage_figure(res: PlanResult) -> Figure:
    d = shown_coverage(res)
    d = d[d["tingkat"] == "unit"]
    lang = res.ctx.lang
    return plots.barh(d, label="kode_unit", value="share_reaching", percent=True, ref=1.0,
                      title=t("plan.pns_reaching_jp_plan", lang, minimum_pns=res.ctx.settings['jp.minimum_pns']),
                      xlabel="%")


def ranking_table(res: PlanResult, top: int = 20, unit: str | None = None) -> pd.DataFrame:
    """The highest-priority programmes with their places in the plan (a unit report: the places
    of the unit's staff)."""
    seats = tables_.plan_figures(plan_rows(res, unit), ["program_id"]).set_index("program_id")["seats"]
    d = res.ranking.head(top).copy()
    d["seats_in_plan"] = d["program_id"].map(seats).fillna(0).astype("int64")
    out = format_table(d, {"rank": "int", "program_id": "text", "nama_program": "text", "bentuk": "form",
                           "jumlah_pegawai": "int", "biaya_per_jp": "rp", "score": "num", "rank_topsis": "int",
                           "seats_in_plan": "int"}, lang=res.ctx.lang, decimals=3)
    out.iloc[:, 6] = report_jp.fixed_cells(out.iloc[:, 6], d["score"], res.ctx.lang, 3)
    out.columns = [t("plan.col.rank", res.ctx.lang),
                   t("plan.col.code", res.ctx.lang),
                   t("plan.col.programme", res.ctx.lang),
                   t("plan.col.form", res.ctx.lang),
                   t("plan.col.staff_need_agency" if unit else "plan.col.staff_need", res.ctx.lang),
                   t("plan.col.cost_jp", res.ctx.lang),
                   t("plan.col.score", res.ctx.lang),
                   t("plan.col.topsis_rank", res.ctx.lang),
                   t("plan.col.seats_in_plan_unit" if unit else "plan.col.seats_in_plan", res.ctx.lang)]
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
    "line_id": "text",
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


def coverage_table(res: PlanResult) -> pd.DataFrame:
    d = shown_coverage(res)
    out = format_table(d, {"kode_unit": "text", "pns": "int", "pns_reaching": "int", "share_reaching": "pct",
                           "jp_pns_mean": "num", "pppk": "int"}, lang=res.ctx.lang, settings=res.ctx.settings)
    out.iloc[:, 4] = report_jp.fixed_cells(out.iloc[:, 4], d["jp_pns_mean"], res.ctx.lang)
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
            "budget": "anggaran", "employees_in_need": "kebutuhan_pns", "budget_line": "line_id",
            "mandatory": "wajib", "cost_components": "komponen", "counts_places": "utama"}


def _unit_row(df: pd.DataFrame, unit: str) -> pd.Series | None:
    r = df[df["kode_unit"] == unit]
    return r.iloc[0] if len(r) else None


def plan_rows_for_unit(res: PlanResult, unit: str | None) -> pd.DataFrame:
    """The Pasal 207 plan table (column names as in Indonesian): the agency's as written, or for
    ``unit`` the same table built from the per-person plan restricted to the unit's staff (only
    the unit's seats, persons, JP and money; each row with the line that pays)."""
    if not unit:
        return res.plan_table.rename(columns=_PLAN_EN)
    sched = res.schedule if "bulan" in res.schedule else res.assignment.assignments
    sched = tables_.planned_rows(sched)
    sched = sched[sched["kode_unit"].astype(str) == unit]
    tab = tables_.plan_table(res.group_plan, sched, res.tables["katalog_program"], res.groups, lang=res.ctx.lang,
                             settings=res.ctx.settings, kamus=res.tables.get("kamus_kompetensi"),
                             components=components(res))
    return tab.rename(columns=_PLAN_EN)


def plan_unit_sentences(res: PlanResult, unit: str) -> list[str]:
    """The unit's seats, persons, JP and money in the per-person plan (per paying line), its 20-JP
    coverage (suppressed when small) and one labelled sentence of agency context."""
    lang, s = res.ctx.lang, res.ctx.settings
    k = k_for("count", s)
    a = plan_rows(res, unit)
    f = tables_.plan_figures(a).iloc[0]
    out = [t("plan.oneplan.unit", lang, seats=fmt_int(f["seats"], lang), persons=fmt_int(f["persons"], lang),
             jp=fmt_int(f["jp"], lang), biaya=fmt_rupiah(f["biaya"], lang)) + mandatory_plan.persons_note(a, res.ctx.year, lang, unit=True, lead=" ")]
    ch = charges(res, unit)  # components of split mandatory seats on their payers' lines
    for r in tables_.plan_figures(ch, ["line_id"]).itertuples(index=False):
        p_ = ch[(ch["line_id"] == r.line_id) & ~ch["utama"]]
        out.append(t("plan.money.unit_line_part" if len(p_) else "plan.oneplan.unit_line", lang, line=r.line_id,
                     seats=fmt_int(r.seats, lang), biaya=fmt_rupiah(r.biaya, lang), part=fmt_rupiah(p_["biaya_kas"].sum(), lang),
                     komponen=money_.komponen_words(";".join(p_["komponen"]), lang), n=fmt_int(len(p_), lang)))
    cov = shown_coverage(res)
    c = _unit_row(cov[cov["tingkat"] == "unit"], unit)
    if c is not None:
        if bool(c["suppressed"]) or c["share_reaching"] != c["share_reaching"]:
            out.append(t("plan.unit_20_jp_coverage_suppressed", lang, k=k))
        else:
            out.append(t("plan.unit_s_pns_reach_at", lang, share_reaching=fmt_percent(c['share_reaching'], lang), minimum_pns=s['jp.minimum_pns'], pns_reaching=fmt_int(c['pns_reaching'], lang), pns=fmt_int(c['pns'], lang), jp_pns_mean=fmt_number(c['jp_pns_mean'], lang, 1)))
    g = tables_.plan_figures(plan_rows(res)).iloc[0]
    out.append(t("plan.oneplan.agency_context", lang, seats=fmt_int(g["seats"], lang), biaya=fmt_rupiah(g["biaya"], lang)))
    return out


def _with_total(d: pd.DataFrame, label_col: str, sums: list[str], lang: str) -> pd.DataFrame:
    tot = {c: (d[c].sum() if c in sums else np.nan if pd.api.types.is_numeric_dtype(d[c]) else "")
           for c in d.columns}
    tot[label_col] = t("plan.col.total", lang)
    return pd.concat([d, pd.DataFrame([tot])], ignore_index=True)


def jp_conversion_sentence(res: PlanResult, unit: str | None = None) -> str | None:
    """How the JP of the planned programmes that the catalogue gives in days (seminar, lokakarya)
    were counted: "PRG-025 (seminar nasional): 2 hari × 4 JP = 8 JP" (None when there is none)."""
    from workbook.plan.catalogue import programme_jp

    lang, s = res.ctx.lang, res.ctx.settings
    kat = res.tables["katalog_program"]
    if "hari" not in kat:
        return None
    jp = programme_jp(kat, settings=s).set_index("program_id")
    planned = set(plan_rows(res, unit)["program_id"].astype(str))
    hari = pd.to_numeric(kat.set_index(kat["program_id"].astype(str))["hari"], errors="coerce")
    conv = s["jp.conversion"]
    names = dict(zip(kat["program_id"].astype(str), kat["nama_program"].astype(str), strict=False))
    items = []
    for pid in sorted(planned & set(jp.index[jp["jp_basis"].isin(["konversi", "asumsi"])])):
        r, d = jp.loc[pid], hari.get(pid)
        if d is None or d != d:  # JP from the catalogue with the international extra: not per day
            continue
        b, scope = str(r["bentuk"]), str(r["cakupan"])
        per_day = conv[b][scope] if isinstance(conv.get(b), dict) and scope in conv[b] else None
        if per_day is None or float(d) * float(per_day) != float(r["jp"]):
            continue  # an assumed rate: said with the catalogue's assumptions, not here
        items.append(t("plan.words.jp_per_day_item", lang, program=pid, nama=names.get(pid, ""), bentuk=f"{b} {scope}",
                       hari=fmt_number(d, lang, 1), per_day=fmt_number(per_day, lang, 1),
                       jp=fmt_number(r["jp"], lang, 1)))
    return t("plan.words.jp_per_day", lang, items="; ".join(items)) if items else None


def plan_table_unit(res: PlanResult, unit: str | None) -> pd.DataFrame:
    """The Pasal 207 plan table with readable headers, the paying line per row, mandatory rows
    marked ("Wajib: Latsar") and a total row (``unit``: the unit's staff only)."""
    lang = res.ctx.lang
    d = plan_rows_for_unit(res, unit).copy()
    d["jadwal"] = d["jadwal"].fillna("").astype(str).str.replace(";", ", ")
    d["target_unit"] = d["target_unit"].fillna("").astype(str).str.replace(";", ", ")
    d["kode_kompetensi"] = [tables_.competency_text(c) for c in d["kode_kompetensi"]]
    wj = d["wajib"].fillna("").astype(str) if "wajib" in d else pd.Series("", index=d.index)
    d["nama_program"] = [rw_.wajib_name(w, n, lang) if w else n for w, n in zip(wj, d["nama_program"].astype(str),
                                                                                  strict=True)]
    d["program_id"] = rw_.code_cells(d["program_id"])
    if "line_id" not in d:
        d["line_id"] = "-"
    d["jp_total"] = pd.to_numeric(d["jp"]) * pd.to_numeric(d["target_pns"])
    d = money_.proposal_rows(d, res.ctx.settings, lang)  # PKN II: LAN sets the JP and the month
    d = money_.show_parts(d, "target_pns", ["target_pns", "jp", "jp_total"], lang)  # a line's part: money only
    d = _with_total(d, "program_id", ["target_pns", "jp_total", "anggaran"], lang)
    cols = {"program_id": "text", "nama_program": "text", "kode_kompetensi": "text", "jalur_pengembangan": "text",
            "penyelenggara": "text", "target_pns": "int", "jp": "int", "jp_total": "int", "jadwal": "text",
            "line_id": "text", "anggaran": "rp"}
    if not unit:
        cols = {**{k: v for k, v in cols.items() if k not in ("line_id", "anggaran")}, "target_unit": "text",
                "line_id": "text", "anggaran": "rp"}
    out = format_table(d, cols, lang=lang, settings=res.ctx.settings)
    heads = {"program_id": t("plan.col.code", lang),
             "nama_program": t("plan.col.programme", lang),
             "kode_kompetensi": t("plan.col.competency", lang),
             "jalur_pengembangan": t("plan.col.route", lang),
             "penyelenggara": t("plan.col.provider", lang),
             "target_pns": t("plan.col.seats", lang),
             "jp": t("plan.col.jp", lang),
             "jp_total": t("plan.col.jp_total", lang),
             "jadwal": t("plan.col.month", lang),
             "target_unit": t("plan.col.target_units", lang),
             "line_id": t("plan.col.line", lang),
             "anggaran": t("plan.col.budget", lang)}
    out.columns = [heads[c] for c in cols]
    return wajib_first(out, (wj != "").to_numpy(), lang, n_tail=1)


def budget_table_view(res: PlanResult, unit: str | None) -> pd.DataFrame:
    """Persons, seats, JP and money per unit and paying line from the per-person plan (a unit
    report: the unit's rows only), with a total row."""
    lang = res.ctx.lang
    d = tables_.plan_figures(charges(res, unit), ["kode_unit", "line_id"])  # components on their payers' lines
    tot = tables_.plan_figures(plan_rows(res, unit)).iloc[0]
    d = pd.concat([d, pd.DataFrame([{"kode_unit": t("plan.col.total", lang), "line_id": "", **tot.to_dict()}])],
                  ignore_index=True)
    out = format_table(d, {"kode_unit": "text", "line_id": "text", "persons": "int", "seats": "int", "jp": "int",
                           "biaya": "rp"}, lang=lang)
    out.columns = [t("plan.col.unit", lang), t("plan.col.line", lang), t("plan.col.persons", lang),
                   t("plan.col.seats", lang), t("plan.col.jp_total", lang), t("plan.col.cost", lang)]
    return out


def persons_counted_twice(res: PlanResult, unit: str | None = None) -> int:
    """How many persons of the plan (of ``unit``) appear in more than one row of the table by unit
    and line (their places are paid from two lines): the rows' persons then add up to more than
    the total, which counts each person once."""
    a = plan_rows(res, unit)
    n = a.groupby("pegawai_id")["line_id"].nunique()
    return int((n > 1).sum())


def budget_lines_view(res: PlanResult) -> pd.DataFrame:
    """The "Pos anggaran" table: per budget line the pagu and what the whole per-person plan
    spends on it (mandatory block, selected programmes, top-up for 20 JP), what is left and the
    shortfall proposed for APBD-P."""
    lang = res.ctx.lang
    d = line_table(res)
    d.loc[d["line_id"] == "JUMLAH", "line_id"] = t("plan.col.total", lang)
    # the line's name already says its source and DPA ("APBD · BKPSDM") and its sub-kegiatan is
    # said under the table (line_sub_kegiatan): fewer, wider columns
    cols = {"line_id": "text", "pagu": "rp",
            "wajib": "rp", "terpilih": "rp", "tambahan": "rp", "terpakai": "rp", "sisa": "rp", "usulan": "rp"}
    out = format_table(d, cols, lang=lang)
    out.columns = [t(f"plan.pos.col.{c}", lang) for c in cols]
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
    kat = res.tables["katalog_program"]  # an estimated row's name as the plan table gives it (the MOOC's too)
    named = dict(zip(kat["program_id"].astype(str), kat["nama_program"].astype(str), strict=True))
    d["program_id"] = [named.get(str(p)) or t("plan.wajib_kalimat.nama_perkiraan", lang,
                                              nama=t(f"plan.wajib.singkat.{c}", lang))
                       if rw_.is_estimate(p) else p for c, p in zip(d["wajib"], d["program_id"], strict=True)]
    d["wajib"] = [t(f"plan.wajib.singkat.{c}", lang) for c in d["wajib"]]
    d = money_.show_parts(d, "n_persons", ["n_persons", "n_intake", "n_unfunded"], lang)  # a line's part: money only
    cols = {"wajib": "text", "program_id": "text", "kode_unit": "text", "line_id": "text", "n_persons": "int",
            "n_intake": "int", "n_unfunded": "int", "biaya": "rp", "shortfall": "rp"}
    out = format_table(d, cols, lang=lang)
    names = {"wajib": "wajib", "program_id": "program", "kode_unit": "unit", "line_id": "line"}
    out.columns = [t(f"plan.wajib_blok.col.{names.get(c, c)}", lang) for c in cols]
    return out


def unit_mandatory_sentences(res: PlanResult, unit: str) -> list[str]:
    """The mandatory block for the unit's staff from the per-person plan: places, persons and money
    per mandatory code and paying line (or that the unit has none)."""
    lang = res.ctx.lang
    a = charges(res, unit)
    a = a[a["tahap"] == "wajib"]
    out = [t("plan.wajib_blok.intro", lang)]
    if not len(a):
        return out + [t("plan.oneplan.unit_wajib_none", lang)]
    for (code, part, line), sub in a.groupby([a["wajib"].astype(str), ~a["utama"], "line_id"], sort=True):
        out.append(t("plan.money.unit_wajib_part" if part else "plan.oneplan.unit_wajib", lang,
                     wajib=t(f"plan.wajib.singkat.{code}", lang), n=fmt_int(sub["pegawai_id"].nunique(), lang),
                     line=line, biaya=fmt_rupiah(sub["biaya_kas"].sum(), lang),
                     komponen=money_.komponen_words(";".join(dict.fromkeys(sub["komponen"])), lang)))
    return out + money_.unit_late_sentences(res.mandatory_table, unit, res.ctx.settings, lang)


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
        away = rw_.away_sentence(res) if r.kode == "pegawai_tidak_tersedia" and r.kode_unit == "INSTANSI" else None
        out.append(away or t(f"plan.kendala.{r.kode}", lang, n=n, unit=unit, program=r.program_id, biaya=biaya))
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
    tab, ids = mandatory_table_view(res), res.mandatory_table["program_id"]
    if unit:
        tab = tab[res.mandatory_table["kode_unit"].to_numpy() == unit].reset_index(drop=True)
        ids = ids[res.mandatory_table["kode_unit"].to_numpy() == unit]
    blocks = [kit.bullets(unit_mandatory_sentences(res, unit) if unit else mandatory_sentences(res)),
              kit.table(ch, t("plan.wajib_blok.tabel", lang), tab, "mandatory", wide=True)]
    mine = res.mandatory_table if not unit else res.mandatory_table[res.mandatory_table["kode_unit"] == unit]
    blocks += [kit.para(x) for x in [money_.parts_note(mine, lang), rw_.estimate_note(ids, lang)] if x]
    if not unit:
        blocks += [kit.para(t("plan.wajib_blok.kendala_judul", lang)), kit.bullets(infeasible_sentences(res))]
        asm = assumption_sentences(res)
        if asm:
            blocks += [kit.para(t("plan.wajib_blok.asumsi_judul", lang)), kit.bullets(asm)]
    kit.section(ch, t("plan.wajib_blok.judul", lang), blocks)


def _unfilled_note(res: PlanResult) -> str:
    """How many of the optimisation's places the per-person step filled, and what became of the rest."""
    lang = res.ctx.lang
    summ = res.assignment.summary.set_index("metric")["value"]
    planned, filled = int(summ.get("seats_planned", 0)), int(summ.get("seats_filled", 0))
    note = t("plan.oneplan.unfilled", lang, planned=fmt_int(planned, lang), filled=fmt_int(filled, lang),
             unfilled=fmt_int(planned - filled, lang))
    n2 = int(summ.get("refill_seats_filled", 0))
    if n2 > 0:  # the released money went back to the needs (refill rounds)
        note += " " + t("plan.refill.unfilled_refill", lang, n=fmt_int(n2, lang), total=fmt_int(filled + n2, lang),
                        cost=fmt_rupiah(float(summ.get("refill_cost", 0.0)), lang))
    return note


def _programmes_chapter(res: PlanResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter III: the mandatory trainings (funded first), programme priorities, the budget
    frontier and (agency) why each programme is in or out."""
    lang = res.ctx.lang
    ch = kit.chapter("programmes")
    _mandatory_section(res, unit, kit, ch)
    kit.section(ch, t("plan.programme_priorities", lang), [
        kit.markdown(summary_markdown(res, unit)),
        *[kit.para(x) for x in [unmet_.unmet_cost_sentence(res, unit)] if x],
        kit.figure(ch, t("plan.programme_priority_ranking", lang),
                   kit.png(lambda: ranking_figure(res), "prog_rank")),
        kit.table(ch, t("plan.fifteen_highest_priority_programmes", lang),
                  ranking_table(res, top=15, unit=unit), "programme_ranking", wide=True),
        kit.para(t("plan.oneplan.no_probability", lang,
                   col=t("plan.col.seats_in_plan_unit" if unit else "plan.col.seats_in_plan", lang))),
        kit.para(t("plan.words3.cost_jp_note", lang, per_jp=fmt_rupiah(res.ctx.settings.get("plan.biaya_waktu_per_jp"), lang)))])
    kit.section(ch, t("plan.budget_ceiling_programme_choice", lang), [
        kit.para(t("plan.programmes_chosen_exactly_integer_programming", lang)),
        kit.para(_frontier_note(res)),
        kit.figure(ch, t("plan.funded_need_value_budget_level", lang),
                   kit.png(lambda: frontier_figure(res), "frontier"))])
    if not unit:
        kit.section(ch, t("plan.why_each_programme_or_out", lang), [
            kit.para(t("plan.oneplan.explain_note", lang)),
            kit.para(_unfilled_note(res)),
            kit.table(ch, t("plan.why_each_programme_or_out_2", lang), explanations_table(res),
                      "explanations", wide=True),
            *[kit.para(x) for x in [rw_.estimate_note(plan_rows(res)["program_id"], lang)] if x]])
    elif (why := reasons_.unit_reasons_table(res, unit)) is not None:  # the unit's rows of the reasons
        kit.section(ch, t("plan.unit_reasons.title", lang), [kit.para(t("plan.unit_reasons.intro", lang)), kit.table(
            ch, t("plan.unit_reasons.caption", lang), why, "unit_reasons", wide=True)])
    return ch


def _implementation_chapter(res: PlanResult, unit: str | None, kit: ChapterKit) -> Chapter:
    """Chapter IV: the Pasal 207 plan table, coverage of the 20-JP right, seats and cost by unit."""
    lang, s = res.ctx.lang, res.ctx.settings
    ch = kit.chapter("implementation")
    plan_s = kit.section(ch, t("plan.competency_development_plan_pp_11", lang))
    if unit:
        plan_s.blocks.append(kit.bullets(plan_unit_sentences(res, unit)))
    plan_s.blocks.append(kit.para(t("plan.table_holds_plan_elements_pp", lang)))
    plan_s.blocks.append(kit.para(t("plan.oneplan.table_note_unit" if unit else "plan.oneplan.table_note", lang)))
    conv = jp_conversion_sentence(res, unit)
    if conv:
        plan_s.blocks.append(kit.para(conv))
    plan_s.blocks.append(kit.table(ch, t("plan.competency_development_plan", lang),
                                   plan_table_unit(res, unit), "plan_table", wide=True))
    plan_s.blocks += [kit.para(x) for x in [money_.parts_note(plan_rows_for_unit(res, unit), lang),
                                            money_.proposal_note(plan_rows_for_unit(res, unit), res.ctx.settings, lang),
                                            rw_.estimate_note(plan_rows(res, unit)["program_id"], lang)] if x]
    cov = kit.section(ch, t("plan.coverage_20_jp_right", lang))
    cov_tab = coverage_table(res)
    if unit:
        cov_tab = cov_tab[cov_tab.iloc[:, 0].isin([unit, "INSTANSI"])]
    else:
        cov.blocks.append(kit.figure(ch, t("plan.pns_reaching_jp_plan_unit", lang, minimum_pns=s['jp.minimum_pns']),
                                     kit.png(lambda: coverage_figure(res), "coverage")))
    cov.blocks.append(kit.table(ch, t("plan.jp_coverage_plan", lang),
                                cov_tab.reset_index(drop=True), "coverage"))
    if unit and below_sentences(res, unit):  # why the unit's PNS stay below 20 JP (the agency's: chapter III)
        cov.blocks.append(kit.bullets(below_sentences(res, unit)))
    cov.blocks.extend(report_jp.blocks(res, unit, kit, ch))  # the 20-JP right (issue #17 item 4)
    blocks = [kit.table(ch, t("plan.participant_seats_cost_work_unit", lang),
                        budget_table_view(res, unit), "budget_units")]
    if persons_counted_twice(res, unit):
        blocks.append(kit.para(t("plan.words.persons_two_lines", lang,
                                 n=fmt_int(persons_counted_twice(res, unit), lang))))
    if not unit:  # the agency's lines: what each may spend and what the whole plan spends on it
        blocks += [kit.para(t("plan.pos.intro", lang)),
                   kit.table(ch, t("plan.pos.tabel", lang), budget_lines_view(res), "budget_lines", wide=True)]
        sub = line_sub_kegiatan(res)
        if sub:
            blocks.append(kit.para(sub))
    else:  # the lines that pay for the unit's staff, with what the whole plan leaves on them
        blocks += [kit.para(t("plan.words.unit_lines_intro", lang)),
                   kit.table(ch, t("plan.words.unit_lines_caption", lang), unit_lines_view(res, unit),
                             "unit_budget_lines", wide=True)]
    rule = split_rule(res, unit)
    if rule:
        blocks.append(kit.para(rule))
    sisa = line_table(res).set_index("line_id")["sisa"]  # the catalogue's own source first (e.g. BLUD)
    blocks += [kit.para(x) for x in money_.own_source_sentences(plan_rows(res, unit), res.tables["katalog_program"],
                                                                res.budget_lines, sisa, lang)]
    kit.section(ch, t("plan.budget_work_unit", lang), blocks)
    return ch


def chapter(res: PlanResult, unit: str | None, kit: ChapterKit) -> list[Chapter]:
    """Chapters III (programmes and priorities) and IV (implementation plan) of the yearly report;
    a unit report shows the unit's share of the agency plan."""
    return [_programmes_chapter(res, unit, kit), _implementation_chapter(res, unit, kit)]
