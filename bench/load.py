"""Load test of the manager dashboards: N concurrent browser sessions against ``workbook serve``.

What it does, bounded in count and time and on 127.0.0.1 only:

1. builds the sample agency's stage results in a temporary output folder (``--out`` to reuse one);
2. starts ``workbook serve`` on a free loopback port (preheated pools, ``--pool-size``) with a short
   idle-kernel cull timeout (``--cull-idle``, default here 120 s, above the slowest first render; product default 600 s; ``--cull-interval``, product
   default 60 s) and waits until the pools are filled and the server is idle;
3. opens ``--sessions`` browser contexts in one headless Debian Chromium (``/usr/bin/chromium``,
   never a downloaded browser) and, for ``--duration`` seconds, every session loads the
   dashboards in turn with a unit in the URL (``?lang=id&unit=DINKES``), waits for the first
   render (the unit picker and the first chart's bars visible, the selector of the browser
   tests), changes the unit once, then stays on the page ``--dwell`` seconds before the next;
4. counts failed pages — HTTP error on the page or a local resource, JavaScript error, no first
   render within ``--timeout`` seconds, a kernel or dashboard error message in the page;
5. samples every second the resident memory (RSS) of the server's process tree (server and
   kernels) and the number of live kernels;
6. closes every session **without** the page's ``beforeunload`` (a laptop lid shut, a lost
   network: the kernel is not told) and checks that the idle kernels are culled back to the pools.

Prints time to first render p50/p95/max, filter-change p50/p95, failures by kind, peak RSS and RSS
per session, and the culling result; ``--json FILE`` also writes them. Usage::

    .venv/bin/python bench/load.py                     # 20 sessions, 120 s (about 4-5 minutes)
    .venv/bin/python bench/load.py --sessions 5 --duration 30 --cull-wait 0
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/_procs.py

__all__ = ["run_load", "build_results", "Server", "main", "DASHBOARDS", "READY"]

SAMPLE = ROOT / "data_samples" / "contoh"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DASHBOARDS = ("kebutuhan", "rencana", "evaluasi", "tindak_lanjut")
#: first render: the first chart's bars (as ``tests/test_browser.py`` and ``bench/dashboard.py``)
READY = ".wb-chart svg rect"
#: texts that mean the kernel or the dashboard failed (Voilà hides tracebacks; workbook.ui says this)
ERROR_TEXTS = ("There was an error when executing cell", "Traceback", "Terjadi kesalahan yang tidak terduga",
               "An unexpected error occurred", "Kernel died", "kernel died", "Dead kernel")
#: hard caps whatever the arguments say
MAX_SESSIONS = 100
MAX_DURATION_S = 900.0
MAX_LOADS_PER_SESSION = 500

# Starts ``workbook serve`` with a shorter cull timeout and interval for the bench only (the
# product defaults, 1800 s and 60 s, would make the culling check take half an hour).
_LAUNCH = """
import sys
from workbook.ui import serve
cull_idle, cull_interval = int(sys.argv[1]), int(sys.argv[2])
_orig = serve.voila_argv
def _argv(**kw):
    kw["cull_idle"] = cull_idle
    out = [a for a in _orig(**kw) if not a.startswith("--MappingKernelManager.cull_interval=")]
    return out + [f"--MappingKernelManager.cull_interval={cull_interval}"]
