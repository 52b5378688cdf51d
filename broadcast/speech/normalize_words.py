"""Words in Latin letters: lexicon entries, Vietnamese syllables kept, anything else made Vietnamese.

A word that is neither in the lexicon nor a Vietnamese syllable would make espeak-ng switch to its
English voice. Capitals are spelled with Vietnamese letter names ("KGVX" → "ca giê vê ích"); other
words are read as Vietnamese syllables where they can be ("langson" → "lang son", "Krông" → "cơ rông"),
else spelled too. Syllables are written the Vietnamese way (Đắk → Đắc), which espeak-ng reads reliably.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from broadcast.speech.lexicon import Lexicon

# Vietnamese names of letters, by base letter (tone marks removed first).
LETTER_NAMES = {
    "A": "a", "Ă": "á", "Â": "ớ", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "Ê": "ê",
    "F": "ép", "G": "giê", "H": "hát", "I": "i", "J": "di", "K": "ca", "L": "e lờ", "M": "em mờ",
    "N": "en nờ", "O": "o", "Ô": "ô", "Ơ": "ơ", "P": "pê", "Q": "quy", "R": "e rờ", "S": "ét",
    "T": "tê", "U": "u", "Ư": "ư", "V": "vê", "W": "vê kép", "X": "ích", "Y": "i dài", "Z": "dét",
}  # fmt: skip

# Tone marks (grave, acute, tilde, hook above, dot below); breve, circumflex and horn stay.
_TONES = {0x0300: None, 0x0301: None, 0x0303: None, 0x0309: None, 0x0323: None}

# Vowel groups Vietnamese spells (without tones), longest first so the regex tries them first.
_NUCLEI = sorted(
    re.findall(
        r"\S+",
        """a ă â e ê i o ô ơ u ư y ai ao au âu ay ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ ưa ưi
        ươ ưu uy yê oo iêu oai oao oay oeo uây uôi ươi ươu uya uyê uyu yêu""",
    ),
    key=len,
    reverse=True,
)
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
    rf"(?:{'|'.join(_NUCLEI)})"
    r"(?:ch|ng|nh|[cmnptk])?"
)
# Syllables said before a consonant cluster of a minority-language name: "Krông" → "cơ rông".
_SCHWA = {
    "b": "bơ", "c": "cơ", "d": "đơ", "đ": "đơ", "g": "gơ", "h": "hơ", "k": "cơ", "l": "lơ", "m": "mơ",
    "n": "nơ", "p": "pơ", "r": "rơ", "s": "xơ", "t": "tơ", "v": "vơ", "x": "xơ",
}  # fmt: skip
_ONSET_CLUSTERS = ("ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch")
_FINAL_C = {"k": "c", "K": "C"}
_STOP_FINAL = re.compile(r"[aăâeêioôơuưy](?:ch|[cpt])$")
_VOWELS = frozenset("aăâeêioôơuưy")
_FOREIGN_LETTERS = str.maketrans({"j": "gi", "w": "u", "z": "d", "f": "ph"})
_SEPARATORS = re.compile(r"([-/&'’.])")
# A word: letters, possibly joined by - / & ' . (UBND-KGVX, V/v, VH-TT&TT, H'Mông, TP.HCM).
WORD = re.compile(r"[^\W\d_]+(?:[-/&'’.][^\W\d_]+)*(\.)?")
_MAX_SEGMENTED = 24


def strip_tones(word: str) -> str:
    """Lower-case word without tone marks but with its vowel letters (ă â ê ô ơ ư đ)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", word.lower()).translate(_TONES))


@lru_cache(maxsize=8192)
def is_syllable(word: str) -> bool:
    """Whether word has the shape of one Vietnamese syllable (onset, one to three vowels, coda)."""
    return _SYLLABLE.fullmatch(strip_tones(word)) is not None


def spell(word: str) -> str:
    """Letter names, space-separated: "KGVX" → "ca giê vê ích"; characters without a name are kept."""
    names = []
    for ch in word:
        base = strip_tones(ch).upper()
        names.append(LETTER_NAMES.get(base, ch))
    return " ".join(names)


