"""An in-memory view of every station, its ancestry and the sessions it uses, loaded in a few queries.

Planning the whole country asks "which sessions does this station use?" and "does this message reach it?"
ten thousand times a day; walking the tree with a query each time would be far too slow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import Session, Station, Unit
from broadcast.units.clock import SessionClock, nearest_with_sessions


@dataclass(frozen=True)
class StationEntry:
    id: int
    code: str
    name: str
    kind: str
    active: bool
    voice_region: str
    engine: str | None
    timezone: str
    units: tuple[int, ...]  # the station's unit and every unit above it, nearest first
    session_source: str  # "station:<id>" or "unit:<id>": who its sessions come from; "" when none
    sessions: tuple[SessionClock, ...]
    speaking_rate: int = 100  # percent of the engine's normal pace


class StationBook:
    """Stations with their ancestry and effective sessions."""

    def __init__(self, stations: list[StationEntry]) -> None:
        self.stations = stations
        self.by_id = {s.id: s for s in stations}
        self.by_code = {s.code: s for s in stations}

    @classmethod
    def load(cls, db: DbSession) -> StationBook:
        """Every station, read as plain rows (no ORM objects: the whole country is 10,731 stations)."""
        parents = dict(db.execute(select(Unit.id, Unit.parent_id)).all())
        own: dict[str, list[SessionClock]] = defaultdict(list)
        clocks = select(Session.station_id, Session.unit_id, Session.name, Session.start, Session.minutes,
                        Session.weekdays)  # fmt: skip
        for station_id, unit_id, name, start, minutes, weekdays in db.execute(clocks):
            owner = f"station:{station_id}" if station_id is not None else f"unit:{unit_id}"
            own[owner].append(SessionClock(name, start, minutes, weekdays))
        for kept in own.values():
            kept.sort(key=lambda c: (c.start_minute, c.name))

        columns = select(Station.id, Station.code, Station.name, Station.kind, Station.active, Station.voice_region,
                         Station.engine, Station.timezone, Station.speaking_rate, Station.unit_id)  # fmt: skip
        entries = []
        for station_id, code, name, kind, active, region, engine, timezone, rate, unit_id in db.execute(
            columns.order_by(Station.code)
        ):
            chain = _ancestry(unit_id, parents)
            owners = (f"station:{station_id}", *(f"unit:{unit}" for unit in chain))
            found = nearest_with_sessions(owners, lambda key: own.get(key, ()))
            source = found[0] if found else ""
            entries.append(
                StationEntry(
                    id=station_id,
                    code=code,
                    name=name,
                    kind=kind,
                    active=active,
                    voice_region=region,
                    engine=engine,
                    timezone=timezone,
                    speaking_rate=rate,
                    units=chain,
                    session_source=source,
                    sessions=tuple(own.get(source, ())),
                )
            )
        return cls(entries)


def _ancestry(unit_id: int, parents: dict[int, int | None]) -> tuple[int, ...]:
    chain = []
    current: int | None = unit_id
    while current is not None:
        chain.append(current)
        current = parents.get(current)
    return tuple(chain)


@dataclass(frozen=True)
class Target:
    """A message target as plain data: everything, a unit's subtree, or one station."""

    kind: str  # all, unit, station
    id: int | None = None

    def reaches(self, station: StationEntry) -> bool:
        if self.kind == "all":
            return True
        if self.kind == "unit":
            return self.id in station.units
        return self.id == station.id
