from __future__ import annotations

from datetime import time

import pytest

from broadcast.errors import SessionError
from broadcast.units.clock import (
    ALL_DAYS,
    SessionClock,
    check_no_overlap,
    format_length,
    format_weekdays,
    parse_length,
    parse_time,
    parse_weekdays,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("daily", ALL_DAYS),
        ("mon-fri", 0b0011111),
        ("Mon-Fri", 0b0011111),
        ("sat,sun", 0b1100000),
        ("mon,wed,fri", 0b0010101),
        ("t2-t6", 0b0011111),
        ("t7,cn", 0b1100000),
        ("weekdays", 0b0011111),
        ("sun", 0b1000000),
    ],
)
def test_parse_weekdays(text: str, expected: int) -> None:
    assert parse_weekdays(text) == expected


@pytest.mark.parametrize("text", ["", "funday", "fri-mon", "mon-", "mon,,tue"])
def test_parse_weekdays_rejects(text: str) -> None:
    with pytest.raises(SessionError, match="weekday"):
        parse_weekdays(text)


@pytest.mark.parametrize(
    ("mask", "text"),
    [(ALL_DAYS, "daily"), (0b0011111, "mon-fri"), (0b1100000, "sat,sun"), (0b0010101, "mon,wed,fri"), (1, "mon")],
)
def test_format_weekdays_round_trips(mask: int, text: str) -> None:
    assert format_weekdays(mask) == text
    assert parse_weekdays(text) == mask


@pytest.mark.parametrize(
    ("text", "expected"),
    [("05:30", time(5, 30)), ("5:30", time(5, 30)), ("17h", time(17, 0)), ("17h30", time(17, 30)), ("0:00", time(0))],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "noon", "5.30", "", "-1:00"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(SessionError, match="time"):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("30m", 30), ("30", 30), ("45 min", 45), ("1h", 60), ("1h30m", 90), ("1h30", 90), ("90m", 90), ("24h", 1440)],
)
def test_parse_length(text: str, minutes: int) -> None:
    assert parse_length(text) == minutes


@pytest.mark.parametrize("text", ["", "0m", "25h", "half an hour", "m", "-5m"])
def test_parse_length_rejects(text: str) -> None:
    with pytest.raises(SessionError, match="length"):
        parse_length(text)


def test_format_length() -> None:
    assert [format_length(m) for m in (30, 60, 90)] == ["30m", "1h", "1h30m"]


def test_session_may_end_at_midnight_but_not_after() -> None:
    assert SessionClock.parse("tối", "23:30", "30m").end_text == "24:00"
    with pytest.raises(SessionError, match="past midnight"):
        SessionClock.parse("tối", "23:30", "31m")


def test_session_name_is_nfc_and_required() -> None:
    decomposed = "sa\u0301ng"  # "sáng" in NFD
    assert SessionClock.parse(decomposed, "05:30", "30m").name == "sáng"
    with pytest.raises(SessionError, match="name"):
        SessionClock.parse("  ", "05:30", "30m")


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (("05:30", "30m", "daily"), ("06:00", "30m", "daily"), False),  # back to back
        (("05:30", "31m", "daily"), ("06:00", "30m", "daily"), True),
        (("05:30", "1h", "mon-fri"), ("06:00", "30m", "sat,sun"), False),  # different days
        (("05:30", "1h", "mon-fri"), ("06:00", "30m", "fri-sun"), True),
        (("06:00", "10m", "daily"), ("05:00", "3h", "daily"), True),  # contained
    ],
)
def test_overlaps(a: tuple[str, str, str], b: tuple[str, str, str], overlap: bool) -> None:
    first, second = SessionClock.parse("a", *a), SessionClock.parse("b", *b)
    assert first.overlaps(second) is overlap
    assert second.overlaps(first) is overlap


def test_check_no_overlap_names_both_sessions() -> None:
    clocks = [SessionClock.parse("sáng", "05:30", "30m"), SessionClock.parse("trưa", "05:45", "30m")]
    with pytest.raises(SessionError, match=r"sessions overlap on xã A: sáng 05:30-06:00 daily and trưa 05:45-06:15"):
        check_no_overlap(clocks, "xã A")