serve.voila_argv = _argv
sys.exit(serve.main(sys.argv[3:]))
"""


# --------------------------------------------------------------------------- data and server

def build_results(out_dir: Path, data_dir: Path = SAMPLE) -> tuple[int, float]:
    """Run the three stages once for the agency into ``out_dir``; return (plan year, seconds)."""
    from workbook.core.context import open_context
    from workbook.pipeline import run_evaluation, run_needs, run_plan

    t = time.perf_counter()
    ctx = open_context(data_dir=str(data_dir), output_dir=str(out_dir), interactive=False)
    run_needs(ctx)
    run_plan(ctx)
    run_evaluation(ctx)
    return int(ctx.year), time.perf_counter() - t


def unit_codes(data_dir: Path = SAMPLE) -> list[str]:
    import pandas as pd

    return sorted(map(str, pd.read_csv(data_dir / "pegawai.csv", usecols=["kode_unit"])["kode_unit"].unique()))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


from _procs import tree as _tree  # noqa: E402 — after the sys.path line above
from _procs import tree_cpu  # noqa: E402


def tree_rss(pid: int) -> tuple[int, int]:
    """(RSS of the server and all its children in bytes, number of live kernel processes)."""
    import psutil

    rss, kernels = 0, 0
    for p in _tree(pid):
        try:
            rss += p.memory_info().rss
            if any("ipykernel" in part for part in p.cmdline()):
                kernels += 1
        except psutil.Error:
            pass
    return rss, kernels


class Server:
    """``workbook serve`` on a free 127.0.0.1 port, logging to ``log``."""

    def __init__(self, out_dir: Path, *, pool_size: int, cull_idle: int, cull_interval: int, log: Path,
                 data_dir: Path = SAMPLE) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/voila/render"
        self.pool_size = pool_size
        self.log = log
        env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "QUERY_STRING")}
        cmd = [sys.executable, "-c", _LAUNCH, str(int(cull_idle)), str(int(cull_interval)),
               "--data", str(data_dir), "--out", str(out_dir), "--host", "127.0.0.1", "--port", str(self.port),
               "--pool-size", str(int(pool_size)), "--build", "never"]
        self._fh = open(log, "w", encoding="utf-8")  # noqa: SIM115 — closed in stop()
        self.proc = subprocess.Popen(cmd, stdout=self._fh, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT))

    @property
    def pooled(self) -> int:
        """Kernels the pools hold when nobody is connected (one for the landing page)."""
        return len(DASHBOARDS) * self.pool_size + 1 if self.pool_size > 0 else 0

    def wait_ready(self, timeout: float = 240.0) -> float:
        """Wait until Voilà listens, the pools are full and the process tree is idle; return seconds."""
        t = time.perf_counter()
        deadline = time.time() + timeout
        quiet = 0
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"workbook serve exited:\n{self.log.read_text()[-3000:]}")
            text = self.log.read_text(encoding="utf-8", errors="replace")
            _, kernels = tree_rss(self.proc.pid)
            if "ready" in text and kernels >= self.pooled:
                quiet = quiet + 1 if tree_cpu(self.proc.pid, 1.0) < 10.0 else 0
                if quiet >= 2:
                    return time.perf_counter() - t
            else:
                time.sleep(0.5)
        raise RuntimeError(f"workbook serve did not get ready:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._fh.close()


class Sampler(threading.Thread):
    """Samples the server tree's RSS and kernel count every ``every`` seconds until stopped."""

    def __init__(self, pid: int, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, int, int]] = []
        self._halt = threading.Event()
        #: pid -> (group, CPU seconds when first seen, last CPU seconds seen): who used the CPU
        self.cpu: dict[int, list] = {}

    def _cpu_sample(self) -> None:
        from _procs import process_cpu

        for pid, (group, t) in process_cpu(self.pid).items():
            if pid in self.cpu:
                self.cpu[pid][2] = t
            else:  # started during the run: count from 0; running before: from now
                self.cpu[pid] = [group, t if not self.samples else 0.0, t]

    def cpu_by_group(self) -> dict[str, float]:
        out = {"browsers": 0.0, "server": 0.0, "kernels": 0.0}
        for group, first, last in self.cpu.values():
            out[group] += max(0.0, last - first)
        return {k: round(v, 1) for k, v in out.items()}

    def run(self) -> None:
        t0 = time.perf_counter()
        while not self._halt.is_set() and len(self.samples) < 100_000:
            self._cpu_sample()
            rss, k = tree_rss(self.pid)
            self.samples.append((time.perf_counter() - t0, rss, k))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


# --------------------------------------------------------------------------- sessions

@dataclass
class Stats:
    ttfr: list[float] = field(default_factory=list)
    filter_s: list[float] = field(default_factory=list)
    loads: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    filter_timeouts: int = 0

    def fail(self, kind: str, detail: str) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1
        if len(self.examples) < 10:
            self.examples.append(f"{kind}: {detail[:300]}")


