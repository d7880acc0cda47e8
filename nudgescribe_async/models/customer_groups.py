"""Models of ``/v1/cg`` (customer groups)."""

from __future__ import annotations

from datetime import datetime

import attrs

from .base import ListResult, Model

__all__ = ["CustomerGroup", "CustomerGroupList"]


@attrs.frozen(kw_only=True)
class CustomerGroup(Model):
    """A named group of customers in a workspace."""

    customer_group_id: str
    """The group's UUID."""
    name: str
    """The group's name (unique within the workspace)."""
    workspace_id: str | None = None
    """The workspace the group belongs to."""
    description: str | None = None
    """Free text, or ``None``."""
    customer_count: int | None = None
    """How many customers the group holds."""
    created_at: datetime | None = None
    """Creation time (UTC)."""
    updated_at: datetime | None = None
    """Last update time (UTC)."""


@attrs.frozen(kw_only=True)
class CustomerGroupList(Model, ListResult[CustomerGroup]):
    """All groups of a workspace (``POST /v1/cg``; not paged)."""

    _items_attribute = "customer_groups"

    customer_groups: list[CustomerGroup]
    """The group objects."""
