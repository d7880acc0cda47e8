"""Page ranges and shards: plan_page_ranges, and pagers limited to a block of pages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nudgescribe_async import (
    AsyncNudgescribe,
    AsyncPager,
    PageResult,
    RequestValidationError,
    plan_page_ranges,
)
from nudgescribe_async.testing import ReferenceServer


@given(st.integers(0, 500), st.integers(1, 40))
def test_planned_ranges_cover_every_page_once(total: int, parts: int) -> None:
    """The planned ranges are contiguous, cover 1..total exactly once, sizes differ by <= 1."""
    ranges = plan_page_ranges(total, parts)
    assert len(ranges) == parts
    assert [p for r in ranges for p in r] == list(range(1, total + 1))
    sizes = [len(r) for r in ranges]
    assert max(sizes) - min(sizes) <= 1


def test_plan_rejects_bad_arguments() -> None:
    """Negative page counts and zero parts are refused, naming the argument."""
    with pytest.raises(RequestValidationError) as exc:
        plan_page_ranges(-1, 2)
    assert exc.value.argument == "total_pages"
    with pytest.raises(RequestValidationError) as exc:
        plan_page_ranges(3, 0)
    assert exc.value.argument == "parts"


def _numbered_pager(total: int, **options: object) -> tuple[AsyncPager[int], list[int]]:
    fetched: list[int] = []

    async def fetch(number: int) -> PageResult[int]:
        fetched.append(number)
        return PageResult([number * 10, number * 10 + 1], total)

    return AsyncPager(fetch, **options), fetched  # type: ignore[arg-type]


async def test_page_range_fetches_only_its_pages() -> None:
    """pages=range(3, 6) yields pages 3, 4 and 5 and fetches no other page, not even page 1."""
    pager, fetched = _numbered_pager(9, pages=range(3, 6))
    numbers = [page.number async for page in pager.pages()]
    assert numbers == [3, 4, 5]
    assert sorted(fetched) == [3, 4, 5]


async def test_page_range_is_clipped_to_the_page_count() -> None:
    """A range running past the last page stops at the last page."""
    pager, _ = _numbered_pager(4, pages=range(3, 100))
    assert [page.number async for page in pager.pages()] == [3, 4]


async def test_shards_split_pages_without_overlap() -> None:
    """shard=(i, 3) over 10 pages: three pagers together yield every page once, in blocks."""
    seen = []
    for index in range(3):
        pager, _ = _numbered_pager(10, shard=(index, 3))
        seen.append([page.number async for page in pager.pages()])
    assert seen == [[1, 2, 3, 4], [5, 6, 7], [8, 9, 10]]


async def test_a_shard_beyond_the_pages_is_empty() -> None:
    """With more shards than pages, the extra shards yield nothing."""
    pager, fetched = _numbered_pager(1, shard=(1, 2))
    assert await pager.collect() == []
    assert fetched == [1]  # the page that told the count, not handed out


@pytest.mark.parametrize(
    "options",
    [
        {"pages": range(3)},
        {"pages": range(1, 9, 2)},
        {"shard": (2, 2)},
        {"shard": (-1, 2)},
        {"shard": (0, 0)},
        {"pages": range(1, 2), "shard": (0, 1)},
    ],
)
def test_bad_selections_are_refused_before_io(options: dict[str, object]) -> None:
    """Bad pages/shard arguments raise RequestValidationError when the pager is built."""
    with pytest.raises(RequestValidationError):
        _numbered_pager(3, **options)


@pytest.fixture
async def server_with_customers() -> AsyncIterator[tuple[ReferenceServer, str]]:
    """A reference server with a group of 2,345 customers."""
    async with ReferenceServer() as server:
        ws = server.seed_workspace("Main")
        server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
        group = server.seed_group(ws.workspace_id, "All")
        server.seed_customers(group.customer_group_id, count=2345)
        yield server, group.customer_group_id


async def test_customer_shards_export_every_customer_once(
    server_with_customers: tuple[ReferenceServer, str],
) -> None:
    """Four shards of customers.list return every customer exactly once."""
    server, group = server_with_customers
    async with AsyncNudgescribe(**server.client_kwargs()) as client:
        ids = [
            c.customer_id
            for i in range(4)
            async for c in client.customers.list(group, page_size=100, shard=(i, 4))
        ]
        total = (await client.customers.count_pages(group, page_size=100)).total_pages
        ranged = await client.customers.list(group, page_size=100, pages=range(2, 4)).collect()
    assert len(ids) == len(set(ids)) == 2345
    assert total == 24
    assert [c.customer_id for c in ranged] == ids[100:300]
