"""Pager: the sync twins of tests/test_pagination.py, driving AsyncPager across a portal."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

from nudgescribe_async._pagination import AsyncPager, Page
from nudgescribe_sync import Pager
from nudgescribe_sync._portal import Portal
from tests._support.fake_pages import SLOW, FakePages, PageBoom, random_latency

T = TypeVar("T")


class CountingPortal:
    """A portal that counts its hops, so tests can prove pages (not items) cross threads."""

    def __init__(self) -> None:
        self.portal = Portal("pager-test")
        self.portal.start()
        self.hops = 0

    def __call__(self, call: Callable[[], Awaitable[T]]) -> T:
        self.hops += 1
        return self.portal.call(call)

    def live_tasks(self) -> int:
        """Tasks on the portal loop besides the portal's own and the one asking."""

        async def count() -> int:
            current = asyncio.current_task()
            return sum(1 for t in asyncio.all_tasks() if t is not current and not t.done())

        return self.portal.call(count)


@pytest.fixture
def run() -> Iterator[CountingPortal]:
    """A started counting portal, stopped after the test."""
    portal = CountingPortal()
    try:
        yield portal
    finally:
        portal.portal.stop()


def make_pager(run: CountingPortal, fake: FakePages, **options: Any) -> Pager[int]:
    """A Pager over ``fake``'s pages with the count taken from the first page by default."""
    return Pager(AsyncPager(fake.fetch, **options), run)


@pytest.mark.parametrize("concurrency", [1, 3, 8])
def test_every_item_once_in_page_order(run: CountingPortal, concurrency: int) -> None:
    """All items of 60 pages come out once, in order, though pages complete out of order."""
    fake = FakePages(60, latency=random_latency(60))
    assert list(make_pager(run, fake, concurrency=concurrency)) == fake.all_items()


def test_one_portal_hop_per_page_not_per_item(run: CountingPortal) -> None:
    """Iterating items crosses the thread once per page (plus the end), never per item."""
    fake = FakePages(10)
    items = list(make_pager(run, fake, total_pages=10))
    assert len(items) == 30
    assert run.hops <= 10 + 2


def test_pages_already_fetched_cross_in_one_hop(run: CountingPortal) -> None:
    """Pages fetched while the consumer was busy come back together: far fewer hops than pages."""
    fake = FakePages(40, latency=lambda page: 0.0)
    seen: list[int] = []
    for page in make_pager(run, fake, total_pages=40, concurrency=8).pages():
        seen.append(page.number)
        if page.number == 1:
            time.sleep(0.05)  # the window fills meanwhile
    assert seen == list(range(1, 41))
    assert run.hops <= 40 // 2


def test_batch_stops_before_a_failed_page(run: CountingPortal) -> None:
    """A failed page is not batched: the pages before it arrive, then its error."""
    fake = FakePages(20, latency=lambda page: 0.0, fail_on=frozenset({6}))
    items: list[int] = []
    with pytest.raises(PageBoom):
        for item in make_pager(run, fake, total_pages=20, concurrency=8):
            items.append(item)
    assert items == fake.all_items(1, 5)


def test_in_flight_never_exceeds_concurrency(run: CountingPortal) -> None:
    """The fetcher sees at most `concurrency` requests at once while a sync consumer reads."""
    fake = FakePages(40, latency=random_latency(40))
    list(make_pager(run, fake, concurrency=4))
    assert fake.max_in_flight <= 4


def test_break_cancels_in_flight_fetches(run: CountingPortal) -> None:
    """Breaking out of a for loop cancels the fetches still in flight and leaves no task."""
    fake = FakePages(50, latency=lambda page: 0.001 if page == 1 else SLOW)
    before = run.live_tasks()
    for item in make_pager(run, fake, total_pages=50, concurrency=4):
        if item == 1:
            break
    assert sorted(fake.cancelled) == [2, 3, 4]
    assert run.live_tasks() == before


def test_with_block_and_close(run: CountingPortal) -> None:
    """Leaving `with pager:` closes it; a closed pager cannot be iterated again."""
    fake = FakePages(50, latency=lambda page: 0.001 if page == 1 else SLOW)
    with make_pager(run, fake, total_pages=50, concurrency=3) as pager:
        pages = pager.pages()
        assert next(pages).number == 1
    assert sorted(fake.cancelled) == [2, 3]
    with pytest.raises(RuntimeError, match="single-use"):
        list(pager)
    pager.close()  # idempotent


def test_error_after_earlier_pages(run: CountingPortal) -> None:
    """A failing page raises after every item of the pages before it, in the caller's thread."""
    fake = FakePages(10, fail_on=frozenset({4}))
    seen: list[int] = []
    with pytest.raises(PageBoom):
        for item in make_pager(run, fake, total_pages=10, concurrency=3):
            seen.append(item)
    assert seen == fake.all_items(1, 3)


def test_pages_yields_numbered_pages(run: CountingPortal) -> None:
    """pages() yields Page objects numbered in order with each page's items."""
    fake = FakePages(5)
    pages = list(make_pager(run, fake).pages())
    assert [p.number for p in pages] == [1, 2, 3, 4, 5]
    assert all(isinstance(p, Page) for p in pages)
    assert pages[2].items == fake.items_of(3)


def test_collect_is_one_hop(run: CountingPortal) -> None:
    """collect() returns every item in order in a single portal call."""
    fake = FakePages(20, latency=random_latency(20))
    assert make_pager(run, fake, concurrency=5).collect() == fake.all_items()
    assert run.hops == 1


def test_first_page_is_reused(run: CountingPortal) -> None:
    """first_page() returns page 1, and iterating afterwards does not fetch it again."""
    fake = FakePages(3)
    pager = make_pager(run, fake)
    first = pager.first_page()
    assert (first.number, list(first.items)) == (1, fake.items_of(1))
    assert list(pager) == fake.all_items()
    assert fake.requested.count(1) == 1


@pytest.mark.parametrize("how", ["total", "first_page"])
def test_zero_pages_yield_nothing(run: CountingPortal, how: str) -> None:
    """An empty collection yields no items and no pages."""
    fake = FakePages(0)
    options = {"total_pages": 0} if how == "total" else {}
    assert list(make_pager(run, fake, **options)) == []


def test_single_use(run: CountingPortal) -> None:
    """A second iteration of the same pager raises a clear RuntimeError."""
    pager = make_pager(run, FakePages(2))
    list(pager)
    with pytest.raises(RuntimeError, match="single-use"):
        pager.collect()


def test_properties_and_repr(run: CountingPortal) -> None:
    """concurrency and total_pages read through to the async pager; repr shows no data."""
    pager = make_pager(run, FakePages(4), total_pages=4, concurrency=2)
    assert (pager.concurrency, pager.total_pages) == (2, 4)
    assert repr(pager) == "Pager(total_pages=4, concurrency=2)"
