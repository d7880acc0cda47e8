"""Wire-level behaviour of the transport: headers, status mapping, retries, timeouts."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from aioresponses import aioresponses
from yarl import URL

import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async._transport import RETRY_COUNT_HEADER, USER_AGENT
from nudgescribe_async.models import HeaderError, RowError
from tests._support.credentials import SECRETS, TEST_BASE_URL, TEST_CREDENTIALS, auth_payload

AUTH_URL = f"{TEST_BASE_URL}/v1/auth"
CG_URL = f"{TEST_BASE_URL}/v1/cg"


def _sent(mock_api: aioresponses, method: str, url: str) -> list[Any]:
    return mock_api.requests.get((method, URL(url)), [])


async def test_authenticated_call_sends_contract_headers(
    mock_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """Every authenticated call carries bearer, compact x-auth-context, x-ip and User-Agent."""
    tokens = auth_payload()
    mock_api.post(AUTH_URL, payload=tokens)
    mock_api.post(CG_URL, payload={"success": True, "customer_groups": []})
    result = await mock_client.request("POST", "/v1/cg", json={"workspace_id": "ws1"})
    assert result == {"success": True, "customer_groups": []}
    auth_call = _sent(mock_api, "POST", AUTH_URL)[0]
    assert auth_call.kwargs["headers"]["x-api-key"] == TEST_CREDENTIALS["api_key"]
    assert orjson.loads(auth_call.kwargs["data"]) == {
        "email": TEST_CREDENTIALS["email"],
        "api_secret": TEST_CREDENTIALS["api_secret"],
    }
    headers = _sent(mock_api, "POST", CG_URL)[0].kwargs["headers"]
    assert headers["Authorization"] == f"Bearer {tokens['access_token']}"
    assert headers["x-auth-context"] == '{"api_access":true,"api_code":"code-42"}'
    assert headers["x-ip"] == "127.0.0.1"
    assert headers["User-Agent"] == USER_AGENT
    assert headers["Content-Type"] == "application/json"
    sent_body = _sent(mock_api, "POST", CG_URL)[0].kwargs["data"]
    assert orjson.loads(sent_body) == {"workspace_id": "ws1"}


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (400, {"message": "campaign not Published"}, ns.BadRequestError),
        (
            400,
            {"message": "invalid", "row_errors": [{"row": 1, "field": "f", "message": "m"}]},
            ns.UploadValidationError,
        ),
        (401, {"message": "email is required"}, ns.MissingFieldsError),
        (403, {"message": "invalid token"}, ns.AuthenticationError),
        (404, {"message": "campaign not found"}, ns.NotFoundError),
        (409, {"message": "duplicate name"}, ns.ConflictError),
        (429, {"message": "slow down"}, ns.RateLimitError),
        (429, {"message": "quota spent", "error_code": "quota_exceeded"}, ns.QuotaExceededError),
        (500, {"message": "boom"}, ns.ServerError),
        (502, {"message": "bad gateway"}, ns.ServerError),
        (503, {"message": "unavailable"}, ns.ServerError),
        (504, {"message": "gateway timeout"}, ns.ServerError),
    ],
)
async def test_status_maps_to_exception_class(
    mock_api: aioresponses,
    mock_client: AsyncNudgescribe,
    status: int,
    body: dict[str, Any],
    cls: type[ns.APIStatusError],
) -> None:
    """Each contract status raises its class with status, message, request_id, method, URL."""
    mock_api.post(AUTH_URL, payload=auth_payload(), repeat=True)
    mock_api.get(AUTH_URL, payload=auth_payload(), repeat=True)  # a 403 renews the token once
    mock_api.put(
        CG_URL,
        status=status,
        payload={"success": False, **body},
        headers={"x-request-id": "req-7"},
        repeat=True,
    )
    with pytest.raises(cls) as info:
        await mock_client.request("PUT", "/v1/cg", json={"workspace_id": "w", "name": "n"})
    err = info.value
    assert type(err) is cls
    assert (err.status_code, err.message, err.request_id) == (status, body["message"], "req-7")
    assert (err.method, err.url) == ("PUT", CG_URL)
    assert "req-7" in str(err) and str(status) in str(err)


async def test_upload_error_exposes_header_and_row_errors(
    mock_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """UploadValidationError exposes the server's header and row errors."""
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.post(
        f"{TEST_BASE_URL}/v1/customer/check",
        status=400,
        payload={
            "success": False,
            "message": "invalid upload",
            "valid": False,
            "header_errors": [{"column": "nope", "message": "unknown field"}],
            "row_errors": [{"row": 2, "field": "age", "message": "not a number"}],
        },
    )
    with pytest.raises(ns.UploadValidationError) as info:
        await mock_client.request("POST", "/v1/customer/check", json={})
    assert info.value.header_errors == [HeaderError(column="nope", message="unknown field")]
    assert info.value.row_errors == [RowError(row=2, field="age", message="not a number")]


