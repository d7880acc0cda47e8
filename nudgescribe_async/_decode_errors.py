"""Turning decode failures into readable ``ResponseDecodeError``s.

cattrs reports a failure as a tree of exception groups; :func:`decode_error_from` walks it to
the first problem and names its JSON path (``$.customers[3].page``). Excerpts of the body are
compact JSON, at most 200 characters, with values under token/secret/password keys masked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from cattrs.errors import ClassValidationError, IterableValidationError

from nudgescribe_async._errors import ResponseDecodeError

__all__ = ["EXCERPT_CHARS", "decode_error", "excerpt", "walk"]

EXCERPT_CHARS = 200
_SECRET_MARKERS = ("token", "secret", "password", "api_key")


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
    return ResponseDecodeError(f"unexpected response shape: {reason}", path=path,
                               excerpt=excerpt(body), url=url)


def excerpt(body: Any) -> str:
    """The start of the body as compact JSON, with token/secret values masked."""
    try:
        text = orjson.dumps(_redact(body), default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        text = ""  # never fall back to repr(): it could show unmasked secrets
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "..."


def _redact(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: "***" if _is_secret_key(k) else _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value[:20]]  # only the start is shown anyway
    return value


def _is_secret_key(key: Any) -> bool:
    return isinstance(key, str) and any(marker in key.lower() for marker in _SECRET_MARKERS)

