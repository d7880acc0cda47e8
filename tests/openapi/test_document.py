"""The shipped OpenAPI document: valid 3.1, complete, honest about what is published, served."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from openapi_spec_validator import validate

import nudgescribe_async
from nudgescribe_async._errors import (
    AuthenticationError,
    BadRequestError,
    MissingFieldsError,
    QuotaExceededError,
    UploadValidationError,
    error_class_for,
)
from nudgescribe_async.models import UploadResult
from nudgescribe_async.openapi import openapi_bytes, openapi_document, openapi_resource
from nudgescribe_async.testing import ReferenceServer
from tests._support.openapi_doc import (
    DOC,
    PUBLISHED_KEY,
    Operation,
    decode_example,
    operations,
    reachable,
    resolve,
    response_validator,
    unpublished_marks,
)

OPERATIONS = list(operations())
AUTHENTICATED = [op for op in OPERATIONS if op.path != "/v1/auth"]


def _ids(op: Operation) -> str:
    return op.key


def test_document_is_valid_openapi_3_1() -> None:
    """The document passes the OpenAPI 3.1 validator and declares 3.1.0."""
    validate(openapi_document())
    assert DOC["openapi"] == "3.1.0"


def test_document_ships_inside_the_package() -> None:
    """importlib.resources finds openapi.json beside the package's modules; copies are fresh."""
    package_dir = Path(nudgescribe_async.__file__).parent
    assert openapi_resource().is_file()
    assert openapi_bytes() == (package_dir / "openapi.json").read_bytes()
    first = openapi_document()
    first["paths"].clear()
    assert openapi_document()["paths"]


def test_operations_are_the_contract() -> None:
    """The 21 operations of the contract, each with a unique operationId and SDK method."""
    assert sorted(op.key for op in OPERATIONS) == sorted(
        [
            "POST /v1/auth",
            "GET /v1/auth",
            "PUT /v1/cpf",
            "POST /v1/cpf",
            "PATCH /v1/cpf",
            "DELETE /v1/cpf",
            "PUT /v1/cg",
            "POST /v1/cg",
            "PATCH /v1/cg",
            "DELETE /v1/cg",
            "POST /v1/customer/check",
            "POST /v1/customer/pages",
            "POST /v1/customer",
            "DELETE /v1/customer",
            "POST /v1/campaign/all",
            "POST /v1/messages/publish",
            "POST /v1/messages/pages",
            "POST /v1/messages/fetch",
            "POST /v1/campaign/rerun/history",
            "POST /v1/campaign/rerun/messages",
            "POST /v1/campaign/rerun/initiate",
        ]
    )
    assert len({op.spec["operationId"] for op in OPERATIONS}) == len(OPERATIONS)
    assert len({op.sdk_method for op in OPERATIONS}) == len(OPERATIONS)


@pytest.mark.parametrize("op", OPERATIONS, ids=_ids)
def test_every_operation_documents_its_status_codes(op: Operation) -> None:
    """200, 403, 429, 500 and 5XX everywhere; 401 wherever a body has required fields."""
    codes = set(op.spec["responses"])
    assert {"200", "403", "429", "500", "5XX"} <= codes
    body = op.spec.get("requestBody")
    if body is not None:
        assert "400" in codes
        schemas = [resolve(media["schema"]) for media in body["content"].values()]
        if any(schema.get("required") for schema in schemas):
            assert "401" in codes
    for code, response in op.spec["responses"].items():
        assert resolve(response)["description"], (op.key, code)


def test_status_meanings_follow_the_contract() -> None:
    """401 means missing fields, 403 authentication; 404/409/429/5XX are marked unpublished."""
    responses = DOC["components"]["responses"]
    assert "missing" in responses["MissingFields"]["description"].lower()
    assert "not an authentication" in responses["MissingFields"]["description"].lower()
    assert "authentication" in responses["Forbidden"]["description"].lower()
    for name in ("NotFound", "Conflict", "RateLimited", "UpstreamError", "PayloadTooLarge"):
        assert responses[name][PUBLISHED_KEY] is False, name
    for name in ("BadRequest", "MissingFields", "Forbidden", "ServerError"):
        assert PUBLISHED_KEY not in responses[name], name
    assert "Retry-After" in responses["RateLimited"]["headers"]


@pytest.mark.parametrize("op", OPERATIONS, ids=_ids)
def test_security_requirements(op: Operation) -> None:
    """Bearer + x-auth-context + x-ip on every call but /v1/auth (x-api-key / refresh token)."""
    security = op.spec.get("security", DOC["security"])
    expected = {
        "POST /v1/auth": [{"apiKey": []}],
        "GET /v1/auth": [{"refreshToken": []}],
    }.get(op.key, [{"bearerAuth": [], "authContext": [], "clientIp": []}])
    assert security == expected
    schemes = DOC["components"]["securitySchemes"]
    assert (schemes["authContext"]["in"], schemes["authContext"]["name"]) == (
        "header",
        "x-auth-context",
    )
    assert (schemes["clientIp"]["in"], schemes["clientIp"]["name"]) == ("header", "x-ip")
    assert (schemes["apiKey"]["in"], schemes["apiKey"]["name"]) == ("header", "x-api-key")
    assert schemes["bearerAuth"]["scheme"] == schemes["refreshToken"]["scheme"] == "bearer"


