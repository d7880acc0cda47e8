"""Fixtures for the sync facade: a reference server on its own thread and a sync client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nudgescribe_sync import Nudgescribe
from tests._support.threaded import ThreadedServer
from tests._support.worlds import ShopWorld, seed_shop


@pytest.fixture
def threaded_server() -> Iterator[ThreadedServer]:
    """A reference server with the empty demo account, on its own thread."""
    threaded = ThreadedServer()
    try:
        yield threaded
    finally:
        threaded.close()


@pytest.fixture
def sync_client(threaded_server: ThreadedServer) -> Iterator[Nudgescribe]:
    """A sync client logged in as the demo account (with its decrypt hook), closed after."""
    decrypt = threaded_server.do(lambda s: s.demo_credentials.decrypt)
    with Nudgescribe(**threaded_server.client_kwargs(), decrypt=decrypt) as sync_client:
        yield sync_client


@pytest.fixture
def threaded_world(threaded_server: ThreadedServer) -> ShopWorld:
    """A workspace with ``email`` (unique, required), ``tier`` and ``joined`` fields, one group."""
    return threaded_server.do(seed_shop)
