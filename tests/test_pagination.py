"""AsyncPager: ordered, bounded, cancellable page fetching, driven by fake page fetchers."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from typing import Any

import pytest

from nudgescribe_async._errors import RequestValidationError
from nudgescribe_async._pagination import AsyncPager, Page, PageResult
from tests._support.fake_pages import FAST, SLOW, FakePages, PageBoom, random_latency


def other_tasks() -> set[asyncio.Task[Any]]:
    """Tasks still alive besides the test itself."""
    return {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}


async def until_no_other_tasks() -> None:
    """Give the loop a few turns to finalize an abandoned iterator; fail if tasks remain."""
    for _ in range(100):
        if not other_tasks():
            return
        await asyncio.sleep(0)
    raise AssertionError(f"tasks still pending: {other_tasks()}")


@pytest.fixture(autouse=True)
async def no_loop_errors() -> AsyncIterator[None]:
    """Fail the test if the loop logged e.g. 'Task exception was never retrieved'."""
    loop = asyncio.get_running_loop()
    errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    yield
    gc.collect()
    await asyncio.sleep(0)
    loop.set_exception_handler(None)
    assert errors == []


@pytest.mark.parametrize("concurrency", [1, 4, 16])
async def test_every_item_once_in_page_order(concurrency: int) -> None:
    """All items of 200 pages come out once, in order, though pages complete out of order."""
    fake = FakePages(200, latency=random_latency(concurrency))
    items = [
        item async for item in AsyncPager(fake.fetch, total_pages=200, concurrency=concurrency)
    ]
    assert items == fake.all_items()
    assert sorted(fake.requested) == list(range(1, 201))
    if concurrency > 1:
        assert fake.completed != sorted(fake.completed)


@pytest.mark.parametrize("concurrency", [1, 4, 16])
async def test_in_flight_never_exceeds_concurrency(concurrency: int) -> None:
    """The fetcher sees at most `concurrency` requests at once, and the pager does use them all."""
    fake = FakePages(60, latency=random_latency(7))
    await AsyncPager(fake.fetch, total_pages=60, concurrency=concurrency).collect()
    assert fake.max_in_flight == concurrency


async def test_slow_consumer_holds_the_window() -> None:
    """A consumer stuck on page 1 never causes more than `concurrency` pages to be requested."""
    fake = FakePages(100)
    pager = AsyncPager(fake.fetch, total_pages=100, concurrency=4)
    async with pager:
        pages = pager.pages()
        first = await anext(pages)
        await asyncio.sleep(20 * FAST)  # every scheduled fetch has long finished
        assert first.number == 1
        assert sorted(fake.requested) == [1, 2, 3, 4]
        second = await anext(pages)
        await asyncio.sleep(20 * FAST)
        assert second.number == 2
        assert sorted(fake.requested) == [1, 2, 3, 4, 5]
        await pages.aclose()


async def test_break_cancels_in_flight_fetches() -> None:
    """Breaking out of `async for` cancels the fetches in flight and leaves no task behind."""
    fake = FakePages(50, latency=lambda page: FAST if page == 1 else SLOW)
    async for _item in AsyncPager(fake.fetch, total_pages=50, concurrency=4):
        break
    await until_no_other_tasks()
    assert sorted(fake.cancelled) == [2, 3, 4]
    assert fake.in_flight == 0


async def test_async_with_closes_at_once() -> None:
    """Leaving `async with pager:` after a break cancels the fetches before the block ends."""
    fake = FakePages(50, latency=lambda page: FAST if page == 1 else SLOW)
    async with AsyncPager(fake.fetch, total_pages=50, concurrency=4) as pager:
        async for _item in pager:
            break
    assert sorted(fake.cancelled) == [2, 3, 4]
    assert fake.in_flight == 0


async def test_aclose_from_another_task_ends_iteration() -> None:
    """aclose() while the consumer waits for a page ends its loop quietly and cancels fetches."""
    fake = FakePages(50, latency=lambda page: FAST if page == 1 else SLOW)
    pager = AsyncPager(fake.fetch, total_pages=50, concurrency=3)
    seen: list[int] = []

    async def consume() -> None:
        async for item in pager:
            seen.append(item)

    consumer = asyncio.ensure_future(consume())
    await fake.wait_for_requests(4)  # page 1 consumed, the consumer now waits on page 2
    await pager.aclose()
    await asyncio.wait_for(consumer, 1.0)
    assert seen == fake.items_of(1)
    assert sorted(fake.cancelled) == [2, 3, 4]
    assert not other_tasks()


async def test_cancelled_consumer_cancels_fetches() -> None:
    """Cancelling the consuming task cancels every fetch in flight and leaks nothing."""
    fake = FakePages(50, latency=lambda page: FAST if page == 1 else SLOW)
    consumer = asyncio.ensure_future(
        AsyncPager(fake.fetch, total_pages=50, concurrency=5).collect()
    )
    await fake.wait_for_requests(6)  # page 1 consumed, the consumer now waits on page 2
    consumer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await consumer
    assert sorted(fake.cancelled) == [2, 3, 4, 5, 6]
    assert not other_tasks()


async def test_fetch_raising_on_cancel_leaks_no_exception() -> None:
    """A fetcher that turns its cancellation into another error leaves no unretrieved error."""

    async def fetch(page: int) -> PageResult[int]:
        try:
            await asyncio.sleep(FAST if page == 1 else SLOW)
        except asyncio.CancelledError:
            raise PageBoom(page) from None
        return PageResult(items=[page], total_pages=10)

    async with AsyncPager(fetch, total_pages=10, concurrency=3) as pager:
        async for _item in pager:
            break
    assert not other_tasks()


async def test_error_after_earlier_pages_and_cancels_rest() -> None:
    """A failing page raises after all items of the pages before it; other fetches are cancelled."""

    def latency(page: int) -> float:
        # Pages 3 and 4 fail at once, before pages 1-2 arrive; pages 5+ stay in flight.
        return {1: FAST, 2: 2 * FAST, 3: 0.0, 4: 0.0}.get(page, SLOW)

    fake = FakePages(50, latency=latency, fail_on=frozenset({3, 4}))
    seen: list[int] = []
    with pytest.raises(PageBoom) as raised:
        async for item in AsyncPager(fake.fetch, total_pages=50, concurrency=8):
            seen.append(item)
    assert raised.value.args == (3,)
    assert seen == fake.all_items(1, 2)
    assert fake.finished.index(3) < fake.finished.index(1)
    assert {5, 6, 7, 8} <= set(fake.cancelled)  # the first window's fetches, surely started
    assert sorted(fake.cancelled) == sorted(page for page in fake.requested if page > 4)
    assert fake.in_flight == 0
    assert not other_tasks()


async def test_shrinking_total_stops_early() -> None:
    """When items are deleted mid-iteration, the pager stops at the new count, no duplicates."""

    def latency(page: int) -> float:
        return {1: FAST, 2: 3 * FAST, 3: 5 * FAST}.get(page, SLOW)

    fake = FakePages(30, latency=latency)

    def delete_when_page_2_is_served(page: int) -> None:
        if page == 2:
            fake.pages = 3

    fake.on_serve = delete_when_page_2_is_served
    pager = AsyncPager(fake.fetch, total_pages=30, concurrency=4)
    pages = [page async for page in pager.pages()]
    assert [page.number for page in pages] == [1, 2, 3]
    assert [item for page in pages for item in page.items] == fake.all_items(1, 3)
    assert pager.total_pages == 3
    assert max(fake.requested) <= 5  # the window when page 2 was read: pages 2-5
    assert 4 in fake.cancelled  # in flight past the new end since the start, then cancelled
    assert sorted(fake.cancelled) == sorted(page for page in fake.requested if page > 3)
    assert not other_tasks()


async def test_stale_count_beyond_end_drops_empty_pages() -> None:
    """A count larger than the data: empty pages past the end are dropped and iteration ends."""
    fake = FakePages(4)
    fake.report_total = False  # responses carry no count to correct the stale one
    pages = [
        page.number async for page in AsyncPager(fake.fetch, total_pages=40, concurrency=4).pages()
    ]
    assert pages == [1, 2, 3, 4]
    assert max(fake.requested) <= 4 + 4


async def test_growing_total_keeps_snapshot() -> None:
    """A count that grows during iteration is ignored: only the snapshot's pages are fetched."""
    fake = FakePages(5)
    fake.on_serve = lambda page: setattr(fake, "pages", 9)
    pager = AsyncPager(fake.fetch, count_pages=fake.count, concurrency=3)
    numbers = [page.number async for page in pager.pages()]
    assert numbers == [1, 2, 3, 4, 5]
    assert sorted(fake.requested) == [1, 2, 3, 4, 5]
    assert pager.total_pages == 5


