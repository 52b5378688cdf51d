from __future__ import annotations

from datetime import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from broadcast.db import Database, migrate, open_database
from broadcast.db.models import Base, Session, Station, Unit
from broadcast.errors import DatabaseError, NotInitialisedError


def test_migrations_build_exactly_the_models(database: Database) -> None:
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migrate_twice_is_a_no_op(db_url: str) -> None:
    before, after = migrate(db_url)
    assert before is None and after is not None
    assert migrate(db_url) == (after, after)


def test_open_refuses_a_database_that_was_never_initialised(db_url: str) -> None:
    with pytest.raises(NotInitialisedError, match=r"not initialised; run `broadcast init`"):
        open_database(db_url)


def test_open_refuses_a_database_with_an_older_schema(database: Database, db_url: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(NotInitialisedError, match=r"has an older schema \(0001\); run `broadcast init` to upgrade"):
        open_database(db_url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "cannot read database URL"),
        ("mysql://user@localhost/db", "is not supported"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "cannot open database"),
    ],
)
def test_bad_database_urls_say_what_to_do(url: str, message: str) -> None:
    with pytest.raises(DatabaseError, match=message):
        migrate(url)


def test_a_password_never_appears_in_errors() -> None:
    with pytest.raises(DatabaseError) as info:
        migrate("postgresql+psycopg://user:s3cret@127.0.0.1:1/none")
    assert "s3cret" not in str(info.value)


def _unit(db_session: object, **overrides: object) -> Unit:
    values: dict[str, object] = {
        "scheme": "2025",
        "code": "99",
        "name": "Tỉnh Thử",
        "short_name": "Thử",
        "type_name": "Tỉnh",
        "kind": "province",
    }
    values.update(overrides)
    return Unit(**values)


def test_unit_codes_are_unique_within_a_scheme_only(database: Database) -> None:
    with database.transaction() as db:
        db.add_all([_unit(db), _unit(db, scheme="legacy")])
    with pytest.raises(IntegrityError), database.transaction() as db:
        db.add(_unit(db))


def test_a_session_has_exactly_one_owner(database: Database) -> None:
    with database.transaction() as db:
        unit = _unit(db)
        db.add(unit)
        db.flush()
        station = Station(code="2025-99", name="Đài", kind="province", unit_id=unit.id)
        db.add(station)
        db.flush()
        unit_id, station_id = unit.id, station.id
    for owners in ({"unit_id": unit_id, "station_id": station_id}, {}):
        with pytest.raises(IntegrityError), database.transaction() as db:
            db.add(Session(name="sáng", start=time(5, 30), minutes=30, weekdays=127, **owners))


def test_a_failed_transaction_leaves_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError), database.transaction() as db:
        db.add(_unit(db))
        db.flush()
        raise RuntimeError("boom")
    with database.transaction() as db:
        assert db.query(Unit).count() == 0
