"""Fixtures for the CLI tests: the installed ``nudgescribe`` command and a seeded server.

The command runs in subprocesses (as users run it), against one reference server per module
on a background thread; HOME and XDG_CONFIG_HOME point at a temporary directory.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pytest

from nudgescribe_async.testing import ReferenceServer
from tests.sync.conftest import ThreadedServer

#: The console script installed next to this interpreter by ``pip install -e '.[dev]'``.
COMMAND = str(Path(sys.executable).with_name("nudgescribe"))

BIG = 20_000


@attrs.frozen
class Seeded:
    """Ids of the module's dataset."""

    workspace_id: str
    big_group: str
    small_group: str
    campaign_id: str


def run_cli(
    *args: str, env: Mapping[str, str], timeout: float = 60, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run ``nudgescribe ARGS`` to completion; capture text stdout and stderr."""
    return subprocess.run(
        [COMMAND, *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def interrupt_when_saved(
    args: Sequence[str], env: Mapping[str, str], sidecar: Path, pages: int
) -> tuple[int, str]:
    """Run a bulk command, SIGINT it once its sidecar records ``pages`` pages saved.

    Returns the exit status and stderr; the process is always reaped.
    """
    proc = subprocess.Popen(
        [COMMAND, *args], env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while not (sidecar.exists() and json.loads(sidecar.read_text())["pages"] >= pages):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, err


@contextmanager
def serving(
    args: Sequence[str], env: Mapping[str, str]
) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """Start a command that serves (``mock serve``, ``demo --serve``); yield it with the
    ``NUDGESCRIBE_*`` exports it printed. The process is killed and reaped on the way out."""
    proc = subprocess.Popen(
        [COMMAND, *args], env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        exports: dict[str, str] = {}
        assert proc.stdout is not None
        while "NUDGESCRIBE_BASE_URL" not in exports:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            if line.startswith("export "):
                name, _, value = line[7:].strip().partition("=")
                exports[name] = value
        yield proc, exports
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadedServer]:
    """A reference server for the whole module, on its own thread."""
    threaded = ThreadedServer(export_rows_per_file=100)
    try:
        yield threaded
    finally:
        threaded.close()


@pytest.fixture(scope="module")
def seeded(server: ThreadedServer) -> Seeded:
    """A workspace with a 20,000-customer group, a small group and a Published campaign."""

    def seed(ref: ReferenceServer) -> Seeded:
        ws = ref.seed_workspace("Shop")
        ref.seed_profile_field(ws.workspace_id, "email", is_unique=True, is_required=True)
        ref.seed_profile_field(ws.workspace_id, "tier")
        ref.seed_profile_field(ws.workspace_id, "joined", "Date", field_format="yyyy-MM-dd")
        big = ref.seed_group(ws.workspace_id, "Big")
        ref.seed_customers(big.customer_group_id, count=BIG)
        small = ref.seed_group(ws.workspace_id, "Small")
        ref.seed_customers(small.customer_group_id, count=250, start=BIG)
        campaign = ref.seed_campaign(
            ws.workspace_id,
            "Launch",
            status="Published",
            customer_group_id=small.customer_group_id,
            segment_field="tier",
        )
        return Seeded(
            ws.workspace_id, big.customer_group_id, small.customer_group_id, campaign.campaign_id
        )

    return server.do(seed)


@pytest.fixture
def env(server: ThreadedServer, tmp_path: Path) -> dict[str, str]:
    """Environment of a fresh user pointed at the module's server (no profiles, no colour)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("NUDGESCRIBE_") and k not in ("FORCE_COLOR", "TERM")
    }
    home = tmp_path / "home"
    home.mkdir()
    return {
        **base,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "COLUMNS": "200",
        **server.do(lambda s: s.env()),
    }
