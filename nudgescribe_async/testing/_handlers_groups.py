"""``/v1/cg``: create, list, update and delete customer groups (contract §4)."""

from __future__ import annotations

from aiohttp import web

from nudgescribe_async.testing._groups import checked_group_name, create_group
from nudgescribe_async.testing._http import authenticate, core_of, ok, opt_str, read_json, require
from nudgescribe_async.testing._lookups import group_or_404, workspace_or_404

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.put("/v1/cg")
async def put_group(request: web.Request) -> web.Response:
    """Create a customer group (409 on a duplicate name)."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    workspace_id, name = require(body, "workspace_id", "name")
    ws = workspace_or_404(state, account, workspace_id)
    group = create_group(state, ws, name, body.get("description"))
    return ok({"customer_group": group.to_json()})


@routes.post("/v1/cg")
async def list_groups(request: web.Request) -> web.Response:
    """List every group of a workspace (no paging)."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    require(body, "workspace_id")
    ws = workspace_or_404(state, account, body["workspace_id"])
    return ok({"customer_groups": [g.to_json() for g in ws.groups.values()]})


@routes.patch("/v1/cg")
async def update_group(request: web.Request) -> web.Response:
    """Rename or re-describe a group; its customers are kept."""
    account = authenticate(request)
    body = await read_json(request)
    state = core_of(request).state
    (group_id,) = require(body, "customer_group_id")
    group = group_or_404(state, account, group_id)
    if "name" in body:
        group.name = checked_group_name(
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
    group = group_or_404(state, account, group_id)
    del state.workspaces[group.workspace_id].groups[group.customer_group_id]
    del state.groups[group.customer_group_id]
    return ok(message="Customer group deleted")
