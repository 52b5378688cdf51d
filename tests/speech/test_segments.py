"""The segment store: real espeak-ng and ffmpeg, on SQLite and PostgreSQL, with files on a real disk."""

from __future__ import annotations

import hashlib
import os
import socket
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gtts.tts
import pytest
import time_machine
from sqlalchemy import select

from broadcast.audio.ffmpeg import AudioSettings, Loudness, measure
from broadcast.audio.mastering import TOLERANCE_LU
from broadcast.db import Database
from broadcast.db.models import Segment
from broadcast.errors import FileWriteError, SpeechError
from broadcast.files import write_atomic
from broadcast.speech.engines import Engine, EspeakEngine, GttsEngine, Synthesis
from broadcast.speech.segments import SegmentStore
from tests.audio.loudness import assert_measured_alike

TEXT = "Xã thông báo lịch tiêm phòng."


class CountingEspeak(EspeakEngine):
    """The real espeak-ng engine, counting what it is asked to say."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str]] = []

    def synthesize(self, text: str, voice: str) -> Synthesis:
        self.calls.append((text, voice))
        return super().synthesize(text, voice)


@pytest.fixture
def store(tmp_path: Path) -> SegmentStore:
    return SegmentStore(tmp_path / "audio", AudioSettings())


@pytest.fixture
def espeak() -> CountingEspeak:
    return CountingEspeak()


def render(database: Database, store: SegmentStore, engine: Engine, text: str, voice: str = "vi") -> Segment:
    with database.transaction() as db:
        return store.render(db, engine, voice, text)


def stored(database: Database) -> list[Segment]:
    with database.transaction() as db:
        return list(db.scalars(select(Segment).order_by(Segment.id)))


def files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_render_stores_a_measured_row_and_a_file_named_by_its_hash(
    database: Database, store: SegmentStore, espeak: CountingEspeak
) -> None:
    segment = render(database, store, espeak, TEXT)

    [row] = stored(database)
    assert row.id == segment.id
    audio = store.path_of(row).read_bytes()
    assert files(store.audio_dir) == [f"{row.sha256}.mp3"]
    assert hashlib.sha256(audio).hexdigest() == row.sha256
    assert row.bytes == len(audio)
    assert (row.engine, row.voice, row.rendered_by, row.fallback_reason) == ("espeak", "vi", "espeak", None)
    assert (row.text, row.settings) == (store.spoken(TEXT), store.settings.key())
    assert espeak.calls == [(store.spoken(TEXT), "vi")]
    loudness = measure(audio)
    assert_measured_alike(Loudness(row.loudness, row.true_peak, row.duration), loudness)
    assert abs(row.loudness - store.settings.target_lufs) <= TOLERANCE_LU
    assert row.true_peak <= store.settings.true_peak
    assert row.created_at is not None
    assert stat.S_IMODE(store.path_of(row).stat().st_mode) == 0o644


def test_the_same_text_is_rendered_once(database: Database, store: SegmentStore, espeak: CountingEspeak) -> None:
    first = render(database, store, espeak, TEXT)
    second = render(database, store, espeak, TEXT)
    assert second.id == first.id
    assert len(espeak.calls) == 1
    with database.transaction() as db:
        found = store.find(db, espeak, "vi", TEXT)
        assert found is not None and found.id == first.id
        assert store.find(db, espeak, "vi", "Một câu chưa đọc bao giờ.") is None
    assert len(stored(database)) == 1


# Station calls as the national build renders them, in the three regional voices at the stations' rate: short and
# long names, a name with a number, one with a Latin letter, and an emergency sentence.
CALLS = [
    "Đây là Đài Truyền thanh xã Hữu Lũng, huyện Hữu Lũng, tỉnh Lạng Sơn.",
    "Đây là Đài Truyền thanh xã Quảng Lạc.",
    "Đây là Đài Truyền thanh thị trấn Na Sầm.",
    "Đây là Đài Truyền thanh phường 12, quận 5.",
    "Đây là Đài Truyền thanh xã Ea H'leo, huyện Ea H'leo, tỉnh Đắk Lắk.",
    "Khẩn cấp! Bão số 3 đổ bộ trong đêm nay, bà con không ra khơi, chằng chống nhà cửa ngay.",
]
VOICES = ["vi@85%", "vi-vn-x-central@85%", "vi-vn-x-south@85%"]


def test_a_segment_is_the_same_bytes_alone_or_in_any_batch(tmp_path: Path, database: Database) -> None:
    # A clip's bytes depend only on its own key, never on what was rendered before it or beside it on other threads.
    espeak = EspeakEngine()
    key_text, key_voice = CALLS[0], VOICES[1]
    alone = SegmentStore(tmp_path / "alone", AudioSettings())
    first = SegmentStore(tmp_path / "first", AudioSettings())
    second = SegmentStore(tmp_path / "second", AudioSettings())
    made: list[tuple[str, bytes]] = []
    others = [(espeak, voice, text) for text in CALLS[1:4] for voice in VOICES]
    batches = [
        (alone, [(espeak, key_voice, key_text)], 0),
        # Nine other clips around it on two threads, in another order and company on three.
        (
            first,
            [*others[:4], (espeak, key_voice, key_text), *others[4:]],
            4,
        ),
        (second, [*((espeak, VOICES[0], text) for text in reversed(CALLS)), (espeak, key_voice, key_text)], 6),
    ]
    for store, batch, index in batches:
        with database.transaction() as db:
            segment = store.render_many(db, batch, workers=len(made) + 1)[index]
            made.append((segment.sha256, store.path_of(segment).read_bytes()))
            db.rollback()  # the next store makes the same key again: keep no row between them
    assert (alone.made, first.made, second.made) == (1, 10, 7)
    assert made[0] == made[1] == made[2]
    assert hashlib.sha256(made[0][1]).hexdigest() == made[0][0]


def test_every_segment_of_a_batch_meets_the_loudness_standard(database: Database, store: SegmentStore) -> None:
    # EBU R128 for each file: -16 LUFS within 1 LU and true peaks at or under -1 dBTP, measured on the MP3 by the
    # ffmpeg command, whatever the voice or the length of the text.
    espeak = EspeakEngine()
    with database.transaction() as db:
        segments = store.render_many(db, [(espeak, voice, text) for text in CALLS for voice in VOICES])
    assert len({segment.sha256 for segment in segments}) == len(CALLS) * len(VOICES)
    for segment in segments:
        measured = measure(store.path_of(segment).read_bytes())
        assert abs(measured.integrated - -16.0) <= 1.0, (segment.voice, segment.text, measured)
        assert measured.true_peak <= -1.0, (segment.voice, segment.text, measured)
        assert_measured_alike(Loudness(segment.loudness, segment.true_peak, segment.duration), measured)


def test_voice_and_settings_are_part_of_the_key(
    database: Database, store: SegmentStore, espeak: CountingEspeak
) -> None:
    north = render(database, store, espeak, TEXT, "vi")
    south = render(database, store, espeak, TEXT, "vi-vn-x-south")
    quieter_store = SegmentStore(store.audio_dir, AudioSettings(target_lufs=-20))
    quieter = render(database, quieter_store, espeak, TEXT, "vi")

    assert len({north.key, south.key, quieter.key}) == 3
    assert len({north.sha256, south.sha256, quieter.sha256}) == 3
    assert len(stored(database)) == 3
    assert len(files(store.audio_dir)) == 3
    assert len(espeak.calls) == 3
    assert abs(quieter.loudness - -20) <= TOLERANCE_LU


@pytest.mark.parametrize(
    ("written", "spelled_out"),
    [
        ("UBND xã thông báo lịch tiêm phòng.", "Ủy ban nhân dân xã thông báo lịch tiêm phòng."),
        ("Họp lúc 7h30 ngày 15/6.", "Họp lúc  bảy giờ ba mươi phút ngày mười lăm tháng sáu"),
    ],
)
def test_text_is_normalised_before_it_is_keyed(
    database: Database, store: SegmentStore, espeak: CountingEspeak, written: str, spelled_out: str
) -> None:
    assert store.spoken(written) == store.spoken(spelled_out)
    first = render(database, store, espeak, written)
    second = render(database, store, espeak, spelled_out)
    assert second.id == first.id
    assert espeak.calls == [(store.spoken(written), "vi")]
    assert not any(ch.isdigit() for ch in first.text) and "UBND" not in first.text


@pytest.mark.parametrize("text", ["", "   \n ", "!!! ... ***", "—"])
def test_nothing_to_say_is_a_speech_error_and_stores_nothing(
    database: Database, store: SegmentStore, espeak: CountingEspeak, text: str
) -> None:
    with pytest.raises(SpeechError, match="nothing to say"):
        render(database, store, espeak, text)
    assert espeak.calls == []
    assert stored(database) == []
    assert files(store.audio_dir) == []


def test_a_lost_file_is_rendered_again(database: Database, store: SegmentStore, espeak: CountingEspeak) -> None:
    segment = render(database, store, espeak, TEXT)
    path = store.path_of(segment)
    original = path.read_bytes()
    path.unlink()
    with database.transaction() as db:
        assert store.find(db, espeak, "vi", TEXT) is None

    again = render(database, store, espeak, TEXT)
    assert again.id == segment.id
    assert len(espeak.calls) == 2
    assert store.path_of(again).read_bytes() == original  # espeak-ng and ffmpeg are deterministic
    assert len(stored(database)) == 1


@pytest.mark.parametrize("mtime", ["moved", "put back"])
def test_same_size_damage_to_a_stored_file_is_found_and_rendered_again(
    database: Database, store: SegmentStore, espeak: CountingEspeak, mtime: str
) -> None:
    """A flipped byte that moves the mtime is found the next time the file is reused; one whose mtime was put
    back, by the daily full check. Reusing a file that is fine renders nothing."""
    segment = render(database, store, espeak, TEXT)
    path = store.path_of(segment)
    original = path.read_bytes()
    assert render(database, SegmentStore(store.audio_dir, store.settings), espeak, TEXT).id == segment.id
    assert len(espeak.calls) == 1
    before = path.stat()
    damaged = bytearray(original)
    damaged[len(damaged) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    later = datetime.now(UTC) + timedelta(hours=1)
    if mtime == "put back":
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        with time_machine.travel(later, tick=False):  # within the day the unchanged size and mtime are trusted
            assert render(database, SegmentStore(store.audio_dir, store.settings), espeak, TEXT).id == segment.id
        assert len(espeak.calls) == 1
        later += timedelta(days=1)

    again = SegmentStore(store.audio_dir, store.settings)  # the next build's store
    with time_machine.travel(later, tick=False), database.transaction() as db:
        assert again.find(db, espeak, "vi", TEXT) is None
        [repaired] = again.render_many(db, [(espeak, "vi", TEXT)])
    assert (again.made, again.repaired, len(espeak.calls)) == (1, 1, 2)
    assert repaired.id == segment.id and path.read_bytes() == original
    assert files(store.audio_dir) == [path.name]


def test_a_gtts_fallback_is_recorded_on_the_segment(
    database: Database, store: SegmentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on: Google is unreachable
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(gtts.tts, "_translate_url", lambda tld="com", path="": f"http://127.0.0.1:{port}/{path}")
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)

    segment = render(database, store, GttsEngine(timeout=2), TEXT)
    [row] = stored(database)
    assert row.id == segment.id
    assert (row.engine, row.voice, row.rendered_by) == ("gtts", "vi", "espeak")
    assert row.fallback_reason is not None and "Connection refused" in row.fallback_reason
    assert hashlib.sha256(store.path_of(row).read_bytes()).hexdigest() == row.sha256


class RacedEspeak(EspeakEngine):
    """espeak-ng, while another build (its own connection) stores the segment of one text of the same batch."""

    def __init__(self, database: Database, store: SegmentStore, raced: str) -> None:
        super().__init__()
        self.database, self.store, self.raced = database, store, raced
        self.other: int | None = None

    def synthesize(self, text: str, voice: str) -> Synthesis:
        synthesis = super().synthesize(text, voice)
        if text == self.store.spoken(self.raced) and self.other is None:
            other = SegmentStore(self.store.audio_dir, self.store.settings)
            with self.database.transaction() as db:  # committed before this build stores its rows
                self.other = other.render(db, EspeakEngine(), voice, self.raced).id
        return synthesis


def test_a_segment_another_build_stored_meanwhile_is_used_and_the_rest_are_stored(
    database: Database, store: SegmentStore
) -> None:
    if database.dialect == "sqlite":
        pytest.skip("SQLite lets one writer at a time: a second build waits for the build lock")
    espeak = RacedEspeak(database, store, CALLS[1])
    with database.transaction() as db:
        segments = store.render_many(db, [(espeak, "vi", text) for text in CALLS[:3]])
    assert espeak.other is not None and segments[1].id == espeak.other
    rows = stored(database)
    assert sorted(row.id for row in rows) == sorted(segment.id for segment in segments)
    assert [row.text for row in rows].count(store.spoken(CALLS[1])) == 1
    for row in rows:
        assert store.intact(row)


def test_an_unwritable_audio_folder_stores_no_row(database: Database, tmp_path: Path, espeak: CountingEspeak) -> None:
    blocker = tmp_path / "audio"
    blocker.write_text("a file where the audio folder should be")
    store = SegmentStore(blocker, AudioSettings())
    with pytest.raises(FileWriteError, match=f"cannot write {blocker}/") as caught:
        render(database, store, espeak, TEXT)
    assert "\n" not in str(caught.value)
    assert stored(database) == []
    assert blocker.read_text() == "a file where the audio folder should be"


def test_a_segment_rendered_meanwhile_by_another_process_is_reused(database: Database, store: SegmentStore) -> None:
    # While this transaction synthesises, another one stores the same segment and commits first.
    other = CountingEspeak()

    class RacingEspeak(CountingEspeak):
        def synthesize(self, text: str, voice: str) -> Synthesis:
            if not self.calls:
                render(database, store, other, TEXT)
            return super().synthesize(text, voice)

    racing = RacingEspeak()
    with database.transaction() as db:
        segment = store.render(db, racing, "vi", TEXT)
        kept_id = segment.id
    assert len(racing.calls) == 1 and len(other.calls) == 1
    [row] = stored(database)
    assert row.id == kept_id
    assert files(store.audio_dir) == [f"{row.sha256}.mp3"]


# --- write_atomic ------------------------------------------------------------------------------------------


def test_write_atomic_creates_and_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "folder" / "file.mp3"
    write_atomic(target, b"first")
    write_atomic(target, b"second, longer")
    assert target.read_bytes() == b"second, longer"
    assert files(target.parent) == ["file.mp3"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_write_atomic_leaves_no_temporary_file_when_the_rename_fails(tmp_path: Path) -> None:
    target = tmp_path / "taken.mp3"
    target.mkdir()  # a directory where the file should go: the final rename fails
    with pytest.raises(FileWriteError, match=r"cannot write .*taken.mp3: .*; check free space and permissions"):
        write_atomic(target, b"audio")
    assert files(tmp_path) == ["taken.mp3"]
    assert target.is_dir() and files(target) == []


def test_write_atomic_leaves_no_temporary_file_when_writing_fails(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "file.mp3", "text, not bytes")  # type: ignore[arg-type]
    assert files(tmp_path) == []


def test_write_atomic_under_a_file_is_a_file_write_error(tmp_path: Path) -> None:
    (tmp_path / "audio").write_bytes(b"")
    with pytest.raises(FileWriteError, match="check the folder exists and is writable"):
        write_atomic(tmp_path / "audio" / "x.mp3", b"audio")
    assert files(tmp_path) == ["audio"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_write_atomic_into_a_read_only_folder_is_a_file_write_error(tmp_path: Path) -> None:
    folder = tmp_path / "audio"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(FileWriteError, match="Permission denied"):
            write_atomic(folder / "x.mp3", b"audio")
        assert files(folder) == []
    finally:
        folder.chmod(0o755)
