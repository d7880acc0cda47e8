"""Sync facade vs async client on the same reference server: per-call cost and bulk paging.

Run: ``.venv/bin/python benchmarks/bench_sync.py [--calls 2000] [--customers 20000] [--rounds 5]``

The reference server runs on its own thread (a Portal). The async client runs in the main
thread's ``asyncio.run``; the sync client is called from the main thread and runs its async
client on its portal thread. In the same run the script measures the floor any facade pays:
a bare cross-thread hop, ``asyncio.run_coroutine_threadsafe`` of a no-op onto the sync
client's loop (and anyio's ``BlockingPortal.call`` of a no-op, the hop the facade uses).
Reported times are medians over rounds; the machine is shared, so compare within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer
from nudgescribe_sync import Nudgescribe
from nudgescribe_sync._portal import Portal


class ServerThread:
    """The reference server on a portal thread of its own."""

    def __init__(self) -> None:
        self.portal = Portal("bench-server")
        self.portal.start()
        self.server = ReferenceServer()

        async def start() -> ReferenceServer:
            return await self.server.start()

        self.portal.call(start)

    def do(self, control: Callable[[ReferenceServer], Any]) -> Any:
        """Run a server control on the server's loop."""

        async def run() -> Any:
            return control(self.server)

        return self.portal.call(run)

    def close(self) -> None:
        """Stop the server and its thread."""
        self.portal.call(self.server.close)
        self.portal.stop()


def seed(server: ServerThread, customers: int) -> tuple[str, str]:
    """A workspace with one group of ``customers`` synthetic customers."""

    def build(s: ReferenceServer) -> tuple[str, str]:
        ws = s.seed_workspace("Bench")
        s.seed_profile_field(ws.workspace_id, "email", is_unique=True)
        s.seed_profile_field(ws.workspace_id, "tier")
        group = s.seed_group(ws.workspace_id, "Everyone")
        s.seed_customers(group.customer_group_id, count=customers)
        return ws.workspace_id, group.customer_group_id

    return server.do(build)  # type: ignore[no-any-return]


def per_call_us(seconds: float, calls: int) -> float:
    """Microseconds per call."""
    return seconds / calls * 1e6


def time_sync_calls(client: Nudgescribe, workspace_id: str, calls: int) -> float:
    """Seconds for ``calls`` small requests through the sync client."""
    started = time.perf_counter()
    for _ in range(calls):
        client.customer_groups.list(workspace_id)
    return time.perf_counter() - started


async def time_async_calls(client: AsyncNudgescribe, workspace_id: str, calls: int) -> float:
    """Seconds for ``calls`` small requests through the async client."""
    started = time.perf_counter()
    for _ in range(calls):
        await client.customer_groups.list(workspace_id)
    return time.perf_counter() - started


def time_bare_hops(loop: asyncio.AbstractEventLoop, calls: int) -> float:
    """Seconds for ``calls`` run_coroutine_threadsafe round trips of a no-op."""

    async def noop() -> None:
        return None

    started = time.perf_counter()
    for _ in range(calls):
        asyncio.run_coroutine_threadsafe(noop(), loop).result()
    return time.perf_counter() - started


def time_portal_hops(call: Callable[[Callable[[], Awaitable[None]]], Any], calls: int) -> float:
    """Seconds for ``calls`` round trips of a no-op through ``call``."""

    async def noop() -> None:
        return None

    started = time.perf_counter()
    for _ in range(calls):
        call(noop)
    return time.perf_counter() - started


def time_sync_paging(client: Nudgescribe, group_id: str, how: str) -> tuple[float, int]:
    """Seconds and items for paging a whole group through the sync Pager."""
    started = time.perf_counter()
    pager = client.customers.list(group_id, page_size=1000)
    items = pager.collect() if how == "collect" else list(pager)
    return time.perf_counter() - started, len(items)


