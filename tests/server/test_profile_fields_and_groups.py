"""Contract §3-4: profile field definitions (/v1/cpf) and customer groups (/v1/cg)."""

from __future__ import annotations

import pytest

from nudgescribe_async._contract import DATE_FORMATS
from nudgescribe_async.testing import ReferenceServer, SeedError
from tests._support.raw_api import Api
from tests._support.worlds import ContractWorld


@pytest.fixture
def wid(contract_server: ReferenceServer) -> str:
    """An empty workspace id."""
    return contract_server.seed_workspace("Fields").workspace_id


@pytest.mark.parametrize(
    ("field_type", "field_format", "stored"),
    [
        ("string", "ignored", None),
        ("number", None, None),
        ("char", None, None),
        ("Date", "MMM dd, yyyy", "MMM dd, yyyy"),
        ("currency", "AED", "AED"),
    ],
)
async def test_create_field_of_each_type(
    raw_api: Api, wid: str, field_type: str, field_format: str | None, stored: str | None
) -> None:
    """PUT /v1/cpf creates each type; field_format is kept for Date/currency, null otherwise."""
    body = await raw_api.ok(
        "PUT",
        "/v1/cpf",
        {
            "workspace_id": wid,
            "field_name": "f1",
            "field_type": field_type,
            "field_format": field_format,
            "is_unique": True,
        },
    )
    field = body["field"]
    assert field["field_type"] == field_type and field["field_format"] == stored
    assert field["is_unique"] is True and field["is_required"] is False
    assert field["workspace_id"] == wid and field["field_id"] and field["created_at"].endswith("Z")
    assert field["display_name"]


@pytest.mark.parametrize("fmt", DATE_FORMATS)
async def test_every_published_date_format_is_accepted(raw_api: Api, wid: str, fmt: str) -> None:
    """All 14 published date formats are valid Date field formats."""
    await raw_api.ok(
        "PUT",
        "/v1/cpf",
        {"workspace_id": wid, "field_name": "d", "field_type": "Date", "field_format": fmt},
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"field_name": "d", "field_type": "Date"}, 400),
        ({"field_name": "d", "field_type": "Date", "field_format": "yyyy-dd-MM"}, 400),
        ({"field_name": "c", "field_type": "currency"}, 400),
        ({"field_name": "c", "field_type": "currency", "field_format": "usd"}, 400),
        ({"field_name": "Bad-Name", "field_type": "string"}, 400),
        ({"field_name": "x" * 64, "field_type": "string"}, 400),
        ({"field_name": "n", "field_type": "date"}, 400),
        ({"field_name": "n", "field_type": "string", "is_unique": "yes"}, 400),
        ({"field_type": "string"}, 401),
        ({"field_name": "n"}, 401),
    ],
)
async def test_create_field_rejections(
    raw_api: Api, wid: str, body: dict[str, object], status: int
) -> None:
    """Bad names, types and formats -> 400; missing required keys -> 401."""
    reply = await raw_api.call("PUT", "/v1/cpf", {"workspace_id": wid, **body})
    assert reply.status == status, reply.body


async def test_duplicate_field_name_conflicts_and_unknown_workspace(raw_api: Api, wid: str) -> None:
    """A second field with the same name -> 409; an unknown workspace -> 404 on create."""
    body = {"workspace_id": wid, "field_name": "email", "field_type": "string"}
    await raw_api.ok("PUT", "/v1/cpf", body)
    assert (await raw_api.call("PUT", "/v1/cpf", body)).status == 409
    unknown = await raw_api.call("PUT", "/v1/cpf", {**body, "workspace_id": "nope"})
    assert unknown.status == 404


async def test_list_fields_and_invalid_workspace_is_401(
    raw_api: Api, contract_world: ContractWorld
) -> None:
    """POST /v1/cpf lists a workspace's fields; an unknown workspace is 401 "Invalid Workspace"."""
    body = await raw_api.ok("POST", "/v1/cpf", {"workspace_id": contract_world.workspace_id})
    assert body["workspace_id"] == contract_world.workspace_id
    assert [f["field_name"] for f in body["fields"]][:3] == ["email", "first_name", "tier"]
    unknown = "00000000-0000-4000-8000-000000000000"
    reply = await raw_api.call("POST", "/v1/cpf", {"workspace_id": unknown})
    assert reply.status == 401 and reply.body["message"] == "Invalid Workspace"


