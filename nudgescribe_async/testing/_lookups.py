"""The caller's own workspace, customer group or campaign by id, or a 404 (foreign ids too)."""

from __future__ import annotations

from typing import Any

from nudgescribe_async.testing._errors import not_found
from nudgescribe_async.testing._state import Account, Campaign, CustomerGroup, State, Workspace

__all__ = ["campaign_or_404", "group_or_404", "workspace_or_404"]


def workspace_or_404(state: State, account: Account, workspace_id: Any) -> Workspace:
    """Return the account's workspace ``workspace_id``; 404 if unknown or another account's."""
    ws = state.workspace_of(account, workspace_id)
    if ws is None:
        raise not_found("Workspace")
    return ws


def group_or_404(state: State, account: Account, group_id: Any) -> CustomerGroup:
    """Return the account's customer group ``group_id``; 404 if unknown or foreign."""
    group = state.group_of(account, group_id)
    if group is None:
        raise not_found("Customer group")
    return group


def campaign_or_404(state: State, account: Account, campaign_id: Any) -> Campaign:
    """Return the account's campaign ``campaign_id``; 404 if unknown or foreign."""
    campaign = state.campaign_of(account, campaign_id)
    if campaign is None:
        raise not_found("Campaign")
    return campaign
