"""The sync client's lifecycle, threads, event loops, fork and cleanup, on the reference server."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psutil
import pytest

from nudgescribe_sync import (
    ConfigurationError,
    NotFoundError,
    Nudgescribe,
    PortalThreadError,
    RequestValidationError,
)
from tests._support.credentials import SECRETS, TEST_CREDENTIALS
from tests._support.threaded import ThreadedServer
from tests._support.worlds import ShopWorld


@pytest.fixture
def baseline() -> Iterator[Callable[[], None]]:
    """A check that threads, fds and sockets are back to what they were before the test."""
    process = psutil.Process()
    threads = set(threading.enumerate())
    fds = process.num_fds()

    def client_sockets() -> list[object]:
        return [c for c in process.net_connections("tcp") if c.status != psutil.CONN_LISTEN]

    sockets = len(client_sockets())

    def check() -> None:
        assert set(threading.enumerate()) == threads
        # The server thread closes its side when it sees the client's FIN: allow it to settle.
        deadline = time.monotonic() + 5
        while (process.num_fds(), len(client_sockets())) != (fds, sockets):
            assert time.monotonic() < deadline, (process.num_fds(), fds, client_sockets())
            time.sleep(0.01)

    yield check


def test_close_leaves_no_thread_fd_socket_or_session(
    threaded_server: ThreadedServer, threaded_world: ShopWorld, baseline: Callable[[], None]
) -> None:
    """After close() the portal thread is joined and every fd and socket is released."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = Nudgescribe(**threaded_server.client_kwargs())
        client.customer_groups.list(threaded_world.workspace_id)
        assert any(t.name.startswith("nudgescribe-portal") for t in threading.enumerate())
        client.close()
        client.close()  # idempotent
        del client
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    baseline()


def test_calls_after_close_raise(sync_client: Nudgescribe, threaded_world: ShopWorld) -> None:
    """A closed client refuses calls with a clear RuntimeError instead of hanging."""
    sync_client.close()
    assert sync_client.closed
    with pytest.raises(RuntimeError, match="closed"):
        sync_client.customer_groups.list(threaded_world.workspace_id)


def test_forgotten_client_is_closed_with_a_resource_warning(
    threaded_server: ThreadedServer, threaded_world: ShopWorld, baseline: Callable[[], None]
) -> None:
    """A client dropped without close() is closed by its finalizer, with a ResourceWarning."""
    client = Nudgescribe(**threaded_server.client_kwargs())
    client.customer_groups.list(threaded_world.workspace_id)
    with pytest.warns(ResourceWarning, match="unclosed Nudgescribe"):
        del client
        gc.collect()
    baseline()


def test_configuration_error_in_caller_thread(
    monkeypatch: pytest.MonkeyPatch, baseline: Callable[[], None]
) -> None:
    """A missing credential raises ConfigurationError from the constructor; no thread is left."""
    for name in (
        "NUDGESCRIBE_API_KEY",
        "NUDGESCRIBE_EMAIL",
        "NUDGESCRIBE_API_SECRET",
        "NUDGESCRIBE_API_CODE",
    ):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError, match="NUDGESCRIBE_API_KEY"):
        Nudgescribe()
    baseline()


def test_env_vars_are_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Arguments not passed come from NUDGESCRIBE_* env vars, resolved by the async client."""
    monkeypatch.setenv("NUDGESCRIBE_API_KEY", "env-key")
    monkeypatch.setenv("NUDGESCRIBE_EMAIL", "env@example.com")
    monkeypatch.setenv("NUDGESCRIBE_API_SECRET", "env-secret")
    monkeypatch.setenv("NUDGESCRIBE_API_CODE", "env-code")
    monkeypatch.setenv("NUDGESCRIBE_BASE_URL", "http://127.0.0.1:8080/")
    with Nudgescribe(email="arg@example.com") as client:
        assert client.base_url == "http://127.0.0.1:8080"
        assert "arg@example.com" in repr(client)


def test_repr_hides_secrets() -> None:
    """repr names the host and email but never the api key or secret."""
    credentials: dict[str, Any] = dict(TEST_CREDENTIALS)
    with Nudgescribe(**credentials, base_url="http://127.0.0.1:9") as client:
        text = repr(client) + repr(client.customers)
    assert text.startswith("Nudgescribe(base_url='http://127.0.0.1:9'")
    assert not any(secret in text for secret in SECRETS)


def test_with_options_shares_portal_session_and_tokens(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """A with_options copy uses the same session and token; closing it closes nothing."""
    patient = sync_client.with_options(timeout=30, max_retries=0)
    patient.customer_groups.list(threaded_world.workspace_id)
    sync_client.customer_groups.list(threaded_world.workspace_id)
    assert patient._target()._transport.connection is sync_client._target()._transport.connection
    assert patient._target()._transport.config.max_retries == 0
    assert threaded_server.count("/v1/auth", "POST") == 1
    patient.close()
    assert not sync_client.closed
    sync_client.customer_groups.list(threaded_world.workspace_id)
    with pytest.raises(ConfigurationError):
        sync_client.with_options(max_retries=-1)
    sync_client.close()
    assert patient.closed


def test_request_escape_hatch(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """request() sends any call with the client's auth and returns the decoded JSON."""
    data = sync_client.request("POST", "/v1/cg", json={"workspace_id": threaded_world.workspace_id})
    assert data["success"] is True
    assert [g["name"] for g in data["customer_groups"]] == ["Everyone"]
    assert threaded_server.requests("/v1/cg")[0].headers["Authorization"].startswith("Bearer ")


