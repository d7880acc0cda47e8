"""A worker process for the shared-token tests: N calls through a RedisTokenStore.

Run as ``python _token_worker.py CONFIG_JSON``; the JSON holds ``client`` (constructor
arguments), ``redis_url``, ``workspace_id``, ``calls``, ``interval`` (seconds between calls),
``start_at`` (wall-clock time of the first call) and ``lock_timeout``. Exits 0 when every call
succeeded; anything else is a failure the test reports.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

import orjson

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.stores import RedisTokenStore


async def main(config: dict[str, Any]) -> None:
    store = RedisTokenStore.from_url(config["redis_url"], lock_timeout=config["lock_timeout"])
    async with AsyncNudgescribe(**config["client"], token_store=store) as client:
        await asyncio.sleep(max(0.0, config["start_at"] - time.time()))
        for _ in range(config["calls"]):
            await client.customer_groups.list(config["workspace_id"])
            await asyncio.sleep(config["interval"])


if __name__ == "__main__":
    asyncio.run(main(orjson.loads(sys.argv[1])))
