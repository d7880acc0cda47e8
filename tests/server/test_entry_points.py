"""The three ways to start the server: context manager, CLI, pytest plugin; and the demo seed."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

import aiohttp
import pytest

import nudgescribe_async
from nudgescribe_async._contract import FIELD_TYPES
from nudgescribe_async.testing import ReferenceServer
from tests._support.raw_api import Api


async def test_context_manager_binds_an_ephemeral_loopback_port() -> None:
    """async with ReferenceServer() exposes base_url on 127.0.0.1 and closes on exit."""
    async with ReferenceServer() as server:
        assert server.base_url.startswith("http://127.0.0.1:") and server.port > 0
        env = server.env()
        assert env["NUDGESCRIBE_BASE_URL"] == server.base_url
        assert env["NUDGESCRIBE_API_KEY"] == server.demo_credentials.api_key
        assert "api_secret" not in repr(server.demo_credentials)
        assert server.demo_credentials.api_secret not in repr(server.demo_credentials)
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.post(server.base_url + "/v1/auth")


async def test_pytest_plugin_fixture_gives_a_running_empty_server(
    nudgescribe_server: ReferenceServer,
) -> None:
    """The nudgescribe_server fixture runs a server with only the demo account."""
    assert list(nudgescribe_server.state.accounts) == [nudgescribe_server.demo_credentials.api_key]
    assert nudgescribe_server.state.workspaces == {}
    async with aiohttp.ClientSession() as session:
        api = Api(nudgescribe_server, session, nudgescribe_server.demo_credentials)
        await api.login()


async def test_demo_seed_is_deterministic_and_covers_the_statuses() -> None:
    """seed="demo" builds the same ids every time, with campaigns across the statuses."""
    async with ReferenceServer(seed="demo") as first, ReferenceServer(seed="demo") as second:
        assert list(first.state.campaigns) == list(second.state.campaigns)
        assert first.demo_credentials.account_id == second.demo_credentials.account_id
        statuses = {c.status for c in first.state.campaigns.values()}
        assert statuses == {"Published", "Ready to publish", "Ready for review", "Draft"}
        assert sum(len(g.customers) for g in first.state.groups.values()) >= 8000
        assert any(c.runs for c in first.state.campaigns.values())
        types = {f.field_type for w in first.state.workspaces.values() for f in w.fields.values()}
        assert types == set(FIELD_TYPES)


async def test_cli_prints_base_url_and_exports_then_stops_on_ctrl_c() -> None:
    """python -m nudgescribe_async.testing prints export lines, serves, and exits on SIGINT."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "nudgescribe_async.testing",
        "--port",
        "0",
        "--seed",
        "none",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while not lines or not lines[-1].startswith("Press Ctrl-C"):
            line = await asyncio.wait_for(proc.stdout.readline(), 20)
            assert line, "CLI exited early"
            lines.append(line.decode().strip())
        exports = dict(
            text.removeprefix("export ").split("=", 1)
            for text in lines
            if text.startswith("export ")
        )
        assert set(exports) == {
            "NUDGESCRIBE_API_KEY",
            "NUDGESCRIBE_EMAIL",
            "NUDGESCRIBE_API_SECRET",
            "NUDGESCRIBE_API_CODE",
            "NUDGESCRIBE_CLIENT_IP",
            "NUDGESCRIBE_BASE_URL",
        }
        login = {
            "email": exports["NUDGESCRIBE_EMAIL"],
            "api_secret": exports["NUDGESCRIBE_API_SECRET"],
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                exports["NUDGESCRIBE_BASE_URL"] + "/v1/auth",
                json=login,
                headers={"x-api-key": exports["NUDGESCRIBE_API_KEY"]},
            ) as reply,
        ):
            assert reply.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, stderr.decode()


@pytest.mark.skipif(
    not hasattr(nudgescribe_async, "AsyncNudgescribe"), reason="AsyncNudgescribe is not written yet"
)
async def test_client_fixture_talks_to_the_server(
    nudgescribe_server: ReferenceServer, nudgescribe_client: Any
) -> None:
    """nudgescribe_client is an AsyncNudgescribe authenticated against nudgescribe_server."""
    nudgescribe_server.seed_workspace("From fixture")
    body = await nudgescribe_client.request("POST", "/v1/campaign/all", json={})
    assert [w["workspace_name"] for w in body["workspaces"]] == ["From fixture"]
    assert nudgescribe_server.request_count("/v1/auth", "POST") == 1
