"""The server core: state, configuration, jobs, faults, request log and token issuing.

One :class:`ServerCore` sits behind every handler (``request.app[CORE_KEY]``) and behind the
``ReferenceServer`` controls, so tests and handlers see the same objects.
"""

from __future__ import annotations

import asyncio
import contextvars
import itertools
import secrets
import time
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nudgescribe_async._contract import BACKGROUND_UPLOAD_ROWS, MAX_EXPORT_ROWS_PER_FILE
from nudgescribe_async.testing._clock import Clock
from nudgescribe_async.testing._faults import Faults
from nudgescribe_async.testing._jobs import JobQueue
from nudgescribe_async.testing._jwt import encode_token
from nudgescribe_async.testing._state import AccountRecord, State

__all__ = [
    "CURRENT_RECORD",
    "DEFAULT_QUOTAS",
    "RequestRecord",
    "ServerConfig",
    "ServerCore",
    "StoredFile",
]

DEFAULT_QUOTAS = {"publish": 1_000_000, "pages": 1_000_000}


@dataclass(frozen=True)
class ServerConfig:
    """Tunable behaviour of a reference server (all times in seconds)."""

    access_token_ttl: float = 14 * 86400
    refresh_token_ttl: float = 15 * 86400
    job_delay: float | None = 0.0
    quotas: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_QUOTAS))
    export_rows_per_file: int = MAX_EXPORT_ROWS_PER_FILE
    background_upload_threshold: int = BACKGROUND_UPLOAD_ROWS
    file_url_ttl: float = 900.0
    request_log_limit: int = 10_000
    #: Answers at least this large are gzip/deflate-compressed when the request's
    #: Accept-Encoding allows it; None (the default) never compresses. Off by default: on
    #: loopback, compressing costs more time than the bytes it saves.
    compress_min_bytes: int | None = None


@dataclass
class RequestRecord:
    """One logged request: ``json`` is the parsed body (None if absent or multipart).

    ``headers`` is the request's case-insensitive header mapping (``headers["X-IP"]`` works);
    ``received_at`` the ``time.monotonic()`` reading when it arrived.
    """

    method: str
    path: str
    headers: Mapping[str, str]
    request_id: str
    json: Any = None
    form: dict[str, str] | None = None
    status: int | None = None
    body_read: bool = field(default=False, repr=False)
    body_malformed: bool = field(default=False, repr=False)
    received_at: float = field(default_factory=time.monotonic, repr=False)
    body_present: bool = field(default=False, repr=False)


@dataclass
class StoredFile:
    """An exported file served at ``/files/<token>`` until ``expires_at``."""

    content: bytes
    expires_at: float


# The record of the request being handled: the middleware sets it and calls the handler in the
# same context, so handlers reach it without aiohttp request storage (keys differ by version).
CURRENT_RECORD: contextvars.ContextVar[RequestRecord] = contextvars.ContextVar(
    "nudgescribe_current_record"
)


class ServerCore:
    """Shared server internals (see module docstring)."""

    def __init__(self, config: ServerConfig, *, rng_seed: int | str | None) -> None:
        """Create an empty core with ``config``."""
        self.config = config
        self.state: State = State(rng_seed=rng_seed)
        self.jobs: JobQueue = JobQueue(config.job_delay)
        self.faults: Faults = Faults()
        self.token_secret: bytes = secrets.token_bytes(32)
        #: The one clock of the server, shared with the state (timestamps).
        self.clock: Clock = self.state.clock
        self.requests: deque[RequestRecord] = deque(maxlen=config.request_log_limit)
        self.request_counts: Counter[str] = Counter()
        #: Response body bytes written to the wire (after compression), summed.
        self.bytes_sent = 0
        self.files: dict[str, StoredFile] = {}
        self.base_url = ""
        self.closing: asyncio.Event = asyncio.Event()
        self._sleepers: set[asyncio.Future[bool]] = set()
        self.verified_tokens: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._id_prefix = secrets.token_hex(4)

    def next_request_id(self) -> str:
        """Return a unique request id for the ``x-request-id`` header."""
        return f"req_{self._id_prefix}_{next(self._ids):08d}"

    async def sleep(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; return True early (and at once) if the server is closing.

        A bare future and a timer, no helper task: a handler cancelled mid-sleep (its client
        went away) leaves nothing behind on the loop.
        """
        if self.closing.is_set():
            return True
        loop = asyncio.get_running_loop()
        woken: asyncio.Future[bool] = loop.create_future()
        timer = loop.call_later(seconds, _settle, woken, False)
        self._sleepers.add(woken)
        try:
            return await woken
        finally:
            timer.cancel()
            self._sleepers.discard(woken)

    def wake_sleepers(self) -> None:
        """End every :meth:`sleep` now (the server is closing)."""
        for woken in list(self._sleepers):
            _settle(woken, True)

    def issue_tokens(self, account: AccountRecord) -> dict[str, Any]:
        """Return the authentication payload with fresh access and refresh tokens."""
        now = self.clock.now()
        cfg = self.config
        base = {
            "user_id": account.user_id,
            "account_id": account.account_id,
            "role_code": account.role_code,
            "gen": account.token_generation,
            "iat": round(now, 3),
        }
        access = encode_token(
            {
                **base,
                "typ": "access",
                "exp": round(now + cfg.access_token_ttl, 3),
                "jti": secrets.token_hex(8),
            },
            self.token_secret,
        )
        refresh = encode_token(
            {
                **base,
                "typ": "refresh",
                "exp": round(now + cfg.refresh_token_ttl, 3),
                "jti": secrets.token_hex(8),
            },
            self.token_secret,
        )
        return {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "Bearer",
            "expires_in": int(cfg.access_token_ttl),
            "refresh_expires_in": int(cfg.refresh_token_ttl),
        }

    def use_quota(self, account: AccountRecord, name: str) -> bool:
        """Count one use of quota ``name``; False (and nothing counted) if it is spent."""
        used = account.usage.get(name, 0)
        if used >= account.quotas.get(name, DEFAULT_QUOTAS.get(name, 1_000_000)):
            return False
        account.usage[name] = used + 1
        return True

    def store_file(self, content: bytes) -> tuple[str, float]:
        """Store ``content`` for download; return (url, expires_at epoch seconds)."""
        token = secrets.token_urlsafe(18)
        expires_at = self.clock.now() + self.config.file_url_ttl
        self.files[token] = StoredFile(content=content, expires_at=expires_at)
        return f"{self.base_url}/files/{token}", expires_at


def _settle(future: asyncio.Future[bool], value: bool) -> None:
    if not future.done():
        future.set_result(value)
