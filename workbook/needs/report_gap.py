"""The needs chapter's gap, baseline and data-quality parts of the yearly report (needs-gap):
the performance gap under PermenPANRB 6/2022, the gaps against the position to be held
(Pasal 206), the need-index formula, last year's 20-JP baseline by status, the JPM recap with
assessment coverage and the data-quality section. Sentences come from
``workbook/needs/messages.yaml`` (``needs.gap.*``); the numbers from the stage's suppressed
tables (:mod:`workbook.needs.stage`). Agency figures that count every employee are a census and
carry no confidence interval."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.core.i18n import catalogue, fmt_date, fmt_int, fmt_number, fmt_percent, t
from workbook.core.suppression import k_for
from workbook.needs.performance import skp_period
from workbook.needs.stage import NeedsResult, shown_performance_units, shown_recaps
from workbook.present.document import Chapter, ChapterKit, Section
from workbook.present.format import format_table

__all__ = ["performance_sentences", "performance_unit_table", "target_block", "index_formula",
           "baseline_table", "jpm_recap_table", "jpm_explanation", "response_table", "quality_sentences",
           "performance_section", "extra_sections", "quality_section"]


def _pct(v, lang: str) -> str:
    return fmt_percent(v, lang)


def _periods(res: NeedsResult) -> str:
    per = skp_period(res.tables["pegawai"], int(res.ctx.year), settings=res.ctx.settings)
    return ", ".join(str(p) for p in per)


def _predikat_counts(res: NeedsResult) -> str:
    pred = res.performance["predikat_kinerja"].dropna()
    order = [p for cls in ("sesuai", "kesenjangan_hasil_kerja", "perilaku")
             for p in res.ctx.settings["skp.predikat_classes"][cls]]
    vc = pred.value_counts()
    return "; ".join(f"{p} {fmt_int(int(vc[p]), res.ctx.lang)}" for p in order if p in vc)


def performance_sentences(res: NeedsResult, unit: str | None = None) -> list[str]:
    """What the chapter says of the performance gap: the rule and period, the counts (agency:
    census; unit: from the suppressed table), the behaviour matters apart, the missing predikat
    and where to get it, and the old ratio as a labelled supplement."""
    lang, perf = res.ctx.lang, res.performance
    out = [t("needs.gap.perf_rule", lang, period=_periods(res))]
    if unit:
        perf = perf[perf["kode_unit"] == unit]
    n_all = len(perf)
    known = perf["performance_class"].notna()
    n = int(known.sum())
    if n == 0:
        out.append(t("needs.gap.perf_none", lang))
        return out
    if unit:
        row = shown_performance_units(res)
        row = row[row["kode_unit"] == unit]
        if not len(row) or bool(row["suppressed"].iloc[0]):
            out.append(t("needs.unit_performance_gap_suppressed_n", lang, k=k_for("count", res.ctx.settings)))
            return out
    n_gap = int((perf["performance_class"] == "kesenjangan_hasil_kerja").sum())
    n_beh = int((perf["performance_class"] == "perilaku").sum())
    out.append(t("needs.gap.perf_counts", lang, n_gap=fmt_int(n_gap, lang), n=fmt_int(n, lang),
                 share=_pct(n_gap / n, lang), n_beh=fmt_int(n_beh, lang), share_beh=_pct(n_beh / n, lang)))
    if not unit:
        out.append(t("needs.gap.perf_distribution", lang, items=_predikat_counts(res)))
    if n < n_all:
        out.append(t("needs.gap.perf_missing", lang, n=fmt_int(n_all - n, lang), total=fmt_int(n_all, lang)))
    ratio = perf["below_target_ratio"].dropna()
    if len(ratio) and not unit:
        out.append(t("needs.gap.perf_ratio", lang, n=fmt_int(int(ratio.sum()), lang),
                     total=fmt_int(len(ratio), lang)))
    return out


def performance_unit_table(res: NeedsResult, unit: str | None = None) -> pd.DataFrame:
    """Per unit: staff, with predikat, without, performance gap (n, %), Kurang/Misconduct (n, %),
    and — when the data has SKP numbers — the old ratio as a labelled supplementary column."""
    p = shown_performance_units(res)
    if unit:
        p = p[p["kode_unit"] == unit]
    cols = {"kode_unit": "text", "headcount": "int", "n": "int", "n_missing": "int", "n_below": "int",
            "share_below": "pct", "n_behaviour": "int", "share_behaviour": "pct"}
    labels = ["needs.col.unit", "needs.col.staff", "needs.gap.col.with_predikat", "needs.gap.col.no_predikat",
              "needs.gap.col.perf_gap", "needs.gap.col.perf_gap_pct", "needs.gap.col.behaviour",
              "needs.gap.col.behaviour_pct"]
    if int(res.performance_units["n_ratio"].sum()) > 0:
        cols["n_below_ratio"] = "int"
        labels.append("needs.gap.col.ratio_supplement")
    out = format_table(p, cols, lang=res.ctx.lang, settings=res.ctx.settings)
    out.columns = [t(k, res.ctx.lang) for k in labels]
    return out


def performance_section(res: NeedsResult, unit: str | None, kit: ChapterKit, ch: Chapter) -> Section:
    """Section "Kesenjangan Kinerja": the sentences and, when any predikat is known, the unit table."""
    lang = res.ctx.lang
    sec = kit.section(ch, t("needs.performance_gaps", lang), [kit.bullets(performance_sentences(res, unit))])
    if res.performance["performance_class"].notna().any():
        sec.blocks.append(kit.table(ch, t("needs.gap.perf_table", lang, period=_periods(res)),
                                    performance_unit_table(res, unit), "performance_units", wide=True))
        if int(res.performance_units["n_ratio"].sum()) > 0:
            sec.blocks.append(kit.para(t("needs.gap.ratio_note", lang)))
    return sec


# --------------------------------------------------------------------------------------------
# competency gaps: the position to be held, the census note, the need-index formula
# --------------------------------------------------------------------------------------------

def target_block(res: NeedsResult, kit: ChapterKit, ch: Chapter, sec: Section) -> None:
    """Pasal 206's gaps against the position to be held: a sentence with counts and, when any,
    the table by competency (agency report)."""
    lang = res.ctx.lang
    g = res.gaps
    if "level_standar_target" not in g or not g["level_standar_target"].notna().any():
        sec.blocks.append(kit.para(t("needs.gap.target_none", lang)))
        return
    with_t = g.loc[g["level_standar_target"].notna()]
    below = with_t.loc[(with_t["gap_target"] < 0).fillna(False)]
    a = {"n_persons_below": int(below["pegawai_id"].nunique()), "n_rows_below": int(len(below))}
    n_persons = int(with_t["pegawai_id"].nunique())
    sec.blocks.append(kit.para(t("needs.gap.target_counts", lang, n=fmt_int(n_persons, lang),
                                 n_below=fmt_int(a["n_persons_below"], lang),
                                 rows=fmt_int(a["n_rows_below"], lang))))
    shown = shown_recaps(res)["target_gaps"].copy()
    names = res.competency_names()
    shown.insert(1, "nama", shown["kode_kompetensi"].map(names))
    out = format_table(shown, {"kode_kompetensi": "text", "nama": "text", "n_target": "int",
                               "n_assessed": "int", "n_below": "int", "share_below": "pct",
                               "mean_gap_target": "num"}, lang=lang, settings=res.ctx.settings, decimals=2)
    out.columns = [t(k, lang) for k in ("needs.col.code", "needs.col.competency", "needs.gap.col.with_target",
                                         "needs.col.assessed", "needs.gap.col.below_target_std",
                                         "needs.gap.col.below_target_std_pct", "needs.gap.col.mean_gap_target")]
    sec.blocks.append(kit.table(ch, t("needs.gap.target_table", lang), out, "target_gaps"))


def index_formula(res: NeedsResult) -> str:
    """The need index in words, once, where the ranking is first shown."""
    lo, hi = res.ctx.settings["levels.importance_scale"]
    return t("needs.gap.index_formula", res.ctx.lang, lmin=res.ctx.settings["levels.proficiency_min"],
             lmax=res.ctx.settings["levels.proficiency_max"], imin=lo, imax=hi)


# --------------------------------------------------------------------------------------------
# 20-JP baseline, JPM recap
# --------------------------------------------------------------------------------------------

_STATUS_KEYS = {"PNS": "needs.gap.status.PNS", "CPNS": "needs.gap.status.CPNS", "PPPK": "needs.gap.status.PPPK",
                "PNS+CPNS": "needs.gap.status.PNS_CPNS"}


def baseline_table(res: NeedsResult, unit: str | None = None) -> pd.DataFrame:
    """Last year's JP against 20 JP, PNS, CPNS and PPPK apart (agency or the unit's rows)."""
    lang = res.ctx.lang
    r = shown_recaps(res)
    b = r["jp_baseline_units"] if unit else r["jp_baseline"]
    if unit:
        b = b[b["kode_unit"] == unit]
    b = b.assign(status=[t(_STATUS_KEYS.get(s, s), lang) if s in _STATUS_KEYS else s for s in b["status"]])
    out = format_table(b, {"status": "text", "n": "int", "n_reached": "int", "share_reached": "pct",
                           "n_zero": "int", "mean_jp": "num"}, lang=lang, settings=res.ctx.settings)
    out.columns = [t(k, lang) for k in ("needs.gap.col.status", "needs.gap.col.denominator",
                                         "needs.gap.col.reached", "needs.gap.col.reached_pct",
                                         "needs.gap.col.zero_jp", "needs.gap.col.mean_jp")]
    return out


def jpm_recap_table(res: NeedsResult, dimension: str, unit: str | None = None) -> pd.DataFrame:
    """The JPM recap of one dimension (``kode_unit`` or ``jenis_jabatan``) with coverage."""
    lang = res.ctx.lang
    j = shown_recaps(res)["jpm_recap"]
    j = j[j["dimension"] == dimension]
    if unit and dimension == "kode_unit":
        j = j[j["group"] == unit]
    capped = "mean_jpm_capped_pct" in j
    cols = {"group": "text", "n_staff": "int", "n_assessed": "int", "assessment_coverage": "pct",
            "n_jpm": "int", "n_official": "int", "mean_jpm_pct": "num", "median_jpm_pct": "num",
            **({"mean_jpm_capped_pct": "num"} if capped else {}), "share_jpm_low": "pct"}
    out = format_table(j, cols, lang=lang, settings=res.ctx.settings)
    cut = fmt_number(float(res.recaps["jpm_recap"]["low_cut"].iloc[0]), lang, 0) if len(j) else ""
    first = "needs.col.unit" if dimension == "kode_unit" else "needs.gap.col.jenis_jabatan"
    # no official category anywhere: the cut is borrowed from the regulation's bands, the share is indicative
    low = "needs.gap.col.jpm_low_indicative" if _all_indicative(res) else "needs.gap.col.jpm_low"
    out.columns = [t(first, lang)] + [t(k, lang, cut=cut) for k in (
        "needs.col.staff", "needs.gap.col.assessed_people", "needs.gap.col.coverage", "needs.gap.col.with_jpm",
        "needs.gap.col.jpm_official", "needs.gap.col.jpm_mean", "needs.gap.col.jpm_median",
        *(["needs.gap.col.jpm_mean_capped"] if capped else []), low)]
    return out


def _all_indicative(res: NeedsResult) -> bool:
    """Whether no JPM of the agency carries an official category (every one is indicative)."""
    j = res.recaps["jpm_recap"]
    j = j[j["dimension"] == "kode_unit"]
    return bool(len(j)) and int(j["n_jpm"].sum()) > 0 and int(j["n_official"].sum()) == 0


def _jpm_sentences(res: NeedsResult, unit: str | None = None) -> list[str]:
    lang = res.ctx.lang
    j = res.recaps["jpm_recap"]
    j = j[j["dimension"] == "kode_unit"]
    if unit:
        j = j[j["group"] == unit]
        shown = shown_recaps(res)["jpm_recap"]
        row = shown[(shown["dimension"] == "kode_unit") & (shown["group"] == unit)]
        if not len(row) or bool(row["suppressed"].iloc[0]):
            return [t("needs.gap.jpm_unit_hidden", lang, k=k_for("count", res.ctx.settings))]
    if not len(j):
        return []
    n_staff, n_ass = int(j["n_staff"].sum()), int(j["n_assessed"].sum())
    n_jpm, n_off = int(j["n_jpm"].sum()), int(j["n_official"].sum())
    out = [t("needs.gap.jpm_coverage", lang, n_ass=fmt_int(n_ass, lang), n=fmt_int(n_staff, lang),
             share=_pct(n_ass / n_staff if n_staff else np.nan, lang), n_jpm=fmt_int(n_jpm, lang),
             n_off=fmt_int(n_off, lang))]
    if n_jpm and n_off == 0:
        out.append(t("needs.gap.jpm_all_indicative", lang))
    return out


def jpm_explanation(res: NeedsResult) -> str:
    """What JPM is and where the cut of the "% JPM < cut" column comes from (the convention's
    categories, from the settings)."""
    lang, s = res.ctx.lang, res.ctx.settings
    conv = str(s["jpm.convention"])
    cats = {k: float(v) for k, v in s[f"jpm.categories_{conv}"].items()}
    labels = dict(s.entry(f"jpm.categories_{conv}").get("labels") or {})
    order = sorted(cats, key=cats.get, reverse=True)
    low = next((v for k, v in labels.items() if k not in cats), "")
    bands = "; ".join([f"{labels.get(order[0], order[0])} ≥ {fmt_number(cats[order[0]], lang, 0)}"]
                      + [f"{labels.get(b, b)} {fmt_number(cats[b], lang, 0)}–<{fmt_number(cats[a], lang, 0)}"
                         for a, b in zip(order, order[1:], strict=False)]
                      + ([f"{low} < {fmt_number(cats[order[-1]], lang, 0)}"] if low else []))
    cut = fmt_number(min(cats.values()), lang, 0)
    out = t("needs.gap.jpm_explain", lang, cut=cut, low=low, rule=t(f"needs.gap.jpm_rule.{conv}", lang, bands=bands))
    out += " " + t("needs.gap.jpm_raw_capped", lang,
                   basis=t("needs.gap.jpm_basis." + ("capped" if bool(s["jpm.cap_at_100"]) else "raw"), lang))
    if _all_indicative(res):
        out += " " + t("needs.gap.jpm_low_indicative_note", lang, cut=cut, low=low)
    return out


def _last_record(res: NeedsResult, year: int):
    """The latest start date of the year's development records (None without dates)."""
    real = res.tables.get("realisasi_pengembangan")
    if real is None or "tanggal_mulai" not in real or not len(real):
        return None
    d = pd.to_datetime(real["tanggal_mulai"], errors="coerce")
    d = d[d.dt.year == year]
    return d.max() if len(d) else None


