"""The per-station daily playlist: extended M3U in UTF-8 that VLC and mpv play as is from the export tree.

The playlist sits in stations/<code>/, so its audio paths climb two folders to the export root. It carries no
#EXT-X- tags: with them, players would take it for an HLS stream rather than a list of files.
"""

from __future__ import annotations

import functools
from typing import IO

from broadcast.export.manifest import audio_path, one_line, seconds
from broadcast.export.model import StationDay

# From stations/<code>/<date>.m3u8 back to the export root.
ROOT_FROM_PLAYLIST = "../../"


def _duration(value: float) -> str:
    """Seconds with at most three decimals and no trailing zeros: "12.5", "7"."""
    return f"{seconds(value):.3f}".rstrip("0").rstrip(".")


@functools.lru_cache(maxsize=65_536)
def _entry(duration: float, title: str, sha256: str) -> str:
    """An item's #EXTINF line and path, remembered: a country's playlists name the same items thousands of times."""
    # Players take everything after the first comma as the title, commas included.
    return f"#EXTINF:{_duration(duration)},{one_line(title)}\n{ROOT_FROM_PLAYLIST}{audio_path(sha256)}\n"


def write_m3u8(day: StationDay, out: IO[str]) -> None:
    """Write the day's playlist: a comment per session, then #EXTINF and the relative audio path per item."""
    out.write("#EXTM3U\n")
    out.write("#EXTENC:UTF-8\n")
    out.write(f"#PLAYLIST:{one_line(day.station_name)} {day.date.isoformat()}\n")
    for session in day.sessions:
        # A space after '#' keeps a session name from ever reading as a directive.
        out.write(f"# {one_line(session.name)} {session.start}–{session.end}\n")
        out.write("".join([_entry(item.duration, item.title, item.sha256) for item in session.items]))
