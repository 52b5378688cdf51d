"""`broadcast station play` under a fake clock: time-machine sets the station's time, the tests run the
scheduler's passes themselves, and a real player process (a script that logs its argument) plays the files."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.schedulers.background import BackgroundScheduler

from broadcast.export.manifest import audio_path
from broadcast.planning.bulletin import PAUSE, lay_out
from broadcast.station.asrun import AsRunLog
from broadcast.station.client import RetryPolicy, StationClient
from broadcast.station.mirror import Mirror
from broadcast.station.player import CommandPlayer
from broadcast.station.playout import Playout, load_day, schedule_day
from tests.conftest import Invoke
from tests.scheduling import QueuedExecutor
from tests.station.conftest import DAY, STATION, Site, fake_player, sync

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(clock: str) -> datetime:
    return datetime.fromisoformat(f"{DAY.isoformat()}T{clock}").replace(tzinfo=TZ)


@dataclass
class Driven:
    playout: Playout
    scheduler: BackgroundScheduler
    executor: QueuedExecutor
    clock: time_machine.Coordinates

    def at(self, clock: str) -> None:
        """Move the station's clock, then run one pass of the scheduler and the jobs it started."""
        self.clock.move_to(at(clock))
        self.scheduler._process_jobs()
        self.executor.drain()


@pytest.fixture
def synced(site: Site, folder: Path, invoke: Invoke) -> Iterator[str]:
    """The day published and synced into the station's folder; the server's URL, still up."""
    site.publish(site.day())
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
        yield url


Drive = Callable[..., tuple[Driven, Path]]


@pytest.fixture
def drive(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Drive]:
    """Start play at a time on the frozen clock, with the scheduler's passes run by the test."""
    travellers: list[time_machine.travel] = []
    schedulers: list[BackgroundScheduler] = []

    def start(clock: str, client: StationClient | None = None) -> tuple[Driven, Path]:
        command, played = fake_player(tmp_path)
        travellers.append(time_machine.travel(at(clock), tick=False))
        coordinates = travellers[-1].start()
        mirror = Mirror(folder, STATION)
        # Waiting for an item's start moves the frozen clock on instead of sleeping.
        playout = Playout(mirror, load_day(mirror, DAY), CommandPlayer(command), client=client, wait=coordinates.shift)
        executor = QueuedExecutor()
        scheduler = BackgroundScheduler(timezone=TZ)
        scheduler.add_executor(executor, "default")
        scheduler.start(paused=True)
        schedulers.append(scheduler)
        monkeypatch.setattr(scheduler, "wakeup", lambda: None)  # its thread sleeps on; the test runs the passes
        schedule_day(scheduler, playout)
        scheduler.resume()
        return Driven(playout, scheduler, executor, coordinates), played

    yield start
    for scheduler in schedulers:
        scheduler.shutdown(wait=False)
    for traveller in travellers:
        traveller.stop()


def played_files(log: Path) -> list[str]:
    return [Path(line).name for line in log.read_text().splitlines()] if log.exists() else []


def test_play_follows_the_schedule_and_the_next_sync_reports_it(
    site: Site, folder: Path, invoke: Invoke, synced: str, drive: Drive
) -> None:
    driven, played = drive("05:00")
    morning = [f"{tone.sha256}.mp3" for tone in site.build.tones[:2]]
    afternoon = [f"{site.build.tones[2].sha256}.mp3"]
    driven.at("05:29:59")
    assert played_files(played) == []
    driven.at("05:30:00")
    assert played_files(played) == morning
    assert not driven.playout.finished.is_set()
    driven.at("16:59:00")
    assert played_files(played) == morning
    driven.at("17:00:00")
    assert played_files(played) == morning + afternoon
    assert driven.playout.finished.is_set()

    entries = AsRunLog(folder).entries(DAY)
    assert [(e["session"], e["kind"], e["status"], e["started_at"]) for e in entries] == [
        ("sáng", "ident", "played", "2025-03-01T05:30:00+07:00"),
        ("sáng", "message", "played", "2025-03-01T05:30:01+07:00"),  # its start in the manifest
        ("chiều", "message", "played", "2025-03-01T17:00:00+07:00"),
    ]
    assert [e["sha256"] for e in entries] == [tone.sha256 for tone in site.build.tones[:3]]
    assert [e["duration"] for e in entries] == [round(tone.duration, 3) for tone in site.build.tones[:3]]
    assert entries[0]["message_id"] is None and entries[1]["message_id"] == 11

    # The next sync sends the log; the one after sends nothing more.
    result = sync(invoke, site, synced, folder, "--days", "1", "--json")
    assert json.loads(result.output)["asrun_sent"] == 3
    stored = site.play_logs()
    assert [(row.entry_id, row.status, row.session, row.emergency) for row in stored] == [
        (e["id"], "played", e["session"], False) for e in entries
    ]
    assert stored[0].day == DAY
    result = sync(invoke, site, synced, folder, "--days", "1", "--json")
    assert json.loads(result.output)["asrun_sent"] == 0


