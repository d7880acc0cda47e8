"""Page items decoded on first use (what pagers hand out)."""

from __future__ import annotations

import pytest

from nudgescribe_async import ResponseDecodeError
from nudgescribe_async._deferred import DeferredItems, defer_items
from nudgescribe_async.models import Customer

CUSTOMER = {"customer_id": "c1", "unique_value": "a@x", "profile": {"email": "enc"},
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}


def _body(*customers: object) -> dict[str, object]:
    return {"success": True, "page": 1, "customers": list(customers)}


def test_length_needs_no_decoding_and_items_decode_once() -> None:
    """len() reads the raw list; the first access decodes every item, later ones reuse them."""
    calls: list[int] = []

    def post(items: list[Customer]) -> list[Customer]:
        calls.append(len(items))
        return items

    items = defer_items(_body(CUSTOMER, {**CUSTOMER, "customer_id": "c2"}), "customers",
                        Customer, post=post)
    assert len(items) == 2 and calls == [] and "not decoded" in repr(items)
    assert [c.customer_id for c in items] == ["c1", "c2"]
    assert items[1].customer_id == "c2" and items[:1][0].customer_id == "c1"
    assert calls == [2] and "decoded" in repr(items)


def test_bad_item_raises_with_its_path_on_first_access() -> None:
    """A malformed item raises ResponseDecodeError naming $.customers[1]... when touched."""
    items = defer_items(_body(CUSTOMER, {**CUSTOMER, "created_at": 5}), "customers", Customer,
                        url="http://127.0.0.1/v1/customer")
    with pytest.raises(ResponseDecodeError) as info:
        list(items)
    assert info.value.path == "$.customers[1].created_at"


@pytest.mark.parametrize(("body", "reason"), [({"page": 1}, "missing required key"),
                                              ({"customers": {}}, "expected array")])
def test_missing_or_non_list_member_fails_at_once(body: dict[str, object], reason: str) -> None:
    """The page's shape is checked when the page arrives, not later."""
    with pytest.raises(ResponseDecodeError, match=reason) as info:
        defer_items(body, "customers", Customer)
    assert info.value.path == "$.customers"


def test_compares_like_a_list() -> None:
    """DeferredItems equals a list of equal items and is unhashable, like a list."""
    items = DeferredItems([1, 2], lambda raw: [x * 10 for x in raw])
    assert items == [10, 20] and items != [10] and items != "ab"
    with pytest.raises(TypeError):
        hash(items)
