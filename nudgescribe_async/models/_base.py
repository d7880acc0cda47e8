"""The base of every response model, and the small results several areas share.

Every response model is a frozen, slotted attrs class with keyword-only construction (so a
field the contract adds later never shifts positions) and an ``extra`` mapping holding the
response keys the model does not know. The converter (``nudgescribe_async._convert``) fills
``extra``; the envelope key ``success`` is dropped, never kept in ``extra``.

``extra`` is excluded from equality and hashing: two models with the same known values are
equal even if the server sent different unknown keys (a server adding a key must not change
how user code compares results). It is shown in ``repr`` (as a plain dict).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = ["EMPTY_EXTRA", "DeleteResult", "Model"]

#: The shared, read-only ``extra`` of a model whose response had no unknown keys.
EMPTY_EXTRA: Mapping[str, Any] = MappingProxyType({})


def _repr_extra(value: Mapping[str, Any]) -> str:
    return repr(dict(value))


@attrs.frozen(kw_only=True)
class Model:
    """Base class of the response models: frozen, slotted, keyword-only, keeps unknown keys.

    >>> from nudgescribe_async._convert import structure_response
    >>> group = structure_response({"customer_group_id": "g1", "name": "VIP", "tier": 3},
    ...                            CustomerGroup)  # doctest: +SKIP
    >>> group.extra["tier"]  # doctest: +SKIP
    3
    """

    extra: Mapping[str, Any] = attrs.field(default=EMPTY_EXTRA, eq=False, repr=_repr_extra)
    """Response keys this model does not know, as decoded JSON (read-only; ``success`` dropped)."""


@attrs.frozen(kw_only=True)
class DeleteResult(Model):
    """Result of a delete call: profile fields and customers report a count, groups a message."""

    deleted_count: int | None = None
    """How many objects were deleted (``None`` when the endpoint only sends a message)."""
    message: str | None = None
    """The server's human-readable confirmation, when sent."""
