"""The M3U8 playlist: its exact format, titles on one line, and relative paths that players resolve to the audio."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

from broadcast.export.m3u8 import write_m3u8
from broadcast.export.manifest import playlist_path
from broadcast.export.model import ExportItem, ExportSession, StationDay
from broadcast.export.publish import publish_days
from tests.export.conftest import Build, ffprobe_duration

SHA_A = "a" * 64
SHA_B = "b" * 64


def item(title: str, sha256: str, duration: float) -> ExportItem:
    return ExportItem(
        kind="message",
        title=title,
        message_id=1,
        priority="normal",
        start="05:30:00",
        duration=duration,
        source=Path("/nowhere.mp3"),
        sha256=sha256,
        bytes=1000,
    )


def day(*sessions: ExportSession, name: str = "Đài Truyền thanh xã Hoàng Đồng") -> StationDay:
    return StationDay(
        station="27001", station_name=name, date=date(2025, 3, 1), timezone="Asia/Ho_Chi_Minh", sessions=sessions
    )


def written(station_day: StationDay) -> str:
    out = io.StringIO()
    write_m3u8(station_day, out)
    return out.getvalue()


def test_format() -> None:
    morning = ExportSession(
        name="sáng",
        start="05:30",
        end="06:00",
        items=(item("Đây là Đài Truyền thanh xã Hoàng Đồng", SHA_B, 5.0), item("Thông báo tiêm phòng", SHA_A, 12.3456)),
    )
    evening = ExportSession(name="chiều", start="17:00", end="17:30", items=(item("Bản tin", SHA_A, 0.5),))
    assert written(day(morning, evening)) == (
        "#EXTM3U\n"
        "#EXTENC:UTF-8\n"
        "#PLAYLIST:Đài Truyền thanh xã Hoàng Đồng 2025-03-01\n"
        "# sáng 05:30–06:00\n"
        "#EXTINF:5,Đây là Đài Truyền thanh xã Hoàng Đồng\n"
        f"../../audio/{SHA_B}.mp3\n"
        "#EXTINF:12.346,Thông báo tiêm phòng\n"
        f"../../audio/{SHA_A}.mp3\n"
        "# chiều 17:00–17:30\n"
        "#EXTINF:0.5,Bản tin\n"
        f"../../audio/{SHA_A}.mp3\n"
    )


def test_titles_stay_on_one_line_and_keep_their_commas() -> None:
    title = "Phòng, chống\ncháy rừng,\r\nmùa khô\u2028năm 2025"
    session = ExportSession(name="sáng\nsớm", start="05:30", end="06:00", items=(item(title, SHA_A, 3),))
    lines = written(day(session, name="Đài xã\nMai Pha")).splitlines()
    assert lines[2] == "#PLAYLIST:Đài xã Mai Pha 2025-03-01"
    assert lines[3] == "# sáng sớm 05:30–06:00"
    assert lines[4] == "#EXTINF:3,Phòng, chống cháy rừng, mùa khô năm 2025"
    assert lines[5] == f"../../audio/{SHA_A}.mp3"
    assert len(lines) == 6


def test_vietnamese_titles_are_nfc() -> None:
    title = unicodedata.normalize("NFD", "Thông báo về việc phòng, chống dịch sốt xuất huyết")
    text = written(day(ExportSession(name="sáng", start="05:30", end="06:00", items=(item(title, SHA_A, 3),))))
    assert unicodedata.is_normalized("NFC", text)
    assert "#EXTINF:3,Thông báo về việc phòng, chống dịch sốt xuất huyết\n" in text


def test_the_published_playlist_plays_with_ffmpeg(tmp_path: Path, build: Build) -> None:
    """ffmpeg reads the playlist (as HLS, the only M3U reader it has) and opens every file from its folder."""
    station_day = build.day()
    root = tmp_path / "export"
    publish_days(root, [station_day])
    playlist = root / playlist_path(station_day.station, station_day.date)
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "verbose", "-f", "hls", "-protocol_whitelist", "file"]
    done = subprocess.run([*command, "-i", str(playlist), "-f", "null", "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Failed to open segment" not in done.stderr
    opened = [Path(path).resolve() for path in re.findall(r"Opening '([^']+\.mp3)' for reading", done.stderr)]
    items = [item for session in station_day.sessions for item in session.items]
    assert opened == [(root / "audio" / f"{item.sha256}.mp3").resolve() for item in items]
    hours, minutes, seconds = re.findall(r"time=(\d+):(\d+):([\d.]+)", done.stderr)[-1]
    decoded = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    assert abs(decoded - sum(item.duration for item in items)) < 0.1 * len(items)


def test_every_playlist_path_resolves_against_the_playlist_folder(tmp_path: Path, build: Build) -> None:
    station_day = build.day()
    root = tmp_path / "export"
    publish_days(root, [station_day])
    playlist = root / playlist_path(station_day.station, station_day.date)
    lines = playlist.read_text(encoding="utf-8").splitlines()
    paths = [line for line in lines if line and not line.startswith("#")]
    items = [item for session in station_day.sessions for item in session.items]
    assert len(paths) == len(items)
    for line, expected in zip(paths, items, strict=True):
        audio = (playlist.parent / line).resolve()
        assert audio == (root / "audio" / f"{expected.sha256}.mp3").resolve()
        assert abs(ffprobe_duration(audio) - expected.duration) < 0.001
