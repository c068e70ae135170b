"""Data of the manager dashboards: one plan year's aggregate artefacts, read once per kernel.

:func:`load_dashboard_data` reads one plan year's stage artefacts once per kernel process (cached
by output folder, year and the artefacts' modification times) and derives small per-unit tables
from the pseudonymous stage outputs (share of staff below standard, follow-up counts…), suppressed
with :func:`workbook.core.suppression.suppress_table`. Nothing person-level leaves this step; a
filter change never reloads or recomputes a stage.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.core import artefacts
from workbook.core.i18n import LANGS
from workbook.core.suppression import suppress_table

__all__ = ["STAGE_FILES", "DashboardData", "load_dashboard_data", "load_bundle", "clear_cache",
           "available_years", "missing_stages", "read_artefact", "suppress_k", "REASON_CODES"]

#: the follow-up reasons the dashboards count, in their order (codes of
#: :mod:`workbook.evaluation.followup`; words: ``workbook.evaluation.words.FOLLOWUP_REASONS``)
REASON_CODES = ("kesenjangan_tersisa", "post_test_rendah", "gain_rendah")

#: one artefact whose presence shows that a stage has run
STAGE_FILES = {"00_data_check": "overview_units", "01_needs": "unit_competency", "02_plan": "plan_table",
               "03_evaluation": "level2"}


@dataclass
class DashboardData:
    """One plan year's artefacts, loaded once per kernel process.

    ``tables`` holds the aggregate artefacts by name; the derived tables are per unit, already
    suppressed, with an agency row ``kode_unit == "INSTANSI"`` where a total is shown.
    """

    output_dir: Path
    year: int
    k: int
    tables: dict[str, pd.DataFrame]
    missing: list[str]
    units: pd.DataFrame
    unit_stats: pd.DataFrame
    competency_agency: pd.DataFrame
    competency_names: dict[str, dict[str, str]]
    programme_units: pd.DataFrame
    followup_units: pd.DataFrame
    carry_units: pd.DataFrame
    load_seconds: float = 0.0

    def unit_codes(self) -> list[str]:
        """The codes of the agency's units, sorted."""
        return list(self.units["kode_unit"])

    def unit_name(self, code: str | None) -> str:
        """The name of unit ``code`` (the code itself when unknown; empty for the whole agency)."""
        if code is None:
            return ""
        m = self.units.loc[self.units["kode_unit"] == code, "nama_unit"]
        return str(m.iloc[0]) if len(m) else code


_CACHE: dict[tuple, DashboardData] = {}


def clear_cache() -> None:
    """Forget every loaded year (tests; a rerun of the stages is picked up anyway)."""
    _CACHE.clear()


def available_years(output_dir: str | os.PathLike) -> list[int]:
    """Plan years with at least one stage's results under ``output_dir``, newest first."""
    root = Path(output_dir)
    if not root.is_dir():
        return []
    years = []
    for p in root.iterdir():
        if p.is_dir() and p.name.isdigit() and any((p / s / f"{f}.parquet").is_file() for s, f in STAGE_FILES.items()):
            years.append(int(p.name))
    return sorted(years, reverse=True)


def missing_stages(output_dir: str | os.PathLike, year: int) -> list[str]:
    """The stages whose results for ``year`` are not in ``output_dir``."""
    return [s for s, f in STAGE_FILES.items()
            if not artefacts.artefact_path(output_dir, year, s, f).is_file()]


def _stamp(output_dir: Path, year: int) -> tuple:
    out = []
    for s in STAGE_FILES:
        for cls in ("aggregate", "restricted"):
            m = artefacts.stage_dir(output_dir, year, s, cls, create=False) / "manifest.json"
            out.append(m.stat().st_mtime_ns if m.is_file() else 0)
    return tuple(out)


def read_artefact(output_dir: Path, year: int, stage: str, name: str, cls: str = "aggregate",
                  columns: list[str] | None = None) -> pd.DataFrame:
    """One artefact of ``year`` (only ``columns`` when given); an empty frame when it is missing."""
    p = artefacts.artefact_path(output_dir, year, stage, name, cls)
    if not p.is_file():
        return pd.DataFrame()
    return pd.read_parquet(p, columns=columns)


