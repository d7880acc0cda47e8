"""The sync generator is a development script: run from anywhere, reads annotations, not shipped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import generate_sync
import pytest

from nudgescribe_async import AsyncNudgescribe

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_sync.py"


def test_check_command_passes_from_any_directory(tmp_path: Path) -> None:
    """``python scripts/generate_sync.py --check`` exits 0 on the committed output."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert generate_sync.COMMAND == "python scripts/generate_sync.py"


def test_resources_come_from_the_client_annotations(monkeypatch: pytest.MonkeyPatch) -> None:
    """The resource list is AsyncNudgescribe's annotated attributes, found without a client."""

    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError("the generator built a client")

    monkeypatch.setattr(AsyncNudgescribe, "__init__", no_client)
    found = generate_sync.async_resources()
    assert [name for name, _ in found] == list(AsyncNudgescribe.__annotations__)
    assert all(cls.__name__.startswith("Async") for _, cls in found)


def test_generator_is_not_in_the_wheel() -> None:
    """The wheel ships the two packages only, and neither holds the generator any more."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = config["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    assert packages == ["nudgescribe_async", "nudgescribe_sync"]
    shipped = [p.name for package in packages for p in (ROOT / package).rglob("*generate*")]
    assert shipped == []
