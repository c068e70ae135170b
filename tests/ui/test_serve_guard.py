"""``workbook serve`` cannot be exhausted or tripped (workbook.ui.guard, workbook.ui.serve): the
kernel cap and its "coba lagi sebentar" page, the short cull of never-connected kernels, the
non-loopback refusal, the unit scope, 404 for odd paths, and pages that load nothing from the
internet. A real server runs for the HTTP checks (no browser; the browser checks are in
``tests/browser``)."""

from __future__ import annotations

import argparse
import asyncio
import http.client
import logging
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from workbook.core.context import open_context
from workbook.ui import dashboards as d
from workbook.ui import guard, serve

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data_samples" / "contoh"
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from _serve_support import serve as run_server  # noqa: E402

PAGES = ["index", "kebutuhan", "rencana", "evaluasi", "tindak_lanjut"]
#: references a browser would fetch: src/href/action/poster/data attributes, CSS url() and @import
FETCHED = re.compile(r"""(?:\b(?:src|href|action|poster|data|srcset)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])"""
                     r"""\s*((?:https?:)?//[^"')\s>]+)""", re.IGNORECASE)


# ----------------------------------------------------------------------------- kernel cap, no server
class _FakeManager:
    """The part of jupyter_server's kernel manager the mixin relies on."""

    log = logging.getLogger("test.guard")

    def __init__(self) -> None:
        self.kernels: list[str] = []
        self._kernel_connections: dict[str, int] = {}
        self.shut: list[str] = []
        self.idle_checked: list[str] = []

    def list_kernel_ids(self):
        return list(self.kernels)

    async def start_kernel(self, **kwargs):
        kid = f"k{len(self.kernels) + len(self.shut)}"
        self.kernels.append(kid)
        self._kernel_connections[kid] = 0
        return kid

    def notify_connect(self, kernel_id):
        self._kernel_connections[kernel_id] += 1

    async def cull_kernel_if_idle(self, kernel_id):
        self.idle_checked.append(kernel_id)

    async def shutdown_kernel(self, kernel_id):
        self.kernels.remove(kernel_id)
        self.shut.append(kernel_id)


class _Manager(guard.ViewerKernelsMixin, _FakeManager):
    pass


@pytest.fixture
def limits():
    before = guard.limits()
    yield guard.configure(max_kernels=2, unconnected_cull_s=60, retry_after_s=30)
    guard.configure(**before.__dict__)


def test_the_cap_counts_admitted_pages_and_their_kernels(limits):
    km = _Manager()

    async def page():
        token = km.admit()
        if token is None:
            return None
        await asyncio.sleep(0.01)  # the page renders before its kernel is handed over
        kid = await km.start_kernel()
        km.release(token)
        return kid

    async def scenario():
        burst = await asyncio.gather(*(asyncio.create_task(page()) for _ in range(5)))
        assert sorted(k for k in burst if k) == ["k0", "k1"]  # a burst cannot slip past the cap
        assert burst.count(None) == 3 and len(km.kernels) == 2  # refused pages started no kernel
        assert km.in_use() == 2 and (await page()) is None
        await km.shutdown_kernel("k0")  # a page closed: room for one more
        assert await page() == "k2"

    asyncio.run(scenario())


def test_a_kernel_whose_page_never_connected_is_culled_early(limits):
    km = _Manager()

    async def scenario():
        for _ in range(2):
            km.admit()
            await km.start_kernel()
        km.notify_connect("k1")
        t0 = time.monotonic()
        assert not km.never_connected("k0", now=t0 + 30)
        assert km.never_connected("k0", now=t0 + 61) and not km.never_connected("k1", now=t0 + 61)
        for kid in km._wb()["viewers"]:
            km._wb()["viewers"][kid] -= 61
        for kid in list(km.kernels):
            await km.cull_kernel_if_idle(kid)
        assert km.shut == ["k0"] and km.idle_checked == ["k1"]  # the connected page: normal idle cull

    asyncio.run(scenario())


def test_busy_page_is_bilingual_escaped_and_retries():
    page = guard.busy_page(30)
    assert "Server sedang penuh — coba lagi sebentar" in page and "The server is busy" in page
    assert 'http-equiv="refresh" content="30"' in page and "<script" not in page


