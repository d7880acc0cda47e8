"""client.reruns: initiate, history, run messages (mocked and end to end)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from aioresponses import CallbackResult, aioresponses

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.models import CampaignStatus, Comparison, RerunResult, RunStatus
from nudgescribe_async.testing import ReferenceServer
from tests._support.mocked import assert_refused_before_io, calls, ok, sent_headers, sent_json, url
from tests._support.worlds import ShopWorld

#: The one fully published response of the API (contract §7).
PUBLISHED_RERUN = {
    "success": True,
    "rerun_id": "r2",
    "run_number": 2,
    "campaign_status": "Ready for review",
    "job_uid": "job-9",
    "archived_count": 40,
    "comparison": {"matched_count": 3, "new_count": 1, "orphaned_count": 2},
    "message": "Campaign rerun initiated successfully",
}


def message(n: int, run: int = 1) -> dict[str, Any]:
    """A wire run message."""
    return {
        "message_id": f"m{n}",
        "run_number": run,
        "customer_id": f"c{n}",
        "segment": {"segment_id": "s1", "name": "gold"},
        "content": "Hi",
        "review_status": "approved",
        "approval_stage": "final",
        "archived": False,
        "created_at": "2026-01-01T00:00:00Z",
    }


async def test_initiate_sends_ids_and_decodes_published_shape(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """initiate POSTs the two ids (+extra_body, headers) and decodes the published response."""
    authed_api.post(url("/v1/campaign/rerun/initiate"), payload=PUBLISHED_RERUN)
    result = await mock_client.reruns.initiate(
        "cmp1", "cg2", extra_body={"note": "q3"}, extra_headers={"x-trace": "r"}
    )
    headers = sent_headers(authed_api, "POST", "/v1/campaign/rerun/initiate")
    assert headers["x-trace"] == "r" and headers["x-auth-context"]
    assert sent_json(authed_api, "POST", "/v1/campaign/rerun/initiate") == {
        "campaign_id": "cmp1",
        "new_customer_group_id": "cg2",
        "note": "q3",
    }
    assert result == RerunResult(
        rerun_id="r2",
        run_number=2,
        campaign_status=CampaignStatus.READY_FOR_REVIEW,
        job_uid="job-9",
        archived_count=40,
        comparison=Comparison(matched_count=3, new_count=1, orphaned_count=2),
        message="Campaign rerun initiated successfully",
    )
    assert result.extra == {}


async def test_history_and_get_messages_wire(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """history sends the campaign; get_messages sends page/page_size/run_number only if given."""
    authed_api.post(
        url("/v1/campaign/rerun/history"),
        payload=ok(
            campaign_id="cmp1",
            runs=[
                {
                    "rerun_id": None,
                    "run_number": 1,
                    "status": "Active",
                    "synthesized": True,
                    "message_summary": {"total_count": 5},
                }
            ],
        ),
    )
    page = ok(campaign_id="cmp1", run_number=1, page=1, total_pages=1, messages=[message(1)])
    authed_api.post(url("/v1/campaign/rerun/messages"), payload=page, repeat=True)
    history = await mock_client.reruns.history("cmp1")
    await mock_client.reruns.get_messages("cmp1")
    got = await mock_client.reruns.get_messages("cmp1", run_number=1, page=2, page_size=50)
    assert sent_json(authed_api, "POST", "/v1/campaign/rerun/history") == {"campaign_id": "cmp1"}
    assert sent_json(authed_api, "POST", "/v1/campaign/rerun/messages", 0) == {
        "campaign_id": "cmp1"
    }
    assert sent_json(authed_api, "POST", "/v1/campaign/rerun/messages", 1) == {
        "campaign_id": "cmp1",
        "run_number": 1,
        "page": 2,
        "page_size": 50,
    }
    run = history.runs[0]
    assert run.synthesized and run.status is RunStatus.ACTIVE
    assert run.message_summary.total_count == 5
    assert got.messages[0].segment is not None and got.messages[0].segment.name == "gold"


async def test_list_messages_learns_page_count_from_first_page(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """list_messages fetches page 1 once, takes total_pages from it, yields all in order."""

    def page(_: Any, **kwargs: Any) -> CallbackResult:
        number = orjson.loads(kwargs["data"])["page"]
        items = [message(2 * (number - 1) + i) for i in range(2)]
        return CallbackResult(payload=ok(page=number, total_pages=3, messages=items))

    authed_api.post(url("/v1/campaign/rerun/messages"), callback=page, repeat=True)
    ids = [m.message_id async for m in mock_client.reruns.list_messages("cmp1", page_size=2)]
    assert ids == [f"m{n}" for n in range(6)]
    pages = sorted(
        sent_json(authed_api, "POST", "/v1/campaign/rerun/messages", i)["page"] for i in range(3)
    )
    assert pages == [1, 2, 3]
    assert len(calls(authed_api, "POST", "/v1/campaign/rerun/messages")) == 3


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.reruns.initiate("cmp1", ""), "new_customer_group_id"),
        (lambda c: c.reruns.initiate("", "cg2"), "campaign_id"),
        (lambda c: c.reruns.get_messages("cmp1", page=0), "page"),
        (lambda c: c.reruns.get_messages("cmp1", page_size=5000), "page_size"),
        (lambda c: c.reruns.history(" "), "campaign_id"),
    ],
)
async def test_rerun_calls_validate_before_io(
    authed_api: aioresponses, mock_client: AsyncNudgescribe, call: Any, argument: str
) -> None:
    """Empty ids and out-of-range pages raise RequestValidationError; nothing is sent."""
    await assert_refused_before_io(authed_api, mock_client, call, argument)


async def test_rerun_flow_end_to_end(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld
) -> None:
    """initiate -> wait_for_status -> history -> list_messages of the new and the old run."""
    ref_server.seed_customers(
        ref_world.group_id,
        [{"email": f"a{n}@x.com", "tier": "gold" if n < 3 else "silver"} for n in range(6)],
    )
    newcomers = ref_server.seed_group(ref_world.workspace_id, "Newcomers")
    ref_server.seed_customers(
        newcomers.customer_group_id,
        [{"email": f"b{n}@x.com", "tier": "gold" if n < 2 else "bronze"} for n in range(4)],
    )
    campaign = ref_server.seed_campaign(
        ref_world.workspace_id,
        "Tiers",
        status="Published",
        customer_group_id=ref_world.group_id,
        segment_field="tier",
    )
    cid = campaign.campaign_id

    result = await ref_client.reruns.initiate(cid, newcomers.customer_group_id)
    assert result.run_number == 2 and result.archived_count == 6
    comparison = result.comparison
    assert (comparison.matched_count, comparison.new_count, comparison.orphaned_count) == (1, 1, 1)
    done = await ref_client.campaigns.wait_for_status(
        cid,
        [CampaignStatus.READY_FOR_REVIEW, CampaignStatus.READY_TO_PUBLISH],
        timeout=5,
        poll_interval=0.01,
    )
    assert done.status is CampaignStatus.READY_FOR_REVIEW and done.run_number == 2

    history = await ref_client.reruns.history(cid)
    assert [r.run_number for r in history.runs] == [2, 1]
    assert [r.status for r in history.runs] == [RunStatus.ACTIVE, RunStatus.ARCHIVED]
    assert history.runs[1].synthesized and history.runs[1].rerun_id is None

    current = await ref_client.reruns.list_messages(cid, page_size=3).collect()
    assert len(current) == 4 and {m.run_number for m in current} == {2}
    old = await ref_client.reruns.list_messages(
        cid, run_number=1, page_size=4, concurrency=2
    ).collect()
    assert len(old) == 6 and all(m.archived for m in old)
    assert len({m.message_id for m in old}) == 6
