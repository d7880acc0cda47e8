"""One async method rendered as its blocking twin (``generate_sync.py``'s method writer).

The signature is copied from the async source (AST), so defaults keep their names
(``NOT_GIVEN``, ``DEFAULT_CONCURRENCY``) and overloads come along; ``AsyncPager`` becomes
``Pager`` and docstrings drop ``await``. The body only forwards: a coroutine method through
``self._run`` (one portal hop), a method returning an ``AsyncPager`` by wrapping it in
``Pager``. Lines may be long: ruff formats the module afterwards.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

from generate_sync_imports import Imports
from typing_extensions import get_overloads

__all__ = ["WIDTH", "Method", "docstring", "sync_text"]

#: ruff's line length (pyproject.toml): ruff format does not wrap docstrings, so we do.
WIDTH = 100


def sync_text(doc: str) -> str:
    """An async docstring, reworded for the blocking twin."""
    doc = re.sub(r"\bawait\s+", "", doc)
    doc = re.sub(r"\basync (for|with)\b", r"\1", doc)
    return re.sub(r"\bAsync([A-Z]\w*)", r"\1", doc)


class _RenamePager(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.Name:
        return ast.Name("Pager", node.ctx) if node.id == "AsyncPager" else node


def _function_node(func: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef:
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    node = tree.body[0]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)), func
    return node


class Method:
    """One async method, rendered as its sync twin."""

    def __init__(self, owner: str, name: str, func: Callable[..., Any], imports: Imports) -> None:
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
        lines += docstring(sync_text(inspect.getdoc(self.func) or f"Blocking {self.name}."))
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
        tail = " ..." if stub else ""
        return [f"    def {self.name}({', '.join(params)}) -> {returns}:{tail}"]

    def _params(self, args: ast.arguments) -> Iterator[str]:
        positional = [*args.posonlyargs, *args.args][1:]  # drop self
        defaults: list[ast.expr | None] = [None] * (
            len(args.posonlyargs) + len(args.args) - len(args.defaults)
        ) + list(args.defaults)
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
        target = f"self._target().{self.name}({', '.join(call)})"
        if self.returns_pager:
            return [f"        return Pager({target}, self._run)"]
        return [f"        return self._run(lambda: {target})"]


def docstring(doc: str, indent: str = "        ") -> list[str]:
    prefix = 'r"""' if "\\" in doc else '"""'
    lines = doc.splitlines()
    if len(lines) == 1 and len(indent) + len(doc) + 6 <= WIDTH:
        return [f'{indent}{prefix}{doc}"""']
    body = [f"{indent}{line}" if line else "" for line in lines[1:]]
    return [f"{indent}{prefix}{lines[0]}", *body, f'{indent}"""']
