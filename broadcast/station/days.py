"""A day's manifest as the station receives it: checked, then turned into a StationDay or a plan of timed items.

Everything here is pure: the manifest is data from the network, and a damaged one must never reach the disk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from broadcast.errors import ExportError, SyncIncompleteError
from broadcast.export.manifest import audio_path, manifest_version
from broadcast.export.model import ExportItem, ExportSession, StationDay

_HH_MM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_HH_MM_SS = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?")  # with milliseconds from the build


class BadManifest(SyncIncompleteError):
    """The server sent a manifest that is not a valid day for this station; the last good one is kept."""


def _fail(station: str, day: date, problem: str) -> BadManifest:
    return BadManifest(f"the server's manifest for {station} on {day.isoformat()} is damaged ({problem})")


def check_manifest(data: Any, station: str, day: date) -> dict[str, Any]:
    """The manifest, when it is this station's day and its content matches its version; BadManifest otherwise."""
    if not isinstance(data, dict):
        raise _fail(station, day, "not a JSON object")
    try:
        if data["station"] != station or data["date"] != day.isoformat():
            raise _fail(station, day, f"it is for {data['station']} on {data['date']}")
        if data["version"] != manifest_version(data):
            raise _fail(station, day, "its content does not match its version")
        ZoneInfo(data["timezone"])
        for session in data["sessions"]:
            if not (_HH_MM.fullmatch(session["start"]) and _HH_MM.fullmatch(session["end"])):
                raise _fail(station, day, f"session {session['name']!r} has no HH:MM start and end")
            for item in session["items"]:
                audio_path(item["sha256"])
                if not _HH_MM_SS.fullmatch(item["start"]):
                    raise _fail(station, day, f"item {item['title']!r} has no HH:MM:SS start")
                if not isinstance(item["bytes"], int) or item["bytes"] < 0:
                    raise _fail(station, day, f"item {item['title']!r} has no size")
                if not isinstance(item["duration"], int | float) or item["duration"] < 0:
                    raise _fail(station, day, f"item {item['title']!r} has no duration")
                if not (isinstance(item["kind"], str) and isinstance(item["title"], str)):
                    raise _fail(station, day, "an item has no kind or title")
    except (KeyError, TypeError, ValueError, ExportError, ZoneInfoNotFoundError) as exc:
        raise _fail(station, day, f"{type(exc).__name__}: {exc}") from exc
    return data


def audio_needed(manifest: Mapping[str, Any]) -> dict[str, int]:
    """Every audio file the day plays: sha256 to size in bytes."""
    return {item["sha256"]: item["bytes"] for session in manifest["sessions"] for item in session["items"]}


def station_day(manifest: Mapping[str, Any], root: Path) -> StationDay:
    """The manifest as the exporter's StationDay, its audio in the station folder, for the playlist writer."""
    return StationDay(
        station=manifest["station"],
        station_name=manifest["station_name"],
        date=date.fromisoformat(manifest["date"]),
        timezone=manifest["timezone"],
        sessions=tuple(
            ExportSession(
                name=session["name"],
                start=session["start"],
                end=session["end"],
                items=tuple(
                    ExportItem(
                        kind=item["kind"],
                        title=item["title"],
                        message_id=item["message_id"],
                        priority=item["priority"],
                        start=item["start"],
                        duration=float(item["duration"]),
                        source=root / audio_path(item["sha256"]),
                        sha256=item["sha256"],
                        bytes=item["bytes"],
                    )
                    for item in session["items"]
                ),
            )
            for session in manifest["sessions"]
        ),
    )


@dataclass(frozen=True)
class PlannedItem:
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
class PlannedSession:
    name: str
    start: datetime
    end: datetime
    items: tuple[PlannedItem, ...]


def _at(day: date, clock: str, tz: ZoneInfo, not_before: datetime | None = None) -> datetime:
    moment = datetime.combine(day, time.fromisoformat(clock), tz)
    # Well before the session's start (not a few seconds early): the session runs past midnight.
    if not_before is not None and moment < not_before - timedelta(hours=12):
        moment = datetime.combine(day + timedelta(days=1), time.fromisoformat(clock), tz)
    return moment


def entry_id(day: date, session_index: int, item_index: int, sha256: str) -> str:
    """The as-run id of a scheduled item: the same item of the same day always gets the same id."""
    return f"{day.isoformat()}-s{session_index + 1}-{item_index + 1}-{sha256[:12]}"


def day_plan(manifest: Mapping[str, Any], root: Path) -> tuple[PlannedSession, ...]:
    """The day's sessions with every item at its time on the station's clock, in broadcast order."""
    tz = ZoneInfo(manifest["timezone"])
    day = date.fromisoformat(manifest["date"])
    sessions = []
    for session_index, session in enumerate(manifest["sessions"]):
        start = _at(day, session["start"], tz)
        items = tuple(
            PlannedItem(
                entry_id=entry_id(day, session_index, item_index, item["sha256"]),
                session=session["name"],
                start=_at(day, item["start"], tz, not_before=start),
                kind=item["kind"],
                title=item["title"],
                message_id=item["message_id"],
                sha256=item["sha256"],
                bytes=item["bytes"],
                duration=float(item["duration"]),
                path=root / audio_path(item["sha256"]),
            )
            for item_index, item in enumerate(session["items"])
        )
        sessions.append(PlannedSession(session["name"], start, _at(day, session["end"], tz, not_before=start), items))
    return tuple(sorted(sessions, key=lambda planned: planned.start))
