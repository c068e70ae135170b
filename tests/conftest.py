"""What the tests share: the repository's paths and one pipeline run on the sample agency.

``ROOT``, ``SAMPLE`` and ``AGENCY_B`` are plain constants kept in ``tests/_paths.py`` (test
modules import them: ``from _paths import ROOT, SAMPLE``; not ``from conftest``, which names
whichever ``conftest.py`` pytest loaded last, e.g. ``tests/plan/conftest.py``). :func:`sample_run` runs the yearly cycle once per test session on
``data_samples/contoh``, in the order of :data:`workbook.pipeline.ORDER` (ingest → evaluation of
Y−1 → needs → plan, what ``workbook.pipeline.run_plan`` runs), into a temporary output folder.

The run is shared: treat its folder and results as read-only. A test that writes artefacts,
edits inputs, needs another year or other settings opens its own context (or copies
``sample_run.out`` first, as the browser tests do).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from _paths import AGENCY_B, SAMPLE


@dataclass(frozen=True)
class SampleRun:
    """The sample agency run through every stage once."""

    #: the :class:`workbook.core.context.Context` the stages ran with (interactive=False)
    ctx: Any
    #: the output folder (``out/<year>/00_data_check`` … ``out/<year>/03_evaluation``)
    out: Path
    #: stage name (``ingest``, ``evaluation``, ``needs``, ``plan``) → what its runner returned
    results: dict[str, Any]

    def __getitem__(self, stage: str) -> Any:
        return self.results[stage]


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    """Run ingest, evaluation, needs and plan on ``data_samples/contoh`` once per session."""
    from workbook import pipeline
    from workbook.core.context import open_context

    out = tmp_path_factory.mktemp("sample_run")
    ctx = open_context(data_dir=str(SAMPLE), output_dir=str(out), interactive=False)
    # pipeline.run(ctx, stage) first runs the missing upstream stages: in ORDER, none is missing,
    # so every stage runs exactly once and its result is kept.
    results = {pipeline.STAGE_NAMES[stage]: pipeline.run(ctx, stage) for stage in pipeline.ORDER}
    return SampleRun(ctx=ctx, out=out, results=results)




@pytest.fixture(scope="session")
def agency_b(tmp_path_factory) -> Path:
    """Agency B generated once per session (:data:`AGENCY_B`) into a temporary folder; its path.

    No stage is run. Treat the folder as read-only (copy it to change an input).
    """
    from workbook.sample.write import write_agency

    out = tmp_path_factory.mktemp("agency_b") / "data"
    write_agency(out, **AGENCY_B)
    return out


@pytest.fixture(scope="session")
def agency_b_run(agency_b, tmp_path_factory) -> SampleRun:
    """Run ingest, evaluation, needs and plan on agency B (:func:`agency_b`) once per session.

    Shared like :func:`sample_run`: treat its folder and results as read-only.
    """
    from workbook import pipeline
    from workbook.core.context import open_context

    out = tmp_path_factory.mktemp("agency_b_run")
    ctx = open_context(data_dir=str(agency_b), output_dir=str(out), interactive=False)
    results = {pipeline.STAGE_NAMES[stage]: pipeline.run(ctx, stage) for stage in pipeline.ORDER}
    return SampleRun(ctx=ctx, out=out, results=results)


# --- testtime: one hostile agency for tests/report/test_hostile_agency.py and test_injection.py ---
@pytest.fixture(scope="session")
def hostile_proxy():
    """The recording proxy every HTTP(S) request of the hostile run goes to: (URL, requests seen)."""
    from _hostile import start_proxy

    server, url, seen = start_proxy()
    yield url, seen
    server.shutdown()


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory, hostile_proxy) -> dict:
    """The hostile agency (``tests/_hostile.py``) through ``workbook report`` once per session.

    Shared by the two hostile-text test modules: treat its folders as read-only.
    """
    from _hostile import build_hostile_run

    return build_hostile_run(tmp_path_factory.mktemp("hostile"), hostile_proxy[0])
