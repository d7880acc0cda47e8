"""``/v1/auth``: authenticate with API key + email + secret, re-authenticate with a refresh token.

POST: 401 when ``x-api-key``, ``email`` or ``api_secret`` is missing; 403 when they do not match
an account. GET: the bearer must be a valid, unexpired refresh token (403 otherwise).
"""

from __future__ import annotations

import hmac

from aiohttp import web

from nudgescribe_async.testing._errors import ApiError
from nudgescribe_async.testing._http import (
    account_for_claims,
    bearer_claims,
    core_of,
    ok,
    read_json,
    require,
)

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.post("/v1/auth")
async def authenticate(request: web.Request) -> web.Response:
    """Issue tokens for valid credentials."""
    body = await read_json(request)
    api_key = request.headers.get("x-api-key", "")
    missing = [] if api_key else ["x-api-key"]
    missing += [n for n in ("email", "api_secret") if body.get(n) in (None, "")]
    if missing:
        require({}, *missing)
    core = core_of(request)
    account = core.state.accounts.get(api_key)
    email, secret = body["email"], body["api_secret"]
    if (
        account is None
        or not isinstance(email, str)
        or not isinstance(secret, str)
        or email.casefold() != account.email.casefold()
        or not hmac.compare_digest(secret.encode(), account.api_secret.encode())
    ):
        raise ApiError(403, "Invalid API key, email or secret", "invalid_credentials")
    return ok(core.issue_tokens(account))


@routes.get("/v1/auth")
async def reauthenticate(request: web.Request) -> web.Response:
    """Issue fresh tokens for a valid refresh token."""
    account = account_for_claims(request, bearer_claims(request, "refresh"))
    return ok(core_of(request).issue_tokens(account))
