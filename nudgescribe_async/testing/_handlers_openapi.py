"""``GET /openapi.json``: the shipped OpenAPI document, with this server listed first.

No authentication, like a published API reference. The ``servers`` list gains the running
server's own address in front of the published hosts, so a tool pointed at
``http://127.0.0.1:<port>/openapi.json`` (schemathesis, Prism, an API explorer) calls this
server by default.
"""

from __future__ import annotations

import orjson
from aiohttp import web

from nudgescribe_async.openapi import openapi_document
from nudgescribe_async.testing._http import core_of

__all__ = ["routes"]

routes = web.RouteTableDef()


@routes.get("/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    """Return the OpenAPI document."""
    document = openapi_document()
    local = {"url": core_of(request).base_url, "description": "This local reference server"}
    document["servers"] = [local, *document.get("servers", [])]
    return web.Response(body=orjson.dumps(document), content_type="application/json")
