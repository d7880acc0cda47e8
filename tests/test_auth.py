"""Token lock behaviour against a small in-test aiohttp server over loopback."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from nudgescribe_async import AsyncNudgescribe, AuthenticationError, ServerError
from nudgescribe_async._auth import jwt_claims, make_token
from tests._support.credentials import TEST_CREDENTIALS, make_jwt


@attrs.define
class AuthServer:
    """A tiny auth server: issues JWTs with chosen lifetimes and checks bearer tokens."""

    access_ttl: float = 3600
    refresh_ttl: float = 7200
    refuse_refresh: bool = False
    auth_status: int = 200
    calls: Counter[str] = attrs.field(factory=Counter)
    valid_access: set[str] = attrs.field(factory=set)
    valid_refresh: set[str] = attrs.field(factory=set)

    def issue(self) -> web.Response:
        access, refresh = make_jwt(self.access_ttl), make_jwt(self.refresh_ttl, kind="refresh")
        self.valid_access.add(access)
        self.valid_refresh.add(refresh)
        return web.json_response(
            {
                "success": True,
                "access_token": access,
                "refresh_token": refresh,
                "token_type": "Bearer",
                "expires_in": int(self.access_ttl),
                "refresh_expires_in": int(self.refresh_ttl),
            }
        )

    async def authenticate(self, request: web.Request) -> web.Response:
        self.calls["authenticate"] += 1
        if self.auth_status != 200:
            return web.json_response({"success": False, "message": "down"}, status=self.auth_status)
        body = await request.json()
        if (
            request.headers.get("x-api-key") != TEST_CREDENTIALS["api_key"]
            or body.get("api_secret") != TEST_CREDENTIALS["api_secret"]
        ):
            return web.json_response({"success": False, "message": "bad key"}, status=403)
        return self.issue()

    async def refresh(self, request: web.Request) -> web.Response:
        self.calls["refresh"] += 1
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.refuse_refresh or token not in self.valid_refresh:
            return web.json_response({"success": False, "message": "refresh refused"}, status=403)
        return self.issue()

    async def read(self, request: web.Request) -> web.Response:
        self.calls["read"] += 1
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.valid_access:
            return web.json_response({"success": False, "message": "invalid token"}, status=403)
        return web.json_response({"success": True, "customer_groups": []})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/auth", self.authenticate)
        app.router.add_get("/v1/auth", self.refresh)
        app.router.add_post("/v1/cg", self.read)
        return app


@pytest.fixture
async def auth_server() -> AsyncIterator[tuple[AuthServer, str]]:
    state = AuthServer()
    server = TestServer(state.app(), host="127.0.0.1")
    await server.start_server()
    try:
        yield state, str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


async def _read_many(client: AsyncNudgescribe, n: int) -> None:
    await asyncio.gather(
        *(client.request("POST", "/v1/cg", json={"workspace_id": "w"}) for _ in range(n))
    )


async def test_concurrent_first_calls_authenticate_once(
    auth_server: tuple[AuthServer, str],
) -> None:
    """200 concurrent calls on a fresh client send exactly one authenticate request."""
    state, url = auth_server
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=url) as client:
        await _read_many(client, 200)
    assert state.calls == Counter(authenticate=1, read=200)


async def test_expired_access_token_refreshes_once(auth_server: tuple[AuthServer, str]) -> None:
    """200 concurrent calls with an expired access token cause exactly one refresh."""
    state, url = auth_server
    state.access_ttl = 0.4
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=url) as client:
        await client.auth.authenticate()
        state.access_ttl = 3600
        await asyncio.sleep(0.25)  # past the clamped skew (half of 0.4 s)
        await _read_many(client, 200)
    assert state.calls == Counter(authenticate=1, refresh=1, read=200)


async def test_both_tokens_expired_reauthenticates_once(
    auth_server: tuple[AuthServer, str],
) -> None:
    """200 concurrent calls with both tokens expired cause exactly one new authenticate."""
    state, url = auth_server
    state.access_ttl = state.refresh_ttl = 0.4
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=url) as client:
        await client.auth.authenticate()
        state.access_ttl = state.refresh_ttl = 3600
        await asyncio.sleep(0.25)
        await _read_many(client, 200)
    assert state.calls == Counter(authenticate=2, read=200)


async def test_revoked_token_is_renewed_once_and_call_retried(
    auth_server: tuple[AuthServer, str],
) -> None:
    """A 403 on a valid-looking token renews it once and retries the calls once each."""
    state, url = auth_server
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=url) as client:
        await client.auth.authenticate()
        state.valid_access.clear()  # server-side revocation
        await _read_many(client, 50)
    assert state.calls["refresh"] == 1
    assert state.calls["read"] == 100  # each call: one 403, one success


async def test_refused_refresh_falls_back_to_authenticate(
    auth_server: tuple[AuthServer, str],
) -> None:
    """A refused refresh token leads to full re-authentication."""
    state, url = auth_server
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=url) as client:
        await client.auth.authenticate()
        state.refuse_refresh = True
        tokens = await client.auth.refresh()
    assert state.calls == Counter(authenticate=2, refresh=1)
    assert tokens.access_token in state.valid_access


async def test_persistent_403_raises_authentication_error(
    auth_server: tuple[AuthServer, str],
) -> None:
    """Bad credentials raise AuthenticationError without looping."""
    state, url = auth_server
    creds: dict[str, Any] = {**TEST_CREDENTIALS, "api_secret": "wrong"}
    async with AsyncNudgescribe(**creds, base_url=url) as client:
        with pytest.raises(AuthenticationError) as info:
            await client.request("POST", "/v1/cg", json={})
    assert info.value.status_code == 403
    assert state.calls["authenticate"] == 1
    assert "wrong" not in str(info.value)


async def test_failed_renewal_is_shared_by_waiting_callers(
    auth_server: tuple[AuthServer, str], no_backoff: None
) -> None:
    """When authentication fails, 50 queued callers share one failed attempt, not 50."""
    state, url = auth_server
    state.auth_status = 503
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=url, max_retries=1) as client:
        results = await asyncio.gather(
            *(client.request("POST", "/v1/cg", json={}) for _ in range(50)), return_exceptions=True
        )
        assert all(isinstance(r, ServerError) for r in results)
        assert state.calls["authenticate"] == 2  # one renewal: first try + one retry
        # Each waiter has its own exception (short traceback), caused by the one failure.
        assert len({id(r) for r in results}) == 50
        causes = {
            id(r.__cause__)
            for r in results
            if isinstance(r, BaseException) and r.__cause__ is not None
        }
        assert len(causes) == 1
        assert all(r.status_code == 503 for r in results if isinstance(r, ServerError))
        state.auth_status = 200
        await client.request("POST", "/v1/cg", json={})  # the next call tries afresh
    assert state.calls["authenticate"] == 3


def test_expiry_comes_from_jwt_claims() -> None:
    """The token's lifetime is its JWT exp - iat claim, not expires_in."""
    jwt = make_jwt(100, now=1000.0)
    token = make_token(jwt, 999999, now=1000.0, skew=10)
    assert jwt_claims(jwt)["exp"] == 1100.0
    assert token.expires_at == 1100.0
    assert token.renew_at == 1090.0


