"""Preview: render exactly what a listener hears for one announcement on one station, as one MP3."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session as DbSession

from broadcast.audio.bulletin import assemble
from broadcast.audio.templates import find_folder, load_templates
from broadcast.config import Settings
from broadcast.db.models import Station
from broadcast.errors import FileWriteError, SpeechError
from broadcast.files import write_atomic
from broadcast.messages.store import find_message
from broadcast.planning.bulletin import PAUSE_MS, Announcement, session_parts, station_voice
from broadcast.speech.engines import get_engine
from broadcast.speech.normalize import normalizer_for
from broadcast.speech.segments import SegmentStore
from broadcast.units.sessions import effective_sessions
from broadcast.units.tree import find_station

GENERIC_STATION = "Đài Truyền thanh"
Progress = Callable[[list[tuple[str, str]], str], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class PreviewPart:
    kind: str  # ident, jingle, greeting, intro, message, close
    path: Path
    duration: float | None  # seconds; None for jingles, which are not segments
    fallback_reason: str | None = None


@dataclass(frozen=True)
class Preview:
    path: Path
    duration: float
    loudness: float
    true_peak: float
    engine: str
    voice: str
    parts: list[PreviewPart]


def _no_progress(items: list[tuple[str, str]], label: str) -> Iterator[tuple[str, str]]:
    yield from items


def render_preview(
    db: DbSession,
    settings: Settings,
    *,
    message_id: int | None = None,
    text: str | None = None,
    station_code: str | None = None,
    engine_name: str | None = None,
    voice: str | None = None,
    out: Path | None = None,
    now: datetime | None = None,
    progress: Progress = _no_progress,
) -> Preview:
    """Render call, jingle, greeting, the announcement and the close, and write them as one MP3."""
    if (message_id is None) == (text is None):
        raise SpeechError("give {message_id} or {text}, not both and not neither", fields=("message_id", "text"))
    if message_id is not None:
        message = find_message(db, message_id)
        title, body = message.title, message.text
    else:
        title, body = "", text or ""
    station: Station | None = find_station(db, station_code) if station_code else None
    chosen, resolved_voice = station_voice(station, settings.engine, engine=engine_name, voice=voice)
    engine = get_engine(chosen)
    target = out or settings.home / "previews" / _default_name(message_id, body)
    _check_writable(target)

    store = SegmentStore(settings.audio_dir, settings.audio, normalizer_for(settings.lexicon))
    store.spoken(body)  # fail on empty or symbol-only text before any rendering
    templates = load_templates(find_folder(settings.audio_templates, settings.home))
    station_name = station.name if station else GENERIC_STATION
    zone = ZoneInfo(station.timezone if station else settings.timezone)
    today = (now or datetime.now(zone)).astimezone(zone)
    session = _session_name(db, station)

    said = [Announcement(title or None, body)]
    bulletin = session_parts(templates, station=station_name, session=session, day=today.date(), items=said)
    spoken = [(part.kind.value, part.text) for part in bulletin if part.text is not None]
    rendered: dict[str, PreviewPart] = {}
    for kind, words in progress(spoken, "Rendering speech"):
        segment = store.render(db, engine, resolved_voice, words)
        rendered[kind] = PreviewPart(kind, store.path_of(segment), segment.duration, segment.fallback_reason)
    parts = [
        PreviewPart(part.kind, templates.jingle(part.jingle), None) if part.jingle else rendered[part.kind]
        for part in bulletin
    ]
    audio, measured = assemble([p.path for p in parts], settings.audio, PAUSE_MS)
    write_atomic(target, audio)
    return Preview(
        target, measured.duration, measured.integrated, measured.true_peak, engine.name, resolved_voice, parts
    )


def _session_name(db: DbSession, station: Station | None) -> str:
    if station is None:
        return "hôm nay"
    clocks = effective_sessions(db, station).clocks
    return clocks[0].name if clocks else "hôm nay"


def _default_name(message_id: int | None, text: str) -> str:
    if message_id is not None:
        return f"message-{message_id}.mp3"
    return f"text-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}.mp3"


def _check_writable(target: Path) -> None:
    """Refuse an output path that cannot be written before spending time on rendering."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(
            f"cannot create {folder}: {exc.strerror or exc}; choose another {{out}}", field="out"
        ) from exc
    if target.is_dir():
        raise FileWriteError(f"{target} is a folder; give a file name such as {target / 'preview.mp3'}", field="out")
    if not os.access(folder, os.W_OK):
        raise FileWriteError(f"cannot write to {folder}: permission denied; choose another {{out}}", field="out")
