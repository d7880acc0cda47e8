"""Differential test: the fast generated model hooks decode exactly like the detailed path.

``make_converter(fast=False)`` is the converter as it was before the fast hooks (cattrs'
generated, detailed-validation hooks only); the SDK's converter must agree with it on every
payload: the same models (types, values, ``extra``) for valid ones, and the same exception
type, JSON path and reason for broken ones. Hypothesis generates contract-shaped payloads for
every response model and breaks them in the ways a server could (missing keys, wrong JSON
types, digit strings, bad timestamps, unknown keys, odd enum spellings, non-objects).
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nudgescribe_async._convert import converter, make_converter
from nudgescribe_async._decode_errors import walk
from nudgescribe_async.models import EMPTY_EXTRA, Model

REFERENCE = make_converter(fast=False)

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**12),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.sampled_from(["12", " 7", "-3", "+4", "1.5", "", "x"]),
)
JUNK = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
TIMESTAMPS = st.sampled_from(
    [
        "2026-01-02T03:04:05Z",
        "2026-01-02T03:04:05.123456Z",
        "2026-01-02T07:04:05+04:00",
        "2026-01-02",
        "2026-01-02T03:04:05z",
        "yesterday",
        "",
        "2026-13-02T03:04:05Z",
    ]
)


def _models() -> list[type[Model]]:
    found: list[type[Model]] = []
    pending = [Model]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__.startswith("nudgescribe_async.models")]


MODELS = _models()


def _union_args(tp: Any) -> tuple[Any, ...]:
    return get_args(tp) if get_origin(tp) in (Union, types.UnionType) else ()


def _valid(tp: Any) -> st.SearchStrategy[Any]:
    """Values of the right JSON shape for ``tp`` (including the tolerated odd ones)."""
    if _union_args(tp):
        return st.one_of(*(_valid(arg) for arg in _union_args(tp)))
    if tp is type(None):
        return st.none()
    if tp is str:
        return st.text(max_size=10)
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.one_of(st.integers(-(2**40), 2**40), st.sampled_from(["42", " 7 ", "-3"]))
    if tp is float:
        return st.one_of(
            st.integers(-(2**40), 2**40), st.floats(allow_nan=False, allow_infinity=False)
        )
    if tp is datetime:
        return TIMESTAMPS
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        values = [str(m.value) for m in tp]
        return st.sampled_from(values + [v.upper() for v in values] + ["Unheard-of"])
    if get_origin(tp) is list:
        return st.lists(_value(get_args(tp)[0]), max_size=3)
    if get_origin(tp) is dict:
        return st.dictionaries(
            st.text(max_size=5), st.one_of(st.text(max_size=5), JUNK), max_size=3
        )
    if isinstance(tp, type) and issubclass(tp, Model):
        return _payload(tp)
    raise AssertionError(f"no strategy for {tp!r}")


def _value(tp: Any) -> st.SearchStrategy[Any]:
    """Mostly well-shaped values for ``tp``, sometimes anything JSON can hold."""
    return st.integers(0, 3).flatmap(lambda n: JUNK if n == 0 else _valid(tp))


def _payload(cls: type[Model]) -> st.SearchStrategy[Any]:
    hints = get_type_hints(cls)
    fields = [a for a in attrs.fields(cls) if a.name != "extra"]

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        if draw(st.integers(0, 40)) == 0:
            return draw(JUNK)
        body: dict[str, Any] = {}
        for field in fields:
            required = field.default is attrs.NOTHING
            if draw(st.integers(0, 12)) != 0 or (required and draw(st.integers(0, 12)) != 0):
                body[field.name] = draw(_value(hints[field.name]))
        for key in draw(
            st.lists(st.sampled_from(["success", "tier", "_x", "page2"]), max_size=2, unique=True)
        ):
            body[key] = draw(JUNK)
        return body

    return build()


def _canonical(value: Any) -> Any:
    """A comparable form of a decoded value: types, values and ``extra`` at every level."""
    if attrs.has(type(value)):
        return (
            type(value).__name__,
            tuple((a.name, _canonical(getattr(value, a.name))) for a in attrs.fields(type(value))),
            getattr(value, "extra", None) is EMPTY_EXTRA,  # the shared empty one, or a copy
        )
    if isinstance(value, list):
        return ("list", [_canonical(v) for v in value])
    if isinstance(value, Mapping):
        return (type(value).__name__, {k: _canonical(v) for k, v in value.items()})
    return (type(value).__name__, value)


def _outcome(conv: Any, payload: Any, cls: type[Model]) -> Any:
    try:
        return ("ok", _canonical(conv.structure(payload, cls)))
    except Exception as exc:
        return ("error", type(exc).__name__, walk(exc, ""))


@pytest.mark.parametrize("cls", MODELS, ids=[cls.__name__ for cls in MODELS])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_hooks_agree_with_detailed_path(cls: type[Model], data: st.DataObject) -> None:
    """For any payload, fast and detailed decoding give the same model or the same error."""
    payload = data.draw(_payload(cls))
    assert _outcome(converter, payload, cls) == _outcome(REFERENCE, payload, cls)


def test_an_envelope_key_alone_leaves_the_shared_empty_extra() -> None:
    """A model object holding only its own keys and an envelope key ("success") gets the shared
    empty ``extra`` on both paths, like one without it."""
    from nudgescribe_async.models import Customer

    body = {**_CUSTOMER, "success": True}
    for conv in (converter, REFERENCE):
        assert conv.structure(body, Customer).extra is EMPTY_EXTRA
        assert conv.structure({"customer_id": "c", "success": True}, Customer).extra is EMPTY_EXTRA


def test_extra_mapping_is_read_only_and_shared_when_empty() -> None:
    """Fast decoding keeps unknown keys read-only in ``extra`` and shares the empty one."""
    from nudgescribe_async.models import CustomerPage

    page = converter.structure(
        {"page": 1, "customers": [{"customer_id": "c", "tier": 3}]}, CustomerPage
    )
    assert page.extra is EMPTY_EXTRA
    assert dict(page.customers[0].extra) == {"tier": 3}
    assert isinstance(page.customers[0].extra, types.MappingProxyType)


@pytest.mark.parametrize("depth", [1, 63, 70])
def test_unknown_key_nesting_decodes_or_fails_alike(depth: int) -> None:
    """An unknown key holding nested arrays decodes alike, and too deep fails alike, both paths."""
    from nudgescribe_async.models import Customer

    value: Any = 0
    for _ in range(depth):
        value = [value]
    payload = {"customer_id": "c", "tier": value, "note": "x"}
    outcome = _outcome(converter, payload, Customer)
    assert outcome == _outcome(REFERENCE, payload, Customer)
    assert (outcome[0] == "ok") == (depth < 64), outcome


class _Text(str):
    """A ``str`` subclass (the fast path leaves it to the detailed one)."""


_CUSTOMER = {
    "customer_id": "c1",
    "unique_value": "u",
    "profile": {"email": "e"},
    "created_at": "2026-01-02T03:04:05Z",
    "updated_at": None,
}
_ODD_CUSTOMERS: list[Any] = [
    {**_CUSTOMER, "customer_id": 1.5},
    {**_CUSTOMER, "customer_id": True},
    {**_CUSTOMER, "customer_id": _Text("c")},
    {**_CUSTOMER, "unique_value": 3},
    {**_CUSTOMER, "profile": {"email": 1}},
    {**_CUSTOMER, "profile": {1: "x"}},
    {**_CUSTOMER, "profile": types.MappingProxyType({"a": "b"})},
    {**_CUSTOMER, "created_at": datetime(2026, 1, 1)},
    {**_CUSTOMER, "created_at": 5},
    {**_CUSTOMER, "created_at": "nope"},
    {k: v for k, v in _CUSTOMER.items() if k != "profile"},
    {"unique_value": "u"},
    types.MappingProxyType(_CUSTOMER),
    [],
    None,
    "c1",
]
_ODD_PAGES: list[Any] = [
    {"page": p, "customers": c, "total_pages": t}
    for p, c, t in [
        (1.0, [], None),
        (True, [], None),
        ("7", [], " 8"),
        (1, [], 2.5),
        (1, {"a": 1}, None),
        (1, "x", None),
        (1, [_CUSTOMER] * 3, False),
    ]
] + [{"page": 1, "customers": [_CUSTOMER, odd]} for odd in _ODD_CUSTOMERS]


@pytest.mark.parametrize("payload", _ODD_PAGES)
def test_odd_values_agree_with_detailed_path(payload: Any) -> None:
    """Each value the inline checks do not take decodes (or fails) as on the detailed path."""
    from nudgescribe_async.models import CustomerPage

    assert _outcome(converter, payload, CustomerPage) == _outcome(REFERENCE, payload, CustomerPage)
