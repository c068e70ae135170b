"""Real-browser tests of the manager dashboards: ``workbook serve`` on a free loopback port,
driven by Playwright with Debian's ``/usr/bin/chromium`` (never a downloaded browser).

Screenshots of every page are kept in ``tests/artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import http.client
import re
import shutil
import time
from urllib.parse import urlparse

import pytest
from _serve_support import (
    BROWSER_MARKS,
    CHROMIUM,
    CHROMIUM_ARGS,
    SHOTS,
    serve,
)

# No outside request is allowed: the "workbook" Voilà template drops the Font Awesome CDN links of
# Voilà's lab template (the icons come from Voilà's own bundle, served locally).
ALLOWED_OUTSIDE = re.compile(r"(?!)")
PAGES = ["index", "kebutuhan", "rencana", "evaluasi", "tindak_lanjut"]

pytestmark = BROWSER_MARKS
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _idle(pid: int, threshold: float = 10.0) -> bool:
    """True when the server and its kernels use less than ``threshold`` % CPU over 0.5 s (pools preheated)."""
    import psutil

    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    for p in procs:
        try:
            p.cpu_percent(None)
        except psutil.Error:
            pass
    time.sleep(0.5)
    total = 0.0
    for p in procs:
        try:
            total += p.cpu_percent(None)
        except psutil.Error:
            pass
    return total < threshold


@pytest.fixture(scope="module")
def server(tmp_path_factory, sample_run):
    """``workbook serve`` on a copy of the session's sample run (its log and any session files
    stay out of the shared folder)."""
    out = tmp_path_factory.mktemp("serve_out")
    shutil.copytree(sample_run.out, out, dirs_exist_ok=True)

    def ready(text: str, proc) -> bool:
        return "ready" in text and text.count("Kernel pool of") >= len(PAGES) and _idle(proc.pid)

    with serve(out, pool_size=1, timeout=90, ready=ready, poll_s=0.5) as (port, log):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")  # "/" sends managers to the landing page (not followed: it would take a kernel)
        r = conn.getresponse()
        assert r.status in (301, 302) and r.getheader("Location").endswith("/voila/render/index.ipynb")
        conn.close()
        yield {"base": f"http://127.0.0.1:{port}", "out": out, "log": log, "year": sample_run.ctx.year}


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class _Watch:
    """Collects JavaScript errors and every request that leaves 127.0.0.1."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("request", self._request)

    def _request(self, req) -> None:
        host = urlparse(req.url).hostname
        if req.url.startswith("data:") or host == "127.0.0.1":
            return
        self.outside.append(req.url)

    def check(self) -> None:
        bad = [u for u in self.outside if not ALLOWED_OUTSIDE.match(u)]
        assert not bad, f"requests leaving 127.0.0.1: {bad}"
        # a blocked font CSS shows up as one "Failed to load resource" console line each
        errs = [e for e in self.errors if not (e.startswith("Failed to load resource") and len(self.outside) > 0)]
        assert not errs, f"JavaScript errors: {errs}"


def _open(browser, server, name: str, query: str = "lang=id"):
    context = browser.new_context(viewport={"width": 1280, "height": 1400}, accept_downloads=True)
    page = context.new_page()
    watch = _Watch(page)
    page.goto(f"{server['base']}/voila/render/{name}.ipynb?{query}", wait_until="domcontentloaded")
    page.wait_for_selector(".wb-tiles" if name == "index" else ".wb-chart svg", timeout=60_000)
    return context, page, watch


def _selected(page) -> str:
    """The text of the unit picker's selected option (non-breaking spaces made plain)."""
    return page.locator("select").nth(1).evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("name", PAGES)
def test_every_dashboard_renders_without_errors_or_outside_requests(browser, server, name):
    context, page, watch = _open(browser, server, name)
    try:
        body = page.inner_text("body")
        assert "Traceback" not in body and "import " not in body and "open_dashboard" not in body
        assert page.locator(".jp-InputArea, .jp-CodeCell .jp-InputPrompt").count() == 0  # no source shown
        if name != "index":
            assert page.locator(".wb-card").count() >= 3
            assert page.locator(".wb-chart svg rect").count() >= 3
            assert page.locator("select").count() >= 2
        page.wait_for_timeout(300)
        _shot(page, f"{name}_id")
        watch.check()
    finally:
        context.close()


