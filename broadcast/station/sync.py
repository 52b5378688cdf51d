"""`station sync`: bring the station's folder up to date for the days ahead, then report what was played.

Each day is fetched with If-None-Match, its missing audio downloaded and verified, and only then swapped in (see
mirror.py). The audio already in the folder is verified again on every sync (see checksums.py): a damaged file is
removed and downloaded again, and the report counts it as repaired. A day that cannot be completed keeps its last
good version; the sync goes on with the other days and ends with a SyncIncompleteError naming what was kept. When
the server cannot be reached at all, the remaining network steps are skipped, but local retention still runs.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from broadcast.checksums import VerifiedFiles
from broadcast.errors import FileWriteError, StationError, SyncIncompleteError
from broadcast.export.manifest import manifest_audio
from broadcast.station.asrun import AsRunLog
from broadcast.station.client import NotPublished, ServerUnreachable, StationClient
from broadcast.station.days import check_manifest
from broadcast.station.mirror import Mirror

UPLOAD_BATCH = 500


@dataclass(frozen=True)
class DaySync:
    """What became of one day."""

    date: date
    status: str  # updated, unchanged, not published, kept
    version: str | None  # the version now in the folder, None when there is none
    problem: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "status": self.status, "version": self.version, "problem": self.problem}


@dataclass
class SyncReport:
    days: list[DaySync] = field(default_factory=list)
    files_downloaded: int = 0
    bytes_downloaded: int = 0
    audio_repaired: int = 0  # files found damaged in the folder, removed and downloaded again
    asrun_sent: int = 0
    days_removed: int = 0
    audio_removed: int = 0
    problem: str | None = None  # the first thing that went wrong; the days it touched kept their last good version

    def as_json(self) -> dict[str, Any]:
        return {
            "days": [day.as_json() for day in self.days],
            "files_downloaded": self.files_downloaded,
            "bytes_downloaded": self.bytes_downloaded,
            "audio_repaired": self.audio_repaired,
            "asrun_sent": self.asrun_sent,
            "days_removed": self.days_removed,
            "audio_removed": self.audio_removed,
            "problem": self.problem,
        }

    def summary(self) -> str:
        """The problem and what the station kept, on one line."""
        kept = ", ".join(
            f"{day.date.isoformat()} {'v' + day.version if day.version else '(none)'}"
            for day in self.days
            if day.status == "kept"
        )
        return f"{self.problem}; kept the last good days: {kept or 'none'}; try again later"


def _sync_day(
    mirror: Mirror, client: StationClient, day: date, pending: set[str], verified: VerifiedFiles, report: SyncReport
) -> DaySync:
    stored = mirror.load(day)
    version = stored.get("version") if stored else None
    fetched = client.day(day, version if isinstance(version, str) else None)
    manifest = check_manifest(fetched, mirror.station, day) if fetched is not None or stored is None else stored
    pending.update(manifest_audio(manifest))
    for sha256, size in mirror.missing_audio(manifest, verified).items():
        report.audio_repaired += mirror.discard_audio(sha256)  # there, but not with its bytes
        client.download(sha256, size, mirror.audio_file(sha256), mirror.part_file(sha256))
        verified.record(mirror.audio_file(sha256), sha256)
    changed = mirror.install(manifest)
    status = "updated" if fetched is not None or changed else "unchanged"
    return DaySync(day, status, manifest["version"])


def _upload(log: AsRunLog, client: StationClient) -> int:
    sent = 0
    for day in log.days():
        entries = log.unsent(day)
        for start in range(0, len(entries), UPLOAD_BATCH):
            batch = entries[start : start + UPLOAD_BATCH]
            client.upload(batch)
            log.mark_sent(day, [entry["id"] for entry in batch])
            sent += len(batch)
    return sent


def sync_station(
    root: Path,
    client: StationClient,
    start: date,
    days: int,
    *,
    now: datetime,
) -> SyncReport:
    """Fetch days start..start+days-1 and their audio, upload the as-run log, then prune what no kept day needs.

    Every audio file the days rely on is verified (size and mtime against the folder's index; every byte once a day,
    the day's full check being decided by now); a damaged one is downloaded again.

    StationError for what the operator must fix (a refused token); otherwise a report whose `problem` says which
    days kept their last good version and why.
    """
    if days < 1:
        raise StationError(f"{{days}} {days} makes no sense; give 1 or more", field="days")
    mirror = Mirror(root, client.station)
    mirror.prepare()
    report = SyncReport()
    pending: set[str] = set()
    reachable = True
    verified = mirror.audio_index(now)
    for offset in range(days):
        day = start + timedelta(days=offset)
        stored = mirror.load(day)
        kept_version = stored.get("version") if stored else None
        if not reachable:
            report.days.append(DaySync(day, "kept", kept_version, report.problem))
            continue
        try:
            report.days.append(_sync_day(mirror, client, day, pending, verified, report))
        except NotPublished:
            report.days.append(DaySync(day, "not published", kept_version))
        except SyncIncompleteError as exc:
            report.problem = report.problem or f"{day.isoformat()}: {exc}"
            report.days.append(DaySync(day, "kept", kept_version, str(exc)))
            reachable = not isinstance(exc, ServerUnreachable)
        finally:
            with contextlib.suppress(FileWriteError):  # only speed is lost: the files are hashed again next time
                # A full check counts once every day was checked; after a failure the next sync does it again.
                verified.save(complete=offset == days - 1 and report.problem is None)
    if reachable:
        try:
            report.asrun_sent = _upload(AsRunLog(root), client)
        except SyncIncompleteError as exc:
            report.problem = report.problem or f"as-run upload: {exc}"
    # After an incomplete sync, audio stays: partial downloads of days not fetched this time are resumed next time.
    pruned = mirror.prune(start, now, pending, audio=report.problem is None)
    report.days_removed, report.audio_removed = pruned.days, pruned.audio
    report.files_downloaded, report.bytes_downloaded = client.files_downloaded, client.bytes_downloaded
    return report
