"""``workbook report``: run the yearly cycle headless with papermill and write the reports.

Two phases. (1) The stage notebooks run **once for the agency** with papermill (:func:`run_stages`).
(2) The report notebook ``notebooks/04_laporan.ipynb`` is executed with papermill for the agency
and for every unit (:func:`run_reports`), on worker processes (``--jobs``) or on a Dask
distributed cluster (``--scheduler tcp://HOST:PORT``; shared storage), each rendering HTML, PDF
and XLSX from the stage artefacts (each worker loads the agency's stage results once; no stage
runs in this phase). A manifest per report (hashes of inputs, parameters,
settings, notebook, templates and workbook version) lets a rerun skip unchanged reports; a failing
unit is recorded in the status table and the others go on. ``--monitor`` writes the monthly
monitoring report instead (:mod:`workbook.report.monitor`).

The stage notebooks run **once for the agency** (profiles, plan and evaluation are agency-wide
decisions), in order, each reading the artefacts of the one before. Each executed notebook is
saved, and rendered to HTML without code. Parameters are validated before any run; a failing
stage is recorded in the status table (stage, status, duration, failing cell, message) and the
stages that depend on it are skipped with a reason; every output is written atomically.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import sys
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.core import artefacts
from workbook.core.context import check_params, open_context
from workbook.core.exceptions import SettingsError, WorkbookError
from workbook.core.i18n import CATALOGUES, catalogue_file
from workbook.core.lock import output_lock
from workbook.core.paths import notebooks_dir
from workbook.core.version import __version__
from workbook.pipeline import NOTEBOOKS, ORDER

__all__ = ["STAGE_NOTEBOOKS", "StageResult", "run_stages", "run_reports", "report_specs", "resolve_units",
           "status_table", "main"]

#: the stage notebooks in the order of the dependency graph (:data:`workbook.pipeline.ORDER`)
STAGE_NOTEBOOKS = tuple(NOTEBOOKS[s] for s in ORDER)
FORMATS = ("html", "pdf", "xlsx")
ENGINES = ("workbook", "kernel")


@dataclass
class StageResult:
    stage: str
    status: str  # ok | failed | skipped | unchanged
    duration_s: float
    failing_cell: int | None = None
    message: str = ""
    html: str | None = None


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.I | re.S)


def chapter_html(nb) -> str:
    """An executed stage notebook as a static HTML chapter without code, data kept as text.

    nbconvert sanitises every Markdown and HTML output (``sanitize_html=True``) with the
    workbook's allow-list (:func:`workbook.present.safe.clean_html`: figures as inline PNG,
    tables, lists, headings; no handler, no external URL); the template's own scripts
    (require.js, MathJax and Mermaid from CDNs) are left out and the page carries the
    Content-Security-Policy of the reports (no script, no fetch but inline images).
    """
    from nbconvert import HTMLExporter

    from workbook.present.safe import add_csp, clean_html

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            sanitize_html=True, filters={"clean_html": clean_html},
                            require_js_url="", mathjax_url="", jquery_url="")
    body, _ = exporter.from_notebook_node(nb)
    return add_csp(_SCRIPT.sub("", body))


def _html(nb_path: Path, out_path: Path) -> Path:
    import nbformat

    body = chapter_html(nbformat.read(nb_path, as_version=4))
    with artefacts.atomic_path(out_path) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return out_path


def _sha_json(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def _stages_key(ctx, params: dict, wanted: list[str]) -> dict:
    from workbook.report.bundle import input_hashes

    nb_dir = notebooks_dir()
    return {"inputs": input_hashes(ctx.data_dir), "params": params, "settings_sha256": ctx.settings.sha256,
            "notebooks": {s: artefacts.sha256_file(nb_dir / f"{s}.ipynb") for s in wanted},
            "workbook_version": __version__}


def run_stages(params: dict, *, stages: tuple[str, ...] | None = None, progress: bool = True,
               kernel_name: str = "python3", force: bool = False) -> list[StageResult]:
    """Execute the stage notebooks in order with ``params`` (the shared parameter set).

    When the inputs, parameters, settings, stage notebooks and workbook version are those of the
    last successful run (``reports/stages_manifest.json``) the stages are not run again
    (status ``unchanged``) unless ``force``.
    """
    params = check_params(params)
    ctx = open_context(**params)
    with output_lock(ctx.output_dir, command="workbook report"):  # a second run gets a clear message
        return _run_stages(ctx, stages=stages, progress=progress, kernel_name=kernel_name, force=force)


def _run_stages(ctx, *, stages: tuple[str, ...] | None, progress: bool, kernel_name: str,
                force: bool) -> list[StageResult]:
    import papermill as pm
    from tqdm.auto import tqdm

    params = {**ctx.params(), "interactive": False}
    out_dir = artefacts.stage_dir(ctx.output_dir, ctx.year, "reports")
    nb_dir = notebooks_dir()
    wanted = [s for s in (stages or STAGE_NOTEBOOKS) if (nb_dir / f"{s}.ipynb").is_file()]
    key = _stages_key(ctx, params, wanted)
    manifest = out_dir / "stages_manifest.json"
    if not force and manifest.is_file() and all((out_dir / f"{s}.html").is_file() for s in wanted):
        try:
            old = json.loads(manifest.read_text(encoding="utf-8"))
        except ValueError:
            old = {}
        if old.get("key") == key:
            return [StageResult(s, "unchanged", 0.0, html=str(out_dir / f"{s}.html")) for s in wanted]
    results: list[StageResult] = []
    failed = None
    bar = tqdm(wanted, desc="tahap / stages", unit="tahap", disable=not progress, file=sys.stderr)
    for stage in bar:
        bar.set_postfix_str(stage)
        if failed is not None:
            results.append(StageResult(stage, "skipped", 0.0, message=f"tahap sebelumnya gagal / earlier stage failed: {failed}"))
            continue
        start = time.perf_counter()
        target = out_dir / "notebooks" / f"{stage}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with artefacts.atomic_path(target) as tmp, warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="The specified file .* does not end in")
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
    if failed is None:
        artefacts.atomic_write_text(manifest, json.dumps({"key": key}, indent=1, default=str))
    elif manifest.is_file():
        manifest.unlink()
    return results


# ----------------------------------------------------------------------------- reports
def resolve_units(units: str | list[str] | None, available: list[str]) -> list[str | None]:
    """``"all"`` → agency + every unit; ``"A,B"`` → agency + A and B. Unknown codes are an error."""
    if units is None or (isinstance(units, str) and units.strip().lower() in ("", "all", "semua")):
        wanted = list(available)
    else:
        items = units.split(",") if isinstance(units, str) else list(units)
        wanted = [u.strip() for u in items if u and u.strip()]
        bad = [u for u in wanted if u not in available]
        if bad:
            raise SettingsError(f"Kode unit tidak dikenal: {', '.join(bad)}. Kode yang ada: {', '.join(available)}.",
                                f"Unknown unit code: {', '.join(bad)}. Available codes: {', '.join(available)}.",
                                column="units", value=",".join(bad))
    return [None, *dict.fromkeys(wanted)]


def _templates_sha() -> str:
    from importlib import resources

    root = resources.files("workbook.report")
    parts = [root.joinpath("report.css").read_bytes(), root.joinpath("templates", "report.html.j2").read_bytes()]
    for mod in ("render.py", "narrative.py", "bundle.py"):
        parts.append(root.joinpath(mod).read_bytes())
    # the words: every message catalogue but the widget pages'
    parts += [catalogue_file(p).read_bytes() for p in CATALOGUES if p != "workbook.ui"]
    # the chapters are written by the stages' report modules, with the kit of workbook.present
    for package, mod in (("workbook.present", "document.py"), ("workbook.ingest", "report.py"),
                         ("workbook.needs", "report.py"), ("workbook.plan", "report.py"),
                         ("workbook.evaluation", "report.py"),
                         ("workbook.evaluation", "roi_report.py")):
        parts.append(resources.files(package).joinpath(mod).read_bytes())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


def report_specs(ctx, units: list[str | None], formats: tuple[str, ...], *, engine: str = "workbook",
                 notebook: str | os.PathLike | None = None, force: bool = False) -> tuple[list[dict], list[dict]]:
    """Tasks to run and rows of reports skipped as unchanged (manifest identical, files present)."""
    from workbook.report.bundle import input_hashes
    from workbook.report.render import AGENCY, report_dir, report_files

    nb = Path(notebook) if notebook else notebooks_dir() / "04_laporan.ipynb"
    if not nb.is_file():
        raise SettingsError(f"Buku kerja laporan tidak ada: {nb}", f"Report notebook missing: {nb}", file=str(nb))
    common = {"inputs": input_hashes(ctx.data_dir), "settings_sha256": ctx.settings.sha256,
              "notebook_sha256": artefacts.sha256_file(nb), "templates_sha256": _templates_sha(),
              "workbook_version": __version__}
    todo, skipped = [], []
    for unit in units:
        params = {**ctx.params(), "unit": unit, "interactive": False, "formats": ",".join(formats)}
        files = report_files(ctx.output_dir, ctx.year, unit, ctx.lang, formats)
        d = report_dir(ctx.output_dir, ctx.year, unit)
        slug = unit or AGENCY
        manifest = d / f"manifest_{ctx.lang}.json"
        data = {**common, "unit": slug, "lang": ctx.lang, "formats": list(formats), "params": params}
        data["key"] = _sha_json(data)
        if not force and manifest.is_file() and all(p.is_file() for p in files.values()):
            try:
                old = json.loads(manifest.read_text(encoding="utf-8"))
            except ValueError:
                old = {}
            if old.get("key") == data["key"] and all(
                    old.get("files", {}).get(p.name) == artefacts.sha256_file(p) for p in files.values()):
                skipped.append({"unit": slug, "status": "unchanged", "duration_s": 0.0, "failing_cell": None,
                                "message": "tidak berubah / unchanged"})
                continue
        stem = files[formats[0]].stem
        todo.append({"params": params, "notebook": str(nb), "executed": str(d.parent.parent / "notebooks" / f"{stem}.ipynb"),
                     "manifest": str(manifest), "manifest_data": data, "engine": engine,
                     "files": [str(p) for p in files.values()]})
    return todo, skipped


def _run_serial(specs, on_done):
    from workbook.report.worker import run_report_task, warm

    warm()
    for spec in specs:
        on_done(run_report_task(spec))


def _pool(jobs: int):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from workbook.report.worker import warm

    # forkserver (POSIX) starts workers from a clean, preloaded server; spawn elsewhere (Windows)
    if "forkserver" in mp.get_all_start_methods():
        mpctx = mp.get_context("forkserver")
        mpctx.set_forkserver_preload(["workbook.report.worker"])
    else:
        mpctx = mp.get_context("spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=mpctx, initializer=warm)


def _died(spec: dict) -> dict:
    unit = spec["params"].get("unit") or "INSTANSI"
    return {"unit": unit, "status": "failed", "duration_s": 0.0, "failing_cell": None,
            "message": "proses pekerja berhenti mendadak (mis. kehabisan memori) / "
                       "the worker process died (e.g. out of memory)"}


def _run_pool(specs, jobs, on_done):
    """Run the report tasks on worker processes; a worker that dies fails only its own unit.

    When a worker process dies (OOM killer, a crash in a C library), every pending future of that
    pool raises ``BrokenProcessPool`` and the culprit cannot be told apart; the unfinished tasks
    are then retried one at a time, each in a fresh single-worker pool, so the one that kills its
    worker again is marked failed and the others complete.
    """
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    from workbook.report.worker import run_report_task

    pending: list[dict] = []
    with _pool(jobs) as pool:
        futures = {pool.submit(run_report_task, spec): spec for spec in specs}
        for fut in as_completed(futures):
            try:
                on_done(fut.result())
            except BrokenProcessPool:
                pending.append(futures[fut])
    for spec in pending:
        with _pool(1) as pool:
            try:
                on_done(pool.submit(run_report_task, spec).result())
            except BrokenProcessPool:
                on_done(_died(spec))


def _run_dask(specs, scheduler, on_done):
    from distributed import Client, as_completed

    from workbook.report.worker import run_report_task, warm

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout="30s")
    try:
        client.run(warm)
        futures = client.map(run_report_task, specs, pure=False)
        for fut in as_completed(futures):
            on_done(fut.result())
    finally:
        if not isinstance(scheduler, Client):
            client.close()


def run_reports(params: dict, *, units: str | list[str] | None = "all", formats: tuple[str, ...] = FORMATS,
                jobs: int | None = None, scheduler: Any = None, engine: str = "workbook",
                notebook: str | os.PathLike | None = None, force: bool = False,
                progress: bool = True) -> list[dict]:
    """Render the agency report and the unit reports (see the module docstring); returns status rows.

    ``scheduler``: a Dask scheduler address (``tcp://HOST:PORT``) or a ``distributed.Client``; the
    workers must see the same data and output paths (shared storage).
    """
    from workbook.report.laporan import parse_formats

    formats = parse_formats(formats)
    if engine not in ENGINES:
        raise SettingsError(f"Mesin tidak dikenal: {engine} (pilih {', '.join(ENGINES)}).",
                            f"Unknown engine: {engine} (choose {', '.join(ENGINES)}).", column="engine", value=engine)
    params = check_params(params)
    ctx = open_context(**{**params, "interactive": False})
    with output_lock(ctx.output_dir, command="workbook report"):
        return _run_reports(ctx, units=units, formats=formats, jobs=jobs, scheduler=scheduler, engine=engine,
                            notebook=notebook, force=force, progress=progress)


def _run_reports(ctx, *, units, formats, jobs, scheduler, engine, notebook, force, progress) -> list[dict]:
    from tqdm.auto import tqdm

    from workbook.core.artefacts import INGEST
    from workbook.report.bundle import ensure_stages

    ensure_stages(ctx)  # a missing stage runs once, before any report; workers read the artefacts
    codes = artefacts.read(ctx, INGEST, "overview_units")["kode_unit"]
    unit_list = resolve_units(units, sorted(map(str, codes)))
    specs, rows = report_specs(ctx, unit_list, formats, engine=engine, notebook=notebook, force=force)
    bar = tqdm(total=len(specs), desc="laporan / reports", unit="laporan", disable=not progress or not specs,
               file=sys.stderr)

    def done(row: dict) -> None:
        rows.append(row)
        bar.update(1)
        bar.set_postfix_str(f"{row['unit']} {row['status']}")

    jobs = max(1, int(jobs or os.cpu_count() or 1))
    if specs:
        if scheduler is not None:
            _run_dask(specs, scheduler, done)
        elif jobs == 1 or len(specs) == 1:
            _run_serial(specs, done)
        else:
            _run_pool(specs, min(jobs, len(specs)), done)
    bar.close()
    order = {(u or "INSTANSI"): i for i, u in enumerate(unit_list)}
    rows.sort(key=lambda r: order.get(r["unit"], 1 << 30))
    out_dir = artefacts.stage_dir(ctx.output_dir, ctx.year, "reports")
    artefacts.write_csv(status_table(rows), out_dir / f"status_laporan_{ctx.lang}.csv")
    return rows


def status_table(rows: list[dict]) -> pd.DataFrame:
    """unit, status, duration_s, failing_cell, message — one row per report."""
    cols = ["unit", "status", "duration_s", "failing_cell", "message"]
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)


# ----------------------------------------------------------------------------- CLI
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbook report", description=(
        "Jalankan siklus tahunan (pemeriksaan data, analisis kebutuhan, rencana, evaluasi) dan tulis laporan instansi "
        "dan per unit (HTML, PDF, XLSX). / Run the yearly cycle and write the agency and unit reports."))
    p.add_argument("--data", default=None, help="folder data instansi (bawaan data_samples/contoh)")
    p.add_argument("--out", default=None, help="folder keluaran (bawaan outputs/)")
    p.add_argument("--year", type=int, default=None, help="tahun rencana (bawaan: instansi.yaml)")
    p.add_argument("--units", default="all", help="all atau kode unit dipisah koma / all or comma-separated unit codes")
    p.add_argument("--lang", default="id", choices=["id", "en"])
    p.add_argument("--formats", default="html,pdf,xlsx", help="html,pdf,xlsx")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="proses pekerja / worker processes")
    p.add_argument("--settings", default=None, help="berkas pengaturan instansi (YAML)")
    p.add_argument("--scheduler", default=None, help="alamat Dask tcp://HOST:PORT (penyimpanan bersama)")
    p.add_argument("--engine", default="workbook", choices=ENGINES,
                   help="workbook: papermill dalam proses pekerja (cepat); kernel: kernel Jupyter per laporan")
    p.add_argument("--force", action="store_true", help="jalankan ulang semua / redo everything")
    p.add_argument("--monitor", action="store_true", help="laporan pemantauan bulanan / monthly monitoring report")
    p.add_argument("--month", default=None, help="bulan pemantauan YYYY-MM (bawaan: bulan data terakhir)")
    p.add_argument("--no-progress", action="store_true", help="tanpa bilah kemajuan / no progress bar")
    p.add_argument("--debug", action="store_true", help="tampilkan traceback / show tracebacks")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.debug:
        os.environ["WORKBOOK_DEBUG"] = "1"
    with contextlib.ExitStack() as held:  # the output folder's lock, for both phases
        return _main(args, held)


def _main(args: argparse.Namespace, held: contextlib.ExitStack) -> int:
    params = {"data_dir": args.data, "output_dir": args.out, "year": args.year, "lang": args.lang,
              "settings_file": args.settings, "interactive": False}
    try:
        from workbook.report.laporan import parse_formats

        formats = parse_formats(args.formats)
        if args.jobs < 1:
            raise SettingsError("--jobs harus ≥ 1.", "--jobs must be ≥ 1.", column="jobs", value=args.jobs)
        params = check_params(params)
        ctx = open_context(**params)
        held.enter_context(output_lock(ctx.output_dir, command="workbook report"))
        if args.monitor:
            from workbook.report.monitor import run_monitor

            res = run_monitor(ctx, month=args.month, formats=formats)
            for f in res.files.values():
                print(f"  {f}")
            return 0
        stages = run_stages(params, progress=not args.no_progress, force=args.force)
    except WorkbookError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 2 if isinstance(exc, SettingsError) else 1
    mark = {"ok": "OK     ", "failed": "GAGAL  ", "skipped": "LEWAT  ", "unchanged": "TETAP  "}
    print()
    for r in stages:
        extra = f"  sel/cell {r.failing_cell}: {r.message}" if r.status == "failed" else (
            f"  {r.message}" if r.status == "skipped" else f"  {r.html}")
        print(f"  {mark[r.status]} {r.stage:<20} {r.duration_s:6.1f} s{extra}")
    if any(r.status != "ok" and r.status != "unchanged" for r in stages):
        print("\nTahap gagal; laporan tidak dibuat. / A stage failed; no reports were written.", file=sys.stderr)
        return 1
    try:
        rows = run_reports(params, units=args.units, formats=formats, jobs=args.jobs, scheduler=args.scheduler,
                           engine=args.engine, force=args.force, progress=not args.no_progress)
    except WorkbookError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 2 if isinstance(exc, SettingsError) else 1
    print(f"\n  {'unit':<14}{'status':<11}{'detik/s':>8}  {'sel/cell':<9}pesan / message")
    for r in rows:
        cell = "" if r.get("failing_cell") is None else str(r["failing_cell"])
        print(f"  {r['unit']:<14}{mark[r['status']]:<11}{r['duration_s']:>8.1f}  {cell:<9}{r.get('message', '')}")
    from workbook.report.render import report_dir

    out_dir = artefacts.stage_dir(ctx.output_dir, ctx.year, "reports", create=False)
    n_fail = sum(r["status"] == "failed" for r in rows)
    print(f"\nLaporan / reports: {report_dir(ctx.output_dir, ctx.year, None).parent}")
    print(f"Tabel status / status table: {out_dir / f'status_laporan_{ctx.lang}.csv'}")
    if n_fail:
        print(f"{n_fail} laporan gagal; perbaiki lalu jalankan lagi — yang tidak berubah dilewati. / "
              f"{n_fail} report(s) failed; fix and rerun — unchanged reports are skipped.", file=sys.stderr)
    return 1 if n_fail else 0
