"""The reference server stays on loopback, and its command line reports a busy port in one line."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from nudgescribe_async.testing import ReferenceServer


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nudgescribe_async.testing", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.com"])
def test_a_non_loopback_host_is_refused(host: str) -> None:
    """ReferenceServer(host=...) refuses anything but loopback, naming the reason."""
    with pytest.raises(ValueError, match="loopback-only by design"):
        ReferenceServer(host=host)


def test_loopback_spellings_are_accepted() -> None:
    """127.0.0.1, other 127/8 addresses, ::1 and localhost are loopback."""
    for host in ("127.0.0.1", "127.0.0.2", "::1", "localhost"):
        assert ReferenceServer(host=host).host == host


def test_command_line_refuses_host_0_0_0_0() -> None:
    """``--host 0.0.0.0`` exits 2 with an error saying the server is loopback-only."""
    result = _run("--host", "0.0.0.0", "--port", "0")
    assert result.returncode == 2 and result.stdout == ""
    assert "--host 0.0.0.0 refused" in result.stderr and "loopback-only" in result.stderr


def test_command_line_port_in_use_is_one_line() -> None:
    """A port already in use gives exactly one line on stderr and exit status 1."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run("--port", str(port), "--seed", "none")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: port {port} on 127.0.0.1 is already in use; stop the other server or pick "
        "another port with --port (0 = any free port)"
    ]
