"""The segment store: each piece of speech rendered once, kept as audio/<sha256>.mp3 with its measures.

A segment's key is the sha256 of what its audio is made from — engine, voice (with its speaking rate, see
style.py), the normalised text, the audio settings and the pauses — so the same words for ten thousand stations are
synthesised once. The MP3 file itself is named by the sha256 of its bytes, which is what playlists and stations
verify. A file the store reuses is verified first (by its size and mtime, and once a day by its bytes, see
checksums.py); a damaged one is rendered again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from broadcast.audio.ffmpeg import AudioSettings
from broadcast.audio.mastering import encode_normalized
from broadcast.checksums import VerifiedFiles
from broadcast.db.models import Segment
from broadcast.errors import FileWriteError, SpeechError
from broadcast.files import write_atomic
from broadcast.speech.engines import Engine
from broadcast.speech.normalize import Normalizer, default_normalizer
from broadcast.speech.style import PAUSES, Pauses

RENDER_WORKERS = os.cpu_count() or 2
STORE_INDEX = ".index.json"  # beside the store's folder (audio.index.json): what checksums.py knows of its files


def segment_key(engine: str, voice: str, spoken: str, settings: AudioSettings, pauses: Pauses = PAUSES) -> str:
    """The sha256 naming a segment's material; another rate (in voice) or pause style gives another key."""
    material = "\x1f".join((engine, voice, settings.key(), pauses.key(), spoken))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass
class SegmentStore:
    """Renders text to stored segments, reusing any segment already made from the same material."""

    audio_dir: Path
    settings: AudioSettings
    normalizer: Normalizer | None = None
    made: int = 0  # segments synthesised by this store so far (the rest were found)
    repaired: int = 0  # of those, segments whose file was there but damaged
    _verified: VerifiedFiles | None = field(default=None, init=False, repr=False)

    def path_of(self, segment: Segment) -> Path:
        return self.audio_dir / f"{segment.sha256}.mp3"

    @property
    def verified(self) -> VerifiedFiles:
        """The store's index of verified files, loaded on first use (its clock decides the daily full check)."""
        if self._verified is None:
            self._verified = VerifiedFiles(
                self.audio_dir, self.audio_dir.with_name(self.audio_dir.name + STORE_INDEX), datetime.now(UTC)
            )
        return self._verified

    def intact(self, segment: Segment) -> bool:
        """The segment's file is there with the bytes it was stored with."""
        return self.verified.intact(self.path_of(segment), segment.sha256, segment.bytes)

    def spoken(self, text: str) -> str:
        """The text as it will be read; a SpeechError when nothing readable is left."""
        spoken = (self.normalizer or default_normalizer()).normalize(text)
        if not any(ch.isalpha() for ch in spoken):
            raise SpeechError("nothing to say: the text is empty or only symbols; give words to read")
        return spoken

    def find(self, db: DbSession, engine: Engine, voice: str, text: str) -> Segment | None:
        """The stored segment for this text, if it was rendered before and its file is still there, undamaged."""
        key = segment_key(engine.name, voice, self.spoken(text), self.settings)
        segment = db.scalar(select(Segment).where(Segment.key == key))
        found = segment if segment is not None and self.intact(segment) else None
        self._save_index()
        return found

    def render(self, db: DbSession, engine: Engine, voice: str, text: str) -> Segment:
        """The segment for text, synthesised, normalised and stored only if it is not there yet."""
        return self.render_many(db, [(engine, voice, text)], workers=1)[0]

    def render_many(
        self, db: DbSession, requests: Sequence[tuple[Engine, str, str]], workers: int = RENDER_WORKERS
    ) -> list[Segment]:
        """Segments for many (engine, voice, text), in order; what is missing is made on worker threads.

        Synthesis runs in a child process per clip (espeak-ng) and loudness and encoding in this one (mastering.py,
        whose FFmpeg filters and LAME release the GIL), so threads keep every core busy; each clip is made on its
        own, so its bytes do not depend on its batch. The database and the index of verified files are touched only
        from the calling thread.
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
        damaged: set[str] = set()
        for key, (engine, voice, text) in zip(keys, requests, strict=True):
            row = found.get(key)
            if key in missing or key in damaged:
                continue
            if row is None or not self.intact(row):
                missing[key] = (engine, voice, spoken[text])
                if row is not None and self.path_of(row).exists():
                    damaged.add(key)  # there, but not the bytes it was stored with: it goes, whatever is made now
                    self.path_of(row).unlink(missing_ok=True)
        if missing:
            with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
                made = dict(zip(missing, pool.map(lambda job: self._make(*job), missing.values()), strict=True))
            found.update(self._store_all(db, made, found))
            for values in made.values():
                self.verified.record(self.audio_dir / f"{values['sha256']}.mp3", values["sha256"])
            self.made += len(made)
            self.repaired += len(damaged)
        self._save_index()
        return [found[key] for key in keys]

    def _save_index(self) -> None:
        with contextlib.suppress(FileWriteError):  # only speed is lost: the files are hashed again next time
            self.verified.save()

    def _make(self, engine: Engine, voice: str, spoken: str) -> dict[str, Any]:
        """Synthesise, normalise and write one segment's audio; the values of its row."""
        synthesis = engine.synthesize(spoken, voice)
        audio, loudness = encode_normalized(synthesis.audio, self.settings)
        sha256 = hashlib.sha256(audio).hexdigest()
        path = self.audio_dir / f"{sha256}.mp3"
        if not _holds(path, audio):  # a damaged file of the same name is replaced
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

    def _store_all(
        self, db: DbSession, made: dict[str, dict[str, Any]], found: dict[str, Segment]
    ) -> dict[str, Segment]:
        """The rows of the segments just made, by key: the survivors' updated, the new ones inserted together in one
        savepoint (batched INSERTs: at national size a savepoint per row cost PostgreSQL seconds of round trips);
        if another process stored some of the same keys meanwhile, row by row."""
        stored = {key: self._store(db, key, values, found[key]) for key, values in made.items() if key in found}
        new = {key: Segment(key=key, **values) for key, values in made.items() if key not in found}
        try:
            with db.begin_nested():
                db.add_all(new.values())
        except IntegrityError:
            return stored | {key: self._store(db, key, made[key], None) for key in new}
        return stored | new

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


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False
