"""Fixtures for the export tests: real MP3 tones made by ffmpeg, and builders for items, sessions and days."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from broadcast.export.model import ExportItem, ExportSession, StationDay

FREQUENCIES = (330, 440, 550, 660, 770)


@dataclass(frozen=True)
class Tone:
    path: Path
    sha256: str
    bytes: int
    duration: float


def ffprobe_duration(path: Path) -> float:
    command = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)]
    done = subprocess.run(command, capture_output=True, check=True)
    return float(json.loads(done.stdout)["format"]["duration"])


@pytest.fixture(scope="session")
def tones(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tone, ...]:
    """A few short MP3 tones, made once per test run; tests copy them before touching them."""
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg is not installed; install it with `apt-get install ffmpeg`")
    folder = tmp_path_factory.mktemp("tones")
    made = []
    for index, frequency in enumerate(FREQUENCIES):
        path = folder / f"{frequency}.mp3"
        source = f"sine=frequency={frequency}:duration={1 + index / 4}:sample_rate=22050"
        command = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", source]
        subprocess.run([*command, "-c:a", "libmp3lame", "-b:a", "32k", str(path)], check=True)
        data = path.read_bytes()
        made.append(Tone(path, hashlib.sha256(data).hexdigest(), len(data), ffprobe_duration(path)))
    return tuple(made)


class Build:
    """Items, sessions and days with sensible defaults, over a private copy of the tones (the segment store)."""

    def __init__(self, segments: Path, tones: tuple[Tone, ...]) -> None:
        self.segments = segments
        self.tones = tuple(
            replace(tone, path=Path(shutil.copy2(tone.path, segments / f"{tone.sha256}.mp3"))) for tone in tones
        )

    def item(self, tone: int = 0, **overrides: Any) -> ExportItem:
        made = self.tones[tone]
        values: dict[str, Any] = {
            "kind": "message",
            "title": "Thông báo lịch tiêm phòng vắc-xin cho trẻ em dưới 5 tuổi",
            "message_id": 10 + tone,
            "priority": "normal",
            "start": "05:30:00",
            "duration": made.duration,
            "source": made.path,
            "sha256": made.sha256,
            "bytes": made.bytes,
        }
        values.update(overrides)
        return ExportItem(**values)

    def session(
        self, *items: ExportItem, name: str = "sáng", start: str = "05:30", end: str = "06:00"
    ) -> ExportSession:
        return ExportSession(name=name, start=start, end=end, items=items)

    def day(self, station: str = "27001", on: date = date(2025, 3, 1), **overrides: Any) -> StationDay:
        values: dict[str, Any] = {
            "station": station,
            "station_name": "Đài Truyền thanh xã Hoàng Đồng",
            "date": on,
            "timezone": "Asia/Ho_Chi_Minh",
            "sessions": (
                self.session(
                    self.item(
                        0, kind="ident", title="Đây là Đài Truyền thanh xã Hoàng Đồng", message_id=None, priority=None
                    ),
                    self.item(1, start="05:30:01"),
                ),
                self.session(
                    self.item(2, title="Phòng, chống cháy rừng mùa khô", priority="priority", start="17:00:00"),
                    name="chiều",
                    start="17:00",
                    end="17:30",
                ),
            ),
        }
        values.update(overrides)
        return StationDay(**values)


@pytest.fixture
def build(tmp_path: Path, tones: tuple[Tone, ...]) -> Build:
    segments = tmp_path / "segments"
    segments.mkdir()
    return Build(segments, tones)
