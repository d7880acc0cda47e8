"""The one cattrs converter: JSON <-> attrs models, and the helpers resources call.

:func:`make_converter` builds a cattrs *preconf orjson* converter and
:func:`configure_converter` changes it as follows:

* **Response models** (subclasses of :class:`~nudgescribe_async.models.Model`) get generated
  structure hooks that put unknown keys into ``extra`` (read-only) and drop the envelope key
  ``success``. A payload whose keys are all known takes a fast path (one ``issuperset`` test).
  Unstructuring merges ``extra`` back, so JSON -> model -> JSON keeps every key.
* **Request items** (other attrs classes, e.g. ``FieldUpdate``) unstructure without the
  attributes left at ``NOT_GIVEN``.
* **Primitives are strict**: ``str`` needs a JSON string, ``bool`` a JSON boolean, ``int`` a JSON
  integer (or a string of digits, as CSV exports carry); cattrs' default would call
  ``str(None)`` -> ``"None"``.
* ``list[X]`` needs a JSON array (cattrs would iterate a string or an object's keys).
* ``X | None`` gets a hook that tests ``None`` then calls X's hook (no per-value dispatch).
* ``SomeEnum | str`` (optionally ``| None``) structures a known value to its member - looked up
  case-insensitively for the status enums - and keeps an unknown string as is.
* ``datetime`` parses ISO 8601 with a trailing ``Z`` on every Python (3.10's
  ``fromisoformat`` rejects it) and passes ``datetime`` objects through.
* ``dict[str, str]`` (customer profiles) is checked and copied in one pass.

cattrs' detailed validation stays on (measured: no visible cost on the 1000-customer hot path,
see notes/decode-bench.md), so a failure carries the notes :func:`structure_response` turns into
a JSON path like ``$.customers[3].customer_id``.
"""

from __future__ import annotations

import enum
import sys
import types
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import orjson
from cattrs import Converter
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.orjson import OrjsonConverter
from cattrs.preconf.orjson import configure_converter as configure_orjson

from ._decode_errors import decode_error, walk
from ._errors import ResponseDecodeError
from ._redact import excerpt_raw
from ._types import NOT_GIVEN
from .models._base import Model
from .models.enums import _CaseInsensitiveStrEnum

__all__ = [
    "configure_converter",
    "converter",
    "loads",
    "make_converter",
    "structure_response",
    "unstructure_request",
]

T = TypeVar("T")
_Hook = Callable[[Any, Any], Any]

#: Envelope keys that are neither modelled nor kept in ``extra``.
_ENVELOPE_KEYS = frozenset({"success"})
_JSON_TYPE = {dict: "object", list: "array", str: "string", int: "integer", float: "number",
              bool: "boolean", type(None): "null"}


def make_converter(*, detailed_validation: bool = True, fast: bool = True) -> OrjsonConverter:
    """Return a new converter configured by :func:`configure_converter`.

    Keep ``detailed_validation`` on: error paths in ResponseDecodeError depend on it.
    ``fast=False`` leaves out the fast model hooks (the differential test's reference).
    """
    conv = OrjsonConverter(detailed_validation=detailed_validation)
    configure_orjson(conv)
    configure_converter(conv, fast=fast)
    return conv


def configure_converter(conv: Converter, *, fast: bool = True) -> None:
    """Register the SDK's hooks on ``conv`` (the list is in this module's docstring)."""
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_structure_hook_func(_is_str_dict, _structure_str_dict)
    conv.register_structure_hook_factory(_is_list, partial(_list_hook, conv=conv))
    conv.register_structure_hook_factory(_is_optional, partial(_optional_hook, conv=conv))
    conv.register_structure_hook_factory(lambda tp: _enum_of(tp) is not None, _enum_or_str_hook)
    conv.register_structure_hook_factory(_is_model, partial(_model_structure_hook, conv=conv))
    conv.register_unstructure_hook_factory(_is_model, partial(_model_unstructure_hook, conv=conv))
    conv.register_unstructure_hook_factory(_is_request_item, partial(_request_item_hook, conv=conv))


# --- strict primitives -------------------------------------------------------------------


def _type_error(expected: str, value: Any) -> TypeError:
    got = _JSON_TYPE.get(type(value), type(value).__name__)
    return TypeError(f"expected {expected}, got {got}")


def _structure_str(value: Any, _: Any) -> str:
    if isinstance(value, str):
        return value
    raise _type_error("string", value)


