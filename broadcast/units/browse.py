"""The administrative tree as an office user browses it: one unit or station at a time, within their scope, with the
sessions each uses and where they come from. Drilling down keeps each page small, even for the whole country."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.audit import Actor
from broadcast.db.models import Station, StationToken, Unit
from broadcast.errors import PermissionDenied
from broadcast.units.clock import SessionClock
from broadcast.units.scope import Scope, require_admin_of, scope_of
from broadcast.units.sessions import EffectiveSessions, effective_sessions, own_sessions, unit_sessions
from broadcast.units.tokens import list_tokens
from broadcast.units.tree import ancestors, find_unit_or_station
from broadcast.vocabulary import Role


@dataclass(frozen=True)
class Crumb:
    """A unit above the one shown; linked only when the reader's scope holds it."""

    unit: Unit
    readable: bool


@dataclass(frozen=True)
class UsedSessions:
    """The sessions an owner uses and the unit or station they come from (None: no sessions anywhere above)."""

    source: Unit | Station | None
    clocks: list[SessionClock]
    own: bool


@dataclass(frozen=True)
class ChildRow:
    unit: Unit
    has_own: bool


@dataclass(frozen=True)
class UnitView:
    unit: Unit
    path: list[Crumb]
    own: list[SessionClock]
    used: UsedSessions
    children: list[ChildRow]
    stations: list[EffectiveSessions]
    may_edit: bool


@dataclass(frozen=True)
class StationView:
    station: Station
    path: list[Crumb]
    own: list[SessionClock]
    used: UsedSessions
    tokens: list[StationToken]
    may_edit: bool


def scope_roots(db: DbSession, actor: Actor) -> list[Unit] | Station:
    """Where the reader's tree begins: their unit, every top-level unit for the whole country, or an operator's
    station."""
    if actor.role is Role.OPERATOR:
        station = db.get(Station, actor.station_id) if actor.station_id is not None else None
        if station is None:
            raise PermissionDenied(f"{actor.name} has no station")
        return station
    if actor.role is None or actor.unit_id is None:
        return list(db.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.scheme, Unit.code)))
    unit = db.get(Unit, actor.unit_id)
    return [unit] if unit is not None else []


def view(db: DbSession, actor: Actor, ref: str) -> UnitView | StationView:
    """One unit (its sessions, the units and stations right under it) or one station (settings, sessions, tokens).

    NotFoundError for an unknown code; PermissionDenied outside the reader's scope."""
    owner = find_unit_or_station(db, ref)
    scope = scope_of(db, actor)
    may_edit = _may_edit(db, actor, owner)
    if isinstance(owner, Station):
        if not scope.has_station(owner):
            raise PermissionDenied(f"{actor.name} may not see station {owner.code}: it lies beyond their scope")
        found = effective_sessions(db, owner)
        used = UsedSessions(found.source if found.clocks else None, found.clocks, not found.inherited)
        tokens = list_tokens(db, owner) if may_edit else []
        path = _path(scope, ancestors(owner.unit))
        return StationView(owner, path, own_sessions(db, owner), used, tokens, may_edit)
    if not scope.has_unit(owner.id):
        raise PermissionDenied(f"{actor.name} may not see unit {owner.ref}: it lies beyond their scope")
    nearest = unit_sessions(db, owner)
    used = UsedSessions(nearest[0], nearest[1], nearest[0] is owner) if nearest else UsedSessions(None, [], False)
    children = list(db.scalars(select(Unit).where(Unit.parent_id == owner.id).order_by(Unit.code)))
    stations = db.scalars(select(Station).where(Station.unit_id == owner.id).order_by(Station.code))
    return UnitView(
        owner,
        _path(scope, ancestors(owner)[1:]),
        own_sessions(db, owner),
        used,
        [ChildRow(child, bool(own_sessions(db, child))) for child in children],
        [effective_sessions(db, station) for station in stations],
        may_edit,
    )


def _path(scope: Scope, chain: list[Unit]) -> list[Crumb]:
    return [Crumb(unit, scope.has_unit(unit.id)) for unit in reversed(chain)]


def _may_edit(db: DbSession, actor: Actor, owner: Unit | Station) -> bool:
    try:
        require_admin_of(db, actor, owner, "change it")
    except PermissionDenied:
        return False
    return True
