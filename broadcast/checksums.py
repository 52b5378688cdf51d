"""Verified files: an index of (size, mtime_ns, sha256) per file, so a folder of audio is re-checked cheaply.

A file whose size and mtime are as the index has them is trusted without being read, except in a full check, which
hashes every file it is asked about again; the index records when the last full check ran and asks for one once a
day. So a same-size change that moves the mtime is found by the next run, and one whose mtime was put back by the
next full check. The index is a JSON file written atomically; a missing or damaged index means every file is hashed.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from broadcast.files import write_atomic

FULL_CHECK_EVERY = timedelta(days=1)
INDEX_VERSION = 1


def file_sha256(path: Path) -> str:
    """The sha256 of the file's bytes, read in chunks (hex); OSError when it cannot be read."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


class VerifiedFiles:
    """The index of one folder's files, by name; load it, ask `intact` about each file relied on, then `save`."""

    def __init__(self, folder: Path, index: Path, now: datetime, full_every: timedelta = FULL_CHECK_EVERY) -> None:
        """folder holds the files, index is the JSON file; now (timezone-aware) decides whether this run is the
        day's full check."""
        self.folder = folder
        self.index = index
        self.now = now
        self.entries: dict[str, tuple[int, int, str]] = {}
        self.last_full: datetime | None = None
        self.hashed = 0  # files read and hashed by this run
        self._dirty = False
        self._load()
        self.full = self.last_full is None or now - self.last_full >= full_every

    def _load(self) -> None:
        try:
            data = json.loads(self.index.read_bytes())
            if data.get("version") != INDEX_VERSION:
                return
            last_full = datetime.fromisoformat(data["full_check"]) if data.get("full_check") else None
            entries = {
                str(name): (int(size), int(mtime_ns), str(sha256))
                for name, (size, mtime_ns, sha256) in data["files"].items()
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return  # no index or a damaged one: every file is hashed again, and the index written anew
        if last_full is not None and last_full.tzinfo is None:
            return
        self.entries, self.last_full = entries, last_full

    def intact(self, path: Path, sha256: str, size: int) -> bool:
        """The file is there with exactly these bytes: trusted from the index when its size and mtime are unchanged
        (outside a full check), else hashed again. A file that fails is dropped from the index."""
        try:
            stat = path.stat()
        except OSError:
            self.forget(path)
            return False
        if stat.st_size != size:
            self.forget(path)
            return False
        known = (stat.st_size, stat.st_mtime_ns, sha256)
        if not self.full and self.entries.get(path.name) == known:
            return True
        try:
            # Stat before hashing: a change made while the file is read moves its mtime past what is recorded.
            digest = file_sha256(path)
        except OSError:
            self.forget(path)
            return False
        self.hashed += 1
        if digest != sha256:
            self.forget(path)
            return False
        self._set(path.name, known)
        return True

    def record(self, path: Path, sha256: str) -> None:
        """Remember a file whose bytes the caller has just written or verified (after touching it, say)."""
        try:
            stat = path.stat()
        except OSError:
            self.forget(path)
            return
        self._set(path.name, (stat.st_size, stat.st_mtime_ns, sha256))

    def forget(self, path: Path) -> None:
        if self.entries.pop(path.name, None) is not None:
            self._dirty = True

    def _set(self, name: str, entry: tuple[int, int, str]) -> None:
        if self.entries.get(name) != entry:
            self.entries[name] = entry
            self._dirty = True

    def save(self, *, complete: bool = True) -> None:
        """Write the index when it changed, recording a full check when this run was one and complete says every
        file was asked about; files gone are dropped."""
        try:
            present = set(os.listdir(self.folder))
        except OSError:
            present = set()
        for name in [name for name in self.entries if name not in present]:
            del self.entries[name]
            self._dirty = True
        done = self.full and complete
        if not (self._dirty or (done and self.last_full != self.now)):
            return
        if not self.entries and not self.index.exists():
            return  # nothing known yet: no index to write
        if done:
            self.last_full = self.now
        data = {
            "version": INDEX_VERSION,
            "full_check": self.last_full.isoformat() if self.last_full else None,
            "files": {name: list(entry) for name, entry in sorted(self.entries.items())},
        }
        write_atomic(self.index, json.dumps(data, separators=(",", ":")).encode("utf-8"))
        self._dirty = False
