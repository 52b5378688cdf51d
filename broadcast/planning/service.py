"""Plan a date range: approved messages into every active station's sessions, computed once per audience.

Stations that use the same sessions and are reached by the same messages form an audience; on each day the
audience's program is planned once and stored once, with its stations listed. Only the station call differs.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session as DbSession

from broadcast.audio.templates import find_folder, load_templates
from broadcast.config import Settings
from broadcast.db.models import PlanDay, Program, StoredShortfall
from broadcast.errors import MessageError
from broadcast.planning.inputs import PlannedMessage, load_messages
from broadcast.planning.overhead import bulletin_overhead
from broadcast.planning.planner import DayPlan, Overhead, PlanMessage, Shortfall, plan_day
from broadcast.units.book import StationBook, StationEntry
from broadcast.units.clock import SessionClock, format_minute

MAX_DAYS = 366


@dataclass
class ShortfallReport:
    day: date
    message_id: int
    title: str
    wanted: int
    placed: int
    reason: str
    stations: list[str] = field(default_factory=list)


@dataclass
class PlanSummary:
    start: date
    days: int
    messages: int
    audiences: int = 0
    station_days: int = 0
    items: int = 0
    shortfalls: list[ShortfallReport] = field(default_factory=list)


def overhead_for(settings: Settings) -> Overhead:
    """The bulletin's own parts, in seconds, for the configured templates and engine."""
    return bulletin_overhead(load_templates(find_folder(settings.audio_templates, settings.home)), settings.engine)


def audiences(book: StationBook, messages: list[PlannedMessage]) -> dict[tuple[Any, ...], list[StationEntry]]:
    """Active stations with sessions, grouped by (their sessions, the messages that reach them)."""
    groups: dict[tuple[Any, ...], list[StationEntry]] = defaultdict(list)
    for station in book.stations:
        if not station.active or not station.sessions:
            continue
        reaching = tuple(m.plan.id for m in messages if any(t.reaches(station) for t in m.targets))
        groups[(station.sessions, reaching)].append(station)
    return groups


def plan_range(
    db: DbSession, settings: Settings, start: date, days: int, now: datetime, *, book: StationBook | None = None
) -> PlanSummary:
    """Plan days [start, start + days) for every active station and store the programs, replacing old ones.

    book is the stations as already loaded from db (the build needs them too); loaded here when not given."""
    if not 1 <= days <= MAX_DAYS:
        raise MessageError(f"{{days}} must be between 1 and {MAX_DAYS}, not {days}", field="days")
    end = start + timedelta(days=days - 1)
    messages = load_messages(db, settings, start, end)
    if not messages:
        raise MessageError(f"nothing to plan from {start} to {end}: no approved message runs then; approve one first")
    by_id = {m.plan.id: m for m in messages}
    book = book if book is not None else StationBook.load(db)
    groups = audiences(book, messages)
    if not groups:
        raise MessageError("nothing to plan: no active station has sessions; give a unit or station sessions first")
    overhead = overhead_for(settings)
    summary = PlanSummary(start, days, len(messages))

    db.execute(delete(PlanDay).where(PlanDay.day >= start, PlanDay.day <= end))
    rows: list[dict[str, Any]] = []
    shortfalls: dict[tuple[date, int, str], ShortfallReport] = {}
    for offset in range(days):
        day = start + timedelta(days=offset)
        programs: dict[str, tuple[DayPlan, list[str]]] = {}
        for (sessions, reaching), stations in groups.items():
            eligible = [by_id[i].plan for i in reaching if by_id[i].plan.runs_on(day)]
            key = _audience_key(day, sessions, eligible)
            if key not in programs:
                programs[key] = (plan_day(day, sessions, eligible, overhead), [])
            programs[key][1].extend(s.code for s in stations)
        for key, (plan, codes) in sorted(programs.items()):
            codes.sort()
            rows.append(
                {
                    "day": day,
                    "audience": key,
                    "stations": codes,
                    "program": program_json(plan),
                    "shortfalls": [shortfall_json(s) for s in plan.shortfalls],
                    "created_at": now,
                }
            )
            summary.station_days += len(codes)
            summary.items += sum(len(s.items) for s in plan.sessions) * len(codes)
            for short in plan.shortfalls:
                report = shortfalls.setdefault(
                    (day, short.message_id, short.reason),
                    ShortfallReport(day, short.message_id, by_id[short.message_id].title, short.wanted, short.placed,
                                    short.reason),
                )  # fmt: skip
                report.stations.extend(codes)
        summary.audiences += len(programs)
    if rows:
        db.execute(insert(PlanDay), rows)
    summary.shortfalls = sorted(shortfalls.values(), key=lambda r: (r.day, r.message_id, r.reason))
    return summary


def shortfall_reports(plans: Iterable[PlanDay], titles: Mapping[int, str]) -> list[ShortfallReport]:
    """The stored plans' shortfalls, one report per day, message and reason with the stations it concerns."""
    reports: dict[tuple[date, int, str], ShortfallReport] = {}
    for plan in plans:
        for short in plan.shortfalls:
            key = (plan.day, short["message_id"], short["reason"])
            if key not in reports:
                title = titles.get(short["message_id"], "")
                reports[key] = ShortfallReport(plan.day, key[1], title, short["wanted"], short["placed"], key[2])
            reports[key].stations.extend(plan.stations)
    return sorted(reports.values(), key=lambda r: (r.day, r.message_id, r.reason))


def _audience_key(day: date, sessions: tuple[SessionClock, ...], eligible: list[PlanMessage]) -> str:
    material = "|".join(
        [day.isoformat(), *(c.describe() for c in sessions), *(f"{m.id}:{m.duration}:{m.per_day}" for m in eligible)]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def shortfall_json(shortfall: Shortfall) -> StoredShortfall:
    """A shortfall as stored in PlanDay.shortfalls."""
    return {
        "message_id": shortfall.message_id,
        "wanted": shortfall.wanted,
        "placed": shortfall.placed,
        "reason": shortfall.reason,
    }


def program_json(plan: DayPlan) -> Program:
    """The day's plan as stored in PlanDay.program."""
    return {
        "sessions": [
            {
                "name": s.name,
                "start": format_minute(s.start_minute),
                "end": format_minute(s.start_minute + s.minutes),
                "items": [{"message_id": i.message_id, "offset": i.offset, "duration": i.duration} for i in s.items],
            }
            for s in plan.sessions
        ]
    }
