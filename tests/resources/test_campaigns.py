"""client.campaigns: listing, client-side get, status waits (mocked and end to end)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any

import pytest
from aioresponses import aioresponses

from nudgescribe_async import (
    AsyncNudgescribe,
    NotFoundError,
    WaitTimeoutError,
)
from nudgescribe_async.models import CampaignStatus
from nudgescribe_async.testing import ReferenceServer
from tests._support.mocked import assert_refused_before_io, calls, ok, sent_headers, sent_json, url
from tests._support.worlds import ShopWorld


def campaign(campaign_id: str = "cmp1", status: str = "Published", **more: Any) -> dict[str, Any]:
    """A wire campaign object."""
    return {
        "campaign_id": campaign_id,
        "workspace_id": "ws1",
        "name": "Spring",
        "status": status,
        "customer_group_id": "cg1",
        "run_number": 1,
        "published_at": None,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
        **more,
    }


def listing(*campaigns: dict[str, Any]) -> dict[str, Any]:
    """A /v1/campaign/all response with one workspace."""
    return ok(
        workspaces=[{"workspace_id": "ws1", "workspace_name": "Shop", "campaigns": list(campaigns)}]
    )


async def test_list_sends_date_window_and_keeps_unknowns(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """list sends ISO dates; unknown keys and an unknown status string decode without error."""
    odd = campaign("cmp2", status="Queued for robots", channel="sms")
    body = listing(campaign(), odd)
    body["workspaces"][0]["region"] = "eu"
    authed_api.post(url("/v1/campaign/all"), payload={**body, "generated_in_ms": 3})
    result = await mock_client.campaigns.list(
        published_from=date(2026, 1, 1),
        published_to="2026-02-01",
        extra_body={"limit": 5},
        extra_headers={"x-trace": "c"},
    )
    assert sent_headers(authed_api, "POST", "/v1/campaign/all")["x-trace"] == "c"
    assert sent_json(authed_api, "POST", "/v1/campaign/all") == {
        "published_from": "2026-01-01",
        "published_to": "2026-02-01",
        "limit": 5,
    }
    first, second = result.all_campaigns()
    assert first.status is CampaignStatus.PUBLISHED
    assert second.status == "Queued for robots" and second.extra == {"channel": "sms"}
    assert result.workspaces[0].extra == {"region": "eu"}
    assert result.extra == {"generated_in_ms": 3}


async def test_get_finds_client_side_or_raises_not_found(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """get searches /v1/campaign/all (empty body); a missing id raises a client-side 404."""
    authed_api.post(
        url("/v1/campaign/all"), payload=listing(campaign("cmp1"), campaign("cmp2")), repeat=True
    )
    found = await mock_client.campaigns.get("cmp2")
    assert found.campaign_id == "cmp2"
    assert sent_json(authed_api, "POST", "/v1/campaign/all") == {}
    with pytest.raises(NotFoundError) as info:
        await mock_client.campaigns.get("cmp9")
    error = info.value
    assert (error.status_code, error.method, error.message) == (
        404,
        "POST",
        "campaign cmp9 not found",
    )
    assert error.url == url("/v1/campaign/all")


async def test_wait_for_status_polls_until_match_case_insensitively(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """wait_for_status polls until the status matches any spelling of one of the statuses."""
    for status in ("Generating", "Ready for review", "Ready to Publish"):
        authed_api.post(url("/v1/campaign/all"), payload=listing(campaign(status=status)))
    found = await mock_client.campaigns.wait_for_status(
        "cmp1", ["ready to publish", CampaignStatus.PUBLISHED], poll_interval=0.001
    )
    assert found.status is CampaignStatus.READY_TO_PUBLISH
    assert len(calls(authed_api, "POST", "/v1/campaign/all")) == 3


async def test_wait_for_status_times_out(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """A status that never arrives raises WaitTimeoutError (a TimeoutError) naming both states."""
    authed_api.post(
        url("/v1/campaign/all"), payload=listing(campaign(status="Generating")), repeat=True
    )
    with pytest.raises(TimeoutError) as info:
        await mock_client.campaigns.wait_for_status(
            "cmp1", CampaignStatus.PUBLISHED, timeout=0.02, poll_interval=0.005
        )
    assert isinstance(info.value, WaitTimeoutError)
    assert "'Generating'" in str(info.value) and "published" in str(info.value)
    assert len(calls(authed_api, "POST", "/v1/campaign/all")) >= 2


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (
            lambda c: c.campaigns.list(published_from="2026-02-01", published_to="2026-01-01"),
            "published_from",
        ),
        (lambda c: c.campaigns.list(published_to="last week"), "published_to"),
        (lambda c: c.campaigns.list(published_from=datetime(2026, 1, 1)), "published_from"),
        (lambda c: c.campaigns.get(""), "campaign_id"),
        (lambda c: c.campaigns.wait_for_status("cmp1", []), "statuses"),
        (
            lambda c: c.campaigns.wait_for_status("cmp1", "Published", poll_interval=0),
            "poll_interval",
        ),
        (lambda c: c.campaigns.wait_for_status("cmp1", "Published", timeout=-1), "timeout"),
        (
            lambda c: c.campaigns.wait_for_status("cmp1", "Published", request_timeout=0),
            "request_timeout",
        ),
    ],
)
async def test_campaign_calls_validate_before_io(
    authed_api: aioresponses, mock_client: AsyncNudgescribe, call: Any, argument: str
) -> None:
    """Bad dates, ids, statuses and waiter timings raise RequestValidationError; nothing sent."""
    await assert_refused_before_io(authed_api, mock_client, call, argument)


async def test_campaigns_end_to_end(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld
) -> None:
    """list groups campaigns by workspace, get finds one, wait_for_status sees the approval."""
    review = ref_server.seed_campaign(
        ref_world.workspace_id, "Review me", customer_group_id=ref_world.group_id
    )
    ref_server.seed_campaign(
        ref_world.workspace_id, "Live", customer_group_id=ref_world.group_id, status="Published"
    )
    listed = await ref_client.campaigns.list()
    assert sorted(c.name or "" for c in listed.all_campaigns()) == ["Live", "Review me"]
    got = await ref_client.campaigns.get(review.campaign_id)
    assert got.status == CampaignStatus.READY_FOR_REVIEW
    with pytest.raises(NotFoundError):
        await ref_client.campaigns.get("00000000-0000-0000-0000-000000000000")

    waiter = asyncio.ensure_future(
        ref_client.campaigns.wait_for_status(
            review.campaign_id, "Ready to Publish", poll_interval=0.01, timeout=5
        )
    )
    await asyncio.sleep(0.03)
    assert not waiter.done()
    ref_server.approve_campaign(review.campaign_id)
    approved = await waiter
    assert approved.status is CampaignStatus.READY_TO_PUBLISH
    future = await ref_client.campaigns.list(published_from=date(2999, 1, 1))
    assert list(future.all_campaigns()) == []
