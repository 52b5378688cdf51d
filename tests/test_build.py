"""The whole chain on a small province: plan, render with real espeak-ng and ffmpeg, publish, rebuild."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select, update

from broadcast.build import build_days, clean_up
from broadcast.config import DEFAULT_SESSIONS, Settings, load_settings
from broadcast.db import migrate, open_database
from broadcast.db.models import Message, PlanDay, Session, Station
from broadcast.errors import AudioError, SpeechError
from broadcast.jobs import Outcome, emergency_rebuild
from broadcast.messages.approval import approve_message
from broadcast.messages.editing import MessageChanges, add_message
from broadcast.planning.bulletin import PAUSE
from broadcast.planning.refit import OVERRUN
from broadcast.planning.service import plan_range
from broadcast.speech.engines.base import Synthesis
from broadcast.speech.engines.espeak import EspeakEngine
from broadcast.units.clock import SessionClock
from broadcast.units.importer import import_units
from broadcast.units.sessions import set_session
from tests.conftest import Invoke
from tests.export.timing import assert_laid_out, assert_no_overrun

DAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
STATION = "2025-06187"  # Phường Kỳ Lừa, Lạng Sơn (2025 scheme)


def _settings(home: Path, url: str) -> Settings:
    """Lạng Sơn's 65 communes with one short session a day, so a build stays small."""
    config = load_settings(env={"BROADCAST_HOME": str(home), "BROADCAST_DATABASE_URL": url})
    migrate(url)
    database = open_database(url)
    with database.transaction() as db:
        import_units(db, "2025", "lang son", DEFAULT_SESSIONS[:1], config.timezone)
        set_session(db, "2025:20", SessionClock.parse("chiều", "17:00", "15m"))
        set_session(db, "2025:20", SessionClock.parse("sáng", "05:30", "15m"))
    database.dispose()
    return config


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    return _settings(tmp_path / "home", sqlite_url)


@pytest.fixture
def any_settings(tmp_path: Path, db_url: str) -> Settings:
    """The same, on SQLite and on PostgreSQL."""
    return _settings(tmp_path / "home", db_url)


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


def _codes(settings: Settings) -> list[str]:
    return sorted(path.name for path in (settings.export_root / "stations").iterdir())


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
    assert assert_no_overrun(settings.export_root) == 65 * 2
    # Stations share their plan's items after the call; each station's follow its own call, whatever its length.
    calls = {manifest(settings, code)["sessions"][0]["items"][0]["duration"] for code in _codes(settings)}  # type: ignore[index]
    assert len(calls) > 1
    assert assert_laid_out(settings.export_root, PAUSE) == 65 * (7 + 5)  # the message in one session of two

    before = {p: p.read_bytes() for p in (settings.export_root / "stations").rglob("*.json")}
    stale = settings.export_root / "audio" / f"{'0' * 64}.mp3"  # no manifest names it, untouched for a year
    stale.write_bytes(b"old")
    os.utime(stale, (NOW.timestamp() - 366 * 86400,) * 2)
    again = build_days(settings, DAY, 1, now=NOW)
    assert again.segments_rendered == 0 and again.published.days_written == 0
    assert again.published.days_unchanged == 65
    assert {p: p.read_bytes() for p in (settings.export_root / "stations").rglob("*.json")} == before
    # Nothing changed, so no manifest was read again for unreferenced audio: that is the nightly clean-up's.
    assert again.audio_removed == 0 and stale.exists()
    assert clean_up(settings, now=NOW) == (0, 1) and not stale.exists()


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
    assert_no_overrun(settings.export_root)


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


def stored_shortfalls(settings: Settings) -> list[dict[str, object]]:
    database = open_database(settings.database_url)
    with database.transaction() as db:
        found = [dict(short) for plan in db.scalars(select(PlanDay)) for short in plan.shortfalls]
    database.dispose()
    return found


