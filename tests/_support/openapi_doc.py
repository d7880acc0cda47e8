"""Reading the shipped OpenAPI document in tests: operations, references, validators, models."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from nudgescribe_async import models
from nudgescribe_async._convert import structure_response
from nudgescribe_async.openapi import PUBLISHED_KEY, openapi_document

__all__ = [
    "DOC",
    "OPS",
    "OPS_BY_SDK_METHOD",
    "PUBLISHED_KEY",
    "Operation",
    "decode_example",
    "decoder_for",
    "operations",
    "pointer",
    "reachable",
    "resolve",
    "response_validator",
    "schema_validator",
    "unpublished_marks",
]

DOC: dict[str, Any] = openapi_document()
METHODS = ("get", "put", "post", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    """One operation of the document."""

    method: str
    path: str
    spec: dict[str, Any]

    @property
    def sdk_method(self) -> str:
        """The SDK method the document names for this operation (``resource.method``)."""
        return str(self.spec["x-nudgescribe-sdk-method"])

    @property
    def key(self) -> str:
        """``"POST /v1/cg"``."""
        return f"{self.method} {self.path}"

    def response(self, status: int | str) -> dict[str, Any]:
        """The response object documented for ``status`` (exact code first, then ``5XX``)."""
        responses = self.spec["responses"]
        code = str(status)
        if code not in responses:
            code = code[0] + "XX"
        return resolve(responses[code])


def operations(doc: dict[str, Any] = DOC) -> Iterator[Operation]:
    """Every operation of ``doc``, in document order."""
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield Operation(method.upper(), path, item[method])


#: Operations by ``"METHOD /path"`` and by the SDK method the document names.
OPS: dict[str, Operation] = {op.key: op for op in operations()}
OPS_BY_SDK_METHOD: dict[str, Operation] = {op.sdk_method: op for op in OPS.values()}


def pointer(*parts: str) -> str:
    """A JSON pointer (``#/a/b``) to ``parts``, escaped."""
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def resolve(node: dict[str, Any], doc: dict[str, Any] = DOC) -> dict[str, Any]:
    """Follow ``$ref`` (local references only) until a node without one."""
    while "$ref" in node and len(node) == 1:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _validator(ref: str, doc: dict[str, Any] = DOC) -> Draft202012Validator:
    # The whole document is the root so that "#/components/..." references resolve; its other
    # keys (openapi, info, paths) are unknown keywords, which JSON Schema ignores.
    return Draft202012Validator(
        {**doc, "$ref": ref}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def response_validator(
    op: Operation, status: int | str, media_type: str = "application/json"
) -> Draft202012Validator:
    """A validator of ``op``'s response body for ``status``."""
    code = str(status) if str(status) in op.spec["responses"] else str(status)[0] + "XX"
    ref = op.spec["responses"][code]
    if "$ref" in ref:
        base = ref["$ref"].removeprefix("#/").split("/")
    else:
        base = ["paths", op.path, op.method.lower(), "responses", code]
    return _validator(pointer(*base, "content", media_type, "schema"))


def schema_validator(name: str) -> Draft202012Validator:
    """A validator of the component schema ``name``."""
    return _validator(pointer("components", "schemas", name))


def _payload_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The payload part of a success schema ``allOf: [Success, payload]``."""
    parts = [
        p for p in schema.get("allOf", [schema]) if p.get("$ref") != "#/components/schemas/Success"
    ]
    (payload,) = parts
    return payload


def _model_name(ref: dict[str, Any]) -> str:
    return str(ref["$ref"]).rsplit("/", 1)[-1]


def decoder_for(schema: dict[str, Any]) -> Callable[[Any], Any]:
    """How the SDK decodes a body of ``schema``: ``body -> model instance``.

    The payload names a model (``$ref`` to a component named like an SDK model), an object
    with one required key holding a model (``{"field": ProfileField}``: decoded with
    ``key=``), or a ``oneOf`` with a discriminator (each branch a model).
    """
    payload = _payload_schema(schema)
    name = _model_name(payload)
    component = DOC["components"]["schemas"][name]
    if hasattr(models, name):
        cls = getattr(models, name)
        return lambda body: structure_response(body, cls)
    if "discriminator" in component:
        prop = component["discriminator"]["propertyName"]
        mapping = {
            k: getattr(models, _model_name({"$ref": v}))
            for k, v in component["discriminator"]["mapping"].items()
        }
        return lambda body: structure_response(body, mapping[body[prop]])
    (key,) = component["required"]
    cls = getattr(models, _model_name(component["properties"][key]))
    return lambda body: structure_response(body, cls, key=key)


def decode_example(op: Operation, body: Any) -> Any:
    """Decode a 200 body of ``op`` through the SDK model the document names."""
    schema = op.response(200)["content"]["application/json"]["schema"]
    return decoder_for(schema)(body)


def unpublished_marks(node: Any, where: str = "$") -> Iterator[tuple[str, Any]]:
    """Every ``x-nudgescribe-published`` under ``node`` (following no references)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == PUBLISHED_KEY:
                yield where, value
            else:
                yield from unpublished_marks(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from unpublished_marks(value, f"{where}[{index}]")


def reachable(node: Any, seen: set[str] | None = None) -> Iterator[Any]:
    """``node`` and every node reachable from it, following ``$ref`` (each target once)."""
    seen = set() if seen is None else seen
    yield node
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            seen.add(ref)
            yield from reachable(resolve({"$ref": ref}), seen)
        for key, value in node.items():
            if key != "$ref":
                yield from reachable(value, seen)
    elif isinstance(node, list):
        for value in node:
            yield from reachable(value, seen)