def test_filter_change_updates_a_chart(browser, server):
    context, page, watch = _open(browser, server, "kebutuhan")
    try:
        chart = page.locator(".wb-chart").nth(1)
        before = chart.inner_html()
        cards_before = page.locator(".wb-cards").inner_text()
        page.locator("select").nth(1).select_option(label="Dinas Kesehatan (DINKES)")
        page.wait_for_function(
            "() => document.querySelectorAll('.wb-chart')[1].innerHTML.includes('font-weight=\"700\"')",
            timeout=10_000)
        assert chart.inner_html() != before
        assert page.locator(".wb-cards").inner_text() != cards_before
        _shot(page, "kebutuhan_DINKES_id")
        watch.check()
    finally:
        context.close()


def test_language_switch_changes_the_labels(browser, server):
    context, page, watch = _open(browser, server, "rencana")
    try:
        assert "Rencana program dan anggaran" in page.inner_text("body")
        page.get_by_role("button", name="English").click()
        page.wait_for_selector("text=Programme plan and budget", timeout=10_000)
        page.wait_for_selector("text=Programmes in the plan", timeout=10_000)  # the table is redrawn last
        page.wait_for_selector("text=Budget used", timeout=10_000)
        body = page.inner_text("body")
        for word in ("Unit kerja", "Tahun rencana", "Unduhan", "Anggaran terpakai", "Seluruh instansi"):
            assert word not in body, word
        assert "Budget used" in body and "Downloads" in body
        _shot(page, "rencana_en")
        watch.check()
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_english_pages_from_the_url_with_a_unit(browser, server, name):
    context, page, watch = _open(browser, server, name, "lang=en&unit=DINKES")
    try:
        body = page.inner_text("body")
        assert "Bahasa Indonesia" in body  # the switch itself
        for word in ("Unit kerja", "Tahun rencana", "Unduhan", "pegawai ", "disembunyikan"):
            assert word not in body, (name, word)
        if name != "index":
            assert _selected(page) == "Dinas Kesehatan (DINKES)"
        _shot(page, f"{name}_en_DINKES")
        watch.check()
    finally:
        context.close()


def test_download_yields_a_valid_xlsx(browser, server, tmp_path):
    import openpyxl

    context, page, watch = _open(browser, server, "rencana")
    try:
        with page.expect_download(timeout=15_000) as info:
            page.locator("a.wb-download").first.click()
        download = info.value
        assert download.suggested_filename == f"plan_{server['year']}.xlsx"
        target = tmp_path / download.suggested_filename
        download.save_as(str(target))
        wb = openpyxl.load_workbook(target, read_only=True)
        assert "rencana_pasal_207" in wb.sheetnames
        watch.check()
    finally:
        context.close()


def test_landing_links_open_the_dashboard_for_a_unit(browser, server):
    context, page, watch = _open(browser, server, "index")
    try:
        page.locator("select").first.select_option(label="Rumah Sakit Umum Daerah (RSUD)")
        page.wait_for_selector("a[href*='unit=RSUD']", timeout=10_000)
        page.locator(".wb-tile a").nth(2).click()
        page.wait_for_selector(".wb-chart svg", timeout=60_000)
        assert "evaluasi.ipynb" in page.url and "unit=RSUD" in page.url
        assert _selected(page).endswith("(RSUD)")
        watch.check()
    finally:
        context.close()


def test_server_log_holds_no_traceback_from_the_pages(server):
    text = server["log"].read_text(encoding="utf-8", errors="replace")
    assert "[workbook.ui ERROR]" not in text



def test_leaving_a_dashboard_shuts_its_kernel_down(browser, server):
    """Voilà's beforeunload shutdown is accepted (the page now has its _xsrf cookie; voila#1458)."""
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(f"{server['base']}/voila/render/kebutuhan.ipynb?lang=id", wait_until="domcontentloaded")
    page.wait_for_selector(".wb-chart svg rect", state="visible", timeout=60_000)
    assert "_xsrf=" in page.evaluate("document.cookie")
    kernel_id = page.evaluate("() => { const m = document.body.innerHTML.match(/kernel[-_]?[iI]d[\"':= ]+([0-9a-f-]{36})/);"
                              " return m ? m[1] : null; }")
    log = server["log"]
    mark = len(log.read_text(encoding="utf-8", errors="replace"))
    page.close(run_before_unload=True)
    ctx.close()
    deadline = time.time() + 30
    while time.time() < deadline and "Kernel shutdown" not in log.read_text(encoding="utf-8", errors="replace")[mark:]:
        time.sleep(0.5)
    tail = log.read_text(encoding="utf-8", errors="replace")[mark:]
    assert "403 POST /voila/api/shutdown" not in tail
    assert "Kernel shutdown" in tail, tail[-2000:]
    if kernel_id:
        assert kernel_id in tail
