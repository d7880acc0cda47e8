"""The transport's retry and timeout rules against real faults from the reference server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer

CG = "/v1/cg"


@pytest.fixture
async def faults_server(no_backoff: None) -> AsyncIterator[ReferenceServer]:
    """A reference server with one workspace; retry backoff is instant."""
    async with ReferenceServer() as srv:
        yield srv


@pytest.fixture
async def faults_client(faults_server: ReferenceServer) -> AsyncIterator[AsyncNudgescribe]:
    """A client of that server with a short timeout."""
    async with AsyncNudgescribe(**faults_server.client_kwargs(), timeout=2) as c:
        await c.auth.authenticate()
        yield c


@pytest.mark.parametrize("kind", ["drop", "truncate"])
async def test_broken_connection_on_a_read_is_retried(
    faults_server: ReferenceServer, faults_client: AsyncNudgescribe, kind: str
) -> None:
    """A dropped connection or truncated body on a read is retried and then succeeds."""
    ws = faults_server.seed_workspace("Shop")
    faults_server.seed_group(ws.workspace_id, "VIP")
    faults_server.faults.add(CG, method="POST", kind=kind)  # type: ignore[arg-type]
    groups = await faults_client.customer_groups.list(ws.workspace_id)
    assert [g.name for g in groups.customer_groups] == ["VIP"]
    assert faults_server.request_count(CG, "POST") == 2


async def test_dropped_create_is_not_retried(
    faults_server: ReferenceServer, faults_client: AsyncNudgescribe
) -> None:
    """A create whose connection drops after sending is not resent (it may have happened)."""
    ws = faults_server.seed_workspace("Shop")
    faults_server.faults.add(CG, method="PUT", kind="drop")
    with pytest.raises(ns.APIConnectionError):
        await faults_client.customer_groups.create(ws.workspace_id, "VIP")
    assert faults_server.request_count(CG, "PUT") == 1


async def test_server_errors_then_success(
    faults_server: ReferenceServer, faults_client: AsyncNudgescribe
) -> None:
    """Two 503s then a 200 on a read take three attempts and succeed."""
    ws = faults_server.seed_workspace("Shop")
    faults_server.faults.add(CG, method="POST", kind="fail", status=503, times=2)
    await faults_client.customer_groups.list(ws.workspace_id)
    assert faults_server.request_count(CG, "POST") == 3


async def test_rate_limit_is_retried(
    faults_server: ReferenceServer, faults_client: AsyncNudgescribe
) -> None:
    """A 429 with Retry-After on a read is retried."""
    ws = faults_server.seed_workspace("Shop")
    faults_server.faults.add(CG, method="POST", kind="rate_limit", retry_after=1)
    await faults_client.customer_groups.list(ws.workspace_id)
    assert faults_server.request_count(CG, "POST") == 2


async def test_hang_raises_timeout(
    faults_server: ReferenceServer, faults_client: AsyncNudgescribe
) -> None:
    """A hanging server raises APITimeoutError after the per-call timeout."""
    ws = faults_server.seed_workspace("Shop")
    faults_server.faults.add(CG, method="POST", kind="hang")
    with pytest.raises(ns.APITimeoutError):
        await faults_client.with_options(max_retries=0).customer_groups.list(
            ws.workspace_id, timeout=0.3
        )


async def test_spent_publish_quota_raises_quota_exceeded(
    faults_server: ReferenceServer, faults_client: AsyncNudgescribe
) -> None:
    """Publishing past the quota raises QuotaExceededError once, without retries."""
    ws = faults_server.seed_workspace("Shop")
    faults_server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
    group = faults_server.seed_group(ws.workspace_id, "Everyone")
    faults_server.seed_customers(group.customer_group_id, count=3)
    first, second = (
        faults_server.seed_campaign(
            ws.workspace_id,
            name,
            customer_group_id=group.customer_group_id,
            status="Ready to publish",
        )
        for name in ("A", "B")
    )
    faults_server.set_quota("publish", 1)
    await faults_client.messages.publish(first.campaign_id)
    with pytest.raises(ns.QuotaExceededError) as info:
        await faults_client.messages.publish(second.campaign_id)
    assert info.value.status_code == 429 and info.value.retry_after is None
    assert faults_server.request_count("/v1/messages/publish", "POST") == 2
