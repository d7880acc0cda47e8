"""Secret scan: on every failure path, no credential or token in str, repr, DEBUG logs or a
traceback that captures locals, even when the server echoes them back."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.testing import ReferenceServer
from tests._support.worlds import ReliabilitySeed

CG = "/v1/cg"
Setup = Callable[[ReferenceServer, str], None]


def _echo(server: ReferenceServer, token: str) -> str:
    creds = server.demo_credentials
    return f"got key={creds.api_key} secret={creds.api_secret} Authorization: Bearer {token}"


FAILURES: dict[str, Setup] = {
    "400 echo": lambda s, t: s.faults.add(
        CG, kind="fail", status=400, message=_echo(s, t), error_code=t
    ),
    "404": lambda s, t: s.faults.add(CG, kind="fail", status=404, message=_echo(s, t)),
    "409": lambda s, t: s.faults.add(CG, kind="fail", status=409, body={"echo": _echo(s, t)}),
    "429 quota": lambda s, t: s.faults.add(
        CG, kind="fail", status=429, error_code="quota_exceeded", message=_echo(s, t)
    ),
    "500 exhausted": lambda s, t: s.faults.add(
        CG, kind="fail", status=500, times=None, message=_echo(s, t)
    ),
    "302 echo": lambda s, t: s.faults.add(CG, kind="fail", status=302, message=_echo(s, t)),
    "drop": lambda s, t: s.faults.add(CG, kind="drop", times=None),
    "truncate": lambda s, t: s.faults.add(CG, kind="truncate", times=None),
    "hang": lambda s, t: s.faults.add(CG, kind="hang", times=None),
    "bad body echo": lambda s, t: s.faults.add(
        CG, kind="fail", status=200, body={"customer_groups": _echo(s, t)}
    ),
    "success false echo": lambda s, t: s.faults.add(
        CG, kind="fail", status=200, body={"success": False, "message": _echo(s, t)}
    ),
    "revoked, login refused": lambda s, t: (
        s.revoke_tokens(),
        s.faults.add("/v1/auth", kind="fail", status=403, times=None, message=_echo(s, t)),
    ),
}


async def _failure(call: Awaitable[Any]) -> BaseException:
    """The SDK error ``call`` raises (its traceback starts in this secret-free frame)."""
    try:
        await call
    except ns.NudgescribeError as exc:
        return exc
    raise AssertionError("the call succeeded")


def _report(exc: BaseException) -> str:
    parts = [str(exc), repr(exc), repr(vars(exc))]
    parts += traceback.TracebackException.from_exception(exc, capture_locals=True).format()
    return "\n".join(parts)


@pytest.mark.parametrize("failure", FAILURES)
async def test_no_secret_on_any_failure_path(
    reliability_server: ReferenceServer,
    reliability_seed: ReliabilitySeed,
    failure: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """str, repr, attributes, DEBUG logs and captured-locals tracebacks hold no secret."""
    caplog.set_level(logging.DEBUG, logger="nudgescribe")
    async with AsyncNudgescribe(
        **reliability_server.client_kwargs(), timeout=0.5, max_retries=1
    ) as client:
        await client.customer_groups.list(reliability_seed.workspace_id)
        token = reliability_server.requests[-1].headers["Authorization"].removeprefix("Bearer ")
        FAILURES[failure](reliability_server, token)
        exc = await _failure(client.customer_groups.list(reliability_seed.workspace_id))
        text = _report(exc) + "\n".join(r.getMessage() for r in caplog.records)
    creds = reliability_server.demo_credentials
    for value in (creds.api_key, creds.api_secret, token):
        assert value not in text
    assert "workspace_id = " in text  # the locals really were captured
