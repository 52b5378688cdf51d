"""Text-to-speech engines behind one small interface; pick one by name with `get_engine`."""

from __future__ import annotations

from broadcast.errors import SpeechError
from broadcast.speech.engines.base import Engine, Synthesis
from broadcast.speech.engines.espeak import EspeakEngine
from broadcast.speech.engines.gtts_engine import GttsEngine
from broadcast.speech.engines.piper import PiperEngine

ENGINES: dict[str, type[Engine]] = {"espeak": EspeakEngine, "gtts": GttsEngine, "piper": PiperEngine}


def get_engine(name: str) -> Engine:
    """The engine called name, or a SpeechError listing the known ones."""
    try:
        return ENGINES[name]()
    except KeyError:
        raise SpeechError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}") from None


__all__ = ["ENGINES", "Engine", "EspeakEngine", "GttsEngine", "PiperEngine", "Synthesis", "get_engine"]
