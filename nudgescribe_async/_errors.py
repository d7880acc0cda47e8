"""The exception tree of the Nudgescribe SDK.

Every error the SDK raises on purpose derives from :class:`NudgescribeError`::

    NudgescribeError
    ├── ConfigurationError            missing credentials or a bad option, before any I/O
    ├── ClientClosedError             a call after aclose(), on a closed session or another loop
    ├── RequestValidationError        bad call arguments, before any I/O (names the argument)
    ├── ResponseDecodeError           malformed JSON or a payload of the wrong shape
    ├── WaitTimeoutError              a waiter (wait_for_status / wait_for_export) gave up
    ├── APIConnectionError            the request never got a complete HTTP answer
    │   ├── APIConnectError           ... because connecting failed: it was never sent
    │   │   └── APIConnectTimeoutError  (also an APITimeoutError) connecting timed out
    │   └── APITimeoutError           ... because a timeout ran out
    └── APIStatusError                the server answered with a non-2xx status
        ├── BadRequestError           400: business rule refused or malformed value
        │   └── UploadValidationError 400 on a customer upload: header and row errors
        ├── MissingFieldsError        401: required body fields missing (NOT an auth failure)
        ├── AuthenticationError       403: missing, expired or invalid authentication
        ├── NotFoundError             404: unknown id
        │   └── ExportNotReadyError   404 from messages.fetch: no exported files yet
        ├── ConflictError             409: duplicate name, rerun already processing
        ├── RateLimitError            429: rate limited (``retry_after`` seconds, if sent)
        │   └── QuotaExceededError    429 with ``error_code == "quota_exceeded"``
        └── ServerError               5xx

Note the contract's unusual codes: 401 means *missing fields*, 403 means *authentication*.
Messages never contain API keys, secrets or tokens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nudgescribe_async.models import HeaderError, RowError

__all__ = [
    "APIConnectError",
    "APIConnectTimeoutError",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ExportNotReadyError",
    "MissingFieldsError",
    "NotFoundError",
    "NudgescribeError",
    "QuotaExceededError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseDecodeError",
    "ServerError",
    "UploadValidationError",
    "WaitTimeoutError",
    "error_class_for",
]


class NudgescribeError(Exception):
    """Base class of every error the SDK raises on purpose."""


class ConfigurationError(NudgescribeError):
    """The client is missing a credential or got an option it cannot use."""


class ClientClosedError(NudgescribeError, RuntimeError):
    """The client cannot send: it was closed, the aiohttp session it was given is closed, or
    its session belongs to another (finished) event loop. The message says what to do."""


class RequestValidationError(NudgescribeError, ValueError):
    """A call argument is invalid; raised before any I/O.

    ``argument`` names the offending argument, e.g. ``"page_size"``.
    """

    def __init__(self, argument: str, problem: str) -> None:
        self.argument = argument
        self.problem = problem
        super().__init__(f"{argument}: {problem}")


class ResponseDecodeError(NudgescribeError):
    """The response was not JSON, or did not have the shape the SDK expects.

    ``path`` points at the offending value (``$.customers[3].page``) when known, and
    ``excerpt`` holds the start of the body (at most a few hundred characters).
    """

    def __init__(
        self, message: str, *, path: str | None = None, excerpt: str = "", url: str | None = None
    ) -> None:
        self.path = path
        self.excerpt = excerpt
        self.url = url
        text = message
        if path:
            text += f" at {path}"
        if url:
            text += f" (from {url})"
        if excerpt:
            text += f"; body starts: {excerpt!r}"
        super().__init__(text)


class WaitTimeoutError(NudgescribeError, TimeoutError):
    """A waiter polled until its timeout without seeing the awaited state."""


class APIConnectionError(NudgescribeError):
    """The request did not get a complete HTTP response (refused, reset, truncated)."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        self.method = method
        self.url = url
        super().__init__(f"{message} ({method} {url})")


class APITimeoutError(APIConnectionError):
    """A timeout ran out before the response was complete."""


class APIConnectError(APIConnectionError):
    """Connecting to the server failed (refused, unreachable, DNS): the request was never sent.

    Always safe to retry, and the SDK does (``max_retries``), whatever the call.
    """


class APIConnectTimeoutError(APIConnectError, APITimeoutError):
    """Connecting timed out: the request was never sent (both a connect and a timeout error)."""


