"""Public classes report their public module, as httpx does.

``nudgescribe_async._errors.NotFoundError`` in a traceback or a ``repr`` names a private module
users are told not to import. Each public module calls :func:`publish` on the names it exports,
so the classes defined in private modules report that module instead
(``nudgescribe_async.NotFoundError``, ``nudgescribe_async.types.Permit``). Pickling still works:
the public module exports each name. Functions keep their module (``inspect`` finds their source
through it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["publish"]


def publish(
    package: str, namespace: Mapping[str, object], names: Iterable[str], *, root: str = ""
) -> None:
    """Set ``__module__`` of the classes ``names`` to ``package`` if they live in its privates.

    Only classes defined in a private module below ``root`` (default: ``package`` itself)
    change: ``package._errors``, not ``package.models.customers`` nor another package's classes
    it re-exports. A public module beside the private one (``nudgescribe_async.types`` for
    ``nudgescribe_async._adaptive``) passes the package as ``root``. A class another public
    module published first keeps that module.
    """
    prefix = (root or package) + "."
    for name in names:
        value = namespace[name]
        if not isinstance(value, type):
            continue
        module = value.__module__
        if module.startswith(prefix) and any(
            part.startswith("_") for part in module[len(prefix) :].split(".")
        ):
            value.__module__ = package
