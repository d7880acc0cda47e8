"""Shared fixtures: an aioresponses mock with the aiohttp 3.14 shim, and client factories."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any
from unittest import mock

import aiohttp
import pytest
from aioresponses import aioresponses, core

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async._retry import instant_backoff

from .helpers import TEST_BASE_URL, TEST_CREDENTIALS, make_jwt

# pytester runs the README's test example in a bare project (tests/test_readme.py).
pytest_plugins = ("pytester",)


class _CompatClientResponse(aiohttp.ClientResponse):
    """aioresponses 0.7.9 builds ClientResponse without aiohttp 3.14's ``stream_writer``.

    Upstream: pnuckowski/aioresponses#289 (fixes #288/#292 unmerged). A writer mock with
    ``output_size=0`` is all the response needs. Use mocked bodies under 64 KiB only (3.14's
    ``pause_reading`` asserts on larger ones); large bodies go through the reference server.
    Delete this class when aioresponses releases a fix.
    """

    def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", mock.Mock(output_size=0))
        super().__init__(method, url, **kwargs)


_NEEDS_SHIM = "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters


@pytest.fixture
def mock_api() -> Iterator[aioresponses]:
    """aioresponses, patched for aiohttp 3.14 when needed; nothing reaches the network."""
    patch = (
        mock.patch.object(core, "ClientResponse", _CompatClientResponse)
        if _NEEDS_SHIM
        else mock.patch.object(core, "ClientResponse", aiohttp.ClientResponse)
    )
    with patch, aioresponses() as mocked:
        yield mocked


@pytest.fixture
def no_backoff() -> Iterator[None]:
    """Make retry backoff instant for the test."""
    with instant_backoff():
        yield


@pytest.fixture
async def client() -> AsyncIterator[AsyncNudgescribe]:
    """A client for the fake base URL that aioresponses intercepts."""
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=TEST_BASE_URL) as c:
        yield c


def auth_payload(access_ttl: float = 3600, refresh_ttl: float = 7200) -> dict[str, Any]:
    """A token response whose JWTs expire after the given seconds."""
    return {
        "success": True,
        "access_token": make_jwt(access_ttl),
        "refresh_token": make_jwt(refresh_ttl, kind="refresh"),
        "token_type": "Bearer",
        "expires_in": int(access_ttl),
        "refresh_expires_in": int(refresh_ttl),
    }
