"""The benchmark runner: every speed target of the SDK, side by side, in one run.

Run from the repository root::

    python -m benchmarks                 # full run (a few minutes)
    python -m benchmarks --quick         # under a minute; the CI regression guard
    python benchmarks/run.py --quick --json result.json --only decode,sync

Each measure prints the medians it compared, the ratio, its target and its guard. The exit
status is 1 only when some ratio is beyond its *guard* - a margin well past the target that
absorbs the noise of a shared machine - so ``--quick`` catches regressions, never noise. A
ratio between target and guard is reported as ``miss``. The JSON file (default
``benchmarks/results/latest.json``, not committed) holds every measure with its details.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import suite_decode
import suite_http
import suite_import
import suite_sync
from _measure import Result

SUITES: dict[str, Callable[[bool], list[Result]]] = {
    "decode": lambda quick: suite_decode.run(25 if quick else 150),
    "http": lambda quick: asyncio.run(suite_http.run(quick)),
    "sync": suite_sync.run,
    "import": lambda quick: suite_import.run(5 if quick else 15),
}
_DEFAULT_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "latest.json")


def main(argv: list[str] | None = None) -> int:
    """Run the selected suites, print the table, write the JSON file; 1 if a guard failed."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds (under a minute)")
    parser.add_argument("--json", default=_DEFAULT_JSON, help="where to write the results")
    parser.add_argument(
        "--only",
        default=",".join(SUITES),
        help=f"comma-separated suites (default: {','.join(SUITES)})",
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(unknown)}")
    started = time.perf_counter()
    results: list[tuple[str, Result]] = []
    for name in chosen:
        suite_started = time.perf_counter()
        for result in SUITES[name](args.quick):
            results.append((name, result))
            _print(result)
        print(f"   ({name}: {time.perf_counter() - suite_started:.1f} s)", flush=True)
    elapsed = time.perf_counter() - started
    _write_json(args.json, results, args.quick, elapsed)
    failed = [r for _, r in results if r.status == "FAIL"]
    missed = [r for _, r in results if r.status == "miss"]
    print(
        f"{len(results)} measures in {elapsed:.1f} s: {len(failed)} beyond guard, "
        f"{len(missed)} short of target; results in {args.json}"
    )
    return 1 if failed else 0


def _print(result: Result) -> None:
    target = "-" if result.target is None else f"<= {result.target:g}"
    guard = "-" if result.guard is None else f"<= {result.guard:g}"
    medians = {k: v for k, v in result.details.items() if k.startswith(("median", "wall"))}
    print(
        f"[{result.status:>4}] {result.name}: {result.ratio:.2f} {result.unit} "
        f"(target {target}, guard {guard}) {json.dumps(medians)}",
        flush=True,
    )


def _write_json(path: str, results: list[tuple[str, Result]], quick: bool, elapsed: float) -> None:
    payload: dict[str, Any] = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "quick": quick,
        "seconds": round(elapsed, 1),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "results": [
            {
                "suite": suite,
                "name": r.name,
                "ratio": round(r.ratio, 4),
                "unit": r.unit,
                "target": r.target,
                "guard": r.guard,
                "status": r.status,
                "details": r.details,
            }
            for suite, r in results
        ],
    }
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    sys.exit(main())
