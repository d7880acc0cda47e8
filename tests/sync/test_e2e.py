"""The blocking client end to end against the reference server: paging, faults, threads, tokens.

The sync twins of tests/resources/test_paging_e2e.py, tests/test_faults_e2e.py and the token
tests of tests/test_auth.py. The server runs on its own thread (see conftest.py), so these
tests block freely while it answers.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from nudgescribe_async._retry import instant_backoff
from nudgescribe_async.testing import ReferenceServer
from nudgescribe_sync import Nudgescribe, ServerError
from tests._support.threaded import ThreadedServer
from tests._support.worlds import ShopWorld

PAGES = 200
PAGE_SIZE = 5
PAGE_PATH = "/v1/customer"
THREADS = 16
# Far above what a cancelled fetch needs, far below the client timeout a hanging fetch would
# otherwise sit out: a behaviour bound, not a performance measurement.
PROMPT = 1.0


def seed_pages(
    server: ThreadedServer, world: ShopWorld, pages: int = PAGES, page_size: int = PAGE_SIZE
) -> list[str]:
    """Seed ``pages`` full pages of customers and return their emails in server order."""
    rows = [{"email": f"c{i:05d}@example.com", "tier": "gold"} for i in range(pages * page_size)]
    server.do(lambda s: s.seed_customers(world.group_id, rows))
    return [str(row["email"]) for row in rows]


def add_fault(server: ThreadedServer, path: str, **rule: Any) -> None:
    """Add a fault rule on the server's own loop."""
    server.do(lambda s: s.faults.add(path, **rule))


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``condition`` until it holds; fail the test if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("condition never became true")
        time.sleep(0.005)


def run_in_threads(work: Callable[[], Any], threads: int = THREADS) -> list[Any]:
    """Run ``work`` in ``threads`` threads released together; return every result."""
    barrier = threading.Barrier(threads)

    def released() -> Any:
        barrier.wait(timeout=10)  # a broken barrier fails the test instead of hanging it
        return work()

    with ThreadPoolExecutor(threads) as pool:
        futures = [pool.submit(released) for _ in range(threads)]
        return [future.result(timeout=30) for future in futures]


def live_tasks(client: Nudgescribe) -> int:
    """Unfinished tasks on the client's portal loop, besides the one asking."""

    async def count() -> int:
        current = asyncio.current_task()
        return sum(1 for task in asyncio.all_tasks() if task is not current and not task.done())

    return client._runtime.portal.call(count)


@pytest.fixture
def slow_client(threaded_server: ThreadedServer) -> Iterator[Nudgescribe]:
    """A client whose calls would wait 10 s on a hanging server before giving up."""
    decrypt = threaded_server.do(lambda s: s.demo_credentials.decrypt)
    with Nudgescribe(
        **threaded_server.client_kwargs(), decrypt=decrypt, timeout=10, max_retries=0
    ) as sync_client:
        yield sync_client


@pytest.mark.parametrize("concurrency", [1, 4, 16])
def test_every_item_once_in_order_at_each_concurrency(
    threaded_server: ThreadedServer,
    sync_client: Nudgescribe,
    threaded_world: ShopWorld,
    concurrency: int,
) -> None:
    """Every customer of a 200-page group comes back exactly once, in order, from a for loop."""
    expected = seed_pages(threaded_server, threaded_world)
    add_fault(threaded_server, PAGE_PATH, method="POST", kind="latency", seconds=0.002, times=None)
    pager = sync_client.customers.list(
        threaded_world.group_id, page_size=PAGE_SIZE, concurrency=concurrency
    )
    emails = [customer.profile["email"] for customer in pager]
    assert emails == expected
    assert threaded_server.count(PAGE_PATH, "POST") == PAGES


