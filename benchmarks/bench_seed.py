"""Synthetic seeding speed: ``seed_customers(count=N)`` as shipped vs the previous code paths.

Run: ``python -W error benchmarks/bench_seed.py [--count 200000] [--rounds 5]``

Interleaves rounds of the shipped seeding and of the previous implementation (ids built as
``uuid.UUID`` objects, every synthetic date formatted with ``strftime``), patched in for the
"before" rounds, on fresh servers with the same fields; prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from unittest import mock

from nudgescribe_async.testing import ReferenceServer, _seeding
from nudgescribe_async.testing._state import State
from nudgescribe_async.testing._validation import DATE_PARSERS


def _old_new_id(self: State) -> str:
    return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def _old_date_text(spec: object, index: int) -> str:
    directive = DATE_PARSERS[getattr(spec, "field_format", None) or "yyyy-MM-dd"][1]
    return (date(1970, 1, 1) + timedelta(days=(index * 37) % 18000)).strftime(directive)


@contextmanager
def _previous() -> Iterator[None]:
    with (
        mock.patch.object(State, "new_id", _old_new_id),
        mock.patch.object(_seeding, "_date_text", _old_date_text),
    ):
        yield


@contextmanager
def _shipped() -> Iterator[None]:
    yield


async def _one(count: int, variant: Callable[[], object]) -> float:
    async with ReferenceServer() as server:
        ws = server.seed_workspace("Seed")
        server.seed_profile_field(ws.workspace_id, "email", is_unique=True)
        server.seed_profile_field(ws.workspace_id, "tier")
        server.seed_profile_field(ws.workspace_id, "joined", "Date", field_format="dd/MM/yyyy")
        group = server.seed_group(ws.workspace_id, "All")
        with variant():  # type: ignore[attr-defined]
            started = time.perf_counter()
            server.seed_customers(group.customer_group_id, count=count)
            return time.perf_counter() - started


def main() -> None:
    """Interleave shipped and previous seeding rounds; print medians and their ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"shipped": [], "previous": []}
    for _ in range(args.rounds):
        times["previous"].append(asyncio.run(_one(args.count, _previous)))
        times["shipped"].append(asyncio.run(_one(args.count, _shipped)))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"seed_customers(count={args.count:,}) {name:>8}: median {value:.2f} s")
    print(f"previous / shipped: {medians['previous'] / medians['shipped']:.2f}x")


if __name__ == "__main__":
    main()
