"""Presentation of Phillips' return on investment (stage 03): sentences and formatted tables.

The numbers come from :attr:`workbook.evaluation.stage.EvaluationResult.roi` (computed by
:func:`workbook.evaluation.impact.roi`); this module only formats them, Indonesian first, English with
``lang="en"``. The yearly report shows them as section 5.6 of the agency report, and says in one
line of section 1.4 why ROI was not computed when the optional ``roi_*`` inputs are absent or
invalid.

Reference: Phillips, P. P., Phillips, J. J. (2016). *Handbook of Training Evaluation and
Measurement Methods*, 4th ed. Routledge (guiding principles; ROI for 5–10 % of programmes).
"""

from __future__ import annotations

import pandas as pd

from workbook.core.i18n import codes, fmt_fixed, fmt_int, fmt_number, fmt_percent, fmt_rupiah, t
from workbook.present.safe import md_text

__all__ = ["roi_outcome", "roi_status_sentence", "roi_markdown", "roi_table", "roi_lines_table", "roi_section",
           "chain_support", "roi_supported", "roi_illustration_table", "roi_appendix_blocks"]


def _l4_codes(res) -> dict[str, str]:
    """Per programme: ``up`` when a difference in differences of an outcome indicator it trained
    for is favourable and significant after Holm, ``not_shown`` when one was computed but is not,
    and no entry when no comparison could be made (Tabel 5.4)."""
    did = getattr(res, "did", None)
    out: dict[str, str] = {}
    if did is None or not len(did) or "program_id" not in did:
        return out
    for r in did.to_dict("records"):
        if pd.isna(r.get("did")) or r.get("indicator_kind", "hasil") != "hasil":
            continue
        up = bool(r.get("significant")) and bool(r.get("favourable"))
        for p in str(r.get("program_id") or "").split(";"):
            p = p.strip()
            if p:
                out[p] = "up" if (up or out.get(p) == "up") else "not_shown"
    return out


def chain_support(res) -> dict[str, tuple[str, str, str]]:
    """Per programme: the Level 2, Level 3 and Level 4 evidence a ROI rests on, as codes
    (``up`` = a rise significant after Holm, ``not_shown``, ``pending`` (L3 not yet measured),
    ``none`` (not measured, hidden, or for L4 no comparison of trained and untrained units)),
    words ``evaluation.roi.chain.<code>``.

    Phillips computes ROI only after the chain of evidence is shown: learning (L2), application
    (L3), then the isolated Level 4 change (Phillips & Phillips 2016, the ROI Methodology's levels
    and guiding principles). :func:`roi_supported` says which programmes have the whole chain."""
    from workbook.evaluation.stage import shown_level3, verdicts_of

    out: dict[str, tuple[str, str, str]] = {}
    v = verdicts_of(res) if len(res.level2) else pd.DataFrame(columns=["program_id", "verdict", "suppressed"])
    l2 = {str(p): ("none" if (bool(h) or not isinstance(c, str)) else "up" if c.startswith("up_") else "not_shown")
          for p, c, h in zip(v["program_id"], v["verdict"], v["suppressed"].fillna(False), strict=True)}
    l3t = shown_level3(res) if len(res.level3) else pd.DataFrame(columns=["program_id"])
    l3: dict[str, str] = {}
    for r in l3t.to_dict("records"):
        if r.get("status") == "menunggu":
            l3[str(r["program_id"])] = "pending"
        elif bool(r.get("suppressed")) or pd.isna(r.get("p_adj")):
            l3[str(r["program_id"])] = "none"
        else:
            up = bool(r.get("significant")) and float(r.get("mean_diff", 0) or 0) > 0
            l3[str(r["program_id"])] = "up" if up else "not_shown"
    l4 = _l4_codes(res)
    roi = roi_outcome(res)
    extra = set(roi.result.summary["program_id"].astype(str)) if roi is not None and roi.computed else set()
    for p in set(l2) | set(l3) | extra:
        out[p] = (l2.get(p, "none"), l3.get(p, "none"), l4.get(p, "none"))
    return out


