"""The token store seam: where a client keeps its token pair and how renewals are serialised.

:class:`TokenStore` is what the token manager needs from a store: ``load`` and ``save`` one
:class:`TokenRecord` per credential set (named by :func:`store_key`), and ``renewal(key)``, an
async context manager held while one renewal runs. :class:`MemoryTokenStore` (the default)
keeps the record in this client and has nothing to serialise across processes: the manager's
own ``asyncio.Lock`` already makes renewal single-flight inside one client.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, runtime_checkable

import attrs

__all__ = ["MemoryTokenStore", "RateLimiter", "TokenRecord", "TokenStore", "store_key"]


@attrs.frozen
class TokenRecord:
    """One token response as stored: the tokens, their advertised lifetimes, when it arrived.

    The token manager rebuilds expiry times from these with its own refresh skew, so clients
    with different skews can share one record. Tokens are secrets: kept out of ``repr``.
    """

    access_token: str = attrs.field(repr=False)
    refresh_token: str | None = attrs.field(repr=False)
    expires_in: float | None
    refresh_expires_in: float | None
    received_at: float

    def to_json(self) -> dict[str, Any]:
        """The record as a JSON-ready mapping."""
        return attrs.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TokenRecord | None:
        """Rebuild a record from :meth:`to_json` output; ``None`` if it is not one."""
        access, refresh = data.get("access_token"), data.get("refresh_token")
        received = data.get("received_at")
        if not isinstance(access, str) or not isinstance(received, (int, float)):
            return None
        return cls(
            access_token=access,
            refresh_token=refresh if isinstance(refresh, str) else None,
            expires_in=_number_or_none(data.get("expires_in")),
            refresh_expires_in=_number_or_none(data.get("refresh_expires_in")),
            received_at=float(received),
        )


def _number_or_none(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def store_key(base_url: str, email: str, api_key: str, api_secret: str) -> str:
    """The name of one credential set in a store: a SHA-256 digest, never the raw credentials.

    The secret is part of it, so a process with a wrong or rotated secret does not use the
    tokens the others obtained with the right one: it authenticates (and fails) on its own.

    >>> len(store_key("https://api.example", "a@b.c", "key", "secret"))
    64
    """
    material = "\0".join((base_url, email.casefold(), api_key, api_secret)).encode()
    return hashlib.sha256(material).hexdigest()


@runtime_checkable
class TokenStore(Protocol):
    """Where a client's token pair lives, and the lock that serialises its renewal.

    ``key`` names one credential set (see :func:`store_key`). The token manager calls
    ``load`` before renewing and again once it holds ``renewal(key)``, so a token that another
    holder saved meanwhile is used instead of renewing twice; it calls ``save`` after every
    successful authenticate or refresh. ``aclose`` is called when the owning client closes.
    """

    async def load(self, key: str) -> TokenRecord | None:
        """Return the stored record for ``key``, or ``None``."""
        ...

    async def save(self, key: str, record: TokenRecord) -> None:
        """Store ``record`` for ``key``, replacing what was there."""
        ...

    def renewal(self, key: str) -> AbstractAsyncContextManager[None]:
        """An async context manager held while one renewal for ``key`` runs."""
        ...

    async def aclose(self) -> None:
        """Release the store's connections (the client calls this when it closes)."""
        ...


@runtime_checkable
class RateLimiter(Protocol):
    """A request rate shared beyond one client (``AsyncNudgescribe(rate_limiter=...)``).

    The transport awaits :meth:`acquire` before every HTTP attempt; ``aclose`` is called when
    the owning client closes. :class:`~nudgescribe_async.stores.RedisRateLimiter` is one.
    """

    async def acquire(self) -> None:
        """Return when one more request may be sent."""
        ...

    async def aclose(self) -> None:
        """Release the limiter's connections."""
        ...


class MemoryTokenStore:
    """The default store: the record lives in this client only (nothing shared, no I/O).

    Renewal needs no extra lock here: the token manager's own lock already lets one renewal
    run at a time in the client, which is all this store is visible to.
    """

    def __init__(self) -> None:
        """Start empty."""
        self._records: dict[str, TokenRecord] = {}

    def __repr__(self) -> str:
        """Never shows a token."""
        return f"MemoryTokenStore(keys={len(self._records)})"

    async def load(self, key: str) -> TokenRecord | None:
        """Return the record saved for ``key``, or ``None``."""
        return self._records.get(key)

    async def save(self, key: str, record: TokenRecord) -> None:
        """Keep ``record`` for ``key``."""
        self._records[key] = record

    @contextlib.asynccontextmanager
    async def renewal(self, key: str) -> AsyncIterator[None]:
        """Nothing to take: the token manager's lock is the whole single-flight story here."""
        yield

    async def aclose(self) -> None:
        """Nothing to release."""
