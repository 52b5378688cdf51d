"""The one place that opens the database, runs migrations and hands out transactions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from broadcast.errors import DatabaseError, NotInitialisedError

# Alembic takes a tenth of a second to import, the ORM half as much again: only `broadcast init` needs the one,
# and listings that stream plain rows (`Database.reading`) need neither, so both are imported where used.
if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session as DbSession

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
_REVISION_LINE = re.compile(r"""^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:["']([^"']+)["']|None)""", re.MULTILINE)


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def _head_revision() -> str | None:
    """The newest revision, read from the migration files' `revision = "…"` and `down_revision = "…"` lines."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((m.group(1), m.group(2)) for m in _REVISION_LINE.finditer(path.read_text(encoding="utf-8")))
        if found.get("revision"):
            revisions.add(found["revision"])
            if found.get("down_revision"):
                parents.add(found["down_revision"])
    heads = revisions - parents
    if len(heads) != 1:
        raise DatabaseError(f"the migrations in {MIGRATIONS} have {len(heads)} heads; there must be one")
    return heads.pop()


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
        from sqlalchemy.orm import Session as DbSession

        with DbSession(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A Core connection inside one transaction, for reads that stream plain rows and need no ORM objects
        (broadcast.units.listing): the rows are one consistent snapshot, and nothing is written."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def _current_revision(engine: Engine, shown: str) -> str | None:
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(VERSION_TABLE):
                return None
            revision = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
            return None if revision is None else str(revision)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot open database {shown}: {reason}; check BROADCAST_DATABASE_URL") from exc


def migrate(url: str) -> tuple[str | None, str | None]:
    """Bring the database at url to the newest schema; return the revisions before and after."""
    engine = _create_engine(url)
    try:
        shown = engine.url.render_as_string(hide_password=True)
        before = _current_revision(engine, shown)
        from alembic import command

        command.upgrade(_alembic_config(engine), "head")
        return before, _current_revision(engine, shown)
    finally:
        engine.dispose()


def open_database(url: str) -> Database:
    """Open the database at url, refusing one that is not migrated to the newest schema."""
    engine = _create_engine(url)
    shown = engine.url.render_as_string(hide_password=True)
    current = _current_revision(engine, shown)
    head = _head_revision()
    if current != head:
        engine.dispose()
        if current is None:
            raise NotInitialisedError(f"database {shown} is not initialised; run `broadcast init`")
        raise NotInitialisedError(
            f"database {shown} has an older schema ({current}); run `broadcast init` to upgrade it"
        )
    return Database(engine)