def played_ids(settings: Settings, station: str = STATION) -> list[object]:
    shown = manifest(settings, station)
    return [i["message_id"] for s in shown["sessions"] for i in s["items"] if i["kind"] == "message"]  # type: ignore[attr-defined]


def change(settings: Settings, statement: object) -> None:
    """Write straight to the database, past every check (rows stored before the checks existed, say)."""
    database = open_database(settings.database_url)
    with database.transaction() as db:
        db.execute(statement)  # type: ignore[call-overload]
    database.dispose()


def test_a_message_with_nothing_to_read_is_a_shortfall_and_every_station_still_publishes(
    any_settings: Settings,
) -> None:
    settings = any_settings
    good = add(settings, "Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh.", "all")
    emoji = add(settings, "Chúc mừng", "Ngày hội đại đoàn kết toàn dân tộc.", "2025:20")
    change(settings, update(Message).where(Message.id == emoji).values(text="🎉🎊🔥 😀"))  # past the checks
    result = build_days(settings, DAY, 1, now=NOW)
    assert result.published.days_written == 65 and not result.skipped
    assert played_ids(settings) == [good] == played_ids(settings, "2025-06196")
    [short] = [s for s in stored_shortfalls(settings) if s["message_id"] == emoji]
    assert short["placed"] == 0 and short["wanted"] == 1
    assert str(short["reason"]).startswith("cannot be read aloud: nothing to say")
    [report] = [r for r in result.plan.shortfalls if r.message_id == emoji]
    assert report.title == "Chúc mừng" and len(report.stations) == 65 and report.reason == short["reason"]
    assert_no_overrun(settings.export_root)


