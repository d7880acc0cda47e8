"""Campaign domain rules: segments, message generation, approval, publish and export.

Status machine (``Draft`` and ``Generating`` are CHOSEN extras)::

    Draft  Generating     Ready for review --approve_campaign()--> Ready to publish
                                 ^                                      ^     |
                                 | new segments          all matched    |  publish
                                 +------------ rerun/initiate ----------+     |
                                                     ^                        v
                                                     +------------------- Published

A rerun sets its status at once (as published); its background job then generates the new
run's messages and archives the orphaned segments' messages.

A segment is the set of a group's customers sharing one value of the campaign's
``segment_field`` (all customers form one segment when the campaign has none). Messages are
generated one per customer; their segment id is stable per (campaign, segment value).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from nudgescribe_async._contract import (
    CAMPAIGN_PUBLISHED,
    CAMPAIGN_READY_FOR_REVIEW,
    CAMPAIGN_READY_TO_PUBLISH,
    EXPORT_COLUMNS,
)
from nudgescribe_async.testing._state import (
    CampaignRecord,
    CustomerGroupRecord,
    CustomerRecord,
    ExportFolder,
    MessageRecord,
    State,
)

__all__ = [
    "approve",
    "build_export",
    "export_csv",
    "generate_messages",
    "mark_published",
    "segments_of",
    "status_is",
]

ALL_CUSTOMERS = "All customers"

# (review_status, approval_stage) of generated messages by campaign status.
STAGES = {
    CAMPAIGN_READY_FOR_REVIEW: ("pending", "review"),
    CAMPAIGN_READY_TO_PUBLISH: ("approved", "ready_to_publish"),
    CAMPAIGN_PUBLISHED: ("approved", "published"),
}


def status_is(campaign: CampaignRecord, status: str) -> bool:
    """Compare statuses case-insensitively (the docs print ``Ready to Publish`` too)."""
    return campaign.status.casefold() == status.casefold()


def segments_of(
    customers: Iterable[CustomerRecord], segment_field: str | None
) -> dict[str, list[CustomerRecord]]:
    """Group ``customers`` by their value of ``segment_field`` (empty values are skipped)."""
    segments: dict[str, list[CustomerRecord]] = {}
    for customer in customers:
        value = customer.profile.get(segment_field, "") if segment_field else ALL_CUSTOMERS
        if value:
            segments.setdefault(value, []).append(customer)
    return segments


def segment_id(state: State, campaign: CampaignRecord, value: str) -> str:
    """Return the campaign's stable id for segment ``value``."""
    found = campaign.segment_ids.get(value)
    if found is None:
        found = campaign.segment_ids[value] = state.new_id()
    return found


def generate_messages(
    state: State,
    campaign: CampaignRecord,
    group: CustomerGroupRecord,
    *,
    status: str,
    origins: dict[str, str] | None = None,
    only: set[str] | None = None,
) -> list[MessageRecord]:
    """Create one message per customer of ``group`` for the campaign's current run.

    ``origins`` maps a segment value to ``matched``/``new`` (default ``new``); ``only``
    limits generation to those segment values.
    """
    review_status, stage = STAGES.get(status, ("pending", "review"))
    created_at = state.stamp()
    published_at = created_at if stage == "published" else None
    run = campaign.run_number
    made: list[MessageRecord] = []
    for value, members in segments_of(group.ordered(), campaign.segment_field).items():
        if only is not None and value not in only:
            continue
        seg_id = segment_id(state, campaign, value)
        origin = (origins or {}).get(value, "new")
        for customer in members:
            made.append(
                MessageRecord(
                    message_id=state.new_id(),
                    campaign_id=campaign.campaign_id,
                    run_number=run,
                    customer_id=customer.customer_id,
                    segment_id=seg_id,
                    segment_name=value,
                    subject=f"{campaign.name}: {value}",
                    content=f"Hello from {campaign.name} for the {value} segment (run {run}).",
                    review_status=review_status,
                    approval_stage=stage,
                    archived=False,
                    origin=origin,
                    created_at=created_at,
                    published_at=published_at,
                )
            )
    campaign.messages.extend(made)
    return made


def current_messages(campaign: CampaignRecord) -> list[MessageRecord]:
    """Return the active (not archived) messages of the campaign's current run."""
    run = campaign.run_number
    return [m for m in campaign.messages if m.run_number == run and not m.archived]


def approve(state: State, campaign: CampaignRecord) -> None:
    """Move a ``Ready for review`` campaign to ``Ready to publish`` (the web app's step)."""
    if status_is(campaign, CAMPAIGN_READY_TO_PUBLISH):
        return
    if not status_is(campaign, CAMPAIGN_READY_FOR_REVIEW):
        raise ValueError(f"campaign is {campaign.status!r}, not 'Ready for review'")
    for message in current_messages(campaign):
        message.review_status, message.approval_stage = STAGES[CAMPAIGN_READY_TO_PUBLISH]
    campaign.status = CAMPAIGN_READY_TO_PUBLISH
    campaign.updated_at = state.stamp()


def mark_published(state: State, campaign: CampaignRecord) -> None:
    """Publish the campaign and its current messages; reset the current export folder."""
    now = state.stamp()
    for message in current_messages(campaign):
        message.review_status, message.approval_stage = STAGES[CAMPAIGN_PUBLISHED]
        if message.published_at is None:
            message.published_at = now
    if not status_is(campaign, CAMPAIGN_PUBLISHED) or campaign.published_at is None:
        campaign.published_at = now
    campaign.status = CAMPAIGN_PUBLISHED
    campaign.updated_at = now
    campaign.exports[campaign.run_number] = ExportFolder(run_number=campaign.run_number)


def build_export(campaign: CampaignRecord, run_number: int) -> None:
    """Fill the run's export folder with its published, active messages (the export job)."""
    folder = campaign.exports.setdefault(run_number, ExportFolder(run_number=run_number))
    folder.rows = [
        m.to_export_row()
        for m in campaign.messages
        if m.run_number == run_number and not m.archived and m.published_at is not None
    ]
    folder.ready = True


def export_csv(rows: list[dict[str, Any]]) -> str:
    """Return ``rows`` as CSV text with the export header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return out.getvalue()
