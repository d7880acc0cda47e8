"""``client.auth``: explicit authentication (normally automatic)."""

from __future__ import annotations

from nudgescribe_async._convert import structure_response
from nudgescribe_async.models.auth import TokenResponse
from nudgescribe_async.resources._base import AsyncResource

__all__ = ["AsyncAuth"]


class AsyncAuth(AsyncResource):
    """Authenticate or refresh now; the client otherwise does both when needed."""

    async def authenticate(self) -> TokenResponse:
        """Authenticate with the API key, email and secret (``POST /v1/auth``).

        >>> tokens = await client.auth.authenticate()  # doctest: +SKIP
        >>> tokens.expires_in  # doctest: +SKIP
        1209600
        """
        data = await self._client._tokens.authenticate()
        return structure_response(data, TokenResponse, url=self._url("/v1/auth"))

    async def refresh(self) -> TokenResponse:
        """Refresh the access token with the refresh token (``GET /v1/auth``).

        Falls back to full authentication when the refresh token is missing or refused.
        """
        data = await self._client._tokens.refresh()
        return structure_response(data, TokenResponse, url=self._url("/v1/auth"))
