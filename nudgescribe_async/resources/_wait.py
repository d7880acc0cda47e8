"""The one polling loop behind the waiters (``wait_for_status``, ``wait_for_export``)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from nudgescribe_async._errors import WaitTimeoutError

__all__ = ["poll_until"]

_T = TypeVar("_T")


async def poll_until(
    probe: Callable[[], Awaitable[_T]],
    done: Callable[[_T], bool],
    *,
    timeout: float,
    poll_interval: float,
    describe: Callable[[_T], str],
) -> _T:
    """Call ``probe`` until ``done(result)``; return that result.

    The first probe runs at once; later ones ``poll_interval`` seconds apart, measured on the
    event loop's clock. When the next probe would start after ``timeout`` seconds, raise
    :class:`WaitTimeoutError` with ``describe(last_result)``. A probe already running is not
    cut short, so the total may exceed ``timeout`` by at most one request (bounded by that
    request's own timeout). Errors raised by ``probe`` propagate unchanged.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await probe()
        if done(result):
            return result
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise WaitTimeoutError(f"gave up after {timeout:g}s: {describe(result)}")
        await asyncio.sleep(min(poll_interval, remaining))
