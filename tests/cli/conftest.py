"""Fixtures for the CLI tests: the installed ``nudgescribe`` command and a seeded server.

The command runs in subprocesses (as users run it), against one reference server per module
on a background thread; HOME and XDG_CONFIG_HOME point at a temporary directory.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nudgescribe_async.testing import ReferenceServer
from tests._support.cli import BIG
from tests._support.threaded import ThreadedServer
from tests._support.worlds import CliSeed


@pytest.fixture(scope="module")
def cli_server() -> Iterator[ThreadedServer]:
    """A reference server for the whole module, on its own thread."""
    threaded = ThreadedServer(export_rows_per_file=100)
    try:
        yield threaded
    finally:
        threaded.close()


@pytest.fixture(scope="module")
def cli_seed(cli_server: ThreadedServer) -> CliSeed:
    """A workspace with a 20,000-customer group, a small group and a Published campaign."""

    def seed(ref: ReferenceServer) -> CliSeed:
        ws = ref.seed_workspace("Shop")
        ref.seed_profile_field(ws.workspace_id, "email", is_unique=True, is_required=True)
        ref.seed_profile_field(ws.workspace_id, "tier")
        ref.seed_profile_field(ws.workspace_id, "joined", "Date", field_format="yyyy-MM-dd")
        big = ref.seed_group(ws.workspace_id, "Big")
        ref.seed_customers(big.customer_group_id, count=BIG)
        small = ref.seed_group(ws.workspace_id, "Small")
        ref.seed_customers(small.customer_group_id, count=250, start=BIG)
        campaign = ref.seed_campaign(
            ws.workspace_id,
            "Launch",
            status="Published",
            customer_group_id=small.customer_group_id,
            segment_field="tier",
        )
        return CliSeed(
            ws.workspace_id, big.customer_group_id, small.customer_group_id, campaign.campaign_id
        )

    return cli_server.do(seed)


@pytest.fixture
def cli_env(cli_server: ThreadedServer, tmp_path: Path) -> dict[str, str]:
    """Environment of a fresh user pointed at the module's server (no profiles, no colour)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NUDGESCRIBE_") and k not in ("FORCE_COLOR", "TERM")
    }
    home = tmp_path / "home"
    home.mkdir()
    return {
        **base,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "COLUMNS": "200",
        **cli_server.do(lambda s: s.env()),
    }
