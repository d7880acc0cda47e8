"""Dask collections refuse a listing that changed after planning (synchronous scheduler)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nudgescribe_async.dask import ListingChangedError, customers_bag, messages_bag
from nudgescribe_async.testing import ReferenceServer
from tests._support.threaded import ThreadedServer


@pytest.fixture
def plan_server() -> Iterator[ThreadedServer]:
    """A threaded reference server, closed after the test."""
    srv = ThreadedServer(export_rows_per_file=100)
    try:
        yield srv
    finally:
        srv.close()


def _seed(server: ReferenceServer) -> tuple[str, str, str]:
    ws = server.seed_workspace("Main")
    server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
    group = server.seed_group(ws.workspace_id, "All")
    server.seed_customers(group.customer_group_id, count=250)
    other = server.seed_group(ws.workspace_id, "Other")
    server.seed_customers(other.customer_group_id, count=30)
    campaign = server.seed_campaign(
        ws.workspace_id, "Big", status="Published", customer_group_id=group.customer_group_id
    )
    return group.customer_group_id, other.customer_group_id, campaign.campaign_id


def test_a_group_that_grew_after_planning_raises_instead_of_dropping_pages(
    plan_server: ThreadedServer,
) -> None:
    """3 pages planned, 5 by compute time: the partition raises ListingChangedError."""
    group, _, _ = plan_server.do(_seed)
    bag = customers_bag(group, client_options=plan_server.client_kwargs(), page_size=100)
    plan_server.do(lambda s: s.seed_customers(group, count=200, start=250))
    with pytest.raises(ListingChangedError, match="5 pages"):
        bag.compute(scheduler="synchronous")


def test_messages_without_a_run_read_the_run_current_at_planning(
    plan_server: ThreadedServer,
) -> None:
    """A rerun between building and computing does not change which run the rows come from."""
    _, other, campaign = plan_server.do(_seed)
    bag = messages_bag(campaign, client_options=plan_server.client_kwargs(), files_per_partition=1)
    plan_server.do(lambda s: s.rerun_campaign(campaign, other))
    messages = bag.compute(scheduler="synchronous")
    assert len(messages) == 250
    assert {m.run_number for m in messages} == {1}
