"""``client.campaigns``: campaigns grouped by workspace (``/v1/campaign/all``) and status waits.

The API has no single-campaign endpoint: :meth:`AsyncCampaigns.get` lists every campaign and
searches the list on the client.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from nudgescribe_async._endpoints import CAMPAIGN_LIST
from nudgescribe_async._errors import NotFoundError, RequestValidationError
from nudgescribe_async._types import NOT_GIVEN, CallOptions, NotGiven, TimeoutLike
from nudgescribe_async.models import Campaign, CampaignList, CampaignStatus
from nudgescribe_async.resources._base import AsyncResource
from nudgescribe_async.resources._validate import require_id, require_seconds, require_timeout
from nudgescribe_async.resources._wait import poll_until

__all__ = ["AsyncCampaigns"]

_KNOWN_STATUSES = frozenset(status.value.casefold() for status in CampaignStatus)


class AsyncCampaigns(AsyncResource):
    """List campaigns, find one by id, and wait for a campaign to reach a status."""

    async def list(
        self,
        *,
        published_from: date | str | None = None,
        published_to: date | str | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> CampaignList:
        """Return every campaign, grouped by workspace (``POST /v1/campaign/all``).

        ``published_from`` / ``published_to`` (a ``date`` or an ISO ``YYYY-MM-DD`` string,
        both inclusive) keep only campaigns published in that window; ``None`` sends no bound.

        >>> result = await client.campaigns.list(published_from=date(2026, 1, 1))
        ... # doctest: +SKIP
        >>> [c.name for c in result.all_campaigns()]  # doctest: +SKIP
        ['Spring sale']
        """
        start = _iso_date("published_from", published_from)
        end = _iso_date("published_to", published_to)
        if start is not None and end is not None and start > end:
            raise RequestValidationError("published_from", f"{start} is after published_to {end}")
        body = {k: v for k, v in (("published_from", start), ("published_to", end)) if v}
        return await self._call(
            CAMPAIGN_LIST,
            body,
            CampaignList,
            CallOptions(extra_body, extra_headers, timeout),
        )

    async def get(
        self,
        campaign_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> Campaign:
        """Return one campaign by id, found client-side in ``POST /v1/campaign/all``.

        There is no single-campaign endpoint, so this lists every campaign (one request) and
        searches the result. An id not in the list raises ``NotFoundError`` built by the SDK
        (``status_code=404``, ``method="POST"``, the list URL, no ``request_id``).

        >>> campaign = await client.campaigns.get("cmp_1")  # doctest: +SKIP
        >>> campaign.status == CampaignStatus.PUBLISHED  # doctest: +SKIP
        True
        """
        wanted = require_id("campaign_id", campaign_id)
        return await self._get(wanted, CallOptions(extra_body, extra_headers, timeout))

    async def _get(self, wanted: str, options: CallOptions) -> Campaign:
        listing = await self._call(CAMPAIGN_LIST, {}, CampaignList, options)
        campaign = listing.find(wanted)
        if campaign is None:
            raise NotFoundError(
                f"campaign {wanted} not found",
                status_code=404,
                method=CAMPAIGN_LIST.method,
                url=self._url(CAMPAIGN_LIST.path),
            )
        return campaign

    async def wait_for_status(
        self,
        campaign_id: str,
        statuses: CampaignStatus | str | Iterable[CampaignStatus | str],
        *,
        timeout: float = 300.0,
        poll_interval: float = 2.0,
        request_timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
        allow_unknown: bool = False,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Campaign:
        """Poll :meth:`get` until the campaign's status is one of ``statuses``; return it.

        ``statuses`` is one status or several; comparison ignores case (``"Ready to Publish"``
        matches ``CampaignStatus.READY_TO_PUBLISH``). A string that is no ``CampaignStatus``
        (a typo such as ``"Ready To Go"``) raises ``RequestValidationError`` before any I/O
        instead of waiting out the timeout; pass ``allow_unknown=True`` to wait for a status
        the live service has and this SDK does not know.
        ``timeout`` is the overall budget in seconds (raises ``WaitTimeoutError``, a
        ``TimeoutError``); ``poll_interval`` the pause between polls. Because ``timeout`` is
        taken, the per-request timeout of each poll is called ``request_timeout`` here.

        >>> campaign = await client.campaigns.wait_for_status(
        ...     "cmp_1", CampaignStatus.READY_TO_PUBLISH, timeout=600)  # doctest: +SKIP
        """
        wanted_id = require_id("campaign_id", campaign_id)
        wanted = _status_set(statuses, allow_unknown=allow_unknown)
        budget = require_seconds("timeout", timeout, allow_zero=True)
        interval = require_seconds("poll_interval", poll_interval)
        require_timeout(request_timeout, "request_timeout")

        options = CallOptions(extra_body, extra_headers, request_timeout)

        async def probe() -> Campaign:
            return await self._get(wanted_id, options)

        def describe(campaign: Campaign) -> str:
            return (
                f"campaign {wanted_id} has status {str(campaign.status)!r}, "
                f"waiting for one of {sorted(wanted)}"
            )

        return await poll_until(
            probe,
            lambda c: str(c.status).casefold() in wanted,
            timeout=budget,
            poll_interval=interval,
            describe=describe,
        )


def _iso_date(argument: str, value: date | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        raise RequestValidationError(
            argument, "must be a date, not a datetime (the filter takes whole days)"
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise RequestValidationError(argument, f"must be a date or 'YYYY-MM-DD', got {value!r}")


def _status_set(statuses: object, *, allow_unknown: bool) -> set[str]:
    """Casefolded status texts; unknown ones refused unless ``allow_unknown``."""
    items = [statuses] if isinstance(statuses, str) else statuses
    if not isinstance(items, Iterable):
        raise RequestValidationError("statuses", f"must be a status or statuses, got {statuses!r}")
    folded = set()
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise RequestValidationError("statuses", f"each status must be a string, got {item!r}")
        if not allow_unknown and item.casefold() not in _KNOWN_STATUSES:
            raise RequestValidationError(
                "statuses",
                f"unknown campaign status {str(item)!r}; known: "
                f"{', '.join(repr(s.value) for s in CampaignStatus)} (any case). Pass "
                "allow_unknown=True to wait for a status this SDK does not know",
            )
        folded.add(str(item).casefold())
    if not folded:
        raise RequestValidationError("statuses", "must name at least one status")
    return folded
