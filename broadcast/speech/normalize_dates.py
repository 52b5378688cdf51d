"""Dates and clock times: "19/02/2022", "ngày 05 tháng 3 năm 2021", "09-13/4", "7h30", "8g", "7 giờ 30", "05:30".

Days 1–10 read "mùng …" and later days "ngày …"; "ngày" is not said again when the text already
says it, nor "tháng" after "tháng". Ranges joined by a hyphen read "… đến …". By context a "d/m"
is not a date: a fraction ("2/3 số hộ", "tỷ lệ 1/3"), a house number ("số nhà 25/7", read "… trên …")
or a score ("tỷ số 2/1"). "8g" is a clock time after "lúc", "từ"… or before "sáng", "chiều"…, and
grams otherwise ("20g muối").
"""

from __future__ import annotations

import re

from broadcast.speech.context import (
    ADDRESS_AFTER,
    ADDRESS_BEFORE,
    DAY_PARTS,
    FRACTION_AFTER,
    TIME_BEFORE,
    word_after,
    word_before,
)
from broadcast.speech.numbers import speak_date, speak_day, speak_month, speak_number, speak_time

_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:1[89][0-9]{2}|2[0-9]{3})"
_DASH = r" *- *"

# One numeric date: d/m/yyyy (also with - or . used consistently), d/m, or m/yyyy.
_DATE_FORMS = (
    rf"(?P<d>{_DAY})(?P<sep>[/.-])(?P<m>{_MONTH})(?P=sep)(?P<y>{_YEAR})"
    rf"|(?P<dd>{_DAY})/(?P<dm>{_MONTH})(?![0-9]|/[0-9]|\.[0-9])"
    rf"|(?P<mm>{_MONTH})[/-](?P<my>{_YEAR})"
)
_DATE = re.compile(rf"(?<![0-9.,/-])(?:{_DATE_FORMS})(?![0-9])")
# The same forms without group names, to find a range before reading each end.
_ANY_DATE = re.sub(r"\(\?P<\w+>", "(?:", _DATE_FORMS).replace("(?P=sep)", "[/.-]")
_DATE_RANGE = re.compile(rf"(?<![0-9.,/-])(?P<a>{_ANY_DATE}){_DASH}(?P<b>{_ANY_DATE})(?![0-9])")
# "09-13/4/2022": a range of days in one month.
_DAY_RANGE = re.compile(
    rf"(?<![0-9.,/-])(?P<d1>{_DAY}){_DASH}(?P<d2>{_DAY})/(?P<m>{_MONTH})(?:/(?P<y>{_YEAR}))?(?![0-9])"
)
# "ngày 05 tháng 3 năm 2021", already in words except for the numbers.
_SPELLED = re.compile(
    rf"(?i:(?P<ngay>ngày) +)(?P<d>{_DAY}) +(?i:tháng) +(?P<m>{_MONTH})(?![0-9])"
    rf"(?: +(?i:năm) +(?P<y>[0-9]{{4}}))?(?![0-9])"
)
# "tháng 4" alone: the fourth month is "tháng tư", never "tháng bốn".
_MONTH_WORD = re.compile(rf"(?<![\w])(?P<w>(?i:tháng)) +(?P<m>{_MONTH})(?![0-9]|[.,][0-9])")

# Words after which "1/3" is a fraction, not the first of March; after "tỷ số" it is a score.
_FRACTION_CUES = frozenset({"lệ", "chiếm", "đạt", "gần", "hơn", "trên", "dưới", "khoảng", "được"})
_SCORE = re.compile(r"(?i:t[ỷỉ] +số) *$")
# Words that make "2/3" a date even before "số" ("ngày 2/3 số hộ nhận quà…").
_DATE_CUES = frozenset({"ngày", "mùng", "sáng", "trưa", "chiều", "tối", "đêm", "hôm", "từ", "đến"})
# "ngày 1.5": a dotted day and month, only after "ngày" (elsewhere "1.5" is a decimal).
_DOTTED = re.compile(rf"(?<![\w])(?P<w>(?i:ngày)) +(?P<d>{_DAY})\.(?P<m>{_MONTH})(?![0-9]|[.,][0-9])")

_HOUR = r"(?:[01]?[0-9]|2[0-4])"
_TIME_FORMS = (
    rf"(?P<h>{_HOUR})(?P<u>[hg])(?P<m>[0-5][0-9])?'?"
    rf"|(?P<ch>{_HOUR}):(?P<cm>[0-5][0-9])(?::(?P<cs>[0-5][0-9]))?"
)
_TIME = re.compile(rf"(?<![\w.,:/])(?:{_TIME_FORMS})(?![\w:])")
_ANY_TIME = re.sub(r"\(\?P<\w+>", "(?:", _TIME_FORMS)
_TIME_RANGE = re.compile(rf"(?<![\w.,:/])(?P<a>{_ANY_TIME}){_DASH}(?P<b>{_ANY_TIME})(?![\w:])")
# "7 giờ 30": minutes written without "phút", before a pause, a part of the day or the end of a range.
_HOUR_MINUTES = re.compile(
    rf"(?<![\w.,])(?P<h>{_HOUR}) +(?P<w>(?i:giờ)) +(?P<m>[0-5]?[0-9])(?![0-9]|[.,][0-9]| *(?i:phút))"
)
_AFTER_MINUTES = DAY_PARTS | {"đến", "tới", "và", "hoặc", "cùng", ""}
_RATIO_BEFORE = frozenset({"lệ", "số"})


