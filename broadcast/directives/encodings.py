"""Decode a directive's bytes whatever office software saved them in: UTF-8, UTF-16, TCVN3 (ABC) or VNI.

Vietnamese offices typed for years in 8-bit font encodings: TCVN3 (.VnTime fonts, TCVN 5712:1993 VN3) and
VNI (VNI-Times fonts, a base letter followed by a mark byte). Neither says what it is, so each candidate
decoding is scored by how many of its words are well-formed Vietnamese syllables and the best one wins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from broadcast.text import nfc

Encoding = str  # "utf-8" | "utf-16" | "tcvn3" | "vni" | "cp1258"

# TCVN3 (ABC): lower-case letters at 0xA8–0xFE as every .VnTime font has them; upper-case letters with tone marks
# where TCVN 5712:1993 VN3 puts them (C0 and 0x80–0x9F slots), as glibc's TCVN5712-1 table does.
_TCVN3_LOWER = (
    "\xa1Ă \xa2Â \xa3Ê \xa4Ô \xa5Ơ \xa6Ư \xa7Đ \xa8ă \xa9â \xaaê \xabô \xacơ \xadư \xaeđ "
    "\xb5à \xb6ả \xb7ã \xb8á \xb9ạ \xbbằ \xbcẳ \xbdẵ \xbeắ \xc6ặ \xc7ầ \xc8ẩ \xc9ẫ \xcaấ \xcbậ "
    "\xccè \xceẻ \xcfẽ \xd0é \xd1ẹ \xd2ề \xd3ể \xd4ễ \xd5ế \xd6ệ \xd7ì \xd8ỉ \xdcĩ \xddí \xdeị "
    "\xdfò \xe1ỏ \xe2õ \xe3ó \xe4ọ \xe5ồ \xe6ổ \xe7ỗ \xe8ố \xe9ộ \xeaờ \xebở \xecỡ \xedớ \xeeợ "
    "\xefù \xf1ủ \xf2ũ \xf3ú \xf4ụ \xf5ừ \xf6ử \xf7ữ \xf8ứ \xf9ự \xfaỳ \xfbỷ \xfcỹ \xfdý \xfeỵ"
)
_TCVN3_UPPER = (
    "\x01Ú \x02Ụ \x04Ừ \x05Ử \x06Ữ \x11Ứ \x12Ự \x13Ỳ \x14Ỷ \x15Ỹ \x16Ý \x17Ỵ "
    "\x80À \x81Ả \x82Ã \x83Á \x84Ạ \x85Ặ \x86Ậ \x87È \x88Ẻ \x89Ẽ \x8aÉ \x8bẸ \x8cỆ \x8dÌ \x8eỈ \x8fĨ "
    "\x90Í \x91Ị \x92Ò \x93Ỏ \x94Õ \x95Ó \x96Ọ \x97Ộ \x98Ờ \x99Ở \x9aỠ \x9bỚ \x9cỢ \x9dÙ \x9eỦ \x9fŨ "
    "\xafẰ \xbaẲ \xbfẴ \xc0Ắ \xc1Ầ \xc2Ẩ \xc3Ẫ \xc4Ấ \xc5Ề \xcdỂ \xd9Ễ \xdaẾ \xdbỒ \xe0Ổ \xf0Ỗ \xffỐ "
    "\xb0\u0300 \xb1\u0309 \xb2\u0303 \xb3\u0301 \xb4\u0323"
)
_TCVN3 = {ord(pair[0]): pair[1:] for pair in (_TCVN3_LOWER + " " + _TCVN3_UPPER).split(" ")}

# VNI: a vowel then one byte (read as Windows-1252) for its marks; a few letters are one byte of their own.
_VNI_MARKS = {
    "ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
    "â": "\u0302", "ê": "\u0306",
    "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309", "ã": "\u0302\u0303", "ä": "\u0302\u0323",
    "é": "\u0306\u0301", "è": "\u0306\u0300", "ú": "\u0306\u0309", "ü": "\u0306\u0303", "ë": "\u0306\u0323",
}  # fmt: skip
_VNI_LETTERS = {
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ", "î": "ỵ", "Î": "Ỵ",
    "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị",
}  # fmt: skip
_VNI_VOWELS = "aeouyAEOUYơƠưƯ"
_VNI_PAIR = re.compile(
    "([" + _VNI_VOWELS + "])([" + "".join(_VNI_MARKS) + "".join(mark.upper() for mark in _VNI_MARKS) + "])"
)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(ch|ng|nh|[cmnpt])?"
)
_WORD = re.compile(r"[^\W\d_]+")
# A legacy text must read as Vietnamese: this many accented syllables at least, and more good words than bad.
MIN_ACCENTED_WORDS = 3


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, NFC, and the encoding it was found in."""

    text: str
    encoding: Encoding


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC) bytes as NFC text; bytes outside the table read as Latin-1 (ASCII stays ASCII)."""
    return nfc("".join(_TCVN3.get(byte, chr(byte)) for byte in data))


def decode_vni(data: bytes) -> str:
    """VNI (VNI-Windows) bytes as NFC text: each vowel's mark bytes become combining marks."""
    text = data.decode("cp1252", errors="replace")
    text = "".join(_VNI_LETTERS.get(char, char) for char in text)
    text = _VNI_PAIR.sub(lambda m: m.group(1) + _VNI_MARKS[m.group(2).lower()], text)
    return nfc(text)


