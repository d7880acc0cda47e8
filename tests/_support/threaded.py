"""A reference server on its own thread, for blocking clients, the CLI and worker processes.

Sync tests block their thread, so the server cannot share it: it runs on a portal thread of its
own, and its Python controls run on that server's loop through :meth:`ThreadedServer.do`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from nudgescribe_async.testing import ReferenceServer, RequestRecord
from nudgescribe_sync.testing import SyncReferenceServer

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
