"""Sequential vs concurrent paging through ``customers.list`` with injected per-page latency.

Run: ``python benchmarks/bench_paging.py [--pages 200] [--latency 0.02] [--runs 3]``

The reference server runs in its own process on loopback (so its CPU is not charged to the
client); every mode runs side by side in one run, so the ratios hold on a noisy machine. The
ideal time is ``ceil(pages / concurrency) * latency``.
"""

from __future__ import annotations

import argparse
import asyncio
import math

from _common import best_of, server_process

from nudgescribe_async import AsyncNudgescribe

PAGE_SIZE = 100
_CLIENT_KEYS = ("api_key", "email", "api_secret", "api_code", "base_url")


async def main(pages: int, latency: float, runs: int, levels: list[int]) -> None:
    async with server_process(customers=pages * PAGE_SIZE, latency=latency) as info:
        group_id = info["group_id"]
        async with AsyncNudgescribe(**{k: info[k] for k in _CLIENT_KEYS}) as client:
            await client.customers.count_pages(group_id, page_size=PAGE_SIZE)  # warm up

            async def run(concurrency: int) -> None:
                pager = client.customers.list(group_id, page_size=PAGE_SIZE,
                                              concurrency=concurrency)
                items = await pager.collect()
                assert len(items) == pages * PAGE_SIZE, len(items)

            async def sequential() -> None:
                count = 0
                for page in range(1, pages + 1):
                    count += len((await client.customers.get_page(
                        group_id, page, page_size=PAGE_SIZE)).customers)
                assert count == pages * PAGE_SIZE

            print(f"{pages} pages x {PAGE_SIZE} customers, {latency * 1000:.0f} ms injected "
                  f"latency per page, best of {runs}")
            print(f"{'mode':<22}{'wall s':>9}{'ideal s':>9}{'vs ideal':>10}{'speed-up':>10}")
            seq = await best_of(runs, sequential)
            ideal_seq = pages * latency
            print(f"{'get_page loop':<22}{seq:>9.3f}{ideal_seq:>9.3f}{seq / ideal_seq:>9.2f}x"
                  f"{1.0:>9.2f}x")
            for level in levels:
                wall = await best_of(runs, lambda level=level: run(level))  # type: ignore[misc]
                ideal = math.ceil(pages / level) * latency
                print(f"{'list concurrency=' + str(level):<22}{wall:>9.3f}{ideal:>9.3f}"
                      f"{wall / ideal:>9.2f}x{seq / wall:>9.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--levels", default="1,4,8,16,32")
    ns = parser.parse_args()
    asyncio.run(main(ns.pages, ns.latency, ns.runs, [int(x) for x in ns.levels.split(",")]))
