"""Write ``nudgescribe_sync/_resources.py``: ``python -m nudgescribe_sync._generate``.

The generator reads AsyncNudgescribe's resource attributes and each async resource class, and
emits one sync class per resource whose methods have the same names, parameters, defaults,
annotations (``AsyncPager`` becomes ``Pager``), overloads and docstrings (with ``await``
dropped). Signatures are copied from the async source (AST), so defaults keep their names
(``NOT_GIVEN``, ``DEFAULT_CONCURRENCY``); every name used is imported the way the async module
imports it. Bodies only forward: a coroutine method through ``self._run`` (one portal hop), a
method returning an ``AsyncPager`` by wrapping it in ``Pager``.

``--check`` exits 1 (writing nothing) when the committed file differs from what it would write;
``tests/sync/test_parity.py`` runs the same comparison.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import inspect
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from typing_extensions import get_overloads

from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async.resources._base import AsyncResource

__all__ = ["OUTPUT", "async_client_methods", "async_resources", "main", "render"]

OUTPUT = Path(__file__).with_name("_resources.py")
_WIDTH = 100
#: AsyncNudgescribe's own methods that are written by hand in ``_client.py``.
_HAND_WRITTEN = frozenset({"aclose", "with_options"})

# An import: ("from", module, name) or ("import", module, "").
_Import = tuple[str, str, str]


def async_resources() -> list[tuple[str, type[AsyncResource]]]:
    """``(attribute, class)`` of every resource attribute of AsyncNudgescribe, in setup order."""
    probe = AsyncNudgescribe(api_key="-", email="-", api_secret="-", api_code="-",
                             base_url="http://127.0.0.1:9")  # no I/O: sessions are lazy
    return [(name, type(value)) for name, value in vars(probe).items()
            if isinstance(value, AsyncResource)]


def public_methods(cls: type) -> list[tuple[str, Callable[..., Any]]]:
    """Public methods ``cls`` defines itself or inherits from below the resource base."""
    found: dict[str, Callable[..., Any]] = {}
    for klass in reversed(cls.__mro__):
        if klass in (object, AsyncResource):
            continue
        for name, value in vars(klass).items():
            if not name.startswith("_") and inspect.isfunction(value):
                found[name] = value
    return list(found.items())


def async_client_methods() -> list[tuple[str, Callable[..., Any]]]:
    """AsyncNudgescribe's public coroutine methods that the generator forwards."""
    return [(name, func) for name, func in public_methods(AsyncNudgescribe)
            if name not in _HAND_WRITTEN and inspect.iscoroutinefunction(func)]


def sync_name(async_name: str) -> str:
    """``AsyncCustomers`` -> ``Customers``."""
    return async_name.removeprefix("Async")


def sync_text(doc: str) -> str:
    """An async docstring, reworded for the blocking twin."""
    doc = re.sub(r"\bawait\s+", "", doc)
    doc = re.sub(r"\basync (for|with)\b", r"\1", doc)
    return re.sub(r"\bAsync([A-Z]\w*)", r"\1", doc)


class _Imports:
    """The names a generated module needs, resolved like the async modules resolve them."""

    def __init__(self) -> None:
        self.needed: set[_Import] = set()
        self._tables: dict[str, dict[str, _Import]] = {}

    def use(self, expression: ast.expr, module: ModuleType) -> None:
        """Record an import for every free name in ``expression`` (as used in ``module``)."""
        for node in ast.walk(expression):
            if isinstance(node, ast.Name) and node.id != "Pager":
                self.needed.add(self._resolve(node.id, module))

    def _resolve(self, name: str, module: ModuleType) -> _Import:
        table = self._tables.setdefault(module.__name__, _import_table(module))
        if name in table:
            return table[name]
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
        for kind, module, name in self.needed:
            if kind == "from":
                froms.setdefault(module, set()).add(name)
        for module in straight:
            groups[_section(module)].append(f"import {module}")
        for module in sorted(froms):
            names = sorted(froms[module], key=_isort_key)
            groups[_section(module)].append(_from_line(module, names))
        out = ["from __future__ import annotations", ""]
        for key in (0, 1, 2):
            if groups[key]:
                out += [*groups[key], ""]
        return out


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


