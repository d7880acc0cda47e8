"""The sync facade against the async client, on the same loopback server (a child process).

* Per-call excess: ``(sync call - async call) / bare hop``, where the bare hop is
  ``asyncio.run_coroutine_threadsafe(no-op, loop).result()`` onto the sync client's own loop,
  measured in the same rounds (short blocks of calls, interleaved; each variant's best block,
  as the difference is too small for medians on a loaded machine - the median-based figure is
  in the details). The async calls run on one event loop in this thread.
* Paging: the sync ``Pager`` (a ``for`` loop) vs the ``AsyncPager`` (``async for``) over the same
  group, with pages of 1000 and with small pages of 50 rows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from _common import server_process
from _measure import Result, medians, ms

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_sync import Nudgescribe

_CLIENT_KEYS = ("api_key", "email", "api_secret", "api_code", "base_url")
CUSTOMERS = 10_000


def run(quick: bool) -> list[Result]:
    """Start the server in a child process (its own loop thread here) and measure."""
    return asyncio.run(_with_server(quick))


async def _with_server(quick: bool) -> list[Result]:
    async with server_process(customers=CUSTOMERS, groups=5) as info:
        # The measurements block: run them off this loop, which only keeps the child alive.
        return await asyncio.to_thread(_measure_all, info, quick)


def _measure_all(info: dict[str, Any], quick: bool) -> list[Result]:
    kwargs = {k: info[k] for k in _CLIENT_KEYS}
    ws, group_id = info["workspace_id"], info["group_id"]
    rounds, calls = (16, 10) if quick else (61, 20)
    samples: dict[str, list[float]] = {
        k: []
        for k in (
            "async call",
            "sync call",
            "bare hop",
            "async pager 1000",
            "sync pager 1000",
            "async pager 50",
            "sync pager 50",
        )
    }
    with Nudgescribe(**kwargs) as sync_client:
        loop: asyncio.AbstractEventLoop = sync_client._run(_running_loop)
        sync_client.customer_groups.list(ws)  # warm up: token, connection

        # One async client on one loop for every round (warm connections, like the sync one).
        aloop = asyncio.new_event_loop()
        client = aloop.run_until_complete(_make_async(kwargs))

        async def async_calls() -> None:
            started = time.perf_counter()
            for _ in range(calls):
                await client.customer_groups.list(ws)
            samples["async call"].append((time.perf_counter() - started) / calls)

        async def async_pagers() -> None:
            for size in (1000, 50):
                started = time.perf_counter()
                n = 0
                async for _ in client.customers.list(group_id, page_size=size):
                    n += 1
                assert n == CUSTOMERS
                samples[f"async pager {size}"].append(time.perf_counter() - started)

        # Short blocks of calls, interleaved over many rounds: the per-call excess is a small
        # difference of two larger numbers, so both must see the same machine load.
        aloop.run_until_complete(async_calls())  # warm-up block, dropped
        samples["async call"].clear()
        for index in range(rounds):
            aloop.run_until_complete(async_calls())
            samples["sync call"].append(
                _per_call(calls, lambda: sync_client.customer_groups.list(ws))
            )
            samples["bare hop"].append(
                _per_call(calls, lambda: asyncio.run_coroutine_threadsafe(_noop(), loop).result())
            )
            if index % 2:
                continue
            aloop.run_until_complete(async_pagers())
            for size in (1000, 50):
                started = time.perf_counter()
                n = sum(1 for _ in sync_client.customers.list(group_id, page_size=size))
                assert n == CUSTOMERS
                samples[f"sync pager {size}"].append(time.perf_counter() - started)
        aloop.run_until_complete(client.aclose())
        aloop.close()
    med = medians(samples)
    # The excess is a small difference of two larger numbers, so one noisy block moves it by
    # several hops: it uses each variant's best block (machine noise only ever adds time).
    best = {k: min(v) for k, v in samples.items()}
    excess = (best["sync call"] - best["async call"]) / best["bare hop"]
    by_medians = (med["sync call"] - med["async call"]) / med["bare hop"]
    us = {k: round(v * 1e6, 1) for k, v in med.items() if "pager" not in k}
    return [
        Result(
            "sync facade per-call excess over async, in bare hops",
            excess,
            1.3,
            8.0,
            unit="hops",
            details={
                "median_us_per_call": us,
                "rounds": rounds,
                "best_us_per_call": {k: round(best[k] * 1e6, 1) for k in us},
                "excess_from_medians": round(by_medians, 2),
            },
        ),
        Result(
            f"sync pager vs async pager, pages of 1000 ({CUSTOMERS} customers)",
            med["sync pager 1000"] / med["async pager 1000"],
            1.05,
            3.0,
            details={"median_ms": ms({k: v for k, v in samples.items() if "1000" in k})},
        ),
        Result(
            f"sync pager vs async pager, pages of 50 ({CUSTOMERS} customers)",
            med["sync pager 50"] / med["async pager 50"],
            1.10,
            3.0,
            details={"median_ms": ms({k: v for k, v in samples.items() if " 50" in k})},
        ),
    ]


def _per_call(calls: int, call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls


async def _make_async(kwargs: dict[str, Any]) -> AsyncNudgescribe:
    return AsyncNudgescribe(**kwargs)


async def _noop() -> None:
    return None


async def _running_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()
