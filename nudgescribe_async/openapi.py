"""The OpenAPI 3.1 document of the Nudgescribe client API, shipped inside this package.

The document (``openapi.json`` beside this module) describes every operation the SDK calls:
paths, methods, security headers, request bodies (JSON and the multipart CSV upload), every
response payload, the error body and every status code. Schemas, properties, responses and
headers that Nudgescribe has not published (this project's assumptions) carry
``"x-nudgescribe-published": false``. The local reference server serves it at ``/openapi.json``.

>>> from nudgescribe_async.openapi import openapi_document
>>> openapi_document()["openapi"]
'3.1.0'
"""

from __future__ import annotations

import sys
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = ["PUBLISHED_KEY", "openapi_bytes", "openapi_document", "openapi_resource"]

#: The extension marking what Nudgescribe has not published (its value is always ``false``).
PUBLISHED_KEY = "x-nudgescribe-published"


def openapi_resource() -> Traversable:
    """Return the shipped ``openapi.json`` as an :mod:`importlib.resources` traversable."""
    return files("nudgescribe_async").joinpath("openapi.json")


def openapi_bytes() -> bytes:
    """Return the shipped document's JSON text, as stored."""
    return openapi_resource().read_bytes()


def openapi_document() -> dict[str, Any]:
    """Return a fresh copy of the document as decoded JSON (safe to modify)."""
    document: dict[str, Any] = orjson.loads(openapi_bytes())
    return document
