"""The typed forwarding helpers behind every sync method.

A sync method hands ``_run()`` a zero-argument callable that makes the coroutine; ``_run()``
does the fork and "closed" checks in the caller's thread, then crosses to the portal loop
exactly once and returns the result, so the return type mypy sees is the async method's own.
The callable resolves the async twin with ``_target()`` when the portal calls it::

    def get(self, campaign_id: str) -> Campaign:
        return self._run(lambda: self._target().get(campaign_id))
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar, Generic, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from nudgescribe_async import AsyncNudgescribe

__all__ = ["Forwarder", "Runner", "SyncResource"]

T = TypeVar("T")
A = TypeVar("A")


class Runner(Protocol):
    """Runs one coroutine function on the portal loop and returns its result."""

    def __call__(self, call: Callable[[], Awaitable[T]], /) -> T:
        """Block until ``call()`` has been awaited on the portal loop."""
        ...


class Forwarder(Generic[A]):
    """Base of sync classes whose methods forward to an async twin of type ``A``."""

    def _target(self) -> A:
        """The async twin for the current process (checked on every call)."""
        raise NotImplementedError

    def _run(self, call: Callable[[], Awaitable[T]]) -> T:
        """Await ``call()`` on the portal loop; block the caller until it is done."""
        raise NotImplementedError


class SyncResource(Forwarder[A]):
    """A sync resource: forwards to the async resource stored at ``_attribute`` on the client.

    The async resource is looked up per call rather than kept, because after ``os.fork()`` the
    client swaps in a fresh async client (and with it fresh resources).
    """

    _attribute: ClassVar[str]

    def __init__(self, client: Forwarder[AsyncNudgescribe]) -> None:
        """Attach the resource to ``client``."""
        self._client = client

    def _target(self) -> A:
        return cast(A, getattr(self._client._target(), self._attribute))

    def _run(self, call: Callable[[], Awaitable[T]]) -> T:
        return self._client._run(call)

    def __repr__(self) -> str:
        """Name the resource, e.g. ``<Customers of Nudgescribe(...)>``."""
        return f"<{type(self).__name__} of {self._client!r}>"
