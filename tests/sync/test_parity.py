"""The sync surface mirrors the async one: same resources, methods, signatures and names.

The async side is walked independently of the generator (a live AsyncNudgescribe's resource
attributes, each class's public methods), so a method added to an async resource without
regenerating ``_resources/`` fails here, as does any drift in parameters, defaults or
annotations. Annotations are compared as resolved objects, with ``AsyncPager[T]`` expected
to become ``Pager[T]``.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from generate_sync import COMMAND, out_of_date, render_modules, write_modules
from typing_extensions import get_overloads

import nudgescribe_async
import nudgescribe_sync
from nudgescribe_async import AsyncNudgescribe
from nudgescribe_async._pagination import AsyncPager
from nudgescribe_async.resources._base import AsyncResource
from nudgescribe_sync import Nudgescribe, Pager
from tests._support.typing_scope import typing_namespace

_DUMMY: dict[str, Any] = {
    "api_key": "k",
    "email": "e@example.com",
    "api_secret": "s",
    "api_code": "c",
    "base_url": "http://127.0.0.1:9",
}


def _annotation(func: Callable[..., Any], text: Any) -> Any:
    """Resolve one annotation in the namespace of the module that wrote it."""
    if not isinstance(text, str):
        return text
    return eval(text, typing_namespace(func.__module__))


def _sync_equivalent(annotation: Any) -> Any:
    """What the sync twin should declare for an async annotation."""
    if typing.get_origin(annotation) is AsyncPager:
        return Pager[typing.get_args(annotation)]  # type: ignore[misc]
    if annotation is AsyncNudgescribe:
        return Nudgescribe
    return annotation


def signature_problems(name: str, async_func: Any, sync_func: Any) -> Iterator[str]:
    """Every way ``sync_func`` differs from the blocking twin of ``async_func``."""
    if inspect.iscoroutinefunction(sync_func):
        yield f"{name}: the sync twin is a coroutine function"
    a_sig, s_sig = inspect.signature(async_func), inspect.signature(sync_func)
    a_params, s_params = list(a_sig.parameters.values()), list(s_sig.parameters.values())
    if [(p.name, p.kind) for p in a_params] != [(p.name, p.kind) for p in s_params]:
        yield f"{name}: parameters {a_sig} != {s_sig}"
        return
    for a, s in zip(a_params, s_params, strict=True):
        if a.default is not s.default and a.default != s.default:
            yield f"{name}({a.name}): default {a.default!r} != {s.default!r}"
        want = _sync_equivalent(_annotation(async_func, a.annotation))
        if want != _annotation(sync_func, s.annotation):
            yield f"{name}({a.name}): annotation {a.annotation} != {s.annotation}"
    want = _sync_equivalent(_annotation(async_func, a_sig.return_annotation))
    if want != _annotation(sync_func, s_sig.return_annotation):
        yield f"{name}: returns {a_sig.return_annotation} != {s_sig.return_annotation}"


def class_problems(
    async_cls: type, sync_cls: type, skip: frozenset[str] = frozenset()
) -> list[str]:
    """Missing, extra or differing public methods (and overloads) between two classes."""

    def public(cls: type) -> dict[str, Any]:
        return {
            name: value
            for klass in reversed(cls.__mro__)
            if klass not in (object, AsyncResource)
            and klass.__module__ != "typing"
            and not klass.__module__.startswith("nudgescribe_sync._forward")
            for name, value in vars(klass).items()
            if not name.startswith("_") and inspect.isfunction(value) and name not in skip
        }

    async_methods, sync_methods = public(async_cls), public(sync_cls)
    problems = [
        f"{sync_cls.__name__} lacks {name}()" for name in async_methods if name not in sync_methods
    ]
    problems += [
        f"{sync_cls.__name__}.{name}() has no async twin"
        for name in sync_methods
        if name not in async_methods
    ]
    for name in async_methods.keys() & sync_methods.keys():
        qual = f"{sync_cls.__name__}.{name}"
        problems += signature_problems(qual, async_methods[name], sync_methods[name])
        a_over, s_over = get_overloads(async_methods[name]), get_overloads(sync_methods[name])
        if len(a_over) != len(s_over):
            problems.append(f"{qual}: {len(a_over)} async overloads, {len(s_over)} sync")
        for index, (a, s) in enumerate(zip(a_over, s_over, strict=False)):
            problems += signature_problems(f"{qual} overload {index}", a, s)
    return problems


def async_resource_attributes() -> dict[str, type]:
    """Resource attribute -> class, read off a live async client (no I/O happens)."""
    probe = AsyncNudgescribe(**_DUMMY)
    return {
        name: type(value) for name, value in vars(probe).items() if isinstance(value, AsyncResource)
    }


@pytest.fixture(scope="module")
def offline_sync_client() -> Iterator[Nudgescribe]:
    """A sync client that never sends a request."""
    with Nudgescribe(**_DUMMY) as client:
        yield client


@pytest.mark.parametrize("attribute", sorted(async_resource_attributes()))
def test_every_resource_has_a_sync_twin(offline_sync_client: Nudgescribe, attribute: str) -> None:
    """Each async resource attribute exists on the sync client with every method mirrored."""
    async_cls = async_resource_attributes()[attribute]
    declared = typing.get_type_hints(Nudgescribe)[attribute]
    assert isinstance(getattr(offline_sync_client, attribute), declared)
    assert declared.__name__ == async_cls.__name__.removeprefix("Async")
    assert class_problems(async_cls, declared) == []


def test_sync_client_has_no_extra_resources(offline_sync_client: Nudgescribe) -> None:
    """The sync client exposes no resource attribute the async client lacks."""
    extra = {
        name
        for name, value in vars(offline_sync_client).items()
        if not name.startswith("_") and hasattr(value, "_attribute")
    }
    assert extra == set(async_resource_attributes())


def test_client_methods_mirror_the_async_client() -> None:
    """request() and with_options() match; aclose/close and the context managers pair up."""
    assert class_problems(AsyncNudgescribe, Nudgescribe, skip=frozenset({"aclose", "close"})) == []
    assert list(signature_problems("close", AsyncNudgescribe.aclose, Nudgescribe.close)) == []
    for async_name, sync_name in [("__aenter__", "__enter__"), ("__aexit__", "__exit__")]:
        assert hasattr(AsyncNudgescribe, async_name) and hasattr(Nudgescribe, sync_name)
    for prop in ("base_url", "closed"):
        assert isinstance(inspect.getattr_static(Nudgescribe, prop), property)


def test_constructor_matches_except_session() -> None:
    """Nudgescribe takes AsyncNudgescribe's arguments, minus the loop-bound ``session``."""
    async_init = inspect.signature(AsyncNudgescribe.__init__)
    params = [p for p in async_init.parameters.values() if p.name != "session"]

    def reference(*args: Any, **kwargs: Any) -> None: ...

    reference.__signature__ = async_init.replace(parameters=params)  # type: ignore[attr-defined]
    reference.__module__ = AsyncNudgescribe.__init__.__module__  # the class reports its package
    assert list(signature_problems("__init__", reference, Nudgescribe.__init__)) == []


