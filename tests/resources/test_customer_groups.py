"""client.customer_groups: wire format (mocked) and end to end (reference server)."""

from __future__ import annotations

import pytest
from aioresponses import aioresponses

from nudgescribe_async import AsyncNudgescribe, ConflictError, RequestValidationError
from tests._support.mocked import calls, ok, sent_headers, sent_json, url
from tests._support.worlds import ShopWorld

GROUP = {
    "customer_group_id": "cg1",
    "workspace_id": "ws1",
    "name": "VIP",
    "description": "Top",
    "customer_count": 3,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-02T00:00:00Z",
}


async def test_create_and_list_wire(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """create PUTs name/description (+extra_body, headers, timeout); list POSTs the workspace."""
    authed_api.put(url("/v1/cg"), payload=ok(customer_group=GROUP))
    second = {**GROUP, "customer_group_id": "cg2"}
    authed_api.post(url("/v1/cg"), payload=ok(customer_groups=[GROUP, second]))
    group = await mock_client.customer_groups.create(
        "ws1",
        "VIP",
        description="Top",
        extra_body={"color": "gold"},
        extra_headers={"x-request-tag": "a"},
        timeout=5.0,
    )
    groups = await mock_client.customer_groups.list("ws1")
    assert sent_json(authed_api, "PUT", "/v1/cg") == {
        "workspace_id": "ws1",
        "name": "VIP",
        "description": "Top",
        "color": "gold",
    }
    assert sent_headers(authed_api, "PUT", "/v1/cg")["x-request-tag"] == "a"
    assert calls(authed_api, "PUT", "/v1/cg")[0].kwargs["timeout"].total == 5.0
    assert sent_json(authed_api, "POST", "/v1/cg") == {"workspace_id": "ws1"}
    assert (group.customer_group_id, group.customer_count) == ("cg1", 3)
    assert [g.customer_group_id for g in groups.customer_groups] == ["cg1", "cg2"]


async def test_update_sends_none_to_clear_and_omits_not_given(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """update(description=None) sends null; a name-only update sends no description key."""
    authed_api.patch(
        url("/v1/cg"), payload=ok(customer_group={**GROUP, "description": None}), repeat=True
    )
    cleared = await mock_client.customer_groups.update("cg1", description=None)
    await mock_client.customer_groups.update("cg1", name="Gold")
    assert sent_json(authed_api, "PATCH", "/v1/cg", 0) == {
        "customer_group_id": "cg1",
        "description": None,
    }
    assert sent_json(authed_api, "PATCH", "/v1/cg", 1) == {
        "customer_group_id": "cg1",
        "name": "Gold",
    }
    assert cleared.description is None


async def test_delete_wire_and_message(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """delete sends the group id in a DELETE body and returns the server's message."""
    authed_api.delete(url("/v1/cg"), payload=ok(message="Customer group deleted"))
    result = await mock_client.customer_groups.delete("cg1")
    assert sent_json(authed_api, "DELETE", "/v1/cg") == {"customer_group_id": "cg1"}
    assert result.message == "Customer group deleted" and result.deleted_count is None


async def test_update_with_nothing_to_change_is_refused(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """update() without name, description or extra_body raises before any I/O."""
    with pytest.raises(RequestValidationError, match="name"):
        await mock_client.customer_groups.update("cg1")
    with pytest.raises(RequestValidationError, match="name"):
        await mock_client.customer_groups.update("cg1", name="  ")
    assert authed_api.requests == {}


async def test_customer_groups_end_to_end(
    ref_client: AsyncNudgescribe, ref_world: ShopWorld
) -> None:
    """Create, list, update (clear description) and delete a group on the reference server."""
    groups = ref_client.customer_groups
    vip = await groups.create(ref_world.workspace_id, "VIP", description="Best customers")
    with pytest.raises(ConflictError):
        await groups.create(ref_world.workspace_id, "VIP")
    listed = await groups.list(ref_world.workspace_id)
    assert {g.name for g in listed.customer_groups} == {"Everyone", "VIP"}
    renamed = await groups.update(vip.customer_group_id, name="Gold")
    assert (renamed.name, renamed.description) == ("Gold", "Best customers")
    cleared = await groups.update(vip.customer_group_id, description=None)
    assert (cleared.name, cleared.description) == ("Gold", None)
    await groups.delete(vip.customer_group_id)
    listed = await groups.list(ref_world.workspace_id)
    assert [g.name for g in listed.customer_groups] == ["Everyone"]
