"""Models of ``/v1/messages/*``: publishing and fetching exported message files."""

from __future__ import annotations

from datetime import datetime
from typing import TypeAlias

import attrs

from .base import ListResult, Model
from .enums import CampaignStatus, ExportFormat

__all__ = [
    "CsvExport",
    "ExportPage",
    "ExportedMessage",
    "JsonExport",
    "MessagePageCount",
    "PublishResult",
    "UrlExport",
    "export_model_for",
]


@attrs.frozen(kw_only=True)
class PublishResult(Model):
    """Result of ``POST /v1/messages/publish``: the export job was queued."""

    campaign_id: str | None = None
    """The campaign published."""
    campaign_status: CampaignStatus | str | None = None
    """The campaign's status after the call (``Published``)."""
    job_uid: str | None = None
    """The export job's id."""
    queued: bool | None = None
    """True when the export runs in the background (always, per the contract)."""


@attrs.frozen(kw_only=True)
class MessagePageCount(Model):
    """Result of ``POST /v1/messages/pages``; 0 pages until the export job is done."""

    total_pages: int
    """Exported files available."""
    campaign_id: str | None = None
    """The campaign counted."""
    run_number: int | None = None
    """The run whose folder was counted."""


@attrs.frozen(kw_only=True)
class ExportedMessage(Model):
    """One row of an exported message file (CSV header = these keys)."""

    message_id: str
    """The message's UUID."""
    customer_id: str | None = None
    """The customer the message is for."""
    segment_id: str | None = None
    """The segment the message was written for."""
    subject: str | None = None
    """Subject line."""
    content: str | None = None
    """Message body."""
    run_number: int | None = None
    """The run the message belongs to."""
    published_at: datetime | None = None
    """When it was published."""


@attrs.frozen(kw_only=True)
class CsvExport(Model):
    """One exported file as CSV text (``format="csv"``)."""

    format: ExportFormat | str
    """``csv``."""
    content: str
    """UTF-8 CSV text with a header row."""
    page: int | None = None
    """The file's 1-based number."""


@attrs.frozen(kw_only=True)
class JsonExport(Model, ListResult[ExportedMessage]):
    """One exported file as rows (``format="json"``; at most 1000)."""

    _items_attribute = "messages"

    format: ExportFormat | str
    """``json``."""
    messages: list[ExportedMessage]
    """The rows."""
    page: int | None = None
    """The file's 1-based number."""


@attrs.frozen(kw_only=True)
class UrlExport(Model):
    """One exported file as a pre-signed download URL (``format="url"``; current run only)."""

    format: ExportFormat | str
    """``url``."""
    url: str
    """Where to download the file until ``expires_at``."""
    page: int | None = None
    """The file's 1-based number."""
    expires_at: datetime | None = None
    """When the URL stops working."""


#: Any result of ``POST /v1/messages/fetch``.
ExportPage: TypeAlias = CsvExport | JsonExport | UrlExport

_ExportModel: TypeAlias = type[CsvExport] | type[JsonExport] | type[UrlExport]

_BY_FORMAT: dict[str, _ExportModel] = {
    ExportFormat.CSV.value: CsvExport,
    ExportFormat.JSON.value: JsonExport,
    ExportFormat.URL.value: UrlExport,
}


def export_model_for(fmt: ExportFormat | str) -> _ExportModel:
    """Return the model for a fetch in format ``fmt`` (``csv``, ``json`` or ``url``).

    >>> export_model_for("json").__name__
    'JsonExport'
    """
    try:
        return _BY_FORMAT[str(fmt).lower()]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}; expected csv, json or url") from None
