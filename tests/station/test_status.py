"""Tình trạng đài from what really aired: a real `station play` (a real player process under a frozen clock)
logs the day, a real `station sync` uploads it to the real server, and the status judges each session of the
published program aired, partly aired or missed, and each emergency heard or not."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from broadcast.db.models import PlanDay, Program, Station
from broadcast.reports.status import PlannedSession, session_outcomes, station_status
from broadcast.station.client import RetryPolicy, StationClient
from broadcast.station.mirror import Mirror
from broadcast.station.player import CommandPlayer
from broadcast.station.playout import Playout, load_day
from broadcast.units.scope import EVERYTHING, Scope
from broadcast.vocabulary import SessionState, StationState
from tests.conftest import Invoke
from tests.station.conftest import DAY, NOW, STATION, Site, sync
from tests.station.test_play import TZ, at

NEXT_MORNING = datetime(2025, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 the day after, in Hà Nội
# The published program of DAY, as the build stored it: the morning carries message 11, the afternoon 12.
PROGRAM: Program = {
    "sessions": [
        {"name": "sáng", "start": "05:30", "end": "06:00", "items": [{"message_id": 11, "offset": 1, "duration": 2}]},
        {"name": "chiều", "start": "17:00", "end": "17:30", "items": [{"message_id": 12, "offset": 0, "duration": 2}]},
    ]
}


def player(tmp_path: Path, failing: str | None = None) -> CommandPlayer:
    """A real player process that plays nothing, and fails on the file whose name contains `failing`."""
    script = tmp_path / "player.py"
    script.write_text(f"import sys\nsys.exit(1 if {failing!r} and {failing!r} in sys.argv[1] else 0)\n")
    return CommandPlayer(f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")


@pytest.fixture
def published(site: Site, folder: Path, invoke: Invoke) -> Iterator[str]:
    """DAY published, its program stored, synced to the station; the server's URL, still up."""
    site.publish(site.day())
    with site.database.transaction() as db:
        db.add(PlanDay(day=DAY, audience="a", stations=[STATION], program=PROGRAM, shortfalls=[], created_at=NOW))
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
        yield url


def play_morning(folder: Path, tmp_path: Path, failing: str | None = None, client: StationClient | None = None) -> None:
    """Play DAY's morning session at 05:30 (and poll for emergencies first, when given a client)."""
    with time_machine.travel(at("05:30:00"), tick=False) as clock:
        mirror = Mirror(folder, STATION)
        playout = Playout(mirror, load_day(mirror, DAY), player(tmp_path, failing), client=client, wait=clock.shift)
        playout.poll_emergencies()
        playout.play_session(0)


def test_a_morning_with_a_failed_message_is_partly_aired_and_an_afternoon_never_played_is_missed(
    site: Site, folder: Path, invoke: Invoke, published: str, tmp_path: Path
) -> None:
    message = site.build.tones[1].sha256
    play_morning(folder, tmp_path, failing=message)  # the ident plays, message 11 fails
    assert sync(invoke, site, published, folder, "--days", "1").exit_code == 0
    with site.database.transaction() as db:
        report = station_status(db, EVERYTHING, NEXT_MORNING, "Asia/Ho_Chi_Minh", hours=48)
    assert report.day == DAY
    assert [(o.session, o.start, o.end, o.planned, o.played, o.state) for o in report.sessions] == [
        ("sáng", "05:30", "06:00", 1, 0, SessionState.PARTLY_AIRED),
        ("chiều", "17:00", "17:30", 1, 0, SessionState.MISSED),
    ]
    (station,) = report.stations
    assert station.state is StationState.MISSED  # seen (by the syncs) within 48 hours, but behind
    assert station.last_seen_at == NOW and station.free_disk is not None and station.software
    with site.database.transaction() as db:
        quiet = station_status(db, EVERYTHING, NEXT_MORNING, "Asia/Ho_Chi_Minh", hours=12)
    assert quiet.stations[0].state is StationState.SILENT and quiet.silent == quiet.stations


def test_an_emergency_is_pending_until_the_station_plays_it_and_a_full_morning_is_aired(
    site: Site, folder: Path, invoke: Invoke, published: str, tmp_path: Path
) -> None:
    site.add_emergency()
    with site.database.transaction() as db:
        before = station_status(db, EVERYTHING, NOW, "Asia/Ho_Chi_Minh", day=DAY)
        station_id = db.scalar(select(Station.id).where(Station.code == STATION))
    assert [(e.station_code, e.title) for e in before.emergencies] == [(STATION, "Khẩn cấp: bão số 3")]
    # At 09:00 the morning is over with nothing in the log yet: missed; the afternoon is still to come.
    assert [(o.session, o.state) for o in before.sessions] == [("sáng", SessionState.MISSED)]
    with StationClient(published, STATION, site.token, retry=RetryPolicy(1)) as client:
        play_morning(folder, tmp_path, client=client)  # polls first: the emergency plays, then the morning
    assert sync(invoke, site, published, folder, "--days", "1").exit_code == 0
    with site.database.transaction() as db:
        after = station_status(db, EVERYTHING, NOW, "Asia/Ho_Chi_Minh", day=DAY)
        elsewhere = station_status(db, Scope(frozenset(), frozenset({station_id + 1})), NOW, "Asia/Ho_Chi_Minh")
    assert after.emergencies == ()
    assert after.sessions == ()  # the morning aired whole; the afternoon is still to come at 09:00
    assert after.stations[0].state is StationState.ACTIVE
    assert elsewhere.stations == () and elsewhere.emergencies == ()  # another scope sees none of it


def test_session_outcomes_from_plays() -> None:
    def planned(name: str, end: str, **messages: int) -> PlannedSession:
        return PlannedSession("s", "Đài", DAY, name, "05:00", end, {int(k[1:]): v for k, v in messages.items()})

    plays = {("s", "full"): {11: 2, None: 1}, ("s", "part"): {11: 1}, ("s", "idents"): {None: 3}}
    sessions = [
        planned("full", "06:00", m11=2),
        planned("part", "06:00", m11=2),
        planned("idents", "06:00", m12=1),
        planned("none", "06:00", m11=1),
        planned("later", "24:00", m11=1),  # ends at midnight: not over at 23:00
    ]
    now = datetime(2025, 3, 1, 23, 0, tzinfo=TZ)
    found = {o.session: (o.played, o.state) for o in session_outcomes(sessions, plays, now)}  # type: ignore[arg-type]
    assert found == {
        "full": (2, SessionState.AIRED),
        "part": (1, SessionState.PARTLY_AIRED),
        "idents": (0, SessionState.PARTLY_AIRED),
        "none": (0, SessionState.MISSED),
    }
    after_midnight = now + timedelta(hours=1)
    assert ("later", SessionState.MISSED) in {
        (o.session, o.state)
        for o in session_outcomes(sessions, plays, after_midnight)  # type: ignore[arg-type]
    }
