"""Compressed transfers: the client asks for what aiohttp decodes, the server compresses."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator

import aiohttp
import orjson
import pytest

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer


async def _seeded(server: ReferenceServer, count: int) -> str:
    ws = server.seed_workspace("Main")
    server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
    group = server.seed_group(ws.workspace_id, "All")
    server.seed_customers(group.customer_group_id, count=count)
    return group.customer_group_id


@pytest.fixture
async def compressing() -> AsyncIterator[ReferenceServer]:
    """A reference server that compresses answers of 8 KiB or more when asked."""
    async with ReferenceServer(compress_min_bytes=8192) as server:
        yield server


async def test_client_accepts_every_encoding_aiohttp_decodes(
    compressing: ReferenceServer,
) -> None:
    """Requests carry Accept-Encoding: gzip and deflate, plus br/zstd when their decoders exist."""
    group = await _seeded(compressing, 10)
    async with AsyncNudgescribe(**compressing.client_kwargs()) as client:
        await client.customers.get_page(group, 1)
    accepted = {v.strip() for v in compressing.requests[-1].headers["Accept-Encoding"].split(",")}
    assert {"gzip", "deflate"} <= accepted
    assert ("br" in accepted) == (
        importlib.util.find_spec("brotli") is not None
        or importlib.util.find_spec("brotlicffi") is not None
    )


async def test_large_answers_are_compressed_and_decoded(compressing: ReferenceServer) -> None:
    """A 1000-customer page travels gzip-compressed, far smaller, and decodes to the same data."""
    group = await _seeded(compressing, 1000)
    async with ReferenceServer() as plain:  # compression is off by default
        plain_group = await _seeded(plain, 1000)
        async with AsyncNudgescribe(**plain.client_kwargs()) as client:
            expected = await client.customers.get_page(plain_group, 1, page_size=1000)
        plain_bytes = plain.bytes_sent
    async with AsyncNudgescribe(**compressing.client_kwargs()) as client:
        page = await client.customers.get_page(group, 1, page_size=1000)
    assert len(page.customers) == len(expected.customers) == 1000
    assert page.customers[0].profile.keys() == expected.customers[0].profile.keys()
    assert compressing.bytes_sent * 3 < plain_bytes


async def test_server_compresses_only_large_answers_when_asked(
    compressing: ReferenceServer,
) -> None:
    """Content-Encoding is gzip for a large answer, absent for a small one or for identity."""
    group = await _seeded(compressing, 500)
    async with AsyncNudgescribe(**compressing.client_kwargs()) as client:
        await client.customers.count_pages(group)  # logs in
        token = (await client._tokens.access_token()).reveal()
    headers = {
        "Authorization": f"Bearer {token}",
        "x-ip": "127.0.0.1",
        "x-auth-context": orjson.dumps(
            {"api_access": True, "api_code": compressing.demo_credentials.api_code}
        ).decode(),
    }
    url = f"{compressing.base_url}/v1/customer"
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        encodings = []
        for size, accept in ((500, "gzip, deflate"), (1, "gzip, deflate"), (500, "identity")):
            body = {"customer_group_id": group, "page": 1, "page_size": size}
            async with session.post(
                url, json=body, headers={**headers, "Accept-Encoding": accept}
            ) as resp:
                assert resp.status == 200
                encodings.append(resp.headers.get("Content-Encoding"))
    assert encodings == ["gzip", None, None]
