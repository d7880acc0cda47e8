"""The in-memory model behind the reference server.

Everything lives in one :class:`State`: accounts (isolated by API key) own workspaces; a workspace
owns profile fields, customer groups and campaigns; a group owns its customers (upserted by the
upload's unique field); a campaign owns its messages, run records and exported files. Handlers
and test controls mutate it synchronously on the event loop, so no locks are needed.

The record classes end in ``Record`` so that they never read as the SDK's models of the same
names; their wire form comes from one serialiser (``_wire.to_wire``). Profile values are kept in
plaintext here and encrypted on the way out (see ``_cipher``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from nudgescribe_async._contract import EXPORT_COLUMNS
from nudgescribe_async.testing._cipher import derive_account_key, encrypt_demo_value
from nudgescribe_async.testing._clock import Clock
from nudgescribe_async.testing._wire import COMPUTED, INTERNAL, to_wire

__all__ = [
    "AccountRecord",
    "CampaignRecord",
    "CustomerGroupRecord",
    "CustomerRecord",
    "ExportFolder",
    "MessageRecord",
    "ProfileFieldRecord",
    "RunRecord",
    "State",
    "WorkspaceRecord",
    "iso",
]


def iso(ts: float) -> str:
    """Return ``ts`` (epoch seconds) as ISO 8601 UTC with a ``Z`` suffix."""
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass(slots=True)
class ProfileFieldRecord:
    """One column of a workspace's customer profile."""

    field_id: str
    workspace_id: str
    field_name: str
    display_name: str
    field_type: str
    field_format: str | None
    is_required: bool
    is_unique: bool
    created_at: str
    updated_at: str


@dataclass(slots=True)
class CustomerRecord:
    """One customer of a group; ``profile`` holds plaintext values keyed by field name."""

    customer_id: str
    unique_value: str
    profile: dict[str, str]
    created_at: str
    updated_at: str
    encrypted: dict[str, str] | None = field(default=None, metadata=INTERNAL)

    def to_json(self, key: bytes) -> dict[str, Any]:
        """Return the wire form, encrypting (and caching) the profile values."""
        if self.encrypted is None:
            self.encrypted = {k: encrypt_demo_value(key, v) for k, v in self.profile.items()}
        return to_wire(self, profile=self.encrypted)


@dataclass(slots=True)
class CustomerGroupRecord:
    """A named set of customers in one workspace."""

    customer_group_id: str
    workspace_id: str
    name: str
    description: str | None
    # A wire key only: to_json() passes the live count; never stored.
    customer_count: int = field(init=False, repr=False, compare=False, metadata=COMPUTED)
    created_at: str
    updated_at: str
    customers: dict[str, CustomerRecord] = field(default_factory=dict, metadata=INTERNAL)
    _ordered: list[CustomerRecord] | None = field(default=None, metadata=INTERNAL)
    _indexes: dict[str, dict[str, CustomerRecord]] = field(default_factory=dict, metadata=INTERNAL)

    def to_json(self) -> dict[str, Any]:
        """Return the wire form; ``customer_count`` is always the live count."""
        return to_wire(self, customer_count=len(self.customers))

    def changed(self, keep_index: tuple[str, dict[str, CustomerRecord]] | None = None) -> None:
        """Drop the cached ordering and indexes after a mutation (``keep_index`` is current)."""
        self._ordered = None
        self._indexes = dict([keep_index]) if keep_index else {}

    def ordered(self) -> list[CustomerRecord]:
        """Return the customers in insertion order (cached for paging)."""
        if self._ordered is None:
            self._ordered = list(self.customers.values())
        return self._ordered

    def index(self, field_name: str) -> dict[str, CustomerRecord]:
        """Return customers keyed by their value of ``field_name`` (cached)."""
        found = self._indexes.get(field_name)
        if found is None:
            found = {}
            for customer in self.customers.values():
                value = customer.profile.get(field_name)
                if value:
                    found[value] = customer
            self._indexes[field_name] = found
        return found


@dataclass(slots=True)
class MessageRecord:
    """One generated message of a campaign run."""

    message_id: str
    campaign_id: str
    run_number: int
    customer_id: str
    segment_id: str
    segment_name: str
    subject: str
    content: str
    review_status: str
    approval_stage: str
    archived: bool
    origin: str
    created_at: str
    published_at: str | None = None

    def to_rerun_json(self) -> dict[str, Any]:
        """Return the form used by ``/v1/campaign/rerun/messages``."""
        return {
            "message_id": self.message_id,
            "run_number": self.run_number,
            "customer_id": self.customer_id,
            "segment": {"segment_id": self.segment_id, "name": self.segment_name},
            "content": self.content,
            "review_status": self.review_status,
            "approval_stage": self.approval_stage,
            "archived": self.archived,
            "created_at": self.created_at,
        }

    def to_export_row(self) -> dict[str, Any]:
        """Return the exported row (the contract's ``EXPORT_COLUMNS``, CSV header order)."""
        return {name: getattr(self, name) for name in EXPORT_COLUMNS}


@dataclass(slots=True)
class RunRecord:
    """A rerun record (run 2 onwards); run 1 is synthesised from the campaign."""

    rerun_id: str
    run_number: int
    customer_group_id: str
    customer_group_name: str
    segment_count: int
    created_at: str
    matched: int = 0
    new: int = 0
    orphaned: int = 0
    orphaned_messages: int = 0


