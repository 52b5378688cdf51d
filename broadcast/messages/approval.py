"""Approving a message: it must be complete, reach active stations, and fit in a session it may go in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from broadcast.config import Settings
from broadcast.db.models import Message
from broadcast.errors import MessageError
from broadcast.messages.store import find_message
from broadcast.planning.fit import check_fits
from broadcast.text import nfc
from broadcast.vocabulary import MessageStatus


def approve_message(db: DbSession, settings: Settings, message_id: int, by: str, now: datetime) -> Message:
    """Record who approved the message and when, after checking it can be planned."""
    approver = " ".join(nfc(by).split())
    if not approver:
        raise MessageError("say {approved_by}", field="approved_by")
    message = find_message(db, message_id)
    if message.status == MessageStatus.RETIRED:
        raise MessageError(f"message {message_id} is retired; add a new message instead")
    if not message.for_broadcast:
        raise MessageError(
            f"message {message_id} is marked for offices only; mark it for broadcast first if listeners should hear it"
        )
    if not message.targets:
        raise MessageError(f"message {message_id} has no target; give it at least one first")
    if message.starts_on is None or message.ends_on is None:
        raise MessageError(f"message {message_id} has no window; give it a first and a last day first")
    check_fits(db, settings, message)
    message.per_day = message.per_day or 1
    message.status = MessageStatus.APPROVED
    message.approved_by = approver
    message.approved_at = now
    message.rebuilt_at = None
    message.updated_at = now
    return message
