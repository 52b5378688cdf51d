"""Numbers in running text: quantities with units, ranges and rates, ordinals, Roman numerals, codes.

"2.500" is two thousand five hundred (dots group thousands, a comma starts the decimals); a dot
followed by other than three digits reads "chấm" (section 3.5). "150 - 250mm" reads "… đến …",
"02 lần/ngày" "… mỗi ngày" (per unit of time) and "25.000đ/kg" "… một ki lô gam" (per other unit).
"""

from __future__ import annotations

import re

from broadcast.speech.lexicon import Lexicon
from broadcast.speech.normalize_words import speak_part
from broadcast.speech.numbers import (
    roman_to_int,
    speak_decimal,
    speak_integer_text,
    speak_number,
    speak_ordinal,
)

NUM = r"[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9])(?:,[0-9]+)?|[0-9]+(?:[,.][0-9]+)?"
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_PER_TIME = frozenset(
    {"ngày", "tuần", "tháng", "năm", "giờ", "h", "phút", "giây", "quý", "buổi", "ca", "kỳ", "đợt", "vụ", "lần"}
)

_ROMAN = r"(?=[IVXL])(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ORDINAL = re.compile(rf"(?<![\w])(?P<w>(?i:thứ)) +(?:(?P<n>[0-9]{{1,3}})|(?P<r>{_ROMAN}))(?![\w])")
_ROMAN_AFTER = re.compile(
    r"(?<![\w])(?P<w>(?i:khóa|khoá|chương|phần|mục|quý|đại hội|thế kỷ|thế kỉ|đợt|giai đoạn|cấp|loại"
    rf"|hạng|nhóm|vùng|khu vực|kỳ|kì|tập|hội nghị)) +(?P<r>{_ROMAN})(?:/(?P<y>[12][0-9]{{3}}))?(?![\w])"
)
# Section labels at the start of a line: "I.", "2.", "1.2.", "a)".
_LABEL = re.compile(
    rf"^(?P<indent>[ \t]*)(?:(?:(?P<r>{_ROMAN})|(?P<n>[0-9]{{1,2}}(?:\.[0-9]{{1,2}})*))[.)](?=\s|[^\W\d_])"
    r"|(?P<a>[a-zđ])[.)](?=\s))",
    re.MULTILINE,
)
# A token mixing letters and digits: COVID-19, F0, H5N1, QH14, 5K, 4G.
_ALNUM = re.compile(r"(?<![\w.,/-])(?=[\w-]*[0-9])(?=[\w-]*[^\W\d_])\w+(?:-\w+)*")
_RUNS = re.compile(r"[0-9]+|[^\W\d_]+")
_DIGITS = re.compile(r"[0-9]+")
_ASCII_DIGIT = re.compile(r"[0-9]")
_NO_LEXICON = Lexicon()  # letter labels ("b)") are read as letters, never expanded


def speak_numeral(text: str) -> str:
    """A written number: "1.500.000", "98,5", "3.5" (section numbers), "007"."""
    if _THOUSANDS.fullmatch(text.split(",")[0]):
        integer, _, fraction = text.replace(".", "").partition(",")
        return speak_decimal(integer, fraction) if fraction else speak_integer_text(integer)
    if "," in text:
        integer, _, fraction = text.partition(",")
        return speak_decimal(integer, fraction)
    if "." in text:
        integer, _, fraction = text.partition(".")
        return speak_decimal(integer, fraction).replace(" phẩy ", " chấm ", 1)
    return speak_integer_text(text)


def normalize_labels(text: str) -> str:
    """Read section labels ("I.", "2.", "1.2.", "b)") at line starts as words followed by a period."""

    def replace(match: re.Match[str]) -> str:
        if match["r"]:
            spoken = speak_number(roman_to_int(match["r"]))
        elif match["n"]:
            spoken = " chấm ".join(speak_number(int(n)) for n in match["n"].split("."))
        else:
            spoken = speak_part(match["a"], _NO_LEXICON)
        return f"{match['indent']}{spoken}."

    return _LABEL.sub(replace, text)


