"""Publishing the export tree: audio first, then each day's playlist and manifest, every file replaced atomically.

A reader (web server, station client) never sees a manifest whose audio is missing: a day's audio is in place and
verified before its manifest is written, and a day whose audio cannot be verified keeps its previous manifest.
Files whose content has not changed are left alone, so their bytes, mtime and ETag stay the same.

A crash, even a power cut, leaves the last good export intact without an fsync per file: the audio is copied and
every changed playlist and manifest written to a temporary file first, then one sync of the export's filesystem
makes all of it durable, and only then are the playlists and manifests renamed into place (the switch). A crash
before the switch leaves the previous files and some temporary ones (removed by the next build); after it, every
name points at bytes already on disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO

from broadcast.checksums import VerifiedFiles
from broadcast.errors import ExportError, FileWriteError
from broadcast.export.m3u8 import write_m3u8
from broadcast.export.manifest import (
    AUDIO_DIR,
    STATIONS_DIR,
    ManifestError,
    audio_path,
    manifest_audio,
    manifest_path,
    playlist_path,
    read_manifest,
    station_dir,
    write_manifest,
)
from broadcast.export.model import ExportItem, StationDay
from broadcast.files import commit, copy_atomic, remove_stale, stage, sync_filesystems

AUDIO_INDEX = ".audio-index.json"  # at the export root: what checksums.py knows of each file in audio/


@dataclass(frozen=True)
class PublishResult:
    days_written: int  # days whose manifest or playlist changed
    days_unchanged: int  # days left byte for byte as they were
    audio_added: int  # audio files copied into export/audio
    audio_repaired: int = 0  # audio files whose bytes no longer matched their sha256, copied again
    audio_unlinked: int = 0  # audio files hard-linked to the segment store by an older build, now copies


class PublishError(ExportError):
    """Some days could not be published; the others were, and `result` counts them."""

    def __init__(self, failures: tuple[str, ...], result: PublishResult) -> None:
        count = len(failures)
        days = "station-day was" if count == 1 else "station-days were"
        super().__init__(f"{count} {days} not published and keep their previous manifest; first: {failures[0]}")
        self.failures = failures
        self.result = result


def _render(writer: Callable[[StationDay, IO[str]], None], day: StationDay) -> bytes:
    out = io.StringIO()
    writer(day, out)
    return out.getvalue().encode("utf-8")


def _unchanged(path: Path, data: bytes) -> bool:
    try:
        with open(path, "rb", buffering=0) as file:
            return file.read(len(data) + 1) == data  # one byte more: a longer file is a changed one
    except OSError:
        return False


class _StationFolders:
    """The names in each station's folder, listed once per run, the folder made when missing: a first national
    publish then tries no read of a file that is not there and makes each of its 10,000 folders once."""

    def __init__(self, export_root: Path) -> None:
        self.root = export_root
        self.listed: dict[str, set[str]] = {}

    def names(self, station: str) -> set[str]:
        """The names of the files in the station's folder as the run began."""
        folder = station_dir(station)
        names = self.listed.get(folder)
        if names is None:
            path = self.root / folder
            try:
                with os.scandir(path) as entries:
                    names = {entry.name for entry in entries}
            except FileNotFoundError:
                names = set()
                try:
                    path.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    reason = exc.strerror or exc
                    raise FileWriteError(
                        f"cannot create {path}: {reason}; check the export folder is writable"
                    ) from exc
            self.listed[folder] = names
        return names


def _check(item: ExportItem, sha256: str, size: int) -> None:
    if sha256 != item.sha256:
        raise ExportError(
            f"audio for {item.title!r} at {item.source} is not what was planned (sha256 {sha256[:12]}…, "
            f"expected {item.sha256[:12]}…); render it again, then publish again"
        )
    if size != item.bytes:
        raise ExportError(
            f"audio for {item.title!r} has {size} bytes, the plan says {item.bytes}; plan the day again, then publish"
        )


def _missing(item: ExportItem) -> ExportError:
    return ExportError(f"audio for {item.title!r} is missing: {item.source}; render it again, then publish again")


