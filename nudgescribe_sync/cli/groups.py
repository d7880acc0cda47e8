"""``nudgescribe groups list/create/update/delete``: customer groups of a workspace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from nudgescribe_async import NOT_GIVEN
from nudgescribe_async.models import CustomerGroup
from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.output import table

__all__ = ["group"]

_COLUMNS = ["group id", "name", "customers", "description", "updated"]


def _rows(groups: Sequence[CustomerGroup]) -> list[list[Any]]:
    return [
        [g.customer_group_id, g.name, g.customer_count, g.description, g.updated_at] for g in groups
    ]


@click.group("groups")
def group() -> None:
    """Customer groups."""


@group.command("list")
@click.argument("workspace_id")
@common_options
@pass_state
def list_(state: State, workspace_id: str) -> None:
    """List the customer groups of WORKSPACE_ID."""
    groups = state.client().customer_groups.list(workspace_id).customer_groups
    state.output.data(groups, table("Customer groups", _COLUMNS, _rows(groups)))


@group.command("create")
@click.argument("workspace_id")
@click.argument("name")
@click.option("--description", help="What the group is for.")
@common_options
@pass_state
def create(state: State, workspace_id: str, name: str, description: str | None) -> None:
    """Create a group NAME in WORKSPACE_ID."""
    created = state.client().customer_groups.create(
        workspace_id, name, description=NOT_GIVEN if description is None else description
    )
    state.output.data(created, table("Created", _COLUMNS, _rows([created])))


@group.command("update")
@click.argument("customer_group_id")
@click.option("--name", help="New name.")
@click.option("--description", help="New description.")
@click.option("--clear-description", is_flag=True, help="Remove the description.")
@common_options
@pass_state
def update(
    state: State,
    customer_group_id: str,
    name: str | None,
    description: str | None,
    clear_description: bool,
) -> None:
    """Rename a group or change its description."""
    if clear_description and description is not None:
        raise click.UsageError("pass --description or --clear-description, not both")
    if name is None and description is None and not clear_description:
        raise click.UsageError(
            "nothing to change: pass --name, --description or --clear-description"
        )
    updated = state.client().customer_groups.update(
        customer_group_id,
        name=NOT_GIVEN if name is None else name,
        description=None
        if clear_description
        else (NOT_GIVEN if description is None else description),
    )
    state.output.data(updated, table("Updated", _COLUMNS, _rows([updated])))


@group.command("delete")
@click.argument("customer_group_id")
@common_options
@pass_state
def delete(state: State, customer_group_id: str) -> None:
    """Delete a group and its customers."""
    result = state.client().customer_groups.delete(customer_group_id)
    state.output.data(
        result, table(None, ["deleted", "message"], [[customer_group_id, result.message]])
    )
