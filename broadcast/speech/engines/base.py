"""The interface every speech engine implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

REGIONS = ("north", "central", "south")


@dataclass(frozen=True)
class Synthesis:
    """Audio an engine produced (WAV or MP3 bytes; ffmpeg reads either) and who really made it."""

    audio: bytes
    engine: str
    voice: str
    fallback_reason: str | None = None  # set when another engine stood in for the one asked


class Engine(ABC):
    """Turns speakable Vietnamese text into audio with one of its voices."""

    name: str

    @abstractmethod
    def resolve_voice(self, voice: str | None, region: str = "north") -> str:
        """The engine's voice id for a voice the user named, or for the station's region when none was named."""

    @abstractmethod
    def synthesize(self, text: str, voice: str) -> Synthesis:
        """Speak already-normalised text; raise SpeechError when it cannot."""
