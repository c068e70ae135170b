"""The agency's results, computed once from the stage artefacts and shared by every report.

The stage notebooks (run once for the agency) write the artefacts; :func:`build_bundle` then
recomputes the stage results *from those artefacts* (clean tables, inventories, gaps — the stage
runners read them) without writing, and stores them in one pickle in the restricted output class
(``OUTPUT/<year>/restricted/reports/bundle_<lang>.pkl``: it holds person-level pseudonymous
tables). Every report — the agency's and each unit's — is rendered from this one bundle, so a unit
report shows the agency's suppressed tables filtered to the unit and never contradicts them.

Missing stage artefacts are built with the stage runners (so the report notebook runs standalone).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbook.core import artefacts
from workbook.core.context import Context
from workbook.core.version import __version__

__all__ = ["ReportBundle", "build_bundle", "load_bundle", "bundle_path", "input_hashes", "bundle_key"]

_STAGE_MARKERS = {
    "00_data_check": ("00_data_check", "overview_units", "aggregate"),
    "01_needs": ("01_needs", "inventory", "restricted"),
    "02_plan": ("02_plan", "plan_table", "aggregate"),
    "03_evaluation": ("03_evaluation", "level2", "aggregate"),
}


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


def _stage_manifest_hashes(ctx: Context) -> dict[str, Any]:
    out = {}
    for stage in ("00_data_check", "01_needs", "02_plan", "03_evaluation"):
        for cls in ("aggregate", "restricted"):
            p = artefacts.stage_dir(ctx.output_dir, ctx.year, stage, cls, create=False) / "manifest.json"
            if p.is_file():
                out[f"{cls}/{stage}"] = json.loads(p.read_text(encoding="utf-8")).get("files", {})
    return out


def bundle_key(ctx: Context, hashes: dict[str, str]) -> str:
    """What the bundle depends on: inputs, settings, language, year, workbook version, stage files."""
    payload = {"inputs": hashes, "settings": ctx.settings.sha256, "lang": ctx.lang, "year": ctx.year,
               "version": __version__, "stages": _stage_manifest_hashes(ctx)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def bundle_path(ctx: Context) -> Path:
    return artefacts.stage_dir(ctx.output_dir, ctx.year, "reports", "restricted", create=False) / \
        f"bundle_{ctx.lang}.pkl"


def _have(ctx: Context, stage: str) -> bool:
    st, name, cls = _STAGE_MARKERS[stage]
    return artefacts.artefact_path(ctx.output_dir, ctx.year, st, name, cls).is_file()


def _stale(ctx: Context, hashes: dict[str, str]) -> bool:
    """True when the stage-00 artefacts were made from other input files than the current ones."""
    d = artefacts.stage_dir(ctx.output_dir, ctx.year, "00_data_check", create=False)
    try:
        written = artefacts.read_manifest(d).get("input_hashes", {})
    except Exception:  # noqa: BLE001 — no manifest: treat as stale
        return True
    mine = {Path(k).name: v for k, v in hashes.items()}
    return any(mine.get(Path(k).name) != v for k, v in written.items())


def build_bundle(ctx: Context, *, force: bool = False) -> ReportBundle:
    """Compute (or load the cached) bundle for ``ctx``; build missing stage artefacts first."""
    from workbook.pipeline import run_data_check, run_evaluation, run_needs, run_plan

    ctx = replace(ctx, unit=None, interactive=False)
    hashes = input_hashes(ctx.data_dir)
    stale = _stale(ctx, hashes)
    built: dict[str, str] = {}
    if not force and not stale:
        key = bundle_key(ctx, hashes)
        cached = _read(bundle_path(ctx))
        if cached is not None and cached.key == key:
            return cached
    # Earlier stages first: a stage whose artefacts are missing (or stale) is run with writing.
    write = {s: stale or not _have(ctx, s) for s in _STAGE_MARKERS}
    for s in _STAGE_MARKERS:
        built[s] = "built" if write[s] else "artefacts"
    dc = run_data_check(ctx, write=write["00_data_check"])
    nd = run_needs(ctx, write=write["01_needs"])
    pl = run_plan(ctx, write=write["02_plan"])
    ev = run_evaluation(ctx, write=write["03_evaluation"])
    key = bundle_key(ctx, hashes)
    bundle = ReportBundle(ctx, dc, nd, pl, ev, hashes, key, built)
    target = bundle_path(ctx)
    artefacts.stage_dir(ctx.output_dir, ctx.year, "reports", "restricted")
    with artefacts.atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            pickle.dump(bundle, fh, protocol=pickle.HIGHEST_PROTOCOL)
    _CACHE.clear()
    return bundle


_CACHE: dict[tuple[str, int], ReportBundle] = {}


def _read(path: Path) -> ReportBundle | None:
    if not path.is_file():
        return None
    stamp = (str(path), path.stat().st_mtime_ns)
    if stamp in _CACHE:
        return _CACHE[stamp]
    try:
        with open(path, "rb") as fh:
            bundle = pickle.load(fh)  # noqa: S301 — our own file in the restricted output folder
    except Exception:  # noqa: BLE001 — unreadable or from another version: rebuild
        return None
    if not isinstance(bundle, ReportBundle):
        return None
    _CACHE.clear()
    _CACHE[stamp] = bundle
    return bundle


def load_bundle(ctx: Context) -> ReportBundle:
    """The bundle for ``ctx`` (cached per process); built when missing or out of date."""
    ctx = replace(ctx, unit=None, interactive=False)
    cached = _read(bundle_path(ctx))
    if cached is not None and cached.ctx.data_dir == ctx.data_dir and cached.ctx.year == ctx.year \
            and cached.ctx.settings.sha256 == ctx.settings.sha256 and cached.ctx.lang == ctx.lang:
        return cached
    return build_bundle(ctx)
