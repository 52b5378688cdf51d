"""Storage: models, the one place that opens the database, and migrations."""

from __future__ import annotations

from broadcast.db.database import Database, migrate, open_database

__all__ = ["Database", "migrate", "open_database"]
