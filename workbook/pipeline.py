"""The yearly cycle as a dependency graph: which stage reads which, in what order they run, and
running a missing upstream stage before the one asked for.

The graph (folder names keep their numbers)::

    ingest (00) ──► evaluation of Y−1 + follow-up (03) ──► needs of Y (01) ──► plan of Y (02)

The evaluation of last year's programmes runs before this year's needs, so last year's open
follow-up (the carry-over file) reaches this year's inventory and this year's plan. Stage runners
never call each other; they read earlier artefacts through :mod:`workbook.core.artefacts`, and this
module runs what is missing.

>>> [STAGE_NAMES[s] for s in ORDER]
['ingest', 'evaluation', 'needs', 'plan']
>>> upstream("02_plan")
('00_data_check', '03_evaluation', '01_needs')
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbook.core import artefacts
from workbook.core.artefacts import EVALUATION, INGEST, NEEDS, PLAN
from workbook.core.lock import output_lock

__all__ = ["ORDER", "DEPENDS", "STAGE_NAMES", "NOTEBOOKS", "upstream", "is_current", "ensure", "run",
           "run_data_check", "run_evaluation", "run_needs", "run_plan", "data_md"]

#: stages in the order the pipeline runs them
ORDER: tuple[str, ...] = (INGEST, EVALUATION, NEEDS, PLAN)
#: stage -> the stages whose artefacts it reads directly
DEPENDS: dict[str, tuple[str, ...]] = {
    INGEST: (),
    EVALUATION: (INGEST,),
    NEEDS: (INGEST, EVALUATION),
    PLAN: (INGEST, NEEDS),
}
#: stage folder -> package name (``workbook.<name>``)
STAGE_NAMES: dict[str, str] = {INGEST: "ingest", EVALUATION: "evaluation", NEEDS: "needs", PLAN: "plan"}
#: stage folder -> its notebook in ``notebooks/`` (run in :data:`ORDER` by ``workbook report``)
NOTEBOOKS: dict[str, str] = {INGEST: "00_data_check", EVALUATION: "03_evaluation", NEEDS: "01_needs_analysis",
                             PLAN: "02_programme_plan"}
_RUNNERS: dict[str, str] = {INGEST: "run_data_check", EVALUATION: "run_evaluation", NEEDS: "run_needs",
                            PLAN: "run_plan"}


def upstream(stage: str) -> tuple[str, ...]:
    """Every stage ``stage`` depends on, directly or not, in :data:`ORDER`."""
    seen: set[str] = set()
    todo = list(DEPENDS[stage])
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo.extend(DEPENDS[s])
    return tuple(s for s in ORDER if s in seen)


def _runner(stage: str) -> Callable[..., Any]:
    module = importlib.import_module(f"workbook.{STAGE_NAMES[stage]}.stage")
    return getattr(module, _RUNNERS[stage])


def _inputs_changed(ctx: Any) -> bool:
    """True when stage 00's artefacts were made from other input files than the current ones."""
    d = artefacts.stage_dir(ctx.output_dir, ctx.year, INGEST, create=False)
    try:
        written = artefacts.read_manifest(d).get("input_hashes", {})
    except Exception:  # noqa: BLE001 — no or unreadable manifest: out of date
        return True
    root = Path(ctx.data_dir)
    mine = {p.name: artefacts.sha256_file(p) for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}
    # files read instead of a table's own (the upload page's session runs)
    mine.update({Path(p).name: artefacts.sha256_file(p) for p in (getattr(ctx, "table_files", None) or {}).values()})
    return any(mine.get(Path(k).name) != v for k, v in written.items())


def is_current(ctx: Any, stage: str) -> bool:
    """True when ``stage`` has written its artefacts for ``ctx`` (and, for stage 00, from the
    current input files)."""
    if not artefacts.exists(ctx, stage):
        return False
    return not (stage == INGEST and _inputs_changed(ctx))


