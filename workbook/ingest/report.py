"""Stage 00 — what a person reads about the data check: the verdict and overview sentences,
the per-unit overview table and the overview figures (aggregate, suppressed)."""

from __future__ import annotations

import pandas as pd

from workbook.core.i18n import fmt_int, fmt_percent, t
from workbook.core.suppression import k_for
from workbook.ingest.stage import DataCheck
from workbook.present import plots
from workbook.present.format import format_table

__all__ = ["headline", "summary_markdown", "units_table", "figures"]


def headline(dc: DataCheck) -> list[str]:
    """The overview in sentences, in the context's language (for notebooks and reports)."""
    lang, s = dc.ctx.lang, dc.ctx.settings
    peg = dc.tables.get("pegawai", pd.DataFrame())
    lines = [t("overview.headline", lang, agency=dc.ctx.agency_name, n=fmt_int(len(peg), lang),
               units=fmt_int(peg["kode_unit"].nunique() if len(peg) else 0, lang), year=dc.ctx.year)]
    u = dc.units
    if len(u) and "n_jp_target" in u:
        total_t = u["n_jp_target_raw"].sum()
        reached = u["n_reached_raw"].sum()
        if total_t:
            lines.append(t("overview.jp", lang, share=fmt_percent(reached / total_t, lang), jp=s["jp.minimum_pns"]))
    if len(u) and "n_respondents_raw" in u:
        lines.append(t("overview.response", lang,
                       rate=fmt_percent(u["n_respondents_raw"].sum() / max(1, u["headcount_raw"].sum()), lang),
                       n=fmt_int(u["n_respondents_raw"].sum(), lang), total=fmt_int(u["headcount_raw"].sum(), lang)))
    return lines


def _unit_rows(dc: DataCheck, unit: str | None) -> pd.DataFrame:
    u = dc.units
    return u[u["kode_unit"] == unit] if unit else u


def summary_markdown(dc: DataCheck) -> str:
    """The validation verdict and the overview sentences as Markdown."""
    lang = dc.ctx.lang
    errors = len(getattr(dc.report, "errors", []))
    warnings = len(getattr(dc.report, "warnings", []))
    verdict = t("check.ok", lang, warnings=warnings) if errors == 0 else t("check.failed", lang, errors=errors,
                                                                        warnings=warnings)
    lines = [f"**{verdict}**", ""] + [f"- {x}" for x in headline(dc)]
    return "\n".join(lines)


def units_table(dc: DataCheck, unit: str | None = None) -> pd.DataFrame:
    """The per-unit overview, formatted and suppressed, optionally for one unit."""
    cols = ["kode_unit", "nama_unit", "headcount", "n_respondents", "response_rate", "share_reached", "mean_jp"]
    return format_table(_unit_rows(dc, unit), cols, lang=dc.ctx.lang, settings=dc.ctx.settings)


def figures(dc: DataCheck, unit: str | None = None) -> dict:
    """The overview figures (aggregate, suppressed) keyed by message id of their title."""
    lang, s = dc.ctx.lang, dc.ctx.settings
    figs = {}
    st = dc.status_by_unit
    if unit:
        st = st[st["kode_unit"] == unit]
    figs["fig.status_by_unit"] = plots.stacked_bar(
        st, index="kode_unit", columns="status", values="n", title=t("fig.status_by_unit", lang),
        xlabel=t("label.employees", lang))
    peg = dc.tables.get("pegawai")
    real = dc.tables.get("realisasi_pengembangan")
    if peg is not None and real is not None:
        people = peg if not unit else peg[peg["kode_unit"] == unit]
        if len(people) >= k_for("distribution", s):
            jp = real.groupby("pegawai_id")["jp"].sum().reindex(people["pegawai_id"]).fillna(0.0)
            figs["fig.jp_distribution"] = plots.histogram(
                jp.clip(upper=80), bins=16, title=t("fig.jp_distribution", lang), xlabel="JP",
                ylabel=t("label.employees", lang), vline=float(s["jp.minimum_pns"]),
                vline_label=f"{s['jp.minimum_pns']} JP")
    pos = dc.positions[dc.positions["dimension"] == "jenis_jabatan"] if len(dc.positions) else dc.positions
    if len(pos) and not unit:
        figs["fig.position_mix"] = plots.barh(pos, label="category", value="n", title=t("fig.position_mix", lang),
                                              xlabel=t("label.employees", lang))
    return figs
