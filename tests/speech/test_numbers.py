"""Vietnamese readings of numbers, digits, decimals, dates and times."""

from __future__ import annotations

import pytest

from broadcast.speech.numbers import (
    roman_to_int,
    speak_date,
    speak_decimal,
    speak_digits,
    speak_number,
    speak_ordinal,
    speak_time,
)

NUMBERS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (55, "năm mươi lăm"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (184, "một trăm tám mươi tư"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),
    (1010, "một nghìn không trăm mười"),
    (1015, "một nghìn không trăm mười lăm"),
    (2000, "hai nghìn"),
    (2005, "hai nghìn không trăm linh năm"),
    (2021, "hai nghìn không trăm hai mươi mốt"),
    (2022, "hai nghìn không trăm hai mươi hai"),
    (2500, "hai nghìn năm trăm"),
    (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"),
    (25_000, "hai mươi lăm nghìn"),
    (100_000, "một trăm nghìn"),
    (1_000_000, "một triệu"),
    (1_000_500, "một triệu năm trăm"),
    (1_005_000, "một triệu không trăm linh năm nghìn"),
    (1_500_000, "một triệu năm trăm nghìn"),
    (1_000_000_000, "một tỷ"),
    (1_000_000_005, "một tỷ không trăm linh năm"),
    (2_500_000_000, "hai tỷ năm trăm triệu"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (-5, "âm năm"),
]


@pytest.mark.parametrize(("n", "spoken"), NUMBERS)
def test_speak_number(n: int, spoken: str) -> None:
    assert speak_number(n) == spoken


@pytest.mark.parametrize(
    ("digits", "spoken"),
    [
        ("114", "một một bốn"),
        ("0205 3812 345", "không hai không năm, ba tám một hai, ba bốn năm"),
        ("0912.345.678", "không chín một hai, ba bốn năm, sáu bảy tám"),
        ("+84 912", "cộng tám bốn, chín một hai"),
        ("", ""),
    ],
)
def test_speak_digits(digits: str, spoken: str) -> None:
    assert speak_digits(digits) == spoken


@pytest.mark.parametrize(
    ("integer", "fraction", "spoken"),
    [
        ("98", "5", "chín mươi tám phẩy năm"),
        ("0", "5", "không phẩy năm"),
        ("2", "25", "hai phẩy hai mươi lăm"),
        ("0", "05", "không phẩy không năm"),
        ("3", "14159", "ba phẩy một bốn một năm chín"),
    ],
)
def test_speak_decimal(integer: str, fraction: str, spoken: str) -> None:
    assert speak_decimal(integer, fraction) == spoken


@pytest.mark.parametrize(
    ("args", "kwargs", "spoken"),
    [
        ((19, 2, 2022), {}, "ngày mười chín tháng hai năm hai nghìn không trăm hai mươi hai"),
        ((1, 7), {}, "mùng một tháng bảy"),
        ((10, 4), {}, "mùng mười tháng tư"),
        ((11, 4), {}, "ngày mười một tháng tư"),
        ((19, 2, 2022), {"prefix": False}, "mười chín tháng hai năm hai nghìn không trăm hai mươi hai"),
        ((5, 3), {"prefix": False}, "mùng năm tháng ba"),
        ((None, 12, 2021), {}, "tháng mười hai năm hai nghìn không trăm hai mươi mốt"),
    ],
)
def test_speak_date(args: tuple[int | None, ...], kwargs: dict[str, bool], spoken: str) -> None:
    assert speak_date(*args, **kwargs) == spoken


@pytest.mark.parametrize(
    ("args", "spoken"),
    [
        ((7, 30), "bảy giờ ba mươi phút"),
        ((17, 0), "mười bảy giờ"),
        ((5, 5), "năm giờ năm phút"),
        ((13, 15, 20), "mười ba giờ mười lăm phút hai mươi giây"),
    ],
)
def test_speak_time(args: tuple[int, ...], spoken: str) -> None:
    assert speak_time(*args) == spoken


@pytest.mark.parametrize(("n", "spoken"), [(1, "nhất"), (2, "hai"), (4, "tư"), (7, "bảy"), (14, "mười bốn")])
def test_speak_ordinal(n: int, spoken: str) -> None:
    assert speak_ordinal(n) == spoken


@pytest.mark.parametrize(("roman", "value"), [("I", 1), ("IV", 4), ("IX", 9), ("XIV", 14), ("XV", 15), ("XIII", 13)])
def test_roman_to_int(roman: str, value: int) -> None:
    assert roman_to_int(roman) == value


def test_roman_to_int_rejects_other_letters() -> None:
    with pytest.raises(ValueError, match="not a Roman numeral"):
        roman_to_int("XK")
