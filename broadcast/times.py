"""Days and instants shared by every layer: the date people type, "today" at the stations, UTC for storage.

Instants are stored in UTC (SQLite hands them back naive; they are UTC here); days are the station's local days,
in the configured zone (Asia/Ho_Chi_Minh unless set otherwise).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from broadcast.errors import BroadcastError

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_day(text: str, field: str | None = None) -> date:
    """A date written as 2026-11-26 or 26/11/2026; BroadcastError (naming field) for anything else."""
    cleaned = text.strip()
    try:
        match = _DMY.match(cleaned)
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(cleaned)
    except ValueError:
        raise BroadcastError(f"cannot read date {text!r}; write it as YYYY-MM-DD or DD/MM/YYYY", field=field) from None


def utc_now() -> datetime:
    """The current instant, aware, in UTC: what every stored timestamp holds."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An instant as an aware UTC datetime; a naive one (as SQLite returns it) is taken to be UTC already."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_time(moment: datetime, zone: str) -> datetime:
    """A stored instant in a station's time zone."""
    return as_utc(moment).astimezone(ZoneInfo(zone))


def local_iso(moment: datetime, zone: str) -> str:
    """A stored instant as ISO 8601 local time to the second, e.g. 2026-11-30T20:15:00+07:00."""
    return local_time(moment, zone).isoformat(timespec="seconds")


def today(zone: str, now: datetime | None = None) -> date:
    """The day it is at the stations (in zone), not on this machine's clock."""
    return local_time(now or utc_now(), zone).date()
