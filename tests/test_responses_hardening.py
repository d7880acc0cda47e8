"""Responses and retries at the edges: typed errors or the right success, never silent damage."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses

import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async._auth import TokenManager
from nudgescribe_async._types import RequestSpec
from nudgescribe_async.testing import ReferenceServer
from nudgescribe_sync.testing import SyncReferenceServer
from tests._support.credentials import TEST_BASE_URL, TEST_CREDENTIALS, make_jwt

CG = "/v1/cg"


@pytest.fixture
async def hardening_server() -> AsyncIterator[ReferenceServer]:
    """A reference server."""
    async with ReferenceServer() as srv:
        yield srv


@pytest.fixture
async def hardening_client(hardening_server: ReferenceServer) -> AsyncIterator[AsyncNudgescribe]:
    """A client of that server, authenticated."""
    async with AsyncNudgescribe(**hardening_server.client_kwargs(), timeout=5) as c:
        await c.auth.authenticate()
        yield c


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"d": value}
    return value


async def test_success_false_in_a_2xx_is_a_typed_error(
    hardening_server: ReferenceServer, hardening_client: AsyncNudgescribe
) -> None:
    """200 {"success": false} raises APIStatusError (status 200), never a model."""
    ws = hardening_server.seed_workspace("Shop")
    group = hardening_server.seed_group(ws.workspace_id, "VIP")
    hardening_server.faults.add(
        CG,
        method="DELETE",
        kind="fail",
        status=200,
        body={"success": False, "message": "nothing was deleted"},
    )
    with pytest.raises(ns.APIStatusError) as info:
        await hardening_client.customer_groups.delete(group.customer_group_id)
    assert info.value.status_code == 200 and "nothing was deleted" in str(info.value)
    hardening_server.faults.add(
        "/v1/messages/publish", kind="fail", status=200, body={"success": False}
    )
    with pytest.raises(ns.APIStatusError, match="success"):
        await hardening_client.messages.publish("c1")


async def test_deeply_nested_json_from_the_server_is_a_decode_error(
    hardening_server: ReferenceServer, hardening_client: AsyncNudgescribe
) -> None:
    """Unknown keys nested 200 levels deep give ResponseDecodeError; error bodies stay usable."""
    ws = hardening_server.seed_workspace("Shop")
    body = {"success": True, "customer_groups": [], "surprise": _nested(200)}
    hardening_server.faults.add(CG, method="POST", kind="fail", status=200, body=body, times=2)
    with pytest.raises(ns.ResponseDecodeError, match="nested"):
        await hardening_client.customer_groups.list(ws.workspace_id)
    with pytest.raises(ns.ResponseDecodeError, match="nested"):
        await hardening_client.request("POST", CG, json={"workspace_id": ws.workspace_id})
    hardening_server.faults.add(CG, method="POST", kind="fail", status=500, body=_nested(200))
    with pytest.raises(ns.ServerError) as info:
        await hardening_client.with_options(max_retries=0).customer_groups.list(ws.workspace_id)
    assert repr(info.value) and str(info.value)


@pytest.mark.parametrize("depth", [600, 1000])
async def test_json_nested_close_to_the_parser_limit_is_a_decode_error(
    mock_api: aioresponses, depth: int
) -> None:
    """JSON nested 600-1000 levels deep gives ResponseDecodeError, not RecursionError."""
    deep = '{"d":' * depth + "1" + "}" * depth
    mock_api.post(f"{TEST_BASE_URL}/v1/auth", payload={"access_token": "a.b.c"})
    mock_api.post(
        f"{TEST_BASE_URL}{CG}", body='{"success":true,"customer_groups":[],"x":' + deep + "}"
    )
    mock_api.post(f"{TEST_BASE_URL}{CG}", body=deep)
    mock_api.post(f"{TEST_BASE_URL}{CG}", status=400, body=deep)
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=TEST_BASE_URL) as client:
        with pytest.raises(ns.ResponseDecodeError):
            await client.customer_groups.list("ws_1")
        with pytest.raises(ns.ResponseDecodeError):
            await client.request("POST", CG, json={})
        with pytest.raises(ns.BadRequestError) as info:
            await client.customer_groups.list("ws_1")
    assert repr(info.value) and str(info.value) and repr(info.value.body)


async def test_retried_delete_that_already_succeeded_is_success(
    hardening_server: ReferenceServer, hardening_client: AsyncNudgescribe
) -> None:
    """A DELETE applied on the server whose answer was lost succeeds on the resend's 404."""
    ws = hardening_server.seed_workspace("Shop")
    group = hardening_server.seed_group(ws.workspace_id, "VIP")
    hardening_server.faults.add(CG, method="DELETE", kind="drop_after")
    result = await hardening_client.customer_groups.delete(group.customer_group_id)
    assert "already deleted" in (result.message or "")
    assert hardening_server.request_count(CG, "DELETE") == 2
    # A plain 404 (no lost attempt before it) is still NotFoundError.
    with pytest.raises(ns.NotFoundError):
        await hardening_client.customer_groups.delete(group.customer_group_id)


