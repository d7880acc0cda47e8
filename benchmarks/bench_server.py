"""Throughput of the local reference server on loopback, driven by a plain aiohttp client.

The server runs in a child process (``python -m nudgescribe_async.testing``) so server and
client do not share one event loop; the client sends a bounded number of small authenticated
requests with bounded concurrency and prints requests per second. It also times seeding
200,000 customers in-process.

    .venv/bin/python benchmarks/bench_server.py [--requests 5000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time

import aiohttp
import orjson

from nudgescribe_async.testing import ReferenceServer


async def _start_server() -> tuple[asyncio.subprocess.Process, dict[str, str]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "nudgescribe_async.testing",
        "--port",
        "0",
        "--seed",
        "demo",
        stdout=asyncio.subprocess.PIPE,
        env=dict(os.environ),
    )
    assert proc.stdout is not None
    env: dict[str, str] = {}
    while True:
        line = (await proc.stdout.readline()).decode().strip()
        if not line:
            raise RuntimeError("server exited before it was ready")
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = value.strip("'")
        if line.startswith("Press Ctrl-C"):
            return proc, env


async def _headers(session: aiohttp.ClientSession, env: dict[str, str]) -> dict[str, str]:
    async with session.post(
        env["NUDGESCRIBE_BASE_URL"] + "/v1/auth",
        headers={"x-api-key": env["NUDGESCRIBE_API_KEY"]},
        json={"email": env["NUDGESCRIBE_EMAIL"], "api_secret": env["NUDGESCRIBE_API_SECRET"]},
    ) as resp:
        token = (await resp.json())["access_token"]
    context = orjson.dumps({"api_access": True, "api_code": env["NUDGESCRIBE_API_CODE"]})
    return {
        "Authorization": f"Bearer {token}",
        "x-auth-context": context.decode(),
        "x-ip": "127.0.0.1",
        "Content-Type": "application/json",
    }


async def _blast(
    session: aiohttp.ClientSession,
    url: str,
    headers: dict[str, str],
    body: bytes,
    total: int,
    concurrency: int,
) -> float:
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            async with session.post(url, headers=headers, data=body) as resp:
                await resp.read()
                if resp.status != 200:
                    raise RuntimeError(f"unexpected status {resp.status}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return total / (time.perf_counter() - started)


async def _group_id(session: aiohttp.ClientSession, base: str, headers: dict[str, str]) -> str:
    async with session.post(base + "/v1/campaign/all", headers=headers, data=b"{}") as resp:
        workspaces = (await resp.json())["workspaces"]
    return str(workspaces[0]["campaigns"][0]["customer_group_id"])


async def run(requests: int, concurrency: int) -> None:
    """Measure small-request throughput and page throughput, then seeding speed."""
    proc, env = await _start_server()
    base = env["NUDGESCRIBE_BASE_URL"]
    try:
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:
            headers = await _headers(session, env)
            group_id = await _group_id(session, base, headers)
            pages_body = orjson.dumps({"customer_group_id": group_id})
            await _blast(
                session, base + "/v1/customer/pages", headers, pages_body, 200, concurrency
            )  # warm-up
            small = await _blast(
                session, base + "/v1/customer/pages", headers, pages_body, requests, concurrency
            )
            page_body = orjson.dumps({"customer_group_id": group_id, "page": 3, "page_size": 100})
            pages = await _blast(
                session,
                base + "/v1/customer",
                headers,
                page_body,
                max(requests // 5, 1),
                concurrency,
            )
    finally:
        proc.send_signal(signal.SIGINT)
        await proc.wait()
    print(
        f"small requests (/v1/customer/pages): {requests} at concurrency {concurrency}: "
        f"{small:,.0f} req/s"
    )
    print(f"100-customer pages (/v1/customer): {max(requests // 5, 1)}: {pages:,.0f} req/s")
    server = ReferenceServer()
    ws = server.seed_workspace("Seed")
    server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
    server.seed_profile_field(ws.workspace_id, "tier")
    group = server.seed_group(ws.workspace_id, "All")
    started = time.perf_counter()
    server.seed_customers(group.customer_group_id, count=200_000)
    print(f"seed_customers(count=200_000): {time.perf_counter() - started:.2f} s")


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    asyncio.run(run(args.requests, args.concurrency))


if __name__ == "__main__":
    main()