def _word_before(match: re.Match[str]) -> str:
    """The lower-cased word just before the match ("ngày", "tháng", "quý"…), across brackets and commas."""
    return word_before(match.string, match.start(), 12)


def _speak_date_match(match: re.Match[str], before: str) -> str:
    g = match.groupdict()
    if g["d"] is not None:
        day, month, year = int(g["d"]), int(g["m"]), int(g["y"])
    elif g["dd"] is not None:
        after = word_after(match.string, match.end())
        if before in ADDRESS_BEFORE or after in ADDRESS_AFTER:  # "số nhà 25/7", "25/7 đường Lê Lợi"
            return f"{speak_number(int(g['dd']))} trên {speak_number(int(g['dm']))}"
        if before in _FRACTION_CUES or (after in FRACTION_AFTER and before not in _DATE_CUES):  # "2/3 số hộ"
            return match.group(0)
        if _SCORE.search(match.string, 0, match.start()):  # "tỷ số 2/1": a score, read later
            return match.group(0)
        day, month, year = int(g["dd"]), int(g["dm"]), None
    else:
        if before == "quý":  # "quý 1/2023" is a quarter, not January
            return f"{speak_number(int(g['mm']))} năm {speak_number(int(g['my']))}"
        spoken = speak_date(None, int(g["mm"]), int(g["my"]))
        return spoken.removeprefix("tháng ") if before == "tháng" else spoken
    spoken = speak_date(day, month, year, prefix=before not in ("ngày", "mùng"))
    return spoken.removeprefix("mùng ") if before == "mùng" else spoken


def _date(match: re.Match[str]) -> str:
    return _speak_date_match(match, _word_before(match))


def _date_range(match: re.Match[str]) -> str:
    before = _word_before(match)
    first = _DATE.fullmatch(match["a"])
    second = _DATE.fullmatch(match["b"])
    if first is None or second is None:
        return match.group(0)
    return f"{_speak_date_match(first, before)} đến {_speak_date_match(second, '')}"


def _day_range(match: re.Match[str]) -> str:
    before = _word_before(match)
    first = speak_day(int(match["d1"]), prefix=before not in ("ngày", "mùng"))
    last = speak_date(int(match["d2"]), int(match["m"]), int(match["y"]) if match["y"] else None)
    return f"{first.removeprefix('mùng ') if before == 'mùng' else first} đến {last}"


def _spelled(match: re.Match[str]) -> str:
    year = int(match["y"]) if match["y"] else None
    return f"{match['ngay']} " + speak_date(int(match["d"]), int(match["m"]), year, prefix=False)


def _month_word(match: re.Match[str]) -> str:
    return f"{match['w']} {speak_month(int(match['m']))}"


def normalize_dates(text: str) -> str:
    """Read every date in words (see the module docstring)."""
    if not any(ch.isdigit() for ch in text):
        return text
    text = _SPELLED.sub(_spelled, text)
    text = _DOTTED.sub(lambda m: f"{m['w']} {speak_date(int(m['d']), int(m['m']), prefix=False)}", text)
    text = _DAY_RANGE.sub(_day_range, text)
    text = _DATE_RANGE.sub(_date_range, text)
    text = _DATE.sub(_date, text)
    return _MONTH_WORD.sub(_month_word, text)


def _speak_time_match(match: re.Match[str]) -> str:
    g = match.groupdict()
    if g["h"] is not None:
        return speak_time(int(g["h"]), int(g["m"] or 0))
    return speak_time(int(g["ch"]), int(g["cm"]), int(g["cs"] or 0))


def _is_clock(match: re.Match[str], text: str, start: int, end: int) -> bool:
    """Whether a time-shaped match is a clock time: "8g" only by context (else grams), "1:50" not after "tỷ lệ"."""
    if match["u"] == "g" and not match["m"]:
        return word_before(text, start) in TIME_BEFORE or word_after(text, end) in DAY_PARTS
    return not (match["ch"] is not None and word_before(text, start) in _RATIO_BEFORE)


def _time(match: re.Match[str]) -> str:
    if not _is_clock(match, match.string, match.start(), match.end()):
        return match.group(0)
    return _speak_time_match(match)


def _time_range(match: re.Match[str]) -> str:
    first, second = _TIME.fullmatch(match["a"]), _TIME.fullmatch(match["b"])
    if first is None or second is None:
        return match.group(0)
    text = match.string
    if not (_is_clock(first, text, match.start(), match.end()) or _is_clock(second, text, match.start(), match.end())):
        return match.group(0)  # "10-20g": a range of weights
    return f"{_speak_time_match(first)} đến {_speak_time_match(second)}"


def _hour_minutes(match: re.Match[str]) -> str:
    if word_after(match.string, match.end()) not in _AFTER_MINUTES:
        return match.group(0)  # "sau 2 giờ 30 người đã đến": a count, not minutes
    return f"{speak_number(int(match['h']))} {match['w']} {speak_number(int(match['m']))} phút"


def normalize_times(text: str) -> str:
    """Read clock times ("7h30", "8g", "9g15", "7 giờ 30", "05:30") and their ranges in words."""
    if not any(ch.isdigit() for ch in text):
        return text
    text = _TIME_RANGE.sub(_time_range, text)
    text = _TIME.sub(_time, text)
    return _HOUR_MINUTES.sub(_hour_minutes, text) if "giờ" in text or "GIỜ" in text else text
