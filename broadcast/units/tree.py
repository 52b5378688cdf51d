"""Finding units and stations by the codes people type, and walking the administrative tree."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import Station, Unit
from broadcast.errors import NotFoundError
from broadcast.units.listing import find_unit_id
from broadcast.units.listing import subtree_ids as unit_subtree_ids


def find_unit(db: DbSession, ref: str) -> Unit:
    """The unit named by an official code ("20") or a scheme-qualified one ("2025:20"); errors as find_unit_id."""
    return db.get_one(Unit, find_unit_id(db, ref))


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
    return unit_subtree_ids(unit.id)


def subtree_unit_ids(db: DbSession, unit: Unit) -> frozenset[int]:
    """The ids of the unit and every unit below it."""
    ids: Iterable[int] = db.scalars(subtree_ids(unit))  # rows of one int column
    return frozenset(ids)
