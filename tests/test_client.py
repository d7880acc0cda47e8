"""Client construction, configuration, lifecycle and the public namespace."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import ClientTimeout

import nudgescribe_async
from nudgescribe_async import AsyncNudgescribe, ConfigurationError
from nudgescribe_async._config import DEVELOPMENT_URL, PRODUCTION_URL
from nudgescribe_async._netinfo import outbound_ip
from tests._support.credentials import TEST_BASE_URL, TEST_CREDENTIALS

ENV = {
    "NUDGESCRIBE_API_KEY": "env-key",
    "NUDGESCRIBE_EMAIL": "env@example.com",
    "NUDGESCRIBE_API_SECRET": "env-secret",
    "NUDGESCRIBE_API_CODE": "env-code",
}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in [*ENV, "NUDGESCRIBE_BASE_URL", "NUDGESCRIBE_CLIENT_IP"]:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("missing", sorted(ENV))
def test_missing_credential_names_env_var(clean_env: pytest.MonkeyPatch, missing: str) -> None:
    """A missing credential raises ConfigurationError naming its env var, before any I/O."""
    for name, value in ENV.items():
        if name != missing:
            clean_env.setenv(name, value)
    with pytest.raises(ConfigurationError, match=missing):
        AsyncNudgescribe()


async def test_env_vars_are_the_fallback(clean_env: pytest.MonkeyPatch) -> None:
    """Arguments not passed come from NUDGESCRIBE_* env vars; passed ones win."""
    for name, value in ENV.items():
        clean_env.setenv(name, value)
    clean_env.setenv("NUDGESCRIBE_BASE_URL", "http://127.0.0.1:8080/")
    clean_env.setenv("NUDGESCRIBE_CLIENT_IP", "10.1.2.3")
    client = AsyncNudgescribe(email="arg@example.com")
    config = client._transport.config
    assert (config.api_key, config.email, config.client_ip) == (
        "env-key",
        "arg@example.com",
        "10.1.2.3",
    )
    assert client.base_url == "http://127.0.0.1:8080"
    await client.aclose()


def test_default_hosts(clean_env: pytest.MonkeyPatch) -> None:
    """Production is the default host; environment='development' picks the dev host."""
    assert AsyncNudgescribe(**TEST_CREDENTIALS).base_url == PRODUCTION_URL
    dev = AsyncNudgescribe(**TEST_CREDENTIALS, environment="development")
    assert dev.base_url == DEVELOPMENT_URL
    with pytest.raises(ConfigurationError):
        AsyncNudgescribe(**TEST_CREDENTIALS, environment="development", base_url=TEST_BASE_URL)


@pytest.mark.parametrize("bad", ["ftp://x", "not a url", "http://user:pw@127.0.0.1"])
def test_bad_base_url_is_rejected(bad: str) -> None:
    """An unusable base_url raises ConfigurationError at construction."""
    with pytest.raises(ConfigurationError):
        AsyncNudgescribe(**TEST_CREDENTIALS, base_url=bad)


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"timeout": 0},
        {"timeout": -1},
        {"timeout": float("nan")},
        {"timeout": float("inf")},
        {"max_retries": -1},
        {"refresh_skew": float("nan")},
        {"refresh_skew": "5"},
        {"refresh_skew": -1},
    ],
)
def test_bad_options_are_rejected(kwargs: dict[str, float]) -> None:
    """Bad timeouts, retry counts and refresh skews are configuration errors."""
    with pytest.raises(ConfigurationError):
        AsyncNudgescribe(**TEST_CREDENTIALS, **kwargs)  # type: ignore[arg-type]


def test_timeout_accepts_seconds_or_client_timeout() -> None:
    """timeout takes float seconds or an aiohttp.ClientTimeout."""
    assert AsyncNudgescribe(**TEST_CREDENTIALS, timeout=5)._transport.config.timeout.total == 5
    custom = ClientTimeout(total=9, sock_read=3)
    assert AsyncNudgescribe(**TEST_CREDENTIALS, timeout=custom)._transport.config.timeout is custom


async def test_with_options_shares_session_and_tokens() -> None:
    """with_options() changes defaults but shares the parent's session and token manager."""
    async with AsyncNudgescribe(**TEST_CREDENTIALS, base_url=TEST_BASE_URL) as client:
        child = client.with_options(timeout=7, max_retries=5)
        assert child._transport.connection is client._transport.connection
        assert child._tokens is client._tokens
        assert child._transport.config.timeout.total == 7
        assert child._transport.config.max_retries == 5
        assert client._transport.config.max_retries == 2
        await child.aclose()
        assert not client.closed
    assert child.closed


