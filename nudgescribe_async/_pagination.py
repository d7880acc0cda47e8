"""Concurrent, ordered, cancellable iteration over 1-based numbered pages.

A resource builds an :class:`AsyncPager` from a coroutine function that fetches one page by
number; the pager fetches up to ``concurrency`` pages at once, hands items out strictly in page
order, and never runs ahead of its consumer by more than ``concurrency`` pages. Nothing here
knows about HTTP: the fetcher owns the request, its retries and the decoding.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterator, Sequence
from typing import Any, Generic, Literal, TypeVar, overload

import attrs

from nudgescribe_async._adaptive import AdaptiveLimiter, limited
from nudgescribe_async._errors import RequestValidationError, ResponseDecodeError
from nudgescribe_async._sharding import PageSelection

__all__ = ["DEFAULT_CONCURRENCY", "AsyncPager", "Page", "PageResult"]

T = TypeVar("T")
R = TypeVar("R")

#: Pages in flight when the caller does not say.
DEFAULT_CONCURRENCY = 8


@attrs.frozen
class PageResult(Generic[T]):
    """What a page fetcher returns: one page's items and the page count sent with them.

    ``total_pages`` is ``None`` when the response does not carry a count (e.g. exported
    message files); the pager then relies on the count it learned at the start.

    >>> PageResult(items=["a", "b"], total_pages=3)
    PageResult(items=['a', 'b'], total_pages=3)
    """

    items: Sequence[T]
    total_pages: int | None = None
    #: The page number the response says it is, when it says one: a different number than
    #: the one asked for raises ``ResponseDecodeError`` instead of repeating or losing items.
    number: int | None = None


@attrs.frozen
class Page(Generic[T]):
    """One page as the pager hands it out.

    ``number`` is the 1-based page number, ``items`` the page's items in server order and
    ``total_pages`` the count that page's response reported (``None`` if it reported none).
    """

    number: int
    items: Sequence[T]
    total_pages: int | None = None

    def __iter__(self) -> Iterator[T]:
        """Iterate the page's items (like the page models, e.g. ``CustomerPage``)."""
        return iter(self.items)

    def __len__(self) -> int:
        """The number of items on the page."""
        return len(self.items)

    def __getitem__(self, index: int) -> T:
        """The item at ``index``."""
        return self.items[index]


