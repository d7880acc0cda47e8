"""Models of ``/v1/auth``: the token pair returned by authenticate and re-authenticate."""

from __future__ import annotations

import attrs

from .base import Model

__all__ = ["TokenResponse"]


@attrs.frozen(kw_only=True)
class TokenResponse(Model):
    """The tokens from ``POST /v1/auth`` or ``GET /v1/auth``; tokens are hidden from ``repr``."""

    access_token: str = attrs.field(repr=False)
    """The bearer token for every other call (a JWT; 14 days by default)."""
    refresh_token: str | None = attrs.field(default=None, repr=False)
    """The token for ``GET /v1/auth`` (15 days by default); ``None`` if a refresh omits it."""
    token_type: str = "Bearer"
    """Always ``"Bearer"`` per the contract."""
    expires_in: float | None = None
    """Access token lifetime in seconds (any JSON number: ``3600`` and ``3600.0`` alike)."""
    refresh_expires_in: float | None = None
    """Refresh token lifetime in seconds (any JSON number)."""
