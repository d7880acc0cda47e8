"""``/v1/campaign/rerun/*``: run history, run messages and initiate (contract §7)."""

from __future__ import annotations

from aiohttp import web

from nudgescribe_async.testing._errors import ApiError
from nudgescribe_async.testing._http import (
    authenticate,
    core_of,
    ok,
    opt_int,
    opt_page_size,
    read_json,
    require,
)
from nudgescribe_async.testing._lookups import campaign_or_404
from nudgescribe_async.testing._reruns import initiate_rerun, run_history, run_messages

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.post("/v1/campaign/rerun/history")
async def history(request: web.Request) -> web.Response:
    """Return the campaign's runs, newest first, ending with the synthesised Run #1."""
    account = authenticate(request)
    body = await read_json(request)
    (campaign_id,) = require(body, "campaign_id")
    campaign = campaign_or_404(core_of(request).state, account, campaign_id)
    return ok(
        {"campaign_id": campaign.campaign_id, "runs": run_history(core_of(request).state, campaign)}
    )


@routes.post("/v1/campaign/rerun/messages")
async def messages(request: web.Request) -> web.Response:
    """Return one page of a run's messages (archived ones only when ``run_number`` is sent)."""
    account = authenticate(request)
    body = await read_json(request)
    (campaign_id,) = require(body, "campaign_id")
    run_number = opt_int(body, "run_number", None)
    page = opt_int(body, "page", 1) or 1
    page_size = opt_page_size(body)
    campaign = campaign_or_404(core_of(request).state, account, campaign_id)
    return ok(run_messages(campaign, run_number, page, page_size))


@routes.post("/v1/campaign/rerun/initiate")
async def initiate(request: web.Request) -> web.Response:
    """Start a rerun of a Published campaign on a new customer group."""
    core = core_of(request)
    account = authenticate(request)
    body = await read_json(request)
    campaign_id, group_id = require(body, "campaign_id", "new_customer_group_id")
    campaign = campaign_or_404(core.state, account, campaign_id)
    group = core.state.group_of(account, group_id)
    if group is None or group.workspace_id != campaign.workspace_id:
        raise ApiError(404, "Customer group not found in the campaign's workspace", "not_found")
    payload = initiate_rerun(core.state, core.jobs, campaign, group)
    return ok(payload, message="Campaign rerun initiated successfully")
