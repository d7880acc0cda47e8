"""``nudgescribe messages publish/download``: publish a campaign and download its export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from nudgescribe_async._contract import EXPORT_COLUMNS
from nudgescribe_async.models import ExportedMessage
from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.bulk import export as bulk_export
from nudgescribe_sync.cli.campaigns import wait_options
from nudgescribe_sync.cli.codecs import codec_for
from nudgescribe_sync.cli.errors import CliError, ExitCode
from nudgescribe_sync.cli.output import table

__all__ = ["download_path", "flatten_message", "group"]


def flatten_message(message: ExportedMessage) -> dict[str, Any]:
    """An exported row as one CSV row (the export's own columns, then unknown keys)."""
    row = {name: getattr(message, name) for name in EXPORT_COLUMNS}
    row.update({k: v for k, v in message.extra.items() if k not in row})
    return row


def download_path(directory: Path, campaign_id: str, run: int | None, fmt: str) -> Path:
    """``DIR/<campaign>[-run<N>].jsonl|csv``."""
    suffix = ".csv" if fmt == "csv" else ".jsonl"
    return directory / f"{campaign_id}{f'-run{run}' if run else ''}{suffix}"


@click.group("messages")
def group() -> None:
    """Exported campaign messages."""


@group.command("publish")
@click.argument("campaign_id")
@click.option("--wait", is_flag=True, help="Wait until the export files are ready.")
@wait_options
@common_options
@pass_state
def publish(
    state: State, campaign_id: str, wait: bool, wait_timeout: float, poll_interval: float
) -> None:
    """Publish a 'Ready to publish' campaign (starts its export job)."""
    client = state.client()
    result = client.messages.publish(campaign_id)
    files = None
    if wait:
        files = client.messages.wait_for_export(
            campaign_id, timeout=wait_timeout, poll_interval=poll_interval
        ).total_pages
    data = {
        "campaign_id": result.campaign_id or campaign_id,
        "campaign_status": result.campaign_status,
        "job_uid": result.job_uid,
        "export_files": files,
    }
    state.output.data(
        data,
        table("Published", ["campaign", "status", "job", "export files"], [list(data.values())]),
    )


@group.command("download")
@click.argument("campaign_id")
@click.option(
    "-o",
    "--output",
    "directory",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for <campaign>[-run<N>].jsonl|csv (created if missing).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json writes JSON Lines.",
)
@click.option("--run", "run", type=click.IntRange(min=1), help="A past run (default: current).")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=8,
    show_default=True,
    help="Export files fetched at once.",
)
@common_options
@pass_state
def download(
    state: State, campaign_id: str, directory: Path, fmt: str, run: int | None, concurrency: int
) -> None:
    """Download every exported message of a campaign into one file; rerun to resume."""
    client = state.client()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create {directory}: {exc.strerror}", ExitCode.USAGE) from exc
    target = download_path(directory, campaign_id, run, fmt)
    # The run and its file count, resolved now: a rerun of the campaign between an
    # interruption and the resume must not stitch two runs into one file.
    chosen = run if run is not None else client.campaigns.get(campaign_id).run_number
    planned = client.messages.count_pages(campaign_id, run_number=chosen).total_pages
    result = bulk_export(
        lambda start: client.messages.list(
            campaign_id, run_number=chosen, concurrency=concurrency, start_page=start
        ),
        codec_for(fmt, flatten_message),
        str(target),
        identity={
            "command": "messages download",
            "campaign": campaign_id,
            "run": chosen,
            "format": fmt,
            "base_url": client.base_url,
        },
        output=state.output,
        label="messages",
        total_pages=planned,
    )
    if result.pages == 0:
        state.output.warn(
            "no export files yet: publish the campaign and wait "
            "(`nudgescribe messages publish CAMPAIGN --wait`)"
        )
    if state.json_mode:
        state.output.data(result)
    else:
        state.output.note(
            f"Downloaded {result.rows:,} messages ({result.pages} file(s)) to {result.path}"
        )
