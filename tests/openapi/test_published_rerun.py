"""The one fully published endpoint, Initiate Campaign Rerun, behaves as published.

The published request is replayed against the reference server as raw HTTP and the response
is checked field by field against the published example in the document: the same keys, the
same JSON types, the published message, and the published status rule (``Ready for review``
when the comparison counts new segments, ``Ready to publish`` when every segment matched).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson
import pytest

from nudgescribe_async.testing import ReferenceServer
from tests._support.openapi_doc import OPS_BY_SDK_METHOD, response_validator

OP = OPS_BY_SDK_METHOD["reruns.initiate"]
_CONTENT = OP.spec["responses"]["200"]["content"]["application/json"]
PUBLISHED_EXAMPLE: dict[str, Any] = _CONTENT["examples"]["published example"]["value"]
_REQUEST = OP.spec["requestBody"]["content"]["application/json"]["examples"]
PUBLISHED_REQUEST: dict[str, Any] = _REQUEST["published request"]["value"]


@dataclass
class Setup:
    """A Published campaign on a group with tiers gold/silver/bronze/platinum, and a token."""

    server: ReferenceServer
    session: aiohttp.ClientSession
    token: str
    workspace_id: str
    campaign_id: str

    def group(self, name: str, tiers: list[str]) -> str:
        """A new group with one customer per listed tier."""
        gid = self.server.seed_group(self.workspace_id, name).customer_group_id
        self.server.seed_customers(
            gid, [{"email": f"{name}{i}@example.test", "tier": t} for i, t in enumerate(tiers)]
        )
        return gid

    async def post(self, body: Any, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """POST the initiate path with exactly ``headers``; return status and JSON body."""
        url = self.server.base_url + OP.path
        async with self.session.post(url, data=orjson.dumps(body), headers=headers) as reply:
            return reply.status, orjson.loads(await reply.read())

    def published_headers(self) -> dict[str, str]:
        """The published sample's headers: Authorization and Content-Type only."""
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}

    def full_headers(self) -> dict[str, str]:
        """The published headers plus x-auth-context and x-ip (required by the overview)."""
        context = orjson.dumps({"api_access": True, "api_code": "DEMO"}).decode()
        return {**self.published_headers(), "x-auth-context": context, "x-ip": "127.0.0.1"}


@pytest.fixture
async def setup() -> AsyncIterator[Setup]:
    """A running server with one Published campaign of 8 customers in 4 tiers."""
    async with ReferenceServer() as server, aiohttp.ClientSession() as session:
        server.set_job_delay(None)
        wid = server.seed_workspace("Shop").workspace_id
        server.seed_profile_field(wid, "email", is_required=True, is_unique=True)
        server.seed_profile_field(wid, "tier")
        people = server.seed_group(wid, "People").customer_group_id
        tiers = ["gold", "silver", "bronze", "platinum"]
        server.seed_customers(
            people, [{"email": f"p{n}@example.test", "tier": tiers[n % 4]} for n in range(8)]
        )
        campaign = server.seed_campaign(
            wid, "Launch", customer_group_id=people, status="Published", segment_field="tier"
        )
        creds = server.demo_credentials
        login = {"email": creds.email, "api_secret": creds.api_secret}
        async with session.post(
            server.base_url + "/v1/auth", json=login, headers={"x-api-key": creds.api_key}
        ) as reply:
            token = (await reply.json())["access_token"]
        yield Setup(server, session, token, wid, campaign.campaign_id)


def _json_type(value: Any) -> str:
    return {bool: "boolean", int: "integer", str: "string", dict: "object", type(None): "null"}[
        type(value)
    ]


def test_the_published_request_and_example_are_in_the_document() -> None:
    """The document carries the published request (two ids) and response shape verbatim."""
    assert set(PUBLISHED_REQUEST) == {"campaign_id", "new_customer_group_id"}
    assert list(PUBLISHED_EXAMPLE) == [
        "success",
        "rerun_id",
        "run_number",
        "campaign_status",
        "job_uid",
        "archived_count",
        "comparison",
        "message",
    ]
    assert list(PUBLISHED_EXAMPLE["comparison"]) == ["matched_count", "new_count", "orphaned_count"]
    assert PUBLISHED_EXAMPLE["message"] == "Campaign rerun initiated successfully"


