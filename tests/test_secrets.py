"""Secrets stay out of exception text, logs and captured locals, whatever the server echoes."""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Awaitable

import pytest
from aioresponses import aioresponses

import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer
from tests._support.credentials import SECRETS, TEST_BASE_URL, TEST_CREDENTIALS

CG = "/v1/cg"


@pytest.fixture
async def secrets_server(no_backoff: None) -> AsyncIterator[ReferenceServer]:
    """A reference server with instant client backoff."""
    async with ReferenceServer() as srv:
        yield srv


@pytest.fixture
async def secrets_client(secrets_server: ReferenceServer) -> AsyncIterator[AsyncNudgescribe]:
    """A client of that server, authenticated."""
    async with AsyncNudgescribe(**secrets_server.client_kwargs(), max_retries=0) as c:
        await c.auth.authenticate()
        yield c


def _secrets_of(server: ReferenceServer) -> list[str]:
    """Key, secret and the last bearer token the server saw (api_code "DEMO" is too short to
    scrub from text without mangling words; it is kept out of reprs instead)."""
    creds = server.demo_credentials
    token = server.requests[-1].headers.get("Authorization", "")
    values = [creds.api_key, creds.api_secret]
    if token.startswith("Bearer "):
        values.append(token.removeprefix("Bearer "))
    return values


async def _failure(call: Awaitable[object]) -> BaseException:
    """The SDK error ``call`` raises; the traceback starts here, in a frame with no secrets."""
    try:
        await call
    except ns.NudgescribeError as exc:
        return exc
    raise AssertionError("the call succeeded")


def _with_locals(exc: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(exc, capture_locals=True).format())


def _everything_about(exc: BaseException) -> str:
    parts = [str(exc), repr(exc), repr(vars(exc))]
    parts += traceback.format_exception(type(exc), exc, exc.__traceback__)
    return "\n".join(parts)


async def test_echoed_credentials_never_reach_the_exception(
    secrets_server: ReferenceServer, secrets_client: AsyncNudgescribe
) -> None:
    """A server echoing key, secret and token in message, error_code and body is scrubbed."""
    ws = secrets_server.seed_workspace("Shop")
    await secrets_client.customer_groups.list(ws.workspace_id)
    secrets = _secrets_of(secrets_server)
    key, secret, token = secrets
    secrets_server.faults.add(
        CG,
        method="POST",
        kind="fail",
        status=400,
        body={
            "message": f"bad key {key} / {secret}",
            "error_code": token,
            "echo": {"auth": f"Bearer {token}"},
            "errors": [{"field": "x", "message": secret}],
        },
    )
    with pytest.raises(ns.BadRequestError) as info:
        await secrets_client.customer_groups.list(ws.workspace_id)
    text = _everything_about(info.value) + repr(info.value.body) + repr(info.value.errors)
    for value in secrets:
        assert value not in text
    assert "***" in info.value.message


async def test_echoed_token_in_a_success_body_that_fails_to_decode_is_scrubbed(
    secrets_server: ReferenceServer, secrets_client: AsyncNudgescribe
) -> None:
    """A malformed 200 whose body echoes the token gives a decode error without the token."""
    ws = secrets_server.seed_workspace("Shop")
    await secrets_client.customer_groups.list(ws.workspace_id)
    token = _secrets_of(secrets_server)[2]
    secrets_server.faults.add(
        CG, method="POST", kind="fail", status=200, body={"success": True, "customer_groups": token}
    )
    with pytest.raises(ns.ResponseDecodeError) as info:
        await secrets_client.customer_groups.list(ws.workspace_id)
    claims = token.split(".")[1]
    assert claims[:24] not in _everything_about(info.value)


async def test_redirect_location_echoing_the_key_is_scrubbed(mock_api: aioresponses) -> None:
    """A redirect whose Location carries the API key names the target without the key."""
    mock_api.post(f"{TEST_BASE_URL}/v1/auth", payload={"access_token": "a.b.c"})
    key = TEST_CREDENTIALS["api_key"]
    mock_api.post(
        f"{TEST_BASE_URL}/v1/cg",
        status=302,
        headers={"Location": f"https://elsewhere.test/{key}/x"},
    )
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=TEST_BASE_URL) as client:
        with pytest.raises(ns.APIStatusError) as info:
            await client.customer_groups.list("ws_1")
    assert "elsewhere.test" in str(info.value)
    for value in SECRETS:
        assert value not in _everything_about(info.value)


