"""Tình trạng đài: which stations are alive, which sessions aired, which emergencies are still unheard.

Three questions, each answered by one query over the whole scope (rows streamed, never a query per station):

- contact: a station's last request (broadcast.server.contacts); never seen, or not seen for `hours`, is a worry;
- sessions: each session of a station's published day (the stored programs, PlanDay) against its as-run log:
  aired when every planned message played, partly aired when anything of it played, missed when nothing did and
  the session is over (a session still to come is not judged);
- emergencies: approved emergency messages of the last EMERGENCY_HOURS reaching the station, with no play of the
  message there (as an emergency or within a session).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import PlanDay, PlayLog, Station, StationContact, Unit
from broadcast.messages.emergencies import EMERGENCY_HOURS, candidate_messages
from broadcast.planning.inputs import message_targets
from broadcast.times import as_utc
from broadcast.units.book import Target
from broadcast.units.scope import Scope
from broadcast.vocabulary import PlayStatus, SessionState, StationState

SILENT_HOURS = 24.0  # a station not heard from for this long is reported


@dataclass(frozen=True)
class StationSeen:
    """One active station and what its last request said."""

    id: int
    code: str
    name: str
    kind: str
    unit_id: int
    unit_code: str
    scheme: str
    last_seen_at: datetime | None  # UTC
    software: str | None
    free_disk: int | None  # bytes


@dataclass(frozen=True)
class StationHealth(StationSeen):
    """A station as it was last seen, and the state that makes it: active, silent, missed or never seen."""

    state: StationState


@dataclass(frozen=True)
class SessionOutcome:
    """How one session of one station went on one day."""

    station_code: str
    station_name: str
    day: date
    session: str
    start: str  # "HH:MM", local
    end: str  # "HH:MM", "24:00" at midnight
    planned: int  # message items in the published program
    played: int  # of those, how many played
    state: SessionState


@dataclass(frozen=True)
class PendingEmergency:
    """An emergency that reaches a station and has not played there since it was approved."""

    station_code: str
    station_name: str
    message_id: int
    title: str
    approved_at: datetime  # UTC


@dataclass(frozen=True)
class StatusReport:
    now: datetime  # UTC
    hours: float
    day: date  # the day whose sessions are judged
    stations: tuple[StationHealth, ...]  # every active station in scope, by code
    sessions: tuple[SessionOutcome, ...]  # the sessions of `day` that were missed or partly aired
    emergencies: tuple[PendingEmergency, ...]

    @property
    def silent(self) -> tuple[StationHealth, ...]:
        """Stations never seen or not seen for `hours`."""
        return tuple(s for s in self.stations if s.state in (StationState.NEVER_SEEN, StationState.SILENT))

    def counts(self) -> dict[StationState, int]:
        """How many stations are in each state, every state listed."""
        found = Counter(s.state for s in self.stations)
        return {state: found.get(state, 0) for state in StationState}

    def as_json(self) -> dict[str, object]:
        return {
            "now": self.now.isoformat(timespec="seconds"),
            "hours": self.hours,
            "day": self.day.isoformat(),
            "stations": len(self.stations),
            "counts": {state.value: count for state, count in self.counts().items()},
            "silent": [
                {
                    "code": s.code,
                    "name": s.name,
                    "state": s.state.value,
                    "last_seen_at": s.last_seen_at.isoformat(timespec="seconds") if s.last_seen_at else None,
                    "software": s.software,
                    "free_disk": s.free_disk,
                }
                for s in self.silent
            ],
            "sessions": [
                {
                    "station": o.station_code,
                    "name": o.station_name,
                    "day": o.day.isoformat(),
                    "session": o.session,
                    "start": o.start,
                    "end": o.end,
                    "planned": o.planned,
                    "played": o.played,
                    "state": o.state.value,
                }
                for o in self.sessions
            ],
            "emergencies": [
                {
                    "station": e.station_code,
                    "name": e.station_name,
                    "message_id": e.message_id,
                    "title": e.title,
                    "approved_at": e.approved_at.isoformat(timespec="seconds"),
                }
                for e in self.emergencies
            ],
        }


def station_status(
    db: DbSession,
    scope: Scope,
    now: datetime,
    zone: str,
    *,
    hours: float = SILENT_HOURS,
    day: date | None = None,
) -> StatusReport:
    """The status of the active stations in scope at `now` (aware); sessions judged for `day` (default: yesterday
    in `zone`), contact against `hours` hours, emergencies of the last EMERGENCY_HOURS."""
    local_now = now.astimezone(ZoneInfo(zone))
    judged = day if day is not None else local_now.date() - timedelta(days=1)
    stations = [s for s in _stations(db) if _inside(scope, s)]
    by_id = {s.id: s for s in stations}
    by_code = {s.code: s for s in stations}
    sessions = tuple(
        o
        for o in session_outcomes(_programs(db, judged, by_code), _plays(db, judged, by_id), local_now)
        if o.state is not SessionState.AIRED
    )
    emergencies = tuple(_pending_emergencies(db, by_id, now, local_now.date()))
    behind = {o.station_code for o in sessions}
    cutoff = as_utc(now) - timedelta(hours=hours)
    health = tuple(StationHealth(**vars(s), state=_state(s, cutoff, s.code in behind)) for s in stations)
    return StatusReport(as_utc(now), hours, judged, health, sessions, emergencies)


def _state(station: StationSeen, cutoff: datetime, behind: bool) -> StationState:
    if station.last_seen_at is None:
        return StationState.NEVER_SEEN
    if station.last_seen_at < cutoff:
        return StationState.SILENT
    return StationState.MISSED if behind else StationState.ACTIVE


def _inside(scope: Scope, station: StationSeen) -> bool:
    if scope.station_ids is not None:
        return station.id in scope.station_ids
    return scope.unit_ids is None or station.unit_id in scope.unit_ids


def _stations(db: DbSession) -> Iterator[StationSeen]:
    query = (
        select(
            Station.id,
            Station.code,
            Station.name,
            Station.kind,
            Station.unit_id,
            Unit.code,
            Unit.scheme,
            StationContact.last_seen_at,
            StationContact.software,
            StationContact.free_disk,
        )
        .join(Unit, Station.unit_id == Unit.id)
        .outerjoin(StationContact, StationContact.station_id == Station.id)
        .where(Station.active.is_(True))
        .order_by(Station.code)
    )
    for row in db.execute(query.execution_options(yield_per=2000)):
        seen = as_utc(row[7]) if row[7] is not None else None
        yield StationSeen(row[0], row[1], row[2], row[3], row[4], row[5], row[6], seen, row[8], row[9])


@dataclass(frozen=True)
class PlannedSession:
    """A session of a station's published day, with the messages its program carries (id → times)."""

    station_code: str
    station_name: str
    day: date
    name: str
    start: str
    end: str
    messages: Mapping[int, int]


