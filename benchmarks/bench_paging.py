"""Sequential vs concurrent paging through ``customers.list`` with injected per-page latency.

Run: ``python benchmarks/bench_paging.py [--pages 200] [--latency 0.02] [--runs 3]``

The reference server runs in its own process on loopback (so its CPU is not charged to the
client); every mode runs side by side in one run, so the ratios hold on a noisy machine. The
ideal time is ``pages * latency / concurrency``. "pager alone" runs the pager over pages
that only sleep (its scheduling cost without HTTP or decoding). As a floor for what any client
can do on this machine, the same pages are also fetched with hand-written aiohttp (one
session, a semaphore of 16, ``orjson.loads``, no models) in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import aiohttp
import orjson
from _common import best_of, best_of_interleaved, server_process

from nudgescribe_async import AsyncNudgescribe, AsyncPager, PageResult

PAGE_SIZE = 100  # the API default; --page-size changes it
_CLIENT_KEYS = ("api_key", "email", "api_secret", "api_code", "base_url")


async def main(pages: int, latency: float, runs: int, levels: list[int]) -> None:
    async with server_process(customers=pages * PAGE_SIZE, latency=latency) as info:
        group_id = info["group_id"]
        async with (
            AsyncNudgescribe(**{k: info[k] for k in _CLIENT_KEYS}) as client,
            raw_aiohttp(info, group_id, pages) as raw_everything,
        ):
            await client.customers.count_pages(group_id, page_size=PAGE_SIZE)  # warm up

            async def run(concurrency: int) -> None:
                pager = client.customers.list(
                    group_id, page_size=PAGE_SIZE, concurrency=concurrency
                )
                items = await pager.collect()
                assert len(items) == pages * PAGE_SIZE, len(items)

            async def sequential() -> None:
                count = 0
                for page in range(1, pages + 1):
                    count += len(
                        (
                            await client.customers.get_page(group_id, page, page_size=PAGE_SIZE)
                        ).customers
                    )
                assert count == pages * PAGE_SIZE

            print(
                f"{pages} pages x {PAGE_SIZE} customers, {latency * 1000:.0f} ms injected "
                f"latency per page, best of {runs}"
            )
            print(f"{'mode':<22}{'wall s':>9}{'ideal s':>9}{'vs ideal':>10}{'speed-up':>10}")
            seq = await best_of(runs, sequential)
            ideal_seq = pages * latency
            print(
                f"{'get_page loop':<22}{seq:>9.3f}{ideal_seq:>9.3f}{seq / ideal_seq:>9.2f}x"
                f"{1.0:>9.2f}x"
            )
            for level in levels:
                if level == 16:
                    # The headline comparison: interleaved with raw aiohttp, round by round.
                    best = await best_of_interleaved(
                        runs, {"sdk": lambda: run(16), "raw": raw_everything}
                    )
                    wall, raw_floor = best["sdk"], best["raw"]
                else:
                    wall = await best_of(runs, lambda level=level: run(level))  # type: ignore[misc]
                ideal = pages * latency / level
                print(
                    f"{'list concurrency=' + str(level):<22}{wall:>9.3f}{ideal:>9.3f}"
                    f"{wall / ideal:>9.2f}x{seq / wall:>9.2f}x"
                )
            if 16 not in levels:
                raw_floor = await best_of(runs, raw_everything)
            ideal16 = pages * latency / 16
            print(
                f"{'raw aiohttp, 16':<22}{raw_floor:>9.3f}{ideal16:>9.3f}"
                f"{raw_floor / ideal16:>9.2f}x{seq / raw_floor:>9.2f}x"
            )
            alone = await best_of(runs, lambda: pager_alone(pages, latency, 16))
            print(
                f"{'pager alone, 16':<22}{alone:>9.3f}{ideal16:>9.3f}"
                f"{alone / ideal16:>9.2f}x{seq / alone:>9.2f}x"
            )
            if 16 in levels:
                sdk16 = best["sdk"]
                print(f"SDK pager / raw aiohttp at 16 in flight: {sdk16 / raw_floor:.2f}x")


async def pager_alone(pages: int, latency: float, concurrency: int) -> None:
    """The pager's own scheduling: pages that only sleep ``latency``, no HTTP, no decoding."""

    async def fetch(number: int) -> PageResult[int]:
        await asyncio.sleep(latency)
        return PageResult([number], pages)

    assert (
        len(await AsyncPager(fetch, total_pages=pages, concurrency=concurrency).collect()) == pages
    )


@asynccontextmanager
async def raw_aiohttp(
    info: dict[str, str], group_id: str, pages: int
) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """Yield a function fetching every page with plain aiohttp, 16 requests in flight."""
    base = info["base_url"]
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{base}/v1/auth",
            headers={"x-api-key": info["api_key"]},
            json={"email": info["email"], "api_secret": info["api_secret"]},
        ) as resp:
            token = (await resp.json())["access_token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "x-ip": "127.0.0.1",
            "Content-Type": "application/json",
            "x-auth-context": orjson.dumps(
                {"api_access": True, "api_code": info["api_code"]}
            ).decode(),
        }
        gate = asyncio.Semaphore(16)

        async def page(number: int) -> int:
            body = orjson.dumps(
                {"customer_group_id": group_id, "page": number, "page_size": PAGE_SIZE}
            )
            async with (
                gate,
                session.post(f"{base}/v1/customer", data=body, headers=headers) as resp,
            ):
                return len(orjson.loads(await resp.read())["customers"])

        async def everything() -> None:
            counts = await asyncio.gather(*(page(n) for n in range(1, pages + 1)))
            assert sum(counts) == pages * PAGE_SIZE

        yield everything


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--levels", default="1,4,8,16,32")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE)
    ns = parser.parse_args()
    PAGE_SIZE = ns.page_size
    asyncio.run(main(ns.pages, ns.latency, ns.runs, [int(x) for x in ns.levels.split(",")]))
