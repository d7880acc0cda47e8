"""Soak: 20,000 requests through one client with sockets and memory flat (marked slow)."""

from __future__ import annotations

import asyncio
import gc
import os

import psutil
import pytest

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer
from tests._support.worlds import ReliabilitySeed

TOTAL = 20_000
WORKERS = 16
CG = "/v1/cg"


@pytest.mark.slow
@pytest.mark.timeout(300)
async def test_twenty_thousand_requests_keep_sockets_and_memory_flat(
    reliability_server: ReferenceServer, reliability_seed: ReliabilitySeed
) -> None:
    """RSS and open sockets after 20,000 calls (with faults mixed in) match those after 4,000."""
    me = psutil.Process(os.getpid())
    samples: dict[int, tuple[int, int]] = {}
    done = 0

    def sample() -> tuple[int, int]:
        gc.collect()
        return me.memory_info().rss, len(me.net_connections(kind="tcp"))

    async with AsyncNudgescribe(**reliability_server.client_kwargs(), max_retries=2) as client:

        async def worker() -> None:
            nonlocal done
            while done < TOTAL:
                done += 1
                if done % 1000 == 0:  # some retried failures along the way
                    reliability_server.faults.add(CG, method="POST", kind="fail", status=503)
                await client.customer_groups.list(reliability_seed.workspace_id)
                if done in (4_000, TOTAL):
                    samples[done] = sample()

        await asyncio.gather(*(worker() for _ in range(WORKERS)))
    (rss_early, sockets_early), (rss_late, sockets_late) = samples[4_000], samples[TOTAL]
    assert sockets_late <= sockets_early + 2
    assert rss_late - rss_early < 40 * 1024 * 1024, (rss_early, rss_late)
