"""``nudgescribe mock serve``: the SDK's local reference server, on a thread of its own.

:func:`serving` runs a :class:`~nudgescribe_sync.testing.SyncReferenceServer` (the reference
server on its own event loop in a background thread) so the blocking client (and the demo)
can talk to it.
"""

from __future__ import annotations

import shlex
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from nudgescribe_sync.cli.app import State, common_options, pass_state
from nudgescribe_sync.cli.errors import CliError, ExitCode

if TYPE_CHECKING:  # imported when a server starts: other commands don't pay for aiohttp.web
    from nudgescribe_sync.testing import SyncReferenceServer

__all__ = ["group", "serving"]


@contextmanager
def serving(**options: Any) -> Iterator[SyncReferenceServer]:
    """Run a reference server on its own thread for the duration of the block."""
    from nudgescribe_sync.testing import SyncReferenceServer

    try:
        server = SyncReferenceServer(**options).start()
    except (OSError, ValueError) as exc:  # a busy port; a host that is not loopback
        raise CliError(f"cannot start the mock server: {exc}", ExitCode.USAGE) from exc
    try:
        yield server
    finally:
        server.close()


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
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port (0 = any free port).",
)
@click.option(
    "--seed",
    type=click.Choice(["demo", "none"]),
    default="demo",
    show_default=True,
    help="Dataset to load.",
)
@click.option(
    "--job-delay",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Seconds before background jobs complete.",
)
@common_options
@pass_state
def serve(state: State, host: str, port: int, seed: str, job_delay: float) -> None:
    """Serve the reference API until Ctrl-C, printing the exports that point the SDK at it."""
    with serving(
        seed=None if seed == "none" else seed, host=host, port=port, job_delay=job_delay
    ) as server:
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