@pytest.mark.parametrize(
    ("tiers", "comparison", "status"),
    [
        (["gold", "silver", "diamond"], (2, 1, 2), "Ready for review"),
        (["gold", "silver", "bronze", "platinum", "gold"], (4, 0, 0), "Ready to publish"),
    ],
    ids=["new segments", "every segment matched"],
)
async def test_replayed_published_request_answers_as_published(
    setup: Setup, tiers: list[str], comparison: tuple[int, int, int], status: str
) -> None:
    """Field by field: keys, JSON types, counts, message, and the status rule of the call."""
    new_group = setup.group("Next", tiers)
    body = {
        **PUBLISHED_REQUEST,
        "campaign_id": setup.campaign_id,
        "new_customer_group_id": new_group,
    }
    code, answer = await setup.post(body, setup.full_headers())
    assert code == 200, answer
    assert list(answer) == list(PUBLISHED_EXAMPLE)
    for key, published in PUBLISHED_EXAMPLE.items():
        assert _json_type(answer[key]) == _json_type(published), key
    assert list(answer["comparison"]) == list(PUBLISHED_EXAMPLE["comparison"])
    assert all(_json_type(v) == "integer" for v in answer["comparison"].values())
    assert not list(response_validator(OP, 200).iter_errors(answer))
    matched, new, orphaned = comparison
    assert answer["comparison"] == {
        "matched_count": matched,
        "new_count": new,
        "orphaned_count": orphaned,
    }
    assert answer["success"] is True and answer["run_number"] == 2
    assert answer["archived_count"] == 8  # every message of the previous run
    assert answer["message"] == PUBLISHED_EXAMPLE["message"]
    assert answer["campaign_status"] == status
    assert answer["campaign_status"] == ("Ready for review" if new else "Ready to publish")
    campaign = setup.server.state.campaigns[setup.campaign_id]
    assert campaign.status == status and campaign.pending_job == answer["job_uid"]


async def test_background_job_generates_messages_and_archives_orphans(setup: Setup) -> None:
    """The job keeps the status the call set, writes the new run and archives orphans."""
    new_group = setup.group("Next", ["gold", "diamond"])
    code, answer = await setup.post(
        {"campaign_id": setup.campaign_id, "new_customer_group_id": new_group}, setup.full_headers()
    )
    assert code == 200 and answer["campaign_status"] == "Ready for review"
    campaign = setup.server.state.campaigns[setup.campaign_id]
    assert not [m for m in campaign.messages if m.run_number == 2]
    assert setup.server.finish_jobs() == 1
    assert campaign.status == "Ready for review" and campaign.pending_job is None
    assert len([m for m in campaign.messages if m.run_number == 2]) == 2
    orphans = [
        m
        for m in campaign.messages
        if m.run_number == 1 and m.segment_name in ("silver", "bronze", "platinum")
    ]
    assert len(orphans) == 6 and all(m.archived for m in orphans)
    assert campaign.runs[-1].orphaned_messages == 6


async def test_the_published_curl_headers_alone_get_a_403_naming_the_missing_header(
    setup: Setup,
) -> None:
    """Only Authorization + Content-Type: 403 naming x-auth-context; then naming x-ip."""
    group = setup.group("Next", ["gold"])
    body = {"campaign_id": setup.campaign_id, "new_customer_group_id": group}
    code, answer = await setup.post(body, setup.published_headers())
    assert code == 403 and "x-auth-context" in answer["message"]
    without_ip = {k: v for k, v in setup.full_headers().items() if k != "x-ip"}
    code, answer = await setup.post(body, without_ip)
    assert code == 403 and "x-ip" in answer["message"]
    assert setup.server.state.campaigns[setup.campaign_id].run_number == 1
