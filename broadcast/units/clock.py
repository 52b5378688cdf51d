"""Session clocks as plain values: parsing what people type (05:30, 30m, mon-fri) and checking overlaps."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import time
from typing import TypeVar

from broadcast.errors import SessionError
from broadcast.text import fold, nfc
from broadcast.validation import MAX_NAME, clean_text

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = 0b1111111
MINUTES_PER_DAY = 24 * 60

# Vietnamese day names: thứ hai (t2) … thứ bảy (t7), chủ nhật (cn).
_DAY_ALIASES = {name: index for index, name in enumerate(DAY_NAMES)}
_DAY_ALIASES.update({f"t{n}": n - 2 for n in range(2, 8)})
_DAY_ALIASES.update({"cn": 6})
_WEEKDAYS_HINT = "use e.g. daily, mon-fri, sat,sun or t2-t6,cn"


def parse_weekdays(text: str) -> int:
    """Parse "daily", "mon-fri", "mon,wed,fri" or "t2-t6,cn" into a bitmask, Monday = bit 0."""
    cleaned = fold(text).replace(" ", "")
    if cleaned in {"daily", "all", "everyday", "hangngay"}:
        return ALL_DAYS
    if cleaned in {"weekdays"}:
        return 0b0011111
    if cleaned in {"weekend", "weekends"}:
        return 0b1100000
    mask = 0
    for part in cleaned.split(","):
        first, sep, last = part.partition("-")
        if first not in _DAY_ALIASES or (sep and last not in _DAY_ALIASES):
            raise SessionError(f"cannot read weekdays {text!r}; {_WEEKDAYS_HINT}")
        start = _DAY_ALIASES[first]
        stop = _DAY_ALIASES[last] if sep else start
        if stop < start:
            raise SessionError(f"weekday range {part!r} runs backwards; {_WEEKDAYS_HINT}")
        for day in range(start, stop + 1):
            mask |= 1 << day
    return mask


def weekday_runs(mask: int) -> list[tuple[int, int]]:
    """The days of a weekday bitmask as runs of consecutive days, Monday = 0: 0b0011111 → [(0, 4)]."""
    runs: list[tuple[int, int]] = []
    for day in (day for day in range(7) if mask & (1 << day)):
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def format_weekdays(mask: int) -> str:
    """Write a weekday bitmask back the way people type it ("daily", "mon-fri", "mon,wed")."""
    if mask == ALL_DAYS:
        return "daily"
    runs = weekday_runs(mask)
    return ",".join(
        DAY_NAMES[a] if a == b else f"{DAY_NAMES[a]}-{DAY_NAMES[b]}" if b > a + 1 else f"{DAY_NAMES[a]},{DAY_NAMES[b]}"
        for a, b in runs
    )


_TIME_RE = re.compile(r"^(\d{1,2})(?:[:h](\d{2})?)?$")


def parse_time(text: str) -> time:
    """Parse a start time such as "05:30", "5:30", "17h" or "17h30"."""
    match = _TIME_RE.match(text.strip().lower())
    if not match:
        raise SessionError(f"cannot read time {text!r}; write it as HH:MM, e.g. 05:30")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise SessionError(f"time {text!r} is not a time of day; write it as HH:MM between 00:00 and 23:59")
    return time(hour, minute)


_LENGTH_RE = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:m|min|mins|minutes|phut|p)?)?$")


def parse_length(text: str) -> int:
    """Parse a session length such as "30m", "45", "1h" or "1h30m" into minutes."""
    cleaned = fold(text).replace(" ", "")
    match = _LENGTH_RE.match(cleaned)
    if not cleaned or not match or not any(match.groups()):
        raise SessionError(f"cannot read length {text!r}; write it as minutes or hours, e.g. 30m, 1h or 1h30m")
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if not 1 <= minutes <= MINUTES_PER_DAY:
        raise SessionError(f"length {text!r} must be between 1 minute and 24 hours")
    return minutes


def format_minute(minute: int) -> str:
    """Write minutes since midnight as HH:MM."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def format_length(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


@dataclass(frozen=True)
class SessionClock:
    """One broadcast session: a name, a start time, a length in minutes and the weekdays it runs on."""

    name: str
    start: time
    minutes: int
    weekdays: int = ALL_DAYS

    @classmethod
    def parse(cls, name: str, start: str, length: str, weekdays: str = "daily") -> SessionClock:
        """Build a session from what a person typed, checking every part."""
        if not " ".join(nfc(name).split()):
            raise SessionError("a session needs {name}, e.g. sáng", field="name")
        # The greeting reads the name aloud ("Chào buổi sáng"), so it must leave words to read.
        clean_name = clean_text(name, "name", SessionError, limit=MAX_NAME, spoken=True)
        clock = cls(
            clean_name,
            _field(parse_time, start, "start_time"),
            _field(parse_length, length, "length"),
            _field(parse_weekdays, weekdays, "weekdays"),
        )
        if clock.start_minute + clock.minutes > MINUTES_PER_DAY:
            raise SessionError(
                f"session {clean_name!r} runs past midnight ({clock.start:%H:%M} + {format_length(clock.minutes)}); "
                "start it earlier or make it shorter"
            )
        return clock

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.minutes

    @property
    def end_text(self) -> str:
        """End as HH:MM; a session may end exactly at midnight, written 24:00."""
        return format_minute(self.end_minute)

    def overlaps(self, other: SessionClock) -> bool:
        """True when both sessions run on a common weekday at a common minute."""
        if not self.weekdays & other.weekdays:
            return False
        return self.start_minute < other.end_minute and other.start_minute < self.end_minute

    def describe(self) -> str:
        return f"{self.name} {self.start:%H:%M}-{self.end_text} {format_weekdays(self.weekdays)}"


T = TypeVar("T")


def _field(parse: Callable[[str], T], text: str, field: str) -> T:
    """parse(text), its SessionError naming field (the parameter at fault), so a form can show it beside it."""
    try:
        return parse(text)
    except SessionError as exc:
        raise SessionError(str(exc), field=field) from None


def check_no_overlap(clocks: list[SessionClock], owner: str) -> None:
    """Raise SessionError naming the first two sessions of one owner that overlap."""
    ordered = sorted(clocks, key=lambda c: (c.start_minute, c.name))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if first.overlaps(second):
                raise SessionError(
                    f"sessions overlap on {owner}: {first.describe()} and {second.describe()}; "
                    "change the start time or length, or clear one with `broadcast sessions clear`"
                )


Owner = TypeVar("Owner")


def nearest_with_sessions(
    chain: Iterable[Owner], sessions_of: Callable[[Owner], Sequence[SessionClock]]
) -> tuple[Owner, list[SessionClock]] | None:
    """The inheritance rule of sessions: walking chain (the station, then each unit above it, nearest first), the
    first owner with any sessions gives all of them — levels are never merged. None when no owner has any."""
    for owner in chain:
        clocks = sessions_of(owner)
        if clocks:
            return owner, list(clocks)
    return None
