"""How a module's string annotations resolve, as mypy sees them (test helpers, not tests)."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import sys
from functools import cache
from typing import Any

__all__ = ["name_sources", "typing_namespace"]


@cache
def typing_namespace(name: str) -> dict[str, Any]:
    """A module's globals plus what it imports under ``if TYPE_CHECKING:``."""
    module = sys.modules[name]
    namespace = dict(vars(module))
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            code = compile(ast.Module(node.body, []), f"<TYPE_CHECKING of {name}>", "exec")
            exec(code, namespace)
    return namespace


@cache
def name_sources(name: str) -> dict[str, str]:
    """Each name the module imports (anywhere in it) -> the absolute module it comes from."""
    module = sys.modules[name]
    package = module.__package__ or ""
    sources: dict[str, str] = {}
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.ImportFrom):
            source = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            for alias in node.names:
                sources[alias.asname or alias.name] = source
        elif isinstance(node, ast.Import):
            for alias in node.names:
                sources[alias.asname or alias.name.split(".")[0]] = alias.name
    return sources
