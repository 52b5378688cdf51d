"""The per-station daily manifest: one JSON document naming every item a station plays that day, with its audio.

The layout of the export tree lives here too, as paths relative to the export root, so the publisher, the pull
API and the station client agree on it. The manifest's `version` is a hash of everything else in it: the same
day always gives the same bytes and the same version, and any change to an item gives a new one.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from datetime import date
from typing import IO, Any

from broadcast.errors import ExportError
from broadcast.export.model import ExportItem, ExportSession, StationDay
from broadcast.text import nfc

AUDIO_DIR = "audio"
STATIONS_DIR = "stations"
VERSION_LENGTH = 16

_SHA256 = re.compile(r"[0-9a-f]{64}")
# A station code becomes a folder name: keep it to one plain path component.
_STATION_CODE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


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
        "title": nfc(item.title),
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
        "name": nfc(session.name),
        "start": session.start,
        "end": session.end,
        "total_duration": round(sum(item["duration"] for item in items), 3),
        "items": items,
    }


def manifest_dict(day: StationDay) -> dict[str, Any]:
    """The manifest of one station's day, keys in the order they are written."""
    content: dict[str, Any] = {
        "station": day.station,
        "station_name": nfc(day.station_name),
        "date": day.date.isoformat(),
        "timezone": day.timezone,
        "version": "",
        "sessions": [_session(session) for session in day.sessions],
    }
    content["version"] = manifest_version(content)
    return content


def write_manifest(day: StationDay, out: IO[str]) -> None:
    """Write the day's manifest as UTF-8-ready JSON text: two-space indent, fixed key order, final newline."""
    out.write(json.dumps(manifest_dict(day), ensure_ascii=False, indent=2, allow_nan=False) + "\n")