def _structure_bool(value: Any, _: Any) -> bool:
    if value is True or value is False:
        return value
    raise _type_error("boolean", value)


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is int:
        return value
    # CSV exports carry numbers as text; accept plain digit strings, nothing fancier.
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    raise _type_error("integer", value)


if sys.version_info >= (3, 11):
    _parse_iso: Callable[[str], datetime] = datetime.fromisoformat
else:  # pragma: no cover - 3.10's fromisoformat rejects a trailing "Z"

    def _parse_iso(text: str) -> datetime:
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        return datetime.fromisoformat(text)


def _structure_datetime(value: Any, _: Any) -> datetime:
    if type(value) is str:
        return _parse_iso(value)
    if isinstance(value, datetime):
        return value
    raise _type_error("ISO 8601 timestamp string", value)


# Optional strings and timestamps fill most model attributes: one call each, not two.
def _structure_optional_str(value: Any, _: Any) -> str | None:
    if value is None or type(value) is str:
        return value
    return _structure_str(value, str)


def _structure_optional_datetime(value: Any, _: Any) -> datetime | None:
    if value is None:
        return None
    if type(value) is str:
        return _parse_iso(value)
    return _structure_datetime(value, datetime)


_OPTIONAL_FAST_PATHS: dict[Any, _Hook] = {
    str: _structure_optional_str,
    datetime: _structure_optional_datetime,
}


def _is_str_dict(tp: Any) -> bool:
    return get_origin(tp) is dict and get_args(tp) == (str, str)


def _structure_str_dict(value: Any, _: Any) -> dict[str, str]:
    if type(value) is not dict and not isinstance(value, Mapping):
        raise _type_error("object", value)
    for key, item in value.items():
        if type(item) is not str or type(key) is not str:
            error = _type_error("string", item)
            _add_note(error, IterableValidationNote(f"@ key {key!r}", str(key), str))
            raise IterableValidationError("While structuring a dict", [error], dict)
    return dict(value)


# --- containers, optionals, tolerant enums ---------------------------------------------


def _is_list(tp: Any) -> bool:
    return get_origin(tp) is list


def _list_hook(tp: Any, conv: Converter) -> _Hook:
    (item_type,) = get_args(tp) or (Any,)
    item_hook = conv.get_structure_hook(item_type)

    def structure_list(value: Any, _: Any) -> list[Any]:
        if type(value) is not list:
            raise _type_error("array", value)
        try:
            return [item_hook(item, item_type) for item in value]
        except Exception:
            _raise_with_index(value, item_hook, item_type)
            raise

    return structure_list


def _add_note(exc: BaseException, note: str) -> None:
    # cattrs reads notes on 3.10 too, where BaseException.add_note does not exist yet.
    setattr(exc, "__notes__", [*getattr(exc, "__notes__", []), note])  # noqa: B010


def _raise_with_index(items: list[Any], item_hook: _Hook, item_type: Any) -> None:
    """Re-run a failed list item by item so the error names the failing index."""
    for index, item in enumerate(items):
        try:
            item_hook(item, item_type)
        except Exception as exc:
            _add_note(exc, IterableValidationNote(f"@ index {index}", index, item_type))
            raise IterableValidationError("While structuring a list", [exc], list) from None


def _union_args(tp: Any) -> tuple[Any, ...]:
    if get_origin(tp) in (Union, types.UnionType):
        return get_args(tp)
    return ()


def _is_optional(tp: Any) -> bool:
    args = _union_args(tp)
    return len(args) == 2 and type(None) in args


def _optional_hook(tp: Any, conv: Converter) -> _Hook:
    (inner,) = (arg for arg in get_args(tp) if arg is not type(None))
    if inner in _OPTIONAL_FAST_PATHS:
        return _OPTIONAL_FAST_PATHS[inner]
    inner_hook = conv.get_structure_hook(inner)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else inner_hook(value, inner)

    return structure_optional


def _enum_of(tp: Any) -> type[enum.Enum] | None:
    rest = [arg for arg in _union_args(tp) if arg is not type(None) and arg is not str]
    if len(rest) != 1 or str not in _union_args(tp):
        return None
    candidate = rest[0]
    if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
        return candidate
    return None


def _enum_or_str_hook(tp: Any) -> _Hook:
    enum_cls = _enum_of(tp)
    assert enum_cls is not None
    nullable = type(None) in get_args(tp)
    exact = {member.value: member for member in enum_cls}
    # Status enums override _missing_ to match any case; lookups by casefold mirror that.
    folds = issubclass(enum_cls, _CaseInsensitiveStrEnum)
    folded = {str(m.value).casefold(): m for m in enum_cls} if folds else {}

    def structure_enum_or_str(value: Any, _: Any) -> Any:
        if isinstance(value, str):
            member = exact.get(value)
            if member is None and folded:
                member = folded.get(value.casefold())
            return value if member is None else member
        if value is None and nullable:
            return None
        raise _type_error("string", value)

    return structure_enum_or_str


