"""Data is text, never markup: a hostile agency through ``workbook report``'s path.

A generated agency gets script, HTML, Markdown-link, image-URL and formula payloads in the
free-text and name fields the security review found executing (2026-12, findings 1.1–1.5):
programme names, unit names, the agency name ``nama_instansi``, L1 comments, interview summaries,
open survey answers ``kebutuhan_lain``, unit-indicator names, and the ROI measures and notes.
``workbook report`` runs the stage notebooks once (papermill, then the stage chapters
``reports/0x_*.html`` through nbconvert) and renders the agency report and one unit report (HTML,
PDF, XLSX) from the artefacts they wrote. The agency is the session's one hostile run
(``tests/_hostile.py``), shared with ``test_hostile_agency.py``: the data carries that module's
payloads too, and these are appended after them (:func:`_hostile.plant_injection`).

Every page is parsed (BeautifulSoup) and must hold no element with an ``on*`` attribute, no
``<script>``, ``<iframe>``, ``<object>``, ``<embed>``, no ``href``/``src`` that leaves the page
(only ``#…`` anchors and inline ``data:image/…``), the Content-Security-Policy meta, and the
payloads as visible text. URLs are allowed only as text (the payloads are shown as typed, and
the references name their sources); nothing the browser or WeasyPrint would fetch.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from _hostile import INJECTION_PAYLOADS, UNIT, YEAR

from workbook.report.batch import STAGE_NOTEBOOKS

bs4 = pytest.importorskip("bs4")
pytestmark = pytest.mark.slow  # the stage notebooks run once (papermill) for the hostile agency

#: the payloads (``tests/_hostile.py``); ``UNIT`` is the unit whose report is rendered
PAYLOADS = INJECTION_PAYLOADS
EVIL_HOSTS = ("evil.example",)


@pytest.fixture(scope="module")
def hostile(hostile_run) -> dict:
    """The hostile agency through ``workbook report`` (stage notebooks, stage chapters, the agency
    and one unit report in HTML, PDF and XLSX): the session's one hostile run, shared with
    ``test_hostile_agency.py`` (``tests/conftest.py``, ``tests/_hostile.py``)."""
    run = hostile_run["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    reports_dir = hostile_run["year"] / "reports"
    reports = {u: SimpleNamespace(files={fmt: reports_dir / "laporan" / (u or "INSTANSI") /
                                         f"laporan_{YEAR}_{u or 'INSTANSI'}.{fmt}" for fmt in ("html", "pdf", "xlsx")})
               for u in (None, UNIT)}
    chapters = {stage: reports_dir / f"{stage}.html" for stage in STAGE_NOTEBOOKS}
    assert all(p.is_file() for p in chapters.values()), chapters
    return {"root": hostile_run["base"], "planted": hostile_run["planted"], "reports": reports,
            "chapters": chapters}


# ----------------------------------------------------------------------------- checks
def _pages(hostile) -> dict[str, str]:
    pages = {f"laporan_{u or 'INSTANSI'}": r.files["html"].read_text(encoding="utf-8")
             for u, r in hostile["reports"].items()}
    pages.update({name: p.read_text(encoding="utf-8") for name, p in hostile["chapters"].items()})
    return pages


def _soup(page: str):
    return bs4.BeautifulSoup(page, "html.parser")


def _text(soup) -> str:
    return " ".join(soup.get_text(" ").split())


_URL_ATTRS = ("href", "src", "srcset", "action", "formaction", "data", "poster", "background",
              "xlink:href", "cite", "longdesc", "ping", "manifest")


def _live_problems(page: str) -> list[str]:
    """What in ``page`` would run or fetch: on* handlers, script-like elements, URLs that leave
    the page, CSS that loads something."""
    soup = _soup(page)
    out = []
    for el in soup.find_all(True):
        for attr, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attr.lower().startswith("on"):
                out.append(f"<{el.name} {attr}={value[:40]!r}>")
            if attr.lower() in _URL_ATTRS:
                v = value.strip().lower()
                inline_image = el.name == "img" and attr == "src" and v.startswith("data:image/")
                if not (v.startswith("#") or inline_image):
                    out.append(f"<{el.name} {attr}={value[:60]!r}>")
        if el.name in ("script", "iframe", "object", "embed", "frame", "frameset", "applet", "base",
                       "link", "form", "meta") and not (
                el.name == "meta" and (el.get("charset") or el.get("name") == "viewport"
                                       or el.get("http-equiv") == "Content-Security-Policy")):
            out.append(f"<{el.name}>")
    for style in soup.find_all("style"):
        css = re.sub(r"/\*.*?\*/", "", style.get_text(), flags=re.S)  # comments load nothing
        if re.search(r"@import|url\(\s*['\"]?\s*(?!data:)[a-z]", css, re.I):
            out.append("<style> loads a resource")
    return out


def test_pages_have_no_live_injected_element(hostile):
    pages = _pages(hostile)
    assert set(pages) >= {"laporan_INSTANSI", f"laporan_{UNIT}", "00_data_check", "03_evaluation"}
    problems = {name: _live_problems(page) for name, page in pages.items()}
    assert not any(problems.values()), problems


def test_pages_carry_the_content_security_policy(hostile):
    for name, page in _pages(hostile).items():
        metas = _soup(page).find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(metas) == 1, name
        csp = metas[0]["content"]
        assert "script-src 'none'" in csp and "default-src 'none'" in csp, name
        assert "unsafe-eval" not in csp and "http" not in csp, name


def _shown(planted: list[str], text: str) -> set[str]:
    """The payload kinds of ``planted`` values that ``text`` shows as typed (quotes are shortened
    and anonymised: a value counts when the end of its own words and its payload are shown)."""
    seen = set()
    for value in planted:
        for kind, payload in PAYLOADS.items():
            if value == payload or (value.endswith(" " + payload)
                                    and " ".join(value[: -len(payload)].split())[-12:] + " " + payload in text):
                seen.add(kind)
            elif payload in value and value in text:
                seen.add(kind)
    return seen


def test_payloads_are_visible_as_text(hostile):
    """The payloads are shown as typed, in every field the review found executing."""
    pages = {name: _text(_soup(page)) for name, page in _pages(hostile).items()}
    agency, unit, evaluation = pages["laporan_INSTANSI"], pages[f"laporan_{UNIT}"], pages["03_evaluation"]
    planted = hostile["planted"]
    # the agency name (cover, data-check bullets) and the unit's name (intro sentences)
    for page in (agency, unit, pages["00_data_check"]):
        assert planted["nama_instansi"][0] in page
    assert planted["nama_unit"][0] in unit and planted["nama_unit"][1] in agency
    # programme names, quotes of L1 comments / interviews / survey answers, indicators, ROI notes
    for field in ("nama_program", "evaluasi_l1.komentar", "wawancara.ringkasan",
                  "survei_pegawai.kebutuhan_lain", "indikator_unit.indikator", "roi_manfaat.keterangan"):
        assert _shown(planted[field], agency), f"no {field} value shown in the agency report"
        assert _shown(planted[field], evaluation), f"no {field} value shown in the evaluation chapter"
    assert _shown(planted["nama_program"], agency) == set(PAYLOADS)
    assert _shown(planted["indikator_unit.indikator"], unit)


def test_stage_chapter_still_shows_figures_and_tables(hostile):
    for name in ("00_data_check", "01_needs_analysis", "03_evaluation"):
        soup = _soup(hostile["chapters"][name].read_text(encoding="utf-8"))
        imgs = [i for i in soup.find_all("img") if i.get("src", "").startswith("data:image/png;base64,")]
        assert imgs, f"{name}: no figure"
        assert soup.find_all("table"), f"{name}: no table"
        assert soup.find_all("li"), f"{name}: the Markdown lists are gone"
        assert "<p>" not in _text(soup), f"{name}: sanitising showed markup as text"


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pdf_objects(path: Path) -> bytes:
    """The PDF with its Flate streams inflated (actions and links may sit in them)."""
    import zlib

    raw = path.read_bytes()
    parts = [raw]
    for m in re.finditer(rb"stream\r?\n", raw):
        try:
            parts.append(zlib.decompressobj().decompress(raw[m.end():m.end() + 5_000_000]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_pdf_has_no_action_and_shows_the_payload_as_text(hostile):
    pdf = hostile["reports"][None].files["pdf"]
    objects = _pdf_objects(pdf)
    for action in (b"/JavaScript", b"/JS ", b"/Launch", b"/URI", b"/SubmitForm", b"/GoToR"):
        assert action not in objects, action
    text = " ".join(_pdf_text(pdf).split())
    assert "Hostil" in text and "alert(2)" in text and "evil.example" in text


def test_xlsx_cells_are_values_not_formulas(hostile):
    import openpyxl

    for r in hostile["reports"].values():
        wb = openpyxl.load_workbook(r.files["xlsx"])
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        formula = [c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
        assert formula and all(not v.startswith("=") for v in formula)


def test_no_report_file_names_a_url_that_would_be_fetched(hostile):
    """Every HTML page and the PDF: no fetch target outside the page (text mentions may stay)."""
    for name, page in _pages(hostile).items():
        soup = _soup(page)
        targets = [str(v) for el in soup.find_all(True) for a, v in el.attrs.items() if a in _URL_ATTRS]
        assert not [v for v in targets if re.match(r"\s*(https?:|//|ftp:|file:)", v, re.I)], name
        # in the report pages any URL at all is text shown to the reader (the payloads)
        if name.startswith("laporan_"):
            for url in re.findall(r"https?://[^\s\"'<>)&]+", page):
                assert any(h in url for h in EVIL_HOSTS), (name, url)
                assert url in _text(soup) or url.replace("&amp;", "&") in _text(soup), (name, url)


# ----------------------------------------------------------------------------- WeasyPrint offline
_REMOTE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="http://evil.example/s.css">
<style>@import url(https://evil.example/i.css); body { background: url(http://evil.example/b.png) }
@font-face { font-family: X; src: url(https://evil.example/f.woff2) }</style></head>
<body><p>Komentar: lihat http://evil.example/x</p><img src="http://evil.example/i.png">
<img src="file:///etc/passwd"><img src="//evil.example/p.png"><iframe src="http://evil.example/f"></iframe>
<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="></body></html>"""


