"""The bulletin as defined once: its parts, layout and overhead, and what a real build makes of it.

The last tests render a real session (espeak-ng, ffmpeg, a small SQLite database) and listen to it: joined in
manifest order with the bulletin's pauses, every part begins where the manifest says, the pauses are silent gaps
in the audio, and the planner's overhead counts exactly the time the build lays out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from pydub import AudioSegment
from pydub.silence import detect_leading_silence, detect_nonsilent
from sqlalchemy import update

from broadcast.audio.templates import BUNDLED, load_templates
from broadcast.build import build_days
from broadcast.config import DEFAULT_SESSIONS, load_settings
from broadcast.db import migrate, open_database
from broadcast.db.models import Station
from broadcast.messages.approval import approve_message
from broadcast.messages.editing import MessageChanges, add_message
from broadcast.planning.bulletin import (
    PAUSE,
    PAUSE_MS,
    Announcement,
    Part,
    lay_out,
    session_overhead,
    session_parts,
    shared_texts,
    station_voice,
)
from broadcast.units.clock import SessionClock
from broadcast.units.importer import import_units
from broadcast.units.sessions import set_session
from broadcast.vocabulary import ItemKind

DAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
STATION = "2025-06187"  # Phường Kỳ Lừa, Lạng Sơn (2025 scheme)
ANNOUNCEMENTS = (
    Announcement("Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh."),
    Announcement("Tiêm chủng", "Trạm Y tế phường tiêm vắc xin sởi cho trẻ em. Bà con đưa trẻ đến đúng giờ."),
)
SILENCE_DBFS = -50  # speech and jingles at -16 LUFS are far above this; the pauses are digital silence
TOLERANCE = 0.1  # seconds


@dataclass(frozen=True)
class Voice:
    engine: str | None
    voice_region: str
    speaking_rate: int = 100


def test_a_session_is_call_jingle_greeting_then_intro_and_message_each_then_close_and_jingle() -> None:
    templates = load_templates(BUNDLED)
    parts = session_parts(templates, station="Đài Truyền thanh xã A", session="sáng", day=DAY, items=ANNOUNCEMENTS)
    assert [p.kind for p in parts] == [
        ItemKind.IDENT, ItemKind.JINGLE, ItemKind.GREETING,
        ItemKind.INTRO, ItemKind.MESSAGE, ItemKind.INTRO, ItemKind.MESSAGE,
        ItemKind.CLOSE, ItemKind.JINGLE,
    ]  # fmt: skip
    assert parts[0].text == "Đây là Đài Truyền thanh xã A."
    assert [p.jingle for p in parts if p.kind is ItemKind.JINGLE] == ["opening", "closing"]
    assert "27/11/2026" in (parts[2].text or "") and "Phòng cháy" in (parts[3].text or "")
    assert [p.item for p in parts[3:7]] == [0, 0, 1, 1]
    # Stations share every word but their call.
    shared = shared_texts(templates, session="sáng", day=DAY, items=ANNOUNCEMENTS)
    assert shared == [p.text for p in parts if p.text is not None][1:]
    # Bare text (a preview without a title) is read without an intro.
    bare = session_parts(templates, station="A", session="sáng", day=DAY, items=[Announcement(None, "Chào bà con.")])
    assert [p.kind for p in bare][3:5] == [ItemKind.MESSAGE, ItemKind.CLOSE]


def test_parts_follow_each_other_after_a_pause_and_the_overhead_is_that_layout() -> None:
    assert lay_out([2.0, 3.0, 4.0]) == [0.0, 2.0 + PAUSE, 5.0 + 2 * PAUSE]
    parts = [Part(kind, "") for kind in (ItemKind.IDENT, ItemKind.JINGLE, ItemKind.GREETING)]
    parts += [Part(ItemKind.INTRO, ""), Part(ItemKind.MESSAGE, ""), Part(ItemKind.CLOSE, ""), Part(ItemKind.JINGLE, "")]
    seconds = dict(zip(map(id, parts), [2.0, 3.0, 9.0, 4.0, 60.0, 7.0, 3.5], strict=True))
    overhead = session_overhead(parts, lambda part: seconds[id(part)])
    assert overhead.opening == pytest.approx(2.0 + 3.0 + 9.0 + 3 * PAUSE)  # up to the intro
    assert overhead.per_item == pytest.approx(4.0 + 2 * PAUSE)  # intro, pause, (message), pause
    assert overhead.closing == pytest.approx(7.0 + PAUSE + 3.5)  # close, pause, jingle
    total = 2.0 + 3.0 + 9.0 + 4.0 + 60.0 + 7.0 + 3.5 + 6 * PAUSE  # seven parts, six pauses
    assert overhead.opening + overhead.per_item + 60.0 + overhead.closing == pytest.approx(total)
    with pytest.raises(ValueError, match="one introduced item"):
        session_overhead(parts[:3] + parts[5:], lambda part: 1.0)


def test_a_station_speaks_with_its_engine_or_the_default_in_its_region_voice() -> None:
    assert station_voice(Voice(None, "south"), "espeak") == ("espeak", "vi-vn-x-south")
    assert station_voice(Voice("gtts", "south"), "espeak") == ("gtts", "vi")
    assert station_voice(None, "espeak") == ("espeak", "vi")
    assert station_voice(Voice("gtts", "north"), "espeak", engine="espeak", voice="central") == (
        "espeak",
        "vi-vn-x-central",
    )


def test_a_station_speaks_at_its_rate_and_at_100_percent_with_the_voice_it_had() -> None:
    assert station_voice(Voice(None, "south", 80), "espeak") == ("espeak", "vi-vn-x-south@80%")
    assert station_voice(Voice("gtts", "north", 120), "espeak", voice="vi-com.vn") == ("gtts", "vi-com.vn@120%")
    assert station_voice(Voice(None, "north", 100), "espeak") == ("espeak", "vi")


# A real session, rendered and listened to.


@dataclass(frozen=True)
class Rendered:
    session: dict[str, Any]  # the manifest's session
    export_root: Path
    parts: tuple[Part, ...]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """One station of Lạng Sơn with one morning session holding two messages, built with real speech."""
    home = tmp_path_factory.mktemp("bulletin")
    url = f"sqlite:///{home / 'broadcast.db'}"
    settings = load_settings(env={"BROADCAST_HOME": str(home / "home"), "BROADCAST_DATABASE_URL": url})
    migrate(url)
    database = open_database(url)
    with database.transaction() as db:
        import_units(db, "2025", "lang son", DEFAULT_SESSIONS[:1], settings.timezone)
        set_session(db, "2025:20", SessionClock.parse("sáng", "05:30", "15m"))
        db.execute(update(Station).where(Station.code != STATION).values(active=False))  # one station to render
    for said in ANNOUNCEMENTS:
        with database.transaction() as db:
            changes = MessageChanges(title=said.title, text=said.text, targets=[STATION], starts_on=DAY, ends_on=DAY)
            message = add_message(db, changes, NOW)
            approve_message(db, settings, message.id, "Cán bộ", NOW)
    database.dispose()
    build_days(settings, DAY, 1, now=NOW)
    manifest = json.loads((settings.export_root / "stations" / STATION / f"{DAY}.json").read_text(encoding="utf-8"))
    session = manifest["sessions"][0]
    said = [Announcement(i["title"], "") for i in session["items"] if i["kind"] == ItemKind.MESSAGE]
    templates = load_templates(BUNDLED)
    parts = session_parts(templates, station=manifest["station_name"], session="sáng", day=DAY, items=said)
    return Rendered(session, settings.export_root, parts)


def offset(session: dict[str, Any], item: dict[str, Any]) -> float:
    """The item's start in the manifest, in seconds from the session's start."""
    day_start = datetime.combine(DAY, time.fromisoformat(session["start"]))
    return (datetime.combine(DAY, time.fromisoformat(item["start"])) - day_start).total_seconds()


def test_every_part_begins_in_the_audio_where_the_manifest_says(rendered: Rendered) -> None:
    items = rendered.session["items"]
    assert [i["kind"] for i in items] == [p.kind for p in rendered.parts]
    # Join the audio files in manifest order with the bulletin's pauses, noting where each begins, in samples.
    rate = 44100
    signal, begins, leads = AudioSegment.empty(), [], []
    for index, item in enumerate(items):
        if index:
            signal += AudioSegment.silent(duration=PAUSE_MS, frame_rate=rate)
        begins.append(signal.frame_count() / rate)
        audio = AudioSegment.from_file(rendered.export_root / item["audio"], format="mp3")
        audio = audio.set_frame_rate(rate).set_channels(1)
        leads.append(detect_leading_silence(audio, silence_threshold=SILENCE_DBFS, chunk_size=1) / 1000)
        signal += audio
    starts = [offset(rendered.session, item) for item in items]
    assert max(abs(b - s) for b, s in zip(begins, starts, strict=True)) <= TOLERANCE

    # Listen: every part's first sound follows a silence at least a pause long, where the manifest puts it.
    sounds = detect_nonsilent(signal, min_silence_len=PAUSE_MS, silence_thresh=SILENCE_DBFS, seek_step=1)
    onsets = [begin / 1000 for begin, _ in sounds]
    for start, lead in zip(starts, leads, strict=True):
        heard = min(onsets, key=lambda onset: abs(onset - (start + lead)))
        assert abs(heard - (start + lead)) <= TOLERANCE
    assert len(onsets) >= len(items)  # a long breath inside a part may split it; no two parts ever run together


def test_the_planners_overhead_is_what_the_build_lays_out(rendered: Rendered) -> None:
    items = rendered.session["items"]
    durations = {id(part): float(item["duration"]) for part, item in zip(rendered.parts, items, strict=True)}
    overhead = session_overhead(rendered.parts, lambda part: durations[id(part)])
    starts = [offset(rendered.session, item) for item in items]
    intros = [index for index, item in enumerate(items) if item["kind"] == ItemKind.INTRO]
    assert overhead.opening == pytest.approx(starts[intros[0]], abs=TOLERANCE)
    pauses = overhead.per_item - items[intros[0]]["duration"]  # per item: its intro and the pauses
    for intro in intros:
        message = items[intro + 1]
        taken = starts[intro + 2] - starts[intro] - message["duration"]
        assert taken == pytest.approx(items[intro]["duration"] + pauses, abs=TOLERANCE)
    end = starts[-1] + items[-1]["duration"]
    close = intros[-1] + 2
    assert items[close]["kind"] == ItemKind.CLOSE
    assert overhead.closing == pytest.approx(end - starts[close], abs=TOLERANCE)  # after the last item and its pause
    # The whole session is its opening, each item (intro, pauses, message) and its closing.
    each = sum(items[intro]["duration"] + pauses + items[intro + 1]["duration"] for intro in intros)
    assert overhead.opening + each + overhead.closing == pytest.approx(end, abs=TOLERANCE)
