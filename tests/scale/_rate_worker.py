"""A worker process for the fleet-wide rate test: N acquisitions from one RedisRateLimiter.

Run as ``python _rate_worker.py CONFIG_JSON``; the JSON holds ``redis_url``, ``rate``,
``burst``, ``name``, ``count`` and ``tag`` (a key prefix for the test's lists). The worker
pushes to ``<tag>:ready``, waits for one item on ``<tag>:go``, then after each acquisition
pushes Redis's clock (milliseconds) to ``<tag>:granted``.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import orjson
import redis.asyncio as aioredis

from nudgescribe_async.stores import RedisRateLimiter


async def main(config: dict[str, Any]) -> None:
    tag = config["tag"]
    raw = aioredis.Redis.from_url(config["redis_url"])
    limiter = RedisRateLimiter.from_url(
        config["redis_url"], rate=config["rate"], burst=config["burst"], name=config["name"]
    )
    try:
        await raw.rpush(f"{tag}:ready", 1)
        await raw.blpop([f"{tag}:go"], timeout=30)
        for _ in range(config["count"]):
            await limiter.acquire()
            seconds, micros = await raw.time()
            await raw.rpush(f"{tag}:granted", seconds * 1000 + micros // 1000)
    finally:
        await limiter.aclose()
        await raw.aclose()


if __name__ == "__main__":
    asyncio.run(main(orjson.loads(sys.argv[1])))