async def test_count_pages_path() -> None:
    """With count_pages, the count is asked once before any page is fetched."""
    fake = FakePages(25)
    counted_before_first_fetch: list[int] = []
    fetch = fake.fetch

    async def fetch_after_count(page: int) -> PageResult[int]:
        counted_before_first_fetch.append(fake.counted)
        return await fetch(page)

    pager = AsyncPager(fetch_after_count, count_pages=fake.count, concurrency=4)
    assert pager.total_pages is None
    assert await pager.collect() == fake.all_items()
    assert fake.counted == 1
    assert set(counted_before_first_fetch) == {1}
    assert pager.total_pages == 25


async def test_first_page_path() -> None:
    """With no count given, page 1 is fetched alone first, once, and its count is used."""
    fake = FakePages(12)
    pager = AsyncPager(fake.fetch, concurrency=4)
    assert await pager.collect() == fake.all_items()
    assert fake.requested[0] == 1
    assert fake.requested.count(1) == 1
    assert fake.completed[0] == 1  # nothing else was requested before page 1 answered
    assert sorted(fake.requested) == list(range(1, 13))


async def test_known_total_path() -> None:
    """With total_pages given, exactly those pages are fetched, once each, and nothing else."""
    fake = FakePages(20)
    assert await AsyncPager(fake.fetch, total_pages=7, concurrency=3).collect() == fake.all_items(
        1, 7
    )
    assert sorted(fake.requested) == list(range(1, 8))
    assert fake.counted == 0


