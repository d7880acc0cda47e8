"""Public classes report their public module, as httpx does.

``nudgescribe_async._errors.NotFoundError`` in a traceback or a ``repr`` names a private module
users are told not to import. Each public package calls :func:`publish` on its ``__all__``, so
the classes defined in its private modules report the package instead
(``nudgescribe_async.NotFoundError``). Pickling still works: the package exports each name.
Functions keep their module (``inspect`` finds their source through it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["publish"]


def publish(package: str, namespace: Mapping[str, object], names: Iterable[str]) -> None:
    """Set ``__module__`` of the classes ``names`` to ``package`` if they live in its privates.

    Only classes defined in a private module below ``package`` change (``package._errors``,
    not ``package.models.customers`` nor another package's classes it re-exports).
    """
    prefix = package + "."
    for name in names:
        value = namespace[name]
        if not isinstance(value, type):
            continue
        module = value.__module__
        if module.startswith(prefix) and any(
            part.startswith("_") for part in module[len(prefix) :].split(".")
        ):
            value.__module__ = package
