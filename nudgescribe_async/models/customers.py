"""Models of ``/v1/customer``: upload results, page counts and pages of customers.

Upload records themselves are plain mappings ``{field_name: value}``; there is no model.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from .base import ListResult, Model

__all__ = [
    "Customer",
    "CustomerPage",
    "CustomerPageCount",
    "HeaderError",
    "RowError",
    "UploadResult",
]


@attrs.frozen(kw_only=True)
class HeaderError(Model):
    """A problem with an upload column (e.g. not a defined profile field)."""

    column: str | None
    """The column (CSV header / JSON key) at fault."""
    message: str
    """What is wrong."""


@attrs.frozen(kw_only=True)
class RowError(Model):
    """A problem with one value of one uploaded row."""

    row: int
    """1-based data row (the CSV header row is not counted)."""
    field: str | None
    """The profile field at fault, or ``None`` for a whole-row problem."""
    message: str
    """What is wrong."""


@attrs.frozen(kw_only=True)
class UploadResult(Model):
    """Result of ``POST /v1/customer/check``; counts are ``None`` while ``queued``."""

    valid: bool
    """Whether every header and row passed validation."""
    total_rows: int | None = None
    """Data rows received."""
    created_count: int | None = None
    """Customers created; with ``validate_only``, customers that *would be* created (nothing
    was stored). ``None`` when queued."""
    updated_count: int | None = None
    """Customers updated by their unique value; with ``validate_only``, that *would be*
    updated. ``None`` when queued."""
    header_errors: list[HeaderError] = attrs.field(factory=list)
    """Column problems."""
    row_errors: list[RowError] = attrs.field(factory=list)
    """Value problems."""
    queued: bool = False
    """True when the upload (over 1000 rows) is processed in the background."""
    job_uid: str | None = None
    """The background job's id when ``queued``."""
    validate_only: bool = False
    """True for the result of ``validate_only=True`` (set by the SDK): a dry run, nothing was
    stored, and the counts say what the upload *would* do."""


@attrs.frozen(kw_only=True)
class CustomerPageCount(Model):
    """Result of ``POST /v1/customer/pages``."""

    total_pages: int
    """Pages of ``page_size`` customers."""
    customer_group_id: str | None = None
    """The group counted."""
    page_size: int | None = None
    """The page size the count assumes."""
    total_customers: int | None = None
    """Customers in the group."""


@attrs.frozen(kw_only=True)
class Customer(Model):
    """One customer; profile values are ciphertexts the caller decrypts."""

    customer_id: str
    """The customer's UUID."""
    unique_value: str | None = None
    """The customer's value of the group's unique field."""
    profile: dict[str, str] = attrs.field(factory=dict)
    """``{field_name: ciphertext}`` (opaque strings; see the client's decrypt hook)."""
    created_at: datetime | None = None
    """Creation time (UTC)."""
    updated_at: datetime | None = None
    """Last update time (UTC)."""


@attrs.frozen(kw_only=True)
class CustomerPage(Model, ListResult[Customer]):
    """One page of a group's customers (``POST /v1/customer``)."""

    _items_attribute = "customers"

    page: int
    """This page's 1-based number."""
    customers: list[Customer]
    """The customers on this page."""
    page_size: int | None = None
    """Customers per page."""
    total_pages: int | None = None
    """Pages in the group at this page size."""

    @property
    def number(self) -> int:
        """This page's 1-based number (``page``), as on the pagers' ``Page``."""
        return self.page
