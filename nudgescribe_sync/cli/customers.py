"""``nudgescribe customers upload/count/export``: customers of a group."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from nudgescribe_async import UploadValidationError
from nudgescribe_async._contract import MAX_PAGE_SIZE
from nudgescribe_async.models import Customer, HeaderError, RowError
from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.bulk import export as bulk_export
from nudgescribe_sync.cli.codecs import codec_for
from nudgescribe_sync.cli.errors import CliError
from nudgescribe_sync.cli.output import Output, table

__all__ = ["flatten_customer", "group", "show_findings"]


@click.group("customers")
def group() -> None:
    """Customers of a group: upload, count, export."""


def show_findings(
    output: Output, header_errors: Sequence[HeaderError], row_errors: Sequence[RowError]
) -> None:
    """Print an upload's header and row errors as tables (or JSON under ``--json``)."""
    if output.json_mode:
        output.data({"valid": False, "header_errors": header_errors, "row_errors": row_errors})
        return
    if header_errors:
        output.out.print(
            table(
                "Header errors",
                ["column", "problem"],
                [[e.column, e.message] for e in header_errors],
            )
        )
    if row_errors:
        output.out.print(
            table(
                "Row errors (row = data row, 1-based)",
                ["row", "field", "problem"],
                [[e.row, e.field, e.message] for e in row_errors],
            )
        )


@group.command("upload")
@click.argument("workspace_id")
@click.argument("customer_group_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unique-field", required=True, help="Profile field that identifies customers.")
@click.option("--validate-only", is_flag=True, help="Check the file; store nothing.")
@common_options
@pass_state
def upload(
    state: State,
    workspace_id: str,
    customer_group_id: str,
    file: Path,
    unique_field: str,
    validate_only: bool,
) -> None:
    """Upload a CSV FILE (header row = profile field names) into a group.

    Refused rows are shown as a table and the command exits 5; nothing is stored then.
    """
    output = state.output
    try:
        result = state.client().customers.upload(
            workspace_id,
            customer_group_id,
            unique_field=unique_field,
            file=str(file),
            validate_only=validate_only,
        )
    except UploadValidationError as exc:
        show_findings(output, exc.header_errors, exc.row_errors)
        raise CliError(
            f"{file.name}: upload refused ({len(exc.header_errors)} header and "
            f"{len(exc.row_errors)} row errors; nothing stored). Fix the rows "
            "listed and upload again."
        ) from exc
    if validate_only and not result.valid:
        show_findings(output, result.header_errors, result.row_errors)
        raise CliError(
            f"{file.name}: not valid ({len(result.header_errors)} header and "
            f"{len(result.row_errors)} row errors)"
        )
    output.data(
        result,
        table(
            "Validated" if validate_only else "Uploaded",
            ["rows", "created", "updated", "queued", "job"],
            [
                [
                    result.total_rows,
                    result.created_count,
                    result.updated_count,
                    result.queued,
                    result.job_uid,
                ]
            ],
        ),
    )


@group.command("count")
@click.argument("customer_group_id")
@click.option("--page-size", type=click.IntRange(1, MAX_PAGE_SIZE), default=100, show_default=True)
@common_options
@pass_state
def count(state: State, customer_group_id: str, page_size: int) -> None:
    """Count the customers (and pages) of a group."""
    result = state.client().customers.count_pages(customer_group_id, page_size=page_size)
    state.output.data(
        result,
        table(
            None,
            ["group id", "customers", "pages", "page size"],
            [[customer_group_id, result.total_customers, result.total_pages, page_size]],
        ),
    )


def flatten_customer(customer: Customer) -> dict[str, Any]:
    """A customer as one CSV row: its own fields, then one column per profile field."""
    row: dict[str, Any] = {
        "customer_id": customer.customer_id,
        "unique_value": customer.unique_value,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
    }
    for key, value in customer.profile.items():
        row[f"profile.{key}" if key in row else key] = value
    return row


def format_of(target: str, given: str | None) -> str:
    """The export format: ``--format``, else the file's suffix (``.csv``), else JSON Lines."""
    if given:
        return given
    return "csv" if target.lower().endswith(".csv") else "jsonl"


@group.command("export")
@click.argument("customer_group_id")
@click.option(
    "-o",
    "--output",
    "target",
    required=True,
    metavar="FILE",
    help="File to write (.jsonl or .csv), or - for stdout.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    help="Output format (default: from the file suffix, else jsonl).",
)
@click.option(
    "--page-size", type=click.IntRange(1, MAX_PAGE_SIZE), default=MAX_PAGE_SIZE, show_default=True
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Pages fetched at once.",
)
@common_options
@pass_state
def export(
    state: State,
    customer_group_id: str,
    target: str,
    fmt: str | None,
    page_size: int,
    concurrency: int,
) -> None:
    """Export every customer of a group, in page order; rerun to resume if interrupted."""
    client = state.client()
    fmt = format_of(target, fmt)
    # Resolved now so that a resumed run can tell that the group changed in between.
    planned = (
        None
        if target == "-"
        else client.customers.count_pages(customer_group_id, page_size=page_size).total_pages
    )
    result = bulk_export(
        lambda start: client.customers.list(
            customer_group_id, page_size=page_size, concurrency=concurrency, start_page=start
        ),
        codec_for(fmt, flatten_customer),
        target,
        identity={
            "command": "customers export",
            "group": customer_group_id,
            "page_size": page_size,
            "format": fmt,
            "base_url": client.base_url,
        },
        output=state.output,
        label="customers",
        total_pages=planned,
    )
    if target == "-":
        return
    if state.json_mode:
        state.output.data(result)
    else:
        resumed = f", {result.resumed_pages} pages resumed" if result.resumed_pages else ""
        state.output.note(
            f"Exported {result.rows:,} customers ({result.pages} pages{resumed}) to {result.path}"
        )
