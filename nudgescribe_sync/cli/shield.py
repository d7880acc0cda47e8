"""Hold Ctrl-C back while the export moves its bookkeeping from one consistent state to another.

A ``KeyboardInterrupt`` may land between any two bytecodes; inside :meth:`Shield.critical` a
SIGINT is only noted, and raised when the block ends, so a page is never counted as written
without its bytes (or written twice). Outside those short blocks Ctrl-C acts at once, even
while waiting for a page. Only the main thread can own signal handlers: elsewhere the shield
does nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["Shield"]


class Shield:
    """Install with ``with Shield() as shield:``; wrap critical steps in ``shield.critical()``."""

    def __init__(self) -> None:
        self._critical = False
        self._pending = False
        self._previous: Any = None
        self._active = threading.current_thread() is threading.main_thread()

    def __enter__(self) -> Shield:
        if self._active:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._active:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._critical:
            self._pending = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def critical(self) -> Iterator[None]:
        """Run the block whole; a Ctrl-C during it is raised right after."""
        self._critical = True
        try:
            yield
        finally:
            self._critical = False
            if self._pending:
                self._pending = False
                raise KeyboardInterrupt
