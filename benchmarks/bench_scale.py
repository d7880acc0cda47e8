"""Scaling benchmarks: adaptive concurrency against a 429-above-N service, and compression.

    python benchmarks/bench_scale.py adaptive      # --limit 8 --pages 200 --latency 0.02
    python benchmarks/bench_scale.py compression   # --customers 200000 --page-size 1000

The reference server runs in a child process (its CPU is not charged to the client) and is
steered over its stdin: ``compress N|off`` sets the compression threshold, ``stats`` prints
the bytes sent and the 429s answered so far. Variants run interleaved round by round; the
medians are reported.

adaptive: the server answers 429 (``Retry-After``) above ``--limit`` page requests in flight
and delays each page by ``--latency``. A pager fixed at exactly N, an adaptive pager
(``concurrency="auto"``) and a pager fixed at 4N each fetch every page (fresh client per run,
so the adaptive one starts cold). Reported: wall time, throughput relative to fixed N, 429s,
and the share of request-slot time spent sleeping in 429 backoff.

compression: a 200,000-customer export (``customers.list`` streamed, 8 in flight) with the
server's compression off and on: body bytes on the wire and wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer


class _BackoffMeter(logging.Handler):
    """Sums what the transport logs: retry delays after a 429 and HTTP exchange times."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.reset()

    def reset(self) -> None:
        self.seconds = 0.0
        self.retries = 0
        self.http_seconds = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if not isinstance(args, tuple):
            return
        if record.msg.startswith("retrying") and "RateLimitError" in args:
            self.seconds += float(args[2])
            self.retries += 1
        elif " -> " in record.msg:
            self.http_seconds += float(args[3]) / 1000