def roi_supported(res) -> list[str]:
    """The ROI programmes whose Level 2, 3 and 4 changes are all shown (``up``): the only ones
    whose ROI the chapter reports; the others get "ROI tidak dihitung" with the missing links."""
    out = roi_outcome(res)
    if out is None or not out.computed:
        return []
    chain = chain_support(res)
    return [str(p) for p in out.result.summary["program_id"]
            if chain.get(str(p), ("none",) * 3) == ("up", "up", "up")]


def _chain_words(codes_: tuple[str, ...], lang: str) -> str:
    c = tuple(codes_) + ("none",) * (3 - len(codes_))
    return t("evaluation.roi.chain_cell", lang, l2=t(f"evaluation.roi.chain.{c[0]}", lang),
             l3=t(f"evaluation.roi.chain.{c[1]}", lang),
             l4=t("evaluation.roi.chain.none_l4" if c[2] == "none" else f"evaluation.roi.chain.{c[2]}", lang))


def roi_outcome(res):
    """The ROI outcome of an evaluation result (None for results pickled before ROI existed)."""
    return getattr(res, "roi", None)


def roi_status_sentence(res) -> str | None:
    """Why ROI was not computed (one sentence in the report's language), or None when it was."""
    out = roi_outcome(res)
    if out is not None and out.computed:
        return None
    lang = res.ctx.lang
    if out is None or not (out.message_id or out.message_en):
        return (t("evaluation.roi_phillips_methodology_was_not", lang))
    return out.message(lang)


def _pct(x: float, lang: str) -> str:
    return fmt_percent(x / 100.0, lang, 1)


def _qty(x: float, lang: str) -> str:
    """A quantity: whole numbers without decimals, others with two."""
    return fmt_number(x, lang, 0 if x == x and float(x).is_integer() else 2)


def _bcr(x: float, lang: str) -> str:
    """A ratio with exactly two decimals (0,9975 shows as 1,00, never as 1)."""
    return fmt_fixed(x, lang, 2)


def _methods(lines: pd.DataFrame, lang: str) -> str:
    parts = []
    for m in codes("evaluation.isolation"):
        n = int((lines["isolation"] == m).sum())
        if n:
            count = t("evaluation.roi.measures" if n > 1 else "evaluation.roi.measure", lang, n=fmt_int(n, lang))
            parts.append(f"{t(f'evaluation.isolation.{m}', lang)} ({count})")
    return "; ".join(parts) if parts else "–"


def _compared(res) -> set[str]:
    """Programmes with at least one computed difference in differences (Tabel 5.4)."""
    did = getattr(res, "did", None)
    if did is None or not len(did) or "program_id" not in did:
        return set()
    d = did[did["did"].notna()]
    return {p.strip() for x in d["program_id"].dropna().astype(str) for p in x.split(";") if p.strip()}


def _isolation_lines(res, r, names: dict, lang: str) -> list[str]:
    """The isolation method of every monetised measure and how much rests on estimates (Phillips'
    principle 4; review M8: an estimate is not an isolation). A comparison group without a
    comparison in the data (no difference in differences for the programme) is said so."""
    lines, tot = r.lines, r.total
    compared = _compared(res)

    def method(x) -> str:
        if x.isolation not in codes("evaluation.isolation"):
            return "–"
        w = t(f"evaluation.isolation.{x.isolation}", lang)
        if x.isolation == "pembanding" and str(x.program_id) not in compared:
            w += " " + t("evaluation.roi.comparison_not_in_data", lang)
        return w
    iso = "; ".join(f"{md_text(x.ukuran)} ({md_text(names.get(x.program_id, x.program_id))}): " + method(x)
                    for x in lines.itertuples())
    out = ["- " + t("evaluation.roi.isolation_per_measure", lang) + (iso or "–") + "."]
    ben = float(tot.get("benefits", float("nan")))
    est = float(tot.get("benefits_estimated", float("nan")))
    if est == est and est > 0 and ben > 0:
        out.append("- " + t("evaluation.roi.estimate_weakest", lang, share=fmt_percent(est / ben, lang, 0)))
    return out


