"""Burst refill of Voilà's preheated kernel pools (workbook.ui.pool), without a browser."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC

from workbook.ui import pool


def test_wait_before_sleeps_the_delay_unless_hurried():
    async def scenario():
        async def job():
            return time.perf_counter()

        t0 = time.perf_counter()
        slow = asyncio.create_task(pool.wait_before(0.6, job()))
        done_slow = await slow
        assert done_slow - t0 >= 0.55  # no hurry: the whole delay

        t1 = time.perf_counter()
        a = asyncio.create_task(pool.wait_before(30.0, job()))
        b = asyncio.create_task(pool.wait_before(30.0, job()))
        await asyncio.sleep(0.05)
        pool.hurry()
        ends = await asyncio.wait_for(asyncio.gather(a, b), timeout=5)
        assert max(ends) - t1 < 2.0  # both sleeping refills started at once

        # a refill queued after the hurry gets the normal delay again
        await asyncio.sleep(0)
        late = job()
        c = asyncio.create_task(pool.wait_before(30.0, late))
        await asyncio.sleep(0.2)
        assert not c.done()
        c.cancel()
        late.close()

    asyncio.run(scenario())


class _FakeVoilaManager:
    """The part of Voilà's preheating manager that the mixin relies on: ``_pools`` of tasks."""

    def __init__(self, pools):
        self._pools = pools
        self.calls = []

        class _Log:
            def __init__(self, sink):
                self.sink = sink

            def info(self, msg, *args):
                self.sink.append(msg % args)

        self.messages: list[str] = []
        self.log = _Log(self.messages)

    async def get_rendered_notebook(self, notebook_name, extra_kernel_env_variables=None, **kwargs):
        self.calls.append(notebook_name)
        item = self._pools[notebook_name].pop(0)
        kernel_id = await item
        return "render-task", [], kernel_id


    async def cull_kernel_if_idle(self, kernel_id):
        self.calls.append(("cull", kernel_id))


class _Manager(pool.BurstRefillMixin, _FakeVoilaManager):
    pass


def test_viewer_finding_the_pool_exhausted_wakes_the_sleeping_refills():
    async def scenario():
        async def kernel(name):
            return name

        ready = asyncio.get_running_loop().create_future()
        ready.set_result("ready-kernel")
        refill = asyncio.create_task(pool.wait_before(30.0, kernel("refill-kernel")))
        m = _Manager({"a.ipynb": [ready, refill]})
        t = time.perf_counter()
        assert (await m.get_rendered_notebook("a.ipynb"))[2] == "ready-kernel"
        assert m.messages == []  # the pool kept up: nothing hurried
        assert (await asyncio.wait_for(m.get_rendered_notebook("a.ipynb"), timeout=5))[2] == "refill-kernel"
        assert time.perf_counter() - t < 2.0
        assert m.messages and "exhausted" in m.messages[0]

    asyncio.run(scenario())


def test_install_patches_voila_once_and_the_class_keeps_voilas_behaviour():
    import voila.app as vapp
    import voila.voila_kernel_manager as vkm
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    assert pool.install() and pool.install()
    assert vkm.wait_before is pool.wait_before
    cls = vapp.voila_kernel_manager_factory(AsyncMappingKernelManager, True, 2)
    assert issubclass(cls, pool.BurstRefillMixin) and hasattr(cls, "fill_if_needed")
    plain = vapp.voila_kernel_manager_factory(AsyncMappingKernelManager, False, 0)
    assert not issubclass(plain, pool.BurstRefillMixin)


def test_a_kernel_handed_to_a_viewer_starts_its_idle_time_at_the_hand_over():
    """A kernel that waited in the pool for an hour must not be culled before the page connects."""
    from datetime import datetime, timedelta
    from types import SimpleNamespace

    async def scenario():
        ready = asyncio.get_running_loop().create_future()
        ready.set_result("k-1")
        m = _Manager({"a.ipynb": [ready]})
        an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
        m._kernels = {"k-1": SimpleNamespace(last_activity=an_hour_ago)}
        await m.get_rendered_notebook("a.ipynb")
        idle = datetime.now(UTC) - m._kernels["k-1"].last_activity
        assert idle < timedelta(seconds=5)

    asyncio.run(scenario())


def test_culler_skips_a_kernel_that_is_still_starting():
    from datetime import datetime
    from types import SimpleNamespace

    from traitlets import HasTraits, Instance, TraitError

    class Starting(HasTraits):
        last_activity = Instance(datetime)  # unset: reading it raises, as jupyter_server's does

    starting = Starting()
    try:
        starting.last_activity  # noqa: B018
    except TraitError:
        pass
    m = _Manager({})
    m._kernels = {"new": starting, "old": SimpleNamespace(last_activity=datetime.now(UTC))}
    asyncio.run(m.cull_kernel_if_idle("new"))
    asyncio.run(m.cull_kernel_if_idle("old"))
    assert m.calls == [("cull", "old")]
