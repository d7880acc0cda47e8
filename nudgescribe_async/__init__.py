"""Async-first Python SDK for the Nudgescribe client API.

>>> from nudgescribe_async import AsyncNudgescribe
>>> async with AsyncNudgescribe() as client:  # credentials from NUDGESCRIBE_* env vars
...     workspaces = await client.campaigns.list()
"""

from __future__ import annotations

# The public home of the types in signatures, loaded with the package so its classes report it.
from . import types as types
from ._adaptive import AdaptiveLimiter
from ._client import AsyncNudgescribe
from ._errors import (
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
from ._public import publish
from ._sharding import plan_page_ranges
from ._types import NOT_GIVEN, NotGiven
from ._version import __version__

__all__ = [
    "NOT_GIVEN",
    "APIConnectError",
    "APIConnectTimeoutError",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AdaptiveLimiter",
    "AsyncNudgescribe",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ExportNotReadyError",
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
publish(__name__, globals(), __all__)
del publish


def __getattr__(name: str) -> object:
    """``nudgescribe_async.models`` / ``.resources`` without importing them first, as before.

    The package no longer imports them itself (they load with the first client: import time).
    """
    if name in ("models", "resources"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