class _AudioShelf:
    """export/audio: each file brought in once per run, as a copy of its source, and verified (see checksums.py).

    Export audio is never a hard link to the segment store: damage to one would be damage to both. A file still
    linked from an older export, or whose bytes no longer match its name, is replaced by a fresh copy.
    """

    def __init__(self, export_root: Path, now: datetime) -> None:
        self.root = export_root
        self.ready: set[str] = set()
        self.failed: dict[tuple[str, Path], str] = {}
        self.added = self.repaired = self.unlinked = 0
        folder = export_root / AUDIO_DIR
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(f"cannot create {folder}: {exc.strerror or exc}; check the path") from exc
        self.verified = VerifiedFiles(folder, export_root / AUDIO_INDEX, now)

    def ensure(self, item: ExportItem) -> None:
        if item.sha256 in self.ready:
            return
        key = (item.sha256, item.source)
        if key in self.failed:
            raise ExportError(self.failed[key])
        try:
            self._ensure(item)
        except ExportError as exc:
            self.failed[key] = str(exc)
            raise
        self.ready.add(item.sha256)

    def _ensure(self, item: ExportItem) -> None:
        target = self.root / audio_path(item.sha256)
        try:
            linked = target.stat().st_nlink > 1
        except FileNotFoundError:
            self._copy(item, target)
            self.added += 1
            return
        if linked:
            self._copy(item, target)  # the rename gives the name its own inode
            self.unlinked += 1
        elif self.verified.intact(target, item.sha256, item.bytes):
            # Mark it as in use now, so a retention run never takes it while its manifest is being written.
            with contextlib.suppress(OSError):
                os.utime(target)
            self.verified.record(target, item.sha256)
        else:
            self._copy(item, target)
            self.repaired += 1

    def _copy(self, item: ExportItem, target: Path) -> None:
        def check(copy: Path) -> None:
            with copy.open("rb") as audio:
                sha256 = hashlib.file_digest(audio, "sha256").hexdigest()
                size = os.fstat(audio.fileno()).st_size
            _check(item, sha256, size)

        try:
            copy_atomic(item.source, target, check, durable=False)  # synced before the switch
        except FileNotFoundError as exc:
            raise _missing(item) from exc
        except OSError as exc:
            raise ExportError(f"cannot read audio {item.source}: {exc.strerror or exc}; check its permissions") from exc
        except FileWriteError as exc:
            raise ExportError(str(exc)) from exc
        self.verified.record(target, item.sha256)


def _stage_day(
    export_root: Path, day: StationDay, shelf: _AudioShelf, folders: _StationFolders
) -> list[tuple[Path, Path]]:
    """Bring in one day's audio and stage its changed files: (temporary, target) pairs in the order they are to be
    renamed; none when both files are already as they should be."""
    # The playlist before the manifest: a client that sees the new version finds everything it names.
    files = (
        (playlist_path(day.station, day.date), _render(write_m3u8, day)),
        (manifest_path(day.station, day.date), _render(write_manifest, day)),
    )
    for session in day.sessions:
        for item in session.items:
            shelf.ensure(item)
    existing = folders.names(day.station)
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, data in files:
            path = export_root / relative
            if path.name not in existing or not _unchanged(path, data):
                staged.append((stage(path, data), path))
    except BaseException:
        _discard(staged)
        raise
    return staged


def _discard(staged: Iterable[tuple[Path, Path]]) -> None:
    for temporary, _ in staged:
        temporary.unlink(missing_ok=True)


def _switch(export_root: Path, staged: list[tuple[Path, Path]]) -> None:
    """One sync of the export's filesystem, then every staged file renamed into place, then one more sync so the
    renames themselves are on disk when publishing returns."""
    folders = [export_root / AUDIO_DIR, export_root / STATIONS_DIR]
    done = 0
    try:
        sync_filesystems(folder for folder in folders if folder.is_dir())
        for temporary, path in staged:
            done += 1
            commit(temporary, path)
    except BaseException:
        _discard(staged[done:])
        raise
    sync_filesystems(folder for folder in folders if folder.is_dir())


