"""Import time: ``import nudgescribe_sync`` vs ``import aiohttp``, each in a fresh interpreter.

Each sample is one subprocess that times only the import statement (``perf_counter`` around
it), so interpreter start-up is not counted; the two imports alternate round by round.
"""

from __future__ import annotations

import subprocess
import sys

from _measure import Result

_PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def _import_seconds(module: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(out.strip())


def run(rounds: int) -> list[Result]:
    """Alternate the two imports ``rounds`` times; compare medians."""
    samples: dict[str, list[float]] = {"nudgescribe_sync": [], "aiohttp": []}
    for _ in range(rounds):
        for module in samples:
            samples[module].append(_import_seconds(module))
    med = {k: sorted(v)[len(v) // 2] for k, v in samples.items()}
    return [
        Result(
            "import nudgescribe_sync vs import aiohttp",
            med["nudgescribe_sync"] / med["aiohttp"],
            1.30,
            2.5,
            details={"median_ms": {k: round(v * 1e3, 1) for k, v in med.items()}, "rounds": rounds},
        )
    ]
