"""``nudgescribe campaigns list/get/wait``: campaigns by workspace, and waiting on a status."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import click

from nudgescribe_async.models import Campaign, CampaignStatus
from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.output import table

__all__ = ["campaign_table", "group", "wait_options"]

_COLUMNS = ["campaign id", "name", "status", "workspace", "group", "run", "published"]


def campaign_table(
    title: str, campaigns: Sequence[Campaign], names: dict[str, str] | None = None
) -> Any:
    """Campaigns as a table; ``names`` maps workspace ids to names."""
    names = names or {}
    return table(
        title,
        _COLUMNS,
        [
            [
                c.campaign_id,
                c.name,
                c.status,
                names.get(c.workspace_id or "", c.workspace_id),
                c.customer_group_id,
                c.run_number,
                c.published_at,
            ]
            for c in campaigns
        ],
    )


def wait_options(func: Any) -> Any:
    """``--wait-timeout`` and ``--poll-interval`` for commands that wait."""
    func = click.option(
        "--poll-interval",
        type=click.FloatRange(min=0),
        default=2.0,
        show_default=True,
        help="Seconds between polls.",
    )(func)
    return click.option(
        "--wait-timeout",
        type=click.FloatRange(min=0),
        default=300.0,
        show_default=True,
        help="Give up after this many seconds (exit 7).",
    )(func)


@click.group("campaigns")
def group() -> None:
    """Campaigns."""


@group.command("list")
@click.option(
    "--published-from",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Only campaigns published on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--published-to",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Only campaigns published on or before this date.",
)
@common_options
@pass_state
def list_(state: State, published_from: datetime | None, published_to: datetime | None) -> None:
    """List campaigns of every workspace."""
    listing = state.client().campaigns.list(
        published_from=published_from.date() if published_from else None,
        published_to=published_to.date() if published_to else None,
    )
    names = {ws.workspace_id: ws.workspace_name or ws.workspace_id for ws in listing.workspaces}
    campaigns = list(listing.all_campaigns())
    state.output.data(campaigns, campaign_table("Campaigns", campaigns, names))


@group.command("get")
@click.argument("campaign_id")
@common_options
@pass_state
def get(state: State, campaign_id: str) -> None:
    """Show one campaign (exit 4 if unknown)."""
    campaign = state.client().campaigns.get(campaign_id)
    state.output.data(campaign, campaign_table("Campaign", [campaign]))


@group.command("wait")
@click.argument("campaign_id")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    required=True,
    type=click.Choice([s.value for s in CampaignStatus], case_sensitive=False),
    help="Status to wait for (repeat for any of several).",
)
@wait_options
@common_options
@pass_state
def wait(
    state: State,
    campaign_id: str,
    statuses: tuple[str, ...],
    wait_timeout: float,
    poll_interval: float,
) -> None:
    """Poll a campaign until it reaches one of the --status values."""
    campaign = state.client().campaigns.wait_for_status(
        campaign_id, list(statuses), timeout=wait_timeout, poll_interval=poll_interval
    )
    state.output.data(campaign, campaign_table("Campaign", [campaign]))
