"""One RedisRateLimiter quota shared by several worker processes, on a real redis-server."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import orjson
import pytest
import redis.asyncio as aioredis

WORKER = Path(__file__).with_name("_rate_worker.py")
RATE, BURST, WORKERS, EACH = 20.0, 3, 3, 10


@pytest.mark.timeout(60)
@pytest.mark.processes
async def test_processes_sharing_a_name_share_one_bucket(redis_db: str) -> None:
    """3 processes x 10 requests at 20/s, burst 3: the k-th grant waits (k - 3) / 20 s."""
    config = {
        "redis_url": redis_db,
        "rate": RATE,
        "burst": BURST,
        "name": "fleet",
        "count": EACH,
        "tag": "t",
    }
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(WORKER),
            orjson.dumps(config).decode(),
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(WORKERS)
    ]
    raw = aioredis.Redis.from_url(redis_db)
    try:
        for _ in range(WORKERS):
            assert await raw.blpop(["t:ready"], timeout=30) is not None
        seconds, micros = await raw.time()
        go_ms = seconds * 1000 + micros // 1000
        await raw.rpush("t:go", *([1] * WORKERS))
        for worker in workers:
            _, err = await asyncio.wait_for(worker.communicate(), 45)
            assert worker.returncode == 0, err.decode()[-2000:]
        granted = sorted(int(t) for t in await raw.lrange("t:granted", 0, -1))
    finally:
        await raw.aclose()
        for worker in workers:
            if worker.returncode is None:
                worker.kill()
                await worker.wait()
    assert len(granted) == WORKERS * EACH
    # On Redis's own clock: the bucket starts full (BURST), then refills RATE per second, so
    # however the processes interleave, the k-th grant comes no sooner than this.
    for k, at in enumerate(granted, start=1):
        earliest = go_ms + max(0.0, (k - BURST) / RATE * 1000)
        assert at >= earliest - 1, (k, at - go_ms)
