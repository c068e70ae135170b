"""Stage 03 — evaluation (Kirkpatrick L1–L4) and follow-up, once for the agency.

The run for plan year Y evaluates the programmes of Y−1 (participation and evaluation tables of
the data folder). The reference date for "pending" Level 3 measurements is the end of Y−1
(``reference_date``), so reruns give the same result.

Artefacts (``OUTPUT/<Y>/…``):

- ``03_evaluation/`` (aggregate; programmes and units with fewer than k people suppressed):
  ``level1``, ``level2``, ``level3``, ``level4``, ``followup_units``, ``maturity``,
  ``comparison`` (with Y−1's run when it exists), ``evaluation.xlsx``;
- ``restricted/03_evaluation/``: ``followup`` (person level, pseudonymous), ``carry_over`` —
  the needs carried into next year's run, read by :func:`workbook.stage_needs.run_needs` of Y+1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from workbook import artefacts, evaluation, followup, needs
from workbook.context import Context
from workbook.datacheck import load_clean_tables, run_data_check
from workbook.suppression import suppress_table

__all__ = ["EvaluationResult", "run_evaluation", "STAGE", "carry_over_path"]

STAGE = "03_evaluation"


@dataclass
class EvaluationResult:
    ctx: Context
    tables: dict[str, pd.DataFrame]
    level1: pd.DataFrame
    level2: pd.DataFrame
    level3: pd.DataFrame
    level4: pd.DataFrame
    followup: pd.DataFrame
    followup_units: pd.DataFrame
    carry_over: pd.DataFrame
    maturity: pd.DataFrame
    comparison: pd.DataFrame
    reliable_change: pd.DataFrame | None
    reference_date: pd.Timestamp
    written: list = field(default_factory=list)

    def programme_names(self) -> dict[str, str]:
        k = self.tables["katalog_program"]
        return dict(zip(k["program_id"], k["nama_program"], strict=False))


def carry_over_path(ctx: Context, year: int) -> object:
    """Where the run of plan year ``year`` leaves its carry-over file."""
    return artefacts.artefact_path(ctx.output_dir, year, STAGE, "carry_over", "restricted")


def _gaps(ctx: Context, tables: dict) -> pd.DataFrame | None:
    p = artefacts.artefact_path(ctx.output_dir, ctx.year, "01_needs", "gaps", "restricted")
    return pd.read_parquet(p) if p.is_file() else None


def shown_level2(res: EvaluationResult) -> pd.DataFrame:
    cols = [c for c in res.level2.columns if c not in ("program_id", "nama_program", "n", "suppressed",
                                                       "suppression_reason", "p_adjust_family", "method",
                                                       "method_reason", "method_reason_en", "verdict_id",
                                                       "verdict_en", "normality_test", "effect_type",
                                                       "hake_category", "hake_category_id", "effectiveness",
                                                       "effectiveness_feeds", "p_adjust_method")]
    num = [c for c in cols if pd.api.types.is_numeric_dtype(res.level2[c])]
    out = suppress_table(res.level2, n_col="n", value_cols=num, parent_cols=None, settings=res.ctx.settings)
    hidden = out["suppressed"]
    for c in ("verdict_id", "verdict_en", "effectiveness", "hake_category", "hake_category_id"):
        if c in out:
            out[c] = out[c].astype(object).where(~hidden, None)
    return out


def shown_level1(res: EvaluationResult) -> pd.DataFrame:
    num = [c for c in res.level1.columns if pd.api.types.is_numeric_dtype(res.level1[c]) and c != "n"]
    out = suppress_table(res.level1, n_col="n", value_cols=num, parent_cols=None, settings=res.ctx.settings)
    for c in ("category", "category_en"):
        if c in out:
            out[c] = out[c].astype(object).where(~out["suppressed"], None)
    return out


def run_evaluation(ctx: Context, *, write: bool = True, reference_date=None) -> EvaluationResult:
    s = ctx.settings
    tables = load_clean_tables(ctx)
    if "pegawai" not in tables:
        tables = run_data_check(ctx).tables
    katalog, peg = tables["katalog_program"], tables["pegawai"]
    ref = pd.Timestamp(reference_date) if reference_date is not None else pd.Timestamp(f"{ctx.year - 1}-12-31")
    empty = pd.DataFrame()
    l1 = evaluation.level1(tables["evaluasi_l1"], katalog, settings=s) if "evaluasi_l1" in tables else empty
    l2 = evaluation.level2(tables["evaluasi_l2"], katalog, strict=False, settings=s) if "evaluasi_l2" in tables else empty
    l3 = (evaluation.level3(tables["evaluasi_l3"], tables.get("realisasi_pengembangan"), settings=s, today=ref)
          if "evaluasi_l3" in tables else empty)
    l4 = evaluation.level4(tables["indikator_unit"], settings=s) if "indikator_unit" in tables else empty
    rci = None
    if "evaluasi_l2" in tables:
        try:
            rci = evaluation.reliable_change(tables["evaluasi_l2"], butir=tables.get("evaluasi_l2_butir"), settings=s)
        except Exception:  # noqa: BLE001 — optional; the reason is stated in the chapter
            rci = None
    gaps = _gaps(ctx, tables)
    jp = needs.jp_realisation(tables.get("realisasi_pengembangan"), peg, year=ctx.year - 1, settings=s)
    fu = followup.still_below_standard(tables.get("evaluasi_l2"), gaps, jp, katalog,
                                       realisasi=tables.get("realisasi_pengembangan"), pegawai=peg, settings=s)
    fu_units = followup.followup_counts_by_unit(fu, peg, settings=s)
    carry = followup.carry_over(fu, gaps, year=ctx.year)
    has_plan = artefacts.artefact_path(ctx.output_dir, ctx.year - 1, "02_plan", "plan_table").is_file() or \
        artefacts.artefact_path(ctx.output_dir, ctx.year, "02_plan", "plan_table").is_file()
    maturity = followup.maturity_ladder(has_plan, "realisasi_pengembangan" in tables and len(tables["realisasi_pengembangan"]) > 0,
                                        len(l2) > 0 or len(l1) > 0, len(fu) > 0)
    prev_path = artefacts.artefact_path(ctx.output_dir, ctx.year - 1, STAGE, "level2")
    prev = pd.read_parquet(prev_path) if prev_path.is_file() else None
    comparison = followup.compare_years(l2, prev, year_current=ctx.year, year_previous=ctx.year - 1) if len(l2) else empty
    res = EvaluationResult(ctx, tables, l1, l2, l3, l4, fu, fu_units, carry, maturity, comparison, rci, ref)
    if write:
        res.written = _write(res)
    return res


def _write(res: EvaluationResult) -> list:
    ctx = res.ctx
    agg = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE)
    rst = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE, "restricted")
    l1, l2 = shown_level1(res), shown_level2(res)
    written = [
        artefacts.write_parquet(l1, agg / "level1.parquet"),
        artefacts.write_parquet(l2, agg / "level2.parquet"),
        artefacts.write_parquet(res.level3, agg / "level3.parquet"),
        artefacts.write_parquet(res.level4, agg / "level4.parquet"),
        artefacts.write_parquet(res.followup_units, agg / "followup_units.parquet"),
        artefacts.write_parquet(res.maturity, agg / "maturity.parquet"),
        artefacts.write_parquet(res.comparison, agg / "comparison.parquet"),
    ]
    written.append(artefacts.write_xlsx(
        {"L1_reaksi": l1, "L2_pembelajaran": l2, "L3_perilaku": res.level3, "L4_hasil": res.level4,
         "tindak_lanjut_unit": res.followup_units, "tangga_merit": res.maturity},
        agg / "evaluation.xlsx", lang=ctx.lang, banner="Agregat (boleh dibagikan) / Aggregate (shareable)"))
    artefacts.write_manifest(agg, stage=STAGE, settings=ctx.settings, params=ctx.params(), files=written)
    rwritten = [artefacts.write_parquet(res.followup, rst / "followup.parquet"),
                artefacts.write_parquet(res.carry_over, rst / "carry_over.parquet")]
    if res.reliable_change is not None:
        rwritten.append(artefacts.write_parquet(res.reliable_change, rst / "reliable_change.parquet"))
    artefacts.write_manifest(rst, stage=STAGE, settings=ctx.settings, params=ctx.params(), files=rwritten)
    return written + rwritten
