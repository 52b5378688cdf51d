"""Piper (piper-tts) with a Vietnamese voice model the user supplies as an .onnx file.

Each clause is spoken on its own and the clauses joined with the set silences of broadcast.speech.style, since
Piper pauses only between sentences, and briefly; the speaking rate is Piper's length_scale (100 / rate).
"""

from __future__ import annotations

import io
import os
import wave
from pathlib import Path
from typing import Any

from broadcast.errors import SpeechError
from broadcast.speech.engines.base import Engine, Synthesis
from broadcast.speech.style import DEFAULT_RATE, clauses, split_rate

VOICE_ENV = "BROADCAST_PIPER_VOICE"


class PiperEngine(Engine):
    name = "piper"

    def __init__(self) -> None:
        self._loaded: dict[str, Any] = {}

    def resolve_voice(self, voice: str | None, region: str = "north") -> str:
        chosen = voice or os.environ.get(VOICE_ENV)
        if not chosen:
            raise SpeechError(f"piper needs a voice: give {{voice}} PATH.onnx or set {VOICE_ENV}", field="voice")
        path = Path(chosen).expanduser()
        if path.suffix != ".onnx" or not path.is_file() or not Path(f"{path}.json").is_file():
            raise SpeechError(f"piper voice {chosen} not found; give an .onnx model with its .onnx.json beside it")
        return str(path.resolve())

    def synthesize(self, text: str, voice: str) -> Synthesis:
        plain, rate = split_rate(voice)
        model = self._load(plain)
        config = _config(rate)
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as joined:
            for number, (words, silence) in enumerate(clauses(text, rate=rate) or [(text, 0.0)]):
                piece = io.BytesIO()
                with wave.open(piece, "wb") as wav:
                    model.synthesize_wav(words, wav, syn_config=config)
                piece.seek(0)
                with wave.open(piece, "rb") as spoken:
                    if number == 0:
                        joined.setparams(spoken.getparams())
                    frames = spoken.readframes(spoken.getnframes())
                    width = spoken.getsampwidth() * spoken.getnchannels()
                    joined.writeframes(frames + bytes(round(silence * spoken.getframerate()) * width))
        return Synthesis(buffer.getvalue(), self.name, voice)

    def _load(self, voice: str) -> Any:
        if voice not in self._loaded:
            try:
                from piper import PiperVoice
            except ImportError as exc:
                raise SpeechError("piper-tts is not installed; run pip install 'broadcast[piper]'") from exc
            try:
                self._loaded[voice] = PiperVoice.load(voice)
            except Exception as exc:  # a broken model file fails in onnxruntime with its own types
                raise SpeechError(f"cannot load piper voice {voice}: {exc}") from exc
        return self._loaded[voice]


def _config(rate: int) -> Any:
    """Piper's synthesis settings for a speaking rate: a longer length_scale is slower speech."""
    if rate == DEFAULT_RATE:
        return None
    from piper import SynthesisConfig

    return SynthesisConfig(length_scale=DEFAULT_RATE / rate)
