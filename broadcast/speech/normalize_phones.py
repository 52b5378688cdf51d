"""Telephone numbers, read digit by digit with a pause between the groups as written.

A number counts as a telephone number when it looks like one (0 or +84 then nine or ten digits,
"(0205) 3812345") or when the text calls it one (hotline, đường dây nóng, tổng đài, điện thoại,
SĐT, fax, gọi … 114). Groups written apart are kept; a long unbroken run is split (ten digits 4-3-3).
"""

from __future__ import annotations

import re

from broadcast.speech.numbers import speak_digits

_NUMBER = r"\+?\(?[0-9]+\)?(?:[ .-][0-9]+)*"
_CALLED = re.compile(
    r"(?<![\w&])(?P<key>(?i:hotline|đường dây nóng|tổng đài|điện thoại|số máy|fax|gọi)|SĐT|ĐT)"
    r"(?P<gap>[^0-9\n.;!?]{0,24}?)"
    rf"(?P<numbers>{_NUMBER}(?: *(?:,|/|hoặc|và) *{_NUMBER})*)(?![\w]|[.,][0-9])"
)
_LOOKS_LIKE = re.compile(
    r"(?<![\w.,+])(?:\((?P<area>0[0-9]{2,3})\) ?(?P<local>[0-9][0-9 .-]{4,10}[0-9])"
    r"|(?P<number>(?:\+84|0)[0-9 .-]{7,14}[0-9]))(?![\w]|[.,][0-9])"
)
_ONE_NUMBER = re.compile(_NUMBER)
# Service numbers start with 0, +, or 1 (113, 1022, 1900…); "2.500" after "điện thoại" is a count.
_QUANTITY = re.compile(r"[2-9]|[1-9][0-9]{0,2}(?:\.[0-9]{3})+$")


def _digit_count(s: str) -> int:
    return sum(ch.isascii() and ch.isdigit() for ch in s)


# How an unbroken run of digits is grouped when read: ten digits 4-3-3, as people say them.
_GROUPING = {6: (3, 3), 7: (4, 3), 8: (4, 4), 9: (3, 3, 3), 10: (4, 3, 3), 11: (4, 3, 4)}
_RUN = re.compile(r"[0-9]+")
_COUNTRY = re.compile(r"^\+84(?=[0-9])")


def _group(run: str) -> str:
    sizes = _GROUPING.get(len(run))
    if sizes is None:
        return run
    chunks, start = [], 0
    for size in sizes:
        chunks.append(run[start : start + size])
        start += size
    return " ".join(chunks)


def speak_phone(number: str) -> str:
    """Digits of a phone number in groups: "0205 3812 345" → "không hai không năm, ba tám một hai, ba bốn năm"."""
    number = _COUNTRY.sub("+84 ", number.strip())
    return speak_digits(_RUN.sub(lambda m: _group(m.group(0)), number))


def _called(match: re.Match[str]) -> str:
    numbers = match["numbers"]
    if _digit_count(numbers) < 3 or _QUANTITY.match(numbers):
        return match.group(0)
    spoken = _ONE_NUMBER.sub(lambda m: speak_phone(m.group(0)), numbers)
    return f"{match['key']}{match['gap']}{spoken}"


def _looks_like(match: re.Match[str]) -> str:
    if match["area"]:
        return f"{speak_digits(match['area'])}, {speak_phone(match['local'])}"
    number = match["number"]
    count = _digit_count(number) - (2 if number.startswith("+") else 0)
    return speak_phone(number) if 9 <= count <= 11 else match.group(0)


def normalize_phones(text: str) -> str:
    """Read telephone and hotline numbers digit by digit (see the module docstring)."""
    if not any(ch.isdigit() for ch in text):
        return text
    text = _CALLED.sub(_called, text)
    return _LOOKS_LIKE.sub(_looks_like, text)