def test_upload_takes_json_or_a_multipart_csv_file() -> None:
    """The upload documents both bodies; the multipart one has a CSV file part."""
    op = next(op for op in OPERATIONS if op.key == "POST /v1/customer/check")
    content = op.spec["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    form = resolve(content["multipart/form-data"]["schema"])
    assert "file" in form["required"]
    assert content["multipart/form-data"]["encoding"]["file"]["contentType"] == "text/csv"
    assert content["multipart/form-data"][PUBLISHED_KEY] is False


def test_published_marks_are_only_false() -> None:
    """x-nudgescribe-published appears only as false (absence means published)."""
    marks = list(unpublished_marks(DOC))
    assert len(marks) > 50
    assert {value for _, value in marks} == {False}


def test_the_fully_published_endpoint_carries_no_unpublished_mark() -> None:
    """Initiate Campaign Rerun's request and 200 bodies reach no x-nudgescribe-published."""
    op = next(op for op in OPERATIONS if op.sdk_method == "reruns.initiate")
    nodes = [op.spec["requestBody"], op.spec["responses"]["200"]["content"]]
    for node in reachable(nodes):
        assert not (isinstance(node, dict) and PUBLISHED_KEY in node), node


def test_chosen_shapes_are_marked() -> None:
    """Schemas the contract tags CHOSEN are marked; the published field keys are not."""
    schemas = DOC["components"]["schemas"]
    for name in (
        "TokenResponse",
        "Error",
        "CustomerGroup",
        "UploadResult",
        "Campaign",
        "RunHistory",
        "RunMessagePage",
        "PublishResult",
        "ExportFile",
        "RunStatus",
    ):
        assert schemas[name][PUBLISHED_KEY] is False, name
    field = schemas["ProfileField"]
    assert PUBLISHED_KEY not in field
    published = {k for k, v in field["properties"].items() if PUBLISHED_KEY not in v}
    assert published == {"field_type", "field_format", "created_at", "updated_at"}
    assert schemas["Timestamp"][PUBLISHED_KEY] is False  # the two timestamps via Timestamp
    assert PUBLISHED_KEY in schemas["AuthenticateRequest"]["properties"]["api_secret"]
    assert PUBLISHED_KEY not in schemas["AuthenticateRequest"]["properties"]["email"]
    for name in (
        "FieldType",
        "DateFormat",
        "ExportFormat",
        "Comparison",
        "RerunResult",
        "InitiateRerunRequest",
        "Success",
    ):
        assert PUBLISHED_KEY not in schemas[name], name


def _examples(op: Operation, code: str) -> list[tuple[str, Any]]:
    content = resolve(op.spec["responses"][code]).get("content", {})
    media = content.get("application/json", {})
    return [(name, ex["value"]) for name, ex in media.get("examples", {}).items()]


def _all_examples() -> list[tuple[Operation, str, str, Any]]:
    return [
        (op, code, name, value)
        for op in OPERATIONS
        for code in op.spec["responses"]
        for name, value in _examples(op, code)
    ]


EXAMPLES = _all_examples()


def test_every_operation_has_a_success_example_except_the_bodyless_echoes() -> None:
    """Most 200 responses carry an example; the document holds error examples too."""
    with_200 = {op.key for op, code, _, _ in EXAMPLES if code == "200"}
    assert len(with_200) >= 19
    assert {code for _, code, _, _ in EXAMPLES} >= {"200", "400", "401", "403", "429"}


@pytest.mark.parametrize(
    ("op", "code", "name", "value"),
    EXAMPLES,
    ids=[f"{op.key} {code} {name}" for op, code, name, _ in EXAMPLES],
)
def test_every_example_matches_its_schema_and_decodes_through_the_sdk(
    op: Operation, code: str, name: str, value: Any
) -> None:
    """Examples validate against their schema; 200s decode through the SDK model, errors map."""
    errors = sorted(response_validator(op, code).iter_errors(value), key=str)
    assert not errors, [e.message for e in errors]
    if code == "200":
        model = decode_example(op, value)
        assert set(model.extra) <= {"message"}, model.extra  # the envelope's message
        return
    cls = error_class_for(int(code), value)
    expected: dict[str, type[Exception]] = {
        "400": UploadValidationError if "header_errors" in value else BadRequestError,
        "401": MissingFieldsError,
        "403": AuthenticationError,
        "429": QuotaExceededError,
    }
    assert cls is expected[code]
    if cls is UploadValidationError:
        decoded = decode_upload_findings(value)
        assert decoded.row_errors[0].row == 2


def decode_upload_findings(body: dict[str, Any]) -> UploadResult:
    """The findings of a 400 upload body, through the SDK model (error keys dropped)."""
    from nudgescribe_async._convert import structure_response

    findings = {k: v for k, v in body.items() if k not in ("message", "error_code", "errors")}
    return structure_response(findings, UploadResult)


async def test_reference_server_serves_the_document_with_itself_first() -> None:
    """GET /openapi.json needs no auth and returns the document with the server listed first."""
    async with (
        ReferenceServer() as server,
        aiohttp.ClientSession() as session,
        session.get(f"{server.base_url}/openapi.json") as response,
    ):
        assert response.status == 200
        assert response.content_type == "application/json"
        served = json.loads(await response.read())
    assert served["servers"][0]["url"] == server.base_url
    assert served["servers"][1:] == DOC["servers"]
    assert {**served, "servers": DOC["servers"]} == DOC
