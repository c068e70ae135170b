"""The one registry of stage artefacts (``workbook.core.artefacts.REGISTRY``) against a real run."""

from __future__ import annotations

import pytest

from workbook.core import artefacts
from workbook.core.exceptions import DataError, WorkbookError

pytestmark = pytest.mark.slow


def _written(out, year: int, stage: str) -> dict[str, str]:
    """Parquet artefacts a stage wrote: name -> output class."""
    root = out / str(year)
    found = {p.stem: "aggregate" for p in (root / stage).glob("*.parquet")}
    for cls in ("restricted", "confidential"):
        found.update({p.stem: cls for p in (root / cls / stage).glob("*.parquet")})
    return found


@pytest.mark.parametrize("stage", [artefacts.NEEDS, artefacts.PLAN, artefacts.EVALUATION])
def test_a_run_writes_exactly_the_registered_artefacts(sample_run, stage):
    written = _written(sample_run.out, sample_run.ctx.year, stage)
    registered = artefacts.REGISTRY[stage]
    assert set(written) <= set(registered), f"written but not registered: {set(written) - set(registered)}"
    assert set(registered) - set(written) <= artefacts.OPTIONAL[stage]
    assert {n: registered[n] for n in written} == written  # each in its output class


def test_ingest_registers_its_own_files_beside_the_clean_tables(sample_run):
    written = _written(sample_run.out, sample_run.ctx.year, artefacts.INGEST)
    own = {n for n in written if n in artefacts.REGISTRY[artefacts.INGEST]}
    assert own == set(artefacts.REGISTRY[artefacts.INGEST])
    tables = artefacts.clean_tables(sample_run.ctx)
    assert "pegawai" in tables and not own & set(tables)


def test_read_names_the_stage_to_run_when_missing(tmp_path, sample_run):
    from dataclasses import replace

    ctx = replace(sample_run.ctx, output_dir=tmp_path)
    assert artefacts.read(ctx, artefacts.NEEDS, "gaps", required=False) is None
    assert not artefacts.exists(ctx, artefacts.PLAN)
    with pytest.raises(DataError) as info:
        artefacts.read(ctx, artefacts.NEEDS, "gaps")
    assert "01_needs" in info.value.message_id and "01_needs" in info.value.message_en
    with pytest.raises(WorkbookError):
        artefacts.read(ctx, artefacts.NEEDS, "not_an_artefact")
