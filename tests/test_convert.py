"""The converter: contract-shaped JSON round trips, tolerance, error paths, request items."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson
import pytest

from nudgescribe_async import NOT_GIVEN, ResponseDecodeError
from nudgescribe_async._convert import (
    converter,
    loads,
    structure_response,
    unstructure_request,
)
from nudgescribe_async.models import (
    CampaignList,
    CampaignStatus,
    CsvExport,
    CustomerGroup,
    CustomerGroupList,
    CustomerPage,
    CustomerPageCount,
    DateFormat,
    DeleteResult,
    ExportFormat,
    FieldType,
    FieldUpdate,
    JsonExport,
    MessagePageCount,
    ProfileField,
    ProfileFieldList,
    PublishResult,
    RerunResult,
    RunHistory,
    RunMessagePage,
    RunStatus,
    TokenResponse,
    UploadResult,
    UrlExport,
)

TS = "2026-01-02T03:04:05Z"
FIELD = {
    "field_id": "f1",
    "workspace_id": "w1",
    "field_name": "signup",
    "display_name": "Signup",
    "field_type": "Date",
    "field_format": "dd/MM/yyyy",
    "is_required": True,
    "is_unique": False,
    "created_at": TS,
    "updated_at": TS,
}
GROUP = {
    "customer_group_id": "g1",
    "workspace_id": "w1",
    "name": "VIP",
    "description": None,
    "customer_count": 2,
    "created_at": TS,
    "updated_at": TS,
}
CUSTOMER = {
    "customer_id": "c1",
    "unique_value": "a@example.com",
    "profile": {"email": "enc:1", "city": "enc:2"},
    "created_at": TS,
    "updated_at": TS,
}
CAMPAIGN = {
    "campaign_id": "k1",
    "workspace_id": "w1",
    "name": "Spring",
    "status": "Published",
    "customer_group_id": "g1",
    "run_number": 2,
    "published_at": TS,
    "created_at": TS,
    "updated_at": TS,
}
EXPORTED = {
    "message_id": "m1",
    "customer_id": "c1",
    "segment_id": "s1",
    "subject": "Hi",
    "content": "Hello",
    "run_number": 1,
    "published_at": TS,
}
SUMMARY = {
    "total_count": 3,
    "published_count": 3,
    "archived_count": 0,
    "matched_count": 1,
    "new_count": 1,
    "orphaned_count": 0,
}
RUN = {
    "rerun_id": None,
    "run_number": 1,
    "customer_group_id": "g1",
    "customer_group_name": "VIP",
    "segment_count": 2,
    "status": "Active",
    "created_at": TS,
    "synthesized": True,
    "message_summary": SUMMARY,
}
RUN_MESSAGE = {
    "message_id": "m1",
    "run_number": 1,
    "customer_id": "c1",
    "segment": {"segment_id": "s1", "name": "Dubai"},
    "content": "Hello",
    "review_status": "approved",
    "approval_stage": "final",
    "archived": False,
    "created_at": TS,
}

# Contract-shaped success bodies (envelope included), one per response model.
BODIES: list[tuple[type[Any], dict[str, Any]]] = [
    (
        TokenResponse,
        {
            "access_token": "a.b.c",
            "refresh_token": "d.e.f",
            "token_type": "Bearer",
            "expires_in": 1209600,
            "refresh_expires_in": 1296000,
        },
    ),
    (ProfileFieldList, {"workspace_id": "w1", "fields": [FIELD]}),
    (DeleteResult, {"deleted_count": 2}),
    (DeleteResult, {"message": "Customer group deleted"}),
    (CustomerGroupList, {"customer_groups": [GROUP]}),
    (
        UploadResult,
        {
            "valid": False,
            "total_rows": 2,
            "created_count": None,
            "updated_count": None,
            "header_errors": [{"column": "nick", "message": "unknown field"}],
            "row_errors": [{"row": 2, "field": "signup", "message": "bad date"}],
            "queued": False,
            "job_uid": None,
        },
    ),
    (
        CustomerPageCount,
        {"customer_group_id": "g1", "page_size": 100, "total_pages": 3, "total_customers": 250},
    ),
    (CustomerPage, {"page": 1, "page_size": 100, "total_pages": 3, "customers": [CUSTOMER]}),
    (
        CampaignList,
        {"workspaces": [{"workspace_id": "w1", "workspace_name": "Main", "campaigns": [CAMPAIGN]}]},
    ),
    (
        PublishResult,
        {"campaign_id": "k1", "campaign_status": "Published", "job_uid": "j1", "queued": True},
    ),
    (MessagePageCount, {"campaign_id": "k1", "run_number": 1, "total_pages": 2}),
    (CsvExport, {"format": "csv", "page": 1, "content": "message_id\nm1\n"}),
    (JsonExport, {"format": "json", "page": 1, "messages": [EXPORTED]}),
    (UrlExport, {"format": "url", "page": 1, "url": "https://x.test/f", "expires_at": TS}),
    (RunHistory, {"campaign_id": "k1", "runs": [RUN]}),
    (
        RunMessagePage,
        {
            "campaign_id": "k1",
            "run_number": 1,
            "page": 1,
            "total_pages": 1,
            "messages": [RUN_MESSAGE],
        },
    ),
    (
        RerunResult,
        {
            "rerun_id": "r1",
            "run_number": 2,
            "campaign_status": "Ready for review",
            "job_uid": "j2",
            "archived_count": 3,
            "comparison": {"matched_count": 1, "new_count": 1, "orphaned_count": 1},
            "message": "Campaign rerun initiated successfully",
        },
    ),
]


def _ids(item: tuple[type[Any], dict[str, Any]]) -> str:
    return item[0].__name__


@pytest.mark.parametrize(("cls", "payload"), BODIES, ids=[_ids(b) for b in BODIES])
def test_round_trip_every_model(cls: type[Any], payload: dict[str, Any]) -> None:
    """JSON bytes -> model -> JSON bytes -> model gives an equal model and the same keys."""
    raw = orjson.dumps({"success": True, **payload})
    model = structure_response(loads(raw), cls)
    assert model.extra == {}
    again = structure_response(loads(orjson.dumps(converter.unstructure(model))), cls)
    assert again == model
    assert converter.unstructure(model).keys() >= payload.keys()


def test_singular_payload_under_key() -> None:
    """key= structures one nested object (``{"field": {...}}``) and paths start at the root."""
    field = structure_response({"success": True, "field": FIELD}, ProfileField, key="field")
    assert field.field_type is FieldType.DATE
    assert field.field_format is DateFormat.DD_MM_YYYY_SLASH
    group = structure_response({"customer_group": GROUP}, CustomerGroup, key="customer_group")
    assert group.description is None
    with pytest.raises(ResponseDecodeError) as info:
        structure_response({"customer_group": {"name": "x"}}, CustomerGroup, key="customer_group")
    assert info.value.path == "$.customer_group.customer_group_id"
    with pytest.raises(ResponseDecodeError) as info:
        structure_response({"success": True}, CustomerGroup, key="customer_group")
    assert info.value.path == "$.customer_group"


def test_timestamps_are_aware_datetimes() -> None:
    """ISO 8601 with trailing Z or an offset becomes a timezone-aware datetime."""
    page = structure_response(
        {
            "page": 1,
            "customers": [
                {
                    **CUSTOMER,
                    "created_at": "2026-01-02T03:04:05.250Z",
                    "updated_at": "2026-01-02T07:04:05+04:00",
                }
            ],
        },
        CustomerPage,
    )
    customer = page.customers[0]
    assert customer.created_at == datetime(2026, 1, 2, 3, 4, 5, 250000, tzinfo=timezone.utc)
    assert customer.updated_at is not None
    assert customer.updated_at.utcoffset() == timedelta(hours=4)
    assert customer.updated_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def test_unknown_keys_and_status_are_kept() -> None:
    """Unknown keys at every level land in ``extra``; unknown status strings stay strings."""
    body: dict[str, Any] = copy.deepcopy(
        {
            "success": True,
            "message": "ok",
            "trace": {"id": 7},
            "workspaces": [{"workspace_id": "w1", "campaigns": [CAMPAIGN]}],
        }
    )
    body["workspaces"][0]["campaigns"][0].update(status="Exploded", priority=5)
    listing = structure_response(body, CampaignList)
    campaign = listing.workspaces[0].campaigns[0]
    assert campaign.status == "Exploded" and type(campaign.status) is str
    assert campaign.extra == {"priority": 5}
    assert listing.extra == {"message": "ok", "trace": {"id": 7}}
    assert "success" not in listing.extra
    with pytest.raises(TypeError):
        listing.extra["new"] = 1  # type: ignore[index]
    assert converter.unstructure(listing)["workspaces"][0]["campaigns"][0]["priority"] == 5


def test_known_status_any_case_becomes_member() -> None:
    """'Ready to Publish' structures to CampaignStatus.READY_TO_PUBLISH; 'ARCHIVED' to a member."""
    result = structure_response({"campaign_status": "Ready to Publish"}, PublishResult)
    assert result.campaign_status is CampaignStatus.READY_TO_PUBLISH
    history = structure_response({"runs": [{**RUN, "status": "ARCHIVED"}]}, RunHistory)
    assert history.runs[0].status is RunStatus.ARCHIVED
    export = structure_response({"format": "CSV", "content": ""}, CsvExport)
    assert export.format == "CSV" and not isinstance(export.format, ExportFormat)


def test_missing_optional_keys_are_fine() -> None:
    """Only the required keys present: optional attributes are None, flags False, lists empty."""
    page = structure_response({"page": 2, "customers": [{"customer_id": "c9"}]}, CustomerPage)
    assert page.total_pages is None
    customer = page.customers[0]
    assert (customer.profile, customer.created_at, customer.unique_value) == ({}, None, None)
    upload = structure_response({"valid": True, "queued": True, "job_uid": "j"}, UploadResult)
    assert upload.header_errors == [] and upload.created_count is None
    history = structure_response({"runs": [{"run_number": 1}]}, RunHistory)
    assert history.runs[0].message_summary.total_count is None


def _customers(n: int) -> list[dict[str, Any]]:
    return [{**copy.deepcopy(CUSTOMER), "customer_id": f"c{i}"} for i in range(n)]


@pytest.mark.parametrize(
    ("mutate", "path", "reason"),
    [
        (
            lambda b: b["customers"][3].pop("customer_id"),
            "$.customers[3].customer_id",
            "missing required key",
        ),
        (
            lambda b: b["customers"][3].update(customer_id=None),
            "$.customers[3].customer_id",
            "expected string, got null",
        ),
        (
            lambda b: b["customers"][3].update(profile=[]),
            "$.customers[3].profile",
            "expected object, got array",
        ),
        (
            lambda b: b["customers"][3]["profile"].update(city=5),
            "$.customers[3].profile.city",
            "expected string, got integer",
        ),
        (
            lambda b: b["customers"][3].update(created_at="yesterday"),
            "$.customers[3].created_at",
            "Invalid isoformat string",
        ),
        (
            lambda b: b["customers"].__setitem__(3, "c3"),
            "$.customers[3]",
            "expected object, got string",
        ),
        (lambda b: b.update(page="one"), "$.page", "expected integer, got string"),
        (lambda b: b.update(page=True), "$.page", "expected integer, got boolean"),
        (lambda b: b.update(customers={"a": 1}), "$.customers", "expected array, got object"),
    ],
)
def test_wrong_shape_names_the_path(mutate: Any, path: str, reason: str) -> None:
    """A wrong shape raises ResponseDecodeError naming the JSON path and the problem."""
    body: dict[str, Any] = {"success": True, "page": 1, "customers": _customers(5)}
    mutate(body)
    with pytest.raises(ResponseDecodeError) as info:
        structure_response(body, CustomerPage, url="http://127.0.0.1/v1/customer")
    error = info.value
    assert error.path == path
    assert reason in str(error)
    assert error.url == "http://127.0.0.1/v1/customer"
    assert error.excerpt.startswith('{"success":true')
    assert len(error.excerpt) <= 210


def test_top_level_not_an_object() -> None:
    """A JSON array where an object belongs fails at path ``$``."""
    with pytest.raises(ResponseDecodeError) as info:
        structure_response([1, 2], CustomerPage)
    assert info.value.path == "$"


def test_nested_list_error_path() -> None:
    """Errors inside nested models and lists get the full path (workspaces, campaigns)."""
    body = {
        "workspaces": [
            {"workspace_id": "w1", "campaigns": [CAMPAIGN, {**CAMPAIGN, "run_number": 1.5}]}
        ]
    }
    with pytest.raises(ResponseDecodeError) as info:
        structure_response(body, CampaignList)
    assert info.value.path == "$.workspaces[0].campaigns[1].run_number"


def test_error_excerpt_masks_tokens() -> None:
    """A bad token response never puts the token values into the error text."""
    body = {
        "success": True,
        "access_token": "SECRET-ACCESS",
        "refresh_token": "SECRET-REFRESH",
        "expires_in": "soon",
    }
    with pytest.raises(ResponseDecodeError) as info:
        structure_response(body, TokenResponse)
    assert info.value.path == "$.expires_in"
    assert "SECRET" not in str(info.value)


def test_loads_malformed_json() -> None:
    """loads() turns malformed JSON into ResponseDecodeError with an excerpt of the body."""
    with pytest.raises(ResponseDecodeError) as info:
        loads(b"<html>oops</html>", url="http://127.0.0.1/x")
    assert info.value.excerpt.startswith("<html>")
    assert info.value.url == "http://127.0.0.1/x"


def test_unstructure_field_update_drops_not_given() -> None:
    """FieldUpdate sends given attributes only; None is sent as null; enums as values."""
    assert unstructure_request(FieldUpdate(field_id="f1")) == {"field_id": "f1"}
    update = FieldUpdate(
        field_id="f1", display_name=None, field_format=DateFormat.MM_DD_YY_SLASH, is_required=False
    )
    data = unstructure_request(update)
    assert data == {
        "field_id": "f1",
        "display_name": None,
        "field_format": "MM/dd/yy",
        "is_required": False,
    }
    assert type(data["field_format"]) is str


def test_unstructure_mapping_items() -> None:
    """A plain mapping with the same keys works; NOT_GIVEN values are dropped."""
    data = unstructure_request(
        {"field_id": "f1", "display_name": NOT_GIVEN, "field_format": DateFormat.YYYY_MM_DD_DASH}
    )
    assert data == {"field_id": "f1", "field_format": "yyyy-MM-dd"}
    record = {"email": "a@example.com", "age": 3}
    assert unstructure_request(record) == record


def test_unstructure_rejects_other_types() -> None:
    """Non-string keys and non-mapping items raise TypeError."""
    with pytest.raises(TypeError):
        unstructure_request({1: "x"})
    with pytest.raises(TypeError):
        unstructure_request(["field_id"])
