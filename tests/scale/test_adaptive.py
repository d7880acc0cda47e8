"""Adaptive concurrency: the AIMD limiter alone, and auto pagers against a 429-above-N server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from nudgescribe_async import AdaptiveLimiter, AsyncNudgescribe, AsyncPager, PageResult
from nudgescribe_async._adaptive import acquire_permit, limited
from nudgescribe_async.testing import ReferenceServer


async def _answer(limiter: AdaptiveLimiter, status: int) -> None:
    permit = await limiter.acquire()
    permit.release(status)


async def test_a_429_shrinks_the_limit_once_per_episode() -> None:
    """Several 429s for requests sent before the decrease shrink the limit once, by 0.9."""
    limiter = AdaptiveLimiter(initial=8)
    permits = [await limiter.acquire() for _ in range(8)]
    for permit in permits:
        permit.release(429)
    assert limiter.limit == pytest.approx(7.2)
    assert limiter.decreases == 1 and limiter.throttled == 8
    await _answer(limiter, 429)  # sent after the decrease: a new episode
    assert limiter.limit == pytest.approx(7.2 * 0.9)


async def test_a_429_after_an_overshoot_shrinks_to_the_load_that_was_accepted() -> None:
    """Slow start overshoot: 16 allowed, only 8 in flight ever succeeded -> limit 0.9 x 8."""
    limiter = AdaptiveLimiter(initial=16, maximum=64)
    held = [await limiter.acquire() for _ in range(16)]
    for permit in held[:8]:
        permit.release(200)  # loads 1..8 succeeded
    for permit in held[8:]:
        permit.release(429)  # loads 9..16 refused
    assert limiter.limit == pytest.approx(7.2) and limiter.decreases == 1


async def test_successes_grow_the_limit_additively_after_a_decrease() -> None:
    """After a decrease the limit grows by 1/limit per answer, by a tenth of that near the
    limit that was refused, and never beyond the maximum."""
    limiter = AdaptiveLimiter(initial=8, maximum=10, decrease=0.75)
    await _answer(limiter, 429)
    assert limiter.limit == 6.0
    await _answer(limiter, 200)
    assert limiter.limit == pytest.approx(6 + 1 / 6)
    while limiter.limit + 1 < 8:  # 8 was refused: the ceiling
        await _answer(limiter, 200)
    near = limiter.limit
    await _answer(limiter, 200)
    assert limiter.limit == pytest.approx(near + 0.1 / near)
    for _ in range(400):
        await _answer(limiter, 200)
    assert limiter.limit == 10.0  # capped at maximum


async def test_slow_start_doubles_until_the_first_429() -> None:
    """Before any 429 each success adds a whole permit."""
    limiter = AdaptiveLimiter(initial=2, maximum=64)
    for _ in range(6):
        await _answer(limiter, 200)
    assert limiter.limit == 8.0


async def test_rising_latency_holds_the_limit() -> None:
    """An answer much slower than the best seen does not grow the limit."""
    limiter = AdaptiveLimiter(initial=4, latency_tolerance=2.0)
    await _answer(limiter, 200)  # best latency ~0
    before = limiter.limit
    permit = await limiter.acquire()
    await asyncio.sleep(0.05)
    permit.release(200)
    assert limiter.limit == before


async def test_permits_never_exceed_the_limit_and_are_fifo() -> None:
    """With limit 2, a third acquirer waits; the first waiter is served first."""
    limiter = AdaptiveLimiter(initial=2, maximum=2)
    first, second = await limiter.acquire(), await limiter.acquire()
    order: list[str] = []

    async def wait(name: str) -> None:
        permit = await limiter.acquire()
        order.append(name)
        permit.release(200)

    waiters = [asyncio.create_task(wait("a")), asyncio.create_task(wait("b"))]
    await asyncio.sleep(0.01)
    assert limiter.in_flight == 2 and order == []
    first.release(200)
    second.release(None)
    await asyncio.gather(*waiters)
    assert order == ["a", "b"] and limiter.in_flight == 0


async def test_a_cancelled_waiter_does_not_leak_a_permit() -> None:
    """Cancelling a task waiting for a permit leaves the count of permits right."""
    limiter = AdaptiveLimiter(initial=1, maximum=1)
    held = await limiter.acquire()
    task = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    held.release(200)
    again = await asyncio.wait_for(limiter.acquire(), 1)
    again.release(200)
    assert limiter.in_flight == 0


def test_bad_limiter_settings_are_refused() -> None:
    """minimum <= initial <= maximum and 0 < decrease < 1 are required."""
    with pytest.raises(ValueError):
        AdaptiveLimiter(initial=8, maximum=4)
    with pytest.raises(ValueError):
        AdaptiveLimiter(decrease=1.0)


async def test_fixed_concurrency_pagers_have_no_limiter() -> None:
    """A pager with a number keeps today's fixed window; "auto" makes an adaptive one."""

    async def fetch(number: int) -> PageResult[int]:
        return PageResult([number], 3)

    assert AsyncPager(fetch, concurrency=4).limiter is None
    auto = AsyncPager(fetch, concurrency="auto")
    assert auto.limiter is not None
    assert await auto.collect() == [1, 2, 3]