async def test_user_session_is_never_closed() -> None:
    """A session the user passes in stays open after the client closes."""
    async with aiohttp.ClientSession() as session:
        client = AsyncNudgescribe(**TEST_CREDENTIALS, base_url=TEST_BASE_URL, session=session)
        assert client._transport.connection.session() is session
        await client.aclose()
        assert not session.closed


async def test_aclose_is_idempotent_and_closes_session() -> None:
    """aclose() closes the lazily created session and may be called twice."""
    client = AsyncNudgescribe(**TEST_CREDENTIALS, base_url=TEST_BASE_URL)
    session = client._transport.connection.session()
    await client.aclose()
    await client.aclose()
    assert session.closed and client.closed
    with pytest.raises(RuntimeError, match="closed"):
        client._transport.connection.session()


def test_loopback_base_url_gives_loopback_ip() -> None:
    """x-ip for a loopback server is the loopback address, found without traffic."""
    assert outbound_ip("127.0.0.1") == "127.0.0.1"
    assert outbound_ip("localhost") == "127.0.0.1"


def test_public_names_match_all() -> None:
    """__all__ lists exactly the public names the package exports."""
    # "@py..." names come from pytest's assertion rewriting of this plugin-providing package.
    public = {n for n in dir(nudgescribe_async) if not n.startswith(("_", "@"))} - {
        "annotations",
        "dask",
        "models",
        "openapi",
        "resources",
        "stores",
        "testing",
        "types",
    }
    assert public == set(nudgescribe_async.__all__) - {"__version__"}


def test_nudgescribe_log_env_var_turns_on_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """NUDGESCRIBE_LOG=debug attaches one stderr handler at DEBUG; calling again adds none."""
    import logging

    logger = logging.getLogger("nudgescribe")
    before_handlers, before_level = list(logger.handlers), logger.level
    monkeypatch.setenv("NUDGESCRIBE_LOG", "debug")
    try:
        nudgescribe_async.setup_logging()
        nudgescribe_async.setup_logging()
        added = [h for h in logger.handlers if h not in before_handlers]
        assert len(added) == 1 and logger.level == logging.DEBUG
        monkeypatch.setenv("NUDGESCRIBE_LOG", "nonsense")
        logger.setLevel(logging.NOTSET)
        nudgescribe_async.setup_logging()
        assert logger.level == logging.NOTSET
    finally:
        logger.handlers[:] = before_handlers
        logger.setLevel(before_level)


def test_explicit_environment_beats_base_url_env_var(clean_env: pytest.MonkeyPatch) -> None:
    """environment= wins over NUDGESCRIBE_BASE_URL; base_url= wins over both."""
    clean_env.setenv("NUDGESCRIBE_BASE_URL", "http://127.0.0.1:8080")
    assert (
        AsyncNudgescribe(**TEST_CREDENTIALS, environment="development").base_url == DEVELOPMENT_URL
    )
    assert AsyncNudgescribe(**TEST_CREDENTIALS).base_url == "http://127.0.0.1:8080"
    assert (
        AsyncNudgescribe(**TEST_CREDENTIALS, base_url="http://127.0.0.1:9").base_url
        == "http://127.0.0.1:9"
    )


@pytest.mark.parametrize("bad", [2.5, "3", True, -1])
def test_max_retries_must_be_a_whole_number(bad: object) -> None:
    """max_retries that is not an int >= 0 is a ConfigurationError, here and in with_options."""
    with pytest.raises(ConfigurationError):
        AsyncNudgescribe(**TEST_CREDENTIALS, max_retries=bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        AsyncNudgescribe(**TEST_CREDENTIALS).with_options(max_retries=bad)  # type: ignore[arg-type]
