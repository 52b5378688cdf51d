"""espeak-ng as a subprocess: offline, always available, three Vietnamese regional voices.

The text goes in as SSML with a <break> after each clause, so the pauses at commas, full stops and paragraphs are
the set lengths of broadcast.speech.style (espeak's own are shorter and a paragraph gets none of its own); the
voice's speaking rate scales espeak's words per minute and the pauses alike.
"""

from __future__ import annotations

import subprocess

from broadcast.audio.ffmpeg import require
from broadcast.errors import AudioError, SpeechError
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
            program = require("espeak-ng")
        except AudioError as exc:
            raise SpeechError(str(exc)) from exc
        speed = round(WORDS_PER_MINUTE * rate / 100)
        command = [program, "-v", plain, "-s", str(speed), "-m", "-b", "1", "--stdout"]
        marked = ssml(text, rate=rate).encode("utf-8")
        done = subprocess.run(command, input=marked, capture_output=True, check=False, timeout=600)
        if done.returncode != 0 or len(done.stdout) <= 44:  # a bare WAV header holds no speech
            message = done.stderr.decode("utf-8", "replace").strip() or "no audio"
            raise SpeechError(f"espeak-ng failed with voice {voice}: {message}")
        return Synthesis(done.stdout, self.name, with_rate(plain, rate))
