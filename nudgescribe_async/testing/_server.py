"""``ReferenceServer``: lifecycle of the local reference server plus its Python test controls."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

from nudgescribe_async._contract import (
    BACKGROUND_UPLOAD_ROWS,
    CAMPAIGN_READY_FOR_REVIEW,
    FIELD_TYPE_STRING,
    MAX_EXPORT_ROWS_PER_FILE,
)
from nudgescribe_async.testing import (
    _handlers_auth,
    _handlers_campaigns,
    _handlers_customers,
    _handlers_fields,
    _handlers_groups,
    _handlers_openapi,
    _handlers_reruns,
)
from nudgescribe_async.testing._campaigns import approve
from nudgescribe_async.testing._cipher import decrypt_demo_value
from nudgescribe_async.testing._core import (
    DEFAULT_QUOTAS,
    RequestRecord,
    ServerConfig,
    ServerCore,
)
from nudgescribe_async.testing._errors import ApiError
from nudgescribe_async.testing._faults import Faults
from nudgescribe_async.testing._http import CORE_KEY
from nudgescribe_async.testing._jobs import Job
from nudgescribe_async.testing._middleware import ByteCounter, core_middleware
from nudgescribe_async.testing._reruns import initiate_rerun
from nudgescribe_async.testing._seeding import (
    SeedError,
    seed_campaign,
    seed_customers,
    seed_field,
    seed_group,
    synthetic_rows,
    unique_field_of,
)
from nudgescribe_async.testing._state import (
    AccountRecord,
    CampaignRecord,
    CustomerGroupRecord,
    ProfileFieldRecord,
    State,
    WorkspaceRecord,
)

__all__ = ["DEMO_CLIENT_IP", "Credentials", "ReferenceServer", "is_loopback", "serving_loop"]

DEMO_CLIENT_IP = "127.0.0.1"

# base URL -> the event loop serving it, while a server runs. The blocking client checks it so
# that calling a server running on the caller's own (then blocked) loop fails at once.
_SERVING: dict[str, asyncio.AbstractEventLoop] = {}


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``localhost``, ``127.x.y.z``, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serving_loop(base_url: str) -> asyncio.AbstractEventLoop | None:
    """The event loop of the running reference server at ``base_url``, if one runs here."""
    return _SERVING.get(base_url.rstrip("/"))


MAX_BODY = 256 * 1024 * 1024
_ACCESS_LOG = logging.getLogger("nudgescribe_async.testing.access")


@dataclass(frozen=True)
class Credentials:
    """Credentials of one server account (secrets are kept out of ``repr``)."""

    api_key: str = field(repr=False)
    email: str
    api_secret: str = field(repr=False)
    api_code: str
    account_id: str
    encryption_key: bytes = field(repr=False)

    def decrypt(self, ciphertext: str) -> str:
        """Return the plaintext of a profile value returned to this account."""
        return decrypt_demo_value(self.encryption_key, ciphertext)


DEMO_LOGIN = {
    "api_key": "ns_demo_key_0123456789",
    "email": "demo@nudgescribe.test",
    "api_secret": "ns_demo_secret_do_not_use_in_production",
    "api_code": "DEMO",
}


class ReferenceServer:
    """A local, in-memory Nudgescribe API on loopback (see the package docstring)."""

    def __init__(
        self,
        *,
        seed: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        access_token_ttl: float = 14 * 86400,
        refresh_token_ttl: float = 15 * 86400,
        job_delay: float | None = 0.0,
        quotas: Mapping[str, int] | None = None,
        export_rows_per_file: int = MAX_EXPORT_ROWS_PER_FILE,
        background_upload_threshold: int = BACKGROUND_UPLOAD_ROWS,
        file_url_ttl: float = 900.0,
        request_log_limit: int = 10_000,
        compress_min_bytes: int | None = None,
    ) -> None:
        """Configure the server; nothing listens until :meth:`start` (or ``async with``)."""
        if seed not in (None, "demo"):
            raise ValueError("seed must be None or 'demo'")
        if not is_loopback(host):
            raise ValueError(
                f"host {host!r} is not a loopback address: the reference server serves "
                "throwaway demo credentials with no security and is loopback-only by design "
                "(use 127.0.0.1, ::1 or localhost)"
            )
        if not 1 <= export_rows_per_file <= MAX_EXPORT_ROWS_PER_FILE:
            raise ValueError(
                f"export_rows_per_file must be between 1 and {MAX_EXPORT_ROWS_PER_FILE}"
            )
        config = ServerConfig(
            access_token_ttl=access_token_ttl,
            refresh_token_ttl=refresh_token_ttl,
            job_delay=job_delay,
            quotas={**DEFAULT_QUOTAS, **(quotas or {})},
            export_rows_per_file=export_rows_per_file,
            background_upload_threshold=background_upload_threshold,
            file_url_ttl=file_url_ttl,
            request_log_limit=request_log_limit,
            compress_min_bytes=compress_min_bytes,
        )
        self.core: ServerCore = ServerCore(config, rng_seed=seed)
        self.seed = seed
        self.host = host
        self.port: int = port
        self._runner: web.AppRunner | None = None
        self.demo_credentials: Credentials = self.create_account(
            api_key=DEMO_LOGIN["api_key"],
            email=DEMO_LOGIN["email"],
            api_secret=DEMO_LOGIN["api_secret"],
            api_code=DEMO_LOGIN["api_code"],
        )

    # ----------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        """``http://host:port`` of the running server (empty before start)."""
        return self.core.base_url

    def _build_app(self) -> web.Application:
        app = web.Application(middlewares=[core_middleware], client_max_size=MAX_BODY)
        app[CORE_KEY] = self.core
        for module in (
            _handlers_auth,
            _handlers_fields,
            _handlers_groups,
            _handlers_customers,
            _handlers_campaigns,
            _handlers_reruns,
            _handlers_openapi,
        ):
            app.add_routes(module.routes)
        return app

    async def start(self) -> ReferenceServer:
        """Seed (if asked), bind the port and start serving; return self."""
        if self._runner is not None:
            raise RuntimeError("server already started")
        # A restart gets a fresh closing signal: the last close() set the old one, which
        # would otherwise cut every latency fault short and make `hang` drop at once.
        self.core.closing = asyncio.Event()
        if self.seed == "demo":
            from nudgescribe_async.testing._demo_dataset import seed_demo

            seed_demo(self)
        # The "access log" only counts response bytes (see ByteCounter); nothing is logged.
        runner = web.AppRunner(
            self._build_app(),
            access_log=_ACCESS_LOG,
            access_log_class=ByteCounter,
            shutdown_timeout=5.0,
        )
        await runner.setup()
        self._runner = runner
        await web.TCPSite(runner, self.host, self.port).start()
        host, port = runner.addresses[0][:2]
        self.port = port
        self.core.base_url = f"http://{host}:{port}"
        _SERVING[self.core.base_url] = asyncio.get_running_loop()
        return self

    async def close(self) -> None:
        """Stop serving: wake hanging handlers, cancel job timers, close every connection."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        _SERVING.pop(self.core.base_url, None)
        self.core.closing.set()
        self.core.wake_sleepers()
        await self.core.jobs.aclose()
        await runner.cleanup()

    async def __aenter__(self) -> ReferenceServer:
        """Start the server."""
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the server."""
        await self.close()

    # ----------------------------------------------------------------- accounts
    @property
    def state(self) -> State:
        """The in-memory model (accounts, workspaces, groups, campaigns)."""
        return self.core.state

    def create_account(
        self,
        *,
        api_key: str | None = None,
        email: str | None = None,
        api_secret: str | None = None,
        api_code: str | None = None,
        quotas: Mapping[str, int] | None = None,
    ) -> Credentials:
        """Create an isolated account; omitted credentials are generated."""
        suffix = secrets.token_hex(4)
        account = self.state.add_account(
            api_key=api_key or f"ns_test_{secrets.token_hex(12)}",
            email=email or f"user-{suffix}@example.test",
            api_secret=api_secret or secrets.token_urlsafe(24),
            api_code=api_code or f"CODE{suffix.upper()}",
            quotas={**self.core.config.quotas, **(quotas or {})},
        )
        return self._credentials(account)

    @staticmethod
    def _credentials(account: AccountRecord) -> Credentials:
        return Credentials(
            api_key=account.api_key,
            email=account.email,
            api_secret=account.api_secret,
            api_code=account.api_code,
            account_id=account.account_id,
            encryption_key=account.encryption_key,
        )

    def account(self, credentials: Credentials | None = None) -> AccountRecord:
        """Return the state object of ``credentials``' account (default: the demo account)."""
        key = (credentials or self.demo_credentials).api_key
        return self.state.accounts[key]

    def client_kwargs(self, credentials: Credentials | None = None) -> dict[str, Any]:
        """Return ``AsyncNudgescribe(**kwargs)`` arguments pointing at this server."""
        creds = credentials or self.demo_credentials
        return {
            "api_key": creds.api_key,
            "email": creds.email,
            "api_secret": creds.api_secret,
            "api_code": creds.api_code,
            "client_ip": DEMO_CLIENT_IP,
            "base_url": self.base_url,
        }

    def env(self, credentials: Credentials | None = None) -> dict[str, str]:
        """Return the ``NUDGESCRIBE_*`` environment variables pointing at this server."""
        return {
            f"NUDGESCRIBE_{k.upper()}": str(v) for k, v in self.client_kwargs(credentials).items()
        }

    def revoke_tokens(self, credentials: Credentials | None = None) -> None:
        """Invalidate every token issued so far to the account (next calls get 403)."""
        self.account(credentials).token_generation += 1

    def advance_clock(self, seconds: float) -> None:
        """Move the server's one clock forward, without sleeping.

        Tokens and download URLs expire as if ``seconds`` had passed, and the timestamps the
        server writes from now on (``created_at``, ``updated_at``, ``published_at``) are that
        much later too: both read the same clock.
        """
        self.core.clock.advance(seconds)

    def set_quota(self, name: str, limit: int, credentials: Credentials | None = None) -> None:
        """Set quota ``name`` (``publish`` or ``pages``) of an account to ``limit`` uses."""
        self.account(credentials).quotas[name] = limit

    def usage(self, name: str, credentials: Credentials | None = None) -> int:
        """Return how many uses of quota ``name`` the account has spent."""
        return self.account(credentials).usage.get(name, 0)

    def decrypt(self, ciphertext: str, credentials: Credentials | None = None) -> str:
        """Return the plaintext of a profile value (see ``decrypt_demo_value``)."""
        return decrypt_demo_value(self.account(credentials).encryption_key, ciphertext)

    # ----------------------------------------------------------------- seeding
    def _workspace(self, workspace_id: str) -> WorkspaceRecord:
        try:
            return self.state.workspaces[workspace_id]
        except KeyError:
            raise SeedError(f"unknown workspace {workspace_id!r}") from None

    def _group(self, customer_group_id: str) -> CustomerGroupRecord:
        try:
            return self.state.groups[customer_group_id]
        except KeyError:
            raise SeedError(f"unknown customer group {customer_group_id!r}") from None

    def _campaign(self, campaign_id: str) -> CampaignRecord:
        try:
            return self.state.campaigns[campaign_id]
        except KeyError:
            raise SeedError(f"unknown campaign {campaign_id!r}") from None

    def seed_workspace(
        self, name: str = "Workspace", *, credentials: Credentials | None = None
    ) -> WorkspaceRecord:
        """Create a workspace in an account (default: the demo account)."""
        return self.state.add_workspace(self.account(credentials), name)

    def seed_profile_field(
        self,
        workspace_id: str,
        field_name: str,
        field_type: str = FIELD_TYPE_STRING,
        *,
        field_format: str | None = None,
        display_name: str | None = None,
        is_required: bool = False,
        is_unique: bool = False,
    ) -> ProfileFieldRecord:
        """Define a profile field (same rules as ``PUT /v1/cpf``; :class:`SeedError` if not)."""
        return seed_field(
            self.state,
            self._workspace(workspace_id),
            field_name,
            field_type,
            field_format=field_format,
            display_name=display_name,
            is_required=is_required,
            is_unique=is_unique,
        )

    def seed_group(
        self, workspace_id: str, name: str, *, description: str | None = None
    ) -> CustomerGroupRecord:
        """Create a customer group (409-style duplicates raise :class:`SeedError`)."""
        return seed_group(self.state, self._workspace(workspace_id), name, description)

    def seed_customers(
        self,
        customer_group_id: str,
        rows: Iterable[Mapping[str, Any]] | None = None,
        *,
        count: int | None = None,
        start: int = 0,
        unique_field: str | None = None,
    ) -> int:
        """Bulk-insert customers without validation; return how many rows were written.

        Pass explicit ``rows`` or a ``count`` of synthetic rows (deterministic valid values for
        every field, numbered from ``start``). ``unique_field`` defaults to the workspace's
        first ``is_unique`` field; rows with an existing value update that customer.
        """
        group = self._group(customer_group_id)
        ws = self._workspace(group.workspace_id)
        if (rows is None) == (count is None):
            raise SeedError("pass exactly one of rows or count")
        chosen = unique_field or unique_field_of(ws)
        source = rows if rows is not None else synthetic_rows(ws, count or 0, start)
        return seed_customers(self.state, group, source, chosen)

    def seed_campaign(
        self,
        workspace_id: str,
        name: str,
        *,
        customer_group_id: str,
        status: str = CAMPAIGN_READY_FOR_REVIEW,
        segment_field: str | None = None,
        with_messages: bool = True,
    ) -> CampaignRecord:
        """Create a campaign in any status with one message per customer of the group."""
        ws = self._workspace(workspace_id)
        group = self._group(customer_group_id)
        return seed_campaign(
            self.state,
            ws,
            group,
            name,
            status=status,
            segment_field=segment_field,
            with_messages=with_messages,
        )

    def approve_campaign(self, campaign_id: str) -> CampaignRecord:
        """Move a ``Ready for review`` campaign to ``Ready to publish`` (the web app's step)."""
        campaign = self._campaign(campaign_id)
        approve(self.state, campaign)
        return campaign

    def rerun_campaign(self, campaign_id: str, new_customer_group_id: str) -> dict[str, Any]:
        """Initiate a rerun as the API would (same rules); return the response payload."""
        try:
            return initiate_rerun(
                self.state,
                self.core.jobs,
                self._campaign(campaign_id),
                self._group(new_customer_group_id),
            )
        except ApiError as err:
            raise SeedError(f"{err.status}: {err.message}") from None

    # ----------------------------------------------------------------- jobs and logs
    def finish_jobs(self) -> int:
        """Complete every pending background job now; return how many ran."""
        return self.core.jobs.finish_all()

    def set_job_delay(self, seconds: float | None) -> None:
        """Delay later jobs by ``seconds`` (``None`` holds them until :meth:`finish_jobs`)."""
        self.core.jobs.delay = seconds

    @property
    def pending_jobs(self) -> list[Job]:
        """Jobs queued and not yet completed, oldest first."""
        return list(self.core.jobs.pending.values())

    @property
    def faults(self) -> Faults:
        """The fault-injection rules (see ``Faults``)."""
        return self.core.faults

    @property
    def requests(self) -> list[RequestRecord]:
        """Logged requests, oldest first (bounded by ``request_log_limit``)."""
        return list(self.core.requests)

    @property
    def bytes_sent(self) -> int:
        """Response body bytes written so far, after compression (see ``compress_min_bytes``)."""
        return self.core.bytes_sent

    @property
    def request_counts(self) -> Counter[str]:
        """Number of requests received per path (faulted ones included)."""
        return self.core.request_counts

    def request_count(self, path: str, method: str | None = None) -> int:
        """Return requests seen for ``path`` (and ``method``, counted from the log, if given)."""
        if method is None:
            return self.core.request_counts[path]
        return sum(1 for r in self.core.requests if r.path == path and r.method == method.upper())

    def clear_requests(self) -> None:
        """Forget the request log and the per-path counters."""
        self.core.requests.clear()
        self.core.request_counts.clear()
