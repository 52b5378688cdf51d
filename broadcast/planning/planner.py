"""The rotation planner: one audience's sessions for one day, filled with messages. Pure: data in, data out.

Each session opens (station call, jingle, greeting) and closes (close, jingle); between them messages go in by
priority (emergency, priority, normal), then by how far each is behind its times-per-day, with the leader rotated
from day to day and session to session so the same message does not always come first. A message plays at most
once per session, and its repeats are spread over the day's sessions. Whatever does not fit is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from broadcast.units.clock import SessionClock
from broadcast.vocabulary import Priority


@dataclass(frozen=True)
class PlanMessage:
    """An approved message as the planner sees it."""

    id: int
    priority: Priority
    per_day: int
    duration: float  # seconds: rendered, else estimated
    starts_on: date
    ends_on: date
    weekdays: int = 0b1111111
    session_names: frozenset[str] | None = None  # None: any session
    approved_day: date | None = None  # local day and minute of approval: earlier sessions that day are gone
    approved_minute: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "priority", Priority(self.priority))  # "emergency" as read from JSON, say

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on and bool(self.weekdays & (1 << day.weekday()))

    def may_use(self, session: SessionClock, day: date) -> bool:
        """Whether the message may go in this session on this day (its name allowed, not already past)."""
        if self.session_names is not None and session.name not in self.session_names:
            return False
        return day != self.approved_day or session.start_minute >= self.approved_minute


@dataclass(frozen=True)
class Overhead:
    """Seconds a session spends on its own parts, and before each message (intro and pause)."""

    opening: float
    closing: float
    per_item: float


@dataclass(frozen=True)
class PlannedItem:
    message_id: int
    offset: float  # seconds from the session's start to this item's intro
    duration: float  # the message itself, without its intro


@dataclass(frozen=True)
class PlannedSession:
    name: str
    start_minute: int
    minutes: int
    items: tuple[PlannedItem, ...]


@dataclass(frozen=True)
class Shortfall:
    message_id: int
    wanted: int
    placed: int
    reason: str


@dataclass(frozen=True)
class DayPlan:
    day: date
    sessions: tuple[PlannedSession, ...]
    shortfalls: tuple[Shortfall, ...]


def plan_day(
    day: date,
    sessions: Sequence[SessionClock],
    messages: Sequence[PlanMessage],
    overhead: Overhead,
    from_minute: int = 0,
) -> DayPlan:
    """Fill the day's sessions that start at or after from_minute; the same inputs always give the same plan."""
    bit = 1 << day.weekday()
    today = sorted(
        (s for s in sessions if s.weekdays & bit and s.start_minute >= from_minute),
        key=lambda s: (s.start_minute, s.name),
    )
    eligible = sorted((m for m in messages if m.runs_on(day)), key=lambda m: m.id)
    slots = {m.id: [s.name for s in today if m.may_use(s, day)] for m in eligible}
    placed = dict.fromkeys(slots, 0)
    rotation = {m.id: index for index, m in enumerate(eligible)}
    # Messages whose repeats do not divide evenly over their sessions take turns at the extra play.
    uneven = [m.id for m in eligible if slots[m.id] and m.per_day % len(slots[m.id])]
    spread = {message_id: index for index, message_id in enumerate(uneven)}

    planned = []
    for session_index, session in enumerate(today):
        capacity = session.minutes * 60 - overhead.opening - overhead.closing
        turn = day.toordinal() + session_index

        def behind(m: PlanMessage, session_name: str = session.name) -> int:
            """How many plays the message owes by the end of this session, spread evenly over its sessions."""
            if m.priority == Priority.EMERGENCY:
                return 1
            mine = slots[m.id]
            shift = (spread.get(m.id, 0) + day.toordinal()) % len(mine)  # which sessions get the odd repeats
            return (m.per_day * (mine.index(session_name) + 1) + shift) // len(mine) - placed[m.id]

        due = {m.id: behind(m) for m in eligible if session.name in slots[m.id]}
        candidates = [m for m in eligible if due.get(m.id, 0) > 0 and _wants_more(m, placed[m.id])]
        candidates.sort(key=lambda m: (m.priority.rank, -due[m.id], (rotation[m.id] - turn) % len(eligible), m.id))
        used, items = 0.0, []
        for message in candidates:
            cost = overhead.per_item + message.duration
            if used + cost <= capacity:
                items.append(PlannedItem(message.id, round(overhead.opening + used, 3), message.duration))
                used += cost
                placed[message.id] += 1
        planned.append(PlannedSession(session.name, session.start_minute, session.minutes, tuple(items)))

    shortfalls = []
    for message in eligible:
        wanted = len(slots[message.id]) if message.priority == Priority.EMERGENCY else message.per_day
        if placed[message.id] < wanted:
            reason = _why(message, slots[message.id], today, day, overhead)
            shortfalls.append(Shortfall(message.id, wanted, placed[message.id], reason))
    return DayPlan(day, tuple(planned), tuple(shortfalls))


def _wants_more(message: PlanMessage, placed: int) -> bool:
    # Emergency messages go into every remaining session; the rest stop at their times per day.
    return message.priority == Priority.EMERGENCY or placed < message.per_day


def _why(message: PlanMessage, slots: list[str], today: list[SessionClock], day: date, overhead: Overhead) -> str:
    if not slots:
        named = [s for s in today if message.session_names is None or s.name in message.session_names]
        if named and day == message.approved_day:
            return "approved after this day's sessions had begun"
        return "no session it may go in on this day"
    longest = max(s.minutes * 60 for s in today if s.name in slots) - overhead.opening - overhead.closing
    if message.duration + overhead.per_item > longest:
        return f"longer ({message.duration:.0f} s) than any session it may go in ({max(longest, 0):.0f} s free)"
    if message.priority != Priority.EMERGENCY and message.per_day > len(slots):
        return f"asks for {message.per_day} a day but only {len(slots)} sessions run"
    return "sessions full"
