"""Contract §6: campaign listing, publish (status machine, quota), exported pages and files."""

from __future__ import annotations

import csv
import io

import aiohttp
import pytest

from nudgescribe_async.testing import ReferenceServer
from tests._support.raw_api import Api
from tests._support.worlds import ContractWorld


def campaign(server: ReferenceServer, world: ContractWorld, status: str, name: str = "C") -> str:
    """Seed a campaign on the world's populated group, segmented by tier."""
    return server.seed_campaign(
        world.workspace_id,
        name,
        customer_group_id=world.group_id,
        status=status,
        segment_field="tier",
    ).campaign_id


async def test_list_groups_campaigns_by_workspace(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """POST /v1/campaign/all returns every workspace with its campaigns."""
    cid = campaign(contract_server, contract_world, "Ready for review")
    second = contract_server.seed_workspace("Second")
    body = await raw_api.ok("POST", "/v1/campaign/all", {})
    names = [
        (w["workspace_name"], [c["campaign_id"] for c in w["campaigns"]])
        for w in body["workspaces"]
    ]
    assert names == [("Main", [cid]), ("Second", [])]
    item = body["workspaces"][0]["campaigns"][0]
    assert item["status"] == "Ready for review" and item["run_number"] == 1
    assert item["published_at"] is None and item["customer_group_id"] == contract_world.group_id
    assert second.workspace_id == body["workspaces"][1]["workspace_id"]


async def test_published_window_filter_is_inclusive(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """published_from/published_to keep campaigns published on those days; bad dates -> 400."""
    cid = campaign(contract_server, contract_world, "Published")
    campaign(contract_server, contract_world, "Ready to publish", "Unpublished")
    day = contract_server.state.campaigns[cid].published_at[:10]  # type: ignore[index]

    async def ids(**window: str) -> list[str]:
        body = await raw_api.ok("POST", "/v1/campaign/all", window)
        return [c["campaign_id"] for c in body["workspaces"][0]["campaigns"]]

    assert await ids(published_from=day, published_to=day) == [cid]
    assert await ids(published_from=day) == [cid]
    assert await ids(published_to="2000-01-01") == []
    assert len(await ids()) == 2
    bad = await raw_api.call("POST", "/v1/campaign/all", {"published_from": "yesterday"})
    assert bad.status == 400


@pytest.mark.parametrize("status", ["Draft", "Generating", "Ready for review"])
async def test_publish_refuses_other_statuses(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer, status: str
) -> None:
    """Publishing a campaign that is not Ready to publish / Published -> 400."""
    reply = await raw_api.call(
        "POST",
        "/v1/messages/publish",
        {"campaign_id": campaign(contract_server, contract_world, status)},
    )
    assert reply.status == 400 and reply.body["error_code"] == "invalid_status"


async def test_publish_request_rules(raw_api: Api) -> None:
    """Missing campaign_id -> 401; unknown -> 404."""
    assert (await raw_api.call("POST", "/v1/messages/publish", {})).status == 401
    assert (await raw_api.call("POST", "/v1/messages/publish", {"campaign_id": "x"})).status == 404


async def test_publish_moves_to_published_and_exports_after_the_job(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """Ready to publish -> Published at once; export pages are 0 until the job completes."""
    contract_server.set_job_delay(None)
    cid = campaign(contract_server, contract_world, "Ready to publish")
    body = await raw_api.ok("POST", "/v1/messages/publish", {"campaign_id": cid})
    assert body["campaign_status"] == "Published" and body["queued"] is True and body["job_uid"]
    assert all(m.published_at for m in contract_server.state.campaigns[cid].messages)
    pages = await raw_api.ok("POST", "/v1/messages/pages", {"campaign_id": cid})
    assert pages == {"success": True, "campaign_id": cid, "run_number": 1, "total_pages": 0}
    again = await raw_api.call("POST", "/v1/messages/publish", {"campaign_id": cid})
    assert again.status == 409
    contract_server.finish_jobs()
    assert (await raw_api.ok("POST", "/v1/messages/pages", {"campaign_id": cid}))[
        "total_pages"
    ] == 1
    listed = await raw_api.ok("POST", "/v1/campaign/all", {})
    assert listed["workspaces"][0]["campaigns"][0]["published_at"]
    contract_server.set_job_delay(0)
    republish = await raw_api.ok("POST", "/v1/messages/publish", {"campaign_id": cid})
    assert republish["campaign_status"] == "Published"


async def test_publish_job_completes_after_the_configured_delay(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """With job_delay=0 the export is ready on the next loop turn, without finish_jobs()."""
    cid = campaign(contract_server, contract_world, "Ready to publish")
    await raw_api.ok("POST", "/v1/messages/publish", {"campaign_id": cid})
    pages = await raw_api.ok("POST", "/v1/messages/pages", {"campaign_id": cid})
    assert pages["total_pages"] == 1 and contract_server.pending_jobs == []


async def test_publish_quota(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """A spent publish quota -> 429 quota_exceeded without Retry-After; nothing changes."""
    contract_server.set_quota("publish", 1)
    first = campaign(contract_server, contract_world, "Ready to publish", "One")
    second = campaign(contract_server, contract_world, "Ready to publish", "Two")
    await raw_api.ok("POST", "/v1/messages/publish", {"campaign_id": first})
    reply = await raw_api.call("POST", "/v1/messages/publish", {"campaign_id": second})
    assert reply.status == 429 and reply.body["error_code"] == "quota_exceeded"
    assert "Retry-After" not in reply.headers
    assert contract_server.state.campaigns[second].status == "Ready to publish"
    assert contract_server.usage("publish") == 1


async def test_quota_from_constructor_applies_to_pages(http_session: aiohttp.ClientSession) -> None:
    """ReferenceServer(quotas=...) sets the pages quota counted by /v1/messages/fetch."""
    async with ReferenceServer(quotas={"pages": 2}) as srv:
        api = Api(srv, http_session, srv.demo_credentials)
        await api.login()
        ws = srv.seed_workspace("Q")
        srv.seed_profile_field(ws.workspace_id, "email", is_unique=True)
        group = srv.seed_group(ws.workspace_id, "G")
        srv.seed_customers(group.customer_group_id, count=3)
        cid = srv.seed_campaign(
            ws.workspace_id, "C", customer_group_id=group.customer_group_id, status="Published"
        ).campaign_id
        body = {"campaign_id": cid, "page": 1, "format": "json"}
        await api.ok("POST", "/v1/messages/fetch", body)
        await api.ok("POST", "/v1/messages/fetch", body)
        spent = await api.call("POST", "/v1/messages/fetch", body)
        assert spent.status == 429 and spent.body["error_code"] == "quota_exceeded"
        assert "Retry-After" not in spent.headers
        assert srv.usage("pages") == 2


async def test_export_files_hold_at_most_1000_rows(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """2,500 published messages export as 3 files of 1000/1000/500 rows in csv and json."""
    contract_server.seed_customers(contract_world.group_id, count=2490, start=10)
    cid = campaign(contract_server, contract_world, "Published")
    assert (await raw_api.ok("POST", "/v1/messages/pages", {"campaign_id": cid}))[
        "total_pages"
    ] == 3
    sizes, ids = [], set()
    for page in (1, 2, 3):
        body = await raw_api.ok(
            "POST", "/v1/messages/fetch", {"campaign_id": cid, "page": page, "format": "json"}
        )
        assert body["format"] == "json" and body["page"] == page
        sizes.append(len(body["messages"]))
        ids |= {m["message_id"] for m in body["messages"]}
    assert sizes == [1000, 1000, 500] and len(ids) == 2500
    row = body["messages"][0]
    # The spec check of the exported row's keys, spelled out (nudgescribe_async._contract's
    # EXPORT_COLUMNS is what the server and the SDK read).
    assert set(row) == {
        "message_id",
        "customer_id",
        "segment_id",
        "subject",
        "content",
        "run_number",
        "published_at",
    }
    text = (
        await raw_api.ok(
            "POST", "/v1/messages/fetch", {"campaign_id": cid, "page": 3, "format": "csv"}
        )
    )["content"]
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == 500 and list(parsed[0]) == list(row)
    past = await raw_api.call(
        "POST", "/v1/messages/fetch", {"campaign_id": cid, "page": 4, "format": "json"}
    )
    assert past.status == 404


async def test_fetch_request_rules(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """Missing page/format -> 401; bad format or page -> 400; unknown run -> 400."""
    cid = campaign(contract_server, contract_world, "Published")
    for body in ({"campaign_id": cid, "page": 1}, {"campaign_id": cid, "format": "csv"}):
        assert (await raw_api.call("POST", "/v1/messages/fetch", body)).status == 401
    for body in (
        {"format": "xml", "page": 1},
        {"format": "csv", "page": 0},
        {"format": "csv", "page": 1, "run_number": 2},
    ):
        reply = await raw_api.call("POST", "/v1/messages/fetch", {"campaign_id": cid, **body})
        assert reply.status == 400, body
    unpublished = campaign(contract_server, contract_world, "Ready to publish", "U")
    none_yet = await raw_api.call(
        "POST", "/v1/messages/fetch", {"campaign_id": unpublished, "page": 1, "format": "csv"}
    )
    assert none_yet.status == 404
    assert (await raw_api.call("POST", "/v1/messages/pages", {})).status == 401


async def test_url_download_serves_the_file_until_it_expires(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """format=url returns a server URL with expires_at; GET works without auth until expiry."""
    cid = campaign(contract_server, contract_world, "Published")
    body = await raw_api.ok(
        "POST", "/v1/messages/fetch", {"campaign_id": cid, "page": 1, "format": "url"}
    )
    assert body["url"].startswith(contract_server.base_url + "/files/") and body[
        "expires_at"
    ].endswith("Z")
    download = await raw_api.raw("GET", body["url"][len(contract_server.base_url) :])
    assert download.status == 200 and download.headers["Content-Type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(download.body)))) == 10
    assert download.headers["x-request-id"]
    assert (await raw_api.raw("GET", "/files/unknown-token")).status == 404
    contract_server.advance_clock(901)
    expired = await raw_api.raw("GET", body["url"][len(contract_server.base_url) :])
    assert expired.status == 403 and expired.body["error_code"] == "url_expired"
