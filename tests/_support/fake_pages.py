"""In-memory page fetchers with latency, failures and counters, driving the pagers under test."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

from nudgescribe_async._pagination import PageResult

PAGE_SIZE = 3
FAST = 0.001
SLOW = 5.0  # never waited out: fetches this slow only end by being cancelled


class PageBoom(Exception):
    """The fake fetcher's failure for one page."""


class FakePages:
    """A server-side list of pages with latency, counters and an adjustable page count."""

    def __init__(
        self,
        pages: int,
        *,
        latency: Callable[[int], float] = lambda page: FAST,
        fail_on: frozenset[int] = frozenset(),
        report_total: bool = True,
    ) -> None:
        self.pages = pages
        self.latency = latency
        self.fail_on = fail_on
        self.report_total = report_total
        self.requested: list[int] = []
        self.completed: list[int] = []
        self.finished: list[int] = []
        self.cancelled: list[int] = []
        self.counted = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.on_serve: Callable[[int], None] = lambda page: None
        self._requests_changed = asyncio.Condition()

    def items_of(self, page: int) -> list[int]:
        """The items the server currently holds on ``page`` (empty beyond the end)."""
        if not 1 <= page <= self.pages:
            return []
        first = (page - 1) * PAGE_SIZE
        return list(range(first, first + PAGE_SIZE))

    def all_items(self, first_page: int = 1, last_page: int | None = None) -> list[int]:
        """Every item of pages first_page..last_page, in order."""
        last = self.pages if last_page is None else last_page
        return [item for page in range(first_page, last + 1) for item in self.items_of(page)]

    async def fetch(self, page: int) -> PageResult[int]:
        """Serve one page after its latency, counting requests in flight."""
        self.requested.append(page)
        async with self._requests_changed:
            self._requests_changed.notify_all()
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.latency(page))
            self.finished.append(page)
            if page in self.fail_on:
                raise PageBoom(page)
            self.on_serve(page)
            self.completed.append(page)
            total = self.pages if self.report_total else None
            return PageResult(items=self.items_of(page), total_pages=total)
        except asyncio.CancelledError:
            self.cancelled.append(page)
            raise
        finally:
            self.in_flight -= 1

    async def wait_for_requests(self, count: int) -> None:
        """Return once at least ``count`` pages have been requested."""
        async with self._requests_changed:
            await self._requests_changed.wait_for(lambda: len(self.requested) >= count)

    async def count(self) -> int:
        """The count endpoint."""
        self.counted += 1
        await asyncio.sleep(FAST)
        return self.pages


def random_latency(seed: int) -> Callable[[int], float]:
    """Per-page latencies of 0-3 ms, fixed per page, so completion order differs from page order."""
    rng = random.Random(seed)
    table: dict[int, float] = {}
    return lambda page: table.setdefault(page, rng.uniform(0.0, 0.003))