class APIStatusError(NudgescribeError):
    """The server answered with a non-success status.

    Attributes: ``status_code``, ``message`` (server text), ``error_code`` (e.g.
    ``"quota_exceeded"``), ``errors`` (field errors), ``body`` (decoded JSON or raw text),
    ``request_id`` (the ``x-request-id`` header), ``method`` and ``url``.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        method: str,
        url: str,
        body: Any = None,
        error_code: str | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.method = method
        self.url = url
        self.body = body
        self.error_code = error_code
        self.errors: list[Mapping[str, Any]] = list(errors)
        self.request_id = request_id
        self.retry_after = retry_after
        detail = f"{status_code} {message}"
        if error_code:
            detail += f" [{error_code}]"
        detail += f" ({method} {url}"
        if request_id:
            detail += f", request_id={request_id}"
        super().__init__(detail + ")")


class BadRequestError(APIStatusError):
    """400: a business rule refused the call, or a value is malformed."""


class UploadValidationError(BadRequestError):
    """400 on a customer upload; nothing was stored.

    ``header_errors`` and ``row_errors`` hold the server's findings as ``HeaderError``
    (``.column``, ``.message``) and ``RowError`` (``.row``, ``.field``, ``.message``) objects,
    the same types as ``UploadResult`` of ``validate_only=True``. ``str(exc)`` names the first
    few: ``... : row 1234 joined: not a yyyy-MM-dd date; column 'x': unknown; and 3 more``.
    """

    #: How many errors ``str(exc)`` names before "and N more".
    SHOWN_ERRORS = 3

    @property
    def header_errors(self) -> list[HeaderError]:
        """The column problems the server reported."""
        from nudgescribe_async.models import HeaderError

        return [
            HeaderError(
                column=_text_or_none(item.get("column")),
                message=str(item.get("message", "")),
                extra=_rest(item, _HEADER),
            )
            for item in _list_of_dicts(self.body, "header_errors")
        ]

    @property
    def row_errors(self) -> list[RowError]:
        """The value problems the server reported (``row`` is the 1-based data row)."""
        from nudgescribe_async.models import RowError

        return [
            RowError(
                row=row,
                field=_text_or_none(item.get("field")),
                message=str(item.get("message", "")),
                extra=_rest(item, _ROW),
            )
            for item in _list_of_dicts(self.body, "row_errors")
            if isinstance(row := item.get("row"), int) and not isinstance(row, bool)
        ]

    def __str__(self) -> str:
        """The status line, then the first few header and row errors."""
        problems = [f"column {e.column!r}: {e.message}" for e in self.header_errors]
        problems += [
            f"row {e.row}{' ' + e.field if e.field else ''}: {e.message}" for e in self.row_errors
        ]
        if not problems:
            return super().__str__()
        shown = "; ".join(problems[: self.SHOWN_ERRORS])
        more = len(problems) - self.SHOWN_ERRORS
        return f"{super().__str__()}: {shown}" + (f"; and {more} more" if more > 0 else "")


class MissingFieldsError(APIStatusError):
    """401: required body fields are missing (the contract's meaning, not an auth failure)."""


class AuthenticationError(APIStatusError):
    """403: authentication missing, expired or invalid."""


class NotFoundError(APIStatusError):
    """404: the id is unknown."""


class ExportNotReadyError(NotFoundError):
    """404 from ``messages.fetch`` while the campaign has no exported files yet.

    The API answers a file that does not exist *yet* like one that never will; the SDK asks
    for the file count and raises this when it is 0 (export still running, or the campaign
    was never published). Wait with ``messages.wait_for_export()``.
    """


class ConflictError(APIStatusError):
    """409: duplicate name, or a rerun is already processing."""


class RateLimitError(APIStatusError):
    """429: rate limited; ``retry_after`` holds the server's wait in seconds, if any."""


class QuotaExceededError(RateLimitError):
    """429 with ``error_code == "quota_exceeded"``: the quota is spent; retrying won't help."""


class ServerError(APIStatusError):
    """5xx: the server failed."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: MissingFieldsError,
    403: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def error_class_for(status: int, body: Any) -> type[APIStatusError]:
    """Return the exception class for an error status and its decoded body."""
    if (
        status == 400
        and isinstance(body, Mapping)
        and (body.get("header_errors") or body.get("row_errors"))
    ):
        return UploadValidationError
    if status == 429 and isinstance(body, Mapping) and body.get("error_code") == "quota_exceeded":
        return QuotaExceededError
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, APIStatusError)


_HEADER = frozenset({"column", "message"})
_ROW = frozenset({"row", "field", "message"})


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _rest(item: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in known}


def _list_of_dicts(body: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(body, Mapping):
        return []
    value = body.get(key)
    if not isinstance(value, list):
        return []
    return [dict(item) for item in value if isinstance(item, Mapping)]
