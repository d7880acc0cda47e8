"""Property tests: any arguments give success, a typed error, or a refusal before any I/O;
any response body gives a model or ResponseDecodeError."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nudgescribe_async as ns
from nudgescribe_async import AsyncNudgescribe, AsyncPager
from nudgescribe_async._convert import structure_response
from nudgescribe_async.models import Model
from nudgescribe_async.testing import ReferenceServer
from tests._support.strategies import JSON, argument
from tests._support.worlds import ReliabilitySeed

RESOURCES = (
    "auth",
    "profile_fields",
    "customer_groups",
    "customers",
    "campaigns",
    "messages",
    "reruns",
    "workspaces",
)


def _methods() -> list[str]:
    probe = AsyncNudgescribe(api_key="k" * 8, email="e", api_secret="s" * 8, api_code="c")
    found = []
    for attr in RESOURCES:
        resource = getattr(probe, attr, None)
        if resource is None:
            continue
        for name, _ in inspect.getmembers(resource, inspect.ismethod):
            if not name.startswith("_"):
                found.append(f"{attr}.{name}")
    return found


METHODS = _methods()


def _pool(seeded: ReliabilitySeed) -> dict[str, list[str]]:
    return {
        "workspace_id": [seeded.workspace_id, "ws_unknown"],
        "customer_group_id": [seeded.group_id, seeded.empty_group_id, "cg_unknown"],
        "new_customer_group_id": [seeded.empty_group_id],
        "campaign_id": [seeded.campaign_id, "c_unknown"],
        "field_id": ["f_unknown"],
        "customer_id": ["cust_unknown"],
    }


def _call_strategy(method: Any, pool: dict[str, list[str]], waiter: bool) -> Any:
    params = inspect.signature(method).parameters
    # A waiter always gets a short timeout: its default (minutes) would stall the suite.
    forced = {"timeout", "poll_interval"} if waiter else set()
    required = {
        n: argument(n, pool, waiter=waiter)
        for n, p in params.items()
        if p.default is inspect.Parameter.empty or n in forced
    }
    optional = {
        n: argument(n, pool, waiter=waiter)
        for n, p in params.items()
        if p.default is not inspect.Parameter.empty and n not in forced
    }
    return st.fixed_dictionaries(required, optional=optional)


async def _run(call: Any) -> Any:
    result = call()
    if inspect.isawaitable(result):
        result = await result
    if isinstance(result, AsyncPager):
        async with result:
            return await result.collect()
    return result


@pytest.mark.parametrize("name", METHODS)
@given(data=st.data())
async def test_any_arguments_give_success_a_typed_error_or_nothing_sent(
    reliability_server: ReferenceServer,
    reliability_seed: ReliabilitySeed,
    reliability_client: AsyncNudgescribe,
    name: str,
    data: st.DataObject,
) -> None:
    """Every public method: a result, an API error, or RequestValidationError with no request."""
    attr, method_name = name.split(".")
    method = getattr(getattr(reliability_client, attr), method_name)
    kwargs = data.draw(
        _call_strategy(method, _pool(reliability_seed), method_name.startswith("wait_for"))
    )
    sent_before = len(reliability_server.requests)
    try:
        await asyncio.wait_for(_run(lambda: method(**kwargs)), 15)
    except ns.RequestValidationError:
        assert len(reliability_server.requests) == sent_before, "refused after sending"
    except (ns.APIStatusError, ns.APITimeoutError, ns.WaitTimeoutError):
        pass  # the server said no, a tiny timeout ran out, or a waiter gave up: all typed


MODELS = sorted(
    {cls for cls in Model.__subclasses__()}
    | {sub for cls in Model.__subclasses__() for sub in cls.__subclasses__()},
    key=lambda cls: cls.__name__,
)


def _shaped(cls: type[Model]) -> st.SearchStrategy[Any]:
    import attrs

    keys = [a.name for a in attrs.fields(cls) if a.name != "extra"]
    return st.fixed_dictionaries({}, optional={k: JSON for k in [*keys, "success", "odd"]})


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_any_response_body_gives_a_model_or_a_decode_error(
    cls: type[Model], data: st.DataObject
) -> None:
    """Every model: arbitrary JSON (shaped like it or not) decodes or raises ResponseDecodeError."""
    body = data.draw(st.one_of(_shaped(cls), JSON))
    try:
        model = structure_response(body, cls, url="http://127.0.0.1/x")
    except ns.ResponseDecodeError as exc:
        assert str(exc) and repr(exc)
    else:
        assert isinstance(model, cls)
        assert repr(model)
