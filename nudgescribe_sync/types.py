"""The types in the blocking client's public signatures, importable from one public place.

The same types as :mod:`nudgescribe_async.types` (the async package's own objects), minus the
async pager's, plus :class:`~nudgescribe_sync.Pager` and the :class:`Runner` it fetches with.

>>> from nudgescribe_sync.types import NOT_GIVEN, TimeoutLike
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nudgescribe_async._public import lazy_exports, publish
from nudgescribe_async.types import (
    DEFAULT_CONCURRENCY,
    NOT_GIVEN,
    AdaptiveLimiter,
    Decrypt,
    Environment,
    NotGiven,
    Page,
    Permit,
    TimeoutLike,
)
from nudgescribe_sync._forward import Runner
from nudgescribe_sync._pagination import Pager

if TYPE_CHECKING:
    from nudgescribe_async.types import CsvFile, DecryptArg

__all__ = [
    "DEFAULT_CONCURRENCY",
    "NOT_GIVEN",
    "AdaptiveLimiter",
    "CsvFile",
    "Decrypt",
    "DecryptArg",
    "Environment",
    "NotGiven",
    "Page",
    "Pager",
    "Permit",
    "Runner",
    "TimeoutLike",
]

# Only the classes the package itself does not export: those report ``nudgescribe_sync``.
publish(__name__, globals(), ["Runner"], root="nudgescribe_sync")
del publish

# Loaded on first use with the customers resource (see nudgescribe_async.types).
lazy_exports(__name__, dict.fromkeys(("CsvFile", "DecryptArg"), "nudgescribe_async.types"), __all__)
del lazy_exports
