"""The listing queries: plain rows streamed from the database, no ORM objects, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from broadcast.db import Database
from broadcast.errors import NotFoundError
from broadcast.units.importer import import_units
from broadcast.units.tree import STATION_COLUMNS, UNIT_COLUMNS, list_stations, list_units


@pytest.fixture
def lang_son(database: Database) -> Database:
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", (), "Asia/Ho_Chi_Minh")
    return database


def test_stations_are_plain_rows_in_code_order_and_load_no_objects(lang_son: Database) -> None:
    with lang_son.transaction() as db:
        rows = list(list_stations(db))
        assert len(db.identity_map) == 0  # nothing became an ORM object
    assert len(rows) == 205 and len(rows[0]) == len(STATION_COLUMNS)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    by_code = {row[0]: dict(zip(STATION_COLUMNS, row, strict=True)) for row in rows}
    assert by_code["legacy-06253"] == {
        "code": "legacy-06253",
        "name": "Đài Truyền thanh thị trấn Văn Quan",
        "kind": "commune",
        "unit": "06253",
        "scheme": "legacy",
        "voice_region": "north",
        "active": True,
    }


def test_units_are_plain_rows_with_their_parent_code(lang_son: Database) -> None:
    with lang_son.transaction() as db:
        rows = list(list_units(db, "184"))
        assert len(db.identity_map) <= 1  # at most the unit named by --under, looked up once
    assert len(rows) == 16 and all(len(row) == len(UNIT_COLUMNS) for row in rows)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert ("184", "Huyện Văn Quan", "district", "20", "legacy") in rows
    assert {row[3] for row in rows if row[2] == "commune"} == {"184"}


def test_an_unknown_unit_is_refused_before_any_row(lang_son: Database) -> None:
    with lang_son.transaction() as db, pytest.raises(NotFoundError):
        list_stations(db, "999")  # raised by the call itself, not on the first row
