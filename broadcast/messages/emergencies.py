"""Which approved emergency messages may still be heard: the one rule the station API and the status report share.

Thông tư 39/2020/TT-BTTTT: an emergency plays at once; one approved longer ago than EMERGENCY_HOURS has had its
chance and is no longer offered to stations (nor counted as unplayed).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from broadcast.db.models import Message
from broadcast.times import as_utc
from broadcast.vocabulary import MessageStatus, Priority

EMERGENCY_HOURS = 12  # an emergency approved longer ago than this has had its chance to be heard


def candidate_messages(db: DbSession, today: date, now: datetime, hours: float) -> list[Message]:
    """Approved emergency messages for broadcast whose window holds today, approved within the last hours."""
    since = now.astimezone(UTC) - timedelta(hours=hours)
    rows = db.scalars(
        select(Message)
        .options(selectinload(Message.targets))
        .where(
            Message.status == MessageStatus.APPROVED,
            Message.priority == Priority.EMERGENCY,
            Message.for_broadcast.is_(True),
            Message.approved_at.is_not(None),
            or_(Message.starts_on.is_(None), Message.starts_on <= today),
            or_(Message.ends_on.is_(None), Message.ends_on >= today),
        )
        .order_by(Message.approved_at, Message.id)
    )
    # Compared here as well as nowhere else: SQLite keeps instants as naive text, which is UTC in this project.
    return [m for m in rows if m.approved_at is not None and since <= as_utc(m.approved_at) <= now.astimezone(UTC)]
