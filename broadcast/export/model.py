"""What the exporter publishes: one station's day of sessions and items, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class ExportItem:
    """One thing played in a session, in order."""

    kind: str  # ident, jingle, greeting, intro, message, close
    title: str
    message_id: int | None
    priority: str | None  # normal, priority, emergency; None for the bulletin's own parts
    start: str  # "HH:MM:SS.mmm", local time at the station
    duration: float  # seconds
    source: Path  # the MP3 in the segment store (or a jingle); exported as audio/<sha256>.mp3
    sha256: str
    bytes: int


@dataclass(frozen=True)
class ExportSession:
    name: str
    start: str  # "HH:MM"
    end: str  # "HH:MM"
    items: tuple[ExportItem, ...]


@dataclass(frozen=True)
class StationDay:
    """Everything one station plays on one day."""

    station: str  # station code
    station_name: str
    date: date
    timezone: str
    sessions: tuple[ExportSession, ...]
