"""The agency's stage results, loaded from the stage artefacts and shared by every report.

The stage notebooks (run once for the agency) write the artefacts. :func:`load_bundle` rebuilds
each stage's result from them with the stage's ``load_result`` (``workbook.<stage>.stage``),
which reads through the artefact registry (:mod:`workbook.core.artefacts`): no stage runs in the
report phase, and nothing is pickled. Every report — the agency's and each unit's, in whatever
worker process renders it — is built from these same results, so a unit report shows the
agency's suppressed tables filtered to the unit and never contradicts them. The results are
cached per process, keyed on the stages' manifests.

Before loading, :func:`ensure_stages` has :mod:`workbook.pipeline` run, in its order, every stage
whose artefacts are missing or out of date for this context (other input files, settings or
language; an incomplete set of artefacts) and every stage after one that ran. That is the only
place where the report layer lets a stage run, so the report notebook also works on its own.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbook import pipeline
from workbook.core import artefacts
from workbook.core.context import Context
from workbook.core.version import __version__
from workbook.evaluation.stage import load_result as load_evaluation
from workbook.ingest.stage import load_result as load_data_check
from workbook.needs.stage import load_result as load_needs
from workbook.plan.stage import load_result as load_plan

__all__ = ["ReportBundle", "build_bundle", "load_bundle", "load_results", "ensure_stages",
           "stale_stages", "input_hashes", "bundle_key"]

_CLASSES = ("aggregate", "restricted")


@dataclass
class ReportBundle:
    """Stage results of one agency run (data check, needs, plan, evaluation) and their provenance."""

    ctx: Context
    dc: Any
    needs: Any
    plan: Any
    evaluation: Any
    input_hashes: dict[str, str]
    key: str
    built: dict[str, str] = field(default_factory=dict)  # stage -> "artefacts" | "built"

    def for_view(self, unit: str | None, lang: str | None = None) -> ReportBundle:
        """A shallow copy whose results see ``unit`` (and ``lang``) through their context."""
        ctx = replace(self.ctx, unit=unit, lang=lang or self.ctx.lang, interactive=False)
        out = replace(self)
        for name in ("dc", "needs", "plan", "evaluation"):
            setattr(out, name, replace(getattr(self, name), ctx=ctx))
        out.ctx = ctx
        return out


def input_hashes(data_dir: str | os.PathLike) -> dict[str, str]:
    """SHA-256 of every file of the agency's data folder (names relative to the folder)."""
    root = Path(data_dir)
    return {str(p.relative_to(root)): artefacts.sha256_file(p)
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def _manifests(ctx: Context) -> dict[str, Path]:
    return {f"{cls}/{stage}": artefacts.stage_dir(ctx.output_dir, ctx.year, stage, cls,
                                                  create=False) / "manifest.json"
            for stage in pipeline.ORDER for cls in _CLASSES}


def _stage_manifest_hashes(ctx: Context) -> dict[str, Any]:
    out = {}
    for name, p in _manifests(ctx).items():
        if p.is_file():
            out[name] = json.loads(p.read_text(encoding="utf-8")).get("files", {})
    return out


def bundle_key(ctx: Context, hashes: dict[str, str]) -> str:
    """What the results depend on: inputs, settings, language, year, version, stage files."""
    payload = {"inputs": hashes, "settings": ctx.settings.sha256, "lang": ctx.lang, "year": ctx.year,
               "version": __version__, "stages": _stage_manifest_hashes(ctx)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _why_stale(ctx: Context, stage: str) -> str | None:
    """Why ``stage``'s artefacts cannot serve ``ctx`` (None when they can)."""
    if not pipeline.is_current(ctx, stage):
        return "missing" if not artefacts.exists(ctx, stage) else "inputs"
    if artefacts.missing(ctx, stage):
        return "incomplete"
    d = artefacts.stage_dir(ctx.output_dir, ctx.year, stage, create=False)
    try:
        manifest = artefacts.read_manifest(d)
    except Exception:  # noqa: BLE001 — no or unreadable manifest: out of date
        return "manifest"
    if manifest.get("settings_sha256") != ctx.settings.sha256:
        return "settings"
    if manifest.get("params", {}).get("lang", ctx.lang) != ctx.lang:
        return "lang"
    return None


def stale_stages(ctx: Context) -> dict[str, str]:
    """Stage -> why its artefacts cannot serve ``ctx`` (``missing``, ``inputs``, ``incomplete``,
    ``manifest``, ``settings``, ``lang``); stages whose artefacts serve are left out."""
    ctx = replace(ctx, unit=None, interactive=False)
    return {s: why for s in pipeline.ORDER if (why := _why_stale(ctx, s)) is not None}


def ensure_stages(ctx: Context, *, force: bool = False) -> dict[str, str]:
    """Have :mod:`workbook.pipeline` run (with writing), in its order, every stage whose artefacts
    cannot serve ``ctx`` and every stage after one that ran (all of them with ``force``).

    Returns stage -> ``"built"`` (run now) or ``"artefacts"`` (read as written).
    """
    ctx = replace(ctx, unit=None, interactive=False)
    stale = set(pipeline.ORDER) if force else set(stale_stages(ctx))
    built: dict[str, str] = {}
    for stage in pipeline.ORDER:
        if stage in stale or any(built.get(up) == "built" for up in pipeline.DEPENDS[stage]):
            pipeline.run(ctx, stage)
            built[stage] = "built"
        else:
            built[stage] = "artefacts"
    if "built" in built.values():
        _CACHE.clear()
    return built


_CACHE: dict[tuple, ReportBundle] = {}


def _stamp(ctx: Context) -> tuple:
    """What the cached results depend on: context and the stages' manifests (as on disk now)."""
    files = tuple((name, p.stat().st_mtime_ns if p.is_file() else None)
                  for name, p in _manifests(ctx).items())
    return (str(Path(ctx.output_dir).resolve()), str(ctx.data_dir), ctx.year, ctx.lang,
            ctx.settings.sha256, files)


def load_results(ctx: Context) -> ReportBundle:
    """The four stages' results read from their artefacts (cached per process); runs no stage.

    A missing artefact raises a bilingual :class:`~workbook.core.exceptions.DataError` naming the
    stage to run (:func:`load_bundle` runs it first).
    """
    ctx = replace(ctx, unit=None, interactive=False)
    stamp = _stamp(ctx)
    if stamp in _CACHE:
        return _CACHE[stamp]
    hashes = input_hashes(ctx.data_dir)
    bundle = ReportBundle(ctx, load_data_check(ctx), load_needs(ctx), load_plan(ctx),
                          load_evaluation(ctx), hashes, bundle_key(ctx, hashes),
                          {s: "artefacts" for s in pipeline.ORDER})
    _CACHE.clear()
    _CACHE[stamp] = bundle
    return bundle


def build_bundle(ctx: Context, *, force: bool = False) -> ReportBundle:
    """:func:`ensure_stages` (``force``: run every stage again), then the results from the
    artefacts."""
    built = ensure_stages(ctx, force=force)
    return replace(load_results(ctx), built=built)


def load_bundle(ctx: Context) -> ReportBundle:
    """The results for ``ctx`` (cached per process); missing or out-of-date stages run first."""
    return build_bundle(ctx)
