"""Token stores: the memory default, and RedisTokenStore against a real redis-server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from nudgescribe_async import AsyncNudgescribe, AuthenticationError
from nudgescribe_async.stores import (
    MemoryTokenStore,
    RedisTokenStore,
    TokenRecord,
    TokenStore,
    store_key,
)
from nudgescribe_async.testing import ReferenceServer
from nudgescribe_sync import Nudgescribe
from tests._support.threaded import ThreadedServer


@pytest.fixture
async def token_store_server() -> AsyncIterator[ReferenceServer]:
    """A reference server with one workspace."""
    async with ReferenceServer() as srv:
        srv.seed_workspace("Main")
        yield srv


def _workspace(server: ReferenceServer) -> str:
    return next(iter(server.state.workspaces))


def _auth_calls(server: ReferenceServer) -> tuple[int, int]:
    return server.request_count("/v1/auth", "POST"), server.request_count("/v1/auth", "GET")


def test_both_stores_satisfy_the_protocol(redis_db: str) -> None:
    """MemoryTokenStore and RedisTokenStore are TokenStores."""
    assert isinstance(MemoryTokenStore(), TokenStore)
    assert isinstance(RedisTokenStore.from_url(redis_db), TokenStore)


def test_store_key_is_a_digest_without_the_raw_credentials() -> None:
    """The key naming a credential set is a digest of all of it, secret included."""
    key = store_key("http://127.0.0.1:1", "Ada@Example.com", "ns_key_123", "s3cret")
    assert "ns_key_123" not in key and "example" not in key.lower() and "s3cret" not in key
    assert key == store_key("http://127.0.0.1:1", "ada@example.com", "ns_key_123", "s3cret")
    assert key != store_key("http://127.0.0.1:1", "ada@example.com", "ns_key_124", "s3cret")
    assert key != store_key("http://127.0.0.1:1", "ada@example.com", "ns_key_123", "rotated")


def test_record_repr_hides_tokens() -> None:
    """A TokenRecord's repr shows no token."""
    record = TokenRecord("acc-SECRET", "ref-SECRET", 3.0, 9.0, 1.0)
    assert "SECRET" not in repr(record)
    assert TokenRecord.from_json(record.to_json()) == record


async def test_default_store_keeps_single_flight(token_store_server: ReferenceServer) -> None:
    """Without a token_store, 20 concurrent first calls authenticate exactly once."""
    async with AsyncNudgescribe(**token_store_server.client_kwargs()) as client:
        assert isinstance(client._tokens._shared, MemoryTokenStore)
        await asyncio.gather(
            *(client.customer_groups.list(_workspace(token_store_server)) for _ in range(20))
        )
    assert _auth_calls(token_store_server) == (1, 0)


async def test_two_clients_share_one_authentication(
    token_store_server: ReferenceServer, redis_db: str
) -> None:
    """Two clients on one Redis store authenticate once between them."""
    ws = _workspace(token_store_server)
    async with (
        AsyncNudgescribe(
            **token_store_server.client_kwargs(), token_store=RedisTokenStore.from_url(redis_db)
        ) as first,
        AsyncNudgescribe(
            **token_store_server.client_kwargs(), token_store=RedisTokenStore.from_url(redis_db)
        ) as second,
    ):
        await asyncio.gather(*(c.customer_groups.list(ws) for c in (first, second) * 10))
    assert _auth_calls(token_store_server) == (1, 0)


async def test_redis_holds_tokens_under_a_digest_key_only(
    token_store_server: ReferenceServer, redis_db: str
) -> None:
    """Redis holds one record named by a digest: no API key, email or secret anywhere."""
    creds = token_store_server.demo_credentials
    async with AsyncNudgescribe(
        **token_store_server.client_kwargs(), token_store=RedisTokenStore.from_url(redis_db)
    ) as client:
        await client.customer_groups.list(_workspace(token_store_server))
    raw = aioredis.Redis.from_url(redis_db)
    try:
        keys = [k.decode() for k in await raw.keys("*")]
        values = [await raw.get(k) for k in keys]
        ttl = await raw.ttl(keys[0])
    finally:
        await raw.aclose()
    digest = store_key(token_store_server.base_url, creds.email, creds.api_key, creds.api_secret)
    assert keys == [f"nudgescribe:tokens:{digest}"]
    for secret in (creds.api_key, creds.api_secret, creds.email):
        assert secret not in keys[0] and secret.encode() not in values[0]
    assert 0 < ttl <= 15 * 86400 + 60


