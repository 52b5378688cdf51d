from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.config import DEFAULT_SESSIONS
from broadcast.db import Database
from broadcast.db.models import Station, Unit
from broadcast.errors import NotFoundError, SessionError, UnitsError
from broadcast.units.book import StationBook
from broadcast.units.clock import SessionClock
from broadcast.units.importer import import_units
from broadcast.units.listing import list_stations, list_units
from broadcast.units.sessions import clear_sessions, effective_sessions, set_session
from broadcast.units.tree import find_station, find_unit


def make_unit(db: DbSession, code: str, kind: str, parent: Unit | None = None, **overrides: str) -> Unit:
    """A unit with sensible defaults; tests name only what they care about."""
    values = {"scheme": "legacy", "name": f"{kind} {code}", "short_name": code, "type_name": kind}
    values.update(overrides)
    unit = Unit(code=code, kind=kind, parent_id=parent.id if parent else None, **values)
    db.add(unit)
    db.flush()
    return unit


def make_station(db: DbSession, unit: Unit) -> Station:
    station = Station(code=f"{unit.scheme}-{unit.code}", name=f"Đài {unit.code}", kind=unit.kind, unit_id=unit.id)
    db.add(station)
    db.flush()
    return station


@dataclass
class Tree:
    province: str = "legacy:20"
    district: str = "legacy:183"
    commune: str = "legacy:06187"
    commune_station: str = "legacy-06187"
    other_station: str = "legacy-06190"
    district_station: str = "legacy-183"


@pytest.fixture
def tree(database: Database) -> Tree:
    """Province 20 → district 183 (with a station) → communes 06187 and 06190 (each with a station)."""
    with database.transaction() as db:
        province = make_unit(db, "20", "province")
        district = make_unit(db, "183", "district", province)
        make_station(db, district)
        for code in ("06187", "06190"):
            make_station(db, make_unit(db, code, "commune", district))
    return Tree()


def clock(name: str, start: str, length: str = "30m", weekdays: str = "daily") -> SessionClock:
    return SessionClock.parse(name, start, length, weekdays)


def effective(database: Database, code: str) -> tuple[str, list[str]]:
    """Where a station's sessions come from (a ref or station code) and their descriptions."""
    with database.transaction() as db:
        found = effective_sessions(db, find_station(db, code))
        source = found.source.code if isinstance(found.source, Station) else found.source.ref
        return source, [c.describe() for c in found.clocks]


def test_no_sessions_anywhere_gives_none(database: Database, tree: Tree) -> None:
    assert effective(database, tree.commune_station) == (tree.commune_station, [])


def test_nearest_level_with_sessions_wins_whole(database: Database, tree: Tree) -> None:
    with database.transaction() as db:
        set_session(db, tree.province, clock("sáng", "05:30"))
        set_session(db, tree.province, clock("chiều", "17:00"))
    assert effective(database, tree.commune_station) == (
        tree.province,
        ["sáng 05:30-06:00 daily", "chiều 17:00-17:30 daily"],
    )
    with database.transaction() as db:
        set_session(db, tree.district, clock("trưa", "11:00", "45m"))
    # The district's one session replaces the province's two for everything under the district.
    assert effective(database, tree.commune_station) == (tree.district, ["trưa 11:00-11:45 daily"])
    assert effective(database, tree.district_station) == (tree.district, ["trưa 11:00-11:45 daily"])
    with database.transaction() as db:
        result = set_session(db, tree.commune_station, clock("tối", "19:00", "1h", "mon-fri"))
    assert result.was_inheriting_from is not None and result.was_inheriting_from.ref == tree.district
    assert effective(database, tree.commune_station) == (tree.commune_station, ["tối 19:00-20:00 mon-fri"])
    assert effective(database, tree.other_station) == (tree.district, ["trưa 11:00-11:45 daily"])


def test_a_commune_unit_level_sits_between_station_and_district(database: Database, tree: Tree) -> None:
    with database.transaction() as db:
        set_session(db, tree.district, clock("sáng", "05:30"))
        set_session(db, tree.commune, clock("sáng", "06:00"))
    assert effective(database, tree.commune_station) == (tree.commune, ["sáng 06:00-06:30 daily"])
    assert effective(database, tree.other_station) == (tree.district, ["sáng 05:30-06:00 daily"])