async def _session(i: int, browser, base: str, units: list[str], deadline: float, stats: Stats, *,
                   timeout_s: float, dwell_s: float, think_s: float, max_loads: int, ramp_s: float,
                   n_sessions: int) -> Any:
    from playwright.async_api import Error as PWError
    from playwright.async_api import TimeoutError as PWTimeout

    context = await browser.new_context(viewport={"width": 1280, "height": 1000})
    page = await context.new_page()
    js_errors: list[str] = []
    http_errors: list[str] = []
    page.on("pageerror", lambda e: js_errors.append(str(e)))
    # "Failed to load resource" lines come from the two font-awesome CSS files Voilà's template
    # asks a CDN for (no network here); local HTTP errors are caught from the responses instead.
    page.on("console", lambda m: js_errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: http_errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.url.startswith("http://127.0.0.1") else None)
    await asyncio.sleep(ramp_s * i / max(1, n_sessions))  # arrivals spread over the ramp
    k = i
    n = 0
    while time.monotonic() < deadline and n < max_loads:
        name = DASHBOARDS[k % len(DASHBOARDS)]
        unit = units[(k * 5) % len(units)]
        k += 1
        n += 1
        url = f"{base}/{name}.ipynb?lang=id&unit={unit}"
        t0 = time.perf_counter()
        try:
            resp = await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            js_errors.clear()
            http_errors.clear()
            if resp is None or resp.status >= 400:
                stats.loads += 1
                stats.fail("http", f"{getattr(resp, 'status', None)} {url}")
                continue
            await page.wait_for_selector(READY, state="visible", timeout=timeout_s * 1000)
            await page.wait_for_selector("select", state="visible", timeout=timeout_s * 1000)
            ttfr = time.perf_counter() - t0
        except PWTimeout:
            stats.loads += 1
            stats.fail("timeout", f"{url} no first render in {timeout_s:.0f} s")
            continue
        except PWError as exc:
            stats.loads += 1
            stats.fail("browser", f"{url} {exc}")
            continue
        stats.loads += 1
        stats.ttfr.append(ttfr)
        # the manager reads and changes the unit every ``think_s`` seconds while on the page
        stay = time.monotonic() + dwell_s
        j = 0
        while True:
            await asyncio.sleep(max(0.0, min(think_s, stay - time.monotonic(), deadline - time.monotonic())))
            if time.monotonic() >= min(stay, deadline):
                break
            j += 1
            await _filter_change(page, i + j, stats, url)
        try:
            body = await page.inner_text("body", timeout=5_000)
        except PWError:
            body = ""
        bad = [t for t in ERROR_TEXTS if t in body]
        if bad:
            stats.fail("kernel_message", f"{url}: {bad[0]}")
        elif http_errors:
            stats.fail("http_resource", f"{url}: {http_errors[0]}")
        elif js_errors:
            stats.fail("javascript", f"{url}: {js_errors[0]}")
    return context


async def _filter_change(page, j: int, stats: Stats, url: str) -> None:
    """Pick another unit in the unit picker; time it until a chart or the cards change."""
    from playwright.async_api import Error as PWError
    from playwright.async_api import TimeoutError as PWTimeout

    js = "() => [...document.querySelectorAll('.wb-chart, .wb-cards')].map(e => e.innerHTML).join('|')"
    try:
        before = await page.evaluate(js)
        picker = page.locator("select").nth(1)
        count = await picker.evaluate("s => s.options.length")
        current = await picker.evaluate("s => s.selectedIndex")
        if count < 2:
            return
        t1 = time.perf_counter()
        await picker.select_option(index=(current + 1 + j % max(1, count - 1)) % count, timeout=10_000)
        await page.wait_for_function(js.replace("() =>", "b =>") + " !== b", arg=before, timeout=20_000)
        stats.filter_s.append(time.perf_counter() - t1)
    except PWTimeout:
        stats.filter_timeouts += 1
    except PWError as exc:
        stats.fail("browser", f"{url} filter: {exc}")


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q * (len(s) - 1)))))]


async def _drive(base: str, units: list[str], sessions: int, duration: float, *, timeout_s: float, dwell_s: float,
                 think_s: float, max_loads: int, ramp_s: float) -> tuple[Stats, list]:
    from playwright.async_api import async_playwright

    stats = Stats()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        deadline = time.monotonic() + duration
        tasks = [asyncio.create_task(_session(i, browser, base, units, deadline, stats, timeout_s=timeout_s,
                                              dwell_s=dwell_s, think_s=think_s, max_loads=max_loads,
                                              ramp_s=ramp_s, n_sessions=sessions)) for i in range(sessions)]
        done = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True),
                                      timeout=duration + timeout_s + 60)
        contexts = [c for c in done if not isinstance(c, BaseException)]
        for c in done:
            if isinstance(c, BaseException):
                stats.fail("session", repr(c))
        # leave without beforeunload: the kernels are not told, only culling can free them
        for c in contexts:
            try:
                await c.close()
            except Exception:  # noqa: BLE001 — closing is best effort
                pass
        await browser.close()
    return stats, contexts


