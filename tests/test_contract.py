"""The contract constants module: values only, and the SDK's enums are exactly its value sets."""

from __future__ import annotations

import ast
import enum
from pathlib import Path

import pytest

from nudgescribe_async import _contract as contract
from nudgescribe_async.models import (
    CampaignStatus,
    DateFormat,
    ExportedMessage,
    ExportFormat,
    FieldType,
    RunStatus,
)
from nudgescribe_async.resources.customers import DELETE_BATCH_SIZE


def test_contract_module_imports_nothing_from_the_package() -> None:
    """_contract imports no other module of the package (both sides can import it freely)."""
    tree = ast.parse(Path(contract.__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imported <= {"__future__", "typing"}


@pytest.mark.parametrize(
    ("members", "values"),
    [
        (FieldType, contract.FIELD_TYPES),
        (DateFormat, contract.DATE_FORMATS),
        (CampaignStatus, contract.CAMPAIGN_STATUSES),
        (ExportFormat, contract.EXPORT_FORMATS),
        (RunStatus, contract.RUN_STATUSES),
    ],
)
def test_sdk_enums_hold_exactly_the_contract_values(
    members: type[enum.Enum], values: tuple[str, ...]
) -> None:
    """Each SDK enum names every value of its contract set, in the published order, and no other."""
    assert tuple(m.value for m in members) == values


def test_exported_message_model_has_the_export_columns() -> None:
    """The ExportedMessage model declares one attribute per exported column."""
    names = {a.name for a in ExportedMessage.__attrs_attrs__}
    assert set(contract.EXPORT_COLUMNS) <= names


def test_sdk_delete_batches_are_the_contract_limit() -> None:
    """customers.delete batches ids by the contract's per-call limit."""
    assert DELETE_BATCH_SIZE == contract.MAX_DELETE_IDS


def test_field_types_are_the_five_published_ones() -> None:
    """The contract's field types are exactly the five the API publishes (a spec literal)."""
    # The one literal copy of the list, on purpose: it checks the constant against the spec.
    assert contract.FIELD_TYPES == ("string", "number", "char", "Date", "currency")