def test_lifetime_is_anchored_at_arrival_despite_clock_skew() -> None:
    """A server clock an hour off neither expires the token at once nor extends it."""
    jwt = make_jwt(600, now=1000.0)  # server time 1000
    ahead = make_token(jwt, None, now=1000.0 + 3600, skew=60)  # our clock an hour ahead
    behind = make_token(jwt, None, now=1000.0 - 3600, skew=60)
    assert ahead.usable(1000.0 + 3600 + 500) and not ahead.usable(1000.0 + 3600 + 540)
    assert behind.usable(1000.0 - 3600 + 500) and not behind.usable(1000.0 - 3600 + 540)


def test_skew_is_clamped_to_half_the_lifetime() -> None:
    """A 4-second token is renewed after 2 seconds even with a 60-second skew."""
    token = make_token(make_jwt(4, now=1000.0), None, now=1000.0, skew=60)
    assert token.renew_at == 1002.0
    assert token.usable(1001.9) and not token.usable(1002.0)


def test_expires_in_is_the_fallback_for_opaque_tokens() -> None:
    """A token that is not a JWT expires after expires_in seconds."""
    token = make_token("opaque-token", 300, now=50.0, skew=60)
    assert token.expires_at == 350.0
    assert token.renew_at == 290.0


async def test_cancelled_renewal_leaves_no_stale_error_for_waiters() -> None:
    """A waiter behind a cancelled renewal renews itself instead of raising an old error."""
    from nudgescribe_async._auth import TokenManager
    from nudgescribe_async._types import RequestSpec

    calls: list[str] = []
    gate = asyncio.Event()

    async def send(spec: RequestSpec) -> dict[str, Any]:
        calls.append(spec.path)
        if len(calls) == 1:
            raise ServerError("down", status_code=503, method="POST", url="u")
        if len(calls) == 2:
            await gate.wait()  # never set: this renewal gets cancelled
        return {"access_token": make_jwt(3600), "refresh_token": make_jwt(7200)}

    tokens = TokenManager(send, api_key="k", email="e", api_secret="s", refresh_skew=60)
    with pytest.raises(ServerError):
        await tokens.access_token()
    first = asyncio.ensure_future(tokens.access_token())
    await asyncio.sleep(0.01)  # first now holds the lock, stuck in send
    second = asyncio.ensure_future(tokens.access_token())
    await asyncio.sleep(0.01)
    first.cancel()
    assert (await second).reveal().count(".") == 2  # a JWT, not the stale ServerError
    assert len(calls) == 3
    with pytest.raises(asyncio.CancelledError):
        await first


def test_bare_exp_in_our_past_falls_back_to_expires_in() -> None:
    """A JWT with exp but no iat that looks expired by our clock uses expires_in instead."""
    import base64

    claims = base64.urlsafe_b64encode(b'{"exp": 1000}').rstrip(b"=").decode()
    token = make_token(f"e30.{claims}.sig", 600, now=5000.0, skew=60)
    assert token.expires_at == 5600.0 and token.usable(5500.0)