def _suppress(df: pd.DataFrame, n_col: str, cols: list[str], shares: list[str], settings, suffix: str) -> pd.DataFrame:
    """Suppress one measure group of the per-unit table (the agency row is its parent total)."""
    units = df[df["kode_unit"] != "INSTANSI"]
    agency = df[df["kode_unit"] == "INSTANSI"]
    out = suppress_table(units[["kode_unit", n_col, *cols]], n_col=n_col, value_cols=cols, share_cols=shares,
                         parent_cols=(), settings=settings)
    ag = agency[["kode_unit", n_col, *cols]].copy()
    ag["suppressed"] = pd.to_numeric(ag[n_col], errors="coerce").fillna(0) < suppress_k(settings)
    ag["suppression_reason"] = np.where(ag["suppressed"], "primary", "")
    out = pd.concat([out, ag], ignore_index=True)
    return out.rename(columns={"suppressed": f"suppressed_{suffix}", "suppression_reason": f"reason_{suffix}"})


def suppress_k(settings) -> int:
    """The smallest group shown (setting ``suppression.k_count``)."""
    return int(settings["suppression.k_count"])


def _unit_stats(pegawai: pd.DataFrame, survey: pd.DataFrame, gaps: pd.DataFrame, perf: pd.DataFrame,
                settings) -> pd.DataFrame:
    """Per unit (and agency): headcount, survey response, staff below standard, below target."""
    head = pegawai.groupby("kode_unit").size().rename("headcount")
    resp_ids = set(survey["pegawai_id"]) if "pegawai_id" in survey else set()
    resp = pegawai[pegawai["pegawai_id"].isin(resp_ids)].groupby("kode_unit").size().rename("n_respondents")
    if len(gaps):
        g = gaps.dropna(subset=["below_standard"])
        person = g.groupby(["kode_unit", "pegawai_id"], sort=False)["below_standard"].any().reset_index()
        assessed = person.groupby("kode_unit").agg(n_assessed=("pegawai_id", "size"),
                                                   n_below=("below_standard", "sum"))
    else:
        assessed = pd.DataFrame(columns=["n_assessed", "n_below"])
    if len(perf):
        p = perf.dropna(subset=["below_target"])
        pf = p.groupby("kode_unit").agg(n_perf=("pegawai_id", "size"), n_below_perf=("below_target", "sum"))
    else:
        pf = pd.DataFrame(columns=["n_perf", "n_below_perf"])
    u = pd.concat([head, resp, assessed, pf], axis=1).fillna(0).astype(float)
    u.loc["INSTANSI"] = u.sum()
    u = u.reset_index(names="kode_unit")
    with np.errstate(invalid="ignore", divide="ignore"):
        u["response_rate"] = u["n_respondents"] / u["headcount"]
        u["share_below"] = u["n_below"] / u["n_assessed"]
        u["share_below_perf"] = u["n_below_perf"] / u["n_perf"]
    a = _suppress(u, "headcount", ["n_respondents", "response_rate"], ["response_rate"], settings, "resp")
    # as in stage 01: the group behind the needs figures is the smaller of assessed staff and respondents
    u["n_basis"] = np.minimum(u["n_assessed"], u["n_respondents"])
    b = _suppress(u, "n_basis", ["n_assessed", "n_below", "share_below"], ["share_below"], settings, "below")
    c = _suppress(u, "n_perf", ["n_below_perf", "share_below_perf"], ["share_below_perf"], settings, "perf")
    return a.merge(b, on="kode_unit").merge(c, on="kode_unit")


def _competency_agency(gaps: pd.DataFrame, settings) -> pd.DataFrame:
    if not len(gaps):
        return pd.DataFrame(columns=["kode_kompetensi", "n_assessed", "n_below", "share_below", "mean_gap"])
    g = gaps.dropna(subset=["below_standard"])
    c = g.groupby("kode_kompetensi").agg(n_assessed=("pegawai_id", "size"), n_below=("below_standard", "sum"),
                                         mean_gap=("gap", "mean")).reset_index()
    c["n_below"] = c["n_below"].astype(float)
    c["share_below"] = c["n_below"] / c["n_assessed"]
    return suppress_table(c, n_col="n_assessed", value_cols=["n_below", "share_below", "mean_gap"],
                          share_cols=["share_below"], parent_cols=None, settings=settings)


