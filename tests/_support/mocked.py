"""The mocked API (aioresponses) and what tests read back from it.

aioresponses 0.7.9 builds ClientResponse without aiohttp 3.14's ``stream_writer``; the
``mock_api`` fixture patches that in (:func:`patched_aioresponses`).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import aiohttp
import orjson
import pytest
from aioresponses import aioresponses, core
from yarl import URL

from nudgescribe_async import AsyncNudgescribe, RequestValidationError

from .credentials import TEST_BASE_URL


class _CompatClientResponse(aiohttp.ClientResponse):
    """aioresponses 0.7.9 builds ClientResponse without aiohttp 3.14's ``stream_writer``.

    Upstream: pnuckowski/aioresponses#289 (fixes #288/#292 unmerged). A writer mock with
    ``output_size=0`` is all the response needs. Use mocked bodies under 64 KiB only (3.14's
    ``pause_reading`` asserts on larger ones); large bodies go through the reference server.
    Delete this class when aioresponses releases a fix.
    """

    def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", mock.Mock(output_size=0))
        super().__init__(method, url, **kwargs)


_NEEDS_SHIM = "stream_writer" in inspect.signature(aiohttp.ClientResponse.__init__).parameters


@contextmanager
def patched_aioresponses() -> Iterator[aioresponses]:
    """aioresponses, patched for aiohttp 3.14 when needed; nothing reaches the network."""
    patch = (
        mock.patch.object(core, "ClientResponse", _CompatClientResponse)
        if _NEEDS_SHIM
        else mock.patch.object(core, "ClientResponse", aiohttp.ClientResponse)
    )
    with patch, aioresponses() as mocked:
        yield mocked


def url(path: str) -> str:
    """The mocked absolute URL of an API path."""
    return f"{TEST_BASE_URL}{path}"


def calls(mock: aioresponses, method: str, path: str) -> list[Any]:
    """The recorded calls of ``method path`` (aioresponses RequestCall objects)."""
    return list(mock.requests.get((method, URL(url(path))), []))


def sent_json(mock: aioresponses, method: str, path: str, index: int = 0) -> Any:
    """The decoded JSON body of the ``index``-th call of ``method path``."""
    return orjson.loads(calls(mock, method, path)[index].kwargs["data"])


def sent_headers(mock: aioresponses, method: str, path: str, index: int = 0) -> Any:
    """The headers of the ``index``-th call of ``method path``."""
    return calls(mock, method, path)[index].kwargs["headers"]


def api_calls(mock: aioresponses) -> list[tuple[str, URL]]:
    """Every recorded (method, URL) except authentication."""
    return [key for key in mock.requests if key[1].path != "/v1/auth"]


async def assert_refused_before_io(
    api: aioresponses, client: AsyncNudgescribe, call: Any, argument: str
) -> None:
    """``await call(client)`` raises RequestValidationError naming ``argument``; nothing sent."""
    with pytest.raises(RequestValidationError) as info:
        await call(client)
    assert info.value.argument == argument
    assert api.requests == {}


def ok(**payload: Any) -> dict[str, Any]:
    """A success envelope with ``payload`` at the top level."""
    return {"success": True, **payload}
