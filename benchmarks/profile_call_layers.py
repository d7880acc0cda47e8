"""Where the time of one ``get_page`` call goes beyond hand-written aiohttp, layer by layer.

    python benchmarks/profile_call_layers.py [--calls 3000]

Five ways to fetch and decode the same 100-customer page from the reference server (a child
process), each call timed on its own and the five interleaved in a random order per round, so
every variant sees the same machine; medians in microseconds:

* ``aiohttp + decoder``: hand-written aiohttp (its own session) + ``orjson.loads`` + the SDK's
  ``structure_response`` - what no SDK could undercut with this decoder;
* ``SDK session``: the same through the client's own session, headers and timeout;
* ``+ _send_once``: the transport's single attempt (response object, size cap, error mapping);
* ``+ transport``: the transport's whole call (checks, body encoding, deadline, retry loop);
* ``get_page``: the public method (argument checks, the resource and sender layers).

The steps reach into private methods (``Transport._send_once`` and the like): a diagnostic
for maintainers, updated when those move (``tests/test_benchmark_scripts.py`` runs it).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from _common import server_process
from suite_http import _client, _raw_session

from nudgescribe_async._config import DEFAULT_TIMEOUT
from nudgescribe_async._convert import structure_response
from nudgescribe_async._endpoints import CUSTOMER_PAGE
from nudgescribe_async._limits import Deadline
from nudgescribe_async._outgoing import encode_json
from nudgescribe_async._sender import BearerSender, _Bearer
from nudgescribe_async._types import RequestSpec
from nudgescribe_async.models import CustomerPage

PAGE_SIZE = 100


async def measure(calls: int) -> dict[str, float]:
    """Median microseconds per call of each variant."""
    async with (
        server_process(customers=20 * PAGE_SIZE, groups=1) as info,
        _client(info) as client,
        _raw_session(info) as (session, headers),
    ):
        group = info["group_id"]
        fields = {"customer_group_id": group, "page": 1, "page_size": PAGE_SIZE}
        body = orjson.dumps(fields)
        sender = client.customers._sender
        assert isinstance(sender, BearerSender)
        transport = sender._transport
        url = transport.url(CUSTOMER_PAGE.path)
        spec = RequestSpec(CUSTOMER_PAGE, json=fields)

        def decoded(raw: bytes | Any) -> None:
            data = orjson.loads(raw) if isinstance(raw, bytes) else raw
            assert len(structure_response(data, CustomerPage).customers) == PAGE_SIZE

        async def hand_written() -> None:
            async with session.post(str(url), data=body, headers=headers) as resp:
                decoded(await resp.read())

        async def sdk_session() -> None:
            sent = await transport._headers(_Bearer(sender), {}, 0)
            sent["Content-Type"] = "application/json"
            async with transport.connection.session().request(
                "POST", url, data=body, headers=sent, timeout=DEFAULT_TIMEOUT
            ) as resp:
                decoded(await resp.read())

        async def send_once() -> None:
            sent = await transport._headers(_Bearer(sender), {}, 0)
            timeout = Deadline(300.0).bound(DEFAULT_TIMEOUT)
            answer = await transport._send_once(
                "POST", url, spec, encode_json(fields), sent, timeout
            )
            decoded(transport._decode_success("POST", url, answer))

        async def whole_transport() -> None:
            decoded(await transport.request(spec, _Bearer(sender)))

        async def get_page() -> None:
            page = await client.customers.get_page(group, 1, page_size=PAGE_SIZE)
            assert len(page.customers) == PAGE_SIZE

        variants: list[tuple[str, Callable[[], Awaitable[None]]]] = [
            ("aiohttp + decoder", hand_written),
            ("SDK session", sdk_session),
            ("+ _send_once", send_once),
            ("+ transport", whole_transport),
            ("get_page", get_page),
        ]
        samples: dict[str, list[float]] = {name: [] for name, _ in variants}
        for _ in range(min(calls, 100)):  # warm up: connections, token, caches
            for _, variant in variants:
                await variant()
        for _ in range(calls):
            random.shuffle(variants)
            for name, variant in variants:
                started = time.perf_counter()
                await variant()
                samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(samples[name]) * 1e6 for name in samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args()
    results = asyncio.run(measure(args.calls))
    base = results["aiohttp + decoder"]
    for name, us in results.items():
        print(f"{name:18} {us:7.1f} us  (+{us - base:5.1f})")


if __name__ == "__main__":
    main()
