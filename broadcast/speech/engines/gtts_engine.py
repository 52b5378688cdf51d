"""gTTS (Google Translate's voice) when online; on any failure espeak-ng speaks instead, and says so."""

from __future__ import annotations

import io

from broadcast.errors import SpeechError
from broadcast.speech.engines.base import Engine, Synthesis
from broadcast.speech.engines.espeak import EspeakEngine

TIMEOUT_SECONDS = 15.0
VOICES = {"vi": "com", "vi-com": "com", "vi-com.vn": "com.vn"}  # voice → Google host (tld)


class GttsEngine(Engine):
    name = "gtts"

    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout
        self.fallback = EspeakEngine()

    def resolve_voice(self, voice: str | None, region: str = "north") -> str:
        if voice is None:
            return "vi"
        if voice not in VOICES:
            raise SpeechError(f"unknown gtts voice {voice!r}; use one of {', '.join(VOICES)}")
        return voice

    def synthesize(self, text: str, voice: str) -> Synthesis:
        try:
            return Synthesis(self._fetch(text, voice), self.name, voice)
        except Exception as exc:  # any failure at all: no network, HTTP error, bad answer, gTTS bug
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            spoken = self.fallback.synthesize(text, self.fallback.resolve_voice(None))
            return Synthesis(spoken.audio, spoken.engine, spoken.voice, fallback_reason=reason)

    def _fetch(self, text: str, voice: str) -> bytes:
        from gtts import gTTS  # imported here: only this engine needs it

        buffer = io.BytesIO()  # gTTS.save() leaves a 0-byte file behind on failure; memory leaves nothing
        gTTS(text, lang="vi", tld=VOICES[voice], timeout=self.timeout).write_to_fp(buffer)
        audio = buffer.getvalue()
        if not audio:
            raise SpeechError("gTTS returned no audio")
        return audio
