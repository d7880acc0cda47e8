"""Bad input of any kind is a RequestValidationError before any I/O, authentication included."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.models import FieldUpdate
from nudgescribe_async.testing import ReferenceServer

Call = Callable[[AsyncNudgescribe], Awaitable[Any]]


@pytest.fixture
async def validation_server() -> AsyncIterator[ReferenceServer]:
    """A reference server with one workspace."""
    async with ReferenceServer() as srv:
        yield srv


def _selfish() -> dict[str, Any]:
    loop: dict[str, Any] = {}
    loop["me"] = loop
    return loop


def _cg(extra: dict[str, Any]) -> Call:
    return lambda c: c.customer_groups.list("ws_1", **extra)


def _upload(record: dict[Any, Any]) -> Call:
    return lambda c: c.customers.upload("ws_1", "cg_1", unique_field="email", customers=[record])


def _update(item: Any) -> Call:
    return lambda c: c.profile_fields.update("ws_1", [item])


BAD_CALLS: dict[str, Call] = {
    # values the JSON encoder cannot or must not send, wherever they come from
    "extra_body object": _cg({"extra_body": {"x": object()}}),
    "extra_body set": _cg({"extra_body": {"x": {1, 2}}}),
    "extra_body NaN Decimal": _cg({"extra_body": {"x": Decimal("NaN")}}),
    "extra_body int > 64 bits": _cg({"extra_body": {"x": 2**64}}),
    "extra_body non-str key": _cg({"extra_body": {"x": {1: "a"}}}),
    "extra_body lone surrogate": _cg({"extra_body": {"x": "\ud800"}}),
    "extra_body NaN": _cg({"extra_body": {"x": float("nan")}}),
    "extra_body inf": _cg({"extra_body": {"x": float("-inf")}}),
    "extra_body bytes": _cg({"extra_body": {"x": b"raw"}}),
    "extra_body contains itself": _cg({"extra_body": _selfish()}),
    "extra_body not a mapping": _cg({"extra_body": [("x", 1)]}),
    "upload bytes": _upload({"email": b"ada@example.com"}),
    "upload NaN": _upload({"email": "a@b.c", "age": float("nan")}),
    "upload surrogate": _upload({"email": "\udcff@b.c"}),
    "upload huge int": _upload({"email": "a@b.c", "age": 2**70}),
    "upload non-str key": _upload({1: "a@b.c"}),
    "model NaN": _update(FieldUpdate(field_id="f1", display_name=float("nan"))),  # type: ignore[arg-type]
    "model bytes": _update(FieldUpdate(field_id="f1", display_name=b"Name")),  # type: ignore[arg-type]
    "update is_required='yes'": _update({"field_id": "f1", "is_required": "yes"}),
    "update unknown field_format": _update({"field_id": "f1", "field_format": "bogus"}),
    # headers
    "header value int": _cg({"extra_headers": {"x-n": 1}}),
    "header CR/LF injection": _cg({"extra_headers": {"x-n": "a\r\nx-evil: 1"}}),
    "header NUL": _cg({"extra_headers": {"x-n": "a\x00"}}),
    "header other control character": _cg({"extra_headers": {"x-n": "a\x1fb"}}),
    "header DEL": _cg({"extra_headers": {"x-n": "a\x7f"}}),
    "header name with space": _cg({"extra_headers": {"bad name": "v"}}),
    "header name not str": _cg({"extra_headers": {1: "v"}}),
    "headers not a mapping": _cg({"extra_headers": "x-n: 1"}),
    # numbers beyond 64 bits and timeouts no timer can hold
    "page beyond 64 bits": lambda c: c.customers.get_page("cg_1", 2**64),
    "run_number beyond 64 bits": lambda c: c.reruns.get_messages("c1", run_number=2**64),
    "export page beyond 64 bits": lambda c: c.messages.fetch("c1", 2**70),
    "timeout inf": _cg({"timeout": float("inf")}),
    "timeout huge": _cg({"timeout": 1e300}),
    "timeout negative": _cg({"timeout": -1}),
    "ClientTimeout inf": _cg({"timeout": aiohttp.ClientTimeout(total=float("inf"))}),
    # the escape hatch
    "request method not str": lambda c: c.request(1, "/v1/cg"),  # type: ignore[arg-type]
    "request path not str": lambda c: c.request("POST", 1),  # type: ignore[arg-type]
    "request method with space": lambda c: c.request("GE T", "/v1/cg"),
    "request method with CRLF": lambda c: c.request("GET\r\nX: 1", "/v1/cg"),
    "request json NaN": lambda c: c.request("POST", "/v1/cg", json={"x": float("nan")}),
    # files
    "file path with NUL": lambda c: c.customers.upload(
        "ws_1", "cg_1", unique_field="email", file="customers\x00.csv"
    ),
}


@pytest.mark.parametrize("name", BAD_CALLS)
async def test_bad_input_is_refused_before_any_request(
    validation_server: ReferenceServer, name: str
) -> None:
    """Each bad call raises RequestValidationError and the server sees nothing, not even auth."""
    async with AsyncNudgescribe(**validation_server.client_kwargs()) as client:
        with pytest.raises(ns.RequestValidationError):
            await BAD_CALLS[name](client)
    assert validation_server.requests == []


async def test_decimal_is_sent_as_its_exact_decimal_text(
    validation_server: ReferenceServer,
) -> None:
    """A Decimal amount goes on the wire as its exact plain-notation string, never a float."""
    ws = validation_server.seed_workspace("Shop")
    async with AsyncNudgescribe(**validation_server.client_kwargs()) as client:
        await client.customer_groups.list(
            ws.workspace_id, extra_body={"amount": Decimal("12.50"), "big": Decimal("1E+3")}
        )
    sent = validation_server.requests[-1].json
    assert sent is not None
    assert sent["amount"] == "12.50" and sent["big"] == "1000"


async def test_client_level_unbounded_timeout_is_a_configuration_error() -> None:
    """An infinite or huge client timeout or deadline is refused when the client is built."""
    for bad in (
        {"timeout": float("inf")},
        {"timeout": 1e300},
        {"deadline": float("inf")},
        {"deadline": 0},
        {"max_response_bytes": 0},
    ):
        with pytest.raises(ns.ConfigurationError):
            AsyncNudgescribe(api_key="k", email="e", api_secret="s", api_code="c", **bad)
