"""Speech engines: espeak-ng for real, gTTS against a fake Google on loopback, piper when a voice is supplied."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import urllib.parse
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import gtts.tts
import pytest

from broadcast.audio.ffmpeg import measure
from broadcast.errors import SpeechError
from broadcast.speech.engines import ENGINES, EspeakEngine, GttsEngine, PiperEngine, get_engine
from broadcast.speech.engines.espeak import VOICES as ESPEAK_VOICES
from broadcast.speech.engines.espeak import WORDS_PER_MINUTE
from broadcast.speech.engines.espeak import Speaker as EspeakSpeaker
from broadcast.speech.engines.espeak import running_speaker as espeak_speaker
from broadcast.speech.engines.piper import VOICE_ENV
from broadcast.speech.style import PAUSES, ssml, with_rate

SENTENCE = "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho trẻ em vào sáng thứ hai."
# Longer than the 100 characters gTTS sends at a time, so it makes several requests.
LONG = (
    "Ủy ban nhân dân xã thông báo: từ ngày mười lăm tháng sáu, toàn xã tổ chức tiêm phòng vắc xin "
    "cho trẻ em dưới năm tuổi tại trạm y tế xã. Đề nghị các gia đình đưa trẻ đến đúng giờ."
)


def is_wav(audio: bytes) -> bool:
    return audio[:4] == b"RIFF" and audio[8:12] == b"WAVE"


def mp3_tone(frequency: int, seconds: float = 0.5) -> bytes:
    """A short MP3, like the chunks Google sends, made by the real ffmpeg."""
    source = f"sine=frequency={frequency}:duration={seconds}:sample_rate=24000"
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-f", "lavfi", "-i", source, "-c:a", "libmp3lame"]
    command += ["-b:a", "32k", "-f", "mp3", "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout


def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# --- espeak-ng ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["north", "central", "south"])
def test_each_regional_voice_speaks_vietnamese(region: str) -> None:
    engine = EspeakEngine()
    voice = engine.resolve_voice(None, region)
    assert voice == ESPEAK_VOICES[region]
    synthesis = engine.synthesize(SENTENCE, voice)
    assert (synthesis.engine, synthesis.voice, synthesis.fallback_reason) == ("espeak", voice, None)
    assert is_wav(synthesis.audio)
    assert 3 < measure(synthesis.audio).duration < 15


def test_regional_voices_sound_different() -> None:
    engine = EspeakEngine()
    audio = {voice: engine.synthesize(SENTENCE, voice).audio for voice in ESPEAK_VOICES.values()}
    assert len(set(audio.values())) == 3


def test_espeak_voice_names_and_ids_resolve() -> None:
    engine = EspeakEngine()
    assert engine.resolve_voice("south") == "vi-vn-x-south"
    assert engine.resolve_voice("vi-vn-x-central") == "vi-vn-x-central"
    assert engine.resolve_voice(None, "somewhere else") == "vi"


def test_unknown_espeak_voice_is_a_speech_error() -> None:
    engine = EspeakEngine()
    with pytest.raises(SpeechError, match="unknown espeak voice 'klingon'; use one of north"):
        engine.resolve_voice("klingon")
    for voice in ("klingon", "en", "vi-vn-x-north"):  # voices espeak-ng itself would take
        with pytest.raises(SpeechError, match=f"unknown espeak voice '{voice}'"):
            engine.synthesize(SENTENCE, voice)


def test_missing_espeak_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("espeak-ng") is None
    with pytest.raises(SpeechError, match="apt-get install espeak-ng"):
        EspeakEngine().synthesize(SENTENCE, "vi")


def espeak_program(text: str, voice: str, rate: int, *, whole: bool = True) -> bytes:
    """The samples the espeak-ng program makes of text: read as one text (--stdin) or, without it, line by line."""
    command = ["espeak-ng", "-v", voice, "-s", str(round(WORDS_PER_MINUTE * rate / 100)), "-m", "-b", "1", "--stdout"]
    marked = ssml(text, rate=rate).encode("utf-8")
    done = subprocess.run([*command, *(["--stdin"] if whole else [])], input=marked, capture_output=True, check=True)
    return done.stdout[44:]  # past the header, which claims 2 GiB: the program writes to a pipe


# Two thousand characters of SSML on one line: the program reading line by line would cut it every 999 bytes.
MESSAGE = " ".join(
    ["Ủy ban nhân dân xã đề nghị bà con chủ động phòng, chống sốt xuất huyết: diệt lăng quăng, bọ gậy."] * 18
)


@pytest.mark.parametrize("region", ["north", "central", "south"])
def test_espeak_says_exactly_what_the_espeak_program_says(region: str) -> None:
    engine = EspeakEngine()
    voice = ESPEAK_VOICES[region]
    for text, rate in [(SENTENCE, 100), ("Đây là Đài Truyền thanh xã Tân Thanh.", 85), (MESSAGE, 120)]:
        audio = engine.synthesize(text, with_rate(voice, rate)).audio
        with wave.open(io.BytesIO(audio)) as wav:
            assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
            samples = wav.readframes(wav.getnframes())
        assert samples == espeak_program(text, voice, rate), (region, rate, text[:30])


def test_a_long_message_is_spoken_as_one_text_not_in_pieces() -> None:
    assert len(ssml(MESSAGE).encode("utf-8")) > 1500
    spoken = EspeakEngine().synthesize(MESSAGE, "vi").audio[44:]
    assert spoken == espeak_program(MESSAGE, "vi", 100)
    # Read line by line, the program cuts the text at 999 bytes, mid-word: a longer, different recording.
    assert len(espeak_program(MESSAGE, "vi", 100, whole=False)) > len(spoken)


def test_a_text_sounds_the_same_whatever_was_spoken_before_it() -> None:
    engine = EspeakEngine()
    first = engine.synthesize(SENTENCE, "vi-vn-x-south").audio
    engine.synthesize(MESSAGE, "vi-vn-x-south@80%")
    engine.synthesize("Một, hai, ba! Alô alô.", "vi-vn-x-south")
    assert engine.synthesize(SENTENCE, "vi-vn-x-south").audio == first


def test_a_dead_espeak_speaker_is_started_again() -> None:
    engine = EspeakEngine()
    before = engine.synthesize(SENTENCE, "vi").audio
    speaker = espeak_speaker("vi")
    speaker.process.kill()
    speaker.process.wait()
    assert engine.synthesize(SENTENCE, "vi").audio == before
    assert espeak_speaker("vi") is not speaker


def test_ctrl_c_in_the_terminal_leaves_the_speaker_to_its_parent() -> None:
    engine = EspeakEngine()
    engine.synthesize(SENTENCE, "vi")
    speaker = espeak_speaker("vi")
    os.kill(speaker.process.pid, signal.SIGINT)  # the terminal sends it to the whole process group
    assert engine.synthesize("Xin chào.", "vi").audio
    assert espeak_speaker("vi") is speaker and speaker.alive()


def test_a_voice_the_library_lacks_is_a_speech_error_that_says_how_to_install() -> None:
    with pytest.raises(SpeechError, match=r"cannot start voice xx-klingon: espeak-ng has no voice xx-klingon; install"):
        EspeakSpeaker("xx-klingon")


def test_a_forked_process_starts_its_own_speaker() -> None:
    engine = EspeakEngine()
    expected = engine.synthesize(SENTENCE, "vi").audio
    parent_speaker = espeak_speaker("vi")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit code
        ok = engine.synthesize(SENTENCE, "vi").audio == expected and espeak_speaker("vi") is not parent_speaker
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert engine.synthesize(SENTENCE, "vi").audio == expected  # the parent's speaker still answers in turn


def test_engines_are_found_by_name() -> None:
    assert {name: type(get_engine(name)) for name in ENGINES} == ENGINES
    with pytest.raises(SpeechError, match="unknown engine 'festival'; use one of espeak, gtts, piper"):
        get_engine("festival")


# --- gTTS against a fake Google on loopback ----------------------------------------------------------------


@dataclass
class FakeGoogle:
    """A real HTTP server on 127.0.0.1 that answers gTTS's batchexecute requests the way it is told to."""

    mode: str = "audio"  # audio | error | hang | page
    chunks: list[bytes] = field(default_factory=list)  # the MP3 answered to request i is chunks[i % len]
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (path, text, lang) of each request
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers["Content-Length"])).decode("utf-8")
        rpc = json.loads(urllib.parse.parse_qs(body)["f.req"][0])
        text, lang = json.loads(rpc[0][0][1])[:2]
        index = len(self.requests)
        self.requests.append((handler.path, text, lang))
        if self.mode == "hang":
            self.release.wait(2.0)  # longer than the engine's timeout; cut short when the test ends
            return
        if self.mode == "error":
            handler.send_error(500)
            return
        if self.mode == "page":  # a captive portal: 200 OK, but a login page instead of audio
            reply = b"<html><body>Please log in to the village Wi-Fi</body></html>"
        else:
            encoded = base64.b64encode(self.chunks[index % len(self.chunks)]).decode("ascii")
            line = '[["wrb.fr","jQ1olc","[\\"' + encoded + '\\"]",null,null,null,"generic"]]'
            reply = f")]}}'\n\n{len(line)}\n{line}\n".encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(reply)))
        handler.end_headers()
        handler.wfile.write(reply)


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    fake = FakeGoogle(chunks=[mp3_tone(440), mp3_tone(660)])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up waiting
                fake.answer(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    point_gtts_at(monkeypatch, fake.port)
    yield fake
    fake.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


def point_gtts_at(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    """gTTS builds every request URL with _translate_url: send them to loopback instead of Google."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(gtts.tts, "_translate_url", lambda tld="com", path="": f"http://127.0.0.1:{port}/{path}")


@pytest.fixture
def no_files_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run in an empty working and temporary directory, and check both are still empty afterwards."""
    work, temporary = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    temporary.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    yield
    assert list(work.iterdir()) == []
    assert list(temporary.iterdir()) == []


def test_gtts_returns_googles_audio(google: FakeGoogle, no_files_left: None) -> None:
    synthesis = GttsEngine().synthesize(SENTENCE, "vi")
    assert (synthesis.engine, synthesis.voice, synthesis.fallback_reason) == ("gtts", "vi", None)
    assert synthesis.audio == google.chunks[0]
    assert google.requests == [("/_/TranslateWebserverUi/data/batchexecute", SENTENCE, "vi")]


def test_gtts_speaks_at_the_voices_rate_with_ffmpeg_and_its_fallback_too(
    google: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    normal = measure(GttsEngine().synthesize(SENTENCE, "vi").audio).duration
    slow = GttsEngine().synthesize(SENTENCE, "vi@80%")
    assert (slow.engine, slow.voice, slow.fallback_reason) == ("gtts", "vi@80%", None)
    assert measure(slow.audio).duration == pytest.approx(normal / 0.8, rel=0.05)
    point_gtts_at(monkeypatch, closed_port())
    fallback = GttsEngine().synthesize(SENTENCE, "vi@80%")
    assert (fallback.engine, fallback.voice) == ("espeak", "vi@80%")


def test_gtts_joins_the_audio_of_a_long_text_in_order(google: FakeGoogle, no_files_left: None) -> None:
    synthesis = GttsEngine().synthesize(LONG, "vi-com.vn")
    assert synthesis.fallback_reason is None
    count = len(google.requests)
    assert count >= 2
    assert synthesis.audio == b"".join(google.chunks[index % 2] for index in range(count))
    sent = " ".join(text for _, text, _ in google.requests)
    assert (
        sent.replace(",", "").replace(".", "").split()
        == LONG.replace(",", "").replace(".", "").replace(":", "").split()
    )
    expected = sum(measure(google.chunks[index % 2]).duration for index in range(count))
    assert measure(synthesis.audio).duration == pytest.approx(expected, abs=0.1)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("error", r"gTTSError: 500 \(Internal Server Error\)"), ("page", "SpeechError: gTTS returned no audio")],
)
def test_gtts_falls_back_to_espeak_on_a_bad_answer(
    google: FakeGoogle, no_files_left: None, mode: str, reason: str
) -> None:
    google.mode = mode
    synthesis = GttsEngine().synthesize(SENTENCE, "vi")
    assert google.requests  # the server was asked, and failed
    assert_espeak_fallback(synthesis.audio, synthesis.engine, synthesis.voice)
    assert synthesis.fallback_reason is not None
    assert "\n" not in synthesis.fallback_reason
    assert re.match(reason, synthesis.fallback_reason)


def test_gtts_falls_back_to_espeak_when_the_connection_is_refused(
    monkeypatch: pytest.MonkeyPatch, no_files_left: None
) -> None:
    point_gtts_at(monkeypatch, closed_port())
    synthesis = GttsEngine().synthesize(SENTENCE, "vi")
    assert_espeak_fallback(synthesis.audio, synthesis.engine, synthesis.voice)
    assert synthesis.fallback_reason is not None
    assert "Connection refused" in synthesis.fallback_reason


def test_gtts_falls_back_to_espeak_when_google_does_not_answer_in_time(google: FakeGoogle, no_files_left: None) -> None:
    google.mode = "hang"
    synthesis = GttsEngine(timeout=0.5).synthesize(SENTENCE, "vi")
    assert len(google.requests) == 1
    assert_espeak_fallback(synthesis.audio, synthesis.engine, synthesis.voice)
    assert synthesis.fallback_reason is not None
    assert "timed out" in synthesis.fallback_reason


def assert_espeak_fallback(audio: bytes, engine: str, voice: str) -> None:
    assert (engine, voice) == ("espeak", "vi")
    assert audio == EspeakEngine().synthesize(SENTENCE, "vi").audio


def test_gtts_voices() -> None:
    engine = GttsEngine()
    assert engine.resolve_voice(None, "south") == "vi"
    assert engine.resolve_voice("vi-com.vn") == "vi-com.vn"
    with pytest.raises(SpeechError, match="unknown gtts voice 'vi-vn-x-south'"):
        engine.resolve_voice("vi-vn-x-south")


def test_gtts_refuses_an_unknown_voice_instead_of_hiding_it_behind_espeak(google: FakeGoogle) -> None:
    with pytest.raises(SpeechError, match="unknown gtts voice 'north'"):
        GttsEngine().synthesize(SENTENCE, "north")
    assert google.requests == []


# --- piper ---------------------------------------------------------------------------------------------------


def test_piper_without_a_voice_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VOICE_ENV, raising=False)
    with pytest.raises(SpeechError, match=f"piper needs a voice: give a voice PATH.onnx or set {VOICE_ENV}"):
        PiperEngine().resolve_voice(None)