def _failing_on(word: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """espeak-ng as it is, except that it fails on any text with word in it."""
    real = EspeakEngine.synthesize

    def synthesize(self: EspeakEngine, text: str, voice: str) -> Synthesis:
        if word in text:
            raise SpeechError(f"espeak-ng failed with voice {voice}: simulated failure")
        return real(self, text, voice)

    monkeypatch.setattr(EspeakEngine, "synthesize", synthesize)


def test_a_text_the_engine_fails_on_loses_only_its_own_place(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = add(settings, "Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh.", "all")
    bad = add(settings, "Tiêm chủng", "Trạm Y tế tiêm vắc xin sởi cho trẻ em dưới năm tuổi.", "all")
    _failing_on("vắc xin", monkeypatch)
    result = build_days(settings, DAY, 1, now=NOW)
    assert result.published.days_written == 65
    assert played_ids(settings) == [good] and result.refitted >= 1
    [short] = [s for s in stored_shortfalls(settings) if s["message_id"] == bad]
    assert "simulated failure" in str(short["reason"]) and short["placed"] == 0
    # Once the engine reads it again, the next build places it.
    monkeypatch.undo()
    build_days(settings, DAY, 1, now=NOW)
    assert sorted(played_ids(settings)) == sorted([good, bad])


def test_a_station_whose_call_cannot_be_spoken_loses_only_its_own_day(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(settings, "Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh.", "all")
    database = open_database(settings.database_url)
    with database.transaction() as db:
        name = db.scalars(select(Station.name).where(Station.code == STATION)).one()
    database.dispose()
    _failing_on(name, monkeypatch)
    result = build_days(settings, DAY, 1, now=NOW)
    assert result.published.days_written == 64
    [skipped] = result.skipped
    assert (skipped.station, skipped.day) == (STATION, DAY)
    assert skipped.reason.startswith("its station call cannot be read aloud") and "simulated" in skipped.reason
    assert not (settings.export_root / "stations" / STATION / f"{DAY}.json").exists()
    assert_no_overrun(settings.export_root)


NUMBERS = (
    "Số điện thoại đường dây nóng 0912345678, 0987654321 và 02053812345; mã số 7A-12B-34C-56D; "
    "các hộ số 12, 34, 56, 78, 910, 1112, 1314, 1516 nộp trước ngày 15/12/2026 lúc 14:30."
)


def test_a_session_is_refitted_to_the_real_lengths_and_never_runs_past_midnight(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(settings.database_url)
    with database.transaction() as db:
        set_session(db, "2025:20", SessionClock.parse("khuya", "23:57", "3m"))  # ends at 24:00
    database.dispose()
    # The estimator thinks each message takes a second; espeak-ng reads each for most of a minute.
    monkeypatch.setattr("broadcast.planning.inputs.estimate_seconds", lambda *args, **kwargs: 1.0)
    ids = [
        add(settings, f"Thông báo số {n}", f"Thông báo {n}. {NUMBERS}", "all", session_names=["khuya"])
        for n in range(1, 5)
    ]
    database = open_database(settings.database_url)
    with database.transaction() as db:
        plan_range(db, settings, DAY, 1, NOW)  # what the planner alone makes of it, on estimates
        program = db.scalars(select(PlanDay.program)).first()
    database.dispose()
    assert program is not None
    [estimated] = [s for s in program["sessions"] if s["name"] == "khuya"]
    planned = [i["message_id"] for i in estimated["items"]]
    assert sorted(planned) == ids  # on estimates, all four fit
    result = build_days(settings, DAY, 1, now=NOW)
    assert result.refitted >= 1
    shown = manifest(settings)
    [late] = [s for s in shown["sessions"] if s["name"] == "khuya"]  # type: ignore[attr-defined]
    assert late["end"] == "24:00"
    placed = [i["message_id"] for i in late["items"] if i["kind"] == "message"]
    assert 1 <= len(placed) < 4 and placed == planned[: len(placed)]  # the planner's order, the last ones left out
    left_out = [s for s in stored_shortfalls(settings) if s["message_id"] in ids]
    assert {s["message_id"] for s in left_out} == set(planned[len(placed) :])
    assert all(s["reason"] == OVERRUN and s["placed"] == 0 for s in left_out)
    assert assert_no_overrun(settings.export_root) == 65 * 3


def test_control_characters_in_a_stored_session_name_never_reach_the_playlists(settings: Settings) -> None:
    add(settings, "Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh.", "all")
    change(settings, update(Session).where(Session.name == "chiều").values(name="chiều\x07\r\n#EXTINF:1,x\x1b[31m"))
    build_days(settings, DAY, 1, now=NOW)
    playlist = (settings.export_root / "stations" / STATION / f"{DAY}.m3u8").read_text(encoding="utf-8")
    assert not any(ch in playlist for ch in "\x07\x1b\r")
    assert "# chiều #EXTINF:1,x [31m 17:00–17:15\n" in playlist  # one comment line, still a comment
    names = [s["name"] for s in manifest(settings)["sessions"]]  # type: ignore[index]
    assert names == ["sáng", "chiều #EXTINF:1,x [31m"]


def test_the_build_speaks_each_station_at_its_own_rate(settings: Settings) -> None:
    from broadcast.units.station_settings import StationChanges, change_station

    database = open_database(settings.database_url)
    with database.transaction() as db:
        change_station(db, STATION, StationChanges(rate=80))
    database.dispose()
    add(settings, "Phòng cháy", "Bà con không đốt nương rẫy, dọn sạch thực bì quanh nhà.", "all")
    result = build_days(settings, DAY, 1, now=NOW)
    assert result.published.days_written == 65
    # The slow station's shared words are rendered once more, in its own voice: greeting, close, intro, message.
    assert result.segments_needed == 65 + 2 * (2 * 2 + 2)

    def message_item(station: str) -> dict[str, object]:
        items = manifest(settings, station)["sessions"][0]["items"]  # type: ignore[index]
        return next(i for i in items if i["kind"] == "message")  # type: ignore[no-any-return]

    slow, normal = message_item(STATION), message_item("2025-06196")
    assert slow["sha256"] != normal["sha256"]
    assert float(slow["duration"]) > float(normal["duration"]) * 1.15  # type: ignore[arg-type]
    assert_no_overrun(settings.export_root)
