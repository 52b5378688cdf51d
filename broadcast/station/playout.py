"""`station play`: the day's sessions on the station's clock through APScheduler, emergencies as they come.

At each session's start its items play in order, one at a time, as the newest synced manifest has them (a sync
during the day may bring a new version, e.g. after an emergency rebuild). Each item waits for its own start, counted
from when the session really began, so the bulletin's pauses are heard as the manifest lays them out; a session
running late plays on without waiting. An emergency item found by the poll plays at once: between two items of a
session (one is never cut off), or straight away outside one. Each play, failure or skip is appended to the as-run
log under an id that is the same however often play is started that day.

A session that started more than LATE_GRACE ago when play starts (or when the machine wakes) is skipped, not
joined late: a bulletin heard from its middle, without its opening, confuses listeners more than a gap, and the
items logged as skipped show the district that the session did not air.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (  # type: ignore[import-untyped,unused-ignore]
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
)
from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped,unused-ignore]
from apscheduler.triggers.date import DateTrigger  # type: ignore[import-untyped,unused-ignore]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped,unused-ignore]

from broadcast.errors import BroadcastError, ExportError, StationError
from broadcast.export.manifest import audio_path
from broadcast.station.asrun import AsRunEntry, AsRunLog
from broadcast.station.client import RetryPolicy, StationClient
from broadcast.station.days import ScheduledItem, ScheduledSession, check_manifest, day_plan
from broadcast.station.mirror import Mirror
from broadcast.station.player import CommandPlayer, Player
from broadcast.vocabulary import ItemKind, PlayStatus

LATE_GRACE = timedelta(minutes=5)
EMERGENCY_POLL_SECONDS = 60
SESSION_JOB = "session-"
POLL_JOB = "emergency-poll"
DAY_OVER_JOB = "day-over"


def load_day(mirror: Mirror, day: date) -> dict[str, Any]:
    """The day's manifest from the station folder; StationError when it was never synced or is damaged."""
    manifest = mirror.load(day)
    if manifest is None:
        raise StationError(
            f"no playlist for station {mirror.station} on {day.isoformat()} in {mirror.root}; "
            "run `broadcast station sync` first"
        )
    try:
        return check_manifest(manifest, mirror.station, day)
    except StationError as exc:
        raise StationError(
            f"{mirror.manifest_file(day)} is damaged ({exc}); run `broadcast station sync` again"
        ) from exc