@dataclass(slots=True)
class ExportFolder:
    """Exported files of one run; ``rows`` is empty and ``ready`` false until the job is done."""

    run_number: int
    ready: bool = False
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class CampaignRecord:
    """A campaign; ``segment_field`` names the profile field that defines its segments."""

    campaign_id: str
    workspace_id: str
    name: str
    status: str
    customer_group_id: str
    segment_field: str | None = field(metadata=INTERNAL)
    run_number: int
    published_at: str | None
    created_at: str
    updated_at: str
    first_group_id: str = field(default="", metadata=INTERNAL)
    first_group_name: str = field(default="", metadata=INTERNAL)
    segment_ids: dict[str, str] = field(default_factory=dict, metadata=INTERNAL)
    messages: list[MessageRecord] = field(default_factory=list, metadata=INTERNAL)
    runs: list[RunRecord] = field(default_factory=list, metadata=INTERNAL)
    exports: dict[int, ExportFolder] = field(default_factory=dict, metadata=INTERNAL)
    pending_job: str | None = field(default=None, metadata=INTERNAL)


@dataclass(slots=True)
class WorkspaceRecord:
    """A workspace of one account."""

    workspace_id: str
    account_id: str
    name: str
    fields: dict[str, ProfileFieldRecord] = field(default_factory=dict)
    groups: dict[str, CustomerGroupRecord] = field(default_factory=dict)
    campaigns: dict[str, CampaignRecord] = field(default_factory=dict)

    def field_by_name(self, name: str) -> ProfileFieldRecord | None:
        """Return the field whose ``field_name`` is ``name``, if any."""
        for candidate in self.fields.values():
            if candidate.field_name == name:
                return candidate
        return None


@dataclass(slots=True)
class AccountRecord:
    """An API account: credentials, quotas and workspaces."""

    account_id: str
    user_id: str
    api_key: str
    email: str
    api_secret: str
    api_code: str
    role_code: str
    encryption_key: bytes
    quotas: dict[str, int]
    usage: dict[str, int] = field(default_factory=dict)
    token_generation: int = 0
    workspaces: dict[str, WorkspaceRecord] = field(default_factory=dict)


# RFC 4122 version 4 / variant bits, as uuid.UUID(int=..., version=4) sets them.
_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_UUID4_SET = (0x8000 << 48) | (4 << 76)


class State:
    """All accounts and id lookups of one server.

    Ids come from a seeded RNG so the demo dataset is identical on every start.
    """

    def __init__(self, *, rng_seed: int | str | None = None) -> None:
        """Create an empty state; ``rng_seed`` makes generated ids deterministic."""
        self.accounts: dict[str, AccountRecord] = {}
        self.rng: random.Random = random.Random(rng_seed)
        self.workspaces: dict[str, WorkspaceRecord] = {}
        self.groups: dict[str, CustomerGroupRecord] = {}
        self.campaigns: dict[str, CampaignRecord] = {}
        #: The server's one clock (``ServerCore.clock`` is this object).
        self.clock: Clock = Clock()

    def new_id(self) -> str:
        """Return a fresh UUID4 string from the state's RNG.

        The same text as ``str(uuid.UUID(int=bits, version=4))``, formatted directly: seeding
        200,000 customers spent a third of its time building ``UUID`` objects.
        """
        bits = (self.rng.getrandbits(128) & _UUID4_CLEAR) | _UUID4_SET
        text = f"{bits:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def stamp(self) -> str:
        """Return the clock's current time as an ISO timestamp (``created_at`` and the like)."""
        return iso(self.clock.now())

    def add_account(
        self,
        *,
        api_key: str,
        email: str,
        api_secret: str,
        api_code: str,
        quotas: dict[str, int],
        role_code: str = "admin",
    ) -> AccountRecord:
        """Create and register an account."""
        account_id = self.new_id()
        account = AccountRecord(
            account_id=account_id,
            user_id=self.new_id(),
            api_key=api_key,
            email=email,
            api_secret=api_secret,
            api_code=api_code,
            role_code=role_code,
            encryption_key=derive_account_key(account_id),
            quotas=dict(quotas),
        )
        self.accounts[api_key] = account
        return account

    def account_by_id(self, account_id: str) -> AccountRecord | None:
        """Return the account with ``account_id``, if any."""
        for account in self.accounts.values():
            if account.account_id == account_id:
                return account
        return None

    def add_workspace(self, account: AccountRecord, name: str) -> WorkspaceRecord:
        """Create a workspace in ``account``."""
        ws = WorkspaceRecord(workspace_id=self.new_id(), account_id=account.account_id, name=name)
        account.workspaces[ws.workspace_id] = ws
        self.workspaces[ws.workspace_id] = ws
        return ws

    def workspace_of(self, account: AccountRecord, workspace_id: Any) -> WorkspaceRecord | None:
        """Return the account's workspace ``workspace_id`` (None if unknown or foreign)."""
        if not isinstance(workspace_id, str):
            return None
        return account.workspaces.get(workspace_id)

    def group_of(self, account: AccountRecord, group_id: Any) -> CustomerGroupRecord | None:
        """Return the account's group ``group_id`` (None if unknown or foreign)."""
        group = self.groups.get(group_id) if isinstance(group_id, str) else None
        if group is None or group.workspace_id not in account.workspaces:
            return None
        return group

    def campaign_of(self, account: AccountRecord, campaign_id: Any) -> CampaignRecord | None:
        """Return the account's campaign ``campaign_id`` (None if unknown or foreign)."""
        found = self.campaigns.get(campaign_id) if isinstance(campaign_id, str) else None
        if found is None or found.workspace_id not in account.workspaces:
            return None
        return found
