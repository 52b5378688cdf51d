"""The tables that listings read, as lightweight Core clauses (`sqlalchemy.table`): selecting plain rows from
them needs neither the ORM nor the models, which take a third of a listing's start-up to import.

Only the columns those reads use are named here; broadcast/db/models.py stays the schema, and
tests/db/test_tables.py checks that every column here is the model's, with the same type.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String, column, table

units = table(
    "units",
    column("id", Integer),
    column("scheme", String),
    column("code", String),
    column("name", String),
    column("kind", String),
    column("parent_id", Integer),
)

stations = table(
    "stations",
    column("id", Integer),
    column("code", String),
    column("name", String),
    column("kind", String),
    column("unit_id", Integer),
    column("voice_region", String),
    column("active", Boolean),  # typed, so that SQLite's 0 and 1 read back as False and True
)
