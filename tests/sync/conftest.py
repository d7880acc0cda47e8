"""Fixtures for the sync facade: a reference server on its own thread and a sync client.

Sync tests block their thread, so the server cannot share it: it runs on a portal thread
of its own, and its Python controls run on that server's loop through ``server.do``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest

from nudgescribe_async.testing import ReferenceServer, RequestRecord
from nudgescribe_sync import Nudgescribe
from nudgescribe_sync.testing import SyncReferenceServer
from tests.resources.conftest import World

T = TypeVar("T")


class ThreadedServer:
    """The package's SyncReferenceServer, started at once, with the shorthands tests use."""

    def __init__(self, **options: Any) -> None:
        self.threaded = SyncReferenceServer(**options).start()
        self.server = self.threaded.server

    def do(self, control: Callable[[ReferenceServer], T]) -> T:
        """Run ``control(server)`` on the server's loop and return its result."""
        return self.threaded.call(control, self.server)

    def client_kwargs(self) -> dict[str, Any]:
        """Constructor arguments for a client logged in as the demo account."""
        return self.do(lambda s: s.client_kwargs())

    def count(self, path: str, method: str | None = None) -> int:
        """How many requests for ``path`` (and ``method``) the server has seen."""
        return self.do(lambda s: s.request_count(path, method))

    def requests(self, path: str, method: str | None = None) -> list[RequestRecord]:
        """The logged requests for ``path`` (and ``method``), oldest first."""
        return self.do(
            lambda s: [
                r for r in s.requests if r.path == path and (method is None or r.method == method)
            ]
        )

    def close(self) -> None:
        """Stop serving and join the server thread."""
        self.threaded.close()


@pytest.fixture
def server() -> Iterator[ThreadedServer]:
    """A reference server with the empty demo account, on its own thread."""
    threaded = ThreadedServer()
    try:
        yield threaded
    finally:
        threaded.close()


@pytest.fixture
def client(server: ThreadedServer) -> Iterator[Nudgescribe]:
    """A sync client logged in as the demo account (with its decrypt hook), closed after."""
    decrypt = server.do(lambda s: s.demo_credentials.decrypt)
    with Nudgescribe(**server.client_kwargs(), decrypt=decrypt) as sync_client:
        yield sync_client


@pytest.fixture
def world(server: ThreadedServer) -> World:
    """A workspace with ``email`` (unique, required), ``tier`` and ``joined`` fields, one group."""

    def seed(ref: ReferenceServer) -> World:
        ws = ref.seed_workspace("Shop")
        ref.seed_profile_field(ws.workspace_id, "email", is_unique=True, is_required=True)
        ref.seed_profile_field(ws.workspace_id, "tier")
        ref.seed_profile_field(ws.workspace_id, "joined", "Date", field_format="yyyy-MM-dd")
        group = ref.seed_group(ws.workspace_id, "Everyone")
        return World(ws.workspace_id, group.customer_group_id)

    return server.do(seed)
