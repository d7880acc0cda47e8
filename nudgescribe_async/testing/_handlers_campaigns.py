"""Campaign listing, publish, exported pages, file fetch and ``/files/<token>`` (contract §6).

Quotas (per account, 429 ``quota_exceeded`` without ``Retry-After`` when spent): ``publish``
counts successful publish calls, ``pages`` counts exported files fetched via
``/v1/messages/fetch``. Export files hold ``export_rows_per_file`` rows (at most 1000).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from aiohttp import web

from nudgescribe_async._contract import (
    CAMPAIGN_PUBLISHED,
    CAMPAIGN_READY_TO_PUBLISH,
    EXPORT_FORMAT_CSV,
    EXPORT_FORMAT_JSON,
    EXPORT_FORMAT_URL,
    EXPORT_FORMATS,
)
from nudgescribe_async.testing._campaigns import (
    build_export,
    export_csv,
    mark_published,
    status_is,
)
from nudgescribe_async.testing._errors import ApiError, bad_value
from nudgescribe_async.testing._http import (
    authenticate,
    core_of,
    ok,
    opt_int,
    opt_str,
    read_json,
    require,
)
from nudgescribe_async.testing._jobs import Job
from nudgescribe_async.testing._lookups import campaign_or_404
from nudgescribe_async.testing._state import (
    CampaignRecord,
    ExportFolder,
    iso,
)
from nudgescribe_async.testing._wire import to_wire

__all__ = ["routes"]

routes = web.RouteTableDef()


def _parse_day(body: dict[str, Any], name: str) -> date | None:
    text = opt_str(body, name)
    if text is None:
        return None
    try:
        return (
            date.fromisoformat(text[:10])
            if len(text) <= 10
            else datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        )
    except ValueError as exc:
        raise bad_value(name, "must be an ISO 8601 date such as 2026-01-31") from exc


def _in_window(campaign: CampaignRecord, start: date | None, end: date | None) -> bool:
    if start is None and end is None:
        return True
    if campaign.published_at is None:
        return False
    day = date.fromisoformat(campaign.published_at[:10])
    return (start is None or day >= start) and (end is None or day <= end)


@routes.post("/v1/campaign/all")
async def list_campaigns(request: web.Request) -> web.Response:
    """List every workspace with its campaigns, optionally by published date window."""
    account = authenticate(request)
    body = await read_json(request)
    start, end = _parse_day(body, "published_from"), _parse_day(body, "published_to")
    workspaces = [
        {
            "workspace_id": ws.workspace_id,
            "workspace_name": ws.name,
            "campaigns": [to_wire(c) for c in ws.campaigns.values() if _in_window(c, start, end)],
        }
        for ws in account.workspaces.values()
    ]
    return ok({"workspaces": workspaces})


def _quota_exceeded(name: str) -> ApiError:
    return ApiError(429, f"Usage quota for {name} is spent", "quota_exceeded")


@routes.post("/v1/messages/publish")
async def publish(request: web.Request) -> web.Response:
    """Publish a Ready-to-publish (or re-export a Published) campaign and queue its export."""
    core = core_of(request)
    account = authenticate(request)
    body = await read_json(request)
    (campaign_id,) = require(body, "campaign_id")
    campaign = campaign_or_404(core.state, account, campaign_id)
    if campaign.pending_job is not None:
        raise ApiError(409, "A job of this campaign is still processing", "job_in_progress")
    if not (
        status_is(campaign, CAMPAIGN_READY_TO_PUBLISH) or status_is(campaign, CAMPAIGN_PUBLISHED)
    ):
        raise ApiError(
            400,
            f"Campaign is {campaign.status!r}; only Ready to publish or "
            "Published campaigns can be published",
            "invalid_status",
        )
    if not core.use_quota(account, "publish"):
        raise _quota_exceeded("publish")
    mark_published(core.state, campaign)
    run_number = campaign.run_number
    job = Job(
        job_uid=core.state.new_id(),
        kind="export",
        campaign_id=campaign.campaign_id,
        apply=lambda: _finish_export(campaign, run_number),
    )
    campaign.pending_job = job.job_uid
    core.jobs.submit(job)
    return ok(
        {
            "campaign_id": campaign.campaign_id,
            "campaign_status": campaign.status,
            "job_uid": job.job_uid,
            "queued": True,
        },
        message="Export queued",
    )


def _finish_export(campaign: CampaignRecord, run_number: int) -> None:
    build_export(campaign, run_number)
    campaign.pending_job = None


def _folder(campaign: CampaignRecord, body: dict[str, Any]) -> tuple[int, ExportFolder | None]:
    run_number = opt_int(body, "run_number", None)
    if run_number is not None and run_number > campaign.run_number:
        raise bad_value("run_number", f"campaign has no run {run_number}")
    chosen = run_number or campaign.run_number
    return chosen, campaign.exports.get(chosen)


def _total_pages(folder: ExportFolder | None, per_file: int) -> int:
    if folder is None or not folder.ready:
        return 0
    return -(-len(folder.rows) // per_file)


@routes.post("/v1/messages/pages")
async def count_files(request: web.Request) -> web.Response:
    """Return how many exported files a run has (0 until its export job is done)."""
    core = core_of(request)
    account = authenticate(request)
    body = await read_json(request)
    (campaign_id,) = require(body, "campaign_id")
    campaign = campaign_or_404(core.state, account, campaign_id)
    run_number, folder = _folder(campaign, body)
    return ok(
        {
            "campaign_id": campaign.campaign_id,
            "run_number": run_number,
            "total_pages": _total_pages(folder, core.config.export_rows_per_file),
        }
    )


@routes.post("/v1/messages/fetch")
async def fetch_file(request: web.Request) -> web.Response:
    """Return one exported file as CSV text, JSON rows or a download URL (current run only)."""
    core = core_of(request)
    account = authenticate(request)
    body = await read_json(request)
    campaign_id, _, fmt = require(body, "campaign_id", "page", "format")
    page = opt_int(body, "page", 1) or 1
    if fmt not in EXPORT_FORMATS:
        raise bad_value("format", "must be one of " + ", ".join(EXPORT_FORMATS))
    campaign = campaign_or_404(core.state, account, campaign_id)
    run_number, folder = _folder(campaign, body)
    if (
        fmt == EXPORT_FORMAT_URL
        and body.get("run_number") is not None
        and run_number != campaign.run_number
    ):
        raise ApiError(400, "No pre-signed URL is available for past runs", "url_past_run")
    per_file = core.config.export_rows_per_file
    if folder is None or page > _total_pages(folder, per_file):
        raise ApiError(404, f"Exported file {page} not found", "not_found")
    if not core.use_quota(account, "pages"):
        raise _quota_exceeded("pages")
    rows = folder.rows[(page - 1) * per_file : page * per_file]
    if fmt == EXPORT_FORMAT_JSON:
        return ok({"format": fmt, "page": page, "messages": rows})
    content = export_csv(rows)
    if fmt == EXPORT_FORMAT_CSV:
        return ok({"format": fmt, "page": page, "content": content})
    url, expires_at = core.store_file(content.encode())
    return ok({"format": fmt, "page": page, "url": url, "expires_at": iso(expires_at)})


@routes.get("/files/{token}")
async def download(request: web.Request) -> web.Response:
    """Serve an exported CSV file by its pre-signed token (no other authentication)."""
    core = core_of(request)
    stored = core.files.get(request.match_info["token"])
    if stored is None:
        raise ApiError(404, "File not found", "not_found")
    if stored.expires_at <= core.clock.now():
        raise ApiError(403, "The download link has expired", "url_expired")
    return web.Response(body=stored.content, content_type="text/csv", charset="utf-8")
