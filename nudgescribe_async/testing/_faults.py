"""Programmable fault injection, per path (``fnmatch`` patterns allowed) and optional method.

Kinds:

* ``latency`` -- sleep ``seconds`` and then answer normally.
* ``fail`` -- answer ``status`` with the contract's error body (or ``body`` verbatim).
* ``rate_limit`` -- answer 429 with ``Retry-After: <retry_after>``.
* ``drop`` -- close the connection without any response.
* ``drop_after`` -- handle the request (it takes effect), then close the connection without
  sending the answer: the client cannot tell whether it happened.
* ``truncate`` -- send headers with a Content-Length larger than the body, then close.
* ``hang`` -- never answer (until the client gives up or the server shuts down).
* ``concurrency_limit`` -- a standing rule: answer 429 (``Retry-After: <retry_after>``) to a
  matching request that arrives while ``limit`` matching requests are already being served,
  as a service with a concurrency quota does. ``in_flight`` and ``peak`` show the load and
  ``hits`` counts the refusals.

Counted rules (``times=N``) are consumed in the order added: each request matching a path uses
the first matching rule that has uses left, and exhausted rules disappear. A rule added with
``times=None`` is *standing*: a standing ``latency`` rule delays every matching request (on top
of whatever counted rule applies), which is what pager benchmarks need::

    server.faults.add("/v1/customer", kind="latency", seconds=0.02, times=None)
    server.faults.add("/v1/customer/pages", kind="fail", status=503, times=2)
    server.faults.add("/v1/messages/fetch", kind="rate_limit", retry_after=1)
    server.faults.add("/v1/customer", kind="concurrency_limit", limit=8, times=None)
    rule = server.faults.add("/v1/*", kind="drop")
    server.faults.remove(rule)
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["FaultKind", "FaultRule", "Faults"]

FaultKind = Literal[
    "latency",
    "fail",
    "rate_limit",
    "drop",
    "drop_after",
    "truncate",
    "hang",
    "concurrency_limit",
]
_KINDS = (
    "latency",
    "fail",
    "rate_limit",
    "drop",
    "drop_after",
    "truncate",
    "hang",
    "concurrency_limit",
)


@dataclass
class FaultRule:
    """One fault rule; ``remaining`` is None for standing rules; ``hits`` counts uses."""

    path: str
    kind: FaultKind
    method: str | None = None
    remaining: int | None = 1
    status: int = 500
    seconds: float = 0.0
    retry_after: float | int = 1
    body: Any = None
    error_code: str | None = None
    message: str | None = None
    hits: int = 0
    limit: int = 0
    in_flight: int = 0
    peak: int = 0

    def matches(self, method: str, path: str) -> bool:
        """True when the rule applies to a request ``method`` ``path``."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path == path or fnmatch.fnmatchcase(path, self.path)


class Faults:
    """The ordered fault rules of one server (``server.faults``)."""

    def __init__(self) -> None:
        """Start with no rules."""
        self.rules: list[FaultRule] = []

    def add(
        self,
        path: str,
        *,
        kind: FaultKind = "fail",
        method: str | None = None,
        times: int | None = 1,
        status: int = 500,
        seconds: float = 0.0,
        retry_after: float | int = 1,
        body: Any = None,
        error_code: str | None = None,
        message: str | None = None,
        limit: int = 0,
    ) -> FaultRule:
        """Add a rule and return it (keep it to :meth:`remove` it or read ``hits``).

        ``body`` (any JSON value) replaces the error body of ``fail``; ``seconds`` is the
        ``latency`` delay; ``times=None`` makes a standing rule; ``limit`` is the in-flight
        allowance of ``concurrency_limit`` (always a standing rule).
        """
        if kind not in _KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {_KINDS}")
        if kind == "concurrency_limit" and (
            times is not None or isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
        ):
            raise ValueError("concurrency_limit needs limit >= 1 and times=None")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for a standing rule)")
        rule = FaultRule(
            path=path,
            kind=kind,
            method=method,
            remaining=times,
            status=status,
            seconds=seconds,
            retry_after=retry_after,
            body=body,
            error_code=error_code,
            message=message,
            limit=limit,
        )
        self.rules.append(rule)
        return rule

    def remove(self, rule: FaultRule) -> None:
        """Remove ``rule`` if still present."""
        if rule in self.rules:
            self.rules.remove(rule)

    def clear(self) -> None:
        """Remove every rule."""
        self.rules.clear()

    def match(self, method: str, path: str) -> tuple[float, FaultRule | None]:
        """Return (standing latency, consumed counted rule or None) for one request."""
        if not self.rules:
            return 0.0, None
        standing = 0.0
        chosen: FaultRule | None = None
        for rule in self.rules:
            if rule.kind == "concurrency_limit" or not rule.matches(method, path):
                continue
            if rule.remaining is None and rule.kind == "latency":
                standing += rule.seconds
                rule.hits += 1
            elif chosen is None:
                chosen = rule
                rule.hits += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
        if chosen is not None and chosen.remaining == 0:
            self.rules.remove(chosen)
        return standing, chosen

    def limits(self, method: str, path: str) -> list[FaultRule]:
        """The ``concurrency_limit`` rules that apply to one request."""
        return [
            rule
            for rule in self.rules
            if rule.kind == "concurrency_limit" and rule.matches(method, path)
        ]
