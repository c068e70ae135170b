"""Benchmark of the manager dashboards in headless Chromium (Debian's ``/usr/bin/chromium``).

Measured on a warm server (kernel pools preheated and the machine idle before each load):

1. **First meaningful render, one viewer** — from the request to the unit picker and the first
   chart's bars visible, for each dashboard (``--repeat`` loads each, one at a time).
2. **Five viewers at once** — ``--viewers`` browser contexts open the same dashboard together;
   ``--rounds`` rounds; p95 over all loads.
3. **Memory per open session** — unique and resident memory of each kernel process
   (``psutil`` USS/RSS) while the viewers' pages are open.
4. **Filter change with 100,000 respondents** — a synthetic agency of ``--big-employees``
   employees (``workbook sample``; about 90 % answer the survey) run through the stages once; a
   unit picked in the browser, timed until the chart is redrawn, for every dashboard.
5. **Baseline** — plain ``voila`` on the same notebooks without preheating, steps 1 and 2.

Usage::

    .venv/bin/python bench/dashboard.py                      # full run (about 10 minutes)
    .venv/bin/python bench/dashboard.py --big-dir /tmp/big   # reuse a built 100k output
    .venv/bin/python bench/dashboard.py --skip-big --skip-baseline
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
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/_procs.py

SAMPLE = ROOT / "data_samples" / "contoh"
DASH = ["kebutuhan", "rencana", "evaluasi", "tindak_lanjut"]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
READY = ".wb-chart svg rect"


# --------------------------------------------------------------------------- data

def build_results(data_dir: Path, out_dir: Path) -> float:
    from workbook.core.context import open_context
    from workbook.pipeline import run_evaluation, run_needs, run_plan

    t = time.perf_counter()
    ctx = open_context(data_dir=str(data_dir), output_dir=str(out_dir), interactive=False)
    run_needs(ctx)
    run_plan(ctx)
    run_evaluation(ctx)
    return time.perf_counter() - t


def respondents(out_dir: Path) -> int:
    import pandas as pd

    year = sorted(p.name for p in out_dir.iterdir() if p.name.isdigit())[-1]
    s = pd.read_parquet(out_dir / year / "restricted" / "00_data_check" / "survei_pegawai.parquet", columns=["pegawai_id"])
    return int(s["pegawai_id"].nunique())


# --------------------------------------------------------------------------- servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


from _procs import tree_cpu  # noqa: E402 — after the sys.path line above


def wait_idle(pid: int, timeout: float = 180.0, threshold: float = 8.0) -> float:
    """Wait until the server and its kernels are idle (pools preheated); return the seconds waited."""
    t = time.perf_counter()
    quiet = 0
    while time.perf_counter() - t < timeout:
        quiet = quiet + 1 if tree_cpu(pid) < threshold else 0
        if quiet >= 2:
            break
    return time.perf_counter() - t


class Server:
    def __init__(self, out_dir: Path, data_dir: Path, *, preheat: bool, pool_size: int, log: Path,
                 floor_dir: Path | None = None) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "QUERY_STRING")}
        env.update(WORKBOOK_DATA_DIR=str(data_dir), WORKBOOK_OUTPUT_DIR=str(out_dir))
        if floor_dir is not None:  # the Voilà frontend floor: a one-widget notebook, preheated the same way
            from workbook.ui.serve import DEFAULTS

            cmd = [str(Path(sys.executable).parent / "voila"), str(floor_dir), f"--port={self.port}",
                   "--Voila.ip=127.0.0.1", "--no-browser", "--preheat_kernel=True", f"--pool_size={pool_size}",
                   f"--VoilaKernelManager.fill_delay={float(DEFAULTS['dashboard.fill_delay_s'])}"]
            self.base = f"http://127.0.0.1:{self.port}/voila/render"
        elif preheat:
            cmd = [sys.executable, "-m", "workbook.cli", "serve", "--data", str(data_dir), "--out", str(out_dir),
                   "--port", str(self.port), "--pool-size", str(pool_size), "--build", "never"]
            self.base = f"http://127.0.0.1:{self.port}/voila/render"
        else:  # plain Voilà, as installed, on the same notebooks
            cmd = [str(Path(sys.executable).parent / "voila"), str(ROOT / "notebooks" / "dashboards"),
                   f"--port={self.port}", "--Voila.ip=127.0.0.1", "--no-browser"]
            self.base = f"http://127.0.0.1:{self.port}/voila/render"
        self.log = log
        self.preheat = preheat
        self._fh = open(log, "w", encoding="utf-8")  # noqa: SIM115 — closed in stop()
        self.proc = subprocess.Popen(cmd, stdout=self._fh, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT))
        self.started = time.perf_counter()
        self._wait_listening()

    def _wait_listening(self) -> None:
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.log.read_text())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("server did not start")

    def warm(self) -> float:
        """Wait for the pool refill to start (``dashboard.fill_delay_s``) and then for the machine to be idle."""
        if self.preheat:
            from workbook.ui.serve import DEFAULTS

            time.sleep(float(DEFAULTS["dashboard.fill_delay_s"]) + 1.0)
        return wait_idle(self.proc.pid)

    def kernels(self) -> list[psutil.Process]:
        out = []
        for p in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if "ipykernel_launcher" in " ".join(p.cmdline()):
                    out.append(p)
            except psutil.Error:
                pass
        return out

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._fh.close()


def floor_notebook(folder: Path) -> Path:
    """A notebook with the least a dashboard needs: one dropdown and one chart-like SVG (``READY``)."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import ipywidgets as w\n"
        "w.VBox([w.Dropdown(options=['a', 'b']),\n"
        "        w.HTML('<div class=\"wb-chart\"><svg width=\"20\" height=\"20\"><rect width=\"10\" height=\"10\"/></svg></div>')])")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "kebutuhan.ipynb"  # same name, so the same URL pattern works
    nbformat.write(nb, path)
    return path


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU seconds (user + system) so far of the server, its kernels and every Chromium process."""
    from _procs import GROUPS, process_cpu

    out = dict.fromkeys(GROUPS, 0.0)
    for group, t in process_cpu(server_pid).values():
        out[group] += t
    return out


# --------------------------------------------------------------------------- browser

async def close(ctx, page=None) -> None:
    """Close like a viewer closing the tab: the page's unload handler shuts its kernel down."""
    for pg in ([page] if page is not None else list(ctx.pages)):
        try:
            await pg.close(run_before_unload=True)
        except Exception:  # noqa: BLE001
            pass
    await asyncio.sleep(0.3)
    await ctx.close()


