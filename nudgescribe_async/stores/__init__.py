"""Token stores: where a client keeps its access/refresh tokens.

* :class:`MemoryTokenStore` (the default): tokens live in one client; renewal is single-flight
  within it.
* :class:`RedisTokenStore` (extra ``redis``): tokens shared by every process using the same
  credentials, renewed by one process at a time under a Redis lock with a timeout.
* :class:`RedisRateLimiter` (extra ``redis``): one request rate for a whole fleet
  (``AsyncNudgescribe(rate_limiter=...)``), a token bucket kept by a script in Redis.

>>> from nudgescribe_async.stores import RedisTokenStore          # doctest: +SKIP
>>> client = AsyncNudgescribe(token_store=RedisTokenStore.from_url("redis://localhost:6379/0"))
... # doctest: +SKIP

Write your own by implementing :class:`TokenStore` (``load``, ``save``, ``renewal``, ``aclose``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nudgescribe_async._public import publish as _publish
from nudgescribe_async.stores._base import (
    MemoryTokenStore,
    RateLimiter,
    TokenRecord,
    TokenStore,
    store_key,
)

if TYPE_CHECKING:
    from nudgescribe_async.stores._limiter import RedisRateLimiter
    from nudgescribe_async.stores._redis import RedisTokenStore

__all__ = [
    "MemoryTokenStore",
    "RateLimiter",
    "RedisRateLimiter",
    "RedisTokenStore",
    "TokenRecord",
    "TokenStore",
    "store_key",
]

_publish(__name__, globals(), [name for name in __all__ if name in globals()])

_LAZY = {
    "RedisTokenStore": "nudgescribe_async.stores._redis",
    "RedisRateLimiter": "nudgescribe_async.stores._limiter",
}


def __getattr__(name: str) -> Any:
    # Imported on first use, so the package works without the optional redis dependency.
    if name in _LAZY:
        import importlib

        try:
            module = importlib.import_module(_LAZY[name])
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                f"{name} needs the redis extra: pip install 'nudgescribe[redis]'"
            ) from exc
        _publish(__name__, vars(module), [name])
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