def normalize_ordinals(text: str) -> str:
    """Ordinals and Roman numerals: "thứ 4" → "thứ tư", "lần thứ 1" → "lần thứ nhất", "khóa XV" → "khóa mười lăm"."""

    def ordinal(match: re.Match[str]) -> str:
        value = int(match["n"]) if match["n"] else roman_to_int(match["r"])
        return f"{match['w']} {speak_ordinal(value)}"

    def roman(match: re.Match[str]) -> str:
        spoken = f"{match['w']} {speak_number(roman_to_int(match['r']))}"
        return f"{spoken} năm {speak_number(int(match['y']))}" if match["y"] else spoken  # quý IV/2022

    text = _ORDINAL.sub(ordinal, text)
    return _ROMAN_AFTER.sub(roman, text)


def normalize_codes(text: str, lexicon: Lexicon) -> str:
    """Tokens mixing letters and digits: lexicon ("COVID-19", "5K"), else letters spelled, digits read."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        found = lexicon.lookup(token)
        if found is not None:
            return found
        parts = [part for part in token.split("-") if part]
        if all(_is_quantity(part, lexicon) for part in parts):
            return token  # "250mm", "150-250mm": read with their units later
        if lexicon.unit(token) is not None and _ends_in_digit(match.string[: match.start()].rstrip()):
            return token  # "50 m2"
        return " ".join(_speak_code_part(part, lexicon) for part in parts)

    return _ALNUM.sub(replace, text)


def _ends_in_digit(text: str) -> bool:
    return bool(text) and "0" <= text[-1] <= "9"


def _is_quantity(part: str, lexicon: Lexicon) -> bool:
    tail = part.lstrip("0123456789")
    return tail != part and (not tail or lexicon.unit(tail) is not None)


def _speak_code_part(part: str, lexicon: Lexicon) -> str:
    found = lexicon.lookup(part)
    if found is not None:
        return found
    if not _ASCII_DIGIT.match(part) and (unit := lexicon.unit(part)) is not None:
        return unit
    return " ".join(
        speak_integer_text(run) if _ASCII_DIGIT.match(run) else speak_part(run, lexicon) for run in _RUNS.findall(part)
    )


class QuantityReader:
    """Reads numbers with their units, ranges and rates; the units come from a lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        units = "|".join(re.escape(u) for u in lexicon.unit_forms()) or "(?!)"
        unit = rf"(?:{units})(?!\w)"
        self.pattern = re.compile(
            rf"(?<![0-9.,])(?P<neg>(?<![\w)])-)?(?P<a>{NUM})(?: *(?P<ua>{unit}))?"
            rf"(?: *[-–] *(?P<b>{NUM})(?: *(?P<ub>{unit}))?)?"
            r"(?: +(?P<w>[^\W\d_]+)(?=/[^\W\d_]))?"
            rf"(?:/(?:(?P<den>[^\W\d_][\w²³]*)|(?P<c>{NUM})(?: *(?P<uc>{unit}))?))?(?![0-9])"
        )

    def _unit(self, written: str | None) -> str:
        return "" if written is None else self.lexicon.unit(written) or written

    @staticmethod
    def _fraction(numerator: str, denominator: str) -> list[str]:
        """A part of a whole reads "một phần ba" (1/3); other ratios "… trên …" (24/24, 50/100)."""
        if numerator.isdigit() and denominator.isdigit() and 0 < int(numerator) < int(denominator) <= 10:
            return ["phần", "tư" if int(denominator) == 4 else speak_number(int(denominator))]
        return ["trên", speak_numeral(denominator)]

    def _replace(self, match: re.Match[str]) -> str:
        words = ["âm"] if match["neg"] else []
        words.append(speak_numeral(match["a"]))
        if match["ua"] and not (match["b"] and match["ub"] == match["ua"]):
            words.append(self._unit(match["ua"]))
        if match["b"]:
            words += ["đến", speak_numeral(match["b"])]
            if match["ub"]:
                words.append(self._unit(match["ub"]))
        if match["w"]:
            words.append(match["w"])
        if match["den"]:
            den = match["den"]
            words += ["mỗi" if den.lower() in _PER_TIME else "một", self._unit(den)]
        elif match["c"]:
            words += self._fraction(match["a"], match["c"])
            if match["uc"]:
                words.append(self._unit(match["uc"]))
        return " " + " ".join(words) + " "

    def __call__(self, text: str) -> str:
        """Read every quantity in text; any digit left after that is read as a plain number."""
        if not any("0" <= ch <= "9" for ch in text):
            return text
        text = self.pattern.sub(self._replace, text)
        return _DIGITS.sub(lambda m: f" {speak_integer_text(m.group(0))} ", text)
