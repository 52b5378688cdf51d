"""Units and stations as plain rows for `units list` and `stations list`: Core selects over broadcast.db.tables,
streamed from a connection, so a national listing builds no ORM objects and imports no models.

The unit a person names ("20", "2025:20") is resolved here too, once for listings and for `find_unit`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, select

from broadcast.db.tables import stations, units
from broadcast.errors import NotFoundError, UnitsError
from broadcast.vocabulary import SCHEMES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as DbSession

UNIT_COLUMNS = ("code", "name", "kind", "parent", "scheme")
STATION_COLUMNS = ("code", "name", "kind", "unit", "scheme", "voice_region", "active")
_STREAM = 2000  # rows fetched at a time: a national list never sits whole in memory


def find_unit_id(db: Connection | DbSession, ref: str) -> int:
    """The id of the unit named by an official code ("20") or a scheme-qualified one ("2025:20").

    NotFoundError when no unit has the code; UnitsError for an unknown scheme or a code found in both schemes.
    """
    scheme, sep, code = ref.strip().rpartition(":")
    query = select(units.c.id).where(units.c.code == code)
    if sep:
        if scheme not in SCHEMES:
            raise UnitsError(f"unknown scheme {scheme!r} in {ref!r}; write legacy:CODE or 2025:CODE")
        query = query.where(units.c.scheme == scheme)
    found: list[int] = list(db.scalars(query.limit(2)))
    if not found:
        raise NotFoundError(f"no unit with code {ref!r}; see `broadcast units list` or import units first")
    if len(found) > 1:
        raise UnitsError(f"code {code!r} exists in both schemes; write legacy:{code} or 2025:{code}")
    return found[0]


def subtree_ids(unit_id: int) -> Select[tuple[int]]:
    """A query for the ids of the unit and every unit below it (a recursive CTE, same on SQLite and PostgreSQL)."""
    tree = select(units.c.id).where(units.c.id == unit_id).cte("subtree", recursive=True)
    child = units.alias("child")
    tree = tree.union_all(select(child.c.id).where(child.c.parent_id == tree.c.id))
    return select(tree.c.id)


def list_units(connection: Connection, under: str | None = None) -> Iterator[tuple[str, str, str, str | None, str]]:
    """Units as plain rows (UNIT_COLUMNS: code, name, kind, parent code or None, scheme) ordered by scheme and code,
    optionally only those under a unit; streamed, to be read inside the transaction. NotFoundError for an unknown
    unit."""
    parent = units.alias("parent")
    query = (
        select(units.c.code, units.c.name, units.c.kind, parent.c.code, units.c.scheme)
        .select_from(units.outerjoin(parent, units.c.parent_id == parent.c.id))
        .order_by(units.c.scheme, units.c.code)
    )
    if under:
        query = query.where(units.c.id.in_(subtree_ids(find_unit_id(connection, under))))
    return _stream(connection, query)


def list_stations(
    connection: Connection, under: str | None = None
) -> Iterator[tuple[str, str, str, str, str, str, bool]]:
    """Stations as plain rows (STATION_COLUMNS: code, name, kind, unit code, scheme, voice region, active) ordered
    by code, optionally only those serving units under a unit; streamed, to be read inside the transaction.
    NotFoundError for an unknown unit."""
    query = (
        select(
            stations.c.code,
            stations.c.name,
            stations.c.kind,
            units.c.code,
            units.c.scheme,
            stations.c.voice_region,
            stations.c.active,
        )
        .select_from(stations.join(units, stations.c.unit_id == units.c.id))
        .order_by(stations.c.code)
    )
    if under:
        query = query.where(stations.c.unit_id.in_(subtree_ids(find_unit_id(connection, under))))
    return _stream(connection, query)


def _stream(connection: Connection, query: Select[Any]) -> Iterator[Any]:
    yield from connection.execute(query.execution_options(yield_per=_STREAM))  # Rows: tuples of plain values