def publish_days(export_root: Path, days: Iterable[StationDay], *, now: datetime | None = None) -> PublishResult:
    """Publish each day's audio, playlist and manifest under export_root.

    Audio is copied from its source (a reflink where the filesystem can) and verified against its sha256; audio
    already exported is verified too (by its size and mtime, and once a day by its bytes, see checksums.py) and copied
    again when damaged. Days whose audio is missing or wrong are skipped and reported together at the end as a
    PublishError; the other days are published. now (default: the clock) decides when the daily full check is due.
    FileWriteError when the export's disk cannot be written or synced (no playlist or manifest is switched then).
    """
    days = list(days)
    seen: set[tuple[str, date]] = set()
    for day in days:
        key = (day.station, day.date)
        if key in seen:
            raise ExportError(f"station {day.station} on {day.date.isoformat()} is given twice; publish each day once")
        seen.add(key)
    shelf = _AudioShelf(export_root, now or datetime.now(UTC))
    folders = _StationFolders(export_root)
    written = unchanged = 0
    failures: list[str] = []
    staged: list[tuple[Path, Path]] = []
    try:
        try:
            for day in days:
                try:
                    files = _stage_day(export_root, day, shelf, folders)
                except ExportError as exc:
                    failures.append(f"{day.station} {day.date.isoformat()}: {exc}")
                    continue
                staged.extend(files)
                written += bool(files)
                unchanged += not files
        except BaseException:
            _discard(staged)
            raise
        _switch(export_root, staged)
    finally:
        shelf.verified.save()
    result = PublishResult(
        days_written=written,
        days_unchanged=unchanged,
        audio_added=shelf.added,
        audio_repaired=shelf.repaired,
        audio_unlinked=shelf.unlinked,
    )
    if failures:
        raise PublishError(tuple(failures), result)
    return result


def _referenced_audio(export_root: Path) -> set[str]:
    """The sha256 of every item in every manifest under stations/."""
    referenced: set[str] = set()
    for path in (export_root / STATIONS_DIR).glob("*/*.json"):
        try:
            referenced.update(manifest_audio(read_manifest(path.read_bytes())))
        except FileNotFoundError:
            continue  # removed since the listing: it references nothing any more
        except (OSError, ManifestError) as exc:
            raise ExportError(
                f"cannot read manifest {path} ({exc}); no audio was removed — publish that day again or delete it"
            ) from exc
    return referenced


def _temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def remove_leftovers(export_root: Path) -> int:
    """Delete the temporary files (".<name>.<random>.tmp") that a killed build left in the export tree; how many.

    Only a build writes the export, and builds hold the build lock, so the caller (holding it) knows every temporary
    file there is a leftover, whatever its age.
    """
    removed = 0
    folders = [export_root / AUDIO_DIR, *sorted((export_root / STATIONS_DIR).glob("*/"))]
    for folder in folders:
        if folder.is_dir():
            removed += remove_stale(folder, lambda name: not _temporary(name), math.inf)
    return removed


def remove_unreferenced_audio(export_root: Path, retention_days: int, now: datetime) -> int:
    """Delete audio no manifest references and unused for longer than retention_days; the number of files removed.

    Leftover temporary files from interrupted writes older than the retention period go too.
    """
    if retention_days < 0:
        raise ExportError(f"retention of {retention_days} days makes no sense; give 0 or more days")
    audio_dir = export_root / AUDIO_DIR
    if not audio_dir.is_dir():
        return 0
    referenced = _referenced_audio(export_root)
    cutoff = (now - timedelta(days=retention_days)).timestamp()

    def keep(name: str) -> bool:
        leftover = _temporary(name)
        unreferenced = name.endswith(".mp3") and not name.startswith(".") and name[: -len(".mp3")] not in referenced
        return not (leftover or unreferenced)

    try:
        return remove_stale(audio_dir, keep, cutoff)
    except OSError as exc:
        raise ExportError(f"cannot clean {audio_dir}: {exc.strerror or exc}; check permissions") from exc


def remove_old_days(export_root: Path, keep_days: int, today: date, station: str | None = None) -> int:
    """Delete the playlists and manifests of days before today - keep_days, for one station or all; days removed."""
    if keep_days < 0:
        raise ExportError(f"keeping {keep_days} days makes no sense; give 0 or more days")
    first_kept = today - timedelta(days=keep_days)
    stations = export_root / STATIONS_DIR
    if station is not None:
        folders = [export_root / station_dir(station)]
    else:
        folders = [path for path in stations.iterdir() if path.is_dir()] if stations.is_dir() else []
    removed = 0
    for folder in folders:
        old: dict[date, list[Path]] = {}
        for path in folder.glob("*"):
            if path.suffix not in (".json", ".m3u8"):
                continue
            try:
                day = date.fromisoformat(path.stem)
            except ValueError:
                continue
            if day < first_kept:
                old.setdefault(day, []).append(path)
        for paths in old.values():
            # Playlists first: a manifest left behind by a crash still protects the audio it names.
            for path in sorted(paths, key=lambda path: path.suffix == ".json"):
                try:
                    path.unlink(missing_ok=True)
                except OSError as exc:
                    raise ExportError(f"cannot remove {path}: {exc.strerror or exc}; check permissions") from exc
            removed += 1
    return removed