async def test_unknown_total_fetches_until_empty_page() -> None:
    """When no response carries a count, pages are fetched until the first empty one."""
    fake = FakePages(7, report_total=False)
    assert await AsyncPager(fake.fetch, concurrency=4).collect() == fake.all_items()
    assert max(fake.requested) <= 8 + 3
    assert not other_tasks()


async def test_start_page() -> None:
    """start_page skips the pages before it."""
    fake = FakePages(10)
    numbers = [page.number async for page in AsyncPager(fake.fetch, start_page=4).pages()]
    assert numbers == list(range(4, 11))
    assert min(fake.requested) == 4


@pytest.mark.parametrize("how", ["known", "count", "first_page"])
async def test_zero_pages_yield_nothing(how: str) -> None:
    """An empty collection yields no items and no pages, however its count is learned."""
    fake = FakePages(0)
    choices: dict[str, dict[str, Any]] = {
        "known": {"total_pages": 0},
        "count": {"count_pages": fake.count},
        "first_page": {},
    }
    kwargs = choices[how]
    pager = AsyncPager(fake.fetch, **kwargs)
    assert [page async for page in pager.pages()] == []
    assert fake.requested == ([1] if how == "first_page" else [])


async def test_await_gives_first_page_and_is_reused() -> None:
    """`await pager` returns page 1 as a Page, and iterating afterwards does not refetch it."""
    fake = FakePages(5)
    pager = AsyncPager(fake.fetch, concurrency=2)
    first = await pager
    assert first == Page(number=1, items=fake.items_of(1), total_pages=5)
    assert fake.requested == [1]
    assert await pager.collect() == fake.all_items()
    assert fake.requested.count(1) == 1


async def test_pages_yields_numbered_pages() -> None:
    """pages() yields Page objects numbered in order with each page's items."""
    fake = FakePages(6, latency=random_latency(3))
    pages = [page async for page in AsyncPager(fake.fetch, total_pages=6).pages()]
    assert [page.number for page in pages] == [1, 2, 3, 4, 5, 6]
    assert [list(page.items) for page in pages] == [fake.items_of(n) for n in range(1, 7)]


