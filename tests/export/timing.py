"""A check every published day must pass: no session's items run past the session's end (24:00 included)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from broadcast.export.manifest import read_manifest


def _seconds(clock: str) -> float:
    """ "HH:MM" or "HH:MM:SS.mmm" as seconds since midnight; "24:00" is 86,400."""
    hours, minutes, *rest = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + (float(rest[0]) if rest else 0.0)


def overruns(manifest: Mapping[str, Any]) -> list[str]:
    """Each session whose last item ends after the session does, as "name: ends at N s, after its end at M s"."""
    late = []
    for session in manifest["sessions"]:
        if not session["items"]:
            continue
        last = session["items"][-1]
        ends = _seconds(last["start"]) + last["duration"]
        if ends > _seconds(session["end"]):
            late.append(f"{session['name']}: ends at {ends:.3f} s, after its end at {_seconds(session['end'])} s")
    return late


def assert_no_overrun(export_root: Path) -> int:
    """Check every published manifest under export_root; how many sessions were checked."""
    checked = 0
    for path in sorted((export_root / "stations").rglob("*.json")):
        manifest = read_manifest(path.read_bytes())
        assert not overruns(manifest), (path, overruns(manifest))
        checked += len(manifest["sessions"])
    assert checked, f"no published session under {export_root}"
    return checked


def assert_laid_out(export_root: Path, pause: float) -> int:
    """Check every published session starts at its start and each item starts `pause` seconds after the one before
    ends (to the millisecond the manifest keeps), whatever the length of the station's own call; how many items."""
    checked = 0
    for path in sorted((export_root / "stations").rglob("*.json")):
        for session in read_manifest(path.read_bytes())["sessions"]:
            clock = _seconds(session["start"])
            for item in session["items"]:
                assert abs(_seconds(item["start"]) - clock) <= 0.0015, (path, session["name"], item["kind"], clock)
                clock += item["duration"] + pause
                checked += 1
    assert checked, f"no published item under {export_root}"
    return checked