def extra_sections(res: NeedsResult, unit: str | None, kit: ChapterKit, ch: Chapter) -> None:
    """The JPM recap and the 20-JP baseline sections (after the performance gaps)."""
    lang = res.ctx.lang
    if "jpm_recap" in res.recaps and len(res.recaps["jpm_recap"]):
        sec = kit.section(ch, t("needs.gap.jpm_title", lang), [kit.bullets(_jpm_sentences(res, unit)),
                                                              kit.para(jpm_explanation(res))])
        sec.blocks.append(kit.table(ch, t("needs.gap.jpm_table_unit", lang),
                                    jpm_recap_table(res, "kode_unit", unit), "jpm_recap_unit"))
        if not unit and (res.recaps["jpm_recap"]["dimension"] == "jenis_jabatan").any():
            sec.blocks.append(kit.table(ch, t("needs.gap.jpm_table_jabatan", lang),
                                        jpm_recap_table(res, "jenis_jabatan"), "jpm_recap_jabatan"))
    if "jp_baseline" in res.recaps and len(res.recaps["jp_baseline"]):
        year = int(res.ctx.year) - 1
        cap = fmt_number(float(res.ctx.settings["jp.pppk_maximum"]), lang, 0)
        sec = kit.section(ch, t("needs.gap.baseline_title", lang, year=year), [
            kit.para(t("needs.gap.baseline_rule", lang, year=year, cap=cap))])
        last = _last_record(res, year)
        if last is not None:
            sec.blocks.append(kit.para(t("needs.gap.baseline_until", lang, date=fmt_date(last, lang))))
        # a unit's rows are its own counts, not rows of the agency table: their own key
        sec.blocks.append(kit.table(ch, t("needs.gap.baseline_table", lang, year=year),
                                    baseline_table(res, unit), "jp_baseline_unit" if unit else "jp_baseline"))


