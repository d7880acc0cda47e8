"""One serialiser for the state records, instead of a hand-written ``to_json`` per record.

A record's wire form is its dataclass fields in declaration order, except those declared with
``field(metadata=INTERNAL)`` (caches, indexes, bookkeeping). A field declared with
``field(init=False, repr=False, compare=False, metadata=COMPUTED)`` is a wire key whose value is
never stored and is supplied when serialising (``customer_count``); a value passed to
:func:`to_wire` also replaces a stored one (encrypted profile values). Values go out as stored:
records keep wire-ready values (ISO timestamp strings, plain ``str``/``int``/``bool``).

Deliberately not the SDK's converter: the server must not depend on SDK decoding.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Final

__all__ = ["COMPUTED", "INTERNAL", "to_wire"]

#: Field metadata: kept off the wire.
INTERNAL: Final = {"wire": "internal"}
#: Field metadata: a wire key computed when serialising (declare it ``init=False``).
COMPUTED: Final = {"wire": "computed"}


_NAMES: dict[type, tuple[tuple[str, bool], ...]] = {}


def _wire_names(cls: type) -> tuple[tuple[str, bool], ...]:
    found = _NAMES.get(cls)
    if found is None:
        found = _NAMES[cls] = tuple(
            (f.name, f.metadata.get("wire") == "computed")
            for f in dataclasses.fields(cls)
            if f.metadata.get("wire") != "internal"
        )
    return found


def to_wire(record: Any, **values: Any) -> dict[str, Any]:
    """Return ``record``'s wire form; ``values`` supply computed keys and replace stored ones."""
    out: dict[str, Any] = {}
    for name, is_computed in _wire_names(type(record)):
        if name in values:
            out[name] = values[name]
        elif is_computed:
            raise TypeError(f"{type(record).__name__}.{name} is computed: pass it to to_wire()")
        else:
            out[name] = getattr(record, name)
    return out