def test_a_sync_during_the_day_changes_what_the_next_session_plays(
    site: Site, folder: Path, invoke: Invoke, synced: str, drive: Drive
) -> None:
    driven, played = drive("05:00")
    driven.at("05:30:00")
    morning, _ = site.day().sessions
    later = site.build.session(site.build.item(4, start="17:00:00"), name="chiều", start="17:00", end="17:30")
    site.publish(site.day(sessions=(morning, later)))
    assert sync(invoke, site, synced, folder, "--days", "1").exit_code == 0
    driven.at("17:00:00")
    assert played_files(played)[2:] == [f"{site.build.tones[4].sha256}.mp3"]


def test_an_emergency_plays_at_once_and_only_once(site: Site, folder: Path, invoke: Invoke, drive: Drive) -> None:
    site.publish(site.day())
    emergency_sha = site.add_emergency()
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
        with StationClient(url, STATION, site.token, retry=RetryPolicy(2, 0)) as client:
            driven, played = drive("05:10", client)
            driven.at("05:10:00")
            driven.playout.poll_emergencies()  # one poll without waiting (the long poll has tests of its own)
            assert played_files(played) == [f"{emergency_sha}.mp3"]
            driven.playout.poll_emergencies()  # polled again: the same emergency is not played twice
            assert played_files(played) == [f"{emergency_sha}.mp3"]
            driven.at("05:30:00")
            assert played_files(played)[1:] == [f"{tone.sha256}.mp3" for tone in site.build.tones[:2]]
            assert not driven.playout.finished.is_set()  # with a server to poll, play runs to the end of the day
        assert (folder / audio_path(emergency_sha)).is_file()
        entries = AsRunLog(folder).entries(DAY)
        assert (entries[0]["session"], entries[0]["emergency"], entries[0]["status"]) == (None, True, "played")
        assert entries[0]["started_at"] == "2025-03-01T05:10:00+07:00"
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
    stored = site.play_logs()
    assert [row.emergency for row in stored] == [True, False, False]
    assert stored[0].message_id is not None and stored[0].sha256 == emergency_sha


def test_play_through_the_cli_skips_a_session_already_past_and_plays_the_next(
    site: Site, folder: Path, invoke: Invoke, synced: str, tmp_path: Path
) -> None:
    command, played = fake_player(tmp_path)
    with time_machine.travel(at("17:00:00"), tick=False):
        result = invoke(
            "station", "play", "--dir", str(folder), "--station", STATION, "--date", "2025-03-01", "--player", command
        )
    assert result.exit_code == 0, result.output
    assert played_files(played) == [f"{site.build.tones[2].sha256}.mp3"]
    assert "buổi sáng (05:30) đã qua: bỏ qua" in result.output
    entries = AsRunLog(folder).entries(DAY)
    assert [(e["session"], e["status"]) for e in entries] == [
        ("sáng", "skipped"),
        ("sáng", "skipped"),
        ("chiều", "played"),
    ]
    # Started again the same day, play logs nothing twice.
    with time_machine.travel(at("17:30:00"), tick=False):
        invoke(
            "station", "play", "--dir", str(folder), "--station", STATION, "--date", "2025-03-01", "--player", command
        )
    assert len(AsRunLog(folder).entries(DAY)) == 3


