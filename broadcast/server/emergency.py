"""What a station must play now: approved emergency messages reaching it, with their rendered audio.

A station asks with a long poll: the request waits until there is something it has not heard yet. Each item
carries the audio rendered for this station's own engine and voice, found by its segment key; a message whose
audio is not rendered yet is left out until it is. Waiting stations cost no database queries: one `EmergencyWatch`
per server looks at the emergency queue's generation twice a second and wakes them all when it moves; each then
runs its own query once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from broadcast.config import Settings
from broadcast.db.models import Segment, Station
from broadcast.errors import BroadcastError
from broadcast.messages.emergencies import EMERGENCY_HOURS, candidate_messages
from broadcast.planning.bulletin import station_voice
from broadcast.planning.inputs import message_targets
from broadcast.speech.normalize import Normalizer
from broadcast.speech.segments import segment_key
from broadcast.times import local_time
from broadcast.units.book import StationBook

log = logging.getLogger(__name__)

# A long poll is held at most this long: under the server's keep-alive and request timeouts (75 s and more), and
# under the read timeouts of proxies in front of it (nginx's default is 60 s).
MAX_WAIT_SECONDS = 55
WATCH_SECONDS = 0.5  # how often the watch looks at the queue's generation


@dataclass(frozen=True)
class EmergencyItem:
    message_id: int
    title: str
    approved_at: str  # ISO 8601, station local time
    sha256: str
    bytes: int
    duration: float

    def as_json(self) -> dict[str, object]:
        return {
            "message_id": self.message_id,
            "title": self.title,
            "approved_at": self.approved_at,
            "audio": f"/api/v1/audio/{self.sha256}.mp3",
            "sha256": self.sha256,
            "bytes": self.bytes,
            "duration": self.duration,
        }


def known_zone(zone: str, default_zone: str) -> str:
    """The station's time zone, or the configured one when the station's is not a known zone."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return default_zone
    return zone


def emergency_items(
    db: DbSession,
    settings: Settings,
    station_code: str,
    now: datetime,
    *,
    book: Callable[[DbSession, str], StationBook],
    normalizer: Normalizer,
    audio_exists: Callable[[str], bool],
    hours: float = EMERGENCY_HOURS,
) -> list[EmergencyItem] | None:
    """The station's emergency items now, oldest approval first; None when there is no such station."""
    own_zone = db.scalar(select(Station.timezone).where(Station.code == station_code))
    if own_zone is None:
        return None
    zone = known_zone(own_zone, settings.timezone)
    candidates = candidate_messages(db, now.astimezone(ZoneInfo(zone)).date(), now, hours)
    if not candidates:
        return []  # the usual answer, found without loading the station book
    station = book(db, station_code).by_code.get(station_code)
    if station is None:
        return None
    messages = [m for m in candidates if any(target.reaches(station) for target in message_targets(m))]
    if not messages:
        return []
    try:
        engine_name, voice = station_voice(station, settings.engine)
    except BroadcastError:
        return []  # an engine that cannot speak here has rendered nothing for this station
    keys = {m.id: segment_key(engine_name, voice, normalizer.normalize(m.text), settings.audio) for m in messages}
    segments = {s.key: s for s in db.scalars(select(Segment).where(Segment.key.in_(set(keys.values()))))}
    items = []
    for message in messages:
        segment = segments.get(keys[message.id])
        if segment is None or message.approved_at is None or not audio_exists(segment.sha256):
            continue
        items.append(
            EmergencyItem(
                message_id=message.id,
                title=message.title,
                approved_at=local_time(message.approved_at, zone).isoformat(timespec="seconds"),
                sha256=segment.sha256,
                bytes=segment.bytes,
                duration=round(segment.duration, 3),
            )
        )
    return items


class BookCache:
    """The StationBook, loaded again when older than ttl seconds or when it lacks a station asked for."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self.ttl = ttl
        self.clock = clock
        self._book: StationBook | None = None
        self._loaded = 0.0

    def get(self, db: DbSession, code: str | None = None) -> StationBook:
        fresh = self._book is not None and self.clock() - self._loaded < self.ttl
        if not fresh or self._book is None or (code is not None and code not in self._book.by_code):
            self._book = StationBook.load(db)
            self._loaded = self.clock()
        return self._book


class EmergencyWatch:
    """Wakes the stations' waiting long polls when the emergency queue's generation changes.

    read() returns the generation (any comparable value, e.g. `emergency_queue.generation`); it runs on a worker
    thread every `interval` seconds, in a task started by the first waiter and running until `close()`.
    """

    def __init__(self, read: Callable[[], object], interval: float = WATCH_SECONDS) -> None:
        self.read = read
        self.interval = interval
        self._seen: object = None
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._starting = asyncio.Lock()

    async def changed(self) -> asyncio.Event:
        """An event set at the next change of generation; take it before looking, so no change slips between."""
        async with self._starting:
            if self._task is None or self._task.done():
                self._seen = await self._look()  # the baseline, read before the caller looks
                self._changed = asyncio.Event()
                self._task = asyncio.get_running_loop().create_task(self._run())
        return self._changed

    async def _look(self) -> object:
        from fastapi.concurrency import run_in_threadpool

        try:
            return await run_in_threadpool(self.read)
        except Exception as exc:  # a database away for a moment: waiters time out and ask again
            log.warning("emergency watch cannot read the queue: %s", exc)
            return self._seen

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            seen = await self._look()
            if seen != self._seen:
                self._seen = seen
                changed, self._changed = self._changed, asyncio.Event()
                changed.set()

    async def close(self) -> None:
        """Stop watching (the server is shutting down)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
