"""``client.customers``: upload, page through and delete the customers of a group.

Profile values come back as opaque ciphertext strings (the service encrypts them with account
keys and does not publish the scheme). A *decrypt hook* turns them into plaintext: pass
``decrypt=`` to the client (every call uses it) or to ``get_page`` / ``list`` (that call only;
``decrypt=False`` keeps the ciphertext even when the client has a hook). The hook is called as
``decrypt(ciphertext) -> plaintext`` once per profile value, and the SDK returns new
:class:`Customer` objects (``attrs.evolve``) whose ``profile`` maps each field name to the
hook's result; everything else on the customer is unchanged. An exception raised by the hook
propagates unchanged.
"""

from __future__ import annotations

import asyncio
import builtins
import os
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import IO, Any, Literal, TypeVar, Union

import attrs

from nudgescribe_async._config import Decrypt
from nudgescribe_async._contract import MAX_DELETE_IDS
from nudgescribe_async._convert import structure_response
from nudgescribe_async._endpoints import (
    CUSTOMER_DELETE,
    CUSTOMER_PAGE,
    CUSTOMER_PAGE_COUNT,
    CUSTOMER_UPLOAD,
)
from nudgescribe_async._errors import RequestValidationError
from nudgescribe_async._pagination import DEFAULT_CONCURRENCY, AsyncPager, PageResult
from nudgescribe_async._types import NOT_GIVEN, CallOptions, FormPart, NotGiven, TimeoutLike
from nudgescribe_async.models import (
    Customer,
    CustomerPage,
    CustomerPageCount,
    DeleteResult,
    UploadResult,
)
from nudgescribe_async.resources._base import PagedResource
from nudgescribe_async.resources._upload_input import read_csv, upload_records
from nudgescribe_async.resources._validate import (
    given,
    optional_page_size,
    require_concurrency,
    require_field_name,
    require_id,
    require_ids,
    require_page,
    require_page_size,
    require_seconds,
    require_timeout,
)
from nudgescribe_async.resources._wait import poll_until

__all__ = ["DELETE_BATCH_SIZE", "DELETE_CONCURRENCY", "AsyncCustomers", "CsvFile", "DecryptArg"]

#: A CSV upload: a path (``str`` or ``os.PathLike``), the bytes, or a binary or text file
#: object opened by the caller (read to the end; not closed by the SDK).
CsvFile = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes], IO[str]]
#: ``None``: use the client's hook (if any); ``False``: no decryption; or a hook for this call.
DecryptArg = Union[Decrypt, Literal[False], None]  # noqa: UP007  (runtime alias on 3.10)

#: The contract's limit of customer ids per ``DELETE /v1/customer`` call.
DELETE_BATCH_SIZE = MAX_DELETE_IDS
#: Delete batches in flight at once.
DELETE_CONCURRENCY = 8

_T = TypeVar("_T")


