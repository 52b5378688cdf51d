"""Alembic environment: migrations run on the engine that broadcast.db.database hands in."""

from __future__ import annotations

from alembic import context

from broadcast.db.models import Base

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=engine.dialect.name == "sqlite",  # SQLite alters tables by copying them
    )
    context.run_migrations()