@pytest.mark.parametrize("name", ["missing.onnx", "voice.onnx", "voice.txt"])
def test_piper_refuses_a_voice_that_is_not_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    (tmp_path / "voice.onnx").write_bytes(b"not a model")  # but no voice.onnx.json beside it
    (tmp_path / "voice.txt").write_text("text")
    (tmp_path / "voice.txt.json").write_text("{}")
    for given, environment in ((str(tmp_path / name), None), (None, str(tmp_path / name))):
        if environment is None:
            monkeypatch.delenv(VOICE_ENV, raising=False)
        else:
            monkeypatch.setenv(VOICE_ENV, environment)
        with pytest.raises(SpeechError, match=f"piper voice .*{name} not found"):
            PiperEngine().resolve_voice(given)


def test_piper_takes_a_voice_with_its_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "vi_VN-test.onnx"
    model.write_bytes(b"model")
    Path(f"{model}.json").write_text("{}")
    monkeypatch.setenv(VOICE_ENV, str(model))
    assert PiperEngine().resolve_voice(None) == str(model.resolve())


class ToneModel:
    """Stands in for a loaded Piper voice (no model ships with the tests): a tenth of a second of tone per clause."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def synthesize_wav(self, text: str, wav: wave.Wave_write, syn_config: object = None) -> None:
        self.said.append(text)
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16_000)
        wav.writeframes(b"\x00\x10" * 1600)


def test_piper_speaks_clause_by_clause_and_joins_them_with_the_set_pauses() -> None:
    engine, model = PiperEngine(), ToneModel()
    engine._loaded["voice.onnx"] = model
    synthesis = engine.synthesize("Một, hai.\nBa.", "voice.onnx")
    assert model.said == ["Một,", "hai.", "Ba."]
    with wave.open(io.BytesIO(synthesis.audio), "rb") as joined:
        seconds = joined.getnframes() / joined.getframerate()
    assert seconds == pytest.approx(3 * 0.1 + PAUSES.comma + PAUSES.paragraph, abs=0.001)


PIPER_VOICE = os.environ.get(VOICE_ENV, "")


@pytest.mark.skipif(
    not PIPER_VOICE or not Path(PIPER_VOICE).is_file(),
    reason=f"no piper voice: set {VOICE_ENV} to a Vietnamese .onnx model (with its .onnx.json) to test piper",
)
def test_piper_speaks_with_the_supplied_voice() -> None:
    pytest.importorskip("piper", reason="piper-tts is not installed: pip install 'broadcast[piper]'")
    engine = PiperEngine()
    voice = engine.resolve_voice(None)
    synthesis = engine.synthesize(SENTENCE, voice)
    assert (synthesis.engine, synthesis.voice, synthesis.fallback_reason) == ("piper", voice, None)
    assert is_wav(synthesis.audio)
    assert 2 < measure(synthesis.audio).duration < 20
