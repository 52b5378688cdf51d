"""espeak-ng: offline, always available, three Vietnamese regional voices.

The text goes in as SSML with a <break> after each clause, so the pauses at commas, full stops and paragraphs are
the set lengths of broadcast.speech.style (espeak's own are shorter and a paragraph gets none of its own); the
voice's speaking rate scales espeak's words per minute and the pauses alike.

Each voice has a speaker process (espeak_zygote.py) that loaded libespeak-ng and the voice once and forks a child
per text: the samples are those of `espeak-ng -v VOICE -s SPEED -m -b 1 --stdout --stdin`, made without the ~9 ms
the program spends starting. Speaker processes live as long as this one; they are shared by every EspeakEngine and
thread (one text at a time each) and started again if one dies.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import struct
import subprocess
import sys
import threading
import wave
from pathlib import Path
from typing import IO

from broadcast.audio.ffmpeg import require
from broadcast.errors import AudioError, SpeechError
from broadcast.speech.engines import espeak_zygote as zygote
from broadcast.speech.engines.base import REGIONS, Engine, Synthesis
from broadcast.speech.style import split_rate, ssml, with_rate

VOICES = {"north": "vi", "central": "vi-vn-x-central", "south": "vi-vn-x-south"}
WORDS_PER_MINUTE = 150  # a little slower than espeak's 175: loudspeakers echo across villages


class EspeakEngine(Engine):
    name = "espeak"

    def resolve_voice(self, voice: str | None, region: str = "north") -> str:
        if voice is None:
            return VOICES[region if region in REGIONS else "north"]
        if voice in VOICES:
            return VOICES[voice]
        if voice in VOICES.values():
            return voice
        known = ", ".join([*VOICES, *VOICES.values()])
        raise SpeechError(f"unknown espeak voice {voice!r}; use one of {known}")

    def synthesize(self, text: str, voice: str) -> Synthesis:
        plain, rate = split_rate(voice)
        plain = self.resolve_voice(plain)  # espeak-ng itself would speak any of its hundred voices, Klingon included
        try:
            require("espeak-ng")  # the library and its data come with the program (Debian's libespeak-ng1)
        except AudioError as exc:
            raise SpeechError(str(exc)) from exc
        speed = round(WORDS_PER_MINUTE * rate / 100)
        speaker = running_speaker(plain)
        samples = speaker.speak(speed, ssml(text, rate=rate))
        if not samples:
            raise SpeechError(f"espeak-ng failed with voice {voice}: no audio")
        return Synthesis(_wav(samples, speaker.rate), self.name, with_rate(plain, rate))


def _wav(samples: bytes, rate: int) -> bytes:
    """16-bit mono PCM samples at rate Hz as a WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples)
    return out.getvalue()


ZYGOTE = Path(__file__).with_name("espeak_zygote.py")


class Speaker:
    """One espeak_zygote.py process for one voice; one text at a time (its lock)."""

    def __init__(self, voice: str) -> None:
        self.voice = voice
        self.lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(ZYGOTE), voice],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        status, payload = self._answer()
        if status != zygote.OK:
            self.close()
            raise SpeechError(
                f"espeak-ng cannot start voice {voice}: {payload.decode('utf-8', 'replace')}; "
                "install it with `apt-get install espeak-ng`"
            )
        (self.rate,) = struct.unpack("<I", payload)

    def speak(self, speed: int, text: str) -> bytes:
        """The 16-bit mono PCM samples (at self.rate Hz) of text (SSML) at speed words per minute."""
        request = json.dumps({"speed": speed, "text": text}).encode("utf-8")
        with self.lock:
            try:
                zygote.write_frame(self._pipe(self.process.stdin), zygote.OK, request)
            except OSError:
                self.close()
                raise SpeechError(f"espeak-ng stopped while speaking with voice {self.voice}; try again") from None
            status, payload = self._answer()
        if status != zygote.OK:
            raise SpeechError(f"espeak-ng failed with voice {self.voice}: {payload.decode('utf-8', 'replace')}")
        return payload

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """End the process: it leaves when its input closes."""
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _answer(self) -> tuple[int, bytes]:
        frame = zygote.read_frame(self._pipe(self.process.stdout))
        if frame is None:
            self.close()
            raise SpeechError(f"espeak-ng stopped while speaking with voice {self.voice}; try again")
        return frame

    @staticmethod
    def _pipe(stream: IO[bytes] | None) -> IO[bytes]:
        assert stream is not None  # opened with PIPE
        return stream


_speakers: dict[str, Speaker] = {}
_speakers_lock = threading.Lock()


def running_speaker(voice: str) -> Speaker:
    """The running speaker process for voice, started if there is none (or the last one died)."""
    with _speakers_lock:
        speaker = _speakers.get(voice)
        if speaker is None or not speaker.alive():
            speaker = _speakers[voice] = Speaker(voice)
        return speaker


@atexit.register
def _close_speakers() -> None:
    with _speakers_lock:
        for speaker in _speakers.values():
            speaker.close()
        _speakers.clear()


_inherited: list[Speaker] = []


def _forget_speakers() -> None:
    """In a forked child: the parent's speakers stay the parent's. Their pipes are neither used nor closed here
    (closing would flush whatever another thread of the parent was writing at the fork into the parent's speaker),
    only kept from the garbage collector; this process starts its own speakers."""
    global _speakers_lock
    _inherited.extend(_speakers.values())
    _speakers.clear()
    _speakers_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_speakers)
