"""The one middleware every request passes: request id, log, faults and error rendering.

Order per request: assign ``x-request-id``; count and log the request; refuse it with 429 if a
``concurrency_limit`` rule is at its limit (otherwise count it in flight until answered); apply
standing latency and the first counted fault rule; otherwise run the handler; render
:class:`ApiError`, ``HTTPException`` and unexpected exceptions as the contract's JSON error body.
"""

from __future__ import annotations

import logging

import orjson
from aiohttp import hdrs, web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.typedefs import Handler
from aiohttp.web_request import BaseRequest

from nudgescribe_async.testing._core import CURRENT_RECORD, RequestRecord, ServerCore
from nudgescribe_async.testing._errors import ApiError
from nudgescribe_async.testing._faults import FaultRule
from nudgescribe_async.testing._http import (
    CORE_KEY,
    error_response,
    parse_body,
)

__all__ = ["ByteCounter", "core_middleware"]

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
    response = web.StreamResponse(
        headers={"Content-Type": "application/json", "x-request-id": request_id}
    )
    response.content_length = len(body) + 100
    await response.prepare(request)
    await response.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()
    return response


def _fail(rule: FaultRule) -> web.Response:
    headers: dict[str, str] = {}
    if rule.kind in ("rate_limit", "concurrency_limit"):
        status = 429
        headers["Retry-After"] = str(rule.retry_after)
        default = ApiError(429, rule.message or "Rate limited", rule.error_code or "rate_limited")
    else:
        status = rule.status
        default = ApiError(
            status,
            rule.message or f"Injected failure ({status})",
            rule.error_code or "injected_fault",
        )
    body = rule.body if rule.body is not None else default.body()
    return web.Response(
        status=status, body=orjson.dumps(body), content_type="application/json", headers=headers
    )


async def _apply_fault(
    request: web.Request, core: ServerCore, rule: FaultRule, handler: Handler, request_id: str
) -> web.StreamResponse:
    if rule.kind == "latency":
        await core.sleep(rule.seconds)
        return await handler(request)
    if rule.kind == "drop":
        return _drop(request)
    if rule.kind == "drop_after":
        await handler(request)
        return _drop(request)
    if rule.kind == "truncate":
        return await _truncate(request, request_id)
    if rule.kind == "hang":
        await core.sleep(HANG_SECONDS)
        return _drop(request)
    return _fail(rule)


def _http_error(exc: web.HTTPException) -> ApiError:
    code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
        exc.status, "http_error"
    )
    # Keep Allow on a 405: RFC 9110 requires it and clients read it.
    allow = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
    return ApiError(exc.status, exc.reason, code, headers=allow)


async def _serve_counted(
    request: web.Request,
    core: ServerCore,
    handler: Handler,
    request_id: str,
    limits: list[FaultRule],
) -> web.StreamResponse:
    for limit in limits:
        limit.in_flight += 1
        limit.peak = max(limit.peak, limit.in_flight)
    try:
        standing, rule = core.faults.match(request.method, request.path)
        if standing:
            await core.sleep(standing)
        if rule is not None:
            return await _apply_fault(request, core, rule, handler, request_id)
        return await handler(request)
    finally:
        for limit in limits:
            limit.in_flight -= 1


@web.middleware
async def core_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply request id, logging, faults and error rendering (see module docstring)."""
    core = request.app[CORE_KEY]
    request_id = core.next_request_id()
    path = request.path
    core.request_counts[path] += 1
    record = RequestRecord(
        method=request.method, path=path, headers=request.headers, request_id=request_id
    )
    core.requests.append(record)
    CURRENT_RECORD.set(record)
    try:
        if request.content_type != "multipart/form-data":
            await parse_body(request)
        limits = core.faults.limits(request.method, path)
        full = next((limit for limit in limits if limit.in_flight >= limit.limit), None)
        response: web.StreamResponse
        if full is not None:
            full.hits += 1
            response = _fail(full)
        else:
            response = await _serve_counted(request, core, handler, request_id, limits)
    except ApiError as err:
        response = error_response(err)
    except web.HTTPException as exc:
        response = error_response(_http_error(exc))
    except Exception:
        _log.exception("reference server handler failed")
        response = error_response(ApiError(500, "Internal server error", "internal_error"))
    if not response.prepared:
        response.headers["x-request-id"] = request_id
        _maybe_compress(request, response, core.config.compress_min_bytes)
    record.status = None if response.status == 499 else response.status
    return response


def _maybe_compress(
    request: web.Request, response: web.StreamResponse, min_bytes: int | None
) -> None:
    # Large answers only: compressing a small one costs more time than the bytes it saves.
    if min_bytes is None or not isinstance(response, web.Response):
        return
    body = response.body
    if not isinstance(body, (bytes, bytearray)) or len(body) < min_bytes:
        return
    accepted = request.headers.get(hdrs.ACCEPT_ENCODING, "").lower()
    for coding in (web.ContentCoding.gzip, web.ContentCoding.deflate):
        if coding.value in accepted:
            response.enable_compression(coding)
            return


class ByteCounter(AbstractAccessLogger):
    """An access "logger" that adds each response's body bytes on the wire to the core's count.

    aiohttp reports ``body_length`` once the response is written, after compression, so the
    sum is what crossed the network (headers excluded).
    """

    def log(self, request: BaseRequest, response: web.StreamResponse, time: float) -> None:
        """Add the response's body length to ``bytes_sent``."""
        if isinstance(request, web.Request):
            request.app[CORE_KEY].bytes_sent += response.body_length

    @property
    def enabled(self) -> bool:
        """Always on: counting is cheap and logs nothing."""
        return True
