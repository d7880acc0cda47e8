"""The attrs models of every response payload and structured request item.

All response models derive from :class:`Model`: frozen, slotted, keyword-only, with an
``extra`` mapping keeping response keys the SDK does not model (the contract's tolerance
rule). Required attributes are the ids and the values an endpoint exists to return; keys
that are merely echoed or descriptive are optional (``None`` / empty when absent). Attributes
typed ``SomeEnum | str`` hold the enum member for a known value and the raw string otherwise.
Timestamps are timezone-aware ``datetime`` objects (ISO 8601, trailing ``Z`` accepted).
"""

from __future__ import annotations

from .auth import TokenResponse
from .base import EMPTY_EXTRA, DeleteResult, ListResult, Model
from .campaigns import Campaign, CampaignList, WorkspaceCampaigns
from .customer_groups import CustomerGroup, CustomerGroupList
from .customers import (
    Customer,
    CustomerPage,
    CustomerPageCount,
    HeaderError,
    RowError,
    UploadResult,
)
from .enums import CampaignStatus, DateFormat, ExportFormat, FieldType, RunStatus
from .messages import (
    CsvExport,
    ExportedMessage,
    ExportPage,
    JsonExport,
    MessagePageCount,
    PublishResult,
    UrlExport,
    export_model_for,
)
from .profile_fields import (
    FieldUpdate,
    ProfileField,
    ProfileFieldList,
    is_valid_field_format,
    is_valid_field_name,
)
from .reruns import (
    Comparison,
    MessageSummary,
    RerunResult,
    Run,
    RunHistory,
    RunMessage,
    RunMessagePage,
    Segment,
)
from .workspaces import Workspace, WorkspaceList

__all__ = [
    "EMPTY_EXTRA",
    "Campaign",
    "CampaignList",
    "CampaignStatus",
    "Comparison",
    "CsvExport",
    "Customer",
    "CustomerGroup",
    "CustomerGroupList",
    "CustomerPage",
    "CustomerPageCount",
    "DateFormat",
    "DeleteResult",
    "ExportFormat",
    "ExportPage",
    "ExportedMessage",
    "FieldType",
    "FieldUpdate",
    "HeaderError",
    "JsonExport",
    "ListResult",
    "MessagePageCount",
    "MessageSummary",
    "Model",
    "ProfileField",
    "ProfileFieldList",
    "PublishResult",
    "RerunResult",
    "RowError",
    "Run",
    "RunHistory",
    "RunMessage",
    "RunMessagePage",
    "RunStatus",
    "Segment",
    "TokenResponse",
    "UploadResult",
    "UrlExport",
    "Workspace",
    "WorkspaceCampaigns",
    "WorkspaceList",
    "export_model_for",
    "is_valid_field_format",
    "is_valid_field_name",
]