# --- models and request items ------------------------------------------------------------


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Model)


def _is_request_item(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and not issubclass(tp, Model)


def _model_structure_hook(cls: type[Model], conv: Converter) -> _Hook:
    generated = make_dict_structure_fn(cls, conv, extra=override(omit=True))
    fast_keys = frozenset(a.name for a in attrs.fields(cls) if a.name != "extra") | _ENVELOPE_KEYS

    def structure_model(data: Any, _: Any) -> Model:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise _type_error("object", data)
        obj = generated(data, cls)
        if fast_keys.issuperset(data):
            return obj
        extra = {key: value for key, value in data.items() if key not in fast_keys}
        # The instance is brand new and not yet shared: setting a frozen slot here is safe.
        object.__setattr__(obj, "extra", types.MappingProxyType(extra))
        return obj

    return structure_model


def _model_unstructure_hook(cls: type[Model], conv: Converter) -> Callable[[Any], Any]:
    generated = make_dict_unstructure_fn(cls, conv, extra=override(omit=True))

    def unstructure_model(obj: Model) -> dict[str, Any]:
        data: dict[str, Any] = generated(obj)
        for key, value in obj.extra.items():
            data.setdefault(key, value)
        return data

    return unstructure_model


def _request_item_hook(cls: type[Any], conv: Converter) -> Callable[[Any], Any]:
    names = [a.name for a in attrs.fields(cls)]

    def unstructure_item(obj: Any) -> dict[str, Any]:
        return {name: _unstructure_value(getattr(obj, name), conv) for name in names
                if getattr(obj, name) is not NOT_GIVEN}

    return unstructure_item


def _unstructure_value(value: Any, conv: Converter) -> Any:
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    return conv.unstructure(value)


# --- the converter and the helpers resources call -----------------------------------------

#: The SDK's one converter.
converter: OrjsonConverter = make_converter()


def structure_response(
    data: Any, cls: type[T], *, url: str | None = None, key: str | None = None
) -> T:
    """Structure decoded JSON ``data`` into ``cls``; raise ResponseDecodeError if it won't fit.

    ``key`` structures ``data[key]`` instead (e.g. ``key="field"`` for ``{"field": {...}}``)
    while paths still start at the body root. ``url`` goes into the error.

    >>> page = structure_response(loads(body), CustomerPage, url=url)  # doctest: +SKIP
    """
    payload, prefix = data, "$"
    if key is not None:
        if not isinstance(data, Mapping) or key not in data:
            raise decode_error(data, f"$.{key}", "missing required key", url)
        payload, prefix = data[key], f"$.{key}"
    try:
        return converter.structure(payload, cls)
    except Exception as exc:
        path, reason = walk(exc, "")
        raise decode_error(data, prefix + path, reason, url) from exc


def unstructure_request(obj: Any) -> dict[str, Any]:
    """Return the JSON object for one request item, without ``NOT_GIVEN`` values.

    Accepts an attrs instance (e.g. ``FieldUpdate``) or a mapping with string keys; enum
    members become their values. Raises ``TypeError`` for anything else.

    >>> unstructure_request(FieldUpdate(field_id="f1", display_name=None))  # doctest: +SKIP
    {'field_id': 'f1', 'display_name': None}
    """
    if attrs.has(type(obj)):
        result = converter.unstructure(obj)
        if isinstance(result, dict):
            return result
    if isinstance(obj, Mapping):
        bad = [k for k in obj if not isinstance(k, str)]
        if bad:
            raise TypeError(f"request item keys must be strings, got {bad[0]!r}")
        return {k: _unstructure_value(v, converter) for k, v in obj.items()
                if v is not NOT_GIVEN}
    raise TypeError(f"expected a mapping or an SDK model, got {type(obj).__name__}")


def loads(data: bytes | bytearray | memoryview | str, *, url: str | None = None) -> Any:
    """Parse JSON with orjson; malformed input raises ResponseDecodeError with an excerpt."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raw = data if isinstance(data, str) else bytes(data)
        raise ResponseDecodeError(f"response is not valid JSON: {exc}", path="$",
                                  excerpt=excerpt_raw(raw), url=url) from exc
