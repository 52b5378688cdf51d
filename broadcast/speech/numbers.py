"""Vietnamese readings of numbers, digits, decimals, dates and clock times.

Conventions (one per choice the language leaves open): "nghìn" not "ngàn", "linh" not "lẻ", "tỷ",
"tư" for a final 4 after "mươi" (hai mươi tư) but "bốn" after "mười" and "linh", "mốt" for a final 1
after "mươi", "lăm" for a final 5 after "mười"/"mươi", and "không trăm" inside groups after the first.
"""

from __future__ import annotations

DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

_BILLION = 1_000_000_000
# Past this many digits a number is an identifier, not a quantity anyone reads as a whole.
MAX_READ_DIGITS = 15


def _read_group(n: int, full: bool) -> list[str]:
    """Words for 0 < n < 1000; full when a higher group precedes, so hundreds and "linh" are spoken."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGIT_WORDS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words += ["linh", DIGIT_WORDS[units]]
        elif units:
            words.append(DIGIT_WORDS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGIT_WORDS[units])
    else:
        words += [DIGIT_WORDS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGIT_WORDS[units]))
    return words


def _read_below_billion(n: int, full: bool) -> list[str]:
    """Words for 0 < n < 10⁹, group by group; zero groups are skipped."""
    words: list[str] = []
    for scale, name in ((1_000_000, "triệu"), (1_000, "nghìn"), (1, "")):
        group = n // scale % 1000
        if group:
            words += _read_group(group, full or bool(words))
            if name:
                words.append(name)
    return words


def speak_number(n: int) -> str:
    """Read an integer the way a Vietnamese announcer does: 2022 → "hai nghìn không trăm hai mươi hai"."""
    if n < 0:
        return "âm " + speak_number(-n)
    if n == 0:
        return DIGIT_WORDS[0]
    return " ".join(_read(n, full=False))


def _read(n: int, full: bool) -> list[str]:
    if n < _BILLION:
        return _read_below_billion(n, full)
    high, low = divmod(n, _BILLION)
    words = [*_read(high, full), "tỷ"]
    if low:
        words += _read_below_billion(low, full=True)
    return words


def speak_digits(s: str) -> str:
    """Read each digit of s on its own ("114" → "một một bốn"); digit groups are separated by commas.

    A leading "+" (as in +84) reads "cộng"; every other non-digit only separates groups.
    """
    groups: list[str] = []
    current: list[str] = []
    for ch in s:
        if "0" <= ch <= "9":
            current.append(DIGIT_WORDS[ord(ch) - 48])
        elif current:
            groups.append(" ".join(current))
            current = []
    if current:
        groups.append(" ".join(current))
    spoken = ", ".join(groups)
    if s.lstrip().startswith("+"):
        spoken = "cộng " + spoken
    return spoken


def speak_integer_text(digits: str) -> str:
    """Read a run of ASCII digits as a number, or digit by digit when it is too long to be a quantity."""
    if len(digits.lstrip("0")) > MAX_READ_DIGITS:
        return speak_digits(digits)
    return speak_number(int(digits))


def speak_decimal(integer: str, fraction: str) -> str:
    """Read "98" "5" as "chín mươi tám phẩy năm"; zeros leading the fraction are read one by one."""
    stripped = fraction.lstrip("0")
    words = [speak_integer_text(integer), "phẩy"]
    words += [DIGIT_WORDS[0]] * (len(fraction) - len(stripped))
    if stripped:
        words.append(speak_integer_text(stripped) if len(stripped) <= 3 else speak_digits(stripped))
    return " ".join(words)


def speak_ordinal(n: int) -> str:
    """The word after "thứ": nhất, hai, ba, tư, năm…"""
    if n == 1:
        return "nhất"
    if n == 4:
        return "tư"
    return speak_number(n)


def speak_month(month: int) -> str:
    """The word after "tháng": 4 is "tư" (tháng tư), every other month its plain number."""
    return "tư" if month == 4 else speak_number(month)


def speak_day(day: int, prefix: bool = True) -> str:
    """Days 1–10 read "mùng …"; later days "ngày …", or bare when the text already says "ngày"."""
    if 1 <= day <= 10:
        return "mùng " + speak_number(day)
    return ("ngày " if prefix else "") + speak_number(day)


def speak_date(day: int | None, month: int, year: int | None = None, prefix: bool = True) -> str:
    """Read a date: (19, 2, 2022) → "ngày mười chín tháng hai năm hai nghìn không trăm hai mươi hai".

    prefix=False when the text already says "ngày", so it is not said twice; day=None reads month and year.
    """
    words = [] if day is None else [speak_day(day, prefix)]
    words += ["tháng", speak_month(month)]
    if year is not None:
        words += ["năm", speak_number(year)]
    return " ".join(words)


def speak_time(hour: int, minute: int = 0, second: int = 0) -> str:
    """Read a clock time: (7, 30) → "bảy giờ ba mươi phút"; zero minutes are not read."""
    words = [speak_number(hour), "giờ"]
    if minute:
        words += [speak_number(minute), "phút"]
    if second:
        words += [speak_number(second), "giây"]
    return " ".join(words)


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(roman: str) -> int:
    """Value of a Roman numeral written in capitals ("XIV" → 14); ValueError if it is not one."""
    if not roman or any(ch not in _ROMAN_VALUES for ch in roman):
        raise ValueError(f"not a Roman numeral: {roman!r}")
    total = 0
    for ch, following in zip(roman, [*roman[1:], ""], strict=True):
        value = _ROMAN_VALUES[ch]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total
