"""The caller's own workspace, customer group or campaign by id, or a 404 (foreign ids too)."""

from __future__ import annotations

from typing import Any

from nudgescribe_async.testing._errors import not_found
from nudgescribe_async.testing._state import (
    AccountRecord,
    CampaignRecord,
    CustomerGroupRecord,
    State,
    WorkspaceRecord,
)

__all__ = ["campaign_or_404", "group_or_404", "workspace_or_404"]


def workspace_or_404(state: State, account: AccountRecord, workspace_id: Any) -> WorkspaceRecord:
    """Return the account's workspace ``workspace_id``; 404 if unknown or another account's."""
    ws = state.workspace_of(account, workspace_id)
    if ws is None:
        raise not_found("Workspace")
    return ws


def group_or_404(state: State, account: AccountRecord, group_id: Any) -> CustomerGroupRecord:
    """Return the account's customer group ``group_id``; 404 if unknown or foreign."""
    group = state.group_of(account, group_id)
    if group is None:
        raise not_found("Customer group")
    return group


def campaign_or_404(state: State, account: AccountRecord, campaign_id: Any) -> CampaignRecord:
    """Return the account's campaign ``campaign_id``; 404 if unknown or foreign."""
    campaign = state.campaign_of(account, campaign_id)
    if campaign is None:
        raise not_found("Campaign")
    return campaign
