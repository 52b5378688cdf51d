"""The station's folder: a mirror of the server's export tree for one station, and its retention.

A day is swapped in the way the publisher does it: its audio is in place and verified first, then the playlist,
then the manifest, each file replaced atomically. The manifest is the commit point: its version is what the next
sync sends as If-None-Match, so a sync cut off before it is written simply fetches the day again.

Audio is verified when it comes in, again by every sync (through an index of size, mtime and sha256, with a full
re-hash once a day, see checksums.py), and once more, byte for byte, just before it plays.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from broadcast.checksums import VerifiedFiles, file_sha256
from broadcast.errors import ExportError, StationError
from broadcast.export.m3u8 import write_m3u8
from broadcast.export.manifest import (
    AUDIO_DIR,
    STATIONS_DIR,
    Manifest,
    ManifestError,
    audio_path,
    dump_manifest,
    manifest_audio,
    manifest_path,
    manifest_station_day,
    playlist_path,
    read_manifest,
    station_dir,
)
from broadcast.export.publish import remove_old_days
from broadcast.files import remove_stale, write_atomic

PART_SUFFIX = ".part"
AUDIO_INDEX = ".audio-index.json"  # at the folder's root: what checksums.py knows of each file in audio/
# Yesterday stays: a session running past midnight still plays from it, and an operator can check what was aired.
KEEP_PAST_DAYS = 1
# Audio no day names is left alone this long: `station play` may have just fetched an emergency item into audio/.
AUDIO_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class Pruned:
    days: int  # station-days whose manifest and playlist were removed
    audio: int  # audio files (and abandoned partial downloads) removed


def _write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


class Mirror:
    """One station's days and the audio they need, under a station folder."""

    def __init__(self, root: Path, station: str) -> None:
        try:
            station_dir(station)
        except ExportError as exc:
            raise StationError(str(exc)) from exc
        self.root = root
        self.station = station

    def prepare(self) -> None:
        """Create the folder's audio/ (and the folder itself); StationError when that is not possible."""
        try:
            (self.root / AUDIO_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StationError(
                f"cannot use {self.root} as the station folder: {exc.strerror or exc}; check {{folder}}",
                field="folder",
            ) from exc

    def manifest_file(self, day: date) -> Path:
        return self.root / manifest_path(self.station, day)

    def playlist_file(self, day: date) -> Path:
        return self.root / playlist_path(self.station, day)

    def audio_file(self, sha256: str) -> Path:
        return self.root / audio_path(sha256)

    def part_file(self, sha256: str) -> Path:
        """Where a download in progress grows; it becomes the audio file once its sha256 is verified."""
        path = self.audio_file(sha256)
        return path.with_name(path.name + PART_SUFFIX)

    def load(self, day: date) -> Manifest | None:
        """The day's manifest as last installed, or None when there is none or it is not this station's valid day."""
        try:
            return read_manifest(self.manifest_file(day).read_bytes(), self.station, day)
        except (OSError, ManifestError):
            return None

    def has_audio(self, sha256: str, size: int) -> bool:
        """The file is there at its size; its sha256 was verified when it came in (see `verified_audio`)."""
        try:
            return self.audio_file(sha256).stat().st_size == size
        except OSError:
            return False

    def audio_problem(self, sha256: str, size: int) -> str | None:
        """None when the audio file's bytes, read now, are exactly the ones named (what plays must pass this);
        otherwise what is wrong with it, in a few words."""
        path = self.audio_file(sha256)
        try:
            found = path.stat().st_size
            if found != size:
                return f"audio {path.name} has {found} bytes, the manifest says {size}"
            digest = file_sha256(path)
        except FileNotFoundError:
            return f"audio {path.name} is missing"
        except OSError as exc:
            return f"audio {path.name} cannot be read: {exc.strerror or exc}"
        if digest != sha256:
            return f"audio {path.name} is damaged (sha256 {digest[:12]}…); the next sync fetches it again"
        return None

    def audio_index(self, now: datetime) -> VerifiedFiles:
        """The folder's index of verified audio; now decides whether this run is the day's full check."""
        return VerifiedFiles(self.root / AUDIO_DIR, self.root / AUDIO_INDEX, now)

    def missing_audio(self, manifest: dict[str, Any], verified: VerifiedFiles | None = None) -> dict[str, int]:
        """The day's audio not yet in the folder at its size (with verified: not there with its bytes), sha256 to
        size."""
        wanted = manifest_audio(manifest).items()
        if verified is None:
            return {sha: size for sha, size in wanted if not self.has_audio(sha, size)}
        return {sha: size for sha, size in wanted if not verified.intact(self.audio_file(sha), sha, size)}

    def discard_audio(self, sha256: str) -> bool:
        """Remove a damaged audio file so that it is fetched anew; True when there was one."""
        path = self.audio_file(sha256)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            return True
        return False

    def install(self, manifest: dict[str, Any]) -> bool:
        """Write the day's playlist, then its manifest, once its audio is all in place; True when a file changed."""
        missing = self.missing_audio(manifest)
        if missing:
            raise StationError(f"cannot install {manifest['date']}: {len(missing)} audio files are missing")
        day = date.fromisoformat(manifest["date"])
        playlist = io.StringIO()
        write_m3u8(manifest_station_day(manifest, self.root), playlist)
        text = dump_manifest(manifest)
        changed = _write_if_changed(self.playlist_file(day), playlist.getvalue().encode("utf-8"))
        return _write_if_changed(self.manifest_file(day), text.encode("utf-8")) or changed

    def prune(self, today: date, now: datetime, pending: Iterable[str] = (), *, audio: bool = True) -> Pruned:
        """Remove days before yesterday, then (with audio) audio no remaining day nor a pending download needs."""
        try:
            days = remove_old_days(self.root, KEEP_PAST_DAYS, today, self.station)
        except (ExportError, OSError) as exc:
            raise StationError(f"cannot remove old days from {self.root}: {exc}") from exc
        if not audio:
            return Pruned(days, 0)
        needed = set(pending)
        for path in (self.root / STATIONS_DIR).glob("*/*.json"):
            try:
                needed.update(manifest_audio(read_manifest(path.read_bytes())))
            except (OSError, ManifestError):
                return Pruned(days, 0)  # an unreadable manifest may need anything: remove no audio this time
        cutoff = (now - AUDIO_GRACE).timestamp()
        audio_dir = self.root / AUDIO_DIR
        if not audio_dir.is_dir():
            return Pruned(days, 0)

        def keep(name: str) -> bool:
            sha = name.removesuffix(PART_SUFFIX).removesuffix(".mp3")
            leftover = name.startswith(".") and name.endswith(".tmp")
            return not leftover and (sha == name or sha in needed)

        try:
            return Pruned(days, remove_stale(audio_dir, keep, cutoff))
        except OSError as exc:
            raise StationError(f"cannot clean {audio_dir}: {exc.strerror or exc}; check permissions") from exc
