"""Finding, listing and editing stored messages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.config import TIMEZONE
from broadcast.db import storable_id
from broadcast.db.models import Message
from broadcast.errors import NotFoundError
from broadcast.times import local_iso
from broadcast.units.clock import format_weekdays


def find_message(db: DbSession, message_id: int) -> Message:
    message = db.get(Message, message_id) if storable_id(message_id) else None
    if message is None:
        raise NotFoundError(f"no message with id {message_id}; see `broadcast message list`")
    return message


def list_messages(db: DbSession, directive_id: int | None = None) -> list[Message]:
    query = select(Message).order_by(Message.id)
    if directive_id is not None:
        query = query.where(Message.directive_id == directive_id)
    return list(db.scalars(query))


def message_json(message: Message) -> dict[str, Any]:
    """A message as `message list --json` and `message show --json` print it."""
    return {
        "id": message.id,
        "title": message.title,
        "status": message.status,
        "for_broadcast": message.for_broadcast,
        "directive_id": message.directive_id,
        "section": message.section_label,
        "priority": message.priority,
        "from": message.starts_on.isoformat() if message.starts_on else None,
        "to": message.ends_on.isoformat() if message.ends_on else None,
        "per_day": message.per_day,
        "sessions": message.session_names.split(",") if message.session_names else None,
        "weekdays": format_weekdays(message.weekdays),
        "targets": describe_targets(message),
        "approved_by": message.approved_by,
        "approved_at": local_iso(message.approved_at, TIMEZONE) if message.approved_at else None,
        "text": message.text,
    }


def describe_targets(message: Message) -> list[str]:
    """Targets as people type them: all, a unit's scheme:code, or a station code."""
    out = []
    for target in message.targets:
        if target.kind == "all":
            out.append("all")
        elif target.unit is not None:
            out.append(target.unit.ref)
        elif target.station is not None:
            out.append(target.station.code)
    return out