class AsyncPager(Generic[T]):
    """Iterate the items of numbered pages, fetching up to ``concurrency`` pages at once.

    Construct it from ``fetch_page(number) -> PageResult[T]`` plus at most one way to learn the
    page count: ``total_pages`` (known up front) or ``count_pages()`` (a count endpoint). With
    neither, page ``start_page`` is fetched first and its ``total_pages`` is used (its items are
    not fetched twice)::

        pager = AsyncPager(fetch, count_pages=count, concurrency=8)
        async for customer in pager:          # items, strictly in page order
            ...
        async for page in pager.pages():      # Page objects: .number, .items, .total_pages
            ...
        everything = await pager.collect()    # list of all items
        first = await pager                   # Page of start_page only (no iteration)

    Concurrency and memory: at most ``concurrency`` fetches exist at any time, counting both
    requests in flight and pages fetched but not yet handed out; the next one is scheduled
    only when the consumer asks for the next page. A slow consumer therefore holds the pager
    at ``concurrency`` pages however many pages there are.

    Split fetching and decoding: with ``decode_page``, ``fetch_page(number)`` does only the
    HTTP exchange and returns the raw answer, and ``decode_page(raw)`` builds the
    :class:`PageResult`. At most ``concurrency`` fetches are then in flight, and a page is
    decoded after its fetch gave that slot back, so decoding one page never holds up the
    next request. The window of pages held (in flight, waiting for a slot, or fetched and not
    yet handed out) is ``2 * concurrency``: that bounds memory, and is also how many pages an
    early ``break`` may already have fetched.

    Page count rules (snapshot semantics):

    * The count learned at the start is the snapshot; :attr:`total_pages` exposes it.
    * If a page's response reports a *smaller* count (items were deleted), the snapshot
      shrinks to it: no page beyond it is requested, and fetches beyond it that are already
      in flight are cancelled and their pages dropped.
    * A *larger* reported count is ignored: pages beyond the snapshot are never requested.
      Make a new pager to see them. So a stale count never produces duplicate pages.
    * An empty page ends the iteration, even before the snapshot's end (items were deleted);
      a short final page is fine. Empty pages are never handed out by :meth:`pages`. But an
      empty page whose own response still reports at least its number of pages, or a page
      whose response names another page number, raises ``ResponseDecodeError``: the items
      would otherwise be lost or repeated in silence.
    * A page that carries items is always handed out, even if its own response reports a
      count below its number; iteration stops after it.
    * If no count is ever known (the responses carry none), pages are fetched until the first
      empty one; the up to ``concurrency - 1`` fetches already sent past it are cancelled.

    Errors: if fetching page *k* fails, its exception reaches the consumer after every item of
    the pages before *k*, and every other fetch still in flight is cancelled first.

    Adaptive concurrency: ``concurrency="auto"`` lets an :class:`AdaptiveLimiter` (AIMD: shrink
    on 429, grow while latency holds) decide how many requests are in flight; pass the
    client's ``limiter`` so that every auto pager of one client shares one limit. The pager
    then keeps twice the current limit of pages scheduled.

    Splitting one listing between workers: ``pages=range(a, b)`` limits the pager to pages
    ``a .. b-1`` (and to the page count), ``shard=(i, n)`` to the ``i``-th of ``n`` contiguous
    blocks that :func:`~nudgescribe_async.plan_page_ranges` makes of the page count. Shards of
    one count never overlap and together cover every page. (``await pager`` still returns page
    ``start_page``, or ``a`` with ``pages``.)

    Lifetime: a pager is single-use. The first of ``async for``, :meth:`pages` or
    :meth:`collect` claims it; starting a second iteration raises ``RuntimeError``. Breaking
    out of the loop, the consumer being cancelled, :meth:`aclose`, or leaving
    ``async with pager:`` cancels the fetches in flight and waits for them to finish, so no
    task or exception is leaked. (After a bare ``break`` the event loop closes the abandoned
    iterator one or two loop turns later; use ``async with pager:`` for an immediate close.)
    ``await pager`` does not claim the pager: it fetches ``start_page`` once and caches it,
    and a later iteration reuses that page instead of fetching it again.
    """

    @overload
    def __init__(
        self,
        fetch_page: Callable[[int], Awaitable[PageResult[T]]],
        *,
        total_pages: int | None = ...,
        count_pages: Callable[[], Awaitable[int]] | None = ...,
        concurrency: int | Literal["auto"] = ...,
        start_page: int = ...,
        decode_page: None = ...,
        pages: range | None = ...,
        shard: tuple[int, int] | None = ...,
        limiter: AdaptiveLimiter | None = ...,
    ) -> None: ...

    @overload
    def __init__(
        self,
        fetch_page: Callable[[int], Awaitable[R]],
        *,
        total_pages: int | None = ...,
        count_pages: Callable[[], Awaitable[int]] | None = ...,
        concurrency: int | Literal["auto"] = ...,
        start_page: int = ...,
        decode_page: Callable[[R], PageResult[T]],
        pages: range | None = ...,
        shard: tuple[int, int] | None = ...,
        limiter: AdaptiveLimiter | None = ...,
    ) -> None: ...

    def __init__(
        self,
        fetch_page: Callable[[int], Awaitable[Any]],
        *,
        total_pages: int | None = None,
        count_pages: Callable[[], Awaitable[int]] | None = None,
        concurrency: int | Literal["auto"] = DEFAULT_CONCURRENCY,
        start_page: int = 1,
        decode_page: Callable[[Any], PageResult[T]] | None = None,
        pages: range | None = None,
        shard: tuple[int, int] | None = None,
        limiter: AdaptiveLimiter | None = None,
    ) -> None:
        """Check the arguments (raising ``RequestValidationError``); no I/O happens here."""
        self._limiter: AdaptiveLimiter | None = None
        width: object = concurrency
        if concurrency == "auto":
            self._limiter = limiter if limiter is not None else AdaptiveLimiter()
            fetch_page = limited(fetch_page, self._limiter)
            width = math.ceil(self._limiter.maximum)
        self._selection = PageSelection.of(pages, shard)
        if self._selection is not None and start_page != 1:
            raise RequestValidationError("start_page", "pass start_page or pages/shard, not both")
        if self._selection is not None and self._selection.start is not None:
            start_page = self._selection.start
        _require_int_at_least("concurrency", width, 1)
        assert isinstance(width, int)
        _require_int_at_least("start_page", start_page, 1)
        if total_pages is not None:
            _require_int_at_least("total_pages", total_pages, 0)
            if count_pages is not None:
                raise RequestValidationError(
                    "count_pages", "pass total_pages or count_pages, not both"
                )
        self._fetch_page = fetch_page
        self._decode_page = decode_page
        self._known_total = total_pages
        self._count_pages = count_pages
        self._concurrency = width
        self._start_page = start_page
        self._first: PageResult[T] | None = None
        self._window: _PageWindow[T] | None = None
        self._claimed = False
        self._closed = False

    @property
    def concurrency(self) -> int:
        """The most page fetches this pager keeps at once (with ``"auto"``: the limit now)."""
        if self._limiter is not None:
            return math.floor(self._limiter.limit)
        return self._concurrency

    @property
    def limiter(self) -> AdaptiveLimiter | None:
        """The adaptive limiter of a ``concurrency="auto"`` pager, else ``None``."""
        return self._limiter

    @property
    def total_pages(self) -> int | None:
        """The number of the last page this pager will fetch, or ``None`` while unknown.

        Known from the start when ``total_pages`` was passed; otherwise learned when iteration
        starts, and lowered if a later page reports fewer pages.
        """
        if self._window is not None:
            return self._window.last_page
        return self._known_total

    def __aiter__(self) -> AsyncGenerator[T, None]:
        """Claim the pager and iterate its items in page order."""
        self._claim()
        return self._iterate_items()

    def pages(self) -> AsyncGenerator[Page[T], None]:
        """Claim the pager and iterate its non-empty pages, as :class:`Page`, in page order."""
        self._claim()
        return self._iterate_pages()

    async def collect(self) -> list[T]:
        """Claim the pager and return every item, in page order, as one list."""
        return [item async for item in self]

    def __await__(self) -> Generator[Any, None, Page[T]]:
        """``await pager`` returns the :class:`Page` numbered ``start_page``."""
        return self._first_page().__await__()

    async def aclose(self) -> None:
        """Stop the iteration: cancel the fetches in flight and wait for them. Idempotent."""
        self._closed = True
        if self._window is not None:
            await self._window.aclose()

    async def __aenter__(self) -> AsyncPager[T]:
        """Return the pager itself; leaving the block calls :meth:`aclose`."""
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Close the pager, whatever ended the block."""
        await self.aclose()

    def __repr__(self) -> str:
        """Show the configuration, not the fetched data."""
        return (
            f"AsyncPager(start_page={self._start_page}, total_pages={self.total_pages}, "
            f"concurrency={self._concurrency})"
        )

    def _claim(self) -> None:
        if self._claimed or self._closed:
            raise RuntimeError(
                "this AsyncPager was already iterated or closed; a pager is single-use, "
                "so call the list method again for a fresh one"
            )
        self._claimed = True

    async def _first_page(self) -> Page[T]:
        if self._first is None:
            if self._decode_page is None:
                self._first = await self._fetch_page(self._start_page)
            else:
                raw = [await self._fetch_page(self._start_page)]
                self._first = _decoded(self._decode_page, raw)
        return Page(self._start_page, self._first.items, self._first.total_pages)

    async def _learn_last_page(self) -> int | None:
        if self._known_total is not None:
            return self._known_total
        if self._count_pages is not None:
            return max(0, await self._count_pages())
        await self._first_page()
        assert self._first is not None
        return self._first.total_pages

    async def _iterate_pages(self) -> AsyncGenerator[Page[T], None]:
        last_page = await self._learn_last_page()
        first_number = self._start_page
        if self._selection is not None:
            first_number, last_page = self._selection.bounds(last_page)
        # The page fetched to learn the count is reused only if it is where this pager starts.
        prefetched = self._first if first_number == self._start_page else None
        window = _PageWindow(
            self._fetch_page,
            self._decode_page,
            self._concurrency,
            first_number,
            last_page,
            prefetched,
            self._limiter,
        )
        self._window = window
        try:
            # _closed is re-read each turn: aclose() may run in another task meanwhile.
            while not self._closed and (page := await window.next_page()) is not None:
                yield page
        finally:
            await window.aclose()

    def _next_page_ready(self) -> bool:
        """Whether the iteration's next page is fetched and good: no wait to hand it out.

        The sync ``Pager`` uses this to bring back every page already fetched in one thread
        crossing instead of one crossing per page.
        """
        return not self._closed and self._window is not None and self._window.head_ready()

    async def _iterate_items(self) -> AsyncGenerator[T, None]:
        async with contextlib.aclosing(self._iterate_pages()) as pages:
            async for page in pages:
                for item in page.items:
                    yield item


class _PageWindow(Generic[T]):
    """The sliding window of page fetches behind one iteration, oldest page first.

    Its owner must call :meth:`aclose` when done, also on error or cancellation.
    """

    def __init__(
        self,
        fetch_page: Callable[[int], Awaitable[Any]],
        decode_page: Callable[[Any], PageResult[T]] | None,
        concurrency: int,
        first_number: int,
        last_page: int | None,
        prefetched: PageResult[T] | None,
        limiter: AdaptiveLimiter | None = None,
    ) -> None:
        self._fetch_page = fetch_page
        self._limiter = limiter
        self._decode_page = decode_page
        # Without a decode step a slot is held until its page is handed out; with one, the
        # HTTP slots are separate and the window of pages held is twice as wide.
        self._http_slots = asyncio.Semaphore(concurrency)
        self._concurrency = concurrency if decode_page is None else 2 * concurrency
        self._next_number = first_number
        self.last_page = last_page
        self._slots: deque[tuple[int, asyncio.Future[PageResult[T]]]] = deque()
        self._dropped: list[asyncio.Future[PageResult[T]]] = []
        self._closed = False
        if prefetched is not None and self._in_range(first_number):
            self._slots.append((first_number, _resolved(prefetched)))
            self._next_number += 1

    async def next_page(self) -> Page[T] | None:
        """Return the next non-empty page in order, or ``None`` when the iteration is over."""
        self._fill()
        if self._closed or not self._slots:
            await self.aclose()
            return None
        number, head = self._slots[0]
        if not head.done():
            # wait() rather than `await head`: when aclose() runs in another task, the head is
            # cancelled, and that must end this iteration quietly, not raise CancelledError.
            await asyncio.wait((head,))
        if self._was_closed():
            return None
        self._slots.popleft()
        page = self._accept(number, head.result())  # a failed fetch raises here
        if page is None:
            await self.aclose()
        return page

    def head_ready(self) -> bool:
        """Whether the oldest fetch has finished with a page (not failed, not cancelled)."""
        if self._closed or not self._slots:
            return False
        head = self._slots[0][1]
        return head.done() and not head.cancelled() and head.exception() is None

    async def aclose(self) -> None:
        """Cancel every fetch this window still holds and wait until they have finished."""
        self._closed = True
        abandoned = [future for _, future in self._slots] + self._dropped
        self._slots.clear()
        self._dropped = []
        for future in abandoned:
            _abandon(future)
        if abandoned:
            await asyncio.wait(abandoned)

    def _was_closed(self) -> bool:
        # A method, not the bare attribute, so mypy does not keep a pre-await narrowing.
        return self._closed

    def _in_range(self, number: int) -> bool:
        return self.last_page is None or number <= self.last_page

    def _fill(self) -> None:
        # Scheduling only here, when the consumer asks for a page, is the backpressure.
        while (
            not self._closed
            and len(self._slots) < self._width()
            and self._in_range(self._next_number)
        ):
            number = self._next_number
            task = asyncio.ensure_future(
                self._fetch_page(number) if self._decode_page is None else self._fetch(number)
            )
            self._slots.append((number, task))
            self._next_number += 1

    def _width(self) -> int:
        # Adaptive: twice the current limit, so answers keep coming while pages are decoded.
        if self._limiter is not None:
            return self._limiter.window()
        return self._concurrency

    async def _fetch(self, number: int) -> PageResult[T]:
        assert self._decode_page is not None
        async with self._http_slots:
            raw = [await self._fetch_page(number)]
        # One loop turn first, so a fetch waiting for the slot just freed sends its request
        # before this page's decoding takes the CPU.
        await asyncio.sleep(0)
        return _decoded(self._decode_page, raw)

    def _accept(self, number: int, result: PageResult[T]) -> Page[T] | None:
        reported = result.total_pages
        if result.number is not None and result.number != number:
            raise ResponseDecodeError(
                f"asked for page {number}, got page {result.number}: its items would be "
                "repeated or lost",
                path="$.page",
            )
        if not result.items and reported is not None and number <= reported:
            raise ResponseDecodeError(
                f"page {number} is empty although its response reports {reported} pages: "
                "the remaining items would be lost",
                path="$",
            )
        if reported is not None and (self.last_page is None or reported < self.last_page):
            self._shrink_to(max(reported, 0))
        if not result.items:
            return None
        return Page(number, result.items, reported)

    def _shrink_to(self, last_page: int) -> None:
        self.last_page = last_page
        while self._slots and self._slots[-1][0] > last_page:
            _, future = self._slots.pop()
            _abandon(future)
            self._dropped.append(future)  # still awaited by aclose()


def _resolved(result: PageResult[T]) -> asyncio.Future[PageResult[T]]:
    future: asyncio.Future[PageResult[T]] = asyncio.get_running_loop().create_future()
    future.set_result(result)
    return future


def _abandon(future: asyncio.Future[Any]) -> None:
    # The callback marks a late exception as retrieved, so nothing logs
    # "Task exception was never retrieved" even if our own wait is interrupted.
    future.cancel()
    future.add_done_callback(_retrieve_outcome)


def _retrieve_outcome(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _require_int_at_least(argument: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RequestValidationError(argument, f"must be an integer >= {minimum}, got {value!r}")


def _decoded(decode_page: Callable[[Any], PageResult[T]], raw: list[Any]) -> PageResult[T]:
    """``decode_page`` of the one answer in ``raw``, which is emptied first.

    The decoder's frames hold the body as received (a server may echo credentials): on a
    ResponseDecodeError they are dropped, so a traceback that captures locals does not show it.
    """
    try:
        return decode_page(raw.pop())
    except ResponseDecodeError as exc:
        raise exc.with_traceback(None)  # noqa: B904 (the same exception, re-raised)