async def open_page(browser, url: str, ctx=None):
    ctx = ctx or await browser.new_context(viewport={"width": 1280, "height": 1000})
    page = await ctx.new_page()
    t0 = time.perf_counter()
    await page.goto(url, wait_until="commit")
    await page.wait_for_selector(READY, state="visible", timeout=120_000)
    await page.wait_for_selector("select", state="visible", timeout=120_000)
    return time.perf_counter() - t0, ctx, page


async def single_viewer(browser, server: Server, repeat: int, dashboards: list[str] | None = None) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {d: [] for d in (dashboards or DASH)}
    for _ in range(repeat):
        for d in times:
            server.warm()
            t, ctx, _ = await open_page(browser, f"{server.base}/{d}.ipynb")
            times[d].append(t)
            await close(ctx)
    return times


async def concurrent(browser, server: Server, viewers: int, rounds: int, dashboard: str = "kebutuhan",
                     keep_last: bool = False):
    times, kept = [], []
    cpu = {"server": 0.0, "kernels": 0.0, "browsers": 0.0}
    for r in range(rounds):
        server.warm()
        before = cpu_seconds(server.proc.pid)
        res = await asyncio.gather(*[open_page(browser, f"{server.base}/{dashboard}.ipynb") for _ in range(viewers)])
        after = cpu_seconds(server.proc.pid)
        for k in cpu:
            cpu[k] += max(0.0, after[k] - before[k]) / (rounds * viewers)
        times += [t for t, _, _ in res]
        if keep_last and r == rounds - 1:
            kept = res
        else:
            for _, ctx, _ in res:
                await close(ctx)
    server.cpu_per_page = cpu
    return times, kept