def run_load(*, sessions: int = 20, duration: float = 120.0, pool_size: int = 2, cull_idle: int = 120,
             cull_interval: int = 10, cull_wait: float | None = None, timeout_s: float = 90.0, dwell_s: float = 30.0,
             think_s: float = 5.0, ramp_s: float = 20.0, out_dir: Path | None = None, max_loads: int = 200,
             log_copy: Path | None = None, verbose: bool = True) -> dict[str, Any]:
    """Run the load test; return the figures (see the module docstring).

    ``cull_wait``: seconds to wait for the idle kernels to be culled after the sessions close
    (default ``cull_idle + cull_interval + 30``; 0 skips the check).
    """
    sessions = max(1, min(int(sessions), MAX_SESSIONS))
    duration = max(1.0, min(float(duration), MAX_DURATION_S))
    max_loads = max(1, min(int(max_loads), MAX_LOADS_PER_SESSION))
    if cull_wait is None:
        cull_wait = cull_idle + cull_interval + 30
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f"{CHROMIUM} is missing (apt-get install chromium)")

    def say(msg: str) -> None:
        if verbose:
            print(msg, file=sys.stderr, flush=True)

    tmp = None
    if out_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="wb_load_")
        out_dir = Path(tmp.name)
    out_dir = Path(out_dir)
    result: dict[str, Any] = {"sessions": sessions, "duration_s": duration, "pool_size": pool_size,
                              "dwell_s": dwell_s, "think_s": think_s, "ramp_s": ramp_s,
                              "cull_idle_s": cull_idle, "cull_interval_s": cull_interval, "cpus": os.cpu_count()}
    try:
        year, build_s = build_results(out_dir)
        say(f"stage results built in {build_s:.1f} s (year {year})")
        server = Server(out_dir, pool_size=pool_size, cull_idle=cull_idle, cull_interval=cull_interval,
                        log=out_dir / "server.log")
        try:
            result["warm_s"] = round(server.wait_ready(), 1)
            base_rss, base_k = tree_rss(server.proc.pid)
            say(f"server warm in {result['warm_s']} s: {base_k} kernels, {base_rss / 2**20:.0f} MB")
            result["loadavg_before"] = round(os.getloadavg()[0], 1)
            sampler = Sampler(server.proc.pid)
            sampler.start()
            t0 = time.perf_counter()
            stats, _ = asyncio.run(_drive(server.base, unit_codes(), sessions, duration, timeout_s=timeout_s,
                                          dwell_s=dwell_s, think_s=think_s, max_loads=max_loads,
                                          ramp_s=ramp_s))
            run_s = time.perf_counter() - t0
            sampler.stop()
            result["loadavg_after"] = round(os.getloadavg()[0], 1)
            end_rss, end_k = tree_rss(server.proc.pid)
            peak_rss = max((s[1] for s in sampler.samples), default=end_rss)
            peak_k = max((s[2] for s in sampler.samples), default=end_k)
            say(f"sessions closed after {run_s:.0f} s: {end_k} kernels alive")
            culled_s, after_k = None, end_k
            if cull_wait and cull_wait > 0:
                t1 = time.perf_counter()
                while time.perf_counter() - t1 < cull_wait:
                    _, after_k = tree_rss(server.proc.pid)
                    if after_k <= base_k:
                        culled_s = time.perf_counter() - t1
                        break
                    time.sleep(1.0)
            after_rss, after_k = tree_rss(server.proc.pid)
            log = server.log.read_text(encoding="utf-8", errors="replace")
            if log_copy is not None:
                Path(log_copy).write_text(log, encoding="utf-8")
            result.update(
                loads=stats.loads, rendered=len(stats.ttfr), failed=sum(stats.failures.values()),
                failures=stats.failures, failure_examples=stats.examples, filter_timeouts=stats.filter_timeouts,
                ttfr_p50_s=round(_pct(stats.ttfr, 0.50), 2), ttfr_p95_s=round(_pct(stats.ttfr, 0.95), 2),
                ttfr_max_s=round(max(stats.ttfr), 2) if stats.ttfr else None,
                ttfr_mean_s=round(statistics.fmean(stats.ttfr), 2) if stats.ttfr else None,
                filter_p50_s=round(_pct(stats.filter_s, 0.50), 2), filter_p95_s=round(_pct(stats.filter_s, 0.95), 2),
                filter_changes=len(stats.filter_s), run_s=round(run_s, 1),
                base_rss_mb=round(base_rss / 2**20), base_kernels=base_k, peak_rss_mb=round(peak_rss / 2**20),
                peak_kernels=peak_k, rss_per_session_mb=round((peak_rss - base_rss) / 2**20 / sessions),
                end_kernels=end_k, pooled_kernels=base_k, after_cull_kernels=after_k,
                after_cull_rss_mb=round(after_rss / 2**20),
                culled=culled_s is not None, culled_after_s=None if culled_s is None else round(culled_s, 1),
                cull_log_lines=log.count("Culling 'idle' kernel"), cull_checked=bool(cull_wait and cull_wait > 0),
                server_errors=log.count("[workbook.ui ERROR]") + log.count("Traceback"),
                ui_errors=log.count("[workbook.ui ERROR]"),
                cpu_s=sampler.cpu_by_group(),
            )
        finally:
            server.stop()
    finally:
        if tmp is not None:
            tmp.cleanup()
    return result


