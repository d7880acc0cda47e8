"""Exit codes of the ``nudgescribe`` command and the one-line message for each SDK error.

Expected failures (bad credentials, unknown ids, refused uploads, network trouble) end with one
line on stderr naming the problem and the fix, and a distinct exit code; ``--debug`` adds the
traceback. Anything else is a bug and exits with :data:`UNEXPECTED`.
"""

from __future__ import annotations

import enum

import click

from nudgescribe_async import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ExportNotReadyError,
    MissingFieldsError,
    NotFoundError,
    NudgescribeError,
    RateLimitError,
    RequestValidationError,
    ResponseDecodeError,
    ServerError,
    WaitTimeoutError,
)

__all__ = ["CliError", "ExitCode", "describe"]


class ExitCode(enum.IntEnum):
    """The documented exit codes (README, "Exit codes")."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    AUTH = 3
    NOT_FOUND = 4
    VALIDATION = 5
    CONFLICT = 6
    NETWORK = 7
    INTERRUPTED = 130


class CliError(click.ClickException):
    """A failure the CLI itself detects (bad file, unfinished export, ...) with its exit code."""

    def __init__(self, message: str, code: ExitCode = ExitCode.VALIDATION) -> None:
        super().__init__(message)
        self.exit_code: int = int(code)  # type: ignore[misc]  # click: a per-class default


# Most specific classes first: the first match wins.
_RULES: list[tuple[type[BaseException], ExitCode, str]] = [
    (ConfigurationError, ExitCode.USAGE, "fix the option, variable or profile value named"),
    (
        AuthenticationError,
        ExitCode.AUTH,
        "check the API key, email, secret and code (env vars or your --profile)",
    ),
    (
        ExportNotReadyError,
        ExitCode.NOT_FOUND,
        "publish the campaign and wait for its export: `nudgescribe messages publish ID --wait`",
    ),
    (NotFoundError, ExitCode.NOT_FOUND, "check the id; list commands show the valid ones"),
    (MissingFieldsError, ExitCode.VALIDATION, "the request lacks a required field"),
    (RequestValidationError, ExitCode.VALIDATION, "fix the argument named above"),
    (BadRequestError, ExitCode.VALIDATION, "fix the request and try again"),
    (ConflictError, ExitCode.CONFLICT, "wait for the running job to finish, then retry"),
    (RateLimitError, ExitCode.CONFLICT, "wait a moment (or for the quota to renew) and retry"),
    (
        APIConnectionError,
        ExitCode.NETWORK,
        "check --base-url / NUDGESCRIBE_BASE_URL and your network",
    ),
    (ServerError, ExitCode.NETWORK, "the server failed; retry later"),
    (ResponseDecodeError, ExitCode.NETWORK, "the server sent an unexpected answer"),
    (
        WaitTimeoutError,
        ExitCode.NETWORK,
        "it is still running: wait longer (--wait-timeout) or retry",
    ),
    (APIStatusError, ExitCode.NETWORK, "the server refused the request"),
]


def describe(exc: NudgescribeError) -> tuple[ExitCode, str]:
    """Return the exit code and the one-line message (problem; fix) for an SDK error."""
    if isinstance(exc, ConfigurationError) and str(exc).startswith("missing "):
        # The SDK's wording for an absent credential: the one configuration failure that is
        # about authentication; any other (a bad URL, timeout, ...) is a usage error.
        return ExitCode.AUTH, (
            f"{_first_line(exc)} (set the NUDGESCRIBE_* variables, pass "
            "flags, or pick a profile with --profile)"
        )
    for cls, code, hint in _RULES:
        if isinstance(exc, cls):
            return code, f"{_first_line(exc)} ({hint})"
    return ExitCode.UNEXPECTED, _first_line(exc)


def _first_line(exc: BaseException) -> str:
    # Name the first public class: private subclasses are implementation details.
    name = next(c.__name__ for c in type(exc).__mro__ if not c.__name__.startswith("_"))
    text = str(exc).strip() or name
    return f"{name}: {text.splitlines()[0]}"
