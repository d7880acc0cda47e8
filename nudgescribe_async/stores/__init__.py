"""Token stores: where a client keeps its access/refresh tokens.

* :class:`MemoryTokenStore` (the default): tokens live in one client; renewal is single-flight
  within it.
* :class:`RedisTokenStore` (extra ``redis``): tokens shared by every process using the same
  credentials, renewed by one process at a time under a Redis lock with a timeout.

>>> from nudgescribe_async.stores import RedisTokenStore          # doctest: +SKIP
>>> client = AsyncNudgescribe(token_store=RedisTokenStore.from_url("redis://localhost:6379/0"))
... # doctest: +SKIP

Write your own by implementing :class:`TokenStore` (``load``, ``save``, ``renewal``, ``aclose``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nudgescribe_async.stores._base import MemoryTokenStore, TokenRecord, TokenStore, store_key

if TYPE_CHECKING:
    from nudgescribe_async.stores._redis import RedisTokenStore

__all__ = ["MemoryTokenStore", "RedisTokenStore", "TokenRecord", "TokenStore", "store_key"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so the package works without the optional redis dependency.
    if name == "RedisTokenStore":
        try:
            from nudgescribe_async.stores._redis import RedisTokenStore
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "RedisTokenStore needs the redis extra: pip install 'nudgescribe[redis]'"
            ) from exc
        return RedisTokenStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
