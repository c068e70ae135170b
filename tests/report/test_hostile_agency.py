"""A hostile agency through ``make report``'s path, every output checked (issue #16).

The agency (:func:`workbook.sample.hostile.make_hostile` on a 300-employee sample; the session's
one hostile run, ``tests/_hostile.py``, shared with ``test_injection.py``) carries HTML,
script, Markdown-link, image-URL and formula payloads in every free-text and name field, and
distinctive full names, NIPs, phone numbers and e-mail addresses typed into comments. It runs through
``workbook report`` (the command ``make report`` calls) with every HTTP(S) request of the run and its
kernels sent to a recording proxy, then:

* every HTML output (agency and unit reports, stage chapters) has no live injected element, a
  Content-Security-Policy that forbids inline script, and shows the payloads as text;
* headless Chromium opens each report file and each dashboard page: no dialog, no live injected
  element, no request leaving the machine;
* no planted name, NIP, phone number or e-mail address is in any file outside ``confidential/``
  (HTML, PDF text, XLSX cells, Parquet values, JSON, notebooks) — ``restricted/`` included;
* no XLSX cell anywhere is a formula or starts like one;
* the report run made no outside request (the proxy saw nothing).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from _paths import ROOT

sys.path.insert(0, str(ROOT / "tests" / "browser"))  # _serve_support (Chromium's path, workbook serve)

pytestmark = pytest.mark.slow

FORMULA_START = tuple("=+-@\t\r＝")
LIVE_TAGS = ("script", "iframe", "object", "embed", "frame", "base", "form", "meta[http-equiv=refresh]")
LIVE_SELECTOR = ("script:not([type='application/json']), iframe, object, embed, [onerror], [onload], "
                 "[ontoggle], [onclick], [onmouseover], a[href^='javascript:'], a[href*='evil.example'], "
                 "img[src*='evil.example'], link[href*='evil.example']")


@pytest.fixture(scope="module")
def proxy(hostile_proxy):
    """The recording proxy of the shared hostile run (``tests/conftest.py``): (URL, requests seen)."""
    return hostile_proxy


@pytest.fixture(scope="module")
def hostile(hostile_run):
    """The hostile agency, reported for the agency and one unit in HTML, PDF and XLSX.

    The session's one hostile run (``tests/_hostile.py``), shared with ``test_injection.py``: the
    data also carries that module's payloads, appended after these.
    """
    return hostile_run


def _published(year: Path) -> list[Path]:
    """Every file of the run outside ``confidential/``."""
    return sorted(p for p in year.rglob("*") if p.is_file() and "confidential" not in p.relative_to(year).parts)


def _text_of(path: Path) -> str:
    """What a reader (or a script) can read in a file: cell values, Parquet values, PDF text, raw text."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        df = pd.read_parquet(path)
        parts = [" ".join(map(str, df.columns))]
        for col in df.columns:
            s = df[col]
            if s.dtype == object or isinstance(s.dtype, (pd.StringDtype, pd.CategoricalDtype)):
                parts.append("\n".join(map(str, s.dropna().tolist())))
        return "\n".join(parts)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
    if suffix == ".pdf":
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    return path.read_bytes().decode("utf-8", errors="replace")


def _identity_patterns(info: dict) -> list[tuple[str, re.Pattern]]:
    pats = []
    tokens = sorted({tok for name in info["names"] for tok in name.split()})
    for tok in tokens:
        pats.append((f"name token {tok}", re.compile(rf"\b{re.escape(tok)}\b", re.IGNORECASE)))
    for nip in info["nips"]:
        spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        pats.append((f"NIP {nip}", re.compile(rf"{nip}|{re.escape(spaced)}")))
    pats.append(("phone", re.compile(r"0812[-\s]?3456[-\s]?7\d{3}")))
    pats.append(("e-mail", re.compile(r"[\w.]+@contoh\.go\.id", re.IGNORECASE)))
    return pats


