"""The whole chain on a small province: plan, render with real espeak-ng and ffmpeg, publish, rebuild."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from broadcast.build import build_days
from broadcast.config import DEFAULT_SESSIONS, Settings, load_settings
from broadcast.db import migrate, open_database
from broadcast.errors import AudioError
from broadcast.jobs import Outcome, emergency_rebuild
from broadcast.messages.approval import approve_message
from broadcast.messages.editing import MessageChanges, add_message
from broadcast.units.clock import SessionClock
from broadcast.units.importer import import_units
from broadcast.units.sessions import set_session
from tests.conftest import Invoke

DAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
STATION = "2025-06187"  # Phường Kỳ Lừa, Lạng Sơn (2025 scheme)


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Lạng Sơn's 65 communes with one short session a day, so a build stays small."""
    config = load_settings(env={"BROADCAST_HOME": str(tmp_path / "home"), "BROADCAST_DATABASE_URL": sqlite_url})
    migrate(sqlite_url)
    database = open_database(sqlite_url)
    with database.transaction() as db:
        import_units(db, "2025", "lang son", DEFAULT_SESSIONS[:1], config.timezone)
        set_session(db, "2025:20", SessionClock.parse("chiều", "17:00", "15m"))
        set_session(db, "2025:20", SessionClock.parse("sáng", "05:30", "15m"))
    database.dispose()
    return config


def add(settings: Settings, title: str, text: str, target: str, **extra: object) -> int:
    database = open_database(settings.database_url)
    changes = MessageChanges(title=title, text=text, targets=[target], starts_on=DAY, ends_on=DAY, **extra)  # type: ignore[arg-type]
    with database.transaction() as db:
        message = add_message(db, changes, NOW)
        approve_message(db, settings, message.id, "Cán bộ", NOW)
        message_id = message.id
    database.dispose()
    return message_id


def manifest(settings: Settings, station: str = STATION, day: date = DAY) -> dict[str, object]:
    path = settings.export_root / "stations" / station / f"{day}.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_build_publishes_every_station_and_rebuilds_without_rendering(settings: Settings) -> None:
    first = add(settings, "Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh.", "all")
    result = build_days(settings, DAY, 1, now=NOW)
    assert result.plan.station_days == 65 and result.published.days_written == 65
    # Speech: one call per station, and per voice a greeting and close per session, an intro and the message.
    assert result.segments_needed == 65 + 2 * 2 + 2
    shown = manifest(settings)
    assert shown["station"] == STATION and shown["date"] == "2026-11-27"
    sessions = shown["sessions"]
    assert [s["name"] for s in sessions] == ["sáng", "chiều"]  # type: ignore[index]
    kinds = [i["kind"] for i in sessions[0]["items"]]  # type: ignore[index]
    assert kinds == ["ident", "jingle", "greeting", "intro", "message", "close", "jingle"]
    message = sessions[0]["items"][4]  # type: ignore[index]
    assert (message["message_id"], message["title"], message["priority"]) == (first, "Phòng cháy", "normal")
    audio = settings.export_root / message["audio"]
    assert audio.stat().st_size == message["bytes"]
    playlist = (settings.export_root / "stations" / STATION / f"{DAY}.m3u8").read_text(encoding="utf-8")
    assert playlist.startswith("#EXTM3U") and "../../audio/" in playlist

    before = {p: p.read_bytes() for p in (settings.export_root / "stations").rglob("*.json")}
    again = build_days(settings, DAY, 1, now=NOW)
    assert again.segments_rendered == 0 and again.published.days_written == 0
    assert again.published.days_unchanged == 65
    assert {p: p.read_bytes() for p in (settings.export_root / "stations").rglob("*.json")} == before


