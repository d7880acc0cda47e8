"""The seams between the layers: a transport without tokens, the sender's 403 rule, and
resources that are built from a sender and a config, never from the client."""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

import nudgescribe_async as ns
from nudgescribe_async import resources
from nudgescribe_async._config import resolve_config
from nudgescribe_async._connection import Connection
from nudgescribe_async._endpoints import CUSTOMER_GROUP_DELETE, CUSTOMER_GROUP_LIST
from nudgescribe_async._secrets import Secret
from nudgescribe_async._sender import BearerSender
from nudgescribe_async._transport import RETRY_COUNT_HEADER, Transport
from nudgescribe_async._types import RequestSpec
from nudgescribe_async.models import CustomerGroupList
from nudgescribe_async.resources import AsyncCustomerGroups
from nudgescribe_async.resources._base import AsyncResource
from tests._support.credentials import TEST_BASE_URL, TEST_CREDENTIALS

CG_URL = f"{TEST_BASE_URL}/v1/cg"
CONFIG = resolve_config(**TEST_CREDENTIALS, base_url=TEST_BASE_URL)


@pytest.fixture
async def transport() -> AsyncIterator[Transport]:
    """A bare transport for the fake base URL, closed after the test."""
    connection = Connection()
    yield Transport(CONFIG, connection)
    await connection.close()


def _sent(mock_api: aioresponses, method: str, url: str) -> list[Any]:
    return mock_api.requests.get((method, URL(url)), [])


class CountingAuth:
    """A transport auth hook that knows nothing of tokens: it numbers the attempts it signs."""

    def __init__(self, resend_on: int | None = None) -> None:
        self.signed = 0
        self.statuses: list[int] = []
        self._resend_on = resend_on

    async def apply(self, headers: MutableMapping[str, str]) -> None:
        self.signed += 1
        headers["Authorization"] = f"Test {self.signed}"

    def resend(self, status: int) -> bool:
        self.statuses.append(status)
        if status == self._resend_on:
            self._resend_on = None
            return True
        return False


def test_the_transport_has_no_token_knowledge() -> None:
    """Transport takes a config and a connection only, and has no token attribute."""
    assert list(inspect.signature(Transport).parameters) == ["config", "connection"]
    transport = Transport(CONFIG, Connection())
    assert not any("token" in name for name in vars(transport))


async def test_the_transport_asks_its_auth_hook_on_every_attempt(
    mock_api: aioresponses, transport: Transport, no_backoff: None
) -> None:
    """A retry after backoff is signed afresh by the hook (as a renewed token would be)."""
    mock_api.post(CG_URL, status=503, payload={"success": False})
    mock_api.post(CG_URL, payload={"success": True})
    auth = CountingAuth()
    assert await transport.request(RequestSpec(CUSTOMER_GROUP_LIST, json={}), auth) == {
        "success": True
    }
    headers = [c.kwargs["headers"] for c in _sent(mock_api, "POST", CG_URL)]
    assert [h["Authorization"] for h in headers] == ["Test 1", "Test 2"]
    assert [h.get(RETRY_COUNT_HEADER) for h in headers] == [None, "1"]
    assert auth.statuses == [503]


async def test_a_hook_resend_is_immediate_and_not_a_retry(
    mock_api: aioresponses, transport: Transport
) -> None:
    """When the hook asks for a resend, the same attempt goes again: no retry count, no backoff."""
    mock_api.post(CG_URL, status=403, payload={"success": False, "message": "no"})
    mock_api.post(CG_URL, payload={"success": True})
    auth = CountingAuth(resend_on=403)
    await transport.request(RequestSpec(CUSTOMER_GROUP_LIST, json={}), auth)
    headers = [c.kwargs["headers"] for c in _sent(mock_api, "POST", CG_URL)]
    assert [h["Authorization"] for h in headers] == ["Test 1", "Test 2"]
    assert [h.get(RETRY_COUNT_HEADER) for h in headers] == [None, None]


async def test_without_a_hook_no_credentials_are_added(
    mock_api: aioresponses, transport: Transport
) -> None:
    """A call without an auth hook (the token exchange itself) carries no Authorization."""
    mock_api.post(CG_URL, payload={"success": True})
    await transport.request(RequestSpec(CUSTOMER_GROUP_LIST, json={}))
    assert "Authorization" not in _sent(mock_api, "POST", CG_URL)[0].kwargs["headers"]


