"""Contract §7: run history (synthesised Run #1), run messages and rerun initiate."""

from __future__ import annotations

import asyncio

import pytest

from nudgescribe_async.testing import ReferenceServer, SeedError
from tests._support.raw_api import Api
from tests._support.worlds import ContractWorld

INITIATE = "/v1/campaign/rerun/initiate"


def published(server: ReferenceServer, world: ContractWorld) -> str:
    """A Published campaign on the world's group (tiers gold/silver/bronze/platinum)."""
    return server.seed_campaign(
        world.workspace_id,
        "Launch",
        customer_group_id=world.group_id,
        status="Published",
        segment_field="tier",
    ).campaign_id


def group_with_tiers(
    server: ReferenceServer, world: ContractWorld, name: str, tiers: list[str]
) -> str:
    """A new group of the world's workspace with one customer per listed tier value."""
    gid = server.seed_group(world.workspace_id, name).customer_group_id
    server.seed_customers(
        gid, [{"email": f"{name}{i}@example.test", "tier": tier} for i, tier in enumerate(tiers)]
    )
    return gid


async def test_history_of_a_never_rerun_campaign_is_a_synthesised_run_1(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """A campaign never rerun returns one synthesised, active Run #1 with a null rerun_id."""
    cid = published(contract_server, contract_world)
    body = await raw_api.ok("POST", "/v1/campaign/rerun/history", {"campaign_id": cid})
    (run,) = body["runs"]
    assert run["rerun_id"] is None and run["synthesized"] is True and run["run_number"] == 1
    assert run["status"] == "Active" and run["customer_group_name"] == "People"
    assert run["segment_count"] == 4
    assert run["message_summary"] == {
        "total_count": 10,
        "published_count": 10,
        "archived_count": 0,
        "matched_count": 0,
        "new_count": 10,
        "orphaned_count": 0,
    }
    assert (await raw_api.call("POST", "/v1/campaign/rerun/history", {})).status == 401
    unknown = await raw_api.call("POST", "/v1/campaign/rerun/history", {"campaign_id": "x"})
    assert unknown.status == 404


async def test_initiate_compares_segments_archives_and_queues(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """Matched/new/orphaned segment counts, archived_count and the queued job are reported."""
    contract_server.set_job_delay(None)
    cid = published(contract_server, contract_world)
    gid = group_with_tiers(
        contract_server, contract_world, "Next", ["gold", "silver", "diamond", "gold"]
    )
    body = await raw_api.ok("POST", INITIATE, {"campaign_id": cid, "new_customer_group_id": gid})
    assert body["message"] == "Campaign rerun initiated successfully"
    assert body["comparison"] == {"matched_count": 2, "new_count": 1, "orphaned_count": 2}
    assert body["archived_count"] == 10 and body["run_number"] == 2
    assert body["rerun_id"] and body["job_uid"] and body["campaign_status"] == "Ready for review"
    campaign = contract_server.state.campaigns[cid]
    assert campaign.status == "Ready for review" and campaign.pending_job == body["job_uid"]
    assert campaign.customer_group_id == gid and all(m.archived for m in campaign.messages)
    busy = await raw_api.call(
        "POST", INITIATE, {"campaign_id": cid, "new_customer_group_id": contract_world.group_id}
    )
    assert busy.status == 409 and busy.body["error_code"] == "rerun_in_progress"
    contract_server.finish_jobs()
    assert campaign.status == "Ready for review"
    history = (await raw_api.ok("POST", "/v1/campaign/rerun/history", {"campaign_id": cid}))["runs"]
    assert [(r["run_number"], r["status"], r["synthesized"]) for r in history] == [
        (2, "Active", False),
        (1, "Archived", True),
    ]
    assert history[0]["rerun_id"] == body["rerun_id"] and history[0]["segment_count"] == 3
    assert history[0]["customer_group_name"] == "Next"
    summary = history[0]["message_summary"]
    assert (summary["total_count"], summary["matched_count"], summary["new_count"]) == (4, 3, 1)
    assert summary["orphaned_count"] == 4 and summary["published_count"] == 0
    assert history[1]["message_summary"]["archived_count"] == 10


async def test_rerun_with_every_segment_matched_is_ready_to_publish(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """When no segment is new the job sets Ready to publish (and the campaign can publish)."""
    cid = published(contract_server, contract_world)
    gid = group_with_tiers(contract_server, contract_world, "Subset", ["gold", "silver"])
    body = await raw_api.ok("POST", INITIATE, {"campaign_id": cid, "new_customer_group_id": gid})
    assert body["comparison"] == {"matched_count": 2, "new_count": 0, "orphaned_count": 2}
    contract_server.finish_jobs()
    listed = await raw_api.ok("POST", "/v1/campaign/all", {})
    item = next(c for c in listed["workspaces"][0]["campaigns"] if c["campaign_id"] == cid)
    assert item["status"] == "Ready to publish" and item["run_number"] == 2
    await raw_api.ok("POST", "/v1/messages/publish", {"campaign_id": cid})
    pages = await raw_api.ok("POST", "/v1/messages/pages", {"campaign_id": cid})
    assert pages["run_number"] == 2 and pages["total_pages"] == 1
    old = await raw_api.ok("POST", "/v1/messages/pages", {"campaign_id": cid, "run_number": 1})
    assert old["total_pages"] == 1
    old_file = await raw_api.ok(
        "POST",
        "/v1/messages/fetch",
        {"campaign_id": cid, "page": 1, "format": "json", "run_number": 1},
    )
    assert len(old_file["messages"]) == 10
    no_url = await raw_api.call(
        "POST",
        "/v1/messages/fetch",
        {"campaign_id": cid, "page": 1, "format": "url", "run_number": 1},
    )
    assert no_url.status == 400 and no_url.body["error_code"] == "url_past_run"
    current_url = await raw_api.ok(
        "POST",
        "/v1/messages/fetch",
        {"campaign_id": cid, "page": 1, "format": "url", "run_number": 2},
    )
    assert current_url["url"]


@pytest.mark.parametrize("status", ["Ready for review", "Ready to publish", "Draft"])
async def test_initiate_requires_a_published_campaign(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer, status: str
) -> None:
    """A campaign that is not Published -> 400."""
    cid = contract_server.seed_campaign(
        contract_world.workspace_id,
        "C",
        customer_group_id=contract_world.group_id,
        status=status,
        segment_field="tier",
    ).campaign_id
    reply = await raw_api.call(
        "POST",
        INITIATE,
        {"campaign_id": cid, "new_customer_group_id": contract_world.empty_group_id},
    )
    assert reply.status == 400 and reply.body["error_code"] == "campaign_not_published"


async def test_initiate_prerequisites(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """Unpublished messages or the current group -> 400; missing -> 401; unknown -> 404."""
    cid = published(contract_server, contract_world)
    same = await raw_api.call(
        "POST", INITIATE, {"campaign_id": cid, "new_customer_group_id": contract_world.group_id}
    )
    assert same.status == 400 and same.body["error_code"] == "current_run_targeted"
    contract_server.state.campaigns[cid].messages[3].published_at = None
    unpublished = await raw_api.call(
        "POST",
        INITIATE,
        {"campaign_id": cid, "new_customer_group_id": contract_world.empty_group_id},
    )
    assert unpublished.status == 400 and unpublished.body["error_code"] == "unpublished_messages"
    assert contract_server.state.campaigns[cid].run_number == 1
    assert not any(m.archived for m in contract_server.state.campaigns[cid].messages)
    for body in ({"campaign_id": cid}, {"new_customer_group_id": contract_world.group_id}):
        assert (await raw_api.call("POST", INITIATE, body)).status == 401
    for body in (
        {"campaign_id": "x", "new_customer_group_id": contract_world.group_id},
        {"campaign_id": cid, "new_customer_group_id": "x"},
    ):
        assert (await raw_api.call("POST", INITIATE, body)).status == 404
    other_ws = contract_server.seed_workspace("Elsewhere")
    foreign = contract_server.seed_group(other_ws.workspace_id, "F").customer_group_id
    reply = await raw_api.call(
        "POST", INITIATE, {"campaign_id": cid, "new_customer_group_id": foreign}
    )
    assert reply.status == 404


async def test_run_messages_filter_rule_and_paging(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """Without run_number only active current-run messages; with it, archived ones too."""
    cid = published(contract_server, contract_world)
    gid = group_with_tiers(contract_server, contract_world, "Next", ["gold", "diamond", "diamond"])
    await raw_api.ok("POST", INITIATE, {"campaign_id": cid, "new_customer_group_id": gid})
    contract_server.finish_jobs()
    path = "/v1/campaign/rerun/messages"
    current = await raw_api.ok("POST", path, {"campaign_id": cid})
    assert current["run_number"] == 2 and current["page"] == 1 and current["total_pages"] == 1
    assert len(current["messages"]) == 3
    assert not any(m["archived"] for m in current["messages"])
    msg = current["messages"][0]
    assert set(msg) == {
        "message_id",
        "run_number",
        "customer_id",
        "segment",
        "content",
        "review_status",
        "approval_stage",
        "archived",
        "created_at",
    }
    assert set(msg["segment"]) == {"segment_id", "name"}
    old = await raw_api.ok("POST", path, {"campaign_id": cid, "run_number": 1, "page_size": 4})
    assert old["total_pages"] == 3 and all(m["archived"] for m in old["messages"])
    pages = [
        await raw_api.ok(
            "POST", path, {"campaign_id": cid, "run_number": 1, "page": p, "page_size": 4}
        )
        for p in (1, 2, 3, 4)
    ]
    assert [len(p["messages"]) for p in pages] == [4, 4, 2, 0]
    gold = {m["segment"]["segment_id"] for m in old["messages"] if m["segment"]["name"] == "gold"}
    assert gold == {
        m["segment"]["segment_id"] for m in current["messages"] if m["segment"]["name"] == "gold"
    }
    for body in (
        {"campaign_id": cid, "run_number": 3},
        {"campaign_id": cid, "page": 0},
        {"campaign_id": cid, "page_size": 1001},
    ):
        assert (await raw_api.call("POST", path, body)).status == 400
    assert (await raw_api.call("POST", path, {})).status == 401


async def test_job_delay_completes_rerun_without_finish_jobs(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """With a short job_delay the rerun job completes by itself; the status is set at once."""
    contract_server.set_job_delay(0.05)
    cid = published(contract_server, contract_world)
    gid = group_with_tiers(contract_server, contract_world, "Next", ["gold"])
    await raw_api.ok("POST", INITIATE, {"campaign_id": cid, "new_customer_group_id": gid})
    campaign = contract_server.state.campaigns[cid]
    assert campaign.status == "Ready to publish" and campaign.pending_job is not None
    for _ in range(100):
        if campaign.pending_job is None:
            break
        await asyncio.sleep(0.01)
    assert campaign.pending_job is None and campaign.status == "Ready to publish"
    assert [m.run_number for m in campaign.messages].count(2) == 1


def test_approve_control_and_rerun_control(
    contract_server: ReferenceServer, contract_world: ContractWorld
) -> None:
    """approve_campaign moves Ready for review on; other statuses and bad reruns raise."""
    cid = contract_server.seed_campaign(
        contract_world.workspace_id,
        "R",
        customer_group_id=contract_world.group_id,
        status="Ready for review",
        segment_field="tier",
    ).campaign_id
    assert contract_server.approve_campaign(cid).status == "Ready to publish"
    assert all(m.review_status == "approved" for m in contract_server.state.campaigns[cid].messages)
    draft = contract_server.seed_campaign(
        contract_world.workspace_id, "D", customer_group_id=contract_world.group_id, status="Draft"
    ).campaign_id
    with pytest.raises(ValueError, match="Draft"):
        contract_server.approve_campaign(draft)
    with pytest.raises(SeedError, match="400"):
        contract_server.rerun_campaign(cid, contract_world.empty_group_id)
