"""Which imports a generated sync module needs (``generate_sync.py``'s bookkeeping).

:class:`Imports` records every free name a generated module uses and resolves it the way the
async module it came from imports it, except that a name from a private async module is
imported from the public module exporting it (``nudgescribe_async.types``). It renders one
import statement per line, unsorted: ``ruff check --select I --fix`` orders and merges them.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import inspect
from types import ModuleType

__all__ = ["Import", "Imports"]

_TYPING_ONLY = ("nudgescribe_async.models", "nudgescribe_async.resources")
#: Where the sync code imports what an async signature takes from a private module.
_PUBLIC_HOMES = ("nudgescribe_async.types", "nudgescribe_async")

_STRING_ONLY = "  # noqa: F401 (the base class's type argument, a string)"

# An import: ("from", module, name), ("import", module, "") or ("builtin", "", name).
Import = tuple[str, str, str]


class Imports:
    """The names a generated module needs, resolved like the async modules resolve them."""

    def __init__(self) -> None:
        self.needed: set[Import] = set()
        #: Names used only inside a string at runtime (a base class's type argument): imported
        #: for mypy under TYPE_CHECKING, with a ``noqa`` since pyflakes cannot see that use.
        self.string_only: set[str] = set()
        self._tables: dict[str, dict[str, Import]] = {}

    def use(self, expression: ast.expr, module: ModuleType) -> None:
        """Record an import for every free name in ``expression`` (as used in ``module``)."""
        for node in ast.walk(expression):
            if isinstance(node, ast.Name):
                self.needed.add(self._resolve(node.id, module))

    def _resolve(self, name: str, module: ModuleType) -> Import:
        if name == "Pager":  # renamed from AsyncPager, so never in the async module's imports
            return ("from", "nudgescribe_sync._pagination", "Pager")
        if module.__name__ not in self._tables:  # parse each async module once, not per name
            self._tables[module.__name__] = _import_table(module)
        table = self._tables[module.__name__]
        if name in table:
            return _public(table[name])
        if name in vars(module):
            return ("from", module.__name__, name)
        if hasattr(builtins, name):
            return ("builtin", "", name)
        raise LookupError(f"cannot resolve {name!r} used in {module.__name__}")

    def render(self) -> list[str]:
        """The import statements, one per name, models and resources under TYPE_CHECKING."""
        runtime = ["from __future__ import annotations"]
        typing_only: list[str] = []
        for kind, module, name in sorted(self.needed):
            if kind == "import":
                runtime.append(f"import {module}")
            elif kind == "from" and name in self.string_only:
                typing_only.append(
                    f"    from {module} import (\n        {name},{_STRING_ONLY}\n    )"
                )
            elif kind == "from" and _typing_only(module):
                typing_only.append(f"    from {module} import {name}")
            elif kind == "from":
                runtime.append(f"from {module} import {name}")
        if typing_only:
            runtime += ["from typing import TYPE_CHECKING", "", "if TYPE_CHECKING:", *typing_only]
        return [*runtime, ""]


def _public(entry: Import) -> Import:
    """``entry`` or, for a name from a private async module, the public module exporting it."""
    kind, module, name = entry
    if kind != "from" or not module.startswith("nudgescribe_async") or "._" not in module:
        return entry
    value = getattr(importlib.import_module(module), name)
    for home in _PUBLIC_HOMES:
        public = importlib.import_module(home)
        if name in public.__all__ and getattr(public, name) is value:
            return ("from", home, name)
    raise LookupError(f"{module}.{name} is in a signature but no public module exports it")


def _typing_only(module: str) -> bool:
    # Models and async resources appear only in annotations of generated modules (strings
    # under ``from __future__ import annotations``): importing them lazily keeps
    # ``import nudgescribe_sync`` from loading every model and the converter.
    return module.startswith(_TYPING_ONLY)


def _import_table(module: ModuleType) -> dict[str, Import]:
    """Every name ``module`` imports (also under TYPE_CHECKING), as absolute imports."""
    table: dict[str, Import] = {}
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            source = importlib.util.resolve_name(
                "." * node.level + (node.module or ""), module.__package__ or ""
            )
            for alias in node.names:
                table[alias.asname or alias.name] = ("from", source, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                table[alias.asname or alias.name.split(".")[0]] = ("import", alias.name, "")
    return table
