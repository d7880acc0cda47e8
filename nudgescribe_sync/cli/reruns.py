"""``nudgescribe reruns history/messages/initiate``: campaign reruns and their runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from nudgescribe_async._contract import MAX_PAGE_SIZE
from nudgescribe_async.models import CampaignStatus, Run
from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.campaigns import wait_options
from nudgescribe_sync.cli.output import table

__all__ = ["comparison_table", "group", "history_table"]

#: The statuses a campaign reaches when a rerun's generation job ends.
DONE = [CampaignStatus.READY_FOR_REVIEW, CampaignStatus.READY_TO_PUBLISH]


def history_table(runs: Sequence[Run]) -> Any:
    """Runs, newest first, with their message counts."""
    return table(
        "Run history",
        ["run", "status", "group", "segments", "messages", "published", "archived", "created"],
        [
            [
                r.run_number,
                r.status,
                r.customer_group_name or r.customer_group_id,
                r.segment_count,
                r.message_summary.total_count,
                r.message_summary.published_count,
                r.message_summary.archived_count,
                r.created_at,
            ]
            for r in runs
        ],
    )


def comparison_table(result: Any, status: Any = None) -> Any:
    """A rerun's result: the new run and the segment comparison counts."""
    return table(
        "Rerun",
        ["run", "status", "archived", "matched", "new", "orphaned"],
        [
            [
                result.run_number,
                status or result.campaign_status,
                result.archived_count,
                result.comparison.matched_count,
                result.comparison.new_count,
                result.comparison.orphaned_count,
            ]
        ],
    )


@click.group("reruns")
def group() -> None:
    """Campaign reruns."""


@group.command("history")
@click.argument("campaign_id")
@common_options
@pass_state
def history(state: State, campaign_id: str) -> None:
    """A campaign's runs, newest first (Run #1 is synthesised)."""
    runs = state.client().reruns.history(campaign_id).runs
    state.output.data(runs, history_table(runs))


@group.command("messages")
@click.argument("campaign_id")
@click.option("--run", "run", type=click.IntRange(min=1), help="A past run (includes archived).")
@click.option("--page-size", type=click.IntRange(1, MAX_PAGE_SIZE), default=100, show_default=True)
@click.option("--concurrency", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many messages.")
@common_options
@pass_state
def messages(
    state: State,
    campaign_id: str,
    run: int | None,
    page_size: int,
    concurrency: int,
    limit: int | None,
) -> None:
    """The messages of a run (JSON Lines under --json)."""
    pager = state.client().reruns.list_messages(
        campaign_id, run_number=run, page_size=page_size, concurrency=concurrency
    )
    with pager:
        found = []
        for message in pager:
            found.append(message)
            if state.json_mode:
                state.output.lines([message])
            if limit is not None and len(found) >= limit:
                break
    if not state.json_mode:
        state.output.out.print(
            table(
                "Run messages",
                ["message id", "run", "customer", "segment", "review", "archived"],
                [
                    [
                        m.message_id,
                        m.run_number,
                        m.customer_id,
                        m.segment.name if m.segment else None,
                        m.review_status,
                        m.archived,
                    ]
                    for m in found
                ],
            )
        )


@group.command("initiate")
@click.argument("campaign_id")
@click.argument("new_customer_group_id")
@click.option("--wait", is_flag=True, help="Wait until the new run's messages are generated.")
@wait_options
@common_options
@pass_state
def initiate(
    state: State,
    campaign_id: str,
    new_customer_group_id: str,
    wait: bool,
    wait_timeout: float,
    poll_interval: float,
) -> None:
    """Rerun a Published campaign on another group of the same workspace."""
    client = state.client()
    result = client.reruns.initiate(campaign_id, new_customer_group_id)
    status = result.campaign_status
    if wait:
        status = client.campaigns.wait_for_status(
            campaign_id, DONE, timeout=wait_timeout, poll_interval=poll_interval
        ).status
    data = {
        "rerun_id": result.rerun_id,
        "run_number": result.run_number,
        "campaign_status": status,
        "archived_count": result.archived_count,
        "comparison": result.comparison,
    }
    state.output.data(data, comparison_table(result, status))