def _report(r: dict[str, Any]) -> str:
    lines = [
        f"sessions {r['sessions']} for {r['run_s']} s on {r['cpus']} CPUs, pool {r['pool_size']} per dashboard "
        f"(ramp {r['ramp_s']} s, {r['dwell_s']} s per page, a unit change every {r['think_s']} s; "
        f"load average {r['loadavg_before']} -> {r['loadavg_after']})",
        f"page loads {r['loads']} (rendered {r['rendered']}), failed {r['failed']} {r['failures'] or ''}",
        f"time to first render p50 {r['ttfr_p50_s']} s, p95 {r['ttfr_p95_s']} s, max {r['ttfr_max_s']} s",
        f"filter change p50 {r['filter_p50_s']} s, p95 {r['filter_p95_s']} s "
        f"({r['filter_changes']} changes, {r['filter_timeouts']} without a visible change in 20 s)",
        f"server RSS: idle {r['base_rss_mb']} MB ({r['base_kernels']} kernels), peak {r['peak_rss_mb']} MB "
        f"({r['peak_kernels']} kernels), {r['rss_per_session_mb']} MB per session",
        (f"after close: {r['end_kernels']} kernels; down to {r['after_cull_kernels']} (idle server "
         f"{r['pooled_kernels']}) " + (f"in {r['culled_after_s']} s" if r["culled"] else "— NOT culled within the wait")
         if r["cull_checked"] else f"after close: {r['end_kernels']} kernels (culling not checked)")
        + f"; kernels culled (log) {r['cull_log_lines']}; server errors {r['server_errors']}",
        "CPU seconds during the run (sampled each second; a process's last second may be missed): "
        + ", ".join(f"{k} {v}" for k, v in r.get("cpu_s", {}).items())
        + f" — {r['cpus']} cores x {r['run_s']} s = {r['cpus'] * r['run_s']:.0f} CPU-s available",
    ]
    lines += [f"  e.g. {e}" for e in r["failure_examples"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--duration", type=float, default=120.0, help="seconds of load (cap 900)")
    p.add_argument("--pool-size", type=int, default=2)
    p.add_argument("--cull-idle", type=int, default=120,
                   help="MappingKernelManager.cull_idle_timeout for the bench (above the slowest first render: "
                        "a page still loading has no connection and would be culled)")
    p.add_argument("--cull-interval", type=int, default=10)
    p.add_argument("--cull-wait", type=float, default=None, help="0 skips the culling check")
    p.add_argument("--timeout", type=float, default=90.0, help="seconds allowed for a first render")
    p.add_argument("--dwell", type=float, default=30.0, help="seconds a session stays on a page")
    p.add_argument("--think", type=float, default=5.0, help="seconds between two unit changes on a page")
    p.add_argument("--ramp", type=float, default=20.0, help="session arrivals spread over this many seconds")
    p.add_argument("--max-loads", type=int, default=200, help="page loads per session at most")
    p.add_argument("--out", default=None, help="output folder (default: a temporary one)")
    p.add_argument("--json", default=None, help="also write the figures to this JSON file")
    a = p.parse_args(argv)
    r = run_load(sessions=a.sessions, duration=a.duration, pool_size=a.pool_size, cull_idle=a.cull_idle,
                 cull_interval=a.cull_interval, cull_wait=a.cull_wait, timeout_s=a.timeout, dwell_s=a.dwell,
                 think_s=a.think, ramp_s=a.ramp, log_copy=Path(a.json).with_suffix(".log") if a.json else None,
                 out_dir=Path(a.out) if a.out else None, max_loads=a.max_loads)
    print(_report(r))
    if a.json:
        Path(a.json).write_text(json.dumps(r, indent=1), encoding="utf-8")
    return 0 if r["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
