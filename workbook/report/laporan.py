"""What the report notebook (``notebooks/04_laporan.ipynb``) calls: one report for ``ctx``.

``make_report(ctx, formats)`` loads the agency's stage results from the stage artefacts
(:func:`workbook.report.bundle.load_bundle`: no stage runs, except that ``workbook.pipeline`` first
runs a stage whose artefacts are missing, so the notebook also works on its own), renders the
agency report (``ctx.unit`` None) or one unit's, and writes HTML, PDF and XLSX atomically under
``OUTPUT/<year>/reports/laporan/<INSTANSI|KODE>/``.
"""

from __future__ import annotations

from pathlib import Path

from workbook.core import artefacts
from workbook.core.context import Context
from workbook.core.exceptions import SettingsError
from workbook.core.i18n import t
from workbook.core.paths import notebooks_dir
from workbook.report.bundle import load_bundle
from workbook.report.render import RenderResult, render_report

__all__ = ["REPORT_NOTEBOOK", "FORMATS", "parse_formats", "make_report", "result_markdown"]

REPORT_NOTEBOOK = "04_laporan"
FORMATS = ("html", "pdf", "xlsx")


def parse_formats(formats: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """``"html,pdf"`` → ``("html", "pdf")``; an unknown format is an error."""
    items = [f.strip().lower() for f in (formats.split(",") if isinstance(formats, str) else formats) if f.strip()]
    bad = [f for f in items if f not in FORMATS]
    if bad or not items:
        raise SettingsError(f"Format tidak dikenal: {', '.join(bad) or '(kosong)'}; pilih dari {', '.join(FORMATS)}.",
                            f"Unknown format: {', '.join(bad) or '(empty)'}; choose from {', '.join(FORMATS)}.",
                            column="formats", value=formats)
    return tuple(dict.fromkeys(items))


def notebook_sha() -> str | None:
    p = notebooks_dir() / f"{REPORT_NOTEBOOK}.ipynb"
    return artefacts.sha256_file(p) if p.is_file() else None


def make_report(ctx: Context, formats: str | tuple[str, ...] = FORMATS) -> RenderResult:
    """Render the report of ``ctx.unit`` (None: the agency) in ``formats``."""
    fmts = parse_formats(formats)
    bundle = load_bundle(ctx)
    view = bundle if bundle.ctx.lang == ctx.lang else bundle.for_view(None, ctx.lang)
    params = {**ctx.params(), "formats": ",".join(fmts)}
    return render_report(view, ctx.unit, formats=fmts, params=params, notebook_sha=notebook_sha(),
                         output_dir=ctx.output_dir)


def result_markdown(res: RenderResult, lang: str = "id") -> str:
    """Where the report files are, for the notebook's output."""
    head, pages = t("report.written", lang), t("report.pages", lang)
    lines = [f"**{head}** ({res.unit or 'INSTANSI'}):"]
    for fmt, p in res.files.items():
        extra = f" — {res.pages} {pages}" if fmt == "pdf" and res.pages else ""
        lines.append(f"- {fmt.upper()}: `{Path(p)}`{extra}")
    return "\n".join(lines)
