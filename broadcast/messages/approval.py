"""Approving a message: it must be complete, reach active stations, and fit in a session it may go in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session as DbSession

from broadcast.config import Settings
from broadcast.db.models import Message
from broadcast.errors import MessageError
from broadcast.messages.store import find_message
from broadcast.planning.service import overhead_for
from broadcast.speech.estimate import estimate_seconds
from broadcast.speech.normalize import normalizer_for
from broadcast.text import nfc
from broadcast.units.book import StationBook, Target


def approve_message(db: DbSession, settings: Settings, message_id: int, by: str, now: datetime) -> Message:
    """Record who approved the message and when, after checking it can be planned."""
    approver = " ".join(nfc(by).split())
    if not approver:
        raise MessageError("say who approves: --by NAME")
    message = find_message(db, message_id)
    if message.status == "retired":
        raise MessageError(f"message {message_id} is retired; add a new message instead")
    if not message.for_broadcast:
        raise MessageError(
            f"message {message_id} is marked for offices only; run `broadcast message edit {message_id} "
            "--for-broadcast` first if listeners should hear it"
        )
    if not message.targets:
        raise MessageError(
            f"message {message_id} has no target; add one with `message edit {message_id} --target CODE`"
        )
    if message.starts_on is None or message.ends_on is None:
        raise MessageError(f"message {message_id} has no window; set it with `message edit {message_id} --from --to`")
    check_fits(db, settings, message)
    message.per_day = message.per_day or 1
    message.status = "approved"
    message.approved_by = approver
    message.approved_at = now
    message.rebuilt_at = None
    message.updated_at = now
    return message


def check_fits(db: DbSession, settings: Settings, message: Message) -> None:
    """Raise MessageError when the message reaches no active station or is longer than every session it may use."""
    normalizer = normalizer_for(settings.lexicon)
    duration = estimate_seconds(message.title, settings.engine, normalizer) + estimate_seconds(
        message.text, settings.engine, normalizer
    )
    targets = [Target(t.kind, t.unit_id if t.kind == "unit" else t.station_id) for t in message.targets]
    names = set(message.session_names.split(",")) if message.session_names else None
    stations = [s for s in StationBook.load(db).stations if s.active and any(t.reaches(s) for t in targets)]
    if not stations:
        raise MessageError(f"message {message.id}'s targets reach no active station; check its --target codes")
    sessions = {
        clock
        for station in stations
        for clock in station.sessions
        if (names is None or clock.name in names) and clock.weekdays & message.weekdays
    }
    if not sessions:
        wanted = f"named {', '.join(sorted(names))} " if names else ""
        raise MessageError(f"message {message.id} has no session {wanted}on its weekdays at the stations it reaches")
    overhead = overhead_for(settings)
    longest = max(sessions, key=lambda c: (c.minutes, c.name))
    free = longest.minutes * 60 - overhead.opening - overhead.closing - overhead.per_item
    if duration > free:
        raise MessageError(
            f"message {message.id} lasts about {_minutes(duration)}, longer than any session it could go in "
            f"(longest: {longest.name}, {longest.minutes} min, {_minutes(max(free, 0))} free after the bulletin's "
            "own parts); shorten the text or lengthen the session"
        )


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"
