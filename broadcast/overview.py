"""What an office sees first: messages awaiting approval in its scope, today's sessions, emergencies on air, and
stations that have gone quiet. One read of the database, for the office web app's first page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from broadcast.audit import Actor
from broadcast.db.models import Message, PlanDay, PlayLog, Station
from broadcast.times import local_time
from broadcast.units.scope import Scope, scope_of
from broadcast.vocabulary import MessageStatus, Priority

QUIET_AFTER = timedelta(hours=24)  # a station that reported nothing for this long is listed as quiet
SHOWN = 10


@dataclass
class Overview:
    awaiting: list[Message] = field(default_factory=list)  # drafts for broadcast in scope, newest first
    awaiting_count: int = 0
    emergencies: list[Message] = field(default_factory=list)  # approved emergencies whose window holds today
    stations: int = 0  # active stations in scope
    sessions_today: int = 0  # station-sessions planned today in scope
    quiet: list[Station] = field(default_factory=list)  # active stations with no as-run report lately
    quiet_count: int = 0


def _in_scope(scope: Scope, message: Message) -> bool:
    # A draft with no target yet belongs to no office but the whole country's.
    return scope.everything or (bool(message.targets) and scope.holds(message))


def office_overview(db: DbSession, actor: Actor, now: datetime, zone: str) -> Overview:
    """The overview for actor's scope at now (UTC); today is the day in zone."""
    scope = scope_of(db, actor)
    today = local_time(now, zone).date()
    out = Overview()
    drafts = db.scalars(
        select(Message)
        .where(Message.status == MessageStatus.DRAFT, Message.for_broadcast.is_(True))
        .options(selectinload(Message.targets))
        .order_by(Message.updated_at.desc(), Message.id.desc())
    )
    mine = [m for m in drafts if _in_scope(scope, m)]
    out.awaiting, out.awaiting_count = mine[:SHOWN], len(mine)
    emergencies = db.scalars(
        select(Message)
        .where(Message.status == MessageStatus.APPROVED, Message.priority == Priority.EMERGENCY)
        .where(Message.starts_on <= today, Message.ends_on >= today)
        .options(selectinload(Message.targets))
        .order_by(Message.approved_at.desc())
    )
    out.emergencies = [m for m in emergencies if _in_scope(scope, m)][:SHOWN]
    stations = [s for s in db.scalars(select(Station).where(Station.active.is_(True))) if scope.has_station(s)]
    out.stations = len(stations)
    codes = {s.code for s in stations}
    for plan in db.scalars(select(PlanDay).where(PlanDay.day == today)):
        sessions = len(plan.program["sessions"])
        out.sessions_today += sessions * sum(1 for code in plan.stations if code in codes)
    last_report = dict(
        db.execute(select(PlayLog.station_id, func.max(PlayLog.received_at)).group_by(PlayLog.station_id)).all()
    )
    quiet = [
        s for s in stations if (seen := last_report.get(s.id)) is None or now - local_time(seen, "UTC") > QUIET_AFTER
    ]
    out.quiet, out.quiet_count = quiet[:SHOWN], len(quiet)
    return out
