"""Contract §5: customer upload validation (JSON and CSV), upsert, background uploads, paging
and delete."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from nudgescribe_async.testing import ReferenceServer, decrypt_demo_value
from tests._support.raw_api import Api
from tests._support.worlds import ContractWorld

CHECK = "/v1/customer/check"


def upload_body(world: ContractWorld, rows: list[Any], **extra: Any) -> dict[str, Any]:
    """A JSON upload body for the world's populated group."""
    return {
        "workspace_id": world.workspace_id,
        "customer_group_id": world.group_id,
        "unique_field": "email",
        "customers": rows,
        **extra,
    }


async def test_json_upload_creates_and_upserts_by_unique_field(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """New unique values create customers; existing ones update them in place."""
    rows = [
        {"email": "a@example.test", "first_name": "Ann", "age": 41, "balance": "10.5"},
        {"email": "customer0000001@example.test", "tier": "gold"},
    ]
    body = await raw_api.ok("POST", CHECK, upload_body(contract_world, rows))
    assert body["valid"] is True and body["total_rows"] == 2
    assert (body["created_count"], body["updated_count"]) == (1, 1)
    assert body["header_errors"] == [] and body["row_errors"] == []
    assert body["queued"] is False and body["job_uid"] is None
    group = contract_server.state.groups[contract_world.group_id]
    assert len(group.customers) == 11
    updated = group.index("email")["customer0000001@example.test"]
    assert updated.profile["tier"] == "gold" and updated.profile["first_name"]
    assert group.index("email")["a@example.test"].profile["age"] == "41"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"age": "forty"}, "age"),
        ({"age": "NaN"}, "age"),
        ({"initial": "AB"}, "initial"),
        ({"initial": ""}, None),
        ({"joined": "2024-01-31"}, "joined"),
        ({"joined": "31/02/2024"}, "joined"),
        ({"balance": "10.123"}, "balance"),
        ({"balance": "ten"}, "balance"),
        ({"email": ""}, "email"),
        ({"first_name": {"nested": 1}}, "first_name"),
    ],
)
async def test_row_errors_per_field_type(
    raw_api: Api, contract_world: ContractWorld, row: dict[str, Any], field: str | None
) -> None:
    """number/char/Date/currency/required rules produce a row error (or pass when valid)."""
    base = {"email": "x@example.test", **row}
    reply = await raw_api.call(
        "POST", CHECK, upload_body(contract_world, [{"email": "ok@example.test"}, base])
    )
    if field is None:
        assert reply.status == 200
        return
    assert reply.status == 400, reply.body
    assert reply.body["valid"] is False and reply.body["error_code"] == "validation_failed"
    assert [(e["row"], e["field"]) for e in reply.body["row_errors"]] == [(2, field)]


@pytest.mark.parametrize(
    "row",
    [
        {"age": "-12.75"},
        {"age": 3.5},
        {"initial": "Z"},
        {"joined": "29/02/2024"},
        {"balance": "1999"},
        {"balance": "-0.99"},
        {"first_name": None},
    ],
)
async def test_valid_values_per_field_type(
    raw_api: Api, contract_world: ContractWorld, row: dict[str, Any]
) -> None:
    """Decimal numbers, one-char, well-formed dates and 2-place amounts are accepted."""
    reply = await raw_api.call(
        "POST", CHECK, upload_body(contract_world, [{"email": "v@example.test", **row}])
    )
    assert reply.status == 200, reply.body


async def test_header_errors_and_atomic_failure(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """Unknown columns and a missing required column are header errors; nothing is stored."""
    rows = [{"email": "n1@example.test", "favourite": "x"}, {"email": "n2@example.test"}]
    reply = await raw_api.call("POST", CHECK, upload_body(contract_world, rows))
    assert reply.status == 400
    assert reply.body["header_errors"] == [
        {"column": "favourite", "message": "not a defined profile field"}
    ]
    assert reply.body["created_count"] == 0
    assert len(contract_server.state.groups[contract_world.group_id].customers) == 10
    no_email = await raw_api.call("POST", CHECK, upload_body(contract_world, [{"first_name": "A"}]))
    assert {e["column"] for e in no_email.body["header_errors"]} == {"email"}


async def test_unique_field_rules(raw_api: Api, contract_world: ContractWorld) -> None:
    """unique_field must be an is_unique field and its values unique within the upload."""
    not_unique = await raw_api.call(
        "POST",
        CHECK,
        upload_body(
            contract_world, [{"email": "a@example.test", "tier": "x"}], unique_field="tier"
        ),
    )
    assert not_unique.status == 400
    assert not_unique.body["header_errors"][0]["column"] == "tier"
    dupes = await raw_api.call(
        "POST",
        CHECK,
        upload_body(
            contract_world,
            [{"email": "d@example.test"}, {"email": "e@example.test"}, {"email": "d@example.test"}],
        ),
    )
    assert dupes.status == 400
    assert dupes.body["row_errors"] == [
        {"row": 3, "field": "email", "message": "duplicate of row 1"}
    ]


async def test_validate_only_reports_without_storing(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """validate_only -> 200 with valid and errors (or would-be counts), nothing stored."""
    good = await raw_api.ok(
        "POST",
        CHECK,
        upload_body(contract_world, [{"email": "z@example.test"}], validate_only=True),
    )
    assert good["valid"] is True and good["created_count"] == 1
    bad = await raw_api.ok(
        "POST",
        CHECK,
        upload_body(contract_world, [{"email": "z@example.test", "age": "x"}], validate_only=True),
    )
    assert bad["valid"] is False and bad["row_errors"][0]["field"] == "age"
    assert len(contract_server.state.groups[contract_world.group_id].customers) == 10


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"customers": None}, 400),
        ({"file": "a,b"}, 400),
        ({"unique_field": None}, 401),
        ({"workspace_id": None}, 401),
        ({"customer_group_id": "nope"}, 404),
        ({"workspace_id": "nope"}, 404),
        ({"customers": "not a list"}, 400),
        ({"validate_only": "yes"}, 400),
    ],
)
async def test_upload_request_rules(
    raw_api: Api, contract_world: ContractWorld, body: dict[str, Any], status: int
) -> None:
    """Neither/both data forms -> 400; missing fields -> 401; unknown ids -> 404."""
    full = upload_body(contract_world, [{"email": "r@example.test"}])
    full.update(body)
    reply = await raw_api.call("POST", CHECK, {k: v for k, v in full.items() if v is not None})
    assert reply.status == status, reply.body


