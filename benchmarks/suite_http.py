"""The async client against hand-written aiohttp and httpx on the same loopback server.

The reference server runs in a child process (see ``_common.server_process``). Measures:

* ``get_page`` (100 customers, sequential) vs hand-written aiohttp + ``orjson.loads``; reported
  alongside: the same hand-written call followed by the SDK's decoder (the decoder's share);
* ``customers.list`` at 16 in flight, 200 pages of 100 with 20 ms server latency, vs
  hand-written aiohttp + orjson with a semaphore of 16 (same pages);
* ``customers.list`` at 1/4/16/64 in flight vs the ideal ``pages * latency / concurrency``;
* SDK ``customer_groups.list`` vs ``httpx.AsyncClient`` per call (sequential);
* 1000 concurrent calls on an expired access token: wall time vs the same calls on a valid
  token, and how many token requests they caused (one refresh is right).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import httpx
import orjson
from _common import server_process
from _measure import Result, ainterleave, medians, ms, ratio_of_medians

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async._auth import Token
from nudgescribe_async._convert import structure_response
from nudgescribe_async.models import CustomerPage

_CLIENT_KEYS = ("api_key", "email", "api_secret", "api_code", "base_url")
PAGE_SIZE = 100
LATENCY = 0.02


async def run(quick: bool) -> list[Result]:
    """Run every HTTP comparison; both servers are seeded with 200 pages of 100 customers."""
    pages = 200
    async with (
        server_process(customers=pages * PAGE_SIZE, groups=5) as plain,
        server_process(customers=pages * PAGE_SIZE, latency=LATENCY) as slow,
    ):
        results = await _per_call(plain, rounds=5 if quick else 15, calls=20 if quick else 50)
        results.append(await _expired_token(plain, rounds=2 if quick else 5))
        results += await _paging(slow, pages, rounds=3 if quick else 7, quick=quick)
    return results


@contextlib.asynccontextmanager
async def _raw_session(
    info: dict[str, Any],
) -> AsyncIterator[tuple[aiohttp.ClientSession, dict[str, str]]]:
    """A plain aiohttp session and the headers the API wants (token fetched by hand)."""
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{info['base_url']}/v1/auth",
            headers={"x-api-key": info["api_key"]},
            json={"email": info["email"], "api_secret": info["api_secret"]},
        ) as resp:
            token = (await resp.json())["access_token"]
        yield (
            session,
            {
                "Authorization": f"Bearer {token}",
                "x-ip": "127.0.0.1",
                "Content-Type": "application/json",
                "x-auth-context": orjson.dumps(
                    {"api_access": True, "api_code": info["api_code"]}
                ).decode(),
            },
        )


def _client(info: dict[str, Any]) -> AsyncNudgescribe:
    return AsyncNudgescribe(**{k: info[k] for k in _CLIENT_KEYS})


async def _per_call(info: dict[str, Any], rounds: int, calls: int) -> list[Result]:
    base, group_id, ws = info["base_url"], info["group_id"], info["workspace_id"]
    async with (
        _client(info) as client,
        _raw_session(info) as (session, headers),
        httpx.AsyncClient() as hx,
    ):
        page_body = orjson.dumps({"customer_group_id": group_id, "page": 1, "page_size": PAGE_SIZE})
        groups_body = orjson.dumps({"workspace_id": ws})

        async def raw_page() -> None:
            async with session.post(f"{base}/v1/customer", data=page_body, headers=headers) as resp:
                resp.raise_for_status()
                assert len(orjson.loads(await resp.read())["customers"]) == PAGE_SIZE

        async def raw_page_decoded() -> None:
            # Hand-written aiohttp plus the SDK's decoder alone: the decode's share of the gap.
            async with session.post(f"{base}/v1/customer", data=page_body, headers=headers) as resp:
                resp.raise_for_status()
                page = structure_response(orjson.loads(await resp.read()), CustomerPage)
                assert len(page.customers) == PAGE_SIZE

        async def sdk_page() -> None:
            page = await client.customers.get_page(group_id, 1, page_size=PAGE_SIZE)
            assert len(page.customers) == PAGE_SIZE

        async def httpx_groups() -> None:
            resp = await hx.post(f"{base}/v1/cg", content=groups_body, headers=headers)
            resp.raise_for_status()
            orjson.loads(resp.content)

        async def sdk_groups() -> None:
            await client.customer_groups.list(ws)

        def repeat(call: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
            async def body() -> None:
                for _ in range(calls):
                    await call()

            return body

        for call in (raw_page, raw_page_decoded, sdk_page, httpx_groups, sdk_groups):
            await repeat(call)()  # warm up: token, connections
        samples = await ainterleave(
            rounds,
            {
                "sdk get_page": repeat(sdk_page),
                "raw aiohttp page": repeat(raw_page),
                "raw aiohttp page + SDK decoder": repeat(raw_page_decoded),
                "sdk customer_groups.list": repeat(sdk_groups),
                "httpx customer_groups": repeat(httpx_groups),
            },
        )
    per_call = {k: round(v / calls * 1e6, 1) for k, v in medians(samples).items()}
    return [
        Result(
            "get_page (100 customers, sequential) vs raw aiohttp + orjson",
            ratio_of_medians(samples, "sdk get_page", "raw aiohttp page"),
            1.30,
            2.5,
            details={"median_us_per_call": per_call, "rounds": rounds, "calls": calls},
        ),
        Result(
            "raw aiohttp + orjson + the SDK's decoder (no SDK call) vs raw aiohttp + orjson",
            ratio_of_medians(samples, "raw aiohttp page + SDK decoder", "raw aiohttp page"),
            None,
            None,
            details={"median_us_per_call": per_call},
        ),
        Result(
            "SDK customer_groups.list vs httpx.AsyncClient + orjson, per call",
            ratio_of_medians(samples, "sdk customer_groups.list", "httpx customer_groups"),
            None,
            1.5,
            details={"median_us_per_call": per_call},
        ),
    ]


async def _expired_token(info: dict[str, Any], rounds: int) -> Result:
    ws = info["workspace_id"]
    token_requests: list[int] = []

    async def burst(expired: bool) -> None:
        async with _client(info) as client:
            await client.auth.authenticate()
            tokens = client._tokens
            exchange = tokens._exchange
            count = 0

            async def counting(spec: Any) -> Any:
                nonlocal count
                count += 1
                return await exchange(spec)

            tokens._exchange = counting  # type: ignore[method-assign]
            if expired:
                # Expired and refused, so that the copy in the token store is not adopted
                # either: the calls must renew (one refresh request).
                current = tokens._access
                assert current is not None
                value = current.value
                tokens._refused.add(value.reveal() if hasattr(value, "reveal") else value)
                tokens._access = Token(current.value, expires_at=0.0, renew_at=0.0)
            await asyncio.gather(*(client.customer_groups.list(ws) for _ in range(1000)))
            if expired:
                token_requests.append(count)

    samples = await ainterleave(
        rounds, {"expired": lambda: burst(True), "valid": lambda: burst(False)}
    )
    worst = max(token_requests)
    return Result(
        "1000 concurrent calls on an expired token: token requests",
        float(worst),
        1.0,
        1.0,
        unit="requests",
        details={
            "median_ms": ms(samples),
            "token_requests": token_requests,
            "expired_vs_valid_time": round(ratio_of_medians(samples, "expired", "valid"), 3),
        },
    )


async def _paging(info: dict[str, Any], pages: int, rounds: int, quick: bool) -> list[Result]:
    group_id, base = info["group_id"], info["base_url"]
    async with _client(info) as client, _raw_session(info) as (session, headers):
        await client.customers.count_pages(group_id, page_size=PAGE_SIZE)

        def sdk(concurrency: int, last: int = pages) -> Callable[[], Awaitable[None]]:
            async def body() -> None:
                n = 0
                async with client.customers.list(
                    group_id, page_size=PAGE_SIZE, concurrency=concurrency
                ) as pager:
                    async for page in pager.pages():
                        n += len(page.items)
                        if page.number == last:
                            break
                assert n == last * PAGE_SIZE

            return body

        async def raw16() -> None:
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

            counts = await asyncio.gather(*(page(n) for n in range(1, pages + 1)))
            assert sum(counts) == pages * PAGE_SIZE

        await raw16()
        samples = await ainterleave(rounds, {"sdk list, 16": sdk(16), "raw aiohttp, 16": raw16})
        results = [
            Result(
                f"customers.list at 16 in flight, {pages} pages x 20 ms vs raw aiohttp, "
                "semaphore 16",
                ratio_of_medians(samples, "sdk list, 16", "raw aiohttp, 16"),
                1.10,
                2.2,
                details={"median_ms": ms(samples), "rounds": rounds},
            )
        ]
        # The sweep: --quick pages only the first 64 pages (at 1 in flight that is 1.3 s).
        sweep = 64 if quick else pages
        levels = await ainterleave(
            1 if quick else 3, {f"list, {c}": sdk(c, sweep) for c in (1, 4, 16, 64)}
        )
        for c in (1, 4, 16, 64):
            ideal = sweep * LATENCY / c
            wall = medians(levels)[f"list, {c}"]
            results.append(
                Result(
                    f"customers.list at {c} in flight vs ideal ({sweep} x 20 ms / {c})",
                    wall / ideal,
                    None,
                    None,
                    details={"wall_s": round(wall, 3), "ideal_s": ideal},
                )
            )
    return results
