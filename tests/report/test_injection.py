"""Data is text, never markup: a hostile agency through ``workbook report``'s path.

A small generated agency (150 employees) gets script, HTML, Markdown-link, image-URL and formula
payloads in the free-text and name fields the security review found executing (2026-12, findings
1.1–1.5): programme names, unit names, the agency name ``nama_instansi``, L1 comments, interview
summaries, open survey answers ``kebutuhan_lain``, unit-indicator names, and the ROI measures and
notes. The stage notebooks run once as ``workbook report`` runs them (papermill, then the stage
chapters ``reports/0x_*.html`` through nbconvert); the agency report and one unit report are
rendered (HTML, PDF, XLSX) from the artefacts they wrote.

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

import pandas as pd
import pytest
import yaml

bs4 = pytest.importorskip("bs4")

UNIT = "DINSOS"
#: the payloads, each with its own marker number (as in the review: which field executed)
PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(2)>",
    "svg": '"><svg onload=alert(3)>',
    "link": "[klik](http://evil.example/x)",
    "image": "![i](http://evil.example/i.png)",
    "js": "[buka](javascript:alert(4))",
    "formula": '=HYPERLINK("http://evil.example/f","klik")',
}
#: what each payload reads once shown as text (whitespace as the HTML text shows it)
VISIBLE = dict(PAYLOADS)
EVIL_HOSTS = ("evil.example",)


def _plant(data: Path) -> dict[str, list[str]]:
    """Put the payloads into the agency's fields; returns field -> the planted values."""
    planted: dict[str, list[str]] = {}
    kinds = list(PAYLOADS)

    def csv(name: str) -> tuple[Path, pd.DataFrame]:
        p = data / f"{name}.csv"
        return p, pd.read_csv(p, dtype=str, keep_default_na=False)

    meta_p = data / "instansi.yaml"
    meta = yaml.safe_load(meta_p.read_text(encoding="utf-8"))
    meta["nama_instansi"] = f"Pemerintah Kabupaten Hostil {PAYLOADS['img']} {PAYLOADS['script']}"
    meta_p.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    planted["nama_instansi"] = [meta["nama_instansi"]]

    p, df = csv("pegawai")
    df.loc[df["kode_unit"] == UNIT, "nama_unit"] = f"Dinas Sosial {PAYLOADS['img']} {PAYLOADS['link']}"
    other = sorted(set(df["kode_unit"]) - {UNIT})[0]
    df.loc[df["kode_unit"] == other, "nama_unit"] = f"{PAYLOADS['script']}Bagian {PAYLOADS['svg']}"
    df.to_csv(p, index=False)
    planted["nama_unit"] = [df.loc[df["kode_unit"] == u, "nama_unit"].iloc[0] for u in (UNIT, other)]

    p, df = csv("katalog_program")
    df["nama_program"] = [PAYLOADS["formula"] if kinds[i % len(kinds)] == "formula" else
                          f"{name} {PAYLOADS[kinds[i % len(kinds)]]}"
                          for i, name in enumerate(df["nama_program"])]
    df.to_csv(p, index=False)
    planted["nama_program"] = list(df["nama_program"])

    def append(name: str, column: str, only_filled: bool = True) -> None:
        p, df = csv(name)
        rows = df.index[df[column].str.strip() != ""] if only_filled else df.index
        df.loc[rows, column] = [f"{v} {PAYLOADS[kinds[j % len(kinds)]]}"
                                for j, v in enumerate(df.loc[rows, column])]
        df.to_csv(p, index=False)
        planted[f"{name}.{column}"] = list(df.loc[rows, column])

    append("evaluasi_l1", "komentar")
    append("wawancara", "ringkasan")
    append("survei_pegawai", "kebutuhan_lain")
    append("roi_manfaat", "keterangan")

    p, df = csv("indikator_unit")
    names = sorted(set(df["indikator"]))
    mapping = {n: f"{n} {PAYLOADS[kinds[i % len(kinds)]]}" for i, n in enumerate(names)}
    df["indikator"] = df["indikator"].map(mapping)
    df.to_csv(p, index=False)
    planted["indikator_unit.indikator"] = list(mapping.values())
    return planted


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    """The hostile agency through the stage notebooks (as ``workbook report`` runs them) and the
    agency and one unit report (HTML, PDF, XLSX) rendered from the artefacts they wrote."""
    from workbook.core.context import open_context
    from workbook.report.batch import run_stages
    from workbook.report.bundle import load_bundle
    from workbook.report.render import render_report
    from workbook.sample import write_agency

    root = tmp_path_factory.mktemp("hostile")
    write_agency(root / "data", 150, seed=5)
    planted = _plant(root / "data")
    params = {"data_dir": str(root / "data"), "output_dir": str(root / "out"), "interactive": False}
    stages = run_stages(params, progress=False)
    assert all(r.status == "ok" for r in stages), [(r.stage, r.message) for r in stages]
    bundle = load_bundle(open_context(**params))
    reports = {u: render_report(bundle, u, formats=("html", "pdf", "xlsx")) for u in (None, UNIT)}
    return {"root": root, "planted": planted, "stages": stages, "reports": reports,
            "chapters": {r.stage: Path(r.html) for r in stages}}


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


def test_payloads_are_visible_as_text(hostile):
    """The payloads are shown as typed, in the fields the review found executing."""
    pages = {name: _text(_soup(page)) for name, page in _pages(hostile).items()}
    agency, unit = pages["laporan_INSTANSI"], pages[f"laporan_{UNIT}"]
    planted = hostile["planted"]
    # the agency name (cover, data-check bullets) and the unit's name (intro sentences)
    assert planted["nama_instansi"][0] in agency and planted["nama_instansi"][0] in pages["00_data_check"]
    assert planted["nama_unit"][0] in unit
    # programme names, quotes of L1 comments / interviews / survey answers, indicators, ROI notes
    for field in ("nama_program", "evaluasi_l1.komentar", "wawancara.ringkasan",
                  "survei_pegawai.kebutuhan_lain", "indikator_unit.indikator"):
        kinds_seen = {k for k, p in PAYLOADS.items()
                      if any(p in v and v in agency for v in planted[field])}
        assert kinds_seen, f"no {field} value shown whole in the agency report"
    for kind, payload in PAYLOADS.items():
        assert payload in agency, f"{kind} payload not shown as text in the agency report"
        assert payload in pages["03_evaluation"], f"{kind} payload not shown in the evaluation chapter"


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
            for url in re.findall(r"https?://[^\s\"'<>)]+", page):
                assert any(h in url for h in EVIL_HOSTS), (name, url)
                assert url in _text(soup) or url.replace("&amp;", "&") in _text(soup), (name, url)
