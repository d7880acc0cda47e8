"""The resource classes behind the client's attributes (``client.customers`` and so on)."""

from __future__ import annotations

from nudgescribe_async.resources.auth import AsyncAuth
from nudgescribe_async.resources.campaigns import AsyncCampaigns
from nudgescribe_async.resources.customer_groups import AsyncCustomerGroups
from nudgescribe_async.resources.customers import AsyncCustomers
from nudgescribe_async.resources.messages import AsyncMessages
from nudgescribe_async.resources.profile_fields import AsyncProfileFields
from nudgescribe_async.resources.reruns import AsyncReruns
from nudgescribe_async.resources.workspaces import AsyncWorkspaces

__all__ = [
    "AsyncAuth",
    "AsyncCampaigns",
    "AsyncCustomerGroups",
    "AsyncCustomers",
    "AsyncMessages",
    "AsyncProfileFields",
    "AsyncReruns",
    "AsyncWorkspaces",
]
