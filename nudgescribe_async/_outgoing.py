"""Everything a request carries, checked and encoded once, before any I/O (not even auth).

The transport calls :func:`prepare` first thing for every :class:`RequestSpec`, so a value that
cannot go on the wire raises :class:`RequestValidationError` naming where it is
(``extra_body: $.tags[2]: ...``) and never costs a request, an authentication included.

JSON rules (one place, every body: resource bodies, ``extra_body``, upload records, models):

* ``str`` (valid Unicode: no lone surrogates), ``bool``, ``None``, ``int`` within 64 bits
  (``-2**63 .. 2**64-1``), finite ``float``; mappings with ``str`` keys, lists and tuples.
* ``float('nan')`` and ``±inf`` are refused: JSON has no such numbers, and sending ``null``
  instead would *clear* a value on this API.
* ``decimal.Decimal`` is sent as its exact decimal text in plain notation (``Decimal("12.50")``
  -> ``"12.50"``): the API takes amounts as decimal strings, and a float would round them.
  A NaN or infinite ``Decimal`` is refused.
* ``bytes`` are refused (decode them to ``str`` first): the API has no binary JSON values.
* Enum members are sent as their value; ``datetime``/``date``/``time`` and ``UUID`` as
  RFC 3339 / canonical text; :class:`~nudgescribe_async._secrets.Secret` as its value.
* Anything else (sets, objects, dataclasses, nesting deeper than :data:`MAX_BODY_DEPTH`) is
  refused.

Headers: names are HTTP tokens; values are ``str`` without control characters other than tab
(CR, LF, NUL and the rest that aiohttp refuses: no header injection).
"""

from __future__ import annotations

import enum
import math
import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final

import attrs
import orjson

from ._errors import RequestValidationError
from ._secrets import Secret

__all__ = [
    "MAX_BODY_DEPTH",
    "MAX_INT",
    "MIN_INT",
    "Encoded",
    "check_headers",
    "check_method",
    "encode_json",
    "form_text",
    "header_value_ok",
    "require_mapping",
]

#: Largest page or run number (signed 64 bits).
MAX_INT: Final = 2**63 - 1
MIN_INT: Final = -(2**63)
#: Largest integer a JSON body may carry (unsigned 64 bits, as orjson encodes).
MAX_JSON_INT: Final = 2**64 - 1
#: Deeper bodies are refused (orjson's own limit; also catches a mapping that contains itself).
MAX_BODY_DEPTH: Final = 254

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# The set aiohttp refuses when it writes a header (every C0 control but tab, and DEL).
_BAD_HEADER_CHARS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_NATIVE = (datetime, date, time, uuid.UUID)


@attrs.frozen
class Encoded:
    """An encoded JSON body; its ``repr`` never shows the bytes (they may hold credentials)."""

    body: bytes = attrs.field(repr=False)


def check_method(method: object) -> str:
    """An HTTP method token such as ``"POST"``, upper-cased."""
    if not isinstance(method, str) or not _TOKEN.fullmatch(method):
        raise RequestValidationError(
            "method", f"must be an HTTP method such as 'GET', got {method!r}"
        )
    return method.upper()


