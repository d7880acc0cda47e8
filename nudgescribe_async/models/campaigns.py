"""Models of ``/v1/campaign/all``: campaigns grouped by workspace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import attrs

from .base import ListResult, Model
from .enums import CampaignStatus

__all__ = ["Campaign", "CampaignList", "WorkspaceCampaigns"]


@attrs.frozen(kw_only=True)
class Campaign(Model):
    """One campaign; ``status`` is a :class:`CampaignStatus`, or the raw string if unknown."""

    campaign_id: str
    """The campaign's UUID."""
    status: CampaignStatus | str
    """Compare with ``CampaignStatus`` members (case-insensitive) or plain strings."""
    name: str | None = None
    """The campaign's name."""
    workspace_id: str | None = None
    """The workspace the campaign belongs to."""
    customer_group_id: str | None = None
    """The group the current run targets."""
    run_number: int | None = None
    """The current run (1 until the first rerun)."""
    published_at: datetime | None = None
    """When it was last published, or ``None``."""
    created_at: datetime | None = None
    """Creation time (UTC)."""
    updated_at: datetime | None = None
    """Last update time (UTC)."""


@attrs.frozen(kw_only=True)
class WorkspaceCampaigns(Model, ListResult[Campaign]):
    """The campaigns of one workspace."""

    _items_attribute = "campaigns"

    workspace_id: str
    """The workspace's UUID."""
    workspace_name: str | None = None
    """The workspace's name."""
    campaigns: list[Campaign] = attrs.field(factory=list)
    """Its campaigns."""


@attrs.frozen(kw_only=True)
class CampaignList(Model, ListResult[WorkspaceCampaigns]):
    """Result of ``POST /v1/campaign/all``: campaigns grouped by workspace."""

    _items_attribute = "workspaces"

    workspaces: list[WorkspaceCampaigns]
    """One entry per workspace."""

    def all_campaigns(self) -> Iterator[Campaign]:
        """Yield every campaign of every workspace, in response order."""
        for workspace in self.workspaces:
            yield from workspace.campaigns

    def find(self, campaign_id: str) -> Campaign | None:
        """Return the campaign with ``campaign_id``, or ``None``."""
        return next((c for c in self.all_campaigns() if c.campaign_id == campaign_id), None)
