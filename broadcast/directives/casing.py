"""Titles printed in capitals ("PHÓ GIÁM ĐỐC") rewritten in normal Vietnamese capitalisation."""

from __future__ import annotations

import re

from broadcast.text import fold

# A Vietnamese syllable, folded; capital words that are not one are acronyms (UBND, HĐND, BCĐ) and stay.
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnptk])?")
# Words after which the rest is a proper name: "tỉnh Lạng Sơn", "huyện Cao Lộc".
_PLACE_KINDS = frozenset({"tỉnh", "huyện", "xã", "phường", "quận", "thị trấn", "thị xã", "thành phố"})
# Names of bodies written with capitals inside a title, as Nghị định 30/2020/NĐ-CP spells them.
_PROPER_PHRASES: tuple[tuple[str, str], ...] = (
    ("ủy ban nhân dân", "Ủy ban nhân dân"),
    ("uỷ ban nhân dân", "Uỷ ban nhân dân"),
    ("hội đồng nhân dân", "Hội đồng nhân dân"),
    ("ban chỉ đạo", "Ban Chỉ đạo"),
    ("ban thường vụ", "Ban Thường vụ"),
    ("văn phòng", "Văn phòng"),
    ("sở thông tin và truyền thông", "Sở Thông tin và Truyền thông"),
    ("sở y tế", "Sở Y tế"),
    ("chính phủ", "Chính phủ"),
    ("công an", "Công an"),  # the force's name: "Phó Trưởng Công an huyện"
    ("thường trực", "Thường trực"),  # a party office: "Phó Bí thư Thường trực"
)


def _is_acronym(word: str) -> bool:
    letters = "".join(char for char in word if char.isalpha())
    return bool(letters) and word.isupper() and not _SYLLABLE.fullmatch(fold(letters))


def sentence_case(text: str) -> str:
    """Return a capitalised title or body name in normal case: "KT. CHỦ TỊCH" → "KT. Chủ tịch"."""
    words = text.split()
    if not words:
        return ""
    lowered = " ".join(word if _is_acronym(word) else word.lower() for word in words)
    for lower, proper in _PROPER_PHRASES:
        lowered = re.sub(rf"(?<!\w){re.escape(lower)}(?!\w)", proper, lowered)
    out = lowered.split(" ")
    out[0] = _capitalise(out[0])
    if len(out) > 1 and fold(out[0]) == "pho":
        out[1] = _capitalise(out[1])
    for index in range(len(out) - 1):
        pair = f"{out[index]} {out[index + 1]}"
        if out[index] in _PLACE_KINDS or pair in _PLACE_KINDS:
            start = index + (2 if pair in _PLACE_KINDS else 1)
            out[start:] = [_capitalise(word) for word in out[start:]]
            break
    return " ".join(out)


def title_case(text: str) -> str:
    """Return a name printed in capitals ("LÊ HẢI YẾN") as "Lê Hải Yến"."""
    return " ".join(_capitalise(word.lower()) for word in text.split())


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:] if word else word
