"""client.customers over the wire (mocked): upload forms, pages, decrypt, list order, batching."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from aioresponses import CallbackResult, aioresponses

from nudgescribe_async import (
    AsyncNudgescribe,
    NotFoundError,
    RequestValidationError,
    ResponseDecodeError,
    UploadValidationError,
)
from nudgescribe_async.models import RowError
from tests._support.credentials import TEST_BASE_URL, TEST_CREDENTIALS
from tests._support.mocked import assert_refused_before_io, calls, ok, sent_headers, sent_json, url

UPLOADED = {
    "valid": True,
    "total_rows": 1,
    "created_count": 1,
    "updated_count": 0,
    "header_errors": [],
    "row_errors": [],
    "queued": False,
    "job_uid": None,
}


def form_fields(mock: aioresponses, index: int = 0) -> list[tuple[str, Any, str | None]]:
    """(name, value, filename) of each multipart part of the index-th upload call."""
    form = calls(mock, "POST", "/v1/customer/check")[index].kwargs["data"]
    return [(opts["name"], value, opts.get("filename")) for opts, _, value in form._fields]


def customer(n: int) -> dict[str, Any]:
    """A wire customer numbered ``n`` with one encrypted-looking profile value."""
    return {
        "customer_id": f"c{n}",
        "unique_value": f"u{n}",
        "profile": {"email": f"x{n}"},
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }


async def test_upload_json_body(authed_api: aioresponses, mock_client: AsyncNudgescribe) -> None:
    """JSON upload sends the records, the scalars and validate_only; extra_body is merged."""
    authed_api.post(url("/v1/customer/check"), payload=ok(**UPLOADED))
    result = await mock_client.customers.upload(
        "ws1",
        "cg1",
        unique_field="email",
        customers=[{"email": "a@x.com", "tier": 2}],
        extra_body={"dry": 1},
        extra_headers={"x-trace": "t"},
    )
    assert sent_json(authed_api, "POST", "/v1/customer/check") == {
        "workspace_id": "ws1",
        "customer_group_id": "cg1",
        "unique_field": "email",
        "customers": [{"email": "a@x.com", "tier": 2}],
        "validate_only": False,
        "dry": 1,
    }
    assert sent_headers(authed_api, "POST", "/v1/customer/check")["x-trace"] == "t"
    assert result.valid and result.created_count == 1


@pytest.mark.parametrize("kind", ["bytes", "path", "binary_file", "text_file"])
async def test_upload_csv_is_multipart(
    authed_api: aioresponses, mock_client: AsyncNudgescribe, tmp_path: Path, kind: str
) -> None:
    """A CSV (bytes, path, binary or text file) goes as a file part plus string form fields."""
    csv = "email,tier\na@x.com,gold\n"
    path = tmp_path / "people.csv"
    path.write_text(csv, encoding="utf-8")
    sources: dict[str, Any] = {
        "bytes": csv.encode(),
        "path": path,
        "binary_file": io.BytesIO(csv.encode()),
        "text_file": io.StringIO(csv),
    }
    authed_api.post(url("/v1/customer/check"), payload=ok(**UPLOADED))
    await mock_client.customers.upload(
        "ws1",
        "cg1",
        unique_field="email",
        file=sources[kind],
        validate_only=True,
        extra_body={"notify": False},
    )
    filename = "people.csv" if kind == "path" else "customers.csv"
    assert form_fields(authed_api) == [
        ("workspace_id", "ws1", None),
        ("customer_group_id", "cg1", None),
        ("unique_field", "email", None),
        ("validate_only", "true", None),
        ("file", csv.encode(), filename),
        ("notify", "false", None),
    ]


async def test_refused_upload_raises_upload_validation_error(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """A 400 with row errors raises UploadValidationError carrying them."""
    refused = {
        **UPLOADED,
        "valid": False,
        "created_count": None,
        "row_errors": [{"row": 1, "field": "tier", "message": "bad"}],
    }
    authed_api.post(
        url("/v1/customer/check"),
        status=400,
        payload={"success": False, "message": "invalid", **refused},
    )
    with pytest.raises(UploadValidationError) as info:
        await mock_client.customers.upload(
            "ws1", "cg1", unique_field="email", customers=[{"email": "a", "tier": "?"}]
        )
    assert info.value.row_errors == [RowError(row=1, field="tier", message="bad")]


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({}, "customers"),
        ({"customers": [{"email": "a"}], "file": b"email\na\n"}, "customers"),
        ({"customers": []}, "customers"),
        ({"customers": [["email", "a"]]}, "customers"),
        ({"file": 42}, "file"),
        ({"file": "/no/such/file.csv"}, "file"),
        ({"customers": [{"email": "a"}], "unique_field": "E-mail"}, "unique_field"),
        ({"customers": [{"email": "a"}], "timeout": -1.0}, "timeout"),
    ],
)
async def test_upload_validation_before_io(
    authed_api: aioresponses, mock_client: AsyncNudgescribe, kwargs: dict[str, Any], argument: str
) -> None:
    """Bad upload arguments raise RequestValidationError naming the argument; nothing sent."""
    options = {"unique_field": "email", **kwargs}
    with pytest.raises(RequestValidationError) as info:
        await mock_client.customers.upload("ws1", "cg1", **options)
    assert info.value.argument == argument
    assert authed_api.requests == {}


async def test_count_and_get_page_wire_with_decrypt_hooks(authed_api: aioresponses) -> None:
    """count_pages/get_page bodies; the client hook decrypts, decrypt=False keeps ciphertext."""
    authed_api.post(
        url("/v1/customer/pages"),
        payload=ok(customer_group_id="cg1", page_size=50, total_pages=2, total_customers=60),
    )
    page = ok(page=2, page_size=50, total_pages=2, customers=[customer(1)], extra_key=[1])
    authed_api.post(url("/v1/customer"), payload=page, repeat=True)
    async with AsyncNudgescribe(
        **TEST_CREDENTIALS, base_url=TEST_BASE_URL, decrypt=str.upper
    ) as client:
        count = await client.customers.count_pages("cg1", page_size=50)
        plain = await client.customers.get_page("cg1", 2, page_size=50)
        raw = await client.customers.get_page("cg1", 2, decrypt=False)
        custom = await client.customers.get_page("cg1", 2, decrypt=lambda v: v[::-1])
    assert sent_json(authed_api, "POST", "/v1/customer/pages") == {
        "customer_group_id": "cg1",
        "page_size": 50,
    }
    assert sent_json(authed_api, "POST", "/v1/customer", 0) == {
        "customer_group_id": "cg1",
        "page": 2,
        "page_size": 50,
    }
    assert sent_json(authed_api, "POST", "/v1/customer", 1) == {
        "customer_group_id": "cg1",
        "page": 2,
    }
    assert (count.total_pages, count.total_customers) == (2, 60)
    assert plain.customers[0].profile == {"email": "X1"}
    assert raw.customers[0].profile == {"email": "x1"}
    assert custom.customers[0].profile == {"email": "1x"}
    assert plain.extra == {"extra_key": [1]} and plain.customers[0].customer_id == "c1"


async def test_list_yields_every_customer_once_in_order(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """customers.list over 5 pages (completing out of order) yields each customer once, in order."""
    authed_api.post(url("/v1/customer/pages"), payload=ok(total_pages=5, total_customers=15))

    async def page(_: Any, **kwargs: Any) -> CallbackResult:
        number = orjson.loads(kwargs["data"])["page"]
        await asyncio.sleep(0.002 * (5 - number))  # later pages finish first
        items = [customer(3 * (number - 1) + i) for i in range(3)]
        return CallbackResult(payload=ok(page=number, total_pages=5, customers=items))

    authed_api.post(url("/v1/customer"), callback=page, repeat=True)
    pager = mock_client.customers.list("cg1", page_size=3, concurrency=4)
    assert authed_api.requests == {}  # no I/O before iteration
    ids = [c.customer_id async for c in pager]
    assert ids == [f"c{n}" for n in range(15)]
    assert sorted(sent_json(authed_api, "POST", "/v1/customer", i)["page"] for i in range(5)) == [
        1,
        2,
        3,
        4,
        5,
    ]


async def test_delete_batches_2500_ids_into_three_calls(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """delete splits 2500 ids into batches of 1000/1000/500 and sums deleted_count."""

    def deleted(_: Any, **kwargs: Any) -> CallbackResult:
        return CallbackResult(
            payload=ok(deleted_count=len(orjson.loads(kwargs["data"])["customer_ids"]))
        )

    authed_api.delete(url("/v1/customer"), callback=deleted, repeat=True)
    ids = [f"c{n}" for n in range(2500)]
    result = await mock_client.customers.delete("cg1", ids)
    bodies = [sent_json(authed_api, "DELETE", "/v1/customer", i) for i in range(3)]
    assert len(calls(authed_api, "DELETE", "/v1/customer")) == 3
    assert sorted(len(b["customer_ids"]) for b in bodies) == [500, 1000, 1000]
    assert sorted(i for b in bodies for i in b["customer_ids"]) == sorted(ids)
    assert all(b["customer_group_id"] == "cg1" for b in bodies)
    assert result.deleted_count == 2500


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.customers.get_page("cg1", 0), "page"),
        (lambda c: c.customers.get_page("", 1), "customer_group_id"),
        (lambda c: c.customers.count_pages("cg1", page_size=1001), "page_size"),
        (lambda c: c.customers.get_page("cg1", 1, decrypt="nope"), "decrypt"),
        (lambda c: c.customers.delete("cg1", []), "customer_ids"),
        (lambda c: c.customers.delete("cg1", "c1"), "customer_ids"),
        (lambda c: c.customers.delete("cg1", ["c1", ""]), "customer_ids"),
    ],
)
async def test_customer_calls_validate_before_io(
    authed_api: aioresponses, mock_client: AsyncNudgescribe, call: Any, argument: str
) -> None:
    """Bad pages, sizes, ids and hooks raise RequestValidationError naming them; nothing sent."""
    await assert_refused_before_io(authed_api, mock_client, call, argument)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 1001}, "page_size"),
        ({"concurrency": 0}, "concurrency"),
        ({"timeout": "soon"}, "timeout"),
    ],
)
def test_list_validates_when_called(
    mock_client: AsyncNudgescribe, kwargs: dict[str, Any], argument: str
) -> None:
    """customers.list checks its arguments at call time, not at first iteration."""
    with pytest.raises(RequestValidationError) as info:
        mock_client.customers.list("cg1", **kwargs)
    assert info.value.argument == argument


async def test_delete_batch_failure_raises_and_cancels_the_rest(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """If one delete batch fails, its error is raised and no batch task is left running."""

    def deleted(_: Any, **kwargs: Any) -> CallbackResult:
        ids = orjson.loads(kwargs["data"])["customer_ids"]
        if "c1500" in ids:
            return CallbackResult(status=404, payload={"success": False, "message": "unknown"})
        return CallbackResult(payload=ok(deleted_count=len(ids)))

    authed_api.delete(url("/v1/customer"), callback=deleted, repeat=True)
    before = asyncio.all_tasks()
    with pytest.raises(NotFoundError):
        await mock_client.customers.delete("cg1", [f"c{n}" for n in range(3500)])
    assert asyncio.all_tasks() == before


async def test_list_raises_a_bad_page_after_earlier_items(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """A malformed customer on page 2 raises after page 1's items, naming its path."""
    good = {
        "customer_id": "c1",
        "unique_value": "a",
        "profile": {},
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }
    authed_api.post(url("/v1/customer/pages"), payload=ok(total_pages=2, page_size=1))
    authed_api.post(url("/v1/customer"), payload=ok(page=1, total_pages=2, customers=[good]))
    authed_api.post(
        url("/v1/customer"),
        payload=ok(page=2, total_pages=2, customers=[{**good, "customer_id": 7}]),
    )
    seen: list[str] = []
    with pytest.raises(ResponseDecodeError) as info:
        async for customer in mock_client.customers.list("cg1", page_size=1, concurrency=1):
            seen.append(customer.customer_id)
    assert seen == ["c1"]
    assert info.value.path == "$.customers[0].customer_id"


async def test_list_start_page_fetches_only_the_later_pages(
    authed_api: aioresponses, mock_client: AsyncNudgescribe
) -> None:
    """customers.list(start_page=4) requests pages 4 and 5 only and yields their items."""
    authed_api.post(url("/v1/customer/pages"), payload=ok(total_pages=5, total_customers=15))

    def page(_: Any, **kwargs: Any) -> CallbackResult:
        number = orjson.loads(kwargs["data"])["page"]
        items = [customer(3 * (number - 1) + i) for i in range(3)]
        return CallbackResult(payload=ok(page=number, total_pages=5, customers=items))

    authed_api.post(url("/v1/customer"), callback=page, repeat=True)
    ids = [
        c.customer_id async for c in mock_client.customers.list("cg1", page_size=3, start_page=4)
    ]
    assert ids == [f"c{n}" for n in range(9, 15)]
    sent = calls(authed_api, "POST", "/v1/customer")
    assert sorted(
        sent_json(authed_api, "POST", "/v1/customer", i)["page"] for i in range(len(sent))
    ) == [
        4,
        5,
    ]