async def test_group_from_other_workspace_is_404(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """The group must belong to the upload's workspace."""
    other = contract_server.seed_workspace("Other")
    reply = await raw_api.call(
        "POST", CHECK, upload_body(contract_world, [], workspace_id=other.workspace_id)
    )
    assert reply.status == 404


def _form(world: ContractWorld, csv_text: str | bytes, **extra: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("workspace_id", world.workspace_id)
    form.add_field("customer_group_id", world.group_id)
    form.add_field("unique_field", "email")
    for key, value in extra.items():
        form.add_field(key, value)
    form.add_field(
        "file",
        csv_text.encode() if isinstance(csv_text, str) else csv_text,
        filename="customers.csv",
        content_type="text/csv",
    )
    return form


async def test_csv_upload_validates_header_and_rows(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """A multipart CSV upload applies the same rules; row numbers exclude the header."""
    good = "\ufeffemail,first_name,joined\nc1@example.test,Cy,01/02/2020\nc2@example.test,Di,\n"
    reply = await raw_api.raw(
        "POST", CHECK, headers=raw_api.headers(), data=_form(contract_world, good)
    )
    assert reply.status == 200, reply.body
    assert reply.body["created_count"] == 2
    assert contract_server.requests[-1].form == {
        "workspace_id": contract_world.workspace_id,
        "customer_group_id": contract_world.group_id,
        "unique_field": "email",
    }
    bad = "email,colour\nc3@example.test,red\nc4@example.test\n"
    reply = await raw_api.raw(
        "POST", CHECK, headers=raw_api.headers(), data=_form(contract_world, bad)
    )
    assert reply.status == 400
    assert reply.body["header_errors"][0]["column"] == "colour"
    assert reply.body["row_errors"][0]["row"] == 2
    only = await raw_api.raw(
        "POST",
        CHECK,
        headers=raw_api.headers(),
        data=_form(contract_world, "email\nbad-but-fine\n", validate_only="true"),
    )
    assert only.status == 200 and only.body["valid"] is True


async def test_csv_upload_request_rules(raw_api: Api, contract_world: ContractWorld) -> None:
    """File plus customers -> 400; non-UTF-8 -> 400; empty file -> 400; no file -> 400."""
    both = _form(contract_world, "email\na@example.test\n", customers="[]")
    assert (await raw_api.raw("POST", CHECK, headers=raw_api.headers(), data=both)).status == 400
    latin = _form(contract_world, "email\nb\xe9@example.test\n".encode("latin-1"))
    assert (await raw_api.raw("POST", CHECK, headers=raw_api.headers(), data=latin)).status == 400
    assert (
        await raw_api.raw("POST", CHECK, headers=raw_api.headers(), data=_form(contract_world, ""))
    ).status == 400
    form = aiohttp.FormData()
    form.add_field("workspace_id", contract_world.workspace_id)
    form.add_field("customer_group_id", contract_world.group_id)
    form.add_field("unique_field", "email")
    form.add_field("note", b"x", filename="x.txt")
    assert (await raw_api.raw("POST", CHECK, headers=raw_api.headers(), data=form)).status == 400


async def test_large_upload_is_queued_and_applied_by_a_job(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """More than 1000 rows -> queued, job_uid, null counts; customers appear when the job ends."""
    contract_server.set_job_delay(None)
    rows = [{"email": f"bulk{i}@example.test", "age": i} for i in range(1001)]
    body = await raw_api.ok("POST", CHECK, upload_body(contract_world, rows))
    assert body["queued"] is True and body["job_uid"]
    assert body["created_count"] is None and body["updated_count"] is None
    assert len(contract_server.state.groups[contract_world.group_id].customers) == 10
    assert [j.job_uid for j in contract_server.pending_jobs] == [body["job_uid"]]
    assert contract_server.finish_jobs() == 1
    assert len(contract_server.state.groups[contract_world.group_id].customers) == 1011
    small = await raw_api.ok("POST", CHECK, upload_body(contract_world, rows[:1000]))
    assert small["queued"] is False and small["updated_count"] == 1000


async def test_page_count_edges(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """total_pages is ceil(count / page_size): 0 for empty, exact fits, one extra page."""
    empty = await raw_api.ok(
        "POST", "/v1/customer/pages", {"customer_group_id": contract_world.empty_group_id}
    )
    assert (empty["total_pages"], empty["total_customers"], empty["page_size"]) == (0, 0, 100)
    for size, pages in [(10, 1), (5, 2), (3, 4), (1000, 1), (1, 10)]:
        body = await raw_api.ok(
            "POST",
            "/v1/customer/pages",
            {"customer_group_id": contract_world.group_id, "page_size": size},
        )
        assert body["total_pages"] == pages and body["total_customers"] == 10
    for bad in (0, 1001, "10", True):
        reply = await raw_api.call(
            "POST",
            "/v1/customer/pages",
            {"customer_group_id": contract_world.group_id, "page_size": bad},
        )
        assert reply.status == 400
    assert (await raw_api.call("POST", "/v1/customer/pages", {})).status == 401
    missing = await raw_api.call("POST", "/v1/customer/pages", {"customer_group_id": "nope"})
    assert missing.status == 404


async def test_pages_cover_every_customer_once_with_encrypted_profiles(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """Pages partition the group in order; profile values decrypt to what was stored."""
    seen = []
    for page in (1, 2, 3, 4):
        body = await raw_api.ok(
            "POST",
            "/v1/customer",
            {"customer_group_id": contract_world.group_id, "page": page, "page_size": 3},
        )
        assert body["page"] == page and body["page_size"] == 3 and body["total_pages"] == 4
        seen += body["customers"]
    assert len(seen) == 10 and len({c["customer_id"] for c in seen}) == 10
    first = seen[0]
    assert first["unique_value"] == "customer0000000@example.test"
    assert first["profile"]["email"].startswith("enc:v1:")
    key = contract_server.demo_credentials.encryption_key
    assert decrypt_demo_value(key, first["profile"]["email"]) == first["unique_value"]
    assert contract_server.decrypt(first["profile"]["tier"]) == "gold"
    past = await raw_api.ok(
        "POST",
        "/v1/customer",
        {"customer_group_id": contract_world.group_id, "page": 5, "page_size": 3},
    )
    assert past["customers"] == [] and past["total_pages"] == 4


async def test_page_request_rules(raw_api: Api, contract_world: ContractWorld) -> None:
    """page is required (401) and must be >= 1 (400); page_size max 1000."""
    gid = contract_world.group_id
    assert (await raw_api.call("POST", "/v1/customer", {"customer_group_id": gid})).status == 401
    assert (
        await raw_api.call("POST", "/v1/customer", {"customer_group_id": gid, "page": 0})
    ).status == 400
    assert (
        await raw_api.call(
            "POST", "/v1/customer", {"customer_group_id": gid, "page": 1, "page_size": 1001}
        )
    ).status == 400
    assert (
        await raw_api.call("POST", "/v1/customer", {"customer_group_id": "x", "page": 1})
    ).status == 404


async def test_delete_customers_rules(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """DELETE /v1/customer: unknown id -> 404 and nothing deleted; > 1000 ids -> 400."""
    ids = list(contract_server.state.groups[contract_world.group_id].customers)
    gid = contract_world.group_id
    unknown = await raw_api.call(
        "DELETE", "/v1/customer", {"customer_group_id": gid, "customer_ids": [ids[0], "nope"]}
    )
    assert unknown.status == 404
    assert len(contract_server.state.groups[gid].customers) == 10
    too_many = await raw_api.call(
        "DELETE", "/v1/customer", {"customer_group_id": gid, "customer_ids": ["x"] * 1001}
    )
    assert too_many.status == 400
    assert (await raw_api.call("DELETE", "/v1/customer", {"customer_group_id": gid})).status == 401
    body = await raw_api.ok(
        "DELETE", "/v1/customer", {"customer_group_id": gid, "customer_ids": ids[:4]}
    )
    assert body["deleted_count"] == 4
    pages = await raw_api.ok("POST", "/v1/customer/pages", {"customer_group_id": gid})
    assert pages["total_customers"] == 6


def test_bulk_seeding_handles_many_customers(contract_server: ReferenceServer) -> None:
    """seed_customers(count=...) writes synthetic valid rows with distinct unique values."""
    ws = contract_server.seed_workspace("Bulk")
    contract_server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
    contract_server.seed_profile_field(ws.workspace_id, "score", "number")
    group = contract_server.seed_group(ws.workspace_id, "All")
    assert contract_server.seed_customers(group.customer_group_id, count=20_000) == 20_000
    assert len(contract_server.state.groups[group.customer_group_id].customers) == 20_000
