"""Alembic environment: migrations run on the engine that broadcast.db.database hands in."""

from __future__ import annotations

from alembic import context

from broadcast.db.models import Base

engine = context.config.attributes["engine"]


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # APScheduler keeps its jobs in the same database, in a table it creates and manages itself.
    return not (type_ == "table" and name == "apscheduler_jobs")


with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=engine.dialect.name == "sqlite",  # SQLite alters tables by copying them
        include_object=include_object,
    )
    context.run_migrations()
