"""Portal: one loop thread, started on a ready event, stopped and joined deterministically."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import inspect
import threading
import time
from collections.abc import Iterator

import pytest

from nudgescribe_sync._portal import Portal, PortalThreadError, _Call


@pytest.fixture
def portal() -> Iterator[Portal]:
    """A started portal, stopped after the test."""
    started = Portal("portal-test")
    started.start()
    try:
        yield started
    finally:
        started.stop()


def test_call_returns_results_and_raises_errors(portal: Portal) -> None:
    """call() returns the coroutine's result and re-raises its exception in the caller."""

    async def answer() -> int:
        return 42

    async def boom() -> None:
        raise KeyError("x")

    assert portal.call(answer) == 42
    with pytest.raises(KeyError):
        portal.call(boom)


def test_runs_on_its_own_named_thread(portal: Portal) -> None:
    """Coroutines run on the portal's thread, not the caller's."""

    async def where() -> str:
        return threading.current_thread().name

    assert portal.call(where) == "portal-test" != threading.current_thread().name


def test_call_from_portal_thread_raises(portal: Portal) -> None:
    """A blocking call made on the portal's own loop raises PortalThreadError at once."""

    async def reenter() -> str:
        try:
            portal.call(lambda: asyncio.sleep(0))
        except PortalThreadError as exc:
            return str(exc)
        return "no error"

    assert "own event loop" in portal.call(reenter)


def test_stop_joins_thread_and_cancels_pending_calls() -> None:
    """stop() cancels calls still waiting in other threads and joins the loop thread."""
    portal = Portal("portal-stop")
    portal.start()
    started = threading.Event()

    async def forever() -> None:
        started.set()
        await asyncio.sleep(60)

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(portal.call, forever)
        started.wait(5)
        portal.stop()
        with pytest.raises(concurrent.futures.CancelledError):
            waiting.result(5)
    assert portal.thread is not None and not portal.thread.is_alive()
    assert portal.thread not in threading.enumerate()
    portal.stop()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        portal.call(lambda: asyncio.sleep(0))


def test_works_from_a_thread_running_its_own_loop(portal: Portal) -> None:
    """A caller inside asyncio.run is simply blocked until the portal answers."""

    async def on_portal() -> int:
        return threading.get_ident()

    async def caller() -> int:
        return portal.call(on_portal)

    assert asyncio.run(caller()) != threading.get_ident()


def test_calls_racing_stop_all_return() -> None:
    """Threads calling while stop() runs each get a result or an error; none waits forever."""
    racing = Portal("portal-race")
    racing.start()
    outcomes: list[str] = []
    lock = threading.Lock()

    def caller() -> None:
        while True:
            try:
                racing.call(lambda: asyncio.sleep(0.001))
            except (RuntimeError, concurrent.futures.CancelledError) as exc:
                with lock:
                    outcomes.append(type(exc).__name__)
                return

    threads = [threading.Thread(target=caller) for _ in range(8)]
    for thread in threads:
        thread.start()
    threading.Event().wait(0.05)
    racing.stop()
    for thread in threads:
        thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in threads)
    assert len(outcomes) == 8


def test_call_cancelled_before_its_first_step_is_settled_and_closed() -> None:
    """A call whose task is cancelled before it ever ran wakes its caller, and its coroutine is
    closed rather than left never awaited."""
    loop = asyncio.new_event_loop()
    try:

        async def answer() -> int:
            return 1

        coroutine = answer()
        call: _Call[int] = _Call(coroutine, loop)
        call.start()
        assert call._task is not None
        call._task.cancel()
        loop.run_until_complete(asyncio.wait([call._task]))
        with pytest.raises(concurrent.futures.CancelledError):
            call.wait()
        assert inspect.getcoroutinestate(coroutine) == inspect.CORO_CLOSED
    finally:
        loop.close()


class _Halt(BaseException):
    """A BaseException that is not an Exception, raised by a call on the loop."""


def test_base_exception_reaches_the_caller_and_leaves_nothing_unretrieved() -> None:
    """A BaseException raised by a call reaches its caller; the loop reports no task exception
    that was never retrieved."""
    loop = asyncio.new_event_loop()
    reports: list[dict[str, object]] = []
    loop.set_exception_handler(lambda _loop, context: reports.append(context))
    try:

        async def halt() -> None:
            raise _Halt

        call: _Call[None] = _Call(halt(), loop)
        call.start()
        loop.run_until_complete(asyncio.sleep(0.01))
        with pytest.raises(_Halt):
            call.wait()
        del call
        gc.collect()
    finally:
        loop.close()
    assert reports == []


def test_a_call_that_kills_the_loop_wakes_the_other_callers() -> None:
    """When a call raises SystemExit on the loop, a call another thread is waiting on is woken
    with CancelledError, later calls are refused, and stop() still returns."""
    dying = Portal("portal-dying")
    dying.start()
    outcome: list[BaseException | str] = []

    async def other() -> str:
        await asyncio.sleep(0)
        return "answered"

    def other_thread() -> None:
        try:
            outcome.append(dying.call(other))
        except BaseException as exc:
            outcome.append(exc)

    async def exit_on_the_loop() -> None:
        thread.start()
        deadline = time.monotonic() + 5
        while not dying._pending and time.monotonic() < deadline:
            # Blocking the loop on purpose: the other call is queued behind this one.
            time.sleep(0.01)  # noqa: ASYNC251
        await asyncio.sleep(0)  # its task is created now; its first step comes after ours
        raise SystemExit(3)

    thread = threading.Thread(target=other_thread)
    with pytest.raises(SystemExit):
        dying.call(exit_on_the_loop)
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], concurrent.futures.CancelledError)
    assert dying.thread is not None
    dying.thread.join(timeout=5)
    assert not dying.running and isinstance(dying.failure, SystemExit)
    with pytest.raises(RuntimeError, match=r"stopped its event loop \(SystemExit\)"):
        dying.call(other)
    dying.stop()
    assert dying.thread is not None and not dying.thread.is_alive()
