"""The portal: one asyncio event loop in one background thread, driven by anyio's BlockingPortal.

A :class:`Portal` is started once per sync client. :meth:`Portal.start` launches the thread and
waits on a ``threading.Event`` until the loop is running (no busy-wait), :meth:`Portal.call`
runs one coroutine function on that loop and blocks the calling thread for its result, and
:meth:`Portal.stop` stops the BlockingPortal, lets ``anyio.run`` shut the loop down (it cancels
and awaits every remaining task, closes async generators and the default executor) and joins
the thread, so nothing outlives it.

anyio owns the thread's lifecycle; the per-call hop is lighter than anyio's: a :class:`_Call`
is started on the loop with ``loop.call_soon_threadsafe`` and the caller waits on a plain
``threading.Lock`` that the task releases as its last step. That skips the
``concurrent.futures.Future`` (and its Condition) of ``asyncio.run_coroutine_threadsafe`` and
measured about 0.6x of its round trip; ``BlockingPortal.call`` costs about two of those (it
first waits for the task to be spawned in its task group, then for the result). The facade
pays the hop on every call, so the hot path takes the cheapest (``python -m benchmarks``).

Calls may come from any number of threads at once, including threads that run their own event
loop (the caller is simply blocked). A call from the portal's own thread could never finish, so
it raises :class:`PortalThreadError` instead of deadlocking.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import inspect
import itertools
import os
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from anyio.from_thread import BlockingPortal

__all__ = ["Portal", "PortalThreadError"]

T = TypeVar("T")

_serial = itertools.count(1)


class PortalThreadError(RuntimeError):
    """A blocking call was made from the portal's own event-loop thread.

    That thread is the one that would have to run the call, so waiting for it would deadlock.
    Code running on the portal loop (a callback handed to the SDK) must use the async client.
    """


class Portal:
    """One event loop in one daemon thread; :meth:`call` runs coroutines there and blocks.

    >>> portal = Portal()
    >>> portal.start()
    >>> async def answer() -> int:
    ...     return 42
    >>> portal.call(answer)
    42
    >>> portal.stop()
    """

    def __init__(self, name: str | None = None) -> None:
        """Describe a portal; nothing starts until :meth:`start`."""
        self.name = name or f"nudgescribe-portal-{next(_serial)}"
        self.pid = os.getpid()
        self._portal: BlockingPortal | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: set[_Call[Any]] = set()
        self._thread: threading.Thread | None = None
        self._thread_id: int | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._stop_lock = threading.Lock()
        self._stopped = False
        self._ended = False  # the loop thread has finished (stop(), or a call killed the loop)

    @property
    def running(self) -> bool:
        """Whether the loop thread is up and :meth:`stop` has not been called."""
        return self._portal is not None and not self._stopped and not self._ended

    @property
    def failure(self) -> BaseException | None:
        """What ended the loop thread other than :meth:`stop` (a call's ``SystemExit``)."""
        return self._failure

    @property
    def thread(self) -> threading.Thread | None:
        """The loop thread (``None`` before :meth:`start`)."""
        return self._thread

    def in_portal_thread(self) -> bool:
        """Whether the calling thread is this portal's event-loop thread."""
        return self._thread_id is not None and threading.get_ident() == self._thread_id

    def start(self) -> None:
        """Start the loop thread and return once its loop runs; re-raise a startup failure."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name} was already started")
        # Daemon: a client the user never closes must not keep the interpreter alive; the
        # client's finalizer (and atexit) still close it cleanly.
        self._thread = threading.Thread(target=self._run_loop, name=self.name, daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            self._thread.join()
            raise self._failure

    def call(self, func: Callable[[], Awaitable[T]]) -> T:
        """Run ``func()`` on the portal loop, block until it finishes and return its result.

        Exceptions raised by the coroutine propagate to the caller unchanged. If the caller is
        interrupted while waiting (``KeyboardInterrupt``), the call is cancelled on the loop.
        """
        if self._thread_id == threading.get_ident():
            raise PortalThreadError(
                f"a blocking Nudgescribe call was made from {self.name}, the thread that runs "
                "the client's own event loop; it would wait for itself forever. Code running "
                "on that loop must use AsyncNudgescribe and await it instead."
            )
        # Checking, scheduling and registering happen under the stop lock, so stop() either
        # refuses this call or sees its future and cancels it: no call can wait forever.
        with self._stop_lock:
            loop = self._loop
            if loop is None or self._stopped:
                raise RuntimeError("this Nudgescribe client is closed")
            if self._ended:
                ended_by = type(self._failure).__name__  # the type only: no user text
                raise RuntimeError(
                    f"this Nudgescribe client is closed: a call stopped its event loop ({ended_by})"
                )
            coroutine = _as_coroutine(func())
            call = _Call(coroutine, loop)
            try:
                loop.call_soon_threadsafe(call.start)
            except BaseException:  # the loop closed under us: don't leave it "never awaited"
                coroutine.close()
                raise
            self._pending.add(call)
        try:
            return call.wait()
        except BaseException:
            call.cancel()  # no-op once settled; stops the work if the caller was interrupted
            raise
        finally:
            self._pending.discard(call)

    def stop(self) -> None:
        """Cancel calls still running, shut the loop down and join the thread. Idempotent."""
        if self.in_portal_thread():
            raise PortalThreadError(f"{self.name} cannot be stopped from its own thread")
        with self._stop_lock:
            if self._stopped:
                return
            self._stopped = True
        portal, thread = self._portal, self._thread
        if portal is not None:
            # cancel_remaining: close() must not wait on calls. The portal is not running when
            # its loop already died (a call raised SystemExit there): only the sweep is left.
            with contextlib.suppress(RuntimeError):
                portal.call(portal.stop, True)
        if thread is not None:
            thread.join()  # the thread's last act wakes calls queued after the loop's last turn

    def _run_loop(self) -> None:
        try:
            # anyio loads with the first client, not with the package (import time).
            import anyio

            anyio.run(self._serve, backend="asyncio")
        except BaseException as exc:  # reported to start() and to later calls
            self._failure = exc
        finally:
            # Calls queued on the loop after its last turn would wait forever: wake them, and
            # refuse new ones (also when a call's SystemExit ended the loop without stop()).
            with self._stop_lock:
                self._ended = True
            for call in list(self._pending):
                call.cancel()
            self._ready.set()

    async def _serve(self) -> None:
        from anyio.from_thread import BlockingPortal

        async with BlockingPortal() as portal:
            self._thread_id = threading.get_ident()
            self._loop = asyncio.get_running_loop()
            self._portal = portal
            self._ready.set()
            await portal.sleep_until_stopped()

    def __repr__(self) -> str:
        """Name and state, e.g. ``Portal('nudgescribe-portal-1', running)``."""
        if self.running:
            state = "running"
        elif self._stopped:
            state = "stopped"
        else:
            state = "ended" if self._ended else "new"
        return f"Portal({self.name!r}, {state})"


#: Guards the one-time settling of every _Call (result, error or cancellation).
_SETTLE = threading.Lock()


class _Call(Generic[T]):
    """One blocking call: a task on the portal loop and a plain lock its caller waits on.

    :meth:`start` runs on the loop (scheduled with ``call_soon_threadsafe``); the task settles
    the call and releases the lock as its last step (a done-callback settles a task that was
    cancelled before it ever ran). :meth:`cancel` (any other thread) settles it as cancelled
    at once and cancels the task, or stops it from starting.
    """

    __slots__ = ("_coroutine", "_done", "_error", "_loop", "_result", "_settled", "_task")

    def __init__(self, coroutine: Coroutine[Any, Any, T], loop: asyncio.AbstractEventLoop):
        self._coroutine = coroutine
        self._loop = loop
        self._done = threading.Lock()
        self._done.acquire()
        self._task: asyncio.Task[None] | None = None
        self._result: T | None = None
        self._error: BaseException | None = None
        self._settled = False

    def start(self) -> None:
        """On the loop: run the coroutine as a task, unless the call was already cancelled."""
        if self._settled:
            self._coroutine.close()
            return
        self._task = self._loop.create_task(self._drive())
        self._task.add_done_callback(self._finished)

    async def _drive(self) -> None:
        # Settled from inside the task's last step: a done-callback alone would cost the
        # caller one more turn of the loop before it wakes up.
        try:
            result = await self._coroutine
        except asyncio.CancelledError:
            self._settle(None, concurrent.futures.CancelledError())
            raise  # the task ends cancelled, as the loop's shutdown expects
        except BaseException as exc:
            self._settle(None, exc)
            if not isinstance(exc, Exception):
                raise  # KeyboardInterrupt, SystemExit and the like: the loop sees them too
        else:
            self._settle(result, None)

    def _finished(self, task: asyncio.Task[None]) -> None:
        # The fallback for a task cancelled before its first step (a loop shutting down, a
        # cancel() racing with start()): _drive() never ran, so settle here and close the
        # coroutine it never awaited. Otherwise a no-op, apart from reading the task's
        # exception (a BaseException _drive re-raised), which the caller already has.
        if not task.cancelled():
            task.exception()
        self._settle(None, concurrent.futures.CancelledError())  # no-op once settled
        self._coroutine.close()  # no-op once awaited to the end

    def wait(self) -> T:
        """In the caller's thread: block until settled; return the result or raise."""
        self._done.acquire()
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]

    def cancel(self) -> None:
        """Settle as cancelled (the waiter raises CancelledError) and stop the task."""
        if not self._settle(None, concurrent.futures.CancelledError()):
            return
        try:
            self._loop.call_soon_threadsafe(self._cancel_task)
        except RuntimeError:  # the loop is closed: start() will never run
            if self._task is None:
                self._coroutine.close()

    def _cancel_task(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _settle(self, result: T | None, error: BaseException | None) -> bool:
        with _SETTLE:
            if self._settled:
                return False
            self._settled = True
            self._result, self._error = result, error
        self._done.release()
        return True


def _as_coroutine(awaitable: Awaitable[T]) -> Coroutine[Any, Any, T]:
    if inspect.iscoroutine(awaitable):
        return awaitable
    return _await(awaitable)


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable
