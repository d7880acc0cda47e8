"""Fault injection (latency, failures, 429, drops, truncation, hangs), request log and counters."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from nudgescribe_async.testing import ReferenceServer
from tests._support.raw_api import Api

ALL = "/v1/campaign/all"


async def test_counted_failures_are_consumed_in_order(
    raw_api: Api, contract_server: ReferenceServer
) -> None:
    """Two 503s then a 500 with a custom body, then normal answers; rules then disappear."""
    first = contract_server.faults.add(
        ALL, kind="fail", status=503, times=2, error_code="maintenance"
    )
    contract_server.faults.add(ALL, kind="fail", status=500, body={"custom": True})
    statuses = [(await raw_api.call("POST", ALL, {})) for _ in range(4)]
    assert [r.status for r in statuses] == [503, 503, 500, 200]
    assert statuses[0].body["error_code"] == "maintenance"
    assert statuses[0].body["success"] is False and statuses[0].headers["x-request-id"]
    assert statuses[2].body == {"custom": True}
    assert first.hits == 2 and contract_server.faults.rules == []


async def test_rate_limit_sends_retry_after(raw_api: Api, contract_server: ReferenceServer) -> None:
    """kind=rate_limit answers 429 with Retry-After and error_code rate_limited."""
    contract_server.faults.add(ALL, kind="rate_limit", retry_after=3)
    reply = await raw_api.call("POST", ALL, {})
    assert reply.status == 429 and reply.headers["Retry-After"] == "3"
    assert reply.body["error_code"] == "rate_limited"


async def test_method_filter_and_wildcards(raw_api: Api, contract_server: ReferenceServer) -> None:
    """A rule with a method only hits that method; fnmatch patterns match several paths."""
    contract_server.faults.add("/v1/*", kind="fail", status=502, method="PUT")
    assert (await raw_api.call("POST", ALL, {})).status == 200
    assert (await raw_api.call("PUT", "/v1/cg", {})).status == 502


async def test_rules_are_removable(raw_api: Api, contract_server: ReferenceServer) -> None:
    """faults.remove() and faults.clear() take rules out before they are used."""
    rule = contract_server.faults.add(ALL, kind="fail", times=5)
    contract_server.faults.remove(rule)
    contract_server.faults.add(ALL, kind="drop")
    contract_server.faults.clear()
    assert (await raw_api.call("POST", ALL, {})).status == 200
    with pytest.raises(ValueError):
        contract_server.faults.add(ALL, kind="explode")  # type: ignore[arg-type]


async def test_standing_latency_applies_to_every_request(
    raw_api: Api, contract_server: ReferenceServer
) -> None:
    """A times=None latency rule delays each matching request and is never consumed."""
    rule = contract_server.faults.add(ALL, kind="latency", seconds=0.05, times=None)
    contract_server.faults.add(ALL, kind="fail", status=503)
    started = time.perf_counter()
    replies = [await raw_api.call("POST", ALL, {}) for _ in range(3)]
    assert time.perf_counter() - started >= 0.15
    assert [r.status for r in replies] == [503, 200, 200]
    assert rule.hits == 3 and contract_server.faults.rules == [rule]


async def test_counted_latency_then_normal_answer(
    raw_api: Api, contract_server: ReferenceServer
) -> None:
    """A counted latency rule delays one request which still succeeds."""
    contract_server.faults.add(ALL, kind="latency", seconds=0.05)
    started = time.perf_counter()
    assert (await raw_api.call("POST", ALL, {})).status == 200
    assert time.perf_counter() - started >= 0.05
    assert contract_server.faults.rules == []


async def test_drop_closes_without_response(raw_api: Api, contract_server: ReferenceServer) -> None:
    """kind=drop closes the connection: the client sees a disconnect, not a status."""
    contract_server.faults.add(ALL, kind="drop")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await raw_api.call("POST", ALL, {})
    assert contract_server.requests[-1].status is None
    assert (await raw_api.call("POST", ALL, {})).status == 200


async def test_truncate_sends_short_body(raw_api: Api, contract_server: ReferenceServer) -> None:
    """kind=truncate declares a longer Content-Length than it sends, then closes."""
    contract_server.faults.add(ALL, kind="truncate")
    with pytest.raises(aiohttp.ClientPayloadError):
        await raw_api.call("POST", ALL, {})
    assert (await raw_api.call("POST", ALL, {})).status == 200


async def test_hang_outlasts_client_timeout_and_shuts_down_cleanly(
    http_session: aiohttp.ClientSession,
) -> None:
    """kind=hang never answers; the client times out and closing the server is prompt."""
    server = ReferenceServer()
    await server.start()
    api = Api(server, http_session, server.demo_credentials)
    await api.login()
    server.faults.add(ALL, kind="hang", times=2)
    with pytest.raises(asyncio.TimeoutError):
        async with http_session.post(
            server.base_url + ALL,
            headers=api.headers(),
            json={},
            timeout=aiohttp.ClientTimeout(total=0.2),
        ):
            pass
    pending = asyncio.ensure_future(api.call("POST", ALL, {}))
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    await server.close()
    assert time.perf_counter() - started < 3
    with pytest.raises(aiohttp.ClientError):
        await pending


async def test_request_log_and_counters(raw_api: Api, contract_server: ReferenceServer) -> None:
    """Each request is logged with method, path, headers, JSON body and status, and counted."""
    await raw_api.call("POST", ALL, {"published_from": "2026-01-01"})
    await raw_api.call("POST", "/v1/cpf", {})
    record = contract_server.requests[-2]
    assert (record.method, record.path, record.status) == ("POST", ALL, 200)
    assert record.json == {"published_from": "2026-01-01"}
    assert record.headers["x-ip"] == "203.0.113.7" and record.request_id
    assert contract_server.requests[-1].status == 401
    assert (
        contract_server.request_counts[ALL] == 1
        and contract_server.request_count("/v1/auth", "POST") == 1
    )
    assert contract_server.request_count("/v1/auth", "GET") == 0
    contract_server.clear_requests()
    assert contract_server.requests == [] and contract_server.request_counts[ALL] == 0
