"""The transport's retry and timeout rules against real faults from the reference server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer

CG = "/v1/cg"


@pytest.fixture
async def server(no_backoff: None) -> AsyncIterator[ReferenceServer]:
    """A reference server with one workspace; retry backoff is instant."""
    async with ReferenceServer() as srv:
        yield srv


@pytest.fixture
async def client(server: ReferenceServer) -> AsyncIterator[AsyncNudgescribe]:
    """A client of that server with a short timeout."""
    async with AsyncNudgescribe(**server.client_kwargs(), timeout=2) as c:
        await c.auth.authenticate()
        yield c


@pytest.mark.parametrize("kind", ["drop", "truncate"])
async def test_broken_connection_on_a_read_is_retried(
    server: ReferenceServer, client: AsyncNudgescribe, kind: str
) -> None:
    """A dropped connection or truncated body on a read is retried and then succeeds."""
    ws = server.seed_workspace("Shop")
    server.seed_group(ws.workspace_id, "VIP")
    server.faults.add(CG, method="POST", kind=kind)  # type: ignore[arg-type]
    groups = await client.customer_groups.list(ws.workspace_id)
    assert [g.name for g in groups.customer_groups] == ["VIP"]
    assert server.request_count(CG, "POST") == 2


async def test_dropped_create_is_not_retried(
    server: ReferenceServer, client: AsyncNudgescribe
) -> None:
    """A create whose connection drops after sending is not resent (it may have happened)."""
    ws = server.seed_workspace("Shop")
    server.faults.add(CG, method="PUT", kind="drop")
    with pytest.raises(ns.APIConnectionError):
        await client.customer_groups.create(ws.workspace_id, "VIP")
    assert server.request_count(CG, "PUT") == 1


async def test_server_errors_then_success(
    server: ReferenceServer, client: AsyncNudgescribe
) -> None:
    """Two 503s then a 200 on a read take three attempts and succeed."""
    ws = server.seed_workspace("Shop")
    server.faults.add(CG, method="POST", kind="fail", status=503, times=2)
    await client.customer_groups.list(ws.workspace_id)
    assert server.request_count(CG, "POST") == 3


async def test_rate_limit_is_retried(server: ReferenceServer, client: AsyncNudgescribe) -> None:
    """A 429 with Retry-After on a read is retried."""
    ws = server.seed_workspace("Shop")
    server.faults.add(CG, method="POST", kind="rate_limit", retry_after=1)
    await client.customer_groups.list(ws.workspace_id)
    assert server.request_count(CG, "POST") == 2


async def test_hang_raises_timeout(server: ReferenceServer, client: AsyncNudgescribe) -> None:
    """A hanging server raises APITimeoutError after the per-call timeout."""
    ws = server.seed_workspace("Shop")
    server.faults.add(CG, method="POST", kind="hang")
    with pytest.raises(ns.APITimeoutError):
        await client.with_options(max_retries=0).customer_groups.list(ws.workspace_id, timeout=0.3)


async def test_spent_publish_quota_raises_quota_exceeded(
    server: ReferenceServer, client: AsyncNudgescribe
) -> None:
    """Publishing past the quota raises QuotaExceededError once, without retries."""
    ws = server.seed_workspace("Shop")
    server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
    group = server.seed_group(ws.workspace_id, "Everyone")
    server.seed_customers(group.customer_group_id, count=3)
    first, second = (
        server.seed_campaign(
            ws.workspace_id,
            name,
            customer_group_id=group.customer_group_id,
            status="Ready to publish",
        )
        for name in ("A", "B")
    )
    server.set_quota("publish", 1)
    await client.messages.publish(first.campaign_id)
    with pytest.raises(ns.QuotaExceededError) as info:
        await client.messages.publish(second.campaign_id)
    assert info.value.status_code == 429 and info.value.retry_after is None
    assert server.request_count("/v1/messages/publish", "POST") == 2
