"""Writing messages: add, edit, approve, retire — each checked before anything is stored, and written to the audit
trail with who did it. An office account needs the editor's role to add or edit, the approver's to retire, and every
target of the message inside its scope; the CLI (actor None) is trusted."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session as DbSession

from broadcast import audit
from broadcast.audit import Actor
from broadcast.db.models import Message, MessageTarget, Station
from broadcast.errors import MessageError
from broadcast.messages.store import find_message, message_json
from broadcast.text import nfc
from broadcast.units.clock import ALL_DAYS
from broadcast.units.scope import require_message, require_role
from broadcast.units.tree import find_unit_or_station
from broadcast.validation import MAX_NAME, MAX_TEXT, MAX_TITLE, clean_text
from broadcast.vocabulary import MessageStatus, Priority, Role

MAX_PER_DAY = 24
# What an approver approved: changing any of these sends an approved message back to draft.
APPROVED_FIELDS = ("text", "targets", "from", "to", "priority", "per_day")


@dataclass
class MessageChanges:
    """What `message add` or `message edit` was given; None means "leave as it is"."""

    title: str | None = None
    text: str | None = None
    priority: str | None = None
    targets: list[str] | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    per_day: int | None = None
    session_names: list[str] | None = None
    weekdays: int | None = None
    for_broadcast: bool | None = None

    def empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


@dataclass(frozen=True)
class Revision:
    """An edited message, and whether the edit took back its approval."""

    message: Message
    returned_to_draft: bool


def add_message(db: DbSession, changes: MessageChanges, now: datetime, *, actor: Actor | None = None) -> Message:
    """A new draft message; title, text, at least one target and a window are required."""
    who = actor or Actor.cli()
    require_role(who, Role.EDITOR, "write messages")
    required = ("title", "text", "targets", "starts_on", "ends_on")
    missing = tuple(name for name in required if not getattr(changes, name))
    if missing:
        raise MessageError(f"a new message needs {', '.join('{' + name + '}' for name in missing)}", fields=missing)
    message = Message(
        status=MessageStatus.DRAFT,
        for_broadcast=True,
        priority=Priority.NORMAL,
        per_day=1,
        weekdays=ALL_DAYS,
        created_at=now,
    )
    _apply(db, message, changes, now)
    require_message(db, who, message, "send a message there")
    db.add(message)
    db.flush()
    after = snapshot(message)
    audit.record(
        db,
        who,
        "message.add",
        "message",
        message.id,
        f"thêm tin {message.id}: {message.title}",
        after=after,
        unit_id=first_unit_id(message),
        now=now,
    )
    return message


def edit_message(
    db: DbSession, message_id: int, changes: MessageChanges, now: datetime, *, actor: Actor | None = None
) -> Message:
    """Change what was given; see revise_message."""
    return revise_message(db, message_id, changes, now, actor=actor).message


def revise_message(
    db: DbSession, message_id: int, changes: MessageChanges, now: datetime, *, actor: Actor | None = None
) -> Revision:
    """Change what was given; changing what was approved (text, targets, window, priority, times a day) sends an
    approved message back to draft, and the revision says so."""
    who = actor or Actor.cli()
    require_role(who, Role.EDITOR, "edit messages")
    if changes.empty():
        raise MessageError(
            "nothing to change; give at least one thing to change, e.g. {title} or {ends_on}",
            fields=("title", "ends_on"),
        )
    message = find_message(db, message_id)
    if message.status == MessageStatus.RETIRED:
        raise MessageError(f"message {message_id} is retired; add a new message instead")
    require_message(db, who, message, "edit this message")
    before = snapshot(message)
    _apply(db, message, changes, now)
    require_message(db, who, message, "send a message there")
    after = snapshot(message)
    returned = before["status"] == MessageStatus.APPROVED and any(before[k] != after[k] for k in APPROVED_FIELDS)
    if returned:
        message.status = MessageStatus.DRAFT
        message.approved_by = message.approved_at = None
        after = snapshot(message)
    what = ", ".join(audit.changed(before, after)) or "không đổi gì"
    summary = f"sửa tin {message.id} ({what})" + ("; tin trở về biên tập" if returned else "")
    audit.record(
        db,
        who,
        "message.edit",
        "message",
        message.id,
        summary,
        before=before,
        after=after,
        unit_id=first_unit_id(message),
        now=now,
    )
    return Revision(message, returned)


def _apply(db: DbSession, message: Message, changes: MessageChanges, now: datetime) -> None:
    for change in fields(changes):
        value = getattr(changes, change.name)
        typed = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in typed):
            # PostgreSQL stores no NUL character; text pasted from a binary file is the usual source.
            raise MessageError(f"{{{change.name}}} holds a NUL character; type it again", field=change.name)
    if changes.title is not None:
        title = _required(changes.title, "title")
        message.title = clean_text(title, "title", MessageError, limit=MAX_TITLE, spoken=True)
    if changes.text is not None:
        text = _required(changes.text, "text")
        message.text = clean_text(text, "text", MessageError, limit=MAX_TEXT, lines=True, spoken=True)
    if changes.priority is not None:
        if changes.priority not in set(Priority):
            raise MessageError(f"unknown priority {changes.priority!r}; use {', '.join(Priority)}", field="priority")
        message.priority = Priority(changes.priority)
    if changes.starts_on is not None:
        message.starts_on = changes.starts_on
    if changes.ends_on is not None:
        message.ends_on = changes.ends_on
    if message.starts_on and message.ends_on and message.ends_on < message.starts_on:
        raise MessageError(
            f"the window ends ({message.ends_on}) before it starts ({message.starts_on}); check {{starts_on}} and "
            "{ends_on}",
            fields=("ends_on", "starts_on"),
        )
    if changes.per_day is not None:
        if not 1 <= changes.per_day <= MAX_PER_DAY:
            raise MessageError(
                f"{{per_day}} must be between 1 and {MAX_PER_DAY}, not {changes.per_day}", field="per_day"
            )
        message.per_day = changes.per_day
    if changes.session_names is not None:
        typed = [name for name in changes.session_names if name.strip()]
        names = [clean_text(name, "session_names", MessageError, limit=MAX_NAME) for name in typed]
        message.session_names = ",".join(dict.fromkeys(names)) or None
    if changes.weekdays is not None:
        message.weekdays = changes.weekdays
    if changes.for_broadcast is not None:
        message.for_broadcast = changes.for_broadcast
    if changes.targets is not None:
        message.targets = [_target(db, ref) for ref in dict.fromkeys(changes.targets)]
    message.updated_at = now


def _required(value: str, what: str) -> str:
    cleaned = nfc(value).strip()
    if not cleaned:
        raise MessageError(f"a message's {what} cannot be empty", field=what)
    return cleaned


def _target(db: DbSession, ref: str) -> MessageTarget:
    if ref.strip().lower() == "all":
        return MessageTarget(kind="all")
    owner = find_unit_or_station(db, ref)
    if isinstance(owner, Station):
        return MessageTarget(kind="station", station_id=owner.id, station=owner)
    return MessageTarget(kind="unit", unit_id=owner.id, unit=owner)


def retire_message(db: DbSession, message_id: int, now: datetime, *, actor: Actor | None = None) -> Message:
    """Stop planning a message; it stays on record."""
    who = actor or Actor.cli()
    require_role(who, Role.APPROVER, "retire messages")
    message = find_message(db, message_id)
    require_message(db, who, message, "retire this message")
    before = snapshot(message)
    message.status = MessageStatus.RETIRED
    message.updated_at = now
    audit.record(
        db,
        who,
        "message.retire",
        "message",
        message.id,
        f"dừng phát tin {message.id}: {message.title}",
        before=before,
        after=snapshot(message),
        unit_id=first_unit_id(message),
        now=now,
    )
    return message


def snapshot(message: Message) -> dict[str, Any]:
    """A message as the audit trail keeps it before and after a change."""
    return message_json(message)


def first_unit_id(message: Message) -> int | None:
    """The unit a message concerns, for the trail's scope filter: its first unit target's (or station's unit)."""
    for target in message.targets:
        if target.unit_id is not None:
            return target.unit_id
        if target.station is not None:
            return target.station.unit_id
    return None
