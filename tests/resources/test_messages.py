"""client.messages: publish, count, fetch per format, list rows, wait for export."""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from nudgescribe_async import (
    AsyncNudgescribe,
    BadRequestError,
    RequestValidationError,
    WaitTimeoutError,
)
from nudgescribe_async.models import CampaignStatus, CsvExport, JsonExport, UrlExport
from nudgescribe_async.testing import ReferenceServer
from tests._support.mocked import assert_refused_before_io, calls, ok, sent_headers, sent_json, url
from tests._support.worlds import ShopWorld


def row(n: int, run: int = 1) -> dict[str, Any]:
    """A wire exported message row."""
    return {
        "message_id": f"m{n}",
        "customer_id": f"c{n}",
        "segment_id": "s1",
        "subject": "Hi",
        "content": f"Hello {n}",
        "run_number": run,
        "published_at": "2026-01-01T00:00:00Z",
    }


async def test_publish_and_count_pages_wire(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """publish and count_pages send the campaign (and run_number only when given)."""
    authed_api.post(
        url("/v1/messages/publish"),
        payload=ok(campaign_id="cmp1", job_uid="j1", campaign_status="Published", queued=True),
    )
    authed_api.post(
        url("/v1/messages/pages"),
        payload=ok(campaign_id="cmp1", run_number=2, total_pages=4),
        repeat=True,
    )
    published = await mock_client.messages.publish("cmp1", extra_headers={"x-trace": "p"})
    await mock_client.messages.count_pages("cmp1")
    count = await mock_client.messages.count_pages("cmp1", run_number=2)
    assert sent_json(authed_api, "POST", "/v1/messages/publish") == {"campaign_id": "cmp1"}
    assert sent_headers(authed_api, "POST", "/v1/messages/publish")["x-trace"] == "p"
    assert sent_json(authed_api, "POST", "/v1/messages/pages", 0) == {"campaign_id": "cmp1"}
    assert sent_json(authed_api, "POST", "/v1/messages/pages", 1) == {
        "campaign_id": "cmp1",
        "run_number": 2,
    }
    assert published.campaign_status is CampaignStatus.PUBLISHED and published.job_uid == "j1"
    assert (count.total_pages, count.run_number) == (4, 2)


async def test_fetch_returns_the_model_of_each_format(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """fetch sends format/page/run_number and decodes CsvExport, JsonExport or UrlExport."""
    fetch_url = url("/v1/messages/fetch")
    authed_api.post(fetch_url, payload=ok(format="json", page=1, messages=[row(1), row(2)]))
    authed_api.post(fetch_url, payload=ok(format="csv", page=1, content="message_id\nm1\n"))
    authed_api.post(
        fetch_url,
        payload=ok(format="url", page=1, url="https://files/x", expires_at="2026-01-01T00:15:00Z"),
    )
    as_json = await mock_client.messages.fetch("cmp1", 1)
    as_csv = await mock_client.messages.fetch("cmp1", 1, format="csv", run_number=1)
    as_url = await mock_client.messages.fetch("cmp1", 1, format="url")
    assert [sent_json(authed_api, "POST", "/v1/messages/fetch", i) for i in range(3)] == [
        {"campaign_id": "cmp1", "page": 1, "format": "json"},
        {"campaign_id": "cmp1", "page": 1, "format": "csv", "run_number": 1},
        {"campaign_id": "cmp1", "page": 1, "format": "url"},
    ]
    assert isinstance(as_json, JsonExport) and [m.message_id for m in as_json.messages] == [
        "m1",
        "m2",
    ]
    assert isinstance(as_csv, CsvExport) and as_csv.content.startswith("message_id")
    assert isinstance(as_url, UrlExport) and as_url.expires_at is not None


async def test_list_yields_rows_of_every_file_in_order(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """messages.list counts files, fetches each as JSON and yields all rows in file order."""
    authed_api.post(url("/v1/messages/pages"), payload=ok(total_pages=2))
    authed_api.post(
        url("/v1/messages/fetch"), payload=ok(format="json", page=1, messages=[row(1), row(2)])
    )
    authed_api.post(url("/v1/messages/fetch"), payload=ok(format="json", page=2, messages=[row(3)]))
    rows = await mock_client.messages.list("cmp1", run_number=1, concurrency=1).collect()
    assert [r.message_id for r in rows] == ["m1", "m2", "m3"]
    assert sent_json(authed_api, "POST", "/v1/messages/pages") == {
        "campaign_id": "cmp1",
        "run_number": 1,
    }
    assert sent_json(authed_api, "POST", "/v1/messages/fetch", 1) == {
        "campaign_id": "cmp1",
        "page": 2,
        "format": "json",
        "run_number": 1,
    }


async def test_wait_for_export_polls_until_files_exist(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """wait_for_export polls count_pages while it is 0 and returns the first positive count."""
    for pages in (0, 0, 3):
        authed_api.post(url("/v1/messages/pages"), payload=ok(total_pages=pages))
    count = await mock_client.messages.wait_for_export("cmp1", poll_interval=0.001)
    assert count.total_pages == 3
    assert len(calls(authed_api, "POST", "/v1/messages/pages")) == 3


async def test_wait_for_export_times_out(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """An export that never appears raises WaitTimeoutError after the overall timeout."""
    authed_api.post(url("/v1/messages/pages"), payload=ok(total_pages=0), repeat=True)
    with pytest.raises(WaitTimeoutError, match="no exported files yet for run 2"):
        await mock_client.messages.wait_for_export(
            "cmp1", run_number=2, timeout=0.02, poll_interval=0.005
        )


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.messages.fetch("cmp1", 1, format="url", run_number=1), "run_number"),
        (lambda c: c.messages.fetch("cmp1", 1, format="xml"), "format"),
        (lambda c: c.messages.fetch("cmp1", 0), "page"),
        (lambda c: c.messages.count_pages("cmp1", run_number=0), "run_number"),
        (lambda c: c.messages.publish(""), "campaign_id"),
        (lambda c: c.messages.wait_for_export("cmp1", poll_interval=-1), "poll_interval"),
    ],
)
async def test_message_calls_validate_before_io(
    authed_api: aioresponses, mock_client: AsyncNudgescribe, call: Any, argument: str
) -> None:
    """url+run_number, bad formats, pages and timings raise RequestValidationError; no I/O."""
    await assert_refused_before_io(authed_api, mock_client, call, argument)


def test_list_validates_when_called(mock_client: AsyncNudgescribe) -> None:
    """messages.list rejects a bad concurrency or run_number at call time."""
    with pytest.raises(RequestValidationError, match="concurrency"):
        mock_client.messages.list("cmp1", concurrency=0)
    with pytest.raises(RequestValidationError, match="run_number"):
        mock_client.messages.list("cmp1", run_number=0)


async def test_publish_export_fetch_list_end_to_end(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld
) -> None:
    """publish -> wait_for_export -> fetch as json, csv and url -> list every exported row."""
    ref_server.seed_customers(ref_world.group_id, [{"email": f"u{n}@x.com"} for n in range(30)])
    campaign = ref_server.seed_campaign(
        ref_world.workspace_id,
        "Launch",
        status="Ready to publish",
        customer_group_id=ref_world.group_id,
    )
    with pytest.raises(BadRequestError):  # nothing published yet: not ready for rerun
        await ref_client.reruns.initiate(campaign.campaign_id, ref_world.group_id)
    published = await ref_client.messages.publish(campaign.campaign_id)
    assert published.campaign_status == CampaignStatus.PUBLISHED
    count = await ref_client.messages.wait_for_export(
        campaign.campaign_id, timeout=5, poll_interval=0.01
    )
    assert count.total_pages == 1
    as_json = await ref_client.messages.fetch(campaign.campaign_id, 1)
    as_csv = await ref_client.messages.fetch(campaign.campaign_id, 1, format="csv")
    as_url = await ref_client.messages.fetch(campaign.campaign_id, 1, format="url")
    assert len(as_json.messages) == 30
    assert as_csv.content.splitlines()[0].startswith("message_id,customer_id")
    assert len(as_csv.content.splitlines()) == 31
    assert as_url.url.startswith(ref_server.base_url)
    rows = await ref_client.messages.list(campaign.campaign_id).collect()
    assert [r.message_id for r in rows] == [m.message_id for m in as_json.messages]


async def test_list_spans_several_export_files() -> None:
    """With 7 rows per file, messages.list returns all 30 rows across 5 files, in order."""
    async with ReferenceServer(export_rows_per_file=7) as server:
        ws = server.seed_workspace()
        server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
        group = server.seed_group(ws.workspace_id, "All")
        server.seed_customers(group.customer_group_id, [{"email": f"{n}@x"} for n in range(30)])
        campaign = server.seed_campaign(
            ws.workspace_id, "Big", status="Published", customer_group_id=group.customer_group_id
        )
        async with AsyncNudgescribe(**server.client_kwargs()) as client:
            assert (await client.messages.count_pages(campaign.campaign_id)).total_pages == 5
            rows = await client.messages.list(campaign.campaign_id, concurrency=2).collect()
            by_file = []
            for page in range(1, 6):
                by_file += (await client.messages.fetch(campaign.campaign_id, page)).messages
    assert len(rows) == 30 and rows == by_file


async def test_list_start_page_skips_the_earlier_files() -> None:
    """messages.list(start_page=3) fetches only files 3..5 and yields their rows in order."""
    async with ReferenceServer(export_rows_per_file=7) as server:
        ws = server.seed_workspace()
        server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
        group = server.seed_group(ws.workspace_id, "All")
        server.seed_customers(group.customer_group_id, [{"email": f"{n}@x"} for n in range(30)])
        campaign = server.seed_campaign(
            ws.workspace_id, "Big", status="Published", customer_group_id=group.customer_group_id
        )
        async with AsyncNudgescribe(**server.client_kwargs()) as client:
            everything = await client.messages.list(campaign.campaign_id).collect()
            server.clear_requests()
            tail = await client.messages.list(campaign.campaign_id, start_page=3).collect()
            fetched = sorted(
                r.json["page"] for r in server.requests if r.path == "/v1/messages/fetch"
            )
    assert tail == everything[14:]
    assert fetched == [3, 4, 5]