async def test_single_use() -> None:
    """A second iteration of the same pager raises a clear RuntimeError."""
    fake = FakePages(2)
    pager = AsyncPager(fake.fetch, total_pages=2)
    await pager.collect()
    with pytest.raises(RuntimeError, match="single-use"):
        pager.pages()
    with pytest.raises(RuntimeError, match="single-use"):
        await pager.collect()


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"concurrency": 0}, "concurrency"),
        ({"concurrency": -3}, "concurrency"),
        ({"concurrency": True}, "concurrency"),
        ({"start_page": 0}, "start_page"),
        ({"total_pages": -1}, "total_pages"),
        ({"total_pages": 3, "count_pages": FakePages(1).count}, "count_pages"),
    ],
)
async def test_bad_arguments_rejected_before_io(kwargs: dict[str, Any], argument: str) -> None:
    """Invalid constructor arguments raise RequestValidationError naming them, with no fetch."""
    fake = FakePages(3)
    with pytest.raises(RequestValidationError) as raised:
        AsyncPager(fake.fetch, **kwargs)
    assert raised.value.argument == argument
    assert fake.requested == []


class RawPages(FakePages):
    """FakePages split in two: ``fetch_raw`` is the exchange, ``decode`` builds the result."""

    def __init__(self, pages: int, **kwargs: Any) -> None:
        super().__init__(pages, **kwargs)
        self.decoded: list[int] = []
        self.requested_before_decode: dict[int, int] = {}
        self.bad_decode: frozenset[int] = frozenset()

    async def fetch_raw(self, page: int) -> tuple[int, PageResult[int]]:
        """The HTTP part: returns the page number with its undecoded result."""
        return page, await self.fetch(page)

    def decode(self, raw: tuple[int, PageResult[int]]) -> PageResult[int]:
        """The decode part, recording how many requests had started when it ran."""
        page, result = raw
        self.requested_before_decode[page] = len(self.requested)
        if page in self.bad_decode:
            raise PageBoom(f"decode {page}")
        self.decoded.append(page)
        return result


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_decode_page_splits_slot_from_window(concurrency: int) -> None:
    """With decode_page: at most `concurrency` fetches in flight, items intact and in order."""
    fake = RawPages(40, latency=random_latency(concurrency))
    pager = AsyncPager(
        fake.fetch_raw, decode_page=fake.decode, total_pages=40, concurrency=concurrency
    )
    assert await pager.collect() == fake.all_items()
    assert fake.max_in_flight == concurrency
    assert sorted(fake.decoded) == list(range(1, 41))


async def test_decode_runs_after_the_next_request_started() -> None:
    """A page is decoded only after the fetch waiting for its slot has sent its request."""
    fake = RawPages(10)
    await AsyncPager(
        fake.fetch_raw, decode_page=fake.decode, total_pages=10, concurrency=1
    ).collect()
    # Page n's slot went to page n + 1 before page n was decoded.
    assert all(fake.requested_before_decode[n] >= n + 1 for n in range(1, 10))


async def test_decode_page_window_is_twice_concurrency() -> None:
    """A consumer stuck on page 1 lets at most 2 x `concurrency` pages be requested."""
    fake = RawPages(100)
    async with AsyncPager(
        fake.fetch_raw, decode_page=fake.decode, total_pages=100, concurrency=3
    ) as pager:
        pages = pager.pages()
        assert (await anext(pages)).number == 1
        await asyncio.sleep(20 * FAST)
        assert sorted(fake.requested) == [1, 2, 3, 4, 5, 6]
        await pages.aclose()


async def test_decode_error_reaches_consumer_in_order() -> None:
    """A page that fails to decode raises after every item of the pages before it."""
    fake = RawPages(20, latency=random_latency(7))
    fake.bad_decode = frozenset({5})
    seen: list[int] = []
    with pytest.raises(PageBoom, match="decode 5"):
        async for item in AsyncPager(
            fake.fetch_raw, decode_page=fake.decode, total_pages=20, concurrency=4
        ):
            seen.append(item)
    assert seen == fake.all_items(1, 4)
    await until_no_other_tasks()


async def test_decode_page_applies_to_awaited_first_page() -> None:
    """`await pager` with decode_page returns the decoded first page."""
    fake = RawPages(3)
    page = await AsyncPager(fake.fetch_raw, decode_page=fake.decode, concurrency=2)
    assert (page.number, list(page.items), fake.decoded) == (1, fake.items_of(1), [1])