def _decode_cp1258(data: bytes) -> str:
    return nfc(data.decode("cp1258", errors="replace"))


_LEGACY: dict[Encoding, Callable[[bytes], str]] = {"tcvn3": decode_tcvn3, "vni": decode_vni, "cp1258": _decode_cp1258}


def vietnamese_score(text: str) -> int:
    """Accented words that are well-formed Vietnamese syllables, less words that cannot be Vietnamese."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        score += 1 if is_syllable(word) else -1
    return score


def is_syllable(word: str) -> bool:
    """Whether word is one Vietnamese syllable: onset, one to three vowels, a coda, at most one tone mark."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for char in decomposed if char in _TONES)
    base = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in _TONES))
    return tones <= 1 and _SYLLABLE.fullmatch(base) is not None


def decode_text(data: bytes) -> Decoded | None:
    """Decode a text file's bytes: UTF-8 (with or without BOM), UTF-16 (BOM, or NUL bytes telling LE from BE),
    else the legacy encoding whose reading has the most Vietnamese syllables; None when none reads as text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16(data, "utf-16")
    if b"\x00" in data:
        return _utf16_without_bom(data)
    try:
        return Decoded(nfc(data.decode("utf-8-sig")), "utf-8")
    except UnicodeDecodeError:
        pass
    return decode_legacy(data)


def decode_legacy(data: bytes) -> Decoded | None:
    """The 8-bit reading (TCVN3, VNI or Windows-1258) that reads best as Vietnamese, or None when none does."""
    if any(byte < 0x20 and byte not in b"\t\n\r\f" and byte not in _TCVN3 for byte in data):
        return None
    readings = [(vietnamese_score(text), encoding, text) for encoding, text in _readings(data)]
    score, encoding, text = max(readings, key=lambda reading: reading[0])
    if score < MIN_ACCENTED_WORDS:
        return None
    return Decoded(text, encoding)


def _readings(data: bytes) -> list[tuple[Encoding, str]]:
    return [(encoding, decode(data)) for encoding, decode in _LEGACY.items()]


def _utf16(data: bytes, codec: str) -> Decoded | None:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff")
    if not is_text(text):
        return None
    return Decoded(nfc(text), "utf-16")


def is_text(text: str) -> bool:
    """Whether text holds no control character but line ends and tabs, and no unassigned or private code point:
    what bytes read in the wrong encoding are full of."""
    return not any(unicodedata.category(char) in ("Cc", "Cn", "Co", "Cs") and char not in "\t\n\r\f" for char in text)


def _utf16_without_bom(data: bytes) -> Decoded | None:
    # ASCII-heavy UTF-16 has a NUL in every other byte: after each letter in LE, before it in BE.
    if len(data) % 2:
        return None
    odd_nuls = data[1::2].count(0)
    even_nuls = data[0::2].count(0)
    codec = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
    if max(odd_nuls, even_nuls) < len(data) // 4:
        return None
    return _utf16(data, codec)


def repair_legacy(text: str) -> Decoded | None:
    """Text that a reader took for Windows-1252 or Latin-1 but was typed in a TCVN3 or VNI font (an old .doc),
    decoded again; None when the text reads as Vietnamese already or cannot be re-read."""
    if vietnamese_score(text) >= MIN_ACCENTED_WORDS:
        return None
    data = bytearray()
    for char in text:
        try:
            data += char.encode("cp1252")
        except UnicodeEncodeError:
            # Windows-1252 has holes (0x81, 0x8D, 0x8F, 0x90, 0x9D) that Word keeps as the Latin-1 control.
            if ord(char) > 0xFF:
                return None
            data.append(ord(char))
    decoded = decode_legacy(bytes(data))
    if decoded is None or vietnamese_score(decoded.text) <= vietnamese_score(text):
        return None
    return decoded
