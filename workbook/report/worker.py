"""One report task, as run by a worker process (local pool or Dask worker).

Importing this module warms the worker: pandas, matplotlib, WeasyPrint, IPython and the workbook's
stage and presentation modules are imported once, then every report notebook the worker executes
through papermill's in-process engine (:mod:`workbook.report.engine`) starts at once.
"""

from __future__ import annotations

import json
import time
import warnings
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # this worker process only; never exported to kernels

import pandas  # noqa: E402,F401
import weasyprint  # noqa: E402,F401

from workbook.core import artefacts  # noqa: E402
from workbook.report import laporan, render  # noqa: E402,F401
from workbook.report.engine import register  # noqa: E402

__all__ = ["run_report_task", "warm"]


def warm() -> bool:
    """Import everything a report needs (called once per worker)."""
    from workbook.evaluation import report as evaluation_report  # noqa: F401

    register()
    return True


def run_report_task(spec: dict[str, Any]) -> dict[str, Any]:
    """Execute the report notebook for one unit (or the agency) and write its manifest.

    ``spec``: ``params`` (notebook parameters), ``notebook`` (path), ``executed`` (where to save the
    executed notebook), ``manifest`` (path), ``manifest_data`` (hashes), ``engine`` (``workbook`` or
    ``kernel``), ``files`` (expected outputs). Never raises: the outcome is a status row.
    """
    import papermill as pm

    unit = spec["params"].get("unit") or render.AGENCY
    start = time.perf_counter()
    row = {"unit": unit, "status": "ok", "duration_s": 0.0, "failing_cell": None, "message": ""}
    try:
        engine = register() if spec.get("engine", "workbook") == "workbook" else None
        executed = Path(spec["executed"])
        executed.parent.mkdir(parents=True, exist_ok=True)
        with artefacts.atomic_path(executed) as tmp, warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="The specified file .* does not end in")
            pm.execute_notebook(spec["notebook"], str(tmp), parameters=spec["params"], engine_name=engine,
                                kernel_name="python3", cwd=str(Path(spec["notebook"]).parent), progress_bar=False,
                                report_mode=True, log_output=False)
        missing = [f for f in spec["files"] if not Path(f).is_file()]
        if missing:
            raise FileNotFoundError(f"berkas laporan tidak tertulis / report file not written: {missing[0]}")
        data = {**spec["manifest_data"], "files": {Path(f).name: artefacts.sha256_file(f) for f in spec["files"]}}
        artefacts.atomic_write_text(spec["manifest"], json.dumps(data, indent=2, ensure_ascii=False, default=str))
    except pm.PapermillExecutionError as exc:
        row.update(status="failed", failing_cell=exc.exec_count, message=f"{exc.ename}: {exc.evalue}"[:500])
    except Exception as exc:  # noqa: BLE001 — a failing unit never stops the others
        row.update(status="failed", message=f"{type(exc).__name__}: {exc}"[:500])
    row["duration_s"] = round(time.perf_counter() - start, 3)
    return row
