"""Each station request says the station is alive: when it was last seen, its software version, its free disk.

Stations call the API all day long (a manifest check a minute, more during an emergency), so the record is written
at most once per station per `CONTACT_EVERY` seconds, decided in memory; the headers are read as the station sends
them (`User-Agent: broadcast-station/<version>`, `X-Broadcast-Free-Disk: <bytes>`) and anything else is ignored.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as DbSession

from broadcast.db.models import StationContact

CONTACT_EVERY = 60.0  # seconds between two writes for one station
FREE_DISK_HEADER = "X-Broadcast-Free-Disk"
USER_AGENT = "broadcast-station"
_SOFTWARE = re.compile(rf"^{USER_AGENT}/([0-9A-Za-z.+_-]{{1,64}})(?:\s|$)")
_MAX_BYTES = 2**62  # far beyond any disk; larger values are not believed


def software_of(user_agent: str | None) -> str | None:
    """The version in `broadcast-station/<version>`, or None for any other client."""
    found = _SOFTWARE.match(user_agent or "")
    return found.group(1) if found else None


def free_disk_of(header: str | None) -> int | None:
    """The free bytes a station reported, or None when the header is missing or not a plausible byte count."""
    text = (header or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if value < _MAX_BYTES else None


class ContactThrottle:
    """Which stations are due a write: at most one per station per `every` seconds of clock (monotonic)."""

    def __init__(self, every: float, clock: Callable[[], float]) -> None:
        self.every = every
        self.clock = clock
        self._last: dict[int, float] = {}
        self._lock = threading.Lock()

    def due(self, station_id: int) -> bool:
        """True (and the station marked as written now) when its last write is older than `every` seconds."""
        now = self.clock()
        with self._lock:
            last = self._last.get(station_id)
            if last is not None and now - last < self.every:
                return False
            self._last[station_id] = now
            return True

    def forget(self, station_id: int) -> None:
        """Let the next request write again (after a write that failed)."""
        with self._lock:
            self._last.pop(station_id, None)


def record_contact(db: DbSession, station_id: int, at: datetime, software: str | None, free_disk: int | None) -> None:
    """Store that the station called at `at` (UTC), with what it reported; one row per station, replaced."""
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"station_id": station_id, "last_seen_at": at, "software": software, "free_disk": free_disk}
    statement = insert(StationContact).values(values)
    db.execute(
        statement.on_conflict_do_update(
            index_elements=[StationContact.station_id],
            set_={"last_seen_at": at, "software": software, "free_disk": free_disk},
        )
    )
