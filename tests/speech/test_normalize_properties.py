"""Properties of the normalizer over any text: it always answers, and never leaves a digit."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from broadcast.speech.normalize import normalize

# Pieces that reach every pass: dates, times, codes, units, phones, abbreviations, odd punctuation.
PIECES = [
    "ngày", "tháng", "năm", "thứ", "khóa", "quý", "gọi", "hotline", "số", "Công văn", "Nghị định",
    "UBND", "COVID-19", "F0", "5K", "KGVX", "TP.", "V/v", "email", "Zalo", "XV", "II", "I.",
    "/", "-", " - ", ".", ",", ":", "%", "°C", "km/h", "m³", "đ", "kg", "h", "(", ")", "+", "@",
    "http://", "www.", ".gov.vn", "\n", " ", "./.", "–", "Ð", "“", "\u00a0",
]  # fmt: skip
_DIGIT_RUN = st.text(alphabet="0123456789", min_size=1, max_size=12)
_SEPARATOR = st.sampled_from(["/", "-", ".", ",", ":", " ", "h", "", "/20"])
_PIECE = st.one_of(st.sampled_from(PIECES), _DIGIT_RUN, _SEPARATOR, st.text(max_size=4))
ANNOUNCEMENT_LIKE = st.lists(_PIECE, max_size=30).map("".join)

ASCII_DIGIT = re.compile(r"[0-9]")


@settings(max_examples=400)
@given(st.text())
def test_any_text_gives_text_without_digits(text: str) -> None:
    spoken = normalize(text)
    assert isinstance(spoken, str)
    assert not ASCII_DIGIT.search(spoken)


@settings(max_examples=1500)
@given(ANNOUNCEMENT_LIKE)
def test_announcement_like_text_gives_text_without_digits(text: str) -> None:
    assert not ASCII_DIGIT.search(normalize(text))


@given(st.text(alphabet=" \t\n\r\u00a0", max_size=10))
def test_blank_text_gives_empty_text(text: str) -> None:
    assert normalize(text) == ""
