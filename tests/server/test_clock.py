"""The reference server's one clock: advance_clock moves token expiry and timestamps alike."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import orjson

from nudgescribe_async.testing import ReferenceServer
from tests._support.raw_api import Api


def _at(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def _issued_at(token: str) -> float:
    payload = token.split(".")[1]
    return float(orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["iat"])


def test_advance_clock_moves_the_timestamps_written_afterwards(
    contract_server: ReferenceServer,
) -> None:
    """A record created after advance_clock(3600) is stamped an hour later than one before."""
    wid = contract_server.seed_workspace("Clock").workspace_id
    before = contract_server.seed_group(wid, "Before")
    contract_server.advance_clock(3600)
    after = contract_server.seed_group(wid, "After")
    assert 3600 <= _at(after.created_at) - _at(before.created_at) < 3660


async def test_token_times_and_record_times_read_the_same_clock(
    raw_api: Api, contract_server: ReferenceServer
) -> None:
    """After advance_clock, a new token's iat and a new record's created_at agree on the time."""
    contract_server.advance_clock(30 * 86400)
    reply = await raw_api.login()
    assert reply.status == 200
    wid = contract_server.seed_workspace("Clock").workspace_id
    body = await raw_api.ok("PUT", "/v1/cg", {"workspace_id": wid, "name": "Now"})
    created = _at(body["customer_group"]["created_at"])
    assert abs(created - _issued_at(reply.body["access_token"])) < 60
    assert created - datetime.now(timezone.utc).timestamp() > 29 * 86400


async def test_the_demo_dataset_is_stamped_at_its_fixed_instants() -> None:
    """seed="demo" pins the clock while building, so its timestamps are the same on every start."""
    async with ReferenceServer(seed="demo") as first, ReferenceServer(seed="demo") as second:
        stamps = [sorted(g.created_at for g in s.state.groups.values()) for s in (first, second)]
    assert stamps[0] == stamps[1] and stamps[0][0].startswith("2026-03-01T09:00:00")
