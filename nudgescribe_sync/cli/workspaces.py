"""``nudgescribe workspaces list``: the workspaces that hold campaigns (from campaigns/all).

The API has no workspace endpoint; the workspaces are those ``campaigns.list()`` reports.
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
    listing = state.client().campaigns.list()
    rows = [{"workspace_id": ws.workspace_id, "workspace_name": ws.workspace_name,
             "campaign_count": len(ws.campaigns)} for ws in listing.workspaces]
    state.output.data(rows, table("Workspaces", ["workspace id", "name", "campaigns"],
                                  [list(r.values()) for r in rows]))
