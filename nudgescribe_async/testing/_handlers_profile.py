"""``/v1/cpf`` profile fields and ``/v1/cg`` customer groups (contract §3 and §4)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from nudgescribe_async._contract import FIELD_NAME_PATTERN, FIELD_TYPES
from nudgescribe_async.testing._http import (
    ApiError,
    authenticate,
    bad_value,
    core_of,
    ok,
    opt_bool,
    opt_str,
    read_json,
    require,
)
from nudgescribe_async.testing._state import Account, CustomerGroup, ProfileField, State, Workspace
from nudgescribe_async.testing._validation import FIELD_NAME_RE, check_field_format

__all__ = ["create_field", "routes"]

routes = web.RouteTableDef()


def _workspace(state: State, account: Account, workspace_id: object) -> Workspace:
    """The caller's workspace with that id, or 404."""
    ws = state.workspace_of(account, workspace_id)
    if ws is None:
        raise _not_found("Workspace")
    return ws


def _not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found", "not_found")


def _format_or_400(field_type: str, field_format: Any) -> str | None:
    checked = check_field_format(field_type, field_format)
    if checked is not None and checked.startswith("!"):
        raise bad_value("field_format", checked[1:])
    return checked


def create_field(state: State, ws: Workspace, body: dict[str, Any]) -> ProfileField:
    """Validate a field definition and add it to ``ws`` (shared with the seeding controls)."""
    name, kind = body["field_name"], body["field_type"]
    if not isinstance(name, str) or not FIELD_NAME_RE.fullmatch(name):
        raise bad_value("field_name", f"must match ^{FIELD_NAME_PATTERN}$")
    if kind not in FIELD_TYPES:
        raise bad_value("field_type", "must be one of " + ", ".join(FIELD_TYPES))
    if ws.field_by_name(name) is not None:
        raise ApiError(409, f"Field {name!r} already exists in this workspace", "duplicate_field")
    now = state.stamp()
    spec = ProfileField(
        field_id=state.new_id(),
        workspace_id=ws.workspace_id,
        field_name=name,
        display_name=opt_str(body, "display_name") or name.replace("_", " ").title(),
        field_type=kind,
        field_format=_format_or_400(kind, body.get("field_format")),
        is_required=opt_bool(body, "is_required", False),
        is_unique=opt_bool(body, "is_unique", False),
        created_at=now,
        updated_at=now,
    )
    ws.fields[spec.field_id] = spec
    return spec


@routes.put("/v1/cpf")
async def put_field(request: web.Request) -> web.Response:
    """Create a profile field."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    require(body, "workspace_id", "field_name", "field_type")
    ws = _workspace(state, account, body["workspace_id"])
    return ok({"field": create_field(state, ws, body).to_json()})


@routes.post("/v1/cpf")
async def list_fields(request: web.Request) -> web.Response:
    """List a workspace's profile fields (401 "Invalid Workspace" if unknown, as published)."""
    account = authenticate(request)
    body = await read_json(request)
    (workspace_id,) = require(body, "workspace_id")
    ws = core_of(request).state.workspace_of(account, workspace_id)
    if ws is None:
        raise ApiError(
            401,
            "Invalid Workspace",
            "invalid_workspace",
            errors=[{"field": "workspace_id", "message": "Invalid Workspace"}],
        )
    return ok(
        {"workspace_id": ws.workspace_id, "fields": [f.to_json() for f in ws.fields.values()]}
    )


def _planned_update(ws: Workspace, index: int, item: Any) -> tuple[ProfileField, dict[str, Any]]:
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
        raise _not_found(f"Field {item['field_id']}")
    changes: dict[str, Any] = {}
    if "display_name" in item:
        changes["display_name"] = opt_str(item, "display_name") or spec.field_name
    if "field_format" in item:
        changes["field_format"] = _format_or_400(spec.field_type, item["field_format"])
    if "is_required" in item:
        changes["is_required"] = opt_bool(item, "is_required", spec.is_required)
    return spec, changes


