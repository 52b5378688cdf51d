"""Foreign words in Latin script read as Vietnamese syllables, never letter by letter (Facebook → "phây búc").

A word of three or more plain Latin letters that is neither a Vietnamese syllable, nor an abbreviation (all
capitals, or any lexicon entry), nor lower-case run-together syllables ("langson") is a foreign word: a name, a
place or a term. It is read from the foreign-word table (data/foreign.tsv, the lexicon's TSV format; a user's
lexicon file overrides it, since lexicon entries are never touched here) or, failing that, by rule: split into
syllables the English way, each onset, vowel group and coda mapped to the Vietnamese spelling closest in sound,
which espeak-ng's Vietnamese voice reads without switching to English ("Netflix" → "nét phờ lích").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

from broadcast.speech.lexicon import Lexicon, parse_lexicon
from broadcast.speech.normalize_words import as_spoken_syllable, is_syllable, segment

# A plain Latin word standing alone: not part of an address, a code or a dotted abbreviation (those have passes).
# Two letters are too few to tell a foreign word from a minority-language name (Ea, Ia), which keep the old reading.
_WORD = re.compile(r"(?<![\w'’@/.&-])[A-Za-z]{3,}(?![\w'’@/&-]|\.\w)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_VOWEL_LETTERS = "aeiouy"

# Onsets, longest first: English spelling → Vietnamese spelling (before a, o, u; _FRONT respells them before e, i).
_ONSETS = {
    "sch": "s", "str": "xơ tr", "spr": "xơ pr", "scr": "xơ cr", "thr": "thr", "shr": "sr",
    "ch": "ch", "sh": "s", "th": "th", "ph": "ph", "wh": "u", "kn": "n", "wr": "r", "gn": "n", "qu": "qu",
    "ck": "c", "gh": "g", "tr": "tr",
    "b": "b", "c": "c", "d": "đ", "f": "ph", "g": "g", "h": "h", "j": "gi", "k": "c", "l": "l", "m": "m",
    "n": "n", "p": "p", "q": "c", "r": "r", "s": "x", "t": "t", "v": "v", "w": "u", "x": "x", "z": "d",
}  # fmt: skip
# Codas: English spelling → a Vietnamese final (or "" where Vietnamese drops it).
_CODAS = {
    "ng": "ng", "nk": "ng", "ck": "c", "ch": "ch", "sh": "ch", "th": "t", "ph": "p", "gh": "", "ll": "n",
    "b": "p", "c": "c", "d": "t", "f": "p", "g": "c", "k": "c", "l": "n", "m": "m", "n": "n", "p": "p",
    "r": "", "s": "t", "t": "t", "v": "p", "x": "ch", "z": "t", "h": "",
}  # fmt: skip
# Vowel groups: English spelling → (in an open syllable, before a final consonant).
_NUCLEI = {
    "eau": ("ô", "ô"), "oo": ("u", "u"), "ee": ("i", "i"), "ea": ("i", "i"), "ou": ("ao", "ao"),
    "ow": ("ao", "ao"), "ai": ("ây", "ai"), "ay": ("ây", "ây"), "ei": ("ây", "ây"), "ey": ("ây", "ây"),
    "oa": ("oa", "oa"), "ie": ("i", "i"), "oi": ("oi", "oi"), "oy": ("oi", "oi"), "au": ("o", "o"),
    "aw": ("o", "o"), "ue": ("iu", "iu"), "ui": ("ui", "ui"), "io": ("i ô", "i ô"), "ia": ("i a", "i a"),
    "a": ("a", "a"), "e": ("e", "e"), "i": ("i", "i"), "o": ("ô", "o"), "u": ("u", "u"), "y": ("i", "i"),
}  # fmt: skip
# Onset clusters a reader splits with a short "ờ" syllable: "Netflix" → "nét phờ lích".
_CLUSTER_SECOND = "lr"
_DIGRAPHS = ("ph", "th", "ch", "sh", "wh")  # one sound, so they open the next syllable: Iphone → "i phôn"
_SCHWA = {"": ""}  # a consonant without a vowel gets "ờ" (p → "pờ"); an empty one stays empty
_GLIDES = {"ai": "a", "ao": "a", "ây": "â", "oi": "o", "ui": "u", "iu": "i"}
_FRONT = {"c": "k", "g": "gh", "ng": "ngh"}  # Vietnamese spelling before e, ê, i


@lru_cache(maxsize=1)
def foreign_table() -> Mapping[str, str]:
    """The built-in foreign-word table (data/foreign.tsv), keyed by lower-case written form."""
    text = resources.files("broadcast.speech").joinpath("data", "foreign.tsv").read_text(encoding="utf-8")
    return {entry.written.lower(): entry.spoken for entry in parse_lexicon(text, "built-in foreign.tsv")}


def foreign_reading(word: str, lexicon: Lexicon) -> str | None:
    """Vietnamese syllables for word if it is a foreign word, else None (see the module docstring).

    A capitalised word made of Vietnamese-looking syllables (Honda, Obama, Lenovo) is a foreign name too:
    Vietnamese names are written apart and with their marks; a lower-case one ("langson") is left as it is.
    """
    if word.isupper() or is_syllable(word):
        return None
    if lexicon.lookup(word) is not None or lexicon.unit(word) is not None:
        return None
    found = foreign_table().get(word.lower())
    if found is not None:
        return found
    if (word[0].islower() or len(word) < 4) and segment(word) is not None:
        return None
    return " ".join(by_rule(part) for part in _CAMEL.split(word))


@lru_cache(maxsize=4096)
def by_rule(word: str) -> str:
    """Grapheme-to-syllable rule for an English-like spelling: one Vietnamese syllable per vowel group."""
    letters = word.lower()
    if re.search(r"[^aeiouy]le$", letters):
        letters = letters[:-2] + "ồ"  # a final -le is a syllable of its own: Google → "gu gồ", Apple → "áp pồ"
    elif re.search(r"[aeiouy][^aeiouy]e$", letters) and len(letters) > 3:
        letters = letters[:-1]  # a silent final e (Skype, Chrome)
    letters = re.sub(r"(?:^|(?<=[aeiou]))y(?=[aeiou])", "z", letters)  # y before a vowel is a consonant
    groups = re.findall(r"[aeiouyồ]+|[^aeiouyồ]+", letters)
    syllables: list[str] = []
    onset = ""
    i = 0
    if groups and groups[0][0] not in "aeiouyồ":
        onset, i = groups[0], 1
    while i < len(groups):
        vowels = groups[i]
        after = groups[i + 1] if i + 1 < len(groups) else ""
        last = i + 2 >= len(groups)
        if last:
            coda, next_onset = after, ""
        else:
            # The last consonant, digraph (ph) or cluster (cr) opens the next syllable; the rest closes this one.
            two = after[-2:]
            joined = len(after) > 1 and (two in _DIGRAPHS or (two[1] in _CLUSTER_SECOND and two[0] not in "lr"))
            size = 2 if joined else 1
            coda, next_onset = after[:-size], after[-size:]
        syllables.append(_syllable(onset, vowels, coda))
        onset, i = next_onset, i + 2
    if onset:  # consonants with no vowel after them (a word of consonants)
        syllables.append(_syllable(onset, "ơ", ""))
    return " ".join(s for s in syllables if s)


def _syllable(onset: str, vowels: str, coda: str) -> str:
    """One written syllable as Vietnamese syllables: onset on the first vowel, coda on the last."""
    final = _coda(coda)
    open_, closed = _NUCLEI.get(vowels, _NUCLEI.get(vowels[:1], ("ơ", "ơ")))
    if vowels in ("ơ", "ồ"):
        open_ = closed = vowels
    if vowels == "o" and final in ("n", "m"):
        closed = "ô"  # Omicron → "rôn", London → "đôn"
    if vowels == "e" and coda[:1] == "r" and not final:
        open_ = "ơ"  # "-er" reads "ơ": Messenger → "mét xen giơ"
    nuclei = (closed if final else open_).split(" ")
    if final and nuclei[-1] in _GLIDES:
        nuclei[-1] = _GLIDES[nuclei[-1]]  # Vietnamese has no glide before a final consonant
    leading = _onset(onset).split(" ")
    first = leading[-1]
    if onset[-1:] == "g" and vowels[:1] in ("e", "i", "y") and first == "g":
        first = "gi"  # a soft g: Messenger → "mét xen giơ"
    if first == "gi" and nuclei[0].startswith("i"):
        first = "g"  # gi + i is written gi
    if first in _FRONT and nuclei[0][:1] in ("e", "ê", "i"):
        first = _FRONT[first]
    if first == "qu" and nuclei[0].startswith("u"):
        first = "c"
    nuclei[0] = first + nuclei[0]
    nuclei[-1] = as_spoken_syllable(nuclei[-1] + final)
    return " ".join(p for p in (*leading[:-1], *nuclei) if p)


def _onset(onset: str) -> str:
    """A consonant run before a vowel as Vietnamese onsets; letters a Vietnamese onset cannot hold get a
    short "ờ" syllable each (fl → "phờ l", sm → "xờ m")."""
    if not onset:
        return ""
    if onset in _ONSETS and not (len(onset) == 2 and onset[1] in _CLUSTER_SECOND and onset != "tr"):
        return _ONSETS[onset]
    tail = onset[-2:] if len(onset) > 2 and onset[-2:] in _ONSETS else onset[-1]
    head = onset[: -len(tail)]
    pieces = []
    i = 0
    while i < len(head):
        size = 2 if head[i : i + 2] in _ONSETS and len(head[i : i + 2]) == 2 else 1
        spelled = _ONSETS.get(head[i : i + size], "")
        pieces.append(_SCHWA.get(spelled, spelled + "ờ"))
        i += size
    return " ".join([*pieces, _ONSETS.get(tail, "")])


def _coda(coda: str) -> str:
    """A consonant run after a vowel as one Vietnamese final, or "" where Vietnamese has none."""
    if not coda:
        return ""
    if len(coda) > 1 and coda[0] == "r":
        coda = coda[1:]  # Ford → "phót", Sinopharm → "pham"
    for size in (2, 1):
        if coda[:size] in _CODAS:
            return _CODAS[coda[:size]]
    return ""


def normalize_foreign(text: str, lexicon: Lexicon) -> str:
    """Replace each foreign word standing alone by its Vietnamese reading (see the module docstring)."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        return foreign_reading(word, lexicon) or word

    return _WORD.sub(replace, text)
