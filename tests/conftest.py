"""Shared fixtures: an aioresponses mock with the aiohttp 3.14 shim, and client factories."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from aioresponses import aioresponses

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async._retry import instant_backoff
from tests._support.credentials import TEST_BASE_URL, TEST_CREDENTIALS
from tests._support.mocked import patched_aioresponses

# pytester runs the README's test example in a bare project (tests/test_readme.py).
pytest_plugins = ("pytester",)


@pytest.fixture
def mock_api() -> Iterator[aioresponses]:
    """aioresponses, patched for aiohttp 3.14 when needed; nothing reaches the network."""
    with patched_aioresponses() as mocked:
        yield mocked


@pytest.fixture
def no_backoff() -> Iterator[None]:
    """Make retry backoff instant for the test."""
    with instant_backoff():
        yield


@pytest.fixture
async def mock_client() -> AsyncIterator[AsyncNudgescribe]:
    """A client for the fake base URL that aioresponses intercepts."""
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=TEST_BASE_URL) as c:
        yield c
