"""A day's manifest as the station receives it: checked, then turned into a StationDay or a plan of timed items.

Everything here is pure: the manifest is data from the network, and a damaged one must never reach the disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from broadcast.errors import SyncIncompleteError
from broadcast.export.manifest import Manifest, ManifestError, manifest_station_day, read_manifest


class BadManifest(SyncIncompleteError):
    """The server sent a manifest that is not a valid day for this station; the last good one is kept."""


def _fail(station: str, day: date, problem: str) -> BadManifest:
    return BadManifest(f"the server's manifest for {station} on {day.isoformat()} is damaged ({problem})")


def check_manifest(data: Any, station: str, day: date) -> Manifest:
    """The manifest, when it is this station's day and its content matches its version; BadManifest otherwise."""
    try:
        return read_manifest(data, station, day)
    except ManifestError as exc:
        raise _fail(station, day, str(exc)) from exc


@dataclass(frozen=True)
class ScheduledItem:
    """One item at its time on the station's clock, with the as-run entry id it is logged under."""

    entry_id: str
    session: str
    start: datetime
    kind: str
    title: str
    message_id: int | None
    sha256: str
    bytes: int
    duration: float
    path: Path


@dataclass(frozen=True)
class ScheduledSession:
    name: str
    start: datetime
    end: datetime
    items: tuple[ScheduledItem, ...]


def _at(day: date, clock: str, tz: ZoneInfo, not_before: datetime | None = None) -> datetime:
    if clock == "24:00":  # a session's end at midnight: the start of the next day
        return datetime.combine(day + timedelta(days=1), time(), tz)
    moment = datetime.combine(day, time.fromisoformat(clock), tz)
    # Well before the session's start (not a few seconds early): the session runs past midnight.
    if not_before is not None and moment < not_before - timedelta(hours=12):
        moment = datetime.combine(day + timedelta(days=1), time.fromisoformat(clock), tz)
    return moment


def entry_id(day: date, session_index: int, item_index: int, sha256: str) -> str:
    """The as-run id of a scheduled item: the same item of the same day always gets the same id."""
    return f"{day.isoformat()}-s{session_index + 1}-{item_index + 1}-{sha256[:12]}"


def day_plan(manifest: Mapping[str, Any], root: Path) -> tuple[ScheduledSession, ...]:
    """The day's sessions with every item at its time on the station's clock, in broadcast order."""
    station_day = manifest_station_day(manifest, root)
    tz = ZoneInfo(station_day.timezone)
    day = station_day.date
    sessions = []
    for session_index, session in enumerate(station_day.sessions):
        start = _at(day, session.start, tz)
        items = tuple(
            ScheduledItem(
                entry_id=entry_id(day, session_index, item_index, item.sha256),
                session=session.name,
                start=_at(day, item.start, tz, not_before=start),
                kind=item.kind,
                title=item.title,
                message_id=item.message_id,
                sha256=item.sha256,
                bytes=item.bytes,
                duration=item.duration,
                path=item.source,
            )
            for item_index, item in enumerate(session.items)
        )
        sessions.append(ScheduledSession(session.name, start, _at(day, session.end, tz, not_before=start), items))
    return tuple(sorted(sessions, key=lambda planned: planned.start))
