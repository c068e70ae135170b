"""Benchmark of the batch of yearly reports (``workbook report``): 50 unit reports + the agency report,
HTML and PDF, against the papermill command line run per notebook, in the same run.

Steps (figures printed as a Markdown table; paste them into ``docs/benchmarks.md``):

1. An agency of ``--units`` (50) work units: the sample agency's employees split into sub-units
   (``DINKES``, ``DINKES-2``, …; the first part keeps the original code), in a temporary folder.
   The stages run once for the agency (in-process, not timed against the reports).
2. **Floor**: ``papermill.execute_notebook`` of an *empty* parameterised notebook (parameters cell
   only, a Jupyter kernel), median of 3; and the same through the ``papermill`` command line.
3. **Baseline**: the report notebook run with the ``papermill`` command line, one process and one
   kernel per report, for ``--baseline`` (4) units; the per-report time is extrapolated to 51.
4. **workbook report** with 1 worker and with 2 workers (warm worker processes, papermill's
   in-process engine), all 51 reports; speed-up 2 vs 1; per-unit time against 2 × the floor.
5. **PDF per page**: WeasyPrint time per page for the agency report and for one unit report.

Usage::

    python bench/reports.py                # 50 units, baseline on 4 units
    python bench/reports.py --units 20 --baseline 2
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_agency(dst: Path, n_units: int) -> list[str]:
    """Copy the sample agency, splitting its employees into ``n_units`` work units."""
    shutil.copytree(ROOT / "data_samples" / "contoh", dst)
    peg = pd.read_csv(dst / "pegawai.csv", dtype=str, keep_default_na=False)
    sizes = peg["kode_unit"].value_counts()
    parts = (sizes / sizes.sum() * n_units).round().clip(lower=1).astype(int)
    while parts.sum() > n_units:
        parts[parts.idxmax()] -= 1
    while parts.sum() < n_units:
        parts[(sizes / parts).idxmax()] += 1
    codes, names = [], []
    for unit, g in peg.groupby("kode_unit", sort=False):
        k = int(parts[unit])
        idx = {pid: i % k for i, pid in enumerate(sorted(g["pegawai_id"]))}
        part = g["pegawai_id"].map(idx)
        codes.append(g["kode_unit"].where(part == 0, g["kode_unit"] + "-" + (part + 1).astype(str)))
        names.append(g["nama_unit"].where(part == 0, g["nama_unit"] + " (Bagian " + (part + 1).astype(str) + ")"))
    peg["kode_unit"] = pd.concat(codes).reindex(peg.index)
    peg["nama_unit"] = pd.concat(names).reindex(peg.index)
    peg.to_csv(dst / "pegawai.csv", index=False)
    return sorted(peg["kode_unit"].unique())


def empty_notebook(path: Path) -> None:
    import nbformat

    src = nbformat.read(ROOT / "notebooks" / "04_laporan.ipynb", as_version=4)
    nb = nbformat.v4.new_notebook(metadata=src.metadata)
    nb.cells = [c for c in src.cells if "parameters" in c.metadata.get("tags", [])]
    nbformat.write(nb, path)


def floor(tmp: Path, params: dict) -> tuple[float, float]:
    import papermill as pm

    nb = tmp / "empty.ipynb"
    empty_notebook(nb)
    api = []
    for _ in range(3):
        t = time.perf_counter()
        pm.execute_notebook(str(nb), str(tmp / "empty_out.ipynb"), parameters=params, progress_bar=False)
        api.append(time.perf_counter() - t)
    cli = []
    pbin = Path(sys.executable).with_name("papermill")
    for _ in range(2):
        t = time.perf_counter()
        subprocess.run([str(pbin), str(nb), str(tmp / "empty_cli.ipynb"), "-p", "unit", "X", "--no-progress-bar"],
                       check=True, capture_output=True)
        cli.append(time.perf_counter() - t)
    return statistics.median(api), statistics.median(cli)


def baseline(tmp: Path, data: Path, out: Path, units: list[str]) -> list[float]:
    pbin = Path(sys.executable).with_name("papermill")
    times = []
    for u in units:
        t = time.perf_counter()
        subprocess.run([str(pbin), str(ROOT / "notebooks" / "04_laporan.ipynb"), str(tmp / f"base_{u}.ipynb"),
                        "-p", "data_dir", str(data), "-p", "output_dir", str(out), "-p", "unit", u,
                        "-p", "interactive", "False", "-p", "formats", "html,pdf", "--no-progress-bar",
                        "--cwd", str(ROOT / "notebooks")], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--units", type=int, default=50)
    ap.add_argument("--baseline", type=int, default=4, help="units run with the papermill CLI baseline")
    ap.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    from workbook.core.context import open_context
    from workbook.report.batch import run_reports
    from workbook.report.bundle import build_bundle
    from workbook.report.render import build_document, render_html, write_pdf

    tmp = Path(tempfile.mkdtemp(prefix="bench_reports_"))
    data, out = tmp / "data", tmp / "out"
    units = make_agency(data, args.units)
    params = {"data_dir": str(data), "output_dir": str(out), "interactive": False}
    t = time.perf_counter()
    bundle = build_bundle(open_context(**params))
    t_stages = time.perf_counter() - t
    f_api, f_cli = floor(tmp, {"unit": "X", "interactive": False})
    base = baseline(tmp, data, out, units[: args.baseline])
    base_per = statistics.median(base)
    res = {}
    for jobs in (1, 2):
        t = time.perf_counter()
        rows = run_reports(params, units="all", formats=("html", "pdf"), jobs=jobs, force=True, progress=False)
        res[jobs] = (time.perf_counter() - t, rows)
        bad = [r for r in rows if r["status"] != "ok"]
        if bad:
            print(f"failed reports with {jobs} worker(s): {bad[:3]}", file=sys.stderr)
            return 1
    t1, rows1 = res[1]
    t2, _ = res[2]
    unit_times = [r["duration_s"] for r in rows1 if r["unit"] != "INSTANSI"]
    unit_med, unit_max = statistics.median(unit_times), max(unit_times)
    pdf = {}
    for u in (None, units[0]):
        html = render_html(build_document(bundle, u))
        t = time.perf_counter()
        _, pages = write_pdf(html, tmp / f"pp_{u}.pdf")
        pdf[u or "INSTANSI"] = (time.perf_counter() - t, pages)
    n = len(units) + 1
    fig = {
        "units": len(units), "reports": n, "cores": os.cpu_count(), "stages_once_s": round(t_stages, 1),
        "floor_api_s": round(f_api, 2), "floor_cli_s": round(f_cli, 2),
        "baseline_cli_per_report_s": round(base_per, 2), "baseline_cli_51_extrapolated_s": round(base_per * n, 1),
        "workbook_1_worker_s": round(t1, 1), "workbook_2_workers_s": round(t2, 1), "speedup_2_vs_1": round(t1 / t2, 2),
        "speedup_vs_baseline_2_workers": round(base_per * n / t2, 1),
        "unit_report_median_s": round(unit_med, 2), "unit_report_max_s": round(unit_max, 2),
        "unit_median_over_floor_api": round(unit_med / f_api, 2), "unit_median_over_floor_cli": round(unit_med / f_cli, 2),
        "pdf": {k: {"seconds": round(v[0], 2), "pages": v[1], "s_per_page": round(v[0] / v[1], 3)} for k, v in pdf.items()},
        "load_average": os.getloadavg(),
    }
    print(json.dumps(fig, indent=1))
    print("\n| measure | value |\n|---|---|")
    for k, v in fig.items():
        print(f"| {k} | {v} |")
    if args.json:
        Path(args.json).write_text(json.dumps(fig, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
