"""``workbook report``: run the yearly cycle headless with papermill and write the reports.

The stage notebooks run **once for the agency** (profiles, plan and evaluation are agency-wide
decisions), in order, each reading the artefacts of the one before. Each executed notebook is
saved, and rendered to HTML without code. Parameters are validated before any run; a failing
stage is recorded in the status table (stage, status, duration, failing cell, message) and the
stages that depend on it are skipped with a reason; every output is written atomically.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbook import artefacts
from workbook.context import check_params, open_context
from workbook.exceptions import WorkbookError
from workbook.paths import notebooks_dir

__all__ = ["STAGE_NOTEBOOKS", "StageResult", "run_stages", "main"]

STAGE_NOTEBOOKS = ("00_data_check", "01_needs_analysis", "02_programme_plan", "03_evaluation")
FORMATS = ("html", "pdf", "xlsx")


@dataclass
class StageResult:
    stage: str
    status: str  # ok | failed | skipped
    duration_s: float
    failing_cell: int | None = None
    message: str = ""
    html: str | None = None


def _html(nb_path: Path, out_path: Path) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
    with artefacts.atomic_path(out_path) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return out_path


def run_stages(params: dict, *, stages: tuple[str, ...] | None = None, progress: bool = True,
               kernel_name: str = "python3") -> list[StageResult]:
    """Execute the available stage notebooks in order with ``params`` (the shared parameter set)."""
    import papermill as pm
    from tqdm.auto import tqdm

    params = check_params(params)
    ctx = open_context(**params)
    params = {**ctx.params(), "interactive": False}
    out_dir = artefacts.stage_dir(ctx.output_dir, ctx.year, "reports")
    nb_dir = notebooks_dir()
    wanted = [s for s in (stages or STAGE_NOTEBOOKS) if (nb_dir / f"{s}.ipynb").is_file()]
    results: list[StageResult] = []
    failed = None
    bar = tqdm(wanted, desc="workbook report", unit="tahap", disable=not progress, file=sys.stderr)
    for stage in bar:
        bar.set_postfix_str(stage)
        if failed is not None:
            results.append(StageResult(stage, "skipped", 0.0, message=f"tahap sebelumnya gagal / earlier stage failed: {failed}"))
            continue
        start = time.perf_counter()
        target = out_dir / "notebooks" / f"{stage}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with artefacts.atomic_path(target) as tmp:
                pm.execute_notebook(str(nb_dir / f"{stage}.ipynb"), str(tmp), parameters=params,
                                    kernel_name=kernel_name, cwd=str(nb_dir), progress_bar=False,
                                    report_mode=True, log_output=False)
            html = _html(target, out_dir / f"{stage}.html")
            results.append(StageResult(stage, "ok", time.perf_counter() - start, html=str(html)))
        except Exception as exc:  # noqa: BLE001 — recorded in the status table, never a traceback to a manager
            cell = getattr(exc, "exec_count", None) or getattr(exc, "cell_index", None)
            msg = getattr(exc, "evalue", None) or str(exc)
            results.append(StageResult(stage, "failed", time.perf_counter() - start, cell, str(msg)[:500]))
            failed = stage
            if os.environ.get("WORKBOOK_DEBUG"):
                traceback.print_exc()
    status = pd.DataFrame([r.__dict__ for r in results])
    artefacts.write_csv(status, out_dir / "status.csv")
    return results


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbook report", description=(
        "Jalankan siklus tahunan (pemeriksaan data, analisis kebutuhan, rencana, evaluasi) dan tulis laporan. / "
        "Run the yearly cycle and write the reports."))
    p.add_argument("--data", default=None, help="folder data instansi (bawaan data_samples/contoh)")
    p.add_argument("--out", default=None, help="folder keluaran (bawaan outputs/)")
    p.add_argument("--year", type=int, default=None, help="tahun rencana (bawaan: instansi.yaml)")
    p.add_argument("--units", default="all", help="all atau kode unit dipisah koma")
    p.add_argument("--lang", default="id", choices=["id", "en"])
    p.add_argument("--formats", default="html,pdf,xlsx", help="html,pdf,xlsx")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--settings", default=None, help="berkas pengaturan instansi (YAML)")
    p.add_argument("--debug", action="store_true", help="tampilkan traceback / show tracebacks")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        print(f"Format tidak dikenal / unknown format: {', '.join(bad)} (pilih/choose: {', '.join(FORMATS)})",
              file=sys.stderr)
        return 2
    if args.debug:
        os.environ["WORKBOOK_DEBUG"] = "1"
    params = {"data_dir": args.data, "output_dir": args.out, "year": args.year, "lang": args.lang,
              "settings_file": args.settings, "interactive": False}
    try:
        results = run_stages(params)
    except WorkbookError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    ctx = open_context(**params)
    out_dir = artefacts.stage_dir(ctx.output_dir, ctx.year, "reports", create=False)
    print()
    for r in results:
        mark = {"ok": "OK   ", "failed": "GAGAL", "skipped": "LEWAT"}[r.status]
        extra = f"  sel/cell {r.failing_cell}: {r.message}" if r.status == "failed" else (
            f"  {r.message}" if r.status == "skipped" else f"  {r.html}")
        print(f"  {mark} {r.stage:<20} {r.duration_s:6.1f} s{extra}")
    print(f"\nKeluaran / outputs: {ctx.output_dir / str(ctx.year)}")
    print(f"Tabel status / status table: {out_dir / 'status.csv'}")
    return 0 if all(r.status == "ok" for r in results) else 1
