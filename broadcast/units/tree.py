"""Finding units and stations by the codes people type, and walking the administrative tree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.expression import Executable

from broadcast.db.models import SCHEMES, Station, Unit
from broadcast.errors import NotFoundError, UnitsError


def find_unit(db: DbSession, ref: str) -> Unit:
    """The unit named by an official code ("20") or a scheme-qualified one ("2025:20")."""
    scheme, sep, code = ref.strip().rpartition(":")
    query = select(Unit).where(Unit.code == code)
    if sep:
        if scheme not in SCHEMES:
            raise UnitsError(f"unknown scheme {scheme!r} in {ref!r}; write legacy:CODE or 2025:CODE")
        query = query.where(Unit.scheme == scheme)
    units = list(db.scalars(query.limit(2)))
    if not units:
        raise NotFoundError(f"no unit with code {ref!r}; see `broadcast units list` or import units first")
    if len(units) > 1:
        raise UnitsError(f"code {code!r} exists in both schemes; write legacy:{code} or 2025:{code}")
    return units[0]


def find_station(db: DbSession, code: str) -> Station:
    station = db.scalar(select(Station).where(Station.code == code.strip()))
    if station is None:
        raise NotFoundError(f"no station with code {code!r}; see `broadcast stations list`")
    return station


def find_unit_or_station(db: DbSession, ref: str) -> Unit | Station:
    """A station when ref is a station code (e.g. "legacy-06253"), else a unit code."""
    station = db.scalar(select(Station).where(Station.code == ref.strip()))
    return station if station is not None else find_unit(db, ref)


def ancestors(unit: Unit) -> list[Unit]:
    """The unit and its parents, nearest first."""
    chain = []
    current: Unit | None = unit
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain


def subtree_ids(unit: Unit) -> Select[tuple[int]]:
    """A query for the ids of the unit and every unit below it (a recursive CTE, same on SQLite and PostgreSQL)."""
    tree = select(Unit.id).where(Unit.id == unit.id).cte("subtree", recursive=True)
    child = aliased(Unit)
    tree = tree.union_all(select(child.id).where(child.parent_id == tree.c.id))
    return select(tree.c.id)


def subtree_unit_ids(db: DbSession, unit: Unit) -> frozenset[int]:
    """The ids of the unit and every unit below it."""
    ids: Iterable[int] = db.scalars(subtree_ids(unit))  # rows of one int column
    return frozenset(ids)


UNIT_COLUMNS = ("code", "name", "kind", "parent", "scheme")
STATION_COLUMNS = ("code", "name", "kind", "unit", "scheme", "voice_region", "active")
_STREAM = 2000  # rows fetched at a time: a national list never sits whole in memory as objects


def list_units(db: DbSession, under: str | None = None) -> Iterator[tuple[str, str, str, str | None, str]]:
    """Units as plain rows (UNIT_COLUMNS: code, name, kind, parent code or None, scheme) ordered by scheme and code,
    optionally only those under a unit; streamed, to be read inside the transaction. NotFoundError for an unknown
    unit."""
    parent = aliased(Unit)
    query = (
        select(Unit.code, Unit.name, Unit.kind, parent.code, Unit.scheme)
        .outerjoin(parent, Unit.parent_id == parent.id)
        .order_by(Unit.scheme, Unit.code)
    )
    if under:
        query = query.where(Unit.id.in_(subtree_ids(find_unit(db, under))))
    return _stream(db, query)


def list_stations(db: DbSession, under: str | None = None) -> Iterator[tuple[str, str, str, str, str, str, bool]]:
    """Stations as plain rows (STATION_COLUMNS: code, name, kind, unit code, scheme, voice region, active) ordered
    by code, optionally only those serving units under a unit; streamed, to be read inside the transaction.
    NotFoundError for an unknown unit."""
    query = (
        select(Station.code, Station.name, Station.kind, Unit.code, Unit.scheme, Station.voice_region, Station.active)
        .join(Unit, Station.unit_id == Unit.id)
        .order_by(Station.code)
    )
    if under:
        query = query.where(Station.unit_id.in_(subtree_ids(find_unit(db, under))))
    return _stream(db, query)


def _stream(db: DbSession, query: Executable) -> Iterator[Any]:
    yield from db.execute(query.execution_options(yield_per=_STREAM))  # Rows: tuples of plain values
