"""The timetable (lịch phát): what a station plays on a day, or what a unit's audiences play, as people read it.

A read model over the stored plans (PlanDay) and, once a day is built, the published manifest, whose item start
times are exact (the plan only knows each message's offset within its session). Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.audit import Actor
from broadcast.config import Settings
from broadcast.db.models import Message, PlanDay, Station, Unit
from broadcast.errors import ExportError, NotFoundError, PermissionDenied
from broadcast.export.manifest import ManifestError, manifest_path, read_manifest
from broadcast.text import fold
from broadcast.units.scope import scope_of
from broadcast.units.tree import find_station, find_unit, subtree_unit_ids
from broadcast.vocabulary import ItemKind, Priority

WEEK = 7
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class TimetableItem:
    """One part of a session: start is local "HH:MM:SS"; sha256 names its audio once the day is built."""

    kind: str
    title: str
    start: str
    duration: float
    priority: Priority | None = None
    message_id: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class TimetableSession:
    index: int
    name: str
    start: str
    end: str
    items: tuple[TimetableItem, ...]

    @property
    def messages(self) -> int:
        return sum(1 for item in self.items if item.kind == ItemKind.MESSAGE)

    @property
    def seconds(self) -> float:
        return sum(item.duration for item in self.items)


@dataclass(frozen=True)
class TimetableShortfall:
    message_id: int
    title: str
    wanted: int
    placed: int
    reason: str


@dataclass(frozen=True)
class TimetableDay:
    """One day of one station (or one audience): built means read from the published manifest."""

    day: date
    sessions: tuple[TimetableSession, ...]
    shortfalls: tuple[TimetableShortfall, ...]
    planned: bool
    built: bool
    version: str | None = None

    @property
    def messages(self) -> int:
        return sum(session.messages for session in self.sessions)


@dataclass(frozen=True)
class Audience:
    """Stations that share one program on a day, and that program."""

    stations: tuple[tuple[str, str], ...]  # (code, name)
    day: TimetableDay


# Scope: which stations and units an actor may open.


def open_station(db: DbSession, actor: Actor, code: str) -> Station:
    """The station with this code; NotFoundError when there is none, PermissionDenied outside the actor's scope."""
    station = find_station(db, code)
    if not scope_of(db, actor).has_station(station):
        raise PermissionDenied(f"{actor.name} may not see station {station.code}: it lies outside their scope")
    return station


def open_unit(db: DbSession, actor: Actor, ref: str) -> Unit:
    """The unit named by ref ("legacy:183"); NotFoundError, or PermissionDenied outside the actor's scope."""
    unit = find_unit(db, ref)
    if not scope_of(db, actor).has_unit(unit.id):
        raise PermissionDenied(f"{actor.name} may not see unit {unit.scheme}:{unit.code}: it lies outside their scope")
    return unit


def find_stations(db: DbSession, actor: Actor, words: str, limit: int = SEARCH_LIMIT) -> list[Station]:
    """Stations in the actor's scope whose name or code holds words, with or without diacritics, by name."""
    scope = scope_of(db, actor)
    query = select(Station).order_by(Station.name, Station.code)
    if scope.station_ids is not None:
        query = query.where(Station.id.in_(scope.station_ids))
    wanted = fold(words)
    found = []
    for station in db.scalars(query):
        if not wanted or wanted in fold(station.name) or wanted in station.code.lower():
            found.append(station)
            if len(found) >= limit:
                break
    return found


def units_in_scope(db: DbSession, actor: Actor, kinds: Iterable[str] = ("province", "district")) -> list[Unit]:
    """The units of the given kinds in the actor's scope (its own unit first), for a page's unit picker."""
    scope = scope_of(db, actor)
    query = select(Unit).where(Unit.kind.in_(tuple(kinds))).order_by(Unit.scheme, Unit.code)
    if scope.unit_ids is not None:
        query = select(Unit).where(Unit.id.in_(scope.unit_ids)).order_by(Unit.scheme, Unit.code)
        units = list(db.scalars(query))
        wanted = set(kinds) | ({"commune"} if len(units) <= 60 else set())  # a district office picks communes too
        return [u for u in units if u.kind in wanted]
    return list(db.scalars(query))


# Reading days.


def station_day(db: DbSession, settings: Settings, station: Station, day: date) -> TimetableDay:
    """The station's day: from its published manifest when the day is built, else from the stored plan."""
    plan = _plan_of(db, station.code, day)
    shortfalls = _shortfalls(db, plan) if plan is not None else ()
    manifest = _manifest(settings, station.code, day)
    if manifest is not None:
        return TimetableDay(day, _manifest_sessions(manifest), shortfalls, plan is not None, True, manifest["version"])
    if plan is None:
        return TimetableDay(day, (), (), False, False)
    return TimetableDay(day, _plan_sessions(db, plan), shortfalls, True, False)


def station_week(db: DbSession, settings: Settings, station: Station, start: date) -> list[TimetableDay]:
    """Seven days of the station from start."""
    return [station_day(db, settings, station, start + timedelta(days=n)) for n in range(WEEK)]


