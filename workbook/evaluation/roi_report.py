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
           "chain_support"]


def chain_support(res) -> dict[str, tuple[str, str]]:
    """Per programme: the Level 2 and Level 3 evidence a ROI rests on, as codes
    (``up`` = a rise significant after Holm, ``not_shown``, ``pending`` (L3 not yet measured),
    ``none`` (not measured or hidden)), words ``evaluation.roi.chain.<code>``.

    Phillips computes ROI only after the chain is shown: learning (L2) and application (L3),
    then the isolated Level 4 change (Phillips & Phillips 2016, the ROI Methodology's levels
    and guiding principles); a ROI without a demonstrated L2 or L3 change is said so."""
    from workbook.evaluation.stage import shown_level3, verdicts_of

    out: dict[str, tuple[str, str]] = {}
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
    for p in set(l2) | set(l3):
        out[p] = (l2.get(p, "none"), l3.get(p, "none"))
    return out


def _chain_words(codes_: tuple[str, str], lang: str) -> str:
    return t("evaluation.roi.chain_cell", lang, l2=t(f"evaluation.roi.chain.{codes_[0]}", lang),
             l3=t(f"evaluation.roi.chain.{codes_[1]}", lang))


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


def _isolation_lines(r, names: dict, lang: str) -> list[str]:
    """The isolation method of every monetised measure, how much rests on estimates, and the ROI
    with the estimates scaled down (Phillips' principle 4; review M8: an estimate is not an
    isolation)."""
    lines, tot = r.lines, r.total
    iso = "; ".join(
        f"{md_text(x.ukuran)} ({md_text(names.get(x.program_id, x.program_id))}): "
        + (t(f"evaluation.isolation.{x.isolation}", lang) if x.isolation in codes("evaluation.isolation") else "–")
        for x in lines.itertuples())
    out = ["- " + t("evaluation.roi.isolation_per_measure", lang) + (iso or "–") + "."]
    ben = float(tot.get("benefits", float("nan")))
    est = float(tot.get("benefits_estimated", float("nan")))
    if est == est and est > 0 and ben > 0:
        out.append("- " + t("evaluation.roi.estimate_weakest", lang, share=fmt_percent(est / ben, lang, 0)))
        factor = float(r.summary["estimate_factor"].iloc[0]) if "estimate_factor" in r.summary else 0.5
        out.append("- " + t("evaluation.roi.halved", lang, factor=fmt_number(factor, lang, 2),
                            benefits=fmt_rupiah(tot["benefits_estimates_scaled"], lang),
                            roi_pct=_pct(tot["roi_pct_estimates_scaled"], lang)))
    return out


def roi_markdown(res) -> str:
    """The ROI subsection in words: method, totals, isolation and confidence used, intangibles, limits."""
    out = roi_outcome(res)
    lang = res.ctx.lang
    if out is None or not out.computed:
        return roi_status_sentence(res) or ""
    r = out.result
    summ, lines, intang = r.summary, r.lines, r.intangibles
    names = dict(zip(summ["program_id"], summ["nama_program"].fillna(summ["program_id"]), strict=True))
    n = len(summ)
    tot = r.total
    md = [t("evaluation.roi.computed_sample", lang, n=fmt_int(n, lang)), ""]
    md.append("- " + t("evaluation.all_roi_programmes_costs_benefits", lang,
                       costs=fmt_rupiah(tot["costs"], lang), benefits=fmt_rupiah(tot["benefits"], lang),
                       bcr=_bcr(tot["bcr"], lang), roi_pct=_pct(tot["roi_pct"], lang)))
    for rec in summ.sort_values("roi_pct", ascending=False, kind="stable").itertuples():
        md.append(f"- **{md_text(names[rec.program_id])}** ({md_text(rec.program_id)}): " +
                  t("evaluation.costs_benefits_bcr_roi", lang, costs=fmt_rupiah(rec.costs, lang),
                    benefits=fmt_rupiah(rec.benefits, lang), bcr=_bcr(rec.bcr, lang),
                    roi_pct=_pct(rec.roi_pct, lang)))
    chain = chain_support(res)
    for rec in summ.itertuples():
        c = chain.get(str(rec.program_id), ("none", "none"))
        if "up" not in c:  # Phillips: no ROI claim without a demonstrated L2 or L3 change
            md.append("- " + t("evaluation.roi.no_chain", lang, prog=md_text(f"{names[rec.program_id]} ({rec.program_id})"),
                               roi_pct=_pct(rec.roi_pct, lang), chain=_chain_words(c, lang)))
    md.append("- " + t("evaluation.isolating_programme_s_effect_phillips", lang) + _methods(lines, lang) + ".")
    md += _isolation_lines(r, names, lang)
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
                          (f": {md_text(x.keterangan)}" if str(x.keterangan or "").strip() else "")
                          for x in intang.itertuples())
        md.append("- " + t("evaluation.intangible_benefits_listed_not_converted", lang)
                  + items + ".")
    md += ["", t("evaluation.limits_following_phillips_roi_computed", lang)]
    return "\n".join(md)


def roi_table(res) -> pd.DataFrame:
    """Costs, benefits, BCR and ROI per programme (highest ROI first), formatted."""
    lang = res.ctx.lang
    heads = [t("evaluation.col.programme", lang),
             t("evaluation.col.programme_name", lang),
             t("evaluation.col.costs", lang),
             t("evaluation.col.benefits", lang),
             t("evaluation.col.net_benefits", lang),
             t("evaluation.col.bcr", lang),
             t("evaluation.col.roi", lang),
             t("evaluation.col.measures_rupiah", lang),
             t("evaluation.col.intangible_benefits", lang),
             t("evaluation.col.roi_chain", lang)]
    out = roi_outcome(res)
    if out is None or not out.computed:
        return pd.DataFrame(columns=heads)
    chain = chain_support(res)
    s = out.result.summary.sort_values("roi_pct", ascending=False, kind="stable")
    scaled = "roi_pct_estimates_scaled" in s
    if scaled:  # ROI with the participants'/supervisors' estimates halved, beside the ROI
        factor = fmt_number(float(s["estimate_factor"].iloc[0]), lang, 2)
        heads.insert(7, t("evaluation.col.roi_estimates_scaled", lang, factor=factor))
    rows = []
    for r in s.itertuples():
        row = [r.program_id, r.nama_program if isinstance(r.nama_program, str) else "", fmt_rupiah(r.costs, lang),
               fmt_rupiah(r.benefits, lang), fmt_rupiah(r.net_benefits, lang), _bcr(r.bcr, lang), _pct(r.roi_pct, lang),
               fmt_int(r.n_benefit_lines, lang), fmt_int(r.n_intangible, lang),
               _chain_words(chain.get(str(r.program_id), ("none", "none")), lang)]
        if scaled:
            row.insert(7, _pct(r.roi_pct_estimates_scaled, lang))
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
