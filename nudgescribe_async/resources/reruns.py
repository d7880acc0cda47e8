"""``client.reruns``: rerun a published campaign on a new group; run history and messages.

There is no job-status endpoint. :meth:`AsyncReruns.initiate` itself sets the campaign's status
(``Ready for review`` or ``Ready to publish``, as published); the background job then generates
the new run's messages, so poll the run history or the run's messages to see them arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from nudgescribe_async._endpoints import RERUN_HISTORY, RERUN_INITIATE, RERUN_MESSAGES
from nudgescribe_async._pagination import DEFAULT_CONCURRENCY, AsyncPager, PageResult
from nudgescribe_async._types import NOT_GIVEN, CallOptions, NotGiven, TimeoutLike
from nudgescribe_async.models import RerunResult, RunHistory, RunMessage, RunMessagePage
from nudgescribe_async.resources._base import PagedResource
from nudgescribe_async.resources._validate import (
    given,
    optional_page,
    optional_page_size,
    require_concurrency,
    require_id,
    require_page_size,
    require_run_number,
    require_timeout,
)

__all__ = ["AsyncReruns"]


class AsyncReruns(PagedResource):
    """Initiate reruns, read the run history, and page through a run's messages."""

    async def history(
        self,
        campaign_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> RunHistory:
        """Return the campaign's runs, newest first (``POST /v1/campaign/rerun/history``).

        A campaign never rerun still has one run: the ``synthesized`` Run #1.

        >>> history = await client.reruns.history("cmp_1")  # doctest: +SKIP
        >>> [run.run_number for run in history.runs]  # doctest: +SKIP
        [2, 1]
        """
        body = {"campaign_id": require_id("campaign_id", campaign_id)}
        return await self._call(
            RERUN_HISTORY,
            body,
            RunHistory,
            CallOptions(extra_body, extra_headers, timeout),
        )

    async def get_messages(
        self,
        campaign_id: str,
        *,
        run_number: int | None = None,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> RunMessagePage:
        """Return one page of a run's messages (``POST /v1/campaign/rerun/messages``).

        Without ``run_number``: the active messages of the current run. With it: that run's
        messages including archived ones. ``page`` defaults to 1 and ``page_size`` to 100 on
        the server (max 1000); keys you leave out are not sent.

        >>> page = await client.reruns.get_messages("cmp_1", run_number=1, page=2)
        ... # doctest: +SKIP
        """
        body = {
            "campaign_id": require_id("campaign_id", campaign_id),
            **given(
                page=optional_page(page),
                page_size=optional_page_size(page_size),
            ),
        }
        run = require_run_number(run_number)
        if run is not None:
            body["run_number"] = run
        return await self._call(
            RERUN_MESSAGES,
            body,
            RunMessagePage,
            CallOptions(extra_body, extra_headers, timeout),
        )

    def list_messages(
        self,
        campaign_id: str,
        *,
        run_number: int | None = None,
        page_size: int = 100,
        concurrency: int | Literal["auto"] = DEFAULT_CONCURRENCY,
        pages: range | None = None,
        shard: tuple[int, int] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> AsyncPager[RunMessage]:
        """Return a pager over every message of a run (same filter as :meth:`get_messages`).

        The first page's ``total_pages`` sets the page count; up to ``concurrency`` pages are
        fetched at once. No I/O until iterated.
        ``pages=range(a, b)`` or ``shard=(i, n)`` limit it to a block of pages (see
        :func:`~nudgescribe_async.plan_page_ranges`), so workers can split one export.
        ``concurrency="auto"`` adapts the requests in flight to the service (shrinks on 429,
        grows while latency holds), sharing one limit with the client's other auto pagers.

        >>> async for message in client.reruns.list_messages("cmp_1", run_number=2):
        ...     print(message.message_id, message.archived)  # doctest: +SKIP
        """
        campaign = require_id("campaign_id", campaign_id)
        run = require_run_number(run_number)
        size = require_page_size(page_size)
        require_concurrency(concurrency)
        require_timeout(timeout)

        run_part = {} if run is None else {"run_number": run}
        options = CallOptions(extra_body, extra_headers, timeout)

        async def fetch(number: int) -> Any:
            # The HTTP exchange only (the body get_messages sends); the pager decodes after
            # giving back the in-flight slot.
            body = {"campaign_id": campaign, "page": number, "page_size": size, **run_part}
            return await self._raw(RERUN_MESSAGES, body, options)

        def decode(data: Any) -> PageResult[RunMessage]:
            page = self._decode(data, RunMessagePage, RERUN_MESSAGES.path)
            return PageResult(page.messages, page.total_pages, number=page.page)

        return AsyncPager(
            fetch,
            decode_page=decode,
            concurrency=concurrency,
            pages=pages,
            shard=shard,
            limiter=self._limiter,
        )

    async def initiate(
        self,
        campaign_id: str,
        new_customer_group_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> RerunResult:
        """Rerun a ``Published`` campaign on another group (``POST /v1/campaign/rerun/initiate``).

        One atomic call: compares segments, creates the run, archives the previous run's
        messages and queues a background job. The campaign becomes ``Ready for review`` (new
        segments to generate) or ``Ready to publish`` (all matched). Not retried on timeouts
        or 5xx (it triggers work); a rerun still processing raises ``ConflictError``.

        >>> result = await client.reruns.initiate("cmp_1", "cg_new")  # doctest: +SKIP
        >>> result.run_number, result.comparison.new_count  # doctest: +SKIP
        (2, 3)
        """
        campaign = require_id("campaign_id", campaign_id)
        group = require_id("new_customer_group_id", new_customer_group_id)
        body = {"campaign_id": campaign, "new_customer_group_id": group}
        return await self._call(
            RERUN_INITIATE,
            body,
            RerunResult,
            CallOptions(extra_body, extra_headers, timeout),
        )
