"""Sync twins of tests/resources/*: each resource behaviour, through the blocking client.

The async wire tests use aioresponses; their twins run against the reference server and read
the wire from its request log. Validation twins reuse the same cases without ``await``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from nudgescribe_async.models import (
    CampaignStatus,
    CsvExport,
    FieldUpdate,
    JsonExport,
    ProfileField,
    RunStatus,
    UrlExport,
)
from nudgescribe_sync import (
    BadRequestError,
    ConflictError,
    MissingFieldsError,
    NotFoundError,
    Nudgescribe,
    Pager,
    RequestValidationError,
    UploadValidationError,
    WaitTimeoutError,
)
from tests._support.threaded import ThreadedServer
from tests._support.worlds import ShopWorld

MISSING = "00000000-0000-0000-0000-000000000000"


def rows(count: int, start: int = 0) -> list[dict[str, str]]:
    """Valid upload records for the ``world`` workspace."""
    return [
        {
            "email": f"user{n:04d}@example.com",
            "tier": "gold" if n % 2 else "silver",
            "joined": "2025-03-04",
        }
        for n in range(start, start + count)
    ]


def api_requests(server: ThreadedServer) -> list[str]:
    """Every logged request except authentication."""
    return server.do(lambda s: [r.path for r in s.requests if r.path != "/v1/auth"])


def assert_refused_before_io(
    server: ThreadedServer, client: Nudgescribe, call: Any, argument: str
) -> None:
    """``call(client)`` raises RequestValidationError naming ``argument``; nothing sent."""
    with pytest.raises(RequestValidationError) as info:
        call(client)
    assert info.value.argument == argument
    assert api_requests(server) == []


# ------------------------------------------------------------------ profile fields


def test_profile_fields_create_sends_given_keys_extra_body_and_headers(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """create PUTs only given keys, merges extra_body, sends extra_headers, decodes the field."""
    field = sync_client.profile_fields.create(
        threaded_world.workspace_id,
        "spend",
        "currency",
        field_format="USD",
        display_name="Spend",
        extra_body={"source": "sdk"},
        extra_headers={"x-trace": "t1"},
    )
    sent = threaded_server.requests("/v1/cpf", "PUT")[0]
    assert sent.json == {
        "workspace_id": threaded_world.workspace_id,
        "field_name": "spend",
        "field_type": "currency",
        "display_name": "Spend",
        "field_format": "USD",
        "source": "sdk",
    }
    assert sent.headers["x-trace"] == "t1" and sent.headers["Authorization"].startswith("Bearer")
    assert isinstance(field, ProfileField) and field.field_format == "USD"


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"field_type": "Date"}, "field_format"),
        ({"field_type": "currency", "field_format": "usd"}, "field_format"),
        ({"field_type": "string", "field_name": "First Name"}, "field_name"),
        ({"field_type": "string", "workspace_id": ""}, "workspace_id"),
    ],
)
def test_profile_fields_create_rejects_bad_arguments_before_io(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, kwargs: dict[str, Any], argument: str
) -> None:
    """Bad field_format / field_name / ids raise RequestValidationError naming them; no request."""
    args = {"workspace_id": "ws1", "field_name": "joined", **kwargs}
    with pytest.raises(RequestValidationError) as info:
        sync_client.profile_fields.create(
            args.pop("workspace_id"), args.pop("field_name"), args.pop("field_type"), **args
        )
    assert info.value.argument == argument
    assert api_requests(threaded_server) == []


def test_profile_fields_end_to_end(sync_client: Nudgescribe, threaded_world: ShopWorld) -> None:
    """Create, list, update and delete fields against the reference server."""
    fields = sync_client.profile_fields
    created = fields.create(threaded_world.workspace_id, "spend", "currency", field_format="USD")
    with pytest.raises(ConflictError):
        fields.create(threaded_world.workspace_id, "spend", "number")
    names = [f.field_name for f in fields.list(threaded_world.workspace_id).fields]
    assert names == ["email", "tier", "joined", "spend"]
    updated = fields.update(
        threaded_world.workspace_id,
        [FieldUpdate(field_id=created.field_id, display_name="Total spend")],
    )
    assert updated.fields[0].display_name == "Total spend"
    assert fields.delete(threaded_world.workspace_id, [created.field_id]).deleted_count == 1
    with pytest.raises(MissingFieldsError):
        fields.list("no-such-workspace")


# ------------------------------------------------------------------ customer groups


def test_customer_groups_create_and_list_wire(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """create PUTs name/description (+extra_body, headers); list POSTs the workspace."""
    group = sync_client.customer_groups.create(
        threaded_world.workspace_id,
        "VIP",
        description="Top",
        extra_body={"color": "gold"},
        extra_headers={"x-request-tag": "a"},
        timeout=5.0,
    )
    groups = sync_client.customer_groups.list(threaded_world.workspace_id)
    sent = threaded_server.requests("/v1/cg", "PUT")[0]
    assert sent.json == {
        "workspace_id": threaded_world.workspace_id,
        "name": "VIP",
        "description": "Top",
        "color": "gold",
    }
    assert sent.headers["x-request-tag"] == "a"
    assert threaded_server.requests("/v1/cg", "POST")[0].json == {
        "workspace_id": threaded_world.workspace_id
    }
    assert group.customer_group_id in [g.customer_group_id for g in groups.customer_groups]


def test_customer_groups_update_clears_and_omits(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """update(description=None) sends null; a name-only update sends no description key."""
    sync_client.customer_groups.update(threaded_world.group_id, description=None)
    sync_client.customer_groups.update(threaded_world.group_id, name="Gold")
    sent = [r.json for r in threaded_server.requests("/v1/cg", "PATCH")]
    assert sent == [
        {"customer_group_id": threaded_world.group_id, "description": None},
        {"customer_group_id": threaded_world.group_id, "name": "Gold"},
    ]
    with pytest.raises(RequestValidationError, match="name"):
        sync_client.customer_groups.update(threaded_world.group_id)


def test_customer_groups_end_to_end(sync_client: Nudgescribe, threaded_world: ShopWorld) -> None:
    """Create, list, update (clear description) and delete a group on the reference server."""
    groups = sync_client.customer_groups
    vip = groups.create(threaded_world.workspace_id, "VIP", description="Best customers")
    with pytest.raises(ConflictError):
        groups.create(threaded_world.workspace_id, "VIP")
    renamed = groups.update(vip.customer_group_id, name="Gold")
    assert (renamed.name, renamed.description) == ("Gold", "Best customers")
    assert groups.update(vip.customer_group_id, description=None).description is None
    assert groups.delete(vip.customer_group_id).message
    assert [g.name for g in groups.list(threaded_world.workspace_id).customer_groups] == [
        "Everyone"
    ]


# ------------------------------------------------------------------ customers


def test_customers_upload_json_then_update_by_unique_field(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """A JSON upload (extra_body merged) creates customers; re-uploading updates them."""
    first = sync_client.customers.upload(
        threaded_world.workspace_id,
        threaded_world.group_id,
        unique_field="email",
        customers=rows(3),
        extra_headers={"x-trace": "t"},
    )
    assert (first.valid, first.created_count, first.updated_count) == (True, 3, 0)
    sent = threaded_server.requests("/v1/customer/check")[0]
    assert sent.json["customers"] == rows(3) and sent.json["validate_only"] is False
    assert sent.headers["x-trace"] == "t"
    again = sync_client.customers.upload(
        threaded_world.workspace_id,
        threaded_world.group_id,
        unique_field="email",
        customers=[{**rows(1)[0], "tier": "platinum"}],
    )
    assert (again.created_count, again.updated_count) == (0, 1)
    page = sync_client.customers.get_page(threaded_world.group_id, 1)
    assert {c.profile["email"]: c.profile["tier"] for c in page.customers}[
        "user0000@example.com"
    ] == "platinum"


@pytest.mark.parametrize("kind", ["bytes", "path", "binary_file", "text_file"])
def test_customers_upload_csv_is_multipart(
    threaded_server: ThreadedServer,
    sync_client: Nudgescribe,
    threaded_world: ShopWorld,
    tmp_path: Path,
    kind: str,
) -> None:
    """A CSV (bytes, path, binary or text file) goes as a file part plus string form fields."""
    csv = "email,tier,joined\na@x.com,gold,2025-01-02\n"
    path = tmp_path / "people.csv"
    path.write_text(csv, encoding="utf-8")
    sources: dict[str, Any] = {
        "bytes": csv.encode(),
        "path": path,
        "binary_file": io.BytesIO(csv.encode()),
        "text_file": io.StringIO(csv),
    }
    result = sync_client.customers.upload(
        threaded_world.workspace_id,
        threaded_world.group_id,
        unique_field="email",
        file=sources[kind],
        validate_only=True,
    )
    assert result.valid
    form = threaded_server.requests("/v1/customer/check")[0].form
    assert form is not None and form["validate_only"].lower() == "true"
    assert form["unique_field"] == "email"


def test_customers_upload_csv_valid_invalid_and_validate_only(
    sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """Invalid CSV raises UploadValidationError with row errors; validate_only stores none."""
    bad = b"email,tier,joined\nc@x.com,gold,02/01/2025\n,gold,2025-01-02\n"
    with pytest.raises(UploadValidationError) as info:
        sync_client.customers.upload(
            threaded_world.workspace_id, threaded_world.group_id, unique_field="email", file=bad
        )
    assert sorted((e.row, e.field) for e in info.value.row_errors) == [(1, "joined"), (2, "email")]
    checked = sync_client.customers.upload(
        threaded_world.workspace_id,
        threaded_world.group_id,
        unique_field="email",
        file=bad,
        validate_only=True,
    )
    assert checked.valid is False and len(checked.row_errors) == 2
    assert sync_client.customers.count_pages(threaded_world.group_id).total_customers == 0


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.customers.upload("ws1", "cg1", unique_field="email"), "customers"),
        (lambda c: c.customers.upload("ws1", "cg1", unique_field="email", file=42), "file"),
        (lambda c: c.customers.get_page("cg1", 0), "page"),
        (lambda c: c.customers.count_pages("cg1", page_size=1001), "page_size"),
        (lambda c: c.customers.get_page("cg1", 1, decrypt="nope"), "decrypt"),
        (lambda c: c.customers.delete("cg1", []), "customer_ids"),
        (lambda c: c.customers.list("cg1", concurrency=0), "concurrency"),
        (lambda c: c.customers.list("cg1", page_size=1001), "page_size"),
    ],
)
def test_customer_calls_validate_before_io(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, call: Any, argument: str
) -> None:
    """Bad arguments raise RequestValidationError naming them, at call time; nothing sent."""
    assert_refused_before_io(threaded_server, sync_client, call, argument)


def test_customers_list_pages_decrypts_and_keeps_order(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """list over a 3-page group yields every customer once, in page order, decrypted."""
    threaded_server.do(lambda s: s.seed_customers(threaded_world.group_id, rows(250)))
    sequential = [
        c.customer_id
        for n in (1, 2, 3)
        for c in sync_client.customers.get_page(
            threaded_world.group_id, n, page_size=100, decrypt=False
        ).customers
    ]
    pager = sync_client.customers.list(threaded_world.group_id, page_size=100, concurrency=3)
    assert isinstance(pager, Pager)
    listed = list(pager)
    assert [c.customer_id for c in listed] == sequential and len(set(sequential)) == 250
    assert listed[0].profile["email"] == "user0000@example.com"
    raw = sync_client.customers.list(threaded_world.group_id, decrypt=False).collect()
    assert raw[0].profile["email"].startswith("enc:v1:")


def test_customers_delete_in_batches(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """Deleting 1200 customers sends two DELETE calls; an unknown id raises NotFoundError."""
    threaded_server.do(lambda s: s.seed_customers(threaded_world.group_id, rows(1205)))
    ids = [
        c.customer_id for c in sync_client.customers.list(threaded_world.group_id, page_size=1000)
    ]
    assert sync_client.customers.delete(threaded_world.group_id, ids[:1200]).deleted_count == 1200
    assert threaded_server.count("/v1/customer", "DELETE") == 2
    assert sync_client.customers.count_pages(threaded_world.group_id).total_customers == 5
    with pytest.raises(NotFoundError):
        sync_client.customers.delete(threaded_world.group_id, [MISSING])


# ------------------------------------------------------------------ campaigns


def test_campaigns_list_get_and_wait(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """list sends the date window; get finds one or raises 404; wait_for_status sees approval."""
    review = threaded_server.do(
        lambda s: s.seed_campaign(
            threaded_world.workspace_id, "Review me", customer_group_id=threaded_world.group_id
        )
    )
    listed = sync_client.campaigns.list(published_from="2020-01-01", extra_headers={"x-trace": "c"})
    assert threaded_server.requests("/v1/campaign/all")[0].json == {"published_from": "2020-01-01"}
    assert [c.name for c in listed.all_campaigns()] == []  # not published
    got = sync_client.campaigns.get(review.campaign_id)
    assert got.status == CampaignStatus.READY_FOR_REVIEW
    with pytest.raises(NotFoundError) as info:
        sync_client.campaigns.get(MISSING)
    assert info.value.method == "POST"
    threaded_server.do(lambda s: s.approve_campaign(review.campaign_id))
    done = sync_client.campaigns.wait_for_status(
        review.campaign_id, "ready to publish", timeout=5, poll_interval=0.01
    )
    assert done.status is CampaignStatus.READY_TO_PUBLISH


def test_campaigns_wait_for_status_times_out(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """A status that never arrives raises WaitTimeoutError (a TimeoutError) in the caller."""
    review = threaded_server.do(
        lambda s: s.seed_campaign(
            threaded_world.workspace_id, "Stuck", customer_group_id=threaded_world.group_id
        )
    )
    with pytest.raises(TimeoutError) as info:
        sync_client.campaigns.wait_for_status(
            review.campaign_id, CampaignStatus.PUBLISHED, timeout=0.05, poll_interval=0.01
        )
    assert isinstance(info.value, WaitTimeoutError)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.campaigns.list(published_to="last week"), "published_to"),
        (lambda c: c.campaigns.get(""), "campaign_id"),
        (lambda c: c.campaigns.wait_for_status("cmp1", []), "statuses"),
        (lambda c: c.campaigns.wait_for_status("cmp1", "Published", timeout=-1), "timeout"),
    ],
)
def test_campaign_calls_validate_before_io(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, call: Any, argument: str
) -> None:
    """Bad dates, ids, statuses and waiter timings raise RequestValidationError; nothing sent."""
    assert_refused_before_io(threaded_server, sync_client, call, argument)


# ------------------------------------------------------------------ messages


def test_messages_publish_export_fetch_list(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """publish -> wait_for_export -> fetch as json, csv and url (overloads) -> list all rows."""
    threaded_server.do(
        lambda s: s.seed_customers(
            threaded_world.group_id, [{"email": f"u{n}@x.com"} for n in range(30)]
        )
    )
    campaign = threaded_server.do(
        lambda s: s.seed_campaign(
            threaded_world.workspace_id,
            "Launch",
            status="Ready to publish",
            customer_group_id=threaded_world.group_id,
        )
    )
    cid = campaign.campaign_id
    with pytest.raises(BadRequestError):
        sync_client.reruns.initiate(cid, threaded_world.group_id)
    assert sync_client.messages.publish(cid).campaign_status == CampaignStatus.PUBLISHED
    assert sync_client.messages.wait_for_export(cid, timeout=5, poll_interval=0.01).total_pages == 1
    as_json = sync_client.messages.fetch(cid, 1)
    as_csv = sync_client.messages.fetch(cid, 1, format="csv")
    as_url = sync_client.messages.fetch(cid, 1, format="url")
    assert isinstance(as_json, JsonExport) and len(as_json.messages) == 30
    assert isinstance(as_csv, CsvExport) and len(as_csv.content.splitlines()) == 31
    assert isinstance(as_url, UrlExport) and as_url.url.startswith("http://127.0.0.1")
    listed = sync_client.messages.list(cid).collect()
    assert [r.message_id for r in listed] == [m.message_id for m in as_json.messages]
    assert threaded_server.requests("/v1/messages/pages")[0].json == {"campaign_id": cid}


def test_messages_wait_for_export_times_out(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """An export that never appears raises WaitTimeoutError after the overall timeout."""

    def seed(s: Any) -> str:
        s.set_job_delay(None)  # export jobs only finish on finish_jobs()
        s.seed_customers(threaded_world.group_id, [{"email": "u@x.com"}])
        return str(
            s.seed_campaign(
                threaded_world.workspace_id,
                "Slow",
                status="Ready to publish",
                customer_group_id=threaded_world.group_id,
            ).campaign_id
        )

    cid = threaded_server.do(seed)
    sync_client.messages.publish(cid)
    with pytest.raises(WaitTimeoutError, match="no exported files yet"):
        sync_client.messages.wait_for_export(cid, timeout=0.05, poll_interval=0.01)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.messages.fetch("cmp1", 1, format="url", run_number=1), "run_number"),
        (lambda c: c.messages.fetch("cmp1", 1, format="xml"), "format"),
        (lambda c: c.messages.count_pages("cmp1", run_number=0), "run_number"),
        (lambda c: c.messages.list("cmp1", concurrency=0), "concurrency"),
    ],
)
def test_message_calls_validate_before_io(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, call: Any, argument: str
) -> None:
    """url+run_number, bad formats, run numbers and concurrency raise before any I/O."""
    assert_refused_before_io(threaded_server, sync_client, call, argument)


# ------------------------------------------------------------------ reruns


def test_rerun_flow_end_to_end(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """initiate -> wait_for_status -> history -> list_messages of the new and the old run."""

    def seed(s: Any) -> tuple[str, str]:
        s.seed_customers(
            threaded_world.group_id,
            [{"email": f"a{n}@x.com", "tier": "gold" if n < 3 else "silver"} for n in range(6)],
        )
        newcomers = s.seed_group(threaded_world.workspace_id, "Newcomers")
        s.seed_customers(
            newcomers.customer_group_id,
            [{"email": f"b{n}@x.com", "tier": "gold" if n < 2 else "bronze"} for n in range(4)],
        )
        campaign = s.seed_campaign(
            threaded_world.workspace_id,
            "Tiers",
            status="Published",
            customer_group_id=threaded_world.group_id,
            segment_field="tier",
        )
        return campaign.campaign_id, newcomers.customer_group_id

    cid, newcomers = threaded_server.do(seed)
    result = sync_client.reruns.initiate(cid, newcomers, extra_headers={"x-trace": "r"})
    assert result.run_number == 2 and result.archived_count == 6
    assert threaded_server.requests("/v1/campaign/rerun/initiate")[0].json == {
        "campaign_id": cid,
        "new_customer_group_id": newcomers,
    }
    sync_client.campaigns.wait_for_status(
        cid, CampaignStatus.READY_FOR_REVIEW, timeout=5, poll_interval=0.01
    )
    history = sync_client.reruns.history(cid)
    assert [r.status for r in history.runs] == [RunStatus.ACTIVE, RunStatus.ARCHIVED]
    page = sync_client.reruns.get_messages(cid, run_number=1, page=1, page_size=4)
    assert len(page.messages) == 4
    current = sync_client.reruns.list_messages(cid, page_size=3).collect()
    assert len(current) == 4 and {m.run_number for m in current} == {2}
    old = list(sync_client.reruns.list_messages(cid, run_number=1, page_size=4, concurrency=2))
    assert len(old) == 6 and all(m.archived for m in old)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.reruns.initiate("cmp1", ""), "new_customer_group_id"),
        (lambda c: c.reruns.get_messages("cmp1", page=0), "page"),
        (lambda c: c.reruns.history(" "), "campaign_id"),
    ],
)
def test_rerun_calls_validate_before_io(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, call: Any, argument: str
) -> None:
    """Empty ids and out-of-range pages raise RequestValidationError; nothing is sent."""
    assert_refused_before_io(threaded_server, sync_client, call, argument)
