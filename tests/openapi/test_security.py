"""Each security header the document requires is enforced by the reference server.

Dropping one of ``Authorization``, ``x-auth-context`` or ``x-ip`` from any authenticated
operation answers the documented 403 with a message naming what is missing (schemathesis'
``missing_required_header`` check expects 401 for Authorization, which this API reserves for
missing body fields, so this test takes its place). ``POST /v1/auth`` without ``x-api-key``
answers 401 (a missing field, as published).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import orjson
import pytest

from nudgescribe_async.testing import ReferenceServer
from tests._support.openapi_doc import OPS, Operation, response_validator

AUTHENTICATED = [op for op in OPS.values() if op.path != "/v1/auth"]
DROPPED = {"Authorization": "bearer token", "x-auth-context": "x-auth-context", "x-ip": "x-ip"}


@pytest.fixture
async def served() -> AsyncIterator[tuple[ReferenceServer, aiohttp.ClientSession, str]]:
    """A server, a session and a demo access token."""
    async with ReferenceServer() as server, aiohttp.ClientSession() as session:
        creds = server.demo_credentials
        async with session.post(
            f"{server.base_url}/v1/auth",
            json={"email": creds.email, "api_secret": creds.api_secret},
            headers={"x-api-key": creds.api_key},
        ) as reply:
            token = (await reply.json())["access_token"]
        yield server, session, token


@pytest.mark.parametrize("op", AUTHENTICATED, ids=lambda op: op.key)
async def test_each_missing_security_header_is_a_documented_403_naming_it(
    served: tuple[ReferenceServer, aiohttp.ClientSession, str], op: Operation
) -> None:
    """Without one security header: 403, a body valid per the document, the header named."""
    server, session, token = served
    full = {
        "Authorization": f"Bearer {token}",
        "x-ip": "127.0.0.1",
        "x-auth-context": orjson.dumps({"api_access": True, "api_code": "DEMO"}).decode(),
        "Content-Type": "application/json",
    }
    for header, named in DROPPED.items():
        headers = {k: v for k, v in full.items() if k != header}
        async with session.request(
            op.method, server.base_url + op.path, data=b"{}", headers=headers
        ) as reply:
            body = orjson.loads(await reply.read())
        assert reply.status == 403, (op.key, header, body)
        assert named in body["message"], (op.key, header, body)
        assert not list(response_validator(op, 403).iter_errors(body))


async def test_authenticate_without_api_key_is_401_missing_field(
    served: tuple[ReferenceServer, aiohttp.ClientSession, str],
) -> None:
    """POST /v1/auth without x-api-key: 401 naming it (a missing field, not an auth failure)."""
    server, session, _ = served
    creds = server.demo_credentials
    async with session.post(
        f"{server.base_url}/v1/auth", json={"email": creds.email, "api_secret": creds.api_secret}
    ) as reply:
        body = orjson.loads(await reply.read())
    assert reply.status == 401 and "x-api-key" in body["message"]
    assert not list(response_validator(OPS["POST /v1/auth"], 401).iter_errors(body))
