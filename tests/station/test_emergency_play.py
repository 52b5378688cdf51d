"""Emergencies on a real server and a real player on loopback: the station's long poll hears of one within seconds,
fades out what is playing (logged as interrupted, with its second), plays it, and goes on with the session.

The player is real and takes real time: ffmpeg reading the file at its own speed (`-re`), behind a script that
first notes the file it was given."""

from __future__ import annotations

import shlex
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from broadcast.db.models import EmergencyJob, MessageTarget, Station
from broadcast.speech.engines import get_engine
from broadcast.speech.normalize import normalizer_for
from broadcast.station.asrun import AsRunEntry, AsRunLog
from broadcast.station.client import RetryPolicy, StationClient
from broadcast.station.mirror import Mirror
from broadcast.station.player import CommandPlayer
from broadcast.station.playout import Playout, load_day
from broadcast.vocabulary import PlayStatus
from tests.conftest import Invoke, rendered_segment
from tests.export.conftest import Build, Tone
from tests.live_server import live_server
from tests.server.conftest import emergency_message
from tests.station.conftest import DAY, NOW, STATION, Site, sync

WITHIN = 30.0  # seconds allowed for anything the station must do "at once": generous, not a speed test


def real_time_player(tmp_path: Path) -> tuple[str, Path]:
    """A player that notes each file it is given, then plays it in real time (ffmpeg -re to a null output)."""
    log = tmp_path / "played.txt"
    script = tmp_path / "player.py"
    script.write_text(
        "import os, sys\n"
        f"with open({str(log)!r}, 'a') as out:\n"
        "    out.write(sys.argv[1] + '\\n')\n"
        "os.execvp('ffmpeg', ['ffmpeg', '-nostdin', '-v', 'error', '-re', '-i', sys.argv[1], '-f', 'null', '-'])\n"
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}", log


def played(log: Path) -> list[str]:
    return [Path(line).name for line in log.read_text().splitlines()] if log.exists() else []


def logged(folder: Path) -> list[dict[str, Any]]:
    """Every as-run entry, whatever its day (an emergency is logged under the real date)."""
    log = AsRunLog(folder)
    return [entry for day in log.days() for entry in log.entries(day)]


def wait_for(check: Callable[[], bool], seconds: float = WITHIN) -> float:
    """Seconds until check() holds; fails past the limit."""
    began = time.monotonic()
    while not check():
        assert time.monotonic() - began < seconds, "not done in time"
        time.sleep(0.05)
    return time.monotonic() - began


def approve(site: Site, tone: int, text: str) -> str:
    """An emergency approved now, its speech rendered (a tone stands in) and its queue row done rendering, as serve's
    worker leaves them; the audio's sha256."""
    made = site.build.tones[tone]
    settings = site.settings
    settings.audio_dir.mkdir(parents=True, exist_ok=True)
    (settings.audio_dir / f"{made.sha256}.mp3").write_bytes(made.path.read_bytes())
    voice = get_engine(settings.engine).resolve_voice(None, "north")
    spoken = normalizer_for(settings.lexicon).normalize(text)
    with site.database.transaction() as db:
        station = db.scalars(select(Station).where(Station.code == STATION)).one()
        db.add(rendered_segment(settings, voice, spoken, made.sha256, made.bytes, made.duration, NOW))
        message = emergency_message(text, [MessageTarget(kind="station", station_id=station.id)], NOW)
        db.add(message)
        db.flush()
        db.add(EmergencyJob(message_id=message.id, queued_at=NOW, rendered_at=NOW, attempts=0))
    return made.sha256


class Station_:
    """The station's play with its long poll running on a thread, over the real server."""

    def __init__(self, site: Site, folder: Path, url: str, command: str) -> None:
        mirror = Mirror(folder, STATION)
        self.client = StationClient(url, STATION, site.token, retry=RetryPolicy(1))
        self.playout = Playout(mirror, load_day(mirror, DAY), CommandPlayer(command), client=self.client)
        self.stop = threading.Event()
        self.watch = threading.Thread(target=self.playout.watch_emergencies, args=(self.stop, 5.0), daemon=True)

    def __enter__(self) -> Station_:
        self.watch.start()
        time.sleep(1.0)  # its first long poll is waiting
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.watch.join(20)
        self.client.close()


@pytest.fixture
def served(site: Site, folder: Path, invoke: Invoke, big_tone: Tone) -> Iterator[str]:
    """A day of one 20-second item then a short one (2 s after the session's start), synced; the server's URL."""
    long = Build(site.build.segments, (big_tone,)).item(0, start="05:30:00")
    short = site.build.item(1, start="05:30:02")
    site.publish(site.day(sessions=(site.build.session(long, short, start="05:30", end="06:00"),)))
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
        yield url


