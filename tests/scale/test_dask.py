"""Distributed export on a real dask LocalCluster with 2 worker processes sharing Redis tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from distributed import Client, LocalCluster

from nudgescribe_async.dask import (
    customers_bag,
    customers_dataframe,
    messages_bag,
    messages_dataframe,
)
from nudgescribe_async.testing import ReferenceServer
from tests._support.threaded import ThreadedServer

CUSTOMERS = 2345

# distributed warns when creating its scratch directories is slow, which on a loaded machine
# says nothing about this SDK (warnings are errors in this suite).
pytestmark = pytest.mark.filterwarnings(
    "ignore:Creating scratch directories is taking a surprisingly long time:UserWarning"
)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Client]:
    """A LocalCluster of 2 worker processes (one thread each) and a client to it."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: 8787 may be taken by another run
            host="127.0.0.1",
        ) as local,
        Client(local) as client,
    ):
        yield client


def _seed(server: ReferenceServer) -> tuple[str, str]:
    ws = server.seed_workspace("Main")
    server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
    group = server.seed_group(ws.workspace_id, "All")
    server.seed_customers(group.customer_group_id, count=CUSTOMERS)
    campaign = server.seed_campaign(
        ws.workspace_id, "Big", status="Published", customer_group_id=group.customer_group_id
    )
    return group.customer_group_id, campaign.campaign_id


@pytest.mark.timeout(180)
@pytest.mark.processes
def test_cluster_exports_every_row_once_with_one_authentication(
    cluster: Client, redis_db: str
) -> None:
    """Bags and dataframes of customers and messages: every row once, 1 authenticate in all."""
    server = ThreadedServer(export_rows_per_file=100)
    try:
        group, campaign = server.do(_seed)
        options = server.client_kwargs()
        common = {"client_options": options, "redis_url": redis_db}
        bag = customers_bag(group, page_size=100, pages_per_partition=5, **common)
        frame = customers_dataframe(
            group, page_size=100, pages_per_partition=5, profile_fields=["email"], **common
        )
        rows = messages_bag(campaign, files_per_partition=5, **common)
        table = messages_dataframe(campaign, files_per_partition=5, **common)
        assert bag.npartitions == frame.npartitions == rows.npartitions == 5
        # Bags (graphs) and dataframes (expressions) are computed apart, as dask advises.
        customers, messages = cluster.compute([bag, rows], sync=True)
        customer_frame, message_frame = cluster.compute([frame, table], sync=True)
        # The driver only counted: every page and export file was fetched by a worker, once
        # per collection (two collections of each).
        customer_pages = server.count("/v1/customer")
        message_files = server.count("/v1/messages/fetch")
        assert server.count("/v1/auth", "POST") == 1
        assert server.count("/v1/auth", "GET") == 0
    finally:
        server.close()
    ids = [c.customer_id for c in customers]
    assert len(ids) == len(set(ids)) == CUSTOMERS
    assert sorted(customer_frame["customer_id"]) == sorted(ids)
    assert customer_frame["email"].notna().all()
    message_ids = [m.message_id for m in messages]
    assert len(message_ids) == len(set(message_ids)) == CUSTOMERS
    assert sorted(message_frame["message_id"]) == sorted(message_ids)
    assert customer_pages == message_files == 2 * 24
