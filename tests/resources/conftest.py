"""Fixtures for the resource tests: a mocked API with auth answered, and a reference server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aioresponses import aioresponses

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer
from tests._support.credentials import auth_payload
from tests._support.mocked import url
from tests._support.worlds import ShopWorld, seed_shop


@pytest.fixture
def authed_api(mock_api: aioresponses) -> aioresponses:
    """The aioresponses mock with ``POST /v1/auth`` answered for every test call."""
    mock_api.post(url("/v1/auth"), payload=auth_payload(), repeat=True)
    return mock_api


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


@pytest.fixture
def ref_world(ref_server: ReferenceServer) -> ShopWorld:
    """A workspace with three profile fields and one empty customer group."""
    return seed_shop(ref_server)