def test_an_emergency_approved_after_the_last_session_plays_at_once(
    site: Site, folder: Path, served: str, tmp_path: Path
) -> None:
    command, log = real_time_player(tmp_path)
    with Station_(site, folder, served, command) as station:
        # The day's only session is long past (the manifest's day is 2025-03-01): nothing plays, nothing is due.
        sha = approve(site, 3, "Bão số 3 đang vào bờ, bà con khẩn trương về nơi trú ẩn an toàn.")
        wait_for(lambda: f"{sha}.mp3" in played(log))
        wait_for(lambda: bool(logged(folder)))  # logged once played through
        entries = logged(folder)
        assert [(e["emergency"], e["status"], e["sha256"]) for e in entries] == [(True, "played", sha)]
        assert station.playout.finished.is_set() is False


def test_a_long_item_is_faded_out_logged_as_interrupted_and_the_session_goes_on(
    site: Site, folder: Path, served: str, tmp_path: Path
) -> None:
    command, log = real_time_player(tmp_path)
    with Station_(site, folder, served, command) as station:
        session = threading.Thread(target=station.playout.play_session, args=(0,))
        session.start()
        wait_for(lambda: f"{site.big.sha256}.mp3" in played(log))
        time.sleep(3.0)  # three seconds into the 20-second item
        sha = approve(site, 3, "Cháy rừng ở thôn Nà Pàn, bà con tránh xa khu vực cháy.")
        wait_for(lambda: f"{sha}.mp3" in played(log))
        session.join(60)
        assert not session.is_alive()
    files = played(log)
    assert files[0] == f"{site.big.sha256}.mp3"
    assert files[1].startswith("fade-") and files[1].endswith(".wav")  # the faded tail, from where it stopped
    assert files[2:] == [f"{sha}.mp3", f"{site.build.tones[1].sha256}.mp3"]  # then the session goes on, late
    entries = {e["sha256"]: e for e in logged(folder)}
    cut = entries[site.big.sha256]
    assert cut["status"] == "interrupted" and cut["session"] == "sáng"
    assert 2.0 <= cut["cut_at"] <= 19.0 and cut["duration"] == cut["cut_at"]
    assert (entries[sha]["status"], entries[sha]["emergency"]) == ("played", True)
    assert entries[site.build.tones[1].sha256]["status"] == "played"
    assert "cut_at" not in entries[sha]  # only an interrupted item carries it


def test_two_emergencies_in_a_row_both_play(site: Site, folder: Path, served: str, tmp_path: Path) -> None:
    command, log = real_time_player(tmp_path)
    with Station_(site, folder, served, command):
        first = approve(site, 3, "Bão số 3 đang vào bờ, bà con khẩn trương về nơi trú ẩn an toàn.")
        wait_for(lambda: f"{first}.mp3" in played(log))
        time.sleep(2.0)
        second = approve(site, 4, "Nước sông Kỳ Cùng đang lên nhanh, bà con vùng trũng lên chỗ cao ngay.")
        wait_for(lambda: f"{second}.mp3" in played(log))
        time.sleep(1.0)
    assert played(log) == [f"{first}.mp3", f"{second}.mp3"]  # each once


def test_the_long_poll_comes_back_after_the_server_was_down(
    site: Site, folder: Path, invoke: Invoke, tmp_path: Path
) -> None:
    site.publish(site.day())
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
    command, log = real_time_player(tmp_path)
    # The station starts while the server is down, then the server comes back on the same port.
    port = int(url.rsplit(":", 1)[1])
    with Station_(site, folder, url, command):
        time.sleep(2.0)  # a few failed tries, with pauses
        sha = approve(site, 3, "Bão số 3 đang vào bờ, bà con khẩn trương về nơi trú ẩn an toàn.")
        with live_server(site.settings, port=port, now=lambda: NOW + timedelta(seconds=1)):
            wait_for(lambda: f"{sha}.mp3" in played(log), WITHIN + 30)


def test_an_emergency_played_before_midnight_is_not_played_again_after(
    site: Site, folder: Path, served: str, tmp_path: Path
) -> None:
    text = "Bão số 3 đang vào bờ, bà con khẩn trương về nơi trú ẩn an toàn."
    sha = approve(site, 3, text)
    with site.database.transaction() as db:
        message_id = db.scalars(select(EmergencyJob.message_id)).one()
    late = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) - timedelta(days=1)
    AsRunLog(folder).add(
        AsRunEntry.of(
            late.date(), late, id=f"{late.date()}-em-{message_id}-{sha[:12]}", session=None, kind="message",
            message_id=message_id, sha256=sha, duration=4.0, status=PlayStatus.PLAYED, emergency=True,
        )
    )  # fmt: skip
    command, log = real_time_player(tmp_path)
    with Station_(site, folder, served, command):
        time.sleep(4.0)  # the server still serves it (12 hours): the station knows it has played it
    assert played(log) == []
