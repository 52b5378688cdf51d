"""Plan a date range: approved messages into every active station's sessions, computed once per audience.

Stations that use the same sessions and are reached by the same messages form an audience; on each day the
audience's program is planned once and stored once, with its stations listed. Only the station call differs.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from broadcast.audio.templates import find_folder, load_templates
from broadcast.config import Settings
from broadcast.db.models import Message, PlanDay, Segment
from broadcast.errors import MessageError
from broadcast.messages.store import local_time
from broadcast.planning.overhead import bulletin_overhead
from broadcast.planning.planner import DayPlan, Overhead, PlanMessage, plan_day
from broadcast.speech.estimate import estimate_seconds
from broadcast.speech.normalize import normalizer_for
from broadcast.units.book import StationBook, StationEntry, Target
from broadcast.units.clock import SessionClock, format_minute

MAX_DAYS = 366


@dataclass(frozen=True)
class PlannedMessage:
    """An approved message with what the planner needs and where it goes."""

    plan: PlanMessage
    title: str
    targets: tuple[Target, ...]


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


def load_messages(db: DbSession, settings: Settings, start: date, end: date) -> list[PlannedMessage]:
    """Approved messages for broadcast whose window meets [start, end], with durations."""
    rows = list(
        db.scalars(
            select(Message)
            .where(Message.status == "approved", Message.for_broadcast.is_(True))
            .where(Message.starts_on <= end, Message.ends_on >= start)
            .options(selectinload(Message.targets))
            .order_by(Message.id)
        )
    )
    normalizer = normalizer_for(settings.lexicon)
    spoken = {m.id: normalizer.normalize(m.text) for m in rows}
    rendered: dict[str, float] = {}
    if rows:  # durations of texts already rendered, by any engine: the longest one, to be safe
        longest = select(Segment.text, func.max(Segment.duration)).where(Segment.text.in_(set(spoken.values())))
        rendered = {text: duration for text, duration in db.execute(longest.group_by(Segment.text))}
    out = []
    for message in rows:
        body = rendered.get(spoken[message.id]) or estimate_seconds(message.text, settings.engine, normalizer)
        title = estimate_seconds(message.title, settings.engine, normalizer)
        names = frozenset(message.session_names.split(",")) if message.session_names else None
        assert message.starts_on is not None and message.ends_on is not None  # approval requires a window
        approved = local_time(message.approved_at, settings.timezone) if message.approved_at else None
        plan = PlanMessage(
            message.id, message.priority, message.per_day or 1, round(body + title, 1),
            message.starts_on, message.ends_on, message.weekdays, names,
            approved.date() if approved else None, approved.hour * 60 + approved.minute if approved else 0,
        )  # fmt: skip
        targets = tuple(Target(t.kind, t.unit_id if t.kind == "unit" else t.station_id) for t in message.targets)
        out.append(PlannedMessage(plan, message.title, targets))
    return out


def overhead_for(settings: Settings) -> Overhead:
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


def plan_range(db: DbSession, settings: Settings, start: date, days: int, now: datetime) -> PlanSummary:
    """Plan days [start, start + days) for every active station and store the programs, replacing old ones."""
    if not 1 <= days <= MAX_DAYS:
        raise MessageError(f"--days must be between 1 and {MAX_DAYS}, not {days}")
    end = start + timedelta(days=days - 1)
    messages = load_messages(db, settings, start, end)
    if not messages:
        raise MessageError(f"nothing to plan from {start} to {end}: no approved message runs then; approve one first")
    by_id = {m.plan.id: m for m in messages}
    book = StationBook.load(db)
    groups = audiences(book, messages)
    if not groups:
        raise MessageError("nothing to plan: no active station has sessions; set some with `broadcast sessions set`")
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
                    "shortfalls": [vars(s) for s in plan.shortfalls],
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


def _audience_key(day: date, sessions: tuple[SessionClock, ...], eligible: list[PlanMessage]) -> str:
    material = "|".join(
        [day.isoformat(), *(c.describe() for c in sessions), *(f"{m.id}:{m.duration}:{m.per_day}" for m in eligible)]
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def program_json(plan: DayPlan) -> dict[str, Any]:
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
