"""Listening from the office: a message's speech as a listener hears it, and a built session whole, as MP3 files.

Both are cached under the home's previews folder, keyed by what they are made from (a message's words and its
last change; a manifest's version), so a second listen costs nothing and a changed message is rendered again.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from broadcast.audio.bulletin import assemble
from broadcast.audit import Actor
from broadcast.config import Settings
from broadcast.db.models import Message, Station, Unit
from broadcast.errors import NotFoundError, PermissionDenied
from broadcast.files import write_atomic
from broadcast.messages.store import find_message
from broadcast.planning.bulletin import PAUSE_MS
from broadcast.planning.timetable import published_session, station_audio
from broadcast.preview import render_preview
from broadcast.units.scope import scope_of
from broadcast.units.tree import ancestors

CACHE = "previews/web"


def cache_dir(settings: Settings) -> Path:
    return settings.home / CACHE


def require_listener(db: DbSession, actor: Actor, message: Message) -> None:
    """PermissionDenied unless the message reaches the actor's scope: a target inside it, or a unit above it."""
    scope = scope_of(db, actor)
    if scope.everything:
        return
    own: list[int] = []
    if actor.station_id is not None:
        station = db.get(Station, actor.station_id)
        own = [u.id for u in ancestors(station.unit)] if station is not None else []
    for target in message.targets:
        if target.kind == "all":
            return
        if target.kind == "station" and target.station is not None and scope.has_station(target.station):
            return
        unit_id = target.unit_id if target.kind == "unit" else None
        if unit_id is not None and (scope.has_unit(unit_id) or unit_id in own or _above_scope(db, actor, unit_id)):
            return
    raise PermissionDenied(f"{actor.name} may not hear message {message.id}: it reaches none of their stations")


def _above_scope(db: DbSession, actor: Actor, unit_id: int | None) -> bool:
    """Whether unit_id is a unit above the actor's own (a province-wide message reaches a district office)."""
    if actor.unit_id is None:
        return False
    unit = db.get(Unit, actor.unit_id)
    return unit is not None and unit_id in {u.id for u in ancestors(unit)}


def message_audio(db: DbSession, settings: Settings, actor: Actor, message_id: int, now: datetime) -> Path:
    """The message read in a bulletin (call, jingle, greeting, the message, close) as an operator's station or a
    generic station says it, rendered on first request; NotFoundError, PermissionDenied."""
    message = find_message(db, message_id)
    require_listener(db, actor, message)
    station = db.get(Station, actor.station_id) if actor.station_id is not None else None
    code = station.code if station is not None else ""
    material = "|".join([str(message.id), message.title, message.text, message.updated_at.isoformat(), code])
    target = cache_dir(settings) / f"message-{message.id}-{_digest(material)}.mp3"
    if not target.exists():
        render_preview(db, settings, message_id=message.id, station_code=code or None, out=target, now=now)
    return target


def item_audio(settings: Settings, station: Station, day: date, sha256: str) -> Path:
    """An audio file the station's built day plays (the caller checked the station is in scope); NotFoundError."""
    path = settings.export_root / station_audio(settings, station, day, sha256)
    if not path.is_file():
        raise NotFoundError(f"audio {sha256} is not in the export; build the day again")
    return path


def session_audio(settings: Settings, station: Station, day: date, index: int) -> Path:
    """One built session of the station as it will play: its parts with the bulletin's pauses, as one MP3."""
    version, parts = published_session(settings, station, day, index)
    target = cache_dir(settings) / f"session-{station.code}-{day.isoformat()}-{version}-{index}.mp3"
    if not target.exists():
        paths = [settings.export_root / part for part in parts]
        missing = [p for p in paths if not p.is_file()]
        if missing:
            raise NotFoundError(f"audio {missing[0].name} is not in the export; build the day again")
        audio, _ = assemble(paths, settings.audio, PAUSE_MS)
        write_atomic(target, audio)
    return target


def _digest(material: str) -> str:
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]
