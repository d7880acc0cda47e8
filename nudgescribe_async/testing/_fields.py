"""Profile field definitions (contract §3): create, update and delete with the API's rules.

Handlers (``/v1/cpf``) and the seeding controls both call these; a refusal is an
:class:`~nudgescribe_async.testing._errors.ApiError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nudgescribe_async._contract import FIELD_NAME_PATTERN, FIELD_TYPES
from nudgescribe_async.testing._errors import ApiError, bad_value, not_found
from nudgescribe_async.testing._http import opt_bool, opt_str
from nudgescribe_async.testing._state import ProfileFieldRecord, State, WorkspaceRecord
from nudgescribe_async.testing._validation import FIELD_NAME_RE, check_field_format

__all__ = ["FieldChange", "apply_changes", "create_field", "delete_fields", "planned_change"]

#: A field and the attribute values an update sets on it.
FieldChange = tuple[ProfileFieldRecord, dict[str, Any]]


def create_field(state: State, ws: WorkspaceRecord, body: dict[str, Any]) -> ProfileFieldRecord:
    """Validate a field definition (a ``PUT /v1/cpf`` body) and add it to ``ws``."""
    name, kind = body["field_name"], body["field_type"]
    if not isinstance(name, str) or not FIELD_NAME_RE.fullmatch(name):
        raise bad_value("field_name", f"must match ^{FIELD_NAME_PATTERN}$")
    if kind not in FIELD_TYPES:
        raise bad_value("field_type", "must be one of " + ", ".join(FIELD_TYPES))
    if ws.field_by_name(name) is not None:
        raise ApiError(409, f"Field {name!r} already exists in this workspace", "duplicate_field")
    now = state.stamp()
    spec = ProfileFieldRecord(
        field_id=state.new_id(),
        workspace_id=ws.workspace_id,
        field_name=name,
        display_name=opt_str(body, "display_name") or name.replace("_", " ").title(),
        field_type=kind,
        field_format=check_field_format(kind, body.get("field_format")),
        is_required=opt_bool(body, "is_required", False),
        is_unique=opt_bool(body, "is_unique", False),
        created_at=now,
        updated_at=now,
    )
    ws.fields[spec.field_id] = spec
    return spec


def planned_change(ws: WorkspaceRecord, index: int, item: Any) -> FieldChange:
    """Check item ``index`` of a ``PATCH /v1/cpf`` list; return the field and its new values."""
    where = f"fields[{index}]"
    if not isinstance(item, dict) or not item.get("field_id"):
        raise ApiError(
            401,
            f"Required fields missing: {where}.field_id",
            "missing_fields",
            errors=[{"field": f"{where}.field_id", "message": "This field is required"}],
        )
    spec = ws.fields.get(item["field_id"])
    if spec is None:
        raise not_found(f"Field {item['field_id']}")
    changes: dict[str, Any] = {}
    if "display_name" in item:
        changes["display_name"] = opt_str(item, "display_name") or spec.field_name
    if "field_format" in item:
        changes["field_format"] = check_field_format(spec.field_type, item["field_format"])
    if "is_required" in item:
        changes["is_required"] = opt_bool(item, "is_required", spec.is_required)
    return spec, changes


def apply_changes(state: State, plans: Iterable[FieldChange]) -> None:
    """Apply checked changes (all of them, after every one was checked: updates are atomic)."""
    now = state.stamp()
    for spec, changes in plans:
        for key, value in changes.items():
            setattr(spec, key, value)
        spec.updated_at = now


def delete_fields(ws: WorkspaceRecord, field_ids: list[Any]) -> int:
    """Delete fields (404 if any is unknown) and the customer values stored in them."""
    unknown = [f for f in field_ids if not isinstance(f, str) or f not in ws.fields]
    if unknown:
        raise not_found(f"Field {unknown[0]}")
    names = {ws.fields.pop(f).field_name for f in dict.fromkeys(field_ids)}
    for group in ws.groups.values():
        for customer in group.customers.values():
            if names & customer.profile.keys():
                for name in names:
                    customer.profile.pop(name, None)
                customer.encrypted = None
        group.changed()
    return len(names)