def test_pager_mirrors_async_pager() -> None:
    """Pager has AsyncPager's methods under their blocking names, with the same parameters."""
    pairs = {
        "pages": "pages",
        "collect": "collect",
        "aclose": "close",
        "__aiter__": "__iter__",
        "__await__": "first_page",
        "__aenter__": "__enter__",
        "__aexit__": "__exit__",
    }
    async_public = {n for n in vars(AsyncPager) if not n.startswith("_")}
    assert async_public <= set(pairs) | {"concurrency", "total_pages", "limiter"}
    for async_name, sync_name in pairs.items():
        a_params = list(inspect.signature(getattr(AsyncPager, async_name)).parameters)
        s_params = list(inspect.signature(getattr(Pager, sync_name)).parameters)
        assert len(a_params) == len(s_params), (async_name, a_params, s_params)
    for prop in ("concurrency", "total_pages", "limiter"):
        assert isinstance(inspect.getattr_static(Pager, prop), property)


def test_checker_reports_drift() -> None:
    """The parity check itself fails on a missing method, a changed default or annotation."""

    class AsyncThing:
        async def get(self, thing_id: str, *, page: int = 1) -> int:
            return 0

        async def extra(self) -> None: ...

    class Thing:
        def get(self, thing_id: str, *, page: int = 2) -> str:
            return ""

    problems = class_problems(AsyncThing, Thing)
    assert any("lacks extra()" in p for p in problems)
    assert any("default 1 != 2" in p for p in problems)
    assert any("returns int != str" in p for p in problems)


def test_generated_resources_are_current() -> None:
    """Every ``_resources/`` module equals the generator's output, with no stray files."""
    assert out_of_date() == [], f"run: {COMMAND}"


def test_check_reports_stale_missing_and_extra_modules(tmp_path: Path) -> None:
    """The freshness check names an edited, a deleted and an extra module, and the old file."""
    package = tmp_path / "_resources"
    write_modules(package)
    assert out_of_date(package) == []
    assert sorted(p.name for p in package.iterdir()) == sorted(render_modules())
    (package / "auth.py").write_text((package / "auth.py").read_text() + "# edited\n")
    (package / "reruns.py").unlink()
    (package / "orphans.py").write_text("")
    (tmp_path / "_resources.py").write_text("")
    problems = out_of_date(package)
    for expected in (
        "auth.py is stale",
        "reruns.py is missing",
        "orphans.py is not generated",
        "_resources.py is the old single-file output",
    ):
        assert any(expected in p for p in problems), (expected, problems)
    write_modules(package)
    assert out_of_date(package) == []
    assert not (tmp_path / "_resources.py").exists()


def test_sync_package_reexports_every_exception() -> None:
    """Every exception and NOT_GIVEN of nudgescribe_async is importable from nudgescribe_sync."""
    exported = set(nudgescribe_sync.__all__)
    for name in nudgescribe_async.__all__:
        value = getattr(nudgescribe_async, name)
        if (isinstance(value, type) and issubclass(value, BaseException)) or name == "NOT_GIVEN":
            assert name in exported and getattr(nudgescribe_sync, name) is value
    assert {"Nudgescribe", "Pager"} <= exported
    assert all(hasattr(nudgescribe_sync, name) for name in exported)
