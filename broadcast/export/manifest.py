"""The per-station daily manifest: one JSON document naming every item a station plays that day, with its audio.

The layout of the export tree lives here too, as paths relative to the export root, so the publisher, the pull
API and the station client agree on it. The manifest's `version` is a hash of everything else in it: the same
day always gives the same bytes and the same version, and any change to an item gives a new one.

The writer (`write_manifest`, `dump_manifest`) has its one reader beside it (`read_manifest`, `manifest_audio`,
`manifest_station_day`): the publisher, the pull API, the station's sync client and its player all read manifests
through these, so what one writes the others understand and check the same way.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from broadcast.errors import ExportError
from broadcast.export.model import ExportItem, ExportSession, StationDay
from broadcast.validation import one_line as _one_line

AUDIO_DIR = "audio"
STATIONS_DIR = "stations"
VERSION_LENGTH = 16

_SHA256 = re.compile(r"[0-9a-f]{64}")
# A station code becomes a folder name: keep it to one plain path component.
_STATION_CODE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
_HH_MM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_END = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")  # a session may end exactly at midnight, written 24:00
_HH_MM_SS = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?")  # with milliseconds from the build

_HEAD = 4096  # the version is among the first keys: station, station_name, date, timezone, version
# The writer's compact layout (`,"version":"…",`) and the indented one of older exports (`\n  "version": "…",\n`).
# Inside a JSON string a quote is always escaped, so neither can match within the station's name before it.
_VERSION_LINE = re.compile(rb'(?:,|\n  )"version": ?"([0-9A-Za-z_-]{1,64})"(?:,|\r?\n)')
_VERSION = re.compile(r"[0-9A-Za-z_-]{1,64}")

Manifest = dict[str, Any]  # a manifest as parsed JSON, checked by read_manifest


class ManifestError(ExportError):
    """A manifest is not a valid day: not JSON, missing or malformed fields, content not matching its version,
    or another station's or day's. The text says what is wrong, in a few words."""


@functools.lru_cache(maxsize=65_536)
def one_line(value: str) -> str:
    """validation.one_line, remembered: a country's days repeat the same titles and session names many times."""
    return _one_line(value)


@functools.lru_cache(maxsize=65_536)
def audio_path(sha256: str) -> str:
    """Where the audio with this hash lives, relative to the export root."""
    if not _SHA256.fullmatch(sha256):
        raise ExportError(f"{sha256!r} is not a lowercase hex sha256; the segment record is damaged, render it again")
    return f"{AUDIO_DIR}/{sha256}.mp3"


def station_dir(station: str) -> str:
    """The folder of a station's manifests, relative to the export root."""
    if not _STATION_CODE.fullmatch(station):
        raise ExportError(f"station code {station!r} cannot be a folder name; use letters, digits, '.', '_' or '-'")
    return f"{STATIONS_DIR}/{station}"


def manifest_path(station: str, day: date) -> str:
    """The day's JSON manifest, relative to the export root."""
    return f"{station_dir(station)}/{day.isoformat()}.json"


def playlist_path(station: str, day: date) -> str:
    """The day's M3U8 playlist, relative to the export root."""
    return f"{station_dir(station)}/{day.isoformat()}.m3u8"


def seconds(value: float) -> float:
    """A duration as published: seconds rounded to the millisecond."""
    if not math.isfinite(value) or value < 0:
        raise ExportError(f"duration {value!r} is not a length of time; measure the audio again")
    return round(value, 3)


def manifest_version(manifest: Mapping[str, Any]) -> str:
    """The hash of a manifest's content without its own `version`; a client can check a download with it."""
    content = {key: value for key, value in manifest.items() if key != "version"}
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:VERSION_LENGTH]


def _item(item: ExportItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "title": one_line(item.title),
        "message_id": item.message_id,
        "priority": item.priority,
        "start": item.start,
        "duration": seconds(item.duration),
        "audio": audio_path(item.sha256),
        "sha256": item.sha256,
        "bytes": item.bytes,
    }


