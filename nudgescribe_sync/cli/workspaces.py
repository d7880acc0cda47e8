"""``nudgescribe workspaces list``: the account's workspaces (``client.workspaces.list()``).

The API has no workspace endpoint; the SDK derives the workspaces from the campaign listing.
"""

from __future__ import annotations

import click

from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.output import table

__all__ = ["group"]


@click.group("workspaces")
def group() -> None:
    """Workspaces (derived from the campaign listing)."""


@group.command("list")
@common_options
@pass_state
def list_(state: State) -> None:
    """List workspaces with their campaign counts."""
    workspaces = list(state.client().workspaces.list())
    state.output.data(
        workspaces,
        table(
            "Workspaces",
            ["workspace id", "name", "campaigns"],
            [[w.workspace_id, w.name, w.campaign_count] for w in workspaces],
        ),
    )
