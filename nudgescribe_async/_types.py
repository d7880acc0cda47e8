"""Small shared types: the NOT_GIVEN sentinel, timeouts and the request spec.

A resource method turns its arguments into a :class:`RequestSpec`; the transport turns the
spec into HTTP. Nothing in here does I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
from aiohttp import ClientTimeout

from ._endpoints import Endpoint
from ._secrets import Secret

__all__ = [
    "NOT_GIVEN",
    "NO_OPTIONS",
    "CallOptions",
    "FormPart",
    "NotGiven",
    "RequestSpec",
    "TimeoutLike",
]


class NotGiven(enum.Enum):
    """Marks an argument the caller did not pass (distinct from an explicit ``None``)."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Final = NotGiven.NOT_GIVEN

#: Seconds as a float (total budget of one attempt) or a full ``aiohttp.ClientTimeout``.
TimeoutLike = float | ClientTimeout


@attrs.frozen
class CallOptions:
    """The per-call extras every resource method takes, as one bundle passed down to the send.

    Held as the caller gave them; they are checked where the request is built, so a bad value
    raises :class:`RequestValidationError` before any I/O, as every argument does.
    """

    extra_body: Mapping[str, Any] | None = attrs.field(default=None, repr=False)
    extra_headers: Mapping[str, str | Secret] | None = attrs.field(default=None, repr=False)
    timeout: TimeoutLike | NotGiven | None = NOT_GIVEN


#: No extras: the defaults of every call.
NO_OPTIONS: Final = CallOptions()


@attrs.frozen
class FormPart:
    """One part of a multipart/form-data body."""

    name: str
    value: str | bytes
    filename: str | None = None
    content_type: str | None = None


@attrs.frozen
class RequestSpec:
    """Everything the transport needs to send one API call.

    The :class:`Endpoint` gives the method, the path and whether a retry is safe.
    Exactly one of ``json`` and ``form`` may be set (or neither, for GET).
    """

    endpoint: Endpoint
    # Bodies and headers carry credentials on the auth calls: never in a repr (tracebacks
    # with locals, error reporters).
    json: Mapping[str, Any] | None = attrs.field(default=None, repr=False)
    form: Sequence[FormPart] | None = attrs.field(default=None, repr=False)
    headers: Mapping[str, str | Secret] = attrs.field(factory=dict, repr=False)
    timeout: TimeoutLike | NotGiven | None = NOT_GIVEN

    @property
    def method(self) -> str:
        """The endpoint's HTTP method."""
        return self.endpoint.method

    @property
    def path(self) -> str:
        """The endpoint's path, such as ``/v1/cg``."""
        return self.endpoint.path
