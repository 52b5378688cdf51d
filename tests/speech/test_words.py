"""Latin-letter words: syllable shape, spelling, run-together syllables, names from minority languages."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from importlib import resources

import pytest

from broadcast.speech.lexicon import Lexicon
from broadcast.speech.normalize import normalize
from broadcast.speech.normalize_words import is_syllable, segment, speak_part, spell, vietnamize


@pytest.mark.parametrize(
    "word",
    ["a", "Nguyễn", "người", "khuya", "quyết", "giường", "gì", "Đắk", "hoạch", "NGHĨA", "khuỷu", "oẳn", "yêu"],
)
def test_vietnamese_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["UBND", "email", "Zalo", "langson", "Krông", "online", "lei", "fax", "Wifi"])
def test_not_vietnamese_syllables(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize(
    ("word", "spoken"),
    [
        ("KGVX", "ca giê vê ích"),
        ("FJWZ", "ép di vê kép dét"),
        ("LMNR", "e lờ em mờ en nờ e rờ"),
        ("QSY", "quy ét i dài"),
        ("ĐĂÂÊÔƠƯ", "đê á ớ ê ô ơ ư"),
        ("Ộ", "ô"),
        ("Ω", "Ω"),
    ],
)
def test_spell(word: str, spoken: str) -> None:
    assert spell(word) == spoken


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("langson", ("lang", "son")), ("vanthu", ("van", "thu")), ("ake", ("a", "ke")), ("sttt", None), ("", ())],
)
def test_segment(word: str, syllables: tuple[str, ...] | None) -> None:
    assert segment(word) == syllables


@pytest.mark.parametrize(
    ("word", "spoken"),
    [("Krông", "cơ rông"), ("Jút", "giút"), ("Mar", "ma"), ("Blang", "bơ lang"), ("Chro", None)],
)
def test_vietnamize(word: str, spoken: str | None) -> None:
    assert vietnamize(word) == spoken


@pytest.mark.parametrize(
    ("part", "spoken"),
    [("xã", "xã"), ("UBND", "u bê en nờ dê"), ("Krông", "cơ rông"), ("Chro", "xê hát e rờ o"), ("B", "bê")],
)
def test_speak_part_without_lexicon(part: str, spoken: str) -> None:
    assert speak_part(part, Lexicon()) == spoken


def _admin_unit_names() -> list[str]:
    """Every province, district and commune name in the administrative units dataset."""
    database = resources.files("vietnamadminunits").joinpath("data", "dataset.db")
    with resources.as_file(database) as path, sqlite3.connect(path) as connection:
        names = {
            name
            for column in ("province", "district", "ward")
            for (name,) in connection.execute(f"SELECT DISTINCT {column} FROM admin_units_legacy")
            if name
        }
    return sorted(names)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_every_place_name_is_read_in_vietnamese() -> None:
    """Names from minority languages (Krông Pắc, Ea H'leo) must not send espeak-ng to its English voice."""
    names = _admin_unit_names()
    assert len(names) > 5000
    spoken = [normalize(name) for name in names]
    assert not any(re.search(r"[0-9]", s) for s in spoken)
    phonemes = subprocess.run(
        ["espeak-ng", "-v", "vi", "-q", "-x", "--stdin"], input="\n".join(spoken), capture_output=True, text=True
    ).stdout
    if "(en)" in phonemes:  # name the culprits, one call each
        switched = [
            s
            for s in spoken
            if "(en)" in subprocess.run(["espeak-ng", "-v", "vi", "-q", "-x", s], capture_output=True, text=True).stdout
        ]
        assert switched == []
