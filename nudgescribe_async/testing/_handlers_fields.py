"""``/v1/cpf``: create, list, update and delete profile fields (contract §3)."""

from __future__ import annotations

from aiohttp import web

from nudgescribe_async.testing._errors import ApiError, bad_value
from nudgescribe_async.testing._fields import (
    apply_changes,
    create_field,
    delete_fields,
    planned_change,
)
from nudgescribe_async.testing._http import authenticate, core_of, ok, read_json, require
from nudgescribe_async.testing._lookups import workspace_or_404
from nudgescribe_async.testing._wire import to_wire

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.put("/v1/cpf")
async def put_field(request: web.Request) -> web.Response:
    """Create a profile field."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    require(body, "workspace_id", "field_name", "field_type")
    ws = workspace_or_404(state, account, body["workspace_id"])
    return ok({"field": to_wire(create_field(state, ws, body))})


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
    return ok({"workspace_id": ws.workspace_id, "fields": [to_wire(f) for f in ws.fields.values()]})


@routes.patch("/v1/cpf")
async def update_fields(request: web.Request) -> web.Response:
    """Update several fields at once, atomically; stored customer data is kept."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    workspace_id, items = require(body, "workspace_id", "fields")
    ws = workspace_or_404(state, account, workspace_id)
    if not isinstance(items, list):
        raise bad_value("fields", "must be a list")
    plans = [planned_change(ws, i, item) for i, item in enumerate(items)]
    apply_changes(state, plans)
    return ok({"fields": [to_wire(spec) for spec, _ in plans]})


@routes.delete("/v1/cpf")
async def delete_fields_route(request: web.Request) -> web.Response:
    """Delete fields (404 if any is unknown) and the customer data stored in them."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    workspace_id, field_ids = require(body, "workspace_id", "field_ids")
    ws = workspace_or_404(state, account, workspace_id)
    if not isinstance(field_ids, list):
        raise bad_value("field_ids", "must be a list")
    return ok({"deleted_count": delete_fields(ws, field_ids)})
