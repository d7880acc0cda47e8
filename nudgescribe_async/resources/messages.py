"""``client.messages``: publish a campaign's messages and read the exported files.

Publishing queues an export job; its files appear in secure storage once the job is done
(``count_pages`` reports 0 until then; :meth:`AsyncMessages.wait_for_export` polls for you).
Each exported file holds at most 1000 rows and can be fetched as CSV text, JSON rows or a
pre-signed download URL (current run only).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, overload

import attrs

from nudgescribe_async._endpoints import MESSAGES_FETCH, MESSAGES_PAGE_COUNT, MESSAGES_PUBLISH
from nudgescribe_async._errors import (
    ExportNotReadyError,
    NotFoundError,
    NudgescribeError,
    RequestValidationError,
)
from nudgescribe_async._pagination import DEFAULT_CONCURRENCY, AsyncPager, PageResult
from nudgescribe_async._types import NOT_GIVEN, CallOptions, NotGiven, TimeoutLike
from nudgescribe_async.models import (
    CsvExport,
    ExportedMessage,
    ExportFormat,
    ExportPage,
    JsonExport,
    MessagePageCount,
    PublishResult,
    UrlExport,
    export_model_for,
)
from nudgescribe_async.resources._base import PagedResource
from nudgescribe_async.resources._validate import (
    require_concurrency,
    require_id,
    require_page,
    require_run_number,
    require_seconds,
    require_timeout,
)
from nudgescribe_async.resources._wait import poll_until

__all__ = ["AsyncMessages"]


class AsyncMessages(PagedResource):
    """Publish a campaign, count and fetch its exported files, list every exported row."""

    async def publish(
        self,
        campaign_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> PublishResult:
        """Export a ``Ready to publish`` campaign's messages (``POST /v1/messages/publish``).

        The campaign (and its messages) become ``Published`` and an export job is queued.
        Other statuses raise ``BadRequestError``; a spent quota ``QuotaExceededError``. Not
        retried on timeouts or 5xx (it triggers work).

        >>> result = await client.messages.publish("cmp_1")  # doctest: +SKIP
        >>> result.job_uid  # doctest: +SKIP
        'job_...'
        """
        body = {"campaign_id": require_id("campaign_id", campaign_id)}
        return await self._call(
            MESSAGES_PUBLISH,
            body,
            PublishResult,
            CallOptions(extra_body, extra_headers, timeout),
        )

    async def count_pages(
        self,
        campaign_id: str,
        *,
        run_number: int | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> MessagePageCount:
        """Return how many exported files exist (``POST /v1/messages/pages``); 0 until done.

        Without ``run_number`` only the current run's folder counts; with it, that run's.

        >>> count = await client.messages.count_pages("cmp_1")  # doctest: +SKIP
        >>> count.total_pages  # doctest: +SKIP
        3
        """
        return await self._count_pages(
            campaign_id, run_number, CallOptions(extra_body, extra_headers, timeout)
        )

    async def _count_pages(
        self, campaign_id: str, run_number: int | None, options: CallOptions
    ) -> MessagePageCount:
        body = _body(campaign_id, run_number)
        return await self._call(MESSAGES_PAGE_COUNT, body, MessagePageCount, options)

    @overload
    async def fetch(
        self,
        campaign_id: str,
        page: int,
        *,
        format: Literal["csv", ExportFormat.CSV],
        run_number: int | None = ...,
        extra_body: Mapping[str, Any] | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: TimeoutLike | NotGiven | None = ...,
    ) -> CsvExport: ...

    @overload
    async def fetch(
        self,
        campaign_id: str,
        page: int,
        *,
        format: Literal["json", ExportFormat.JSON] = ...,
        run_number: int | None = ...,
        extra_body: Mapping[str, Any] | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: TimeoutLike | NotGiven | None = ...,
    ) -> JsonExport: ...

    @overload
    async def fetch(
        self,
        campaign_id: str,
        page: int,
        *,
        format: Literal["url", ExportFormat.URL],
        run_number: None = ...,
        extra_body: Mapping[str, Any] | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: TimeoutLike | NotGiven | None = ...,
    ) -> UrlExport: ...

    @overload
    async def fetch(
        self,
        campaign_id: str,
        page: int,
        *,
        format: ExportFormat | str,
        run_number: int | None = ...,
        extra_body: Mapping[str, Any] | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        timeout: TimeoutLike | NotGiven | None = ...,
    ) -> ExportPage: ...

    async def fetch(
        self,
        campaign_id: str,
        page: int,
        *,
        format: ExportFormat | str = "json",
        run_number: int | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> ExportPage:
        """Fetch one exported file (``POST /v1/messages/fetch``) in the chosen ``format``.

        ``"json"`` returns :class:`JsonExport` (``.messages``, at most 1000 rows), ``"csv"``
        :class:`CsvExport` (``.content``), ``"url"`` :class:`UrlExport` (``.url``,
        ``.expires_at``). Pre-signed URLs exist only for the current run, so ``format="url"``
        with a ``run_number`` is refused before sending; fetch a past run as json or csv.

        >>> rows = await client.messages.fetch("cmp_1", 1)  # doctest: +SKIP
        >>> link = await client.messages.fetch("cmp_1", 1, format="url")  # doctest: +SKIP
        >>> old = await client.messages.fetch("cmp_1", 1, format="csv", run_number=1)
        ... # doctest: +SKIP
        """
        fmt = _export_format(format)
        options = CallOptions(extra_body, extra_headers, timeout)
        data = await self._fetch_raw(campaign_id, page, fmt, run_number, options)
        model: type[ExportPage] = export_model_for(fmt)
        return self._decode(data, model, MESSAGES_FETCH.path)

    async def _fetch_raw(
        self,
        campaign_id: str,
        page: int,
        fmt: str,
        run_number: int | None,
        options: CallOptions,
    ) -> Any:
        """The HTTP exchange of :meth:`fetch`: the decoded JSON, not yet structured."""
        body = {**_body(campaign_id, run_number), "page": require_page(page), "format": fmt}
        if fmt == ExportFormat.URL.value and run_number is not None:
            raise RequestValidationError(
                "run_number",
                "pre-signed URLs exist only for the current run; omit "
                "run_number or fetch a past run with format='json' or 'csv'",
            )
        try:
            return await self._raw(MESSAGES_FETCH, body, options)
        except NotFoundError as exc:
            raise await self._explain_missing_file(
                exc, campaign_id, page, run_number, options
            ) from exc

    async def _explain_missing_file(
        self,
        exc: NotFoundError,
        campaign_id: str,
        page: int,
        run_number: int | None,
        options: CallOptions,
    ) -> NotFoundError:
        """Say whether a 404 file is not exported yet or beyond the last file, when we can tell.

        One ``count_pages`` call decides; if it fails too (unknown campaign), ``exc`` stands.
        """
        try:
            # The same headers and timeout, not the extra body (it was meant for the fetch).
            count = await self._count_pages(
                campaign_id, run_number, attrs.evolve(options, extra_body=None)
            )
        except NudgescribeError:
            return exc
        run = f" run {run_number}" if run_number is not None else ""
        fields: dict[str, Any] = {
            "status_code": exc.status_code,
            "method": exc.method,
            "url": exc.url,
            "body": exc.body,
            "error_code": exc.error_code,
            "request_id": exc.request_id,
        }
        if count.total_pages == 0:
            return ExportNotReadyError(
                f"campaign {campaign_id}{run} has no exported files yet (the export is still "
                "running, or the campaign was never published); wait with "
                "messages.wait_for_export()",
                **fields,
            )
        if page > count.total_pages:
            return NotFoundError(
                f"file {page} does not exist: campaign {campaign_id}{run} has "
                f"{count.total_pages} exported file(s)",
                **fields,
            )
        return exc

    def list(
        self,
        campaign_id: str,
        *,
        run_number: int | None = None,
        concurrency: int | Literal["auto"] = DEFAULT_CONCURRENCY,
        start_page: int = 1,
        pages: range | None = None,
        shard: tuple[int, int] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> AsyncPager[ExportedMessage]:
        """Return a pager over every row of every exported file, in file order.

        The file count comes from ``count_pages`` (so publish and wait for the export first);
        each file is fetched as JSON, up to ``concurrency`` at once. No I/O until iterated.
        ``start_page`` skips the files before it (to resume an interrupted pass).
        ``pages=range(a, b)`` or ``shard=(i, n)`` limit it to a block of pages (see
        :func:`~nudgescribe_async.plan_page_ranges`), so workers can split one export.
        ``concurrency="auto"`` adapts the requests in flight to the service (shrinks on 429,
        grows while latency holds), sharing one limit with the client's other auto pagers.

        >>> rows = await client.messages.list("cmp_1").collect()  # doctest: +SKIP
        """
        campaign = require_id("campaign_id", campaign_id)
        run = require_run_number(run_number)
        require_concurrency(concurrency)
        require_timeout(timeout)
        options = CallOptions(extra_body, extra_headers, timeout)

        async def count() -> int:
            return (await self._count_pages(campaign, run, options)).total_pages

        async def fetch(number: int) -> Any:
            # The HTTP exchange only: the pager decodes after giving back the in-flight slot.
            return await self._fetch_raw(campaign, number, ExportFormat.JSON.value, run, options)

        def decode(data: Any) -> PageResult[ExportedMessage]:
            return PageResult(self._decode(data, JsonExport, MESSAGES_FETCH.path).messages)

        return AsyncPager(
            fetch,
            decode_page=decode,
            count_pages=count,
            concurrency=concurrency,
            start_page=start_page,
            pages=pages,
            shard=shard,
            limiter=self._limiter,
        )

    async def wait_for_export(
        self,
        campaign_id: str,
        *,
        run_number: int | None = None,
        timeout: float = 300.0,
        poll_interval: float = 2.0,
        request_timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> MessagePageCount:
        """Poll :meth:`count_pages` until the export has files (> 0); return that count.

        ``timeout`` is the overall budget in seconds (raises ``WaitTimeoutError``, a
        ``TimeoutError``); ``poll_interval`` the pause between polls. Because ``timeout`` is
        taken, the per-request timeout of each poll is called ``request_timeout`` here.

        >>> await client.messages.publish("cmp_1")  # doctest: +SKIP
        >>> count = await client.messages.wait_for_export("cmp_1", timeout=120)  # doctest: +SKIP
        """
        campaign = require_id("campaign_id", campaign_id)
        run = require_run_number(run_number)
        budget = require_seconds("timeout", timeout, allow_zero=True)
        interval = require_seconds("poll_interval", poll_interval)
        require_timeout(request_timeout, "request_timeout")

        options = CallOptions(extra_body, extra_headers, request_timeout)

        async def probe() -> MessagePageCount:
            return await self._count_pages(campaign, run, options)

        run_text = "the current run" if run is None else f"run {run}"
        return await poll_until(
            probe,
            lambda count: count.total_pages > 0,
            timeout=budget,
            poll_interval=interval,
            describe=lambda _: f"campaign {campaign} has no exported files yet for {run_text}",
        )


def _body(campaign_id: str, run_number: int | None) -> dict[str, Any]:
    body: dict[str, Any] = {"campaign_id": require_id("campaign_id", campaign_id)}
    run = require_run_number(run_number)
    if run is not None:
        body["run_number"] = run
    return body


def _export_format(value: object) -> str:
    if isinstance(value, str):
        text = str(value).lower()  # str() gives an ExportFormat member's value
        if text in {f.value for f in ExportFormat}:
            return text
    raise RequestValidationError("format", f"must be 'csv', 'json' or 'url', got {value!r}")
