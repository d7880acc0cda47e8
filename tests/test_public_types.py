"""The public surface is typed: ``Any`` appears only where JSON passes through untyped."""

from __future__ import annotations

import inspect
import typing
from typing import Any, get_args, get_type_hints

import attrs
import pytest

import nudgescribe_async.models as models
from nudgescribe_async import AsyncNudgescribe
from tests.helpers import TEST_BASE_URL, TEST_CREDENTIALS

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