def roi_markdown(res) -> str:
    """The ROI subsection in words: the chain of evidence each programme's ROI needs, the ROI only
    where L2, L3 and L4 are all shown ("ROI tidak dihitung" with the missing links otherwise),
    isolation and confidence used, intangibles, limits. The figures the inputs would give without
    the chain are an illustration in the appendix (:func:`roi_illustration_table`), never here."""
    out = roi_outcome(res)
    lang = res.ctx.lang
    if out is None or not out.computed:
        return roi_status_sentence(res) or ""
    r = out.result
    summ, lines, intang = r.summary, r.lines, r.intangibles
    names = dict(zip(summ["program_id"], summ["nama_program"].fillna(summ["program_id"]), strict=True))
    chain = chain_support(res)
    ok = roi_supported(res)
    md = [t("evaluation.roi.gate_intro", lang, n=fmt_int(len(summ), lang)), ""]
    if ok:
        sel = summ[summ["program_id"].astype(str).isin(ok)]
        costs, ben = float(sel["costs"].sum()), float(sel["benefits"].sum())
        md.append("- " + t("evaluation.all_roi_programmes_costs_benefits", lang,
                           costs=fmt_rupiah(costs, lang), benefits=fmt_rupiah(ben, lang), bcr=_bcr(ben / costs, lang),
                           roi_pct=_pct((ben - costs) / costs * 100, lang)))
        for rec in sel.sort_values("roi_pct", ascending=False, kind="stable").itertuples():
            md.append(f"- **{md_text(names[rec.program_id])}** ({md_text(rec.program_id)}): " +
                      t("evaluation.costs_benefits_bcr_roi", lang, costs=fmt_rupiah(rec.costs, lang),
                        benefits=fmt_rupiah(rec.benefits, lang), bcr=_bcr(rec.bcr, lang),
                        roi_pct=_pct(rec.roi_pct, lang)))
    for rec in summ.itertuples():
        if str(rec.program_id) not in ok:
            md.append("- " + t("evaluation.roi.not_computed_programme", lang,
                               prog=md_text(f"{names[rec.program_id]} ({rec.program_id})"),
                               chain=_chain_words(chain.get(str(rec.program_id), ("none",) * 3), lang)))
    if len(ok) < len(summ):
        md.append("- " + t("evaluation.roi.illustration_pointer", lang))
    md.append("- " + t("evaluation.isolating_programme_s_effect_phillips", lang) + _methods(lines, lang) + ".")
    md += _isolation_lines(res, r, names, lang)
    est = lines[lines["isolation"] == "estimasi"]
    conf = pd.to_numeric(est["confidence"], errors="coerce").dropna() if "confidence" in est else pd.Series(dtype=float)
    if len(conf):
        lo, hi = fmt_percent(conf.min(), lang, 0), fmt_percent(conf.max(), lang, 0)
        span = lo if lo == hi else (f"{lo}–{hi}")
        setting = t("evaluation.not_used_every_estimate_carries", lang) if out.confidence_default is None \
            else fmt_percent(out.confidence_default, lang, 0)
        md.append("- " + t("evaluation.confidence_discount_phillips_principle_7", lang, span=span, setting=setting))
    if len(intang):
        items = "; ".join(f"{md_text(x.ukuran)} ({md_text(names.get(x.program_id, x.program_id))})" +
                          (" — " + t("evaluation.roi.untested_note", lang, note=md_text(x.keterangan))
                           if str(x.keterangan or "").strip() else "")
                          for x in intang.itertuples())
        md.append("- " + t("evaluation.intangible_benefits_listed_not_converted", lang)
                  + items + ". " + t("evaluation.roi.tested_l4_pointer", lang))
    md += ["", t("evaluation.limits_following_phillips_roi_computed", lang)]
    return "\n".join(md)


def roi_table(res) -> pd.DataFrame:
    """Per ROI programme: costs, the chain of evidence L2 / L3 / L4, and BCR and ROI only where the
    chain is complete ("tidak dihitung" otherwise), formatted."""
    lang = res.ctx.lang
    heads = [t("evaluation.col.programme", lang),
             t("evaluation.col.programme_name", lang),
             t("evaluation.col.costs", lang),
             t("evaluation.col.roi_chain", lang),
             t("evaluation.col.bcr", lang),
             t("evaluation.col.roi", lang)]
    out = roi_outcome(res)
    if out is None or not out.computed:
        return pd.DataFrame(columns=heads)
    chain, ok = chain_support(res), set(roi_supported(res))
    no = t("evaluation.roi.not_computed_cell", lang)
    rows = []
    for r in out.result.summary.itertuples():
        good = str(r.program_id) in ok
        rows.append([r.program_id, r.nama_program if isinstance(r.nama_program, str) else "", fmt_rupiah(r.costs, lang),
                     _chain_words(chain.get(str(r.program_id), ("none",) * 3), lang),
                     _bcr(r.bcr, lang) if good else no, _pct(r.roi_pct, lang) if good else no])
    return pd.DataFrame(rows, columns=heads)


