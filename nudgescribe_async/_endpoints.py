"""Every endpoint the SDK calls, as a request definition that says whether it may be resent.

A resource method sends one of the :class:`Endpoint` constants below; the transport retries a
call after a timeout, a broken connection, a 429 or a 5xx only when its endpoint is
``idempotent``. The flag is a required field, so a new endpoint cannot be defined without
deciding it, and ``tests/test_endpoints.py`` checks this table against the OpenAPI document
(``nudgescribe_async/openapi.json``) in both directions.

Idempotent: every POST that reads (this API reads with POST), GET, PATCH and DELETE. Not
idempotent: the PUT creates, the customer upload, publish and rerun initiate (each creates or
triggers something; sending it twice could do it twice).

``client.request(method, path)`` (the escape hatch) looks the route up here; a route the SDK
does not know falls back to the method: PUT is not idempotent, every other method is.
"""

from __future__ import annotations

from typing import Final

import attrs

from ._errors import RequestValidationError

__all__ = [
    "ENDPOINTS",
    "Endpoint",
    "endpoint_for",
    "is_idempotent",
    "lookup",
    "normalise_path",
]


@attrs.frozen
class Endpoint:
    """One API operation: method, path and whether sending it twice is safe."""

    method: str
    path: str
    #: Required (no default): whether a retry after a possibly-applied attempt is safe.
    idempotent: bool = attrs.field(kw_only=True)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


# Authentication (the token manager).
AUTHENTICATE: Final = Endpoint("POST", "/v1/auth", idempotent=True)
REFRESH: Final = Endpoint("GET", "/v1/auth", idempotent=True)

# Customer profile fields.
PROFILE_FIELD_CREATE: Final = Endpoint("PUT", "/v1/cpf", idempotent=False)
PROFILE_FIELD_LIST: Final = Endpoint("POST", "/v1/cpf", idempotent=True)
PROFILE_FIELD_UPDATE: Final = Endpoint("PATCH", "/v1/cpf", idempotent=True)
PROFILE_FIELD_DELETE: Final = Endpoint("DELETE", "/v1/cpf", idempotent=True)

# Customer groups.
CUSTOMER_GROUP_CREATE: Final = Endpoint("PUT", "/v1/cg", idempotent=False)
CUSTOMER_GROUP_LIST: Final = Endpoint("POST", "/v1/cg", idempotent=True)
CUSTOMER_GROUP_UPDATE: Final = Endpoint("PATCH", "/v1/cg", idempotent=True)
CUSTOMER_GROUP_DELETE: Final = Endpoint("DELETE", "/v1/cg", idempotent=True)

# Customers.
CUSTOMER_UPLOAD: Final = Endpoint("POST", "/v1/customer/check", idempotent=False)
CUSTOMER_PAGE_COUNT: Final = Endpoint("POST", "/v1/customer/pages", idempotent=True)
CUSTOMER_PAGE: Final = Endpoint("POST", "/v1/customer", idempotent=True)
CUSTOMER_DELETE: Final = Endpoint("DELETE", "/v1/customer", idempotent=True)

# Campaigns and their exported messages.
CAMPAIGN_LIST: Final = Endpoint("POST", "/v1/campaign/all", idempotent=True)
MESSAGES_PUBLISH: Final = Endpoint("POST", "/v1/messages/publish", idempotent=False)
MESSAGES_PAGE_COUNT: Final = Endpoint("POST", "/v1/messages/pages", idempotent=True)
MESSAGES_FETCH: Final = Endpoint("POST", "/v1/messages/fetch", idempotent=True)

# Campaign reruns.
RERUN_HISTORY: Final = Endpoint("POST", "/v1/campaign/rerun/history", idempotent=True)
RERUN_MESSAGES: Final = Endpoint("POST", "/v1/campaign/rerun/messages", idempotent=True)
RERUN_INITIATE: Final = Endpoint("POST", "/v1/campaign/rerun/initiate", idempotent=False)

#: The table: every endpoint above (a test checks that none is left out).
ENDPOINTS: Final = (
    AUTHENTICATE,
    REFRESH,
    PROFILE_FIELD_CREATE,
    PROFILE_FIELD_LIST,
    PROFILE_FIELD_UPDATE,
    PROFILE_FIELD_DELETE,
    CUSTOMER_GROUP_CREATE,
    CUSTOMER_GROUP_LIST,
    CUSTOMER_GROUP_UPDATE,
    CUSTOMER_GROUP_DELETE,
    CUSTOMER_UPLOAD,
    CUSTOMER_PAGE_COUNT,
    CUSTOMER_PAGE,
    CUSTOMER_DELETE,
    CAMPAIGN_LIST,
    MESSAGES_PUBLISH,
    MESSAGES_PAGE_COUNT,
    MESSAGES_FETCH,
    RERUN_HISTORY,
    RERUN_MESSAGES,
    RERUN_INITIATE,
)

_BY_ROUTE: Final = {(e.method, e.path): e for e in ENDPOINTS}
#: Methods an unknown route may be resent with (PUT creates on this API).
_IDEMPOTENT_METHODS: Final = frozenset({"GET", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS"})


def lookup(method: str, path: str) -> Endpoint | None:
    """The table's endpoint for ``method`` and a normalised ``path``, or None."""
    return _BY_ROUTE.get((method.upper(), path))


def endpoint_for(method: str, path: str, idempotent: bool | None = None) -> Endpoint:
    """The endpoint ``client.request(method, path, idempotent=...)`` sends.

    ``path`` is normalised first (:func:`normalise_path`). ``idempotent=None`` takes the
    table's answer for a known route and the method rule for an unknown one.
    """
    method = method.upper()
    path = normalise_path(path)
    known = lookup(method, path)
    if idempotent is None:
        if known is not None:
            return known
        idempotent = method in _IDEMPOTENT_METHODS
    if known is not None and known.idempotent == idempotent:
        return known
    return Endpoint(method, path, idempotent=idempotent)


def is_idempotent(method: str, path: str) -> bool:
    """Return whether sending ``method path`` twice is safe (the table, else the method rule).

    >>> is_idempotent("POST", "/v1/customer/pages"), is_idempotent("PUT", "/v1/cg")
    (True, False)
    """
    return endpoint_for(method, path).idempotent


def normalise_path(path: str) -> str:
    """``v1/cg/`` -> ``/v1/cg``: one leading slash, no trailing slash.

    The API takes no query strings (every parameter travels in the JSON body), so ``?``, ``#``
    and ``.``/``..`` segments are refused rather than silently dropped or resolved.
    """
    if not isinstance(path, str):
        raise RequestValidationError("path", f"must be a str like '/v1/cg', got {path!r}")
    stripped = path.strip()
    segments = stripped.strip("/").split("/")
    if not stripped or "?" in stripped or "#" in stripped or {".", ".."} & set(segments):
        raise RequestValidationError(
            "path", f"must be an API path like '/v1/cg' without query or dot segments: {path!r}"
        )
    return "/" + "/".join(segments)
