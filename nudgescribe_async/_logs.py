"""The ``nudgescribe`` logger; ``NUDGESCRIBE_LOG=debug|info`` turns it on at import.

The transport only ever logs redacted headers, never bodies, so secrets and customer data
stay out of logs.
"""

from __future__ import annotations

import logging
import os

__all__ = ["logger", "setup_logging"]

logger = logging.getLogger("nudgescribe")


def setup_logging(level: str | None = None) -> None:
    """Send ``nudgescribe`` records to stderr at ``level`` (default: ``$NUDGESCRIBE_LOG``)."""
    name = (level or os.environ.get("NUDGESCRIBE_LOG", "")).strip().upper()
    if name not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        return
    logger.setLevel(name)
    if not any(getattr(h, "_nudgescribe", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        handler._nudgescribe = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
