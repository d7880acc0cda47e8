"""Fast seeding primitives behind the ``ReferenceServer.seed_*`` controls and the demo dataset.

They write straight into the state (no HTTP, no per-row validation), so 200,000 customers seed
in about a second. Field and group creation still apply the API's rules (name pattern, types,
formats, duplicates) and raise :class:`SeedError` on a violation.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from nudgescribe_async._contract import (
    CAMPAIGN_PUBLISHED,
    CAMPAIGN_READY_FOR_REVIEW,
    CAMPAIGN_READY_TO_PUBLISH,
    CAMPAIGN_STATUSES,
    DATE_YYYY_MM_DD_DASH,
    FIELD_TYPE_CHAR,
    FIELD_TYPE_CURRENCY,
    FIELD_TYPE_DATE,
    FIELD_TYPE_NUMBER,
)
from nudgescribe_async.testing._campaigns import build_export, generate_messages, mark_published
from nudgescribe_async.testing._customers import upsert_customers
from nudgescribe_async.testing._errors import ApiError
from nudgescribe_async.testing._fields import create_field
from nudgescribe_async.testing._groups import create_group
from nudgescribe_async.testing._state import (
    CampaignRecord,
    CustomerGroupRecord,
    ProfileFieldRecord,
    State,
    WorkspaceRecord,
)
from nudgescribe_async.testing._validation import DATE_PARSERS

__all__ = [
    "SeedError",
    "seed_campaign",
    "seed_customers",
    "seed_field",
    "seed_group",
    "synthetic_rows",
]

SEGMENT_WORDS = ("gold", "silver", "bronze", "platinum")
FIRST_NAMES = ("Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Linus")


class SeedError(ValueError):
    """A seeding control was called with values the API itself would refuse."""


def _unwrap(err: ApiError) -> SeedError:
    return SeedError(f"{err.status}: {err.message}")


def seed_field(
    state: State, ws: WorkspaceRecord, field_name: str, field_type: str, **options: Any
) -> ProfileFieldRecord:
    """Create a profile field with the API's rules (``options`` as in ``PUT /v1/cpf``)."""
    body = {"field_name": field_name, "field_type": field_type, **options}
    try:
        return create_field(state, ws, body)
    except ApiError as err:
        raise _unwrap(err) from None


def seed_group(
    state: State, ws: WorkspaceRecord, name: str, description: str | None
) -> CustomerGroupRecord:
    """Create a customer group with the API's rules."""
    try:
        return create_group(state, ws, name, description)
    except ApiError as err:
        raise _unwrap(err) from None


def _date_text(spec: ProfileFieldRecord, index: int) -> str:
    return _day_text(
        DATE_PARSERS[spec.field_format or DATE_YYYY_MM_DD_DASH][1], (index * 37) % 18000
    )


@functools.lru_cache(maxsize=65536)
def _day_text(directive: str, day: int) -> str:
    # 18,000 distinct days per format: cached, strftime stops dominating large synthetic seeds.
    return (date(1970, 1, 1) + timedelta(days=day)).strftime(directive)


def synthetic_value(spec: ProfileFieldRecord, index: int) -> str:
    """Return a deterministic valid value of ``spec`` for customer number ``index``."""
    kind, name = spec.field_type, spec.field_name
    if kind == FIELD_TYPE_NUMBER:
        return str(18 + index % 60)
    if kind == FIELD_TYPE_CHAR:
        return "NSEW"[index % 4]
    if kind == FIELD_TYPE_CURRENCY:
        return f"{(index * 7919) % 1_000_000 / 100:.2f}"
    if kind == FIELD_TYPE_DATE:
        return _date_text(spec, index)
    if spec.is_unique:
        return f"customer{index:07d}@example.test" if "email" in name else f"{name}-{index:07d}"
    if "name" in name:
        return FIRST_NAMES[index % len(FIRST_NAMES)]
    return SEGMENT_WORDS[index % len(SEGMENT_WORDS)]


def synthetic_rows(ws: WorkspaceRecord, count: int, start: int = 0) -> Iterable[dict[str, str]]:
    """Yield ``count`` valid profile rows for every field of ``ws``."""
    specs = list(ws.fields.values())
    for index in range(start, start + count):
        yield {spec.field_name: synthetic_value(spec, index) for spec in specs}


def unique_field_of(ws: WorkspaceRecord) -> str:
    """Return the workspace's first ``is_unique`` field name."""
    for spec in ws.fields.values():
        if spec.is_unique:
            return spec.field_name
    raise SeedError("the workspace has no is_unique field; define one or pass unique_field")


def seed_customers(
    state: State, group: CustomerGroupRecord, rows: Iterable[Mapping[str, Any]], unique_field: str
) -> int:
    """Upsert ``rows`` (values stringified) into ``group`` without validation; return count."""
    created, updated = upsert_customers(state, group, unique_field, _keyed(rows, unique_field))
    return created + updated


def _keyed(rows: Iterable[Mapping[str, Any]], unique_field: str) -> Iterable[dict[str, str]]:
    for row in rows:
        profile = {k: v if isinstance(v, str) else str(v) for k, v in row.items()}
        if not profile.get(unique_field):
            raise SeedError(f"every seeded row needs a value for {unique_field!r}")
        yield profile


def seed_campaign(
    state: State,
    ws: WorkspaceRecord,
    group: CustomerGroupRecord,
    name: str,
    *,
    status: str,
    segment_field: str | None,
    with_messages: bool,
) -> CampaignRecord:
    """Create a campaign in ``status`` with one message per customer of ``group``.

    Messages match the status: pending review, approved, or published with its export ready.
    ``Draft`` and ``Generating`` campaigns get no messages.
    """
    if status not in CAMPAIGN_STATUSES:
        raise SeedError(f"status must be one of {CAMPAIGN_STATUSES}")
    if segment_field is not None and ws.field_by_name(segment_field) is None:
        raise SeedError(f"segment_field {segment_field!r} is not a field of the workspace")
    now = state.stamp()
    campaign = CampaignRecord(
        campaign_id=state.new_id(),
        workspace_id=ws.workspace_id,
        name=name,
        status=status,
        customer_group_id=group.customer_group_id,
        segment_field=segment_field,
        run_number=1,
        published_at=None,
        created_at=now,
        updated_at=now,
        first_group_id=group.customer_group_id,
        first_group_name=group.name,
    )
    ws.campaigns[campaign.campaign_id] = campaign
    state.campaigns[campaign.campaign_id] = campaign
    if with_messages and status in (
        CAMPAIGN_READY_FOR_REVIEW,
        CAMPAIGN_READY_TO_PUBLISH,
        CAMPAIGN_PUBLISHED,
    ):
        generate_messages(state, campaign, group, status=status)
    if status == CAMPAIGN_PUBLISHED:
        mark_published(state, campaign)
        build_export(campaign, 1)
    return campaign
