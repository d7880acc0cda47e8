"""The public surface is typed; every SDK type it names has a public home (``types``)."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from typing import Any, TypeVar, get_args, get_type_hints

import attrs
import pytest
from typing_extensions import get_overloads

import nudgescribe_async.models as models
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async._types import RequestSpec
from nudgescribe_async.resources._base import AsyncResource
from nudgescribe_async.types import Permit, TimeoutLike
from nudgescribe_sync._forward import SyncResource
from tests._support.credentials import TEST_BASE_URL, TEST_CREDENTIALS
from tests._support.typing_scope import name_sources, typing_namespace

# Where untyped JSON is the point: user-supplied extra keys, the raw escape hatch, and the
# unknown keys a model keeps.
ALLOWED = {"extra_body", "json", "extra"}
ALLOWED_RETURNS = {"AsyncNudgescribe.request"}


def _mentions_any(hint: object) -> bool:
    if hint is Any:
        return True
    return any(_mentions_any(arg) for arg in get_args(hint))


def _public_methods() -> list[tuple[str, object]]:
    client = AsyncNudgescribe(**TEST_CREDENTIALS, base_url=TEST_BASE_URL)
    found: list[tuple[str, object]] = [
        (f"AsyncNudgescribe.{name}", getattr(client, name)) for name in ("request", "with_options")
    ]
    for attribute in (
        "auth",
        "profile_fields",
        "customer_groups",
        "customers",
        "campaigns",
        "messages",
        "reruns",
    ):
        resource = getattr(client, attribute)
        for name, method in inspect.getmembers(resource, inspect.ismethod):
            if not name.startswith("_"):
                found.append((f"{attribute}.{name}", method))
    return found


@pytest.mark.parametrize(("name", "method"), _public_methods(), ids=lambda v: str(v)[:60])
def test_no_any_in_public_method_signatures(name: str, method: Any) -> None:
    """Arguments and results of public methods are typed (Any only in JSON pass-throughs)."""
    hints = get_type_hints(method)
    leaks = [
        arg
        for arg, hint in hints.items()
        if _mentions_any(hint)
        and arg not in ALLOWED
        and not (arg == "return" and name in ALLOWED_RETURNS)
    ]
    assert leaks == [], f"{name}: Any in {leaks}"


@pytest.mark.parametrize(
    "cls", [getattr(models, n) for n in models.__all__ if attrs.has(getattr(models, n, None))]
)
def test_no_any_in_model_attributes(cls: type) -> None:
    """Model attributes are typed; only ``extra`` holds untyped JSON."""
    hints = typing.get_type_hints(cls)
    leaks = [
        a.name for a in attrs.fields(cls) if _mentions_any(hints[a.name]) and a.name not in ALLOWED
    ]
    assert leaks == []


# --- every type a public signature names has a public home ----------------------------------

PUBLIC_MODULES = (
    "nudgescribe_async",
    "nudgescribe_async.models",
    "nudgescribe_async.resources",
    "nudgescribe_async.stores",
    "nudgescribe_async.types",
    "nudgescribe_sync",
    "nudgescribe_sync.resources",
    "nudgescribe_sync.types",
)
# Built by the client from its internals, never by users: their constructors are not API.
CLIENT_BUILT = (AsyncResource, SyncResource)


def _exports() -> dict[str, object]:
    """``module.name`` -> object for every name in a public module's ``__all__``."""
    found: dict[str, object] = {}
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for export in module.__all__:
            found[f"{name}.{export}"] = getattr(module, export)
    return found


def _defining_module(cls: type) -> str:
    """The module whose source defines ``cls`` (``__module__`` may name its public home)."""
    for value in vars(cls).values():
        if inspect.isfunction(value):
            return value.__module__
    return cls.__module__


