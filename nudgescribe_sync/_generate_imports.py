"""Import bookkeeping for the sync-resource generator (``_generate.py``).

:class:`Imports` records every free name a generated module uses, resolves it the way the
async module it came from imports it, and renders the import block in the order ruff's isort
rules expect, so generated modules pass ``ruff check`` untouched.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import importlib.util
import inspect
import sys
from types import ModuleType

__all__ = ["Import", "Imports"]

WIDTH = 100
_TYPING_ONLY = ("nudgescribe_async.models", "nudgescribe_async.resources")
#: Where the sync code imports what an async signature takes from a private module.
_PUBLIC_HOMES = ("nudgescribe_async.types", "nudgescribe_async")

# An import: ("from", module, name) or ("import", module, "").
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
        """Import lines grouped and sorted the way ruff's isort rules expect."""
        groups: dict[int, list[str]] = {0: [], 1: [], 2: []}
        straight = sorted({m for kind, m, _ in self.needed if kind == "import"})
        froms: dict[str, set[str]] = {}
        typing_only: list[str] = []
        needed = set(self.needed)
        if any(kind == "from" and _typing_only(module) for kind, module, _ in needed):
            needed.add(("from", "typing", "TYPE_CHECKING"))
        for kind, module, name in needed:
            if kind == "from":
                froms.setdefault(module, set()).add(name)
        for module in straight:
            groups[_section(module)].append(f"import {module}")
        for module in sorted(froms):
            names = sorted(froms[module], key=_isort_key)
            if _typing_only(module):
                typing_only.append(_from_line(module, names, WIDTH - 4, self.string_only))
            else:
                groups[_section(module)].append(_from_line(module, names))
        out = ["from __future__ import annotations", ""]
        for key in (0, 1, 2):
            if groups[key]:
                out += [*groups[key], ""]
        if typing_only:
            out += ["if TYPE_CHECKING:", *[f"    {line}" for line in _indent(typing_only)], ""]
        return out


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


def _isort_key(name: str) -> tuple[int, str]:
    # ruff isort's order-by-type: CONSTANTS, then Classes, then functions/variables.
    if name.isupper() and len(name) > 1:
        return (0, name.lower())
    return (1, name.lower()) if name[:1].isupper() else (2, name.lower())


def _section(module: str) -> int:
    top = module.split(".")[0]
    if top in sys.stdlib_module_names:
        return 0
    return 2 if top.startswith("nudgescribe") else 1


def _typing_only(module: str) -> bool:
    # Models and async resources appear only in annotations of generated modules (strings
    # under ``from __future__ import annotations``): importing them lazily keeps
    # ``import nudgescribe_sync`` from loading every model and the converter.
    return module.startswith(_TYPING_ONLY)


def _indent(lines: list[str]) -> list[str]:
    return [part for line in lines for part in line.split("\n")]


def _from_line(
    module: str,
    names: list[str],
    width: int = WIDTH,
    string_only: set[str] | frozenset[str] = frozenset(),
) -> str:
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= width and not string_only.intersection(names):
        return line
    return "\n".join([f"from {module} import (", *[_item(n, string_only) for n in names], ")"])


def _item(name: str, string_only: set[str] | frozenset[str]) -> str:
    if name in string_only:
        return f"    {name},  # noqa: F401 (the base class's type argument, a string)"
    return f"    {name},"


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
