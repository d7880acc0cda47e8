"""Per-call cost of the SDK vs hand-written aiohttp on the same local reference server.

Run: ``python benchmarks/bench_client.py [--calls 2000] [--runs 3]``

All sides send ``POST /v1/cg`` (list customer groups, 6 in the workspace) with the same
headers over one keep-alive session: hand-written aiohttp + orjson ("raw"), the SDK's escape
hatch ``client.request()`` (token handling, retry rules, error mapping; returns dicts) and
``client.customer_groups.list()`` (the same plus decoding into attrs models). Sequential calls
show per-call latency; 16 in flight show CPU cost per call, where the client is the
bottleneck on loopback.
"""

from __future__ import annotations

import argparse
import asyncio

import aiohttp
import orjson
from _common import best_of_interleaved, server_process

from nudgescribe_async import AsyncNudgescribe

_CLIENT_KEYS = ("api_key", "email", "api_secret", "api_code", "base_url")


async def main(calls: int, runs: int) -> None:
    async with server_process(groups=5) as info:
        base_url, workspace_id = info["base_url"], info["workspace_id"]
        body = {"workspace_id": workspace_id}
        async with (
            AsyncNudgescribe(**{k: info[k] for k in _CLIENT_KEYS}) as client,
            aiohttp.ClientSession() as session,
        ):
            async with session.post(
                f"{base_url}/v1/auth",
                json={"email": info["email"], "api_secret": info["api_secret"]},
                headers={"x-api-key": info["api_key"]},
            ) as resp:
                token = (await resp.json())["access_token"]
            headers = {
                "Authorization": f"Bearer {token}",
                "x-ip": "127.0.0.1",
                "x-auth-context": orjson.dumps(
                    {"api_access": True, "api_code": info["api_code"]}
                ).decode(),
                "Content-Type": "application/json",
            }
            payload = orjson.dumps(body)

            async def raw_call() -> None:
                async with session.post(f"{base_url}/v1/cg", data=payload, headers=headers) as resp:
                    resp.raise_for_status()
                    orjson.loads(await resp.read())

            async def sdk_call() -> None:
                await client.customer_groups.list(workspace_id)

            async def sdk_raw_call() -> None:  # the escape hatch: transport only, no models
                await client.request("POST", "/v1/cg", json=body)

            async def sequential(call: object) -> None:
                for _ in range(calls):
                    await call()  # type: ignore[operator]

            async def concurrent(call: object) -> None:
                gate = asyncio.Semaphore(16)

                async def one() -> None:
                    async with gate:
                        await call()  # type: ignore[operator]

                await asyncio.gather(*(one() for _ in range(calls)))

            await sequential(sdk_call)  # warm up both sides
            await sequential(raw_call)
            print(f"{calls} calls of POST /v1/cg, best of {runs} interleaved rounds")
            print(
                f"{'mode':<14}{'raw µs':>8}{'request() µs':>14}{'list() µs':>11}"
                f"{'request()/raw':>15}{'list()/raw':>12}"
            )
            for name, shape in (("sequential", sequential), ("16 in flight", concurrent)):
                best = await best_of_interleaved(
                    runs,
                    {
                        "raw": lambda shape=shape: shape(raw_call),  # type: ignore[misc]
                        "request": lambda shape=shape: shape(sdk_raw_call),  # type: ignore[misc]
                        "sdk": lambda shape=shape: shape(sdk_call),  # type: ignore[misc]
                    },
                )
                raw, hatch, sdk = best["raw"], best["request"], best["sdk"]
                print(
                    f"{name:<14}{raw / calls * 1e6:>8.0f}{hatch / calls * 1e6:>14.0f}"
                    f"{sdk / calls * 1e6:>11.0f}{hatch / raw:>14.2f}x{sdk / raw:>11.2f}x"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    ns = parser.parse_args()
    asyncio.run(main(ns.calls, ns.runs))
