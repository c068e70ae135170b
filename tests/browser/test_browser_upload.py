"""Real-browser test of the upload page: ``workbook serve`` on a free loopback port, Playwright with
Debian's ``/usr/bin/chromium`` (never a downloaded browser), a survey with one planted bad value.

The screenshot is kept in ``tests/artifacts/screenshots/unggah_id.png`` (gitignored).
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest
from _serve_support import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, SAMPLE, SHOTS, serve

pytestmark = BROWSER_MARKS
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _folder_hash(d: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``workbook serve`` without preheated kernels (the upload page needs no stage results)."""
    out = tmp_path_factory.mktemp("serve_upload_out")
    with serve(out, pool_size=0, timeout=60) as (port, log):
        yield {"base": f"http://127.0.0.1:{port}", "out": out, "log": log}


def test_upload_shows_the_planted_problem_with_row_and_column(server, tmp_path):
    before = _folder_hash(SAMPLE)
    lines = (SAMPLE / "survei_pegawai.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[7].split(",")
    cells[header.index("level_M.3")] = "7"  # the scale is 1–4 (or 1–5): out of range
    lines[7] = ",".join(cells)
    upload = tmp_path / "ekspor_survei.csv"
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    row = 8  # header is row 1

    errors: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            page.on("pageerror", lambda e: errors.append(str(e)))
            t_start = time.time()
            page.goto(f"{server['base']}/voila/render/unggah.ipynb?lang=id", wait_until="domcontentloaded")
            page.wait_for_selector("text=Unggah data baru untuk sesi ini", timeout=60_000)
            use = page.get_by_role("button", name="Gunakan data ini untuk sesi ini")
            assert use.is_disabled()
            t0 = time.time()
            # the widget's <input type=file> is not in the DOM: answer the file chooser its button opens
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.locator(".widget-upload").first.click()
            chooser.value.set_files(str(upload))
            page.wait_for_selector(".wb-report", timeout=30_000)
            print(f"page ready in {t0 - t_start:.1f} s, report in {time.time() - t0:.1f} s")
            report = page.locator(".wb-report")
            bad = report.locator("tr", has_text="KESALAHAN")
            assert bad.count() == 1
            cells_text = [c.strip() for c in bad.first.locator("td").all_inner_texts()]
            assert cells_text[:5] == ["KESALAHAN", "ekspor_survei.csv", str(row), "level_M.3", "7"], cells_text
            verdict = page.locator(".wb-verdict").inner_text()
            assert "Dikenali sebagai tabel survei_pegawai" in verdict and "1 kesalahan" in verdict
            assert use.is_disabled()
            body = page.inner_text("body")
            assert "Traceback" not in body and "open_upload" not in body
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "unggah_id.png"), full_page=False)
        finally:
            browser.close()
    assert not errors, errors
    assert _folder_hash(SAMPLE) == before
    year = next(p for p in server["out"].iterdir() if p.is_dir()).name
    scratch = server["out"] / year / "restricted" / "unggahan"
    # the upload was staged in a session attempt folder; its raw bytes were deleted once placed and
    # the session's copy once validation rejected it (docs/privacy.md)
    assert len(list(scratch.glob("*/001"))) == 1
    assert not list(scratch.rglob("berkas/ekspor_survei.csv")) and not list(scratch.rglob("data/survei_pegawai.csv"))
    assert "[workbook.ui ERROR]" not in server["log"].read_text(encoding="utf-8", errors="replace")


def test_oversize_file_is_stopped_in_the_browser_and_the_page_keeps_working(server, tmp_path):
    """Review 4.6: a file over the limit was sent anyway, closed the kernel connection and left the
    page dead. Now the browser refuses it before sending, and a later valid upload still works."""
    big = tmp_path / "ekspor_besar.csv"
    line = (SAMPLE / "survei_pegawai.csv").read_text(encoding="utf-8").splitlines()[1] + "\n"
    big.write_text("x\n" + line * (9 * 1024 * 1024 // len(line) + 1), encoding="utf-8")  # > 8 MB (the default)
    good = tmp_path / "survei_baik.csv"
    good.write_bytes((SAMPLE / "survei_pegawai.csv").read_bytes())
    errors: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            page.on("pageerror", lambda e: errors.append(str(e)))
            sent: list[int] = []  # websocket frames from the page larger than 1 MB: a file being sent
            page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(len(f)) if len(f) > 1e6 else None))
            page.goto(f"{server['base']}/voila/render/unggah.ipynb?lang=id", wait_until="domcontentloaded")
            page.wait_for_selector("text=Unggah data baru untuk sesi ini", timeout=60_000)
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.locator(".widget-upload").first.click()
            chooser.value.set_files(str(big))
            guard = page.locator(".wb-size-guard")
            guard.wait_for(state="visible", timeout=10_000)
            text = guard.inner_text()
            assert 'Berkas "ekspor_besar.csv" terlalu besar (9,0 MB; batas 8 MB' in text and "tidak dikirim" in text, text
            page.wait_for_timeout(1500)
            assert not sent and page.locator(".wb-report").count() == 0  # nothing went to the kernel

            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.locator(".widget-upload").first.click()
            chooser.value.set_files(str(good))
            page.wait_for_selector(".wb-verdict", timeout=60_000)
            verdict = page.locator(".wb-verdict").inner_text()
            assert "Dikenali sebagai tabel survei_pegawai" in verdict and "Tidak ada kesalahan" in verdict, verdict
            assert not guard.is_visible()
            assert page.get_by_role("button", name="Gunakan data ini untuk sesi ini").is_enabled()
            body = page.inner_text("body")
            assert str(server["out"]) not in body and str(SAMPLE) not in body and "/tmp/" not in body
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "unggah_terlalu_besar_lalu_baik.png"), full_page=False)
        finally:
            browser.close()
    assert not errors, errors
    assert "[workbook.ui ERROR]" not in server["log"].read_text(encoding="utf-8", errors="replace")
