"""Render one yearly report (the agency's, or one unit's) from the stage results.

The report follows the usual structure of an Indonesian government report — cover, contents,
BAB I Pendahuluan, II Analisis Kebutuhan, III Program dan Prioritas, IV Rencana Implementasi,
V Evaluasi, VI Tindak Lanjut, Lampiran — with the findings stated in sentences, tables and figures
without code, the settings used, and a provenance appendix. :func:`build_document` writes the
cross-stage parts (chapter I, the approval, the appendices) and asks each stage's
``report.chapter(result, unit, kit)`` for its chapters (stage 00: the staff overview opening
chapter II; 01: the rest of II; 02: III and IV; 03: V and VI), handing it a
:class:`~workbook.present.document.ChapterKit` with the outline, the numbering and the table and
figure helpers. HTML is self-contained (inline CSS, figures as inline PNG, system fonts, no
external URL); the PDF is printed by WeasyPrint (A4, page numbers, a contents page with
``target-counter()`` page numbers), without LaTeX and without network access.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import re
import time
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.core import artefacts
from workbook.core.i18n import fmt_date, t
from workbook.core.suppression import k_for
from workbook.core.version import __version__
from workbook.evaluation import report as evaluation_report
from workbook.evaluation import roi_report
from workbook.ingest import report as ingest_report
from workbook.needs import report as needs_report
from workbook.plan import report as plan_report
from workbook.present.document import Block, Chapter, ChapterKit, Section, hidden_label
from workbook.present.safe import CSP
from workbook.report import narrative as nv
from workbook.report.sources import NONE_MARK, for_reader, plain_source, plain_value

__all__ = ["ReportDoc", "build_document", "render_html", "write_pdf", "local_fetcher", "render_report",
           "RenderResult", "report_dir", "report_files", "STAGE_CHAPTERS", "AGENCY", "PACKAGES",
           "LANDSCAPE_TABLES", "KEEP_TOGETHER_ROWS", "keep_codes_whole"]

AGENCY = "INSTANSI"
#: tables printed on a landscape page in the PDF (too many columns for portrait: their headers and
#: names would break into syllables), in the agency's and the units' reports
LANDSCAPE_TABLES = ("plan_table", "jp_owed_coverage")
#: a table of at most this many rows (header included) is kept on one page in the PDF; longer ones
#: break between rows and repeat their header row on each page
KEEP_TOGETHER_ROWS = 25
PACKAGES = ("workbook", "pandas", "numpy", "scipy", "scikit-learn", "matplotlib", "highspy", "papermill",
            "weasyprint", "pyarrow", "openpyxl", "babel")
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
#: the numbered chapters in order: what a stage asks the kit for -> message id of the title
_OUTLINE = (("intro", "report.ch1"), ("needs", "report.ch2"), ("programmes", "report.ch3"),
            ("implementation", "report.ch4"), ("evaluation", "report.ch5"), ("followup", "report.ch6"))
#: the stages' chapters in the order of the document: (field of the results, stage's report module)
STAGE_CHAPTERS = (("dc", ingest_report), ("needs", needs_report), ("plan", plan_report),
                  ("evaluation", evaluation_report))


@dataclass
class ReportDoc:
    lang: str
    title: str
    subtitle: str
    agency: str
    scope: str
    year: int
    date: str
    chapters: list[Chapter]
    unit: str | None


def _package_versions() -> list[tuple[str, str]]:
    out = []
    for p in PACKAGES:
        try:
            out.append((p, metadata.version(p)))
        except metadata.PackageNotFoundError:
            out.append((p, "–"))
    import platform

    out.append(("python", platform.python_version()))
    return out


# ----------------------------------------------------------------------------- document
def _kit(view, figure_key: str) -> ChapterKit:
    lang, s = view.ctx.lang, view.ctx.settings
    outline = [(name, f"bab{i}", f"{t('report.bab', lang)} {_ROMAN[i - 1]}", t(key, lang), str(i))
               for i, (name, key) in enumerate(_OUTLINE, start=1)]
    outline.append(("appendix", "lampiran", "", t("report.ch7", lang), "L"))
    return ChapterKit(outline, lang=lang, hidden=hidden_label(lang, s),
                      no_figure=t("report.no_figure", lang, k=k_for("count", s)), figure_key=figure_key)


def build_document(bundle, unit: str | None, *, params: dict | None = None,
                   notebook_sha: str | None = None) -> ReportDoc:
    """Assemble the chapters of the report for the agency (``unit=None``) or one unit."""
    view = bundle.for_view(unit)
    ctx, lang = view.ctx, view.ctx.lang
    kit = _kit(view, bundle.key)
    _intro_chapter(view, unit, kit)
    for field_name, stage_report in STAGE_CHAPTERS:
        stage_report.chapter(getattr(view, field_name), unit, kit)
    _approval_section(view, unit, kit)
    _appendix_chapter(view, unit, kit, bundle.input_hashes, params, notebook_sha)
    scope = t("report.agency_scope", lang) if not unit else f"{nv.unit_display_name(view, unit)}"
    return ReportDoc(lang, t("report.report_title", lang), t("report.report_sub", lang), ctx.agency_name,
                     scope, ctx.year, fmt_date(_dt.date.today(), lang), kit.chapters, unit)


def _intro_chapter(view, unit: str | None, kit: ChapterKit) -> None:
    """BAB I: background, purpose, scope, data (with one line when ROI was not computed)."""
    lang = view.ctx.lang
    intro = nv.intro_paragraphs(view, unit)
    roi_missing = None if unit else roi_report.roi_status_sentence(view.evaluation)
    ch = kit.chapter("intro")
    kit.section(ch, t("report.s_background", lang), kit.paras(intro["background"]))
    kit.section(ch, t("report.s_purpose", lang), kit.paras(intro["purpose"]))
    kit.section(ch, t("report.s_scope", lang), kit.paras(intro["scope"]))
    data = intro["data"] + ([roi_missing] if roi_missing else [])
    kit.section(ch, t("report.s_data", lang), kit.paras(data))


def _approval_section(view, unit: str | None, kit: ChapterKit) -> None:
    """The approval block that closes the last chapter (place, date, role, name, NIP)."""
    ctx, lang = view.ctx, view.ctx.lang
    place = ctx.agency_name.replace("Pemerintah ", "") if ctx.agency_name else "…"
    role = (t("report.sign_role", lang) if not unit else
            t("report.sign_role_unit", lang, unit=nv.unit_display_name(view, unit)))
    kit.section(kit.chapters[-1], t("report.s_sign", lang), [Block("sign", {
        "place": t("report.sign_place", lang, place=place),
        "date": t("report.sign_date", lang, date="……………………… " + str(ctx.year - 1)),
        "role": role, "name": t("report.sign_name", lang), "nip": t("report.sign_nip", lang)})])


#: the settings a unit report lists (with every setting the agency changed)
_UNIT_SETTINGS = {"jp.minimum_pns", "jp.pppk_maximum", "suppression.k_count",
                  "suppression.k_distribution", "priorities.method", "plan.funding",
                  "evaluation.alpha", "evaluation.p_adjust", "evaluation.magnitude_threshold"}


def _settings_section(view, unit: str | None, kit: ChapterKit, ch: Chapter) -> None:
    """Appendix A: the settings used, with their source and whether the agency changed them."""
    lang, s = view.ctx.lang, view.ctx.settings
    rows_s = [r for r in s.table() if for_reader(r["key"])]  # software settings: docs/settings.md
    if unit:  # the unit report lists the settings it states figures with, and every agency change;
        # the full table is Appendix A of the agency report (same settings file and hash)
        rows_s = [r for r in rows_s if r["key"] in _UNIT_SETTINGS or r["changed"]]
    yes = t("bool.true", lang)
    rows = []
    for r in rows_s:  # a nested value (jp.conversion…) as one readable row per entry, not a Python dict
        for i, v in enumerate(_value_lines(r["value"], lang=lang)):
            rows.append({t("report.key", lang): r["key"] if i == 0 else "", t("report.value", lang): _short(v),
                         t("report.source", lang): plain_source(r["source"], lang) if i == 0 else "",
                         t("report.changed", lang): yes if r["changed"] and i == 0 else ""})
    st = pd.DataFrame(rows)
    sp = (t("report.settings_file", lang, path=s.path, sha=s.sha256) if s.path else
          t("report.settings_default", lang, sha=s.sha256))
    blocks = [kit.para(t("report.settings_intro", lang)), kit.para(sp)]
    if unit:
        blocks.append(kit.para(t("report.unit_settings_note", lang)))
    blocks.append(kit.table(ch, _caption(t("report.a_settings", lang)), st, "settings", wide=True))
    ch.sections.append(Section("la", "A", t("report.a_settings", lang), blocks))


_PATH_PARAMS = ("data_dir", "output_dir", "settings_file")


def _appendix_chapter(view, unit: str | None, kit: ChapterKit, input_hashes: dict[str, str],
                      params: dict | None, notebook_sha: str | None) -> None:
    """Lampiran: A settings; B detailed tables (agency report only); C (B) provenance."""
    lang, s = view.ctx.lang, view.ctx.settings
    ch = kit.chapter("appendix")
    _settings_section(view, unit, kit, ch)
    if not unit:
        l1_note = evaluation_report.level1_table_note(view.evaluation)
        ch.sections.append(Section("lb", "B", t("report.a_tables", lang), [
            kit.table(ch, t("report.appendix.unit_competency", lang),
                      needs_report.unit_table(view.needs, None), "unit_competency", wide=True),
            kit.table(ch, t("report.appendix.level1", lang),
                      evaluation_report.level1_table(view.evaluation), "level1", wide=True),
            *([kit.para(l1_note)] if l1_note else []),
            *evaluation_report.roi_appendix_blocks(view.evaluation, kit, ch)]))
    # folders by their name only: the document is shared, the server's paths are not its business
    prov_rows = [(t("report.param", lang) + f": {k2}",
                  "" if v is None else Path(str(v)).name if k2 in _PATH_PARAMS else str(v))
                 for k2, v in (params or {}).items()]
    prov_rows += [(t("report.file", lang) + f": {f}", h) for f, h in input_hashes.items()]
    prov_rows += [("settings", f"{Path(s.path).name if s.path else '(bawaan / default)'} · {s.sha256}")]
    if notebook_sha:
        prov_rows.append(("notebooks/04_laporan.ipynb", notebook_sha))
    prov_rows += [(t("report.package", lang) + f": {p}", v) for p, v in _package_versions()]
    prov = pd.DataFrame(prov_rows, columns=[t("report.param", lang) + " / " + t("report.file", lang),
                                            t("report.value", lang)])
    title = t("report.a_prov", lang) if not unit else t("report.a_prov", lang).replace(" C.", " B.")
    ch.sections.append(Section("lc", "B" if unit else "C", title, [
        kit.para(t("report.prov_intro", lang, version=__version__)),
        kit.table(ch, _caption(title), prov, "provenance", wide=True)]))


def _caption(title: str) -> str:
    """An appendix table's caption without the section's own label ("Tabel L.1. Pengaturan …",
    not "Tabel L.1. Lampiran A. Pengaturan …").

    >>> _caption("Lampiran C. Asal-usul Data"), _caption("Appendix A. Settings used")
    ('Asal-usul Data', 'Settings used')
    """
    return re.sub(r"^(?:Lampiran|Appendix) [A-Z]\.\s*", "", title)


def _value_lines(v: Any, path: tuple[str, ...] = (), lang: str = "id") -> list[str]:
    """A setting's value as lines a reader can read: a mapping as "a / b: value" per entry (nested
    mappings joined with " / "), a list as its items joined by ", ", booleans as Ya/Tidak and an
    empty value as "—" (:func:`~workbook.report.sources.plain_value`).

    >>> _value_lines({"seminar": {"nasional": 4, "internasional": 6}, "jp_per_hari_default": 8})
    ['seminar / nasional: 4', 'seminar / internasional: 6', 'jp_per_hari_default: 8']
    >>> _value_lines([1, 2]), _value_lines(True), _value_lines(None), _value_lines({"a": False}, lang="en")
    (['1, 2'], ['Ya'], ['—'], ['a: No'])
    """
    if isinstance(v, dict):
        if not v:
            return [" / ".join(path) + f": {NONE_MARK}" if path else NONE_MARK]
        return [line for k, x in v.items() for line in _value_lines(x, (*path, str(k)), lang)]
    text = plain_value(v, lang)
    return [f"{' / '.join(path)}: {text}" if path else text]


def _short(v: Any) -> str:
    """A value line of Appendix A, cut at 200 characters (its cell wraps: a list such as the AHP
    random index or the preferred forms is shown whole, not cut after 80 characters)."""
    s = str(v)
    return s if len(s) <= 200 else s[:197] + "…"


# ----------------------------------------------------------------------------- HTML / PDF
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("workbook.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                             lstrip_blocks=True)
    return env.get_template("report.html.j2")


def _css() -> str:
    return resources.files("workbook.report").joinpath("report.css").read_text(encoding="utf-8")


def render_html(doc: ReportDoc) -> str:
    """The self-contained HTML of a report document.

    The template escapes every value (autoescape); only the blocks the workbook built from
    escaped parts — tables (:func:`~workbook.present.document.table_html`) and sanitised
    Markdown (:func:`~workbook.present.safe.markdown_html`) — arrive as ``Markup``. The page
    carries the Content-Security-Policy :data:`~workbook.present.safe.CSP` (no script at all).
    """
    from markupsafe import Markup

    html = _template().render(doc=doc, css=Markup(_css()), t=lambda k, **kw: t(k, doc.lang, **kw),
                              csp=CSP, landscape_keys=LANDSCAPE_TABLES, keep_rows=KEEP_TOGETHER_ROWS + 1)
    return keep_codes_whole(html)


#: a code a line must never split: a competency (M.1, SK.1, T.03, T.03.2) or a programme (PRG-001)
_CODE = re.compile(r"(?<![\w.-])((?:[A-Z]{1,4}\.\d{1,3}(?:\.\d{1,3})*|[A-Z]{2,5}-\d{1,4}))(?![\w-]|\.\d)")
_TEXT_NODE = re.compile(r">([^<]+)<")


def keep_codes_whole(html: str) -> str:
    """The HTML with every code in the text of its body wrapped in ``<span class="code">`` (kept
    on one line by ``report.css``), so a narrow table column never splits "T.03" into "T.0" and
    "3". The head (styles, title) is left as it is.

    >>> keep_codes_whole("<head><style>p{}</style></head><body><td>M.6, SK.1</td><p>PRG-001 (PP 11/2017)</p>")
    '<head><style>p{}</style></head><body><td><span class="code">M.6</span>, <span class="code">SK.1</span></td><p><span class="code">PRG-001</span> (PP 11/2017)</p>'
    """
    head, sep, body = html.partition("<body")
    if not sep:
        head, body = "", html
    body = _TEXT_NODE.sub(lambda m: ">" + _CODE.sub(r'<span class="code">\1</span>', m.group(1)) + "<", body)
    return head + sep + body


def _asset_dirs() -> list[Path]:
    """The workbook's own asset folders (the report package: template, style sheet)."""
    return [Path(str(resources.files("workbook.report")))]


