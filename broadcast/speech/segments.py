"""The segment store: each piece of speech rendered once, kept as audio/<sha256>.mp3 with its measures.

A segment's key is the sha256 of what its audio is made from — engine, voice, the normalised text and the audio
settings — so the same words for ten thousand stations are synthesised once. The MP3 file itself is named by the
sha256 of its bytes, which is what playlists and stations verify.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from broadcast.audio.ffmpeg import AudioSettings, encode_normalized
from broadcast.db.models import Segment
from broadcast.errors import SpeechError
from broadcast.files import write_atomic
from broadcast.speech.engines import Engine
from broadcast.speech.normalize import Normalizer, default_normalizer

RENDER_WORKERS = os.cpu_count() or 2


def segment_key(engine: str, voice: str, spoken: str, settings: AudioSettings) -> str:
    material = "\x1f".join((engine, voice, settings.key(), spoken))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass
class SegmentStore:
    """Renders text to stored segments, reusing any segment already made from the same material."""

    audio_dir: Path
    settings: AudioSettings
    normalizer: Normalizer | None = None
    made: int = 0  # segments synthesised by this store so far (the rest were found)

    def path_of(self, segment: Segment) -> Path:
        return self.audio_dir / f"{segment.sha256}.mp3"

    def spoken(self, text: str) -> str:
        """The text as it will be read; a SpeechError when nothing readable is left."""
        spoken = (self.normalizer or default_normalizer()).normalize(text)
        if not any(ch.isalpha() for ch in spoken):
            raise SpeechError("nothing to say: the text is empty or only symbols; give words to read")
        return spoken

    def find(self, db: DbSession, engine: Engine, voice: str, text: str) -> Segment | None:
        """The stored segment for this text, if it was rendered before and its file is still there."""
        key = segment_key(engine.name, voice, self.spoken(text), self.settings)
        segment = db.scalar(select(Segment).where(Segment.key == key))
        return segment if segment is not None and self.path_of(segment).is_file() else None

    def render(self, db: DbSession, engine: Engine, voice: str, text: str) -> Segment:
        """The segment for text, synthesised, normalised and stored only if it is not there yet."""
        return self.render_many(db, [(engine, voice, text)], workers=1)[0]

    def render_many(
        self, db: DbSession, requests: Sequence[tuple[Engine, str, str]], workers: int = RENDER_WORKERS
    ) -> list[Segment]:
        """Segments for many (engine, voice, text), in order; what is missing is made on worker threads.

        Synthesis and encoding run in child processes (espeak-ng, ffmpeg), so threads keep every core busy;
        the database is touched only from the calling thread.
        """
        # Ten thousand stations ask for the same few texts: normalise and hash each distinct request once.
        spoken = {text: self.spoken(text) for text in {text for _, _, text in requests}}
        key_of = {
            (engine.name, voice, text): segment_key(engine.name, voice, spoken[text], self.settings)
            for engine, voice, text in requests
        }
        keys = [key_of[(engine.name, voice, text)] for engine, voice, text in requests]
        found = {row.key: row for row in db.scalars(select(Segment).where(Segment.key.in_(set(keys))))}
        missing: dict[str, tuple[Engine, str, str]] = {}
        for key, (engine, voice, text) in zip(keys, requests, strict=True):
            row = found.get(key)
            if key not in missing and (row is None or not self.path_of(row).is_file()):
                missing[key] = (engine, voice, spoken[text])
        if missing:
            with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
                made = dict(zip(missing, pool.map(lambda job: self._make(*job), missing.values()), strict=True))
            for key, values in made.items():
                found[key] = self._store(db, key, values, found.get(key))
            self.made += len(made)
        return [found[key] for key in keys]

    def _make(self, engine: Engine, voice: str, spoken: str) -> dict[str, Any]:
        """Synthesise, normalise and write one segment's audio; the values of its row."""
        synthesis = engine.synthesize(spoken, voice)
        audio, loudness = encode_normalized(synthesis.audio, self.settings)
        sha256 = hashlib.sha256(audio).hexdigest()
        path = self.audio_dir / f"{sha256}.mp3"
        if not path.is_file():
            write_atomic(path, audio)
        return {
            "engine": engine.name,
            "voice": voice,
            "settings": self.settings.key(),
            "text": spoken,
            "sha256": sha256,
            "bytes": len(audio),
            "duration": loudness.duration,
            "loudness": loudness.integrated,
            "true_peak": loudness.true_peak,
            "rendered_by": synthesis.engine,
            "fallback_reason": synthesis.fallback_reason,
            "created_at": datetime.now(UTC),
        }

    def _store(self, db: DbSession, key: str, values: dict[str, Any], segment: Segment | None) -> Segment:
        if segment is not None:  # the row survived but its file was lost: it was made again
            for name, value in values.items():
                setattr(segment, name, value)
            return segment
        segment = Segment(key=key, **values)
        try:
            with db.begin_nested():  # another process may have stored the same key meanwhile
                db.add(segment)
        except IntegrityError:
            existing = db.scalar(select(Segment).where(Segment.key == key))
            if existing is None:
                raise
            return existing
        return segment