def _session(session: ExportSession) -> dict[str, Any]:
    items = [_item(item) for item in session.items]
    return {
        "name": one_line(session.name),
        "start": session.start,
        "end": session.end,
        "total_duration": round(sum(item["duration"] for item in items), 3),
        "items": items,
    }


def manifest_dict(day: StationDay) -> dict[str, Any]:
    """The manifest of one station's day, keys in the order they are written."""
    content: dict[str, Any] = {
        "station": day.station,
        "station_name": one_line(day.station_name),
        "date": day.date.isoformat(),
        "timezone": day.timezone,
        "version": "",
        "sessions": [_session(session) for session in day.sessions],
    }
    content["version"] = manifest_version(content)
    return content


def dump_manifest(manifest: Mapping[str, Any]) -> str:
    """A manifest as compact JSON text: no indent, no spaces after separators, keys in the order given, final
    newline. (A third the size of an indented one, and written by json's C encoder, which indent turns off.)"""
    return json.dumps(manifest, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def write_manifest(day: StationDay, out: IO[str]) -> None:
    """Write the day's manifest as UTF-8-ready compact JSON text: fixed key order, final newline."""
    out.write(dump_manifest(manifest_dict(day)))


# The reader.


def read_manifest(data: bytes | str | Any, station: str | None = None, day: date | None = None) -> Manifest:
    """A manifest, from JSON bytes or text or already parsed, checked whole: its fields and their forms, its
    content against its version and, when given, that it is station's day. Already parsed data is returned as is
    (the same object) when it passes. ManifestError otherwise."""
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise ManifestError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ManifestError("not a JSON object")
    try:
        if station is not None and day is not None and (data["station"], data["date"]) != (station, day.isoformat()):
            raise ManifestError(f"it is for {data['station']} on {data['date']}")
        if data["version"] != manifest_version(data):
            raise ManifestError("its content does not match its version")
        date.fromisoformat(data["date"])
        ZoneInfo(data["timezone"])
        for session in data["sessions"]:
            if not (_HH_MM.fullmatch(session["start"]) and _END.fullmatch(session["end"])):
                raise ManifestError(f"session {session['name']!r} has no HH:MM start and end")
            for item in session["items"]:
                audio_path(item["sha256"])
                if not _HH_MM_SS.fullmatch(item["start"]):
                    raise ManifestError(f"item {item['title']!r} has no HH:MM:SS start")
                if not isinstance(item["bytes"], int) or item["bytes"] < 0:
                    raise ManifestError(f"item {item['title']!r} has no size")
                if not isinstance(item["duration"], int | float) or item["duration"] < 0:
                    raise ManifestError(f"item {item['title']!r} has no duration")
                if not (isinstance(item["kind"], str) and isinstance(item["title"], str)):
                    raise ManifestError("an item has no kind or title")
    except ManifestError:
        raise
    except (KeyError, TypeError, ValueError, ExportError, ZoneInfoNotFoundError) as exc:
        raise ManifestError(f"{type(exc).__name__}: {exc}") from exc
    return data


def peek_version(data: bytes) -> str | None:
    """A manifest's version without checking the rest: from its head, where the writer puts it (cheap enough for
    every "has my day changed?" request), else from the whole JSON; None when it names no well-formed version."""
    match = _VERSION_LINE.search(data, 0, _HEAD)
    if match:
        return match.group(1).decode("ascii")
    try:
        manifest = json.loads(data)
    except ValueError:
        return None
    version = manifest.get("version") if isinstance(manifest, dict) else None
    return version if isinstance(version, str) and _VERSION.fullmatch(version) else None


def manifest_audio(manifest: Mapping[str, Any]) -> dict[str, int]:
    """Every audio file a checked manifest's day plays: sha256 to size in bytes."""
    return {item["sha256"]: item["bytes"] for session in manifest["sessions"] for item in session["items"]}


def manifest_station_day(manifest: Mapping[str, Any], root: Path) -> StationDay:
    """A checked manifest as the writer's StationDay, its audio under root (an export tree or a station folder)."""
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
