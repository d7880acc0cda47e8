"""The ``nudgescribe`` command: the demo, a local mock server and every API resource.

Built on the blocking client :class:`nudgescribe_sync.Nudgescribe`; installed with the ``cli``
extra (click, rich). Entry point: :func:`main`.
"""

from __future__ import annotations

from nudgescribe_sync.cli.main import main

__all__ = ["main"]
