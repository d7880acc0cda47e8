"""``client.workspaces``: the account's workspaces, derived from ``/v1/campaign/all``.

Nudgescribe publishes no workspace endpoint; the campaign listing is the one call that names
workspaces (id and name, with their campaigns), so :meth:`AsyncWorkspaces.list` makes that call
and keeps the workspace part. Whether the live service lists a workspace that has no campaigns
is not published (the reference server does list it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nudgescribe_async._endpoints import CAMPAIGN_LIST
from nudgescribe_async._types import NOT_GIVEN, CallOptions, NotGiven, TimeoutLike
from nudgescribe_async.models import CampaignList, Workspace, WorkspaceList
from nudgescribe_async.resources._base import AsyncResource

__all__ = ["AsyncWorkspaces", "workspaces_of"]


class AsyncWorkspaces(AsyncResource):
    """List the account's workspaces (derived from the campaign listing)."""

    async def list(
        self,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> WorkspaceList:
        """Return the account's workspaces (one ``POST /v1/campaign/all``; no other endpoint).

        Iterate the result, index it, or ``find()`` one by id or name:

        >>> for workspace in await client.workspaces.list():  # doctest: +SKIP
        ...     print(workspace.workspace_id, workspace.name, workspace.campaign_count)
        """
        listing = await self._call(
            CAMPAIGN_LIST,
            {},
            CampaignList,
            CallOptions(extra_body, extra_headers, timeout),
        )
        return workspaces_of(listing)


def workspaces_of(listing: CampaignList) -> WorkspaceList:
    """The workspace part of a campaign listing."""
    return WorkspaceList(
        workspaces=[
            Workspace(
                workspace_id=w.workspace_id, name=w.workspace_name, campaign_count=len(w.campaigns)
            )
            for w in listing.workspaces
        ]
    )
