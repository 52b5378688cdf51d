"""The emergency queue: approved emergencies (Thông tư 39/2020/TT-BTTTT: they play at once) kept in the database
until their speech is rendered and today's remaining sessions are rebuilt with them.

Approval writes a row in its own transaction (`enqueue`), so an approval is never without its row. `broadcast serve`
runs an `EmergencyWorker` that works through the rows in two steps:

1. render: the message's speech for every (engine, voice) of the stations it reaches, whatever the day's sessions,
   into the segment store — from then on the stations' emergency endpoint serves it;
2. rebuild: today's remaining sessions, under the build lock (a build holding it means: try again a few seconds
   later); one rebuild serves every row rendered by then. A row is done only when its rebuild is published, or
   when the build refuses for a reason only a person can fix (no sessions at all), kept on the row as its error.

A worker claims a row before each step with a conditional UPDATE (one winner on SQLite and PostgreSQL alike) and
frees it after. A serve killed mid-step leaves its claim behind; the next worker takes such claims again at start,
and any worker takes a claim older than STALE_CLAIM, so a row is never lost, at worst done twice (both steps are
idempotent: rendering is keyed by content, a rebuild publishes the same days again).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import selectinload

from broadcast.build import build_days
from broadcast.config import Settings
from broadcast.db import Database
from broadcast.db.models import EmergencyJob, Message
from broadcast.errors import BroadcastError, BuildLockedError
from broadcast.locks import build_lock, build_lock_path
from broadcast.planning.bulletin import station_voice
from broadcast.planning.inputs import message_targets
from broadcast.speech.engines import Engine, get_engine
from broadcast.speech.normalize import normalizer_for
from broadcast.speech.segments import SegmentStore
from broadcast.times import utc_now
from broadcast.units.book import StationBook
from broadcast.vocabulary import MessageStatus, Priority

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5  # how often an idle worker looks for new rows: a cheap indexed query
BUSY_RETRY = timedelta(seconds=5)  # another build holds the lock: rebuild this much later
FAILED_RETRY = timedelta(seconds=60)  # a step failed (disk, database): try it again this much later
MAX_ATTEMPTS = 5  # a step that failed this often is given up, with its error kept on the row
STALE_CLAIM = timedelta(minutes=30)  # a claim this old belongs to a worker that died


def enqueue(db: DbSession, message_id: int, now: datetime) -> EmergencyJob:
    """Queue an approved emergency message for rendering and rebuild, in the caller's transaction."""
    job = EmergencyJob(message_id=message_id, queued_at=now, attempts=0)
    db.add(job)
    db.flush()
    return job


def generation(db: DbSession) -> tuple[int, datetime | None]:
    """Changes whenever a queued emergency's speech is rendered: (rows rendered, latest rendering). Cheap to ask
    often; the stations' long poll looks at it instead of asking for each station."""
    count, latest = db.execute(select(func.count(EmergencyJob.rendered_at), func.max(EmergencyJob.rendered_at))).one()
    return int(count), latest