# --------------------------------------------------------------------------------------------
# data quality
# --------------------------------------------------------------------------------------------

def response_table(res: NeedsResult, unit: str | None = None) -> pd.DataFrame:
    lang = res.ctx.lang
    r = shown_recaps(res)["response_units"]
    if unit:
        r = r[r["kode_unit"] == unit]
    r = r.assign(risk=[t("needs.gap.nonresponse_risk", lang) if (bool(lo) and not bool(sup)) else ""
                       for lo, sup in zip(r["low_response"], r["suppressed"], strict=True)])
    out = format_table(r, {"kode_unit": "text", "headcount": "int", "n_respondents": "int",
                           "response_rate": "pct", "risk": "text"}, lang=lang, settings=res.ctx.settings)
    out.columns = [t(k, lang) for k in ("needs.col.unit", "needs.col.staff", "needs.col.respondents",
                                         "needs.col.response_rate", "needs.gap.col.note")]
    return out


def _table_words(file: str, lang: str) -> str:
    """A data file as a reader names it (``survei_pegawai.csv`` → "survei AKPK pegawai")."""
    stem = str(file).rsplit("/", 1)[-1].split(".", 1)[0]
    key = f"needs.gap.table.{stem}"
    return t(key, lang) if key in catalogue() else stem.replace("_", " ")


