"""The one module that touches aiohttp: session, headers, sending, retries, error mapping.

:class:`Transport` turns a :class:`RequestSpec` into HTTP over the session of a
:class:`~._connection.Connection`, with the configured headers, timeout and retry rules, and
turns the answer into decoded JSON or an exception from :mod:`._errors`.

The transport knows no tokens. A call that authenticates passes a :class:`RequestAuth` (as
httpx passes an ``Auth``): it adds its headers before every attempt and may ask, after an error
status, for the same attempt to go again at once (the sender's 403 rule, :mod:`._sender`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Mapping, MutableMapping
from typing import Any, Protocol

import aiohttp
from multidict import CIMultiDict
from yarl import URL

from ._adaptive import acquire_permit
from ._config import ClientConfig, to_client_timeout
from ._connection import Connection
from ._endpoints import normalise_path
from ._errors import (
    APIConnectError,
    APIConnectionError,
    APIConnectTimeoutError,
    APITimeoutError,
    NudgescribeError,
    RequestValidationError,
    ResponseDecodeError,
)
from ._jsonload import loads
from ._limits import Deadline
from ._outgoing import Encoded, check_headers, check_method, encode_json
from ._redact import redact_headers
from ._responses import ALREADY_DELETED, Response, error_body, status_error
from ._retry import (
    Failure,
    RetryPolicy,
    backoff_delay,
    jitter_source,
    should_retry,
)
from ._secrets import Secret, install_log_filter, reveal, scrub_error
from ._types import NotGiven, RequestSpec
from ._version import __version__

__all__ = ["RETRY_COUNT_HEADER", "RequestAuth", "Transport"]

log = logging.getLogger("nudgescribe")
install_log_filter(log)  # no secret value in any record of this logger

USER_AGENT = f"nudgescribe-python/{__version__}"
RETRY_COUNT_HEADER = "x-nudgescribe-retry-count"
_URL_CACHE_SIZE = 256
#: What every request says about itself; copied, then the call's own headers are added.
_BASE_HEADERS = CIMultiDict({"User-Agent": USER_AGENT, "Accept": "application/json"})


class RequestAuth(Protocol):
    """How one call authenticates; the transport asks it on every attempt (httpx ``Auth``-style).

    One object per call, so it may remember what it sent on the last attempt.
    """

    async def apply(self, headers: MutableMapping[str, str]) -> None:
        """Add the headers that authenticate the next attempt."""
        ...

    def resend(self, status: int) -> bool:
        """After an error ``status``: whether to send the same attempt again, at once.

        True when the credentials were renewed; the resend is not counted as a retry, waits no
        backoff and stays within the call's deadline.
        """
        ...


class Transport:
    """Sends :class:`RequestSpec` objects for one :class:`ClientConfig`."""

    def __init__(self, config: ClientConfig, connection: Connection) -> None:
        self.config = config
        self.connection = connection
        self._policy = RetryPolicy(max_retries=config.max_retries)
        self._urls: dict[str, URL] = {}
        self._url_texts: dict[str, str] = {}

    def url(self, path: str) -> URL:
        """The absolute URL of an API path such as ``/v1/cg`` (memoised: paths carry no ids)."""
        url = self._urls.get(path)
        if url is None:
            if len(self._urls) >= _URL_CACHE_SIZE:
                self._urls.clear()
            base = self.config.base_url
            url = self._urls[path] = base.with_path(base.path.rstrip("/") + normalise_path(path))
        return url

    def url_text(self, path: str) -> str:
        """``str(self.url(path))``, memoised too (error messages name the URL)."""
        text = self._url_texts.get(path)
        if text is None:
            if len(self._url_texts) >= _URL_CACHE_SIZE:
                self._url_texts.clear()
            text = self._url_texts[path] = str(self.url(path))
        return text

    async def request(self, spec: RequestSpec, auth: RequestAuth | None = None) -> Any:
        """Send ``spec`` with retries; return the decoded JSON body of the 2xx answer.

        ``auth`` (if any) adds its headers to every attempt. Every SDK error leaving here has
        the client's secrets scrubbed from its text.
        """
        try:
            return await self._request(spec, auth)
        except NudgescribeError as exc:
            scrub_error(exc)
            raise

    async def _request(self, spec: RequestSpec, auth: RequestAuth | None) -> Any:
        # Everything the request carries is checked and encoded once, before any I/O: a bad
        # value never costs a request, not even the authentication.
        endpoint = spec.endpoint
        method = check_method(endpoint.method)
        url = self.url(endpoint.path)
        extra_headers = check_headers(spec.headers)
        body = None if spec.json is None or spec.form is not None else encode_json(spec.json)
        timeout = self.config.timeout
        if not isinstance(spec.timeout, NotGiven) and spec.timeout is not None:
            timeout = _per_call_timeout(spec.timeout)
        idempotent = endpoint.idempotent
        deadline = Deadline(self.config.deadline)
        attempt = 0
        # Set once an attempt may have reached the server without us seeing the answer.
        maybe_applied = False
        while True:
            headers = await self._headers(auth, extra_headers, attempt)
            try:
                response = await self._send_limited(
                    method, url, spec, body, headers, deadline.bound(timeout)
                )
            except APIConnectionError as exc:
                error: NudgescribeError = exc
                failure = _failure_of(exc)
                maybe_applied = maybe_applied or failure is not Failure.CONNECT
                retry = should_retry(attempt, self._policy, failure, idempotent=idempotent)
                retry_after = None
            else:
                status = response.status
                if 200 <= status < 300:
                    return self._decode_success(method, url, response)
                if status == 404 and method == "DELETE" and maybe_applied:
                    # An earlier attempt was lost on the way back; deleting what is already
                    # gone is what the caller asked for.
                    log.info(
                        "%s %s: retried DELETE found nothing left; an earlier attempt succeeded",
                        method,
                        url,
                    )
                    return dict(ALREADY_DELETED)
                api_error = status_error(
                    method, url, status, response.headers, error_body(response.raw)
                )
                if auth is not None and auth.resend(status):
                    continue  # renewed credentials: the same attempt again (see RequestAuth)
                error, retry_after = api_error, api_error.retry_after
                retry = should_retry(
                    attempt,
                    self._policy,
                    Failure.STATUS,
                    idempotent=idempotent,
                    status=status,
                    quota_exceeded=api_error.error_code == "quota_exceeded",
                )
            if not retry:
                raise error
            delay = backoff_delay(
                attempt, self._policy, retry_after=retry_after, rand=jitter_source()
            )
            if not deadline.allows_wait(delay):
                log.info(
                    "not retrying %s %s: waiting %.2fs would overrun the %gs deadline",
                    method,
                    url,
                    delay,
                    deadline.seconds,
                )
                raise error
            log.info(
                "retrying %s %s in %.2fs after %s (retry %d of %d)",
                method,
                url,
                delay,
                type(error).__name__,
                attempt + 1,
                self._policy.max_retries,
            )
            await asyncio.sleep(delay)
            attempt += 1

    async def _headers(
        self, auth: RequestAuth | None, extra: Mapping[str, str | Secret], attempt: int
    ) -> _Headers:
        headers = _Headers(_BASE_HEADERS)
        if auth is not None:
            await auth.apply(headers)
        if attempt:
            headers[RETRY_COUNT_HEADER] = str(attempt)
        for name, value in extra.items():
            headers[name] = reveal(value)
        return headers

    async def _send_limited(
        self,
        method: str,
        url: URL,
        spec: RequestSpec,
        body: Encoded | None,
        headers: _Headers,
        timeout: aiohttp.ClientTimeout,
    ) -> Response:
        # Under an adaptive limiter (a pager with concurrency="auto") each attempt holds one
        # permit, and its status steers the limit; retry backoff is slept without one.
        if self.config.rate_limiter is not None:
            await self.config.rate_limiter.acquire()
        waiting = acquire_permit()
        if waiting is None:
            return await self._send_once(method, url, spec, body, headers, timeout)
        permit = await waiting
        status = None
        try:
            response = await self._send_once(method, url, spec, body, headers, timeout)
            status = response.status
            return response
        finally:
            permit.release(status)

    async def _send_once(
        self,
        method: str,
        url: URL,
        spec: RequestSpec,
        body: Encoded | None,
        headers: _Headers,
        timeout: aiohttp.ClientTimeout,
    ) -> Response:
        data: Any = None
        if spec.form is not None:
            data = _form_data(spec)
        elif body is not None:
            headers.setdefault("Content-Type", "application/json")
        debug = log.isEnabledFor(logging.DEBUG)
        started = 0.0
        if debug:
            log.debug("%s %s headers=%s", method, url, redact_headers(headers))
            started = time.perf_counter()
        session = self.connection.session()
        limit = self.config.max_response_bytes
        try:
            # Never follow redirects: the API does not send them, and aiohttp would carry
            # x-api-key, x-auth-context and the auth body along to whatever host is named.
            async with session.request(
                method,
                url,
                data=body.body if body is not None else data,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
            ) as resp:
                response = Response(resp.status, resp.headers, await _read_capped(resp, limit))
        except aiohttp.ConnectionTimeoutError as exc:
            raise APIConnectTimeoutError(
                "timed out connecting", method=method, url=str(url)
            ) from _bare(exc)
        except (asyncio.TimeoutError, TimeoutError) as exc:
            raise APITimeoutError(
                "timed out waiting for the response", method=method, url=str(url)
            ) from _bare(exc)
        except aiohttp.ClientConnectorError as exc:
            raise APIConnectError(_connect_problem(exc), method=method, url=str(url)) from _bare(
                exc
            )
        except aiohttp.ClientError as exc:
            raise APIConnectionError(
                f"connection failed: {exc.__class__.__name__}", method=method, url=str(url)
            ) from _bare(exc)
        except _TooLarge as exc:
            raise ResponseDecodeError(
                f"response body is larger than max_response_bytes={limit} ({exc.args[0]}); "
                "raise the client's max_response_bytes if this is expected",
                url=str(url),
            ) from None
        if debug:
            log.debug(
                "%s %s -> %d in %.1f ms (request_id=%s)",
                method,
                url,
                response.status,
                (time.perf_counter() - started) * 1000,
                response.headers.get("x-request-id"),
            )
        return response

    def _decode_success(self, method: str, url: URL, response: Response) -> Any:
        data = loads(response.raw, url=url) if response.raw else {}
        if type(data) is dict and data.get("success") is False:
            # A 2xx that says it failed: an error, never a model that looks successful.
            error = status_error(
                method, url, response.status, response.headers, error_body(response.raw, data)
            )
            del data  # not in a traceback that captures locals: the body may echo secrets
            raise error
        return data


class _Headers(CIMultiDict[str]):
    """Request headers; the repr hides them (they carry the bearer token and the API key)."""

    def __repr__(self) -> str:
        return f"<request headers: {', '.join(self.keys())}>"


class _TooLarge(Exception):
    """The body grew past the size cap (args: a description of how large)."""


async def _read_capped(resp: aiohttp.ClientResponse, limit: int) -> bytes:
    """The body, refusing one larger than ``limit`` bytes without reading it all."""
    length = resp.content_length
    if length is not None and length > limit:
        raise _TooLarge(f"Content-Length {length}")
    if length is not None and not resp.headers.get("Content-Encoding"):
        return await resp.read()
    # Unknown length or compressed: count the decoded bytes as they arrive.
    chunks: list[bytes] = []
    total = 0
    async for chunk in resp.content.iter_chunked(1 << 16):
        total += len(chunk)
        if total > limit:
            raise _TooLarge(f"more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _bare(exc: BaseException) -> BaseException:
    """``exc`` and its causes without tracebacks: aiohttp's frames hold the request headers and
    body, and the socket frames below them only lengthen a connection error's report."""
    cause: BaseException | None = exc
    while cause is not None:
        cause.with_traceback(None)
        cause = cause.__cause__ or cause.__context__
    return exc


def _per_call_timeout(value: Any) -> aiohttp.ClientTimeout:
    try:
        return to_client_timeout(value)
    except NudgescribeError as exc:
        raise RequestValidationError("timeout", str(exc)) from None


def _connect_problem(exc: aiohttp.ClientConnectorError) -> str:
    """``cannot connect to 127.0.0.1:9: connection refused`` (the OS reason, in words)."""
    error = exc.os_error
    reason = os.strerror(error.errno) if error.errno else str(error.strerror or error)
    return f"cannot connect to {exc.host}:{exc.port}: {reason[:1].lower()}{reason[1:]}"


def _failure_of(exc: Exception) -> Failure:
    if isinstance(exc, APIConnectError):
        return Failure.CONNECT
    if isinstance(exc, APITimeoutError):
        return Failure.TIMEOUT
    return Failure.CONNECTION


def _form_data(spec: RequestSpec) -> aiohttp.FormData:
    # Built afresh per attempt: an aiohttp FormData can be sent only once.
    form = aiohttp.FormData()
    for part in spec.form or ():
        form.add_field(
            part.name, part.value, filename=part.filename, content_type=part.content_type
        )
    return form
