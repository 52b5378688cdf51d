"""Reading style: how fast a station speaks, and the silences a listener hears at commas, full stops and paragraphs.

A station's speaking rate (a percentage, 100 the engine's normal pace) travels with its voice id as a suffix
("vi@80%"), so whatever renders, caches or looks up a station's speech (build, preview, emergencies) keeps it
without another argument, and the segment key, which holds the voice, differs for each rate. A voice id without a
suffix is the normal rate, so stations at 100 % keep the voice ids they had. The pauses are one style for every
station, in the segment key beside the audio settings (see segments.py); a slower station's pauses are longer in
proportion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from broadcast.errors import SpeechError

DEFAULT_RATE = 100  # percent of the engine's own pace
MIN_RATE = 70
MAX_RATE = 130
_RATE_SUFFIX = re.compile(r"@(\d{2,3})%$")


@dataclass(frozen=True)
class Pauses:
    """Silences in seconds after a comma, a full stop (also ; : ! ?) and a paragraph (a line break)."""

    comma: float = 0.25
    stop: float = 0.5
    paragraph: float = 0.9

    def key(self) -> str:
        return f"pauses/{self.comma:g}/{self.stop:g}/{self.paragraph:g}"

    def after(self, mark: str) -> float:
        """The silence after a mark: "," a comma, "\\n" a paragraph, any other a full stop."""
        return self.comma if mark == "," else self.paragraph if mark == "\n" else self.stop


PAUSES = Pauses()
# A clause and the mark that ends it: the normalizer's output ends every line with a mark and keeps commas.
_CLAUSE = re.compile(r"([^,.;:!?\n]+)([,.;:!?]*\s*\n|[,.;:!?]+|$)")


def rate_problem(rate: int) -> str | None:
    """What is wrong with a speaking rate, with a {rate} placeholder (see BroadcastError), or None if it is fine."""
    if MIN_RATE <= rate <= MAX_RATE:
        return None
    return (
        f"{{rate}} must be {MIN_RATE} to {MAX_RATE} (per cent of the normal pace, {DEFAULT_RATE} is normal), not {rate}"
    )


def check_rate(rate: int) -> int:
    """rate if it is a speaking rate a station may have, else a SpeechError naming the field."""
    problem = rate_problem(rate)
    if problem is not None:
        raise SpeechError(problem, field="rate")
    return rate


def with_rate(voice: str, rate: int) -> str:
    """The voice id carrying a speaking rate: "vi" at 100 %, "vi@80%" at 80 %."""
    return voice if rate == DEFAULT_RATE else f"{voice}@{check_rate(rate)}%"


def split_rate(voice: str) -> tuple[str, int]:
    """The plain voice id and the rate a voice id carries ("vi@80%" → ("vi", 80), "vi" → ("vi", 100))."""
    found = _RATE_SUFFIX.search(voice)
    if found is None:
        return voice, DEFAULT_RATE
    return voice[: found.start()], check_rate(int(found.group(1)))


def ssml(text: str, pauses: Pauses = PAUSES, rate: int = DEFAULT_RATE) -> str:
    """Text as SSML with a <break> of the set length after each clause (espeak-ng -m reads it)."""
    parts = [
        escape(words) + (f'<break time="{round(seconds * 1000)}ms"/> ' if seconds else "")
        for words, seconds in clauses(text, pauses, rate)
    ]
    return "<speak>" + "".join(parts) + "</speak>"


def clauses(text: str, pauses: Pauses = PAUSES, rate: int = DEFAULT_RATE) -> list[tuple[str, float]]:
    """Normalised text as (clause with its mark, seconds of silence after it), the silences scaled to the rate;
    the last clause has none. "Một, hai.\\nBa." → [("Một,", 0.25), ("hai.", 0.9), ("Ba.", 0.0)]."""
    out: list[tuple[str, float]] = []
    for match in _CLAUSE.finditer(text):
        words, mark = match.group(1).strip(), match.group(2)
        if not words:
            continue
        kind = "\n" if "\n" in mark else mark.strip()[:1] or "."
        out.append((words + mark.strip(), pauses.after(kind) * DEFAULT_RATE / rate))
    if out:
        out[-1] = (out[-1][0], 0.0)
    return out