async def concurrent_cached(browser, server: Server, viewers: int, rounds: int, dashboard: str = "kebutuhan"):
    """Viewers who opened the dashboard before: one browser profile with its HTTP cache primed."""
    ctx = await browser.new_context(viewport={"width": 1280, "height": 1000})
    server.warm()
    _, _, first = await open_page(browser, f"{server.base}/{dashboard}.ipynb", ctx)
    await first.close(run_before_unload=True)
    times = []
    for _ in range(rounds):
        server.warm()
        res = await asyncio.gather(*[open_page(browser, f"{server.base}/{dashboard}.ipynb", ctx)
                                     for _ in range(viewers)])
        times += [t for t, _, _ in res]
        for _, _, page in res:
            await page.close(run_before_unload=True)
    await close(ctx)
    return times


def memory(server: Server) -> dict[str, float]:
    uss, rss = [], []
    for p in server.kernels():
        try:
            m = p.memory_full_info()
            uss.append(m.uss / 2**20)
            rss.append(m.rss / 2**20)
        except psutil.Error:
            pass
    srv = psutil.Process(server.proc.pid).memory_info().rss / 2**20
    return {"kernels": len(uss), "uss_mean_mb": float(np.mean(uss)) if uss else float("nan"),
            "rss_mean_mb": float(np.mean(rss)) if rss else float("nan"), "uss_total_mb": float(np.sum(uss)),
            "server_rss_mb": srv}


