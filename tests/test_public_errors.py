"""Connection errors are public classes, public classes name public modules, reports are short."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest

import nudgescribe_async
import nudgescribe_async.stores
import nudgescribe_async.testing
import nudgescribe_async.types
import nudgescribe_sync
import nudgescribe_sync.resources
import nudgescribe_sync.types
from nudgescribe_async import (
    APIConnectError,
    APIConnectionError,
    APIConnectTimeoutError,
    APITimeoutError,
    AsyncNudgescribe,
)
from tests._support.credentials import TEST_CREDENTIALS


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connect_errors_sit_under_api_connection_error() -> None:
    """APIConnectError is an APIConnectionError; a connect timeout is both it and a timeout."""
    assert issubclass(APIConnectError, APIConnectionError)
    assert issubclass(APIConnectTimeoutError, APIConnectError)
    assert issubclass(APIConnectTimeoutError, APITimeoutError)
    assert nudgescribe_sync.APIConnectError is APIConnectError


@pytest.mark.parametrize(
    "package",
    [
        nudgescribe_async,
        nudgescribe_async.stores,
        nudgescribe_async.testing,
        nudgescribe_async.types,
        nudgescribe_sync,
        nudgescribe_sync.resources,
        nudgescribe_sync.types,
    ],
    ids=lambda p: p.__name__,
)
def test_public_classes_report_their_public_module(package: object) -> None:
    """No class a package exports names a private module in its __module__.

    Model classes keep their defining (public) module: cattrs and attrs resolve their
    annotations there.
    """
    for name in package.__all__:  # type: ignore[attr-defined]
        value = getattr(package, name)
        if isinstance(value, type):
            assert not any(part.startswith("_") for part in value.__module__.split(".")), name
            assert getattr(sys.modules[value.__module__], name) is value


async def test_refused_connection_raises_the_public_connect_error() -> None:
    """A refused connection raises APIConnectError naming host, port and the OS reason."""
    port = _closed_port()
    async with AsyncNudgescribe(
        **TEST_CREDENTIALS, base_url=f"http://127.0.0.1:{port}", max_retries=0
    ) as client:
        with pytest.raises(APIConnectError) as info:
            await client.workspaces.list()
    assert type(info.value) is APIConnectError
    assert f"cannot connect to 127.0.0.1:{port}: connection refused" in str(info.value)


def test_sync_refused_connection_report_is_short_and_ends_in_one_clear_line() -> None:
    """An uncaught refused connection from the sync client prints a short report, one last line."""
    port = _closed_port()
    script = textwrap.dedent(f"""
        from nudgescribe_sync import Nudgescribe
        with Nudgescribe(api_key="k", email="e@example.test", api_secret="s", api_code="C",
                         base_url="http://127.0.0.1:{port}", max_retries=0) as client:
            client.workspaces.list()
    """)
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1
    assert lines[-1] == (
        f"nudgescribe_async.APIConnectError: cannot connect to 127.0.0.1:{port}:"
        f" connection refused (POST http://127.0.0.1:{port}/v1/auth)"
    )
    assert len(lines) <= 25, run.stderr
    assert "_portal.py" not in run.stderr and "_transport.py" not in run.stderr
