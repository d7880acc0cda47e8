"""Reading an upload's body: JSON rows or a multipart form with a CSV ``file`` part."""

from __future__ import annotations

import csv
import io
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from nudgescribe_async.testing._errors import ApiError, bad_value
from nudgescribe_async.testing._http import record_form

__all__ = ["read_csv", "read_form", "union_columns"]


def union_columns(rows: list[Any]) -> list[str]:
    """Return every key used by the JSON rows, in first-seen order."""
    seen: dict[str, None] = {}
    for row in rows:
        if isinstance(row, dict):
            seen.update(dict.fromkeys(str(k) for k in row))
    return list(seen)


def read_csv(data: bytes) -> tuple[list[str], list[Any], list[dict[str, Any]]]:
    """Parse a UTF-8 CSV upload into (header, rows as dicts, shape errors)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad_value("file", "must be a UTF-8 encoded CSV file") from exc
    records = [r for r in csv.reader(io.StringIO(text)) if r]
    if not records:
        raise bad_value("file", "the CSV file is empty (no header row)")
    header = [h.strip() for h in records[0]]
    rows: list[Any] = []
    shape_errors: list[dict[str, Any]] = []
    for number, cells in enumerate(records[1:], start=1):
        if len(cells) != len(header):
            shape_errors.append(
                {
                    "row": number,
                    "field": None,
                    "message": f"expected {len(header)} values, got {len(cells)}",
                }
            )
        rows.append(dict(zip(header, cells, strict=False)))
    return header, rows, shape_errors


def _form_bool(value: str | None) -> bool:
    if value is None or value == "":
        return False
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise bad_value("validate_only", "must be true or false")


async def read_form(request: web.Request) -> tuple[dict[str, Any], bytes | None]:
    """Return the scalar form parts (as a JSON-like dict) and the ``file`` part's bytes.

    A body aiohttp cannot read as multipart (no boundary in the Content-Type, no starting
    boundary, a part without a name or with a malformed header) is the caller's fault: 400.
    """
    try:
        form = await request.post()
    # aiohttp before 3.12 reports a part without a name with a bare ``assert``.
    except (ValueError, HttpProcessingError, AssertionError) as exc:
        raise ApiError(
            400, f"Malformed multipart/form-data body: {exc}".strip(), "malformed_multipart"
        ) from exc
    scalars: dict[str, Any] = {}
    data: bytes | None = None
    for name, value in form.items():
        if isinstance(value, web.FileField):
            if name != "file":
                raise bad_value(name, "unexpected file part")
            data = value.file.read()
        elif name == "file":
            data = value.encode() if isinstance(value, str) else bytes(value)
        else:
            scalars[name] = value if isinstance(value, str) else bytes(value).decode()
    record_form(dict(scalars))
    if "customers" in scalars:
        raise ApiError(400, "Send either a file or customers, not both", "file_and_data")
    scalars["validate_only"] = _form_bool(scalars.get("validate_only"))
    return scalars, data
