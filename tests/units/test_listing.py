"""The listing queries: plain rows streamed from a Core connection, no ORM, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from broadcast.db import Database
from broadcast.db.models import Unit
from broadcast.errors import NotFoundError, UnitsError
from broadcast.units.importer import import_units
from broadcast.units.listing import STATION_COLUMNS, UNIT_COLUMNS, find_unit_id, list_stations, list_units
from broadcast.units.tree import find_unit


@pytest.fixture
def lang_son(database: Database) -> Database:
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", (), "Asia/Ho_Chi_Minh")
    return database


def test_stations_are_plain_rows_in_code_order(lang_son: Database) -> None:
    with lang_son.reading() as connection:
        rows = list(list_stations(connection))
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
    with lang_son.reading() as connection:
        rows = list(list_units(connection, "184"))
    assert len(rows) == 16 and all(len(row) == len(UNIT_COLUMNS) for row in rows)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    assert ("184", "Huyện Văn Quan", "district", "20", "legacy") in rows
    assert {row[3] for row in rows if row[2] == "commune"} == {"184"}


def test_an_unknown_unit_is_refused_before_any_row(lang_son: Database) -> None:
    with lang_son.reading() as connection, pytest.raises(NotFoundError):
        list_stations(connection, "999")  # raised by the call itself, not on the first row


def test_a_unit_is_found_alike_from_a_connection_and_a_session(lang_son: Database) -> None:
    with lang_son.reading() as connection:
        district = find_unit_id(connection, "legacy:184")
    with lang_son.transaction() as db:
        assert find_unit(db, "184").id == district
        db.add(Unit(scheme="2025", code="20", name="Tỉnh Lạng Sơn", short_name="Lạng Sơn", type_name="Tỉnh",
                    kind="province"))  # fmt: skip
        assert find_unit(db, "2025:20").scheme == "2025"  # a session's pending unit is flushed before the lookup
        with pytest.raises(UnitsError, match=r"exists in both schemes; write legacy:20 or 2025:20"):
            find_unit(db, "20")
