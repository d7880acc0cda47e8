"""pytest plugin (registered via the ``pytest11`` entry point) offering reference-server fixtures.

* ``nudgescribe_server`` -- a running :class:`ReferenceServer` (function scope), empty except for
  one account whose credentials are ``server.demo_credentials``.
* ``nudgescribe_client`` -- an ``AsyncNudgescribe`` connected to that server as the demo account,
  closed after the test.
* ``nudgescribe_sync_server`` -- the same server for blocking tests, served from its own thread
  (a ``nudgescribe_sync.testing.SyncReferenceServer``; the same controls, safe from any thread).
* ``nudgescribe_sync_client`` -- a blocking ``Nudgescribe`` connected to it, closed after the test.

The async fixtures need pytest-asyncio; in its default strict mode, mark the async tests that use
them ``@pytest.mark.asyncio`` (or set ``asyncio_mode = "auto"``). The sync fixtures need neither.
Nothing here is autouse and importing the module has no side effects, so unrelated projects are
unaffected.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pytest

if TYPE_CHECKING:
    from nudgescribe_async.testing._server import ReferenceServer

__all__ = [
    "nudgescribe_client",
    "nudgescribe_server",
    "nudgescribe_sync_client",
    "nudgescribe_sync_server",
]

_F = TypeVar("_F", bound=Callable[..., Any])

_NEEDS_PYTEST_ASYNCIO = (
    "the async fixtures nudgescribe_server / nudgescribe_client need pytest-asyncio "
    "(pip install pytest-asyncio); blocking tests can use nudgescribe_sync_server / "
    "nudgescribe_sync_client instead"
)


def _async_fixture(func: _F) -> _F:
    """Declare an async fixture with pytest-asyncio; without it, a fixture that says so."""
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - the suite always has pytest-asyncio

        def missing() -> None:
            raise pytest.UsageError(_NEEDS_PYTEST_ASYNCIO)

        missing.__name__ = func.__name__
        missing.__doc__ = func.__doc__
        return cast(_F, pytest.fixture(missing))
    return cast(_F, pytest_asyncio.fixture(func))


@_async_fixture
async def nudgescribe_server() -> AsyncIterator[ReferenceServer]:
    """A running reference server on an ephemeral loopback port, closed after the test."""
    from nudgescribe_async.testing._server import ReferenceServer

    async with ReferenceServer() as server:
        yield server


@_async_fixture
async def nudgescribe_client(nudgescribe_server: ReferenceServer) -> AsyncIterator[Any]:
    """An ``AsyncNudgescribe`` client logged in as ``nudgescribe_server.demo_credentials``."""
    from nudgescribe_async import AsyncNudgescribe  # type: ignore[attr-defined,unused-ignore]

    client = AsyncNudgescribe(**nudgescribe_server.client_kwargs())
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def nudgescribe_sync_server() -> Iterator[Any]:
    """A reference server served from its own thread (``SyncReferenceServer``), for sync tests."""
    from nudgescribe_sync.testing import SyncReferenceServer

    with SyncReferenceServer() as server:
        yield server


@pytest.fixture
def nudgescribe_sync_client(nudgescribe_sync_server: Any) -> Iterator[Any]:
    """A blocking ``Nudgescribe`` client logged in as the demo account, closed after the test."""
    from nudgescribe_sync import Nudgescribe

    with Nudgescribe(**nudgescribe_sync_server.client_kwargs()) as client:
        yield client
