"""The segment store: each piece of speech rendered once, kept as audio/<sha256>.mp3 with its measures.

A segment's key is the sha256 of what its audio is made from — engine, voice, the normalised text and the audio
settings — so the same words for ten thousand stations are synthesised once. The MP3 file itself is named by the
sha256 of its bytes, which is what playlists and stations verify.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from broadcast.audio.ffmpeg import AudioSettings, encode_normalized
from broadcast.db.models import Segment
from broadcast.errors import SpeechError
from broadcast.files import write_atomic
from broadcast.speech.engines import Engine
from broadcast.speech.normalize import Normalizer, default_normalizer


def segment_key(engine: str, voice: str, spoken: str, settings: AudioSettings) -> str:
    material = "\x1f".join((engine, voice, settings.key(), spoken))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass
class SegmentStore:
    """Renders text to stored segments, reusing any segment already made from the same material."""

    audio_dir: Path
    settings: AudioSettings
    normalizer: Normalizer | None = None

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
        spoken = self.spoken(text)
        key = segment_key(engine.name, voice, spoken, self.settings)
        segment = db.scalar(select(Segment).where(Segment.key == key))
        if segment is not None and self.path_of(segment).is_file():
            return segment
        synthesis = engine.synthesize(spoken, voice)
        audio, loudness = encode_normalized(synthesis.audio, self.settings)
        sha256 = hashlib.sha256(audio).hexdigest()
        path = self.audio_dir / f"{sha256}.mp3"
        if not path.is_file():
            write_atomic(path, audio)
        values = {
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
        if segment is not None:  # the row survived but its file was lost: make it again
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