@pytest.fixture
def network_spy(monkeypatch) -> list[str]:
    """Records every URL urllib is asked to open other than ``data:`` and every socket connect
    (and refuses them): the report printer must attempt none."""
    import socket
    import urllib.request

    attempts: list[str] = []
    real_open = urllib.request.OpenerDirector.open

    def spy_open(self, fullurl, *args, **kwargs):
        url = fullurl if isinstance(fullurl, str) else fullurl.full_url
        if not url.startswith("data:"):
            attempts.append(url)
            raise OSError(f"network refused in tests: {url}")
        return real_open(self, fullurl, *args, **kwargs)

    def spy_connect(address, *args, **kwargs):
        attempts.append(f"socket {address}")
        raise OSError("network refused in tests")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", spy_open)
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, *a, **k: spy_open(None, url))
    monkeypatch.setattr(socket, "create_connection", spy_connect)
    return attempts


def test_pdf_printer_refuses_every_remote_or_foreign_url(network_spy, tmp_path):
    from weasyprint import HTML

    from workbook.report.render import local_fetcher, write_pdf

    path, pages = write_pdf(_REMOTE_PAGE, tmp_path / "remote.pdf")
    assert path.is_file() and pages >= 1  # refused resources are left out, the PDF is written
    assert network_spy == []
    fetcher = local_fetcher(tmp_path)
    HTML(string=_REMOTE_PAGE, url_fetcher=fetcher).render()
    assert network_spy == []
    refused = " ".join(fetcher.refused)
    for url in ("http://evil.example/s.css", "https://evil.example/i.css", "http://evil.example/b.png",
                "http://evil.example/i.png", "file:///etc/passwd"):
        assert url in refused, url
    assert "data:" not in refused  # the inline image is read
    assert "http://evil.example/x" not in refused  # text is not a URL to fetch


def test_local_fetcher_reads_files_under_its_folders_only(tmp_path):
    from workbook.report.render import local_fetcher

    inside = tmp_path / "out" / "logo.svg"
    inside.parent.mkdir()
    inside.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("x", encoding="utf-8")
    fetcher = local_fetcher(inside.parent)
    assert fetcher.fetch(inside.as_uri()).read()
    with pytest.raises(ValueError):
        fetcher.fetch(outside.as_uri())
    with pytest.raises(ValueError):
        fetcher.fetch((inside.parent / ".." / "secret.txt").as_uri())


def test_hostile_report_prints_without_a_fetch(hostile, network_spy, tmp_path):
    """The agency report with URLs in its comments and names is printed again under the spy."""
    from workbook.report.render import write_pdf

    html = hostile["reports"][None].files["html"].read_text(encoding="utf-8")
    assert "http://evil.example" in html
    write_pdf(html, tmp_path / "again.pdf")
    assert network_spy == []
