"""From stored messages to the planner: the one translation of a message row and its targets into planner input.

Planning, approval (does it fit?) and emergencies (which stations does it reach?) all see a message through these
functions, so a message means the same thing to each of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from broadcast.config import Settings
from broadcast.db.models import Message, Segment
from broadcast.planning.planner import PlanMessage
from broadcast.speech.estimate import estimate_seconds
from broadcast.speech.normalize import Normalizer, normalizer_for
from broadcast.times import local_time
from broadcast.units.book import Target
from broadcast.vocabulary import MessageStatus


@dataclass(frozen=True)
class PlannedMessage:
    """An approved message with what the planner needs and where it goes."""

    plan: PlanMessage
    title: str
    targets: tuple[Target, ...]


def message_targets(message: Message) -> tuple[Target, ...]:
    """The message's targets as plain data: everything, a unit's subtree, or one station."""
    return tuple(Target(t.kind, t.unit_id if t.kind == "unit" else t.station_id) for t in message.targets)


def estimated_seconds(message: Message, settings: Settings, normalizer: Normalizer, body: float | None = None) -> float:
    """Seconds the message takes to read, its title included: body when its speech is rendered, else estimated."""
    body_seconds = body or estimate_seconds(message.text, settings.engine, normalizer)
    return round(body_seconds + estimate_seconds(message.title, settings.engine, normalizer), 1)


def plan_message(message: Message, duration: float, zone: str) -> PlanMessage:
    """The message as the planner sees it. Its window must be set (approval requires one): ValueError otherwise."""
    if message.starts_on is None or message.ends_on is None:
        raise ValueError(f"message {message.id} has no window")
    approved = local_time(message.approved_at, zone) if message.approved_at else None
    return PlanMessage(
        id=message.id,
        priority=message.priority,
        per_day=message.per_day or 1,
        duration=duration,
        starts_on=message.starts_on,
        ends_on=message.ends_on,
        weekdays=message.weekdays,
        session_names=frozenset(message.session_names.split(",")) if message.session_names else None,
        approved_day=approved.date() if approved else None,
        approved_minute=approved.hour * 60 + approved.minute if approved else 0,
    )


def rendered_seconds(db: DbSession, spoken: set[str]) -> Mapping[str, float]:
    """Durations of spoken texts already rendered, by any engine: the longest one, to be safe."""
    if not spoken:
        return {}
    longest = select(Segment.text, func.max(Segment.duration)).where(Segment.text.in_(spoken)).group_by(Segment.text)
    return {text: duration for text, duration in db.execute(longest)}


def load_messages(db: DbSession, settings: Settings, start: date, end: date) -> list[PlannedMessage]:
    """Approved messages for broadcast whose window meets [start, end], with durations (rendered, else estimated)."""
    rows = list(
        db.scalars(
            select(Message)
            .where(Message.status == MessageStatus.APPROVED, Message.for_broadcast.is_(True))
            .where(Message.starts_on <= end, Message.ends_on >= start)
            .options(selectinload(Message.targets))
            .order_by(Message.id)
        )
    )
    normalizer = normalizer_for(settings.lexicon)
    spoken = {m.id: normalizer.normalize(m.text) for m in rows}
    rendered = rendered_seconds(db, set(spoken.values()))
    return [
        PlannedMessage(
            plan_message(m, estimated_seconds(m, settings, normalizer, rendered.get(spoken[m.id])), settings.timezone),
            m.title,
            message_targets(m),
        )
        for m in rows
    ]
