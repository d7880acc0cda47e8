"""Nudgescribe: the blocking client, a facade over AsyncNudgescribe running on a portal thread.

The client owns a :class:`_Runtime`: one :class:`Portal` (an event loop in a background thread)
and the root ``AsyncNudgescribe`` built on that loop. Every method forwards to its async twin
with one portal hop; nothing is implemented twice. ``with_options()`` copies share the runtime
(portal, session, tokens). After ``os.fork()`` the first call in the child builds a fresh
runtime, because the parent's loop thread does not exist there.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import sys
import threading
import warnings
import weakref
from collections.abc import Awaitable, Callable
from functools import partial
from types import TracebackType
from typing import Any, TypeVar

from nudgescribe_async import AsyncNudgescribe, NudgescribeError
from nudgescribe_async.stores import RateLimiter, TokenStore
from nudgescribe_async.types import NOT_GIVEN, Decrypt, Environment, NotGiven, TimeoutLike
from nudgescribe_sync._portal import Portal, PortalThreadError
from nudgescribe_sync._resources import ClientMethods

__all__ = ["Nudgescribe"]

T = TypeVar("T")

# Objects of a parent's runtime, kept alive in a forked child: dropping them there would run
# their finalizers (unclosed session and loop warnings) on state that belongs to the parent.
_FORK_ORPHANS: list[object] = []
_RUNTIMES: weakref.WeakSet[_Runtime] = weakref.WeakSet()


class _Runtime:
    """The portal and root async client behind one Nudgescribe and all its copies."""

    def __init__(self, factory: Callable[[], AsyncNudgescribe]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self.closed = False
        self.generation = 0
        self.portal, self.root = self._start()
        self.pid = os.getpid()
        _RUNTIMES.add(self)

    def _start(self) -> tuple[Portal, AsyncNudgescribe]:
        portal = Portal()
        portal.start()
        try:
            # Built on the loop it will run on; a ConfigurationError reaches the caller.
            root = portal.call(self._build)
        except BaseException:
            portal.stop()
            raise
        return portal, root

    async def _build(self) -> AsyncNudgescribe:
        return self._factory()

    def ensure_current(self) -> None:
        """Raise if closed; in a forked child, replace the parent's portal and client."""
        if self.closed:
            raise RuntimeError("this Nudgescribe client is closed")
        if self.pid != os.getpid():
            with self._lock:
                if self.pid != os.getpid():
                    _FORK_ORPHANS.append((self.portal, self.root))
                    self.portal, self.root = self._start()
                    self.pid = os.getpid()
                    self.generation += 1

    def run(self, call: Callable[[], Awaitable[T]]) -> T:
        """Await ``call()`` on the current portal and return its result."""
        self.ensure_current()
        return self.portal.call(call)

    def close(self) -> None:
        """Close the root client's session on its loop, then stop and join the loop thread."""
        if self.portal.in_portal_thread():
            raise PortalThreadError("a Nudgescribe client cannot be closed from its own thread")
        with self._lock:
            if self.closed:
                return
            self.closed = True
        if self.pid != os.getpid():
            return  # a forked child that never used the client owns nothing to close
        refused: BaseException | None = None
        try:
            self.portal.call(self.root.aclose)
        except (RuntimeError, concurrent.futures.CancelledError) as exc:
            refused = exc
        finally:
            self.portal.stop()  # joins the loop thread
        # A call that ended the loop (SystemExit raised on it) took the session with it:
        # nothing was left to close but the thread.
        if refused is not None and self.portal.failure is None:
            raise refused

    def reset_lock_after_fork(self) -> None:
        """Give a forked child a fresh lock (another parent thread may have held this one)."""
        self._lock = threading.Lock()


def _reset_locks_in_child() -> None:
    for runtime in list(_RUNTIMES):
        runtime.reset_lock_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_locks_in_child)


def _close_forgotten(runtime: _Runtime, description: str) -> None:
    """Finalizer of a client that was never closed: close it, then warn."""
    try:
        if runtime.portal.in_portal_thread():
            # Collected on its own loop thread, which cannot join itself: close from another.
            threading.Thread(target=runtime.close, name="nudgescribe-close", daemon=True).start()
        else:
            runtime.close()
    finally:
        warnings.warn(
            f"unclosed {description}; call close() or use `with Nudgescribe(...) as client:`",
            ResourceWarning,
            stacklevel=2,
        )