class Playout:
    """Plays one day's sessions and any emergencies through a player, logging every item."""

    def __init__(
        self,
        mirror: Mirror,
        manifest: dict[str, Any],
        player: Player,
        *,
        client: StationClient | None = None,
        announce: Callable[[str], None] = lambda line: None,
        wait: Callable[[float], object] = time.sleep,
    ) -> None:
        """wait(seconds) holds play until an item's start; tests give one that moves their fake clock."""
        self.mirror = mirror
        self.day = date.fromisoformat(manifest["date"])
        self.tz = ZoneInfo(manifest["timezone"])
        self.sessions: tuple[ScheduledSession, ...] = day_plan(manifest, mirror.root)
        self.player = player
        self.client = client
        self.announce = announce
        self.wait = wait
        self.log = AsRunLog(mirror.root)
        self.finished = threading.Event()  # set once every session has played or been skipped (and the day is over)
        self._lock = threading.Lock()  # one item at a time through the loudspeakers
        self._emergencies: deque[ScheduledItem] = deque()
        self._heard: set[str] = set()
        self._open: set[int] = set()
        self._day_over = False  # with no emergency poll, the day is over once every session is done

    def now(self) -> datetime:
        return datetime.now(self.tz)

    # Sessions.

    def play_session(self, index: int) -> None:
        session = self._latest(self.sessions[index])
        began = self.now()
        self.announce(f"{began:%H:%M:%S} buổi {session.name}: {len(session.items)} mục")
        for item in session.items:
            self._wait_until(began + (item.start - session.start))
            with self._lock:
                self._drain()
                self._play(item, session.name, emergency=False)
        self.closed(index)

    def _wait_until(self, moment: datetime) -> None:
        """Hold until moment when it is still to come (outside the lock: an emergency may play meanwhile)."""
        delay = (moment - self.now()).total_seconds()
        if delay > 0:
            self.wait(delay)

    def _latest(self, planned: ScheduledSession) -> ScheduledSession:
        """The session as the newest synced manifest has it: a sync during the day may have brought a new version."""
        manifest = self.mirror.load(self.day)
        if manifest is None:
            return planned
        try:
            sessions = day_plan(check_manifest(manifest, self.mirror.station, self.day), self.mirror.root)
        except StationError:
            return planned
        return next((s for s in sessions if (s.name, s.start) == (planned.name, planned.start)), planned)

    def skip_session(self, index: int) -> None:
        session = self.sessions[index]
        started = self.now()
        for item in session.items:
            entry = self._entry(item, session.name, started, 0.0, PlayStatus.SKIPPED, emergency=False)
            self.log.add(entry)  # a session that did play before a restart keeps its "played" entries
        self.announce(f"{started:%H:%M:%S} buổi {session.name} ({session.start:%H:%M}) đã qua: bỏ qua")
        self.closed(index)

    def expect(self, index: int) -> None:
        """The session is scheduled: the day is not finished before it has played."""
        self._open.add(index)

    def closed(self, index: int) -> None:
        """The session has played, failed or been skipped."""
        self._open.discard(index)
        if not self._open and self._day_over:
            self.finished.set()

    def end_of_day(self) -> None:
        self._day_over = True
        if not self._open:
            self.finished.set()

    # Emergencies.

    def poll_emergencies(self) -> None:
        """Ask the server for emergency items; fetch, verify and play each one not yet heard today."""
        if self.client is None:
            return
        try:
            items = self.client.emergency()
        except BroadcastError as exc:
            self.announce(f"emergency poll failed: {exc}")
            return
        today = self.now().date()
        for raw in items:
            item = self._emergency_item(raw, today)
            if item is None or item.entry_id in self._heard or item.entry_id in self.log.ids(today):
                continue
            if not self.mirror.has_audio(item.sha256, item.bytes):
                try:
                    self.client.download(item.sha256, item.bytes, item.path, self.mirror.part_file(item.sha256))
                except BroadcastError as exc:
                    self.announce(f"emergency {item.title!r} not fetched, trying at the next poll: {exc}")
                    continue
            self._heard.add(item.entry_id)
            self._emergencies.append(item)
        if self._emergencies:
            with self._lock:
                self._drain()

    def _emergency_item(self, raw: dict[str, Any], today: date) -> ScheduledItem | None:
        try:
            sha256 = str(raw["sha256"])
            message_id = int(raw["message_id"])
            return ScheduledItem(
                entry_id=f"{today.isoformat()}-em-{message_id}-{sha256[:12]}",
                session="",
                start=self.now(),
                kind=ItemKind.MESSAGE,
                title=str(raw.get("title") or ""),
                message_id=message_id,
                sha256=sha256,
                bytes=int(raw["bytes"]),
                duration=float(raw.get("duration") or 0.0),
                path=self.mirror.root / audio_path(sha256),
            )
        except (KeyError, TypeError, ValueError, ExportError):
            self.announce(f"emergency item ignored, it is damaged: {raw!r:.120}")
            return None

    def _drain(self) -> None:
        """Play every queued emergency item; the caller holds the lock."""
        while self._emergencies:
            self._play(self._emergencies.popleft(), None, emergency=True)

    # Playing and logging.

    def _play(self, item: ScheduledItem, session: str | None, *, emergency: bool) -> None:
        started = self.now()
        label = "KHẨN CẤP" if emergency else item.kind
        self.announce(f"{started:%H:%M:%S} ▶ {label}: {item.title}")
        # Read and hashed just before it plays: a file damaged since the last sync is never put on air.
        problem = self.mirror.audio_problem(item.sha256, item.bytes)
        if problem is None:
            begun = time.monotonic()
            played = self.player.play(item.path, item.duration)
            # A file played to its end lasted its own length; a failure lasted as long as the player ran.
            duration = item.duration if played else time.monotonic() - begun
            status = PlayStatus.PLAYED if played else PlayStatus.FAILED
        else:
            duration, status = 0.0, PlayStatus.FAILED
        if status != PlayStatus.PLAYED:
            self.announce(f"{self.now():%H:%M:%S} ✗ {item.title}: {status} ({problem or item.path})")
        self.log.add(self._entry(item, session, started, duration, status, emergency=emergency))

    def _entry(
        self,
        item: ScheduledItem,
        session: str | None,
        started: datetime,
        duration: float,
        status: PlayStatus,
        *,
        emergency: bool,
    ) -> AsRunEntry:
        return AsRunEntry.of(
            self.day if not emergency else started.date(),
            started,
            id=item.entry_id,
            session=session,
            kind=item.kind,
            message_id=item.message_id,
            sha256=item.sha256,
            duration=round(duration, 3),
            status=status,
            emergency=emergency,
        )


