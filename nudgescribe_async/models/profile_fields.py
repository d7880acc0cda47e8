"""Models of ``/v1/cpf`` (customer profile fields) and the client-side validity helpers."""

from __future__ import annotations

import re
from datetime import datetime

import attrs

from nudgescribe_async import _contract as contract
from nudgescribe_async._types import NOT_GIVEN, NotGiven

from .base import ListResult, Model
from .enums import DateFormat, FieldType

__all__ = [
    "FieldUpdate",
    "ProfileField",
    "ProfileFieldList",
    "is_valid_field_format",
    "is_valid_field_name",
]

_FIELD_NAME = re.compile(contract.FIELD_NAME_PATTERN)
_CURRENCY_CODE = re.compile(contract.CURRENCY_CODE_PATTERN)
_DATE_FORMATS = frozenset(contract.DATE_FORMATS)


@attrs.frozen(kw_only=True)
class ProfileField(Model):
    """One column of a workspace's customer profile."""

    field_id: str
    """The field's UUID."""
    field_name: str
    """Machine key, ``^[a-z][a-z0-9_]{0,62}$``; the key of customer profile values."""
    field_type: FieldType | str
    """``string``, ``number``, ``char``, ``Date`` or ``currency`` (unknown types kept as str)."""
    workspace_id: str | None = None
    """The workspace the field belongs to."""
    display_name: str | None = None
    """Human-readable label."""
    field_format: DateFormat | str | None = None
    """A :class:`DateFormat` for ``Date``, an ISO 4217 code for ``currency``, else ``None``."""
    is_required: bool = False
    """Uploads must give a non-empty value (server default ``false``)."""
    is_unique: bool = False
    """Values are unique; only such a field can be an upload's ``unique_field``."""
    created_at: datetime | None = None
    """Creation time (UTC)."""
    updated_at: datetime | None = None
    """Last update time (UTC)."""


@attrs.frozen(kw_only=True)
class ProfileFieldList(Model, ListResult[ProfileField]):
    """The fields of a workspace (``POST /v1/cpf``) or the updated ones (``PATCH /v1/cpf``)."""

    _items_attribute = "fields"

    fields: list[ProfileField]
    """The field objects."""
    workspace_id: str | None = None
    """The workspace listed (absent from update responses)."""


@attrs.frozen(kw_only=True)
class FieldUpdate:
    """One item of ``profile_fields.update(fields=...)``; only given attributes are sent.

    ``NOT_GIVEN`` (the default) leaves a value unchanged; ``None`` for ``display_name`` or
    ``field_format`` sends JSON ``null`` (clears it). A plain mapping with the same keys works
    too.

    >>> FieldUpdate(field_id="f1", is_required=True)  # sends field_id and is_required only
    FieldUpdate(field_id='f1', display_name=NOT_GIVEN, field_format=NOT_GIVEN, is_required=True)
    """

    field_id: str
    """The field to update."""
    display_name: str | NotGiven | None = NOT_GIVEN
    """New label; ``None`` clears it."""
    field_format: DateFormat | str | NotGiven | None = NOT_GIVEN
    """New format (``Date``/``currency`` fields); ``None`` clears it."""
    is_required: bool | NotGiven = NOT_GIVEN
    """New required flag."""


def is_valid_field_name(name: str) -> bool:
    """Whether ``name`` is a valid ``field_name``: ``^[a-z][a-z0-9_]{0,62}$``.

    >>> is_valid_field_name("first_name"), is_valid_field_name("First Name")
    (True, False)
    """
    return isinstance(name, str) and _FIELD_NAME.fullmatch(name) is not None


def is_valid_field_format(field_type: FieldType | str, fmt: str | None) -> bool:
    """Whether ``fmt`` is an acceptable ``field_format`` for ``field_type``.

    ``Date`` needs one of the 14 :class:`DateFormat` values, ``currency`` an ISO 4217 code
    (``^[A-Z]{3}$``); other types ignore the format, so anything (including ``None``) is fine.
    Unknown field types are not judged (True): the server decides.

    >>> is_valid_field_format("Date", "dd/MM/yyyy"), is_valid_field_format("currency", "usd")
    (True, False)
    """
    if field_type == FieldType.DATE:
        return isinstance(fmt, str) and fmt in _DATE_FORMATS
    if field_type == FieldType.CURRENCY:
        return isinstance(fmt, str) and _CURRENCY_CODE.fullmatch(fmt) is not None
    return True
