"""Finding units and stations by the names people type, with or without diacritics ("cao loc" → Huyện Cao Lộc).

The whole tree (some 10,700 units and stations nationally) is read once into memory with its names folded, and
read again only when units or stations are added or removed, or after CACHE_SECONDS (a renamed station); a search
is then a scan of folded strings, a few milliseconds (scripts/bench/unit_search.py).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import aliased

from broadcast.db.models import Station, Unit
from broadcast.text import fold

if TYPE_CHECKING:
    from broadcast.units.scope import Scope

MAX_FOUND = 20
CACHE_SECONDS = 60.0
_KIND_ORDER = {"province": 0, "district": 1, "commune": 2, "station": 3}


@dataclass(frozen=True)
class Place:
    """A unit or a station as a search finds it; ref is what a message's targets take (scheme:code or a code)."""

    ref: str
    code: str
    name: str
    kind: str  # province, district, commune, or station
    parent: str | None
    unit_id: int  # the unit itself, or the station's unit
    station_id: int | None
    folded: str

    def to_json_dict(self) -> dict[str, Any]:
        return {"ref": self.ref, "code": self.code, "name": self.name, "kind": self.kind, "parent": self.parent}


_cache: dict[str, tuple[tuple[Any, ...], float, tuple[Place, ...]]] = {}
_lock = threading.Lock()


def search_places(db: DbSession, query: str, scope: Scope, limit: int = MAX_FOUND) -> list[Place]:
    """Up to limit units and stations in scope whose name (or code) holds every word of query, folded; the best
    matches first: names that start with the query, then higher levels, then by name."""
    words = fold(query).split()
    if not words:
        return []
    wanted = " ".join(words)
    found = []
    for place in _places(db):
        if not all(word in place.folded for word in words) and place.code.lower() != wanted:
            continue
        inside = scope.has_unit(place.unit_id) if place.station_id is None else _has_station(scope, place)
        if inside:
            found.append(place)
    found.sort(key=lambda p: (_rank(p, wanted), _KIND_ORDER.get(p.kind, 9), p.folded))
    return found[: max(0, limit)]


def _has_station(scope: Scope, place: Place) -> bool:
    if scope.station_ids is not None:
        return place.station_id in scope.station_ids
    return scope.has_unit(place.unit_id)


def _rank(place: Place, wanted: str) -> int:
    if place.code.lower() == wanted:
        return 0
    name = place.folded.split(" | ", 1)[0]
    short = name.split(" ", 1)[1] if " " in name else name
    if short == wanted or name == wanted:
        return 1
    if short.startswith(wanted) or name.startswith(wanted):
        return 2
    return 3


def _places(db: DbSession) -> tuple[Place, ...]:
    """Every unit and station, from the cache while the tree has not changed."""
    key = str(db.get_bind().engine.url)
    unit_count, unit_max = db.execute(select(func.count(Unit.id), func.max(Unit.id))).one()
    station_count, station_max = db.execute(select(func.count(Station.id), func.max(Station.id))).one()
    version = (unit_count, unit_max, station_count, station_max)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == version and time.monotonic() - cached[1] < CACHE_SECONDS:
            return cached[2]
    places = _load(db)
    with _lock:
        _cache[key] = (version, time.monotonic(), places)
    return places


def _load(db: DbSession) -> tuple[Place, ...]:
    parent = aliased(Unit)
    places: list[Place] = []
    for unit, above in db.execute(select(Unit, parent).outerjoin(parent, Unit.parent_id == parent.id)):
        places.append(
            Place(
                unit.ref,
                unit.code,
                unit.name,
                unit.kind,
                above.name if above else None,
                unit.id,
                None,
                _folded(unit.name, unit.code),
            )
        )
    for station, owner in db.execute(select(Station, Unit).join(Unit, Station.unit_id == Unit.id)):
        places.append(
            Place(
                station.code,
                station.code,
                station.name,
                "station",
                owner.name,
                owner.id,
                station.id,
                _folded(station.name, station.code),
            )
        )
    return tuple(places)


def _folded(name: str, code: str) -> str:
    # The name first (ranking reads it), then the code, so "06253" or "legacy-06253" finds a station too.
    return f"{fold(name)} | {code.lower()}"


def clear_cache() -> None:
    """Forget every loaded tree (tests that rename units)."""
    with _lock:
        _cache.clear()