def test_the_report_run_succeeds_and_asks_nothing_of_the_network(hostile, proxy):
    run = hostile["run"]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    reports = hostile["year"] / "reports" / "laporan"
    for unit in ("INSTANSI", hostile["unit"]):
        for fmt in ("html", "pdf", "xlsx"):
            assert (reports / unit / f"laporan_2027_{unit}.{fmt}").is_file(), (unit, fmt)
    assert proxy[1] == [], f"the report run tried to reach the network: {proxy[1]}"


def test_no_planted_name_or_identity_number_outside_confidential(hostile):
    pats = _identity_patterns(hostile["info"])
    leaks = []
    files = _published(hostile["year"])
    assert any(p.suffix == ".pdf" for p in files) and any(p.suffix == ".parquet" for p in files)
    for path in files:
        if path.suffix.lower() in (".png", ".svg", ".woff", ".woff2", ".lock"):
            continue
        text = _text_of(path)
        for label, pat in pats:
            m = pat.search(text)
            if m:
                leaks.append(f"{path.relative_to(hostile['year'])}: {label} → …{text[max(0, m.start() - 40):m.end() + 20]!r}")
    assert not leaks, f"{len(leaks)} leaks, first: " + "\n".join(leaks[:15])


def test_no_xlsx_cell_is_or_starts_like_a_formula(hostile):
    from openpyxl import load_workbook

    bad = []
    books = sorted(hostile["year"].rglob("*.xlsx"))
    assert len(books) >= 5
    for path in books:
        wb = load_workbook(path)  # not read-only: data_type "f" is visible
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(FORMULA_START)):
                        bad.append(f"{path.name}!{ws.title}!{c.coordinate}: {c.value!r}")
    assert not bad, f"{len(bad)} formula cells, first: {bad[:10]}"


def _html_files(year: Path) -> list[Path]:
    return [p for p in _published(year) if p.suffix == ".html"]


def _csp_forbids_inline_script(policy: str) -> bool:
    """True when the policy's script-src (or default-src, without one) does not allow inline script."""
    directives = {d.split()[0].lower(): d.split()[1:] for d in policy.split(";") if d.strip()}
    sources = directives.get("script-src", directives.get("default-src"))
    return sources is not None and "'unsafe-inline'" not in sources and "*" not in sources


def test_html_outputs_hold_payloads_as_text_only(hostile):
    from bs4 import BeautifulSoup

    files = _html_files(hostile["year"])
    assert len(files) >= 6  # 4 stage chapters + agency + unit
    problems = []
    for path in files:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        name = path.relative_to(hostile["year"])
        csp = soup.find("meta", attrs={"http-equiv": re.compile("content-security-policy", re.I)})
        if csp is None or not _csp_forbids_inline_script(csp.get("content", "")):
            problems.append(f"{name}: no Content-Security-Policy forbidding inline script")
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                if attr.lower().startswith("on"):
                    problems.append(f"{name}: <{tag.name} {attr}=…>")
                v = " ".join(value) if isinstance(value, list) else str(value)
                if attr.lower() in ("href", "src", "srcdoc", "action", "formaction", "data", "xlink:href") and (
                        "evil.example" in v or v.strip().lower().startswith("javascript:")):
                    problems.append(f"{name}: <{tag.name} {attr}={v[:60]!r}>")
            if tag.name in ("iframe", "object", "embed", "frame", "base", "form"):
                problems.append(f"{name}: <{tag.name}>")
            if tag.name == "script" and "alert(" in (tag.string or ""):
                problems.append(f"{name}: <script>{(tag.string or '')[:60]}")
            if tag.name == "style" and "evil.example" in (tag.string or ""):
                problems.append(f"{name}: <style> importing {tag.string[:60]!r}")
    assert not problems, f"{len(problems)} live elements, first: {problems[:15]}"
    # the payloads are shown, as text: the agency name's payload in the agency report
    agency = hostile["year"] / "reports" / "laporan" / "INSTANSI" / "laporan_2027_INSTANSI.html"
    text = BeautifulSoup(agency.read_text(encoding="utf-8"), "html.parser").get_text()
    marker = next(n for n, f in hostile["info"]["markers"].items() if f == "instansi.nama_instansi")
    assert f"alert({marker})" in text


