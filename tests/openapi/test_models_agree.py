"""The document's schemas and the SDK's attrs models describe the same payloads.

Each component schema named like an SDK model must list exactly the model's attributes; what
the model requires the document must require; every JSON type the document allows for a
property must be one the model's annotation accepts (so any body valid per the document
decodes); the enums list the same values.
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import datetime
from typing import Any, Union

import attrs
import pytest

from nudgescribe_async import models
from tests._support.openapi_doc import DOC, resolve

SCHEMAS: dict[str, Any] = DOC["components"]["schemas"]
#: Built by the SDK from other payloads (``workspaces.list`` reads the campaign listing); no
#: body on the wire has their shape, so the document has no schema for them.
CLIENT_SIDE_MODELS = {"Workspace", "WorkspaceList"}
ATTRS_MODELS = sorted(
    name
    for name in models.__all__
    if attrs.has(getattr(models, name)) and name != "Model" and name not in CLIENT_SIDE_MODELS
)
REQUEST_MODELS = {"FieldUpdate"}
#: Attributes the SDK sets itself, not read from the wire (``customers.upload`` marks a dry run).
CLIENT_SIDE_ATTRIBUTES = {("UploadResult", "validate_only")}
RESPONSE_MODELS = [name for name in ATTRS_MODELS if name not in REQUEST_MODELS]
ENUMS = sorted(
    name
    for name in models.__all__
    if isinstance(getattr(models, name), type) and issubclass(getattr(models, name), enum.Enum)
)


def _fields(name: str) -> dict[str, attrs.Attribute[Any]]:
    cls = attrs.resolve_types(getattr(models, name))
    return {
        f.name: f
        for f in attrs.fields(cls)
        if f.name != "extra" and (name, f.name) not in CLIENT_SIDE_ATTRIBUTES
    }


def _members(tp: Any) -> set[Any]:
    if typing.get_origin(tp) in (Union, types.UnionType):
        return set(typing.get_args(tp))
    return {tp}


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _enum_values(schema: dict[str, Any]) -> set[str]:
    values = set(schema.get("enum", []))
    for branch in schema.get("anyOf", []):
        values |= _enum_values(branch)
    return values


def problems(tp: Any, schema: dict[str, Any], where: str) -> list[str]:
    """Why a value valid for ``schema`` would not fit the annotation ``tp`` (empty: it fits)."""
    members = _members(tp)
    name = _ref_name(schema)
    if name is not None:
        target = resolve(schema)
        cls = getattr(models, name, None)
        if cls is not None and attrs.has(cls):
            return [] if cls in members else [f"{where}: expects model {name}, has {tp}"]
        if cls is not None and issubclass(cls, enum.Enum):
            if cls not in members:
                return [f"{where}: expects enum {name}, has {tp}"]
            return problems(tp, {k: v for k, v in target.items() if k != "enum"}, where)
        schema = target
    if "anyOf" in schema:
        return [p for branch in schema["anyOf"] for p in problems(tp, branch, where)]
    if "allOf" in schema:
        return [p for branch in schema["allOf"] for p in problems(tp, branch, where)]
    if "const" in schema:
        json_types = {{bool: "boolean", str: "string", int: "integer"}[type(schema["const"])]}
    else:
        declared = schema.get("type", [])
        json_types = {declared} if isinstance(declared, str) else set(declared)
    found: list[str] = []
    for json_type in sorted(json_types):
        if json_type == "null":
            ok = type(None) in members
        elif json_type == "string":
            wanted = datetime if schema.get("format") == "date-time" else str
            ok = wanted in members
        elif json_type == "integer":
            ok = int in members or float in members  # JSON integers decode as floats too
        elif json_type == "boolean":
            ok = bool in members
        elif json_type == "array":
            lists = [m for m in members if typing.get_origin(m) is list]
            if not lists:
                found.append(f"{where}: array, has {tp}")
                continue
            found += problems(typing.get_args(lists[0])[0], schema["items"], f"{where}[]")
            continue
        elif json_type == "object":
            dicts = [m for m in members if typing.get_origin(m) is dict]
            if not dicts:
                found.append(f"{where}: object, has {tp}")
                continue
            found += problems(
                typing.get_args(dicts[0])[1], schema["additionalProperties"], f"{where}{{}}"
            )
            continue
        else:
            ok = False
        if not ok:
            found.append(f"{where}: JSON {json_type} does not fit {tp}")
    return found


def test_every_sdk_model_has_a_schema_of_the_same_name() -> None:
    """Each attrs model and each enum of nudgescribe_async.models is a component schema."""
    missing = [name for name in ATTRS_MODELS + ENUMS if name not in SCHEMAS]
    assert not missing


@pytest.mark.parametrize("name", ATTRS_MODELS)
def test_schema_properties_are_the_model_attributes(name: str) -> None:
    """The schema's properties are exactly the model's attributes (``extra`` aside)."""
    assert set(SCHEMAS[name]["properties"]) == set(_fields(name))


@pytest.mark.parametrize("name", ATTRS_MODELS)
def test_what_the_model_requires_the_document_requires(name: str) -> None:
    """An attribute without a default is a required property of the schema."""
    required = set(SCHEMAS[name].get("required", []))
    model_required = {n for n, f in _fields(name).items() if f.default is attrs.NOTHING}
    assert model_required <= required, model_required - required


@pytest.mark.parametrize("name", RESPONSE_MODELS)
def test_every_documented_value_fits_the_model(name: str) -> None:
    """Each JSON type a response property may take is accepted by the model's annotation."""
    found = [
        p
        for attr, f in _fields(name).items()
        for p in problems(f.type, SCHEMAS[name]["properties"][attr], f"{name}.{attr}")
    ]
    assert not found


def test_client_side_models_are_built_from_documented_payloads() -> None:
    """Client-side models and attributes exist (a stale name fails) and are not on the wire."""
    assert all(hasattr(models, name) and name not in SCHEMAS for name in CLIENT_SIDE_MODELS)
    for model, attribute in CLIENT_SIDE_ATTRIBUTES:
        assert attribute in attrs.fields_dict(getattr(models, model))
        assert attribute not in SCHEMAS[model]["properties"]


def test_the_checker_notices_a_disagreement() -> None:
    """The type check itself fails on a mismatch (a nullable int against ``int``)."""
    assert problems(int, {"type": ["integer", "null"]}, "x") == [
        "x: JSON null does not fit <class 'int'>"
    ]
    assert problems(str, {"type": "string", "format": "date-time"}, "t")
    assert problems(list[str], {"type": "array", "items": {"type": "integer"}}, "a")


@pytest.mark.parametrize("name", ENUMS)
def test_enum_values_match(name: str) -> None:
    """The schema lists exactly the enum's values (CampaignStatus across its branches)."""
    assert _enum_values(SCHEMAS[name]) == {m.value for m in getattr(models, name)}


def test_field_update_items_are_what_the_update_schema_takes() -> None:
    """profile_fields.update's items use FieldUpdate, whose keys the document lists."""
    update = SCHEMAS["UpdateProfileFieldsRequest"]["properties"]["fields"]["items"]
    assert _ref_name(update) == "FieldUpdate"