class FakeTokens:
    """Stands in for the token manager: hands out t1, then t2 once t1 is invalidated."""

    def __init__(self) -> None:
        self.current = Secret("t1")
        self.invalidated: list[str] = []

    def usable_token(self) -> Secret | None:
        return self.current

    async def access_token(self) -> Secret:  # pragma: no cover - usable_token always answers
        return self.current

    def invalidate(self, failed: Secret) -> None:
        self.invalidated.append(failed.reveal())
        if failed is self.current:
            self.current = Secret(f"t{len(self.invalidated) + 1}")


def _sender(transport: Transport, tokens: FakeTokens) -> BearerSender:
    return BearerSender(transport, tokens)  # type: ignore[arg-type]


async def test_the_sender_renews_once_after_a_403_and_sends_once_more(
    mock_api: aioresponses, transport: Transport
) -> None:
    """403: the token that failed is invalidated, the call goes again with the new one."""
    tokens = FakeTokens()
    mock_api.post(CG_URL, status=403, payload={"success": False, "message": "revoked"})
    mock_api.post(CG_URL, payload={"success": True})
    await _sender(transport, tokens).send(RequestSpec(CUSTOMER_GROUP_LIST, json={}))
    headers = [c.kwargs["headers"] for c in _sent(mock_api, "POST", CG_URL)]
    assert [h["Authorization"] for h in headers] == ["Bearer t1", "Bearer t2"]
    assert headers[0]["x-auth-context"] == '{"api_access":true,"api_code":"code-42"}'
    assert headers[0]["x-ip"] == "127.0.0.1"
    assert tokens.invalidated == ["t1"]


async def test_the_sender_renews_only_once_per_call(
    mock_api: aioresponses, transport: Transport
) -> None:
    """A second 403 on the same call raises AuthenticationError: one renewal, two sends."""
    tokens = FakeTokens()
    mock_api.post(CG_URL, status=403, payload={"success": False, "message": "no"}, repeat=True)
    with pytest.raises(ns.AuthenticationError):
        await _sender(transport, tokens).send(RequestSpec(CUSTOMER_GROUP_LIST, json={}))
    assert len(_sent(mock_api, "POST", CG_URL)) == 2
    assert tokens.invalidated == ["t1"]


async def test_a_403_after_a_lost_delete_still_ends_in_already_deleted(
    mock_api: aioresponses, transport: Transport, no_backoff: None
) -> None:
    """Timeout, 403 (renewed), 404 on a DELETE: the first attempt deleted it; success."""
    tokens = FakeTokens()
    mock_api.delete(CG_URL, exception=TimeoutError())
    mock_api.delete(CG_URL, status=403, payload={"success": False, "message": "revoked"})
    mock_api.delete(CG_URL, status=404, payload={"success": False, "message": "gone"})
    result = await _sender(transport, tokens).send(
        RequestSpec(CUSTOMER_GROUP_DELETE, json={"customer_group_id": "cg_1"})
    )
    assert result["success"] is True
    headers = [c.kwargs["headers"] for c in _sent(mock_api, "DELETE", CG_URL)]
    assert [h.get(RETRY_COUNT_HEADER) for h in headers] == [None, "1", "1"]


class RecordingSender:
    """A sender that records what a resource sends and answers from a script."""

    def __init__(self, answer: Any) -> None:
        self.specs: list[RequestSpec] = []
        self._answer = answer

    async def send(self, spec: RequestSpec) -> Any:
        self.specs.append(spec)
        return self._answer

    def url_text(self, path: str) -> str:
        return f"{TEST_BASE_URL}{path}"


async def test_a_resource_is_built_from_a_sender_and_a_config() -> None:
    """A resource needs no client: it sends its endpoint, body and options through the sender."""
    sender = RecordingSender({"success": True, "customer_groups": []})
    groups = AsyncCustomerGroups(sender, CONFIG)
    result = await groups.list("ws_1", extra_body={"x": 1}, extra_headers={"x-t": "1"}, timeout=5)
    assert result == CustomerGroupList(customer_groups=[])
    (spec,) = sender.specs
    assert spec.endpoint is CUSTOMER_GROUP_LIST
    assert spec.json == {"workspace_id": "ws_1", "x": 1}
    assert spec.headers == {"x-t": "1"} and spec.timeout == 5


def test_no_resource_takes_or_touches_the_client() -> None:
    """AsyncResource takes a sender and a config; no resource module names the client."""
    assert list(inspect.signature(AsyncResource).parameters) == ["sender", "config"]
    folder = Path(resources.__file__).parent
    touching = [
        path.name
        for path in folder.glob("*.py")
        if re.search(r"_client\b|AsyncNudgescribe", path.read_text(encoding="utf-8"))
    ]
    assert touching == []
