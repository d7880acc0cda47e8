"""The bulk commands' progress bar: rich, on stderr, only when stderr is a terminal."""

from __future__ import annotations

import sys
import time

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from nudgescribe_sync.cli.output import make_console

__all__ = ["ProgressBar"]


class ProgressBar:
    """Pages done of total, rows, rows per second and ETA; a no-op off a terminal."""

    def __init__(self, label: str) -> None:
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._started = time.monotonic()
        self._base_rows: int | None = None
        if sys.stderr.isatty():
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("pages"),
                TextColumn("{task.fields[rows]:,} rows"),
                TextColumn("{task.fields[rate]:,.0f} rows/s"),
                TimeRemainingColumn(),
                console=make_console(stderr=True),
            )
            self._task = self._progress.add_task(label, total=None, rows=0, rate=0.0)

    def update(self, total_pages: int | None, pages: int, rows: int) -> None:
        """Show ``pages`` of ``total_pages`` done and ``rows`` written."""
        if self._progress is None or self._task is None:
            return
        now = time.monotonic()
        if self._base_rows is None:  # the rate counts this run's rows, not resumed ones
            self._base_rows, self._started = rows, now
        rate = (rows - self._base_rows) / max(now - self._started, 1e-6)
        self._progress.update(self._task, total=total_pages, completed=pages, rows=rows, rate=rate)

    def __enter__(self) -> ProgressBar:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._progress is not None:
            self._progress.stop()
