"""RedisRateLimiter: one request rate for several clients, against a real redis-server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.stores import RateLimiter, RedisRateLimiter
from nudgescribe_async.testing import ReferenceServer


@pytest.fixture
async def limiter_server() -> AsyncIterator[ReferenceServer]:
    """A reference server with one workspace."""
    async with ReferenceServer() as srv:
        srv.seed_workspace("Main")
        yield srv


async def test_two_clients_share_one_rate(limiter_server: ReferenceServer, redis_db: str) -> None:
    """Two clients limited to 40 requests/s together (burst 2) need >= 1 s for 42 requests."""
    ws = next(iter(limiter_server.state.workspaces))
    clients = [
        AsyncNudgescribe(
            **limiter_server.client_kwargs(),
            rate_limiter=RedisRateLimiter.from_url(redis_db, rate=40, burst=2, name="fleet"),
        )
        for _ in range(2)
    ]
    try:
        started = time.monotonic()
        await asyncio.gather(*(c.customer_groups.list(ws) for c in clients for _ in range(20)))
        elapsed = time.monotonic() - started
    finally:
        for client in clients:
            await client.aclose()
    sent = [r.received_at for r in limiter_server.requests]
    assert len(sent) == 42  # 2 authentications + 40 calls, each took a token
    assert elapsed >= (42 - 2) / 40 * 0.9, elapsed
    # No 0.5 s window saw more than the rate allows (20) plus the burst and a little slack.
    busiest = max(sum(1 for t in sent if s <= t < s + 0.5) for s in sent)
    assert busiest <= 20 + 2 + 2, busiest


async def test_an_unreachable_limiter_lets_requests_through(
    limiter_server: ReferenceServer,
) -> None:
    """If Redis is down, calls still go out (a warning is logged)."""
    limiter = RedisRateLimiter.from_url("redis://127.0.0.1:9/0", rate=1, socket_connect_timeout=0.5)
    assert isinstance(limiter, RateLimiter)
    async with AsyncNudgescribe(**limiter_server.client_kwargs(), rate_limiter=limiter) as client:
        await client.customer_groups.list(next(iter(limiter_server.state.workspaces)))


def test_rate_and_burst_are_checked() -> None:
    """A non-positive rate or a burst below 1 is refused."""
    with pytest.raises(ValueError):
        RedisRateLimiter.from_url("redis://127.0.0.1:9/0", rate=0)
    with pytest.raises(ValueError):
        RedisRateLimiter.from_url("redis://127.0.0.1:9/0", rate=5, burst=0.5)
