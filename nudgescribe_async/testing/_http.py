"""Request and response plumbing shared by every handler.

* :func:`read_json` parses the body (400 if not a JSON object) and keeps it for the request log.
* :func:`require` returns the required keys or raises 401 listing every missing one.
* :func:`authenticate` applies the header rules: bearer access token, ``x-auth-context``
  (``api_access`` true, matching ``api_code``), non-empty ``x-ip`` and, if sent, ``x-api-key``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web

from nudgescribe_async._contract import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from nudgescribe_async.testing._core import CURRENT_RECORD, RequestRecord
from nudgescribe_async.testing._errors import ApiError, bad_value
from nudgescribe_async.testing._jwt import TokenError, decode_token

if TYPE_CHECKING:
    from nudgescribe_async.testing._core import ServerCore
    from nudgescribe_async.testing._state import AccountRecord

__all__ = [
    "authenticate",
    "core_of",
    "ok",
    "opt_bool",
    "opt_int",
    "opt_page_size",
    "opt_str",
    "read_json",
    "record_form",
    "require",
]

CORE_KEY: web.AppKey[ServerCore] = web.AppKey("nudgescribe.core")

#: The largest integer every JSON client can represent exactly (2**53 - 1).
MAX_JSON_INT = 2**53 - 1


def core_of(request: web.Request) -> ServerCore:
    """Return the server core attached to the application."""
    return request.app[CORE_KEY]


def ok(payload: dict[str, Any] | None = None, message: str | None = None) -> web.Response:
    """Return a 200 success envelope with ``payload`` keys at the top level.

    Keys come in the published example's order: ``success``, the payload, then ``message``.
    """
    body: dict[str, Any] = {"success": True}
    if payload:
        body.update(payload)
    if message is not None:
        body["message"] = message
    return web.Response(body=orjson.dumps(body), content_type="application/json")


def error_response(err: ApiError) -> web.Response:
    """Render an :class:`ApiError` as a JSON response."""
    return web.Response(
        status=err.status,
        body=orjson.dumps(err.body()),
        content_type="application/json",
        headers=err.headers,
    )


def _record() -> RequestRecord:
    try:
        return CURRENT_RECORD.get()
    except LookupError:  # a handler called outside the middleware (not expected)
        record = RequestRecord(method="", path="", headers={}, request_id="")
        CURRENT_RECORD.set(record)
        return record


async def parse_body(request: web.Request) -> None:
    """Parse a non-multipart body once, keeping it on the request's log record."""
    record = _record()
    if record.body_read:
        return
    raw = await request.read() if request.body_exists else b""
    record.body_read = True
    if raw.strip():
        record.body_present = True
        try:
            record.json = orjson.loads(raw)
        except orjson.JSONDecodeError:
            record.body_malformed = True


async def read_json(request: web.Request) -> dict[str, Any]:
    """Return the JSON object body (``{}`` if empty); 400 if malformed or not an object.

    A body of JSON ``null`` is not an object either (400), unlike an empty body.
    """
    await parse_body(request)
    record = _record()
    if record.body_malformed:
        raise ApiError(400, "Request body is not valid JSON", "malformed_json")
    body = record.json
    if body is None and not record.body_present:
        return {}
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object", "malformed_json")
    return body


def record_form(form: dict[str, str]) -> None:
    """Keep the scalar parts of a multipart upload on the request's log record."""
    _record().form = form


def require(body: dict[str, Any], *names: str) -> list[Any]:
    """Return the values of ``names``; 401 naming every missing (absent/null/empty) one."""
    missing = [n for n in names if body.get(n) in (None, "", [])]
    if missing:
        raise ApiError(
            401,
            "Required fields missing: " + ", ".join(missing),
            "missing_fields",
            errors=[{"field": n, "message": "This field is required"} for n in missing],
        )
    return [body[n] for n in names]


