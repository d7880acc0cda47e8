"""Waiters that cannot wait on a typo, a waiter for queued uploads, 404s and errors that explain."""

from __future__ import annotations

import pytest

from nudgescribe_async import (
    AsyncNudgescribe,
    ExportNotReadyError,
    NotFoundError,
    RequestValidationError,
    WaitTimeoutError,
)
from nudgescribe_async.models import CampaignStatus
from nudgescribe_async.testing import DecryptError, ReferenceServer, decrypt_demo_value
from tests._support.worlds import ShopWorld


def _campaign(server: ReferenceServer, world: ShopWorld, status: str) -> str:
    server.seed_customers(world.group_id, count=3)
    return server.seed_campaign(
        world.workspace_id, "Launch", customer_group_id=world.group_id, status=status
    ).campaign_id


async def test_wait_for_status_refuses_an_unknown_status_before_io(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer
) -> None:
    """A status string that is no CampaignStatus (a typo) raises at once, naming the known ones."""
    with pytest.raises(RequestValidationError) as info:
        await ref_client.campaigns.wait_for_status(
            "cmp1", [CampaignStatus.PUBLISHED, "Ready To Go"]
        )
    assert info.value.argument == "statuses"
    assert "'Ready To Go'" in str(info.value) and "'Ready to publish'" in str(info.value)
    assert "allow_unknown=True" in str(info.value)
    assert ref_server.requests == []


async def test_wait_for_status_waits_for_a_custom_status_when_allowed(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld
) -> None:
    """allow_unknown=True waits for a status the SDK does not know, in any case."""
    cid = _campaign(ref_server, ref_world, "Draft")
    ref_server.state.campaigns[cid].status = "Queued For QA"
    found = await ref_client.campaigns.wait_for_status(
        cid, "queued for qa", allow_unknown=True, timeout=5, poll_interval=0.01
    )
    assert found.status == "Queued For QA"


async def test_fetch_404_says_export_not_ready_or_no_such_file(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld
) -> None:
    """messages.fetch tells 'no export yet' from 'past the last file'; unknown ids stay 404."""
    cid = _campaign(ref_server, ref_world, "Ready to publish")
    with pytest.raises(ExportNotReadyError) as early:
        await ref_client.messages.fetch(cid, 1)
    assert early.value.status_code == 404 and "wait_for_export" in str(early.value)
    await ref_client.messages.publish(cid)
    await ref_client.messages.wait_for_export(cid, timeout=5, poll_interval=0.01)
    assert len(await ref_client.messages.fetch(cid, 1)) == 3
    with pytest.raises(NotFoundError) as past:
        await ref_client.messages.fetch(cid, 4)
    assert type(past.value) is NotFoundError
    assert "file 4 does not exist" in str(past.value) and "1 exported file" in str(past.value)
    with pytest.raises(NotFoundError) as unknown:
        await ref_client.messages.fetch("00000000-0000-4000-8000-000000000000", 1)
    assert type(unknown.value) is NotFoundError and "does not exist" not in str(unknown.value)


async def test_validate_only_result_says_it_is_a_dry_run(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld
) -> None:
    """validate_only results carry validate_only=True and would-be counts; nothing is stored."""
    rows = [{"email": "a@x.test"}, {"email": "b@x.test"}]
    check = await ref_client.customers.upload(
        ref_world.workspace_id,
        ref_world.group_id,
        unique_field="email",
        customers=rows,
        validate_only=True,
    )
    assert (check.validate_only, check.valid, check.created_count) == (True, True, 2)
    assert (await ref_client.customers.count_pages(ref_world.group_id)).total_customers == 0
    stored = await ref_client.customers.upload(
        ref_world.workspace_id, ref_world.group_id, unique_field="email", customers=rows
    )
    assert (stored.validate_only, stored.created_count) == (False, 2)


async def test_wait_for_upload_polls_the_group_count_until_a_queued_upload_lands() -> None:
    """A queued upload is awaited through the published customer count, with a timeout."""
    async with ReferenceServer(background_upload_threshold=5, job_delay=None) as server:
        ws = server.seed_workspace("Shop")
        server.seed_profile_field(ws.workspace_id, "email", is_unique=True, is_required=True)
        group = server.seed_group(ws.workspace_id, "Everyone").customer_group_id
        async with AsyncNudgescribe(**server.client_kwargs()) as client:
            rows = [{"email": f"c{i}@x.test"} for i in range(8)]
            result = await client.customers.upload(
                ws.workspace_id, group, unique_field="email", customers=rows
            )
            assert result.queued and result.created_count is None
            with pytest.raises(WaitTimeoutError, match="has 0 customers, waiting for 8"):
                await client.customers.wait_for_upload(
                    group, min_customers=8, timeout=0.05, poll_interval=0.01
                )
            server.set_job_delay(0.05)
            server.finish_jobs()
            count = await client.customers.wait_for_upload(
                group, min_customers=8, timeout=5, poll_interval=0.01
            )
            assert count.total_customers == 8
            with pytest.raises(RequestValidationError, match="min_customers"):
                await client.customers.wait_for_upload(group, min_customers=-1)


async def test_decrypting_another_accounts_value_raises_decrypt_error(
    ref_client: AsyncNudgescribe, ref_server: ReferenceServer, ref_world: ShopWorld
) -> None:
    """server.decrypt of a value of another account (or garbage) raises DecryptError."""
    ref_server.seed_customers(ref_world.group_id, [{"email": "zoë.ünïcode@example.test"}])
    other = ref_server.create_account()
    page = await ref_client.customers.get_page(ref_world.group_id, 1, decrypt=False)
    value = page[0].profile["email"]
    assert ref_server.decrypt(value) == "zoë.ünïcode@example.test"
    with pytest.raises(DecryptError, match="not encrypted for this account"):
        ref_server.decrypt(value, credentials=other)
    with pytest.raises(DecryptError, match="prefix"):
        decrypt_demo_value(other.encryption_key, "plain text")
    with pytest.raises(DecryptError, match="base64"):
        ref_server.decrypt("enc:v1:!!!")
    assert issubclass(DecryptError, ValueError)
