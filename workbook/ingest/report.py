"""Stage 00 — what a person reads about the data check: the verdict and overview sentences,
the per-unit overview table and the overview figures (aggregate, suppressed), and the staff
overview that opens chapter II of the yearly report (:func:`chapter`)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from workbook.core.i18n import fmt_int, fmt_number, fmt_percent, t
from workbook.core.suppression import k_for
from workbook.ingest.deidentify import KINDS
from workbook.ingest.stage import DataCheck
from workbook.present import plots
from workbook.present.document import Chapter, ChapterKit, hidden_label
from workbook.present.format import format_table
from workbook.present.safe import md_text

__all__ = ["headline", "summary_markdown", "deidentified_sentences", "units_table", "figures", "unit_overview_sentences",
           "status_sentence", "chapter"]


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
    lines = ([f"**{verdict}**", ""] + [f"- {md_text(x)}" for x in headline(dc)]  # data as text
             + [f"- {x}" for x in deidentified_sentences(dc)])
    return "\n".join(lines)


def deidentified_sentences(dc: DataCheck) -> list[str]:
    """How many names and identity numbers were replaced in the free text (counts, no value);
    empty when no table has a free-text column."""
    d = dc.deidentified
    if d is None or not len(d):
        return []
    lang = dc.ctx.lang
    per_kind = d.groupby("kind")["n"].sum()
    parts = [t(f"ingest.deid_kind.{k}", lang, n=fmt_int(int(per_kind[k]), lang))
             for k in KINDS if k in per_kind.index and per_kind[k] > 0]
    if not parts:
        return [t("ingest.deidentified_none", lang)]
    return [t("ingest.deidentified", lang, parts=", ".join(parts))]


def units_table(dc: DataCheck, unit: str | None = None) -> pd.DataFrame:
    """The per-unit overview, formatted and suppressed, optionally for one unit (last year's JP:
    PNS only, :func:`workbook.ingest.stage.overview_units`)."""
    lang = dc.ctx.lang
    cols = ["kode_unit", "nama_unit", "headcount", "n_respondents", "response_rate", "share_reached", "mean_jp"]
    out = format_table(_unit_rows(dc, unit), cols, lang=lang, settings=dc.ctx.settings)
    jp = dc.ctx.settings["jp.minimum_pns"]
    return out.rename(columns={out.columns[-2]: t("ingest.col.pns_reached", lang, jp=jp),
                               out.columns[-1]: t("ingest.col.pns_mean_jp", lang)})


def _status_cells(dc: DataCheck, unit: str | None) -> pd.DataFrame:
    """The suppressed unit × status counts, with what is hidden of each unit's headcount as one
    more segment (the headcount is published, so the hidden sum is not a secret; drawing hidden
    cells as 0 made units look empty)."""
    st = dc.status_by_unit
    if unit:
        st = st[st["kode_unit"] == unit]
    head = dc.tables["pegawai"].groupby("kode_unit").size()
    rest = (head.reindex(st["kode_unit"].unique()) - st.groupby("kode_unit", sort=False)["n"].sum()).clip(lower=0)
    extra = pd.DataFrame({"kode_unit": rest.index, "status": t("ingest.status_hidden", dc.ctx.lang),
                          "n": rest.to_numpy(dtype=float)})
    return pd.concat([st, extra[extra["n"] > 0]], ignore_index=True)


def _jp_people(dc: DataCheck, unit: str | None) -> pd.DataFrame | None:
    """The PNS whose JP the distribution shows (the unit's only when its PNS count is published
    and at least the distribution minimum); None when there is nothing to draw."""
    peg = dc.tables.get("pegawai")
    real = dc.tables.get("realisasi_pengembangan")
    if peg is None or real is None:
        return None
    people = peg[peg["status"].astype(str) == "PNS"]
    if unit:
        people = people[people["kode_unit"] == unit]
        st = dc.status_by_unit
        cell = st[(st["kode_unit"] == unit) & (st["status"] == "PNS")]["n"]
        if not len(cell) or cell.isna().all():
            return None
    return people if len(people) >= k_for("distribution", dc.ctx.settings) else None


def figures(dc: DataCheck, unit: str | None = None) -> dict:
    """The overview figures (aggregate, suppressed) keyed by message id of their title."""
    lang, s = dc.ctx.lang, dc.ctx.settings
    figs = {}
    figs["fig.status_by_unit"] = plots.stacked_bar(
        _status_cells(dc, unit), index="kode_unit", columns="status", values="n",
        title=t("fig.status_by_unit", lang), xlabel=t("label.employees", lang))
    people = _jp_people(dc, unit)
    if people is not None:
        real = dc.tables["realisasi_pengembangan"]
        jp = real.groupby("pegawai_id")["jp"].sum().reindex(people["pegawai_id"]).fillna(0.0)
        figs["fig.jp_distribution"] = plots.histogram(
            jp.clip(upper=80), bins=16, title=t("ingest.fig.jp_title_pns", lang), xlabel="JP",
            ylabel=t("ingest.label.pns", lang), vline=float(s["jp.minimum_pns"]),
            vline_label=f"{s['jp.minimum_pns']} JP")
    pos = dc.positions[dc.positions["dimension"] == "jenis_jabatan"] if len(dc.positions) else dc.positions
    if len(pos) and not unit:
        figs["fig.position_mix"] = plots.barh(pos, label="category", value="n", title=t("fig.position_mix", lang),
                                              xlabel=t("label.employees", lang))
    return figs


def unit_overview_sentences(dc: DataCheck, unit: str) -> list[str]:
    """Headcount, survey response and last year's 20 JP of the PNS for one unit, from the
    suppressed overview."""
    ctx = dc.ctx
    lang = ctx.lang
    hid = hidden_label(lang, ctx.settings)
    rows = dc.units[dc.units["kode_unit"] == unit]
    if not len(rows):
        return []
    row = rows.iloc[0]
    num = lambda v, f: hid if v is None or (isinstance(v, float) and v != v) else f(v)  # noqa: E731
    return [t("ingest.unit.headcount", lang, name=row["nama_unit"], unit=unit,
              n=num(row["headcount"], lambda v: fmt_int(v, lang)), year=ctx.year),
            t("ingest.unit.response", lang, n=num(row["n_respondents"], lambda v: fmt_int(v, lang)),
              rate=num(row["response_rate"], lambda v: fmt_percent(v, lang))),
            t("ingest.unit.jp", lang, jp=ctx.settings["jp.minimum_pns"],
              share=num(row["share_reached"], lambda v: fmt_percent(v, lang)),
              mean=num(row["mean_jp"], lambda v: fmt_number(v, lang, 1)))]


def status_sentence(dc: DataCheck, unit: str) -> str:
    """The unit's staff by status in a sentence (what one bar of the status figure showed): the
    published counts, and the statuses hidden with the cross-tab."""
    lang = dc.ctx.lang
    st = dc.status_by_unit
    st = st[(st["kode_unit"] == unit) & (st["n"] != 0)]
    order = {"PNS": 0, "CPNS": 1, "PPPK": 2}
    st = st.assign(_o=st["status"].map(order).fillna(9)).sort_values("_o", kind="stable")
    shown = ", ".join(f"{s_} {fmt_int(n, lang)}" for s_, n in zip(st["status"], st["n"], strict=True) if n == n)
    hidden = ", ".join(str(s_) for s_, n in zip(st["status"], st["n"], strict=True) if n != n)
    key = ("ingest.unit.status_all" if not hidden else
           "ingest.unit.status_none" if not shown else "ingest.unit.status_some")
    return t(key, lang, shown=shown, hidden=hidden)


def chapter(dc: DataCheck, unit: str | None, kit: ChapterKit) -> list[Chapter]:
    """The staff overview (section 2.1) that opens chapter II, needs analysis, of the yearly report:
    the verdict and overview sentences (the unit's sentences in a unit report), the per-unit
    table and the overview figures; in a unit report the status figure (one bar) is a sentence."""
    lang = dc.ctx.lang
    ch = kit.chapter("needs")
    sec = kit.section(ch, t("ingest.staff_overview", lang))
    if unit:
        sec.blocks.append(kit.bullets(unit_overview_sentences(dc, unit)))
    else:
        sec.blocks.append(kit.markdown(summary_markdown(dc), drop_heading=False))
    sec.blocks.append(kit.table(ch, t("ingest.work_units_staff_survey_respondents", lang),
                                units_table(dc, unit), "units"))
    for fid, fg in figures(dc, unit).items():
        if fid == "fig.status_by_unit" and unit:
            # one unit is one bar: a sentence says it better
            plt.close(fg)
            sec.blocks.append(kit.para(status_sentence(dc, unit)))
            continue
        caption = t("ingest.fig.jp_distribution_pns", lang) if fid == "fig.jp_distribution" else t(fid, lang)
        sec.blocks.append(kit.figure(ch, caption, kit.png(lambda fg=fg: fg)))
    return [ch]