async def test_read_retries_503_twice_then_succeeds(
    mock_api: aioresponses, mock_client: AsyncNudgescribe, no_backoff: None
) -> None:
    """503, 503, 200 on a read succeeds after 3 attempts, counting retries in a header."""
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.post(CG_URL, status=503, payload={"success": False})
    mock_api.post(CG_URL, status=503, payload={"success": False})
    mock_api.post(CG_URL, payload={"success": True, "customer_groups": []})
    assert (await mock_client.request("POST", "/v1/cg", json={}))["success"] is True
    calls = _sent(mock_api, "POST", CG_URL)
    assert len(calls) == 3
    assert [c.kwargs["headers"].get(RETRY_COUNT_HEADER) for c in calls] == [None, "1", "2"]


async def test_create_is_not_retried(
    mock_api: aioresponses, mock_client: AsyncNudgescribe, no_backoff: None
) -> None:
    """A 503 on a PUT create raises at once: creating twice is not safe."""
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.put(CG_URL, status=503, payload={"success": False}, repeat=True)
    with pytest.raises(ns.ServerError):
        await mock_client.request("PUT", "/v1/cg", json={"workspace_id": "w", "name": "n"})
    assert len(_sent(mock_api, "PUT", CG_URL)) == 1


async def test_retries_stop_after_max_retries(
    mock_api: aioresponses, mock_client: AsyncNudgescribe, no_backoff: None
) -> None:
    """A read that keeps failing is tried 1 + max_retries times, then raises."""
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.post(CG_URL, status=500, payload={"success": False}, repeat=True)
    with pytest.raises(ns.ServerError):
        await mock_client.with_options(max_retries=4).request("POST", "/v1/cg", json={})
    assert len(_sent(mock_api, "POST", CG_URL)) == 5


async def test_quota_exceeded_is_not_retried(
    mock_api: aioresponses, mock_client: AsyncNudgescribe, no_backoff: None
) -> None:
    """A 429 quota_exceeded raises at once: waiting does not refill a quota."""
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.post(
        CG_URL,
        status=429,
        repeat=True,
        payload={"success": False, "error_code": "quota_exceeded", "message": "q"},
    )
    with pytest.raises(ns.QuotaExceededError):
        await mock_client.request("POST", "/v1/cg", json={})
    assert len(_sent(mock_api, "POST", CG_URL)) == 1


async def test_connection_refused_is_retried_even_for_creates(no_backoff: None) -> None:
    """A refused connection (request never sent) is retried, then APIConnectionError."""
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url="http://127.0.0.1:1") as client:
        with pytest.raises(ns.APIConnectionError) as info:
            await client.request("PUT", "/v1/cg", json={})
    assert "POST http://127.0.0.1:1/v1/auth" in str(info.value)


