"""Limits of one call: the overall deadline across retries, the response size cap, JSON depth.

* :class:`Deadline` -- every call gets ``deadline`` seconds in all (default
  :data:`DEFAULT_DEADLINE`): attempts, backoff waits and ``Retry-After`` waits included. An
  attempt never gets more time than is left, and a wait that would end past the deadline is not
  started: the last error is raised at once instead.
* :data:`DEFAULT_MAX_RESPONSE_BYTES` -- a larger response body raises ``ResponseDecodeError``
  without being read whole.
* :func:`check_depth` -- decoded JSON nested deeper than :data:`MAX_JSON_DEPTH` raises
  ``ResponseDecodeError``: deeper values would overflow Python's recursion in decoding, ``repr``
  and redaction.
"""

from __future__ import annotations

import math
import time
import types
from collections.abc import Callable, Mapping
from typing import Any, Final

from aiohttp import ClientTimeout

from ._errors import ResponseDecodeError

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_JSON_DEPTH",
    "Deadline",
    "bounded_extra",
    "check_depth",
]

#: Seconds one call may take in all, retries and waits included.
DEFAULT_DEADLINE: Final = 300.0
#: Largest response body read (64 MiB).
DEFAULT_MAX_RESPONSE_BYTES: Final = 64 * 1024 * 1024
#: Deepest JSON nesting accepted in a response.
MAX_JSON_DEPTH: Final = 64


class Deadline:
    """The moment a call must be over, on a monotonic clock."""

    __slots__ = ("_clock", "_end", "seconds")

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds if math.isfinite(seconds) else math.inf

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self._end - self._clock())

    def bound(self, timeout: ClientTimeout) -> ClientTimeout:
        """``timeout`` for the next attempt, its total shortened to what is left."""
        left = max(self.remaining(), 0.001)  # none left: the attempt times out at once
        if timeout.total is not None and timeout.total <= left:
            return timeout
        return ClientTimeout(
            total=left,
            connect=timeout.connect,
            sock_read=timeout.sock_read,
            sock_connect=timeout.sock_connect,
            ceil_threshold=timeout.ceil_threshold,
        )

    def allows_wait(self, seconds: float) -> bool:
        """Whether waiting ``seconds`` still leaves time for another attempt."""
        return seconds < self.remaining()


def check_depth(value: Any, *, url: str | None = None, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise ``ResponseDecodeError`` if decoded JSON ``value`` nests deeper than ``limit``."""
    level: list[Any] = [value] if type(value) in (dict, list) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            raise ResponseDecodeError(
                f"response JSON is nested deeper than {limit} levels", path="$", url=url
            )
        below: list[Any] = []
        for node in level:
            for child in node.values() if type(node) is dict else node:
                if type(child) is dict or type(child) is list:
                    below.append(child)
        level = below


def bounded_extra(unknown: dict[str, Any]) -> Mapping[str, Any]:
    """A model's read-only ``extra`` (the keys it does not model), depth-checked: values kept
    there untyped must not nest so deep that ``repr`` or redaction would overflow."""
    check_depth(unknown)
    return types.MappingProxyType(unknown)
