"""What one decoded customer costs, piece by piece: how far the fast hook is from its floor.

    python benchmarks/profile_decode_floor.py [--rounds 15]

Times, per customer of a 1000-customer page (median of interleaved rounds, nanoseconds):

* ``sdk hook``: the converter's generated ``Customer`` hook, as ``structure_response`` runs it;
* ``no checks``: the same instance built with no type check, unknown-key test or fallback
  (what the hook would cost if it trusted the server);
* the pieces every variant must pay: ``object.__new__`` of the slotted class, its six slot
  setters, the two timestamp parses (``datetime.fromisoformat`` on 3.11+) and the profile's
  per-value ``str`` check;
* ``tuple only``: the same values checked and parsed into a tuple, no model at all.

The floor of a frozen slotted attrs model is the sum of the pieces; pydantic v2 builds its
models in Rust, so the decode targets that compare with it are bounded by these figures.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from suite_decode import synthetic_page

from nudgescribe_async._convert import _parse_iso, converter
from nudgescribe_async.models import EMPTY_EXTRA, Customer

_Row = dict[str, Any]
_NAMES = ("customer_id", "unique_value", "profile", "created_at", "updated_at", "extra")
_SETTERS = [
    next(k.__dict__[name] for k in Customer.__mro__ if name in k.__dict__).__set__
    for name in _NAMES
]


def _no_checks(row: _Row) -> Customer:
    obj: Customer = object.__new__(Customer)
    s0, s1, s2, s3, s4, s5 = _SETTERS
    s0(obj, row["customer_id"])
    s1(obj, row.get("unique_value"))
    s2(obj, row["profile"])
    s3(obj, _parse_iso(row["created_at"]))
    s4(obj, _parse_iso(row["updated_at"]))
    s5(obj, EMPTY_EXTRA)
    return obj


def _new_only(row: _Row) -> Customer:
    obj: Customer = object.__new__(Customer)
    return obj


def _new_and_set(row: _Row) -> Customer:
    obj: Customer = object.__new__(Customer)
    for setter in _SETTERS:
        setter(obj, None)
    return obj


def _timestamps(row: _Row) -> tuple[datetime, datetime]:
    return _parse_iso(row["created_at"]), _parse_iso(row["updated_at"])


def _profile_check(row: _Row) -> bool:
    for key, value in row["profile"].items():
        if type(value) is not str or type(key) is not str:
            return False
    return True


def _tuple_only(row: _Row) -> tuple[Any, ...]:
    profile = row["profile"]
    for key, value in profile.items():
        if type(value) is not str or type(key) is not str:
            raise TypeError(key)
    return (
        row["customer_id"],
        row.get("unique_value"),
        profile,
        _parse_iso(row["created_at"]),
        _parse_iso(row["updated_at"]),
    )


def measure(rounds: int) -> dict[str, float]:
    """Median nanoseconds per customer of every variant, rounds interleaved."""
    rows: list[_Row] = orjson.loads(synthetic_page(1000))["customers"]
    hook = converter.get_structure_hook(Customer)
    variants: dict[str, Callable[[_Row], Any]] = {
        "sdk hook": lambda row: hook(row, Customer),
        "no checks": _no_checks,
        "object.__new__": _new_only,
        "object.__new__ + 6 slot setters": _new_and_set,
        "2 x timestamp parse": _timestamps,
        "profile str check (5 values)": _profile_check,
        "tuple only (checks, no model)": _tuple_only,
    }
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, variant in variants.items():
            started = time.perf_counter()
            for _ in range(10):
                for row in rows:
                    variant(row)
            samples[name].append((time.perf_counter() - started) / (10 * len(rows)) * 1e9)
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    for name, ns in measure(args.rounds).items():
        print(f"{name:34} {ns:7.0f} ns")


if __name__ == "__main__":
    main()
