"""Client configuration: one frozen value, resolved once from arguments and env vars.

Each credential falls back to an environment variable; a credential missing from both raises
:class:`ConfigurationError` naming the variable, before any I/O. Secrets are kept out of
``repr``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from typing import Literal, TypeGuard

import attrs
from aiohttp import ClientTimeout
from yarl import URL

from ._errors import ConfigurationError
from ._limits import DEFAULT_DEADLINE, DEFAULT_MAX_RESPONSE_BYTES
from ._types import TimeoutLike
from .stores._base import RateLimiter

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEVELOPMENT_URL",
    "PRODUCTION_URL",
    "ClientConfig",
    "Decrypt",
    "Environment",
    "resolve_config",
    "to_client_timeout",
    "validate_deadline",
    "validate_max_response_bytes",
    "validate_max_retries",
]

PRODUCTION_URL = "https://client-api.nudgescribe.com"
DEVELOPMENT_URL = "https://client-api.dev.nudgescribe.com"
Environment = Literal["production", "development"]

#: Finite by default: a hung server must never hang the caller.
DEFAULT_TIMEOUT = ClientTimeout(total=60.0, connect=10.0, sock_read=30.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_REFRESH_SKEW = 60.0
#: Longest accepted timeout or deadline (one day): beyond it the event loop's timers overflow.
MAX_SECONDS = 86_400.0

#: Turns one encrypted profile value into plaintext.
Decrypt = Callable[[str], str]

_ENV = {
    "api_key": "NUDGESCRIBE_API_KEY",
    "email": "NUDGESCRIBE_EMAIL",
    "api_secret": "NUDGESCRIBE_API_SECRET",
    "api_code": "NUDGESCRIBE_API_CODE",
    "client_ip": "NUDGESCRIBE_CLIENT_IP",
    "base_url": "NUDGESCRIBE_BASE_URL",
}


@attrs.frozen
class ClientConfig:
    """Everything a client needs; secrets are hidden from ``repr``."""

    api_key: str = attrs.field(repr=False)
    email: str
    api_secret: str = attrs.field(repr=False)
    api_code: str = attrs.field(repr=False)
    base_url: URL
    client_ip: str | None = None
    timeout: ClientTimeout = DEFAULT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    #: Refresh this many seconds before ``exp`` (clamped to half the token's lifetime).
    refresh_skew: float = DEFAULT_REFRESH_SKEW
    decrypt: Decrypt | None = attrs.field(default=None, repr=False)
    #: Seconds one call may take in all, retries and waits included.
    deadline: float = DEFAULT_DEADLINE
    #: Largest response body read; a larger one raises ResponseDecodeError.
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    #: Awaited before every HTTP attempt (a fleet-wide rate, e.g. RedisRateLimiter).
    rate_limiter: RateLimiter | None = attrs.field(default=None, repr=False)


def to_client_timeout(value: TimeoutLike) -> ClientTimeout:
    """Turn float seconds (total budget of one attempt) into an ``aiohttp.ClientTimeout``."""
    if isinstance(value, ClientTimeout):
        for name in ("total", "connect", "sock_read", "sock_connect"):
            part = getattr(value, name)
            if part is not None and not _seconds(part):
                raise ConfigurationError(
                    f"timeout.{name} must be None or positive seconds up to {MAX_SECONDS:g}: "
                    f"{part!r}"
                )
        return value
    if not _seconds(value):
        raise ConfigurationError(
            f"timeout must be positive seconds up to {MAX_SECONDS:g} or a ClientTimeout: {value!r}"
        )
    seconds = float(value)
    return ClientTimeout(total=seconds, connect=min(seconds, DEFAULT_TIMEOUT.connect or seconds))


def resolve_config(
    *,
    api_key: str | None = None,
    email: str | None = None,
    api_secret: str | None = None,
    api_code: str | None = None,
    client_ip: str | None = None,
    base_url: str | URL | None = None,
    environment: Environment | None = None,
    timeout: TimeoutLike | None = None,
    max_retries: int | None = None,
    refresh_skew: float | None = None,
    decrypt: Decrypt | None = None,
    deadline: float | None = None,
    max_response_bytes: int | None = None,
    env: Mapping[str, str] | None = None,
) -> ClientConfig:
    """Build a :class:`ClientConfig` from arguments, falling back to ``NUDGESCRIBE_*`` vars."""
    environ = os.environ if env is None else env

    def pick(name: str, given: str | None) -> str | None:
        return given if given is not None else (environ.get(_ENV[name]) or None)

    def need(name: str, given: str | None) -> str:
        value = pick(name, given)
        if not value:
            raise ConfigurationError(
                f"missing {name}: pass {name}=... or set the {_ENV[name]} environment variable"
            )
        return value

    if max_retries is not None:
        validate_max_retries(max_retries)
    if refresh_skew is not None and not _finite_number(refresh_skew, minimum=0.0):
        raise ConfigurationError(f"refresh_skew must be finite seconds >= 0: {refresh_skew!r}")
    return ClientConfig(
        api_key=need("api_key", api_key),
        email=need("email", email),
        api_secret=need("api_secret", api_secret),
        api_code=need("api_code", api_code),
        client_ip=pick("client_ip", client_ip),
        # Explicit arguments beat the environment: NUDGESCRIBE_BASE_URL applies only when
        # neither base_url nor environment was passed.
        base_url=_base_url(
            str(base_url)
            if base_url is not None
            else None
            if environment is not None
            else pick("base_url", None),
            environment,
        ),
        timeout=DEFAULT_TIMEOUT if timeout is None else to_client_timeout(timeout),
        max_retries=DEFAULT_MAX_RETRIES if max_retries is None else max_retries,
        refresh_skew=DEFAULT_REFRESH_SKEW if refresh_skew is None else float(refresh_skew),
        decrypt=decrypt,
        deadline=DEFAULT_DEADLINE if deadline is None else validate_deadline(deadline),
        max_response_bytes=(
            DEFAULT_MAX_RESPONSE_BYTES
            if max_response_bytes is None
            else validate_max_response_bytes(max_response_bytes)
        ),
    )


def _seconds(value: object) -> TypeGuard[float]:
    return _finite_number(value, minimum=0.0) and 0 < value <= MAX_SECONDS


def validate_deadline(value: object) -> float:
    """``value`` as float seconds if it is a usable overall deadline, else ConfigurationError."""
    if not _seconds(value):
        raise ConfigurationError(
            f"deadline must be positive seconds up to {MAX_SECONDS:g}: {value!r}"
        )
    return float(value)


def validate_max_response_bytes(value: object) -> int:
    """``value`` if it is a whole number of bytes >= 1, else ConfigurationError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"max_response_bytes must be an int >= 1: {value!r}")
    return value


def _finite_number(value: object, *, minimum: float) -> TypeGuard[float]:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= minimum
    )


def validate_max_retries(value: object) -> int:
    """Return ``value`` if it is a whole number >= 0, else raise ConfigurationError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"max_retries must be an int >= 0: {value!r}")
    return value


def _base_url(explicit: str | None, environment: Environment | None) -> URL:
    if explicit is not None and environment is not None:
        raise ConfigurationError("pass either base_url or environment, not both")
    if explicit is None:
        if environment in (None, "production"):
            return URL(PRODUCTION_URL)
        if environment == "development":
            return URL(DEVELOPMENT_URL)
        raise ConfigurationError(f"unknown environment {environment!r}")
    url = URL(explicit)
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"base_url must be an http(s) URL with a host: {explicit!r}")
    if url.user or url.password:
        raise ConfigurationError("base_url must not carry credentials")
    # Paths are appended as "/v1/...": keep any prefix path, drop a trailing slash.
    return url.with_path(url.path.rstrip("/")).with_query(None).with_fragment(None)