def test_errors_reach_the_caller_thread(
    threaded_server: ThreadedServer, sync_client: Nudgescribe
) -> None:
    """API errors and validation errors are raised in the calling thread as the async classes."""
    with pytest.raises(NotFoundError) as info:
        sync_client.customer_groups.delete("00000000-0000-0000-0000-000000000000")
    assert info.value.status_code == 404
    with pytest.raises(RequestValidationError, match="workspace_id"):
        sync_client.customer_groups.list("")
    assert threaded_server.count("/v1/cg") == 1  # the invalid call sent nothing


def test_sixteen_threads_share_one_client(
    threaded_server: ThreadedServer, sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """16 threads calling one client at once all succeed, with one session and one token."""
    session = sync_client._target()._transport.connection.session
    barrier = threading.Barrier(16)

    def work(index: int) -> list[str]:
        barrier.wait()
        names = []
        for _ in range(10):
            groups = sync_client.customer_groups.list(threaded_world.workspace_id)
            names += [g.name for g in groups.customer_groups]
        items = sync_client.customers.list(threaded_world.group_id).collect()
        return [*names, str(len(items))]

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(work, range(16)))
    assert results == [["Everyone"] * 10 + ["0"]] * 16
    assert threaded_server.count("/v1/auth", "POST") == 1
    tokens = {r.headers["Authorization"] for r in threaded_server.requests("/v1/cg")}
    assert len(tokens) == 1 and threaded_server.count("/v1/cg") == 160
    assert sync_client._target()._transport.connection.session == session


def test_works_inside_a_running_event_loop(
    sync_client: Nudgescribe, threaded_world: ShopWorld
) -> None:
    """Inside asyncio.run the sync client blocks that loop's thread and returns results."""

    async def main() -> tuple[str, int]:
        groups = sync_client.customer_groups.list(threaded_world.workspace_id)
        pager = sync_client.customers.list(threaded_world.group_id)
        return groups.customer_groups[0].name, len(list(pager))

    assert asyncio.run(main()) == ("Everyone", 0)


def test_call_from_the_portal_thread_raises(
    threaded_server: ThreadedServer, threaded_world: ShopWorld
) -> None:
    """A blocking call made on the client's own loop (a decrypt hook) raises, not deadlocks."""
    threaded_server.do(lambda s: s.seed_customers(threaded_world.group_id, count=1))
    holder: list[Nudgescribe] = []

    def hook(ciphertext: str) -> str:
        holder[0].auth.refresh()
        return ciphertext

    with Nudgescribe(**threaded_server.client_kwargs(), decrypt=hook) as client:
        holder.append(client)
        with pytest.raises(PortalThreadError, match="own event loop"):
            client.customers.get_page(threaded_world.group_id, 1)

        def close_hook(ciphertext: str) -> str:
            client.close()
            return ciphertext

        with pytest.raises(PortalThreadError):
            client.customers.get_page(threaded_world.group_id, 1, decrypt=close_hook)
        assert not client.closed
        assert client._finalizer.alive  # the failed close left the finalizer armed


def test_with_options_validates_in_the_caller_thread(sync_client: Nudgescribe) -> None:
    """Bad with_options() values raise ConfigurationError at once; the parent is untouched."""
    with pytest.raises(ConfigurationError):
        sync_client.with_options(max_retries=-1)
    with pytest.raises(ConfigurationError):
        sync_client.with_options(timeout=0)
    assert not sync_client.closed


_FORK_SCRIPT = """
import json, os, sys, threading, warnings
from nudgescribe_sync import Nudgescribe
kwargs, workspace = json.loads(sys.argv[1]), sys.argv[2]
client = Nudgescribe(**kwargs)
client.customer_groups.list(workspace)
parent_thread = [t.name for t in threading.enumerate() if t.name.startswith("nudgescribe")]
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork() with threads running
    pid = os.fork()
if pid == 0:
    try:
        names = [g.name for g in client.customer_groups.list(workspace).customer_groups]
        child_thread = [t.name for t in threading.enumerate() if t.name.startswith("nudge")]
        client.close()
        left = [t.name for t in threading.enumerate() if t.name.startswith("nudge")]
        print(json.dumps({"names": names, "parent": parent_thread, "child": child_thread,
                          "left": left}), flush=True)
        os._exit(0)
    except BaseException:
        import traceback
        traceback.print_exc()
        os._exit(3)
_, status = os.waitpid(pid, 0)
client.customer_groups.list(workspace)
client.close()
sys.exit(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_gets_a_fresh_portal(
    threaded_server: ThreadedServer, threaded_world: ShopWorld
) -> None:
    """After fork the child builds its own portal and client; the parent's keeps working."""
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-c",
            _FORK_SCRIPT,
            json.dumps(threaded_server.client_kwargs()),
            threaded_world.workspace_id,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["names"] == ["Everyone"]
    assert report["child"] and report["child"] != report["parent"]
    assert report["left"] == []
    # Parent and child each authenticated: the child did not reuse the parent's client.
    assert threaded_server.count("/v1/auth", "POST") == 2
    assert threaded_server.count("/v1/cg") == 3


def test_close_after_a_call_stopped_the_loop_does_not_raise() -> None:
    """A client whose event loop was stopped by a call (SystemExit raised on it) closes quietly:
    its thread is gone and later calls say the client is closed."""
    client = Nudgescribe(**TEST_CREDENTIALS, base_url="http://127.0.0.1:9")

    async def exit_on_the_loop() -> None:
        raise SystemExit(3)

    with pytest.raises(SystemExit):
        client._run(exit_on_the_loop)
    client.close()
    gc.collect()
    thread = client._runtime.portal.thread
    assert thread is not None and not thread.is_alive()
    with pytest.raises(RuntimeError, match="closed"):
        client.customer_groups.list("ws_1")
