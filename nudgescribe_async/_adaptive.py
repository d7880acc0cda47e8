"""Adaptive concurrency: an AIMD limit on requests in flight, shared by a client's pagers.

:class:`AdaptiveLimiter` hands out permits, one per HTTP attempt, and moves its limit by what
the answers say, as TCP congestion control and botocore's adaptive retry mode do:

* **429** (or a 503): multiplicative decrease, ``limit *= decrease`` (0.75), at most once per
  overload episode: answers to requests sent before the last decrease don't decrease it again.
* **success**: additive increase, ``+1 / limit`` per answer (one more in flight per round
  trip), or ``+1`` per answer while below the last decrease point (slow start), but only while
  latency stays within ``latency_tolerance`` times the best seen: rising latency holds the
  limit where it is until the service recovers.

Only requests made inside :func:`limited` use the limiter (a pager with ``concurrency="auto"``
runs its fetches that way); the transport asks :func:`current_limiter` for each attempt, and
sleeps its retry backoff *without* a permit.
"""

from __future__ import annotations

import asyncio
import contextvars
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TypeVar

__all__ = ["AdaptiveLimiter", "Permit", "current_limiter", "limited"]

R = TypeVar("R")

_CURRENT: contextvars.ContextVar[AdaptiveLimiter | None] = contextvars.ContextVar(
    "nudgescribe_adaptive_limiter", default=None
)

#: Statuses that mean "too much load": shrink.
THROTTLE_STATUSES = frozenset({429, 503})


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
        decrease: float = 0.75,
        latency_tolerance: float = 2.0,
    ) -> None:
        """Start at ``initial`` permits, never below ``minimum`` nor above ``maximum``."""
        if not 1 <= minimum <= initial <= maximum or not 0 < decrease < 1:
            raise ValueError("need 1 <= minimum <= initial <= maximum and 0 < decrease < 1")
        self.limit = float(initial)
        self.minimum = float(minimum)
        self.maximum = float(maximum)
        self._decrease = decrease
        self._tolerance = latency_tolerance
        self._threshold = float(maximum)  # slow start below this
        self._last_decrease = 0.0
        self._best_latency = math.inf
        self._in_flight = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        #: Counters for callers and benchmarks: answers seen and decreases made.
        self.throttled = 0
        self.decreases = 0

    def __repr__(self) -> str:
        """The current limit and load."""
        return f"AdaptiveLimiter(limit={self.limit:.2f}, in_flight={self._in_flight})"

    @property
    def in_flight(self) -> int:
        """Permits held right now."""
        return self._in_flight

    def window(self) -> int:
        """How many pages a pager should keep scheduled: twice the current limit."""
        return 2 * math.ceil(self.limit)

    async def acquire(self) -> Permit:
        """Wait for a permit (FIFO among waiters)."""
        while self._in_flight >= math.floor(self.limit) or self._waiters:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                elif not waiter.cancelled():
                    self._wake()  # pass on a wake-up meant for us
                raise
            if self._in_flight < math.floor(self.limit):
                break
        self._in_flight += 1
        return Permit(self, time.monotonic())

    def _release(self, permit: Permit, status: int | None) -> None:
        self._in_flight -= 1
        now = time.monotonic()
        if status in THROTTLE_STATUSES:
            self.throttled += 1
            if permit.started >= self._last_decrease:
                self._threshold = self.limit = max(self.minimum, self.limit * self._decrease)
                self._last_decrease = now
                self.decreases += 1
        elif status is not None and status < 500:
            latency = now - permit.started
            self._best_latency = min(self._best_latency, latency)
            if latency <= self._best_latency * self._tolerance:
                step = 1.0 if self.limit < self._threshold else 1.0 / self.limit
                self.limit = min(self.maximum, self.limit + step)
        self._wake()

    def _wake(self) -> None:
        free = math.floor(self.limit) - self._in_flight
        while free > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                free -= 1


class Permit:
    """One held permit; :meth:`release` it with the answer's status (``None``: no answer)."""

    __slots__ = ("_limiter", "_released", "started")

    def __init__(self, limiter: AdaptiveLimiter, started: float) -> None:
        self._limiter = limiter
        self.started = started
        self._released = False

    def release(self, status: int | None) -> None:
        """Give the permit back and let ``status`` steer the limit. Idempotent."""
        if not self._released:
            self._released = True
            self._limiter._release(self, status)


def current_limiter() -> AdaptiveLimiter | None:
    """The limiter that requests made in this task go through, if any."""
    return _CURRENT.get()


def limited(
    fetch: Callable[[int], Awaitable[R]], limiter: AdaptiveLimiter
) -> Callable[[int], Awaitable[R]]:
    """``fetch`` with every request it makes going through ``limiter``."""

    async def run(number: int) -> R:
        token = _CURRENT.set(limiter)
        try:
            return await fetch(number)
        finally:
            _CURRENT.reset(token)

    return run
