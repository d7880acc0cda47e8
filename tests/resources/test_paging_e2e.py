"""Concurrent paging against the reference server with injected per-page latency (issue 5)."""

from __future__ import annotations

import asyncio

import pytest

from nudgescribe_async import AsyncNudgescribe, ServerError
from nudgescribe_async._retry import instant_backoff
from nudgescribe_async.testing import ReferenceServer
from tests._support.worlds import ShopWorld

PAGES = 200
PAGE_SIZE = 5
PAGE_PATH = "/v1/customer"


def _seed(server: ReferenceServer, world: ShopWorld, pages: int = PAGES) -> list[str]:
    """Seed ``pages`` full pages and return the customers' emails in server order."""
    rows = [{"email": f"c{i:05d}@example.com", "tier": "gold"} for i in range(pages * PAGE_SIZE)]
    server.seed_customers(world.group_id, rows)
    return [str(row["email"]) for row in rows]


@pytest.mark.parametrize("concurrency", [1, 4, 16])
async def test_every_item_once_in_order_at_each_concurrency(
    ref_server: ReferenceServer,
    ref_client: AsyncNudgescribe,
    ref_world: ShopWorld,
    concurrency: int,
) -> None:
    """Every customer of a 200-page group comes back exactly once, in order."""
    expected = _seed(ref_server, ref_world)
    ref_server.faults.add(PAGE_PATH, method="POST", kind="latency", seconds=0.002, times=None)
    pager = ref_client.customers.list(
        ref_world.group_id, page_size=PAGE_SIZE, concurrency=concurrency
    )
    emails = [c.profile["email"] async for c in pager]
    assert emails == expected
    assert ref_server.request_count(PAGE_PATH, "POST") == PAGES


async def test_in_flight_requests_never_exceed_concurrency(
    ref_server: ReferenceServer, ref_client: AsyncNudgescribe, ref_world: ShopWorld
) -> None:
    """The server never sees more than `concurrency` page requests at once."""
    _seed(ref_server, ref_world, pages=40)
    ref_server.faults.add(PAGE_PATH, method="POST", kind="latency", seconds=0.01, times=None)
    in_flight = peak = 0
    original = ref_client._sender.send

    async def counting(spec):  # type: ignore[no-untyped-def]
        nonlocal in_flight, peak
        if spec.path == PAGE_PATH:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            return await original(spec)
        finally:
            if spec.path == PAGE_PATH:
                in_flight -= 1

    ref_client._sender.send = counting  # type: ignore[method-assign]
    await ref_client.customers.list(
        ref_world.group_id, page_size=PAGE_SIZE, concurrency=6
    ).collect()
    assert peak == 6


async def test_early_break_sends_at_most_the_window_of_requests(
    ref_server: ReferenceServer, ref_client: AsyncNudgescribe, ref_world: ShopWorld
) -> None:
    """Breaking after page 1 leaves the server with at most its window, 2 x `concurrency`."""
    _seed(ref_server, ref_world)
    ref_server.faults.add(PAGE_PATH, method="POST", kind="latency", seconds=0.005, times=None)
    async for _ in ref_client.customers.list(
        ref_world.group_id, page_size=PAGE_SIZE, concurrency=4
    ):
        break
    await asyncio.sleep(0.1)  # anything still scheduled would reach the server by now
    assert 1 <= ref_server.request_count(PAGE_PATH, "POST") <= 2 * 4


async def test_bare_break_cancels_fetches_in_flight(
    ref_server: ReferenceServer, ref_client: AsyncNudgescribe, ref_world: ShopWorld
) -> None:
    """A bare break cancels the slow fetches still in flight; none of them reaches the server."""
    _seed(ref_server, ref_world, pages=10)
    started: list[int] = []
    cancelled: list[int] = []
    original = ref_client._sender.send

    async def slow_after_first(spec):  # type: ignore[no-untyped-def]
        page = (spec.json or {}).get("page")
        if spec.path == PAGE_PATH and page != 1:
            started.append(page)
            try:
                await asyncio.sleep(30)  # would hold the test for 30 s if not cancelled
            except asyncio.CancelledError:
                cancelled.append(page)
                raise
        return await original(spec)

    ref_client._sender.send = slow_after_first  # type: ignore[method-assign]
    async for _ in ref_client.customers.list(
        ref_world.group_id, page_size=PAGE_SIZE, concurrency=4
    ):
        break
    for _ in range(50):  # the loop finalises the abandoned generator within a few turns
        if len(cancelled) == len(started) == 4:
            break
        await asyncio.sleep(0.01)
    # Page 1's in-flight slot went to page 5 as soon as page 1's exchange ended.
    assert sorted(cancelled) == sorted(started) == [2, 3, 4, 5]
    assert ref_server.request_count(PAGE_PATH, "POST") == 1


async def test_failing_page_raises_after_earlier_items(
    ref_server: ReferenceServer, ref_client: AsyncNudgescribe, ref_world: ShopWorld
) -> None:
    """A page that keeps failing raises after every item of the pages before it."""
    expected = _seed(ref_server, ref_world, pages=10)
    seen: list[str] = []
    pager = ref_client.customers.list(ref_world.group_id, page_size=PAGE_SIZE, concurrency=1)
    with instant_backoff(), pytest.raises(ServerError):
        async for customer in pager:
            seen.append(customer.profile["email"])
            if len(seen) == 3 * PAGE_SIZE:
                # From now on every page request fails, through the transport's retries
                # too; whether page 4 was already fetched depends on the window timing.
                ref_server.faults.add(PAGE_PATH, method="POST", status=503, times=99)
    assert seen == expected[: len(seen)]
    assert 3 * PAGE_SIZE <= len(seen) <= 4 * PAGE_SIZE


async def test_customers_deleted_during_iteration_stop_early_without_duplicates(
    ref_server: ReferenceServer, ref_client: AsyncNudgescribe, ref_world: ShopWorld
) -> None:
    """When the group shrinks mid-iteration the pager stops at the new end, no duplicates."""
    _seed(ref_server, ref_world, pages=20)
    ids: list[str] = []
    async for customer in ref_client.customers.list(
        ref_world.group_id, page_size=PAGE_SIZE, concurrency=2
    ):
        ids.append(customer.customer_id)
        if len(ids) == PAGE_SIZE:
            page = await ref_client.customers.get_page(ref_world.group_id, 20, page_size=PAGE_SIZE)
            tail = await ref_client.customers.get_page(ref_world.group_id, 19, page_size=PAGE_SIZE)
            doomed = [c.customer_id for c in (*page.customers, *tail.customers)]
            await ref_client.customers.delete(ref_world.group_id, doomed)
    assert len(ids) == len(set(ids))
    assert len(ids) == 18 * PAGE_SIZE
