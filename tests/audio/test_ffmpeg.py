"""Loudness measurement by the ffmpeg command and normalised MP3 encoding in process, on generated tones and real
espeak-ng speech; every encoded file is measured again by the ffmpeg command."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from broadcast.audio.ffmpeg import AudioSettings, measure, require
from broadcast.audio.mastering import TOLERANCE_LU, encode_normalized
from broadcast.errors import AudioError
from broadcast.speech.engines import EspeakEngine
from tests.audio.loudness import assert_measured_alike

SENTENCE = (
    "Ủy ban nhân dân xã thông báo: sáng thứ hai tuần sau, trạm y tế xã tổ chức tiêm phòng cho trẻ em dưới năm tuổi. "
    "Đề nghị các gia đình đưa trẻ đến đúng giờ và mang theo sổ tiêm chủng."
)
# About 35 seconds of speech: two announcements, as a bulletin item would be.
ANNOUNCEMENT = (
    SENTENCE
    + " "
    + (
        "Ban chỉ huy phòng chống thiên tai xã đề nghị bà con chằng chống nhà cửa, không ra sông suối khi mưa lớn, "
        "theo dõi thông tin trên loa truyền thanh và báo ngay cho thôn trưởng khi có sự cố."
    )
)


def lavfi(source: str, filters: str = "anull") -> bytes:
    """A WAV made by ffmpeg's own generators, e.g. a sine tone at a chosen level."""
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-f", "lavfi", "-i", source, "-af", filters, "-f", "wav", "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout


def tone(level_db: float, seconds: float = 3, frequency: int = 440, rate: int = 22_050) -> bytes:
    return lavfi(f"sine=frequency={frequency}:duration={seconds}:sample_rate={rate}", f"volume={level_db}dB")


def speech(text: str = SENTENCE, voice: str = "vi") -> bytes:
    return EspeakEngine().synthesize(text, voice).audio


def probe(audio: bytes) -> dict[str, Any]:
    """ffprobe's view of the first stream: codec, channels, sample rate."""
    command = ["ffprobe", "-v", "error", "-show_streams", "-of", "json", "-"]
    done = subprocess.run(command, input=audio, capture_output=True, check=True)
    stream: dict[str, Any] = json.loads(done.stdout)["streams"][0]
    return stream


# One clean tone, one 30 dB too loud (it clips at 0 dBFS), one squared off by hard clipping, one stereo.
INPUTS = {
    "quiet tone": lambda: tone(-40),
    "loud tone": lambda: tone(30),
    "clipped tone": lambda: lavfi(
        "sine=frequency=220:duration=3:sample_rate=44100", "volume=20dB,alimiter=limit=1:level=disabled"
    ),
    "stereo tone": lambda: lavfi("sine=frequency=1000:duration=2:sample_rate=48000", "pan=stereo|c0=c0|c1=0.5*c0"),
    "espeak northern sentence": speech,
    # espeak's voices are peaky (true peak at 0 dBTP, ~19 dB above their loudness): the limiter works hard.
    "espeak central sentence": lambda: speech(voice="vi-vn-x-central"),
    "espeak southern word": lambda: speech("Alô.", voice="vi-vn-x-south"),
    "espeak northern announcement": lambda: speech(ANNOUNCEMENT),
}


@pytest.fixture(scope="module", params=list(INPUTS))
def source(request: pytest.FixtureRequest) -> bytes:
    audio: bytes = INPUTS[request.param]()
    return audio


def test_measure_matches_the_standards_calibration_tone() -> None:
    # BS.1770: a 1 kHz sine at 0 dBFS in one channel reads -3.01 LUFS; ffmpeg's sine source is at 1/8 of full scale.
    level = 20 * math.log10(1 / 8)
    loudness = measure(tone(0, seconds=2, frequency=1000, rate=48_000))
    assert loudness.integrated == pytest.approx(-3.01 + level, abs=0.2)
    assert loudness.true_peak == pytest.approx(level, abs=0.2)
    assert loudness.duration == pytest.approx(2.0, abs=0.05)
    quieter = measure(tone(-20, seconds=2, frequency=1000, rate=48_000))
    assert loudness.integrated - quieter.integrated == pytest.approx(20.0, abs=0.2)


def test_measure_reads_espeak_speech() -> None:
    loudness = measure(speech())
    assert math.isfinite(loudness.integrated) and -40 < loudness.integrated < -5
    assert loudness.true_peak > loudness.integrated
    assert 5 < loudness.duration < 30


