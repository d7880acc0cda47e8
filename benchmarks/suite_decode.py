"""Decoding one 1000-customer page: the SDK vs pydantic v2 vs ``orjson.loads`` alone.

Every variant starts from the same JSON bytes: ``orjson.loads`` + ``structure_response`` into
``CustomerPage`` (the SDK), ``model_validate_json`` of equivalent pydantic v2 models (extra
keys allowed and kept, timestamps parsed) and ``orjson.loads`` alone. Two pages: every key
known, and every customer carrying one key the SDK does not model (kept in ``.extra``; kept by
pydantic too). Samples are thread CPU time, so other processes' load does not count.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any

import orjson
import pydantic
from _measure import Result, interleave, ms, ratio_of_medians

from nudgescribe_async._convert import structure_response
from nudgescribe_async.models import CustomerPage

_FIELDS = ("email", "first_name", "last_name", "city", "tier")


class PydanticCustomer(pydantic.BaseModel):
    """The pydantic twin of ``Customer``."""

    model_config = pydantic.ConfigDict(extra="allow", frozen=True)
    customer_id: str
    unique_value: str | None = None
    profile: dict[str, str] = {}
    created_at: datetime | None = None
    updated_at: datetime | None = None


class PydanticPage(pydantic.BaseModel):
    """The pydantic twin of ``CustomerPage``."""

    model_config = pydantic.ConfigDict(extra="allow", frozen=True)
    page: int
    customers: list[PydanticCustomer]
    page_size: int | None = None
    total_pages: int | None = None


def synthetic_page(customers: int, *, unknown_key: bool = False) -> bytes:
    """A contract-shaped ``POST /v1/customer`` body with ``customers`` customers."""
    rows: list[dict[str, Any]] = []
    for i in range(customers):
        row: dict[str, Any] = {
            "customer_id": str(uuid.UUID(int=i)),
            "unique_value": f"user{i}@example.com",
            "profile": {name: f"enc:v1:{name}:{i:08d}:QUJDREVGR0hJSktM" for name in _FIELDS},
            "created_at": "2026-01-02T03:04:05Z",
            "updated_at": "2026-03-04T05:06:07.123456Z",
        }
        if unknown_key:
            row["loyalty_tier"] = i % 5
        rows.append(row)
    return orjson.dumps(
        {"success": True, "page": 1, "page_size": customers, "total_pages": 7, "customers": rows}
    )


def run(rounds: int) -> list[Result]:
    """Measure both pages; return the four decode results of the issue's table."""
    results = []
    for label, unknown, vs_pydantic, vs_loads in (
        ("known keys", False, 0.75, 2.8),
        ("one unknown key each", True, 0.85, 3.3),
    ):
        raw = synthetic_page(1000, unknown_key=unknown)
        sdk_page = structure_response(orjson.loads(raw), CustomerPage)
        pyd_page = PydanticPage.model_validate_json(raw)
        assert len(sdk_page.customers) == len(pyd_page.customers) == 1000
        if unknown:
            assert sdk_page.customers[0].extra == {"loyalty_tier": 0}
            assert pyd_page.customers[0].model_extra == {"loyalty_tier": 0}
        samples = interleave(
            rounds,
            {
                "sdk": lambda raw=raw: structure_response(orjson.loads(raw), CustomerPage),
                "pydantic": lambda raw=raw: PydanticPage.model_validate_json(raw),
                "orjson": lambda raw=raw: orjson.loads(raw),
            },
            clock=time.thread_time,
        )
        details = {"median_ms": ms(samples), "rounds": rounds}
        results.append(
            Result(
                f"decode 1000 customers ({label}) vs pydantic v2",
                ratio_of_medians(samples, "sdk", "pydantic"),
                vs_pydantic,
                vs_pydantic * 2,
                details=details,
            )
        )
        results.append(
            Result(
                f"decode 1000 customers ({label}) vs orjson.loads",
                ratio_of_medians(samples, "sdk", "orjson"),
                vs_loads,
                vs_loads * 2,
                details=details,
            )
        )
    return results
