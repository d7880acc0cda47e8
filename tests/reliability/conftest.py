"""Reliability suite fixtures: bounded hypothesis profiles and a seeded reference server.

Hypothesis profiles: ``ci`` (the default: few examples, no per-example deadline, so the suite
stays within the CI budget) and ``thorough`` (``HYPOTHESIS_PROFILE=thorough pytest
tests/reliability`` for a long local hunt).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, settings

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer
from tests._support.worlds import ReliabilitySeed

settings.register_profile(
    "ci",
    max_examples=10,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
async def reliability_server() -> AsyncIterator[ReferenceServer]:
    """A reference server (jobs finish on the next loop turn)."""
    async with ReferenceServer(job_delay=0) as srv:
        yield srv


@pytest.fixture
def reliability_seed(reliability_server: ReferenceServer) -> ReliabilitySeed:
    """A workspace with an email field, a group of 25 customers, an empty group, a campaign."""
    ws = reliability_server.seed_workspace("Reliability")
    reliability_server.seed_profile_field(
        ws.workspace_id, "email", is_required=True, is_unique=True
    )
    group = reliability_server.seed_group(ws.workspace_id, "People")
    empty = reliability_server.seed_group(ws.workspace_id, "Nobody")
    reliability_server.seed_customers(group.customer_group_id, count=25)
    campaign = reliability_server.seed_campaign(
        ws.workspace_id, "Spring", customer_group_id=group.customer_group_id
    )
    return ReliabilitySeed(
        ws.workspace_id, group.customer_group_id, empty.customer_group_id, campaign.campaign_id
    )


@pytest.fixture
async def reliability_client(
    reliability_server: ReferenceServer,
) -> AsyncIterator[AsyncNudgescribe]:
    """An authenticated client of the server with short timeouts and no retries."""
    async with AsyncNudgescribe(
        **reliability_server.client_kwargs(), timeout=5, max_retries=0, deadline=10
    ) as c:
        await c.auth.authenticate()
        yield c
