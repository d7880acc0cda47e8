"""The endpoint table: every call the SDK makes is a documented endpoint that states whether a
retry is safe, and a create is never sent twice."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses
from yarl import URL

import nudgescribe_async
import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe, _endpoints
from nudgescribe_async._endpoints import ENDPOINTS, Endpoint, endpoint_for, is_idempotent
from tests._support.credentials import TEST_BASE_URL, auth_payload

PACKAGE = Path(nudgescribe_async.__file__).parent
OPENAPI = json.loads((PACKAGE / "openapi.json").read_text(encoding="utf-8"))
CONTRACT = (PACKAGE.parent / "docs" / "contract.md").read_text(encoding="utf-8")
AUTH_URL = f"{TEST_BASE_URL}/v1/auth"

DOCUMENTED = {
    (method.upper(), path)
    for path, operations in OPENAPI["paths"].items()
    for method in operations
    if method in {"get", "put", "post", "patch", "delete"}
}
#: The calls that create or trigger something (contract: PUT creates, upload, publish, initiate).
NOT_IDEMPOTENT = {
    ("PUT", "/v1/cpf"),
    ("PUT", "/v1/cg"),
    ("POST", "/v1/customer/check"),
    ("POST", "/v1/messages/publish"),
    ("POST", "/v1/campaign/rerun/initiate"),
}


def test_every_endpoint_is_documented_and_every_documented_operation_is_listed() -> None:
    """The table and the OpenAPI document name the same operations, each in docs/contract.md."""
    table = {(e.method, e.path) for e in ENDPOINTS}
    assert len(table) == len(ENDPOINTS)  # no route twice
    assert table == DOCUMENTED
    for endpoint in ENDPOINTS:
        assert f"`{endpoint.method} {endpoint.path}`" in CONTRACT, endpoint


def test_the_table_lists_every_endpoint_constant() -> None:
    """No Endpoint constant of the module is left out of ENDPOINTS."""
    constants = {v for v in vars(_endpoints).values() if isinstance(v, Endpoint)}
    assert constants == set(ENDPOINTS)


def test_idempotency_is_a_required_part_of_an_endpoint() -> None:
    """An endpoint cannot be defined without saying whether a retry is safe."""
    with pytest.raises(TypeError, match="idempotent"):
        Endpoint("POST", "/v1/new")  # type: ignore[call-arg]


def test_exactly_the_creates_and_triggers_are_not_idempotent() -> None:
    """PUT creates, upload, publish and rerun initiate are the table's non-idempotent calls."""
    assert {(e.method, e.path) for e in ENDPOINTS if not e.idempotent} == NOT_IDEMPOTENT


def test_only_the_table_defines_endpoints() -> None:
    """No SDK module outside _endpoints.py builds its own Endpoint (the table is the one place)."""
    builders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "_endpoints.py"
        and re.search(r"\bEndpoint\(", path.read_text(encoding="utf-8"))
    ]
    assert builders == []


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/v1/customer/pages", True),
        ("PUT", "/v1/cg", False),
        ("post", "v1/messages/publish/", False),
        ("POST", "/v1/not-in-the-sdk", True),
        ("PUT", "/v1/not-in-the-sdk", False),
        ("GET", "/v1/not-in-the-sdk", True),
        ("DELETE", "/v1/not-in-the-sdk", True),
    ],
)
def test_unknown_routes_fall_back_to_the_method_rule(
    method: str, path: str, expected: bool
) -> None:
    """A known route answers from the table; an unknown one is idempotent unless it is a PUT."""
    assert is_idempotent(method, path) is expected


def test_an_explicit_idempotent_overrides_the_table() -> None:
    """client.request(idempotent=...) wins over the table, for this call only."""
    assert endpoint_for("PUT", "/v1/cg", True).idempotent is True
    assert endpoint_for("POST", "/v1/cg", False).idempotent is False
    assert endpoint_for("POST", "/v1/cg") is _endpoints.CUSTOMER_GROUP_LIST


Create = Callable[[AsyncNudgescribe], Awaitable[Any]]

CREATES: list[tuple[str, str, Create]] = [
    ("PUT", "/v1/cpf", lambda c: c.profile_fields.create("ws_1", "nick", "string")),
    ("PUT", "/v1/cg", lambda c: c.customer_groups.create("ws_1", "VIP")),
    (
        "POST",
        "/v1/customer/check",
        lambda c: c.customers.upload(
            "ws_1", "cg_1", unique_field="email", customers=[{"email": "a@example.com"}]
        ),
    ),
    (
        "POST",
        "/v1/customer/check",
        lambda c: c.customers.upload("ws_1", "cg_1", unique_field="email", file=b"email\na@b.c\n"),
    ),
    ("POST", "/v1/messages/publish", lambda c: c.messages.publish("cmp_1")),
    ("POST", "/v1/campaign/rerun/initiate", lambda c: c.reruns.initiate("cmp_1", "cg_2")),
]


@pytest.mark.parametrize(("method", "path", "call"), CREATES)
async def test_a_create_is_not_retried_on_503(
    mock_api: aioresponses,
    mock_client: AsyncNudgescribe,
    no_backoff: None,
    method: str,
    path: str,
    call: Create,
) -> None:
    """Each non-idempotent resource call raises on its first 503: it is sent once."""
    url = f"{TEST_BASE_URL}{path}"
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.add(url, method, status=503, payload={"success": False}, repeat=True)
    with pytest.raises(ns.ServerError):
        await call(mock_client)
    assert len(mock_api.requests[(method, URL(url))]) == 1


async def test_a_read_of_the_same_path_is_retried_on_503(
    mock_api: aioresponses, mock_client: AsyncNudgescribe, no_backoff: None
) -> None:
    """The list call of /v1/cg (a POST that reads) is retried where the PUT create is not."""
    url = f"{TEST_BASE_URL}/v1/cg"
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.post(url, status=503, payload={"success": False}, repeat=True)
    with pytest.raises(ns.ServerError):
        await mock_client.customer_groups.list("ws_1")
    assert len(mock_api.requests[("POST", URL(url))]) == 3


@pytest.mark.parametrize(
    ("method", "idempotent", "attempts"),
    [("PUT", None, 1), ("POST", None, 3), ("PUT", True, 3), ("POST", False, 1)],
)
async def test_the_escape_hatch_on_an_unknown_route(
    mock_api: aioresponses,
    mock_client: AsyncNudgescribe,
    no_backoff: None,
    method: str,
    idempotent: bool | None,
    attempts: int,
) -> None:
    """client.request on a route the SDK does not know: the method rule, or the caller's word."""
    url = f"{TEST_BASE_URL}/v1/not-in-the-sdk"
    mock_api.post(AUTH_URL, payload=auth_payload())
    mock_api.add(url, method, status=503, payload={"success": False}, repeat=True)
    with pytest.raises(ns.ServerError):
        await mock_client.request(method, "/v1/not-in-the-sdk", json={}, idempotent=idempotent)
    assert len(mock_api.requests[(method, URL(url))]) == attempts