def quality_sentences(res: NeedsResult, unit: str | None = None) -> list[str]:
    """Duplicates resolved, the response rate, the units at risk of non-response bias, and the
    respondents against the non-respondents on what the staff file knows of everyone."""
    lang, s = res.ctx.lang, res.ctx.settings
    out = []
    dq = res.recaps.get("data_quality")
    if dq is not None and len(dq):
        items = "; ".join(t("needs.gap.duplicates_item", lang, n=fmt_int(int(n), lang), table=_table_words(f, lang))
                          for f, n in zip(dq["file"], dq["n"], strict=True))
        out.append(t("needs.gap.duplicates", lang, items=items[:1].upper() + items[1:]))
    else:
        out.append(t("needs.gap.no_duplicates", lang))
    ru = res.recaps.get("response_units")
    if ru is not None and len(ru):
        thr = _pct(float(s["survey.response_rate_low"]), lang)
        shown = shown_recaps(res)["response_units"]
        if unit:
            out += _unit_response(res, shown[shown["kode_unit"] == unit], thr)
        else:
            head, resp = int(ru["headcount"].sum()), int(ru["n_respondents"].sum())
            out.append(t("needs.gap.response", lang, n=fmt_int(resp, lang), total=fmt_int(head, lang),
                         rate=_pct(resp / head if head else np.nan, lang)))
            low = shown[shown["low_response"] & ~shown["suppressed"]]
            if len(low):
                units = ", ".join(f"{u} ({_pct(v, lang)})" for u, v in zip(low["kode_unit"], low["response_rate"],
                                                                            strict=True))
                out.append(t("needs.gap.low_response", lang, units=units, thr=thr))
            else:
                out.append(t("needs.gap.no_low_response", lang, thr=thr))
            n_hidden = int((shown["low_response"] & shown["suppressed"]).sum())
            if n_hidden:
                out.append(t("needs.gap.low_response_hidden", lang, n=fmt_int(n_hidden, lang),
                             k=k_for("count", s)))
    nr = res.recaps.get("nonresponse")
    if nr is not None and len(nr) == 2 and not unit and int(nr["n"].min()) >= k_for("count", s):
        a, b = nr.iloc[0], nr.iloc[1]
        out.append(t("needs.gap.nonresponse_compare", lang,
                     gap_r=_pct(a["share_performance_gap"], lang), gap_n=_pct(b["share_performance_gap"], lang),
                     jp_r=fmt_number(a["mean_jp_last_year"], lang, 1), jp_n=fmt_number(b["mean_jp_last_year"], lang, 1)))
    return out


def _unit_response(res: NeedsResult, row: pd.DataFrame, thr: str) -> list[str]:
    """The unit's own response sentence (hidden when its respondents are too few)."""
    lang = res.ctx.lang
    if not len(row):
        return []
    r = row.iloc[0]
    if bool(r["suppressed"]):
        return [t("needs.gap.unit_response_hidden", lang, k=k_for("count", res.ctx.settings))]
    key = "needs.gap.unit_response_low" if bool(r["low_response"]) else "needs.gap.unit_response_ok"
    return [t(key, lang, n=fmt_int(int(r["n_respondents"]), lang), total=fmt_int(int(r["headcount"]), lang),
              rate=_pct(r["response_rate"], lang), thr=thr)]


def quality_section(res: NeedsResult, unit: str | None, kit: ChapterKit, ch: Chapter) -> None:
    lang = res.ctx.lang
    sec = kit.section(ch, t("needs.gap.quality_title", lang), [kit.bullets(quality_sentences(res, unit))])
    if "response_units" in res.recaps and len(res.recaps["response_units"]):
        sec.blocks.append(kit.table(ch, t("needs.gap.response_table", lang), response_table(res, unit),
                                    "response_units"))
