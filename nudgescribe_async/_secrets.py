"""Secrets the client holds, and the one scrubber that keeps their values out of text.

* :class:`Secret` wraps a credential or token. Its ``repr``/``str`` are ``Secret('***')``, so a
  traceback that captures locals (Sentry, rich, ``pytest --showlocals``) never shows the value;
  :meth:`Secret.reveal` is called only where a header or body is finally built.
* Every live :class:`Secret` registers itself (weakly) with this module. :func:`scrub_text`
  replaces the value of each live secret, and any ``Bearer <credential>``, with ``***``;
  :func:`scrub_error` does that to an SDK exception in place (its text, message, excerpt, URL
  and decoded body). The transport and the resources run every exception they raise through
  it, and :class:`ScrubFilter` does the same to every record of the ``nudgescribe`` logger.
"""

from __future__ import annotations

import hmac
import logging
import re
import threading
import weakref
from collections.abc import Mapping
from typing import Any, Final

__all__ = ["MASK", "ScrubFilter", "Secret", "reveal", "scrub_error", "scrub_text", "scrub_value"]

MASK: Final = "***"

#: Values shorter than this are not scrubbed from text: they would mangle ordinary words.
MIN_SCRUBBED_LENGTH: Final = 6

_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[^\s\"',;]+")
#: Every live Secret by id (values compare equal across instances, so no WeakSet).
_live: weakref.WeakValueDictionary[int, Secret] = weakref.WeakValueDictionary()
_live_lock = threading.Lock()


class Secret:
    """A secret string: redacted ``repr``/``str``, the value only through :meth:`reveal`.

    >>> key = Secret("ns_live_abc123")
    >>> key, f"{key}"
    (Secret('***'), "Secret('***')")
    >>> key.reveal()
    'ns_live_abc123'
    """

    __slots__ = ("__weakref__", "_value")

    def __init__(self, value: str) -> None:
        self._value = value
        if len(value) >= MIN_SCRUBBED_LENGTH:
            with _live_lock:
                _live[id(self)] = self

    def reveal(self) -> str:
        """The plain value: call it only where the header or body is built."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled")


def reveal(value: str | Secret) -> str:
    """``value`` itself, or the plain value of a :class:`Secret`."""
    return value.reveal() if isinstance(value, Secret) else value


def _live_values() -> list[str]:
    with _live_lock:
        values = {secret.reveal() for secret in _live.values()}
    # Longest first: a secret that contains another is masked whole.
    return sorted(values, key=len, reverse=True)


def scrub_text(text: str) -> str:
    """``text`` with every live secret value and any ``Bearer`` credential replaced by ``***``."""
    for value in _live_values():
        if value in text:
            text = text.replace(value, MASK)
    return _BEARER.sub(r"\1\2" + MASK, text)


def scrub_value(value: Any) -> Any:
    """A decoded JSON value with :func:`scrub_text` applied to every string in it (and keys)."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {scrub_value(k): scrub_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_value(v) for v in value]
    return value


#: Attributes of SDK exceptions that carry server- or caller-provided text.
_TEXT_ATTRIBUTES = ("message", "excerpt", "url", "error_code", "request_id", "problem")


def scrub_error(exc: BaseException) -> BaseException:
    """Scrub ``exc`` in place (its ``args`` and text attributes, body and errors); return it."""
    exc.args = tuple(scrub_value(a) if isinstance(a, (str, Mapping, list)) else a for a in exc.args)
    for name in _TEXT_ATTRIBUTES:
        value = getattr(exc, name, None)
        if isinstance(value, str):
            setattr(exc, name, scrub_text(value))
    for name in ("body", "errors"):
        value = getattr(exc, name, None)
        if value is not None:
            setattr(exc, name, scrub_value(value))
    return exc


class ScrubFilter(logging.Filter):
    """Scrubs each record's formatted message (see :func:`scrub_text`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub_text(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_log_filter(logger: logging.Logger) -> None:
    """Add one :class:`ScrubFilter` to ``logger`` (idempotent)."""
    if not any(isinstance(f, ScrubFilter) for f in logger.filters):
        logger.addFilter(ScrubFilter())