# --------------------------------------------------------------------------------------------
# headless Chromium: the report files and the dashboard pages
# --------------------------------------------------------------------------------------------

def _chromium():
    from _serve_support import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).is_file():
        pytest.skip("no /usr/bin/chromium (make browser installs it)")
    api = pytest.importorskip("playwright.sync_api")
    return api, CHROMIUM, CHROMIUM_ARGS


class _Watch:
    def __init__(self, page, local_host: str | None = None) -> None:
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        self.local_host = local_host
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _dialog(self, d) -> None:
        self.dialogs.append(d.message)
        d.dismiss()

    def _request(self, req) -> None:
        url = req.url
        if url.startswith(("data:", "file:", "about:", "blob:")):
            return
        if self.local_host and url.startswith(self.local_host):
            return
        self.outside.append(url)


@pytest.mark.browser
def test_report_files_in_chromium_run_nothing_and_fetch_nothing(hostile):
    api, chromium, args = _chromium()
    files = _html_files(hostile["year"])
    problems = []
    with api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        try:
            for path in files:
                page = browser.new_page()
                watch = _Watch(page)
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_timeout(300)
                live = page.locator(LIVE_SELECTOR).count()
                name = path.relative_to(hostile["year"])
                if watch.dialogs or watch.outside or live:
                    problems.append(f"{name}: dialogs {watch.dialogs[:5]}, requests {watch.outside[:5]}, live {live}")
                page.close()
        finally:
            browser.close()
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_dashboards_on_the_hostile_agency_run_nothing_and_show_no_name(hostile):
    from _serve_support import serve

    api, chromium, args = _chromium()
    assert hostile["run"].returncode == 0
    out = hostile["base"] / "serve_out"
    shutil.copytree(hostile["out"], out, dirs_exist_ok=True)
    pats = _identity_patterns(hostile["info"])
    problems = []
    with serve(out, data=hostile["data"], pool_size=1, timeout=120, env=hostile["env"]) as (port, _log), \
            api.sync_playwright() as p:
        base = f"http://127.0.0.1:{port}"
        browser = p.chromium.launch(executable_path=chromium, args=args)
        try:
            for name in ("index", "kebutuhan", "rencana", "evaluasi", "tindak_lanjut"):
                page = browser.new_page(viewport={"width": 1280, "height": 1400})
                watch = _Watch(page, local_host=base)
                page.goto(f"{base}/voila/render/{name}.ipynb?lang=id", wait_until="domcontentloaded")
                page.wait_for_selector(".wb-tiles" if name == "index" else ".wb-chart svg", timeout=90_000)
                page.wait_for_timeout(500)
                live = page.locator(LIVE_SELECTOR.replace("script:not([type='application/json']), ", "")).count()
                scripts = page.evaluate("() => [...document.scripts].map(s => s.text).filter(t => t.includes('alert('))")
                body = page.inner_text("body")
                leaks = [label for label, pat in pats if pat.search(body)]
                if watch.dialogs or watch.outside or live or scripts or leaks:
                    problems.append(f"{name}: dialogs {watch.dialogs[:5]}, requests {watch.outside[:5]}, "
                                    f"live {live}, scripts {scripts[:2]}, names {leaks[:5]}")
                page.close()
        finally:
            browser.close()
    assert not problems, "\n".join(problems)


def test_markers_file_sits_outside_the_data_folder(hostile):
    markers = json.loads((hostile["base"] / "_hostile_markers.json").read_text(encoding="utf-8"))
    assert len(markers["markers"]) > 100 and not (hostile["data"] / "_hostile_markers.json").exists()
