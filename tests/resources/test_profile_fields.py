"""client.profile_fields: wire format (mocked) and end to end (reference server)."""

from __future__ import annotations

from typing import Any

import pytest
from aioresponses import aioresponses

from nudgescribe_async import (
    AsyncNudgescribe,
    ConflictError,
    MissingFieldsError,
    RequestValidationError,
)
from nudgescribe_async.models import DateFormat, FieldType, FieldUpdate, ProfileField
from tests._support.mocked import ok, sent_headers, sent_json, url
from tests._support.worlds import ShopWorld

FIELD = {
    "field_id": "f1",
    "workspace_id": "ws1",
    "field_name": "joined",
    "display_name": "Joined",
    "field_type": "Date",
    "field_format": "dd/MM/yyyy",
    "is_required": False,
    "is_unique": False,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
}


async def test_create_sends_given_keys_extra_body_and_headers(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """create PUTs only given keys, merges extra_body, sends extra_headers, decodes the field."""
    authed_api.put(url("/v1/cpf"), payload=ok(field=FIELD))
    field = await mock_client.profile_fields.create(
        "ws1",
        "joined",
        FieldType.DATE,
        field_format=DateFormat.DD_MM_YYYY_SLASH,
        display_name="Joined",
        extra_body={"source": "sdk"},
        extra_headers={"x-trace": "t1"},
    )
    assert sent_json(authed_api, "PUT", "/v1/cpf") == {
        "workspace_id": "ws1",
        "field_name": "joined",
        "field_type": "Date",
        "display_name": "Joined",
        "field_format": "dd/MM/yyyy",
        "source": "sdk",
    }
    headers = sent_headers(authed_api, "PUT", "/v1/cpf")
    assert headers["x-trace"] == "t1"
    assert headers["Authorization"].startswith("Bearer ")
    assert field.field_type is FieldType.DATE
    assert field.field_format is DateFormat.DD_MM_YYYY_SLASH
    assert field.created_at is not None and field.created_at.year == 2026


async def test_list_update_delete_wire(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """list POSTs the workspace, update PATCHes only given keys, delete sends the ids."""
    authed_api.post(url("/v1/cpf"), payload=ok(workspace_id="ws1", fields=[FIELD]))
    authed_api.patch(url("/v1/cpf"), payload=ok(fields=[{**FIELD, "display_name": None}]))
    authed_api.delete(url("/v1/cpf"), payload=ok(deleted_count=2))
    listed = await mock_client.profile_fields.list("ws1")
    updated = await mock_client.profile_fields.update(
        "ws1",
        [
            FieldUpdate(field_id="f1", display_name=None),
            {"field_id": "f2", "is_required": True},
        ],
    )
    deleted = await mock_client.profile_fields.delete("ws1", ["f1", "f2"])
    assert sent_json(authed_api, "POST", "/v1/cpf") == {"workspace_id": "ws1"}
    assert sent_json(authed_api, "PATCH", "/v1/cpf") == {
        "workspace_id": "ws1",
        "fields": [
            {"field_id": "f1", "display_name": None},
            {"field_id": "f2", "is_required": True},
        ],
    }
    assert sent_json(authed_api, "DELETE", "/v1/cpf") == {
        "workspace_id": "ws1",
        "field_ids": ["f1", "f2"],
    }
    assert [f.field_id for f in listed.fields] == ["f1"]
    assert updated.fields[0].display_name is None
    assert deleted.deleted_count == 2


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"field_type": "Date"}, "field_format"),
        ({"field_type": "Date", "field_format": "YYYY-MM-DD"}, "field_format"),
        ({"field_type": "currency", "field_format": "usd"}, "field_format"),
        ({"field_type": "string", "field_name": "First Name"}, "field_name"),
        ({"field_type": "string", "workspace_id": ""}, "workspace_id"),
    ],
)
async def test_create_rejects_bad_arguments_before_io(
    authed_api: aioresponses, mock_client: AsyncNudgescribe, kwargs: dict[str, Any], argument: str
) -> None:
    """Bad field_format / field_name / ids raise RequestValidationError naming them; no request."""
    args = {"workspace_id": "ws1", "field_name": "joined", **kwargs}
    with pytest.raises(RequestValidationError) as info:
        await mock_client.profile_fields.create(
            args.pop("workspace_id"), args.pop("field_name"), args.pop("field_type"), **args
        )
    assert info.value.argument == argument
    assert authed_api.requests == {}


async def test_profile_fields_end_to_end(
    ref_client: AsyncNudgescribe, ref_world: ShopWorld
) -> None:
    """Create, list, update and delete fields against the reference server."""
    fields = ref_client.profile_fields
    created = await fields.create(
        ref_world.workspace_id, "spend", "currency", field_format="USD", display_name="Spend"
    )
    assert isinstance(created, ProfileField) and created.field_format == "USD"
    with pytest.raises(ConflictError):
        await fields.create(ref_world.workspace_id, "spend", "number")
    names = [f.field_name for f in (await fields.list(ref_world.workspace_id)).fields]
    assert names == ["email", "tier", "joined", "spend"]
    updated = await fields.update(
        ref_world.workspace_id, [FieldUpdate(field_id=created.field_id, display_name="Total spend")]
    )
    assert updated.fields[0].display_name == "Total spend"
    assert (await fields.delete(ref_world.workspace_id, [created.field_id])).deleted_count == 1
    assert "spend" not in [f.field_name for f in (await fields.list(ref_world.workspace_id)).fields]
    with pytest.raises(MissingFieldsError):  # the published 401 "Invalid Workspace"
        await fields.list("no-such-workspace")
