"""Reading style: pauses a listener hears and a speaking rate per station, measured on real espeak-ng + ffmpeg audio."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from broadcast.audio.ffmpeg import AudioSettings
from broadcast.db import Database, migrate, open_database
from broadcast.db.models import Segment
from broadcast.errors import SpeechError
from broadcast.speech.engines import EspeakEngine
from broadcast.speech.segments import SegmentStore, segment_key
from broadcast.speech.style import PAUSES, Pauses, clauses, split_rate, ssml, with_rate

FFMPEG = shutil.which("ffmpeg")
needs_tools = pytest.mark.skipif(
    FFMPEG is None or shutil.which("espeak-ng") is None, reason="needs espeak-ng and ffmpeg (apt-get install both)"
)
# A comma, a full stop, then a paragraph: each silence is measured where it falls.
TEXT = "Một hai ba bốn năm, sáu bảy tám chín mười. Mười một mười hai mười ba.\nMười bốn mười lăm mười sáu."
MARGIN = 0.04  # seconds: the encoder's padding and silencedetect's threshold blur each edge a little


def test_clauses_carry_the_pause_after_their_mark() -> None:
    assert clauses("Một, hai.\nBa; bốn") == [("Một,", 0.25), ("hai.", 0.9), ("Ba;", 0.5), ("bốn", 0.0)]
    assert clauses("Một, hai.", rate=50 * 2) == [("Một,", 0.25), ("hai.", 0.0)]
    assert clauses("Một, hai.", rate=80) == [("Một,", pytest.approx(0.3125)), ("hai.", 0.0)]
    assert clauses("") == []


def test_ssml_escapes_the_text_and_breaks_after_each_clause() -> None:
    assert ssml("A & B, C.") == '<speak>A &amp; B,<break time="250ms"/> C.</speak>'


def test_the_rate_travels_with_the_voice_and_100_percent_leaves_it_as_it_was() -> None:
    assert with_rate("vi", 100) == "vi" and split_rate("vi") == ("vi", 100)
    assert with_rate("vi-vn-x-south", 80) == "vi-vn-x-south@80%"
    assert split_rate("vi-vn-x-south@80%") == ("vi-vn-x-south", 80)
    assert split_rate("/models/vi@home/voice.onnx@120%") == ("/models/vi@home/voice.onnx", 120)
    for wrong in (69, 131, 0):
        with pytest.raises(SpeechError, match="the speaking rate must be 70 to 130"):
            with_rate("vi", wrong)


def test_the_pause_style_is_in_the_segment_key() -> None:
    settings = AudioSettings()
    key = segment_key("espeak", "vi", "Một.", settings)
    assert key == segment_key("espeak", "vi", "Một.", settings, PAUSES)
    assert key != segment_key("espeak", "vi", "Một.", settings, Pauses(comma=0.4))
    assert key != segment_key("espeak", "vi@80%", "Một.", settings)


@pytest.fixture
def database(sqlite_url: str) -> Iterator[Database]:
    migrate(sqlite_url)
    opened = open_database(sqlite_url)
    yield opened
    opened.dispose()


def render(database: Database, tmp_path: Path, voice: str) -> tuple[Segment, Path]:
    store = SegmentStore(tmp_path / "audio", AudioSettings())
    with database.transaction() as db:
        segment = store.render(db, EspeakEngine(), voice, TEXT)
        db.expunge(segment)
    return segment, store.path_of(segment)


def silences(path: Path, duration: float) -> list[float]:
    """The lengths in seconds of the silences between words (not before the first nor after the last)."""
    assert FFMPEG is not None
    command = [FFMPEG, "-hide_banner", "-nostdin", "-i", str(path), "-af", "silencedetect=noise=-45dB:d=0.12"]
    log = subprocess.run([*command, "-f", "null", "-"], capture_output=True, text=True, check=True).stderr
    starts = [float(s) for s in re.findall(r"silence_start: (-?[\d.]+)", log)]
    ends = [(float(e), float(d)) for e, d in re.findall(r"silence_end: ([\d.]+) \| silence_duration: ([\d.]+)", log)]
    return [
        length
        for start, (end, length) in zip(starts, ends, strict=False)
        if start > 0.05 and end < duration - 0.05  # espeak-ng's own lead-in and tail are not pauses
    ]


@needs_tools
def test_comma_full_stop_and_paragraph_are_audible_silences_in_that_order(database: Database, tmp_path: Path) -> None:
    segment, path = render(database, tmp_path, "vi")
    assert segment.text.count("\n") == 1  # the paragraph survived the normalizer
    found = silences(path, segment.duration)
    assert len(found) == 3, found
    comma, stop, paragraph = found
    assert comma >= PAUSES.comma - MARGIN
    assert stop >= PAUSES.stop - MARGIN
    assert paragraph >= PAUSES.paragraph - MARGIN
    assert comma < stop < paragraph


@needs_tools
def test_a_slower_station_speaks_longer_with_longer_pauses_and_another_key(database: Database, tmp_path: Path) -> None:
    normal, normal_path = render(database, tmp_path, "vi")
    slow, slow_path = render(database, tmp_path, with_rate("vi", 75))
    assert slow.key != normal.key and slow.sha256 != normal.sha256
    assert slow.voice == "vi@75%" and slow.rendered_by == "espeak"
    assert slow.duration > normal.duration * 1.2  # 75 % of the pace: a third longer, give or take the silences
    assert silences(slow_path, slow.duration)[-1] > silences(normal_path, normal.duration)[-1]
    # A station at 100 % has the key of the plain voice id, the one every station had before rates existed.
    assert normal.key == segment_key("espeak", "vi", normal.text, AudioSettings())
