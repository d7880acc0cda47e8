"""The blocking resource classes: the type of each ``Nudgescribe`` resource attribute.

The twins of :mod:`nudgescribe_async.resources` (``Customers`` for ``AsyncCustomers``), generated
from them into ``nudgescribe_sync._resources``. The client builds them; code only names them,
e.g. in annotations::

    from nudgescribe_sync.resources import Customers

    def upload_all(customers: Customers) -> None: ...
"""

from __future__ import annotations

from nudgescribe_async._public import publish
from nudgescribe_sync._resources import (
    Auth,
    Campaigns,
    CustomerGroups,
    Customers,
    Messages,
    ProfileFields,
    Reruns,
    Workspaces,
)

__all__ = [
    "Auth",
    "Campaigns",
    "CustomerGroups",
    "Customers",
    "Messages",
    "ProfileFields",
    "Reruns",
    "Workspaces",
]

publish(__name__, globals(), __all__, root="nudgescribe_sync")
del publish
