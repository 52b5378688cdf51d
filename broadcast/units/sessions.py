"""Session clocks stored on units and stations, and which ones a station actually uses.

A station uses its own sessions; a station with none uses those of its unit, else of the nearest ancestor unit
that has any. Sessions are never merged across levels: the nearest level with sessions wins whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session as DbSession

from broadcast import audit
from broadcast.audit import Actor
from broadcast.db.models import Session, Station, Unit
from broadcast.errors import SessionError
from broadcast.units.clock import SessionClock, check_no_overlap, nearest_with_sessions
from broadcast.units.scope import require_admin_of
from broadcast.units.tree import ancestors, find_unit_or_station


@dataclass(frozen=True)
class EffectiveSessions:
    """The sessions a station uses and the unit or station they come from."""

    station: Station
    source: Unit | Station
    clocks: list[SessionClock]

    @property
    def inherited(self) -> bool:
        return self.source is not self.station


def _owner_filter(owner: Unit | Station) -> ColumnElement[bool]:
    return Session.station_id == owner.id if isinstance(owner, Station) else Session.unit_id == owner.id


def own_sessions(db: DbSession, owner: Unit | Station) -> list[SessionClock]:
    """The sessions defined directly on a unit or station, by start time."""
    rows = db.scalars(select(Session).where(_owner_filter(owner)))
    clocks = [SessionClock(s.name, s.start, s.minutes, s.weekdays) for s in rows]
    return sorted(clocks, key=lambda c: (c.start_minute, c.name))


def _chain(owner: Unit | Station) -> list[Unit | Station]:
    """The owner, then every unit above it, nearest first."""
    if isinstance(owner, Station):
        return [owner, *ancestors(owner.unit)]
    return list(ancestors(owner))


def _nearest_with_sessions(
    db: DbSession, chain: list[Unit | Station]
) -> tuple[Unit | Station, list[SessionClock]] | None:
    return nearest_with_sessions(chain, lambda owner: own_sessions(db, owner))


def effective_sessions(db: DbSession, station: Station) -> EffectiveSessions:
    """The sessions the station uses: its own, else those of the nearest unit above it that has any."""
    found = _nearest_with_sessions(db, _chain(station))
    return EffectiveSessions(station, *found) if found else EffectiveSessions(station, station, [])


def unit_sessions(db: DbSession, unit: Unit) -> tuple[Unit, list[SessionClock]] | None:
    """The sessions the stations of a unit use unless they have their own: the unit's, else the nearest above."""
    found = _nearest_with_sessions(db, _chain(unit))
    return (found[0], found[1]) if found and isinstance(found[0], Unit) else None


@dataclass(frozen=True)
class SessionEffect:
    """What setting a session would do, told before saving: the owner, whether a session of that name is replaced,
    and the unit whose sessions the owner stops using (the nearest level with sessions wins whole)."""

    owner: Unit | Station
    replaces_own: bool
    inheriting_from: Unit | None  # the owner has no sessions yet and uses this unit's until now
    inherited: list[SessionClock]  # the sessions it stops using


def session_effect(db: DbSession, ref: str, clock: SessionClock, *, actor: Actor | None = None) -> SessionEffect:
    """What set_session(db, ref, clock) would do, without changing anything; SessionError for an overlap,
    PermissionDenied for an office actor who may not change the owner's sessions."""
    owner = find_unit_or_station(db, ref)
    require_admin_of(db, actor, owner, f"change the sessions of {label(owner)}")
    current = own_sessions(db, owner)
    check_no_overlap([*(c for c in current if c.name != clock.name), clock], label(owner))
    if current:
        return SessionEffect(owner, any(c.name == clock.name for c in current), None, [])
    found = _nearest_with_sessions(db, _chain(owner)[1:])
    if found and isinstance(found[0], Unit):
        return SessionEffect(owner, False, found[0], found[1])
    return SessionEffect(owner, False, None, [])