async def test_update_several_fields_keeps_customer_data(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """PATCH /v1/cpf updates several fields at once; stored customer values are kept."""
    fields = (await raw_api.ok("POST", "/v1/cpf", {"workspace_id": contract_world.workspace_id}))[
        "fields"
    ]
    by_name = {f["field_name"]: f for f in fields}
    body = await raw_api.ok(
        "PATCH",
        "/v1/cpf",
        {
            "workspace_id": contract_world.workspace_id,
            "fields": [
                {
                    "field_id": by_name["tier"]["field_id"],
                    "display_name": "Loyalty tier",
                    "is_required": True,
                },
                {"field_id": by_name["joined"]["field_id"], "field_format": "yyyy-MM-dd"},
            ],
        },
    )
    assert body["fields"][0]["display_name"] == "Loyalty tier"
    assert body["fields"][0]["is_required"] is True
    assert body["fields"][1]["field_format"] == "yyyy-MM-dd"
    customer = next(iter(contract_server.state.groups[contract_world.group_id].customers.values()))
    assert customer.profile["tier"] and customer.profile["joined"]


async def test_update_fields_is_atomic(raw_api: Api, contract_world: ContractWorld) -> None:
    """An unknown field id -> 404 and no field changes; a bad format -> 400; no id -> 401."""
    fields = (await raw_api.ok("POST", "/v1/cpf", {"workspace_id": contract_world.workspace_id}))[
        "fields"
    ]
    tier = next(f for f in fields if f["field_name"] == "tier")
    joined = next(f for f in fields if f["field_name"] == "joined")
    reply = await raw_api.call(
        "PATCH",
        "/v1/cpf",
        {
            "workspace_id": contract_world.workspace_id,
            "fields": [
                {"field_id": tier["field_id"], "display_name": "Changed"},
                {"field_id": "missing"},
            ],
        },
    )
    assert reply.status == 404
    after = (await raw_api.ok("POST", "/v1/cpf", {"workspace_id": contract_world.workspace_id}))[
        "fields"
    ]
    assert next(f for f in after if f["field_name"] == "tier")["display_name"] != "Changed"
    bad = await raw_api.call(
        "PATCH",
        "/v1/cpf",
        {
            "workspace_id": contract_world.workspace_id,
            "fields": [{"field_id": joined["field_id"], "field_format": "not a format"}],
        },
    )
    assert bad.status == 400
    no_id = await raw_api.call(
        "PATCH",
        "/v1/cpf",
        {"workspace_id": contract_world.workspace_id, "fields": [{"display_name": "x"}]},
    )
    assert no_id.status == 401


async def test_delete_fields_removes_their_data(
    raw_api: Api, contract_world: ContractWorld, contract_server: ReferenceServer
) -> None:
    """DELETE /v1/cpf deletes fields and the customer data stored in them; unknown -> 404."""
    fields = (await raw_api.ok("POST", "/v1/cpf", {"workspace_id": contract_world.workspace_id}))[
        "fields"
    ]
    tier = next(f for f in fields if f["field_name"] == "tier")
    unknown = await raw_api.call(
        "DELETE",
        "/v1/cpf",
        {"workspace_id": contract_world.workspace_id, "field_ids": [tier["field_id"], "nope"]},
    )
    assert unknown.status == 404
    body = await raw_api.ok(
        "DELETE",
        "/v1/cpf",
        {"workspace_id": contract_world.workspace_id, "field_ids": [tier["field_id"]]},
    )
    assert body["deleted_count"] == 1
    assert all(
        "tier" not in c.profile
        for c in contract_server.state.groups[contract_world.group_id].customers.values()
    )
    page = await raw_api.ok(
        "POST", "/v1/customer", {"customer_group_id": contract_world.group_id, "page": 1}
    )
    assert "tier" not in page["customers"][0]["profile"]
    assert (
        await raw_api.call("DELETE", "/v1/cpf", {"workspace_id": contract_world.workspace_id})
    ).status == 401


async def test_group_lifecycle(raw_api: Api, wid: str) -> None:
    """PUT/POST/PATCH/DELETE /v1/cg create, list, update and delete a group."""
    created = (
        await raw_api.ok(
            "PUT", "/v1/cg", {"workspace_id": wid, "name": "Leads", "description": "From the fair"}
        )
    )["customer_group"]
    assert created["customer_count"] == 0 and created["description"] == "From the fair"
    gid = created["customer_group_id"]
    listed = await raw_api.ok("POST", "/v1/cg", {"workspace_id": wid})
    assert [g["customer_group_id"] for g in listed["customer_groups"]] == [gid]
    updated = await raw_api.ok(
        "PATCH", "/v1/cg", {"customer_group_id": gid, "name": "Hot leads", "description": None}
    )
    assert updated["customer_group"]["name"] == "Hot leads"
    assert updated["customer_group"]["description"] is None
    deleted = await raw_api.ok("DELETE", "/v1/cg", {"customer_group_id": gid})
    assert deleted["message"]
    assert (await raw_api.call("DELETE", "/v1/cg", {"customer_group_id": gid})).status == 404
    assert (await raw_api.ok("POST", "/v1/cg", {"workspace_id": wid}))["customer_groups"] == []


async def test_group_rules(raw_api: Api, wid: str) -> None:
    """Duplicate names -> 409 (create and rename); missing fields -> 401; unknown -> 404."""
    first = (await raw_api.ok("PUT", "/v1/cg", {"workspace_id": wid, "name": "A"}))[
        "customer_group"
    ]
    await raw_api.ok("PUT", "/v1/cg", {"workspace_id": wid, "name": "B"})
    assert (await raw_api.call("PUT", "/v1/cg", {"workspace_id": wid, "name": "A"})).status == 409
    rename = await raw_api.call(
        "PATCH", "/v1/cg", {"customer_group_id": first["customer_group_id"], "name": "B"}
    )
    assert rename.status == 409
    assert (await raw_api.call("PUT", "/v1/cg", {"workspace_id": wid})).status == 401
    assert (await raw_api.call("PATCH", "/v1/cg", {"name": "x"})).status == 401
    assert (await raw_api.call("PATCH", "/v1/cg", {"customer_group_id": "nope"})).status == 404
    assert (await raw_api.call("POST", "/v1/cg", {"workspace_id": "nope"})).status == 404
    assert (await raw_api.call("PUT", "/v1/cg", {"workspace_id": wid, "name": 5})).status == 400


async def test_customer_count_follows_uploads_and_deletes(
    raw_api: Api, contract_world: ContractWorld
) -> None:
    """customer_count reflects uploads (created only, not updates) and deletes."""

    async def count() -> int:
        groups = await raw_api.ok("POST", "/v1/cg", {"workspace_id": contract_world.workspace_id})
        return int(
            next(
                g["customer_count"]
                for g in groups["customer_groups"]
                if g["customer_group_id"] == contract_world.group_id
            )
        )

    assert await count() == 10
    rows = [
        {"email": "customer0000000@example.test", "first_name": "Again"},
        {"email": "new@example.test"},
    ]
    await raw_api.ok(
        "POST",
        "/v1/customer/check",
        {
            "workspace_id": contract_world.workspace_id,
            "customer_group_id": contract_world.group_id,
            "unique_field": "email",
            "customers": rows,
        },
    )
    assert await count() == 11
    page = await raw_api.ok(
        "POST", "/v1/customer", {"customer_group_id": contract_world.group_id, "page": 1}
    )
    ids = [c["customer_id"] for c in page["customers"][:3]]
    await raw_api.ok(
        "DELETE",
        "/v1/customer",
        {"customer_group_id": contract_world.group_id, "customer_ids": ids},
    )
    assert await count() == 8


def test_seed_controls_apply_api_rules(contract_server: ReferenceServer) -> None:
    """Seeding a bad field or duplicate group raises SeedError instead of corrupting state."""
    wid = contract_server.seed_workspace("S").workspace_id
    with pytest.raises(SeedError):
        contract_server.seed_profile_field(wid, "d", "Date")
    contract_server.seed_group(wid, "G")
    with pytest.raises(SeedError):
        contract_server.seed_group(wid, "G")
