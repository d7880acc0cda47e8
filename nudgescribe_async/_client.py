"""AsyncNudgescribe: configuration, lifecycle, resource attributes and ``with_options()``."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiohttp
import attrs

from ._adaptive import AdaptiveLimiter
from ._config import (
    Decrypt,
    Environment,
    resolve_config,
    to_client_timeout,
    validate_deadline,
    validate_max_retries,
)
from ._endpoints import endpoint_for
from ._errors import NudgescribeError
from ._limits import check_depth
from ._outgoing import check_headers, check_method
from ._secrets import Secret, scrub_error
from ._types import NOT_GIVEN, NotGiven, RequestSpec, TimeoutLike
from .stores._base import RateLimiter, TokenStore, store_key

if TYPE_CHECKING:
    from ._auth import TokenManager
    from ._transport import Transport
    from .resources import (
        AsyncAuth,
        AsyncCampaigns,
        AsyncCustomerGroups,
        AsyncCustomers,
        AsyncMessages,
        AsyncProfileFields,
        AsyncReruns,
        AsyncWorkspaces,
    )

__all__ = ["AsyncNudgescribe"]


class AsyncNudgescribe:
    """Async client for the Nudgescribe client API.

    Each argument falls back to an environment variable (``NUDGESCRIBE_API_KEY``,
    ``NUDGESCRIBE_EMAIL``, ``NUDGESCRIBE_API_SECRET``, ``NUDGESCRIBE_API_CODE``,
    ``NUDGESCRIBE_CLIENT_IP``, ``NUDGESCRIBE_BASE_URL``); a missing credential raises
    :class:`ConfigurationError` here, before any I/O.

    >>> async with AsyncNudgescribe() as client:  # doctest: +SKIP
    ...     groups = await client.customer_groups.list("ws_1")

    ``timeout`` is float seconds (the budget of one attempt) or an ``aiohttp.ClientTimeout``;
    ``max_retries`` the retries after the first attempt (default 2). ``deadline`` bounds one
    call in all, retries and waits included (seconds, default 300); ``max_response_bytes`` caps
    a response body (default 64 MiB). ``session`` lets you pass
    your own ``aiohttp.ClientSession``, which the client then never closes. ``decrypt`` turns
    encrypted customer profile values into plaintext (see ``customers``). ``token_store``
    keeps the token pair somewhere else than in this client, e.g. a
    :class:`~nudgescribe_async.stores.RedisTokenStore` shared by every worker process;
    ``rate_limiter`` (e.g. :class:`~nudgescribe_async.stores.RedisRateLimiter`) is awaited
    before every HTTP attempt, to hold a whole fleet to one request rate. The client closes
    both when it closes.
    """

    # The resource attributes, in the order the sync generator emits them (it reads these
    # annotations; ``_setup`` assigns them).
    auth: AsyncAuth
    """Explicit authentication: ``authenticate()``, ``refresh()``."""
    profile_fields: AsyncProfileFields
    """Customer profile fields of a workspace (``/v1/cpf``)."""
    customer_groups: AsyncCustomerGroups
    """Customer groups of a workspace (``/v1/cg``)."""
    customers: AsyncCustomers
    """Upload, page through, list and delete customers (``/v1/customer``)."""
    campaigns: AsyncCampaigns
    """Campaigns by workspace, lookup by id and status waits (``/v1/campaign/all``)."""
    messages: AsyncMessages
    """Publish campaigns and read exported message files (``/v1/messages/*``)."""
    reruns: AsyncReruns
    """Campaign reruns, run history and run messages (``/v1/campaign/rerun/*``)."""
    workspaces: AsyncWorkspaces
    """The account's workspaces, derived from the campaign listing (``/v1/campaign/all``)."""

    def __init__(
        self,
        api_key: str | None = None,
        email: str | None = None,
        api_secret: str | None = None,
        api_code: str | None = None,
        client_ip: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutLike | None = None,
        max_retries: int | None = None,
        *,
        environment: Environment | None = None,
        session: aiohttp.ClientSession | None = None,
        refresh_skew: float | None = None,
        decrypt: Decrypt | None = None,
        token_store: TokenStore | None = None,
        rate_limiter: RateLimiter | None = None,
        deadline: float | None = None,
        max_response_bytes: int | None = None,
    ) -> None:
        config = resolve_config(
            api_key=api_key,
            email=email,
            api_secret=api_secret,
            api_code=api_code,
            client_ip=client_ip,
            base_url=base_url,
            environment=environment,
            timeout=timeout,
            max_retries=max_retries,
            refresh_skew=refresh_skew,
            decrypt=decrypt,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
        )
        config = attrs.evolve(config, rate_limiter=rate_limiter)
        # Imported here, not at the top: the HTTP and token machinery load with the first
        # client, not with ``import nudgescribe_async`` (import time; see benchmarks).
        from ._auth import TokenManager
        from ._connection import Connection
        from ._transport import Transport

        transport = Transport(config, Connection(session))
        tokens = TokenManager(
            transport.request,
            api_key=Secret(config.api_key),
            email=config.email,
            api_secret=Secret(config.api_secret),
            refresh_skew=config.refresh_skew,
            store=token_store,
            store_key=store_key(
                str(config.base_url), config.email, config.api_key, config.api_secret
            ),
        )
        # api_code travels in x-auth-context: registered, so no exception text shows it.
        self._api_code = Secret(config.api_code)
        self._setup(transport, tokens, owner=True, limiter=AdaptiveLimiter())

    def _setup(
        self, transport: Transport, tokens: TokenManager, *, owner: bool, limiter: AdaptiveLimiter
    ) -> None:
        """Wire the layers, one way: transport -> token manager -> sender -> resources."""
        from ._sender import BearerSender

        self._transport = transport
        self._tokens = tokens
        self._sender = sender = BearerSender(transport, tokens)
        self._owner = owner
        #: The one adaptive limit every ``concurrency="auto"`` pager of this client (and of
        #: its ``with_options`` copies) shares, so that together they stay under the service's.
        self.limiter = limiter
        # Imported here, not at the top: resources bring every model and the cattrs converter,
        # which ``import nudgescribe_async`` does not need (import time; see benchmarks).
        from .resources import (
            AsyncAuth,
            AsyncCampaigns,
            AsyncCustomerGroups,
            AsyncCustomers,
            AsyncMessages,
            AsyncProfileFields,
            AsyncReruns,
            AsyncWorkspaces,
        )

        # Resources get what they send with, never the client.
        config = transport.config
        self.auth = AsyncAuth(sender, config, tokens)
        self.profile_fields = AsyncProfileFields(sender, config)
        self.customer_groups = AsyncCustomerGroups(sender, config)
        self.customers = AsyncCustomers(sender, config, limiter)
        self.campaigns = AsyncCampaigns(sender, config)
        self.messages = AsyncMessages(sender, config, limiter)
        self.reruns = AsyncReruns(sender, config, limiter)
        self.workspaces = AsyncWorkspaces(sender, config)

    @property
    def base_url(self) -> str:
        """The API root this client talks to."""
        return str(self._transport.config.base_url)

    @property
    def closed(self) -> bool:
        """Whether the client (or the parent it shares a session with) is closed."""
        return self._transport.connection.closed

    def with_options(
        self,
        *,
        timeout: TimeoutLike | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
    ) -> AsyncNudgescribe:
        """A client with other defaults that shares this one's session and tokens.

        Closing the copy does nothing; closing the original closes the shared session.

        >>> patient = client.with_options(timeout=120, max_retries=5)  # doctest: +SKIP
        """
        config = self._transport.config
        changes: dict[str, Any] = {}
        if not isinstance(timeout, NotGiven):
            changes["timeout"] = to_client_timeout(timeout)
        if not isinstance(max_retries, NotGiven):
            changes["max_retries"] = validate_max_retries(max_retries)
        if not isinstance(deadline, NotGiven):
            changes["deadline"] = validate_deadline(deadline)
        from ._transport import Transport

        transport = Transport(attrs.evolve(config, **changes), self._transport.connection)
        copy = object.__new__(type(self))
        copy._setup(transport, self._tokens, owner=False, limiter=self.limiter)
        copy._api_code = self._api_code
        return copy

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
        idempotent: bool | None = None,
    ) -> Any:
        """Call any endpoint with the same auth, retries and errors; return the decoded JSON.

        The escape hatch for what the SDK does not model yet. ``idempotent`` overrides the
        retry rules' guess from the method and path.

        >>> await client.request("POST", "/v1/cg", json={"workspace_id": "ws_1"})  # doctest: +SKIP
        {'success': True, 'customer_groups': [...]}
        """
        try:
            method = check_method(method)
            headers = check_headers(extra_headers)
            endpoint = endpoint_for(method, path, idempotent)
        except NudgescribeError as exc:
            # A refused path or header is echoed in the message: scrubbed like every error
            # the transport raises (a caller may have pasted a credential into it).
            scrub_error(exc)
            raise
        spec = RequestSpec(endpoint, json=json, headers=headers, timeout=timeout)
        data = await self._sender.send(spec)
        # The raw JSON goes straight to the caller: no nesting that would break repr().
        check_depth(data, url=self._transport.url_text(spec.path))
        return data

    async def aclose(self) -> None:
        """Close the HTTP session (if this client created it). Safe to call twice."""
        if self._owner:
            try:
                await self._transport.connection.close()
            finally:
                try:
                    await self._tokens.aclose()
                finally:
                    limiter = self._transport.config.rate_limiter
                    if limiter is not None:
                        await limiter.aclose()

    async def __aenter__(self) -> AsyncNudgescribe:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        config = self._transport.config
        return f"AsyncNudgescribe(base_url={self.base_url!r}, email={config.email!r})"
