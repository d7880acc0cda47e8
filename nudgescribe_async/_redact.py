"""The one redaction policy: what counts as a secret, and safe excerpts of bodies and headers.

A header or JSON key is secret when its lower-cased name contains one of
:data:`SECRET_MARKERS` (``authorization``, ``x-api-key``, ``x-auth-context``,
``access_token``, ``api_secret`` ...). Logs, exception text and excerpts go through here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import orjson

from ._secrets import scrub_text

__all__ = [
    "EXCERPT_CHARS",
    "MASK",
    "SECRET_MARKERS",
    "excerpt",
    "excerpt_raw",
    "is_secret_name",
    "redact_headers",
]

EXCERPT_CHARS = 200
MASK = "***"
SECRET_MARKERS = ("token", "secret", "password", "key", "auth", "cookie", "session")

_MARKERS = b"|".join(m.encode() for m in SECRET_MARKERS)
# In text that may not parse as JSON: "name": "value" (escaped quotes inside the value and an
# unterminated value at a cut included), and name=value / name: value forms, whose name
# looks secret.
_SECRET_PAIR = re.compile(
    rb'("[^"]*(?:' + _MARKERS + rb')[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"?', re.IGNORECASE
)
_SECRET_ASSIGNMENT = re.compile(
    rb"(\b[\w-]*(?:" + _MARKERS + rb")[\w-]*\s*[=:]\s*)(?!\s*\")"
    rb"(?:(?:bearer|basic)\s+)?[^\s&,;]+",
    re.IGNORECASE,
)


def is_secret_name(name: object) -> bool:
    """Whether a header or JSON key name marks a secret value."""
    return isinstance(name, str) and any(marker in name.lower() for marker in SECRET_MARKERS)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` safe to log: secret values replaced by ``***``."""
    return {k: (MASK if is_secret_name(k) else v) for k, v in headers.items()}


def excerpt(body: Any) -> str:
    """The start of a decoded body as compact JSON, secret values masked."""
    try:
        text = orjson.dumps(_redact(body), default=str, option=orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        text = ""  # never fall back to repr(): it could show unmasked secrets
    return _cut(text)


def excerpt_raw(raw: bytes | str) -> str:
    """The start of a body that may not be JSON, with secret-looking values masked.

    Masks ``"name": "value"`` pairs and ``name=value`` / ``name: value`` forms whose name
    looks secret. Best effort for text that is not JSON; decoded JSON goes through
    :func:`excerpt`, which masks by key exactly.
    """
    data = raw.encode("utf-8", "replace") if isinstance(raw, str) else bytes(raw)
    # Mask over a little more than we show, so a pair cut at the edge is still caught.
    masked = _SECRET_PAIR.sub(rb'\1"' + MASK.encode() + b'"', data[: EXCERPT_CHARS * 4])
    masked = _SECRET_ASSIGNMENT.sub(rb"\1" + MASK.encode(), masked)
    return _cut(masked.decode("utf-8", "replace"))


def _cut(text: str) -> str:
    # Scrub before cutting: a cut would leave the start of a token that no longer matches.
    text = scrub_text(text)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "..."


def _redact(value: Any, depth: int = 0) -> Any:
    if depth > _EXCERPT_DEPTH and isinstance(value, (Mapping, list)):
        return "..."  # only the start is shown anyway, and deeper would overflow the stack
    if isinstance(value, Mapping):
        return {k: MASK if is_secret_name(k) else _redact(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, depth + 1) for v in value[:20]]  # only the start is shown anyway
    return value


_EXCERPT_DEPTH = 20
