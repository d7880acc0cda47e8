"""Models of ``client.workspaces``: workspaces as derived from ``/v1/campaign/all``.

The API publishes no workspace endpoint. Its campaign listing groups campaigns by workspace
(id and name), so the SDK derives the workspace list from it.
"""

from __future__ import annotations

import attrs

from .base import ListResult, Model

__all__ = ["Workspace", "WorkspaceList"]


@attrs.frozen(kw_only=True)
class Workspace(Model):
    """One workspace, as the campaign listing reports it."""

    workspace_id: str
    """The workspace's UUID (what ``profile_fields`` and ``customer_groups`` calls take)."""
    name: str | None = None
    """The workspace's name."""
    campaign_count: int = 0
    """How many campaigns the listing reported for it."""


@attrs.frozen(kw_only=True)
class WorkspaceList(Model, ListResult[Workspace]):
    """The workspaces of the account (derived from ``POST /v1/campaign/all``)."""

    _items_attribute = "workspaces"

    workspaces: list[Workspace]
    """One entry per workspace, in the listing's order."""

    def find(self, name_or_id: str) -> Workspace | None:
        """Return the workspace with this id, else the first with this name (any case)."""
        for workspace in self.workspaces:
            if workspace.workspace_id == name_or_id:
                return workspace
        folded = name_or_id.casefold()
        return next((w for w in self.workspaces if (w.name or "").casefold() == folded), None)
