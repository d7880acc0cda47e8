"""cProfile of sequential ``customers.get_page`` calls (100 customers) against a local server.

    python benchmarks/profile_get_page.py [--calls 2000] [--top 30]

The reference server runs in a child process (``_common.server_process``), so the profile
holds only the client: the SDK's frames, aiohttp's and the socket calls.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats

from _common import server_process

from nudgescribe_async import AsyncNudgescribe

_CLIENT_KEYS = ("api_key", "email", "api_secret", "api_code", "base_url")


async def profile(calls: int, top: int) -> None:
    """Warm up, then profile ``calls`` get_page calls and print the ``top`` entries."""
    async with (
        server_process(customers=20_000, groups=5) as info,
        AsyncNudgescribe(**{k: info[k] for k in _CLIENT_KEYS}) as client,
    ):
        group = info["group_id"]
        for _ in range(50):
            await client.customers.get_page(group, 1, page_size=100)
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(calls):
            await client.customers.get_page(group, 1 + i % 100, page_size=100)
        profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(profile(args.calls, args.top))


if __name__ == "__main__":
    main()
