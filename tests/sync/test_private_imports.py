"""The sync package reaches the async one through its public modules, except a pinned few."""

from __future__ import annotations

import ast
from pathlib import Path

import nudgescribe_sync

SYNC_ROOT = Path(nudgescribe_sync.__file__).parent
#: The private async modules the sync package may import, and why it needs each one.
ALLOWED = {
    "nudgescribe_async._public": "publish(): the httpx-style __module__ rewrite of public classes",
    "nudgescribe_async._contract": "the CLI checks page sizes and columns against contract values",
}


def private_async_imports(files: list[Path]) -> dict[str, list[str]]:
    """Private ``nudgescribe_async`` module -> the files importing it (also under TYPE_CHECKING)."""
    found: dict[str, list[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] == "nudgescribe_async" and any(p.startswith("_") for p in parts):
                    found.setdefault(module, []).append(path.name)
    return found


def test_sync_package_imports_only_the_pinned_private_async_modules() -> None:
    """A new private async import in nudgescribe_sync (generated code included) fails here."""
    found = private_async_imports(sorted(SYNC_ROOT.rglob("*.py")))
    assert sorted(found) == sorted(ALLOWED), found


def test_check_sees_private_imports_anywhere_in_a_module(tmp_path: Path) -> None:
    """Top-level, TYPE_CHECKING and function-level private imports are all reported."""
    module = tmp_path / "leaky.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "import nudgescribe_async._errors\n"
        "from nudgescribe_async.types import NOT_GIVEN\n"
        "if TYPE_CHECKING:\n"
        "    from nudgescribe_async.stores._base import TokenStore\n"
        "def f():\n"
        "    from nudgescribe_async._types import CallOptions\n"
    )
    assert private_async_imports([module]) == {
        "nudgescribe_async._errors": ["leaky.py"],
        "nudgescribe_async.stores._base": ["leaky.py"],
        "nudgescribe_async._types": ["leaky.py"],
    }
