"""The server's one clock: token expiry, download-URL expiry and every timestamp read it.

It is the wall clock plus an offset that :meth:`Clock.advance` moves (``advance_clock`` in
tests), so expiring a token and stamping a record can never disagree about the time. While the
demo dataset is built the clock is pinned to fixed instants, which makes its timestamps
reproducible.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["Clock"]


class Clock:
    """Now, in epoch seconds: wall time plus a test offset, or a pinned instant."""

    def __init__(self) -> None:
        """Start at the wall clock."""
        self._offset = 0.0
        self._pinned: float | None = None

    def now(self) -> float:
        """Return the current time (the pinned instant while pinned)."""
        return self._pinned if self._pinned is not None else time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (the pinned instant too, while pinned)."""
        if self._pinned is not None:
            self._pinned += seconds
        else:
            self._offset += seconds

    @contextmanager
    def pinned(self, instant: float) -> Iterator[None]:
        """Hold the clock at ``instant`` (moved only by :meth:`advance`) inside the block."""
        self._pinned = instant
        try:
            yield
        finally:
            self._pinned = None
