"""Models of ``/v1/campaign/rerun/*``: run history, run messages and initiating a rerun."""

from __future__ import annotations

from datetime import datetime

import attrs

from .base import ListResult, Model
from .enums import CampaignStatus, RunStatus

__all__ = [
    "Comparison",
    "MessageSummary",
    "RerunResult",
    "Run",
    "RunHistory",
    "RunMessage",
    "RunMessagePage",
    "Segment",
]


@attrs.frozen(kw_only=True)
class MessageSummary(Model):
    """Message counts of one run (all ``None`` when the server omits the summary)."""

    total_count: int | None = None
    """Messages in the run."""
    published_count: int | None = None
    """Of those, published."""
    archived_count: int | None = None
    """Of those, archived."""
    matched_count: int | None = None
    """Segments present in both the old and the new group."""
    new_count: int | None = None
    """Segments only in the new group."""
    orphaned_count: int | None = None
    """Segments only in the old group."""


@attrs.frozen(kw_only=True)
class Run(Model):
    """One run of a campaign; Run #1 of a never-rerun campaign is ``synthesized``."""

    run_number: int
    """1-based run number."""
    rerun_id: str | None = None
    """The rerun's UUID; ``None`` for the synthesised Run #1."""
    customer_group_id: str | None = None
    """The group the run targeted."""
    customer_group_name: str | None = None
    """That group's name."""
    segment_count: int | None = None
    """Segments in the run."""
    status: RunStatus | str | None = None
    """``Active`` or ``Archived`` (case-insensitive; unknown strings kept)."""
    created_at: datetime | None = None
    """When the run was created."""
    synthesized: bool = False
    """True for the Run #1 the server synthesises for a never-rerun campaign."""
    message_summary: MessageSummary = attrs.field(factory=MessageSummary)
    """Message counts of the run."""


@attrs.frozen(kw_only=True)
class RunHistory(Model, ListResult[Run]):
    """Result of ``POST /v1/campaign/rerun/history``: runs, newest first."""

    _items_attribute = "runs"

    runs: list[Run]
    """The runs, newest first."""
    campaign_id: str | None = None
    """The campaign."""


@attrs.frozen(kw_only=True)
class Segment(Model):
    """The segment a run message was written for."""

    segment_id: str
    """The segment's id."""
    name: str | None = None
    """The segment's name (the shared value of the segment field)."""


@attrs.frozen(kw_only=True)
class RunMessage(Model):
    """One message of a run (``POST /v1/campaign/rerun/messages``)."""

    message_id: str
    """The message's UUID."""
    run_number: int | None = None
    """The run it belongs to."""
    customer_id: str | None = None
    """The customer it is for."""
    segment: Segment | None = None
    """The segment it was written for."""
    content: str | None = None
    """Message body."""
    review_status: str | None = None
    """Review state (value set not published; kept as a string)."""
    approval_stage: str | None = None
    """Approval stage (value set not published; kept as a string)."""
    archived: bool = False
    """True once a later run archived it."""
    created_at: datetime | None = None
    """When it was generated."""


@attrs.frozen(kw_only=True)
class RunMessagePage(Model, ListResult[RunMessage]):
    """One page of a run's messages."""

    _items_attribute = "messages"

    page: int
    """This page's 1-based number."""
    total_pages: int
    """Pages at the requested page size."""
    messages: list[RunMessage]
    """The messages on this page."""
    campaign_id: str | None = None
    """The campaign."""
    run_number: int | None = None
    """The run listed."""

    @property
    def number(self) -> int:
        """This page's 1-based number (``page``), as on the pagers' ``Page``."""
        return self.page


@attrs.frozen(kw_only=True)
class Comparison(Model):
    """How the new group's segments compare to the current run's."""

    matched_count: int
    """Segments in both groups (their messages are reused)."""
    new_count: int
    """Segments only in the new group (messages to generate)."""
    orphaned_count: int
    """Segments only in the old group (their messages get archived)."""


@attrs.frozen(kw_only=True)
class RerunResult(Model):
    """Result of ``POST /v1/campaign/rerun/initiate`` (the fully published example)."""

    rerun_id: str
    """The new run's UUID."""
    run_number: int
    """The new run's number."""
    campaign_status: CampaignStatus | str
    """``Ready for review`` if segments need generating, else ``Ready to publish``."""
    job_uid: str | None
    """The background job's id."""
    archived_count: int
    """Messages of the previous run archived."""
    comparison: Comparison
    """Segment comparison between the old and the new group."""
    message: str | None = None
    """``"Campaign rerun initiated successfully"``."""
