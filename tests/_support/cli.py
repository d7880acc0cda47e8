"""Running the installed ``nudgescribe`` command in subprocesses, as users run it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: The console script installed next to this interpreter by ``pip install -e '.[dev]'``.
COMMAND = str(Path(sys.executable).with_name("nudgescribe"))

BIG = 20_000


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