def require_mapping(argument: str, value: object) -> Mapping[str, Any]:
    """``value`` if it is a mapping (``None`` -> empty)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RequestValidationError(argument, f"must be a mapping, got {type(value).__name__}")
    return value


def check_headers(value: object, argument: str = "extra_headers") -> dict[str, str | Secret]:
    """Header names that are HTTP tokens and ``str`` values without control characters."""
    result: dict[str, str | Secret] = {}
    for name, item in require_mapping(argument, value).items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise RequestValidationError(
                argument, f"header name must be an HTTP token, got {name!r}"
            )
        text = item.reveal() if isinstance(item, Secret) else item
        if not isinstance(text, str):
            raise RequestValidationError(
                argument, f"header {name!r} must be a str, got {type(item).__name__}"
            )
        if _BAD_HEADER_CHARS.search(text):
            raise RequestValidationError(
                argument, f"header {name!r} must not contain control characters (CR, LF, NUL, ...)"
            )
        result[name] = item
    return result


def header_value_ok(text: str) -> bool:
    """Whether ``text`` can be a header value (no control character but tab)."""
    return _BAD_HEADER_CHARS.search(text) is None


def encode_json(value: Mapping[str, Any], argument: str = "body") -> Encoded:
    """Check ``value`` against the JSON rules (module docstring) and encode it once.

    The common case costs one ``orjson.dumps``: only a body that orjson refuses, or whose
    output holds a ``null`` (which a NaN would also become), is walked in Python to find and
    name the offending value.
    """
    try:
        raw = orjson.dumps(value, default=_default, option=orjson.OPT_PASSTHROUGH_DATACLASS)
    except TypeError:  # orjson.JSONEncodeError included
        _jsonable(value, argument, "$", 0)  # raises, naming where the value is
        raise RequestValidationError(argument, "cannot be sent as JSON") from None
    if b"null" in raw and _has_non_finite(value):
        _jsonable(value, argument, "$", 0)  # raises, naming where the value is
    return Encoded(raw)


def _default(value: Any) -> Any:
    """What orjson cannot encode by itself: secrets, decimals, other mappings."""
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f")
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(type(value).__name__)


def _has_non_finite(value: Any) -> bool:
    """Whether a NaN or infinite float hides anywhere in ``value`` (no paths: fast)."""
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        for item in node.values() if isinstance(node, Mapping) else node:
            kind = type(item)
            if kind is str or kind is int or kind is bool or item is None:
                continue
            if kind is float:
                if item - item != 0:  # NaN or ±inf
                    return True
            elif isinstance(item, (Mapping, list, tuple)):
                stack.append(item)
            elif isinstance(item, float) and not math.isfinite(item):
                return True
    return False


def form_text(argument: str, value: object) -> str:
    """A scalar as multipart form text (``bool`` as ``true``/``false``), by the JSON rules."""
    if isinstance(value, bool):
        return "true" if value else "false"
    checked = _jsonable(value, argument, "$", 0)
    if isinstance(checked, (dict, list)) or checked is None:
        raise RequestValidationError(
            argument,
            f"form fields must be scalars (str, int, float, Decimal), got {type(value).__name__}",
        )
    return checked if isinstance(checked, str) else str(checked)


def _refuse(argument: str, path: str, problem: str) -> RequestValidationError:
    return RequestValidationError(argument, f"{path}: {problem}")


def _jsonable(value: Any, argument: str, path: str, depth: int) -> Any:
    kind = type(value)
    if kind is str:
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise _refuse(
                    argument, path, "string is not valid Unicode (lone surrogate)"
                ) from None
        return value
    if value is None or kind is bool:
        return value
    if kind is int:
        if not MIN_INT <= value <= MAX_JSON_INT:
            raise _refuse(argument, path, "integer does not fit in 64 bits")
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _refuse(
                argument, path, f"{value!r} is not a JSON number (NaN and infinity are refused)"
            )
        return value
    if depth >= MAX_BODY_DEPTH:
        raise _refuse(
            argument, path, f"nested deeper than {MAX_BODY_DEPTH} levels (or contains itself)"
        )
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _refuse(argument, path, f"keys must be str, got {key!r}")
            result[_jsonable(key, argument, path, depth + 1)] = _jsonable(
                item, argument, f"{path}.{key}", depth + 1
            )
        return result
    if isinstance(value, (list, tuple)):
        return [
            _jsonable(item, argument, f"{path}[{index}]", depth + 1)
            for index, item in enumerate(value)
        ]
    return _jsonable_other(value, argument, path, depth)


def _jsonable_other(value: Any, argument: str, path: str, depth: int) -> Any:
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, enum.Enum):
        return _jsonable(value.value, argument, path, depth + 1)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return _jsonable(int(value), argument, path, depth)
    if isinstance(value, float):
        return _jsonable(float(value), argument, path, depth)
    if isinstance(value, str):
        return _jsonable(str(value), argument, path, depth)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _refuse(argument, path, f"{value!r} is not a JSON number")
        return format(value, "f")
    if isinstance(value, _NATIVE):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise _refuse(argument, path, "bytes are not sent as JSON; decode them to str first")
    if isinstance(value, (set, frozenset)):
        raise _refuse(argument, path, "a set has no order; pass a list")
    raise _refuse(argument, path, f"a {type(value).__name__} cannot be sent as JSON")
