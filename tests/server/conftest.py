"""Fixtures for the reference-server contract tests: a server, a plain aiohttp session, a logged-in
``Api`` (raw requests, never the SDK) and a seeded ``ContractWorld``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from nudgescribe_async.testing import ReferenceServer
from tests._support.raw_api import Api
from tests._support.worlds import ContractWorld


@pytest.fixture
async def contract_server() -> AsyncIterator[ReferenceServer]:
    """A fresh server with small export files so paging edges are cheap to reach."""
    async with ReferenceServer(export_rows_per_file=1000) as srv:
        yield srv


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session."""
    async with aiohttp.ClientSession() as sess:
        yield sess


@pytest.fixture
async def raw_api(contract_server: ReferenceServer, http_session: aiohttp.ClientSession) -> Api:
    """An ``Api`` logged in as the demo account."""
    client = Api(contract_server, http_session, contract_server.demo_credentials)
    await client.login()
    return client


@pytest.fixture
def contract_world(contract_server: ReferenceServer) -> ContractWorld:
    """Workspace with email (unique, required), name, tier, initial (char), age (number),
    joined (Date dd/MM/yyyy), balance (currency USD); group "People" holds 10 customers."""
    ws = contract_server.seed_workspace("Main")
    wid = ws.workspace_id
    contract_server.seed_profile_field(wid, "email", is_required=True, is_unique=True)
    contract_server.seed_profile_field(wid, "first_name")
    contract_server.seed_profile_field(wid, "tier")
    contract_server.seed_profile_field(wid, "initial", "char")
    contract_server.seed_profile_field(wid, "age", "number")
    contract_server.seed_profile_field(wid, "joined", "Date", field_format="dd/MM/yyyy")
    contract_server.seed_profile_field(wid, "balance", "currency", field_format="USD")
    empty = contract_server.seed_group(wid, "Empty")
    people = contract_server.seed_group(wid, "People")
    contract_server.seed_customers(people.customer_group_id, count=10)
    return ContractWorld(wid, empty.customer_group_id, people.customer_group_id)
