"""Pagers that decode after the HTTP exchange: a bad page's error and what its traceback keeps."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from aioresponses import aioresponses

from nudgescribe_async import AsyncNudgescribe, ResponseDecodeError
from tests._support.mocked import ok, url

MARKER = "echoed-body-marker-7f3a"


async def _failure(client: AsyncNudgescribe, which: str) -> ResponseDecodeError:
    pager: Any
    if which == "messages":
        pager = client.messages.list("cmp1", concurrency=2)
    else:
        pager = client.reruns.list_messages("cmp1", page_size=2, concurrency=2)
    with pytest.raises(ResponseDecodeError) as info:
        await pager.collect()
    return info.value


@pytest.mark.parametrize("which", ["messages", "reruns"])
async def test_bad_page_raises_decode_error_without_the_body_in_locals(
    authed_api: aioresponses, mock_client: AsyncNudgescribe, which: str
) -> None:
    """A malformed page raises ResponseDecodeError naming its path; no frame keeps the body."""
    bad_row = {"message_id": 1, "note": MARKER}
    if which == "messages":
        authed_api.post(url("/v1/messages/pages"), payload=ok(total_pages=1))
        authed_api.post(
            url("/v1/messages/fetch"), payload=ok(format="json", page=1, messages=[bad_row])
        )
        path = "/v1/messages/fetch"
    else:
        authed_api.post(
            url("/v1/campaign/rerun/messages"),
            payload=ok(page=1, total_pages=1, messages=[bad_row]),
        )
        path = "/v1/campaign/rerun/messages"
    exc = await _failure(mock_client, which)
    assert exc.url is not None and exc.url.endswith(path)
    assert exc.path is not None and exc.path.startswith("$.messages[0]")
    held = [
        (frame.f_code.co_name, name)
        for frame, _ in traceback.walk_tb(exc.__traceback__)
        for name, value in frame.f_locals.items()
        if isinstance(value, (dict, list, str, bytes)) and MARKER in repr(value)
    ]
    assert held == []  # the excerpt in the error is scrubbed; the raw body is in no frame
