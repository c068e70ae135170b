"""Batch-run faults (``workbook report``): a unit whose Jupyter kernel dies does not stop the others.

The report notebook is copied with one cell added after the parameters cell that ends the kernel
process with ``os._exit(1)`` when ``unit`` is the chosen unit — the same thing the batch sees when
a kernel is killed by the out-of-memory killer or crashes in a C library. The batch runs with the
``kernel`` engine (a Jupyter kernel per report, as papermill's contract path) on two workers.
The same fault under the default engine (the worker process itself dies) fails only that unit too:
the unfinished tasks are retried one per fresh worker (``batch._run_pool``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from workbook.core.context import open_context
from workbook.core.paths import notebooks_dir, repo_root

SAMPLE = repo_root() / "data_samples" / "contoh"
DYING = "SETWAN"


@pytest.fixture(scope="module")
def out(sample_run, tmp_path_factory) -> Path:
    """Stage artefacts for the sample agency: a copy of the shared sample run's output folder
    (``tests/conftest.py``; the tests here write reports into it), which the report layer finds up
    to date (the stages ran a second time here before)."""
    from workbook.report.bundle import build_bundle

    d = tmp_path_factory.mktemp("batch_faults")
    shutil.copytree(sample_run.out, d, dirs_exist_ok=True)
    built = build_bundle(open_context(data_dir=str(SAMPLE), output_dir=str(d), interactive=False)).built
    assert set(built.values()) == {"artefacts"}, built  # read, not recomputed
    return d


def _dying_notebook(target: Path, unit: str) -> Path:
    """``04_laporan.ipynb`` with a cell after the parameters cell that kills the kernel for ``unit``."""
    nb = nbformat.read(notebooks_dir() / "04_laporan.ipynb", as_version=4)
    idx = next(i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    nb.cells.insert(idx + 1, nbformat.v4.new_code_cell(
        f"import os\nif unit == {unit!r}:\n    os._exit(1)  # the kernel process dies, as under the OOM killer"))
    nbformat.write(nb, target)
    return target


@pytest.mark.slow
def test_dead_kernel_fails_one_unit_only(out, tmp_path):
    from workbook.report.batch import run_reports
    from workbook.report.render import report_dir

    nb = _dying_notebook(tmp_path / "04_laporan_mati.ipynb", DYING)
    params = {"data_dir": str(SAMPLE), "output_dir": str(out), "interactive": False}
    ctx = open_context(**params)
    rows = run_reports(params, units=f"BAPPEDA,{DYING},KESBANGPOL", formats=("html",), jobs=2, engine="kernel",
                       notebook=nb, force=True, progress=False)
    st = {r["unit"]: r for r in rows}
    assert set(st) == {"INSTANSI", "BAPPEDA", DYING, "KESBANGPOL"}
    assert st[DYING]["status"] == "failed"
    assert "kernel" in st[DYING]["message"].lower(), st[DYING]["message"]
    assert {st[u]["status"] for u in ("INSTANSI", "BAPPEDA", "KESBANGPOL")} == {"ok"}, rows
    # the status table names the failure
    status = pd.read_csv(out / str(ctx.year) / "reports" / f"status_laporan_{ctx.lang}.csv")
    row = status.set_index("unit").loc[DYING]
    assert row["status"] == "failed" and "kernel" in str(row["message"]).lower()
    # the others are complete, with a manifest; the dead unit left no report and no half-written file
    for u in (None, "BAPPEDA", "KESBANGPOL"):
        d = report_dir(out, ctx.year, u)
        html = next(d.glob("*.html"))
        assert "</html>" in html.read_text(encoding="utf-8")
        assert html.name in json.loads((d / f"manifest_{ctx.lang}.json").read_text(encoding="utf-8"))["files"]
    dead = report_dir(out, ctx.year, DYING)
    assert not list(dead.glob("*.html")) and not (dead / f"manifest_{ctx.lang}.json").exists()
    assert not list((out / str(ctx.year)).rglob(".*.tmp")), "half-written file left behind"


@pytest.mark.slow
def test_dead_worker_fails_one_unit_only_with_inprocess_engine(out, tmp_path):
    from workbook.report.batch import run_reports

    nb = _dying_notebook(tmp_path / "04_laporan_mati.ipynb", DYING)
    rows = run_reports({"data_dir": str(SAMPLE), "output_dir": str(out), "interactive": False},
                       units=f"BAPPEDA,{DYING}", formats=("html",), jobs=2, engine="workbook", notebook=nb,
                       force=True, progress=False)
    st = {r["unit"]: r["status"] for r in rows}
    assert st == {"INSTANSI": "ok", "BAPPEDA": "ok", DYING: "failed"}, rows
