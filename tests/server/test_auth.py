"""Contract §1-2: authentication, token rules and the header checks (403 vs 401)."""

from __future__ import annotations

import base64

import aiohttp
import orjson
import pytest

from nudgescribe_async.testing import ReferenceServer
from tests._support.raw_api import Api
from tests._support.worlds import ContractWorld


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    claims: dict[str, object] = orjson.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


async def test_authenticate_returns_signed_jwts_with_published_claims(raw_api: Api) -> None:
    """POST /v1/auth returns Bearer JWTs carrying user_id, account_id, role_code and exp."""
    reply = await raw_api.login()
    body = reply.body
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 14 * 86400 and body["refresh_expires_in"] == 15 * 86400
    header = orjson.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[0] + "=="))
    assert header == {"alg": "HS256", "typ": "JWT"}
    claims = _claims(body["access_token"])
    assert claims["account_id"] == raw_api.creds.account_id
    assert {"user_id", "role_code", "exp"} <= claims.keys()
    assert body["access_token"] != body["refresh_token"]


@pytest.mark.parametrize(
    ("headers", "json", "status"),
    [
        ({}, {"email": "e", "api_secret": "s"}, 401),
        ({"x-api-key": "K"}, {"api_secret": "s"}, 401),
        ({"x-api-key": "K"}, {"email": "e"}, 401),
        ({"x-api-key": "wrong"}, {"email": "E", "api_secret": "S"}, 403),
        ({"x-api-key": "K"}, {"email": "E", "api_secret": "wrong"}, 403),
        ({"x-api-key": "K"}, {"email": "other@example.test", "api_secret": "S"}, 403),
    ],
)
async def test_authenticate_failures(
    raw_api: Api, headers: dict[str, str], json: dict[str, str], status: int
) -> None:
    """Missing key/email/secret -> 401 (missing fields); wrong credentials -> 403."""
    real = {"K": raw_api.creds.api_key, "E": raw_api.creds.email, "S": raw_api.creds.api_secret}
    headers = {k: real.get(v, v) for k, v in headers.items()}
    json = {k: real.get(v, v) for k, v in json.items()}
    reply = await raw_api.raw("POST", "/v1/auth", headers=headers, json=json)
    assert reply.status == status
    assert reply.body["success"] is False and reply.body["message"]


async def test_reauthenticate_with_refresh_token(
    raw_api: Api, contract_world: ContractWorld
) -> None:
    """GET /v1/auth with the refresh token as bearer issues new working tokens."""
    reply = await raw_api.reauth(raw_api.refresh_token)
    assert reply.status == 200
    raw_api.access_token = reply.body["access_token"]
    assert (
        await raw_api.call("POST", "/v1/cg", {"workspace_id": contract_world.workspace_id})
    ).status == 200


async def test_reauthenticate_rejects_access_token_and_expired_refresh(
    raw_api: Api, contract_server: ReferenceServer
) -> None:
    """An access token cannot refresh, and an expired refresh token gives 403."""
    wrong = await raw_api.reauth(raw_api.access_token)
    assert wrong.status == 403
    contract_server.advance_clock(15 * 86400 + 1)
    expired = await raw_api.reauth(raw_api.refresh_token)
    assert expired.status == 403 and expired.body["error_code"] == "token_expired"


async def test_short_token_lifetimes_expire_access_token(
    http_session: aiohttp.ClientSession,
) -> None:
    """Fractional ttl is honoured: the access token works, then 403 once the clock passes exp."""
    async with ReferenceServer(access_token_ttl=1.5, refresh_token_ttl=3) as srv:
        ws = srv.seed_workspace("W")
        api = Api(srv, http_session, srv.demo_credentials)
        reply = await api.login()
        claims = _claims(reply.body["access_token"])
        assert 1.4 < float(claims["exp"]) - float(claims["iat"]) < 1.6  # type: ignore[arg-type]
        assert (await api.call("POST", "/v1/cg", {"workspace_id": ws.workspace_id})).status == 200
        srv.advance_clock(1.6)
        assert (await api.call("POST", "/v1/cg", {"workspace_id": ws.workspace_id})).status == 403
        refreshed = await api.reauth(api.refresh_token)
        assert refreshed.status == 200


@pytest.mark.parametrize(
    "override",
    [
        {"Authorization": ""},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": "Basic abc"},
        {"x-ip": ""},
        {"x-ip": "   "},
        {"x-auth-context": ""},
        {"x-auth-context": "{not json"},
        {"x-auth-context": '{"api_access": false, "api_code": "DEMO"}'},
        {"x-auth-context": '{"api_access": true, "api_code": "OTHER"}'},
        {"x-auth-context": '{"api_code": "DEMO"}'},
        {"x-api-key": "not-the-key"},
    ],
)
async def test_header_checks_give_403(
    raw_api: Api, contract_world: ContractWorld, override: dict[str, str]
) -> None:
    """Bad bearer, empty x-ip, bad x-auth-context or a foreign x-api-key -> 403."""
    reply = await raw_api.call("POST", "/v1/campaign/all", {}, **override)
    assert reply.status == 403, reply.body
    assert reply.body["success"] is False and reply.body["error_code"]