async def test_non_json_success_raises_decode_error(
    mock_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """A 200 whose body is not JSON raises ResponseDecodeError with an excerpt and the URL."""
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.post(CG_URL, body="<html>gateway</html>", content_type="text/html")
    with pytest.raises(ns.ResponseDecodeError) as info:
        await mock_client.request("POST", "/v1/cg", json={})
    assert "<html>gateway" in info.value.excerpt
    assert info.value.url == str(CG_URL)
    assert str(CG_URL) in str(info.value)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def live() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    """Start a loopback server whose /v1/cg POST handler the test supplies."""
    servers: list[TestServer] = []

    async def start(handler: Handler) -> str:
        async def auth(_: web.Request) -> web.Response:
            return web.json_response(auth_payload())

        app = web.Application()
        app.router.add_post("/v1/auth", auth)
        app.router.add_post("/v1/cg", handler)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield start
    for server in servers:
        await server.close()


async def test_retry_after_is_honoured(live: Callable[[Handler], Awaitable[str]]) -> None:
    """A 429 with Retry-After: 1 makes the client wait about a second before retrying."""
    seen: list[float] = []

    async def handler(_: web.Request) -> web.Response:
        seen.append(time.monotonic())
        if len(seen) == 1:
            return web.json_response({"success": False}, status=429, headers={"Retry-After": "1"})
        return web.json_response({"success": True})

    url = await live(handler)
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=url) as client:
        await client.request("POST", "/v1/cg", json={})
    assert len(seen) == 2
    assert 0.9 <= seen[1] - seen[0] < 3.0


async def test_hung_server_raises_timeout_within_budget(
    live: Callable[[Handler], Awaitable[str]], no_backoff: None
) -> None:
    """A server that never answers raises APITimeoutError within the configured timeout."""

    async def hang(_: web.Request) -> web.Response:
        await asyncio.sleep(30)
        return web.json_response({})

    url = await live(hang)
    async with AsyncNudgescribe(
        **TEST_CREDENTIALS, base_url=url, timeout=0.3, max_retries=1
    ) as client:
        started = time.monotonic()
        with pytest.raises(ns.APITimeoutError):
            await client.request("POST", "/v1/cg", json={})
        elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 3.0  # two attempts of 0.3 s each


async def test_per_call_timeout_overrides_default(
    live: Callable[[Handler], Awaitable[str]],
) -> None:
    """A per-call timeout applies to that call only."""

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(0.5)
        return web.json_response({"success": True})

    url = await live(slow)
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=url, max_retries=0) as client:
        with pytest.raises(ns.APITimeoutError):
            await client.request("POST", "/v1/cg", json={}, timeout=0.1)
        assert (await client.request("POST", "/v1/cg", json={}))["success"] is True


async def test_secrets_stay_out_of_repr_logs_and_errors(
    mock_api: aioresponses,
    mock_client: AsyncNudgescribe,
    caplog: pytest.LogCaptureFixture,
    no_backoff: None,
) -> None:
    """No API key, secret or token appears in repr, DEBUG logs or exception text."""
    tokens = auth_payload()
    mock_api.post(AUTH_URL, payload=tokens)
    mock_api.post(CG_URL, status=503, payload={"success": False}, repeat=True)
    caplog.set_level(logging.DEBUG, logger="nudgescribe")
    with pytest.raises(ns.ServerError) as info:
        await mock_client.request("POST", "/v1/cg", json={})
    secrets = (*SECRETS, tokens["access_token"], tokens["refresh_token"])
    texts = [
        repr(mock_client),
        str(info.value),
        repr(info.value),
        caplog.text,
        repr(mock_client._tokens),
        repr(mock_client._transport.config),
    ]
    assert caplog.text  # debug logging did happen
    for text in texts:
        for secret in secrets:
            assert secret not in text


