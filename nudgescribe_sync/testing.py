"""The local reference server for blocking code: it runs on its own event loop in its own thread.

A blocking client (``Nudgescribe``) blocks the thread that calls it. A ``ReferenceServer``
started with ``async with`` on that same thread's event loop could then never answer, so sync
code and sync tests use :class:`SyncReferenceServer`, which serves from a background thread::

    from nudgescribe_sync import Nudgescribe
    from nudgescribe_sync.testing import SyncReferenceServer

    with SyncReferenceServer(seed="demo") as server:
        with Nudgescribe(**server.client_kwargs()) as client:
            print(client.workspaces.list())

Its controls are the ``ReferenceServer`` ones (``seed_workspace``, ``faults.add``,
``finish_jobs``, ``requests``, ...); each runs on the server's loop, so calling them from any
thread is safe. ``server.call(func, *args)`` runs any function of yours there too, and
``server.server`` is the underlying ``ReferenceServer`` (touch it only through ``call``).
The pytest plugin's ``nudgescribe_sync_server`` / ``nudgescribe_sync_client`` fixtures wrap it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from nudgescribe_async.testing import Faults, ReferenceServer
from nudgescribe_sync._portal import Portal

__all__ = ["SyncReferenceServer"]

T = TypeVar("T")


class _OnLoop:
    """Forwards attribute reads and method calls of ``target`` to the server's loop thread."""

    def __init__(self, target: object, call: Callable[..., Any]) -> None:
        self._target = target
        self._call = call

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = self._call(getattr, self._target, name)
        if isinstance(value, Faults):
            return _OnLoop(value, self._call)
        if callable(value) and not isinstance(value, type):
            return functools.wraps(value)(functools.partial(self._call, value))
        return value


class SyncReferenceServer(_OnLoop):
    """A :class:`~nudgescribe_async.testing.ReferenceServer` served from a background thread.

    Takes the ``ReferenceServer`` options (``seed="demo"``, ``job_delay``, ``quotas``, ...).
    Start it with ``with SyncReferenceServer() as server:`` (or :meth:`start` / :meth:`close`).
    """

    def __init__(self, **options: Any) -> None:
        """Describe the server; nothing runs until :meth:`start` (or ``with``)."""
        self._options = options
        self._portal: Portal | None = None
        self._server: ReferenceServer | None = None
        super().__init__(None, self.call)

    @property
    def server(self) -> ReferenceServer:
        """The running ``ReferenceServer`` (use :meth:`call` to touch it from other threads)."""
        if self._server is None:
            raise RuntimeError("the server is not running; use `with SyncReferenceServer():`")
        return self._server

    def start(self) -> SyncReferenceServer:
        """Start the server thread and the server on it; return self."""
        if self._portal is not None:
            raise RuntimeError("server already started")
        portal = Portal(name="nudgescribe-reference-server")
        portal.start()

        async def start() -> ReferenceServer:
            return await ReferenceServer(**self._options).start()

        try:
            self._server = portal.call(start)
        except BaseException:
            portal.stop()
            raise
        self._portal = portal
        self._target = self._server
        return self

    def call(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``func(*args, **kwargs)`` on the server's event loop thread; return its result."""
        portal = self._portal
        if portal is None:
            raise RuntimeError("the server is not running; use `with SyncReferenceServer():`")

        async def run() -> T:
            return func(*args, **kwargs)

        return portal.call(run)

    def close(self) -> None:
        """Stop serving and join the server thread. Idempotent."""
        portal, server = self._portal, self._server
        self._portal = self._server = None
        if portal is None:
            return
        try:
            if server is not None:
                portal.call(server.close)
        finally:
            portal.stop()

    def __enter__(self) -> SyncReferenceServer:
        """Start the server."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the server."""
        self.close()

    def __repr__(self) -> str:
        """``SyncReferenceServer(http://127.0.0.1:PORT)`` or ``SyncReferenceServer(stopped)``."""
        server = self._server
        return f"SyncReferenceServer({server.base_url if server else 'stopped'})"
