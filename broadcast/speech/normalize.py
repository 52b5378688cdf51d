"""The normalizer: official Vietnamese text in, the words an announcer says out.

Passes run in a fixed order, each one regex substitution over the whole text, from the most specific
written forms to the most general: abbreviations read by context (đ/c, CT, Q., P.), addresses, section
labels, document numbers, dates, times, telephone numbers, letter-digit codes, ordinals, quantities
(money, rates, scores), then foreign words (Facebook → "phây búc"), then words (lexicon, spelling) and
punctuation. The output has no digit, no unexplained capital abbreviation, and keeps commas, periods and
line breaks so the voice pauses where a reader would. Empty or blank input gives "".
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from broadcast.speech.context import normalize_context
from broadcast.speech.foreign import normalize_foreign
from broadcast.speech.lexicon import Lexicon, load_lexicon
from broadcast.speech.normalize_dates import normalize_dates, normalize_times
from broadcast.speech.normalize_documents import normalize_addresses, normalize_documents
from broadcast.speech.normalize_numbers import (
    QuantityReader,
    normalize_codes,
    normalize_labels,
    normalize_ordinals,
)
from broadcast.speech.normalize_phones import normalize_phones
from broadcast.speech.normalize_words import normalize_words
from broadcast.text import nfc

_CHARACTERS = str.maketrans(
    {
        "Ð": "Đ",  # Icelandic eth, a frequent stand-in for Đ in documents
        "ð": "đ",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
        "\r": "\n",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u2013": "-",
        "\u2014": " - ",
        "\u2026": "...",
        "“": None,
        "”": None,
        "„": None,
        "«": None,
        "»": None,
        '"': None,
        "‘": None,
        "`": None,
        "\u00b4": None,
    }
)
_MARKUP = re.compile(r"\*\*|__|^[ \t]*#+[ \t]+|^[ \t]*>[ \t]*", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[-+*•·●○▪■◦][ \t]+", re.MULTILINE)
_END_MARK = re.compile(r"\./\.")
_ANGLED = re.compile(r"<([^<>\s]+)>")  # <http://…>, <name@host>: the brackets are markup, not "less than"
_SPACE = re.compile(r"[^\S\n]")
_LONE_QUOTE = re.compile(r"(?<![^\W\d_])['’]|['’](?![^\W\d_])")

_SYMBOLS = {
    "%": " phần trăm ",
    "&": " và ",
    "+": " cộng ",
    "=": " bằng ",
    "@": " a còng ",
    "~": " khoảng ",
    "≈": " khoảng ",
    "≥": " lớn hơn hoặc bằng ",
    "≤": " nhỏ hơn hoặc bằng ",
    ">": " lớn hơn ",
    "<": " nhỏ hơn ",
    "°": " độ ",
    "(": ", ",
    ")": ", ",
    "[": ", ",
    "]": ", ",
    "{": ", ",
    "}": ", ",
    "/": " ",
    "\\": " ",
    "|": ", ",
    "*": " ",
    "#": " ",
    "_": " ",
    "^": " ",
    "$": " đô la ",
    "€": " ơ rô ",
}
_SYMBOL = re.compile("|".join(re.escape(s) for s in _SYMBOLS))
_DASH = re.compile(r"[ \t]+-[ \t]*|[ \t]*-[ \t]+|^-|-$|-(?=[^\w\s])|(?<=[^\w\s])-", re.MULTILINE)
_PUNCTUATION_RUN = re.compile(r"[ \t]*([,.;:!?])(?:[ \t]*[,.;:!?])*")
_STRENGTH = {",": 0, ":": 1, ";": 1, "!": 2, "?": 2, ".": 2}
_SPACES = re.compile(r"[ \t]+")


def clean(text: str) -> str:
    """NFC, one kind of dash, space and Đ, no quotes, markdown emphasis or list bullets."""
    text = _SPACE.sub(" ", nfc(text).translate(_CHARACTERS))
    text = _END_MARK.sub(".", text)
    text = _ANGLED.sub(r"\1", text)
    text = _MARKUP.sub("", text)
    text = _LONE_QUOTE.sub("", text)
    return _BULLET.sub("", text)


def _punctuation_run(match: re.Match[str]) -> str:
    marks = [ch for ch in match.group(0) if ch in _STRENGTH]
    strongest = max(marks, key=lambda ch: _STRENGTH[ch])
    return strongest + " "


def finish(text: str) -> str:
    """Symbols as words, dashes as pauses, one mark per pause, one space, each line ending in a mark."""
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(0)], text)
    text = _DASH.sub(", ", text)
    text = text.replace("-", " ")
    text = _PUNCTUATION_RUN.sub(_punctuation_run, text)
    lines = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip().lstrip(",.;:!? ")
        if not line:
            continue
        if line[-1] == ",":
            line = line[:-1] + "."
        elif line[-1] not in ".!?;:":
            line += "."
        lines.append(line)
    return "\n".join(lines)


class Normalizer:
    """Turns announcement text into what is read aloud, with a given abbreviation lexicon."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon if lexicon is not None else default_lexicon()
        self._quantities = QuantityReader(self.lexicon)

    def normalize(self, text: str) -> str:
        """Text as it should be read: no digits, no unexplained abbreviations, pauses kept."""
        if not text or text.isspace():
            return ""
        lexicon = self.lexicon
        text = clean(text)
        text = normalize_context(text, lexicon)
        text = normalize_addresses(text, lexicon)
        text = normalize_labels(text)
        text = normalize_documents(text, lexicon)
        text = normalize_dates(text)
        text = normalize_times(text)
        text = normalize_phones(text)
        text = normalize_codes(text, lexicon)
        text = normalize_ordinals(text)
        text = self._quantities(text)
        text = normalize_foreign(text, lexicon)
        text = normalize_words(text, lexicon)
        return finish(text)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The built-in lexicon, parsed once."""
    return load_lexicon()


@lru_cache(maxsize=1)
def default_normalizer() -> Normalizer:
    """A Normalizer with the built-in lexicon, built once."""
    return Normalizer(default_lexicon())


def normalize(text: str) -> str:
    """Normalize text with the built-in lexicon (see `Normalizer.normalize`)."""
    return default_normalizer().normalize(text)


def normalizer_for(lexicon_file: Path | None) -> Normalizer:
    """A Normalizer whose lexicon is the built-in one with lexicon_file's entries merged over it."""
    return Normalizer(load_lexicon(lexicon_file)) if lexicon_file is not None else default_normalizer()
