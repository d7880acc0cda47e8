"""The one error type of the reference server: a refusal with its status, code and message.

Domain code (rules, seeding, jobs) and handlers raise :class:`ApiError`; the middleware renders
it as the contract's error body; the seeding controls turn it into ``SeedError``. Nothing passes
errors as marked strings.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ApiError", "bad_value", "not_found"]


class ApiError(Exception):
    """An error response: ``status`` plus the contract's error body (and optional payload)."""

    def __init__(
        self,
        status: int,
        message: str,
        error_code: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        payload: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Describe the error; ``payload`` keys are merged into the body."""
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code
        self.errors = errors
        self.payload = payload or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """Return the JSON error body."""
        out: dict[str, Any] = {"success": False, "message": self.message}
        if self.error_code is not None:
            out["error_code"] = self.error_code
        if self.errors is not None:
            out["errors"] = self.errors
        out.update(self.payload)
        return out


def bad_value(field: str, message: str) -> ApiError:
    """Return a 400 error about one malformed field."""
    return ApiError(
        400, f"{field}: {message}", "invalid_value", errors=[{"field": field, "message": message}]
    )


def not_found(what: str) -> ApiError:
    """Return the 404 ``{what} not found``."""
    return ApiError(404, f"{what} not found", "not_found")
