"""The report phase runs no stage: every report is built from the artefacts the stages wrote.

A small generated agency goes through the four stages once (``workbook.pipeline``). Then the
agency report and a unit report are built — by the report notebook's call and the way
``workbook report`` builds them (report notebook executed in-process) — while every call to a
stage runner (``workbook.<stage>.stage.run_*``) is counted: there must be none, and no pickle may
be left in the output folder. When a stage's artefacts are missing, the report layer has
``workbook.pipeline`` run that stage (and only that stage) first.
"""

from __future__ import annotations

import dataclasses
import importlib
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from workbook.core.context import open_context
from workbook.core.problems import ValidationReport

RUNNERS = {"workbook.ingest.stage": "run_data_check", "workbook.evaluation.stage": "run_evaluation",
           "workbook.needs.stage": "run_needs", "workbook.plan.stage": "run_plan"}
UNIT = "KESBANGPOL"  # the generator's tiny unit: its figures are suppressed


@pytest.fixture(scope="module")
def agency(tmp_path_factory) -> dict:
    """A generated agency of 150 employees, through the four stages once; the stage results kept."""
    from workbook import pipeline
    from workbook.sample import write_agency

    root = tmp_path_factory.mktemp("no_stage_runs")
    write_agency(root / "data", 150, seed=5)
    params = {"data_dir": str(root / "data"), "output_dir": str(root / "out"), "interactive": False}
    ctx = open_context(**params)
    results = {"00_data_check": pipeline.run_data_check(ctx),
               "03_evaluation": pipeline.run_evaluation(ctx),
               "01_needs": pipeline.run_needs(ctx), "02_plan": pipeline.run_plan(ctx)}
    return {"root": root, "params": params, "results": results}


@pytest.fixture
def runs(monkeypatch) -> Counter:
    """Counts calls to the four stage runners (the pipeline looks them up on their modules)."""
    counts: Counter = Counter()
    def counter(run, name):
        def counted(*args, **kwargs):
            counts[name] += 1
            return run(*args, **kwargs)
        return counted

    for module_name, name in RUNNERS.items():
        module = importlib.import_module(module_name)
        monkeypatch.setattr(module, name, counter(getattr(module, name), name))
    return counts


def _pickles(root: Path) -> list[Path]:
    return sorted(root.rglob("*.pkl")) + sorted(root.rglob("*.pickle"))


def test_agency_and_unit_report_run_no_stage(agency, runs):
    from workbook.report.laporan import make_report

    for unit in (None, UNIT):
        res = make_report(open_context(**agency["params"], unit=unit), formats=("html",))
        assert "</html>" in res.files["html"].read_text(encoding="utf-8")
    assert sum(runs.values()) == 0, dict(runs)
    assert not _pickles(agency["root"] / "out")


def test_workbook_report_style_run_runs_no_stage_and_leaves_no_pickle(agency, runs):
    from workbook.report.batch import run_reports

    rows = run_reports(agency["params"], units=UNIT, formats=("html",), jobs=1, force=True,
                       progress=False)
    assert {r["unit"]: r["status"] for r in rows} == {"INSTANSI": "ok", UNIT: "ok"}, rows
    assert sum(runs.values()) == 0, dict(runs)
    assert not _pickles(agency["root"] / "out")


def _problems(report) -> list[tuple]:
    return [(p.severity, p.code, p.file, p.row, p.column, p.value, p.expected, p.message_id)
            for p in report.sorted()]


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Values only: a fresh index, every blank (None, NaN, NA) the same."""
    df = df.reset_index(drop=True)
    return df.astype(object).where(df.notna(), None)


def _same(loaded, ran, name: str) -> None:
    if isinstance(ran, ValidationReport):
        assert _problems(loaded) == _problems(ran), name
    elif isinstance(ran, pd.DataFrame):
        assert isinstance(loaded, pd.DataFrame), name
        pd.testing.assert_frame_equal(_plain(loaded), _plain(ran), check_dtype=False,
                                      check_index_type=False, check_column_type=False, obj=name)
    elif dataclasses.is_dataclass(ran):
        for f in dataclasses.fields(ran):
            if f.name not in ("ctx", "written", "seconds", "greedy_seconds"):
                _same(getattr(loaded, f.name), getattr(ran, f.name), f"{name}.{f.name}")
    elif isinstance(ran, dict):
        assert set(loaded) >= set(ran), name
        for k, v in ran.items():
            _same(loaded[k], v, f"{name}[{k}]")
    elif isinstance(ran, float | int) and not isinstance(ran, bool):
        assert loaded == pytest.approx(ran, nan_ok=True), name
    elif ran is None or isinstance(ran, str | bool | list | pd.Timestamp):
        assert loaded == ran, name


def test_loaded_results_equal_the_stage_results(agency, runs):
    """Each stage's ``load_result`` rebuilds what its runner returned, from the artefacts alone."""
    from workbook.pipeline import STAGE_NAMES

    ctx = open_context(**agency["params"])
    loaded = {}
    for stage, ran in agency["results"].items():
        module = importlib.import_module(f"workbook.{STAGE_NAMES[stage]}.stage")
        loaded[stage] = module.load_result(ctx)
        assert type(loaded[stage]) is type(ran)
        _same(loaded[stage], ran, stage)
    ran_model, loaded_model = agency["results"]["01_needs"].model, loaded["01_needs"].model
    assert loaded_model.n_profiles_ == ran_model.n_profiles_
    assert loaded_model.structure_found_ == ran_model.structure_found_
    assert list(loaded_model.stability_label_) == list(ran_model.stability_label_)
    pd.testing.assert_frame_equal(loaded_model.cluster_centers_, ran_model.cluster_centers_,
                                  check_dtype=False, check_index_type=False,
                                  check_column_type=False)
    assert sum(runs.values()) == 0, dict(runs)


def test_missing_stage_is_run_by_the_pipeline_first(agency, runs, tmp_path):
    """Without the plan's artefacts, the report layer has the pipeline run stage 02, and only it."""
    from workbook.core import artefacts
    from workbook.report.bundle import load_bundle

    out = tmp_path / "out"
    shutil.copytree(agency["root"] / "out", out)
    ctx = open_context(**{**agency["params"], "output_dir": str(out)})
    artefacts.path(ctx, artefacts.PLAN, "plan_table").unlink()
    bundle = load_bundle(ctx)
    assert dict(runs) == {"run_plan": 1}
    assert bundle.built["02_plan"] == "built" and bundle.built["01_needs"] == "artefacts"
    assert artefacts.exists(ctx, artefacts.PLAN)
    runs.clear()
    load_bundle(ctx)
    assert sum(runs.values()) == 0, dict(runs)
