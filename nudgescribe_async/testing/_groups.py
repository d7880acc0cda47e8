"""Customer groups (contract §4): create and rename with the API's rules (unique names)."""

from __future__ import annotations

from typing import Any

from nudgescribe_async.testing._errors import ApiError, bad_value
from nudgescribe_async.testing._http import opt_str
from nudgescribe_async.testing._state import CustomerGroupRecord, State, WorkspaceRecord

__all__ = ["checked_group_name", "create_group"]


def checked_group_name(ws: WorkspaceRecord, name: Any, skip: str | None = None) -> str:
    """Return ``name`` if no other group of ``ws`` has it (400 if blank, 409 if taken)."""
    if not isinstance(name, str) or not name.strip():
        raise bad_value("name", "must be a non-empty string")
    for other in ws.groups.values():
        if other.name == name and other.customer_group_id != skip:
            raise ApiError(409, f"A group named {name!r} already exists", "duplicate_group")
    return name


def create_group(
    state: State, ws: WorkspaceRecord, name: Any, description: Any
) -> CustomerGroupRecord:
    """Validate and add a customer group to ``ws``."""
    now = state.stamp()
    group = CustomerGroupRecord(
        customer_group_id=state.new_id(),
        workspace_id=ws.workspace_id,
        name=checked_group_name(ws, name),
        description=opt_str({"d": description}, "d"),
        created_at=now,
        updated_at=now,
    )
    ws.groups[group.customer_group_id] = group
    state.groups[group.customer_group_id] = group
    return group
