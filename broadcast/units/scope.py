"""Scope: what an account may see and change — its unit and everything under it, or one station for an operator.

A province office's scope is its province; a district office's its district (legacy scheme); a commune office's
its commune. An account with no unit has the whole country. The machine's operator at the CLI is unrestricted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.audit import Actor
from broadcast.db.models import Message, Station, Unit
from broadcast.errors import PermissionDenied
from broadcast.units.tree import subtree_unit_ids
from broadcast.vocabulary import Role


@dataclass(frozen=True)
class Scope:
    """The units and stations an actor may act on; None means all of them."""

    unit_ids: frozenset[int] | None
    station_ids: frozenset[int] | None

    @property
    def everything(self) -> bool:
        return self.unit_ids is None and self.station_ids is None

    def has_unit(self, unit_id: int | None) -> bool:
        return self.unit_ids is None or unit_id in self.unit_ids

    def has_station(self, station: Station) -> bool:
        if self.station_ids is not None:
            return station.id in self.station_ids
        return self.has_unit(station.unit_id)

    def holds(self, message: Message) -> bool:
        """Whether every target of the message lies inside (`all` only in the whole country's scope)."""
        return self.everything or all(
            (target.kind == "unit" and self.has_unit(target.unit_id))
            or (target.kind == "station" and target.station is not None and self.has_station(target.station))
            for target in message.targets
        )


EVERYTHING = Scope(None, None)


def scope_of(db: DbSession, actor: Actor) -> Scope:
    """The actor's scope: everything for the CLI or a national account, a unit's subtree, or one station."""
    if actor.role is None:
        return EVERYTHING
    if actor.role is Role.OPERATOR:
        return Scope(frozenset(), frozenset({actor.station_id}) if actor.station_id else frozenset())
    if actor.unit_id is None:
        return EVERYTHING
    unit = db.get(Unit, actor.unit_id)
    if unit is None:
        return Scope(frozenset(), frozenset())
    ids = subtree_unit_ids(db, unit)
    stations = frozenset(db.scalars(select(Station.id).where(Station.unit_id.in_(ids))))
    return Scope(ids, stations)


def require_role(actor: Actor, role: Role, what: str) -> None:
    """PermissionDenied unless the actor (a trusted CLI operator, or an account) may act as role."""
    if actor.role is not None and not actor.role.may(role):
        raise PermissionDenied(f"{actor.name} ({actor.role.label}) may not {what}")


def require_message(db: DbSession, actor: Actor, message: Message, what: str) -> None:
    """PermissionDenied unless every target of the message lies in the actor's scope (`all` needs the country)."""
    if not scope_of(db, actor).holds(message):
        raise PermissionDenied(f"{actor.name} may not {what}: message {message.id} reaches beyond their scope")


def require_admin_of(db: DbSession, actor: Actor | None, owner: Unit | Station, what: str) -> None:
    """PermissionDenied unless the actor is the CLI, or an admin whose scope holds the unit or station."""
    if actor is None or actor.role is None:
        return
    require_role(actor, Role.ADMIN, what)
    scope = scope_of(db, actor)
    inside = scope.has_station(owner) if isinstance(owner, Station) else scope.has_unit(owner.id)
    if not inside:
        raise PermissionDenied(f"{actor.name} may not {what}: it lies beyond their scope")
