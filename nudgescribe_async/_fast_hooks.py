"""Generated fast structure hooks for the response models (the converter's hot path).

For each response model, :func:`make_fast_hook` writes one small Python function (source text,
compiled once) that decodes a JSON object whose shape is as expected:

* primitive types are checked inline (``type(v) is str``), optional strings, integers and
  timestamps too; other attributes call the converter's hook for their type;
* the instance is built with ``object.__new__`` and the slots' own setters, skipping the
  frozen ``__init__`` (which goes through ``object.__setattr__`` once per attribute); the
  models have no validators, converters or ``__attrs_post_init__`` to skip (checked here);
* unknown keys are found by counting: when the object holds exactly the model's keys that were
  found (``len(data) == present``) there is none; otherwise they are copied into a read-only
  ``extra`` (depth-checked only when one of them holds an object or array);
* a ``dict[str, str]`` attribute (a customer's ``profile``) keeps the decoded dict itself
  after checking it: the converter only ever structures freshly decoded JSON that nothing else
  holds, and one allocation less per customer is measurable (``python -m benchmarks``).

Anything unexpected - a missing required key, a wrong JSON type, a value the inline checks do
not cover (a digit string for an integer, a ``str`` subclass), any exception - makes the hook
start again on the detailed path (``slow``): cattrs' generated hook with detailed validation,
which produces the very same result or the ``ResponseDecodeError`` path and reason as before.
So the fast path only ever returns what the detailed path would have returned; a differential
test (``tests/test_convert_differential.py``) checks that on generated payloads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import MappingProxyType
from typing import Any, get_type_hints

import attrs

from nudgescribe_async._limits import bounded_extra

__all__ = ["make_fast_hook"]

_Hook = Callable[[Any, Any], Any]


class _Fallback(Exception):
    """Raised inside a fast hook to hand the payload to the detailed path."""


def make_fast_hook(
    cls: type[Any],
    field_hook: Callable[[Any], _Hook],
    slow: _Hook,
    known_keys: frozenset[str],
    empty_extra: Any,
    parse_iso: Callable[[str], datetime],
) -> _Hook:
    """Return the fast structure hook of model ``cls``.

    ``field_hook(type)`` returns the converter's hook for an attribute type, ``slow`` is the
    detailed hook (the fallback), ``known_keys`` the keys that never go into ``extra`` and
    ``empty_extra`` the shared empty ``extra``.
    """
    if getattr(cls, "__attrs_post_init__", None) is not None:
        raise TypeError(f"{cls.__name__} has __attrs_post_init__; fast hooks would skip it")
    hints = get_type_hints(cls)
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_new": object.__new__,
        "_slow": slow,
        "_known": known_keys,
        "_empty_extra": empty_extra,
        "_proxy": bounded_extra,
        "_readonly": MappingProxyType,
        "_parse_iso": parse_iso,
        "_set_extra": _slot_setter(cls, "extra"),
        "_Fallback": _Fallback,
    }
    fields = [field for field in attrs.fields(cls) if field.name != "extra"]
    lines = [
        "def structure(data, _):",
        "    if type(data) is not dict:",
        "        return _slow(data, _)",
        "    try:",
        "        obj = _new(_cls)",
        # How many of the model's keys ``data`` holds; each missing one counts down.
        f"        present = {len(fields)}",
    ]
    for index, field in enumerate(fields):
        if field.validator is not None or field.converter is not None:
            raise TypeError(f"{cls.__name__}.{field.name} has a validator or converter")
        setter = f"_set_{index}"
        namespace[setter] = _slot_setter(cls, field.name)
        lines += _field_lines(field, hints[field.name], index, setter, namespace, field_hook)
    lines += [
        # Only the model's keys, each once: no unknown key, without hashing them all again.
        "        if len(data) == present:",
        "            _set_extra(obj, _empty_extra)",
        "        else:",
        # A plain loop: a comprehension here costs a function call per model (3.11).
        "            extra = {}",
        "            nested = False",
        "            for k in data:",
        "                if k not in _known:",
        "                    v = extra[k] = data[k]",
        "                    if type(v) is dict or type(v) is list:",
        "                        nested = True",
        # Only nested values can be too deep: scalars skip the depth check's call.
        "            if not extra:",  # an envelope key such as "success", nothing unknown
        "                _set_extra(obj, _empty_extra)",
        "            elif nested:",
        "                _set_extra(obj, _proxy(extra))",
        "            else:",
        "                _set_extra(obj, _readonly(extra))",
        "        return obj",
        "    except Exception:",
        # A half-built instance must not stay in this frame: its repr would fail in a
        # traceback that captures locals.
        "        obj = None",
        # Outside the handler, so the detailed path's error carries no unrelated context.
        "    return _slow(data, _)",
    ]
    source = "\n".join(lines)
    exec(compile(source, f"<fast structure hook of {cls.__qualname__}>", "exec"), namespace)
    hook: _Hook = namespace["structure"]
    hook.__doc__ = f"Structure a {cls.__name__} (generated; falls back to the detailed hook)."
    return hook


def _slot_setter(cls: type[Any], name: str) -> Callable[[Any, Any], None]:
    for klass in cls.__mro__:
        descriptor = klass.__dict__.get(name)
        if descriptor is not None:
            setter: Callable[[Any, Any], None] = descriptor.__set__
            return setter
    raise TypeError(f"{cls.__name__} has no slot {name!r}")


# The inline checks: attribute type -> condition under which the value is taken as is.
_INLINE = {
    str: "type(v) is str",
    int: "type(v) is int",
    bool: "v is True or v is False",
    str | None: "v is None or type(v) is str",
    int | None: "v is None or type(v) is int",
    bool | None: "v is None or v is True or v is False",
}


def _field_lines(
    field: Any,
    tp: Any,
    index: int,
    setter: str,
    namespace: dict[str, Any],
    field_hook: Callable[[Any], _Hook],
) -> list[str]:
    key = repr(field.name)
    if field.default is attrs.NOTHING:
        lines = [f"        v = data[{key}]"]
        indent = "        "
    else:
        lines = [f"        if {key} not in data:", "            present -= 1"]
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            if default.takes_self:
                raise TypeError(f"{field.name}: a factory taking self is not supported")
            namespace[f"_factory_{index}"] = default.factory
            lines.append(f"            v = _factory_{index}()")
        else:
            namespace[f"_default_{index}"] = default
            lines.append(f"            v = _default_{index}")
        lines += ["        else:", f"            v = data[{key}]"]
        indent = "            "
    if tp in _INLINE:
        lines += [f"{indent}if not ({_INLINE[tp]}):", f"{indent}    raise _Fallback"]
    elif tp == datetime | None:
        lines += [
            f"{indent}if v is not None:",
            f"{indent}    if type(v) is not str:",
            f"{indent}        raise _Fallback",
            f"{indent}    v = _parse_iso(v)",
        ]
    elif tp == dict[str, str]:
        lines += [
            f"{indent}if type(v) is not dict:",
            f"{indent}    raise _Fallback",
            f"{indent}for k2, v2 in v.items():",
            f"{indent}    if type(v2) is not str or type(k2) is not str:",
            f"{indent}        raise _Fallback",
        ]
    else:
        namespace[f"_hook_{index}"] = field_hook(tp)
        namespace[f"_type_{index}"] = tp
        lines.append(f"{indent}v = _hook_{index}(v, _type_{index})")
    lines.append(f"        {setter}(obj, v)")
    return lines
