"""What the manager dashboards show: :class:`DashboardState` and pure content functions.

:class:`DashboardState` (kind, year, unit, language) is what the viewer chose; the functions
``needs_content … followup_content`` turn :class:`~workbook.ui.dashboard_data.DashboardData` and a
state into :class:`~workbook.present.html.Content`: headline figures, chart data and one small
table (formatted, hidden cells written "disembunyikan (n < 5)"). No widgets here; the widgets are
in :mod:`workbook.ui.dashboards`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

import workbook.plan.report_money as report_money_
from workbook.core.i18n import catalogue, fmt_int, fmt_percent, fmt_rupiah, t
from workbook.evaluation.words import text
from workbook.present.format import format_table
from workbook.present.html import AMBER, GREEN, GREY, ChartData, Content, Headline, shorten
from workbook.ui.dashboard_data import REASON_CODES, DashboardData

__all__ = ["DashboardState", "content_for", "needs_content", "plan_content", "evaluation_content",
           "followup_content", "months_text"]


@dataclass
class DashboardState:
    """What the viewer chose: dashboard, plan year, unit (None = whole agency), language."""

    kind: str
    year: int
    unit: str | None = None
    lang: str = "id"


def _row(df: pd.DataFrame, unit: str | None) -> pd.Series | None:
    if not len(df):
        return None
    m = df[df["kode_unit"] == (unit or "INSTANSI")]
    return m.iloc[0] if len(m) else None


def _hidden(b: DashboardData, lang: str) -> str:
    return t("ui.hidden_n", lang, k=b.k)


def _missing_msg(b: DashboardData, stage: str, lang: str) -> str:
    return t("ui.missing_stage", lang, stage=stage, year=b.year, path=b.output_dir)


def _unit_bars(b: DashboardData, values: pd.DataFrame, value: str, lang: str, hidden_col: str | None = None) -> pd.DataFrame:
    """One bar per unit (code as label); suppressed units keep their row with a "hidden" tag."""
    v = values[values["kode_unit"] != "INSTANSI"]
    df = pd.DataFrame({"label": v["kode_unit"].astype(str), "value": pd.to_numeric(v[value], errors="coerce")})
    if hidden_col and hidden_col in v:
        df["hidden"] = v[hidden_col].astype(bool).to_numpy()
    else:
        df["hidden"] = df["value"].isna()
    return df.sort_values("value", ascending=False, na_position="last").reset_index(drop=True)


def needs_content(b: DashboardData, unit: str | None, lang: str) -> Content:
    """Headlines, charts and table of the needs dashboard."""
    if "01_needs" in b.missing:
        return Content([], [], "", pd.DataFrame(), [_missing_msg(b, "01_needs", lang)])
    hid = _hidden(b, lang)
    r = _row(b.unit_stats, unit)
    heads = []
    if r is not None:
        heads.append(Headline(t("ui.h.staff_below", lang), hid if r["suppressed_below"] else fmt_percent(r["share_below"], lang, 0),
                              "" if r["suppressed_below"] else t("ui.h.staff_below.note", lang, n_below=fmt_int(r["n_below"], lang),
                                                                  n=fmt_int(r["n_assessed"], lang))))
        heads.append(Headline(t("ui.h.perf_below", lang), hid if r["suppressed_perf"] else fmt_percent(r["share_below_perf"], lang, 0),
                              "" if r["suppressed_perf"] else t("ui.h.perf_below.note", lang, n_below=fmt_int(r["n_below_perf"], lang),
                                                                 n=fmt_int(r["n_perf"], lang))))
        heads.append(Headline(t("ui.h.response", lang), hid if r["suppressed_resp"] else fmt_percent(r["response_rate"], lang, 0),
                              "" if r["suppressed_resp"] else t("ui.h.response.note", lang, n=fmt_int(r["n_respondents"], lang),
                                                                 total=fmt_int(r["headcount"], lang))))
    names = b.competency_names.get(lang, {})
    if unit:
        uc = b.tables["unit_competency"]
        comp = uc[uc["kode_unit"] == unit][["kode_kompetensi", "n_assessed", "n_below", "share_below", "mean_gap", "suppressed"]]
    else:
        comp = b.competency_agency[["kode_kompetensi", "n_assessed", "n_below", "share_below", "mean_gap", "suppressed"]]
    comp = comp.sort_values("share_below", ascending=False, na_position="last").reset_index(drop=True)
    comp["label"] = comp["kode_kompetensi"].map(lambda c: f"{c} {names.get(c, '')}".strip())
    top = comp.dropna(subset=["share_below"])
    if len(top):
        heads.append(Headline(t("ui.h.top_need", lang), str(top["label"].iloc[0]),
                              t("ui.h.top_need.note", lang, share=fmt_percent(top["share_below"].iloc[0], lang, 0))))
    else:
        heads.append(Headline(t("ui.h.top_need", lang), hid))
    bars = top.head(10)
    charts = [
        ChartData(t("ui.c.comp", lang), pd.DataFrame({"label": bars["label"], "value": bars["share_below"]}),
                  t("ui.x.share_staff", lang), percent=True),
        ChartData(t("ui.c.units_below", lang), _unit_bars(b, b.unit_stats, "share_below", lang, "suppressed_below"),
                  t("ui.x.share_staff", lang), percent=True, highlight=unit),
    ]
    table = comp.head(12).copy()
    table["competency"] = table["label"]
    shown = format_table(table, {"competency": "text", "n_assessed": "int", "n_below": "int", "share_below": "pct",
                                 "mean_gap": "num"}, lang=lang)
    shown.columns = [t(f"ui.col.{c}", lang) for c in ("competency", "assessed", "below", "share_below", "mean_gap")]
    return Content(heads, charts, t("ui.t.needs", lang), shown)


def _unit_programmes(b: DashboardData, unit: str) -> pd.DataFrame:
    pt = b.tables["plan_table"]
    if not len(pt):
        return pt
    return pt[pt["target_unit"].fillna("").str.split(";").map(lambda xs: unit in xs)]


def plan_content(b: DashboardData, unit: str | None, lang: str) -> Content:
    """Headlines, charts and table of the plan-and-budget dashboard."""
    if "02_plan" in b.missing:
        return Content([], [], "", pd.DataFrame(), [_missing_msg(b, "02_plan", lang)])
    hid = _hidden(b, lang)
    cov, bu, bl, ex = (b.tables[n] for n in ("coverage", "budget_units", "budget_lines", "explanations"))
    heads = []
    row = cov[cov["kode_unit"] == (unit or "INSTANSI")]
    if len(row):
        r = row.iloc[0]
        heads.append(Headline(t("ui.h.jp", lang), hid if r["suppressed"] else fmt_percent(r["share_reaching"], lang, 0),
                              "" if r["suppressed"] else t("ui.h.jp.note", lang, n_reach=fmt_int(r["pns_reaching"], lang),
                                                            n=fmt_int(r["pns"], lang))))
    bu = bu[bu["kode_unit"].astype(str).str.len() > 0] if len(bu) else bu
    ag = bu[bu["kode_unit"] == "INSTANSI"] if len(bu) else bu
    bu = bu[bu["kode_unit"] != "INSTANSI"] if len(bu) else bu
    used = float(pd.to_numeric(bl["used"], errors="coerce").sum()) if len(bl) else float("nan")
    pagu = float(pd.to_numeric(bl["pagu"], errors="coerce").sum()) if len(bl) else float("nan")
    used_units = float(ag["cost_assigned"].iloc[0]) if len(ag) else float(bu["cost_assigned"].sum()) if len(bu) else 0.0
    if unit:
        ru = bu[bu["kode_unit"] == unit]
        cost = float(ru["cost_assigned"].iloc[0]) if len(ru) else 0.0
        heads.append(Headline(t("ui.h.budget", lang), fmt_rupiah(cost, lang),
                              t("ui.h.budget_unit.note", lang, share=fmt_percent(cost / used_units if used_units else float("nan"), lang, 1))))
        progs = _unit_programmes(b, unit)
        heads.append(Headline(t("ui.h.funded", lang), fmt_int(progs["program_id"].nunique() if len(progs) else 0, lang),
                              t("ui.h.funded_unit.note", lang)))
        part = float(ru["participants_assigned"].iloc[0]) if len(ru) else 0.0
    else:
        heads.append(Headline(t("ui.h.budget", lang), fmt_rupiah(used, lang),
                              t("ui.h.budget.note", lang, share=fmt_percent(used / pagu if pagu else float("nan"), lang, 1),
                                 pagu=fmt_rupiah(pagu, lang))))
        progs = b.tables["plan_table"]
        # the programmes that have seats in the plan (mandatory and top-up ones included), not only
        # those the selection model chose: the same count as the plan table and the unit filter
        planned = set(progs["program_id"]) if len(progs) else set()
        candidates = planned | (set(ex["program_id"]) if len(ex) else set())
        heads.append(Headline(t("ui.h.funded", lang), fmt_int(len(planned), lang),
                              t("ui.h.funded.note", lang, n=fmt_int(len(candidates), lang))))
        part = (float(ag["participants_assigned"].iloc[0]) if len(ag) else
                float(pd.to_numeric(bu["participants_assigned"], errors="coerce").sum()) if len(bu) else 0.0)
    heads.append(Headline(t("ui.h.participants", lang), fmt_int(part, lang), t("ui.h.participants.note", lang)))
    cov_u = cov[cov["tingkat"] == "unit"] if "tingkat" in cov else cov
    budget = bu.copy()
    budget = budget.assign(value=pd.to_numeric(budget["cost_assigned"], errors="coerce") / 1e6) if len(budget) else budget
    charts = [
        ChartData(t("ui.c.jp_units", lang), _unit_bars(b, cov_u, "share_reaching", lang, "suppressed"),
                  t("ui.x.share_pns", lang), percent=True, highlight=unit),
        ChartData(t("ui.c.budget_units", lang), _unit_bars(b, budget, "value", lang), t("ui.x.million", lang), highlight=unit),
    ]
    if len(progs):
        # a row paying only a part (komponen) of seats counted on their main row adds money, not places
        progs = progs.assign(_places=pd.to_numeric(progs["target_pns"], errors="coerce").where(
            ~report_money_.part_mask(progs), 0))
        tab = progs.groupby(["program_id", "nama_program"], sort=False).agg(
            jalur=("jalur_pengembangan", "first"), jp=("jp", "first"), target=("_places", "sum"),
            anggaran=("anggaran", "sum"), jadwal=("jadwal", "first")).reset_index()
        tab = tab.sort_values("anggaran", ascending=False).head(12)
        tab["jalur"] = tab["jalur"].map(lambda x: t(f"ui.route.{x}", lang) if f"ui.route.{x}" in catalogue()
                                        else str(x))
        tab["jadwal"] = tab["jadwal"].map(lambda x: months_text(x, lang))
        shown = format_table(tab, {"nama_program": "text", "jalur": "text", "jp": "int", "target": "int",
                                   "anggaran": "rp", "jadwal": "text"}, lang=lang)
        shown.columns = [t(f"ui.col.{c}", lang) for c in ("programme", "route", "jp", "seats", "budget", "schedule")]
    else:
        shown = pd.DataFrame()
    return Content(heads, charts, t("ui.t.plan", lang), shown)


def months_text(value: object, lang: str = "id") -> str:
    """``"2;6;10"`` → ``"Feb, Jun, Okt"``; more than four months → ``"Jan–Des (11 bulan)"``."""
    try:
        ms = sorted({int(float(x)) for x in str(value).replace(",", ";").split(";") if x.strip()})
    except ValueError:
        return str(value)
    ms = [m for m in ms if 1 <= m <= 12]
    if not ms:
        return ""
    names = t("ui.months.names", lang).split()
    if len(ms) > 4:
        return t("ui.months.range", lang, first=names[ms[0] - 1], last=names[ms[-1] - 1], n=len(ms))
    return ", ".join(names[m - 1] for m in ms)


def _verdict(sig: float, meaningful: float, lang: str) -> str:
    if sig == 1 and meaningful == 1:
        return t("ui.legend.both", lang)
    if meaningful == 1:
        return t("ui.legend.meaningful", lang)
    return t("ui.legend.none", lang)


def evaluation_content(b: DashboardData, unit: str | None, lang: str) -> Content:
    """Headlines, charts and table of the evaluation dashboard (programme level; L4 per unit)."""
    if "03_evaluation" in b.missing:
        return Content([], [], "", pd.DataFrame(), [_missing_msg(b, "03_evaluation", lang)])
    l1, l2, l4 = b.tables["level1"], b.tables["level2"], b.tables["level4"]
    if unit:
        progs = set(b.programme_units.loc[b.programme_units["kode_unit"] == unit, "program_id"])
        l2 = l2[l2["program_id"].isin(progs)]
        l1 = l1[l1["program_id"].isin(progs)] if len(l1) else l1
        l4 = l4[l4["kode_unit"] == unit] if len(l4) else l4
    shown2 = l2[~l2["suppressed"].astype(bool)] if len(l2) else l2
    n_hidden = int(l2["suppressed"].astype(bool).sum()) if len(l2) else 0
    both = int(((shown2["significant"] == 1) & (shown2["meaningful"] == 1)).sum()) if len(shown2) else 0
    heads = [
        Headline(t("ui.h.evaluated", lang), fmt_int(len(shown2), lang),
                 t("ui.h.evaluated_unit.note", lang) if unit else t("ui.h.evaluated.note", lang, hidden=n_hidden, k=b.k)),
        Headline(t("ui.h.gain", lang), fmt_int(both, lang),
                 t("ui.h.gain.note", lang, of=t("ui.of", lang), n=fmt_int(len(shown2), lang))),
    ]
    l1s = l1[~l1["suppressed"].astype(bool)] if len(l1) else l1
    sat = float(pd.to_numeric(l1s["pct_of_max"], errors="coerce").mean()) / 100 if len(l1s) else float("nan")
    heads.append(Headline(t("ui.h.l1", lang), fmt_percent(sat, lang, 0), t("ui.h.l1.note", lang)))
    if len(l4):
        heads.append(Headline(t("ui.h.l4", lang), fmt_int(int(l4["improved"].fillna(False).astype(bool).sum()), lang),
                              t("ui.h.l4.note", lang, n=fmt_int(int(l4["improved"].fillna(False).astype(bool).sum()), lang),
                                 total=fmt_int(len(l4), lang))))
    g = shown2.sort_values("ngain_pct", ascending=False).head(15) if len(shown2) else shown2
    colors = [(GREEN if (s == 1 and m == 1) else AMBER if m == 1 else GREY)
              for s, m in zip(g.get("significant", []), g.get("meaningful", []), strict=False)]
    gain = pd.DataFrame({"label": (g["program_id"] + " " + g["nama_program"].astype(str)).map(lambda x: shorten(x, 34))
                         if len(g) else [], "value": g["ngain_pct"] if len(g) else [],
                         "color": colors})
    sat_p = (l1s.groupby(["program_id", "nama_program"])["pct_of_max"].mean().sort_values(ascending=False).head(15)
             .reset_index() if len(l1s) else pd.DataFrame(columns=["program_id", "nama_program", "pct_of_max"]))
    charts = [
        ChartData(t("ui.c.gain", lang), gain, "N-Gain (%)",
                  legend=[(GREEN, t("ui.legend.both", lang)), (AMBER, t("ui.legend.meaningful", lang)),
                          (GREY, t("ui.legend.none", lang))]),
        ChartData(t("ui.c.l1", lang), pd.DataFrame({"label": (sat_p["program_id"] + " " + sat_p["nama_program"].astype(str))
                                                   .map(lambda x: shorten(x, 34)), "value": sat_p["pct_of_max"]}),
                  "%"),
    ]
    if len(l2):
        tab = l2.sort_values(["suppressed", "n"], ascending=[True, False]).head(15).copy()
        tab["programme"] = tab["program_id"] + " " + tab["nama_program"].astype(str)
        tab["verdict"] = [("" if h else _verdict(s, m, lang))
                          for h, s, m in zip(tab["suppressed"], tab["significant"], tab["meaningful"], strict=True)]
        shown = format_table(tab, {"programme": "text", "n": "int", "pre_mean_pct": "num", "post_mean_pct": "num",
                                   "ngain_pct": "num", "verdict": "text"}, lang=lang, settings=None)
        shown.columns = [t(f"ui.col.{c}", lang) for c in ("programme", "n", "pre", "post", "ngain", "verdict")]
    else:
        shown = pd.DataFrame()
    return Content(heads, charts, t("ui.t.evaluation", lang), shown)


def followup_content(b: DashboardData, unit: str | None, lang: str) -> Content:
    """Headlines, charts and table of the follow-up dashboard: counts by unit, never people."""
    if "03_evaluation" in b.missing:
        return Content([], [], "", pd.DataFrame(), [_missing_msg(b, "03_evaluation", lang)])
    hid = _hidden(b, lang)
    fu = b.followup_units
    code = unit or "INSTANSI"
    heads = []
    tot = fu[(fu["kode_unit"] == code) & (fu["reason"] == "_total")]
    if len(tot):
        r = tot.iloc[0]
        heads.append(Headline(t("ui.h.fu", lang), hid if r["suppressed"] else fmt_int(r["n"], lang),
                              "" if r["suppressed"] else t("ui.h.fu.note", lang, share=fmt_percent(r["share"], lang, 0),
                                                            n=fmt_int(r["headcount"], lang))))
    reasons = fu[(fu["kode_unit"] == code) & (fu["reason"] != "_total")]
    top = reasons.sort_values("n", ascending=False).head(1)
    for _, r in top.iterrows():
        heads.append(Headline(text("evaluation.followup_reason", r["reason"], lang), hid if r["suppressed"] else fmt_int(r["n"], lang),
                              t("ui.h.reason.note", lang)))
    cu = _row(b.carry_units, unit)
    if cu is not None:
        heads.append(Headline(t("ui.h.carry", lang, year=b.year + 1), hid if cu["suppressed"] else fmt_int(cu["n_needs"], lang),
                              t("ui.h.carry.note", lang)))
    mat = b.tables["maturity"]
    if len(mat):
        m = mat.iloc[0]
        heads.append(Headline(t("ui.h.maturity", lang), f"{int(m['score'])}/4",
                              text("evaluation.maturity", int(m["score"]), lang)))
    totals = fu[fu["reason"] == "_total"]
    charts = [
        ChartData(t("ui.c.fu_units", lang), _unit_bars(b, totals, "n", lang, "suppressed"), t("ui.x.staff", lang), highlight=unit),
        ChartData(t("ui.c.fu_reasons", lang), pd.DataFrame({"label": [text("evaluation.followup_reason", x, lang) for x in reasons["reason"]],
                                                          "value": reasons["n"].to_numpy()}), t("ui.x.staff", lang)),
    ]
    units = fu[fu["kode_unit"] != "INSTANSI"]
    wide = units.pivot_table(index="kode_unit", columns="reason", values="n", aggfunc="first", dropna=False, sort=True)
    sup = units.groupby("kode_unit")["suppressed"].any()
    wide = wide.reindex(columns=["_total", *REASON_CODES]).reset_index()
    wide["suppressed"] = wide["kode_unit"].map(sup).fillna(False).astype(bool)
    if unit:
        wide = wide[wide["kode_unit"] == unit]
    shown = format_table(wide, {"kode_unit": "text", "_total": "int", **{r: "int" for r in REASON_CODES}}, lang=lang)
    shown.columns = [t("ui.col.unit", lang), t("ui.col.fu_total", lang), *[text("evaluation.followup_reason", r, lang) for r in REASON_CODES]]
    return Content(heads, charts, t("ui.t.followup", lang), shown)


_CONTENT: dict[str, Callable[[DashboardData, str | None, str], Content]] = {
    "kebutuhan": needs_content, "rencana": plan_content, "evaluasi": evaluation_content,
    "tindak_lanjut": followup_content,
}


def content_for(b: DashboardData, state: DashboardState) -> Content:
    """The content of dashboard ``state.kind`` for the state's unit and language."""
    return _CONTENT[state.kind](b, state.unit, state.lang)
