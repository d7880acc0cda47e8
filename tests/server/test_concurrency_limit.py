"""The ``concurrency_limit`` fault: 429 for requests above N in flight."""

from __future__ import annotations

import asyncio

import pytest

from nudgescribe_async.testing import ReferenceServer
from tests._support.raw_api import Api

ALL = "/v1/campaign/all"


async def test_requests_above_the_limit_get_429(
    raw_api: Api, contract_server: ReferenceServer
) -> None:
    """12 simultaneous slow requests with limit 4: 4 are served, 8 get 429 with Retry-After."""
    rule = contract_server.faults.add(
        ALL, kind="concurrency_limit", limit=4, times=None, retry_after=0.25
    )
    contract_server.faults.add(ALL, kind="latency", seconds=0.2, times=None)
    replies = await asyncio.gather(*(raw_api.call("POST", ALL, {}) for _ in range(12)))
    statuses = sorted(r.status for r in replies)
    assert statuses == [200] * 4 + [429] * 8
    refused = next(r for r in replies if r.status == 429)
    assert refused.headers["Retry-After"] == "0.25"
    assert rule.hits == 8 and rule.peak == 4 and rule.in_flight == 0


async def test_the_limit_frees_up_as_requests_finish(
    raw_api: Api, contract_server: ReferenceServer
) -> None:
    """Requests one after another never hit a limit of 1."""
    rule = contract_server.faults.add(ALL, kind="concurrency_limit", limit=1, times=None)
    for _ in range(3):
        assert (await raw_api.call("POST", ALL, {})).status == 200
    assert rule.hits == 0 and rule.peak == 1


def test_concurrency_limit_must_be_standing_with_a_positive_limit() -> None:
    """A counted concurrency_limit rule, or one without a limit, is refused."""
    server = ReferenceServer()
    with pytest.raises(ValueError, match="limit"):
        server.faults.add(ALL, kind="concurrency_limit", limit=4)
    with pytest.raises(ValueError, match="limit"):
        server.faults.add(ALL, kind="concurrency_limit", times=None)
