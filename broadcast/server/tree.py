"""The export tree as the API reads it: manifests with their versions cached by file identity, playlists rewritten.

A manifest's version is its ETag. Reading it must stay cheap, since stations ask "has my day changed?" far more
often than it does: the version is read once per file state (inode, size, mtime) from the first lines of the
file — the manifest writer puts it there in a fixed layout — and only a file without it is parsed whole.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from broadcast.export.m3u8 import ROOT_FROM_PLAYLIST
from broadcast.export.manifest import AUDIO_DIR, manifest_path, playlist_path
from broadcast.export.manifest import peek_version as version_of

AUDIO_URL_PREFIX = "/api/v1/audio/"
_CACHE_LIMIT = 100_000  # file states; cleared past this, which a province or the country never reaches in a day


@dataclass(frozen=True)
class ManifestFile:
    data: bytes
    version: str | None  # None only for a damaged file that names no version


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class ExportTree:
    """Reads manifests, playlists and audio under one export root; every name is validated before it gets here."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._versions: dict[str, tuple[tuple[int, int, int], str | None]] = {}
        self._lock = threading.Lock()

    def manifest_version(self, station: str, day: date) -> tuple[bool, str | None]:
        """(exists, version) of the day's manifest, from the cache while the file is unchanged."""
        path = str(self.root / manifest_path(station, day))
        try:
            identity = _identity(os.stat(path))
        except (FileNotFoundError, NotADirectoryError):
            return False, None
        cached = self._versions.get(path)
        if cached is not None and cached[0] == identity:
            return True, cached[1]
        found = self.read_manifest(station, day)
        return (found is not None), (found.version if found else None)

    def read_manifest(self, station: str, day: date) -> ManifestFile | None:
        """The manifest's bytes and version, read from one open file so they always belong together."""
        path = str(self.root / manifest_path(station, day))
        try:
            with open(path, "rb") as handle:
                identity = _identity(os.fstat(handle.fileno()))
                cached = self._versions.get(path)
                data = handle.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None
        version = cached[1] if cached is not None and cached[0] == identity else version_of(data)
        with self._lock:
            if len(self._versions) >= _CACHE_LIMIT:
                self._versions.clear()
            self._versions[path] = (identity, version)
        return ManifestFile(data, version)

    def read_playlist(self, station: str, day: date) -> bytes | None:
        """The day's M3U8 with its audio paths made absolute API paths, or None when there is none."""
        try:
            data = (self.root / playlist_path(station, day)).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None
        return rewrite_playlist(data)

    def audio_file(self, sha256: str, fallback: Path | None = None) -> Path | None:
        """The exported audio file named by its sha256, else the one in `fallback` (the segment store)."""
        for folder in (self.root / AUDIO_DIR, fallback):
            if folder is not None:
                path = folder / f"{sha256}.mp3"
                if path.is_file():
                    return path
        return None


def rewrite_playlist(data: bytes) -> bytes:
    """Playlist lines `../../audio/<sha>.mp3` (for the static tree) become `/api/v1/audio/<sha>.mp3`."""
    relative = f"{ROOT_FROM_PLAYLIST}{AUDIO_DIR}/".encode()
    lines = data.split(b"\n")
    return b"\n".join(
        AUDIO_URL_PREFIX.encode() + line[len(relative) :] if line.startswith(relative) else line for line in lines
    )
