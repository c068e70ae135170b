"""Short load test of the manager dashboards (the CI version of ``bench/load.py``).

Five concurrent headless-Chromium sessions (Debian's ``/usr/bin/chromium``, never a downloaded
browser) load the four dashboards with a unit in the URL for about 40 s (long enough for a unit change after a
slow first render on a busy 2-core machine) against ``workbook serve``
on a free 127.0.0.1 port; no page may fail (HTTP error, JavaScript error, no first render, kernel
or dashboard error message). The full run (20 sessions, 2 minutes, culling) is
``python bench/load.py`` — figures in ``docs/reliability.md`` §6.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).is_file(),
                       reason="/usr/bin/chromium tidak ada (make browser memasangnya) / Debian chromium not installed"),
]
pytest.importorskip("playwright.async_api", reason="playwright is not installed")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its dataclass looks its module up there
    spec.loader.exec_module(mod)
    return mod


def test_five_sessions_without_a_failed_page(tmp_path):
    load = _bench()
    r = load.run_load(sessions=5, duration=40, pool_size=1, cull_wait=0, dwell_s=8, think_s=3, ramp_s=5, timeout_s=60,
                      out_dir=tmp_path, max_loads=20, verbose=False)
    print("\n" + load._report(r))
    assert r["failed"] == 0, r["failure_examples"]
    assert r["rendered"] >= 5, r  # every session rendered at least one page
    assert r["filter_changes"] >= 1 and r["filter_timeouts"] == 0, r
    # the dashboards logged no error (jupyter_server's own 404 tracebacks for a culled kernel are not counted)
    assert r["ui_errors"] == 0, (tmp_path / "server.log").read_text(encoding="utf-8")[-3000:]