@lru_cache(maxsize=4096)
def segment(word: str) -> tuple[str, ...] | None:
    """Split run-together syllables ("langson" → ("lang", "son")); None if impossible.

    Splits before a consonant are tried first, longest syllable first, as a reader would ("ake" → "a ke").
    """
    if not word:
        return ()
    if len(word) > _MAX_SEGMENTED:
        return None
    ends = range(min(len(word), 7), 0, -1)
    before_consonant = [end for end in ends if end == len(word) or strip_tones(word[end]) not in _VOWELS]
    for end in [*before_consonant, *(end for end in ends if end not in before_consonant)]:
        head = word[:end]
        if is_syllable(head):
            rest = segment(word[end:])
            if rest is not None:
                return (head, *rest)
    return None


@lru_cache(maxsize=8192)
def as_spoken_syllable(syllable: str) -> str:
    """A syllable as Vietnamese spells it, which espeak-ng reads reliably: a final k becomes c (Đắk → Đắc),
    and a stop-final syllable without a tone, impossible in Vietnamese, gets the acute one (Trok → Tróc)."""
    if len(syllable) > 1 and syllable[-1] in _FINAL_C:
        syllable = syllable[:-1] + _FINAL_C[syllable[-1]]
    bare = strip_tones(syllable)
    if bare != syllable.lower() or not _STOP_FINAL.search(bare):
        return syllable
    last_vowel = max(i for i, ch in enumerate(bare) if ch in _VOWELS)
    return unicodedata.normalize("NFC", syllable[: last_vowel + 1] + "\u0301" + syllable[last_vowel + 1 :])


def vietnamize(word: str) -> str | None:
    """Syllables a Vietnamese reader makes of a name outside the language ("Krông" → "cơ rông"), or None.

    A consonant cluster opening the word gets a short "ơ" syllable, j/w/z/f their Vietnamese
    spellings, a final r, l, s or h is dropped, then the rest must split into syllables.
    """
    rest = word.lower().translate(_FOREIGN_LETTERS)
    pieces: list[str] = []
    while (
        len(rest) > 1
        and rest[0] in _SCHWA
        and strip_tones(rest[1]) not in _VOWELS
        and not rest.startswith(_ONSET_CLUSTERS)
    ):
        pieces.append(_SCHWA[rest[0]])
        rest = rest[1:]
    syllables = segment(rest)
    if syllables is None and len(rest) > 2 and rest[-1] in "rlsh":
        syllables = segment(rest[:-1])
    if syllables is None:
        return None
    return " ".join([*pieces, *(as_spoken_syllable(s) for s in syllables)])


def speak_part(part: str, lexicon: Lexicon) -> str:
    """One word without separators: lexicon, then a syllable as written, then a unit, then a
    Vietnamese reading of a lower-case or capitalised word, then letter by letter."""
    found = lexicon.lookup(part)
    if found is not None:
        return found
    if is_syllable(part):
        return as_spoken_syllable(part)
    if len(part) > 1:
        unit = lexicon.unit(part)
        if unit is not None:
            return unit
    if part.isupper() or len(part) == 1 or not part.isalpha():
        return spell(part)
    return vietnamize(part) or spell(part)


def speak_word(word: str, lexicon: Lexicon) -> str:
    """A word that may join parts with - / & ' or . ("UBND-KGVX", "TP.HCM"), read part by part."""
    found = lexicon.lookup(word)
    if found is not None:
        return found
    pieces = _SEPARATORS.split(word)
    if len(pieces) == 1:
        return speak_part(word, lexicon)
    out: list[str] = []
    for i in range(0, len(pieces), 2):
        part = pieces[i]
        sep = pieces[i + 1] if i + 1 < len(pieces) else ""
        if sep == "." and (dotted := lexicon.lookup(part + ".")) is not None:
            out.append(dotted)
            continue
        if sep in ("'", "’") and part.lower() in _SCHWA:
            out.append(_SCHWA[part.lower()])  # "H'leo" → "hơ leo", as in minority-language names
        else:
            out.append(speak_part(part, lexicon))
        if sep == "&":
            out.append("và")
        elif sep == ".":
            out[-1] += "."
    return " ".join(out)


def normalize_words(text: str, lexicon: Lexicon) -> str:
    """Replace every Latin-letter word by what is said for it (see the module docstring)."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        if match.group(1):
            dotted = lexicon.lookup(word)
            if dotted is not None:
                return dotted + " "
            word = word[:-1]
        spoken = speak_word(word, lexicon)
        return spoken + "." if match.group(1) else spoken

    return WORD.sub(replace, text)
