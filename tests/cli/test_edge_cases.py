"""The installed ``nudgescribe`` command at its edges: exit codes, hints, pipes, tables, locks."""

from __future__ import annotations

from .conftest import Seeded, run_cli


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_wait_timeout_hint_names_the_wait_timeout_flag(env: dict[str, str],
                                                       seeded: Seeded) -> None:
    """A wait that times out exits 7 and its hint names --wait-timeout (the wait commands' flag)."""
    result = run_cli("campaigns", "wait", seeded.campaign_id, "--status", "Draft",
                     "--wait-timeout", "0.2", "--poll-interval", "0.05", env=env)
    assert result.returncode == 7, result.stderr
    line = _one_line(result.stderr)
    assert "--wait-timeout" in line and "(--timeout)" not in line
