"""Every operation of the document has an SDK method and every SDK method a documented operation.

One end-to-end walk calls every public resource method of the async client against the
reference server, over a session that records each HTTP exchange. Each exchange must be a
documented operation answering a documented status with a body valid against the document's
schema; each method the document names (``x-nudgescribe-sdk-method``) must reach its operation.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson
import pytest
from yarl import URL

from nudgescribe_async import AsyncNudgescribe, NudgescribeError
from nudgescribe_async.models import FieldUpdate
from nudgescribe_async.resources._base import AsyncResource
from nudgescribe_async.testing import ReferenceServer
from tests._support.openapi_doc import OPS, Operation, response_validator
from tests._support.openapi_doc import OPS_BY_SDK_METHOD as BY_SDK_METHOD

#: SDK methods built on other operations (no endpoint of their own), with what they call.
DERIVED = {
    "campaigns.get": {"POST /v1/campaign/all"},
    "campaigns.wait_for_status": {"POST /v1/campaign/all"},
    "customers.list": {"POST /v1/customer/pages", "POST /v1/customer"},
    "customers.wait_for_upload": {"POST /v1/customer/pages"},
    "messages.list": {"POST /v1/messages/pages", "POST /v1/messages/fetch"},
    "messages.wait_for_export": {"POST /v1/messages/pages"},
    "reruns.list_messages": {"POST /v1/campaign/rerun/messages"},
    "workspaces.list": {"POST /v1/campaign/all"},
}


def sdk_methods(client: AsyncNudgescribe) -> set[str]:
    """``resource.method`` for every public method of every resource of ``client``."""
    found = set()
    for attr, resource in vars(client).items():
        if attr.startswith("_") or not isinstance(resource, AsyncResource):
            continue
        for name, _ in inspect.getmembers(resource, inspect.ismethod):
            if not name.startswith("_"):
                found.add(f"{attr}.{name}")
    return found


@dataclass
class Exchange:
    """One recorded HTTP exchange."""

    key: str
    status: int
    body: Any


@dataclass
class Recorder:
    """Collects each exchange of a session through aiohttp's tracing hooks.

    ``on_request_end`` gives the status when the headers arrive; ``on_response_chunk_received``
    the body once the SDK has read it. A body goes to the oldest exchange of the same method
    and URL still without one (concurrent pages share both; all they differ in is the body).
    """

    pending: list[tuple[str, str, int, list[bytes]]] = field(default_factory=list)

    def trace(self) -> aiohttp.TraceConfig:
        """A trace config recording statuses and bodies."""
        config = aiohttp.TraceConfig()

        async def on_end(
            _: aiohttp.ClientSession, __: Any, params: aiohttp.TraceRequestEndParams
        ) -> None:
            self.pending.append((params.method, str(params.url), params.response.status, []))

        async def on_chunk(
            _: aiohttp.ClientSession, __: Any, params: aiohttp.TraceResponseChunkReceivedParams
        ) -> None:
            for method, url, _status, body in self.pending:
                if (method, url) == (params.method, str(params.url)) and not body:
                    body.append(params.chunk)
                    return

        config.on_request_end.append(on_end)
        config.on_response_chunk_received.append(on_chunk)
        return config

    async def take(self) -> list[Exchange]:
        """The exchanges recorded since the last call."""
        taken, self.pending = self.pending, []
        return [
            Exchange(f"{method} {URL(url).path}", status, orjson.loads(b"".join(body)))
            for method, url, status, body in taken
        ]


@dataclass
class World:
    """Ids of the seeded data the walk works on."""

    workspace_id: str
    group_id: str
    published_id: str
    ready_id: str
    next_group_id: str
    ids: dict[str, str] = field(default_factory=dict)


def seed(server: ReferenceServer) -> World:
    """A workspace with fields, a group of 6 customers, a Published and a ready campaign."""
    wid = server.seed_workspace("Shop").workspace_id
    server.seed_profile_field(wid, "email", is_required=True, is_unique=True)
    server.seed_profile_field(wid, "tier")
    people = server.seed_group(wid, "People").customer_group_id
    server.seed_customers(
        people,
        [{"email": f"p{n}@example.test", "tier": ("gold", "silver")[n % 2]} for n in range(6)],
    )
    nxt = server.seed_group(wid, "Next").customer_group_id
    server.seed_customers(
        nxt,
        [
            {"email": "n1@example.test", "tier": "gold"},
            {"email": "n2@example.test", "tier": "bronze"},
        ],
    )
    published = server.seed_campaign(
        wid, "Launch", customer_group_id=people, status="Published", segment_field="tier"
    )
    ready = server.seed_campaign(
        wid, "Ready", customer_group_id=people, status="Ready to publish", segment_field="tier"
    )
    return World(wid, people, published.campaign_id, ready.campaign_id, nxt)


Call = Callable[[AsyncNudgescribe, World], Awaitable[Any]]


async def _remember(world: World, key: str, value: str) -> str:
    world.ids[key] = value
    return value


async def _create_field(c: AsyncNudgescribe, w: World) -> Any:
    return await _remember(
        w, "field", (await c.profile_fields.create(w.workspace_id, "nickname", "string")).field_id
    )


async def _create_group(c: AsyncNudgescribe, w: World) -> Any:
    return await _remember(
        w, "group", (await c.customer_groups.create(w.workspace_id, "Temporary")).customer_group_id
    )


async def _delete_customer(c: AsyncNudgescribe, w: World) -> Any:
    page = await c.customers.get_page(w.group_id, 1, page_size=1)
    return await c.customers.delete(w.group_id, [page.customers[0].customer_id])


async def _upload_both_ways(c: AsyncNudgescribe, w: World) -> Any:
    await c.customers.upload(
        w.workspace_id,
        w.group_id,
        unique_field="email",
        customers=[{"email": "new@example.test", "tier": "gold"}],
    )
    return await c.customers.upload(
        w.workspace_id,
        w.group_id,
        unique_field="email",
        file=b"email,tier\nnew2@example.test,silver\n",
    )


async def _fetch_every_format(c: AsyncNudgescribe, w: World) -> Any:
    for fmt in ("json", "csv", "url"):
        await c.messages.fetch(w.published_id, 1, format=fmt)


#: The walk, in an order where each call finds what it needs. Each entry: the SDK method it
#: covers and the call.
WALK: list[tuple[str, Call]] = [
    ("auth.authenticate", lambda c, w: c.auth.authenticate()),
    ("auth.refresh", lambda c, w: c.auth.refresh()),
    ("profile_fields.create", _create_field),
    ("profile_fields.list", lambda c, w: c.profile_fields.list(w.workspace_id)),
    (
        "profile_fields.update",
        lambda c, w: c.profile_fields.update(
            w.workspace_id, [FieldUpdate(field_id=w.ids["field"], display_name="Nick")]
        ),
    ),
    (
        "profile_fields.delete",
        lambda c, w: c.profile_fields.delete(w.workspace_id, [w.ids["field"]]),
    ),
    ("customer_groups.create", _create_group),
    ("customer_groups.list", lambda c, w: c.customer_groups.list(w.workspace_id)),
    (
        "customer_groups.update",
        lambda c, w: c.customer_groups.update(w.ids["group"], description="for a while"),
    ),
    ("customer_groups.delete", lambda c, w: c.customer_groups.delete(w.ids["group"])),
    ("customers.upload", _upload_both_ways),
    (
        "customers.wait_for_upload",
        lambda c, w: c.customers.wait_for_upload(
            w.group_id, min_customers=1, timeout=5, poll_interval=0.01
        ),
    ),
    ("customers.count_pages", lambda c, w: c.customers.count_pages(w.group_id)),
    ("customers.get_page", lambda c, w: c.customers.get_page(w.group_id, 1)),
    ("customers.list", lambda c, w: c.customers.list(w.group_id, page_size=3).collect()),
    ("customers.delete", _delete_customer),
    ("campaigns.list", lambda c, w: c.campaigns.list()),
    ("workspaces.list", lambda c, w: c.workspaces.list()),
    ("campaigns.get", lambda c, w: c.campaigns.get(w.published_id)),
    (
        "campaigns.wait_for_status",
        lambda c, w: c.campaigns.wait_for_status(
            w.published_id, "Published", timeout=5, poll_interval=0.01
        ),
    ),
    ("messages.publish", lambda c, w: c.messages.publish(w.ready_id)),
    (
        "messages.wait_for_export",
        lambda c, w: c.messages.wait_for_export(w.ready_id, timeout=5, poll_interval=0.01),
    ),
    ("messages.count_pages", lambda c, w: c.messages.count_pages(w.published_id)),
    ("messages.fetch", _fetch_every_format),
    ("messages.list", lambda c, w: c.messages.list(w.published_id).collect()),
    ("reruns.history", lambda c, w: c.reruns.history(w.published_id)),
    ("reruns.get_messages", lambda c, w: c.reruns.get_messages(w.published_id)),
    (
        "reruns.list_messages",
        lambda c, w: c.reruns.list_messages(w.published_id, run_number=1, page_size=4).collect(),
    ),
    ("reruns.initiate", lambda c, w: c.reruns.initiate(w.published_id, w.next_group_id)),
]


@pytest.fixture
async def recorded() -> AsyncIterator[tuple[ReferenceServer, AsyncNudgescribe, Recorder]]:
    """A server and a client whose session records every response."""
    recorder = Recorder()
    async with (
        ReferenceServer() as server,
        aiohttp.ClientSession(trace_configs=[recorder.trace()]) as session,
        AsyncNudgescribe(**server.client_kwargs(), session=session) as client,
    ):
        yield server, client, recorder


def test_every_operation_names_an_sdk_method_and_every_method_is_covered() -> None:
    """The document's SDK methods plus the derived ones are exactly the client's methods."""
    client = AsyncNudgescribe(
        api_key="k", email="e@example.test", api_secret="s", api_code="C", client_ip="127.0.0.1"
    )
    methods = sdk_methods(client)
    assert methods == set(BY_SDK_METHOD) | set(DERIVED)
    assert not set(BY_SDK_METHOD) & set(DERIVED)
    assert {name for name, _ in WALK} == methods
    for calls in DERIVED.values():
        assert calls <= set(OPS)


def _check(exchange: Exchange) -> Operation:
    op = OPS.get(exchange.key)
    assert op is not None, f"{exchange.key} is not in the document"
    code = str(exchange.status)
    assert code in op.spec["responses"] or f"{code[0]}XX" in op.spec["responses"], (
        f"{exchange.key} answered an undocumented {code}: {exchange.body}"
    )
    errors = [e.message for e in response_validator(op, exchange.status).iter_errors(exchange.body)]
    assert not errors, (exchange.key, exchange.status, errors)
    return op


async def test_every_sdk_method_reaches_documented_operations_with_valid_bodies(
    recorded: tuple[ReferenceServer, AsyncNudgescribe, Recorder],
) -> None:
    """Walk every SDK method: each exchange is documented, 200, and its body validates."""
    server, client, recorder = recorded
    world = seed(server)
    reached: set[str] = set()
    for name, call in WALK:
        await call(client, world)
        exchanges = await recorder.take()
        keys = {_check(exchange).key for exchange in exchanges}
        assert all(e.status == 200 for e in exchanges), (name, exchanges)
        expected = DERIVED.get(name) or {BY_SDK_METHOD[name].key}
        assert expected <= keys | {"POST /v1/auth"}, (name, keys)
        reached |= keys
    assert reached == set(OPS)


async def test_error_bodies_of_the_server_match_the_document(
    recorded: tuple[ReferenceServer, AsyncNudgescribe, Recorder],
) -> None:
    """The server's 400, 401, 404 and 409 answers validate against the error schemas."""
    server, client, recorder = recorded
    world = seed(server)
    attempts: list[Callable[[], Awaitable[Any]]] = [
        lambda: client.campaigns.get("missing"),
        lambda: client.customer_groups.create(world.workspace_id, "People"),
        lambda: client.reruns.initiate(world.ready_id, world.next_group_id),
        lambda: client.customers.upload(
            world.workspace_id, world.group_id, unique_field="email", customers=[{"bogus": "x"}]
        ),
        lambda: client.request("POST", "/v1/cg", json={}),
        lambda: client.reruns.history("missing"),
    ]
    for attempt in attempts:
        with contextlib.suppress(NudgescribeError):  # the exchange is what is checked
            await attempt()
    exchanges = [e for e in await recorder.take() if e.key != "POST /v1/auth"]
    assert sorted(e.status for e in exchanges) == [200, 400, 400, 401, 404, 409]
    for exchange in exchanges:
        _check(exchange)
