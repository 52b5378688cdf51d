"""The audit trail as an office user may read it: only entries of units in their scope, a page at a time, each with
the values that changed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.audit import Actor, AuditFilter, changed, list_entries
from broadcast.db.models import AuditEntry, Station, User
from broadcast.errors import AccountError
from broadcast.units.scope import scope_of
from broadcast.units.tree import find_unit, subtree_unit_ids

PAGE_SIZE = 50


@dataclass(frozen=True)
class TrailQuery:
    """What a reader asked for; None leaves a filter open. unit is a unit code within the reader's scope."""

    username: str | None = None
    unit: str | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None
    page: int = 1


@dataclass(frozen=True)
class Change:
    key: str
    before: Any
    after: Any


@dataclass(frozen=True)
class TrailRow:
    entry: AuditEntry
    changes: list[Change]


@dataclass(frozen=True)
class TrailPage:
    rows: list[TrailRow]
    page: int
    has_next: bool


def read_trail(db: DbSession, actor: Actor, query: TrailQuery, page_size: int = PAGE_SIZE) -> TrailPage:
    """One page of the trail, newest first, limited to the actor's scope (entries of its units; an operator's, of
    its station's unit). AccountError on the field for an unknown user, a unit outside the scope or dates reversed."""
    wanted = AuditFilter(kind=(query.kind or "").strip() or None, since=query.since, until=query.until)
    if query.since and query.until and query.since > query.until:
        raise AccountError("the first day comes after the last one; swap them", field="since")
    allowed = _readable_units(db, actor)
    if query.unit:
        unit = find_unit(db, query.unit)
        if allowed is not None and unit.id not in allowed:
            raise AccountError(f"unit {query.unit} lies beyond your scope; choose one within it", field="unit")
        inside = subtree_unit_ids(db, unit)
        allowed = inside if allowed is None else allowed & inside
    if query.username:
        user_id = db.scalar(select(User.id).where(User.username == query.username.strip().lower()))
        if user_id is None:
            raise AccountError(f"no user named {query.username!r}", field="username")
        wanted = replace(wanted, user_id=user_id)
    page = max(1, query.page)
    wanted = replace(wanted, unit_ids=allowed, limit=page_size + 1, offset=(page - 1) * page_size)
    entries = list_entries(db, wanted)
    rows = [TrailRow(entry, diff(entry.before, entry.after)) for entry in entries[:page_size]]
    return TrailPage(rows, page, len(entries) > page_size)


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
    """The keys that changed, with their values; a creation lists every value after, a deletion every value before."""
    if before is None and after is None:
        return []
    if before is None:
        return [Change(key, None, value) for key, value in (after or {}).items()]
    if after is None:
        return [Change(key, value, None) for key, value in before.items()]
    keys = changed(before, after) + [key for key in before if key not in after]
    return [Change(key, before.get(key), after.get(key)) for key in keys]


def _readable_units(db: DbSession, actor: Actor) -> frozenset[int] | None:
    scope = scope_of(db, actor)
    if scope.everything:
        return None
    if scope.station_ids:
        units = db.scalars(select(Station.unit_id).where(Station.id.in_(scope.station_ids)))
        return frozenset(units)
    return scope.unit_ids or frozenset()