def opt_int(
    body: dict[str, Any], name: str, default: int | None, *, low: int = 1, high: int | None = None
) -> int | None:
    """Return the optional integer ``name`` within [low, high]; 400 if malformed.

    An integral float such as ``2.0`` counts as an integer, as in JSON Schema. Without a
    ``high`` bound, values above :data:`MAX_JSON_INT` are refused: they would not survive a
    JSON round trip in many clients (and could not be echoed back).
    """
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_value(name, "must be an integer")
    top = MAX_JSON_INT if high is None else high
    if not low <= value <= top:
        raise bad_value(name, f"must be between {low} and {top}")
    return value


def opt_page_size(body: dict[str, Any]) -> int:
    """Return the optional ``page_size`` (the contract's default and maximum); 400 if bad."""
    return opt_int(body, "page_size", DEFAULT_PAGE_SIZE, high=MAX_PAGE_SIZE) or DEFAULT_PAGE_SIZE


def opt_str(body: dict[str, Any], name: str) -> str | None:
    """Return the optional string ``name``; 400 if present but not a string."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_value(name, "must be a string")
    return value


def opt_bool(body: dict[str, Any], name: str, default: bool) -> bool:
    """Return the optional boolean ``name``; 400 if present but not a boolean."""
    value = body.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise bad_value(name, "must be a boolean")
    return value


def _forbidden(message: str, code: str) -> ApiError:
    return ApiError(403, message, code)


def _check_auth_context(raw: str | None, account: AccountRecord) -> None:
    if not raw:
        raise _forbidden("x-auth-context header is required", "invalid_auth_context")
    try:
        context = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _forbidden("x-auth-context is not valid JSON", "invalid_auth_context") from exc
    if not isinstance(context, dict) or context.get("api_access") is not True:
        raise _forbidden("x-auth-context must grant api_access", "invalid_auth_context")
    if context.get("api_code") != account.api_code:
        raise _forbidden("x-auth-context api_code does not match", "invalid_auth_context")


def bearer_claims(request: web.Request, expected_type: str) -> dict[str, Any]:
    """Return the verified claims of the bearer token of type ``expected_type``; else 403."""
    core = core_of(request)
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _forbidden("Missing bearer token", "missing_token")
    token = token.strip()
    # Verified signatures are cached (bounded) because every call re-sends the same token;
    # expiry is still checked on each use.
    claims = core.verified_tokens.get(token)
    if claims is not None and claims["exp"] <= core.clock.now():
        claims = None
        core.verified_tokens.pop(token, None)
    if claims is None:
        try:
            claims = decode_token(token, core.token_secret, now=core.clock.now())
        except TokenError as exc:
            code = "token_expired" if "expired" in str(exc) else "invalid_token"
            raise _forbidden(f"Invalid or expired token ({exc})", code) from exc
        if len(core.verified_tokens) >= 4096:
            core.verified_tokens.clear()
        core.verified_tokens[token] = claims
    if claims.get("typ") != expected_type:
        raise _forbidden(f"Expected a {expected_type} token", "invalid_token")
    return claims


def account_for_claims(request: web.Request, claims: dict[str, Any]) -> AccountRecord:
    """Return the account the token belongs to; 403 if gone or its tokens were revoked."""
    account = core_of(request).state.account_by_id(str(claims.get("account_id")))
    if account is None or claims.get("gen") != account.token_generation:
        raise _forbidden("Token has been revoked", "invalid_token")
    return account


def authenticate(request: web.Request) -> AccountRecord:
    """Apply every header rule of an authenticated call and return the caller's account."""
    account = account_for_claims(request, bearer_claims(request, "access"))
    _check_auth_context(request.headers.get("x-auth-context"), account)
    if not request.headers.get("x-ip", "").strip():
        raise _forbidden("x-ip header is required", "missing_ip")
    api_key = request.headers.get("x-api-key")
    if api_key is not None and api_key != account.api_key:
        raise _forbidden("x-api-key does not match the token's account", "invalid_api_key")
    return account
