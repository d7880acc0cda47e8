"""``/v1/customer`` upload/validate, page count, one page and delete (contract §5).

Uploads are validated synchronously whatever their size (invalid -> 400 with the payload, nothing
stored). Valid uploads above ``background_upload_threshold`` rows are queued: ``queued: true``,
a ``job_uid``, counts null; the customers appear when the job completes.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from nudgescribe_async._contract import MAX_DELETE_IDS
from nudgescribe_async.testing._customers import count_upsert, upsert_customers
from nudgescribe_async.testing._errors import ApiError, bad_value
from nudgescribe_async.testing._http import (
    authenticate,
    core_of,
    ok,
    opt_bool,
    opt_int,
    opt_page_size,
    read_json,
    require,
)
from nudgescribe_async.testing._jobs import Job
from nudgescribe_async.testing._lookups import group_or_404, workspace_or_404
from nudgescribe_async.testing._state import CustomerGroupRecord, State
from nudgescribe_async.testing._uploads import read_csv, read_form, union_columns
from nudgescribe_async.testing._validation import check_upload

__all__ = ["routes"]

routes = web.RouteTableDef()


async def _read_upload(
    request: web.Request,
) -> tuple[dict[str, Any], list[str], list[Any], list[dict[str, Any]]]:
    """Return (scalar fields, columns, rows, shape errors) from either upload form."""
    if request.content_type == "multipart/form-data":
        scalars, data = await read_form(request)
        require(scalars, "workspace_id", "customer_group_id", "unique_field")
        if data is None:
            raise ApiError(400, "Send either a file or customers", "no_file_or_data")
        columns, rows, shape_errors = read_csv(data)
        return scalars, columns, rows, shape_errors
    body = await read_json(request)
    require(body, "workspace_id", "customer_group_id", "unique_field")
    customers = body.get("customers")
    if customers is None or "file" in body:
        raise ApiError(400, "Send either a file or customers (exactly one)", "no_file_or_data")
    if not isinstance(customers, list):
        raise bad_value("customers", "must be a list of objects")
    opt_bool(body, "validate_only", False)
    return body, union_columns(customers), customers, []


@routes.post("/v1/customer/check")
async def upload(request: web.Request) -> web.Response:
    """Validate and (unless ``validate_only``) upsert customers."""
    core = core_of(request)
    account = authenticate(request)
    fields, columns, rows, shape_errors = await _read_upload(request)
    ws = workspace_or_404(core.state, account, fields["workspace_id"])
    group = group_or_404(core.state, account, fields["customer_group_id"])
    if group.workspace_id != ws.workspace_id:
        raise ApiError(404, "Customer group not found in this workspace", "not_found")
    unique_field = str(fields["unique_field"])
    check = check_upload(ws, columns, rows, unique_field)
    check.row_errors = sorted(shape_errors + check.row_errors, key=lambda e: e["row"])
    payload: dict[str, Any] = {
        "valid": check.valid,
        "total_rows": len(rows),
        "created_count": 0,
        "updated_count": 0,
        "header_errors": check.header_errors,
        "row_errors": check.row_errors,
        "queued": False,
        "job_uid": None,
    }
    if not check.valid:
        if fields.get("validate_only"):
            return ok(payload)
        raise ApiError(
            400,
            "Upload failed validation; nothing was stored",
            "validation_failed",
            payload=payload,
        )
    if fields.get("validate_only"):
        payload["created_count"], payload["updated_count"] = count_upsert(
            group, unique_field, check.rows
        )
        return ok(payload)
    if len(rows) > core.config.background_upload_threshold:
        job = Job(
            job_uid=core.state.new_id(),
            kind="upload",
            apply=lambda: _apply_quietly(core.state, group, unique_field, check.rows),
        )
        core.jobs.submit(job)
        payload.update(queued=True, job_uid=job.job_uid, created_count=None, updated_count=None)
        return ok(payload, message="Upload queued for background processing")
    payload["created_count"], payload["updated_count"] = upsert_customers(
        core.state, group, unique_field, check.rows
    )
    return ok(payload)


def _apply_quietly(
    state: State, group: CustomerGroupRecord, unique_field: str, rows: list[dict[str, str]]
) -> None:
    upsert_customers(state, group, unique_field, rows)


@routes.post("/v1/customer/pages")
async def count_pages(request: web.Request) -> web.Response:
    """Return the number of pages of a group at ``page_size`` (default 100, max 1000)."""
    account = authenticate(request)
    body = await read_json(request)
    (group_id,) = require(body, "customer_group_id")
    page_size = opt_page_size(body)
    group = group_or_404(core_of(request).state, account, group_id)
    total = len(group.customers)
    return ok(
        {
            "customer_group_id": group.customer_group_id,
            "page_size": page_size,
            "total_pages": -(-total // page_size),
            "total_customers": total,
        }
    )


@routes.post("/v1/customer")
async def get_page(request: web.Request) -> web.Response:
    """Return one page of a group's customers (a page past the end is empty)."""
    account = authenticate(request)
    body = await read_json(request)
    group_id, _ = require(body, "customer_group_id", "page")
    page = opt_int(body, "page", 1) or 1
    page_size = opt_page_size(body)
    group = group_or_404(core_of(request).state, account, group_id)
    ordered = group.ordered()
    start = (page - 1) * page_size
    key = account.encryption_key
    return ok(
        {
            "page": page,
            "page_size": page_size,
            "total_pages": -(-len(ordered) // page_size),
            "customers": [c.to_json(key) for c in ordered[start : start + page_size]],
        }
    )


@routes.delete("/v1/customer")
async def delete_customers(request: web.Request) -> web.Response:
    """Delete up to 1000 customers of a group (404 and nothing deleted if any is unknown)."""
    account = authenticate(request)
    body = await read_json(request)
    group_id, ids = require(body, "customer_group_id", "customer_ids")
    group = group_or_404(core_of(request).state, account, group_id)
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise bad_value("customer_ids", "must be a list of customer id strings")
    if len(ids) > MAX_DELETE_IDS:
        raise bad_value("customer_ids", f"at most {MAX_DELETE_IDS} ids per call")
    unknown = [i for i in ids if i not in group.customers]
    if unknown:
        raise ApiError(404, f"Customer {unknown[0]} not found in this group", "not_found")
    unique_ids = list(dict.fromkeys(ids))
    for customer_id in unique_ids:
        del group.customers[customer_id]
    group.changed()
    return ok({"deleted_count": len(unique_ids)})
