"""Async-first Python SDK for the Nudgescribe client API.

>>> from nudgescribe_async import AsyncNudgescribe
>>> async with AsyncNudgescribe() as client:  # credentials from NUDGESCRIBE_* env vars
...     workspaces = await client.campaigns.list()
"""

from __future__ import annotations

from ._client import AsyncNudgescribe
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    MissingFieldsError,
    NotFoundError,
    NudgescribeError,
    QuotaExceededError,
    RateLimitError,
    RequestValidationError,
    ResponseDecodeError,
    ServerError,
    UploadValidationError,
    WaitTimeoutError,
)
from ._logs import setup_logging
from ._pagination import AsyncPager, Page, PageResult
from ._sharding import plan_page_ranges
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncNudgescribe",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "MissingFieldsError",
    "NotFoundError",
    "NotGiven",
    "NudgescribeError",
    "Page",
    "PageResult",
    "QuotaExceededError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseDecodeError",
    "ServerError",
    "UploadValidationError",
    "WaitTimeoutError",
    "__version__",
    "plan_page_ranges",
    "setup_logging",
]

setup_logging()