def _day_end(playout: Playout) -> datetime:
    midnight = datetime.combine(playout.day + timedelta(days=1), datetime.min.time(), playout.tz)
    return max([midnight, *(session.end for session in playout.sessions)])


def schedule_day(scheduler: BackgroundScheduler, playout: Playout) -> int:
    """Add the day's jobs to a running scheduler: sessions still to come, the emergency poll; sessions scheduled."""
    now = playout.now()

    def on_event(event: JobExecutionEvent) -> None:
        if event.job_id.startswith(SESSION_JOB):
            index = int(event.job_id.removeprefix(SESSION_JOB))
            if event.code == EVENT_JOB_MISSED:
                playout.skip_session(index)
            else:
                playout.closed(index)

    scheduler.add_listener(on_event, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    scheduled = 0
    for index, session in enumerate(playout.sessions):
        if session.start < now - LATE_GRACE:
            playout.skip_session(index)
            continue
        playout.expect(index)
        scheduler.add_job(
            playout.play_session,
            DateTrigger(run_date=session.start, timezone=playout.tz),
            args=[index],
            id=f"{SESSION_JOB}{index}",
            name=f"session {session.name} {session.start:%H:%M}",
            misfire_grace_time=int(LATE_GRACE.total_seconds()),
        )
        scheduled += 1
    if playout.client is not None:
        scheduler.add_job(
            playout.poll_emergencies,
            IntervalTrigger(seconds=EMERGENCY_POLL_SECONDS, timezone=playout.tz),
            id=POLL_JOB,
            name="emergency poll",
            next_run_time=now,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=EMERGENCY_POLL_SECONDS,
        )
        scheduler.add_job(
            playout.end_of_day,
            DateTrigger(run_date=_day_end(playout), timezone=playout.tz),
            id=DAY_OVER_JOB,
            name="end of day",
            misfire_grace_time=None,
        )
    else:
        playout.end_of_day()  # nothing to wait for but the sessions
    return scheduled


def run_day(playout: Playout, stop: threading.Event | None = None) -> None:
    """Play the day in real time: return when its last session is over (with emergency polling, at day's end)."""
    scheduler = BackgroundScheduler(timezone=playout.tz, job_defaults={"coalesce": True, "max_instances": 1})
    scheduler.start(paused=True)
    try:
        schedule_day(scheduler, playout)
        scheduler.resume()
        while not playout.finished.wait(1.0):
            if stop is not None and stop.is_set():
                break
    finally:
        scheduler.shutdown(wait=True)


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or Ctrl+C while the block runs; the previous handlers come back after it.
    Off the main thread (where signals cannot be caught) the event is only set by its holder."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {number: signal.signal(number, handle) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def play_station(
    folder: Path,
    code: str,
    day: date,
    player_command: str,
    *,
    server: str | None = None,
    token: str | None = None,
    announce: Callable[[str], None] = lambda line: None,
) -> None:
    """Play station code's synced day from its folder through the player command, in real time, until the day is
    over or SIGTERM/Ctrl+C; with server and token, poll for emergencies too. StationError when the day was never
    synced or is damaged, the player is missing, or only one of server and token is given."""
    mirror = Mirror(folder, code)
    manifest = load_day(mirror, day)
    if (server is None) != (token is None):
        raise StationError(
            "give both {server} and {token} to poll for emergencies, or neither", fields=("server", "token")
        )
    player = CommandPlayer(player_command)
    # One try per poll: the next poll is a minute away, and a slow link must not hold up the one after it.
    client = StationClient(server, code, token, retry=RetryPolicy(1), folder=folder) if server and token else None
    try:
        playout = Playout(mirror, manifest, player, client=client, announce=announce)
        with stop_on_signals() as stop:
            run_day(playout, stop)
    finally:
        if client is not None:
            client.close()


def day_listing(folder: Path, code: str, day: date) -> list[dict[str, Any]]:
    """The synced day's items in broadcast order, for a person to check before air: start (ISO 8601, station time),
    session, kind, title, duration (s), audio (path) and ready (the audio is in the folder). StationError as
    play_station."""
    mirror = Mirror(folder, code)
    manifest = load_day(mirror, day)
    return [
        {
            "start": item.start.isoformat(timespec="seconds"),
            "session": session.name,
            "kind": item.kind,
            "title": item.title,
            "duration": item.duration,
            "audio": str(item.path),
            "ready": mirror.has_audio(item.sha256, item.bytes),
        }
        for session in day_plan(manifest, mirror.root)
        for item in session.items
    ]
