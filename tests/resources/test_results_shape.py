"""Results that carry one list behave like it; pages share one shape; upload errors are readable."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from nudgescribe_async import AsyncNudgescribe, Page, UploadValidationError
from nudgescribe_async.models import (
    CampaignList,
    CustomerGroupList,
    CustomerPage,
    HeaderError,
    ProfileFieldList,
    RowError,
    RunHistory,
    WorkspaceList,
)
from nudgescribe_async.testing import ReferenceServer

DEMO_WORKSPACES = ["Acme Retail", "Acme Wholesale", "Sandbox"]


@pytest.fixture
async def demo() -> AsyncIterator[tuple[ReferenceServer, AsyncNudgescribe]]:
    """The demo dataset and a client on it."""
    async with (
        ReferenceServer(seed="demo") as server,
        AsyncNudgescribe(
            **server.client_kwargs(), decrypt=server.demo_credentials.decrypt
        ) as client,
    ):
        yield server, client


async def test_list_results_iterate_index_and_keep_attributes(
    demo: tuple[ReferenceServer, AsyncNudgescribe],
) -> None:
    """Every list-style result iterates, has len() and indexing, and keeps its named list."""
    _, client = demo
    workspaces = await client.workspaces.list()
    retail = workspaces.find("acme retail")
    assert retail is not None
    wid = retail.workspace_id
    fields = await client.profile_fields.list(wid)
    groups = await client.customer_groups.list(wid)
    campaigns = await client.campaigns.list()
    spring = next(c for c in campaigns.all_campaigns() if c.name == "Spring Sale")
    history = await client.reruns.history(spring.campaign_id)
    results = [
        (fields, fields.fields, ProfileFieldList),
        (groups, groups.customer_groups, CustomerGroupList),
        (campaigns, campaigns.workspaces, CampaignList),
        (history, history.runs, RunHistory),
        (workspaces, workspaces.workspaces, WorkspaceList),
    ]
    for result, named, cls in results:
        assert isinstance(result, cls)
        assert list(result) == named and result.items is named
        assert len(result) == len(named) > 0
        assert result[0] == named[0] and result[-1] == named[-1] and result[:1] == named[:1]
    assert [f.field_name for f in fields][:2] == ["email", "first_name"]
    assert [c.name for c in campaigns[0]] == [c.name for c in campaigns.workspaces[0].campaigns]


async def test_pages_and_page_models_share_one_shape(
    demo: tuple[ReferenceServer, AsyncNudgescribe],
) -> None:
    """CustomerPage and the pager's Page both iterate items and have items/number/total_pages."""
    server, client = demo
    group_id = next(g.customer_group_id for g in server.state.groups.values() if g.name == "VIP")
    model = await client.customers.get_page(group_id, 2, page_size=100)
    pages = [p async for p in client.customers.list(group_id, page_size=100).pages()]
    second = pages[1]
    assert isinstance(model, CustomerPage) and isinstance(second, Page)
    for shape in (model, second):
        assert (shape.number, shape.total_pages, len(shape)) == (2, 3, 100)
        assert list(shape) == list(shape.items) and shape[0] == shape.items[0]
    assert [c.customer_id for c in model] == [c.customer_id for c in second]


async def test_workspaces_are_derived_from_the_campaign_listing(
    demo: tuple[ReferenceServer, AsyncNudgescribe],
) -> None:
    """workspaces.list() makes one /v1/campaign/all call and returns ids, names and counts."""
    server, client = demo
    server.clear_requests()
    workspaces = await client.workspaces.list()
    assert [w.name for w in workspaces] == DEMO_WORKSPACES
    assert [w.campaign_count for w in workspaces] == [4, 1, 0]
    assert [r.path for r in server.requests] == ["/v1/auth", "/v1/campaign/all"]
    first = workspaces[0]
    assert workspaces.find(first.workspace_id) == first and workspaces.find("nope") is None
    assert [w.workspace_id for w in workspaces] == list(server.state.workspaces)


async def test_upload_errors_are_row_error_objects_named_in_the_message(
    demo: tuple[ReferenceServer, AsyncNudgescribe],
) -> None:
    """A refused upload's str names its first errors; its errors are the validate_only types."""
    server, client = demo
    wid = next(iter(server.state.workspaces))
    group_id = next(iter(server.state.groups))
    rows = "".join(f"c{i}@x.test,Cy,2025-13-0{i}\n" for i in range(1, 6))
    csv = ("email,first_name,signup_date\n" + rows).encode()
    bad = b"email,first_name,signup_date,colour\n" + rows.replace("\n", ",red\n").encode()
    with pytest.raises(UploadValidationError) as info:
        await client.customers.upload(wid, group_id, unique_field="email", file=bad)
    text = str(info.value)
    assert text.startswith("400 ") and "column 'colour': not a defined profile field" in text
    assert "row 1 signup_date: " in text and "row 2 signup_date: " in text
    assert text.endswith("; and 3 more") and "row 3" not in text
    checked = await client.customers.upload(
        wid, group_id, unique_field="email", file=csv, validate_only=True
    )
    with pytest.raises(UploadValidationError) as rows_only:
        await client.customers.upload(wid, group_id, unique_field="email", file=csv)
    assert rows_only.value.row_errors == checked.row_errors
    assert all(type(e) is RowError for e in rows_only.value.row_errors)
    assert [e.row for e in checked.row_errors] == [1, 2, 3, 4, 5]
    assert info.value.header_errors == [
        HeaderError(column="colour", message="not a defined profile field")
    ]


def test_upload_error_text_without_details_is_the_status_line() -> None:
    """An upload error whose body lists no errors reads like any other status error."""
    error = UploadValidationError(
        "invalid",
        status_code=400,
        method="POST",
        url="http://h/p",
        body={"row_errors": [{"row": "x"}], "header_errors": "no"},
    )
    assert str(error) == "400 invalid (POST http://h/p)"
    assert error.row_errors == [] and error.header_errors == []