def test_dry_run_prints_each_item_at_its_time(site: Site, folder: Path, invoke: Invoke, synced: str) -> None:
    result = invoke("station", "play", "--dir", str(folder), "--station", STATION, "--date", "2025-03-01", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["giờ", "buổi", "loại", "tiêu", "đề", "thời", "lượng", "âm", "thanh"]
    assert lines[2].split()[:4] == ["05:30:00", "sáng", "ident", "Đây"]
    assert "Thông báo lịch tiêm phòng vắc-xin cho trẻ em dưới 5 tuổi" in lines[3]
    assert lines[4].startswith("17:00:00  chiều") and "Phòng, chống cháy rừng mùa khô" in lines[4]
    assert lines[4].split()[-3:] == [f"{site.build.tones[2].duration:.1f}", "s", "có"]
    assert len(lines) == 5
    assert not (folder / "asrun").exists()


def test_a_day_never_synced_is_one_line(folder: Path, invoke: Invoke) -> None:
    result = invoke("station", "play", "--dir", str(folder), "--station", STATION, "--date", "2025-03-05", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: no playlist for station {STATION} on 2025-03-05 in {folder}; run `broadcast station sync` first"
    )


class TimedPlayer:
    """The real player command; then the frozen clock moves on by the file's length, plus overrun seconds."""

    def __init__(self, command: str, clock: time_machine.Coordinates, overrun: float) -> None:
        self.player = CommandPlayer(command)
        self.clock = clock
        self.overrun = overrun
        self.began: list[datetime] = []

    def play(self, path: Path, duration: float) -> bool:
        self.began.append(datetime.now(TZ))
        played = self.player.play(path, duration)
        self.clock.shift(duration + self.overrun)
        return played


@pytest.mark.parametrize("overrun", [0.0, 1.0])
def test_each_item_begins_at_its_start_after_the_pause_unless_running_late(
    site: Site, folder: Path, invoke: Invoke, tmp_path: Path, overrun: float
) -> None:
    tones = site.build.tones[:3]
    session_start = at("05:30:00")
    starts = [session_start + timedelta(seconds=offset) for offset in lay_out([tone.duration for tone in tones])]
    items = [site.build.item(i, start=f"{start:%H:%M:%S.%f}"[:-3]) for i, start in enumerate(starts)]
    site.publish(site.day(sessions=(site.build.session(*items),)))
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
    command, played = fake_player(tmp_path)
    waits: list[float] = []
    with time_machine.travel(session_start, tick=False) as clock:

        def wait(seconds: float) -> None:
            waits.append(seconds)
            clock.shift(seconds)

        player = TimedPlayer(command, clock, overrun)
        mirror = Mirror(folder, STATION)
        playout = Playout(mirror, load_day(mirror, DAY), player, wait=wait)
        playout.play_session(0)
    assert played_files(played) == [f"{tone.sha256}.mp3" for tone in tones]
    if overrun:  # each item ran a second long: the next ones start late, and nothing waits
        assert waits == []
        assert all(began > start for began, start in zip(player.began[1:], starts[1:], strict=True))
    else:  # the pause between two items is waited for, and every item begins where the manifest says
        assert waits == pytest.approx([PAUSE, PAUSE], abs=0.001)
        assert [round((b - s).total_seconds(), 3) for b, s in zip(player.began, starts, strict=True)] == [0, 0, 0]


def test_a_session_ending_at_midnight_is_synced_and_played(
    site: Site, folder: Path, invoke: Invoke, drive: Drive
) -> None:
    late = site.build.session(site.build.item(0, start="23:30:00"), name="tối", start="23:30", end="24:00")
    site.publish(site.day(sessions=(late,)))
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0  # not refused as damaged
    driven, played = drive("23:00")
    [session] = driven.playout.sessions
    assert session.end == at("23:30") + timedelta(minutes=30)  # the next day's first instant
    driven.at("23:30:00")
    assert played_files(played) == [f"{site.build.tones[0].sha256}.mp3"]
    assert driven.playout.finished.is_set()


def test_a_file_damaged_after_the_sync_is_not_played_and_is_logged_as_failed(
    site: Site, folder: Path, synced: str, drive: Drive
) -> None:
    """Same size, mtime put back: only reading it finds it. Play hashes each file just before playing it."""
    ident, message = site.build.tones[:2]
    damaged = folder / audio_path(message.sha256)
    before = damaged.stat()
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    os.utime(damaged, ns=(before.st_atime_ns, before.st_mtime_ns))
    mirror = Mirror(folder, STATION)
    problem = mirror.audio_problem(message.sha256, message.bytes)
    assert problem is not None and "is damaged" in problem
    assert mirror.audio_problem(ident.sha256, ident.bytes) is None

    driven, played = drive("05:00")
    driven.at("05:30:00")
    assert played_files(played) == [f"{ident.sha256}.mp3"]  # the player was never given the damaged file
    driven.at("17:00:00")  # and play goes on with the next session
    assert played_files(played) == [f"{ident.sha256}.mp3", f"{site.build.tones[2].sha256}.mp3"]
    entries = AsRunLog(folder).entries(DAY)
    assert [(e["sha256"], e["status"], e["duration"]) for e in entries] == [
        (ident.sha256, "played", round(ident.duration, 3)),
        (message.sha256, "failed", 0.0),
        (site.build.tones[2].sha256, "played", round(site.build.tones[2].duration, 3)),
    ]