async def test_missing_headers_entirely_give_403(raw_api: Api) -> None:
    """Dropping x-ip or x-auth-context altogether is also 403."""
    for name in ("x-ip", "x-auth-context", "Authorization"):
        headers = raw_api.headers()
        del headers[name]
        reply = await raw_api.raw("POST", "/v1/campaign/all", headers=headers, json={})
        assert reply.status == 403, name


async def test_matching_x_api_key_is_accepted(raw_api: Api) -> None:
    """The optional x-api-key is accepted when it matches the token's account."""
    reply = await raw_api.call(
        "POST", "/v1/campaign/all", {}, **{"x-api-key": raw_api.creds.api_key}
    )
    assert reply.status == 200


async def test_auth_is_checked_before_missing_fields(raw_api: Api) -> None:
    """A call with missing fields and a bad token is 403, not 401."""
    reply = await raw_api.call("POST", "/v1/cpf", {}, Authorization="Bearer x.y.z")
    assert reply.status == 403
    assert (await raw_api.call("POST", "/v1/cpf", {})).status == 401


async def test_revoked_tokens_give_403(raw_api: Api, contract_server: ReferenceServer) -> None:
    """server.revoke_tokens() invalidates access and refresh tokens already issued."""
    contract_server.revoke_tokens()
    assert (await raw_api.call("POST", "/v1/campaign/all", {})).status == 403
    refresh = await raw_api.reauth(raw_api.refresh_token)
    assert refresh.status == 403
    await raw_api.login()
    assert (await raw_api.call("POST", "/v1/campaign/all", {})).status == 200


async def test_accounts_are_isolated(
    raw_api: Api,
    contract_server: ReferenceServer,
    http_session: aiohttp.ClientSession,
    contract_world: ContractWorld,
) -> None:
    """Another account sees none of the demo account's workspaces, groups or campaigns."""
    other = Api(contract_server, http_session, contract_server.create_account())
    await other.login()
    assert (
        await other.call("POST", "/v1/cpf", {"workspace_id": contract_world.workspace_id})
    ).status == 401
    assert (
        await other.call("POST", "/v1/cg", {"workspace_id": contract_world.workspace_id})
    ).status == 404
    pages = await other.call(
        "POST", "/v1/customer/pages", {"customer_group_id": contract_world.group_id}
    )
    assert pages.status == 404
    assert (await other.ok("POST", "/v1/campaign/all", {}))["workspaces"] == []
    # the other account's tokens are refused with the demo account's api_code
    ctx = orjson.dumps({"api_access": True, "api_code": raw_api.creds.api_code}).decode()
    foreign = await other.call("POST", "/v1/campaign/all", {}, **{"x-auth-context": ctx})
    assert foreign.status == 403


async def test_every_response_has_request_id_and_error_body(raw_api: Api) -> None:
    """x-request-id is on successes, errors and unknown routes; errors use the contract body."""
    seen = set()
    for method, path in [
        ("POST", "/v1/campaign/all"),
        ("POST", "/v1/cpf"),
        ("POST", "/v1/nope"),
        ("GET", "/v1/cpf"),
    ]:
        reply = await raw_api.call(method, path, {})
        request_id = reply.headers.get("x-request-id")
        assert request_id and request_id not in seen
        seen.add(request_id)
        if reply.status != 200:
            assert reply.body["success"] is False and isinstance(reply.body["message"], str)
    missing = await raw_api.call("POST", "/v1/cpf", {})
    assert missing.status == 401
    assert missing.body["errors"] == [
        {"field": "workspace_id", "message": "This field is required"}
    ]
    assert (await raw_api.call("POST", "/v1/nope", {})).status == 404
    assert (await raw_api.call("GET", "/v1/cpf", {})).status == 405


async def test_malformed_json_and_non_object_bodies_give_400(raw_api: Api) -> None:
    """A body that is not a JSON object is a 400 malformed value."""
    reply = await raw_api.raw(
        "POST",
        "/v1/cpf",
        headers={**raw_api.headers(), "Content-Type": "application/json"},
        data=b"{nope",
    )
    assert reply.status == 400 and reply.body["error_code"] == "malformed_json"
    assert (await raw_api.call("POST", "/v1/cpf", [1, 2])).status == 400