def test_a_crash_while_rendering_leaves_the_last_good_export(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(settings, "Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh.", "all")
    build_days(settings, DAY, 1, now=NOW)
    good = manifest(settings)
    add(settings, "Tiêm chủng", "Trạm Y tế phường tiêm vắc xin sởi cho trẻ em.", "all")

    def broken(*args: object, **kwargs: object) -> object:
        raise AudioError("ffmpeg failed: simulated crash")

    monkeypatch.setattr("broadcast.speech.segments.encode_normalized", broken)
    with pytest.raises(AudioError):
        build_days(settings, DAY, 1, now=NOW)
    assert manifest(settings) == good


def test_emergency_rebuild_fills_only_the_sessions_still_to_come(settings: Settings) -> None:
    routine = add(settings, "Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh.", "all")
    build_days(settings, DAY, 1, now=NOW)
    morning_before = manifest(settings)["sessions"][0]  # type: ignore[index]
    noon = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)  # 12:00 in Vietnam (UTC+7): after sáng, before chiều
    with time_machine.travel(noon, tick=False):
        database = open_database(settings.database_url)
        changes = MessageChanges(
            title="Cảnh báo lũ quét",
            text="Mưa lớn gây nguy cơ lũ quét, bà con không qua ngầm tràn.",
            targets=["2025:20"],
            starts_on=DAY,
            ends_on=DAY,
            priority="emergency",
        )
        with database.transaction() as db:
            urgent = add_message(db, changes, noon).id
            approve_message(db, settings, urgent, "Chủ tịch", noon)
        database.dispose()
        assert emergency_rebuild(str(settings.home), settings.database_url, None, urgent) == Outcome.DONE
    after = manifest(settings)["sessions"]  # type: ignore[index]
    assert after[0] == morning_before  # 05:30 had already happened
    evening = [i["message_id"] for i in after[1]["items"] if i["kind"] == "message"]
    morning = [i["message_id"] for i in after[0]["items"] if i["kind"] == "message"]
    assert evening[0] == urgent  # an emergency leads the next session
    assert (morning + evening).count(routine) == 1  # the routine message still plays once a day


def test_a_build_removes_the_temporary_files_a_killed_build_left(settings: Settings) -> None:
    add(settings, "Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh.", "all")
    build_days(settings, DAY, 1, now=NOW)
    station = settings.export_root / "stations" / STATION
    leftovers = [
        station / f".{DAY}.json.k3j9x2.tmp",  # write_atomic's, killed between write and rename
        station / f".{DAY}.m3u8.a81b2c.tmp",
        settings.export_root / "audio" / f".{'0' * 64}.mp3.5f1e0d2c4b3a.tmp",  # an audio link or copy half made
    ]
    for path in leftovers:
        path.write_bytes(b"half written")
    kept = station / "notes.tmp"  # not a temporary file of ours: no leading dot
    kept.write_bytes(b"an operator's file")
    result = build_days(settings, DAY, 1, now=NOW)
    assert result.leftovers_removed == 3
    assert not any(path.exists() for path in leftovers) and kept.exists()
    assert result.published.days_unchanged == 65  # the day itself was left as it was


def flip_a_byte(path: Path) -> None:
    """Same size, different bytes (and a new mtime, as any write gives)."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_the_next_build_repairs_damaged_store_and_export_audio_and_says_so(settings: Settings, invoke: Invoke) -> None:
    add(settings, "Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh.", "all")
    build_days(settings, DAY, 1, now=NOW)
    items = manifest(settings)["sessions"][0]["items"]  # type: ignore[index]
    message, ident = items[4], items[0]
    store_file = settings.audio_dir / f"{message['sha256']}.mp3"
    export_file = settings.export_root / ident["audio"]
    flip_a_byte(store_file)  # the speech the next build would reuse
    flip_a_byte(export_file)  # what stations download
    assert sha256_of(store_file) != message["sha256"] and sha256_of(export_file) != ident["sha256"]

    with time_machine.travel(NOW, tick=False):
        result = invoke("build", "--from", DAY.isoformat())
    assert result.exit_code == 0, result.output
    assert "Speech: 71 pieces, 1 newly rendered." in result.output
    assert "(65 unchanged, 0 new audio files)" in result.output  # the same bytes again: no manifest changes
    assert (
        "Repaired: 1 damaged speech files rendered again, 1 damaged export audio files copied again, "
        "0 export audio files hard-linked to the store made copies." in result.output
    )
    assert sha256_of(store_file) == message["sha256"] and sha256_of(export_file) == ident["sha256"]
    assert export_file.stat().st_nlink == 1

    again = build_days(settings, DAY, 1, now=NOW)
    assert (again.segments_rendered, again.segments_repaired, again.published.audio_repaired) == (0, 0, 0)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
