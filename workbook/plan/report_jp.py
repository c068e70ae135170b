"""The report blocks of the 20-JP right (issue #17 item 4), for the section "Cakupan hak 20 JP"
of chapter IV (:func:`workbook.plan.report._implementation_chapter` calls :func:`blocks`): the
owed coverage (PNS and CPNS becoming PNS, with the setting used), the PPPK coverage under the cap
(with the cap period), and the planned JP by form with the 10:20:70 shares as information."""

from __future__ import annotations

import pandas as pd

import workbook.plan.stage as stage_
from workbook.core.i18n import fmt_fixed, fmt_int, fmt_percent, t
from workbook.core.suppression import k_for
from workbook.present.document import Chapter, ChapterKit
from workbook.present.format import format_table

__all__ = ["blocks", "owed_table", "pppk_table", "form_table", "fixed_cells"]


def _rows(df: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    """A unit report shows its unit's row and the INSTANSI row."""
    if unit:
        df = df[df["kode_unit"].astype(str).isin([unit, "INSTANSI"])]
    return df.reset_index(drop=True)


def _formatted(res, df: pd.DataFrame, spec: dict[str, str], keys: list[str]) -> pd.DataFrame:
    """Formatted with the ``plan.jp20.col.*`` headers; a ``num`` column with one decimal in every
    cell ("59,0" next to "42,6"), never "-0,0"."""
    out = format_table(df, spec, lang=res.ctx.lang, settings=res.ctx.settings)
    for j, (c, kind) in enumerate(spec.items()):
        if kind == "num":
            out.iloc[:, j] = fixed_cells(out.iloc[:, j], df[c], res.ctx.lang)
    out.columns = [t(f"plan.jp20.col.{k}", res.ctx.lang) for k in keys]
    return out


def fixed_cells(cells: pd.Series, values: pd.Series, lang: str, decimals: int = 1) -> list[str]:
    """The formatted ``cells`` of a number column re-written with exactly ``decimals`` decimals in
    every cell, or none when every value is whole (a hidden or missing cell kept as it is; -0
    printed as 0)."""
    nums = pd.to_numeric(values, errors="coerce")
    if decimals and nums.dropna().eq(nums.dropna().round()).all():  # whole numbers (JP totals): no decimals
        decimals = 0
    out = []
    for cell, v in zip(cells.tolist(), nums.tolist(), strict=True):
        out.append(cell if v != v else fmt_fixed(round(float(v), decimals) + 0.0, lang, decimals))
    return out


def owed_table(res, unit: str | None = None) -> pd.DataFrame:
    """The owed coverage, formatted (unit + INSTANSI rows in a unit report)."""
    d = _rows(stage_.shown_jp_tables(res)["jp_owed_coverage"], unit)
    spec = {"kode_unit": "text", "pns": "int", "pns_reaching": "int", "cpns_jadi_pns": "int",
            "cpns_jadi_pns_owed": "int", "cpns_jadi_pns_reaching": "int", "cpns_jadi_pns_zero": "int",
            "owed": "int", "owed_reaching": "int", "share_reaching": "pct", "jp_owed_mean": "num"}
    return _formatted(res, d, spec, list(spec))


def pppk_table(res, unit: str | None = None) -> pd.DataFrame:
    """The PPPK coverage under the cap, formatted."""
    d = _rows(stage_.shown_jp_tables(res)["jp_pppk_coverage"], unit)
    spec = {"kode_unit": "text", "pppk": "int", "pppk_with_jp": "int", "pppk_zero": "int", "jp_total": "num",
            "jp_mean": "num", "jp_orientasi": "num", "pppk_at_cap": "int", "pppk_over_cap": "int"}
    return _formatted(res, d, spec, [f"pppk_{k}" if k in ("jp_total", "jp_mean") else k for k in spec])


def form_table(res, unit: str | None = None) -> pd.DataFrame:
    """Planned JP by form (klasikal, nonklasikal, e-learning) and the 10:20:70 categories, formatted."""
    d = _rows(stage_.shown_jp_tables(res)["jp_by_form"], unit)
    # the shares only (JP per form = share × total): eight columns stay wide enough in the PDF
    spec = {"kode_unit": "text", "jp_total": "num", "share_klasikal": "pct", "share_nonklasikal": "pct",
            "share_e_learning": "pct", "share_terstruktur": "pct", "share_sosial": "pct", "share_pengalaman": "pct"}
    return _formatted(res, d, spec, list(spec))


def _row(df: pd.DataFrame, unit: str | None, need: list[str]) -> tuple[pd.Series, str]:
    """The figures a sentence prints and whose they are: the unit's own row in a unit report
    (``"unit"``), or the INSTANSI row (``"agency"``) for the agency report and when the unit's
    row is suppressed (then the sentence is labelled "seluruh instansi", never passed off as the
    unit's)."""
    if unit:
        r = df[df["kode_unit"].astype(str) == unit]
        if len(r) and not bool(r.iloc[0].get("suppressed", False)) and r.iloc[0][need].notna().all():
            return r.iloc[0], "unit"
    return df[df["kode_unit"].astype(str) == "INSTANSI"].iloc[0], "agency"


def _texts(res, unit: str | None = None) -> dict[str, str]:
    """The sentences that state the rules used (in plain words; the settings keys are in Appendix
    A) and the figures of the unit (unit report) or of the agency."""
    lang, s = res.ctx.lang, res.ctx.settings
    shown = stage_.shown_jp_tables(res)
    o, o_scope = _row(shown["jp_owed_coverage"], unit, ["owed", "owed_reaching", "share_reaching",
                                                          "cpns_jadi_pns", "cpns_jadi_pns_zero"])
    p, p_scope = _row(shown["jp_pppk_coverage"], unit, ["pppk", "pppk_with_jp", "pppk_zero", "jp_mean",
                                                          "pppk_over_cap"])
    f, f_scope = _row(shown["jp_by_form"], unit, ["share_klasikal", "share_nonklasikal", "share_e_learning"])
    rule = str(s["jp.cpns_to_pns"])
    latsar = "yes" if bool(s["jp.latsar_counts_for_new_pns"]) else "no"
    period = str(s["jp.pppk_cap_period"])
    orient = "yes" if bool(s["eligibility.orientasi_outside_pppk_cap"]) else "no"
    jp = fmt_int(s["jp.minimum_pns"], lang)
    return {
        "owed": t("plan.jp20.owed_text", lang, year=res.ctx.year, jp=jp, scope=t(f"plan.words.scope.{o_scope}", lang),
                  n=fmt_int(o["cpns_jadi_pns"], lang), rule_words=t(f"plan.jp20.rule.{rule}", lang, jp=jp),
                  latsar=t(f"plan.jp20.latsar.{latsar}", lang), reach=fmt_int(o["owed_reaching"], lang),
                  owed=fmt_int(o["owed"], lang), share=fmt_percent(o["share_reaching"], lang),
                  zero=fmt_int(o["cpns_jadi_pns_zero"], lang)),
        "pppk": t("plan.jp20.pppk_text", lang, cap=fmt_int(s["jp.pppk_maximum"], lang),
                  scope=t(f"plan.words.scope.{p_scope}", lang),
                  period_words=t(f"plan.jp20.period.{period}", lang), orient=t(f"plan.jp20.orient.{orient}", lang),
                  top=t(f"plan.jp20.top_up_pppk.{s['plan.top_up_pppk']}", lang), n=fmt_int(p["pppk"], lang),
                  with_jp=fmt_int(p["pppk_with_jp"], lang), zero=fmt_int(p["pppk_zero"], lang),
                  mean=fmt_fixed(p["jp_mean"], lang, 1), over=fmt_int(p["pppk_over_cap"], lang)),
        "forms": t("plan.jp20.forms_text", lang, scope=t(f"plan.words.scope.{f_scope}", lang),
                   kl=fmt_percent(f["share_klasikal"], lang),
                   nk=fmt_percent(f["share_nonklasikal"], lang), el=fmt_percent(f["share_e_learning"], lang),
                   st=fmt_percent(f["share_terstruktur"], lang), so=fmt_percent(f["share_sosial"], lang),
                   pe=fmt_percent(f["share_pengalaman"], lang)),
    }


def blocks(res, unit: str | None, kit: ChapterKit, ch: Chapter) -> list:
    """The blocks appended to the section "Cakupan hak 20 JP" (none when the run has no 20-JP tables)."""
    shown = stage_.shown_jp_tables(res)
    if set(shown) != {"jp_owed_coverage", "jp_pppk_coverage", "jp_by_form"}:
        return []
    lang = res.ctx.lang
    txt = _texts(res, unit)
    return [kit.para(txt["owed"] + _zero_new_pns(res, unit)), kit.para(t("plan.words.two_coverages", lang)),
            kit.table(ch, t("plan.jp20.owed_caption", lang), owed_table(res, unit), "jp_owed_coverage", wide=True),
            kit.para(txt["pppk"] + _pppk_zero_reasons(res, unit)),
            kit.table(ch, t("plan.jp20.pppk_caption", lang), pppk_table(res, unit), "jp_pppk_coverage", wide=True),
            kit.para(txt["forms"]),
            kit.table(ch, t("plan.jp20.forms_caption", lang), form_table(res, unit), "jp_by_form", wide=True)]


def _zero_new_pns(res, unit: str | None) -> str:
    """" Dari n CPNS yang menjadi PNS, z belum mendapat JP yang dihitung." — only when z > 0 (a
    zero clause is not printed; a suppressed count is not printed either)."""
    shown = stage_.shown_jp_tables(res)["jp_owed_coverage"]
    row = shown[shown["kode_unit"].astype(str) == (unit or "INSTANSI")]
    if not len(row) or bool(row.iloc[0].get("suppressed", False)):
        return ""
    r = row.iloc[0]
    zero = pd.to_numeric(pd.Series([r.get("cpns_jadi_pns_zero")]), errors="coerce").iloc[0]
    if not zero == zero or zero <= 0:
        return ""
    lang = res.ctx.lang
    return " " + t("plan.jp20.zero_new_pns", lang, n=fmt_int(r["cpns_jadi_pns"], lang), zero=fmt_int(zero, lang))



def _pppk_zero_reasons(res, unit: str | None) -> str:
    """" Yang mendapat 0 JP: sedang tugas belajar (3), cuti di luar tanggungan negara (kurang
    dari 5)." — why the PPPK of the PPPK sentence got 0 JP, from the plan's own codes (the
    ``unavailable_reason`` of the JP targets; otherwise no eligible place). A count under k reads
    "kurang dari k"; when all are unavailable the sentence says so and, under k in all, lists the
    reasons without counts. "" when none has 0 JP, the row is suppressed or the counts disagree."""
    shown = stage_.shown_jp_tables(res)["jp_pppk_coverage"]
    row = shown[shown["kode_unit"].astype(str) == (unit or "INSTANSI")]
    tg = res.jp_targets
    if not len(row) or bool(row.iloc[0].get("suppressed", False)) or tg is None or "unavailable_reason" not in tg:
        return ""
    import workbook.plan.tables as tables_

    lang, k = res.ctx.lang, k_for("count", res.ctx.settings)
    a = tables_.planned_rows(res.assignment.assignments)
    jp = a.groupby(a["pegawai_id"].astype(str))["jp"].sum()
    p = tg[(tg["status"].astype(str) == "PPPK") & ((tg["kode_unit"].astype(str) == unit) if unit else True)]
    zero = p[p["pegawai_id"].astype(str).map(jp).fillna(0.0) <= 0]
    if not len(zero) or len(zero) != int(pd.to_numeric(row.iloc[0].get("pppk_zero"), errors="coerce") or 0):
        return ""
    why = zero["unavailable_reason"].astype("string").fillna("").astype(str)
    counts = why.value_counts()
    small = len(zero) < k

    def item(code: str, n: int) -> str:
        what = t(f"plan.alasan.{code}", lang) if code else t("plan.words3.pppk_zero_other", lang)
        if small:
            return what
        return t("plan.words3.pppk_zero_item", lang, what=what,
                 n=fmt_int(n, lang) if n >= k else t("plan.words.fewer_than", lang, k=k))
    items = ", ".join(item(c, int(n)) for c, n in counts.items())
    key = "plan.words3.pppk_zero_all_away" if (why != "").all() else "plan.words3.pppk_zero"
    return " " + t(key, lang, items=items)
