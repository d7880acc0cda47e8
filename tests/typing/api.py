"""The public API as a type checker sees it: `mypy --strict tests/typing` checks this file.

Nothing here runs (pytest collects only ``test_*.py`` and nothing calls these functions): each
``assert_type`` states the type a user's editor and type checker infer for a public call, so a
signature or return annotation that drifts fails ``.ci/run`` even where every test still passes.
Only public modules are imported.
"""

from __future__ import annotations

import datetime as dt

from typing_extensions import assert_type

import nudgescribe_async
import nudgescribe_sync
from nudgescribe_async import (
    NOT_GIVEN,
    AdaptiveLimiter,
    APIStatusError,
    AsyncNudgescribe,
    AsyncPager,
    ExportNotReadyError,
    NotFoundError,
    NotGiven,
    NudgescribeError,
    Page,
    RateLimitError,
    UploadValidationError,
    plan_page_ranges,
)
from nudgescribe_async.models import (
    Campaign,
    CampaignList,
    CampaignStatus,
    CsvExport,
    Customer,
    CustomerGroup,
    CustomerGroupList,
    CustomerPage,
    CustomerPageCount,
    DeleteResult,
    ExportedMessage,
    ExportFormat,
    ExportPage,
    FieldType,
    FieldUpdate,
    HeaderError,
    JsonExport,
    MessagePageCount,
    ProfileField,
    ProfileFieldList,
    PublishResult,
    RerunResult,
    RowError,
    RunHistory,
    RunMessage,
    RunMessagePage,
    TokenResponse,
    UploadResult,
    UrlExport,
    WorkspaceCampaigns,
    WorkspaceList,
)
from nudgescribe_async.testing import ReferenceServer
from nudgescribe_async.types import CsvFile, Decrypt, DecryptArg, Environment, Permit, TimeoutLike
from nudgescribe_sync import Nudgescribe, Pager
from nudgescribe_sync.testing import SyncReferenceServer


async def async_client() -> None:
    """The async client: constructor, options copy, resources and their results."""
    async with AsyncNudgescribe(api_key="k", email="e", api_secret="s", timeout=5) as client:
        assert_type(client, AsyncNudgescribe)
        assert_type(client.base_url, str)
        assert_type(client.closed, bool)
        assert_type(client.with_options(timeout=30, max_retries=2), AsyncNudgescribe)
        assert_type(client.limiter, AdaptiveLimiter)

        assert_type(await client.auth.authenticate(), TokenResponse)
        assert_type(await client.auth.refresh(), TokenResponse)
        assert_type(await client.workspaces.list(), WorkspaceList)

        campaigns = await client.campaigns.list(published_from=dt.date(2026, 1, 1))
        assert_type(campaigns, CampaignList)
        for workspace in campaigns:
            assert_type(workspace, WorkspaceCampaigns)
            assert_type(workspace[0], Campaign)
        campaign = await client.campaigns.get("c1", timeout=10)
        assert_type(campaign, Campaign)
        assert_type(campaign.status, CampaignStatus | str)
        assert_type(campaign.published_at, dt.datetime | None)
        done = client.campaigns.wait_for_status("c1", CampaignStatus.PUBLISHED, timeout=60)
        assert_type(await done, Campaign)

        field = await client.profile_fields.create("w1", "tier", FieldType.STRING)
        assert_type(field, ProfileField)
        assert_type(await client.profile_fields.list("w1"), ProfileFieldList)
        update = FieldUpdate(field_id=field.field_id, display_name="Tier")
        assert_type(await client.profile_fields.update("w1", [update]), ProfileFieldList)
        assert_type(await client.profile_fields.delete("w1", ["f1"]), DeleteResult)

        group = await client.customer_groups.create("w1", "VIP", description=None)
        assert_type(group, CustomerGroup)
        assert_type(await client.customer_groups.list("w1"), CustomerGroupList)
        assert_type(await client.customer_groups.update("g1", name="VIPs"), CustomerGroup)
        assert_type(await client.customer_groups.delete("g1"), DeleteResult)