class Nudgescribe(ClientMethods):
    """Blocking client for the Nudgescribe client API: the async client's surface, without await.

    Takes the same arguments as ``AsyncNudgescribe`` (each falls back to its ``NUDGESCRIBE_*``
    env var; a missing credential raises ``ConfigurationError`` here), except ``session``: an
    aiohttp session belongs to one event loop, and this client runs its own loop in a
    background thread. Safe to share between threads; one session and one token serve them all.

    >>> with Nudgescribe() as client:  # doctest: +SKIP
    ...     groups = client.customer_groups.list("ws_1")
    ...     for customer in client.customers.list(groups.customer_groups[0].customer_group_id):
    ...         print(customer.customer_id)

    Works from scripts, threads, and code that already runs an event loop (the calling thread
    blocks). A call made on the client's own loop thread (for instance from a ``decrypt`` hook,
    which runs there) raises ``PortalThreadError`` instead of deadlocking.
    """

    def __init__(
        self,
        api_key: str | None = None,
        email: str | None = None,
        api_secret: str | None = None,
        api_code: str | None = None,
        client_ip: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutLike | None = None,
        max_retries: int | None = None,
        *,
        environment: Environment | None = None,
        refresh_skew: float | None = None,
        decrypt: Decrypt | None = None,
        token_store: TokenStore | None = None,
        rate_limiter: RateLimiter | None = None,
        deadline: float | None = None,
        max_response_bytes: int | None = None,
    ) -> None:
        factory = partial(
            AsyncNudgescribe,
            api_key=api_key,
            email=email,
            api_secret=api_secret,
            api_code=api_code,
            client_ip=client_ip,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            environment=environment,
            refresh_skew=refresh_skew,
            decrypt=decrypt,
            token_store=token_store,
            rate_limiter=rate_limiter,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
        )
        runtime = _Runtime(factory)
        self._setup(runtime, options={}, parent=None)
        self._finalizer = weakref.finalize(self, _close_forgotten, runtime, repr(self))

    def _setup(
        self, runtime: _Runtime, *, options: dict[str, Any], parent: Nudgescribe | None
    ) -> None:
        self._runtime = runtime
        self._options = options
        # A copy keeps its parent alive: the parent's finalizer would close the shared runtime.
        self._parent = parent
        self._generation = runtime.generation
        self._async = runtime.root.with_options(**options) if options else runtime.root
        self._attach_resources()

    @property
    def base_url(self) -> str:
        """The API root this client talks to."""
        return self._async.base_url

    @property
    def closed(self) -> bool:
        """Whether the client (or the parent it shares a session with) is closed."""
        return self._runtime.closed

    def with_options(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
    ) -> Nudgescribe:
        """A client with other defaults that shares this one's portal, session and tokens.

        Closing the copy does nothing; closing the original closes the shared session.

        >>> patient = client.with_options(timeout=120, max_retries=5)  # doctest: +SKIP
        """
        options = dict(self._options)
        if not isinstance(timeout, NotGiven):
            options["timeout"] = timeout
        if not isinstance(max_retries, NotGiven):
            options["max_retries"] = max_retries
        if not isinstance(deadline, NotGiven):
            options["deadline"] = deadline
        copy = object.__new__(type(self))  # _setup validates the options, in this thread
        copy._setup(self._runtime, options=options, parent=self._parent or self)
        return copy

    def close(self) -> None:
        """Close the HTTP session and join the loop thread (if this client owns them). Idempotent.

        Calls still running in other threads are cancelled.
        """
        if self._parent is None:
            try:
                self._runtime.close()
            finally:
                # Disarm only once the runtime counts as closed: a PortalThreadError (raised
                # before that) leaves the finalizer to close it later; any later failure does
                # not turn into a false "unclosed" warning at garbage collection.
                if self._runtime.closed:
                    self._finalizer.detach()

    def __enter__(self) -> Nudgescribe:
        """Return the client; leaving the block calls :meth:`close`."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the client, whatever ended the block."""
        self.close()

    def __repr__(self) -> str:
        """Base URL and email; never a secret."""
        return repr(self._async).removeprefix("Async")

    def _target(self) -> AsyncNudgescribe:
        runtime = self._runtime
        runtime.ensure_current()
        if self._generation != runtime.generation:  # forked: derive from the new root
            root = runtime.root
            self._async = root.with_options(**self._options) if self._options else root
            self._generation = runtime.generation
        return self._async

    def _run(self, call: Callable[[], Awaitable[T]]) -> T:
        _refuse_server_on_this_loop(self._async.base_url)
        try:
            return self._runtime.run(call)
        except NudgescribeError as exc:
            # The SDK's frames on the portal thread say nothing to the caller: the report of an
            # API error starts at this call and ends in the error's one line. Causes are kept.
            raise exc.with_traceback(None)  # noqa: B904 - the same exception, re-raised


def _refuse_server_on_this_loop(base_url: str) -> None:
    """Raise if ``base_url`` is a reference server running on the caller's (blocked) loop.

    Such a call could never be answered: the server's loop is the one this call blocks (the
    async ``nudgescribe_server`` fixture used from a blocking client). Only the local reference
    server registers itself, and only when its module is loaded, so this costs a dict lookup.
    """
    server_module = sys.modules.get("nudgescribe_async.testing._server")
    if server_module is None:
        return
    loop = server_module.serving_loop(base_url)
    if loop is not None and loop is asyncio._get_running_loop():
        raise PortalThreadError(
            f"the reference server at {base_url} runs on this thread's event loop, which this "
            "blocking call would block: it could never answer. Serve it from its own thread "
            "(nudgescribe_sync.testing.SyncReferenceServer, or the nudgescribe_sync_server "
            "pytest fixture), or use AsyncNudgescribe here."
        )
