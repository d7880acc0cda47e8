"""Profile-field definitions and the customer-upload validation rules of contract §5.

Upload rules: every column must be a defined ``field_name`` (header error); required fields must
be present (header error) and non-empty (row error); ``number`` parses as a decimal; ``char`` is
exactly one character; ``Date`` matches the field's format; ``currency`` is a decimal with at most
two places; ``unique_field`` must be an ``is_unique`` field, present, non-empty and unique within
the upload. Row numbers are 1-based data rows (the CSV header is not counted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from nudgescribe_async import _contract as contract
from nudgescribe_async.testing._errors import bad_value
from nudgescribe_async.testing._state import ProfileFieldRecord, WorkspaceRecord

__all__ = [
    "DATE_PARSERS",
    "UploadCheck",
    "check_field_format",
    "check_upload",
    "value_error",
]

FIELD_NAME_RE = re.compile(contract.FIELD_NAME_PATTERN)
CURRENCY_CODE_RE = re.compile(contract.CURRENCY_CODE_PATTERN)
CURRENCY_AMOUNT_RE = re.compile(contract.CURRENCY_AMOUNT_PATTERN)

# Java-style pattern tokens -> (regex, strptime directive); longest tokens first.
_TOKENS = (
    ("yyyy", r"\d{4}", "%Y"),
    ("yy", r"\d{2}", "%y"),
    ("MMMM", r"[A-Za-z]+", "%B"),
    ("MMM", r"[A-Za-z]{3}", "%b"),
    ("MM", r"\d{2}", "%m"),
    ("dd", r"\d{2}", "%d"),
)


def _compile_date_format(pattern: str) -> tuple[re.Pattern[str], str]:
    regex, directive, rest = "", "", pattern
    while rest:
        for token, token_re, token_directive in _TOKENS:
            if rest.startswith(token):
                regex, directive, rest = (
                    regex + token_re,
                    directive + token_directive,
                    rest[len(token) :],
                )
                break
        else:
            regex, directive, rest = regex + re.escape(rest[0]), directive + rest[0], rest[1:]
    return re.compile("^" + regex + "$"), directive


DATE_PARSERS = {fmt: _compile_date_format(fmt) for fmt in contract.DATE_FORMATS}


def check_field_format(field_type: str, field_format: Any) -> str | None:
    """Return the format to store for ``field_type`` (None if it takes none); 400 if invalid."""
    if field_type not in contract.FORMATTED_FIELD_TYPES:
        return None
    if field_format in (None, ""):
        raise bad_value("field_format", f"field_format is required for {field_type} fields")
    if field_type == contract.FIELD_TYPE_DATE and field_format not in DATE_PARSERS:
        raise bad_value("field_format", "field_format must be one of the 14 published date formats")
    if field_type == contract.FIELD_TYPE_CURRENCY and not (
        isinstance(field_format, str) and CURRENCY_CODE_RE.fullmatch(field_format)
    ):
        raise bad_value(
            "field_format", "field_format must be an ISO 4217 alphabetic code such as USD"
        )
    return str(field_format)


def value_error(spec: ProfileFieldRecord, value: str) -> str | None:
    """Return why ``value`` is invalid for ``spec`` (None if valid; empty is checked apart)."""
    kind = spec.field_type
    if kind == contract.FIELD_TYPE_NUMBER:
        try:
            return None if Decimal(value).is_finite() else "must be a decimal number"
        except InvalidOperation:
            return "must be a decimal number"
    if kind == contract.FIELD_TYPE_CHAR:
        return None if len(value) == 1 else "must be exactly one character"
    if kind == contract.FIELD_TYPE_CURRENCY:
        return (
            None
            if CURRENCY_AMOUNT_RE.fullmatch(value)
            else ("must be a decimal amount with at most 2 decimal places")
        )
    if kind == contract.FIELD_TYPE_DATE:
        regex, directive = DATE_PARSERS.get(spec.field_format or "", (None, ""))
        if regex is None or not regex.match(value):
            return f"must be a date in the format {spec.field_format}"
        try:
            datetime.strptime(value, directive)
        except ValueError:
            return f"must be a valid date in the format {spec.field_format}"
    return None


@dataclass
class UploadCheck:
    """Result of validating an upload; ``rows`` are normalised to string values."""

    header_errors: list[dict[str, Any]] = field(default_factory=list)
    row_errors: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when there is no header or row error."""
        return not self.header_errors and not self.row_errors


def _as_text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _check_header(
    ws: WorkspaceRecord, columns: list[str], unique_field: str, check: UploadCheck
) -> dict[str, ProfileFieldRecord]:
    specs: dict[str, ProfileFieldRecord] = {}
    seen: set[str] = set()
    for column in columns:
        spec = ws.field_by_name(column)
        if column in seen:
            check.header_errors.append({"column": column, "message": "duplicate column"})
        elif spec is None:
            check.header_errors.append({"column": column, "message": "not a defined profile field"})
        else:
            specs[column] = spec
        seen.add(column)
    unique_spec = ws.field_by_name(unique_field)
    if unique_spec is None or not unique_spec.is_unique:
        check.header_errors.append(
            {"column": unique_field, "message": "unique_field must name an is_unique field"}
        )
    elif unique_field not in seen:
        check.header_errors.append({"column": unique_field, "message": "unique field missing"})
    for spec in ws.fields.values():
        if spec.is_required and spec.field_name not in seen:
            check.header_errors.append(
                {"column": spec.field_name, "message": "required field missing"}
            )
    return specs


def _check_row(
    number: int,
    raw: dict[str, Any],
    specs: dict[str, ProfileFieldRecord],
    unique_field: str,
    seen_unique: dict[str, int],
    check: UploadCheck,
) -> None:
    row: dict[str, str] = {}
    for column, value in raw.items():
        text = _as_text(value)
        spec = specs.get(column)
        if text is None:
            check.row_errors.append(
                {"row": number, "field": column, "message": "must be a string or number"}
            )
            continue
        if spec is None:
            continue
        if text == "":
            if spec.is_required or column == unique_field:
                check.row_errors.append({"row": number, "field": column, "message": "required"})
        elif (problem := value_error(spec, text)) is not None:
            check.row_errors.append({"row": number, "field": column, "message": problem})
        row[column] = text
    for name in specs:
        if name not in raw and (specs[name].is_required or name == unique_field):
            check.row_errors.append({"row": number, "field": name, "message": "required"})
    key = row.get(unique_field, "")
    if key:
        if key in seen_unique:
            check.row_errors.append(
                {
                    "row": number,
                    "field": unique_field,
                    "message": f"duplicate of row {seen_unique[key]}",
                }
            )
        else:
            seen_unique[key] = number
    check.rows.append(row)


def check_upload(
    ws: WorkspaceRecord, columns: list[str], rows: list[Any], unique_field: str
) -> UploadCheck:
    """Validate an upload's header ``columns`` and ``rows`` against the workspace's fields."""
    check = UploadCheck()
    specs = _check_header(ws, columns, unique_field, check)
    seen_unique: dict[str, int] = {}
    for number, raw in enumerate(rows, start=1):
        if not isinstance(raw, dict):
            check.row_errors.append(
                {"row": number, "field": None, "message": "row must be an object"}
            )
            continue
        _check_row(number, raw, specs, unique_field, seen_unique, check)
    return check
