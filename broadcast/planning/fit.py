"""Whether a message can be planned at all: it reaches an active station and fits a session it may go in."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from broadcast.config import Settings
from broadcast.db.models import Message
from broadcast.errors import MessageError
from broadcast.planning.inputs import estimated_seconds, message_targets, plan_message
from broadcast.planning.service import overhead_for
from broadcast.speech.normalize import normalizer_for
from broadcast.units.book import StationBook


def check_fits(db: DbSession, settings: Settings, message: Message) -> None:
    """Raise MessageError when the message reaches no active station or is longer than every session it may use.

    The message must have a window. Its length is the estimate (title and text), as the planner first sees it.
    """
    normalizer = normalizer_for(settings.lexicon)
    planned = plan_message(message, estimated_seconds(message, settings, normalizer), settings.timezone)
    targets = message_targets(message)
    stations = [s for s in StationBook.load(db).stations if s.active and any(t.reaches(s) for t in targets)]
    if not stations:
        raise MessageError(
            f"message {message.id}'s targets reach no active station; check its targets", field="targets"
        )
    names = planned.session_names
    sessions = {
        clock
        for station in stations
        for clock in station.sessions
        if (names is None or clock.name in names) and clock.weekdays & planned.weekdays
    }
    if not sessions:
        wanted = f"named {', '.join(sorted(names))} " if names else ""
        raise MessageError(f"message {message.id} has no session {wanted}on its weekdays at the stations it reaches")
    overhead = overhead_for(settings)
    longest = max(sessions, key=lambda c: (c.minutes, c.name))
    free = longest.minutes * 60 - overhead.opening - overhead.closing - overhead.per_item
    if planned.duration > free:
        raise MessageError(
            f"message {message.id} lasts about {_minutes(planned.duration)}, longer than any session it could go in "
            f"(longest: {longest.name}, {longest.minutes} min, {_minutes(max(free, 0))} free after the bulletin's "
            "own parts); shorten the text or lengthen the session"
        )


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"
