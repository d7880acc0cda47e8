"""Shared setup for the benchmarks: a seeded reference server in its own process.

The server runs in a child process (``python benchmarks/_common.py ...``) so that its CPU time
and memory are not charged to the client being measured; the two share the machine's two
cores the way a client and a remote service would not, so ratios, not absolutes, are the
result. The child prints one JSON line (base URL, credentials as env vars, seeded ids) and
serves until its stdin closes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from nudgescribe_async.testing import ReferenceServer


@asynccontextmanager
async def server_process(
    *, customers: int = 0, latency: float = 0.0, groups: int = 0
) -> AsyncIterator[dict[str, Any]]:
    """Run a seeded reference server in a child process; yield its JSON description."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--customers",
        str(customers),
        "--latency",
        str(latency),
        "--groups",
        str(groups),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=120)
        yield json.loads(line)
    finally:
        proc.stdin.close()
        await proc.wait()


async def best_of(runs: int, body: Callable[[], Awaitable[Any]]) -> float:
    """Best wall time in seconds of ``runs`` awaits of ``body()`` (noise only adds time)."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        await body()
        best = min(best, time.perf_counter() - started)
    return best


async def best_of_interleaved(
    runs: int, bodies: dict[str, Callable[[], Awaitable[Any]]]
) -> dict[str, float]:
    """Best wall time of each body, running them in turn within every round.

    Interleaving keeps a burst of machine noise from landing on one side of a comparison.
    """
    best = dict.fromkeys(bodies, float("inf"))
    for _ in range(runs):
        for name, body in bodies.items():
            started = time.perf_counter()
            await body()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


async def _serve(customers: int, latency: float, groups: int) -> None:
    async with ReferenceServer() as server:
        ws = server.seed_workspace("Bench")
        server.seed_profile_field(ws.workspace_id, "email", "string", is_unique=True)
        server.seed_profile_field(ws.workspace_id, "city", "string")
        group = server.seed_group(ws.workspace_id, "Everyone")
        if customers:
            server.seed_customers(group.customer_group_id, count=customers)
        for i in range(groups):
            server.seed_group(ws.workspace_id, f"group {i}")
        if latency:
            server.faults.add(
                "/v1/customer", method="POST", kind="latency", seconds=latency, times=None
            )
        creds = server.demo_credentials
        print(
            json.dumps(
                {
                    "base_url": server.base_url,
                    "env": server.env(),
                    "workspace_id": ws.workspace_id,
                    "group_id": group.customer_group_id,
                    "api_key": creds.api_key,
                    "email": creds.email,
                    "api_secret": creds.api_secret,
                    "api_code": creds.api_code,
                }
            ),
            flush=True,
        )
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="benchmark server process")
    parser.add_argument("--customers", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--groups", type=int, default=0)
    ns = parser.parse_args()
    asyncio.run(_serve(ns.customers, ns.latency, ns.groups))
