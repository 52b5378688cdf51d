"""Vietnamese dates as printed in official documents, read from folded text (see textutil.fold_keep)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Blanks left for the day or month to be filled in by hand: spaces, dots, underscores, ellipses.
_GAP = r"[\s._…]*"
_GAP_COMMA = r"[\s._…,]*"

_LONG = re.compile(
    rf"ngay(?:{_GAP}(?P<d>\d{{1,2}}))?{_GAP_COMMA}thang(?:{_GAP}(?P<m>\d{{1,2}}))?{_GAP_COMMA}"
    rf"nam{_GAP}(?P<y>\d{{4}})(?!\d)"
)
_NUMERIC = re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)")
_NO_DAY = re.compile(rf"ngay{_GAP}(?P<sep>[/-])\s*(?P<m>\d{{1,2}})\s*(?P=sep)\s*(?P<y>\d{{4}})(?!\d)")
_PATTERNS = (_LONG, _NUMERIC, _NO_DAY)
_DAY_WORD = re.compile(r"ngay\s*")

_FIRST_YEAR = 1900
_LAST_YEAR = 2100


@dataclass(frozen=True)
class DateMatch:
    """A date found in text: its ISO form (None when the printed date cannot exist) and where it was."""

    iso: str | None
    start: int
    end: int


def iso_date(year: int, month: int | None, day: int | None) -> str | None:
    """Return "YYYY-MM-DD", "YYYY-MM" or "YYYY" for the known parts, or None when they name no real date."""
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _to_match(match: re.Match[str]) -> DateMatch:
    groups = match.groupdict()
    day = groups.get("d")
    month = groups.get("m")
    iso = iso_date(int(match["y"]), int(month) if month else None, int(day) if day else None)
    return DateMatch(iso=iso, start=match.start(), end=match.end())


def search_date(folded: str, pos: int = 0, endpos: int | None = None) -> DateMatch | None:
    """Return the earliest date in folded[pos:endpos], in any of the printed forms."""
    stop = len(folded) if endpos is None else endpos
    found = [m for pattern in _PATTERNS if (m := pattern.search(folded, pos, stop)) is not None]
    if not found:
        return None
    return _to_match(min(found, key=lambda m: (m.start(), -m.end())))


def match_date(folded: str, pos: int, endpos: int | None = None) -> DateMatch | None:
    """Return the date that starts exactly at pos ("ngày 19/02/2022", "19-02-2022", "ngày 5 tháng 3 năm …")."""
    stop = len(folded) if endpos is None else endpos
    for pattern in _PATTERNS:
        match = pattern.match(folded, pos, stop)
        if match is not None:
            return _to_match(match)
    lead = _DAY_WORD.match(folded, pos, stop)
    if lead is not None and (match := _NUMERIC.match(folded, lead.end(), stop)) is not None:
        return DateMatch(iso=_to_match(match).iso, start=pos, end=match.end())
    return None
