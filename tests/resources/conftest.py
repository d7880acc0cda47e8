"""Fixtures for the resource tests: a mocked API with auth answered, and a reference server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import attrs
import orjson
import pytest
from aioresponses import aioresponses
from yarl import URL

from nudgescribe_async import AsyncNudgescribe, RequestValidationError
from nudgescribe_async.testing import ReferenceServer
from tests.conftest import auth_payload
from tests.helpers import TEST_BASE_URL


def url(path: str) -> str:
    """The mocked absolute URL of an API path."""
    return f"{TEST_BASE_URL}{path}"


@pytest.fixture
def api(mock_api: aioresponses) -> aioresponses:
    """The aioresponses mock with ``POST /v1/auth`` answered for every test call."""
    mock_api.post(url("/v1/auth"), payload=auth_payload(), repeat=True)
    return mock_api


def calls(mock: aioresponses, method: str, path: str) -> list[Any]:
    """The recorded calls of ``method path`` (aioresponses RequestCall objects)."""
    return list(mock.requests.get((method, URL(url(path))), []))


def sent_json(mock: aioresponses, method: str, path: str, index: int = 0) -> Any:
    """The decoded JSON body of the ``index``-th call of ``method path``."""
    return orjson.loads(calls(mock, method, path)[index].kwargs["data"])


def sent_headers(mock: aioresponses, method: str, path: str, index: int = 0) -> Any:
    """The headers of the ``index``-th call of ``method path``."""
    return calls(mock, method, path)[index].kwargs["headers"]


def api_calls(mock: aioresponses) -> list[tuple[str, URL]]:
    """Every recorded (method, URL) except authentication."""
    return [key for key in mock.requests if key[1].path != "/v1/auth"]


async def assert_refused_before_io(
    api: aioresponses, client: AsyncNudgescribe, call: Any, argument: str
) -> None:
    """``await call(client)`` raises RequestValidationError naming ``argument``; nothing sent."""
    with pytest.raises(RequestValidationError) as info:
        await call(client)
    assert info.value.argument == argument
    assert api.requests == {}


def ok(**payload: Any) -> dict[str, Any]:
    """A success envelope with ``payload`` at the top level."""
    return {"success": True, **payload}


@pytest.fixture
async def ref_server() -> AsyncIterator[ReferenceServer]:
    """A running, empty reference server on an ephemeral loopback port."""
    async with ReferenceServer() as server:
        yield server


@pytest.fixture
async def ref_client(ref_server: ReferenceServer) -> AsyncIterator[AsyncNudgescribe]:
    """A client logged in to the reference server as the demo account (with its decrypt hook)."""
    async with AsyncNudgescribe(
        **ref_server.client_kwargs(), decrypt=ref_server.demo_credentials.decrypt
    ) as client:
        yield client


@attrs.frozen
class World:
    """Ids of a seeded workspace: ``email`` (unique, required), ``tier`` and ``joined`` fields."""

    workspace_id: str
    group_id: str


@pytest.fixture
def world(ref_server: ReferenceServer) -> World:
    """A workspace with three profile fields and one empty customer group."""
    ws = ref_server.seed_workspace("Shop")
    ref_server.seed_profile_field(ws.workspace_id, "email", is_unique=True, is_required=True)
    ref_server.seed_profile_field(ws.workspace_id, "tier")
    ref_server.seed_profile_field(ws.workspace_id, "joined", "Date", field_format="yyyy-MM-dd")
    group = ref_server.seed_group(ws.workspace_id, "Everyone")
    return World(ws.workspace_id, group.customer_group_id)