def _followup_units(fu: pd.DataFrame, pegawai: pd.DataFrame, settings) -> pd.DataFrame:
    """Distinct staff needing follow-up per unit, overall and per reason (long), suppressed."""
    cols = ["kode_unit", "reason", "n", "headcount", "share", "suppressed"]
    if not len(fu):
        return pd.DataFrame(columns=cols)
    head = pegawai.groupby("kode_unit").size()
    rows = []
    total = fu.groupby("kode_unit")["pegawai_id"].nunique()
    by_reason = fu.groupby(["kode_unit", "reason"])["pegawai_id"].nunique()
    for unit in head.index:
        rows.append((unit, "_total", float(total.get(unit, 0)), float(head[unit])))
        for r in REASON_CODES:
            rows.append((unit, r, float(by_reason.get((unit, r), 0)), float(head[unit])))
    df = pd.DataFrame(rows, columns=["kode_unit", "reason", "n", "headcount"])
    df["share"] = df["n"] / df["headcount"]
    out = _suppress_cells(df, settings)
    agency = [("INSTANSI", "_total", float(fu["pegawai_id"].nunique()), float(head.sum()))]
    agency += [("INSTANSI", r, float(fu.loc[fu["reason"] == r, "pegawai_id"].nunique()), float(head.sum()))
               for r in REASON_CODES]
    ag = pd.DataFrame(agency, columns=["kode_unit", "reason", "n", "headcount"])
    ag["share"] = ag["n"] / ag["headcount"]
    ag["suppressed"] = False
    ag["suppression_reason"] = ""
    return pd.concat([out, ag], ignore_index=True)


def _suppress_cells(df: pd.DataFrame, settings, parent: str | None = "reason") -> pd.DataFrame:
    """Hide a cell when its unit has fewer than k staff or it counts 1…k−1 people; then hide the
    next-smallest sibling wherever the agency total would give a hidden cell away.

    The group size used is ``min(headcount, n)`` with ``n = 0`` counted as safe (nobody flagged
    tells nothing about a person).
    """
    d = df.copy()
    n = pd.to_numeric(d["n"], errors="coerce").fillna(0)
    d["n_eff"] = np.minimum(d["headcount"], n.where(n > 0, np.inf))
    cols = [c for c in ("n", "share", "headcount", "n_needs") if c in d]
    out = suppress_table(d, n_col="n_eff", value_cols=cols, share_cols=[],
                         parent_cols=[parent] if parent else (), settings=settings)
    return out.drop(columns=["n_eff"])


def _carry_units(carry: pd.DataFrame, pegawai: pd.DataFrame, settings) -> pd.DataFrame:
    if not len(carry):
        return pd.DataFrame(columns=["kode_unit", "n_needs", "headcount", "suppressed"])
    c = carry.merge(pegawai[["pegawai_id", "kode_unit"]], on="pegawai_id", how="left")
    head = pegawai.groupby("kode_unit").size().rename("headcount")
    n = c.groupby("kode_unit").size().rename("n_needs")
    persons = c.groupby("kode_unit")["pegawai_id"].nunique().rename("n")
    df = pd.concat([head, n, persons], axis=1).fillna(0).astype(float).reset_index(names="kode_unit")
    out = _suppress_cells(df, settings, parent=None).drop(columns=["n"])
    ag = pd.DataFrame({"kode_unit": ["INSTANSI"], "headcount": [float(head.sum())], "n_needs": [float(len(c))],
                       "suppressed": [False], "suppression_reason": [""]})
    return pd.concat([out, ag], ignore_index=True)


