"""Preheated-kernel pools that keep up with a burst of viewers (Voilà 0.5).

Voilà keeps, per dashboard notebook, a list of kernel *tasks*: a viewer takes the oldest one and
Voilà queues a replacement that starts after ``fill_delay`` seconds (``dashboard.fill_delay_s``,
10 s here), so that refilling does not compete with the page the viewer is loading. When more
viewers arrive than the pool holds, the extra viewers are handed replacements that are still
sleeping out that delay: with a pool of 2 and 6 viewers in the same seconds, the last ones wait
two or three rounds of "10 s + kernel start" — in the 20-session load test (``bench/load.py``)
that was where the timed-out pages came from.

:func:`install` changes these things, in the ``workbook serve`` process only:

1. a viewer who gets a kernel that is not ready yet (the pool is exhausted) wakes every
   replacement still sleeping, so they start now — the delay only applies while the pool keeps up;
2. a kernel handed to a viewer counts as active from that moment: its idle time for culling
   starts at the hand-over, not when it finished preheating. Otherwise a kernel that waited in
   the pool longer than ``dashboard.cull_idle_s`` can be culled in the seconds between the page
   request and the page's websocket connection — the page then never renders (seen in
   ``bench/load.py`` with a 20 s cull timeout and pages slowed by load; with the 600 s default it
   happens whenever a cull check falls in that gap after a quiet period);
3. the idle-kernel culler skips a kernel that is still starting (jupyter_server logs a
   ``TraitError`` traceback for each such kernel at every cull check otherwise: 27 in one
   20-session load test);
4. the kernel cap and the short cull of kernels whose page never connected
   (:class:`workbook.ui.guard.ViewerKernelsMixin`, mixed in first, with or without preheating);
5. nothing else: the pools, their sizes, culling and the rendering are Voilà's.

It patches Voilà's ``voila_kernel_manager_factory`` (the class is built at start-up) and the
module-level ``wait_before`` that Voilà's ``fill_if_needed`` calls; both exist in Voilà 0.5.x
(the version pinned in ``requirements.lock``). :func:`install` checks for them and, if Voilà
changes, leaves Voilà as it is and says so in the log.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable
from datetime import UTC

__all__ = ["install", "wait_before", "hurry", "BurstRefillMixin", "installed"]

log = logging.getLogger("workbook.ui")

_EVENTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # loop -> Event (tests run several loops)
_INSTALLED = False


def _event() -> asyncio.Event:
    loop = asyncio.get_running_loop()
    ev = _EVENTS.get(loop)
    if ev is None:
        ev = _EVENTS[loop] = asyncio.Event()
    return ev


async def wait_before(delay: float, aw: Awaitable):
    """Voilà's ``wait_before`` (sleep ``delay`` s, then await ``aw``), cut short by :func:`hurry`."""
    if delay and delay > 0:
        ev = _event()
        try:
            await asyncio.wait_for(ev.wait(), timeout=float(delay))
        except TimeoutError:
            pass
    return await aw


def hurry() -> None:
    """Wake every refill still sleeping out its delay (called when a viewer finds the pool empty)."""
    ev = _event()
    ev.set()
    # waiters already woken stay woken; refills queued from now on get the normal delay again
    asyncio.get_running_loop().call_soon(ev.clear)


class BurstRefillMixin:
    """Mixed in front of Voilà's preheating kernel manager (see the module docstring)."""

    async def get_rendered_notebook(self, notebook_name: str, extra_kernel_env_variables: dict | None = None,
                                    **kwargs):
        pool = getattr(self, "_pools", {}).get(notebook_name) or []
        if pool and not pool[0].done():
            hurry()
            self.log.info("Kernel pool of %s exhausted: refilling now instead of after the delay", notebook_name)
        result = await super().get_rendered_notebook(  # type: ignore[misc]
            notebook_name, extra_kernel_env_variables or {}, **kwargs)
        self._handed_over(result[2] if isinstance(result, tuple) and len(result) == 3 else None)
        return result

    async def cull_kernel_if_idle(self, kernel_id: str):
        kernel = getattr(self, "_kernels", {}).get(kernel_id)
        if kernel is not None:
            try:
                if kernel.last_activity is None:
                    return None
            except Exception:  # noqa: BLE001 — traitlets refuses the unset value: still starting
                return None
        return await super().cull_kernel_if_idle(kernel_id)  # type: ignore[misc]

    def _handed_over(self, kernel_id: str | None) -> None:
        """Restart the kernel's idle clock: the viewer's page has not connected yet."""
        kernels = getattr(self, "_kernels", {})
        if kernel_id is None or kernel_id not in kernels:
            return
        from datetime import datetime

        kernels[kernel_id].last_activity = datetime.now(UTC)


def installed() -> bool:
    return _INSTALLED


def install() -> bool:
    """Patch Voilà (idempotent); return whether the burst refill is active."""
    global _INSTALLED
    if _INSTALLED:
        return True
    try:
        import voila.app as vapp
        import voila.voila_kernel_manager as vkm
    except ImportError:  # pragma: no cover — Voilà is a dependency
        return False
    if not (hasattr(vkm, "wait_before") and hasattr(vapp, "voila_kernel_manager_factory")):
        log.warning("Voilà changed (no wait_before / voila_kernel_manager_factory): kernel pools refill "
                    "after the delay only")
        return False
    original = vapp.voila_kernel_manager_factory

    def factory(base_class, preheat_kernel, default_pool_size, *args, **kwargs):
        from workbook.ui.guard import ViewerKernelsMixin

        cls = original(base_class, preheat_kernel, default_pool_size, *args, **kwargs)
        if not preheat_kernel or not hasattr(cls, "get_rendered_notebook"):
            return type("WorkbookKernelManager", (ViewerKernelsMixin, cls), {})
        return type("WorkbookKernelManager", (ViewerKernelsMixin, BurstRefillMixin, cls), {})

    vapp.voila_kernel_manager_factory = factory
    vkm.wait_before = wait_before
    _INSTALLED = True
    return True
