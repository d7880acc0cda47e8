"""Page items decoded on first use, by whoever consumes them.

A pager fetches up to ``concurrency`` pages at once, and their answers tend to arrive
together. Decoding each page into models inside its fetch task puts all of that CPU work
between the answers and the consumer, delaying the next requests; the pager hands pages out
in order anyway, so the consumer is the natural place to decode. :class:`DeferredItems`
keeps a page's raw JSON list and turns it into models (and runs any post-processing, such as
a decrypt hook) the first time the items are touched. For the blocking ``Pager`` that is the
caller's thread, off the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload

from nudgescribe_async._convert import converter
from nudgescribe_async._decode_errors import decode_error, walk

__all__ = ["DeferredItems", "defer_items"]

T = TypeVar("T")


class DeferredItems(Sequence[T], Generic[T]):
    """A read-only sequence of models, decoded from raw JSON on first access.

    ``len()`` needs no decoding. A shape error raises ``ResponseDecodeError`` (with the path
    from the body root, e.g. ``$.customers[3].page``) at first access, in page order.
    """

    __slots__ = ("_decode", "_items", "_length", "_raw")

    def __init__(self, raw: list[Any], decode: Callable[[list[Any]], list[T]]) -> None:
        self._raw: list[Any] | None = raw
        self._decode = decode
        self._length = len(raw)
        self._items: list[T] | None = None

    def _decoded(self) -> list[T]:
        items = self._items
        if items is None:
            # Two threads may race here; both decode the same raw list to equal results.
            raw = self._raw if self._raw is not None else []
            items = self._items = self._decode(raw)
            self._raw = None  # the models replace the JSON; don't hold both
        return items

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return self._decoded()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._decoded())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like list: mutable-looking, unhashable

    def __repr__(self) -> str:
        state = "decoded" if self._items is not None else "not decoded yet"
        return f"<DeferredItems: {self._length} items, {state}>"


def defer_items(
    body: Mapping[str, Any],
    key: str,
    item_type: type[T],
    *,
    url: str | None = None,
    post: Callable[[list[T]], list[T]] | None = None,
) -> DeferredItems[T]:
    """Wrap ``body[key]`` (a JSON list) to be decoded into ``item_type`` on first access.

    A missing or non-list member fails now (the page's shape is wrong); the items themselves
    are checked when decoded. ``post`` runs on the decoded list (e.g. decryption).
    """
    raw = body.get(key)
    if not isinstance(raw, list):
        reason = "missing required key" if key not in body else "expected array"
        raise decode_error(body, f"$.{key}", reason, url)
    list_type = list[item_type]  # type: ignore[valid-type]

    def decode(items: list[Any]) -> list[T]:
        try:
            models: list[T] = converter.structure(items, list_type)
        except Exception as exc:
            path, reason = walk(exc, "")
            raise decode_error(body, f"$.{key}{path}", reason, url) from exc
        return post(models) if post is not None else models

    return DeferredItems(raw, decode)
