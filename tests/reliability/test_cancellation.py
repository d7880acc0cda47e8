"""Cancellation mid-request, mid-refresh and mid-iteration leaves the client usable and no
socket behind."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

import psutil
import pytest

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer
from tests._support.worlds import ReliabilitySeed

CG = "/v1/cg"


def _sockets_to(server: ReferenceServer) -> int:
    port = int(server.base_url.rsplit(":", 1)[1])
    me = psutil.Process(os.getpid())
    return sum(
        1
        for c in me.net_connections(kind="tcp")
        if c.raddr and c.raddr.port == port and c.status == psutil.CONN_ESTABLISHED
    )


async def _eventually(check: Callable[[], bool], within: float = 5.0) -> bool:
    """Poll ``check`` until it holds or ``within`` seconds pass (a loaded machine is slow)."""
    deadline = asyncio.get_running_loop().time() + within
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


def _our_tasks() -> set[asyncio.Task[object]]:
    """Tasks of this test's client side (the in-process server's request handlers excluded)."""
    return {
        t for t in asyncio.all_tasks() if not t.get_coro().__qualname__.startswith("RequestHandler")
    }


async def _cancel_soon(task: asyncio.Future[object], after: float) -> None:
    await asyncio.sleep(after)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_cancel_mid_request_then_reuse(
    reliability_server: ReferenceServer, reliability_seed: ReliabilitySeed
) -> None:
    """A call cancelled while the server is slow leaves the client working, no socket kept."""
    async with AsyncNudgescribe(**reliability_server.client_kwargs()) as client:
        await client.customer_groups.list(reliability_seed.workspace_id)
        reliability_server.faults.add(CG, method="POST", kind="latency", seconds=5)
        await _cancel_soon(
            asyncio.ensure_future(client.customer_groups.list(reliability_seed.workspace_id)), 0.1
        )
        groups = await client.customer_groups.list(reliability_seed.workspace_id)
        assert len(groups.customer_groups) == 2
    assert await _eventually(lambda: _sockets_to(reliability_server) == 0)


async def test_cancel_mid_refresh_then_reuse(
    reliability_server: ReferenceServer, reliability_seed: ReliabilitySeed
) -> None:
    """A renewal cancelled half-way releases the token lock: the next call logs in and works."""
    async with AsyncNudgescribe(**reliability_server.client_kwargs()) as client:
        reliability_server.faults.add("/v1/auth", method="POST", kind="latency", seconds=5)
        waiters = [
            asyncio.ensure_future(client.customer_groups.list(reliability_seed.workspace_id))
            for _ in range(3)
        ]
        await asyncio.sleep(0.1)
        for waiter in waiters:
            waiter.cancel()
        results = await asyncio.gather(*waiters, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        assert not client._tokens._lock.locked()
        groups = await asyncio.wait_for(
            client.customer_groups.list(reliability_seed.workspace_id), 5
        )
        assert len(groups.customer_groups) == 2
    assert await _eventually(lambda: _sockets_to(reliability_server) == 0)


async def test_cancel_mid_iteration_then_reuse(reliability_server: ReferenceServer) -> None:
    """A consumer cancelled while pages are in flight leaves no task and no socket behind."""
    ws = reliability_server.seed_workspace("Big")
    reliability_server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
    group = reliability_server.seed_group(ws.workspace_id, "All").customer_group_id
    reliability_server.seed_customers(group, count=500)
    reliability_server.faults.add(
        "/v1/customer", method="POST", kind="latency", seconds=0.05, times=None
    )
    async with AsyncNudgescribe(**reliability_server.client_kwargs()) as client:
        seen: list[str] = []
        started = asyncio.Event()

        async def consume() -> None:
            async for customer in client.customers.list(group, page_size=10, concurrency=8):
                seen.append(customer.customer_id)
                if len(seen) == 50:  # pages are in flight once the first ones arrived
                    started.set()

        task = asyncio.ensure_future(consume())
        await started.wait()
        await _cancel_soon(task, 0)
        assert 0 < len(seen) < 500
        me = asyncio.current_task()
        assert await _eventually(lambda: _our_tasks() == {me}), _our_tasks()
        reliability_server.faults.clear()
        everyone = await client.customers.list(group, page_size=100).collect()
        assert len(everyone) == 500
    assert await _eventually(lambda: _sockets_to(reliability_server) == 0)
