"""Decode cost of one 1000-customer page: orjson alone vs orjson + structuring.

Run: ``.venv/bin/python benchmarks/bench_decode.py [--repeat 200] [--customers 1000]``

Prints milliseconds per page (best of several rounds, to dampen noise on a shared machine)
for ``orjson.loads`` alone and for ``orjson.loads`` + ``structure_response(..., CustomerPage)``,
and their ratio. Also times the datetime-parsing share, the SDK converter with cattrs' detailed
validation off, and a stock cattrs preconf orjson converter (no extras, lenient primitives),
the comparisons behind the converter's choices (results in benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import timeit
import uuid
from collections.abc import Callable
from typing import Any

import orjson
from cattrs.preconf.orjson import make_converter as make_stock_converter

from nudgescribe_async._convert import converter, make_converter, structure_response
from nudgescribe_async.models import CustomerPage

_FIELDS = ("email", "first_name", "last_name", "city", "tier")


def synthetic_page(customers: int) -> bytes:
    """A contract-shaped ``POST /v1/customer`` body with ``customers`` customers."""
    rows = [
        {
            "customer_id": str(uuid.UUID(int=i)),
            "unique_value": f"user{i}@example.com",
            "profile": {name: f"enc:v1:{name}:{i:08d}:QUJDREVGR0hJSktM" for name in _FIELDS},
            "created_at": "2026-01-02T03:04:05Z",
            "updated_at": "2026-03-04T05:06:07.123456Z",
        }
        for i in range(customers)
    ]
    body = {"success": True, "page": 1, "page_size": customers, "total_pages": 7, "customers": rows}
    return orjson.dumps(body)


def best_ms(func: Callable[[], Any], repeat: int) -> float:
    """Best per-call time in milliseconds over five rounds of ``repeat`` calls."""
    rounds = timeit.repeat(func, number=repeat, repeat=5)
    return min(rounds) / repeat * 1000


def main() -> None:
    """Run the measurements and print a small report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--customers", type=int, default=1000)
    args = parser.parse_args()
    raw = synthetic_page(args.customers)
    decoded = orjson.loads(raw)
    fast = make_converter(detailed_validation=False)
    stock = make_stock_converter()
    without_dates = _strip_dates(decoded)

    loads_ms = best_ms(lambda: orjson.loads(raw), args.repeat)
    full_ms = best_ms(lambda: structure_response(orjson.loads(raw), CustomerPage), args.repeat)
    structure_ms = best_ms(lambda: converter.structure(decoded, CustomerPage), args.repeat)
    no_dates_ms = best_ms(lambda: converter.structure(without_dates, CustomerPage), args.repeat)
    fast_ms = best_ms(lambda: fast.structure(decoded, CustomerPage), args.repeat)
    stock_ms = best_ms(lambda: stock.structure(decoded, CustomerPage), args.repeat)

    print(f"page: {args.customers} customers, {len(raw)} bytes of JSON")
    print(f"orjson.loads alone                 {loads_ms:7.3f} ms/page")
    print(
        f"orjson.loads + structure           {full_ms:7.3f} ms/page  "
        f"(ratio {full_ms / loads_ms:.2f}x)"
    )
    print(f"  structure only                   {structure_ms:7.3f} ms/page")
    print(
        f"  structure, timestamps absent     {no_dates_ms:7.3f} ms/page  "
        f"(datetime parsing ~{structure_ms - no_dates_ms:.3f} ms)"
    )
    print(f"  structure, no detailed validation{fast_ms:7.3f} ms/page")
    print(f"  stock cattrs preconf converter   {stock_ms:7.3f} ms/page")


def _strip_dates(body: dict[str, Any]) -> dict[str, Any]:
    customers = [{k: v for k, v in c.items() if not k.endswith("_at")} for c in body["customers"]]
    return {**body, "customers": customers}


if __name__ == "__main__":
    main()
