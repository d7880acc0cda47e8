"""Blocking facade of the Nudgescribe SDK: ``AsyncNudgescribe``'s surface for code that can't await.

>>> from nudgescribe_sync import Nudgescribe
>>> with Nudgescribe() as client:  # credentials from NUDGESCRIBE_* env vars  # doctest: +SKIP
...     workspaces = client.campaigns.list()

One background thread per client runs the async client on its own event loop; every method
crosses to it once and blocks for the result. Exceptions, models and enums are the async
package's own classes, re-exported here (``from nudgescribe_sync import CampaignStatus``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nudgescribe_async import (
    NOT_GIVEN,
    APIConnectError,
    APIConnectionError,
    APIConnectTimeoutError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    ExportNotReadyError,
    MissingFieldsError,
    NotFoundError,
    NotGiven,
    NudgescribeError,
    QuotaExceededError,
    RateLimitError,
    RequestValidationError,
    ResponseDecodeError,
    ServerError,
    UploadValidationError,
    WaitTimeoutError,
    __version__,
    plan_page_ranges,
)
from nudgescribe_async._public import lazy_exports, publish

# The public homes of the resource classes and of the types in signatures, loaded with the
# package so that their classes report them.
from nudgescribe_sync import resources as resources
from nudgescribe_sync import types as types
from nudgescribe_sync._client import Nudgescribe
from nudgescribe_sync._pagination import Pager
from nudgescribe_sync._portal import PortalThreadError

if TYPE_CHECKING:
    from nudgescribe_async.models import (
        Campaign,
        CampaignList,
        CampaignStatus,
        Comparison,
        CsvExport,
        Customer,
        CustomerGroup,
        CustomerGroupList,
        CustomerPage,
        CustomerPageCount,
        DateFormat,
        DeleteResult,
        ExportedMessage,
        ExportFormat,
        ExportPage,
        FieldType,
        FieldUpdate,
        HeaderError,
        JsonExport,
        ListResult,
        MessagePageCount,
        MessageSummary,
        Model,
        ProfileField,
        ProfileFieldList,
        PublishResult,
        RerunResult,
        RowError,
        Run,
        RunHistory,
        RunMessage,
        RunMessagePage,
        RunStatus,
        Segment,
        TokenResponse,
        UploadResult,
        UrlExport,
        Workspace,
        WorkspaceCampaigns,
        WorkspaceList,
    )

__all__ = [
    "NOT_GIVEN",
    "APIConnectError",
    "APIConnectTimeoutError",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "Campaign",
    "CampaignList",
    "CampaignStatus",
    "ClientClosedError",
    "Comparison",
    "ConfigurationError",
    "ConflictError",
    "CsvExport",
    "Customer",
    "CustomerGroup",
    "CustomerGroupList",
    "CustomerPage",
    "CustomerPageCount",
    "DateFormat",
    "DeleteResult",
    "ExportFormat",
    "ExportNotReadyError",
    "ExportPage",
    "ExportedMessage",
    "FieldType",
    "FieldUpdate",
    "HeaderError",
    "JsonExport",
    "ListResult",
    "MessagePageCount",
    "MessageSummary",
    "MissingFieldsError",
    "Model",
    "NotFoundError",
    "NotGiven",
    "Nudgescribe",
    "NudgescribeError",
    "Pager",
    "PortalThreadError",
    "ProfileField",
    "ProfileFieldList",
    "PublishResult",
    "QuotaExceededError",
    "RateLimitError",
    "RequestValidationError",
    "RerunResult",
    "ResponseDecodeError",
    "RowError",
    "Run",
    "RunHistory",
    "RunMessage",
    "RunMessagePage",
    "RunStatus",
    "Segment",
    "ServerError",
    "TokenResponse",
    "UploadResult",
    "UploadValidationError",
    "UrlExport",
    "WaitTimeoutError",
    "Workspace",
    "WorkspaceCampaigns",
    "WorkspaceList",
    "__version__",
    "plan_page_ranges",
]

# The model classes load on first use (``nudgescribe_sync.Customer``, ``from nudgescribe_sync
# import Customer``), not with the package: building ~40 attrs classes is most of the SDK's own
# import time, and a blocking client does not need them until its first response.
_MODELS = frozenset(
    {
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
        "ExportedMessage",
        "ExportFormat",
        "ExportPage",
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
    }
)


# Model classes load from nudgescribe_async.models the first time one is asked for.
lazy_exports(__name__, dict.fromkeys(_MODELS, "nudgescribe_async.models"), __all__)

publish(__name__, globals(), [name for name in __all__ if name not in _MODELS])
del lazy_exports, publish
