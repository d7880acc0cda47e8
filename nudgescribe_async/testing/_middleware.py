"""The one middleware every request passes: request id, log, faults and error rendering.

Order per request: assign ``x-request-id``; count and log the request; apply standing latency
and the first counted fault rule; otherwise run the handler; render :class:`ApiError`,
``HTTPException`` and unexpected exceptions as the contract's JSON error body.
"""

from __future__ import annotations

import logging

import orjson
from aiohttp import web
from aiohttp.typedefs import Handler

from nudgescribe_async.testing._core import CURRENT_RECORD, RequestRecord, ServerCore
from nudgescribe_async.testing._faults import FaultRule
from nudgescribe_async.testing._http import (
    CORE_KEY,
    ApiError,
    error_response,
    parse_body,
)

__all__ = ["core_middleware"]

HANG_SECONDS = 3600.0
_log = logging.getLogger("nudgescribe_async.testing")


def _drop(request: web.Request) -> web.Response:
    # Closing the transport makes the client see a disconnect with no response at all; the
    # Response returned afterwards is never written (aiohttp ignores the closed transport).
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=499)


async def _truncate(request: web.Request, request_id: str) -> web.StreamResponse:
    body = orjson.dumps({"success": True, "message": "this body is cut short"})
    response = web.StreamResponse(headers={"Content-Type": "application/json",
                                           "x-request-id": request_id})
    response.content_length = len(body) + 100
    await response.prepare(request)
    await response.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()
    return response


def _fail(rule: FaultRule) -> web.Response:
    headers: dict[str, str] = {}
    if rule.kind == "rate_limit":
        status = 429
        headers["Retry-After"] = str(rule.retry_after)
        default = ApiError(429, rule.message or "Rate limited", rule.error_code or "rate_limited")
    else:
        status = rule.status
        default = ApiError(status, rule.message or f"Injected failure ({status})",
                           rule.error_code or "injected_fault")
    body = rule.body if rule.body is not None else default.body()
    return web.Response(status=status, body=orjson.dumps(body),
                        content_type="application/json", headers=headers)


async def _apply_fault(request: web.Request, core: ServerCore, rule: FaultRule,
                       handler: Handler, request_id: str) -> web.StreamResponse:
    if rule.kind == "latency":
        await core.sleep(rule.seconds)
        return await handler(request)
    if rule.kind == "drop":
        return _drop(request)
    if rule.kind == "truncate":
        return await _truncate(request, request_id)
    if rule.kind == "hang":
        await core.sleep(HANG_SECONDS)
        return _drop(request)
    return _fail(rule)


def _http_error(exc: web.HTTPException) -> ApiError:
    code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
        exc.status, "http_error")
    return ApiError(exc.status, exc.reason, code)


@web.middleware
async def core_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply request id, logging, faults and error rendering (see module docstring)."""
    core = request.app[CORE_KEY]
    request_id = core.next_request_id()
    path = request.path
    core.request_counts[path] += 1
    record = RequestRecord(method=request.method, path=path, headers=request.headers,
                           request_id=request_id)
    core.requests.append(record)
    CURRENT_RECORD.set(record)
    try:
        if request.content_type != "multipart/form-data":
            await parse_body(request)
        standing, rule = core.faults.match(request.method, path)
        if standing:
            await core.sleep(standing)
        if rule is not None:
            response = await _apply_fault(request, core, rule, handler, request_id)
        else:
            response = await handler(request)
    except ApiError as err:
        response = error_response(err)
    except web.HTTPException as exc:
        response = error_response(_http_error(exc))
    except Exception:
        _log.exception("reference server handler failed")
        response = error_response(ApiError(500, "Internal server error", "internal_error"))
    if not response.prepared:
        response.headers["x-request-id"] = request_id
    record.status = None if response.status == 499 else response.status
    return response
