"""Hypothesis strategies: arguments a caller might pass (good, odd and hostile), JSON bodies."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from nudgescribe_async.models import DateFormat, FieldType

SURROGATES = st.text(
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3
)
TEXT = st.one_of(
    st.text(max_size=20),
    st.just(""),
    st.just(" \t\n"),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=20),
    SURROGATES,
    st.just("x" * 70_000),
    st.sampled_from(["a\r\nb", "\x00", "../..", "/v1/cg?x=1", "null", "1e309"]),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-3, max_value=1100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.booleans(),
)
SCALARS = st.one_of(
    st.none(),
    TEXT,
    NUMBERS,
    st.binary(max_size=10),
    st.dates(),
    st.datetimes(),
    st.sampled_from([object(), {1, 2}, ...]),
)
CHAOS: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(TEXT, st.integers()), inner, max_size=3),
        st.tuples(inner),
    ),
    max_leaves=6,
)
SMALL_SECONDS = st.one_of(
    st.floats(min_value=0.001, max_value=0.05),
    st.just(0),
    st.just(-1),
    st.just(float("nan")),
    st.just(float("inf")),
    TEXT,
    st.none(),
)

#: JSON values as a server could send them (no NaN: JSON has none).
JSON: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=12),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _ids(*valid: str) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(valid), CHAOS) if valid else CHAOS


def argument(name: str, pool: dict[str, list[str]], *, waiter: bool) -> st.SearchStrategy[Any]:
    """Values for the parameter ``name``: mostly plausible, often hostile."""
    ids = pool.get(name)
    if ids is not None:
        return _ids(*ids)
    if name.endswith("_ids"):
        base = pool.get(name[:-1], ["id_1"])
        return st.one_of(st.lists(st.sampled_from(base), min_size=1, max_size=3), CHAOS)
    if waiter and name in ("timeout", "poll_interval", "request_timeout"):
        return SMALL_SECONDS
    options: dict[str, st.SearchStrategy[Any]] = {
        "field_name": st.one_of(st.sampled_from(["email", "tier", "Bad Name"]), CHAOS),
        "unique_field": st.one_of(st.just("email"), CHAOS),
        "field_type": st.one_of(st.sampled_from(list(FieldType)), CHAOS),
        "field_format": st.one_of(st.sampled_from(list(DateFormat)), st.just("USD"), CHAOS),
        "page": st.one_of(st.integers(-2, 5), NUMBERS, CHAOS),
        "page_size": st.one_of(st.integers(-2, 1001), NUMBERS, CHAOS),
        "run_number": st.one_of(st.none(), st.integers(-2, 3), NUMBERS),
        "concurrency": st.one_of(st.integers(-1, 4), NUMBERS),
        "start_page": st.one_of(st.integers(-1, 4), NUMBERS),
        "timeout": st.one_of(st.floats(0.5, 5), NUMBERS, CHAOS),
        "published_from": st.one_of(st.datetimes(), st.dates(), CHAOS),
        "published_to": st.one_of(st.datetimes(), st.dates(), CHAOS),
        "customers": st.one_of(
            st.lists(st.dictionaries(TEXT, CHAOS, max_size=3), max_size=3), CHAOS
        ),
        "fields": st.one_of(
            st.lists(
                st.dictionaries(
                    st.sampled_from(["field_id", "display_name", "field_format", "is_required"]),
                    CHAOS,
                ),
                max_size=2,
            ),
            CHAOS,
        ),
        "file": st.one_of(st.binary(max_size=50), st.just(b"email\na@b.c\n"), NUMBERS),
        "extra_body": st.one_of(st.none(), st.dictionaries(TEXT, CHAOS, max_size=3), CHAOS),
        "extra_headers": st.one_of(st.none(), st.dictionaries(TEXT, TEXT, max_size=2), CHAOS),
        "statuses": st.one_of(st.lists(TEXT, max_size=2), CHAOS),
        "format": st.one_of(st.sampled_from(["json", "csv"]), CHAOS),
        "shard": st.one_of(st.none(), st.tuples(NUMBERS, NUMBERS), CHAOS),
        "pages": st.one_of(
            st.none(), st.builds(range, st.integers(-2, 4), st.integers(-2, 6)), CHAOS
        ),
        "decrypt": st.one_of(st.none(), st.just(False), SCALARS),
    }
    return options.get(name, CHAOS)


__all__ = ["CHAOS", "JSON", "argument"]
