"""Human text checked where it is saved: titles, message texts and names people type, paste or import.

One rule for every front (CLI, web, directive import): text is stored in NFC, printable, without control
characters, direction marks or invisible-only content, within a length bound, and — where it is read aloud —
with something left to read once the speech normaliser has had its say. Zero-width characters that copy and paste
bring along are dropped silently. Refusals are the caller's BroadcastError subclass naming the field, so the CLI
shows `--title …` and a page its Vietnamese label.
"""

from __future__ import annotations

import re
import unicodedata

from broadcast.errors import BroadcastError
from broadcast.text import nfc

# A title is a headline: read aloud in the item's intro and shown on one line of a table, playlist or manifest.
MAX_TITLE = 200
# A name (a session, a person): a few words; the longest official unit name is about 70 characters, and a session's
# name must fit the sessions table's column (100).
MAX_NAME = 100
# A line of a directive's header (its subject runs to a few lines of the printed page).
MAX_LINE = 500
# A message's text: the longest session is 60 minutes (Thông tư 39 practice: 15 to 60), about 13,000 syllables at
# espeak-ng's pace, and Vietnamese averages 4 to 5 characters a syllable with its space; a longer text fits nowhere.
MAX_TEXT = 60_000

# Brought along by copy and paste (web pages, Word, chat apps), never meant: dropped without a word.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))
# Direction marks, embeddings, overrides and isolates: they reorder what a listener's page or an operator's
# playlist shows (a title that reads backwards), and Vietnamese never needs them.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def _printable(char: str) -> bool:
    """Neither a direction mark nor a control, format, surrogate, private-use or unassigned code point."""
    return char not in _BIDI and unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def _refuse(error: type[BroadcastError], field: str, template: str) -> BroadcastError:
    return error(template.replace("{field}", "{" + field + "}"), field=field)


def _check_characters(text: str, field: str, error: type[BroadcastError], allowed: str) -> None:
    for char in text:
        if char in allowed:
            continue
        if char == "\x00":
            # PostgreSQL stores no NUL character; text pasted from a binary file is the usual source.
            raise _refuse(error, field, "{field} holds a NUL character; type it again")
        if char in _BIDI:
            raise _refuse(
                error,
                field,
                f"{{field}} holds a text direction mark (U+{ord(char):04X}); remove it and type the text again",
            )
        if not _printable(char):
            raise _refuse(
                error,
                field,
                f"{{field}} holds an invisible control character (U+{ord(char):04X}); remove it and type the text "
                "again",
            )


def clean_text(
    value: str,
    field: str,
    error: type[BroadcastError],
    *,
    limit: int,
    lines: bool = False,
    spoken: bool = False,
) -> str:
    """value as it is stored: NFC, zero-width characters dropped, trimmed; error (naming field) when it is empty or
    invisible-only, longer than limit characters, or holds a control character (tabs and line breaks are kept when
    lines, else folded into single spaces), a NUL or a direction mark. spoken also asks that the speech normaliser
    leaves a letter to read (not only emoji or symbols)."""
    text = _LINE_BREAKS.sub("\n", nfc(value).translate(_INVISIBLE))
    _check_characters(text, field, error, "\n\t" if lines else "\n\t\r")
    text = text.strip() if lines else " ".join(text.split())
    if not text:
        raise _refuse(error, field, "{field} cannot be empty")
    if len(text) > limit:
        raise _refuse(error, field, f"{{field}} has {len(text)} characters; at most {limit} are allowed")
    if not any(ch.isalnum() for ch in text) or (spoken and not readable(text)):
        raise _refuse(
            error, field, "{field} has nothing to read: only symbols or emoji, no letter or number; write it in words"
        )
    return text


def readable(text: str) -> bool:
    """Whether the speech normaliser leaves any letter of text to read (the segment store's own test)."""
    from broadcast.speech.normalize import default_normalizer

    return any(ch.isalpha() for ch in default_normalizer().normalize(text))


def tidy_draft(value: str, limit: int, *, lines: bool = False) -> str:
    """Text from an imported document made storable without refusing it: NFC, zero-width characters and direction
    marks dropped, control characters made spaces (tabs and line breaks kept when lines), runs of spaces folded, cut
    at limit characters on a word."""
    text = _LINE_BREAKS.sub("\n", nfc(value).translate(_INVISIBLE))
    keep = "\n\t" if lines else ""
    # A control character may stand between two words (a form feed, say): it becomes a space; marks just go.
    text = "".join(ch if ch in keep or _printable(ch) else _stand_in(ch) for ch in text)
    text = re.sub(r" {2,}", " ", text).strip() if lines else " ".join(text.split())
    if len(text) > limit:
        cut = text[: limit - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut).rstrip() + "…"
    return text


def _stand_in(char: str) -> str:
    return " " if unicodedata.category(char) == "Cc" else ""


def one_line(value: str) -> str:
    """Text safe for one line of a playlist or manifest: NFC, every control character or line break a single space,
    direction marks and zero-width characters dropped, runs of spaces folded."""
    return tidy_draft(value, limit=len(value) + 1)
