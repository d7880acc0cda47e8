"""TokenManager: the access/refresh token pair behind one lock.

Rules (README, "Authentication"):

- Refresh is single-flight: however many callers find the token stale at once, one request
  goes out (``GET /v1/auth`` with the refresh token), the rest wait for its result.
- A token counts as stale ``refresh_skew`` seconds before its ``exp`` claim, the skew clamped
  to half the token's lifetime so that short-lived tokens (seconds, in tests) still work.
  ``exp`` is read from the JWT without checking the signature; ``expires_in`` is the fallback.
- A 403 invalidates the access token only if it is still the token that failed (a concurrent
  caller may have renewed it already).
- A stale or refused refresh token means full re-authentication (``POST /v1/auth``), also
  single-flight.
- The pair lives in a :class:`~nudgescribe_async.stores.TokenStore` too (memory by default).
  Before renewing, the manager loads the stored pair, then takes the store's renewal lock and
  loads again, so a pair another process saved meanwhile is used instead of renewing twice. A
  stored token that this manager saw refused (403) is never adopted again: it is replaced by
  the renewal, which is how a shared store invalidates only the token that actually failed.
- A renewal that fails for a passing reason (5xx, 429, connection) while the current access
  token has not expired yet keeps that token in use and tries again a little later.
- Credentials and tokens are held as :class:`Secret` (redacted ``repr``), revealed only where
  the header or body is built; a token that could not be sent as a header (CR, LF, NUL) is
  refused at the exchange as ``ResponseDecodeError`` and nothing is stored.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeGuard

import attrs
import orjson

from ._endpoints import AUTHENTICATE, REFRESH
from ._errors import (
    APIConnectionError,
    AuthenticationError,
    MissingFieldsError,
    QuotaExceededError,
    RateLimitError,
    ResponseDecodeError,
    ServerError,
)
from ._outgoing import header_value_ok
from ._secrets import Secret
from ._types import NO_OPTIONS, CallOptions, RequestSpec
from .stores._base import MemoryTokenStore, TokenRecord, TokenStore

__all__ = ["Token", "TokenManager", "jwt_claims", "make_token"]

log = logging.getLogger("nudgescribe")

Send = Callable[[RequestSpec], Awaitable[Any]]
Clock = Callable[[], float]

#: Longest pause before retrying a renewal that failed while the token was still valid.
RENEW_RETRY_SECONDS = 30.0


@attrs.frozen
class Token:
    """One bearer token and when to stop using it (wall-clock seconds)."""

    value: Secret
    expires_at: float
    renew_at: float

    def usable(self, now: float) -> bool:
        """Whether the token may still be sent without renewing it first."""
        return now < self.renew_at


def jwt_claims(token: str) -> Mapping[str, Any]:
    """Decode a JWT's claims without verifying it; empty if it is not a readable JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = orjson.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, orjson.JSONDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def make_token(value: str, expires_in: Any, *, now: float, skew: float) -> Token:
    """Build a :class:`Token`, preferring the JWT claims over ``expires_in``.

    With both ``iat`` and ``exp`` the lifetime ``exp - iat`` is anchored at ``now`` (the moment
    the token arrived), so a client clock that differs from the server's neither renews on every
    call nor keeps an expired token. With ``exp`` alone it is taken as is.
    """
    claims = jwt_claims(value)
    exp, issued = claims.get("exp"), claims.get("iat")
    if _is_number(exp) and _is_number(issued):
        lifetime = max(0.0, float(exp) - float(issued))
    elif _is_number(exp) and (float(exp) > now or not _is_number(expires_in)):
        lifetime = max(0.0, float(exp) - now)
    elif _is_number(expires_in):
        # Also when a bare exp is already past by our clock: trust the server's count.
        lifetime = max(0.0, float(expires_in))
    else:
        # Neither: trust it until the server says otherwise (a 403 renews it).
        return Token(Secret(value), float("inf"), float("inf"))
    expires_at = now + lifetime
    return Token(Secret(value), expires_at, expires_at - min(skew, lifetime / 2))


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class TokenManager:
    """Hands out a fresh access token, renewing it at most once at a time."""

    def __init__(
        self,
        send: Send,
        *,
        api_key: str | Secret,
        email: str,
        api_secret: str | Secret,
        refresh_skew: float,
        clock: Clock = time.time,
        store: TokenStore | None = None,
        store_key: str = "",
    ) -> None:
        self._send = send
        self._shared = store if store is not None else MemoryTokenStore()
        self._key = store_key
        #: Tokens the API refused (403) since the last renewal: never adopted from the store.
        self._refused: set[str] = set()
        self._api_key = api_key if isinstance(api_key, Secret) else Secret(api_key)
        self._email = email
        self._api_secret = api_secret if isinstance(api_secret, Secret) else Secret(api_secret)
        self._skew = refresh_skew
        self._clock = clock
        self._lock = asyncio.Lock()
        self._access: Token | None = None
        self._refresh: Token | None = None
        #: Completed renewal attempts, and the error of the last one if it failed.
        self._renewals = 0
        self._renewal_error: Exception | None = None

    def __repr__(self) -> str:
        state = "authenticated" if self._access is not None else "unauthenticated"
        return f"<TokenManager {state}>"

    def usable_token(self) -> Secret | None:
        """The current access token if it is usable now, else None (then await access_token)."""
        current = self._access
        if current is not None and current.usable(self._clock()):
            return current.value
        return None

    async def access_token(self) -> Secret:
        """Return a usable access token, renewing (single-flight) when needed.

        Callers that queued behind a renewal which failed get that renewal's error instead of
        each trying again: one outage costs one failed renewal, not one per waiting call.
        A renewal that fails for a passing reason while the current token has not expired
        keeps the current token (see the module docstring).
        """
        current = self._access
        if current is not None and current.usable(self._clock()):
            return current.value
        seen = self._renewals
        async with self._lock:
            current = self._access
            if current is not None and current.usable(self._clock()):
                return current.value
            if self._renewals != seen and self._renewal_error is not None:
                # Each waiter gets its own copy, caused by the original: one shared exception
                # object would collect every waiter's frames in its traceback.
                failure = self._renewal_error
                raise _copy_of(failure) from failure
            self._renewal_error = None
            try:
                await self._renew_shared()
            except Exception as exc:
                kept = self._keep_current(exc)
                if kept is not None:
                    return kept
                self._renewal_error = exc
                self._renewals += 1
                raise
            # A cancelled renewal counts as no attempt: the next waiter simply tries itself.
            self._renewals += 1
            assert self._access is not None
            return self._access.value

    def _keep_current(self, exc: Exception) -> Secret | None:
        """After a failed renewal: the access token in hand, if it has not expired and the
        failure is passing; it is then used until the renewal is tried again."""
        passing = isinstance(exc, (ServerError, APIConnectionError, RateLimitError)) and not (
            isinstance(exc, QuotaExceededError)
        )
        live, now = self._access, self._clock()
        if not passing or live is None or now >= live.expires_at:
            return None
        retry_in = min(RENEW_RETRY_SECONDS, (live.expires_at - now) / 2)
        log.warning(
            "renewing the access token failed (%s); using the current one, valid "
            "%.0f s more, and retrying in %.0f s",
            type(exc).__name__,
            live.expires_at - now,
            retry_in,
        )
        self._access = attrs.evolve(live, renew_at=now + retry_in)
        return live.value

    def invalidate(self, failed: Secret) -> None:
        """Forget the access token after a 403, but only if it is still ``failed``."""
        self._refused.add(failed.reveal())
        if self._access is not None and self._access.value is failed:
            log.debug("access token refused; it will be renewed")
            self._access = None

    async def aclose(self) -> None:
        """Close the token store (the owning client calls this when it closes)."""
        await self._shared.aclose()

    async def _renew_shared(self) -> None:
        """Adopt a usable stored pair, or renew under the store's lock and save the result."""
        if await self._adopt_stored():
            return
        async with contextlib.AsyncExitStack() as stack:
            try:
                await stack.enter_async_context(self._shared.renewal(self._key))
            except Exception as exc:
                log.warning("token store unavailable (%s); renewing without it", type(exc).__name__)
            else:
                if await self._adopt_stored():
                    return
            await self._renew_locked()

    async def _adopt_stored(self) -> bool:
        """Take the stored pair (its access token only if not refused); True if usable now."""
        try:
            record = await self._shared.load(self._key)
        except Exception as exc:
            log.warning(
                "token store unavailable (%s); using this client's tokens", type(exc).__name__
            )
            return False
        if record is None:
            return False
        self._adopt(record, access=record.access_token not in self._refused)
        current = self._access
        return current is not None and current.usable(self._clock())

    async def authenticate(self, options: CallOptions | None = None) -> dict[str, Any]:
        """Authenticate with the API key and secret now; return the raw token response."""
        async with self._lock:
            return await self._authenticate_locked(options or NO_OPTIONS)

    async def refresh(self, options: CallOptions | None = None) -> dict[str, Any]:
        """Refresh now (re-authenticating if the refresh token is refused or missing)."""
        async with self._lock:
            return await self._renew_locked(force_refresh=True, options=options or NO_OPTIONS)

    async def _renew_locked(
        self, *, force_refresh: bool = False, options: CallOptions | None = None
    ) -> dict[str, Any]:
        options = options or NO_OPTIONS
        refresh = self._refresh
        if refresh is not None and (force_refresh or refresh.usable(self._clock())):
            try:
                return await self._refresh_locked(refresh.value, options)
            except (AuthenticationError, MissingFieldsError) as exc:
                log.debug("refresh refused (%s); re-authenticating", exc.status_code)
                self._refused.add(refresh.value.reveal())
                self._refresh = None
        return await self._authenticate_locked(options)

    async def _authenticate_locked(self, options: CallOptions) -> dict[str, Any]:
        log.debug("authenticating")
        body = {**(options.extra_body or {}), "email": self._email, "api_secret": self._api_secret}
        headers: dict[str, str | Secret] = {
            **_without(options.extra_headers or {}, "x-api-key"),
            "x-api-key": self._api_key,
        }
        return await self._exchange(
            RequestSpec(AUTHENTICATE, json=body, headers=headers, timeout=options.timeout)
        )

    async def _refresh_locked(self, refresh_token: Secret, options: CallOptions) -> dict[str, Any]:
        log.debug("refreshing the access token")
        headers: dict[str, str | Secret] = {
            **_without(options.extra_headers or {}, "authorization"),
            "Authorization": Secret("Bearer " + refresh_token.reveal()),
        }
        return await self._exchange(
            RequestSpec(
                REFRESH,
                json=dict(options.extra_body or {}) or None,
                headers=headers,
                timeout=options.timeout,
            )
        )

    async def _exchange(self, spec: RequestSpec) -> dict[str, Any]:
        body = await self._send(spec)
        record = self._store(body)
        try:
            await self._shared.save(self._key, record)
        except Exception as exc:
            log.warning(
                "token store unavailable (%s); tokens kept in this client only", type(exc).__name__
            )
        return body  # type: ignore[no-any-return]

    def _store(self, body: Any) -> TokenRecord:
        record = (
            TokenRecord.from_json({**body, "received_at": self._clock()})
            if isinstance(body, dict)
            else None
        )
        if record is None:
            raise ResponseDecodeError("auth response has no access_token string", path="$")
        for key, value in (
            ("access_token", record.access_token),
            ("refresh_token", record.refresh_token),
        ):
            if value is not None and not (value and header_value_ok(value)):
                # Stored, it would make every later call fail inside aiohttp; refused, the
                # next call simply authenticates again.
                raise ResponseDecodeError(
                    f"auth response has a {key} that cannot be sent in a header (empty, or "
                    "contains a control character)",
                    path=f"$.{key}",
                )
        self._refused.clear()
        self._adopt(record, access=True)
        return record

    def _adopt(self, record: TokenRecord, *, access: bool) -> None:
        now = record.received_at
        if access:
            self._access = make_token(
                record.access_token, record.expires_in, now=now, skew=self._skew
            )
        if record.refresh_token is not None and record.refresh_token not in self._refused:
            self._refresh = make_token(
                record.refresh_token, record.refresh_expires_in, now=now, skew=self._skew
            )


def _without(headers: Mapping[str, str | Secret], name: str) -> dict[str, str | Secret]:
    """``headers`` minus ``name`` in any letter case (HTTP header names ignore case)."""
    return {k: v for k, v in headers.items() if k.lower() != name}


def _copy_of(exc: Exception) -> Exception:
    """A shallow copy of ``exc`` with a fresh traceback (``__init__`` is not re-run)."""
    clone = type(exc).__new__(type(exc), *exc.args)
    clone.__dict__.update(exc.__dict__)
    return clone
