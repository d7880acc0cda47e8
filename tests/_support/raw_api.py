"""For the reference-server contract tests: an ``Api`` that sends raw aiohttp requests with the
contract's headers (these tests never use the SDK)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

from nudgescribe_async.testing import Credentials, ReferenceServer


@dataclass
class Reply:
    """A response read in full: status, headers and decoded JSON body (None if not JSON)."""

    status: int
    headers: Mapping[str, str]
    body: Any


class Api:
    """Sends raw requests to the server, authenticated as one account."""

    def __init__(
        self, server: ReferenceServer, session: aiohttp.ClientSession, creds: Credentials
    ) -> None:
        self.server, self.session, self.creds = server, session, creds
        self.access_token = ""
        self.refresh_token = ""

    def headers(self, **extra: str) -> dict[str, str]:
        """Return the contract's authenticated headers (overridable per call)."""
        context = orjson.dumps({"api_access": True, "api_code": self.creds.api_code}).decode()
        out = {
            "Authorization": f"Bearer {self.access_token}",
            "x-auth-context": context,
            "x-ip": "203.0.113.7",
        }
        out.update(extra)
        return out

    async def login(self) -> Reply:
        """Authenticate and keep the tokens."""
        reply = await self.raw(
            "POST",
            "/v1/auth",
            headers={"x-api-key": self.creds.api_key},
            json={"email": self.creds.email, "api_secret": self.creds.api_secret},
        )
        assert reply.status == 200, reply.body
        self.access_token = reply.body["access_token"]
        self.refresh_token = reply.body["refresh_token"]
        return reply

    async def reauth(self, token: str) -> Reply:
        """Send ``GET /v1/auth`` with ``token`` as the bearer."""
        return await self.raw("GET", "/v1/auth", headers={"Authorization": f"Bearer {token}"})

    async def raw(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        data: Any = None,
    ) -> Reply:
        """Send a request with exactly the given headers."""
        async with self.session.request(
            method, self.server.base_url + path, headers=dict(headers or {}), json=json, data=data
        ) as resp:
            raw = await resp.read()
            try:
                body = orjson.loads(raw) if raw else None
            except orjson.JSONDecodeError:
                body = raw.decode()
            return Reply(resp.status, resp.headers, body)

    async def call(self, method: str, path: str, json: Any = None, **headers: str) -> Reply:
        """Send an authenticated request with the contract headers."""
        return await self.raw(method, path, headers=self.headers(**headers), json=json)

    async def ok(self, method: str, path: str, json: Any = None) -> Any:
        """Send an authenticated request and return the body, asserting 200."""
        reply = await self.call(method, path, json)
        assert reply.status == 200, (reply.status, reply.body)
        assert reply.body["success"] is True
        return reply.body
