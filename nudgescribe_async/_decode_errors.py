"""Turning decode failures into readable ``ResponseDecodeError``s.

cattrs reports a failure as a tree of exception groups; :func:`walk` follows it to the first
problem and names its JSON path (``$.customers[3].page``); :func:`decode_error` wraps that in a
``ResponseDecodeError`` with a redacted excerpt of the body (see ``_redact``).
"""

from __future__ import annotations

from typing import Any

import orjson
from cattrs.errors import ClassValidationError, IterableValidationError

from nudgescribe_async._errors import ResponseDecodeError
from nudgescribe_async._redact import excerpt

__all__ = ["decode_error", "walk"]


def walk(exc: BaseException, path: str) -> tuple[str, str]:
    """Return the JSON path suffix and the reason of the first problem cattrs reported."""
    if isinstance(exc, ClassValidationError):
        with_notes, others = exc.group_exceptions()
        if with_notes:
            sub, note = with_notes[0]
            return walk(sub, f"{path}.{note.name}")
        return walk(others[0], path) if others else (path, exc.message)
    if isinstance(exc, IterableValidationError):
        items, others = exc.group_exceptions()
        if items:
            sub, inote = items[0]
            return walk(sub, path + _index_step(inote.index))
        return walk(others[0], path) if others else (path, exc.message)
    if isinstance(exc, KeyError):
        return path, "missing required key"
    return path, str(exc) or type(exc).__name__


def _index_step(index: int | str) -> str:
    if isinstance(index, int):
        return f"[{index}]"
    return f".{index}" if index.isidentifier() else f"[{orjson.dumps(index).decode()}]"


def decode_error(body: Any, path: str, reason: str, url: str | None) -> ResponseDecodeError:
    return ResponseDecodeError(
        f"unexpected response shape: {reason}", path=path, excerpt=excerpt(body), url=url
    )