# ----------------------------------------------------------------------------- access control
def test_non_loopback_address_is_refused_without_access_control(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(serve.ENV_TOKEN, raising=False)
    for host in ("0.0.0.0", "10.1.2.3", "dasbor.example.go.id"):
        rc = serve.main(["--host", host, "--data", str(SAMPLE), "--out", str(tmp_path), "--build", "never"])
        err = capsys.readouterr().err
        assert rc == 2, host
        assert f"Tidak dijalankan: alamat {host}" in err and f"Not started: address {host}" in err
        assert "--token" in err and "--behind-proxy" in err and "Traceback" not in err


def test_token_or_proxy_flag_allow_a_non_loopback_address(monkeypatch, capsys):
    from workbook.core.settings import load_settings

    s = load_settings()

    def args(**kw):
        return argparse.Namespace(**{"host": "0.0.0.0", "token": None, "behind_proxy": False, **kw})

    assert serve._access(args(), s, "id") == ("", False)
    assert serve._access(args(token="s3cret"), s, "id") == ("s3cret", True)
    assert serve._access(args(behind_proxy=True), s, "id") == ("", True)
    monkeypatch.setenv(serve.ENV_TOKEN, "from-env")
    assert serve._access(args(), s, "id") == ("from-env", True)
    assert serve.ENV_TOKEN not in __import__("os").environ  # not passed on to the kernels
    assert serve._access(args(host="127.0.0.1"), s, "id")[1]
    assert serve._access(args(), load_settings(dashboard__token="t0k"), "id") == ("t0k", True)


# ----------------------------------------------------------------------------- unit scope in the kernel
@pytest.fixture
def scoped_ctx(sample_run, monkeypatch):
    monkeypatch.setenv("WORKBOOK_DATA_DIR", str(SAMPLE))
    monkeypatch.setenv("WORKBOOK_OUTPUT_DIR", str(sample_run.out))
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv(guard.ENV_UNIT_SCOPE, "DINKES")
    return open_context(interactive=True)


def test_a_scoped_dashboard_shows_its_unit_only(scoped_ctx):
    app = d.DashboardApp("kebutuhan", scoped_ctx)
    assert app.state.unit == "DINKES"
    assert [v for _, v in app.unit_w.options] == ["DINKES"] and app.unit_w.disabled
    app.apply_query("unit=DINSOS&lang=en")
    assert app.state.unit == "DINKES" and app.state.lang == "en"
    app.apply_query("unit=all")
    assert app.state.unit == "DINKES"
    app.set_unit(None)  # what the picker sends for "all units"
    assert app.state.unit == "DINKES"
    assert app.downloads.children == ()  # the downloads are agency-wide files
    assert "DINKES" in app.messages.value
    landing = d.Landing(scoped_ctx)
    landing.apply_query("unit=DINSOS")
    assert all("unit=DINKES" in href for href in landing.links().values())
    assert "unggah.ipynb" not in landing.body.value


# ----------------------------------------------------------------------------- a real server
def _get(port: int, path: str, timeout: float = 30) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def served(sample_run, tmp_path_factory):
    """``workbook serve`` without preheating, a cap of 2 pages and a 6 s never-connected cull."""
    out = tmp_path_factory.mktemp("guard_out")
    shutil.copytree(sample_run.out, out, dirs_exist_ok=True)
    settings = out / "pengaturan.yaml"
    settings.write_text("dashboard:\n  max_kernels: 2\n  unconnected_cull_s: 6\n  retry_after_s: 7\n")
    with run_server(out, pool_size=0, timeout=60, extra=["--settings", str(settings)]) as (port, log):
        yield port, log


ODD_PATHS = ["/logout", "/login", "/voila/templates/../..", "/voila/templates/%2e%2e/%2e%2e", "/voila/templates/x",
             "/voila/templates/lab", "/voila/templates/lab/static", "/voila/templates/lab/notstatic/x",
             "/voila/templates/nosuch/static/x.js", "/voila/static/../../etc/passwd", "/voila/api/themes/../..",
             "/api/kernels/abc", "/api/kernels/00000000-0000-0000-0000-000000000000", "/voila/render/nosuch.ipynb",
             "/voila/files/x.ipynb", "/voila/api/contents/x", "/voila/query/x", "/voila/labextensions/x", "/api",
             "/api/contents", "/api/sessions", "/api/terminals", "/tree", "/lab", "/x", "/voila/"]


def test_odd_paths_answer_4xx_never_500(served):
    port, log = served
    codes = {p: _get(port, p)[0] for p in ODD_PATHS}
    assert not [p for p, c in codes.items() if c >= 500], codes
    assert codes["/logout"] == 404 and codes["/voila/templates/../.."] == 404
    assert codes["/voila/templates/lab/notstatic/x"] == 404
    assert "Traceback" not in log.read_text() and "Uncaught exception" not in log.read_text()
    status, headers, _ = _get(port, "/voila/tree")  # Voilà's listing (with its CDN link) is not served
    assert status in (301, 302) and headers["location"].endswith("/voila/render/index.ipynb")


def test_cap_refuses_with_503_then_never_connected_kernels_are_culled(served):
    port, log = served
    first = [_get(port, "/voila/render/kebutuhan.ipynb?lang=id")[0] for _ in range(2)]
    assert first == [200, 200]  # plain GETs: two kernels whose page never connects
    status, headers, body = _get(port, "/voila/render/rencana.ipynb")
    assert status == 503 and headers["retry-after"] == "7"
    assert "Server sedang penuh — coba lagi sebentar" in body and "try again in a moment" in body
    assert log.read_text().count("Kernel started") == 2  # the refused page started none
    deadline = time.time() + 40
    while time.time() < deadline and log.read_text().count("its page never connected") < 2:
        time.sleep(1)
    assert log.read_text().count("its page never connected") == 2
    time.sleep(1)
    assert _get(port, "/voila/render/index.ipynb")[0] == 200  # room again


def test_served_pages_fetch_nothing_from_outside(served):
    port, log = served
    deadline = time.time() + 90
    bad: dict[str, list[str]] = {}
    for name in PAGES:
        while True:  # wait for room under the cap of this test server
            status, _, body = _get(port, f"/voila/render/{name}.ipynb?lang=en&unit=DINKES")
            if status != 503 or time.time() > deadline:
                break
            time.sleep(2)
        assert status == 200, name
        assert "cdn.jsdelivr.net" not in body
        found = [m.group(1) for m in FETCHED.finditer(body) if "127.0.0.1" not in m.group(1)]
        if found:
            bad[name] = found
    assert not bad, bad


def test_make_lab_turns_off_every_outside_request():
    from jupyterlab.labapp import LabApp

    make = (ROOT / "Makefile").read_text()
    flags = re.search(r"LAB_OFFLINE := (.*?)\n\n", make, re.S).group(1).replace("\\\n", " ").split()
    assert "$(LAB_OFFLINE)" in re.search(r"^lab:.*\n\t(.*)$", make, re.M).group(1)
    app = LabApp()
    app.parse_command_line(flags)
    assert app.news_url is None and app.check_for_updates_class.__name__ == "NeverCheckForUpdate"
    assert app.extension_manager == "readonly"
