"""The one place that opens the database, runs migrations and hands out transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session as DbSession

from broadcast.errors import DatabaseError, NotInitialisedError

MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def _head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(
            f"cannot read database URL {url!r}; use e.g. sqlite:///path/to/broadcast.db "
            "or postgresql+psycopg://user@host/dbname"
        ) from exc
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise DatabaseError(f"database {shown} is not supported; use sqlite:///FILE or postgresql+psycopg://…")
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, future=True)
    except NoSuchModuleError as exc:
        raise DatabaseError(
            f"database URL {shown} names an unknown driver; use sqlite:// or postgresql+psycopg://"
        ) from exc
    except ImportError as exc:
        hint = "pip install 'broadcast[postgresql]'"
        raise DatabaseError(f"the driver for {shown} is not installed ({exc.name}); install it with {hint}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


@dataclass
class Database:
    """An opened, migrated database: hands out transactions."""

    engine: Engine

    @contextmanager
    def transaction(self) -> Iterator[DbSession]:
        """A session whose work is committed on success and rolled back whole on any error."""
        with DbSession(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def _current_revision(engine: Engine, shown: str) -> str | None:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot open database {shown}: {reason}; check BROADCAST_DATABASE_URL") from exc


def migrate(url: str) -> tuple[str | None, str | None]:
    """Bring the database at url to the newest schema; return the revisions before and after."""
    engine = _create_engine(url)
    try:
        shown = engine.url.render_as_string(hide_password=True)
        before = _current_revision(engine, shown)
        command.upgrade(_alembic_config(engine), "head")
        return before, _current_revision(engine, shown)
    finally:
        engine.dispose()


def open_database(url: str) -> Database:
    """Open the database at url, refusing one that is not migrated to the newest schema."""
    engine = _create_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    current = _current_revision(engine, shown)
    head = _head_revision(engine)
    if current != head:
        engine.dispose()
        if current is None:
            raise NotInitialisedError(f"database {shown} is not initialised; run `broadcast init`")
        raise NotInitialisedError(
            f"database {shown} has an older schema ({current}); run `broadcast init` to upgrade it"
        )
    return Database(engine)
