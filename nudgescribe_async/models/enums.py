"""The published value sets, as string enums that tolerate what they don't know.

Every model attribute typed with one of these enums is typed ``Enum | str``: the converter
structures a known string to its member and keeps an unknown one as the plain ``str`` (the
contract says unknown enum strings pass through), so a new server value never breaks decoding.

Each member's value comes from ``nudgescribe_async._contract`` (which the reference server
reads too); the enums only give the values their Python names.

All members are ``str`` subclasses, so they serialise as their value and compare equal to it.
The two *status* enums go further and compare case-insensitively, because the service prints
``Ready to publish`` and ``Ready to Publish`` for the same status::

    >>> CampaignStatus("Ready to Publish") is CampaignStatus.READY_TO_PUBLISH
    True
    >>> CampaignStatus.READY_TO_PUBLISH == "ready to publish"
    True
"""

from __future__ import annotations

import enum
from typing import Any

from nudgescribe_async import _contract as contract

__all__ = [
    "CampaignStatus",
    "DateFormat",
    "ExportFormat",
    "FieldType",
    "RunStatus",
]


class _StrEnum(str, enum.Enum):
    """A ``str`` enum whose ``str()`` and ``format()`` give the wire value (as 3.11's StrEnum)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return str(self.value).__format__(format_spec)


class _CaseInsensitiveStrEnum(_StrEnum):
    """A ``str`` enum looked up and compared without regard to case.

    Equality: a member equals any ``str`` with the same casefolded text.
    Hashing: ``hash(member) == hash(member.value)``, the canonical spelling, so sets and dicts
    keyed by members interoperate with keys spelled canonically. Other spellings compare equal
    but hash differently (no hash can agree with every spelling); normalise them first with
    ``CampaignStatus(text)``, which accepts any case.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str):
            folded = value.casefold()
            for member in cls:
                if member.value.casefold() == folded:
                    return member
        return None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str.casefold(self) == other.casefold()
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        if isinstance(other, str):
            return str.casefold(self) != other.casefold()
        return NotImplemented

    def __hash__(self) -> int:
        return str.__hash__(self)


class FieldType(_StrEnum):
    """Type of a customer profile field (note the published capital ``D`` of ``Date``)."""

    STRING = contract.FIELD_TYPE_STRING
    NUMBER = contract.FIELD_TYPE_NUMBER
    CHAR = contract.FIELD_TYPE_CHAR
    DATE = contract.FIELD_TYPE_DATE
    CURRENCY = contract.FIELD_TYPE_CURRENCY


class DateFormat(_StrEnum):
    """The 14 published formats of a ``Date`` profile field (case matters: ``MM`` vs ``mm``)."""

    YYYY_MM_DD_DASH = contract.DATE_YYYY_MM_DD_DASH
    DD_MM_YYYY_SLASH = contract.DATE_DD_MM_YYYY_SLASH
    MM_DD_YYYY_SLASH = contract.DATE_MM_DD_YYYY_SLASH
    DD_MM_YYYY_DASH = contract.DATE_DD_MM_YYYY_DASH
    MM_DD_YYYY_DASH = contract.DATE_MM_DD_YYYY_DASH
    DD_MM_YYYY_DOT = contract.DATE_DD_MM_YYYY_DOT
    YYYY_MM_DD_SLASH = contract.DATE_YYYY_MM_DD_SLASH
    DD_MON_YYYY = contract.DATE_DD_MON_YYYY
    MON_DD_YYYY = contract.DATE_MON_DD_YYYY
    MONTH_DD_YYYY = contract.DATE_MONTH_DD_YYYY
    DD_MONTH_YYYY = contract.DATE_DD_MONTH_YYYY
    YY_MM_DD_SLASH = contract.DATE_YY_MM_DD_SLASH
    DD_MM_YY_SLASH = contract.DATE_DD_MM_YY_SLASH
    MM_DD_YY_SLASH = contract.DATE_MM_DD_YY_SLASH


class CampaignStatus(_CaseInsensitiveStrEnum):
    """Status of a campaign; the first three are published, the others seen in practice."""

    READY_FOR_REVIEW = contract.CAMPAIGN_READY_FOR_REVIEW
    READY_TO_PUBLISH = contract.CAMPAIGN_READY_TO_PUBLISH
    PUBLISHED = contract.CAMPAIGN_PUBLISHED
    DRAFT = contract.CAMPAIGN_DRAFT
    GENERATING = contract.CAMPAIGN_GENERATING


class ExportFormat(_StrEnum):
    """Format of one exported message file (``POST /v1/messages/fetch``)."""

    CSV = contract.EXPORT_FORMAT_CSV
    JSON = contract.EXPORT_FORMAT_JSON
    URL = contract.EXPORT_FORMAT_URL


class RunStatus(_CaseInsensitiveStrEnum):
    """Status of one campaign run in the rerun history."""

    ACTIVE = contract.RUN_ACTIVE
    ARCHIVED = contract.RUN_ARCHIVED
