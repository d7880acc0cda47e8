"""Splitting one paged listing between workers: page ranges, shards and their planning.

A pager can be limited to a contiguous block of pages, either given directly
(``pages=range(a, b)``) or as shard ``i`` of ``n`` (``shard=(i, n)``), the ``i``-th block of
:func:`plan_page_ranges` over the page count. Shards of one snapshot never overlap and together
cover every page, so ``n`` workers can each run ``shard=(i, n)`` and export everything once.
"""

from __future__ import annotations

import attrs

from nudgescribe_async._errors import RequestValidationError

__all__ = ["PageSelection", "plan_page_ranges"]


def plan_page_ranges(total_pages: int, parts: int) -> list[range]:
    """Split pages ``1..total_pages`` into ``parts`` contiguous ranges of near-equal size.

    The first ranges get one page more when the pages do not divide evenly; ranges are empty
    when there are more parts than pages, so shard ``i`` of ``parts`` always exists.

    >>> plan_page_ranges(10, 3)
    [range(1, 5), range(5, 8), range(8, 11)]
    >>> plan_page_ranges(1, 2)
    [range(1, 2), range(2, 2)]
    """
    _require_int("total_pages", total_pages, 0)
    _require_int("parts", parts, 1)
    size, extra = divmod(total_pages, parts)
    ranges, start = [], 1
    for index in range(parts):
        stop = start + size + (1 if index < extra else 0)
        ranges.append(range(start, stop))
        start = stop
    return ranges


@attrs.frozen
class PageSelection:
    """Which pages one pager covers: an explicit ``range`` or shard ``index`` of ``count``."""

    pages: range | None = None
    shard: tuple[int, int] | None = None

    @classmethod
    def of(cls, pages: range | None, shard: tuple[int, int] | None) -> PageSelection | None:
        """Validate the arguments (``RequestValidationError``); ``None`` when neither is given."""
        if pages is not None and shard is not None:
            raise RequestValidationError("shard", "pass pages or shard, not both")
        if pages is not None:
            if not isinstance(pages, range) or pages.step != 1 or pages.start < 1:
                raise RequestValidationError(
                    "pages", f"must be a range of 1-based page numbers with step 1: {pages!r}"
                )
            return cls(pages=pages)
        if shard is not None:
            if (
                not isinstance(shard, tuple)
                or len(shard) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) for v in shard)
                or not 0 <= shard[0] < shard[1]
            ):
                raise RequestValidationError(
                    "shard", f"must be (index, count) with 0 <= index < count: {shard!r}"
                )
            return cls(shard=shard)
        return None

    @property
    def start(self) -> int | None:
        """The first page, when known before the page count is (explicit ranges only)."""
        return self.pages.start if self.pages is not None else None

    def bounds(self, last_page: int | None) -> tuple[int, int | None]:
        """``(first, last)`` page numbers to fetch, given the listing's ``last_page``."""
        if self.pages is not None:
            last = self.pages.stop - 1
            return self.pages.start, last if last_page is None else min(last, last_page)
        assert self.shard is not None
        if last_page is None:
            raise RequestValidationError("shard", "needs a known page count, and none was sent")
        block = plan_page_ranges(last_page, self.shard[1])[self.shard[0]]
        return block.start, block.stop - 1


def _require_int(argument: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RequestValidationError(argument, f"must be an integer >= {minimum}, got {value!r}")