def _signature_parts(cls: type) -> Iterator[tuple[str, str, str | None, object]]:
    """``(where, module, annotation, default)`` of every public signature part of ``cls``."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("nudgescribe"):
            continue
        module = _defining_module(klass)
        for attribute, annotation in vars(klass).get("__annotations__", {}).items():
            if not attribute.startswith("_"):
                yield f"{klass.__name__}.{attribute}", module, annotation, None
        for name, value in vars(klass).items():
            func = value.fget if isinstance(value, property) else value
            func = getattr(func, "__func__", func)  # classmethod, staticmethod
            public = not name.startswith("_") or (
                name == "__init__" and not issubclass(cls, CLIENT_BUILT)
            )
            if not public or not inspect.isfunction(func):
                continue
            for variant in [*get_overloads(func), func]:
                for param in inspect.signature(variant).parameters.values():
                    where = f"{klass.__name__}.{name}({param.name})"
                    yield where, func.__module__, _text(param.annotation), param.default
                returns = _text(inspect.signature(variant).return_annotation)
                yield f"{klass.__name__}.{name}() return", func.__module__, returns, None


def _text(annotation: object) -> str | None:
    """A string annotation (every SDK module defers them), ``None`` where there is none."""
    return None if annotation is inspect.Parameter.empty else str(annotation)


def _names(annotation: str) -> Iterator[str]:
    """The free names of an annotation, also inside quoted forward references."""
    yield from _free_names(ast.parse(annotation, mode="eval").body)


def _free_names(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield from _names(node.value)
    elif isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("Literal"):
        yield from _free_names(node.value)  # the values are data, not forward references
    else:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                yield from _free_names(child)


def _is_public(cls: type) -> bool:
    module = cls.__module__
    return not any(part.startswith("_") for part in module.split(".")) and (
        getattr(sys.modules[module], cls.__qualname__, None) is cls
    )


def private_names(classes: list[type], exports: dict[str, object]) -> list[str]:
    """Where a signature of ``classes`` names an SDK type with no public home, and which."""
    exported = {id(value) for value in exports.values()}
    problems: set[str] = set()
    for cls in classes:
        for where, module, annotation, default in _signature_parts(cls):
            if annotation is not None:
                namespace, sources = typing_namespace(module), name_sources(module)
                for name in _names(annotation):
                    value = namespace.get(name)
                    source = sources.get(name, module if name in vars(sys.modules[module]) else "")
                    if not source.startswith(("nudgescribe", "tests")):
                        continue  # builtins, typing, collections.abc, aiohttp, ...
                    if isinstance(value, (TypeVar, types.ModuleType)):
                        continue
                    if id(value) not in exported:
                        problems.add(f"{where}: {name} is exported by no public module")
                    elif isinstance(value, type) and not _is_public(value):
                        problems.add(f"{where}: {name} reports {value.__module__}")
            kind = type(default)
            if kind.__module__.startswith("nudgescribe") and not _is_public(kind):
                problems.add(f"{where}: default of type {kind.__module__}.{kind.__name__}")
    return sorted(problems)


def test_every_type_in_a_public_signature_has_a_public_home() -> None:
    """Each SDK type a public signature names is exported by a public module and reports one."""
    exports = _exports()
    classes = list({id(v): v for v in exports.values() if isinstance(v, type)}.values())
    assert private_names(classes, exports) == []


class _Leaky:
    def send(self, spec: RequestSpec, *, timeout: TimeoutLike = 1.0) -> Permit: ...


_Leaky.__module__ = "nudgescribe_async.leaky"  # checked as an SDK class


def test_private_name_check_reports_leaks() -> None:
    """The check names a private type in a signature and accepts the public ones beside it."""
    problems = private_names([_Leaky], _exports())
    assert problems == ["_Leaky.send(spec): RequestSpec is exported by no public module"]


def test_types_module_exports_the_signature_types() -> None:
    """nudgescribe_async.types holds the aliases and sentinels, as the same objects."""
    import nudgescribe_async
    import nudgescribe_async.types as public
    from nudgescribe_async import _config, _pagination, _types
    from nudgescribe_async.resources import customers

    assert public.TimeoutLike is _types.TimeoutLike
    assert public.NOT_GIVEN is _types.NOT_GIVEN is nudgescribe_async.NOT_GIVEN
    assert public.NotGiven is nudgescribe_async.NotGiven
    assert (public.Decrypt, public.Environment) == (_config.Decrypt, _config.Environment)
    assert public.DEFAULT_CONCURRENCY == _pagination.DEFAULT_CONCURRENCY
    assert (public.CsvFile, public.DecryptArg) == (customers.CsvFile, customers.DecryptArg)
    assert public.Permit.__module__ == "nudgescribe_async.types"
    assert set(public.__all__) <= set(dir(public))


def test_sync_types_are_the_async_objects() -> None:
    """nudgescribe_sync.types re-exports the async types themselves, plus Pager and Runner."""
    import nudgescribe_async.types as async_types
    import nudgescribe_sync
    import nudgescribe_sync.types as sync_types

    shared = set(sync_types.__all__) & set(async_types.__all__)
    assert shared == set(sync_types.__all__) - {"Pager", "Runner"}
    for name in shared:
        assert getattr(sync_types, name) is getattr(async_types, name), name
    assert sync_types.Pager is nudgescribe_sync.Pager
    assert sync_types.Runner.__module__ == "nudgescribe_sync.types"


def test_plain_import_publishes_the_signature_classes() -> None:
    """After only ``import nudgescribe_sync``, the classes of the public homes report them."""
    script = (
        "import nudgescribe_sync, sys\n"
        "from nudgescribe_async._adaptive import Permit\n"
        "from nudgescribe_async.stores._base import TokenStore\n"
        "from nudgescribe_sync._forward import Runner\n"
        "from nudgescribe_sync._resources import Customers\n"
        "print(*(c.__module__ for c in (Permit, TokenStore, Runner, Customers)))\n"
        "print('nudgescribe_async.resources' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == [
        "nudgescribe_async.types nudgescribe_async.stores nudgescribe_sync.types"
        " nudgescribe_sync.resources",
        "False",
    ]
