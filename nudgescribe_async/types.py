"""The types in the SDK's public signatures, importable from one public place.

>>> from nudgescribe_async.types import NOT_GIVEN, TimeoutLike
>>> def fetch(timeout: TimeoutLike | None = None) -> None: ...

* ``NOT_GIVEN`` / :class:`NotGiven`: the default of per-call overrides, meaning "not passed"
  (an explicit ``None`` means "none": e.g. ``timeout=None`` is no timeout).
* ``TimeoutLike``: float seconds (the budget of one attempt) or an ``aiohttp.ClientTimeout``.
* ``Environment``: ``"production"`` or ``"development"`` (``AsyncNudgescribe(environment=)``).
* ``Decrypt``: a hook turning one encrypted profile value into plaintext; ``DecryptArg`` is a
  per-call ``decrypt=`` (``None``: the client's hook, ``False``: none, or a hook).
* ``CsvFile``: what ``customers.upload(file=...)`` accepts (a path, bytes, or a file object).
* ``AsyncPager``, ``Page``, ``PageResult``, ``DEFAULT_CONCURRENCY``: paging (``list()`` methods).
* ``AdaptiveLimiter`` and its ``Permit``: ``concurrency="auto"`` pagers' shared limit.

The definitions live in private modules; importing them from there is not supported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nudgescribe_async._adaptive import AdaptiveLimiter, Permit
from nudgescribe_async._config import Decrypt, Environment
from nudgescribe_async._pagination import DEFAULT_CONCURRENCY, AsyncPager, Page, PageResult
from nudgescribe_async._public import lazy_exports, publish
from nudgescribe_async._types import NOT_GIVEN, NotGiven, TimeoutLike

if TYPE_CHECKING:
    from nudgescribe_async.resources.customers import CsvFile, DecryptArg

__all__ = [
    "DEFAULT_CONCURRENCY",
    "NOT_GIVEN",
    "AdaptiveLimiter",
    "AsyncPager",
    "CsvFile",
    "Decrypt",
    "DecryptArg",
    "Environment",
    "NotGiven",
    "Page",
    "PageResult",
    "Permit",
    "TimeoutLike",
]

# Only the classes the package itself does not export: those report ``nudgescribe_async``.
publish(__name__, globals(), ["Permit"], root="nudgescribe_async")
del publish

# The upload aliases live with the customers resource, which brings every model and the
# converter: loaded on first use, not with this module (import time; see benchmarks).
lazy_exports(
    __name__,
    dict.fromkeys(("CsvFile", "DecryptArg"), "nudgescribe_async.resources.customers"),
    __all__,
)
del lazy_exports
