"""Turning an HTTP answer that is not a success into the right :class:`APIStatusError`.

Pure functions (no aiohttp, no I/O): :func:`error_body` decodes what the server sent (decoded
JSON, or a redacted text excerpt when it is not JSON or nests too deeply) and
:func:`status_error` picks the exception class and fills it in. A ``2xx`` answer whose JSON
says ``"success": false`` goes through here too, as an :class:`APIStatusError` with its real
status code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import orjson
from yarl import URL

from ._errors import APIStatusError, NudgescribeError, error_class_for
from ._limits import check_depth
from ._redact import excerpt_raw
from ._retry import parse_retry_after

__all__ = ["ALREADY_DELETED", "Response", "error_body", "status_error"]

#: What a retried DELETE returns when an earlier, unanswered attempt already deleted.
ALREADY_DELETED: Final = {
    "success": True,
    "message": "already deleted (a retried attempt found nothing left to delete)",
}

_NO_BODY = object()


@attrs.frozen
class Response:
    """One HTTP answer; the body is kept out of repr (a server may echo credentials)."""

    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    raw: bytes = attrs.field(repr=False)


def error_body(raw: bytes, decoded: Any = _NO_BODY) -> Any:
    """The decoded JSON of an error answer, or a redacted excerpt of its text."""
    body: Any = decoded
    if body is _NO_BODY:
        try:
            body = orjson.loads(raw) if raw else None
        except orjson.JSONDecodeError:
            return excerpt_raw(raw)
    try:
        check_depth(body)
    except NudgescribeError:
        return excerpt_raw(raw)
    return body


def status_error(
    method: str, url: URL, status: int, headers: Mapping[str, str], body: Any
) -> APIStatusError:
    """The exception for an answer with ``status`` and decoded ``body`` (see :func:`error_body`)."""
    fields = body if isinstance(body, dict) else {}
    message = fields.get("message")
    if 300 <= status < 400:
        # Only scheme, host and path of the target: a query could carry a token.
        target = headers.get("Location", "?").split("?", 1)[0].split("#", 1)[0]
        message = f"unexpected redirect to {target!r}, not followed"
    elif not isinstance(message, str) or not message:
        message = _REASONS.get(status, "the server reported failure")
    error_code = fields.get("error_code")
    errors = fields.get("errors")
    cls = error_class_for(status, body)
    return cls(
        message,
        status_code=status,
        method=method,
        url=str(url),
        body=body,
        error_code=error_code if isinstance(error_code, str) else None,
        errors=[e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else (),
        request_id=headers.get("x-request-id"),
        retry_after=parse_retry_after(headers.get("Retry-After")),
    )


_REASONS = {
    200: 'the server answered "success": false',
    201: 'the server answered "success": false',
    400: "bad request",
    401: "required fields missing",
    403: "authentication failed",
    404: "not found",
    409: "conflict",
    429: "rate limited",
    500: "server error",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway timeout",
}
