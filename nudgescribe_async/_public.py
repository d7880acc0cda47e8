"""Public classes report their public module, as httpx does.

``nudgescribe_async._errors.NotFoundError`` in a traceback or a ``repr`` names a private module
users are told not to import. Each public module calls :func:`publish` on the names it exports,
so the classes defined in private modules report that module instead
(``nudgescribe_async.NotFoundError``, ``nudgescribe_async.types.Permit``). Pickling still works:
the public module exports each name. Functions keep their module (``inspect`` finds their source
through it).

:func:`lazy_exports` is the other half of a public module: names it exports but loads only on
first use (PEP 562), so that a plain ``import`` stays cheap.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Mapping

__all__ = ["lazy_exports", "publish"]


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


def lazy_exports(module: str, sources: Mapping[str, str], public: Iterable[str]) -> None:
    """Give ``module`` a ``__getattr__`` and ``__dir__`` (PEP 562) for names it loads lazily.

    ``sources`` maps each lazy name to the module it is imported from on first access; the value
    is then kept in ``module``'s globals (the next access is a plain lookup). ``__dir__`` lists
    the ``public`` names too, loaded or not. Type checkers see the names through the module's
    ``if TYPE_CHECKING:`` imports::

        lazy_exports(__name__, {"Customer": "pkg.models"}, __all__)
    """
    namespace = vars(sys.modules[module])
    listed = frozenset(public)

    def __getattr__(name: str) -> object:
        source = sources.get(name)
        if source is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | listed)

    namespace["__getattr__"] = __getattr__
    namespace["__dir__"] = __dir__
