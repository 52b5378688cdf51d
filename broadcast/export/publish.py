"""Publishing the export tree: audio first, then each day's playlist and manifest, every file replaced atomically.

A reader (web server, station client) never sees a manifest whose audio is missing: a day's audio is in place and
verified before its manifest is written, and a day whose audio cannot be verified keeps its previous manifest.
Files whose content has not changed are left alone, so their bytes, mtime and ETag stay the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO

from broadcast.errors import ExportError
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
from broadcast.files import remove_stale, write_atomic


@dataclass(frozen=True)
class PublishResult:
    days_written: int  # days whose manifest or playlist changed
    days_unchanged: int  # days left byte for byte as they were
    audio_added: int  # audio files linked or copied into export/audio


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
        return path.read_bytes() == data
    except OSError:
        return False


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
    """export/audio: each file brought in once per run, trusted by name and size when already there."""

    def __init__(self, export_root: Path, hardlink: bool) -> None:
        self.root = export_root
        self.hardlink = hardlink
        self.ready: set[str] = set()
        self.failed: dict[tuple[str, Path], str] = {}
        self.added = 0
        try:
            (export_root / AUDIO_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportError(
                f"cannot create {export_root / AUDIO_DIR}: {exc.strerror or exc}; check the path"
            ) from exc

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
            present = target.stat().st_size == item.bytes
        except FileNotFoundError:
            present = False
        if present:
            # Mark it as in use now, so a retention run never takes it while its manifest is being written.
            with contextlib.suppress(OSError):
                os.utime(target)
            return
        if not (self.hardlink and self._link(item, target)):
            self._copy(item, target)
        self.added += 1

    def _link(self, item: ExportItem, target: Path) -> bool:
        """Hard-link the source in, verified; False when links are not possible here (another filesystem)."""
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            os.link(item.source, temporary)
        except FileNotFoundError as exc:
            raise _missing(item) from exc
        except OSError:
            return False
        try:
            with temporary.open("rb") as audio:
                sha256 = hashlib.file_digest(audio, "sha256").hexdigest()
                size = os.fstat(audio.fileno()).st_size
            _check(item, sha256, size)
            os.replace(temporary, target)
        except OSError as exc:
            raise ExportError(f"cannot link {item.source} into {target.parent}: {exc.strerror or exc}") from exc
        finally:
            temporary.unlink(missing_ok=True)
        return True

    def _copy(self, item: ExportItem, target: Path) -> None:
        try:
            data = item.source.read_bytes()
        except FileNotFoundError as exc:
            raise _missing(item) from exc
        except OSError as exc:
            raise ExportError(f"cannot read audio {item.source}: {exc.strerror or exc}; check its permissions") from exc
        _check(item, hashlib.sha256(data).hexdigest(), len(data))
        write_atomic(target, data)


def _publish_day(export_root: Path, day: StationDay, shelf: _AudioShelf) -> bool:
    """Publish one day; True when a file was written, False when both were already as they should be."""
    # The playlist before the manifest: a client that sees the new version finds everything it names.
    files = (
        (playlist_path(day.station, day.date), _render(write_m3u8, day)),
        (manifest_path(day.station, day.date), _render(write_manifest, day)),
    )
    for session in day.sessions:
        for item in session.items:
            shelf.ensure(item)
    written = False
    for relative, data in files:
        path = export_root / relative
        if not _unchanged(path, data):
            write_atomic(path, data)
            written = True
    return written


def publish_days(export_root: Path, days: Iterable[StationDay], *, hardlink: bool = True) -> PublishResult:
    """Publish each day's audio, playlist and manifest under export_root.

    Audio is hard-linked from the segment store when it shares the filesystem, copied otherwise, and verified
    against its sha256 either way. Days whose audio is missing or wrong are skipped and reported together at the
    end as a PublishError; the other days are published.
    """
    days = list(days)
    seen: set[tuple[str, date]] = set()
    for day in days:
        key = (day.station, day.date)
        if key in seen:
            raise ExportError(f"station {day.station} on {day.date.isoformat()} is given twice; publish each day once")
        seen.add(key)
    shelf = _AudioShelf(export_root, hardlink)
    written = unchanged = 0
    failures: list[str] = []
    for day in days:
        try:
            changed = _publish_day(export_root, day, shelf)
        except ExportError as exc:
            failures.append(f"{day.station} {day.date.isoformat()}: {exc}")
            continue
        written += changed
        unchanged += not changed
    result = PublishResult(days_written=written, days_unchanged=unchanged, audio_added=shelf.added)
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