def test_clearing_falls_back_to_the_level_above(database: Database, tree: Tree) -> None:
    with database.transaction() as db:
        set_session(db, tree.province, clock("sáng", "05:30"))
        set_session(db, tree.commune_station, clock("sáng", "06:00"))
        set_session(db, tree.commune_station, clock("chiều", "17:00"))
    with database.transaction() as db:
        _, removed = clear_sessions(db, tree.commune_station, "chiều")
    assert removed == 1
    assert effective(database, tree.commune_station) == (tree.commune_station, ["sáng 06:00-06:30 daily"])
    with database.transaction() as db:
        clear_sessions(db, tree.commune_station)
    assert effective(database, tree.commune_station) == (tree.province, ["sáng 05:30-06:00 daily"])
    with pytest.raises(SessionError, match="has no sessions of its own"), database.transaction() as db:
        clear_sessions(db, tree.commune_station)


def test_same_name_replaces_and_overlaps_are_refused(database: Database, tree: Tree) -> None:
    with database.transaction() as db:
        set_session(db, tree.commune_station, clock("sáng", "05:30"))
        result = set_session(db, tree.commune_station, clock("sáng", "05:45", "45m"))
    assert result.replaced
    assert effective(database, tree.commune_station)[1] == ["sáng 05:45-06:30 daily"]
    with pytest.raises(SessionError, match="sessions overlap on Đài 06187"), database.transaction() as db:
        set_session(db, tree.commune_station, clock("sớm", "06:00"))
    with database.transaction() as db:  # same hours on other days do not overlap
        set_session(db, tree.commune_station, clock("sáng", "05:45", "10m", "mon-fri"))
        set_session(db, tree.commune_station, clock("cuối tuần", "05:50", "30m", "sat,sun"))
    assert effective(database, tree.commune_station)[1] == [
        "sáng 05:45-05:55 mon-fri",
        "cuối tuần 05:50-06:20 sat,sun",
    ]


def test_a_refused_change_stores_nothing(database: Database, tree: Tree) -> None:
    with database.transaction() as db:
        set_session(db, tree.commune_station, clock("sáng", "05:30"))
    with pytest.raises(SessionError), database.transaction() as db:
        set_session(db, tree.commune_station, clock("chiều", "17:00"))
        set_session(db, tree.commune_station, clock("sớm", "05:00", "1h"))
    assert effective(database, tree.commune_station)[1] == ["sáng 05:30-06:00 daily"]


def test_codes_resolve_and_fail_clearly(database: Database, tree: Tree) -> None:
    with database.transaction() as db:
        assert find_unit(db, "183").name == "district 183"
        assert find_unit(db, "legacy:183").code == "183"
        make_unit(db, "183", "commune", scheme="2025")
        with pytest.raises(UnitsError, match="exists in both schemes; write legacy:183 or 2025:183"):
            find_unit(db, "183")
        with pytest.raises(UnitsError, match="unknown scheme"):
            find_unit(db, "1990:183")
        with pytest.raises(NotFoundError, match="no unit with code '77'"):
            set_session(db, "77", clock("sáng", "05:30"))
        with pytest.raises(NotFoundError, match="no station with code 'legacy-1'"):
            find_station(db, "legacy-1")


def test_listing_under_a_unit_walks_the_whole_subtree(database: Database, tree: Tree) -> None:
    with database.reading() as db:
        assert [row[0] for row in list_units(db, "20")] == ["06187", "06190", "183", "20"]
        assert [(row[0], row[3]) for row in list_units(db, "183")] == [
            ("06187", "183"),
            ("06190", "183"),
            ("183", "20"),
        ]
        assert [row[0] for row in list_stations(db, "183")] == ["legacy-06187", "legacy-06190", "legacy-183"]
        assert [row[0] for row in list_stations(db, "06190")] == ["legacy-06190"]


def test_one_station_and_the_whole_book_inherit_alike(database: Database) -> None:
    """effective_sessions (one station, by queries) and StationBook (every station, in memory) apply one rule."""
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, "Asia/Ho_Chi_Minh")
        set_session(db, "legacy:183", clock("trưa", "11:00"))  # a district: every station under it
        set_session(db, "legacy:06253", clock("tối", "19:00", "45m"))  # a commune unit inside another district
        set_session(db, "legacy-06187", clock("sáng", "06:00"))  # one station of its own
    with database.transaction() as db:
        book = StationBook.load(db)
        stations = list(db.scalars(select(Station)))
        assert len(stations) == len(book.stations) == 11 + 194
        sources = set()
        for station in stations:
            one = effective_sessions(db, station)
            entry = book.by_code[station.code]
            assert tuple(one.clocks) == entry.sessions, station.code
            kind = "station" if isinstance(one.source, Station) else "unit"
            assert entry.session_source == f"{kind}:{one.source.id}", station.code
            sources.add(entry.session_source.split(":")[0] + ":" + str(len(entry.sessions)))
    assert len(sources) >= 3  # the province's, a district's or commune's and a station's own were all seen