@pytest.mark.parametrize("target", [-16.0, -20.0])
def test_encode_normalized_reaches_the_target_under_the_ceiling(
    source: bytes, target: float, request: pytest.FixtureRequest
) -> None:
    settings = AudioSettings(target_lufs=target)
    encoded, reported = encode_normalized(source, settings)

    stream = probe(encoded)
    assert (stream["codec_name"], stream["channels"], stream["sample_rate"]) == ("mp3", 1, "44100")
    measured = measure(encoded)
    assert_measured_alike(reported, measured, peak_within=0.1 if "espeak" in request.node.name else 1.0)
    assert reported.true_peak <= settings.true_peak
    assert reported.duration == pytest.approx(measured.duration, abs=0.001)
    assert abs(measured.integrated - target) <= TOLERANCE_LU
    assert measured.true_peak <= settings.true_peak
    assert measured.duration == pytest.approx(measure(source).duration, abs=0.1)


def test_encode_normalized_follows_the_settings() -> None:
    settings = AudioSettings(sample_rate=48_000, bitrate="96k", target_lufs=-23.0, true_peak=-3.0)
    encoded, loudness = encode_normalized(speech("Xin chào bà con."), settings)
    stream = probe(encoded)
    assert (stream["codec_name"], stream["channels"], stream["sample_rate"]) == ("mp3", 1, "48000")
    assert int(stream["bit_rate"]) == 96_000
    assert abs(loudness.integrated - -23.0) <= TOLERANCE_LU
    assert loudness.true_peak <= -3.0


def test_encode_normalized_is_deterministic() -> None:
    # Segments are named by the hash of their bytes: the same input must give the same file.
    audio = speech("Thông báo khẩn.")
    assert encode_normalized(audio, AudioSettings())[0] == encode_normalized(audio, AudioSettings())[0]


def test_silence_cannot_be_normalised() -> None:
    silence = lavfi("anullsrc=r=22050:cl=mono", "atrim=duration=2")
    assert measure(silence).integrated <= -70
    with pytest.raises(AudioError, match="silent"):
        encode_normalized(silence, AudioSettings())


def test_an_unreachable_target_is_refused_in_one_line() -> None:
    # Integrated loudness cannot sit above the true-peak ceiling: no gain or limiting reaches this.
    impossible = AudioSettings(target_lufs=-2.0, true_peak=-6.0)
    with pytest.raises(AudioError, match=r"cannot bring this audio to -2 LUFS with true peaks under -6 dBTP") as info:
        encode_normalized(tone(-20), impossible)
    assert "\n" not in str(info.value)


GARBAGE = [
    b"",
    b"this is not audio at all\n" * 200,
    bytes(range(256)) * 64,
    b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(40),  # a WAV header and nothing after it
    b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(500),  # an MP3 tag with no frames
]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_garbage_is_an_audio_error_in_one_line(garbage: bytes) -> None:
    for call in (lambda: measure(garbage), lambda: encode_normalized(garbage, AudioSettings())):
        with pytest.raises(AudioError) as caught:
            call()
        assert "\n" not in str(caught.value)
        assert str(caught.value).startswith(("ffmpeg", "the audio is silent"))


def test_missing_ffmpeg_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    audio = tone(-20, seconds=1)  # made while ffmpeg is still on the PATH
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("ffmpeg") is None
    for call in (lambda: require("ffmpeg"), lambda: measure(audio)):
        with pytest.raises(AudioError, match=r"apt-get install ffmpeg"):
            call()
    # Speech is normalised and encoded in process: that needs no ffmpeg command at all.
    encoded, loudness = encode_normalized(audio, AudioSettings())
    assert encoded[:2] == b"\xff\xfb" and abs(loudness.integrated - -16) <= TOLERANCE_LU


def test_require_finds_installed_tools() -> None:
    assert Path(require("ffmpeg")).name == "ffmpeg"


def test_settings_key_names_everything_that_changes_the_audio() -> None:
    variants = [
        AudioSettings(),
        AudioSettings(sample_rate=48_000),
        AudioSettings(bitrate="96k"),
        AudioSettings(target_lufs=-20),
        AudioSettings(true_peak=-2),
    ]
    assert len({settings.key() for settings in variants}) == len(variants)
