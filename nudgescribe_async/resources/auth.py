"""``client.auth``: explicit authentication (normally automatic)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from nudgescribe_async._convert import structure_response
from nudgescribe_async._endpoints import AUTHENTICATE
from nudgescribe_async._types import NOT_GIVEN, CallOptions, NotGiven, TimeoutLike
from nudgescribe_async.models.auth import TokenResponse
from nudgescribe_async.resources._base import AsyncResource, checked

if TYPE_CHECKING:
    from nudgescribe_async._auth import TokenManager
    from nudgescribe_async._config import ClientConfig
    from nudgescribe_async._sender import Sender

__all__ = ["AsyncAuth"]


class AsyncAuth(AsyncResource):
    """Authenticate or refresh now; the client otherwise does both when needed.

    Both go through the client's token lock, so they never race the automatic renewal. The
    credentials always win over ``extra_body`` / ``extra_headers`` keys of the same name.
    """

    def __init__(self, sender: Sender, config: ClientConfig, tokens: TokenManager) -> None:
        super().__init__(sender, config)
        self._tokens = tokens

    async def authenticate(
        self,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> TokenResponse:
        """Authenticate with the API key, email and secret (``POST /v1/auth``).

        >>> tokens = await client.auth.authenticate()  # doctest: +SKIP
        >>> tokens.expires_in  # doctest: +SKIP
        1209600
        """
        data = await self._tokens.authenticate(_checked(extra_body, extra_headers, timeout))
        return structure_response(data, TokenResponse, url=self._url(AUTHENTICATE.path))

    async def refresh(
        self,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> TokenResponse:
        """Refresh the access token with the refresh token (``GET /v1/auth``).

        Falls back to full authentication when the refresh token is missing or refused.

        >>> tokens = await client.auth.refresh()  # doctest: +SKIP
        """
        data = await self._tokens.refresh(_checked(extra_body, extra_headers, timeout))
        return structure_response(data, TokenResponse, url=self._url(AUTHENTICATE.path))


def _checked(
    extra_body: Mapping[str, Any] | None,
    extra_headers: Mapping[str, str] | None,
    timeout: TimeoutLike | NotGiven | None,
) -> CallOptions:
    """The call's options, checked (the token manager sends them as they are)."""
    body, headers = checked(CallOptions(extra_body, extra_headers, timeout))
    return CallOptions(dict(body), headers, timeout)