async def test_refresh_failing_with_5xx_keeps_the_still_valid_token() -> None:
    """A renewal that fails with 503 while the access token is still valid keeps using it."""
    now = [1000.0]
    answers: list[Any] = [
        {
            "access_token": make_jwt(100, now=1000.0),
            "refresh_token": make_jwt(1000, now=1000.0, kind="refresh"),
        }
    ]

    async def send(spec: RequestSpec) -> Any:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    tokens = TokenManager(
        send, api_key="k", email="e", api_secret="s", refresh_skew=60, clock=lambda: now[0]
    )
    first = await tokens.access_token()
    now[0] = 1060.0  # stale (renew at 1050) but valid until 1100
    answers.append(ns.ServerError("down", status_code=503, method="GET", url="u"))
    assert await tokens.access_token() == first
    assert await tokens.access_token() == first  # no second renewal right away
    now[0] = 1101.0  # really expired: the failure now reaches the caller
    answers.append(ns.ServerError("down", status_code=503, method="GET", url="u"))
    with pytest.raises(ns.ServerError):
        await tokens.access_token()


async def test_pager_detects_an_empty_page_and_a_wrong_page_number(
    hardening_server: ReferenceServer, hardening_client: AsyncNudgescribe
) -> None:
    """An empty page that claims more pages, or the wrong page, is a typed error after a prefix."""
    ws = hardening_server.seed_workspace("Shop")
    hardening_server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
    group = hardening_server.seed_group(ws.workspace_id, "All")
    hardening_server.seed_customers(group.customer_group_id, count=2000)
    everything = [
        c.customer_id
        async for c in hardening_client.customers.list(group.customer_group_id, page_size=100)
    ]
    assert len(everything) == 2000
    bad_pages = [
        {"success": True, "page": 7, "page_size": 100, "customers": [], "total_pages": 20},
        {"success": True, "page": 3, "page_size": 100, "customers": [], "total_pages": 20},
    ]
    for body in bad_pages:
        for _ in range(6):  # let a few good pages through first
            hardening_server.faults.add("/v1/customer", method="POST", kind="latency", seconds=0)
        hardening_server.faults.add(
            "/v1/customer", method="POST", kind="fail", status=200, body=body
        )
        seen: list[str] = []
        with pytest.raises(ns.ResponseDecodeError, match="page"):
            async for customer in hardening_client.customers.list(
                group.customer_group_id, page_size=100, concurrency=4
            ):
                seen.append(customer.customer_id)
        assert seen == everything[: len(seen)] and len(seen) < 2000
        hardening_server.faults.clear()


async def test_retry_after_beyond_the_deadline_is_not_slept(
    hardening_server: ReferenceServer, hardening_client: AsyncNudgescribe
) -> None:
    """With Retry-After: 10 and a 2 s deadline the call fails at once with RateLimitError."""
    ws = hardening_server.seed_workspace("Shop")
    hardening_server.faults.add(CG, method="POST", kind="rate_limit", retry_after=10, times=None)
    started = time.monotonic()
    with pytest.raises(ns.RateLimitError) as info:
        await hardening_client.with_options(deadline=2).customer_groups.list(ws.workspace_id)
    assert time.monotonic() - started < 1.0
    assert info.value.retry_after == 10


async def test_deadline_bounds_every_attempt_and_wait(
    hardening_server: ReferenceServer, hardening_client: AsyncNudgescribe
) -> None:
    """Slow answers and retries stop at the overall deadline, not at timeout x attempts."""
    ws = hardening_server.seed_workspace("Shop")
    hardening_server.faults.add(CG, method="POST", kind="latency", seconds=3, times=None)
    patient = hardening_client.with_options(timeout=2, max_retries=5, deadline=1)
    started = time.monotonic()
    with pytest.raises(ns.APITimeoutError):
        await patient.customer_groups.list(ws.workspace_id)
    assert time.monotonic() - started < 1.8