@routes.patch("/v1/cpf")
async def update_fields(request: web.Request) -> web.Response:
    """Update several fields at once, atomically; stored customer data is kept."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    workspace_id, items = require(body, "workspace_id", "fields")
    ws = _workspace(state, account, workspace_id)
    if not isinstance(items, list):
        raise bad_value("fields", "must be a list")
    plans = [_planned_update(ws, i, item) for i, item in enumerate(items)]
    now = state.stamp()
    for spec, changes in plans:
        for key, value in changes.items():
            setattr(spec, key, value)
        spec.updated_at = now
    return ok({"fields": [spec.to_json() for spec, _ in plans]})


@routes.delete("/v1/cpf")
async def delete_fields(request: web.Request) -> web.Response:
    """Delete fields (404 if any is unknown) and the customer data stored in them."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    workspace_id, field_ids = require(body, "workspace_id", "field_ids")
    ws = _workspace(state, account, workspace_id)
    if not isinstance(field_ids, list):
        raise bad_value("field_ids", "must be a list")
    unknown = [f for f in field_ids if not isinstance(f, str) or f not in ws.fields]
    if unknown:
        raise _not_found(f"Field {unknown[0]}")
    names = {ws.fields.pop(f).field_name for f in dict.fromkeys(field_ids)}
    for group in ws.groups.values():
        for customer in group.customers.values():
            if names & customer.profile.keys():
                for name in names:
                    customer.profile.pop(name, None)
                customer.encrypted = None
        group.changed()
    return ok({"deleted_count": len(names)})


def _group(state: State, account: Account, group_id: Any) -> CustomerGroup:
    group = state.group_of(account, group_id)
    if group is None:
        raise _not_found("Customer group")
    return group


def _check_group_name(ws: Workspace, name: Any, skip: str | None = None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise bad_value("name", "must be a non-empty string")
    for other in ws.groups.values():
        if other.name == name and other.customer_group_id != skip:
            raise ApiError(409, f"A group named {name!r} already exists", "duplicate_group")
    return name


def create_group(state: State, ws: Workspace, name: Any, description: Any) -> CustomerGroup:
    """Validate and add a customer group to ``ws`` (shared with the seeding controls)."""
    now = state.stamp()
    group = CustomerGroup(
        customer_group_id=state.new_id(),
        workspace_id=ws.workspace_id,
        name=_check_group_name(ws, name),
        description=opt_str({"d": description}, "d"),
        created_at=now,
        updated_at=now,
    )
    ws.groups[group.customer_group_id] = group
    state.groups[group.customer_group_id] = group
    return group


@routes.put("/v1/cg")
async def put_group(request: web.Request) -> web.Response:
    """Create a customer group (409 on a duplicate name)."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    workspace_id, name = require(body, "workspace_id", "name")
    ws = _workspace(state, account, workspace_id)
    group = create_group(state, ws, name, body.get("description"))
    return ok({"customer_group": group.to_json()})


@routes.post("/v1/cg")
async def list_groups(request: web.Request) -> web.Response:
    """List every group of a workspace (no paging)."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    require(body, "workspace_id")
    ws = _workspace(state, account, body["workspace_id"])
    return ok({"customer_groups": [g.to_json() for g in ws.groups.values()]})


@routes.patch("/v1/cg")
async def update_group(request: web.Request) -> web.Response:
    """Rename or re-describe a group; its customers are kept."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    (group_id,) = require(body, "customer_group_id")
    group = _group(state, account, group_id)
    if "name" in body:
        group.name = _check_group_name(
            state.workspaces[group.workspace_id], body["name"], skip=group.customer_group_id
        )
    if "description" in body:
        group.description = opt_str(body, "description")
    group.updated_at = state.stamp()
    return ok({"customer_group": group.to_json()})


@routes.delete("/v1/cg")
async def delete_group(request: web.Request) -> web.Response:
    """Delete a group and its customers permanently."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    (group_id,) = require(body, "customer_group_id")
    group = _group(state, account, group_id)
    del state.workspaces[group.workspace_id].groups[group.customer_group_id]
    del state.groups[group.customer_group_id]
    return ok(message="Customer group deleted")
