"""The shipped OpenAPI document states the same patterns and limits as the contract module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nudgescribe_async import _contract as contract
from nudgescribe_async.openapi import openapi_document

DOC = openapi_document()
SCHEMAS = DOC["components"]["schemas"]


def _properties(node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (name, schema) of every ``properties`` map anywhere in the document."""
    if isinstance(node, dict):
        yield from (node.get("properties") or {}).items()
        for value in node.values():
            yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


def _all(name: str) -> list[dict[str, Any]]:
    found = [schema for prop, schema in _properties(DOC) if prop == name]
    assert found, f"no {name} property in the document"
    return found


def test_field_name_pattern_is_the_contracts() -> None:
    """Every field_name pattern in the document is the contract's FIELD_NAME_PATTERN."""
    patterns = {s["pattern"] for s in _all("field_name") if "pattern" in s}
    assert patterns == {f"^{contract.FIELD_NAME_PATTERN}$"}


def test_currency_code_pattern_is_the_contracts() -> None:
    """The CurrencyCode schema's pattern is the contract's CURRENCY_CODE_PATTERN."""
    assert SCHEMAS["CurrencyCode"]["pattern"] == f"^{contract.CURRENCY_CODE_PATTERN}$"


def test_page_size_limits_are_the_contracts() -> None:
    """Every page_size a request takes has the contract's maximum and default."""
    requests = [s for s in _all("page_size") if "maximum" in s]
    assert len(requests) == 3  # customer pages, one customer page, run messages
    assert {(s["maximum"], s["default"]) for s in requests} == {
        (contract.MAX_PAGE_SIZE, contract.DEFAULT_PAGE_SIZE)
    }


def test_delete_and_export_caps_are_the_contracts() -> None:
    """customer_ids holds at most MAX_DELETE_IDS; a JSON export file MAX_EXPORT_ROWS_PER_FILE."""
    assert {s["maxItems"] for s in _all("customer_ids")} == {contract.MAX_DELETE_IDS}
    messages = SCHEMAS["JsonExport"]["properties"]["messages"]
    assert messages["maxItems"] == contract.MAX_EXPORT_ROWS_PER_FILE


def test_exported_message_keys_are_the_export_columns() -> None:
    """ExportedMessage lists exactly the contract's EXPORT_COLUMNS, in CSV header order."""
    assert tuple(SCHEMAS["ExportedMessage"]["properties"]) == contract.EXPORT_COLUMNS
