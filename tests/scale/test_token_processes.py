"""Shared tokens across real worker processes, one redis-server, one reference server."""

from __future__ import annotations

import asyncio
import math
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import redis.asyncio as aioredis

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.stores import RedisTokenStore, store_key
from nudgescribe_async.testing import ReferenceServer

WORKER = Path(__file__).with_name("_token_worker.py")
TOKEN_TTL = 3.0
_KEYED = ("email", "api_key", "api_secret")


@pytest.fixture
async def short_token_server() -> AsyncIterator[ReferenceServer]:
    """A reference server issuing 3-second access tokens, with one workspace."""
    async with ReferenceServer(access_token_ttl=TOKEN_TTL) as srv:
        srv.seed_workspace("Main")
        yield srv


async def _spawn(config: dict[str, Any]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(WORKER),
        orjson.dumps(config).decode(),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def _finish(process: asyncio.subprocess.Process, timeout: float) -> int:
    try:
        _, err = await asyncio.wait_for(process.communicate(), timeout)
    except (TimeoutError, asyncio.TimeoutError):
        process.kill()
        await process.wait()
        raise
    assert process.returncode == 0, err.decode()[-2000:]
    return process.returncode


def _config(server: ReferenceServer, redis_url: str, **changes: Any) -> dict[str, Any]:
    return {
        "client": server.client_kwargs(),
        "redis_url": redis_url,
        "workspace_id": next(iter(server.state.workspaces)),
        "calls": 50,
        "interval": 0.15,
        "start_at": time.time() + 2.0,
        "lock_timeout": 2.0,
        **changes,
    }


@pytest.mark.timeout(60)
@pytest.mark.processes
@pytest.mark.parametrize("skew", [0.0, None], ids=["skew0", "default-skew"])
async def test_four_processes_authenticate_once_and_refresh_once_per_expiry(
    short_token_server: ReferenceServer, redis_db: str, skew: float | None
) -> None:
    """4 processes x 50 calls on 3 s tokens: 1 authenticate, about one refresh per expiry."""
    config = _config(short_token_server, redis_db)
    config["client"]["refresh_skew"] = skew
    workers = [await _spawn(config) for _ in range(4)]
    await asyncio.gather(*(_finish(w, 45) for w in workers))
    # A call that reaches the server just after the token's exp is refused (403), renews and
    # is sent again: count the answered ones.
    calls = [r for r in short_token_server.requests if r.path == "/v1/cg" and r.status == 200]
    assert len(calls) == 200
    auth = [r for r in short_token_server.requests if r.path == "/v1/auth"]
    assert [r.method for r in auth].count("POST") == 1
    refreshes = [r.method for r in auth].count("GET")
    # Renewal is due every TOKEN_TTL seconds (skew 0) or every TOKEN_TTL / 2 (the default
    # 60 s skew clamps to half the lifetime) and happens at the first call after that, so the
    # `busy` seconds of calls hold between busy / (period + a gap between calls) and
    # busy / period renewals. One more is allowed for a loaded machine.
    busy = calls[-1].received_at - auth[0].received_at
    period = TOKEN_TTL if skew == 0 else TOKEN_TTL / 2
    fewest = math.floor(busy / (period + 2 * config["interval"]))
    most = math.floor(busy / period) + 1
    assert fewest <= refreshes <= most, (refreshes, busy)
    sys.stderr.write(f"skew={skew}: {refreshes} refreshes over {busy:.2f}s\n")


@pytest.mark.timeout(60)
@pytest.mark.processes
async def test_a_killed_renewer_stalls_others_no_longer_than_the_lock_timeout(
    short_token_server: ReferenceServer, redis_db: str
) -> None:
    """Killing the lock holder mid-renewal: others wait for the lock's expiry, no longer."""
    lock_timeout = 2.0
    short_token_server.faults.add(
        "/v1/auth", method="POST", kind="hang"
    )  # the first authenticate hangs
    holder = await _spawn(
        _config(short_token_server, redis_db, start_at=0, calls=1, lock_timeout=lock_timeout)
    )
    deadline = time.monotonic() + 15
    while short_token_server.request_count("/v1/auth", "POST") == 0:
        assert time.monotonic() < deadline, "the worker never started authenticating"
        await asyncio.sleep(0.02)
    locked_at = time.monotonic()  # the holder took the lock just before sending
    store = RedisTokenStore.from_url(redis_db, lock_timeout=lock_timeout)
    lock_name = store.lock_name(
        store_key(
            short_token_server.base_url,
            **{k: short_token_server.client_kwargs()[k] for k in _KEYED},
        )
    )
    raw = aioredis.Redis.from_url(redis_db)
    try:
        read_at = time.monotonic()
        ttl_ms = await raw.pttl(lock_name)  # the hung holder's lock, with its expiry
    finally:
        await raw.aclose()
    assert 0 < ttl_ms <= lock_timeout * 1000, ttl_ms
    holder.kill()
    await holder.wait()
    async with AsyncNudgescribe(**short_token_server.client_kwargs(), token_store=store) as client:
        await client.customer_groups.list(next(iter(short_token_server.state.workspaces)))
    waited = time.monotonic() - locked_at
    assert waited <= lock_timeout + 1.0, waited
    posts = [r for r in short_token_server.requests if r.path == "/v1/auth" and r.method == "POST"]
    assert len(posts) == 2
    # The second authenticate waited for the dead holder's lock to expire in Redis.
    assert posts[1].received_at >= read_at + ttl_ms / 1000 - 0.05
