"""Peak memory of streaming 200,000 customers through the pager vs materialising them.

Run: ``python benchmarks/bench_memory.py [--customers 200000] [--page-size 1000]``

A reference server runs in its own process per size; each measurement runs in a fresh child
process (so the server's memory is not counted) that reports its RSS just before iterating and its
peak RSS (``ru_maxrss``) after. "stream" keeps one running count; "collect" keeps every
customer in a list, which is what a hand-written loop appending pages would hold.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys

import psutil

from nudgescribe_async import AsyncNudgescribe


async def child(mode: str, group_id: str, page_size: int, concurrency: int) -> None:
    async with AsyncNudgescribe() as client:  # credentials from NUDGESCRIBE_* env vars
        await client.customers.count_pages(group_id, page_size=page_size)  # warm up
        before = psutil.Process().memory_info().rss
        pager = client.customers.list(group_id, page_size=page_size, concurrency=concurrency)
        if mode == "stream":
            count = 0
            async for _ in pager:
                count += 1
        else:
            count = len(await pager.collect())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
        print(json.dumps({"mode": mode, "count": count, "before": before, "peak": peak}))


async def parent(customers_list: list[int], page_size: int, concurrency: int) -> None:
    from _common import server_process

    print(f"pages of {page_size}, concurrency {concurrency}; growth = peak RSS - RSS before")
    print(f"{'customers':>10} {'mode':<8}{'growth MiB':>12}")
    for customers in customers_list:
        async with server_process(customers=customers) as info:
            group_id = info["group_id"]
            env = {**os.environ, **info["env"]}
            for mode in ("stream", "collect"):
                proc = await asyncio.create_subprocess_exec(
                    sys.executable,
                    __file__,
                    "--child",
                    mode,
                    "--group",
                    group_id,
                    "--page-size",
                    str(page_size),
                    "--concurrency",
                    str(concurrency),
                    env=env,
                    stdout=asyncio.subprocess.PIPE,
                )
                out, _ = await proc.communicate()
                result = json.loads(out.decode().strip().splitlines()[-1])
                assert result["count"] == customers, result
                growth = (result["peak"] - result["before"]) / 2**20
                print(f"{customers:>10} {mode:<8}{growth:>12.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", default="50000,200000")
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--child")
    parser.add_argument("--group")
    ns = parser.parse_args()
    if ns.child:
        asyncio.run(child(ns.child, ns.group, ns.page_size, ns.concurrency))
    else:
        asyncio.run(parent([int(x) for x in ns.customers.split(",")], ns.page_size, ns.concurrency))
