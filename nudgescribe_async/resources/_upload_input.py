"""What ``customers.upload`` accepts, read into what goes on the wire: records and CSV files."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable, Mapping
from typing import Any

from nudgescribe_async._convert import unstructure_request
from nudgescribe_async._errors import RequestValidationError

__all__ = ["read_csv", "upload_records"]


def upload_records(customers: object) -> list[dict[str, Any]]:
    if isinstance(customers, (str, bytes, Mapping)) or not isinstance(customers, Iterable):
        raise RequestValidationError("customers", "must be a list of {field_name: value} mappings")
    records: list[dict[str, Any]] = []
    for index, record in enumerate(customers):
        if not isinstance(record, Mapping):
            raise RequestValidationError(
                "customers", f"item {index} must be a mapping, got {type(record).__name__}"
            )
        try:
            records.append(unstructure_request(record))
        except TypeError as exc:
            raise RequestValidationError("customers", f"item {index}: {exc}") from None
    if not records:
        raise RequestValidationError("customers", "must contain at least one record")
    return records


async def read_csv(file: object) -> tuple[bytes, str]:
    """Return the CSV bytes and a filename for the multipart part."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        return bytes(file), "customers.csv"
    if isinstance(file, (str, os.PathLike)):
        path = os.fspath(file)
        try:
            # A thread keeps a large file's read off the event loop.
            data: bytes | str = await asyncio.to_thread(_read_path, path)
        except OSError as exc:
            raise RequestValidationError("file", f"cannot read {path!r}: {exc.strerror}") from None
        except ValueError as exc:  # e.g. an embedded NUL byte
            raise RequestValidationError("file", f"cannot read {path!r}: {exc}") from None
        return _utf8(data), os.path.basename(path) or "customers.csv"
    read = getattr(file, "read", None)
    if not callable(read):
        raise RequestValidationError(
            "file", f"must be a path, bytes or a file object, got {type(file).__name__}"
        )
    data = await asyncio.to_thread(read)
    if not isinstance(data, (bytes, str)):
        raise RequestValidationError("file", f"read() returned {type(data).__name__}")
    name = getattr(file, "name", None)
    return _utf8(data), os.path.basename(name) if isinstance(name, str) else "customers.csv"


def _read_path(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _utf8(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data
