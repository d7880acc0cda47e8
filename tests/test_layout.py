"""The tests' own layout: shared code lives in ``tests/_support``, not in conftests or tests."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).parent


def _imports(path: Path) -> Iterator[str]:
    """Every dotted name ``path`` imports (``from a import b`` gives ``a`` and ``a.b``)."""
    package = path.relative_to(TESTS.parent).parent.parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def _is_test_code(dotted: str) -> bool:
    """Whether ``dotted`` names a conftest or a test module (of ours, however it is reached)."""
    parts = dotted.split(".")
    if parts[0] != "tests" and parts[0] != "conftest" and not parts[0].startswith("test_"):
        return False
    return any(part == "conftest" or part.startswith("test_") for part in parts)


def test_no_module_imports_a_conftest_or_a_test_module() -> None:
    """No file under tests/ imports a conftest or a test module: shared code is in _support."""
    offenders = [
        f"{path.relative_to(TESTS.parent)}: {dotted}"
        for path in sorted(TESTS.rglob("*.py"))
        for dotted in _imports(path)
        if _is_test_code(dotted)
    ]
    assert offenders == []
