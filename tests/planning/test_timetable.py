"""The timetable read model: a station's day from its stored plan or its manifest, a unit's audiences, a week."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from broadcast.audit import Actor
from broadcast.db.models import User
from broadcast.errors import NotFoundError, PermissionDenied
from broadcast.planning.service import plan_range
from broadcast.planning.timetable import (
    find_stations,
    open_station,
    open_unit,
    station_day,
    station_week,
    unit_day,
    unit_week,
)
from broadcast.units.tree import find_station, find_unit
from tests.web.built import DAY, STATION, TITLE, Built, make_office
from tests.web.conftest import NOW


@pytest.fixture
def planned(tmp_path: Path) -> Built:
    built = make_office(tmp_path, build=False)
    with built.database.transaction() as db:
        plan_range(db, built.settings, DAY, 2, NOW)
    return built


def actor(built: Built, username: str) -> Actor:
    with built.database.transaction() as db:
        user = db.query(User).filter_by(username=username).one()
        return Actor.of(user)


def test_a_planned_day_gives_each_message_its_start_and_the_shortfalls_their_reasons(planned: Built) -> None:
    with planned.database.transaction() as db:
        day = station_day(db, planned.settings, find_station(db, STATION), DAY)
    assert day.planned and not day.built
    [session] = day.sessions
    assert (session.name, session.start, session.end) == ("sáng", "05:30", "05:45")
    assert [item.title for item in session.items] == ["Tiêm chủng", TITLE]
    first, second = session.items
    assert first.start > "05:30:00" and second.start > first.start  # after the opening, in order
    assert all(item.kind == "message" and item.sha256 is None and item.duration > 0 for item in session.items)
    [short] = day.shortfalls
    assert (short.title, short.wanted, short.placed) == ("Tiêm chủng", 3, 1)
    assert short.reason == "asks for 3 a day but only 1 sessions run"


def test_a_day_without_a_plan_is_empty_and_a_week_has_seven_days(planned: Built) -> None:
    with planned.database.transaction() as db:
        station = find_station(db, STATION)
        before = station_day(db, planned.settings, station, DAY - timedelta(days=1))
        week = station_week(db, planned.settings, station, DAY)
    assert (before.planned, before.sessions, before.shortfalls) == (False, (), ())
    assert [d.day for d in week] == [DAY + timedelta(days=n) for n in range(7)]
    assert [d.messages for d in week] == [2, 1, 0, 0, 0, 0, 0]


def test_a_unit_shows_its_audiences_once_with_their_stations(planned: Built) -> None:
    with planned.database.transaction() as db:
        [audience] = unit_day(db, find_unit(db, "legacy:184"), DAY)
        elsewhere = unit_day(db, find_unit(db, "legacy:183"), DAY)
        week = unit_week(db, find_unit(db, "legacy:20"), DAY)
    assert audience.stations == ((STATION, "Đài Truyền thanh thị trấn Văn Quan"),)
    assert audience.day.messages == 2 and len(audience.day.shortfalls) == 1
    assert elsewhere == []
    assert [len(audiences) for _, audiences in week] == [1, 1, 0, 0, 0, 0, 0]


def test_a_built_day_is_read_from_its_manifest(planned: Built) -> None:
    from broadcast.build import build_days

    build_days(planned.settings, DAY, 1, now=NOW)
    with planned.database.transaction() as db:
        day = station_day(db, planned.settings, find_station(db, STATION), DAY)
    assert day.built and day.version
    kinds = [item.kind for item in day.sessions[0].items]
    assert kinds[:3] == ["ident", "jingle", "greeting"] and kinds[-2:] == ["close", "jingle"]
    assert day.sessions[0].items[0].start == "05:30:00"
    assert all(item.sha256 for item in day.sessions[0].items)


def test_scope_decides_which_stations_and_units_open(planned: Built) -> None:
    with planned.database.transaction() as db:
        tinh, caoloc, dai = (actor(planned, name) for name in ("tinh", "caoloc", "dai"))
        assert open_station(db, tinh, STATION).code == STATION
        assert open_station(db, dai, STATION).code == STATION
        with pytest.raises(PermissionDenied):
            open_station(db, caoloc, STATION)
        with pytest.raises(PermissionDenied):
            open_unit(db, dai, "legacy:184")
        with pytest.raises(NotFoundError):
            open_station(db, tinh, "no-such-station")
        assert [s.code for s in find_stations(db, dai, "")] == [STATION]
        assert STATION in [s.code for s in find_stations(db, tinh, "thi tran van quan")]
        assert all(s.unit.parent_id is not None for s in find_stations(db, caoloc, ""))
        assert STATION not in [s.code for s in find_stations(db, caoloc, "van quan")]
