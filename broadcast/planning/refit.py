"""Plans checked against real audio before they are published: what no longer fits a session, or cannot be read.

The planner fills sessions on estimated lengths (the speech is not rendered yet). Once it is, the build measures
every session's bulletin with the real lengths and keeps its items the way the planner chose them: in the planner's
order, each while it still fits, so the lowest-ranked items are the ones left out. Messages whose speech cannot be
made are left out too. Everything left out becomes a shortfall with its reason. Pure: data in, data out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from broadcast.db.models import Program, ProgramItem, ProgramSession, StoredShortfall
from broadcast.planning.bulletin import PAUSE

# Published starts and lengths are rounded to the millisecond: keep that much clear of a session's end.
MARGIN = 0.005
OVERRUN = "its real length ran past the end of the session"


@dataclass(frozen=True)
class SessionSeconds:
    """A session's real lengths in seconds: its opening (up to the first intro, pauses included), its closing (from
    the close to the end of the closing jingle), and per message its intro, its text and their two pauses."""

    opening: float
    closing: float
    items: Mapping[int, float]


@dataclass(frozen=True)
class Refit:
    program: Program
    shortfalls: list[StoredShortfall]
    changed: bool


def minute_of(text: str) -> int:
    """ "HH:MM" (24:00 for midnight at a session's end) as minutes since midnight."""
    hours, minutes = map(int, text.split(":"))
    return hours * 60 + minutes


def fit_session(session: ProgramSession, seconds: SessionSeconds, unreadable: Mapping[int, str]) -> ProgramSession:
    """The session with the items that fit its length with real durations, in the planner's order, offsets real."""
    capacity = (minute_of(session["end"]) - minute_of(session["start"])) * 60 - seconds.opening - seconds.closing
    used, kept = 0.0, []
    for item in session["items"]:
        message_id = item["message_id"]
        if message_id in unreadable:
            continue
        cost = seconds.items[message_id]
        if used + cost <= capacity - MARGIN:
            kept.append(ProgramItem(message_id=message_id, offset=round(seconds.opening + used, 3),
                                    duration=round(cost - 2 * PAUSE, 3)))  # fmt: skip
            used += cost
    return ProgramSession(name=session["name"], start=session["start"], end=session["end"], items=kept)


def refit_program(
    program: Program,
    shortfalls: Sequence[StoredShortfall],
    seconds: Sequence[SessionSeconds],
    unreadable: Mapping[int, str],
) -> Refit:
    """The day's program with every session fitted (seconds per session, in order), and its shortfalls with each
    item left out counted: a message short already keeps what it wanted and takes the new reason."""
    sessions = [fit_session(s, sec, unreadable) for s, sec in zip(program["sessions"], seconds, strict=True)]
    before = _placed(program["sessions"])
    after = _placed(sessions)
    lost = {message_id: count - after.get(message_id, 0) for message_id, count in before.items()}
    lost = {message_id: count for message_id, count in lost.items() if count > 0}
    if not lost:
        return Refit(program, list(shortfalls), changed=False)
    stored = {s["message_id"]: s for s in shortfalls}
    result = [s for s in shortfalls if s["message_id"] not in lost]
    for message_id in sorted(lost):
        old = stored.get(message_id)
        result.append(
            StoredShortfall(
                message_id=message_id,
                wanted=old["wanted"] if old else before[message_id],
                placed=after.get(message_id, 0),
                reason=unreadable.get(message_id, OVERRUN),
            )
        )
    result.sort(key=lambda s: s["message_id"])
    return Refit(Program(sessions=sessions), result, changed=True)


def _placed(sessions: Sequence[ProgramSession]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for session in sessions:
        for item in session["items"]:
            counts[item["message_id"]] = counts.get(item["message_id"], 0) + 1
    return counts