def roi_illustration_table(res) -> pd.DataFrame:
    """The appendix illustration: what the ROI inputs would give if every monetised benefit were
    the programme's (costs, benefits, BCR, ROI, ROI with the estimates scaled down), for every ROI
    programme, whether or not its chain of evidence is shown. Never a result: the caption says so."""
    lang = res.ctx.lang
    heads = [t("evaluation.col.programme", lang), t("evaluation.col.costs", lang),
             t("evaluation.col.benefits", lang), t("evaluation.col.net_benefits", lang),
             t("evaluation.col.bcr", lang), t("evaluation.col.roi", lang)]
    out = roi_outcome(res)
    if out is None or not out.computed:
        return pd.DataFrame(columns=heads)
    s = out.result.summary
    scaled = "roi_pct_estimates_scaled" in s
    if scaled:
        heads.append(t("evaluation.col.roi_estimates_scaled", lang,
                       factor=fmt_number(float(s["estimate_factor"].iloc[0]), lang, 2)))
    rows = []
    for r in s.itertuples():
        row = [r.program_id, fmt_rupiah(r.costs, lang), fmt_rupiah(r.benefits, lang), fmt_rupiah(r.net_benefits, lang),
               _bcr(r.bcr, lang), _pct(r.roi_pct, lang)]
        if scaled:
            row.append(_pct(r.roi_pct_estimates_scaled, lang))
        rows.append(row)
    return pd.DataFrame(rows, columns=heads)


def roi_lines_table(res) -> pd.DataFrame:
    """One row per monetised benefit: change, isolation, share kept, value per unit, benefit, source."""
    lang = res.ctx.lang
    heads = [t("evaluation.col.programme", lang),
             t("evaluation.col.measure", lang),
             t("evaluation.col.change", lang),
             t("evaluation.col.unit_of_measure", lang),
             t("evaluation.col.isolation_method", lang),
             t("evaluation.col.share_due_programme", lang),
             t("evaluation.col.change_due_programme", lang),
             t("evaluation.col.value_unit", lang),
             t("evaluation.col.benefit", lang),
             t("evaluation.col.conversion_source", lang)]
    out = roi_outcome(res)
    if out is None or not out.computed:
        return pd.DataFrame(columns=heads)
    rows = []
    for r in out.result.lines.itertuples():
        method = t(f"evaluation.isolation.{r.isolation}", lang) if r.isolation in codes("evaluation.isolation") else "–"
        unit = r.satuan if isinstance(r.satuan, str) else ""
        rows.append([r.program_id, r.ukuran, _qty(r.change, lang), unit, method,
                     fmt_percent(r.factor, lang, 1), _qty(r.change_isolated, lang),
                     fmt_rupiah(r.value_per_unit, lang), fmt_rupiah(r.benefit, lang), str(r.conversion_source or "")])
    return pd.DataFrame(rows, columns=heads)


def roi_section(res) -> list:
    """What the evaluation notebook shows for ROI: the sentences, and the table when ROI was computed
    (``display(*roi_section(res))``)."""
    from IPython.display import Markdown

    out: list = [Markdown(roi_markdown(res))]
    outcome = roi_outcome(res)
    if outcome is not None and outcome.computed:
        out.append(roi_table(res))
    return out


def roi_appendix_blocks(res, kit, ch) -> list:
    """Appendix B of the agency report: the ROI data as an illustration (what they would give if every
    benefit were the programme's) and the monetised benefits with their isolation; empty without ROI."""
    if roi_status_sentence(res) is not None:
        return []
    lang = res.ctx.lang
    return [kit.table(ch, t("evaluation.roi.illustration_caption", lang),
                      roi_illustration_table(res), "ROI_ilustrasi", wide=True),
            kit.table(ch, t("evaluation.benefits_converted_money_isolating_programme", lang),
                      roi_lines_table(res), "ROI_manfaat", wide=True)]
