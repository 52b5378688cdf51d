"""Finding, listing and editing stored messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import Message
from broadcast.errors import MessageError, NotFoundError
from broadcast.text import nfc


def find_message(db: DbSession, message_id: int) -> Message:
    message = db.get(Message, message_id)
    if message is None:
        raise NotFoundError(f"no message with id {message_id}; see `broadcast message list`")
    return message


def list_messages(db: DbSession, directive_id: int | None = None) -> list[Message]:
    query = select(Message).order_by(Message.id)
    if directive_id is not None:
        query = query.where(Message.directive_id == directive_id)
    return list(db.scalars(query))


def edit_message(
    db: DbSession,
    message_id: int,
    now: datetime,
    *,
    title: str | None = None,
    text: str | None = None,
    for_broadcast: bool | None = None,
) -> Message:
    """Change what was given; a changed text sends an approved message back to draft."""
    message = find_message(db, message_id)
    if title is not None:
        message.title = _required(title, "title")
    if text is not None:
        new_text = _required(text, "text")
        if new_text != message.text and message.status == "approved":
            message.status = "draft"
        message.text = new_text
    if for_broadcast is not None:
        message.for_broadcast = for_broadcast
    message.updated_at = now
    return message


def _required(value: str, what: str) -> str:
    cleaned = nfc(value).strip()
    if not cleaned:
        raise MessageError(f"a message's {what} cannot be empty")
    return cleaned


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
        "text": message.text,
    }