class AsyncCustomers(PagedResource):
    """Upload, count, page through, list and delete customers of a group."""

    async def upload(
        self,
        workspace_id: str,
        customer_group_id: str,
        *,
        unique_field: str,
        customers: Iterable[Mapping[str, object]] | None = None,
        file: CsvFile | None = None,
        validate_only: bool = False,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> UploadResult:
        """Upload customers (``POST /v1/customer/check``), updating by ``unique_field``.

        Pass exactly one of ``customers`` (records ``{field_name: value}``, sent as JSON) or
        ``file`` (a UTF-8 CSV whose header row names profile fields; a path, bytes or an open
        file, sent as ``multipart/form-data`` with the scalars as form fields). Invalid data
        raises ``UploadValidationError`` (``.header_errors``, ``.row_errors``) and nothing is
        stored. ``validate_only=True`` is a dry run: it stores nothing and returns the
        findings with ``valid``, ``validate_only=True`` and the counts the upload *would* have
        (``created_count`` = customers that would be created). Uploads over 1000 rows come back
        ``queued`` with a ``job_uid`` and no counts: wait with :meth:`wait_for_upload`.

        >>> result = await client.customers.upload(
        ...     "ws_1", "cg_1", unique_field="email",
        ...     customers=[{"email": "ada@example.com", "first_name": "Ada"}],
        ... )  # doctest: +SKIP
        >>> result = await client.customers.upload(
        ...     "ws_1", "cg_1", unique_field="email", file="customers.csv")  # doctest: +SKIP
        """
        scalars = {
            "workspace_id": require_id("workspace_id", workspace_id),
            "customer_group_id": require_id("customer_group_id", customer_group_id),
            "unique_field": require_field_name(unique_field, "unique_field"),
        }
        if not isinstance(validate_only, bool):
            raise RequestValidationError("validate_only", f"must be a bool, got {validate_only!r}")
        if (customers is None) == (file is None):
            raise RequestValidationError("customers", "pass exactly one of customers= and file=")
        require_timeout(timeout)
        options = CallOptions(extra_body, extra_headers, timeout)
        if customers is not None:
            body = {
                **scalars,
                "customers": upload_records(customers),
                "validate_only": validate_only,
            }
            result = await self._call(CUSTOMER_UPLOAD, body, UploadResult, options)
        else:
            assert file is not None
            content, filename = await read_csv(file)
            form = [FormPart(k, v) for k, v in scalars.items()]
            form.append(FormPart("validate_only", "true" if validate_only else "false"))
            form.append(FormPart("file", content, filename=filename, content_type="text/csv"))
            result = await self._call(CUSTOMER_UPLOAD, None, UploadResult, options, form=form)
        return attrs.evolve(result, validate_only=True) if validate_only else result

    async def wait_for_upload(
        self,
        customer_group_id: str,
        *,
        min_customers: int,
        timeout: float = 300.0,
        poll_interval: float = 2.0,
        request_timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> CustomerPageCount:
        """Wait until a group holds at least ``min_customers`` customers; return the count.

        The waiter for ``queued`` uploads (over 1000 rows). The API publishes no job status,
        only the group's customer count (``count_pages``), so this polls that count: pass the
        count the upload should reach, e.g. the count before it plus the new rows. Rows that
        only update existing customers do not change the count, so there is nothing to wait on
        for them. ``timeout`` is the overall budget (then ``WaitTimeoutError``);
        ``request_timeout`` the per-request timeout of each poll.

        >>> before = (await client.customers.count_pages("cg_1")).total_customers or 0
        ... # doctest: +SKIP
        >>> result = await client.customers.upload("ws_1", "cg_1", unique_field="email",
        ...                                        customers=new_rows)  # doctest: +SKIP
        >>> if result.queued:  # doctest: +SKIP
        ...     await client.customers.wait_for_upload("cg_1", min_customers=before + 3000)
        """
        group = require_id("customer_group_id", customer_group_id)
        if (
            isinstance(min_customers, bool)
            or not isinstance(min_customers, int)
            or min_customers < 0
        ):
            raise RequestValidationError(
                "min_customers", f"must be a whole number >= 0, got {min_customers!r}"
            )
        budget = require_seconds("timeout", timeout, allow_zero=True)
        interval = require_seconds("poll_interval", poll_interval)
        require_timeout(request_timeout, "request_timeout")

        body = {"customer_group_id": group}
        options = CallOptions(None, extra_headers, request_timeout)

        async def probe() -> CustomerPageCount:
            return await self._call(CUSTOMER_PAGE_COUNT, body, CustomerPageCount, options)

        return await poll_until(
            probe,
            lambda count: (count.total_customers or 0) >= min_customers,
            timeout=budget,
            poll_interval=interval,
            describe=lambda count: (
                f"group {group} has {count.total_customers} customers, waiting for {min_customers}"
            ),
        )

    async def count_pages(
        self,
        customer_group_id: str,
        *,
        page_size: int | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> CustomerPageCount:
        """Return how many pages of ``page_size`` customers a group has (``/v1/customer/pages``).

        Without ``page_size`` the server's default (100) applies.

        >>> count = await client.customers.count_pages("cg_1", page_size=500)  # doctest: +SKIP
        >>> count.total_pages, count.total_customers  # doctest: +SKIP
        (3, 1234)
        """
        body = {
            "customer_group_id": require_id("customer_group_id", customer_group_id),
            **given(page_size=optional_page_size(page_size)),
        }
        return await self._call(
            CUSTOMER_PAGE_COUNT,
            body,
            CustomerPageCount,
            CallOptions(extra_body, extra_headers, timeout),
        )

    async def get_page(
        self,
        customer_group_id: str,
        page: int,
        *,
        page_size: int | NotGiven = NOT_GIVEN,
        decrypt: DecryptArg = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> CustomerPage:
        """Return one 1-based page of a group's customers (``POST /v1/customer``).

        Profile values are ciphertext unless a decrypt hook applies (see the module docs).

        >>> page = await client.customers.get_page("cg_1", 1, page_size=100)  # doctest: +SKIP
        >>> page.customers[0].profile["email"]  # doctest: +SKIP
        'enc:v1:...'
        """
        body = {
            "customer_group_id": require_id("customer_group_id", customer_group_id),
            "page": require_page(page),
            **given(page_size=optional_page_size(page_size)),
        }
        hook = self._resolve_decrypt(decrypt)
        result = await self._call(
            CUSTOMER_PAGE,
            body,
            CustomerPage,
            CallOptions(extra_body, extra_headers, timeout),
        )
        return _decrypt_page(result, hook)

    def list(
        self,
        customer_group_id: str,
        *,
        page_size: int = 100,
        concurrency: int | Literal["auto"] = DEFAULT_CONCURRENCY,
        start_page: int = 1,
        decrypt: DecryptArg = None,
        pages: range | None = None,
        shard: tuple[int, int] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> AsyncPager[Customer]:
        """Return a pager over every customer of a group, in page order (no I/O until iterated).

        The page count comes from ``count_pages``; up to ``concurrency`` pages are fetched at
        once. ``extra_body``, ``extra_headers`` and ``timeout`` apply to every call it makes.
        ``start_page`` skips the pages before it (to resume an interrupted pass).
        ``pages=range(a, b)`` or ``shard=(i, n)`` limit it to a block of pages (see
        :func:`~nudgescribe_async.plan_page_ranges`), so workers can split one export.
        ``concurrency="auto"`` adapts the requests in flight to the service (shrinks on 429,
        grows while latency holds), sharing one limit with the client's other auto pagers.

        >>> async for customer in client.customers.list("cg_1", page_size=1000):
        ...     print(customer.customer_id)  # doctest: +SKIP
        """
        group_id = require_id("customer_group_id", customer_group_id)
        size = require_page_size(page_size)
        require_concurrency(concurrency)
        require_timeout(timeout)
        hook = self._resolve_decrypt(decrypt)
        options = CallOptions(extra_body, extra_headers, timeout)

        async def count() -> int:
            body = {"customer_group_id": group_id, "page_size": size}
            return (
                await self._call(CUSTOMER_PAGE_COUNT, body, CustomerPageCount, options)
            ).total_pages

        async def fetch(number: int) -> Any:
            # The HTTP exchange only: the pager decodes after giving back the in-flight slot.
            body = {"customer_group_id": group_id, "page": number, "page_size": size}
            return await self._raw(CUSTOMER_PAGE, body, options)

        def decode(data: Any) -> PageResult[Customer]:
            page = _decrypt_page(
                structure_response(data, CustomerPage, url=self._url(CUSTOMER_PAGE.path)), hook
            )
            return PageResult(page.customers, page.total_pages, number=page.page)

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

    async def delete(
        self,
        customer_group_id: str,
        customer_ids: Iterable[str],
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> DeleteResult:
        """Delete customers from a group (``DELETE /v1/customer``); return the summed count.

        Duplicate ids are sent once. More than 1000 ids are split into batches of 1000 sent
        concurrently (8 at a time). If a batch fails, the error is raised after the batches
        still in flight are cancelled; batches that already succeeded stay deleted.

        >>> result = await client.customers.delete("cg_1", ids)  # doctest: +SKIP
        >>> result.deleted_count  # doctest: +SKIP
        2500
        """
        group_id = require_id("customer_group_id", customer_group_id)
        ids = require_ids("customer_ids", customer_ids)
        batches = [ids[i : i + DELETE_BATCH_SIZE] for i in range(0, len(ids), DELETE_BATCH_SIZE)]

        options = CallOptions(extra_body, extra_headers, timeout)

        def send(batch: builtins.list[str]) -> Callable[[], Awaitable[DeleteResult]]:
            body = {"customer_group_id": group_id, "customer_ids": batch}
            return lambda: self._call(CUSTOMER_DELETE, body, DeleteResult, options)

        results = await _gather_bounded([send(b) for b in batches], DELETE_CONCURRENCY)
        if len(results) == 1:
            return results[0]
        counts = [r.deleted_count for r in results if r.deleted_count is not None]
        return DeleteResult(deleted_count=sum(counts) if counts else None)

    def _resolve_decrypt(self, decrypt: DecryptArg) -> Decrypt | None:
        if decrypt is False:
            return None
        if decrypt is None:
            return self._config.decrypt
        if not callable(decrypt):
            raise RequestValidationError(
                "decrypt", f"must be a callable, None or False, got {decrypt!r}"
            )
        return decrypt


def _decrypt_page(page: CustomerPage, hook: Decrypt | None) -> CustomerPage:
    if hook is None:
        return page
    customers = [
        attrs.evolve(c, profile={k: hook(v) for k, v in c.profile.items()}) for c in page.customers
    ]
    return attrs.evolve(page, customers=customers)


async def _gather_bounded(calls: list[Callable[[], Awaitable[_T]]], limit: int) -> list[_T]:
    """Run ``calls`` with at most ``limit`` at once; results in order; cancel all on error."""
    semaphore = asyncio.Semaphore(limit)

    async def run(call: Callable[[], Awaitable[_T]]) -> _T:
        async with semaphore:
            return await call()

    tasks = [asyncio.ensure_future(run(call)) for call in calls]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
