"""espeak-ng as a subprocess: offline, always available, three Vietnamese regional voices."""

from __future__ import annotations

import subprocess

from broadcast.audio.ffmpeg import require
from broadcast.errors import AudioError, SpeechError
from broadcast.speech.engines.base import REGIONS, Engine, Synthesis

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
        voice = self.resolve_voice(voice)  # espeak-ng itself would speak any of its hundred voices, Klingon included
        try:
            program = require("espeak-ng")
        except AudioError as exc:
            raise SpeechError(str(exc)) from exc
        command = [program, "-v", voice, "-s", str(WORDS_PER_MINUTE), "-b", "1", "--stdout"]
        done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, check=False, timeout=600)
        if done.returncode != 0 or len(done.stdout) <= 44:  # a bare WAV header holds no speech
            message = done.stderr.decode("utf-8", "replace").strip() or "no audio"
            raise SpeechError(f"espeak-ng failed with voice {voice}: {message}")
        return Synthesis(done.stdout, self.name, voice)