@pytest.mark.parametrize("compressible", [True, False])
async def test_response_over_the_size_cap_is_a_typed_error(
    hardening_server: ReferenceServer, compressible: bool
) -> None:
    """A body beyond max_response_bytes raises ResponseDecodeError (plain or compressed)."""
    ws = hardening_server.seed_workspace("Shop")
    pad = "x" * 300_000 if compressible else secrets.token_urlsafe(300_000)
    hardening_server.faults.add(
        CG,
        method="POST",
        kind="fail",
        status=200,
        body={"success": True, "customer_groups": [], "pad": pad},
    )
    async with AsyncNudgescribe(
        **hardening_server.client_kwargs(), max_response_bytes=100_000
    ) as c:
        with pytest.raises(ns.ResponseDecodeError, match="max_response_bytes"):
            await c.customer_groups.list(ws.workspace_id)
        assert (await c.customer_groups.list(ws.workspace_id)).customer_groups == []


async def test_calls_after_close_or_on_a_closed_session_are_typed(
    hardening_server: ReferenceServer,
) -> None:
    """After aclose(), or with a closed borrowed session, calls raise ClientClosedError."""
    ws = hardening_server.seed_workspace("Shop")
    client = AsyncNudgescribe(**hardening_server.client_kwargs())
    await client.customer_groups.list(ws.workspace_id)
    await client.aclose()
    with pytest.raises(ns.ClientClosedError, match="closed"):
        await client.customer_groups.list(ws.workspace_id)
    session = aiohttp.ClientSession()
    await session.close()
    borrowed = AsyncNudgescribe(**hardening_server.client_kwargs(), session=session)
    with pytest.raises(ns.ClientClosedError, match="session"):
        await borrowed.customer_groups.list(ws.workspace_id)


def test_a_client_reused_in_a_second_asyncio_run_says_what_to_do() -> None:
    """A client used in one asyncio.run() raises ClientClosedError with advice in the next."""
    with SyncReferenceServer() as server:
        ws = server.call(lambda: server.server.seed_workspace("Shop")).workspace_id
        # The server drops the first call's connection, so loop 1 leaves no socket behind.
        server.call(lambda: server.server.faults.add(CG, method="POST", kind="drop"))
        client = AsyncNudgescribe(**server.server.client_kwargs(), max_retries=0)
        with pytest.raises(ns.APIConnectionError):
            asyncio.run(client.customer_groups.list(ws))
        with pytest.raises(ns.ClientClosedError, match="one client per event loop"):
            asyncio.run(client.customer_groups.list(ws))
        asyncio.run(client.aclose())


async def test_expires_in_as_a_float_is_accepted(
    hardening_server: ReferenceServer, hardening_client: AsyncNudgescribe
) -> None:
    """auth.authenticate() accepts expires_in: 3600.0 (any JSON number)."""
    answer = await hardening_client.auth.authenticate()
    hardening_server.faults.add(
        "/v1/auth",
        method="POST",
        kind="fail",
        status=200,
        body={
            "success": True,
            "access_token": answer.access_token,
            "refresh_token": answer.refresh_token,
            "token_type": "Bearer",
            "expires_in": 3600.0,
            "refresh_expires_in": 7200.5,
        },
    )
    tokens = await hardening_client.auth.authenticate()
    assert tokens.expires_in == 3600.0 and tokens.refresh_expires_in == 7200.5


async def test_faults_behave_the_same_after_a_server_restart() -> None:
    """After stop and start, latency still delays and hang still hangs."""
    server = ReferenceServer()
    await server.start()
    await server.close()
    await server.start()
    try:
        ws = server.seed_workspace("Shop")
        async with AsyncNudgescribe(**server.client_kwargs(), timeout=0.5, max_retries=0) as client:
            server.faults.add(CG, method="POST", kind="latency", seconds=0.3)
            started = time.monotonic()
            await client.customer_groups.list(ws.workspace_id)
            assert time.monotonic() - started >= 0.3
            server.faults.add(CG, method="POST", kind="hang")
            with pytest.raises(ns.APITimeoutError):
                await client.customer_groups.list(ws.workspace_id)
    finally:
        await server.close()
