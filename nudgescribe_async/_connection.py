"""The aiohttp session of a client: created lazily on the running loop, closed once.

A :class:`Connection` is shared by a client and its ``with_options()`` copies; only the client
that created it closes it.
"""

from __future__ import annotations

import asyncio

import aiohttp
import orjson

from ._errors import ClientClosedError

__all__ = ["Connection"]


class Connection:
    """Owns the aiohttp session: created lazily on the running loop, closed by :meth:`close`.

    A session the user passed in is used as is and never closed here.
    """

    def __init__(self, session: aiohttp.ClientSession | None = None) -> None:
        self._session = session
        self._owned = session is None
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has run."""
        return self._closed

    def session(self) -> aiohttp.ClientSession:
        """Return the session, creating ours on first use (must run on the event loop).

        Raises :class:`ClientClosedError` after :meth:`close`, when a borrowed session was
        closed by its owner, and when our session belongs to another event loop (a second
        ``asyncio.run()``): aiohttp sessions cannot move between loops.
        """
        if self._closed:
            raise ClientClosedError(
                "this Nudgescribe client is closed; create a new client (or keep this one open "
                "until the last call, e.g. with `async with AsyncNudgescribe() as client:`)"
            )
        session = self._session
        if session is None:
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=100, ttl_dns_cache=300),
                json_serialize=lambda obj: orjson.dumps(obj).decode(),
                raise_for_status=False,
            )
            # aiohttp silently resends PUT and DELETE once when a kept-alive connection drops
            # (RFC 9110 calls PUT idempotent; this API creates with PUT). Our retry rules must be
            # the only ones, so turn that off on sessions we own. The attribute is private
            # (aio-libs/aiohttp#10790 asks for a public switch); a test pins the behaviour.
            if hasattr(session, "_retry_connection"):
                session._retry_connection = False
            self._session = session
            self._loop = asyncio.get_running_loop()
            return session
        if session.closed:
            raise ClientClosedError(
                "the aiohttp.ClientSession passed to this client is closed; pass an open session "
                "or let the client create its own"
            )
        if self._owned and self._loop is not asyncio.get_running_loop():
            raise ClientClosedError(
                "this client's HTTP session belongs to another event loop (was the client used "
                "in an earlier asyncio.run()?); create one client per event loop, inside the "
                "coroutine that uses it: `async with AsyncNudgescribe() as client: ...`"
            )
        return session

    async def close(self) -> None:
        """Close our session (not a borrowed one); idempotent."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owned and not session.closed:
            await session.close()
