"""client.customers end to end against the reference server over loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from nudgescribe_async import AsyncNudgescribe, UploadValidationError
from nudgescribe_async.testing import ReferenceServer
from tests._support.worlds import ShopWorld


def rows(count: int, start: int = 0) -> list[dict[str, str]]:
    """Valid upload records for the ``world`` workspace."""
    return [
        {
            "email": f"user{n:04d}@example.com",
            "tier": "gold" if n % 2 else "silver",
            "joined": "2025-03-04",
        }
        for n in range(start, start + count)
    ]


async def test_upload_json_then_update_by_unique_field(
    ref_client: AsyncNudgescribe, ref_world: ShopWorld
) -> None:
    """A JSON upload creates customers; re-uploading the same unique values updates them."""
    upload = ref_client.customers.upload
    first = await upload(
        ref_world.workspace_id, ref_world.group_id, unique_field="email", customers=rows(3)
    )
    assert (first.valid, first.created_count, first.updated_count) == (True, 3, 0)
    again = await upload(
        ref_world.workspace_id,
        ref_world.group_id,
        unique_field="email",
        customers=[{**rows(1)[0], "tier": "platinum"}],
    )
    assert (again.created_count, again.updated_count) == (0, 1)
    page = await ref_client.customers.get_page(ref_world.group_id, 1)
    tiers = {c.profile["email"]: c.profile["tier"] for c in page.customers}
    assert tiers["user0000@example.com"] == "platinum"


async def test_upload_csv_file_valid_invalid_and_validate_only(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld, tmp_path: Path
) -> None:
    """CSV uploads: valid stores rows, invalid raises with row errors, validate_only stores none."""
    good = tmp_path / "good.csv"
    good.write_text("email,tier,joined\na@x.com,gold,2025-01-02\nb@x.com,,2025-01-03\n")
    result = await ref_client.customers.upload(
        ref_world.workspace_id, ref_world.group_id, unique_field="email", file=good
    )
    assert (result.valid, result.created_count) == (True, 2)

    bad = b"email,tier,joined\nc@x.com,gold,02/01/2025\n,gold,2025-01-02\n"
    with pytest.raises(UploadValidationError) as info:
        await ref_client.customers.upload(
            ref_world.workspace_id, ref_world.group_id, unique_field="email", file=bad
        )
    assert sorted((e.row, e.field) for e in info.value.row_errors) == [(1, "joined"), (2, "email")]

    checked = await ref_client.customers.upload(
        ref_world.workspace_id,
        ref_world.group_id,
        unique_field="email",
        file=bad,
        validate_only=True,
    )
    assert checked.valid is False and len(checked.row_errors) == 2
    assert checked.row_errors[0].row == 1

    with pytest.raises(UploadValidationError) as header_info:
        await ref_client.customers.upload(
            ref_world.workspace_id,
            ref_world.group_id,
            unique_field="email",
            customers=[{"nick": "x"}],
        )
    assert header_info.value.header_errors
    assert (await ref_client.customers.count_pages(ref_world.group_id)).total_customers == 2


async def test_list_pages_decrypts_and_keeps_order(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld
) -> None:
    """list over a 3-page group yields every customer exactly once, in page order, decrypted."""
    ref_server.seed_customers(ref_world.group_id, rows(250))
    sequential: list[str] = []
    for number in (1, 2, 3):
        page = await ref_client.customers.get_page(
            ref_world.group_id, number, page_size=100, decrypt=False
        )
        sequential.extend(c.customer_id for c in page.customers)
    listed = await ref_client.customers.list(
        ref_world.group_id, page_size=100, concurrency=3
    ).collect()
    assert [c.customer_id for c in listed] == sequential
    assert len(set(sequential)) == 250
    assert listed[0].profile["email"] == "user0000@example.com"  # the client's decrypt hook
    raw = await ref_client.customers.list(ref_world.group_id, decrypt=False).collect()
    assert raw[0].profile["email"].startswith("enc:v1:")


async def test_delete_in_batches_end_to_end(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld
) -> None:
    """Deleting 1200 customers sends two DELETE calls and leaves the rest of the group."""
    ref_server.seed_customers(ref_world.group_id, rows(1205))
    ids = [
        c.customer_id async for c in ref_client.customers.list(ref_world.group_id, page_size=1000)
    ]
    ref_server.clear_requests()
    result = await ref_client.customers.delete(ref_world.group_id, ids[:1200])
    assert result.deleted_count == 1200
    assert ref_server.request_count("/v1/customer", "DELETE") == 2
    assert (await ref_client.customers.count_pages(ref_world.group_id)).total_customers == 5
