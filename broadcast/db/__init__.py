"""Storage: models, the one place that opens the database, and migrations."""

from __future__ import annotations

from broadcast.db.database import Database, migrate, open_database

__all__ = ["LARGEST_ID", "Database", "migrate", "open_database", "storable_id"]

LARGEST_ID = 2**63 - 1  # ids are 64-bit integers in SQLite and PostgreSQL


def storable_id(number: int) -> bool:
    """Whether number can be a row's id at all: one beyond 64 bits names nothing (and the driver would refuse it)."""
    return -LARGEST_ID - 1 <= number <= LARGEST_ID
