"""Background jobs: queued uploads, exports and rerun generation.

A job is a synchronous ``apply`` callable run after ``delay`` seconds on the server's loop
(``0`` = on the next loop turn; ``None`` = held until :meth:`JobQueue.finish_all`). Tests can
finish every pending job at once or change the delay for later jobs. Shutdown cancels the timers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Job", "JobQueue"]


@dataclass
class Job:
    """One queued background job."""

    job_uid: str
    kind: str
    apply: Callable[[], None]
    campaign_id: str | None = None
    done: bool = False
    timer: asyncio.Task[None] | None = None


class JobQueue:
    """Runs jobs after a configurable delay and lets tests finish or hold them."""

    def __init__(self, delay: float | None) -> None:
        """Create a queue whose jobs complete ``delay`` seconds after being queued."""
        self.delay = delay
        self.pending: dict[str, Job] = {}
        self.completed: list[Job] = []

    def submit(self, job: Job) -> Job:
        """Queue ``job`` and start its timer unless jobs are held."""
        self.pending[job.job_uid] = job
        if self.delay is not None:
            job.timer = asyncio.get_running_loop().create_task(self._run_later(job, self.delay))
        return job

    async def _run_later(self, job: Job, delay: float) -> None:
        await asyncio.sleep(delay)
        job.timer = None
        self.finish(job.job_uid)

    def finish(self, job_uid: str) -> bool:
        """Complete the pending job ``job_uid`` now; return False if it is not pending."""
        job = self.pending.pop(job_uid, None)
        if job is None:
            return False
        if job.timer is not None:
            job.timer.cancel()
            job.timer = None
        job.done = True
        job.apply()
        self.completed.append(job)
        return True

    def finish_all(self) -> int:
        """Complete every pending job in the order queued; return how many ran."""
        count = 0
        while self.pending:
            self.finish(next(iter(self.pending)))
            count += 1
        return count

    async def aclose(self) -> None:
        """Cancel every timer and wait for the cancellations (jobs stay pending)."""
        timers = [job.timer for job in self.pending.values() if job.timer is not None]
        for timer in timers:
            timer.cancel()
        for timer in timers:
            with contextlib.suppress(asyncio.CancelledError):
                await timer