async def test_captured_locals_on_failure_paths_hold_no_secret(
    secrets_server: ReferenceServer, secrets_client: AsyncNudgescribe
) -> None:
    """Tracebacks with capture_locals (as Sentry or rich show them) show no key or token."""
    ws = secrets_server.seed_workspace("Shop")
    await secrets_client.customer_groups.list(ws.workspace_id)
    secrets = _secrets_of(secrets_server)
    for kind in ("fail", "drop", "truncate"):
        secrets_server.faults.add(CG, method="POST", kind=kind, status=500)  # type: ignore[arg-type]
        text = _with_locals(await _failure(secrets_client.customer_groups.list(ws.workspace_id)))
        assert "workspace_id = " in text  # locals were captured
        for value in secrets:
            assert value not in text, kind
    # The authentication itself failing: its body and headers carried the secret and key.
    secrets_server.faults.add("/v1/auth", method="POST", kind="fail", status=503)
    text = _with_locals(await _failure(secrets_client.auth.authenticate()))
    for value in secrets[:2]:
        assert value not in text


async def test_debug_logs_show_no_secret(
    secrets_server: ReferenceServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Every DEBUG/INFO record of a login, a call, a retry and a failure is free of secrets."""
    ws = secrets_server.seed_workspace("Shop")
    secrets_server.faults.add(
        CG,
        method="POST",
        kind="fail",
        status=503,
        message=f"echo {secrets_server.demo_credentials.api_secret}",
    )
    caplog.set_level(logging.DEBUG, logger="nudgescribe")
    async with AsyncNudgescribe(**secrets_server.client_kwargs()) as client:
        await client.customer_groups.list(ws.workspace_id)
        logging.getLogger("nudgescribe").info(
            "user logs the key %s", secrets_server.demo_credentials.api_key
        )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged
    for value in _secrets_of(secrets_server):
        assert value not in logged


def test_secret_repr_and_scrub() -> None:
    """A Secret's repr hides the value; scrub_text masks live secrets and Bearer credentials."""
    from nudgescribe_async._secrets import Secret, scrub_text

    secret = Secret("very-secret-value")
    assert "very" not in repr(secret) and "very" not in str(secret) and "very" not in f"{secret}"
    assert scrub_text("x very-secret-value y") == "x *** y"
    assert scrub_text("Authorization: bearer abc.def") == "Authorization: bearer ***"
    with pytest.raises(TypeError):
        __import__("pickle").dumps(secret)


@pytest.mark.parametrize("bad", ["tok\r\nX-Evil: 1", "tok\nen", "tok\x00en", "tok\x1fen", ""])
async def test_token_with_control_characters_is_refused_and_client_recovers(
    secrets_server: ReferenceServer, bad: str
) -> None:
    """A token with a control character is a typed error; the next call logs in again."""
    ws = secrets_server.seed_workspace("Shop")
    secrets_server.faults.add(
        "/v1/auth",
        method="POST",
        kind="fail",
        status=200,
        body={"success": True, "access_token": bad, "refresh_token": bad, "expires_in": 3600},
    )
    async with AsyncNudgescribe(**secrets_server.client_kwargs()) as client:
        with pytest.raises(ns.ResponseDecodeError, match="header"):
            await client.customer_groups.list(ws.workspace_id)
        groups = await client.customer_groups.list(ws.workspace_id)
    assert groups.customer_groups == []


@pytest.mark.parametrize("where", ["path", "query", "header"])
async def test_refused_escape_hatch_arguments_never_echo_a_credential(where: str) -> None:
    """`client.request()` refusing a path or header pasted with a credential scrubs it."""
    secret = TEST_CREDENTIALS["api_secret"]
    path, headers = "/v1/cg", None
    if where == "path":
        path = f"/v1/{secret}/../cg"
    elif where == "query":
        path = f"/v1/cg?key={secret}"
    else:
        headers = {"x-note": f"{secret}\r\nX-Evil: 1"}
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=TEST_BASE_URL) as client:
        with pytest.raises(ns.RequestValidationError) as caught:
            await client.request("POST", path, extra_headers=headers)
    assert secret not in str(caught.value) and secret not in repr(caught.value.args)
