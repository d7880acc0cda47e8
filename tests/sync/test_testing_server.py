"""The blocking side of the test tools: a server on its own thread, sync fixtures, no deadlock."""

from __future__ import annotations

import threading

import pytest

import nudgescribe_async.models as models
import nudgescribe_sync
from nudgescribe_async.testing import ReferenceServer
from nudgescribe_sync import Nudgescribe, PortalThreadError
from nudgescribe_sync.testing import SyncReferenceServer


def test_sync_server_controls_run_on_the_server_thread() -> None:
    """SyncReferenceServer's controls run on its loop thread, and a blocking client reaches it."""
    with SyncReferenceServer(job_delay=None) as server:
        ws = server.seed_workspace("Shop")
        seen = server.call(lambda: threading.current_thread().name)
        assert seen == "nudgescribe-reference-server" != threading.current_thread().name
        rule = server.faults.add("/v1/cg", kind="fail", status=503, times=1)
        with Nudgescribe(**server.client_kwargs(), max_retries=0) as client:
            with pytest.raises(nudgescribe_sync.ServerError):
                client.customer_groups.list(ws.workspace_id)
            assert rule.hits == 1
            assert [w.name for w in client.workspaces.list()] == ["Shop"]
        assert server.request_count("/v1/cg") == 1
        assert repr(server).startswith("SyncReferenceServer(http://127.0.0.1:")
    assert repr(server) == "SyncReferenceServer(stopped)"
    with pytest.raises(RuntimeError, match="not running"):
        server.seed_workspace("Late")


def test_sync_fixtures_serve_a_blocking_client(
    nudgescribe_sync_server: SyncReferenceServer, nudgescribe_sync_client: Nudgescribe
) -> None:
    """The plugin's sync fixtures: a threaded server and a blocking client logged in to it."""
    nudgescribe_sync_server.seed_workspace("Shop")
    assert [w.name for w in nudgescribe_sync_client.workspaces.list()] == ["Shop"]
    assert nudgescribe_sync_client.base_url == nudgescribe_sync_server.base_url


async def test_blocking_client_on_the_servers_own_loop_fails_at_once() -> None:
    """A blocking call to a server on the caller's own loop raises instead of hanging."""
    async with ReferenceServer() as server:
        with Nudgescribe(**server.client_kwargs()) as client:
            with pytest.raises(PortalThreadError, match="SyncReferenceServer"):
                client.workspaces.list()
            with pytest.raises(PortalThreadError):
                list(client.customers.list("cg_1"))


def test_models_and_enums_are_importable_from_the_sync_package() -> None:
    """Every model class and enum of nudgescribe_async.models is re-exported by nudgescribe_sync."""
    classes = {n for n in models.__all__ if n[0].isupper() and n != "EMPTY_EXTRA"}
    assert classes <= set(nudgescribe_sync.__all__)
    for name in classes:
        assert getattr(nudgescribe_sync, name) is getattr(models, name)
