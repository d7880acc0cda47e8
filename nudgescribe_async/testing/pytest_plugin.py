"""pytest plugin (registered via the ``pytest11`` entry point) offering reference-server fixtures.

* ``nudgescribe_server`` -- a running :class:`ReferenceServer` (function scope), empty except for
  one account whose credentials are ``server.demo_credentials``.
* ``nudgescribe_client`` -- an ``AsyncNudgescribe`` connected to that server as the demo account,
  closed after the test.

Both are async fixtures (they need pytest-asyncio). Nothing here is autouse and importing the
module has no side effects, so unrelated projects are unaffected.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pytest

if TYPE_CHECKING:
    from nudgescribe_async.testing._server import ReferenceServer

__all__ = ["nudgescribe_client", "nudgescribe_server"]

_F = TypeVar("_F", bound=Callable[..., Any])


def _async_fixture(func: _F) -> _F:
    """Declare an async fixture with pytest-asyncio when present (plain fixture otherwise)."""
    try:
        import pytest_asyncio
    except ImportError:  # pragma: no cover - the fixtures need pytest-asyncio to run
        return cast(_F, pytest.fixture(func))
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