def _from_line(module: str, names: list[str]) -> str:
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= _WIDTH:
        return line
    return "\n".join([f"from {module} import (", *[f"    {n}," for n in names], ")"])


def _import_table(module: ModuleType) -> dict[str, _Import]:
    """Every name ``module`` imports (also under TYPE_CHECKING), as absolute imports."""
    table: dict[str, _Import] = {}
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


class _RenamePager(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.Name:
        return ast.Name("Pager", node.ctx) if node.id == "AsyncPager" else node


def _function_node(func: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef:
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    node = tree.body[0]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)), func
    return node


class _Method:
    """One async method, rendered as its sync twin."""

    def __init__(self, owner: str, name: str, func: Callable[..., Any], imports: _Imports) -> None:
        self.name, self.func, self.imports = name, func, imports
        self.owner = owner
        self.module = sys.modules[func.__module__]
        self.returns_pager = False

    def render(self) -> list[str]:
        overloads = get_overloads(self.func)
        lines: list[str] = []
        for stub in overloads:
            self.imports.needed.add(("from", "typing", "overload"))
            lines += ["    @overload", *self._header(_function_node(stub), stub=True), ""]
        node = _function_node(self.func)
        lines += self._header(node, stub=False)
        lines += _docstring(sync_text(inspect.getdoc(self.func) or f"Blocking {self.name}."))
        lines += self._body(node)
        return lines

    def _expr(self, node: ast.expr) -> str:
        renamed = _RenamePager().visit(node)
        self.imports.use(renamed, self.module)
        return ast.unparse(renamed)

    def _header(self, node: ast.FunctionDef | ast.AsyncFunctionDef, *, stub: bool) -> list[str]:
        params = ["self", *self._params(node.args)]
        if node.returns is None:
            raise ValueError(f"{self.owner}.{self.name} has no return annotation")
        returns = self._expr(node.returns)
        if not isinstance(node, ast.AsyncFunctionDef):
            if "Pager[" not in returns:
                raise ValueError(f"{self.owner}.{self.name}: a plain method must return a pager")
            self.returns_pager = True
        tail = f") -> {returns}:" + (" ..." if stub else "")
        one_line = f"    def {self.name}({', '.join(params)}{tail}"
        if len(one_line) <= _WIDTH:
            return [one_line]
        return [f"    def {self.name}(", *[f"        {p}," for p in params], f"    {tail}"]

    def _params(self, args: ast.arguments) -> Iterator[str]:
        positional = [*args.posonlyargs, *args.args][1:]  # drop self
        defaults: list[ast.expr | None] = [None] * (
            len(args.posonlyargs) + len(args.args) - len(args.defaults)) + list(args.defaults)
        defaults = defaults[1:]
        for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
            yield self._param(arg, default)
            if args.posonlyargs and index == len(args.posonlyargs) - 2:
                yield "/"
        if args.vararg is not None:
            yield "*" + self._param(args.vararg, None)
        elif args.kwonlyargs:
            yield "*"
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            yield self._param(arg, kw_default)
        if args.kwarg is not None:
            yield "**" + self._param(args.kwarg, None)

    def _param(self, arg: ast.arg, default: ast.expr | None) -> str:
        text = arg.arg
        if arg.annotation is not None:
            text += f": {self._expr(arg.annotation)}"
            if default is not None:
                text += f" = {self._expr(default)}"
        elif default is not None:
            text += f"={self._expr(default)}"
        return text

    def _body(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
        args = node.args
        call = [a.arg for a in [*args.posonlyargs, *args.args][1:]]
        if args.vararg is not None:
            call.append("*" + args.vararg.arg)
        call += [f"{a.arg}={a.arg}" for a in args.kwonlyargs]
        if args.kwarg is not None:
            call.append("**" + args.kwarg.arg)
        target = f"self._target().{self.name}("
        if self.returns_pager:
            return _wrapped("return Pager(", target, call, ["),", "self._run,", ")"])
        return _wrapped("return self._run(", f"lambda: {target}", call, [")", ")"])


def _wrapped(head: str, inner: str, args: list[str], closing: list[str]) -> list[str]:
    """``head inner args closing`` on one line if it fits, else one argument per line."""
    pad = " " * 8
    one_line = f"{pad}{head}{inner}{', '.join(args)}{''.join(closing)}"
    one_line = one_line.replace(",self._run", ", self._run")
    if len(one_line) <= _WIDTH:
        return [one_line]
    inner_close, *rest = closing
    return [f"{pad}{head}", f"{pad}    {inner}", *[f"{pad}        {a}," for a in args],
            f"{pad}    {inner_close}", *[f"{pad}    {c}" for c in rest[:-1]], f"{pad}{rest[-1]}"]


def _docstring(doc: str, indent: str = "        ") -> list[str]:
    prefix = 'r"""' if "\\" in doc else '"""'
    lines = doc.splitlines()
    if len(lines) == 1 and len(indent) + len(doc) + 6 <= _WIDTH:
        return [f'{indent}{prefix}{doc}"""']
    body = [f"{indent}{line}" if line else "" for line in lines[1:]]
    return [f"{indent}{prefix}{lines[0]}", *body, f'{indent}"""']


def _attribute_docs() -> dict[str, str]:
    """The docstrings under ``self.x = ...`` in AsyncNudgescribe._setup."""
    node = _function_node(AsyncNudgescribe._setup)
    docs: dict[str, str] = {}
    for first, second in zip(node.body, node.body[1:], strict=False):
        if (isinstance(first, ast.Assign) and isinstance(first.targets[0], ast.Attribute)
                and isinstance(second, ast.Expr) and isinstance(second.value, ast.Constant)):
            docs[first.targets[0].attr] = str(second.value.value)
    return docs


def render() -> str:
    """The full text of ``_resources.py``."""
    imports = _Imports()
    imports.needed |= {("from", "nudgescribe_sync._forward", "SyncResource"),
                       ("from", "nudgescribe_sync._forward", "Forwarder"),
                       ("from", "nudgescribe_async", "AsyncNudgescribe")}
    body: list[str] = []
    resources = async_resources()
    for attribute, cls in resources:
        imports.needed.add(("from", cls.__module__, cls.__name__))
        body += ["", "", f"class {sync_name(cls.__name__)}(SyncResource[{cls.__name__}]):"]
        body += _docstring(sync_text(inspect.getdoc(cls) or ""), "    ")
        body += ["", f'    _attribute = "{attribute}"']
        for name, func in public_methods(cls):
            body += ["", *_Method(cls.__name__, name, func, imports).render()]
    body += _client_methods(resources, imports)
    if any("Pager(" in line for line in body):
        imports.needed.add(("from", "nudgescribe_sync._pagination", "Pager"))
    names = sorted([sync_name(cls.__name__) for _, cls in resources] + ["ClientMethods"])
    head = ['"""Sync resource classes. GENERATED by ``python -m nudgescribe_sync._generate``; do '
            'not edit.', "", "Each method forwards to its async twin through the client's portal;"
            " see ``_forward.py``.", '"""', ""]
    all_line = ["__all__ = [", *[f'    "{n}",' for n in names], "]"]
    return "\n".join([*head, *imports.render(), *all_line, *body]) + "\n"


def _client_methods(
    resources: list[tuple[str, type[AsyncResource]]], imports: _Imports
) -> list[str]:
    docs = _attribute_docs()
    out = ["", "", "class ClientMethods(Forwarder[AsyncNudgescribe]):",
           '    """The resource attributes and forwarded methods of ``Nudgescribe``."""', ""]
    for attribute, cls in resources:
        out.append(f"    {attribute}: {sync_name(cls.__name__)}")
        if attribute in docs:
            out += _docstring(sync_text(docs[attribute]), "    ")
    out += ["", "    def _attach_resources(self) -> None:"]
    out += [f"        self.{a} = {sync_name(c.__name__)}(self)" for a, c in resources]
    for name, func in async_client_methods():
        out += ["", *_Method("AsyncNudgescribe", name, func, imports).render()]
    return out


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) ``_resources.py``; return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = OUTPUT.read_text() if OUTPUT.exists() else ""
        if current != text:
            sys.stderr.write(f"{OUTPUT} is stale: run python -m nudgescribe_sync._generate\n")
            return 1
        return 0
    OUTPUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
