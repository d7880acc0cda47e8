"""The mocked API's fake base URL and credentials, the secrets tests scan for, and fake JWTs."""

from __future__ import annotations

import base64
import itertools
import time
from typing import Any

import orjson

TEST_BASE_URL = "http://127.0.0.1:9"
TEST_CREDENTIALS = {
    "api_key": "key-SECRET-abc123",
    "email": "dev@example.com",
    "api_secret": "secret-SECRET-xyz789",
    "api_code": "code-42",
    "client_ip": "127.0.0.1",
}
SECRETS = ("key-SECRET-abc123", "secret-SECRET-xyz789")

_serial = itertools.count()


def make_jwt(ttl: float, *, kind: str = "access", now: float | None = None) -> str:
    """An unsigned-looking JWT whose ``exp`` is ``ttl`` seconds away (each one unique)."""
    issued = time.time() if now is None else now

    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(obj)).rstrip(b"=").decode()

    claims = {
        "iat": issued,
        "exp": issued + ttl,
        "user_id": "u1",
        "account_id": "a1",
        "role_code": "admin",
        "kind": kind,
        "n": next(_serial),
    }
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def auth_payload(access_ttl: float = 3600, refresh_ttl: float = 7200) -> dict[str, Any]:
    """A token response whose JWTs expire after the given seconds."""
    return {
        "success": True,
        "access_token": make_jwt(access_ttl),
        "refresh_token": make_jwt(refresh_ttl, kind="refresh"),
        "token_type": "Bearer",
        "expires_in": int(access_ttl),
        "refresh_expires_in": int(refresh_ttl),
    }
