"""Parse a response body: orjson, with malformed input raised as ResponseDecodeError.

Kept apart from the converter so that the transport (imported with the package) does not
import cattrs and every model: those load with the first resource (see ``_client``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from ._errors import ResponseDecodeError
from ._redact import excerpt_raw

if TYPE_CHECKING:
    from yarl import URL

__all__ = ["loads"]


def loads(data: bytes | bytearray | memoryview | str, *, url: str | URL | None = None) -> Any:
    """Parse JSON with orjson; malformed input raises ResponseDecodeError with an excerpt.

    ``url`` (a ``str`` or a ``yarl.URL``, turned into text only for the error) names the source.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raw = data if isinstance(data, str) else bytes(data)
        raise ResponseDecodeError(
            f"response is not valid JSON: {exc}",
            path="$",
            excerpt=excerpt_raw(raw),
            url=None if url is None else str(url),
        ) from exc