def ensure(ctx: Any, stage: str) -> list[str]:
    """Run (with writing) every upstream stage of ``stage`` whose artefacts are missing or out of
    date, in :data:`ORDER`; returns the stages run."""
    with output_lock(ctx.output_dir):
        return _ensure(ctx, stage)


def _ensure(ctx: Any, stage: str) -> list[str]:
    ran: list[str] = []
    for s in upstream(stage):
        if s == INGEST and _inputs_changed(ctx) or not artefacts.exists(ctx, s) or any(r in ran for r in DEPENDS[s]):
            _runner(s)(ctx)
            ran.append(s)
    return ran


def _stale(ctx: Any, stage: str) -> list[str]:
    """The upstream stages of ``stage`` that :func:`ensure` would run (missing or out of date)."""
    return [s for s in upstream(stage)
            if s == INGEST and _inputs_changed(ctx) or not artefacts.exists(ctx, s)]


def run(ctx: Any, stage: str, **kwargs: Any) -> Any:
    """Run ``stage`` for ``ctx`` after its missing upstream stages; returns the stage's result.

    The output folder is held for the run (:func:`workbook.core.lock.output_lock`): a second run
    on the same folder stops with a message naming the process that holds it. A run that writes
    nothing (``write=False``, every upstream stage current: a what-if recompute in a view) only
    reads, and takes no lock.
    """
    if kwargs.get("write", True) is False and not _stale(ctx, stage):
        return _runner(stage)(ctx, **kwargs)
    with output_lock(ctx.output_dir):
        ensure(ctx, stage)
        return _runner(stage)(ctx, **kwargs)


def run_data_check(ctx: Any, **kwargs: Any) -> Any:
    """Stage 00 (:func:`workbook.ingest.stage.run_data_check`)."""
    return run(ctx, INGEST, **kwargs)


def run_evaluation(ctx: Any, **kwargs: Any) -> Any:
    """Stage 03 for the programmes of Y−1, after stage 00 (:func:`workbook.evaluation.stage.run_evaluation`)."""
    return run(ctx, EVALUATION, **kwargs)


def run_needs(ctx: Any, **kwargs: Any) -> Any:
    """Stage 01, after stages 00 and 03 (:func:`workbook.needs.stage.run_needs`)."""
    return run(ctx, NEEDS, **kwargs)


def run_plan(ctx: Any, **kwargs: Any) -> Any:
    """Stage 02, after stages 00, 03 and 01 (:func:`workbook.plan.stage.run_plan`)."""
    return run(ctx, PLAN, **kwargs)


_CODES_INTRO = [
    "## Kode dalam artefak / Codes in the artefacts",
    "",
    "Tahap menulis kode dan angka ke artefak, bukan kalimat; kata-katanya (Indonesia dan Inggris) ada di",
    "katalog pesan `workbook/<tahap>/messages.yaml` (kunci `<tahap>.<kolom>.<kode>`), dicari oleh",
    "`workbook/<tahap>/words.py` dan dipakai laporan, dasbor dan lembar XLSX yang dibaca orang.",
    "",
    "The stages write codes and numbers into their artefacts, never sentences; the words (Indonesian",
    "and English) are in the message catalogue `workbook/<stage>/messages.yaml` (keys",
    "`<stage>.<column>.<code>`), looked up by `workbook/<stage>/words.py`, used by the report, the",
    "dashboards and the XLSX sheets a person reads. One part per stage, generated from its",
    "`words.codes_md()`.",
    "",
]


def data_md() -> str:
    """``docs/data.md`` (``make docs``): the input contracts, then the codes each stage writes, in
    folder order, from each stage's ``words.codes_md()``."""
    from importlib.util import find_spec

    from workbook.core.schema import data_md as contracts

    parts = [contracts(), *_CODES_INTRO]
    for stage in sorted(STAGE_NAMES):
        name = f"workbook.{STAGE_NAMES[stage]}.words"
        if find_spec(name) is not None:
            parts.append(importlib.import_module(name).codes_md())
    return "\n".join(parts)


if __name__ == "__main__":  # pragma: no cover
    print(data_md())
