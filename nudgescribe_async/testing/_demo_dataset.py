"""The deterministic demo dataset (``ReferenceServer(seed="demo")``).

All ids and timestamps derive from the seed, so every start yields the same data in the demo
account (``server.demo_credentials``):

* **Acme Retail** -- fields of every type (``email`` unique, ``first_name``, ``tier``, ``region``
  char, ``age`` number, ``signup_date`` Date yyyy-MM-dd, ``birthday`` Date dd MMM yyyy,
  ``lifetime_value`` currency USD); groups *All customers* (5,000), *Newsletter* (1,500, tiers
  gold/silver/diamond), *VIP* (300); campaigns *Spring Sale* (Published, segment ``tier``, rerun
  on *Newsletter*: run 2 published, so history shows 2 runs), *Summer Preview* (Ready to publish),
  *Autumn Teaser* (Ready for review), *Winter Plans* (Draft).
* **Acme Wholesale** -- ``account_code`` unique, ``company``, ``segment``, ``credit_limit``
  currency EUR, ``first_order`` Date ``MMM dd, yyyy``; group *Distributors* (2,000); campaign
  *Q3 Restock* (Published).
* **Sandbox** -- one ``email`` field and an empty group, for experiments.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from nudgescribe_async._contract import (
    CAMPAIGN_DRAFT,
    CAMPAIGN_PUBLISHED,
    CAMPAIGN_READY_FOR_REVIEW,
    CAMPAIGN_READY_TO_PUBLISH,
    DATE_DD_MON_YYYY,
    DATE_MON_DD_YYYY,
    DATE_YYYY_MM_DD_DASH,
    FIELD_TYPE_CHAR,
    FIELD_TYPE_CURRENCY,
    FIELD_TYPE_DATE,
    FIELD_TYPE_NUMBER,
)

if TYPE_CHECKING:
    from nudgescribe_async.testing._server import ReferenceServer

__all__ = ["seed_demo"]

DEMO_EPOCH = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc).timestamp()


def _retail(server: ReferenceServer) -> None:
    ws = server.seed_workspace("Acme Retail")
    wid = ws.workspace_id
    server.seed_profile_field(wid, "email", is_required=True, is_unique=True)
    server.seed_profile_field(wid, "first_name", is_required=True)
    server.seed_profile_field(wid, "tier")
    server.seed_profile_field(wid, "region", FIELD_TYPE_CHAR)
    server.seed_profile_field(wid, "age", FIELD_TYPE_NUMBER)
    server.seed_profile_field(
        wid, "signup_date", FIELD_TYPE_DATE, field_format=DATE_YYYY_MM_DD_DASH
    )
    server.seed_profile_field(wid, "birthday", FIELD_TYPE_DATE, field_format=DATE_DD_MON_YYYY)
    server.seed_profile_field(wid, "lifetime_value", FIELD_TYPE_CURRENCY, field_format="USD")
    everyone = server.seed_group(wid, "All customers", description="Every retail customer")
    newsletter = server.seed_group(wid, "Newsletter", description="Opted in to the newsletter")
    vip = server.seed_group(wid, "VIP")
    server.seed_customers(everyone.customer_group_id, count=5000)
    rows = []
    for index, row in enumerate(_rows(server, wid, 1500, start=5000)):
        row["tier"] = ("gold", "silver", "diamond")[index % 3]
        rows.append(row)
    server.seed_customers(newsletter.customer_group_id, rows)
    server.seed_customers(vip.customer_group_id, count=300, start=9000)
    spring = server.seed_campaign(
        wid,
        "Spring Sale",
        customer_group_id=everyone.customer_group_id,
        status=CAMPAIGN_PUBLISHED,
        segment_field="tier",
    )
    _advance(server, 86400 * 14)
    server.rerun_campaign(spring.campaign_id, newsletter.customer_group_id)
    server.finish_jobs()
    server.approve_campaign(spring.campaign_id)
    _publish_now(server, spring.campaign_id)
    server.seed_campaign(
        wid,
        "Summer Preview",
        customer_group_id=vip.customer_group_id,
        status=CAMPAIGN_READY_TO_PUBLISH,
        segment_field="region",
    )
    server.seed_campaign(
        wid,
        "Autumn Teaser",
        customer_group_id=newsletter.customer_group_id,
        status=CAMPAIGN_READY_FOR_REVIEW,
        segment_field="tier",
    )
    server.seed_campaign(
        wid, "Winter Plans", customer_group_id=vip.customer_group_id, status=CAMPAIGN_DRAFT
    )


def _rows(
    server: ReferenceServer, workspace_id: str, count: int, start: int
) -> list[dict[str, str]]:
    from nudgescribe_async.testing._seeding import synthetic_rows

    return list(synthetic_rows(server.state.workspaces[workspace_id], count, start))


def _publish_now(server: ReferenceServer, campaign_id: str) -> None:
    from nudgescribe_async.testing._campaigns import build_export, mark_published

    campaign = server.state.campaigns[campaign_id]
    mark_published(server.state, campaign)
    build_export(campaign, campaign.run_number)


def _advance(server: ReferenceServer, seconds: float) -> None:
    server.state.clock.advance(seconds)


def _wholesale(server: ReferenceServer) -> None:
    ws = server.seed_workspace("Acme Wholesale")
    wid = ws.workspace_id
    server.seed_profile_field(wid, "account_code", is_required=True, is_unique=True)
    server.seed_profile_field(wid, "company_name")
    server.seed_profile_field(wid, "segment")
    server.seed_profile_field(wid, "credit_limit", FIELD_TYPE_CURRENCY, field_format="EUR")
    server.seed_profile_field(wid, "first_order", FIELD_TYPE_DATE, field_format=DATE_MON_DD_YYYY)
    distributors = server.seed_group(wid, "Distributors")
    server.seed_customers(distributors.customer_group_id, count=2000)
    server.seed_campaign(
        wid,
        "Q3 Restock",
        customer_group_id=distributors.customer_group_id,
        status=CAMPAIGN_PUBLISHED,
        segment_field="segment",
    )


def _sandbox(server: ReferenceServer) -> None:
    ws = server.seed_workspace("Sandbox")
    server.seed_profile_field(ws.workspace_id, "email", is_required=True, is_unique=True)
    server.seed_group(ws.workspace_id, "Scratch")


def seed_demo(server: ReferenceServer) -> None:
    """Fill the demo account with the dataset described in the module docstring."""
    with server.state.clock.pinned(DEMO_EPOCH):
        _retail(server)
        _advance(server, 86400)
        _wholesale(server)
        _sandbox(server)
