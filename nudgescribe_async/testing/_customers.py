"""Customer storage: the one upsert by unique field, used by uploads and by seeding alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nudgescribe_async.testing._state import CustomerGroupRecord, CustomerRecord, State

__all__ = ["count_upsert", "upsert_customers"]


def count_upsert(
    group: CustomerGroupRecord, unique_field: str, rows: list[dict[str, str]]
) -> tuple[int, int]:
    """Return (created, updated) counts an upload of ``rows`` would produce."""
    index = group.index(unique_field)
    updated = sum(1 for row in rows if row.get(unique_field, "") in index)
    return len(rows) - updated, updated


def upsert_customers(
    state: State, group: CustomerGroupRecord, unique_field: str, rows: Iterable[Mapping[str, str]]
) -> tuple[int, int]:
    """Upsert ``rows`` into ``group`` by ``unique_field``; return (created, updated).

    A row whose key is already in the group updates that customer (its values merged in,
    ``updated_at`` moved); any other row creates one. Every row must hold its key.
    """
    index = group.index(unique_field)
    now = state.stamp()
    customers = group.customers
    new_id = state.new_id
    created = updated = 0
    try:
        for row in rows:
            key = row[unique_field]
            existing = index.get(key)
            if existing is not None:
                existing.profile.update(row)
                existing.updated_at = now
                existing.encrypted = None
                updated += 1
                continue
            customer = CustomerRecord(new_id(), key, dict(row), now, now)
            customers[customer.customer_id] = customer
            index[key] = customer
            created += 1
    finally:  # rows stored before a bad one stay stored: the caches must see them
        group.changed(keep_index=(unique_field, index))
    return created, updated