def _programs(db: DbSession, day: date, stations: Mapping[str, StationSeen]) -> Iterator[PlannedSession]:
    for codes, program in db.execute(select(PlanDay.stations, PlanDay.program).where(PlanDay.day == day)):
        sessions = [
            (s["name"], s["start"], s["end"], Counter(item["message_id"] for item in s.get("items", [])))
            for s in program.get("sessions", [])
        ]
        for code in codes:
            station = stations.get(code)
            if station is None:
                continue
            for name, start, end, messages in sessions:
                yield PlannedSession(station.code, station.name, day, name, start, end, messages)


def _plays(db: DbSession, day: date, stations: Mapping[int, StationSeen]) -> dict[tuple[str, str], Counter[int | None]]:
    """(station code, session) → how many times each message (None: idents, jingles, …) played that day."""
    query = (
        select(PlayLog.station_id, PlayLog.session, PlayLog.message_id, func.count())
        .where(PlayLog.day == day, PlayLog.status == PlayStatus.PLAYED, PlayLog.session.is_not(None))
        .group_by(PlayLog.station_id, PlayLog.session, PlayLog.message_id)
    )
    found: dict[tuple[str, str], Counter[int | None]] = defaultdict(Counter)
    for station_id, session, message_id, count in db.execute(query):
        station = stations.get(station_id)
        if station is not None and session is not None:
            found[(station.code, session)][message_id] += count
    return found


def session_outcomes(
    planned: Iterable[PlannedSession], plays: Mapping[tuple[str, str], Counter[int | None]], local_now: datetime
) -> Iterator[SessionOutcome]:
    """Each planned session's state from what played in it; sessions not over at local_now (aware, the stations'
    zone) are left out unless something already played in them."""
    for session in planned:
        played = plays.get((session.station_code, session.name), Counter())
        wanted = sum(session.messages.values())
        done = sum(min(played.get(message_id, 0), times) for message_id, times in session.messages.items())
        anything = sum(played.values()) > 0
        if anything and done == wanted:
            state = SessionState.AIRED
        elif anything:
            state = SessionState.PARTLY_AIRED
        elif _over(session, local_now):
            state = SessionState.MISSED
        else:
            continue
        yield SessionOutcome(
            session.station_code,
            session.station_name,
            session.day,
            session.name,
            session.start,
            session.end,
            wanted,
            done,
            state,
        )


def _over(session: PlannedSession, local_now: datetime) -> bool:
    hours, minutes = (int(part) for part in session.end.split(":"))
    ends = datetime.combine(session.day, time(), local_now.tzinfo) + timedelta(hours=hours, minutes=minutes)
    return ends <= local_now


def _pending_emergencies(
    db: DbSession, stations: Mapping[int, StationSeen], now: datetime, today: date
) -> Iterator[PendingEmergency]:
    messages = candidate_messages(db, today, now, EMERGENCY_HOURS)
    if not messages or not stations:
        return
    parents: dict[int, int | None] = {unit: parent for unit, parent in db.execute(select(Unit.id, Unit.parent_id))}
    chains: dict[int, frozenset[int]] = {}
    played = _heard(db, [m.id for m in messages])
    for message in messages:
        targets = message_targets(message)
        approved = as_utc(message.approved_at) if message.approved_at else now
        for station in stations.values():
            chain = chains.get(station.unit_id)
            if chain is None:
                chain = chains[station.unit_id] = _ancestry(station.unit_id, parents)
            if not any(_reaches(target, station.id, chain) for target in targets):
                continue
            if (station.id, message.id) not in played:
                yield PendingEmergency(station.code, station.name, message.id, message.title, approved)


def _heard(db: DbSession, message_ids: list[int]) -> set[tuple[int, int | None]]:
    """(station id, message id) of each message played at a station, as an emergency or in a session. A message is
    played only once approved, so any play counts: comparing with the station's clock would trust a clock that may
    be off by hours."""
    query = (
        select(PlayLog.station_id, PlayLog.message_id)
        .where(PlayLog.message_id.in_(message_ids), PlayLog.status == PlayStatus.PLAYED)
        .distinct()
    )
    return {(station, message) for station, message in db.execute(query)}


def _ancestry(unit_id: int, parents: Mapping[int, int | None]) -> frozenset[int]:
    chain = set()
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.add(current)
        current = parents.get(current)
    return frozenset(chain)


def _reaches(target: Target, station_id: int, units: frozenset[int]) -> bool:
    if target.kind == "all":
        return True
    if target.kind == "unit":
        return target.id in units
    return target.id == station_id
