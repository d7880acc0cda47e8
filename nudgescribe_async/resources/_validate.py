"""Argument checks shared by the resources; each raises RequestValidationError before any I/O.

Every check names the offending argument, returns the value in the form the wire wants, and
does nothing else: resources call them first, then build the body, then send.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Literal

from nudgescribe_async._config import to_client_timeout
from nudgescribe_async._contract import FIELD_NAME_PATTERN, MAX_PAGE_SIZE
from nudgescribe_async._errors import ConfigurationError, RequestValidationError
from nudgescribe_async._outgoing import MAX_INT
from nudgescribe_async._types import NotGiven
from nudgescribe_async.models import FieldType, is_valid_field_format, is_valid_field_name

__all__ = [
    "given",
    "optional_page",
    "optional_page_size",
    "require_concurrency",
    "require_field_format",
    "require_field_name",
    "require_id",
    "require_ids",
    "require_int",
    "require_page",
    "require_page_size",
    "require_run_number",
    "require_seconds",
    "require_text",
    "require_timeout",
]


def given(**values: Any) -> dict[str, Any]:
    """Return ``values`` without the ones left at ``NOT_GIVEN`` (optional keys not sent)."""
    return {k: v for k, v in values.items() if not isinstance(v, NotGiven)}


def require_text(argument: str, value: object) -> str:
    """A non-blank string (names, descriptions that must say something)."""
    if not isinstance(value, str) or not value.strip():
        raise RequestValidationError(argument, f"must be a non-empty string, got {value!r}")
    return value


def require_id(argument: str, value: object) -> str:
    """A non-empty id string (ids are opaque; the server judges their format)."""
    return require_text(argument, value)


def require_ids(argument: str, values: object) -> list[str]:
    """A non-empty collection of ids, duplicates dropped (first occurrence kept)."""
    # A lone string is iterable too, and would become one id per character.
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise RequestValidationError(argument, f"must be a list of ids, got {values!r}")
    try:
        ids = list(dict.fromkeys(values))
    except TypeError:  # an unhashable item: certainly not an id string
        raise RequestValidationError(argument, "items must be id strings") from None
    if not ids:
        raise RequestValidationError(argument, "must contain at least one id")
    for index, item in enumerate(ids):
        if not isinstance(item, str) or not item.strip():
            raise RequestValidationError(
                argument, f"item {index} must be a non-empty string, got {item!r}"
            )
    return ids


def require_int(argument: str, value: object, low: int, high: int | None = None) -> int:
    """An int (not a bool) within ``low..high`` (``high`` defaults to the 64-bit maximum)."""
    top = MAX_INT if high is None else high
    in_range = isinstance(value, int) and not isinstance(value, bool) and low <= value <= top
    if not in_range:
        bounds = f"between {low} and {top}"
        raise RequestValidationError(argument, f"must be an integer {bounds}, got {value!r}")
    assert isinstance(value, int)
    return value


def require_page(value: object, argument: str = "page") -> int:
    """A 1-based page number."""
    return require_int(argument, value, 1)


def require_page_size(value: object, argument: str = "page_size") -> int:
    """A page size the contract allows (1..1000)."""
    return require_int(argument, value, 1, MAX_PAGE_SIZE)


def optional_page(value: int | NotGiven) -> int | NotGiven:
    """``require_page`` unless the caller left it out."""
    return value if isinstance(value, NotGiven) else require_page(value)


def optional_page_size(value: int | NotGiven) -> int | NotGiven:
    """``require_page_size`` unless the caller left it out."""
    return value if isinstance(value, NotGiven) else require_page_size(value)


def require_concurrency(value: object) -> int | Literal["auto"]:
    """At least one page or batch in flight, or ``"auto"`` (adaptive)."""
    if value == "auto":
        return "auto"
    return require_int("concurrency", value, 1)


def require_run_number(value: object) -> int | None:
    """``None`` (the current run) or a 1-based run number."""
    return None if value is None else require_int("run_number", value, 1)


def require_seconds(argument: str, value: object, *, allow_zero: bool = False) -> float:
    """A finite, positive (or, with ``allow_zero``, non-negative) number of seconds."""
    ok = (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and (value >= 0 if allow_zero else value > 0)
    )
    if not ok:
        sign = "non-negative" if allow_zero else "positive"
        raise RequestValidationError(argument, f"must be a {sign} number of seconds, got {value!r}")
    assert isinstance(value, (int, float))
    return float(value)


def require_timeout(value: object, argument: str = "timeout") -> None:
    """A per-request timeout: NOT_GIVEN/None (client default), seconds or a ClientTimeout."""
    if isinstance(value, NotGiven) or value is None:
        return
    try:
        to_client_timeout(value)  # type: ignore[arg-type]  # checking an unknown object
    except ConfigurationError as exc:
        raise RequestValidationError(argument, str(exc)) from None


def require_field_name(value: object, argument: str = "field_name") -> str:
    """A profile field machine key, ``^[a-z][a-z0-9_]{0,62}$`` (``FIELD_NAME_PATTERN``)."""
    if not isinstance(value, str) or not is_valid_field_name(value):
        raise RequestValidationError(
            argument, f"must match ^{FIELD_NAME_PATTERN}$ (e.g. 'first_name'), got {value!r}"
        )
    return value


def require_field_format(field_type: object, field_format: object) -> None:
    """``Date`` needs one of the 14 date formats and ``currency`` an ISO 4217 code."""
    if not isinstance(field_type, str) or not field_type:
        raise RequestValidationError(
            "field_type", f"must be a FieldType or string, got {field_type!r}"
        )
    fmt = None if isinstance(field_format, NotGiven) else field_format
    if fmt is not None and not isinstance(fmt, str):
        raise RequestValidationError("field_format", f"must be a string, got {fmt!r}")
    if not is_valid_field_format(field_type, fmt):
        expected = (
            "one of the 14 date formats, e.g. 'yyyy-MM-dd'"
            if field_type == FieldType.DATE
            else "an ISO 4217 code such as 'USD'"
        )
        raise RequestValidationError(
            "field_format", f"a {field_type} field needs {expected}, got {field_format!r}"
        )
