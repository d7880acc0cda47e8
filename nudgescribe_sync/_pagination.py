"""Pager: the blocking twin of AsyncPager, pulling whole pages across the portal.

Each step of an iteration crosses to the portal loop once and brings back the next page plus
every later page already fetched (up to ``concurrency`` pages), so the cost of the thread hop
is paid per batch of pages, never per item; a batch is held in the caller's thread on top of
the async pager's window while its items are consumed. The async pager keeps
fetching up to ``concurrency`` pages on the loop while the caller's thread works through the
items it already has.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Iterator
from typing import Generic, TypeVar

from nudgescribe_async.types import AdaptiveLimiter, AsyncPager, Page
from nudgescribe_sync._forward import Runner

__all__ = ["Pager"]

T = TypeVar("T")


class Pager(Generic[T]):
    """Iterate the items of numbered pages; the same methods as ``AsyncPager``, blocking.

    ::

        pager = client.customers.list(group_id, concurrency=8)
        for customer in pager:                # items, strictly in page order
            ...
        for page in pager.pages():            # Page objects: .number, .items, .total_pages
            ...
        everything = pager.collect()          # list of all items
        first = pager.first_page()            # the twin of ``await pager``

    A pager is single-use, like the async one. Breaking out of a ``for`` loop, :meth:`close`
    or leaving ``with pager:`` cancels the fetches still in flight on the portal loop and
    waits for them.
    """

    def __init__(self, pager: AsyncPager[T], run: Runner) -> None:
        """Wrap ``pager``; ``run`` executes one coroutine function on the pager's loop."""
        self._async = pager
        self._run = run
        self._open: list[AsyncGenerator[Page[T], None]] = []

    @property
    def concurrency(self) -> int:
        """The most page fetches this pager keeps at once."""
        return self._async.concurrency

    @property
    def total_pages(self) -> int | None:
        """The number of the last page this pager will fetch, or ``None`` while unknown."""
        return self._async.total_pages

    @property
    def limiter(self) -> AdaptiveLimiter | None:
        """The adaptive limiter of a ``concurrency="auto"`` pager, else ``None``."""
        return self._async.limiter

    def __iter__(self) -> Iterator[T]:
        """Claim the pager and iterate its items in page order."""
        return self._items(self._async.pages())

    def pages(self) -> Iterator[Page[T]]:
        """Claim the pager and iterate its non-empty pages, as ``Page``, in page order."""
        return self._pages(self._async.pages())

    def collect(self) -> list[T]:
        """Claim the pager and return every item, in page order, as one list.

        The whole iteration runs on the portal loop in a single call.
        """
        return self._run(self._async.collect)

    def first_page(self) -> Page[T]:
        """The ``Page`` numbered ``start_page``, fetched once and cached (``await pager``)."""
        pager = self._async

        async def first() -> Page[T]:
            return await pager

        return self._run(first)

    def close(self) -> None:
        """Stop the iteration: cancel the fetches in flight and wait for them. Idempotent."""
        open_iterations, self._open = self._open, []
        for pages in open_iterations:
            self._close_quietly(pages)
        with contextlib.suppress(RuntimeError):  # the client is closed: nothing is running
            self._run(self._async.aclose)

    def __enter__(self) -> Pager[T]:
        """Return the pager itself; leaving the block calls :meth:`close`."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the pager, whatever ended the block."""
        self.close()

    def __repr__(self) -> str:
        """Show the configuration, not the fetched data."""
        return f"Pager(total_pages={self.total_pages}, concurrency={self.concurrency})"

    def _close_quietly(self, pages: AsyncGenerator[Page[T], None]) -> None:
        # This can run from a garbage-collected generator, where raising helps no one: if the
        # client is already closed (or this is its own loop thread), the loop's shutdown and
        # async-generator hooks finalize ``pages`` instead.
        with contextlib.suppress(RuntimeError):
            self._run(pages.aclose)

    def _items(self, pages: AsyncGenerator[Page[T], None]) -> Iterator[T]:
        for page in self._pages(pages):
            yield from page.items

    def _pages(self, pages: AsyncGenerator[Page[T], None]) -> Iterator[Page[T]]:
        # The async generator is made here but first stepped on the portal loop, so it
        # registers with that loop's async-generator hooks, never with the caller's.
        self._open.append(pages)
        pager, limit = self._async, self._async.concurrency
        try:
            done = False
            while not done:
                batch, done = self._run(lambda: _next_pages(pager, pages, limit))
                yield from batch
        finally:
            # Runs on break (the generator is closed when dropped), on errors and at the end.
            if pages in self._open:
                self._open.remove(pages)
                self._close_quietly(pages)


async def _next_pages(
    pager: AsyncPager[T], pages: AsyncGenerator[Page[T], None], limit: int
) -> tuple[list[Page[T]], bool]:
    """The next page, plus up to ``limit - 1`` more already fetched; True once at the end.

    One crossing brings back every page that needs no waiting, so small pages do not pay a
    thread hop each. StopAsyncIteration must not cross the portal: the flag marks the end.
    """
    batch: list[Page[T]] = []
    try:
        batch.append(await pages.__anext__())
        while len(batch) < limit and pager._next_page_ready():
            batch.append(await pages.__anext__())
    except StopAsyncIteration:
        return batch, True
    return batch, False