@asynccontextmanager
async def _server(**options: Any) -> AsyncIterator[tuple[dict[str, Any], Any]]:
    args = [sys.executable, __file__, "serve"]
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    proc = await asyncio.create_subprocess_exec(
        *args, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stdin is not None

    async def control(command: str) -> dict[str, Any]:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(command.encode() + b"\n")
        await proc.stdin.drain()
        return dict(json.loads(await proc.stdout.readline()))

    try:
        info = json.loads(await asyncio.wait_for(proc.stdout.readline(), timeout=300))
        yield info, control
    finally:
        proc.stdin.close()
        await proc.wait()


async def _export(
    info: dict[str, Any], concurrency: int | str, page_size: int, max_retries: int
) -> int:
    async with AsyncNudgescribe(**info["client"], max_retries=max_retries) as client:
        count = 0
        async for page in client.customers.list(
            info["group_id"], page_size=page_size, concurrency=concurrency
        ).pages():  # type: ignore[arg-type]
            count += len(page.items)
        return count


async def adaptive(ns: argparse.Namespace) -> None:
    limit = ns.limit
    variants: dict[str, int | str] = {
        f"fixed N={limit}": limit,
        "auto": "auto",
        f"fixed 4N={4 * limit}": 4 * limit,
    }
    meter = _BackoffMeter()
    logging.getLogger("nudgescribe").addHandler(meter)
    logging.getLogger("nudgescribe").setLevel(logging.DEBUG)
    logging.getLogger("nudgescribe").propagate = False
    rows: dict[str, list[tuple[float, int, float]]] = {name: [] for name in variants}
    async with _server(
        customers=ns.pages * ns.page_size,
        limit=limit,
        latency=ns.latency,
        retry_after=ns.retry_after,
    ) as (info, control):
        for _ in range(ns.runs):
            for name, concurrency in variants.items():
                before = (await control("stats"))["refused"]
                meter.reset()
                started = time.perf_counter()
                got = await _export(info, concurrency, ns.page_size, max_retries=50)
                wall = time.perf_counter() - started
                assert got == ns.pages * ns.page_size, got
                refused = (await control("stats"))["refused"] - before
                asleep = meter.seconds / (meter.seconds + meter.http_seconds)
                rows[name].append((wall, refused, asleep))
    base = statistics.median(r[0] for r in rows[f"fixed N={limit}"])
    print(
        f"{ns.pages} pages of {ns.page_size}, {ns.latency * 1000:.0f} ms each, 429 above "
        f"{limit} in flight (Retry-After {ns.retry_after}s), median of {ns.runs} rounds\n"
    )
    print("| pager | wall s | throughput vs fixed N | 429s | time in 429 backoff |")
    print("|---|---:|---:|---:|---:|")
    for name in variants:
        wall = statistics.median(r[0] for r in rows[name])
        refused = statistics.median(r[1] for r in rows[name])
        share = statistics.median(r[2] for r in rows[name])
        print(f"| {name} | {wall:.3f} | {base / wall:.2f} | {refused:.0f} | {share:.0%} |")
    print(
        "\n(time in 429 backoff: of the time the page requests took, the share spent asleep "
        "in Retry-After backoff rather than in HTTP exchanges)"
    )


async def compression(ns: argparse.Namespace) -> None:
    walls: dict[str, list[float]] = {"off": [], "on": []}
    sizes: dict[str, list[int]] = {"off": [], "on": []}
    async with _server(customers=ns.customers) as (info, control):
        for _ in range(ns.runs):
            for mode in ("off", "on"):
                await control(f"compress {'off' if mode == 'off' else ns.threshold}")
                before = (await control("stats"))["bytes"]
                started = time.perf_counter()
                got = await _export(info, 8, ns.page_size, max_retries=2)
                walls[mode].append(time.perf_counter() - started)
                sizes[mode].append((await control("stats"))["bytes"] - before)
                assert got == ns.customers, got
    print(
        f"{ns.customers} customers, page_size {ns.page_size}, 8 in flight, "
        f"median of {ns.runs} rounds\n"
    )
    print("| compression | body bytes on the wire | wall s |")
    print("|---|---:|---:|")
    for mode in ("off", "on"):
        print(
            f"| {mode} | {statistics.median(sizes[mode]):,.0f} | "
            f"{statistics.median(walls[mode]):.3f} |"
        )
    ratio = statistics.median(sizes["off"]) / statistics.median(sizes["on"])
    time_ratio = statistics.median(walls["on"]) / statistics.median(walls["off"])
    print(f"\nbytes off/on: {ratio:.1f}x; wall on/off: {time_ratio:.2f}x")


async def serve(ns: argparse.Namespace) -> None:
    async with ReferenceServer() as server:
        ws = server.seed_workspace("Bench")
        server.seed_profile_field(ws.workspace_id, "email", "string", is_unique=True)
        server.seed_profile_field(ws.workspace_id, "city", "string")
        group = server.seed_group(ws.workspace_id, "Everyone")
        server.seed_customers(group.customer_group_id, count=ns.customers)
        rule = None
        if ns.limit:
            rule = server.faults.add(
                "/v1/customer",
                kind="concurrency_limit",
                limit=ns.limit,
                times=None,
                retry_after=ns.retry_after,
            )
        if ns.latency:
            server.faults.add("/v1/customer", kind="latency", seconds=ns.latency, times=None)
        kwargs = server.client_kwargs()
        print(json.dumps({"client": kwargs, "group_id": group.customer_group_id}), flush=True)
        loop = asyncio.get_running_loop()
        while line := (await loop.run_in_executor(None, sys.stdin.readline)).strip():
            if line.startswith("compress "):
                value = line.split()[1]
                server.core.config = dataclasses.replace(
                    server.core.config, compress_min_bytes=None if value == "off" else int(value)
                )
            print(
                json.dumps({"bytes": server.bytes_sent, "refused": rule.hits if rule else 0}),
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("adaptive")
    a.add_argument("--limit", type=int, default=8)
    a.add_argument("--pages", type=int, default=200)
    a.add_argument("--page-size", type=int, default=100)
    a.add_argument("--latency", type=float, default=0.02)
    a.add_argument("--retry-after", type=float, default=0.1)
    a.add_argument("--runs", type=int, default=3)
    c = sub.add_parser("compression")
    c.add_argument("--customers", type=int, default=200_000)
    c.add_argument("--page-size", type=int, default=1000)
    c.add_argument("--threshold", type=int, default=8192)  # bytes; the server default is off
    c.add_argument("--runs", type=int, default=3)
    s = sub.add_parser("serve")
    s.add_argument("--customers", type=int, default=0)
    s.add_argument("--limit", type=int, default=0)
    s.add_argument("--latency", type=float, default=0.0)
    s.add_argument("--retry-after", type=float, default=0.1)
    ns = parser.parse_args()
    asyncio.run({"adaptive": adaptive, "compression": compression, "serve": serve}[ns.command](ns))


if __name__ == "__main__":
    main()
