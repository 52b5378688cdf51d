"""Approving a message: it must be complete, reach active stations, and fit in a session it may go in.

An office account approves in its own name (its full name is recorded, not a typed one) and needs the approver's
role and every target in its scope; the CLI gives the approver's name.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from broadcast import audit
from broadcast.audit import Actor
from broadcast.config import Settings
from broadcast.db.models import Message
from broadcast.errors import AlreadyApproved, MessageError
from broadcast.messages.editing import first_unit_id, snapshot
from broadcast.messages.store import find_message
from broadcast.planning.fit import check_fits
from broadcast.text import nfc
from broadcast.times import local_time
from broadcast.units.scope import require_message, require_role
from broadcast.validation import MAX_NAME, MAX_TEXT, MAX_TITLE, clean_text
from broadcast.vocabulary import MessageStatus, Role


def approve_message(
    db: DbSession, settings: Settings, message_id: int, by: str, now: datetime, *, actor: Actor | None = None
) -> Message:
    """Record who approved the message and when, after checking it can be planned.

    With an office account (actor with a role) the approver is that account's full name and by is ignored.
    Approving an approved message changes nothing: MessageError says who approved it and when.
    """
    who = actor or Actor.cli(by)
    require_role(who, Role.APPROVER, "approve messages")
    approver = " ".join(nfc(who.person if who.role is not None else by).split())
    if not approver:
        raise MessageError("say {approved_by}", field="approved_by")
    approver = clean_text(approver, "approved_by", MessageError, limit=MAX_NAME)
    message = find_message(db, message_id)
    require_message(db, who, message, "approve this message")
    if message.status == MessageStatus.APPROVED:
        at = (
            local_time(message.approved_at, settings.timezone).strftime("%d/%m/%Y %H:%M")
            if message.approved_at
            else "?"
        )
        raise AlreadyApproved(
            f"message {message_id} is already approved by {message.approved_by} at {at}; nothing changed"
        )
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
    before = snapshot(message)
    # Drafts from directives and messages stored before these checks existed meet them here, before stations do.
    message.title = clean_text(message.title, "title", MessageError, limit=MAX_TITLE, spoken=True)
    message.text = clean_text(message.text, "text", MessageError, limit=MAX_TEXT, lines=True, spoken=True)
    check_fits(db, settings, message)
    message.per_day = message.per_day or 1
    message.status = MessageStatus.APPROVED
    message.approved_by = approver
    message.approved_at = now
    message.rebuilt_at = None
    message.updated_at = now
    audit.record(
        db,
        who,
        "message.approve",
        "message",
        message.id,
        f"duyệt tin {message.id}: {message.title}",
        before=before,
        after=snapshot(message),
        unit_id=first_unit_id(message),
        now=now,
    )
    return message
