"""How much of a session the bulletin's own parts take: call, jingles, greeting, close, intros and pauses."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from broadcast.audio.ffmpeg import measure
from broadcast.audio.templates import Templates
from broadcast.planning.bulletin import Announcement, Part, session_overhead, session_parts
from broadcast.planning.planner import Overhead
from broadcast.speech.estimate import estimate_seconds

# A long station name, so the estimate errs on the side of more time for the bulletin's own words.
SAMPLE_STATION = "Trung tâm Văn hóa, Thể thao và Truyền thông thành phố Lạng Sơn"
SAMPLE_DAY = date(2026, 12, 28)


@lru_cache(maxsize=8)
def _jingle_seconds(path: Path, mtime: float) -> float:
    return measure(path.read_bytes()).duration


def jingle_seconds(path: Path) -> float:
    """A jingle's length in seconds, measured once per version of the file."""
    return _jingle_seconds(path, path.stat().st_mtime)


def bulletin_overhead(templates: Templates, engine: str) -> Overhead:
    """Seconds for the opening, the closing and each item's intro with the pauses, estimated for engine.

    The intro is counted without its title, which the planner adds to the message's own length.
    """
    parts = session_parts(
        templates, station=SAMPLE_STATION, session="chiều", day=SAMPLE_DAY, items=[Announcement("", "")]
    )

    def seconds(part: Part) -> float:
        if part.jingle is not None:
            return jingle_seconds(templates.jingle(part.jingle))
        return estimate_seconds(part.text or "", engine)

    exact = session_overhead(parts, seconds)
    return Overhead(opening=round(exact.opening, 1), closing=round(exact.closing, 1), per_item=round(exact.per_item, 1))
