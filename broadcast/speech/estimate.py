"""How long text will take to read, before it is rendered: syllables times a per-engine pace."""

from __future__ import annotations

from broadcast.speech.normalize import Normalizer, default_normalizer

# Seconds per spoken syllable, pauses included, measured on announcement text (espeak-ng at 150 words a minute:
# 0.26–0.29 s over 20 to 250 syllables). Vietnamese writes one syllable per word, so words are syllables.
SECONDS_PER_SYLLABLE = {"espeak": 0.275, "gtts": 0.30, "piper": 0.28}


def estimate_seconds(text: str, engine: str = "espeak", normalizer: Normalizer | None = None) -> float:
    """Estimated reading time of text in seconds, for planning before any audio exists."""
    spoken = (normalizer or default_normalizer()).normalize(text)
    return round(len(spoken.split()) * SECONDS_PER_SYLLABLE.get(engine, 0.28), 1)