async def time_async_paging(client: AsyncNudgescribe, group_id: str) -> tuple[float, int]:
    """Seconds and items for paging a whole group through the AsyncPager."""
    started = time.perf_counter()
    items = [c async for c in client.customers.list(group_id, page_size=1000)]
    return time.perf_counter() - started, len(items)


def main() -> None:
    """Run every measurement and print a markdown report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    server = ServerThread()
    workspace_id, group_id = seed(server, args.customers)
    kwargs = server.do(lambda s: s.client_kwargs())
    results: dict[str, list[float]] = {
        k: []
        for k in (
            "async",
            "sync",
            "hop",
            "portal",
            "anyio",
            "async_page",
            "sync_iter",
            "sync_collect",
        )
    }
    items: set[int] = set()
    with Nudgescribe(**kwargs) as sync_client:
        loop: asyncio.AbstractEventLoop = sync_client._run(_running_loop)
        portal = sync_client._runtime.portal  # the facade's hop, on the same loop
        anyio_portal = portal._portal  # anyio's BlockingPortal.call, for reference
        assert anyio_portal is not None

        async def async_round() -> None:
            async with AsyncNudgescribe(**kwargs) as async_client:
                await async_client.auth.authenticate()
                await time_async_calls(async_client, workspace_id, 100)  # warm-up
                results["async"].append(
                    await time_async_calls(async_client, workspace_id, args.calls)
                )
                seconds, count = await time_async_paging(async_client, group_id)
                results["async_page"].append(seconds)
                items.add(count)

        time_sync_calls(sync_client, workspace_id, 100)  # warm-up: token, connection
        for _ in range(args.rounds):
            asyncio.run(async_round())
            results["sync"].append(time_sync_calls(sync_client, workspace_id, args.calls))
            results["hop"].append(time_bare_hops(loop, args.calls))
            results["portal"].append(time_portal_hops(portal.call, args.calls))
            results["anyio"].append(time_portal_hops(anyio_portal.call, args.calls))
            for how, key in (("iter", "sync_iter"), ("collect", "sync_collect")):
                seconds, count = time_sync_paging(sync_client, group_id, how)
                results[key].append(seconds)
                items.add(count)
    server.close()
    report(results, args, items)


async def _running_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


def report(results: dict[str, list[float]], args: argparse.Namespace, items: set[int]) -> None:
    """Print the medians as a markdown table plus the two target checks."""
    med = {k: statistics.median(v) for k, v in results.items()}
    call = {k: per_call_us(med[k], args.calls) for k in ("async", "sync", "hop", "portal", "anyio")}
    overhead = call["sync"] - call["async"]
    hops = overhead / call["hop"]
    print(f"calls per round: {args.calls}; rounds: {args.rounds}; customers paged: {items}")
    print()
    print("| measurement | median |")
    print("|---|---|")
    print(f"| async client, small request (customer_groups.list) | {call['async']:.0f} µs |")
    print(f"| sync client, same request | {call['sync']:.0f} µs |")
    print(f"| facade overhead per call (sync - async) | {overhead:.0f} µs |")
    print(f"| bare hop: run_coroutine_threadsafe(no-op).result() | {call['hop']:.0f} µs |")
    print(f"| facade hop: Portal.call(no-op) | {call['portal']:.0f} µs |")
    print(f"| anyio BlockingPortal.call(no-op), not used per call | {call['anyio']:.0f} µs |")
    print(f"| overhead in bare hops (target <= 2) | {hops:.2f} |")
    for key, label in (
        ("async_page", "async pager, async for"),
        ("sync_iter", "sync Pager, for loop"),
        ("sync_collect", "sync Pager, collect()"),
    ):
        per_item = med[key] / max(items) * 1e6
        print(
            f"| paging {max(items)} customers, {label} | {med[key] * 1e3:.1f} ms "
            f"({per_item:.1f} µs/item) |"
        )
    for key in ("sync_iter", "sync_collect"):
        print(f"| {key} / async pager (target <= 1.3) | {med[key] / med['async_page']:.2f} |")


if __name__ == "__main__":
    main()
