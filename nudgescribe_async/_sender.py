"""The authenticated sender: bearer headers on every attempt and the 403 renew-once rule.

The layers, wired one way (each built whole, none reaching into another)::

    resources ──> Sender ──> Transport          HTTP, retries, error mapping; no tokens
                     │            ▲
                     └──> TokenManager          renews tokens through the transport's send

:class:`BearerSender` hands the transport one :class:`_Bearer` per call. The transport asks it
for the auth headers before every attempt, so a retry after backoff carries the token that is
current then, and tells it every error status; on a 403 the bearer invalidates the token it
sent (the token manager forgets it only if it is still the current one: a concurrent call may
have renewed it already) and asks for the same attempt once more, at once. The retry count,
the call's deadline and the "DELETE found nothing after a lost attempt" rule span both sends,
as they are the transport's.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from ._netinfo import outbound_ip
from ._secrets import Secret
from ._types import RequestSpec

if TYPE_CHECKING:
    from ._auth import TokenManager
    from ._transport import Transport

__all__ = ["BearerSender", "Sender"]


class Sender(Protocol):
    """What a resource sends its calls through (tests pass their own)."""

    async def send(self, spec: RequestSpec) -> Any:
        """Send ``spec`` authenticated; return the decoded JSON body of the 2xx answer."""
        ...

    def url_text(self, path: str) -> str:
        """The absolute URL of an API path, as error messages name it."""
        ...


class BearerSender:
    """Sends calls with the token manager's access token and the API's context headers."""

    def __init__(self, transport: Transport, tokens: TokenManager) -> None:
        config = transport.config
        self._transport = transport
        self._tokens = tokens
        self._auth_context = orjson.dumps(
            {"api_access": True, "api_code": config.api_code}
        ).decode()
        self._client_ip = config.client_ip
        self._host = config.base_url.host

    async def send(self, spec: RequestSpec) -> Any:
        """Send ``spec`` with bearer auth; a 403 renews the token once and sends once more."""
        return await self._transport.request(spec, _Bearer(self))

    def url_text(self, path: str) -> str:
        """The absolute URL of an API path, as error messages name it."""
        return self._transport.url_text(path)


class _Bearer:
    """The bearer authentication of one call (the transport's ``RequestAuth``)."""

    __slots__ = ("_renewed", "_sender", "_token")

    def __init__(self, sender: BearerSender) -> None:
        self._sender = sender
        self._token: Secret | None = None
        self._renewed = False

    async def apply(self, headers: MutableMapping[str, str]) -> None:
        """Add the access token (renewed first if stale), x-auth-context and x-ip."""
        sender = self._sender
        tokens = sender._tokens
        # The token coroutine only when the current token will not do (renewal).
        token = tokens.usable_token()
        if token is None:
            token = await tokens.access_token()
        self._token = token
        headers["Authorization"] = "Bearer " + token.reveal()
        headers["x-auth-context"] = sender._auth_context
        headers["x-ip"] = sender._client_ip or outbound_ip(sender._host)

    def resend(self, status: int) -> bool:
        """A 403 on this call's first renewal: forget the token that failed, send again."""
        if status != 403 or self._token is None or self._renewed:
            return False
        # Revoked or expired early: renew the token once and retry once.
        self._renewed = True
        self._sender._tokens.invalidate(self._token)
        return True
