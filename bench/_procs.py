"""Who uses the CPU during a dashboard benchmark: the Voilà server, its kernels, the test browsers."""

from __future__ import annotations

import time

import psutil

__all__ = ["process_cpu", "GROUPS", "tree", "tree_cpu"]

GROUPS = ("browsers", "server", "kernels")


def process_cpu(server_pid: int) -> dict[int, tuple[str, float]]:
    """pid → (group, CPU seconds user + system so far) for the server, its kernels and every
    Chromium / Playwright process on the machine (the browsers share the server's cores)."""
    out: dict[int, tuple[str, float]] = {}
    for p in psutil.process_iter(["pid", "cmdline", "cpu_times"]):
        try:
            cl = " ".join(p.info["cmdline"] or [])
            t = p.info["cpu_times"].user + p.info["cpu_times"].system
        except (psutil.Error, TypeError, AttributeError):
            continue
        if p.info["pid"] == server_pid:
            out[p.info["pid"]] = ("server", t)
        elif "ipykernel" in cl:
            out[p.info["pid"]] = ("kernels", t)
        elif "chromium" in cl or "playwright" in cl:
            out[p.info["pid"]] = ("browsers", t)
    return out


def tree(pid: int) -> list:
    """The process ``pid`` and all its descendants (empty when it is gone)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def tree_cpu(pid: int, window: float = 1.0) -> float:
    """CPU use (% of one core, summed) of ``pid`` and its descendants over ``window`` seconds."""
    procs = tree(pid)
    for p in procs:
        try:
            p.cpu_percent(None)
        except psutil.Error:
            pass
    time.sleep(window)
    total = 0.0
    for p in procs:
        try:
            total += p.cpu_percent(None)
        except psutil.Error:
            pass
    return total
