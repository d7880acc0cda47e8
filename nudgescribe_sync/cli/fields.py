"""``nudgescribe fields list/create/update/delete``: custom profile fields of a workspace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from nudgescribe_async import NOT_GIVEN
from nudgescribe_async.models import DateFormat, FieldType, FieldUpdate, ProfileField
from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.output import table

__all__ = ["group"]

_COLUMNS = ["field id", "name", "type", "format", "required", "unique", "display name"]


def _rows(fields: Sequence[ProfileField]) -> list[list[Any]]:
    return [
        [
            f.field_id,
            f.field_name,
            f.field_type,
            f.field_format,
            f.is_required,
            f.is_unique,
            f.display_name,
        ]
        for f in fields
    ]


def _flag(value: bool | None) -> Any:
    return NOT_GIVEN if value is None else value


@click.group("fields")
def group() -> None:
    """Custom profile fields."""


@group.command("list")
@click.argument("workspace_id")
@common_options
@pass_state
def list_(state: State, workspace_id: str) -> None:
    """List the profile fields of WORKSPACE_ID."""
    fields = state.client().profile_fields.list(workspace_id).fields
    state.output.data(fields, table("Profile fields", _COLUMNS, _rows(fields)))


@group.command("create")
@click.argument("workspace_id")
@click.argument("field_name")
@click.option(
    "--type",
    "field_type",
    type=click.Choice([t.value for t in FieldType]),
    default=FieldType.STRING.value,
    show_default=True,
    help="Field type.",
)
@click.option(
    "--format",
    "field_format",
    metavar="FORMAT",
    help=f"Date format ({', '.join(d.value for d in DateFormat)}) or ISO 4217 currency code.",
)
@click.option("--display-name", help="Label shown in the app.")
@click.option("--required/--optional", default=None, help="Must every customer have it?")
@click.option("--unique", is_flag=True, default=None, help="Values identify customers.")
@common_options
@pass_state
def create(
    state: State,
    workspace_id: str,
    field_name: str,
    field_type: str,
    field_format: str | None,
    display_name: str | None,
    required: bool | None,
    unique: bool | None,
) -> None:
    """Create FIELD_NAME in WORKSPACE_ID."""
    created = state.client().profile_fields.create(
        workspace_id,
        field_name,
        field_type,
        field_format=NOT_GIVEN if field_format is None else field_format,
        display_name=NOT_GIVEN if display_name is None else display_name,
        is_required=_flag(required),
        is_unique=_flag(unique),
    )
    state.output.data(created, table("Created", _COLUMNS, _rows([created])))


@group.command("update")
@click.argument("workspace_id")
@click.argument("field_id")
@click.option("--display-name", help="New label.")
@click.option("--format", "field_format", metavar="FORMAT", help="New date format.")
@click.option("--required/--optional", default=None, help="Change whether it is required.")
@common_options
@pass_state
def update(
    state: State,
    workspace_id: str,
    field_id: str,
    display_name: str | None,
    field_format: str | None,
    required: bool | None,
) -> None:
    """Change a field's label, format or required flag."""
    if display_name is None and field_format is None and required is None:
        raise click.UsageError(
            "nothing to change: pass --display-name, --format or --required/--optional"
        )
    change = FieldUpdate(
        field_id=field_id,
        display_name=NOT_GIVEN if display_name is None else display_name,
        field_format=NOT_GIVEN if field_format is None else field_format,
        is_required=_flag(required),
    )
    fields = state.client().profile_fields.update(workspace_id, [change]).fields
    state.output.data(fields, table("Updated", _COLUMNS, _rows(fields)))


@group.command("delete")
@click.argument("workspace_id")
@click.argument("field_ids", nargs=-1, required=True)
@common_options
@pass_state
def delete(state: State, workspace_id: str, field_ids: tuple[str, ...]) -> None:
    """Delete fields (and the customer data stored in them)."""
    result = state.client().profile_fields.delete(workspace_id, list(field_ids))
    state.output.data(
        result, table(None, ["deleted", "message"], [[result.deleted_count, result.message]])
    )
