"""The diagnostic scripts in benchmarks/ still run (they reach into internals that may move)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
# They start the reference server in child processes: CI runs them once, in the first pass.
pytestmark = pytest.mark.processes


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("profile_decode_floor.py", ["--rounds", "1"], "sdk hook"),
        ("profile_call_layers.py", ["--calls", "3"], "get_page"),
        ("profile_get_page.py", ["--calls", "5", "--top", "3"], "function calls"),
    ],
)
def test_profile_script_runs(script: str, args: list[str], expected: str) -> None:
    """Each profile script runs to the end against the local server and prints its table."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        cwd=BENCHMARKS,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert expected in done.stdout