def local_fetcher(*roots: str | Path):
    """A WeasyPrint URL fetcher that fetches nothing from the network.

    ``data:`` URIs are read; ``file:`` URLs only under the workbook's asset folders or ``roots``
    (the report's output folder); anything else (``http:``, ``https:``, ``ftp:``, a file elsewhere)
    is refused before any connection is opened — WeasyPrint then leaves the resource out with a
    warning and the PDF is still written. The refused URLs are kept in ``.refused``.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    allowed = [p.resolve() for p in (*_asset_dirs(), *(Path(r) for r in roots))]

    class LocalFetcher(URLFetcher):
        refused: list[str] = []

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "file":
                target = Path(unquote(parts.path)).resolve()
                if any(target.is_relative_to(root) for root in allowed):
                    return super().fetch(url, headers)
            elif scheme == "data":
                return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"not fetched (the report is printed offline): {url[:200]}")

    fetcher = LocalFetcher(allowed_protocols={"data", "file"}, fail_on_errors=False)
    fetcher.refused = []
    return fetcher


def write_pdf(html: str, path: str | Path) -> tuple[Path, int]:
    """Print ``html`` to PDF with WeasyPrint (atomically), fetching nothing from the network
    (:func:`local_fetcher`); returns the path and the page count."""
    from weasyprint import HTML

    doc = HTML(string=html, url_fetcher=local_fetcher(Path(path).parent)).render()
    with artefacts.atomic_path(path) as tmp:
        doc.write_pdf(tmp)
    return Path(path), len(doc.pages)


# ----------------------------------------------------------------------------- files
def report_dir(output_dir: str | Path, year: int, unit: str | None) -> Path:
    return Path(output_dir) / str(int(year)) / "reports" / "laporan" / (unit or AGENCY)


def report_files(output_dir: str | Path, year: int, unit: str | None, lang: str,
                 formats: tuple[str, ...]) -> dict[str, Path]:
    d = report_dir(output_dir, year, unit)
    stem = f"laporan_{year}_{unit or AGENCY}" + ("" if lang == "id" else "_en")
    return {f: d / f"{stem}.{f}" for f in formats}


@dataclass
class RenderResult:
    unit: str | None
    files: dict[str, Path]
    pages: int | None
    seconds: dict[str, float]
    html: str = ""


def _xlsx(doc: ReportDoc, path: Path) -> Path:
    """The report's tables, as shown (suppressed), one sheet per table."""
    sheets: dict[str, pd.DataFrame] = {}
    for ch in doc.chapters:
        for sec in ch.sections:
            for blk in sec.blocks:
                if blk.kind == "table" and blk.key not in ("settings", "provenance"):
                    df = _table_frame(blk.content)
                    name = f"{blk.number} {blk.key}"[:31]
                    sheets[name] = df
    return artefacts.write_xlsx(sheets, path, lang=doc.lang,
                                banner=t("class.aggregate", doc.lang))


