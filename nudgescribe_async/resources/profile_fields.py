"""``client.profile_fields``: the columns of a workspace's customer profile (``/v1/cpf``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from nudgescribe_async._convert import unstructure_request
from nudgescribe_async._endpoints import (
    PROFILE_FIELD_CREATE,
    PROFILE_FIELD_DELETE,
    PROFILE_FIELD_LIST,
    PROFILE_FIELD_UPDATE,
)
from nudgescribe_async._errors import RequestValidationError
from nudgescribe_async._types import NOT_GIVEN, CallOptions, NotGiven, TimeoutLike
from nudgescribe_async.models import (
    DateFormat,
    DeleteResult,
    FieldType,
    FieldUpdate,
    ProfileField,
    ProfileFieldList,
    is_valid_field_format,
)
from nudgescribe_async.resources._base import AsyncResource
from nudgescribe_async.resources._validate import (
    given,
    require_field_format,
    require_field_name,
    require_id,
    require_ids,
)

__all__ = ["AsyncProfileFields"]


class AsyncProfileFields(AsyncResource):
    """Create, list, update and delete customer profile fields of a workspace."""

    async def create(
        self,
        workspace_id: str,
        field_name: str,
        field_type: FieldType | str,
        *,
        display_name: str | NotGiven = NOT_GIVEN,
        field_format: DateFormat | str | NotGiven | None = NOT_GIVEN,
        is_required: bool | NotGiven = NOT_GIVEN,
        is_unique: bool | NotGiven = NOT_GIVEN,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> ProfileField:
        """Define a new profile field (``PUT /v1/cpf``) and return it.

        ``field_format`` is required for ``Date`` (one of the 14 :class:`DateFormat` values)
        and ``currency`` (an ISO 4217 code) fields; it is checked before sending.

        >>> field = await client.profile_fields.create(
        ...     "ws_1", "birthday", FieldType.DATE, field_format="yyyy-MM-dd",
        ... )  # doctest: +SKIP
        >>> field.field_id  # doctest: +SKIP
        'f1a2...'
        """
        require_field_format(field_type, field_format)
        body = {
            "workspace_id": require_id("workspace_id", workspace_id),
            "field_name": require_field_name(field_name),
            "field_type": _wire(field_type),
            **given(
                display_name=display_name,
                field_format=_wire(field_format),
                is_required=is_required,
                is_unique=is_unique,
            ),
        }
        return await self._call(
            PROFILE_FIELD_CREATE,
            body,
            ProfileField,
            CallOptions(extra_body, extra_headers, timeout),
            key="field",
        )

    async def list(
        self,
        workspace_id: str,
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> ProfileFieldList:
        """Return every profile field of a workspace (``POST /v1/cpf``).

        An unknown workspace raises ``MissingFieldsError`` (401 "Invalid Workspace", as
        published).

        >>> fields = await client.profile_fields.list("ws_1")  # doctest: +SKIP
        >>> [f.field_name for f in fields.fields]  # doctest: +SKIP
        ['email', 'first_name']
        """
        body = {"workspace_id": require_id("workspace_id", workspace_id)}
        return await self._call(
            PROFILE_FIELD_LIST,
            body,
            ProfileFieldList,
            CallOptions(extra_body, extra_headers, timeout),
        )

    async def update(
        self,
        workspace_id: str,
        fields: Iterable[FieldUpdate | Mapping[str, object]],
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> ProfileFieldList:
        """Update several fields at once (``PATCH /v1/cpf``); return the updated fields.

        Each item is a :class:`FieldUpdate` or a mapping with the same keys (``field_id`` plus
        any of ``display_name``, ``field_format``, ``is_required``); only the keys given are
        sent. Stored customer data is kept.

        >>> updated = await client.profile_fields.update("ws_1", [
        ...     FieldUpdate(field_id="f1", display_name="First name"),
        ...     {"field_id": "f2", "is_required": True},
        ... ])  # doctest: +SKIP
        """
        body = {
            "workspace_id": require_id("workspace_id", workspace_id),
            "fields": _field_updates(fields),
        }
        return await self._call(
            PROFILE_FIELD_UPDATE,
            body,
            ProfileFieldList,
            CallOptions(extra_body, extra_headers, timeout),
        )

    async def delete(
        self,
        workspace_id: str,
        field_ids: Iterable[str],
        *,
        extra_body: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: TimeoutLike | NotGiven | None = NOT_GIVEN,
    ) -> DeleteResult:
        """Delete fields and the customer data stored in them (``DELETE /v1/cpf``).

        >>> result = await client.profile_fields.delete("ws_1", ["f1", "f2"])  # doctest: +SKIP
        >>> result.deleted_count  # doctest: +SKIP
        2
        """
        body = {
            "workspace_id": require_id("workspace_id", workspace_id),
            "field_ids": require_ids("field_ids", field_ids),
        }
        return await self._call(
            PROFILE_FIELD_DELETE,
            body,
            DeleteResult,
            CallOptions(extra_body, extra_headers, timeout),
        )


def _wire(value: object) -> object:
    """Enum members go on the wire as their value; everything else as is."""
    return value.value if isinstance(value, (FieldType, DateFormat)) else value


def _field_updates(fields: object) -> Sequence[dict[str, Any]]:
    if isinstance(fields, (str, bytes, Mapping)) or not isinstance(fields, Iterable):
        raise RequestValidationError("fields", "must be a list of FieldUpdate objects or mappings")
    items: list[dict[str, Any]] = []
    for index, item in enumerate(fields):
        try:
            data = unstructure_request(item)
        except TypeError as exc:
            raise RequestValidationError("fields", f"item {index}: {exc}") from None
        _check_update(index, data)
        items.append(data)
    if not items:
        raise RequestValidationError("fields", "must contain at least one field update")
    return items


def _check_update(index: int, data: dict[str, Any]) -> None:
    """The same value rules as ``create`` (the field's type is not known here, so a format
    must be one of the 14 date formats or an ISO 4217 code)."""
    require_id(f"fields[{index}].field_id", data.get("field_id"))
    if "is_required" in data and not isinstance(data["is_required"], bool):
        raise RequestValidationError(
            f"fields[{index}].is_required", f"must be a bool, got {data['is_required']!r}"
        )
    name = data.get("display_name")
    if name is not None and not isinstance(name, str):
        raise RequestValidationError(
            f"fields[{index}].display_name", f"must be a str or None, got {name!r}"
        )
    fmt = data.get("field_format")
    if fmt is not None and not (
        isinstance(fmt, str)
        and (
            is_valid_field_format(FieldType.DATE, fmt)
            or is_valid_field_format(FieldType.CURRENCY, fmt)
        )
    ):
        raise RequestValidationError(
            f"fields[{index}].field_format",
            f"must be one of the 14 date formats (e.g. 'yyyy-MM-dd'), an ISO 4217 code such "
            f"as 'USD', or None; got {fmt!r}",
        )