def _programme_units(real: pd.DataFrame, pegawai: pd.DataFrame) -> pd.DataFrame:
    """Which programmes had participants from which unit (membership only, for the unit filter)."""
    if not len(real) or "program_id" not in real:
        return pd.DataFrame(columns=["program_id", "kode_unit"])
    r = real.dropna(subset=["program_id"]).merge(pegawai[["pegawai_id", "kode_unit"]], on="pegawai_id")
    return r[["program_id", "kode_unit"]].drop_duplicates().reset_index(drop=True)


_AGG = {
    "01_needs": ["unit_competency", "need_ranking", "performance_units"],
    "02_plan": ["coverage", "budget_units", "budget_lines", "explanations", "plan_table"],
    "03_evaluation": ["level1", "level2", "level4", "maturity", "followup_units"],
}


def load_dashboard_data(output_dir: str | os.PathLike, year: int, settings) -> DashboardData:
    """Load (once per process) the aggregate artefacts of ``year`` and derive the per-unit tables.

    The result is cached by output folder, year and the modification times of the stage
    manifests: a filter change never reads a file, and a rerun of a stage is picked up.
    """
    output_dir = Path(output_dir)
    key = (str(output_dir.resolve()), int(year), _stamp(output_dir, year), settings.sha256)
    if key in _CACHE:
        return _CACHE[key]
    start = time.perf_counter()
    missing = missing_stages(output_dir, year)
    tables = {name: read_artefact(output_dir, year, stage, name) for stage, names in _AGG.items() for name in names}
    dc = "00_data_check"
    pegawai = read_artefact(output_dir, year, dc, "pegawai", "restricted", ["pegawai_id", "kode_unit", "nama_unit"])
    survey = read_artefact(output_dir, year, dc, "survei_pegawai", "restricted", ["pegawai_id"])
    kamus = read_artefact(output_dir, year, dc, "kamus_kompetensi", "restricted")
    real = read_artefact(output_dir, year, dc, "realisasi_pengembangan", "restricted", ["pegawai_id", "program_id"])
    gaps = read_artefact(output_dir, year, "01_needs", "gaps", "restricted",
                 ["pegawai_id", "kode_unit", "kode_kompetensi", "gap", "below_standard"])
    perf = read_artefact(output_dir, year, "01_needs", "performance", "restricted", ["pegawai_id", "kode_unit", "below_target"])
    fu = read_artefact(output_dir, year, "03_evaluation", "followup", "restricted", ["pegawai_id", "kode_unit", "reason"])
    carry = read_artefact(output_dir, year, "03_evaluation", "carry_over", "restricted", ["pegawai_id"])
    if not len(pegawai):
        units = pd.DataFrame(columns=["kode_unit", "nama_unit"])
        pegawai = pd.DataFrame(columns=["pegawai_id", "kode_unit", "nama_unit"])
    else:
        units = pegawai[["kode_unit", "nama_unit"]].drop_duplicates("kode_unit").sort_values("kode_unit")
    names: dict[str, dict] = {lang: {} for lang in LANGS}
    if len(kamus):
        names = {lang: dict(zip(kamus["kode_kompetensi"], kamus[f"nama_{lang}"], strict=False))
                 for lang in LANGS}
    b = DashboardData(
        output_dir=output_dir, year=int(year), k=suppress_k(settings), tables=tables, missing=missing,
        units=units.reset_index(drop=True),
        unit_stats=_unit_stats(pegawai, survey, gaps, perf, settings) if len(pegawai) else pd.DataFrame(),
        competency_agency=_competency_agency(gaps, settings), competency_names=names,
        programme_units=_programme_units(real, pegawai),
        followup_units=_followup_units(fu, pegawai, settings) if len(pegawai) else pd.DataFrame(),
        carry_units=_carry_units(carry, pegawai, settings) if len(pegawai) else pd.DataFrame(),
    )
    del gaps, perf, fu, carry, real, survey
    b.load_seconds = time.perf_counter() - start
    _CACHE.clear()  # one year at a time per kernel: keeps a session's memory flat
    _CACHE[key] = b
    return b


#: the earlier name (tests and ``bench/dashboard.py`` call it)
load_bundle = load_dashboard_data
