"""Which messages an office account sees, and finding them by status, priority, unit, directive and words.

An account sees a message that reaches its area: one with a target inside its scope, or above it (its province,
"all"), and the drafts not yet given a target. It may change only those whose every target lies inside its scope
(units.scope.require_message).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from broadcast.audit import Actor
from broadcast.db.models import Message, MessageTarget, Station, Unit
from broadcast.errors import PermissionDenied
from broadcast.messages.store import find_message
from broadcast.text import fold
from broadcast.units.scope import Scope, require_message, scope_of
from broadcast.units.tree import ancestors, subtree_unit_ids

MAX_LISTED = 500


@dataclass(frozen=True)
class MessageFilter:
    """What to list; None leaves a field open. words match title and text, with or without diacritics."""

    status: str | None = None
    priority: str | None = None
    unit_id: int | None = None  # messages reaching this unit or a unit below it
    directive_id: int | None = None
    words: str | None = None


class Reach:
    """An actor's view of messages: its scope, and the units above it, whose messages reach it too."""

    def __init__(self, db: DbSession, actor: Actor) -> None:
        self.scope: Scope = scope_of(db, actor)
        above: set[int] = set()
        home: Unit | None = None
        if actor.station_id is not None:
            station = db.get(Station, actor.station_id)
            home = station.unit if station else None
        elif actor.unit_id is not None:
            home = db.get(Unit, actor.unit_id)
        if home is not None:
            above = {unit.id for unit in ancestors(home)}
        self.above = frozenset(above)

    def sees(self, message: Message) -> bool:
        if self.scope.everything or not message.targets:
            return True
        return any(self._touches(target) for target in message.targets)

    def _touches(self, target: MessageTarget) -> bool:
        if target.kind == "all":
            return True
        if target.kind == "unit":
            return self.scope.has_unit(target.unit_id) or target.unit_id in self.above
        return target.station is not None and self.scope.has_station(target.station)


def visible_message(db: DbSession, actor: Actor, message_id: int) -> Message:
    """The message, if it reaches the actor's area; NotFoundError or PermissionDenied otherwise."""
    message = find_message(db, message_id)
    if not Reach(db, actor).sees(message):
        raise PermissionDenied(f"{actor.name} may not see message {message_id}: it is for another area")
    return message


def may_change(db: DbSession, actor: Actor, message: Message) -> bool:
    """Whether every target of the message lies in the actor's scope (its role is checked apart)."""
    try:
        require_message(db, actor, message, "change this message")
    except PermissionDenied:
        return False
    return True


def find_messages(db: DbSession, actor: Actor, wanted: MessageFilter = MessageFilter()) -> list[Message]:
    """The messages the actor sees that match wanted, newest first, at most MAX_LISTED."""
    query = select(Message).options(selectinload(Message.targets)).order_by(Message.id.desc())
    if wanted.status:
        query = query.where(Message.status == wanted.status)
    if wanted.priority:
        query = query.where(Message.priority == wanted.priority)
    if wanted.directive_id is not None:
        query = query.where(Message.directive_id == wanted.directive_id)
    reach = Reach(db, actor)
    under: frozenset[int] | None = None
    if wanted.unit_id is not None:
        unit = db.get(Unit, wanted.unit_id)
        under = subtree_unit_ids(db, unit) if unit is not None else frozenset()
    words = fold(wanted.words or "").split()
    found = []
    for message in db.scalars(query):
        if not reach.sees(message):
            continue
        if under is not None and not _reaches_units(message, under):
            continue
        if words:
            folded = fold(f"{message.title} {message.text}")
            if not all(word in folded for word in words):
                continue
        found.append(message)
        if len(found) >= MAX_LISTED:
            break
    return found


def _reaches_units(message: Message, units: frozenset[int]) -> bool:
    for target in message.targets:
        if target.kind == "unit" and target.unit_id in units:
            return True
        if target.kind == "station" and target.station is not None and target.station.unit_id in units:
            return True
    return False