def _table_frame(table: str) -> pd.DataFrame:
    heads = [_html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", table)]
    rows = [[_html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
            for r in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])]
    return pd.DataFrame(rows, columns=heads)


def render_report(bundle, unit: str | None, *, formats: tuple[str, ...] = ("html", "pdf", "xlsx"),
                  params: dict | None = None, notebook_sha: str | None = None,
                  output_dir: str | Path | None = None) -> RenderResult:
    """Render one report (agency when ``unit`` is None) in ``formats``; every file written atomically."""
    from workbook.core.exceptions import WorkbookError

    if unit is not None and unit not in set(bundle.dc.units["kode_unit"]):
        raise WorkbookError(f"Kode unit tidak dikenal: {unit}", f"Unknown unit code: {unit}", column="unit", value=unit)
    t0 = time.perf_counter()
    doc = build_document(bundle, unit, params=params, notebook_sha=notebook_sha)
    t1 = time.perf_counter()
    html = render_html(doc)
    t2 = time.perf_counter()
    out = output_dir or bundle.ctx.output_dir
    files = report_files(out, bundle.ctx.year, unit, bundle.ctx.lang, tuple(formats))
    secs = {"build": t1 - t0, "html": t2 - t1}
    pages = None
    if "html" in files:
        artefacts.atomic_write_text(files["html"], html)
    if "pdf" in files:
        tick = time.perf_counter()
        _, pages = write_pdf(html, files["pdf"])
        secs["pdf"] = time.perf_counter() - tick
    if "xlsx" in files:
        tick = time.perf_counter()
        _xlsx(doc, files["xlsx"])
        secs["xlsx"] = time.perf_counter() - tick
    return RenderResult(unit, files, pages, secs, html)
