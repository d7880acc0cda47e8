"""Blocking facade of the Nudgescribe SDK: ``AsyncNudgescribe``'s surface for code that can't await.

>>> from nudgescribe_sync import Nudgescribe
>>> with Nudgescribe() as client:  # credentials from NUDGESCRIBE_* env vars  # doctest: +SKIP
...     workspaces = client.campaigns.list()

One background thread per client runs the async client on its own event loop; every method
crosses to it once and blocks for the result. Exceptions are the async package's own classes.
"""

from __future__ import annotations

from nudgescribe_async import (
    NOT_GIVEN,
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
from nudgescribe_sync._client import Nudgescribe
from nudgescribe_sync._pagination import Pager
from nudgescribe_sync._portal import PortalThreadError

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "MissingFieldsError",
    "NotFoundError",
    "NotGiven",
    "Nudgescribe",
    "NudgescribeError",
    "Pager",
    "PortalThreadError",
    "QuotaExceededError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseDecodeError",
    "ServerError",
    "UploadValidationError",
    "WaitTimeoutError",
    "__version__",
    "plan_page_ranges",
]
