"""Stage 00 — data check: the validation report and a descriptive overview of the agency.

``run_data_check(ctx)`` loads and validates the agency's folder, computes the overview tables
(headcounts, position mix, last year's JP against the 20-JP right, survey response rate — all
aggregate and suppressed), and writes the stage artefacts:

- ``OUTPUT/<year>/00_data_check/``: ``validation_summary``, ``overview_units``, ``overview_positions``,
  ``deidentification`` (replacements per free-text column and kind, counts only) (Parquet),
  ``data_check.xlsx``, ``manifest.json``;
- ``OUTPUT/<year>/restricted/00_data_check/``: the full validation report (it can quote cell
  values), ``overview_units_raw`` (the overview before suppression, with the agency totals) and
  the clean, pseudonymous tables (``<table>.parquet``) read by the later stages, their free text
  already de-identified (:mod:`workbook.ingest.deidentify`).

``load_result(ctx)`` rebuilds the :class:`DataCheck` from these files without reading the data
folder again (the report layer's way in).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.core import artefacts
from workbook.core.context import Context
from workbook.core.exceptions import DataError, Problem
from workbook.core.i18n import t
from workbook.core.problems import ValidationReport, make_problem
from workbook.core.suppression import suppress_crosstab, suppress_table

__all__ = ["DataCheck", "run_data_check", "load_result", "overview_units", "overview_positions",
           "headcount_crosstab", "load_clean_tables"]

STAGE = "00_data_check"


@dataclass
class DataCheck:
    """Result of stage 00 (all tables aggregate unless named ``restricted_*``)."""

    ctx: Context
    report: object
    tables: dict[str, pd.DataFrame]
    validation_summary: pd.DataFrame
    units: pd.DataFrame
    positions: pd.DataFrame
    status_by_unit: pd.DataFrame
    written: list = field(default_factory=list)
    deidentified: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["table", "column", "kind", "n"]))

    @property
    def ok(self) -> bool:
        return bool(getattr(self.report, "ok", False))


def _validation_summary(report) -> pd.DataFrame:
    frame = report.to_frame() if report is not None else pd.DataFrame()
    if frame.empty:
        return pd.DataFrame(columns=["file", "severity", "code", "n"])
    return (frame.groupby(["file", "severity", "code"], dropna=False).size().rename("n").reset_index()
            .sort_values(["severity", "file", "code"]).reset_index(drop=True))


def headcount_crosstab(pegawai: pd.DataFrame, *, by: str = "status", settings=None) -> pd.DataFrame:
    """Employees per unit × ``by`` (a cross-tab with published margins → cross-tab suppression)."""
    ct = pd.crosstab(pegawai["kode_unit"], pegawai[by])
    sup = suppress_crosstab(ct, settings=settings)
    long = sup.stack(future_stack=True).rename("n").reset_index()
    return long


def overview_units(tables: dict[str, pd.DataFrame], *, settings) -> pd.DataFrame:
    """Per unit: headcount, survey respondents and response rate, last year's JP of the PNS against
    the 20-JP right (``n_jp_target`` PNS, ``n_reached``, ``share_reached``, ``mean_jp``,
    ``median_jp``). CPNS and PPPK are left out: CPNS spend their first year on Latsar and their
    small counts are hidden elsewhere (pooled with PNS, a unit's CPNS figures came back by
    subtraction from its PNS row of the needs chapter); PPPK are entitled up to a cap, not owed
    20 JP. The PNS count hides where the unit × status cross-tab (:func:`headcount_crosstab`) hides
    it, and the PNS figures where the PNS are fewer than k."""
    peg = tables["pegawai"]
    base = peg.groupby("kode_unit", sort=True).agg(nama_unit=("nama_unit", "first"), headcount=("pegawai_id", "size"))
    surv = tables.get("survei_pegawai")
    if surv is not None and len(surv):
        resp = peg[peg["pegawai_id"].isin(surv["pegawai_id"])].groupby("kode_unit").size()
        base["n_respondents"] = resp.reindex(base.index).fillna(0).astype(int)
    else:
        base["n_respondents"] = 0
    base["response_rate"] = base["n_respondents"] / base["headcount"]
    real = tables.get("realisasi_pengembangan")
    jp_min = float(settings["jp.minimum_pns"])
    jp = (real.groupby("pegawai_id")["jp"].sum() if real is not None and len(real)
          else pd.Series(dtype=float))
    person = peg[["pegawai_id", "kode_unit", "status"]].copy()
    person["jp_total"] = person["pegawai_id"].map(jp).fillna(0.0)
    # PNS only: the needs chapter gives CPNS and PPPK apart, each with its own denominator.
    person = person[person["status"].astype(str) == "PNS"]
    person["jp_target"] = jp_min
    person["reached"] = person["jp_total"] >= person["jp_target"]
    g = person.groupby("kode_unit")
    base["n_jp_target"] = g.size().reindex(base.index).fillna(0).astype(int)
    base["n_reached"] = g["reached"].sum().reindex(base.index).fillna(0).astype(int)
    base["share_reached"] = base["n_reached"] / base["n_jp_target"]
    base["mean_jp"] = g["jp_total"].mean().reindex(base.index)
    base["median_jp"] = g["jp_total"].median().reindex(base.index)
    base = base.reset_index()
    # Keep raw totals for agency-level sentences (agency totals are not small), then suppress units.
    for c in ("headcount", "n_respondents", "n_jp_target", "n_reached"):
        base[f"{c}_raw"] = base[c]
    shown = suppress_table(base, n_col="headcount", value_cols=["n_respondents", "response_rate", "n_jp_target",
                                                                 "n_reached", "share_reached", "mean_jp", "median_jp"],
                           share_cols=["share_reached"], parent_cols=(), settings=settings)
    # Survey respondents are a group of their own: fewer than k respondents are hidden too
    # (with a complementary unit, since the agency's total of respondents is published).
    resp = suppress_table(base[["kode_unit", "n_respondents", "response_rate"]], n_col="n_respondents",
                          value_cols=["response_rate"], parent_cols=(), settings=settings)
    hide = resp["suppressed"].to_numpy() & ~shown["suppressed"].to_numpy()
    shown.loc[hide, ["n_respondents", "response_rate"]] = np.nan
    shown.loc[hide, "suppression_reason"] = "respondents_" + resp.loc[hide, "suppression_reason"]
    shown["suppressed"] = shown["suppressed"] | hide
    return _hide_pns(shown, base, peg, settings)


def _hide_pns(shown: pd.DataFrame, base: pd.DataFrame, peg: pd.DataFrame, settings) -> pd.DataFrame:
    """The PNS figures of ``shown``: the count and those reaching 20 JP hidden where the status
    cross-tab hides the unit's PNS cell, the share and the JP where the PNS are fewer than k (or
    all or none reach 20 JP in a small group)."""
    cells = headcount_crosstab(peg, settings=settings)
    pns_hidden = set(cells.loc[(cells["status"] == "PNS") & cells["n"].isna(), "kode_unit"])
    out = shown.copy()
    cell = out["kode_unit"].isin(pns_hidden).to_numpy()
    out.loc[cell, ["n_jp_target", "n_reached"]] = np.nan
    small = suppress_table(base[["kode_unit", "n_jp_target", "share_reached", "mean_jp", "median_jp"]],
                           n_col="n_jp_target", value_cols=["mean_jp", "median_jp"], share_cols=["share_reached"],
                           parent_cols=None, settings=settings)["suppressed"].to_numpy(dtype=bool)
    out.loc[small, ["n_jp_target", "n_reached", "share_reached", "mean_jp", "median_jp"]] = np.nan
    return out


def overview_positions(pegawai: pd.DataFrame, *, settings) -> pd.DataFrame:
    """Agency-wide mix of position types, grades, status, gender and age band (suppressed)."""
    rows = []
    for dim in ("jenis_jabatan", "status", "golongan", "jenis_kelamin", "kelompok_usia"):
        if dim not in pegawai:
            continue
        counts = pegawai[dim].fillna("–").astype(str).value_counts().rename_axis("category").rename("n").reset_index()
        counts["share"] = counts["n"] / counts["n"].sum()
        counts.insert(0, "dimension", dim)
        rows.append(suppress_table(counts, value_cols=["share"], parent_cols=(), kind="distribution",
                                   settings=settings))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def load_clean_tables(ctx: Context) -> dict[str, pd.DataFrame]:
    """The clean tables written by stage 00 (restricted class): :func:`workbook.core.artefacts.clean_tables`."""
    return artefacts.clean_tables(ctx)


def run_data_check(ctx: Context, *, write: bool = True) -> DataCheck:
    """Validate and load the agency folder, compute the overview, write the stage artefacts."""
    from workbook.ingest.agency import load_agency

    agency = load_agency(ctx.data_dir, settings=ctx.settings, strict=False,
                         replace=getattr(ctx, "table_files", None))
    report = agency.report
    tables = agency.tables
    summary = _validation_summary(report)
    units = overview_units(tables, settings=ctx.settings) if "pegawai" in tables else pd.DataFrame()
    positions = overview_positions(tables["pegawai"], settings=ctx.settings) if "pegawai" in tables else pd.DataFrame()
    status = headcount_crosstab(tables["pegawai"], settings=ctx.settings) if "pegawai" in tables else pd.DataFrame()
    result = DataCheck(ctx, report, tables, summary, units, positions, status, deidentified=agency.deidentified)
    if write:
        agg = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE)
        res = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE, "restricted")
        shown_units = units.drop(columns=[c for c in units.columns if c.endswith("_raw")])
        written = [
            artefacts.write_parquet(summary, agg / "validation_summary.parquet"),
            artefacts.write_parquet(shown_units, agg / "overview_units.parquet"),
            artefacts.write_parquet(positions, agg / "overview_positions.parquet"),
            artefacts.write_parquet(status, agg / "headcount_status.parquet"),
            artefacts.write_parquet(agency.deidentified, agg / "deidentification.parquet"),
        ]
        written.append(artefacts.write_xlsx(
            {"ringkasan_validasi": summary, "unit": shown_units, "komposisi": positions,
             "deidentifikasi": agency.deidentified},
            agg / "data_check.xlsx", lang=ctx.lang, percent_cols=("response_rate", "share_reached", "share"),
            banner=t("class.aggregate", ctx.lang)))
        artefacts.write_manifest(agg, stage=STAGE, settings=ctx.settings, input_hashes=agency.input_hashes,
                                 params=ctx.params(), files=written)
        rwritten = [artefacts.write_parquet(report.to_frame(), res / "validation_report.parquet"),
                    artefacts.write_parquet(units, res / "overview_units_raw.parquet")]
        for name, df in tables.items():
            rwritten.append(artefacts.write_parquet(df, res / f"{name}.parquet"))
        artefacts.write_manifest(res, stage=STAGE, settings=ctx.settings, input_hashes=agency.input_hashes,
                                 params=ctx.params(), files=rwritten)
        result.written = written + rwritten
    return result


def _report_from_frame(frame: pd.DataFrame, data_dir: object) -> ValidationReport:
    """The validation report as written (``validation_report``): one problem per row.

    The file holds the Indonesian message; the English one is the standard text of the code.
    """
    def value(v):
        return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v

    problems = []
    for rec in frame.to_dict("records"):
        row = value(rec.get("row"))
        std = make_problem(str(rec["code"]))
        problems.append(Problem(str(rec["code"]), str(rec["severity"]), str(rec["message"]),
                                std.message_en, value(rec.get("file")),
                                None if row is None else int(row), value(rec.get("column")),
                                value(rec.get("value")), value(rec.get("expected"))))
    return ValidationReport(problems, str(data_dir))


def load_result(ctx: Context) -> DataCheck:
    """Stage 00's result rebuilt from the artefacts it wrote (read through the registry).

    The data folder is not read and nothing is validated again: ``tables`` are the clean tables,
    ``units`` the overview before suppression (``overview_units_raw``), ``report`` the written
    validation report. A missing artefact raises a bilingual
    :class:`~workbook.core.exceptions.DataError`.
    """
    def read(name: str) -> pd.DataFrame:
        return artefacts.read(ctx, STAGE, name)

    report = _report_from_frame(read("validation_report"), ctx.data_dir)
    dc = DataCheck(ctx, report, artefacts.clean_tables(ctx), read("validation_summary"),
                   read("overview_units_raw"), read("overview_positions"),
                   read("headcount_status"))
    try:
        dc.deidentified = read("deidentification")
    except DataError:  # an output folder written before the counts existed
        pass
    return dc
