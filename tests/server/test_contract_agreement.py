"""The SDK's client-side checks and the reference server judge inputs by the same contract rules."""

from __future__ import annotations

import pytest

from nudgescribe_async import _contract as contract
from nudgescribe_async.models import is_valid_field_format, is_valid_field_name
from nudgescribe_async.testing import ReferenceServer
from tests._support.raw_api import Api

FIELD_NAMES = ["first_name", "a", "a" * 63, "a" * 64, "First", "1a", "a-b", "abc\n", "é"]
CURRENCY_CODES = ["USD", "EUR", "usd", "US", "USDX", "USD\n", "U5D"]
DATE_FORMATS = [*contract.DATE_FORMATS, "DD/MM/YYYY", "yyyy-mm-dd", "yyyy-MM-dd\n"]


@pytest.fixture
def wid(contract_server: ReferenceServer) -> str:
    """An empty workspace id."""
    return contract_server.seed_workspace("Contract").workspace_id


async def _accepted(api: Api, body: dict[str, object]) -> bool:
    reply = await api.call("PUT", "/v1/cpf", body)
    assert reply.status in (200, 400), reply.body
    return reply.status == 200


@pytest.mark.parametrize("name", FIELD_NAMES)
async def test_field_name_rule_agrees(raw_api: Api, wid: str, name: str) -> None:
    """The server accepts a field_name exactly when the SDK's check does (newline included)."""
    body = {"workspace_id": wid, "field_name": name, "field_type": "string"}
    assert await _accepted(raw_api, body) is is_valid_field_name(name)


@pytest.mark.parametrize("code", CURRENCY_CODES)
async def test_currency_code_rule_agrees(raw_api: Api, wid: str, code: str) -> None:
    """The server accepts a currency field_format exactly when the SDK's check does."""
    body = {"workspace_id": wid, "field_name": "c", "field_type": "currency", "field_format": code}
    assert await _accepted(raw_api, body) is is_valid_field_format("currency", code)


@pytest.mark.parametrize("fmt", DATE_FORMATS)
async def test_date_format_rule_agrees(raw_api: Api, wid: str, fmt: str) -> None:
    """The server accepts a Date field_format exactly when the SDK's check does."""
    body = {"workspace_id": wid, "field_name": "d", "field_type": "Date", "field_format": fmt}
    assert await _accepted(raw_api, body) is is_valid_field_format("Date", fmt)


@pytest.mark.parametrize("field_type", [*contract.FIELD_TYPES, "date", "String", "text"])
async def test_field_type_set_agrees(raw_api: Api, wid: str, field_type: str) -> None:
    """The server accepts exactly the contract's field types (case matters: ``Date``)."""
    body = {"workspace_id": wid, "field_name": "t", "field_type": field_type, "field_format": "USD"}
    if field_type == contract.FIELD_TYPE_DATE:
        body["field_format"] = contract.DATE_YYYY_MM_DD_DASH
    assert await _accepted(raw_api, body) is (field_type in contract.FIELD_TYPES)
