"""The seeded datasets that fixtures hand to tests: their ids, and the shared seeding."""

from __future__ import annotations

from dataclasses import dataclass

import attrs

from nudgescribe_async.testing import ReferenceServer


@attrs.frozen
class ShopWorld:
    """Ids of a seeded workspace: ``email`` (unique, required), ``tier`` and ``joined`` fields."""

    workspace_id: str
    group_id: str


def seed_shop(ref: ReferenceServer) -> ShopWorld:
    """A workspace with three profile fields and one empty customer group."""
    ws = ref.seed_workspace("Shop")
    ref.seed_profile_field(ws.workspace_id, "email", is_unique=True, is_required=True)
    ref.seed_profile_field(ws.workspace_id, "tier")
    ref.seed_profile_field(ws.workspace_id, "joined", "Date", field_format="yyyy-MM-dd")
    group = ref.seed_group(ws.workspace_id, "Everyone")
    return ShopWorld(ws.workspace_id, group.customer_group_id)


@dataclass
class ContractWorld:
    """A seeded workspace: fields of every type, an empty group and a populated group."""

    workspace_id: str
    empty_group_id: str
    group_id: str


@attrs.frozen
class CliSeed:
    """Ids of the CLI tests' module dataset."""

    workspace_id: str
    big_group: str
    small_group: str
    campaign_id: str


@dataclass(frozen=True)
class ReliabilitySeed:
    """Ids of what the reliability server holds."""

    workspace_id: str
    group_id: str
    empty_group_id: str
    campaign_id: str
