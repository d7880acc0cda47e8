"""RedisTokenStore: one token pair per credential set in Redis, renewed under a Redis lock.

Needs the ``redis`` extra (``pip install 'nudgescribe[redis]'``), i.e. redis-py's asyncio
client. What is stored where (tokens are secrets: protect the Redis instance accordingly):

* ``<prefix><digest>``: a JSON string with the access token, the refresh token, their
  advertised lifetimes and when they arrived; it expires in Redis shortly after the longer of
  the two lifetimes. ``<digest>`` is a SHA-256 of base URL, email, API key and secret, so no
  credential appears in a key name. The API key and secret are never stored.
* ``<prefix><digest>:renewal``: the renewal lock (redis-py's ``Lock``, a random token with a
  ``lock_timeout`` expiry). While a renewal runs, its process extends the lock every third of
  ``lock_timeout``, so a slow renewal keeps it; a renewer that crashes (or whose event loop
  stalls) stops extending it, and it expires at most ``lock_timeout`` later.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator
from typing import Any

import orjson
import redis.asyncio as aioredis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

from nudgescribe_async.stores._base import TokenRecord

__all__ = ["DEFAULT_PREFIX", "RedisTokenStore"]

log = logging.getLogger("nudgescribe")

DEFAULT_PREFIX = "nudgescribe:tokens:"
#: Extra seconds a stored record outlives its longest token (a little clock slack).
_TTL_SLACK = 60.0


class RedisTokenStore:
    """Share one token pair between every process that uses the same credentials.

    >>> store = RedisTokenStore.from_url("redis://localhost:6379/0")  # doctest: +SKIP
    >>> client = AsyncNudgescribe(token_store=store)                     # doctest: +SKIP

    The first process that needs a token authenticates and saves the pair; the others load it.
    When it is due, one process (whichever takes the renewal lock) refreshes it and saves the
    new pair; the others wait for the lock, then load that pair instead of refreshing again.

    ``lock_timeout`` bounds how long the lock outlives a renewer that stopped extending it (a
    live renewer extends it while its renewal runs, a crashed one releases it by expiry after
    at most that long); ``wait_timeout`` how long a process waits for the lock
    before renewing without it (``None``: as long as it takes); ``poll_interval`` how often a
    waiter retries the lock. The client that is given the store closes it when it closes; use
    one store per client (the clients share the tokens through Redis, not through the object).
    """

    def __init__(
        self,
        redis: aioredis.Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        lock_timeout: float = 10.0,
        wait_timeout: float | None = 30.0,
        poll_interval: float = 0.05,
        owned: bool = False,
    ) -> None:
        """Use an existing ``redis.asyncio.Redis`` client (closed here only if ``owned``)."""
        if not _positive(lock_timeout) or not _positive(poll_interval):
            raise ValueError("lock_timeout and poll_interval must be positive seconds")
        if wait_timeout is not None and not _positive(wait_timeout):
            raise ValueError("wait_timeout must be positive seconds or None")
        self._redis = redis
        self._prefix = prefix
        self._lock_timeout = float(lock_timeout)
        self._wait_timeout = wait_timeout
        self._poll = float(poll_interval)
        self._owned = owned

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        lock_timeout: float = 10.0,
        wait_timeout: float | None = 30.0,
        poll_interval: float = 0.05,
        **redis_options: Any,
    ) -> RedisTokenStore:
        """A store on a new Redis client for ``url`` (``redis://``, ``rediss://``, ``unix://``).

        ``redis_options`` go to ``redis.asyncio.Redis.from_url``. The store owns that client.
        """
        client = aioredis.Redis.from_url(url, **redis_options)
        return cls(
            client,
            prefix=prefix,
            lock_timeout=lock_timeout,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            owned=True,
        )

    def __repr__(self) -> str:
        """Prefix and timeouts; never the URL's password or a token."""
        return (
            f"RedisTokenStore(prefix={self._prefix!r}, lock_timeout={self._lock_timeout}, "
            f"wait_timeout={self._wait_timeout})"
        )

    def record_name(self, key: str) -> str:
        """The Redis key holding the token record of credential set ``key``."""
        return f"{self._prefix}{key}"

    def lock_name(self, key: str) -> str:
        """The Redis key of the renewal lock of credential set ``key``."""
        return f"{self._prefix}{key}:renewal"

    async def load(self, key: str) -> TokenRecord | None:
        """Return the stored record, or ``None`` when there is none (or it is unreadable)."""
        raw = await self._redis.get(self.record_name(key))
        if raw is None:
            return None
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return None
        return TokenRecord.from_json(data) if isinstance(data, dict) else None

    async def save(self, key: str, record: TokenRecord) -> None:
        """Store ``record``; Redis drops it a minute after its longest-lived token expires."""
        lifetimes = [
            t
            for t in (record.expires_in, record.refresh_expires_in)
            if t is not None and math.isfinite(t)
        ]
        ttl_ms = None
        if lifetimes:
            remaining = record.received_at + max(lifetimes) - time.time() + _TTL_SLACK
            ttl_ms = max(1, int(remaining * 1000))
        await self._redis.set(self.record_name(key), orjson.dumps(record.to_json()), px=ttl_ms)

    @contextlib.asynccontextmanager
    async def renewal(self, key: str) -> AsyncIterator[None]:
        """Hold the fleet-wide renewal lock of ``key`` (see the class docstring for timeouts)."""
        lock = self._redis.lock(
            self.lock_name(key),
            timeout=self._lock_timeout,
            sleep=self._poll,
            blocking_timeout=self._wait_timeout,
        )
        acquired = await lock.acquire()
        if not acquired:
            log.warning(
                "token renewal lock not acquired within %ss; renewing without it",
                self._wait_timeout,
            )
        heartbeat = asyncio.create_task(self._keep(lock)) if acquired else None
        try:
            yield
        finally:
            if heartbeat is not None:
                heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeat
            if acquired:
                try:
                    await lock.release()
                except LockError:
                    # Held past lock_timeout: it expired and may belong to another renewer now.
                    log.debug("token renewal lock expired before release")

    async def _keep(self, lock: Lock) -> None:
        """Extend ``lock`` back to ``lock_timeout`` every third of it, until cancelled."""
        while True:
            await asyncio.sleep(self._lock_timeout / 3)
            try:
                await lock.reacquire()
            except LockError:
                log.warning("token renewal lock lost before the renewal finished")
                return
            except Exception as exc:  # Redis unreachable: the lock expires on its own
                log.warning("extending the token renewal lock failed (%s)", type(exc).__name__)

    async def aclose(self) -> None:
        """Close the Redis client if this store created it."""
        if self._owned:
            await self._redis.aclose()


def _positive(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )
