"""The API contract's rules as plain values: the one place both the SDK and the server read.

The SDK's checks and enums (``resources/_validate.py``, ``models/``) and the local reference
server (``testing/``) import these names instead of spelling the values again, so a contract
change is one edit here. This module imports nothing from the package and holds values only:
strings, tuples, ints and regex *sources* (each side compiles them; match them with
``fullmatch``, never ``match`` with ``$``, which accepts a trailing newline).

Value sets are tuples in the published order; the SDK's enums give the members their Python
names and take each value from here.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "BACKGROUND_UPLOAD_ROWS",
    "CAMPAIGN_STATUSES",
    "CURRENCY_AMOUNT_PATTERN",
    "CURRENCY_CODE_PATTERN",
    "DATE_FORMATS",
    "DEFAULT_PAGE_SIZE",
    "EXPORT_COLUMNS",
    "EXPORT_FORMATS",
    "FIELD_NAME_PATTERN",
    "FIELD_TYPES",
    "FORMATTED_FIELD_TYPES",
    "MAX_DELETE_IDS",
    "MAX_EXPORT_ROWS_PER_FILE",
    "MAX_PAGE_SIZE",
    "RUN_STATUSES",
]

# ---------------------------------------------------------------- profile fields (§3)
#: A profile field's machine key (``field_name``); use with ``fullmatch``.
FIELD_NAME_PATTERN: Final = r"[a-z][a-z0-9_]{0,62}"

FIELD_TYPE_STRING: Final = "string"
FIELD_TYPE_NUMBER: Final = "number"
FIELD_TYPE_CHAR: Final = "char"
FIELD_TYPE_DATE: Final = "Date"  # the published capital D
FIELD_TYPE_CURRENCY: Final = "currency"
FIELD_TYPES: Final = (
    FIELD_TYPE_STRING,
    FIELD_TYPE_NUMBER,
    FIELD_TYPE_CHAR,
    FIELD_TYPE_DATE,
    FIELD_TYPE_CURRENCY,
)
#: The types whose ``field_format`` is required and checked (a date format, a currency code).
FORMATTED_FIELD_TYPES: Final = (FIELD_TYPE_DATE, FIELD_TYPE_CURRENCY)

# The 14 published formats of a Date field (Java-style tokens; case matters: MM vs mm).
DATE_YYYY_MM_DD_DASH: Final = "yyyy-MM-dd"
DATE_DD_MM_YYYY_SLASH: Final = "dd/MM/yyyy"
DATE_MM_DD_YYYY_SLASH: Final = "MM/dd/yyyy"
DATE_DD_MM_YYYY_DASH: Final = "dd-MM-yyyy"
DATE_MM_DD_YYYY_DASH: Final = "MM-dd-yyyy"
DATE_DD_MM_YYYY_DOT: Final = "dd.MM.yyyy"
DATE_YYYY_MM_DD_SLASH: Final = "yyyy/MM/dd"
DATE_DD_MON_YYYY: Final = "dd MMM yyyy"
DATE_MON_DD_YYYY: Final = "MMM dd, yyyy"
DATE_MONTH_DD_YYYY: Final = "MMMM dd, yyyy"
DATE_DD_MONTH_YYYY: Final = "dd MMMM yyyy"
DATE_YY_MM_DD_SLASH: Final = "yy/MM/dd"
DATE_DD_MM_YY_SLASH: Final = "dd/MM/yy"
DATE_MM_DD_YY_SLASH: Final = "MM/dd/yy"
DATE_FORMATS: Final = (
    DATE_YYYY_MM_DD_DASH,
    DATE_DD_MM_YYYY_SLASH,
    DATE_MM_DD_YYYY_SLASH,
    DATE_DD_MM_YYYY_DASH,
    DATE_MM_DD_YYYY_DASH,
    DATE_DD_MM_YYYY_DOT,
    DATE_YYYY_MM_DD_SLASH,
    DATE_DD_MON_YYYY,
    DATE_MON_DD_YYYY,
    DATE_MONTH_DD_YYYY,
    DATE_DD_MONTH_YYYY,
    DATE_YY_MM_DD_SLASH,
    DATE_DD_MM_YY_SLASH,
    DATE_MM_DD_YY_SLASH,
)

#: A currency field's ``field_format``: an ISO 4217 alphabetic code; use with ``fullmatch``.
CURRENCY_CODE_PATTERN: Final = r"[A-Z]{3}"
#: A currency value in an upload: a decimal with at most two places; use with ``fullmatch``.
CURRENCY_AMOUNT_PATTERN: Final = r"-?\d+(\.\d{1,2})?"

# ---------------------------------------------------------------- customers (§5)
#: Largest ``page_size`` of the paged listings (customers, run messages).
MAX_PAGE_SIZE: Final = 1000
#: ``page_size`` when a listing call leaves it out.
DEFAULT_PAGE_SIZE: Final = 100
#: Most customer ids one ``DELETE /v1/customer`` call takes.
MAX_DELETE_IDS: Final = 1000
#: Valid uploads with more rows than this are processed in the background (``queued``).
BACKGROUND_UPLOAD_ROWS: Final = 1000

# ---------------------------------------------------------------- campaigns (§6)
# The first three are published; Draft and Generating are seen in practice. The service
# compares statuses case-insensitively (the docs print "Ready to Publish" too).
CAMPAIGN_READY_FOR_REVIEW: Final = "Ready for review"
CAMPAIGN_READY_TO_PUBLISH: Final = "Ready to publish"
CAMPAIGN_PUBLISHED: Final = "Published"
CAMPAIGN_DRAFT: Final = "Draft"
CAMPAIGN_GENERATING: Final = "Generating"
CAMPAIGN_STATUSES: Final = (
    CAMPAIGN_READY_FOR_REVIEW,
    CAMPAIGN_READY_TO_PUBLISH,
    CAMPAIGN_PUBLISHED,
    CAMPAIGN_DRAFT,
    CAMPAIGN_GENERATING,
)

# ---------------------------------------------------------------- messages (§6) and reruns (§7)
EXPORT_FORMAT_CSV: Final = "csv"
EXPORT_FORMAT_JSON: Final = "json"
EXPORT_FORMAT_URL: Final = "url"
EXPORT_FORMATS: Final = (EXPORT_FORMAT_CSV, EXPORT_FORMAT_JSON, EXPORT_FORMAT_URL)
#: The columns of an exported message row, in CSV header order.
EXPORT_COLUMNS: Final = (
    "message_id",
    "customer_id",
    "segment_id",
    "subject",
    "content",
    "run_number",
    "published_at",
)
#: Most rows in one exported file.
MAX_EXPORT_ROWS_PER_FILE: Final = 1000

RUN_ACTIVE: Final = "Active"
RUN_ARCHIVED: Final = "Archived"
RUN_STATUSES: Final = (RUN_ACTIVE, RUN_ARCHIVED)