@pytest.fixture
async def limited_server() -> AsyncIterator[tuple[ReferenceServer, str]]:
    """4,000 customers behind a service that answers 429 above 4 page requests in flight."""
    async with ReferenceServer() as server:
        ws = server.seed_workspace("Main")
        server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
        group = server.seed_group(ws.workspace_id, "All")
        server.seed_customers(group.customer_group_id, count=4000)
        server.faults.add(
            "/v1/customer", kind="concurrency_limit", limit=4, times=None, retry_after=0.05
        )
        server.faults.add("/v1/customer", kind="latency", seconds=0.01, times=None)
        yield server, group.customer_group_id


async def test_auto_pagers_adapt_to_the_service_and_share_one_limit(
    limited_server: tuple[ReferenceServer, str],
) -> None:
    """Two auto pagers on one client get every customer in order with few 429s."""
    server, group = limited_server
    rule = server.faults.limits("POST", "/v1/customer")[0]
    async with AsyncNudgescribe(**server.client_kwargs(), max_retries=8) as client:
        first = client.customers.list(group, page_size=50, concurrency="auto")
        second = client.with_options(timeout=30).customers.list(
            group, page_size=50, concurrency="auto"
        )
        assert first.limiter is second.limiter is client.limiter
        one, two = await asyncio.gather(first.collect(), second.collect())
        refused = rule.hits
        server.faults.clear()
        expected = [c.customer_id for c in await client.customers.list(group).collect()]
    assert [c.customer_id for c in one] == [c.customer_id for c in two] == expected
    pages = 2 * 80
    assert refused < pages / 4, refused  # two fixed windows of 8 are refused far more often
    assert 1 <= client.limiter.limit <= 8


class _Clock:
    """A hand-moved monotonic clock: answers take exactly the time the test says."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def _answer_after(limiter: AdaptiveLimiter, clock: _Clock, seconds: float) -> None:
    permit = await limiter.acquire()
    clock.now += seconds
    permit.release(200)


async def test_one_fast_answer_does_not_stop_the_limit_from_growing() -> None:
    """After one 2 ms answer, steady 20 ms answers still grow the limit (the baseline moves)."""
    clock = _Clock()
    limiter = AdaptiveLimiter(initial=4, maximum=64, clock=clock)
    await _answer_after(limiter, clock, 0.002)
    for _ in range(400):
        await _answer_after(limiter, clock, 0.020)
    assert limiter.limit > 8, limiter.limit  # stuck at 5 while the 2 ms stayed the baseline


async def test_latency_rising_for_a_round_trip_shrinks_the_limit_once() -> None:
    """A round trip of answers over tolerance x baseline decreases the limit once, like a 429."""
    clock = _Clock()
    limiter = AdaptiveLimiter(initial=8, maximum=8, latency_tolerance=2.0, clock=clock)
    for _ in range(20):
        await _answer_after(limiter, clock, 0.010)
    assert limiter.limit == 8.0 and limiter.decreases == 0
    permits = [await limiter.acquire() for _ in range(8)]  # one round trip in flight
    clock.now += 0.060  # the service slowed down six-fold
    for permit in permits[:7]:
        permit.release(200)
    assert limiter.decreases == 0 and limiter.limit == 8.0  # held, not yet a round trip
    permits[7].release(200)
    assert limiter.decreases == 1 and limiter.limit == pytest.approx(7.2)
    for _ in range(20):  # answers sent after the decrease set a new baseline: no more shrink
        await _answer_after(limiter, clock, 0.060)
    assert limiter.decreases == 1 and limiter.limit > 7.2


async def test_pagers_sharing_a_limiter_take_turns() -> None:
    """Two pagers' fetches alternate for permits; each one's pages stay in page order."""
    limiter = AdaptiveLimiter(initial=1, maximum=1)
    order: list[int] = []

    async def fetch(number: int) -> int:
        waiting = acquire_permit()
        assert waiting is not None
        permit = await waiting
        order.append(number)
        permit.release(200)
        return number

    first, second = limited(fetch, limiter), limited(fetch, limiter)
    held = await limiter.acquire()
    tasks = [asyncio.create_task(first(n)) for n in (3, 1, 2)]
    tasks += [asyncio.create_task(second(n)) for n in (101, 102, 103)]
    for _ in range(3):
        await asyncio.sleep(0)
    assert order == []
    held.release(200)
    await asyncio.gather(*tasks)
    assert order == [1, 101, 2, 102, 3, 103]
