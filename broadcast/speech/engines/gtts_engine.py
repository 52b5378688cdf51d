"""gTTS (Google Translate's voice) when online; on any failure espeak-ng speaks instead, and says so.

Google's voice pauses at punctuation by itself (explicit pauses would cost one request per clause); a speaking
rate other than 100 % is made with ffmpeg's atempo, which keeps the pitch (gTTS's own "slow" is half speed).
"""

from __future__ import annotations

import io

from broadcast.audio.ffmpeg import change_tempo
from broadcast.errors import AudioError, SpeechError
from broadcast.speech.engines.base import Engine, Synthesis
from broadcast.speech.engines.espeak import EspeakEngine
from broadcast.speech.style import DEFAULT_RATE, split_rate, with_rate

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
        plain, rate = split_rate(voice)
        self.resolve_voice(plain)  # a wrong voice is the caller's mistake, not an outage to hide behind espeak
        try:
            audio = self._fetch(text, plain)
        except Exception as exc:  # any failure at all: no network, HTTP error, bad answer, gTTS bug
            reason = _describe(exc)
            spoken = self.fallback.synthesize(text, with_rate(self.fallback.resolve_voice(None), rate))
            return Synthesis(spoken.audio, spoken.engine, spoken.voice, fallback_reason=reason)
        if rate != DEFAULT_RATE:
            try:
                audio = change_tempo(audio, rate / DEFAULT_RATE)
            except AudioError as exc:
                raise SpeechError(str(exc)) from exc
        return Synthesis(audio, self.name, voice)

    def _fetch(self, text: str, voice: str) -> bytes:
        from gtts import gTTS  # imported here: only this engine needs it

        buffer = io.BytesIO()  # gTTS.save() leaves a 0-byte file behind on failure; memory leaves nothing
        gTTS(text, lang="vi", tld=VOICES[voice], timeout=self.timeout).write_to_fp(buffer)
        audio = buffer.getvalue()
        if not audio:
            raise SpeechError("gTTS returned no audio")
        return audio


def _describe(exc: BaseException) -> str:
    """One line naming the failure and its root cause, which gTTS hides ("Failed to connect … Unknown")."""
    root, seen = exc, {id(exc)}
    while True:
        inner = root.__cause__ or (None if root.__suppress_context__ else root.__context__)
        if inner is None or id(inner) in seen:
            break
        root = inner
        seen.add(id(inner))
    text = f"{type(exc).__name__}: {exc}"
    if root is not exc:
        text += f" ({type(root).__name__}: {root})"
    return " ".join(text.split())[:300]
