"""Context: the words around a written form that decide how it is read.

"2/3 số hộ" is a fraction and "ngày 2/3" a date, "số nhà 25/7" a house number; "8g sáng" is a clock time
and "500g thịt" a weight; "đ/c" is an address before a number and a comrade before a name. The cue
words live here, beside the lexicon's context rules (data/context.tsv), so every pass reads them alike.
"""

from __future__ import annotations

import re

from broadcast.speech.lexicon import ContextRule, Lexicon

_WORD = re.compile(r"[^\W\d_]+")
_NEXT_WORD = re.compile(r"[ \t]*[,:]?[ \t]*([^\W\d_]+)")

# Before "25/7": a house number or an alley, read "hai mươi lăm trên bảy", never a date.
ADDRESS_BEFORE = frozenset({"nhà", "ngõ", "ngách", "hẻm", "kiệt", "chỉ", "lô", "phòng", "căn"})
ADDRESS_AFTER = frozenset({"đường", "phố", "ngõ", "ngách", "hẻm", "kiệt"})
# After "2/3": a part of a whole ("2/3 số hộ", "1/2 diện tích"), never a date.
FRACTION_AFTER = frozenset(
    {"số", "dân", "diện", "tổng", "lượng", "kế", "chỉ", "giá", "quãng", "khối", "sản", "phần", "thời", "kinh", "vốn"}
)
# Before "8g" or after it: a clock time, not grams ("bắt đầu 8g", "họp 8g", "khai mạc 8g").
TIME_BEFORE = frozenset(
    {"lúc", "từ", "đến", "tới", "vào", "trước", "sau", "khoảng", "đúng", "hồi", "gần", "tầm", "chừng", "hết", "quá"}
    | {"đầu", "thúc", "họp", "mạc", "phát", "hẹn"}
)
DAY_PARTS = frozenset({"sáng", "trưa", "chiều", "tối", "đêm", "khuya", "ngày", "hôm", "hằng", "mai", "nay", "thứ"})
# Before "3.5": a section number, read "ba chấm năm"; elsewhere a dot before one or two digits is a decimal.
SECTION_BEFORE = frozenset(
    {"điểm", "mục", "khoản", "điều", "chương", "phần", "tiết", "bước", "bảng", "hình", "biểu", "mẫu", "lục", "bản"}
)


def word_before(text: str, start: int, reach: int = 16) -> str:
    """The lower-cased word just before text[start], across brackets, commas and numbers' spaces."""
    words = _WORD.findall(text, max(0, start - reach), start)
    return words[-1].lower() if words else ""


def word_after(text: str, end: int) -> str:
    """The lower-cased word just after text[end] (after spaces and a comma or colon), or ""."""
    match = _NEXT_WORD.match(text, end)
    return match.group(1).lower() if match else ""


def _meets(condition: str, following: str) -> bool:
    rest = following.lstrip(" \t:")
    if not rest:
        return False
    if condition == "number":
        return "0" <= rest[0] <= "9"
    if condition == "name":
        return rest[0].isupper() and len(rest) > 1 and rest[1].islower()
    head = rest[: len(condition)]
    return head.lower() == condition.lower() and not rest[len(condition) : len(condition) + 1].isalnum()


def _choose(rules: tuple[ContextRule, ...], following: str) -> str | None:
    for rule in rules:
        if any(_meets(condition, following) for condition in rule.conditions):
            return rule.spoken
    return None


def normalize_context(text: str, lexicon: Lexicon) -> str:
    """Read the written forms that have context rules ("đ/c", "CT", "Q.", "P.") by what follows them."""
    pattern = lexicon.context_pattern
    if pattern is None:
        return text

    def replace(match: re.Match[str]) -> str:
        following = match.string[match.end() : match.end() + 40]
        spoken = _choose(lexicon.context_rules(match.group(0)), following)
        if spoken is None:
            return match.group(0)
        return spoken if following[:1].isspace() or not following[:1].isalnum() else spoken + " "

    return pattern.sub(replace, text)
