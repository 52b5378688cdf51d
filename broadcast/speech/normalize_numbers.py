"""Numbers in running text: quantities with units, ranges and rates, ordinals, Roman numerals, codes.

"2.500" is two thousand five hundred (dots group thousands, a comma starts the decimals), and so is
"1,500,000" (commas grouping twice, or once before USD or after $; "10,000" too: nobody writes
three zero decimals); a dot followed by one or two digits
is an informal decimal ("1.5 triệu" "một phẩy năm triệu") except after a section word ("mục 1.2" "một
chấm hai") or before a lone zero ("4.0"). "150 - 250mm" reads "… đến …", "02 lần/ngày" "… mỗi ngày"
(per unit of time), "25.000đ/kg" "… một ki lô gam" (per other unit) and a chain of rates each with
"mỗi" ("đồng/người/tháng" "đồng mỗi người mỗi tháng"), with or without a number before. Money reads
the amount before the currency ("$4,000" "bốn nghìn đô la"); "tỷ số 3-1" a score "ba một", "tỷ lệ
1:500" a ratio "một trên năm trăm", and a house number "số nhà 125/45" "… trên …".
"""

from __future__ import annotations

import re

from broadcast.speech.context import ADDRESS_AFTER, ADDRESS_BEFORE, SECTION_BEFORE, word_after, word_before
from broadcast.speech.lexicon import Lexicon
from broadcast.speech.normalize_words import speak_part
from broadcast.speech.numbers import (
    roman_to_int,
    speak_decimal,
    speak_integer_text,
    speak_number,
    speak_ordinal,
)

NUM = r"[0-9]{1,3}(?:,[0-9]{3}){2,}(?![0-9])|[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9])(?:,[0-9]+)?|[0-9]+(?:[,.][0-9]+)?"
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_COMMA_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3}){2,}|[1-9][0-9]{0,2},000")
_SCALE = r"(?: +(?:nghìn|ngàn|triệu|tỷ|tỉ)(?!\w))"
_RATE_WORD = r"[^\W\d_][\w²³]*"
# A rate without a number before it: "lượt/ngày", "đồng/kg", "đồng/người/tháng" (not "và/hoặc", "nam/nữ").
_WORD_RATE = re.compile(rf"(?<![\w/])(?P<n>[^\W\d_]+)(?P<dens>(?:/{_RATE_WORD})+)(?![\w/])")
_RATE_NUMERATORS = frozenset(
    {"đồng", "lượt", "người", "lần", "suất", "chuyến", "tấn", "tạ", "con", "cây", "hộ", "xe", "vé", "ca", "liều"}
)
# Money: "$4,000", "$1.5 triệu", "USD 2,500", "4,000 USD": the amount goes before the currency.
_MONEY = re.compile(
    rf"(?<![\w$])\$ ?(?P<a>[0-9][0-9.,]*[0-9]|[0-9])(?P<s>{_SCALE})?"
    rf"|(?<![\w])(?:USD|US\$) ?(?P<b>[0-9][0-9.,]*[0-9]|[0-9])(?P<t>{_SCALE})?"
    r"|(?<![\w.,])(?P<c>[0-9]{1,3}(?:,[0-9]{3})+)(?= ?USD(?!\w))"
)
_DOLLAR_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
# "tỷ số 3-1", "tỷ lệ 1:500": a score or a ratio a few words after its cue.
_RATIO = re.compile(
    rf"(?P<cue>(?i:t[ỷỉ] +(?P<kind>số|lệ)))(?P<gap>[^\n.;!?0-9]{{0,24}}?)"
    rf"(?P<a>{NUM}) *(?P<sep>[:/-]) *(?P<b>{NUM})(?![0-9])"
)
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


def speak_numeral(text: str, section: bool = False) -> str:
    """A written number: "1.500.000", "1,500,000", "98,5", "1.5" (a decimal), "007".

    section: the text calls it a section or item ("mục 3.5"), so a dot reads "chấm"; so does "4.0".
    """
    if _COMMA_THOUSANDS.fullmatch(text):
        return speak_integer_text(text.replace(",", ""))
    if _THOUSANDS.fullmatch(text.split(",")[0]):
        integer, _, fraction = text.replace(".", "").partition(",")
        return speak_decimal(integer, fraction) if fraction else speak_integer_text(integer)
    if "," in text:
        integer, _, fraction = text.partition(",")
        return speak_decimal(integer, fraction)
    if "." in text:
        integer, _, fraction = text.partition(".")
        spoken = speak_decimal(integer, fraction)
        return spoken.replace(" phẩy ", " chấm ", 1) if section or fraction == "0" else spoken
    return speak_integer_text(text)


def _money(match: re.Match[str]) -> str:
    if match["c"]:
        return match["c"].replace(",", "")
    amount, scale, currency = (match["a"], match["s"], "đô la") if match["a"] else (match["b"], match["t"], "USD")
    amount = amount.replace(",", "") if _DOLLAR_THOUSANDS.fullmatch(amount) else amount
    return f"{amount}{scale or ''} {currency}"