def test_break_sends_at_most_concurrency_requests_and_keeps_client_usable(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """A bare break after the first item leaves at most the window (2 x 4) of page requests."""
    expected = seed_pages(threaded_server, threaded_world)
    add_fault(threaded_server, PAGE_PATH, method="POST", kind="latency", seconds=0.01, times=None)
    for customer in sync_client.customers.list(
        threaded_world.group_id, page_size=PAGE_SIZE, concurrency=4
    ):
        assert customer.profile["email"] == expected[0]
        break
    time.sleep(0.05)  # a fetch that escaped cancellation would reach the server by now
    # The window of 2 x 4 (pages 1-8; the count came from /v1/customer/pages): nothing beyond.
    assert threaded_server.count(PAGE_PATH, "POST") <= 8
    page = sync_client.customers.get_page(threaded_world.group_id, 2, page_size=PAGE_SIZE)
    assert [c.profile["email"] for c in page.customers] == expected[PAGE_SIZE : 2 * PAGE_SIZE]


@pytest.mark.parametrize("how", ["break", "with"])
def test_leaving_the_loop_cancels_a_hanging_fetch(
    threaded_server: ThreadedServer, slow_client: Nudgescribe, threaded_world: ShopWorld, how: str
) -> None:
    """Leaving the loop while page 2 hangs on the server returns at once, not after a timeout."""
    expected = seed_pages(threaded_server, threaded_world, pages=10)
    # Concurrency 1: a window of 2 pages, so page 2 is the only one in flight.
    pager = slow_client.customers.list(threaded_world.group_id, page_size=PAGE_SIZE, concurrency=1)
    pager.first_page()  # page 1 is cached; from here on every page request hangs
    add_fault(threaded_server, PAGE_PATH, method="POST", kind="hang", times=None)
    before = live_tasks(slow_client)
    started = time.monotonic()
    if how == "break":
        for customer in pager:
            assert customer.profile["email"] == expected[0]
            # Page 2 must really be in flight (hanging on the server) when we leave.
            wait_until(lambda: threaded_server.count(PAGE_PATH, "POST") == 2)
            started = time.monotonic()
            break
    else:
        with pager:
            pages = pager.pages()  # kept: a dropped iterator would be closed right here
            assert next(pages).number == 1
            wait_until(lambda: threaded_server.count(PAGE_PATH, "POST") == 2)
            started = time.monotonic()
    # Without cancellation this would wait out the 10 s client timeout.
    assert time.monotonic() - started < PROMPT
    assert live_tasks(slow_client) == before  # the fetch of page 2 was ended, not left behind
    assert threaded_server.count(PAGE_PATH, "POST") == 2
    threaded_server.do(lambda s: s.faults.clear())
    assert (
        slow_client.customers.count_pages(threaded_world.group_id, page_size=PAGE_SIZE).total_pages
        == 10
    )


def test_failing_page_raises_after_earlier_items(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """A page that keeps failing raises ServerError after every item of the pages before it."""
    expected = seed_pages(threaded_server, threaded_world, pages=10)
    seen: list[str] = []
    pager = sync_client.customers.list(threaded_world.group_id, page_size=PAGE_SIZE, concurrency=1)
    with instant_backoff(), pytest.raises(ServerError) as info:
        for customer in pager:
            seen.append(customer.profile["email"])
            if len(seen) == 2 * PAGE_SIZE:
                # At concurrency 1 (a window of 2 pages) page 4 is requested only once page 2
                # is used up; page 3 is requested meanwhile: let it be answered, then every
                # attempt at page 4 (retries included) meets this standing fault.
                wait_until(lambda: threaded_server.count(PAGE_PATH, "POST") == 3)
                time.sleep(0.2)
                add_fault(
                    threaded_server, PAGE_PATH, method="POST", kind="fail", status=503, times=None
                )
    assert info.value.status_code == 503
    assert seen == expected[: 3 * PAGE_SIZE]
    # Pages 1-3, page 4 and two retries; page 5 (in the window) may have got page 4's slot.
    assert threaded_server.count(PAGE_PATH, "POST") in (3 + 1 + 2, 3 + 1 + 2 + 1)


def test_threads_share_one_client_and_one_login(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """16 threads paging and calling through one fresh client get full results and one login."""
    expected = seed_pages(threaded_server, threaded_world, pages=5, page_size=10)

    def work() -> tuple[list[str], list[str], list[str], int]:
        groups = sync_client.customer_groups.list(threaded_world.workspace_id)
        fields = sync_client.profile_fields.list(threaded_world.workspace_id)
        pager = sync_client.customers.list(threaded_world.group_id, page_size=10, concurrency=3)
        emails = [customer.profile["email"] for customer in pager]
        count = sync_client.customers.count_pages(threaded_world.group_id, page_size=10)
        return (
            emails,
            [g.name for g in groups.customer_groups],
            [f.field_name for f in fields.fields],
            count.total_pages,
        )

    results = run_in_threads(work)
    assert results == [(expected, ["Everyone"], ["email", "tier", "joined"], 5)] * THREADS
    assert threaded_server.count("/v1/auth", "POST") == 1
    assert threaded_server.count(PAGE_PATH, "POST") == 5 * THREADS


def test_expired_access_token_is_refreshed_once_across_threads() -> None:
    """16 threads calling past the token's renewal point cause exactly one refresh."""
    server = ThreadedServer(access_token_ttl=1.2)
    try:
        workspace_id = server.do(lambda s: s.seed_workspace("Shop").workspace_id)
        with Nudgescribe(**server.client_kwargs()) as client:
            client.auth.authenticate()
            # The renewal point is the skew clamped to half the lifetime: 0.6 s after issue.
            time.sleep(0.75)
            results = run_in_threads(lambda: client.customer_groups.list(workspace_id))
            assert all(r.customer_groups == [] for r in results)
        assert server.count("/v1/auth", "GET") == 1
        assert server.count("/v1/auth", "POST") == 1
        assert server.count("/v1/cg", "POST") == THREADS
    finally:
        server.close()


def test_revoked_tokens_are_renewed_once_across_threads(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """After a server-side revocation 16 threads renew the token once and every call succeeds."""
    sync_client.auth.authenticate()
    threaded_server.do(ReferenceServer.revoke_tokens)
    results = run_in_threads(lambda: sync_client.customer_groups.list(threaded_world.workspace_id))
    assert all([g.name for g in r.customer_groups] == ["Everyone"] for r in results)
    # The first login, then one shared renewal: a refresh (refused, its token is revoked
    # too) and one new login.
    assert threaded_server.count("/v1/auth", "GET") == 1
    assert threaded_server.count("/v1/auth", "POST") == 2
    # A call sent before the renewal gets one 403 and one retry; a later one succeeds at once.
    assert THREADS < threaded_server.count("/v1/cg", "POST") <= 2 * THREADS