async def async_customers_and_messages(client: AsyncNudgescribe) -> None:
    """Uploads, pages, pagers and the format-dependent export types."""
    upload = await client.customers.upload("w1", "g1", unique_field="email", customers=[{}])
    assert_type(upload, UploadResult)
    assert_type(upload.row_errors, list[RowError])
    assert_type(upload.header_errors, list[HeaderError])
    count = await client.customers.wait_for_upload("g1", min_customers=1)
    assert_type(count, CustomerPageCount)
    assert_type(await client.customers.count_pages("g1"), CustomerPageCount)
    page = await client.customers.get_page("g1", 1, page_size=100)
    assert_type(page, CustomerPage)
    assert_type(page[0], Customer)
    assert_type(page[:2], list[Customer])
    assert_type(await client.customers.delete("g1", ["c1"]), DeleteResult)

    customers = client.customers.list("g1", concurrency="auto")
    assert_type(customers, AsyncPager[Customer])
    async for customer in customers:
        assert_type(customer, Customer)
        assert_type(customer.profile, dict[str, str])
    async for one_page in client.customers.list("g1").pages():
        assert_type(one_page, Page[Customer])
    assert_type(await client.customers.list("g1"), Page[Customer])
    assert_type(await client.customers.list("g1").collect(), list[Customer])
    assert_type(customers.total_pages, int | None)

    assert_type(await client.messages.publish("c1"), PublishResult)
    assert_type(await client.messages.count_pages("c1"), MessagePageCount)
    assert_type(await client.messages.wait_for_export("c1"), MessagePageCount)
    assert_type(await client.messages.fetch("c1", 1), JsonExport)
    assert_type(await client.messages.fetch("c1", 1, format="json"), JsonExport)
    assert_type(await client.messages.fetch("c1", 1, format="csv"), CsvExport)
    assert_type(await client.messages.fetch("c1", 1, format=ExportFormat.URL), UrlExport)
    chosen: str = "csv"
    assert_type(await client.messages.fetch("c1", 1, format=chosen), ExportPage)
    messages = client.messages.list("c1", run_number=2, pages=range(1, 5))
    assert_type(messages, AsyncPager[ExportedMessage])

    assert_type(await client.reruns.history("c1"), RunHistory)
    assert_type(await client.reruns.get_messages("c1", page=1), RunMessagePage)
    assert_type(client.reruns.list_messages("c1"), AsyncPager[RunMessage])
    assert_type(await client.reruns.initiate("c1", "g2"), RerunResult)
    assert_type(plan_page_ranges(10, 3), list[range])


def sync_client() -> None:
    """The blocking facade mirrors the async types, with a blocking ``Pager``."""
    with Nudgescribe(api_key="k", email="e", api_secret="s") as client:
        assert_type(client, Nudgescribe)
        assert_type(client.with_options(max_retries=0), Nudgescribe)
        assert_type(client.workspaces.list(), WorkspaceList)
        assert_type(client.campaigns.get("c1"), Campaign)
        assert_type(client.customers.get_page("g1", 1), CustomerPage)
        assert_type(client.messages.fetch("c1", 1, format="csv"), CsvExport)
        assert_type(client.messages.fetch("c1", 1), JsonExport)
        pager = client.customers.list("g1", concurrency=4)
        assert_type(pager, Pager[Customer])
        for customer in pager:
            assert_type(customer, Customer)
        assert_type(pager.collect(), list[Customer])
        assert_type(pager.first_page(), Page[Customer])
        assert_type(client.messages.list("c1"), Pager[ExportedMessage])
        assert_type(client.reruns.list_messages("c1"), Pager[RunMessage])
    assert_type(nudgescribe_sync.Customer, type[Customer])


def errors(error: Exception) -> None:
    """The error hierarchy: attributes of status errors and of their subclasses."""
    if isinstance(error, UploadValidationError):
        assert_type(error.row_errors, list[RowError])
        assert_type(error.status_code, int)
    if isinstance(error, RateLimitError):
        assert_type(error.retry_after, float | None)
    if isinstance(error, APIStatusError):
        assert_type(error.request_id, str | None)
        assert_type(error.error_code, str | None)
    assert issubclass(ExportNotReadyError, NotFoundError)
    assert issubclass(NotFoundError, NudgescribeError)
    assert issubclass(nudgescribe_sync.NotFoundError, nudgescribe_async.NudgescribeError)


def sentinels(timeout: float | NotGiven = NOT_GIVEN) -> None:
    """``NOT_GIVEN`` narrows away like any sentinel class instance."""
    if not isinstance(timeout, NotGiven):
        assert_type(timeout, float)


async def reference_servers() -> None:
    """The test servers hand out client keyword arguments for both clients."""
    async with ReferenceServer(seed="demo") as server:
        assert_type(server, ReferenceServer)
        async with AsyncNudgescribe(**server.client_kwargs()) as client:
            assert_type(await client.workspaces.list(), WorkspaceList)
    with (
        SyncReferenceServer(seed="demo") as sync_server,
        Nudgescribe(**sync_server.client_kwargs()) as sync,
    ):
        assert_type(sync.workspaces.list(), WorkspaceList)


async def public_types(
    timeout: TimeoutLike,
    environment: Environment,
    decrypt: Decrypt,
    per_call: DecryptArg,
    file: CsvFile,
) -> None:
    """The ``types`` modules name what public signatures take, for users' own annotations."""
    async with AsyncNudgescribe(
        timeout=timeout, environment=environment, decrypt=decrypt
    ) as client:
        page = await client.customers.get_page("g1", 1, decrypt=per_call)
        assert_type(page, CustomerPage)
        result = await client.customers.upload("w1", "g1", unique_field="email", file=file)
        assert_type(result, UploadResult)
        permit = await client.limiter.acquire()
        assert_type(permit, Permit)
        permit.release(200)
    assert nudgescribe_sync.types.Pager is Pager
    assert nudgescribe_async.types.AsyncPager is AsyncPager
