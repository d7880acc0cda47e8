"""RedisRateLimiter: one request rate shared by every process, as a token bucket in Redis.

A small server-side (Lua) script keeps the bucket of one quota name in a Redis hash: it adds
``rate`` tokens per second up to ``burst``, and takes one per request. It runs atomically in
Redis on Redis's own clock, so any number of processes on any number of machines draw from one
bucket. A request that finds the bucket empty learns how long until the next token and sleeps
that long before asking again.
"""

from __future__ import annotations

import asyncio
import logging
import math
from typing import Any

import redis.asyncio as aioredis

__all__ = ["RedisRateLimiter"]

log = logging.getLogger("nudgescribe")

# Returns 0 when a token was taken, else the milliseconds until one is due (nothing taken).
_TAKE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local per_ms = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local last = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * per_ms)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / per_ms) + 1000)
return wait
"""


class RedisRateLimiter:
    """At most ``rate`` requests per second (bursts up to ``burst``) across a whole fleet.

    >>> limiter = RedisRateLimiter.from_url("redis://localhost:6379/0", rate=50)  # doctest: +SKIP
    >>> client = AsyncNudgescribe(rate_limiter=limiter)                            # doctest: +SKIP

    Every HTTP attempt of a client given this limiter (retries and authentication included)
    takes one token first. Processes that use the same ``name`` share one bucket. If Redis is
    unreachable, requests go ahead (a warning is logged): the limiter never stops the client.
    The client closes the limiter when it closes; give each client its own.
    """

    def __init__(
        self,
        redis: aioredis.Redis,
        *,
        rate: float,
        burst: float | None = None,
        name: str = "default",
        prefix: str = "nudgescribe:rate:",
        owned: bool = False,
    ) -> None:
        """Use an existing ``redis.asyncio.Redis`` client (closed here only if ``owned``)."""
        if not _positive(rate) or (burst is not None and not (_positive(burst) and burst >= 1)):
            raise ValueError("rate must be positive and burst at least 1")
        self._redis = redis
        self.rate: float = float(rate)
        self.burst: float = float(burst) if burst is not None else max(1.0, self.rate)
        self.key: str = f"{prefix}{name}"
        self._owned = owned
        self._script: Any = redis.register_script(_TAKE)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        rate: float,
        burst: float | None = None,
        name: str = "default",
        prefix: str = "nudgescribe:rate:",
        **redis_options: Any,
    ) -> RedisRateLimiter:
        """A limiter on a new Redis client for ``url``; the limiter owns that client."""
        client = aioredis.Redis.from_url(url, **redis_options)
        return cls(client, rate=rate, burst=burst, name=name, prefix=prefix, owned=True)

    def __repr__(self) -> str:
        """Key, rate and burst; never the URL."""
        return f"RedisRateLimiter(key={self.key!r}, rate={self.rate}, burst={self.burst})"

    async def acquire(self) -> None:
        """Wait until the shared bucket gives this request a token."""
        while True:
            try:
                wait_ms = int(
                    await self._script(keys=[self.key], args=[self.rate / 1000, self.burst])
                )
            except Exception as exc:
                log.warning("rate limiter unavailable (%s); sending without it", type(exc).__name__)
                return
            if wait_ms <= 0:
                return
            await asyncio.sleep(wait_ms / 1000)

    async def aclose(self) -> None:
        """Close the Redis client if this limiter created it."""
        if self._owned:
            await self._redis.aclose()


def _positive(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )
