"""Adaptive concurrency: an AIMD limit on requests in flight, shared by a client's pagers.

:class:`AdaptiveLimiter` hands out permits, one per HTTP attempt, and moves its limit by what
the answers say, as TCP congestion control and botocore's adaptive retry mode do:

* **429** (or a 503): multiplicative decrease to ``decrease`` (0.9) times the smaller of the
  limit and the load the service accepted since the last decrease (the most requests in
  flight when a successful one was sent), at most once per overload episode: answers to
  requests sent before the last decrease don't decrease it again. The accepted load matters
  after slow start, which overshoots up to twice what the service takes.
* **success**: additive increase, ``+1 / limit`` per answer (one more in flight per round
  trip), ``+1`` per answer before the first decrease (slow start), and a tenth of the usual
  step within one of the limit that was last refused (probe the known ceiling gently); but
  only while latency stays within ``latency_tolerance`` times the baseline.
* **rising latency**: answers slower than ``latency_tolerance`` times the baseline hold the
  limit; a round trip's worth of them in a row (``floor(limit)`` answers) counts as an overload,
  a multiplicative decrease like a 429 (once per episode). The baseline is the fastest recent
  answer: a faster answer lowers it at once, slower ones raise it slowly (a twentieth of the
  gap per answer), and every decrease forgets it, so one lucky fast answer cannot freeze the
  limit.

Only requests made inside :func:`limited` use the limiter (a pager with ``concurrency="auto"``
runs its fetches that way); the transport takes a permit with :func:`acquire_permit` for each
attempt and sleeps its retry backoff *without* one. Waiters are served round-robin between
pagers (each :func:`limited` fetch is one group), so pagers sharing a client progress side by
side, and lowest page number first within a pager, so a page that comes back from backoff goes
ahead of pages after it (the pager hands pages out in order, so the oldest page is the one
everybody waits for).
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import heapq
import itertools
import math
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

__all__ = ["AdaptiveLimiter", "Permit", "acquire_permit", "limited"]

R = TypeVar("R")

#: The limiter, group and priority (page number) of the running task's requests.
_CURRENT: contextvars.ContextVar[tuple[AdaptiveLimiter, Hashable, float] | None] = (
    contextvars.ContextVar("nudgescribe_adaptive_limiter", default=None)
)

#: Statuses that mean "too much load": shrink.
THROTTLE_STATUSES = frozenset({429, 503})
#: How far a slower answer moves the latency baseline towards itself.
_BASELINE_DRIFT = 0.05


class AdaptiveLimiter:
    """An AIMD limit on concurrent requests (see the module docstring).

    >>> limiter = AdaptiveLimiter(initial=4, maximum=32)
    >>> limiter.limit
    4.0
    """

    def __init__(
        self,
        *,
        initial: float = 4,
        minimum: float = 1,
        maximum: float = 64,
        decrease: float = 0.9,
        latency_tolerance: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Start at ``initial`` permits, never below ``minimum`` nor above ``maximum``.

        ``clock`` (seconds, monotonic) times the answers; tests and simulations may pass their own.
        """
        if not 1 <= minimum <= initial <= maximum or not 0 < decrease < 1:
            raise ValueError("need 1 <= minimum <= initial <= maximum and 0 < decrease < 1")
        self.limit: float = float(initial)
        self.minimum: float = float(minimum)
        self.maximum: float = float(maximum)
        self._decrease = decrease
        self._tolerance = latency_tolerance
        self._threshold = float(maximum)  # slow start below this
        self._ceiling = math.inf  # the load refused at the last decrease
        self._accepted = 0  # the highest load a success was sent at since the last decrease
        self._last_decrease = 0.0
        self._baseline = math.inf  # the fastest recent answer (see the module docstring)
        self._slow = 0  # answers in a row slower than the tolerance allows
        self._clock = clock
        self._in_flight = 0
        #: Waiters per group (a heap by priority, then arrival) and the groups' turn order.
        self._waiters: dict[Hashable, list[tuple[float, int, asyncio.Future[None]]]] = {}
        self._turns: collections.deque[Hashable] = collections.deque()
        self._order = itertools.count()
        #: Counters for callers and benchmarks: answers seen and decreases made.
        self.throttled: int = 0
        self.decreases: int = 0

    def __repr__(self) -> str:
        """The current limit and load."""
        return f"AdaptiveLimiter(limit={self.limit:.2f}, in_flight={self._in_flight})"

    @property
    def in_flight(self) -> int:
        """Permits held right now."""
        return self._in_flight

    def window(self) -> int:
        """How many pages a pager should keep scheduled: four times the current limit.

        The slack keeps later pages coming while the oldest one sleeps in a 429 backoff.
        """
        return 4 * math.ceil(self.limit)

    async def acquire(self, priority: float = 0, group: Hashable = None) -> Permit:
        """Wait for a permit: groups take turns; in a group, lower ``priority`` first, then FIFO."""
        self._wake()  # serves any live waiter first; capacity left means none is waiting
        if self._in_flight < math.floor(self.limit):
            self._in_flight += 1
            return Permit(self, self._clock(), self._in_flight)
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._waiters.get(group)
        if queue is None:
            queue = self._waiters[group] = []
            self._turns.append(group)
        heapq.heappush(queue, (priority, next(self._order), waiter))
        try:
            await waiter  # _wake() hands the permit over (counted) before waking us
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._in_flight -= 1  # granted, but we are leaving: pass it on
                self._wake()
            raise
        return Permit(self, self._clock(), self._in_flight)

    def _release(self, permit: Permit, status: int | None) -> None:
        self._in_flight -= 1
        now = self._clock()
        if status in THROTTLE_STATUSES:
            self.throttled += 1
            self._overloaded(permit, now)
        elif status is not None and status < 500:
            latency = now - permit.started
            self._accepted = max(self._accepted, permit.load)
            if latency > self._baseline * self._tolerance:
                self._slow += 1
                self._baseline += (latency - self._baseline) * _BASELINE_DRIFT
                if self._slow >= math.floor(self.limit):
                    self._overloaded(permit, now)
            else:
                self._slow = 0
                if latency < self._baseline:
                    self._baseline = latency
                else:
                    self._baseline += (latency - self._baseline) * _BASELINE_DRIFT
                if self.limit < self._threshold:
                    step = 1.0
                elif self.limit + 1 >= self._ceiling:
                    step = 0.1 / self.limit
                else:
                    step = 1.0 / self.limit
                self.limit = min(self.maximum, self.limit + step)
        self._wake()

    def _overloaded(self, permit: Permit, now: float) -> None:
        """Decrease multiplicatively, once per episode (not for requests sent before the last)."""
        if permit.started < self._last_decrease:
            return
        base = min(self.limit, self._accepted or self.limit)
        self._accepted = 0
        self._ceiling = self.limit
        self._threshold = self.limit = max(self.minimum, base * self._decrease)
        self._last_decrease = now
        self._baseline = math.inf
        self._slow = 0
        self.decreases += 1

    def _wake(self) -> None:
        while self._in_flight < math.floor(self.limit) and self._turns:
            group = self._turns.popleft()
            queue = self._waiters[group]
            _, _, waiter = heapq.heappop(queue)
            if queue:
                self._turns.append(group)  # its next page waits for the other groups' turn
            else:
                del self._waiters[group]
            if not waiter.done():  # a cancelled waiter is dropped without taking a permit
                self._in_flight += 1
                waiter.set_result(None)


class Permit:
    """One held permit; :meth:`release` it with the answer's status (``None``: no answer)."""

    __slots__ = ("_limiter", "_released", "load", "started")

    def __init__(self, limiter: AdaptiveLimiter, started: float, load: int) -> None:
        self._limiter = limiter
        self.started: float = started
        self.load: int = load  # permits held, this one included, when it was handed out
        self._released = False

    def release(self, status: int | None) -> None:
        """Give the permit back and let ``status`` steer the limit. Idempotent."""
        if not self._released:
            self._released = True
            self._limiter._release(self, status)


def acquire_permit() -> Awaitable[Permit] | None:
    """The wait for a permit from the limiter this task's requests go through, or ``None``
    without one (then there is nothing to await: no coroutine is made on the hot path)."""
    current = _CURRENT.get()
    if current is None:
        return None
    limiter, group, priority = current
    return limiter.acquire(priority, group)


def limited(
    fetch: Callable[[int], Awaitable[R]], limiter: AdaptiveLimiter
) -> Callable[[int], Awaitable[R]]:
    """``fetch`` with every request it makes going through ``limiter``, as one group."""
    group = object()  # this fetch's turn among the limiter's groups

    async def run(number: int) -> R:
        token = _CURRENT.set((limiter, group, number))
        try:
            return await fetch(number)
        finally:
            _CURRENT.reset(token)

    return run
