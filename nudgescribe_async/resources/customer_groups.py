"""``client.customer_groups``: named groups of customers in a workspace (``/v1/cg``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nudgescribe_async._endpoints import (
    CUSTOMER_GROUP_CREATE,
    CUSTOMER_GROUP_DELETE,
    CUSTOMER_GROUP_LIST,
    CUSTOMER_GROUP_UPDATE,
)
from nudgescribe_async._errors import RequestValidationError
from nudgescribe_async._types import NOT_GIVEN, CallOptions, NotGiven, TimeoutLike
from nudgescribe_async.models import CustomerGroup, CustomerGroupList, DeleteResult
from nudgescribe_async.resources._base import AsyncResource
from nudgescribe_async.resources._validate import given, require_id, require_text

__all__ = ["AsyncCustomerGroups"]


class AsyncCustomerGroups(AsyncResource):
    """Create, list, update and delete customer groups."""

    async def create(
        self,
        workspace_id: str,
        name: str,
        *,
        description: str | NotGiven | None = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> CustomerGroup:
        """Create a group (``PUT /v1/cg``); a duplicate name raises ``ConflictError``.

        >>> group = await client.customer_groups.create("ws_1", "VIP", description="Top 1%")
        ... # doctest: +SKIP
        >>> group.customer_group_id  # doctest: +SKIP
        'cg_...'
        """
        body = {
            "workspace_id": require_id("workspace_id", workspace_id),
            "name": require_text("name", name),
            **given(description=_optional_text("description", description)),
        }
        return await self._call(
            CUSTOMER_GROUP_CREATE,
            body,
            CustomerGroup,
            CallOptions(extra_body, extra_headers, timeout),
            key="customer_group",
        )

    async def list(
        self,
        workspace_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> CustomerGroupList:
        """Return every group of a workspace (``POST /v1/cg``; the endpoint does not page).

        >>> groups = await client.customer_groups.list("ws_1")  # doctest: +SKIP
        >>> [g.name for g in groups.customer_groups]  # doctest: +SKIP
        ['VIP', 'Newsletter']
        """
        body = {"workspace_id": require_id("workspace_id", workspace_id)}
        return await self._call(
            CUSTOMER_GROUP_LIST,
            body,
            CustomerGroupList,
            CallOptions(extra_body, extra_headers, timeout),
        )

    async def update(
        self,
        customer_group_id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        description: str | NotGiven | None = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> CustomerGroup:
        """Rename or re-describe a group (``PATCH /v1/cg``); members and history are kept.

        Only the arguments you pass are sent: ``description=None`` clears the description,
        leaving it out keeps it. Pass at least one of ``name``, ``description``, ``extra_body``.

        >>> group = await client.customer_groups.update("cg_1", description=None)
        ... # doctest: +SKIP
        """
        body = {
            "customer_group_id": require_id("customer_group_id", customer_group_id),
            **given(
                name=name if isinstance(name, NotGiven) else require_text("name", name),
                description=_optional_text("description", description),
            ),
        }
        if len(body) == 1 and not extra_body:
            raise RequestValidationError("name", "pass name and/or description to update")
        return await self._call(
            CUSTOMER_GROUP_UPDATE,
            body,
            CustomerGroup,
            CallOptions(extra_body, extra_headers, timeout),
            key="customer_group",
        )

    async def delete(
        self,
        customer_group_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> DeleteResult:
        """Delete a group permanently (``DELETE /v1/cg``); ``message`` holds the confirmation.

        >>> result = await client.customer_groups.delete("cg_1")  # doctest: +SKIP
        """
        body = {"customer_group_id": require_id("customer_group_id", customer_group_id)}
        return await self._call(
            CUSTOMER_GROUP_DELETE,
            body,
            DeleteResult,
            CallOptions(extra_body, extra_headers, timeout),
        )


def _optional_text(argument: str, value: str | NotGiven | None) -> str | NotGiven | None:
    if value is None or isinstance(value, (NotGiven, str)):
        return value
    raise RequestValidationError(argument, f"must be a string or None, got {value!r}")