async def test_redirects_are_not_followed(live: Callable[[Handler], Awaitable[str]]) -> None:
    """A 307 raises APIStatusError and sends nothing to the other host (no credential leak)."""
    leaked: list[str] = []

    async def elsewhere(request: web.Request) -> web.Response:
        leaked.append(request.path)
        return web.json_response({"success": True})

    other = await live(elsewhere)

    async def redirect(_: web.Request) -> web.Response:
        raise web.HTTPTemporaryRedirect(f"{other}/v1/cg")

    url = await live(redirect)
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=url) as client:
        with pytest.raises(ns.APIStatusError) as info:
            await client.request("POST", "/v1/cg", json={})
    assert info.value.status_code == 307 and "not followed" in str(info.value)
    assert leaked == []


@pytest.mark.parametrize(
    "path", ["v1/messages/publish", "/v1/messages/publish/", " /v1/customer/check"]
)
async def test_retry_rules_see_the_normalised_path(
    mock_api: aioresponses, mock_client: AsyncNudgescribe, no_backoff: None, path: str
) -> None:
    """A non-idempotent call stays non-idempotent however its path is spelled."""
    target = f"{TEST_BASE_URL}/{path.strip().strip('/')}"
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.post(target, status=503, payload={"success": False}, repeat=True)
    with pytest.raises(ns.ServerError):
        await mock_client.request("POST", path, json={})
    assert len(_sent(mock_api, "POST", target)) == 1


async def test_malformed_auth_response_does_not_leak_tokens(
    mock_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """A truncated token response raises ResponseDecodeError without the token in its text."""
    mock_api.post(
        AUTH_URL,
        body='{"success":true,"access_token":"TOKEN-abc","refresh_tok',
        content_type="application/json",
    )
    with pytest.raises(ns.ResponseDecodeError) as info:
        await mock_client.request("POST", "/v1/cg", json={})
    assert "TOKEN-abc" not in str(info.value) and "TOKEN-abc" not in info.value.excerpt
    assert '"access_token":"***"' in info.value.excerpt


async def test_user_content_type_is_kept(
    mock_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """extra_headers may override Content-Type; the SDK does not overwrite it."""
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.post(CG_URL, payload={"success": True})
    await mock_client.request(
        "POST", "/v1/cg", json={}, extra_headers={"Content-Type": "application/vnd.x+json"}
    )
    assert (
        _sent(mock_api, "POST", CG_URL)[0].kwargs["headers"]["Content-Type"]
        == "application/vnd.x+json"
    )


async def test_explicit_authenticate_takes_extras_but_credentials_win(
    mock_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """auth.authenticate() sends extra_body/extra_headers; they cannot replace credentials."""
    mock_api.post(AUTH_URL, payload=auth_payload())
    tokens = await mock_client.auth.authenticate(
        extra_body={"device": "ci", "api_secret": "spoof"},
        extra_headers={"x-trace": "t1", "X-API-Key": "spoof"},
    )
    call = _sent(mock_api, "POST", AUTH_URL)[0]
    assert orjson.loads(call.kwargs["data"]) == {
        "email": TEST_CREDENTIALS["email"],
        "api_secret": TEST_CREDENTIALS["api_secret"],
        "device": "ci",
    }
    assert call.kwargs["headers"]["x-trace"] == "t1"
    assert call.kwargs["headers"].getall("x-api-key") == [TEST_CREDENTIALS["api_key"]]
    assert "access_token" not in repr(tokens) and tokens.token_type == "Bearer"


@pytest.mark.parametrize("path", ["/v1/cg?dry_run=1", "/v1/cg#x", "/v1/../admin", "", "/v1/./cg"])
async def test_paths_with_query_or_dot_segments_are_refused(
    mock_api: aioresponses, mock_client: AsyncNudgescribe, path: str
) -> None:
    """The API takes no query strings: such paths raise RequestValidationError, nothing sent."""
    with pytest.raises(ns.RequestValidationError) as info:
        await mock_client.request("POST", path, json={})
    assert info.value.argument == "path"
    assert mock_api.requests == {}
