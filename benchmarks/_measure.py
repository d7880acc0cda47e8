"""What every suite of the runner shares: interleaved rounds, medians and target results.

Each comparison runs its variants in turn within every round (so a burst of machine noise
lands on all of them), keeps one sample per variant per round, and reports medians. A
:class:`Result` carries the measured ratio, the target from the issue's table, and the much
looser *guard* that ``--quick`` enforces: a ratio beyond the guard is a regression, anything
between target and guard is only reported.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import attrs


@attrs.define
class Result:
    """One measured ratio with its target (``None``: reported only) and regression guard."""

    name: str
    ratio: float
    target: float | None
    guard: float | None
    unit: str = "x"
    details: dict[str, Any] = attrs.field(factory=dict)

    @property
    def status(self) -> str:
        """``ok`` (target met), ``miss`` (between target and guard), ``FAIL`` (beyond guard)."""
        if self.guard is not None and self.ratio > self.guard:
            return "FAIL"
        if self.target is not None and self.ratio > self.target:
            return "miss"
        return "ok"


def medians(samples: dict[str, list[float]]) -> dict[str, float]:
    """The median of each variant's samples."""
    return {name: statistics.median(values) for name, values in samples.items()}


def interleave(
    rounds: int,
    bodies: dict[str, Callable[[], Any]],
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, list[float]]:
    """Run each body once per round, in turn; return every variant's samples (seconds)."""
    samples: dict[str, list[float]] = {name: [] for name in bodies}
    for _ in range(rounds):
        for name, body in bodies.items():
            started = clock()
            body()
            samples[name].append(clock() - started)
    return samples


async def ainterleave(
    rounds: int, bodies: dict[str, Callable[[], Awaitable[Any]]]
) -> dict[str, list[float]]:
    """:func:`interleave` for coroutine functions (wall time)."""
    samples: dict[str, list[float]] = {name: [] for name in bodies}
    for _ in range(rounds):
        for name, body in bodies.items():
            started = time.perf_counter()
            await body()
            samples[name].append(time.perf_counter() - started)
    return samples


def ratio_of_medians(samples: dict[str, list[float]], top: str, bottom: str) -> float:
    """median(top) / median(bottom)."""
    med = medians(samples)
    return med[top] / med[bottom]


def ms(samples: dict[str, list[float]]) -> dict[str, float]:
    """Medians in milliseconds, rounded for the JSON file."""
    return {name: round(value * 1e3, 4) for name, value in medians(samples).items()}