async def test_a_403_renews_once_and_others_adopt_the_new_token(
    token_store_server: ReferenceServer, redis_db: str
) -> None:
    """After revocation, two clients' 403s cause one renewal; the second adopts it."""
    ws = _workspace(token_store_server)
    async with (
        AsyncNudgescribe(
            **token_store_server.client_kwargs(), token_store=RedisTokenStore.from_url(redis_db)
        ) as first,
        AsyncNudgescribe(
            **token_store_server.client_kwargs(), token_store=RedisTokenStore.from_url(redis_db)
        ) as second,
    ):
        await first.customer_groups.list(ws)
        await second.customer_groups.list(ws)
        token_store_server.revoke_tokens()
        await first.customer_groups.list(ws)  # 403 -> refresh refused -> authenticate
        await second.customer_groups.list(ws)  # 403 on the old token -> adopts the new pair
    assert _auth_calls(token_store_server) == (2, 1)


async def test_a_renewal_longer_than_the_lock_timeout_keeps_the_lock(
    token_store_server: ReferenceServer, redis_db: str
) -> None:
    """A renewal outlasting lock_timeout extends the lock: 3 clients still authenticate once."""
    token_store_server.faults.add(
        "/v1/auth", method="POST", kind="latency", seconds=1.0, times=None
    )
    clients = [
        AsyncNudgescribe(
            **token_store_server.client_kwargs(),
            token_store=RedisTokenStore.from_url(redis_db, lock_timeout=0.25, poll_interval=0.02),
        )
        for _ in range(3)
    ]
    try:
        await asyncio.gather(
            *(c.customer_groups.list(_workspace(token_store_server)) for c in clients)
        )
    finally:
        for client in clients:
            await client.aclose()
    assert _auth_calls(token_store_server) == (1, 0)


async def test_a_wrong_secret_does_not_use_the_fleets_token(
    token_store_server: ReferenceServer, redis_db: str
) -> None:
    """A client with a wrong api_secret authenticates on its own (and fails), not via Redis."""
    ws = _workspace(token_store_server)
    good = token_store_server.client_kwargs()
    async with AsyncNudgescribe(**good, token_store=RedisTokenStore.from_url(redis_db)) as first:
        await first.customer_groups.list(ws)
    wrong = {**good, "api_secret": "not-the-secret"}
    async with AsyncNudgescribe(**wrong, token_store=RedisTokenStore.from_url(redis_db)) as other:
        with pytest.raises(AuthenticationError):
            await other.customer_groups.list(ws)
    assert _auth_calls(token_store_server) == (2, 0)


async def test_a_stale_403_does_not_discard_the_stored_token(
    token_store_server: ReferenceServer, redis_db: str
) -> None:
    """A 403 for a token the store already replaced adopts the stored one, renewing nothing."""
    ws = _workspace(token_store_server)
    async with (
        AsyncNudgescribe(
            **token_store_server.client_kwargs(), token_store=RedisTokenStore.from_url(redis_db)
        ) as first,
        AsyncNudgescribe(
            **token_store_server.client_kwargs(), token_store=RedisTokenStore.from_url(redis_db)
        ) as second,
    ):
        await first.customer_groups.list(ws)
        await second.customer_groups.list(ws)
        token_store_server.revoke_tokens()
        await first.auth.authenticate()  # the store now holds a valid pair
        before = _auth_calls(token_store_server)
        await second.customer_groups.list(ws)  # its own token is the revoked one
        assert _auth_calls(token_store_server) == before
        assert second._tokens._access is not None
        assert second._tokens._access.value == first._tokens._access.value  # type: ignore[union-attr]


async def test_an_unreachable_store_degrades_to_this_client(
    token_store_server: ReferenceServer,
) -> None:
    """With Redis unreachable, the client still authenticates on its own and works."""
    store = RedisTokenStore.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=0.5)
    async with AsyncNudgescribe(**token_store_server.client_kwargs(), token_store=store) as client:
        await client.customer_groups.list(_workspace(token_store_server))
        await client.customer_groups.list(_workspace(token_store_server))
    assert _auth_calls(token_store_server) == (1, 0)


def test_sync_client_takes_a_token_store(redis_db: str) -> None:
    """Nudgescribe(token_store=...) shares the pair through Redis like the async client."""
    server = ThreadedServer()
    try:
        ws = server.do(lambda s: s.seed_workspace("Main").workspace_id)
        for _ in range(2):
            with Nudgescribe(
                **server.client_kwargs(), token_store=RedisTokenStore.from_url(redis_db)
            ) as client:
                client.customer_groups.list(ws)
        assert (server.count("/v1/auth", "POST"), server.count("/v1/auth", "GET")) == (1, 0)
    finally:
        server.close()


def test_store_rejects_bad_timeouts() -> None:
    """Non-positive lock or poll timeouts are refused."""
    with pytest.raises(ValueError, match="lock_timeout"):
        RedisTokenStore.from_url("redis://127.0.0.1:9/0", lock_timeout=0)
    with pytest.raises(ValueError, match="wait_timeout"):
        RedisTokenStore.from_url("redis://127.0.0.1:9/0", wait_timeout=-1)