def normalize_money(text: str) -> str:
    """Put the amount before the currency and read "4,000" as thousands next to $ or USD."""
    if "$" not in text and "USD" not in text:  # "US$" has a "$"
        return text
    return _MONEY.sub(_money, text)


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
            rf"(?<![0-9.,])(?P<neg>(?<![\w)])-)?(?P<a>{NUM})(?P<sa>{_SCALE})?(?: *(?P<ua>{unit}))?"
            rf"(?: *[-–] *(?P<b>{NUM})(?P<sb>{_SCALE})?(?: *(?P<ub>{unit}))?)?"
            r"(?: +(?P<w>[^\W\d_]+)(?=/[^\W\d_]))?"
            rf"(?:/(?:(?P<den>{_RATE_WORD}(?:/{_RATE_WORD})*)|(?P<c>{NUM})(?: *(?P<uc>{unit}))?))?(?![0-9])"
        )

    def _unit(self, written: str | None) -> str:
        return "" if written is None else self.lexicon.unit(written) or written

    @staticmethod
    def _fraction(numerator: str, denominator: str) -> list[str]:
        """A part of a whole reads "một phần ba" (1/3); other ratios "… trên …" (24/24, 50/100)."""
        if numerator.isdigit() and denominator.isdigit() and 0 < int(numerator) < int(denominator) <= 10:
            return ["phần", "tư" if int(denominator) == 4 else speak_number(int(denominator))]
        return ["trên", speak_numeral(denominator)]

    def _per(self, denominators: list[str]) -> list[str]:
        """ "/ngày" reads "mỗi ngày", "/kg" "một ki lô gam"; in a chain every one reads "mỗi"."""
        words: list[str] = []
        for den in denominators:
            words += ["mỗi" if len(denominators) > 1 or den.lower() in _PER_TIME else "một", self._unit(den)]
        return words

    def _replace(self, match: re.Match[str]) -> str:
        text, start = match.string, match.start()
        section = word_before(text, start) in SECTION_BEFORE
        words = ["âm"] if match["neg"] else []
        words.append(speak_numeral(match["a"], section))
        if match["sa"]:
            words.append(match["sa"].strip())
        if match["ua"] and not (match["b"] and match["ub"] == match["ua"]):
            words.append(self._unit(match["ua"]))
        if match["b"]:
            words += ["đến", speak_numeral(match["b"], section)]
            if match["sb"]:
                words.append(match["sb"].strip())
            if match["ub"]:
                words.append(self._unit(match["ub"]))
        if match["w"]:
            words.append(match["w"])
        if match["den"]:
            words += self._per(match["den"].split("/"))
        elif match["c"]:
            address = word_before(text, start) in ADDRESS_BEFORE or word_after(text, match.end()) in ADDRESS_AFTER
            words += ["trên", speak_numeral(match["c"])] if address else self._fraction(match["a"], match["c"])
            if match["uc"]:
                words.append(self._unit(match["uc"]))
        return " " + " ".join(words) + " "

    def _word_rate(self, match: re.Match[str]) -> str:
        whole, numerator = match.group(0), match["n"]
        if (unit := self.lexicon.unit(whole)) is not None:
            return unit  # "km/h"
        denominators = match["dens"][1:].split("/")
        first = denominators[0].lower()
        is_rate = numerator.islower() and (
            numerator in _RATE_NUMERATORS or first in _PER_TIME or self.lexicon.unit(denominators[0]) is not None
        )
        return " ".join([numerator, *self._per(denominators)]) if is_rate else whole

    @staticmethod
    def _ratio(match: re.Match[str]) -> str:
        a, b = speak_numeral(match["a"]), speak_numeral(match["b"])
        if match["kind"].lower() == "số" and match["sep"] in ":/-":
            return f"{match['cue']}{match['gap']}{a} {b}"  # a score: "tỷ số ba một"
        if match["sep"] == ":":
            return f"{match['cue']}{match['gap']}{a} trên {b}"  # a ratio: "tỷ lệ một trên năm trăm"
        return match.group(0)

    def __call__(self, text: str) -> str:
        """Read every quantity in text; any digit left after that is read as a plain number."""
        if not any("0" <= ch <= "9" for ch in text):
            return _WORD_RATE.sub(self._word_rate, text) if "/" in text else text
        text = normalize_money(text)
        if "tỷ" in text or "tỉ" in text or "Tỷ" in text or "Tỉ" in text:
            text = _RATIO.sub(self._ratio, text)
        text = self.pattern.sub(self._replace, text)
        if "/" in text:
            text = _WORD_RATE.sub(self._word_rate, text)
        return _DIGITS.sub(lambda m: f" {speak_integer_text(m.group(0))} ", text)
