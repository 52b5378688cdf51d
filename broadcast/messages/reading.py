"""What listeners will hear of a message's text, and for how long, before any audio is rendered."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from broadcast.config import Settings
from broadcast.speech.estimate import estimate_seconds
from broadcast.speech.normalize import Normalizer, normalizer_for

MAX_READ = 50_000  # characters; longer text is read only this far (a message is a few hundred words)


@dataclass(frozen=True)
class Reading:
    """The words the speech engine will read, and the estimated seconds they take."""

    spoken: str
    seconds: float


@lru_cache(maxsize=4)
def _normalizer(lexicon: Path | None) -> Normalizer:
    return normalizer_for(lexicon)


def reading_of(settings: Settings, text: str) -> Reading:
    """The normalizer's reading of text (the configured lexicon) and its estimated duration on the default engine."""
    normalizer = _normalizer(settings.lexicon)
    shown = text[:MAX_READ]
    return Reading(normalizer.normalize(shown), estimate_seconds(shown, settings.engine, normalizer))
