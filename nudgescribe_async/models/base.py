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

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Generic, TypeVar, overload

import attrs

__all__ = ["EMPTY_EXTRA", "DeleteResult", "ListResult", "Model"]

T = TypeVar("T")

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


class ListResult(Generic[T]):
    """Mixin of the results that carry one list: they behave like that list, attributes kept.

    Iterate them, take ``len()``, index or slice them; ``.items`` is the list itself, under
    whatever name the payload uses (``fields``, ``customer_groups``, ``runs``, ``customers``...).
    Like a list, an empty result is falsy.

    >>> from nudgescribe_async.models import CustomerGroup, CustomerGroupList
    >>> groups = CustomerGroupList(customer_groups=[CustomerGroup(customer_group_id="g1",
    ...                                                          name="VIP")])
    >>> len(groups), groups[0].name, [g.customer_group_id for g in groups]
    (1, 'VIP', ['g1'])
    """

    __slots__ = ()
    _items_attribute: ClassVar[str]

    @property
    def items(self) -> list[T]:
        """The result's list (the same object as its named attribute)."""
        items: list[T] = getattr(self, self._items_attribute)
        return items

    def __iter__(self) -> Iterator[T]:
        """Iterate the items."""
        return iter(self.items)

    def __len__(self) -> int:
        """The number of items."""
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        """The item at ``index`` (a list for a slice)."""
        return self.items[index]
