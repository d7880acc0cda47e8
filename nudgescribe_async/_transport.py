"""The one module that touches aiohttp: session, headers, sending, retries, error mapping.

:class:`Connection` owns (or borrows) the ``aiohttp.ClientSession``; :class:`Transport` turns a
:class:`RequestSpec` into HTTP with the configured headers, timeout and retry rules, and turns
the answer into decoded JSON or an exception from :mod:`._errors`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
import orjson
from multidict import CIMultiDict
from yarl import URL

from ._config import ClientConfig, to_client_timeout
from ._convert import loads
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    NudgescribeError,
    RequestValidationError,
    error_class_for,
)
from ._netinfo import outbound_ip
from ._redact import excerpt_raw, redact_headers
from ._retry import (
    Failure,
    RetryPolicy,
    backoff_delay,
    is_idempotent,
    jitter_source,
    parse_retry_after,
    should_retry,
)
from ._types import NotGiven, RequestSpec
from ._version import __version__

if TYPE_CHECKING:
    from ._auth import TokenManager

__all__ = ["RETRY_COUNT_HEADER", "Connection", "Transport", "normalise_path"]

log = logging.getLogger("nudgescribe")

USER_AGENT = f"nudgescribe-python/{__version__}"
RETRY_COUNT_HEADER = "x-nudgescribe-retry-count"
_URL_CACHE_SIZE = 256


class Connection:
    """Owns the aiohttp session: created lazily on the running loop, closed by :meth:`close`.

    A session the user passed in is used as is and never closed here.
    """

    def __init__(self, session: aiohttp.ClientSession | None = None) -> None:
        self._session = session
        self._owned = session is None
        self._closed = False

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has run."""
        return self._closed

    def session(self) -> aiohttp.ClientSession:
        """Return the session, creating ours on first use (must run on the event loop)."""
        if self._closed:
            raise RuntimeError("this Nudgescribe client is closed")
        if self._session is None:
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=100, ttl_dns_cache=300),
                json_serialize=lambda obj: orjson.dumps(obj).decode(),
                raise_for_status=False,
            )
            # aiohttp silently resends PUT and DELETE once when a kept-alive connection drops
            # (RFC 9110 calls PUT idempotent; this API creates with PUT). Our retry rules must be
            # the only ones, so turn that off on sessions we own. The attribute is private
            # (aio-libs/aiohttp#10790 asks for a public switch); a test pins the behaviour.
            if hasattr(session, "_retry_connection"):
                session._retry_connection = False
            self._session = session
        return self._session

    async def close(self) -> None:
        """Close our session (not a borrowed one); idempotent."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owned and not session.closed:
            await session.close()


class Transport:
    """Sends :class:`RequestSpec` objects for one :class:`ClientConfig`."""

    def __init__(
        self, config: ClientConfig, connection: Connection, tokens: TokenManager | None = None
    ) -> None:
        self.config = config
        self.connection = connection
        self.tokens = tokens
        self._policy = RetryPolicy(max_retries=config.max_retries)
        self._urls: dict[str, URL] = {}
        self._url_texts: dict[str, str] = {}
        self._auth_context = orjson.dumps(
            {"api_access": True, "api_code": config.api_code}
        ).decode()

    def url(self, path: str) -> URL:
        """The absolute URL of an API path such as ``/v1/cg`` (memoised: paths carry no ids)."""
        url = self._urls.get(path)
        if url is None:
            if len(self._urls) >= _URL_CACHE_SIZE:
                self._urls.clear()
            base = self.config.base_url
            url = self._urls[path] = base.with_path(
                base.path.rstrip("/") + normalise_path(path)
            )
        return url

    def url_text(self, path: str) -> str:
        """``str(self.url(path))``, memoised too (error messages name the URL)."""
        text = self._url_texts.get(path)
        if text is None:
            if len(self._url_texts) >= _URL_CACHE_SIZE:
                self._url_texts.clear()
            text = self._url_texts[path] = str(self.url(path))
        return text

    async def request(self, spec: RequestSpec) -> Any:
        """Send ``spec`` with retries; return the decoded JSON body of the 2xx answer."""
        # One normalised path decides both where the call goes and whether it may be resent.
        path = normalise_path(spec.path)
        url = self.url(path)
        idempotent = spec.idempotent
        if idempotent is None:
            idempotent = is_idempotent(spec.method, path)
        attempt = 0
        reauthenticated = False
        while True:
            headers, token = await self._headers(spec, attempt)
            try:
                status, resp_headers, raw = await self._send_once(spec, url, headers)
            except APIConnectionError as exc:
                error: NudgescribeError = exc
                retry = should_retry(attempt, self._policy, _failure_of(exc),
                                     idempotent=idempotent)
                retry_after = None
            else:
                if 200 <= status < 300:
                    return _decode_success(raw, url)
                api_error = _status_error(spec.method, url, status, resp_headers, raw)
                if status == 403 and token is not None and not reauthenticated:
                    # Revoked or expired early: renew the token once and retry once.
                    reauthenticated = True
                    assert self.tokens is not None
                    self.tokens.invalidate(token)
                    continue
                error, retry_after = api_error, api_error.retry_after
                retry = should_retry(
                    attempt, self._policy, Failure.STATUS, idempotent=idempotent,
                    status=status, quota_exceeded=api_error.error_code == "quota_exceeded",
                )
            if not retry:
                raise error
            delay = backoff_delay(attempt, self._policy, retry_after=retry_after,
                                  rand=jitter_source())
            log.info("retrying %s %s in %.2fs after %s (retry %d of %d)", spec.method, url,
                     delay, type(error).__name__, attempt + 1, self._policy.max_retries)
            await asyncio.sleep(delay)
            attempt += 1

    async def _headers(
        self, spec: RequestSpec, attempt: int
    ) -> tuple[CIMultiDict[str], str | None]:
        headers: CIMultiDict[str] = CIMultiDict()
        headers["User-Agent"] = USER_AGENT
        headers["Accept"] = "application/json"
        token: str | None = None
        if spec.auth == "bearer":
            if self.tokens is None:
                raise RuntimeError("transport has no token manager")
            token = await self.tokens.access_token()
            headers["Authorization"] = f"Bearer {token}"
            headers["x-auth-context"] = self._auth_context
            headers["x-ip"] = self.config.client_ip or outbound_ip(self.config.base_url.host)
        if attempt:
            headers[RETRY_COUNT_HEADER] = str(attempt)
        headers.update(spec.headers)
        return headers, token

    async def _send_once(
        self, spec: RequestSpec, url: URL, headers: CIMultiDict[str]
    ) -> tuple[int, Mapping[str, str], bytes]:
        timeout = self.config.timeout
        if not isinstance(spec.timeout, NotGiven) and spec.timeout is not None:
            timeout = to_client_timeout(spec.timeout)
        data: Any = None
        if spec.form is not None:
            data = _form_data(spec)
        elif spec.json is not None:
            data = orjson.dumps(spec.json)
            headers.setdefault("Content-Type", "application/json")
        started = time.perf_counter()
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s headers=%s", spec.method, url, redact_headers(headers))
        session = self.connection.session()
        try:
            # Never follow redirects: the API does not send them, and aiohttp would carry
            # x-api-key, x-auth-context and the auth body along to whatever host is named.
            async with session.request(
                spec.method, url, data=data, headers=headers, timeout=timeout,
                allow_redirects=False,
            ) as resp:
                raw = await resp.read()
                status, resp_headers = resp.status, resp.headers
        except aiohttp.ConnectionTimeoutError as exc:
            raise _ConnectTimeout("timed out connecting", method=spec.method,
                                  url=str(url)) from exc
        except (asyncio.TimeoutError, TimeoutError) as exc:
            raise APITimeoutError("timed out waiting for the response", method=spec.method,
                                  url=str(url)) from exc
        except aiohttp.ClientConnectorError as exc:
            raise _ConnectFailed(f"cannot connect: {exc.os_error.strerror or exc.os_error}",
                                 method=spec.method, url=str(url)) from exc
        except aiohttp.ClientError as exc:
            raise APIConnectionError(f"connection failed: {exc.__class__.__name__}",
                                     method=spec.method, url=str(url)) from exc
        log.debug("%s %s -> %d in %.1f ms (request_id=%s)", spec.method, url, status,
                  (time.perf_counter() - started) * 1000, resp_headers.get("x-request-id"))
        return status, resp_headers, raw


def normalise_path(path: str) -> str:
    """``v1/cg/`` -> ``/v1/cg``: one leading slash, no trailing slash.

    The API takes no query strings (every parameter travels in the JSON body), so ``?``, ``#``
    and ``.``/``..`` segments are refused rather than silently dropped or resolved.
    """
    stripped = path.strip()
    segments = stripped.strip("/").split("/")
    if not stripped or "?" in stripped or "#" in stripped or {".", ".."} & set(segments):
        raise RequestValidationError(
            "path", f"must be an API path like '/v1/cg' without query or dot segments: {path!r}"
        )
    return "/" + "/".join(segments)


class _ConnectFailed(APIConnectionError):
    """Connecting failed: the request was never sent."""


class _ConnectTimeout(APITimeoutError):
    """Connecting timed out: the request was never sent."""


def _failure_of(exc: Exception) -> Failure:
    if isinstance(exc, (_ConnectFailed, _ConnectTimeout)):
        return Failure.CONNECT
    if isinstance(exc, APITimeoutError):
        return Failure.TIMEOUT
    return Failure.CONNECTION


def _form_data(spec: RequestSpec) -> aiohttp.FormData:
    # Built afresh per attempt: an aiohttp FormData can be sent only once.
    form = aiohttp.FormData()
    for part in spec.form or ():
        form.add_field(part.name, part.value, filename=part.filename,
                       content_type=part.content_type)
    return form


def _decode_success(raw: bytes, url: URL) -> Any:
    return loads(raw, url=str(url)) if raw else {}


def _status_error(
    method: str, url: URL, status: int, headers: Mapping[str, str], raw: bytes
) -> APIStatusError:
    body: Any
    try:
        body = orjson.loads(raw) if raw else None
    except orjson.JSONDecodeError:
        body = excerpt_raw(raw)
    fields = body if isinstance(body, dict) else {}
    message = fields.get("message")
    if 300 <= status < 400:
        # Only scheme, host and path of the target: a query could carry a token.
        target = headers.get("Location", "?").split("?", 1)[0].split("#", 1)[0]
        message = f"unexpected redirect to {target!r}, not followed"
    elif not isinstance(message, str) or not message:
        message = _REASONS.get(status, "error")
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
