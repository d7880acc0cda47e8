"""Exports that do not fit one process: customers and exported messages as Dask collections.

Needs the ``dask`` extra (``pip install 'nudgescribe[dask]'``: dask with dataframe and
distributed, plus redis-py). The page count (and, for messages without ``run_number``, the
current run) is read once where you build the collection; each partition is one block of pages
(:func:`~nudgescribe_async.plan_page_ranges`) that a worker fetches through its own client, from
that run. A partition that finds the listing changed since (a page reporting another page
count, or pages missing) raises :class:`ListingChangedError` instead of dropping or mixing
rows: build the collection again. With ``redis_url`` every client, here and on the workers, keeps
its tokens in one :class:`~nudgescribe_async.stores.RedisTokenStore`, so the whole cluster
authenticates once::

    from dask.distributed import Client
    from nudgescribe_async.dask import customers_dataframe

    with Client("tcp://scheduler:8786"):
        frame = customers_dataframe("cg_1", redis_url="redis://redis:6379/0",
                                    profile_fields=["email", "tier"])
        frame.to_parquet("s3://bucket/customers/")

Credentials: with ``client_options=None`` the workers read the ``NUDGESCRIBE_*`` environment
variables; anything in ``client_options`` (secrets included) travels with every task to the
scheduler and the workers. ``client_options`` must be picklable (a ``decrypt`` hook too).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import dask.bag
import dask.dataframe
import pandas as pd
from dask.delayed import delayed

from nudgescribe_async._client import AsyncNudgescribe
from nudgescribe_async._contract import EXPORT_COLUMNS, MAX_PAGE_SIZE
from nudgescribe_async._errors import NudgescribeError
from nudgescribe_async._sharding import plan_page_ranges
from nudgescribe_async.stores import RedisTokenStore

__all__ = [
    "ListingChangedError",
    "customers_bag",
    "customers_dataframe",
    "messages_bag",
    "messages_dataframe",
]

_CUSTOMER_COLUMNS = ("customer_id", "unique_value", "created_at", "updated_at")
_TIME_COLUMNS = ("created_at", "updated_at", "published_at")


class ListingChangedError(NudgescribeError):
    """The pages changed between building a collection and computing one of its partitions."""


@attrs.frozen
class _Source:
    """What one partition needs to rebuild a client and fetch its pages on a worker."""

    kind: str  # "customers" or "messages"
    parent_id: str  # customer group or campaign
    client_options: Mapping[str, Any] = attrs.field(repr=False)
    redis_url: str | None = attrs.field(repr=False)
    page_size: int
    run_number: int | None
    concurrency: int
    planned_pages: int = 0  # the page count the partitions were planned from

    def client(self) -> AsyncNudgescribe:
        store = RedisTokenStore.from_url(self.redis_url) if self.redis_url else None
        return AsyncNudgescribe(**self.client_options, token_store=store)

    async def count(self) -> tuple[int, int | None]:
        """The page count now, and the run it belongs to (messages; ``None`` for customers)."""
        async with self.client() as client:
            if self.kind == "customers":
                customers = await client.customers.count_pages(
                    self.parent_id, page_size=self.page_size
                )
                return customers.total_pages, None
            messages = await client.messages.count_pages(self.parent_id, run_number=self.run_number)
            return messages.total_pages, messages.run_number

    async def fetch(self, pages: range) -> list[Any]:
        if not pages:
            return []
        async with self.client() as client:
            if self.kind == "customers":
                pager: Any = client.customers.list(
                    self.parent_id,
                    page_size=self.page_size,
                    pages=pages,
                    concurrency=self.concurrency,
                )
            else:
                pager = client.messages.list(
                    self.parent_id,
                    run_number=self.run_number,
                    pages=pages,
                    concurrency=self.concurrency,
                )
            items: list[Any] = []
            seen = 0
            async for page in pager.pages():
                if page.total_pages is not None and page.total_pages != self.planned_pages:
                    raise self._changed(f"page {page.number} reports {page.total_pages} pages")
                items.extend(page.items)
                seen += 1
            if seen != len(pages):
                raise self._changed(
                    f"{len(pages) - seen} of pages {pages.start}-{pages[-1]} are missing"
                )
            return items

    def _changed(self, what: str) -> ListingChangedError:
        return ListingChangedError(
            f"{self.kind} of {self.parent_id} changed after the collection was planned from "
            f"{self.planned_pages} pages: {what}; build the collection again"
        )


def _run(coroutine: Any) -> Any:
    # Dask runs tasks in worker threads without an event loop; the driver may have one
    # (a notebook), so the count runs in a fresh thread there.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _fetch_items(source: _Source, pages: range) -> list[Any]:
    return list(_run(source.fetch(pages)))


def _plan(
    source: _Source, total_pages: int | None, pages_per_partition: int
) -> tuple[_Source, list[range]]:
    if (
        isinstance(pages_per_partition, bool)
        or not isinstance(pages_per_partition, int)
        or pages_per_partition < 1
    ):
        raise ValueError(f"pages_per_partition must be an int >= 1: {pages_per_partition!r}")
    if total_pages is None or (source.kind == "messages" and source.run_number is None):
        counted, run = _run(source.count())
        total = int(counted) if total_pages is None else total_pages
        if source.kind == "messages" and source.run_number is None:
            source = attrs.evolve(source, run_number=run)  # every partition reads this run
    else:
        total = total_pages
    parts = max(1, math.ceil(total / pages_per_partition))
    return attrs.evolve(source, planned_pages=total), plan_page_ranges(total, parts)


def _bag(source: _Source, total_pages: int | None, pages_per_partition: int) -> dask.bag.Bag:
    source, ranges = _plan(source, total_pages, pages_per_partition)
    fetch = delayed(_fetch_items, pure=True)
    bag: dask.bag.Bag = dask.bag.from_delayed([fetch(source, block) for block in ranges])
    return bag


def _frame(items: list[Any], columns: Sequence[str], profile_fields: Sequence[str]) -> pd.DataFrame:
    rows = []
    for item in items:
        row = {name: getattr(item, name) for name in columns}
        for field in profile_fields:
            row[field] = item.profile.get(field)
        rows.append(row)
    return _typed(pd.DataFrame(rows, columns=[*columns, *profile_fields]))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for name in frame.columns:
        if name in _TIME_COLUMNS:
            frame[name] = pd.to_datetime(frame[name], utc=True)
        elif name == "run_number":
            frame[name] = frame[name].astype("Int64")
        else:
            frame[name] = frame[name].astype("string")
    return frame


def _fetch_frame(
    source: _Source, pages: range, columns: Sequence[str], profile_fields: Sequence[str]
) -> pd.DataFrame:
    return _frame(_fetch_items(source, pages), columns, profile_fields)


def _dataframe(
    source: _Source,
    total_pages: int | None,
    pages_per_partition: int,
    columns: Sequence[str],
    profile_fields: Sequence[str],
) -> dask.dataframe.DataFrame:
    source, ranges = _plan(source, total_pages, pages_per_partition)
    meta = _frame([], columns, profile_fields)
    fetch = delayed(_fetch_frame, pure=True)
    parts = [fetch(source, block, tuple(columns), tuple(profile_fields)) for block in ranges]
    frame: dask.dataframe.DataFrame = dask.dataframe.from_delayed(
        parts, meta=meta, verify_meta=False
    )
    return frame


def customers_bag(
    customer_group_id: str,
    *,
    client_options: Mapping[str, Any] | None = None,
    redis_url: str | None = None,
    page_size: int = MAX_PAGE_SIZE,
    pages_per_partition: int = 10,
    concurrency: int = 4,
    total_pages: int | None = None,
) -> dask.bag.Bag:
    """A bag of :class:`~nudgescribe_async.models.Customer`, one partition per page block.

    Counts the pages now (unless ``total_pages`` is given); nothing else runs until computed.
    """
    source = _Source(
        "customers",
        customer_group_id,
        dict(client_options or {}),
        redis_url,
        page_size,
        None,
        concurrency,
    )
    return _bag(source, total_pages, pages_per_partition)


def customers_dataframe(
    customer_group_id: str,
    *,
    profile_fields: Sequence[str] = (),
    client_options: Mapping[str, Any] | None = None,
    redis_url: str | None = None,
    page_size: int = MAX_PAGE_SIZE,
    pages_per_partition: int = 10,
    concurrency: int = 4,
    total_pages: int | None = None,
) -> dask.dataframe.DataFrame:
    """A dataframe of customers: ``customer_id``, ``unique_value``, ``created_at``,
    ``updated_at`` and one string column per name in ``profile_fields`` (ciphertext unless
    ``client_options`` carries a ``decrypt`` hook)."""
    source = _Source(
        "customers",
        customer_group_id,
        dict(client_options or {}),
        redis_url,
        page_size,
        None,
        concurrency,
    )
    return _dataframe(
        source, total_pages, pages_per_partition, _CUSTOMER_COLUMNS, tuple(profile_fields)
    )


def messages_bag(
    campaign_id: str,
    *,
    run_number: int | None = None,
    client_options: Mapping[str, Any] | None = None,
    redis_url: str | None = None,
    files_per_partition: int = 10,
    concurrency: int = 4,
    total_pages: int | None = None,
) -> dask.bag.Bag:
    """A bag of :class:`~nudgescribe_async.models.ExportedMessage` of a campaign's export,
    one partition per block of export files."""
    source = _Source(
        "messages", campaign_id, dict(client_options or {}), redis_url, 0, run_number, concurrency
    )
    return _bag(source, total_pages, files_per_partition)


def messages_dataframe(
    campaign_id: str,
    *,
    run_number: int | None = None,
    client_options: Mapping[str, Any] | None = None,
    redis_url: str | None = None,
    files_per_partition: int = 10,
    concurrency: int = 4,
    total_pages: int | None = None,
) -> dask.dataframe.DataFrame:
    """A dataframe of exported messages, one column per :class:`ExportedMessage` field."""
    source = _Source(
        "messages", campaign_id, dict(client_options or {}), redis_url, 0, run_number, concurrency
    )
    return _dataframe(source, total_pages, files_per_partition, EXPORT_COLUMNS, ())
