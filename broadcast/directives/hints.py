"""What a directive asks of the stations: "phát 03 lần/ngày từ ngày 09/4/2022 đến ngày 13/4/2022"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from broadcast.directives.dates import iso_date
from broadcast.directives.record import BroadcastHints
from broadcast.directives.textutil import fold_keep

_COUNT_WORDS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6}
_COUNT = r"(?P<count>\d{1,2}|mot|hai|ba|bon|nam|sau)"
_TIMES = (
    re.compile(rf"(?<!\w){_COUNT}\s*lan\s*(?:/|moi|trong|mot)\s*ngay\b"),
    re.compile(rf"\bmoi\s+ngay\s*(?:phat\s*)?{_COUNT}\s*lan\b"),
)
# A date whose month and year may be left to the other end of the range: "09", "09/4", "09/4/2022".
_PART_DATE = (
    r"(?P<{p}d>\d{{1,2}})"
    r"(?:\s*(?:[/.-]|thang)\s*(?P<{p}m>\d{{1,2}})(?:\s*(?:[/.-]|nam)\s*(?P<{p}y>\d{{4}}))?)?"
)
_RANGE = re.compile(
    r"\btu\s+(?:ngay\s*)?"
    + _PART_DATE.format(p="a")
    + r"\s*(?:den|toi)\s+(?:het\s+)?(?:ngay\s*)?"
    + _PART_DATE.format(p="b")
)
# Words that make a date range a broadcast period even without "lần/ngày".
_ON_AIR = re.compile(r"phat thanh|phat song|truyen thanh|tiep song|phat tren|he thong loa|tiep am")


def find_hints(paragraphs: Iterable[str]) -> BroadcastHints | None:
    """Return how often and when to broadcast, when a paragraph asks for it; None when none does."""
    for paragraph in paragraphs:
        folded = fold_keep(paragraph)
        times = next((m for pattern in _TIMES if (m := pattern.search(folded)) is not None), None)
        period = _RANGE.search(folded)
        if times is None and (period is None or not _ON_AIR.search(folded)):
            continue
        count = None
        if times is not None:
            word = times["count"]
            count = int(word) if word.isdigit() else _COUNT_WORDS[word]
        start, end = _period(period) if period is not None else (None, None)
        return BroadcastHints(times_per_day=count or None, start=start, end=end)
    return None


def _period(match: re.Match[str]) -> tuple[str | None, str | None]:
    """Read both ends of "từ ngày 09/4 đến ngày 13/4/2022"; the start borrows a missing month or year."""
    end_day, end_month, end_year = (_int(match[f"b{part}"]) for part in "dmy")
    start_day, start_month, start_year = (_int(match[f"a{part}"]) for part in "dmy")
    end = iso_date(end_year, end_month, end_day) if end_year and end_month else None
    if start_year is None and end_year is not None and start_month is None and end_month is not None:
        start_month = end_month
        # "từ ngày 28 đến ngày 02/01/2023" starts in the month before.
        if start_day is not None and end_day is not None and start_day > end_day:
            start_month -= 1
    if start_year is None and end_year is not None and start_month is not None:
        start_year = end_year
        # "từ 28/12 đến 02/01/2023" starts in the year before.
        if start_month <= 0 or (end_month is not None and start_month > end_month):
            start_year -= 1
        start_month = start_month or 12
    start = iso_date(start_year, start_month, start_day) if start_year and start_month else None
    return start, end


def _int(text: str | None) -> int | None:
    return int(text) if text else None
