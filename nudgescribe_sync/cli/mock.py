"""``nudgescribe mock serve``: the SDK's local reference server, and a thread to host it.

:class:`ServerThread` runs a :class:`~nudgescribe_async.testing.ReferenceServer` on its own
event loop in a background thread so the blocking client (and the demo) can talk to it.
"""

from __future__ import annotations

import asyncio
import shlex
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.errors import CliError, ExitCode

if TYPE_CHECKING:  # imported when a server starts: other commands don't pay for aiohttp.web
    from nudgescribe_async.testing import ReferenceServer

__all__ = ["ServerThread", "group", "serving"]


class ServerThread:
    """A reference server on a daemon thread's event loop; :meth:`stop` shuts it down."""

    def __init__(self, **options: Any) -> None:
        from nudgescribe_async.testing import ReferenceServer

        self.server = ReferenceServer(**options)
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="nudgescribe-mock", daemon=True)

    def start(self) -> ReferenceServer:
        """Start serving; return the running server (its ``base_url`` and ``env()``)."""
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise self._error
        return self.server

    def stop(self) -> None:
        """Close the server and join the thread. Idempotent."""
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join()

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            await self.server.start()
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        try:
            self._ready.set()
            await self._stop.wait()
        finally:
            await self.server.close()


@contextmanager
def serving(**options: Any) -> Iterator[ReferenceServer]:
    """Run a reference server in a thread for the duration of the block."""
    try:
        thread = ServerThread(**options)
        server = thread.start()
    except (OSError, ValueError) as exc:  # a busy port; a host that is not loopback
        raise CliError(f"cannot start the mock server: {exc}", ExitCode.USAGE) from exc
    try:
        yield server
    finally:
        thread.stop()


def print_exports(env: Mapping[str, str]) -> None:
    """``export NAME=value`` lines, e.g. the ``server.env()`` that points the SDK at a server.

    They include the demo account's secret on purpose: throwaway credentials of a local fake.
    """
    for name, value in env.items():
        click.echo(f"export {name}={shlex.quote(value)}")


@click.group("mock")
def group() -> None:
    """The local reference server (an in-memory Nudgescribe API)."""


@group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port (0 = any free port).")
@click.option("--seed", type=click.Choice(["demo", "none"]), default="demo", show_default=True,
              help="Dataset to load.")
@click.option("--job-delay", type=click.FloatRange(min=0), default=2.0, show_default=True,
              help="Seconds before background jobs complete.")
@common_options
@pass_state
def serve(state: State, host: str, port: int, seed: str, job_delay: float) -> None:
    """Serve the reference API until Ctrl-C, printing the exports that point the SDK at it."""
    with serving(seed=None if seed == "none" else seed, host=host, port=port,
                 job_delay=job_delay) as server:
        if state.json_mode:
            state.output.data({"base_url": server.base_url, "env": server.env()})
        else:
            click.echo(f"Nudgescribe reference server listening on {server.base_url}")
            click.echo("Point the SDK (or this CLI) at it with:")
            print_exports(server.env())
            click.echo("Press Ctrl-C to stop.")
        wait_forever()


def wait_forever() -> None:
    """Block until Ctrl-C (which reaches ``main`` as KeyboardInterrupt: exit 130)."""
    threading.Event().wait()
