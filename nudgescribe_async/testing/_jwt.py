"""Minimal HS256 JSON Web Tokens (RFC 7519) built on the standard library.

The server signs access and refresh tokens with one random secret per server instance. Claims:
``user_id``, ``account_id``, ``role_code`` (as published), the standard ``exp`` and ``iat``
(NumericDate, may carry fractions of a second so 1-2 s test tokens are exact), ``typ``
(``"access"`` or ``"refresh"``), ``gen`` (the account's token generation, bumped by
``ReferenceServer.revoke_tokens``) and a unique ``jti``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import orjson

__all__ = ["TokenError", "decode_token", "encode_token"]

_HEADER = {"alg": "HS256", "typ": "JWT"}


class TokenError(Exception):
    """The token is malformed, badly signed or expired."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_token(claims: dict[str, Any], secret: bytes) -> str:
    """Return a compact HS256 JWT carrying ``claims``."""
    signing_input = _b64url(orjson.dumps(_HEADER)) + "." + _b64url(orjson.dumps(claims))
    signature = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + _b64url(signature)


def decode_token(token: str, secret: bytes, *, now: float) -> dict[str, Any]:
    """Verify ``token`` and return its claims; raise :class:`TokenError` if unusable."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenError("malformed token")
    signing_input = (parts[0] + "." + parts[1]).encode("ascii", "replace")
    expected = hmac.new(secret, signing_input, hashlib.sha256).digest()
    try:
        signature = _unb64url(parts[2])
        header = orjson.loads(_unb64url(parts[0]))
        claims = orjson.loads(_unb64url(parts[1]))
    except (ValueError, orjson.JSONDecodeError) as exc:
        raise TokenError("malformed token") from exc
    if not hmac.compare_digest(signature, expected) or header.get("alg") != "HS256":
        raise TokenError("invalid token signature")
    if not isinstance(claims, dict):
        raise TokenError("malformed token")
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or exp <= now:
        raise TokenError("token expired")
    return claims
