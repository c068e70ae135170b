"""In-year monitoring (``workbook report --monitor``): each OPD's JP realised against 20 JP and
against the plan, and budget absorption — what regional heads audit during the year.

What it needs:

- the data folder's ``realisasi_pengembangan`` with this plan year's participation so far
  (``pegawai_id``, ``program_id`` — empty for activities outside the catalogue —, ``tanggal_mulai``,
  ``jp``), exported monthly from the training records (SIASN or the agency's own);
- the plan of stage 02 for the same year (``OUTPUT/<year>/restricted/02_plan/schedule.parquet``:
  who is planned on which programme in which month, with JP and cost) — run ``workbook report``
  once at the start of the year;
- the catalogue's ``biaya_per_peserta`` (cost of a realised catalogue programme; activities outside
  the catalogue count for JP but carry no cost).

Per unit, up to the end of the monitoring month: PNS, JP realised (total, mean per PNS), PNS who
already reached 20 JP, JP realised against JP planned to date, cost realised against the year's
planned cost (absorption). Units with fewer than k PNS are suppressed (with a complementary unit).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.core import artefacts
from workbook.core.context import Context
from workbook.core.exceptions import DataError, SettingsError
from workbook.core.i18n import fmt_int, fmt_percent, fmt_rupiah, t
from workbook.core.suppression import suppress_table
from workbook.present.format import format_table

__all__ = ["monitoring_table", "run_monitor", "MonitorResult"]


def _month(month: str | None, real: pd.DataFrame, year: int) -> pd.Period:
    if month:
        try:
            p = pd.Period(month, freq="M")
        except (ValueError, TypeError):
            raise SettingsError(f"Bulan pemantauan tidak sah: {month!r} (format YYYY-MM).",
                                f"Invalid monitoring month: {month!r} (format YYYY-MM).", column="month",
                                value=month) from None
        if p.year != year:
            raise SettingsError(f"Bulan {month} bukan bagian dari tahun rencana {year}.",
                                f"Month {month} is not in plan year {year}.", column="month", value=month)
        return p
    cur = real[real["tanggal_mulai"].dt.year == year]
    if len(cur):
        return cur["tanggal_mulai"].max().to_period("M")
    today = pd.Timestamp(_dt.date.today())
    return pd.Period(f"{year}-{min(12, today.month) if today.year == year else 1:02d}", freq="M")


def monitoring_table(pegawai: pd.DataFrame, realisasi: pd.DataFrame, schedule: pd.DataFrame,
                     katalog: pd.DataFrame, *, year: int, month: pd.Period, settings) -> pd.DataFrame:
    """Per unit (and the agency, ``kode_unit == "INSTANSI"``), suppressed; see the module docstring."""
    jp_min = float(settings["jp.minimum_pns"])
    end = month.to_timestamp(how="end")
    real = realisasi.copy()
    real["tanggal_mulai"] = pd.to_datetime(real["tanggal_mulai"], errors="coerce")
    real = real[(real["tanggal_mulai"].dt.year == year) & (real["tanggal_mulai"] <= end)]
    price = katalog.set_index("program_id")["biaya_per_peserta"]
    real = real.assign(cost=real["program_id"].map(price).fillna(0.0).astype(float))
    peg = pegawai[["pegawai_id", "kode_unit", "status"]].copy()
    peg["pns"] = peg["status"] != "PPPK"
    per = peg.merge(real.groupby("pegawai_id").agg(jp=("jp", "sum"), cost=("cost", "sum")).reset_index(),
                    on="pegawai_id", how="left").fillna({"jp": 0.0, "cost": 0.0})
    per["reached"] = per["pns"] & (per["jp"] >= jp_min)
    sch = schedule.copy()
    sch["due"] = sch["bulan"].astype(int) <= month.month
    plan_u = sch.groupby("kode_unit").agg(jp_planned_year=("jp", "sum"), cost_planned_year=("cost", "sum"))
    plan_d = sch[sch["due"]].groupby("kode_unit").agg(jp_planned_to_date=("jp", "sum"))

    def agg(g: pd.DataFrame) -> pd.Series:
        pns = g[g["pns"]]
        return pd.Series({"staff": len(g), "pns": len(pns), "jp_realised": g["jp"].sum(),
                          "jp_mean_pns": pns["jp"].mean() if len(pns) else np.nan,
                          "pns_reached": int(g["reached"].sum()), "cost_realised": g["cost"].sum()})

    units = per.groupby("kode_unit").apply(agg, include_groups=False)
    total = agg(per).rename("INSTANSI")
    out = pd.concat([units, total.to_frame().T])
    plan_all = pd.concat([plan_u, plan_u.sum().rename("INSTANSI").to_frame().T])
    due_all = pd.concat([plan_d, plan_d.sum().rename("INSTANSI").to_frame().T])
    out = out.join(plan_all).join(due_all).fillna({"jp_planned_year": 0.0, "cost_planned_year": 0.0,
                                                  "jp_planned_to_date": 0.0})
    out["share_reached"] = out["pns_reached"] / out["pns"].where(out["pns"] > 0)
    out["jp_vs_plan"] = out["jp_realised"] / out["jp_planned_to_date"].where(out["jp_planned_to_date"] > 0)
    out["absorption"] = out["cost_realised"] / out["cost_planned_year"].where(out["cost_planned_year"] > 0)
    out = out.rename_axis("kode_unit").reset_index()
    body = out[out["kode_unit"] != "INSTANSI"]
    shown = suppress_table(body, n_col="pns", value_cols=["jp_realised", "jp_mean_pns", "pns_reached", "share_reached",
                                                          "jp_vs_plan", "cost_realised", "absorption"],
                           share_cols=["share_reached"], parent_cols=(), settings=settings)
    agency = out[out["kode_unit"] == "INSTANSI"].assign(suppressed=False, suppression_reason="")
    return pd.concat([shown, agency], ignore_index=True)


@dataclass
class MonitorResult:
    month: str
    table: pd.DataFrame
    files: dict[str, Path]


def _view(tab: pd.DataFrame, lang: str, settings) -> pd.DataFrame:
    cols = {"kode_unit": "text", "pns": "int", "jp_mean_pns": "num", "pns_reached": "int", "share_reached": "pct",
            "jp_realised": "int", "jp_planned_to_date": "int", "jp_vs_plan": "pct", "cost_realised": "rp",
            "cost_planned_year": "rp", "absorption": "pct"}
    out = format_table(tab, cols, lang=lang, settings=settings)
    out.columns = [t(f"report.monitor.col.{c}", lang) for c in cols]
    return out


def run_monitor(ctx: Context, *, month: str | None = None, formats=("html", "pdf", "xlsx")) -> MonitorResult:
    """Write the monitoring report for ``month`` (``YYYY-MM``; default: the latest month in the data)."""
    from workbook.pipeline import run_data_check
    from workbook.present.document import (
        Block,
        Chapter,
        Section,
        hidden_label,
        markdown_html,
        table_html,
    )
    from workbook.report import render

    lang, s = ctx.lang, ctx.settings
    sched_p = artefacts.artefact_path(ctx.output_dir, ctx.year, "02_plan", "schedule", "restricted")
    if not sched_p.is_file():
        raise DataError(f"Rencana tahun {ctx.year} belum ada ({sched_p}); jalankan dulu: workbook report.",
                        f"The {ctx.year} plan is missing ({sched_p}); run first: workbook report.", file=str(sched_p))
    tables = run_data_check(ctx, write=False).tables  # this month's realisation, straight from the data folder
    real = tables.get("realisasi_pengembangan", pd.DataFrame(columns=["pegawai_id", "program_id", "tanggal_mulai", "jp"]))
    real = real.assign(tanggal_mulai=pd.to_datetime(real["tanggal_mulai"], errors="coerce"))
    m = _month(month, real, ctx.year)
    tab = monitoring_table(tables["pegawai"], real, pd.read_parquet(sched_p), tables["katalog_program"],
                           year=ctx.year, month=m, settings=s)
    agency = tab[tab["kode_unit"] == "INSTANSI"].iloc[0]
    n_real = int((real["tanggal_mulai"].dt.year == ctx.year).sum())
    mname = render.fmt_date(m.to_timestamp(how="end").date(), lang)
    sents = [t("report.monitor.position", lang, month=mname, n=fmt_int(n_real, lang), year=ctx.year),
             t("report.monitor.reached", lang, share=fmt_percent(agency["share_reached"], lang),
               jp=s["jp.minimum_pns"], reached=fmt_int(agency["pns_reached"], lang),
               pns=fmt_int(agency["pns"], lang)),
             t("report.monitor.jp", lang, realised=fmt_int(agency["jp_realised"], lang),
               planned=fmt_int(agency["jp_planned_to_date"], lang),
               ratio=fmt_percent(agency["jp_vs_plan"], lang)),
             t("report.monitor.budget", lang, cost=fmt_rupiah(agency["cost_realised"], lang),
               planned=fmt_rupiah(agency["cost_planned_year"], lang),
               ratio=fmt_percent(agency["absorption"], lang))]
    if n_real == 0:
        sents.append(t("report.monitor.none", lang))
    hid = hidden_label(lang, s)
    view = _view(tab, lang, s)
    B, Sec, Ch = Block, Section, Chapter
    md = markdown_html("\n".join(f"- {x}" for x in sents), drop_heading=False)
    title_tab = t("report.monitor.table", lang)
    bab = t("report.bab", lang)
    chapters = [
        Ch("bab1", f"{bab} I", t("report.monitor.ch1", lang), [Sec("m1", "1.1", mname, [B("md", md)])]),
        Ch("bab2", f"{bab} II", t("report.monitor.ch2", lang),
           [Sec("m2", "2.1", title_tab, [B("table", table_html(view, key="monitoring", hidden=hid, lang=lang), title_tab,
                                          "monitoring", "2.1", True)])]),
        Ch("bab3", f"{bab} III", t("report.monitor.ch3", lang),
           [Sec("m3", "3.1", t("report.monitor.data_needed", lang),
                [B("p", t("report.monitor.data_needed_text", lang))])]),
    ]
    doc = render.ReportDoc(lang, t("report.monitor_title", lang), mname, ctx.agency_name,
                           t("report.agency_scope", lang), ctx.year, render.fmt_date(_dt.date.today(), lang),
                           chapters, None)
    html = render.render_html(doc)
    d = Path(ctx.output_dir) / str(ctx.year) / "reports" / "pemantauan" / str(m)
    stem = f"pemantauan_{m}" + ("" if lang == "id" else "_en")
    files: dict[str, Path] = {}
    if "html" in formats:
        files["html"] = artefacts.atomic_write_text(d / f"{stem}.html", html)
    if "pdf" in formats:
        files["pdf"] = render.write_pdf(html, d / f"{stem}.pdf")[0]
    if "xlsx" in formats:
        files["xlsx"] = artefacts.write_xlsx({"pemantauan": view}, d / f"{stem}.xlsx", lang=lang)
    return MonitorResult(str(m), tab, files)
