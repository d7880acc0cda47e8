"""``main()``: run the command group, turn failures into one line and an exit code.

Expected failures never show a traceback unless ``--debug`` is given; Ctrl-C closes the
client, then exits 130.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import click

from nudgescribe_async import NudgescribeError
from nudgescribe_sync.cli import (
    auth,
    campaigns,
    customers,
    demo,
    fields,
    groups,
    messages,
    mock,
    reruns,
    workspaces,
)
from nudgescribe_sync.cli.app import State, cli
from nudgescribe_sync.cli.errors import ExitCode, describe
from nudgescribe_sync.cli.output import silence_stdout

__all__ = ["main"]

for _module in (
    demo,
    mock,
    auth,
    workspaces,
    fields,
    groups,
    customers,
    campaigns,
    messages,
    reruns,
):
    cli.add_command(_module.group)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    state = State()
    try:
        try:
            result = cli.main(
                args=list(argv) if argv is not None else None,
                prog_name="nudgescribe",
                standalone_mode=False,
                obj=state,
            )
        finally:
            state.close()
    except (KeyboardInterrupt, click.Abort):
        click.echo("nudgescribe: interrupted", err=True)
        return ExitCode.INTERRUPTED
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        if state.debug:
            traceback.print_exc()
        exc.show()
        return exc.exit_code
    except NudgescribeError as exc:
        code, message = describe(exc)
        if state.debug:
            traceback.print_exc()
        click.echo(f"nudgescribe: {message}", err=True)
        return code
    try:  # what is still buffered (a table) may meet a reader that already left
        sys.stdout.flush()
    except BrokenPipeError:  # `nudgescribe ... | head`: the reader left, not an error
        silence_stdout()
    return result if isinstance(result, int) else ExitCode.OK


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``nudgescribe``)."""
    sys.exit(run(argv))
