"""The fault matrix: a concurrent 200-page iteration under every fault we can inject.

Each scenario must give every item exactly once, in order, or a typed error after a correct
prefix of the items, in bounded time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer

PAGES = 200
PAGE_SIZE = 10
PATH = "/v1/customer"

Action = Callable[[ReferenceServer], Awaitable[Any]]


async def _burst_503(server: ReferenceServer) -> None:
    server.faults.add(PATH, method="POST", kind="fail", status=503, times=3)


async def _storm_429(server: ReferenceServer) -> None:
    server.faults.add(PATH, method="POST", kind="rate_limit", retry_after=1, times=8)


async def _drops(server: ReferenceServer) -> None:
    server.faults.add(PATH, method="POST", kind="drop", times=3)


async def _truncation(server: ReferenceServer) -> None:
    server.faults.add(PATH, method="POST", kind="truncate", times=3)


async def _hang(server: ReferenceServer) -> None:
    server.faults.add(PATH, method="POST", kind="hang", times=1)


async def _expiry(server: ReferenceServer) -> None:
    server.advance_clock(30 * 86_400)  # access and refresh tokens both expire


async def _revocation(server: ReferenceServer) -> None:
    server.revoke_tokens()


async def _restart(server: ReferenceServer) -> None:
    await server.close()
    await server.start()


async def _everything(server: ReferenceServer) -> None:
    for action in (_burst_503, _storm_429, _drops, _truncation, _revocation):
        await action(server)


async def _outage(server: ReferenceServer) -> None:
    server.faults.add(PATH, method="POST", kind="fail", status=503, times=None)


#: scenario -> (action applied after 300 items, whether the pass must complete)
SCENARIOS: dict[str, tuple[Action, bool]] = {
    "503 burst": (_burst_503, True),
    "429 storm": (_storm_429, True),
    "dropped connections": (_drops, True),
    "truncated bodies": (_truncation, True),
    "a hang": (_hang, True),
    "token expiry": (_expiry, True),
    "token revocation": (_revocation, True),
    "server restart": (_restart, True),
    "all at once": (_everything, True),
    "lasting outage": (_outage, False),
}


@pytest.fixture
async def matrix_world(no_backoff: None) -> AsyncIterator[tuple[ReferenceServer, str, list[str]]]:
    """A server holding 2,000 customers (200 pages of 10) and their ids in page order."""
    async with ReferenceServer() as server:
        ws = server.seed_workspace("Matrix")
        server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
        group = server.seed_group(ws.workspace_id, "All").customer_group_id
        server.seed_customers(group, count=PAGES * PAGE_SIZE)
        async with AsyncNudgescribe(**server.client_kwargs()) as clean:
            expected = [
                c.customer_id async for c in clean.customers.list(group, page_size=PAGE_SIZE)
            ]
        assert len(expected) == PAGES * PAGE_SIZE
        server.clear_requests()
        yield server, group, expected


@pytest.mark.parametrize("scenario", SCENARIOS)
async def test_concurrent_iteration_under_faults(
    matrix_world: tuple[ReferenceServer, str, list[str]], scenario: str
) -> None:
    """Every item exactly once and in order, or a typed error after a correct prefix."""
    server, group, expected = matrix_world
    action, must_complete = SCENARIOS[scenario]
    seen: list[str] = []
    error: BaseException | None = None

    async def iterate(client: AsyncNudgescribe) -> None:
        async with client.customers.list(group, page_size=PAGE_SIZE, concurrency=8) as pager:
            async for customer in pager:
                seen.append(customer.customer_id)
                if len(seen) == 300:
                    await action(server)

    async with AsyncNudgescribe(
        **server.client_kwargs(), timeout=1, max_retries=4, deadline=20
    ) as client:
        try:
            await asyncio.wait_for(iterate(client), 60)
        except ns.NudgescribeError as exc:
            error = exc
    assert seen == expected[: len(seen)], "items repeated, reordered or skipped"
    if must_complete:
        assert error is None, repr(error)
        assert len(seen) == len(expected)
    else:
        assert isinstance(error, ns.ServerError) and 300 <= len(seen) < len(expected)