def unit_day(db: DbSession, unit: Unit, day: date) -> list[Audience]:
    """The audiences among the unit's stations on a day: each distinct program once, with the stations it serves."""
    names = dict(
        db.execute(select(Station.code, Station.name).where(Station.unit_id.in_(subtree_unit_ids(db, unit)))).all()
    )
    audiences = []
    for plan in _plans(db, day):
        mine = [code for code in plan.stations if code in names]
        if mine:
            shown = TimetableDay(day, _plan_sessions(db, plan), _shortfalls(db, plan), True, False)
            audiences.append(Audience(tuple((code, names[code]) for code in mine), shown))
    audiences.sort(key=lambda a: (-len(a.stations), a.stations[0][0]))
    return audiences


def unit_week(db: DbSession, unit: Unit, start: date) -> list[tuple[date, list[Audience]]]:
    """Seven days of the unit's audiences from start."""
    return [(start + timedelta(days=n), unit_day(db, unit, start + timedelta(days=n))) for n in range(WEEK)]


def _plans(db: DbSession, day: date) -> list[PlanDay]:
    return list(db.scalars(select(PlanDay).where(PlanDay.day == day).order_by(PlanDay.id)))


def _plan_of(db: DbSession, code: str, day: date) -> PlanDay | None:
    # PlanDay.stations is a JSON list; a day has a handful of audiences, so looking in Python is cheap and portable.
    return next((plan for plan in _plans(db, day) if code in plan.stations), None)


def _manifest(settings: Settings, code: str, day: date) -> dict[str, Any] | None:
    try:
        path = settings.export_root / manifest_path(code, day)
        return read_manifest(path.read_bytes(), code, day)
    except (OSError, ManifestError, ExportError):
        return None  # not built (or damaged): the stored plan stands in


def _titles(db: DbSession, ids: set[int]) -> dict[int, Message]:
    if not ids:
        return {}
    return {m.id: m for m in db.scalars(select(Message).where(Message.id.in_(ids)))}


def _plan_sessions(db: DbSession, plan: PlanDay) -> tuple[TimetableSession, ...]:
    sessions = plan.program["sessions"]
    messages = _titles(db, {item["message_id"] for s in sessions for item in s["items"]})
    shown = []
    for index, session in enumerate(sessions):
        hours, minutes = map(int, session["start"].split(":"))
        base = hours * 3600 + minutes * 60
        items = []
        for item in session["items"]:
            message = messages.get(item["message_id"])
            items.append(
                TimetableItem(
                    kind=ItemKind.MESSAGE.value,
                    title=message.title if message else f"#{item['message_id']}",
                    start=_hms(base + item["offset"]),
                    duration=float(item["duration"]),
                    priority=message.priority if message else None,
                    message_id=item["message_id"],
                )
            )
        shown.append(TimetableSession(index, session["name"], session["start"], session["end"], tuple(items)))
    return tuple(shown)


def _manifest_sessions(manifest: Mapping[str, Any]) -> tuple[TimetableSession, ...]:
    return tuple(
        TimetableSession(
            index,
            session["name"],
            session["start"],
            session["end"],
            tuple(
                TimetableItem(
                    kind=item["kind"],
                    title=item["title"],
                    start=item["start"][:8],
                    duration=float(item["duration"]),
                    priority=Priority(item["priority"]) if item.get("priority") else None,
                    message_id=item.get("message_id"),
                    sha256=item["sha256"],
                )
                for item in session["items"]
            ),
        )
        for index, session in enumerate(manifest["sessions"])
    )


def _shortfalls(db: DbSession, plan: PlanDay) -> tuple[TimetableShortfall, ...]:
    messages = _titles(db, {s["message_id"] for s in plan.shortfalls})
    return tuple(
        TimetableShortfall(
            s["message_id"],
            messages[s["message_id"]].title if s["message_id"] in messages else f"#{s['message_id']}",
            s["wanted"],
            s["placed"],
            s["reason"],
        )
        for s in plan.shortfalls
    )


def _hms(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def station_audio(settings: Settings, station: Station, day: date, sha256: str) -> str:
    """The export-relative path of an audio file the station's published day plays; NotFoundError otherwise."""
    manifest = _manifest(settings, station.code, day)
    if manifest is not None:
        for session in manifest["sessions"]:
            for item in session["items"]:
                if item["sha256"] == sha256:
                    return str(item["audio"])
    raise NotFoundError(f"station {station.code} plays no audio {sha256} on {day}")


def published_session(settings: Settings, station: Station, day: date, index: int) -> tuple[str, list[str]]:
    """The manifest version and the export-relative audio paths of one built session, in order; NotFoundError."""
    manifest = _manifest(settings, station.code, day)
    if manifest is None or not 0 <= index < len(manifest["sessions"]):
        raise NotFoundError(f"station {station.code} has no built session {index} on {day}")
    return manifest["version"], [item["audio"] for item in manifest["sessions"][index]["items"]]