def release_claims(db: DbSession) -> int:
    """Free every claim on a row not done (left by a worker that died); the number freed."""
    result = db.execute(
        update(EmergencyJob)
        .where(EmergencyJob.done_at.is_(None), EmergencyJob.claimed_by.is_not(None))
        .values(claimed_by=None, claimed_at=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def claim(db: DbSession, job_id: int, worker: str, now: datetime) -> bool:
    """Claim a row for worker when it is free (or its claim is stale); True when this worker got it."""
    result = db.execute(
        update(EmergencyJob)
        .where(
            EmergencyJob.id == job_id,
            EmergencyJob.done_at.is_(None),
            or_(EmergencyJob.claimed_by.is_(None), EmergencyJob.claimed_at < now - STALE_CLAIM),
        )
        .values(claimed_by=worker, claimed_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def render_emergency(settings: Settings, database: Database, message_id: int) -> int:
    """Render the message's speech for every (engine, voice) of the stations it reaches; the number of voices.

    0 when the message is no longer an approved emergency. SpeechError or AudioError when it cannot be rendered.
    """
    with database.transaction() as db:
        message = db.scalar(select(Message).options(selectinload(Message.targets)).where(Message.id == message_id))
        if message is None or message.status != MessageStatus.APPROVED or message.priority != Priority.EMERGENCY:
            return 0
        targets = message_targets(message)
        text = message.text
        book = StationBook.load(db)
    engines: dict[str, Engine] = {}

    def engine(name: str) -> Engine:
        if name not in engines:
            engines[name] = get_engine(name)
        return engines[name]

    voices: set[tuple[str, str]] = set()
    for station in book.by_code.values():
        if any(target.reaches(station) for target in targets):
            try:
                voices.add(station_voice(station, settings.engine, engines=engine))
            except BroadcastError as exc:  # an engine that cannot speak here: that station gets nothing from us
                log.warning("emergency %s: no voice for station %s: %s", message_id, station.code, exc)
    store = SegmentStore(settings.audio_dir, settings.audio, normalizer_for(settings.lexicon))
    with database.transaction() as db:
        store.render_many(db, [(engines[name], voice, text) for name, voice in sorted(voices)])
    return len(voices)


def rebuild_today(settings: Settings, now: datetime) -> bool:
    """Rebuild today's remaining sessions under the build lock; False when another build holds it."""
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    try:
        with build_lock(build_lock_path(settings.home)):
            build_days(settings, today, 1, since=now)
    except BuildLockedError as exc:
        log.info("emergency rebuild postponed: %s", exc)
        return False
    return True


class EmergencyWorker:
    """Works through the emergency queue on a thread of its own, until stopped.

    `run_once` is one pass (render every row that waits for it, then one rebuild if any is due); the thread runs a
    pass every POLL_SECONDS. Tests call `run_once` themselves.
    """

    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        clock: Callable[[], datetime] = utc_now,
        render: Callable[[Settings, Database, int], int] = render_emergency,
        rebuild: Callable[[Settings, datetime], bool] = rebuild_today,
    ) -> None:
        self.settings = settings
        self.database = database
        self.clock = clock
        self.render = render
        self.rebuild = rebuild
        self.name = f"{socket.gethostname()[:50]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._not_before: dict[int, datetime] = {}  # row id → when its failed step may be tried again
        self._rebuild_after: datetime | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> EmergencyWorker:
        """Take back the claims a killed serve left, then work on a daemon thread."""
        with self.database.transaction() as db:
            freed = release_claims(db)
        if freed:
            log.warning("emergency queue: %d row(s) left half-done by a stopped server, taken up again", freed)
        self._thread = threading.Thread(target=self._loop, name="emergency-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Ask the thread to stop after its current step, and wait for it (a rebuild may take a while)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # the database away for a moment must not end the worker
                log.exception("emergency queue pass failed; trying again")
                self._stop.wait(FAILED_RETRY.total_seconds() / 12)
            self._stop.wait(POLL_SECONDS)

    def pending(self) -> list[EmergencyJob]:
        """Rows not done and free to claim, oldest first."""
        stale = self.clock() - STALE_CLAIM
        with self.database.transaction() as db:
            rows = list(
                db.scalars(
                    select(EmergencyJob)
                    .where(
                        EmergencyJob.done_at.is_(None),
                        or_(EmergencyJob.claimed_by.is_(None), EmergencyJob.claimed_at < stale),
                    )
                    .order_by(EmergencyJob.id)
                )
            )
            db.expunge_all()
        return rows

    def run_once(self) -> bool:
        """One pass over the queue; True when it did any work."""
        rows = self.pending()
        if not rows:
            return False
        worked = False
        for row in rows:
            if row.rendered_at is None and self._due(row.id):
                worked = self._render(row) or worked
        now = self.clock()
        if self._rebuild_after is None or now >= self._rebuild_after:
            ready = [row.id for row in self.pending() if row.rendered_at is not None and self._due(row.id)]
            if ready:
                worked = self._rebuild(ready) or worked
        return worked

    def _due(self, row_id: int) -> bool:
        moment = self._not_before.get(row_id)
        return moment is None or self.clock() >= moment

    def _render(self, row: EmergencyJob) -> bool:
        with self.database.transaction() as db:
            if not claim(db, row.id, self.name, self.clock()):
                return False
        try:
            voices = self.render(self.settings, self.database, row.message_id)
        except Exception as exc:
            self._failed([row.id], f"speech not rendered: {exc}")
            return True
        log.info("emergency message %s: speech rendered in %d voice(s)", row.message_id, voices)
        with self.database.transaction() as db:
            job = db.get(EmergencyJob, row.id)
            if job is not None:
                job.rendered_at = self.clock()
                job.claimed_by = job.claimed_at = None
                job.error = None
        return True

    def _rebuild(self, ids: list[int]) -> bool:
        now = self.clock()
        with self.database.transaction() as db:
            mine = [row_id for row_id in ids if claim(db, row_id, self.name, now)]
        if not mine:
            return False
        try:
            rebuilt = self.rebuild(self.settings, now)
        except BroadcastError as exc:  # for a person to fix (no sessions anywhere…); the speech is served anyway
            self._failed(mine, f"rebuild not possible: {exc}", give_up=True)
            return True
        except Exception as exc:
            self._failed(mine, f"rebuild failed: {exc}")
            return True
        with self.database.transaction() as db:
            for job in db.scalars(select(EmergencyJob).where(EmergencyJob.id.in_(mine))):
                job.claimed_by = job.claimed_at = None
                if rebuilt:
                    job.done_at = self.clock()
                    job.error = None
                    message = db.get(Message, job.message_id)
                    if message is not None:
                        message.rebuilt_at = now
        if rebuilt:
            log.info("emergency rebuild done for %d queued message(s)", len(mine))
            self._rebuild_after = None
        else:
            self._rebuild_after = now + BUSY_RETRY
        return True

    def _failed(self, ids: list[int], error: str, *, give_up: bool = False) -> None:
        """Keep the error on the rows and free them for a later try; give up after MAX_ATTEMPTS (or at once)."""
        log.error("emergency queue rows %s: %s", ids, error)
        now = self.clock()
        with self.database.transaction() as db:
            for job in db.scalars(select(EmergencyJob).where(EmergencyJob.id.in_(ids))):
                job.attempts += 1
                job.error = error[:2000]
                job.claimed_by = job.claimed_at = None
                if give_up or job.attempts >= MAX_ATTEMPTS:
                    job.done_at = now  # given up: the nightly build plans it like any message
                self._not_before[job.id] = now + FAILED_RETRY


def latest_job(db: DbSession, message_id: int) -> EmergencyJob | None:
    """The message's newest queue row, if any."""
    return db.scalar(
        select(EmergencyJob).where(EmergencyJob.message_id == message_id).order_by(EmergencyJob.id.desc()).limit(1)
    )
