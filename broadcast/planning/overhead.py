"""How much of a session the bulletin's own parts take: call, jingles, greeting, close, intros and pauses."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from broadcast.audio.bulletin import PAUSE_MS
from broadcast.audio.ffmpeg import measure
from broadcast.audio.templates import Templates
from broadcast.planning.planner import Overhead
from broadcast.speech.estimate import estimate_seconds

# A long station name, so the estimate errs on the side of more time for the bulletin's own words.
SAMPLE_STATION = "Trung tâm Văn hóa, Thể thao và Truyền thông thành phố Lạng Sơn"


@lru_cache(maxsize=8)
def _jingle_seconds(path: Path, mtime: float) -> float:
    return measure(path.read_bytes()).duration


def jingle_seconds(path: Path) -> float:
    return _jingle_seconds(path, path.stat().st_mtime)


def bulletin_overhead(templates: Templates, engine: str) -> Overhead:
    """Seconds for the opening (call, jingle, greeting), the closing (close, jingle) and each item's intro."""
    pause = PAUSE_MS / 1000
    call = estimate_seconds(templates.fill("call", station=SAMPLE_STATION), engine)
    greeting = estimate_seconds(templates.fill("greeting", session="chiều", date="28/12/2026"), engine)
    close = estimate_seconds(templates.fill("close", session="chiều"), engine)
    intro = estimate_seconds(templates.fill("intro", title=""), engine)
    return Overhead(
        opening=round(call + jingle_seconds(templates.jingle("opening")) + greeting + 3 * pause, 1),
        closing=round(close + jingle_seconds(templates.jingle("closing")) + 2 * pause, 1),
        per_item=round(intro + 2 * pause, 1),
    )
