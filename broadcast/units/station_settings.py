"""Changing a station's own settings: speech engine, regional voice, speaking rate, whether it broadcasts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session as DbSession

from broadcast import audit
from broadcast.audit import Actor
from broadcast.db.models import Station
from broadcast.errors import UnitsError
from broadcast.speech.style import DEFAULT_RATE, rate_problem
from broadcast.units.scope import require_admin_of
from broadcast.units.tree import find_station
from broadcast.vocabulary import VOICE_REGIONS

DEFAULT_ENGINE = "default"  # the engine name that clears a station's own choice


@dataclass(frozen=True)
class StationChanges:
    """What to change; None leaves a setting as it is. engine "default" means the configured engine; rate is the
    speaking rate in percent of the engine's normal pace (70 to 130)."""

    engine: str | None = None
    voice_region: str | None = None
    active: bool | None = None
    rate: int | None = None


def change_station(db: DbSession, code: str, changes: StationChanges, *, actor: Actor | None = None) -> Station:
    """Apply changes to the station with code; UnitsError (naming the field) for nothing to change or a bad value.

    NotFoundError for an unknown code; PermissionDenied for an office actor who is not an admin of the station.
    """
    from broadcast.speech.engines import ENGINES

    if all(value is None for value in (changes.engine, changes.voice_region, changes.active, changes.rate)):
        raise UnitsError(
            "nothing to change; give an engine, a voice region, a speaking rate or whether the station is active"
        )
    if changes.rate is not None and (problem := rate_problem(changes.rate)) is not None:
        raise UnitsError(problem, field="rate")
    if changes.engine is not None and changes.engine != DEFAULT_ENGINE and changes.engine not in ENGINES:
        raise UnitsError(
            f"unknown engine {changes.engine!r}; use one of {', '.join(ENGINES)} or {DEFAULT_ENGINE}", field="engine"
        )
    if changes.voice_region is not None and changes.voice_region not in VOICE_REGIONS:
        raise UnitsError(
            f"unknown voice region {changes.voice_region!r}; use one of {', '.join(VOICE_REGIONS)}",
            field="voice_region",
        )
    station = find_station(db, code)
    require_admin_of(db, actor, station, f"change the settings of {station.code}")
    before = station_snapshot(station)
    if changes.engine is not None:
        station.engine = None if changes.engine == DEFAULT_ENGINE else changes.engine
    if changes.voice_region is not None:
        station.voice_region = changes.voice_region
    if changes.active is not None:
        station.active = changes.active
    if changes.rate is not None:
        station.speaking_rate = changes.rate
    audit.record(
        db, actor, "station.set", "station", station.code, f"sửa cài đặt {station.name} ({station.code})",
        before=before, after=station_snapshot(station), unit_id=station.unit_id,
    )  # fmt: skip
    return station


def station_snapshot(station: Station) -> dict[str, Any]:
    """A station's settings as the audit trail records them."""
    return {
        "engine": station.engine or DEFAULT_ENGINE,
        "voice_region": station.voice_region,
        "speaking_rate": station.speaking_rate or DEFAULT_RATE,
        "active": station.active,
    }
