"""What the real-browser tests share: Debian Chromium's path and flags, and ``workbook serve`` on a
free loopback port (started, waited for, stopped)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _paths import ROOT, SAMPLE

SHOTS = ROOT / "tests" / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: marks of every real-browser test module
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).is_file(),
                       reason="/usr/bin/chromium tidak ada (make browser memasangnya) / Debian chromium not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(out: Path, *, pool_size: int, timeout: float, data: Path = SAMPLE, env: dict | None = None,
          ready: Callable[[str, subprocess.Popen], bool] = lambda text, proc: "ready" in text,
          poll_s: float = 0.3, extra: list[str] | tuple[str, ...] = ()) -> Iterator[tuple[int, Path]]:
    """Run ``workbook serve`` on ``data`` (the sample) and ``out`` until ``ready(log text, process)``;
    yield (port, log path); terminate it afterwards."""
    port = free_port()
    log = out / "server.log"
    env = {k: v for k, v in (os.environ if env is None else env).items() if k not in ("MPLBACKEND", "QUERY_STRING")}
    cmd = [sys.executable, "-m", "workbook.cli", "serve", "--data", str(data), "--out", str(out),
           "--port", str(port), "--pool-size", str(int(pool_size)), "--build", "never", *extra]
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=str(ROOT))
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"workbook serve exited:\n{log.read_text()}")
            if ready(log.read_text(encoding="utf-8", errors="replace"), proc):
                break
            time.sleep(poll_s)
        else:
            raise RuntimeError(f"workbook serve did not get ready:\n{log.read_text()[-3000:]}")
        yield port, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
