"""The types in the blocking client's public signatures, importable from one public place.

The same types as :mod:`nudgescribe_async.types` (the async package's own objects), minus the
async pager's, plus :class:`~nudgescribe_sync.Pager` and the :class:`Runner` it fetches with.

>>> from nudgescribe_sync.types import NOT_GIVEN, TimeoutLike
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nudgescribe_async._public import publish
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
_LAZY = frozenset({"CsvFile", "DecryptArg"})


def __getattr__(name: str) -> object:
    """``CsvFile`` and ``DecryptArg`` from ``nudgescribe_async.types``."""
    if name in _LAZY:
        from nudgescribe_async import types

        value = getattr(types, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """Every public name, loaded or not."""
    return sorted(set(globals()) | set(__all__))