@dataclass(frozen=True)
class SetResult:
    owner: Unit | Station
    replaced: bool
    clocks: list[SessionClock]
    was_inheriting_from: Unit | None  # set when the owner had no sessions and used this unit's until now


def set_session(db: DbSession, ref: str, clock: SessionClock, *, actor: Actor | None = None) -> SetResult:
    """Add a session to a unit or station, or replace the one with the same name; refuse overlaps.

    An office actor must be an admin whose scope holds the owner (PermissionDenied otherwise)."""
    owner = find_unit_or_station(db, ref)
    require_admin_of(db, actor, owner, f"change the sessions of {label(owner)}")
    effect = session_effect(db, ref, clock, actor=actor)
    current = own_sessions(db, owner)
    others = [c for c in current if c.name != clock.name]
    db.execute(delete(Session).where(_owner_filter(owner), Session.name == clock.name))
    db.add(
        Session(
            unit_id=None if isinstance(owner, Station) else owner.id,
            station_id=owner.id if isinstance(owner, Station) else None,
            name=clock.name,
            start=clock.start,
            minutes=clock.minutes,
            weekdays=clock.weekdays,
        )
    )
    clocks = sorted([*others, clock], key=lambda c: (c.start_minute, c.name))
    audit.record(
        db, actor, "session.set", "session", owner_ref(owner), f"đặt buổi phát {clock.describe()} cho {label(owner)}",
        before=_sessions_snapshot(current or effect.inherited, effect.inheriting_from),
        after=_sessions_snapshot(clocks, None), unit_id=unit_id_of(owner),
    )  # fmt: skip
    return SetResult(owner, effect.replaces_own, clocks, effect.inheriting_from)


def clear_sessions(
    db: DbSession, ref: str, name: str | None = None, *, actor: Actor | None = None
) -> tuple[Unit | Station, int]:
    """Remove one named session, or all, from a unit or station; return how many went."""
    owner = find_unit_or_station(db, ref)
    require_admin_of(db, actor, owner, f"change the sessions of {label(owner)}")
    current = own_sessions(db, owner)
    query = delete(Session).where(_owner_filter(owner))
    if name is not None:
        query = query.where(Session.name == name)
    removed = db.execute(query).rowcount  # type: ignore[attr-defined]
    if not removed:
        what = f"no session named {name!r}" if name is not None else "no sessions of its own"
        raise SessionError(f"{label(owner)} has {what}; see where its sessions come from")
    left = [c for c in current if name is not None and c.name != name]
    what = f"buổi {name}" if name is not None else "mọi buổi phát riêng"
    audit.record(
        db, actor, "session.clear", "session", owner_ref(owner), f"xoá {what} của {label(owner)}",
        before=_sessions_snapshot(current, None), after=_sessions_snapshot(left, None), unit_id=unit_id_of(owner),
    )  # fmt: skip
    return owner, int(removed)


def _sessions_snapshot(clocks: list[SessionClock], inherited_from: Unit | None) -> dict[str, object]:
    snapshot: dict[str, object] = {"sessions": "; ".join(c.describe() for c in clocks) or "—"}
    if inherited_from is not None:
        snapshot["inherited_from"] = label(inherited_from)
    return snapshot


def owner_ref(owner: Unit | Station) -> str:
    """The code people type for an owner: a station's code or a unit's scheme-qualified ref."""
    return owner.code if isinstance(owner, Station) else owner.ref


def unit_id_of(owner: Unit | Station) -> int:
    """The unit an owner's changes concern, for the audit trail's scope filter."""
    return owner.unit_id if isinstance(owner, Station) else owner.id


def label(owner: Unit | Station) -> str:
    """How an owner is named in messages: "Tỉnh Lạng Sơn (legacy:20)" or "Đài … (legacy-06253)"."""
    if isinstance(owner, Station):
        return f"{owner.name} ({owner.code})"
    return f"{owner.name} ({owner.ref})"
