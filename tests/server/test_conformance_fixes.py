"""What schemathesis found in the reference server: malformed input is a 4xx, never a 500."""

from __future__ import annotations

import pytest

from tests._support.raw_api import Api
from tests._support.worlds import ContractWorld

UPLOAD = "/v1/customer/check"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"abc"),
        ("multipart/form-data; boundary=xyz", b"no starting boundary"),
        ("multipart/form-data; boundary=xyz", b"--xyz\r\ngarbage\r\n--xyz--\r\n"),
        (
            "multipart/form-data; boundary=xyz",
            b"--xyz\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--xyz--\r\n",
        ),
    ],
    ids=["no boundary", "no starting boundary", "bad part header", "part without name"],
)
async def test_malformed_multipart_upload_is_400(
    raw_api: Api, content_type: str, body: bytes
) -> None:
    """A body aiohttp cannot read as multipart answers 400 malformed_multipart, not 500."""
    reply = await raw_api.raw(
        "POST", UPLOAD, data=body, headers=raw_api.headers(**{"Content-Type": content_type})
    )
    assert reply.status == 400, reply.body
    assert reply.body["error_code"] == "malformed_multipart"


async def test_integer_beyond_json_range_is_400(
    raw_api: Api, contract_world: ContractWorld
) -> None:
    """A page number too large to echo answers 400 naming the field, not 500."""
    reply = await raw_api.call(
        "POST", "/v1/customer", {"customer_group_id": contract_world.group_id, "page": 10**30}
    )
    assert reply.status == 400 and reply.body["errors"][0]["field"] == "page"
    edge = await raw_api.call(
        "POST", "/v1/customer", {"customer_group_id": contract_world.group_id, "page": 2**53 - 1}
    )
    assert edge.status == 200 and edge.body["customers"] == []


async def test_integral_float_counts_as_an_integer(
    raw_api: Api, contract_world: ContractWorld
) -> None:
    """``2.0`` is an integer in JSON Schema, so the server accepts it (and ``2.5`` is 400)."""
    body = await raw_api.ok(
        "POST",
        "/v1/customer/pages",
        {"customer_group_id": contract_world.group_id, "page_size": 4.0},
    )
    assert body["page_size"] == 4 and body["total_pages"] == 3
    half = await raw_api.call(
        "POST",
        "/v1/customer/pages",
        {"customer_group_id": contract_world.group_id, "page_size": 2.5},
    )
    assert half.status == 400


async def test_json_null_body_is_400_but_an_empty_body_is_fine(raw_api: Api) -> None:
    """``null`` is not a JSON object (400); no body at all reads as ``{}``."""
    null = await raw_api.raw(
        "POST",
        "/v1/campaign/all",
        data=b"null",
        headers=raw_api.headers(**{"Content-Type": "application/json"}),
    )
    assert null.status == 400 and null.body["error_code"] == "malformed_json"
    empty = await raw_api.raw("POST", "/v1/campaign/all", headers=raw_api.headers())
    assert empty.status == 200


async def test_unsupported_method_is_405_with_allow(raw_api: Api) -> None:
    """A method the path does not serve answers 405 with the Allow header (RFC 9110)."""
    reply = await raw_api.raw("TRACE", "/v1/cpf", headers=raw_api.headers())
    assert reply.status == 405 and reply.body["error_code"] == "method_not_allowed"
    assert set(reply.headers["Allow"].split(",")) >= {"PUT", "POST", "PATCH", "DELETE"}
