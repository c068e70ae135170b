"""Fixtures shared by the plan tests that check a rule on both agencies (the sample and agency B)."""

from __future__ import annotations

import pytest

from workbook.plan.stage import load_result

#: the session runs every rule is checked on (tests/conftest.py)
RUNS = ["sample_run", "agency_b_run"]


@pytest.fixture(params=RUNS, scope="module")
def run(request):
    """The sample agency's run, then agency B's."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def res(run):
    """The plan result read back from each run's artefacts."""
    return load_result(run.ctx)