async def filter_changes(browser, server: Server, units: list[int]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for d in DASH:
        server.warm()
        _, ctx, page = await open_page(browser, f"{server.base}/{d}.ipynb")
        await page.wait_for_timeout(500)
        sel = page.locator("select").nth(1)
        out[d] = []
        for u in units:
            before = await page.evaluate("() => document.querySelectorAll('.wb-chart')[0].innerHTML + "
                                         "document.querySelectorAll('.wb-chart')[1].innerHTML + "
                                         "document.querySelector('.wb-cards').innerHTML")
            t0 = time.perf_counter()
            await sel.select_option(index=u)
            await page.wait_for_function(
                "(b) => (document.querySelectorAll('.wb-chart')[0].innerHTML + "
                "document.querySelectorAll('.wb-chart')[1].innerHTML + "
                "document.querySelector('.wb-cards').innerHTML) !== b", arg=before, timeout=30_000, polling="raf")
            out[d].append(time.perf_counter() - t0)
            await page.wait_for_timeout(150)
        await close(ctx)
    return out


def p95(xs: list[float]) -> float:
    return float(np.percentile(xs, 95)) if xs else float("nan")


# --------------------------------------------------------------------------- main

async def run(args) -> dict:
    from playwright.async_api import async_playwright

    from workbook.ui.serve import DEFAULTS

    results: dict = {"pool_size": args.pool_size, "viewers": args.viewers, "cpu_count": os.cpu_count(),
                     "default_pool_size": DEFAULTS["dashboard.pool_size"], "loadavg_start": os.getloadavg()}
    tmp = Path(tempfile.mkdtemp(prefix="bench_dash_"))
    small = tmp / "out_small"
    results["build_small_s"] = build_results(SAMPLE, small)
    print(f"sample results built in {results['build_small_s']:.1f} s", flush=True)
    big = Path(args.big_dir) if args.big_dir else None
    if not args.skip_big and big is None:
        data = tmp / "big_data"
        subprocess.run([sys.executable, "-m", "workbook.cli", "sample", "--employees", str(args.big_employees),
                        "--seed", "7", "--out", str(data)], check=True, stdout=subprocess.DEVNULL)
        big = tmp / "big_out"
        t = build_results(data, big)
        print(f"{args.big_employees:,} employees: stages built in {t:.0f} s", flush=True)
        results["big_data_dir"] = str(data)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # ---- preheated
        srv = Server(small, SAMPLE, preheat=True, pool_size=args.pool_size, log=tmp / "serve.log")
        try:
            results["warmup_s"] = srv.warm()
            single = await single_viewer(browser, srv, args.repeat)
            results["preheated_single"] = single
            conc, kept = await concurrent(browser, srv, args.viewers, args.rounds, keep_last=True)
            results["preheated_concurrent"] = conc
            results["preheated_cpu_per_page"] = srv.cpu_per_page
            results["memory_small"] = memory(srv)
            for _, ctx, _ in kept:
                await close(ctx)
            results["preheated_concurrent_cached"] = await concurrent_cached(browser, srv, args.viewers, args.rounds)
        finally:
            srv.stop()
        print("preheated server measured", flush=True)
        # ---- filter change at 100k respondents
        if big is not None:
            results["big_respondents"] = respondents(big)
            from workbook.core.context import open_context
            from workbook.ui.dashboard_data import clear_cache, load_dashboard_data

            data_dir = Path(results.get("big_data_dir") or args.big_data or SAMPLE)
            ctx = open_context(data_dir=str(data_dir), output_dir=str(big), interactive=True)
            clear_cache()
            t = time.perf_counter()
            b = load_dashboard_data(big, ctx.year, ctx.settings)
            results["big_bundle_load_s"] = time.perf_counter() - t
            units = list(range(1, min(9, len(b.unit_codes()) + 1)))  # option 0 is the whole agency
            srv = Server(big, data_dir, preheat=True, pool_size=1, log=tmp / "serve_big.log")
            try:
                srv.warm()
                results["big_filter_change"] = await filter_changes(browser, srv, units)
                server_mem = memory(srv)
                results["memory_big"] = server_mem
            finally:
                srv.stop()
            print("filter changes measured", flush=True)
        # ---- floor: any Voilà page (one dropdown + one SVG), preheated the same way, same browsers
        if not args.skip_floor:
            fdir = tmp / "floor"
            floor_notebook(fdir)
            srv = Server(small, SAMPLE, preheat=True, pool_size=args.pool_size, log=tmp / "floor.log", floor_dir=fdir)
            try:
                srv.warm()
                results["floor_single"] = await single_viewer(browser, srv, max(1, args.repeat), dashboards=["kebutuhan"])
                results["floor_concurrent"], _ = await concurrent(browser, srv, args.viewers, args.rounds)
                results["floor_cpu_per_page"] = srv.cpu_per_page
                results["floor_concurrent_cached"] = await concurrent_cached(browser, srv, args.viewers, args.rounds)
            finally:
                srv.stop()
            print("Voilà floor measured", flush=True)
        # ---- baseline: plain Voilà
        if not args.skip_baseline:
            srv = Server(small, SAMPLE, preheat=False, pool_size=0, log=tmp / "voila.log")
            try:
                srv.warm()
                results["baseline_single"] = await single_viewer(browser, srv, max(1, args.repeat // 2))
                results["baseline_concurrent"], _ = await concurrent(browser, srv, args.viewers, 1)
                results["baseline_concurrent_cached"] = await concurrent_cached(browser, srv, args.viewers, 1)
            finally:
                srv.stop()
            print("baseline measured", flush=True)
        await browser.close()
    results["loadavg_end"] = os.getloadavg()
    return results


def report(r: dict) -> str:
    lines = ["", "## Dasbor / dashboards — headless Chromium, warm server", "",
             f"CPU: {r['cpu_count']} cores · pool size {r['pool_size']} per dashboard · viewers at once {r['viewers']} · "
             f"load average at start {r['loadavg_start'][0]:.1f}, at end {r['loadavg_end'][0]:.1f} "
             "(other work on the machine inflates every figure)", ""]

    def row(name, xs, target=""):
        xs = list(xs)
        return (f"| {name} | {len(xs)} | {statistics.median(xs):.2f} | {p95(xs):.2f} | {max(xs):.2f} | {target} |"
                if xs else f"| {name} | 0 | – | – | – | {target} |")

    lines += ["| measure (seconds) | n | median | p95 | max | target |", "|---|---|---|---|---|---|"]
    single = [t for v in r["preheated_single"].values() for t in v]
    lines.append(row("first render, 1 viewer, preheated (all dashboards)", single, "≤ 2"))
    for d, v in r["preheated_single"].items():
        lines.append(row(f"  {d}", v))
    lines.append(row(f"first render, {r['viewers']} viewers at once, preheated, new browsers", r["preheated_concurrent"],
                     "p95 ≤ 4"))
    lines.append(row(f"first render, {r['viewers']} viewers at once, preheated, returning (cached) browsers",
                     r["preheated_concurrent_cached"], "p95 ≤ 4"))
    if "floor_single" in r:
        lines.append(row("FLOOR — one-dropdown Voilà notebook, 1 viewer, preheated",
                         [t for v in r["floor_single"].values() for t in v]))
        lines.append(row(f"FLOOR — one-dropdown Voilà notebook, {r['viewers']} viewers at once, new browsers",
                         r["floor_concurrent"]))
        lines.append(row(f"FLOOR — one-dropdown Voilà notebook, {r['viewers']} viewers at once, returning browsers",
                         r["floor_concurrent_cached"]))
    if "baseline_single" in r:
        lines.append(row("first render, 1 viewer, plain Voilà (baseline)",
                         [t for v in r["baseline_single"].values() for t in v]))
        lines.append(row(f"first render, {r['viewers']} viewers at once, plain Voilà, new browsers",
                         r["baseline_concurrent"]))
        lines.append(row(f"first render, {r['viewers']} viewers at once, plain Voilà, cached browsers",
                         r["baseline_concurrent_cached"]))
    if "big_filter_change" in r:
        allf = [t for v in r["big_filter_change"].values() for t in v]
        lines.append(row(f"filter change, {r['big_respondents']:,} respondents (all dashboards)", allf, "≤ 0.3"))
        for d, v in r["big_filter_change"].items():
            lines.append(row(f"  {d}", v))
    lines.append("")
    for key, name in (("preheated_cpu_per_page", "dashboards"), ("floor_cpu_per_page", "one-dropdown floor")):
        if key in r:
            c = r[key]
            lines.append(f"CPU seconds per page while {r['viewers']} viewers open at once ({name}): browsers "
                         f"{c['browsers']:.2f}, Voilà server {c['server']:.2f}, kernels {c['kernels']:.2f} "
                         f"(the browsers run on the same {r['cpu_count']} cores as the server).")
    lines.append("")
    m = r["memory_small"]
    lines.append(f"Memory per kernel (= per open session), sample agency: USS {m['uss_mean_mb']:.0f} MB, "
                 f"RSS {m['rss_mean_mb']:.0f} MB ({m['kernels']} kernels incl. the pool; server {m['server_rss_mb']:.0f} MB).")
    if "memory_big" in r:
        mb = r["memory_big"]
        lines.append(f"Memory per kernel with {r['big_respondents']:,} respondents: USS {mb['uss_mean_mb']:.0f} MB, "
                     f"RSS {mb['rss_mean_mb']:.0f} MB; results loaded once per kernel in {r['big_bundle_load_s']:.2f} s "
                     "(before the request, while preheating).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool-size", type=int, default=5, help="preheated kernels per dashboard (≥ viewers)")
    ap.add_argument("--viewers", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3, help="loads per dashboard for the one-viewer figure")
    ap.add_argument("--big-employees", type=int, default=112_000, help="≈ 100,000 survey respondents")
    ap.add_argument("--big-dir", default=None, help="reuse an output folder built for a big agency")
    ap.add_argument("--big-data", default=None, help="its data folder (with --big-dir)")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--skip-floor", action="store_true", help="skip the one-widget Voilà floor")
    ap.add_argument("--json", default=None, help="also write the raw figures here")
    args = ap.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print("Debian chromium is missing (make browser)", file=sys.stderr)
        return 1
    r = asyncio.run(run(args))
    print(report(r))
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
