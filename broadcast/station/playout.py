"""`station play`: the day's sessions on the station's clock through APScheduler, emergencies as they come.

At each session's start its items play in order, one at a time, as the newest synced manifest has them (a sync
during the day may bring a new version, e.g. after an emergency rebuild). Each item waits for its own start, counted
from when the session really began, so the bulletin's pauses are heard as the manifest lays them out; a session
running late plays on without waiting. Each play, failure or skip is appended to the as-run log under an id that is
the same however often play is started that day.

Emergencies (Thông tư 39/2020/TT-BTTTT: they play at once) come by a long poll that runs all day on a thread of its
own. One found is fetched, verified and played at once: the session item playing is faded out (logged as
interrupted, with the second it stopped), the emergency plays, and the session goes on with its next item, at its
time or late. An emergency is never cut off, not even by another one.

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

from broadcast.errors import BroadcastError, ExportError, StationError
from broadcast.export.manifest import audio_path
from broadcast.station.asrun import AsRunEntry, AsRunLog
from broadcast.station.client import RetryPolicy, StationClient
from broadcast.station.days import ScheduledItem, ScheduledSession, check_manifest, day_plan
from broadcast.station.mirror import Mirror
from broadcast.station.player import CommandPlayer, Interruptible, Player
from broadcast.vocabulary import ItemKind, PlayStatus

LATE_GRACE = timedelta(minutes=5)
LONG_POLL_SECONDS = 25.0  # how long each emergency request waits at the server (its cap is 55 s)
RECONNECT_FIRST = 1.0  # seconds before asking again after a failure, doubled each time up to RECONNECT_MAX
RECONNECT_MAX = 30.0
QUICK_ANSWER_PAUSE = 5.0  # a server that answered at once with nothing new to play (older ones do) is asked later
CUT_IN_SECONDS = 5.0  # how long an emergency tries to cut in on an item that is only starting
SESSION_JOB = "session-"
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
        # Emergencies already played (today, or late yesterday: the server serves one for 12 hours, across midnight),
        # told to the server, which then leaves them out; each is played once, not once a day.
        today = self.now().date()
        self._heard_messages = {
            int(entry["message_id"])
            for day in (today - timedelta(days=1), today)
            for entry in self.log.entries(day)
            if entry.get("emergency") and isinstance(entry.get("message_id"), int)
        }
        self._state = threading.Lock()  # guards _playing, read by the emergency thread
        self._playing: tuple[ScheduledItem, bool] | None = None  # the item on air, and whether it is an emergency
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
        """Ask the server once, without waiting, for emergency items; play each one not yet heard today."""
        if self.client is None:
            return
        try:
            items = self.client.emergency(heard=self._heard_messages)
        except BroadcastError as exc:
            self.announce(f"emergency poll failed: {exc}")
            return
        self._take(items)

    def watch_emergencies(self, stop: threading.Event, wait: float = LONG_POLL_SECONDS) -> None:
        """Long-poll the server for emergencies until stop is set, playing each at once; a server that is down is
        asked again after growing pauses (RECONNECT_FIRST up to RECONNECT_MAX seconds)."""
        if self.client is None:
            return
        pause = RECONNECT_FIRST
        while not stop.is_set():
            asked = time.monotonic()
            try:
                items = self.client.emergency(wait=wait, heard=self._heard_messages)
            except Exception as exc:  # the server down, or the client closed under us as play stops
                if stop.is_set():
                    return
                self.announce(f"emergency poll failed, asking again in {pause:.0f} s: {exc}")
                stop.wait(pause)
                pause = min(pause * 2, RECONNECT_MAX)
                continue
            pause = RECONNECT_FIRST
            played = self._take(items)
            if not played and time.monotonic() - asked < min(wait / 2, QUICK_ANSWER_PAUSE):
                stop.wait(QUICK_ANSWER_PAUSE)

    def _take(self, items: list[dict[str, Any]]) -> bool:
        """Fetch and verify the items not heard yet, then play them at once; True when any was played."""
        today = self.now().date()
        queued = False
        for raw in items:
            item = self._emergency_item(raw, today)
            if item is None or item.message_id in self._heard_messages or item.entry_id in self.log.ids(today):
                if item is not None and item.message_id is not None:
                    self._heard_messages.add(item.message_id)
                continue
            if not self.mirror.has_audio(item.sha256, item.bytes):
                assert self.client is not None
                try:
                    self.client.download(item.sha256, item.bytes, item.path, self.mirror.part_file(item.sha256))
                except BroadcastError as exc:
                    self.announce(f"emergency {item.title!r} not fetched, trying again: {exc}")
                    continue
            if item.message_id is not None:
                self._heard_messages.add(item.message_id)
            self._emergencies.append(item)
            queued = True
        if self._emergencies:
            self._cut_in()
            with self._lock:
                self._drain()
        return queued

    def _cut_in(self) -> None:
        """Fade out the session item on air, if any, so that the queued emergencies play next."""
        if not isinstance(self.player, Interruptible):
            return  # a player that cannot be stopped: the emergency plays once its item is over
        deadline = time.monotonic() + CUT_IN_SECONDS
        while time.monotonic() < deadline:
            with self._state:
                playing = self._playing
            if playing is None or playing[1]:
                return  # nothing on air, or an emergency: never cut off
            if self.player.interrupt():
                return
            time.sleep(0.05)  # its player is only starting: try again in a moment

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
        cut_at = None
        if problem is None:
            begun = time.monotonic()
            played = self._on_air(item, emergency)
            cut_at = self.player.cut_at if isinstance(self.player, Interruptible) else None
            # A file played to its end lasted its own length; a failure lasted as long as the player ran.
            duration = item.duration if played else time.monotonic() - begun
            status = PlayStatus.PLAYED if played else PlayStatus.FAILED
            if cut_at is not None:
                duration, status = cut_at, PlayStatus.INTERRUPTED
        else:
            duration, status = 0.0, PlayStatus.FAILED
        if status == PlayStatus.INTERRUPTED:
            self.announce(f"{self.now():%H:%M:%S} ⏸ {item.title}: ngắt ở giây {cut_at:.1f} để phát tin khẩn cấp")
        elif status != PlayStatus.PLAYED:
            self.announce(f"{self.now():%H:%M:%S} ✗ {item.title}: {status} ({problem or item.path})")
        self.log.add(self._entry(item, session, started, duration, status, emergency=emergency, cut_at=cut_at))

    def _on_air(self, item: ScheduledItem, emergency: bool) -> bool:
        """Play the item, known to the emergency thread as the one on air meanwhile."""
        with self._state:
            self._playing = (item, emergency)
        try:
            return self.player.play(item.path, item.duration)
        finally:
            with self._state:
                self._playing = None

    def _entry(
        self,
        item: ScheduledItem,
        session: str | None,
        started: datetime,
        duration: float,
        status: PlayStatus,
        *,
        emergency: bool,
        cut_at: float | None = None,
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
            cut_at=cut_at,
        )


def _day_end(playout: Playout) -> datetime:
    midnight = datetime.combine(playout.day + timedelta(days=1), datetime.min.time(), playout.tz)
    return max([midnight, *(session.end for session in playout.sessions)])


def schedule_day(scheduler: BackgroundScheduler, playout: Playout) -> int:
    """Add the day's jobs to a running scheduler: sessions still to come and, with a server, the day's end (the
    emergency thread runs until then); the number of sessions scheduled."""
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
    """Play the day in real time: return when its last session is over (with a server, at day's end), or at stop.
    With a server, emergencies are long-polled for on a thread of their own meanwhile."""
    scheduler = BackgroundScheduler(timezone=playout.tz, job_defaults={"coalesce": True, "max_instances": 1})
    scheduler.start(paused=True)
    done = threading.Event()
    watcher = threading.Thread(target=playout.watch_emergencies, args=(done,), name="emergency-watch", daemon=True)
    try:
        schedule_day(scheduler, playout)
        scheduler.resume()
        if playout.client is not None:
            watcher.start()
        while not playout.finished.wait(1.0):
            if stop is not None and stop.is_set():
                break
    finally:
        done.set()
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
    over or SIGTERM/Ctrl+C; with server and token, long-poll for emergencies too and play them at once.
    StationError when the day was never synced or is damaged, the player is missing, or only one of server and
    token is given."""
    mirror = Mirror(folder, code)
    manifest = load_day(mirror, day)
    if (server is None) != (token is None):
        raise StationError(
            "give both {server} and {token} to poll for emergencies, or neither", fields=("server", "token")
        )
    player = CommandPlayer(player_command)
    # One try per request: the emergency thread asks again itself, with pauses that grow while the server is down.
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
