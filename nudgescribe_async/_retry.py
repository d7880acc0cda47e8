"""Retry decisions and backoff as pure functions: no I/O, no clock reads, no sleeping.

The transport asks two questions and acts on the answers (whether an endpoint may be sent
twice is part of its definition, :mod:`._endpoints`):

- :func:`should_retry` — given what went wrong on attempt ``n``, try again?
- :func:`backoff_delay` — how long to wait first (``Retry-After`` wins, capped)?

:func:`instant_backoff` is the test switch (as in ``stamina.set_testing``): while it is on,
every computed delay is zero, so tests of retry behaviour run instantly.
"""

from __future__ import annotations

import contextlib
import email.utils
import enum
import random
from collections.abc import Iterator
from datetime import datetime, timezone

import attrs

__all__ = [
    "Failure",
    "RetryPolicy",
    "backoff_delay",
    "instant_backoff",
    "jitter_source",
    "parse_retry_after",
    "should_retry",
]

_RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

_instant = False


class Failure(enum.Enum):
    """What went wrong on one attempt."""

    #: Connecting failed: the request was never sent, so a retry is always safe.
    CONNECT = "connect"
    #: The connection broke after the request may have been sent.
    CONNECTION = "connection"
    #: A timeout ran out after the request may have been sent.
    TIMEOUT = "timeout"
    #: The server answered with an error status (see ``status``).
    STATUS = "status"


@attrs.frozen
class RetryPolicy:
    """How many times to retry and how long to wait.

    Defaults (README, "Retries and timeouts"): 2 retries, 0.5 s doubling to 8 s with jitter,
    ``Retry-After`` honoured up to 60 s.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: float = 0.25


def should_retry(
    attempt: int,
    policy: RetryPolicy,
    failure: Failure,
    *,
    idempotent: bool,
    status: int | None = None,
    quota_exceeded: bool = False,
) -> bool:
    """Decide whether attempt number ``attempt`` (0-based) that failed may be retried.

    Connect failures are always retried; timeouts, broken connections, 429 (unless the
    quota is spent) and 500/502/503/504 only for idempotent calls.
    """
    if attempt >= policy.max_retries:
        return False
    if failure is Failure.CONNECT:
        return True
    if not idempotent:
        return False
    if failure is Failure.STATUS:
        return status in _RETRYABLE_STATUSES and not (status == 429 and quota_exceeded)
    return True


def backoff_delay(
    attempt: int, policy: RetryPolicy, *, retry_after: float | None = None, rand: float = 0.5
) -> float:
    """Seconds to wait before retry number ``attempt + 1``.

    ``retry_after`` (already parsed) wins when given, capped at ``policy.max_retry_after``.
    Otherwise ``initial_delay * 2**attempt`` capped at ``max_delay``, spread by
    ``±jitter`` using ``rand`` in [0, 1) (pass ``random.random()``).
    """
    if _instant:
        return 0.0
    if retry_after is not None:
        return max(0.0, min(retry_after, policy.max_retry_after))
    base = min(policy.initial_delay * (2.0**attempt), policy.max_delay)
    spread = 1.0 + policy.jitter * (2.0 * rand - 1.0)
    return max(0.0, min(base * spread, policy.max_delay))


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Parse a ``Retry-After`` header: delta-seconds or an HTTP date. ``None`` if unusable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    current = now or datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())


def jitter_source() -> float:
    """The random number fed to :func:`backoff_delay` (a seam for tests)."""
    return random.random()


@contextlib.contextmanager
def instant_backoff(enabled: bool = True) -> Iterator[None]:
    """Make every backoff zero while the block runs (for tests of retry behaviour).

    >>> with instant_backoff():
    ...     backoff_delay(3, RetryPolicy())
    0.0
    """
    global _instant
    previous, _instant = _instant, enabled
    try:
        yield
    finally:
        _instant = previous
