"""The root ``nudgescribe`` group: global options, the shared state, the client it builds.

Every command gets a :class:`State` (``click.pass_obj``) holding the output writer and a
client made on first use from flags, profile and environment (see ``config``), closed by
``main`` whatever happens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import click

from nudgescribe_async import __version__
from nudgescribe_sync import Nudgescribe
from nudgescribe_sync.cli.config import resolve_settings
from nudgescribe_sync.cli.output import Output, StdoutClosed, silence_stdout

__all__ = ["State", "cli", "common_options", "pass_state"]

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")


class State:
    """What the commands of one invocation share."""

    def __init__(self) -> None:
        self.json_mode = False
        self.debug = False
        self.profile: str | None = None
        self.flags: dict[str, Any] = {}
        self._client: Nudgescribe | None = None
        self._output: Output | None = None

    @property
    def output(self) -> Output:
        """The writer, in JSON mode if ``--json`` was given anywhere on the line."""
        if self._output is None or self._output.json_mode != self.json_mode:
            self._output = Output(json_mode=self.json_mode)
        return self._output

    def client(self) -> Nudgescribe:
        """The SDK client for this invocation (made on first use)."""
        if self._client is None:
            self._client = Nudgescribe(**resolve_settings(self.flags, self.profile))
        return self._client

    def close(self) -> None:
        """Close the client if one was made."""
        client, self._client = self._client, None
        if client is not None:
            client.close()


_pass_state = click.make_pass_decorator(State, ensure=True)


def pass_state(command: Callable[Concatenate[State, P], R]) -> Callable[P, R]:
    """Pass the invocation's :class:`State` (made on first use) as the first argument."""
    return _pass_state(command)


def _set_flag(name: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, _: click.Parameter, value: bool) -> None:
        if value:
            setattr(ctx.ensure_object(State), name, True)

    return callback


def common_options(func: F) -> F:
    """``--json`` and ``--debug``, accepted after any command as well as before it."""
    func = click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_flag("debug"),
        help="Show tracebacks for failures.",
    )(func)
    return click.option(
        "--json",
        "json_mode",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_flag("json_mode"),
        help="Machine-readable JSON on stdout (JSON Lines for streams).",
    )(func)


class _Group(click.Group):
    """The root group: a closed stdout (EPIPE) ends the command quietly with exit 0.

    click's own ``main`` would turn it into exit 1 with no message.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            silence_stdout()
            raise StdoutClosed from exc


@click.group(
    cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, "--version", prog_name="nudgescribe")
@click.option(
    "--profile",
    envvar="NUDGESCRIBE_PROFILE",
    help="Profile in ~/.config/nudgescribe/config.toml [env NUDGESCRIBE_PROFILE].",
)
@click.option("--base-url", help="API base URL [env NUDGESCRIBE_BASE_URL].")
@click.option(
    "--environment",
    type=click.Choice(["production", "development"]),
    help="Pick the production or development host.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds one attempt of a request may take.",
)
@click.option("--max-retries", type=click.IntRange(min=0), help="Retries per request.")
@common_options
@pass_state
def cli(
    state: State,
    profile: str | None,
    base_url: str | None,
    environment: str | None,
    timeout: float | None,
    max_retries: int | None,
) -> None:
    """Drive the Nudgescribe client API from the shell.

    Start with `nudgescribe demo`. Credentials come from the NUDGESCRIBE_* environment
    variables, a --profile, or flags. Exit codes: 0 ok, 1 unexpected, 2 usage,
    3 authentication, 4 not found, 5 validation, 6 conflict/rate limit/quota,
    7 network/server, 130 interrupted.
    """
    state.profile = profile
    state.flags = {
        "base_url": base_url,
        "environment": environment,
        "timeout": timeout,
        "max_retries": max_retries,
    }
