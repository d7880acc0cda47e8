"""What the command writes: tables for people, JSON for programs, messages on stderr.

stdout carries data only (a table, one JSON document, or JSON Lines for streams); notes,
warnings and progress go to stderr. Colour is used only on a terminal and never when
``NO_COLOR`` is set (rich checks both).
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import attrs
import click
import orjson
from rich.console import Console
from rich.table import Table

__all__ = [
    "Output",
    "StdoutClosed",
    "cell",
    "dumps",
    "make_console",
    "model_dict",
    "silence_stdout",
    "table",
]


#: Width of a console that is not a terminal: wide enough that no table cell is ever wrapped
#: or shortened (scripts reading ``nudgescribe ... | cut`` need whole ids).
PIPE_WIDTH = 1 << 16


def make_console(*, stderr: bool) -> Console:
    """A rich console on stdout or stderr that honours NO_COLOR and non-terminals."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else PIPE_WIDTH
    return Console(
        stderr=stderr,
        no_color="NO_COLOR" in os.environ or None,
        highlight=False,
        soft_wrap=False,
        width=width,
    )


_FIELDS: dict[type, tuple[str, ...]] = {}


class StdoutClosed(click.exceptions.Exit):
    """The reader of stdout went away (``nudgescribe ... | head``): stop quietly, exit 0."""

    def __init__(self) -> None:
        super().__init__(0)


def silence_stdout() -> None:
    """Point stdout at /dev/null so nothing more (not even the exit's flush) hits the pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)


def model_dict(value: Any) -> dict[str, Any]:
    """An SDK model (attrs instance) as a dict of its fields, then its unknown keys (.extra)."""
    cls = type(value)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(a.name for a in attrs.fields(cls) if a.name != "extra")
    data = {name: getattr(value, name) for name in names}
    extra = getattr(value, "extra", None)
    if extra:
        for key, item in extra.items():
            data.setdefault(key, item)
    return data


def _default(value: Any) -> Any:
    # orjson calls this only for types it does not know (nested models, odd values).
    if attrs.has(type(value)):
        return model_dict(value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


def dumps(value: Any) -> bytes:
    """One compact JSON document (no newline); models become objects, enums their values."""
    return orjson.dumps(value, default=_default)


def cell(value: Any) -> str:
    """A table cell: empty for None, enum values, short ISO timestamps."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class Output:
    """The command's writer, chosen by ``--json``."""

    def __init__(self, *, json_mode: bool) -> None:
        self.json_mode = json_mode
        self.out: Console = make_console(stderr=False)
        self.err: Console = make_console(stderr=True)

    def data(self, value: Any, table: Table | None = None) -> None:
        """Write a result: ``value`` as JSON under ``--json``, else ``table`` (if any)."""
        if self.json_mode:
            sys.stdout.buffer.write(dumps(value) + b"\n")
            sys.stdout.flush()
        elif table is not None:
            self.out.print(table)

    def lines(self, values: Iterable[Any]) -> None:
        """Write a stream as JSON Lines (used by ``--json`` on streaming commands)."""
        write = sys.stdout.buffer.write
        for value in values:
            write(dumps(value) + b"\n")
        sys.stdout.flush()

    def note(self, message: str) -> None:
        """A message for people, on stderr (never mixed into the data on stdout)."""
        self.err.print(message, soft_wrap=True)

    def warn(self, message: str) -> None:
        """A warning line on stderr."""
        click.echo(f"nudgescribe: {message}", err=True)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A plain rich table with the given columns and cells (formatted with :func:`cell`)."""
    result = Table(title=title, title_justify="left", header_style="bold")
    for name in columns:
        result.add_column(name)
    for row in rows:
        result.add_row(*(cell(v) for v in row))
    return result
