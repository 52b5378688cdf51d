"""Foreign words: the table, the rule, and what they leave alone (cases in sentences are in cases_foreign.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from broadcast.speech.foreign import by_rule, foreign_reading, foreign_table
from broadcast.speech.lexicon import Entry, Lexicon, builtin_entries
from broadcast.speech.normalize import Normalizer, default_lexicon
from broadcast.speech.normalize_words import is_syllable

ESPEAK = shutil.which("espeak-ng")
# Words in no table, with English spellings the rule must handle: clusters, digraphs, silent e, soft g, -le, -er.
RULE_WORDS = [
    "Netflix", "Spotify", "Photoshop", "Messenger", "Chrome", "Skype", "Twitter", "Kraken", "Madrid", "Berlin",
    "Unilever", "Bitcoin", "Tesla", "Heineken", "Pokemon", "Oxford", "Chelsea", "Arsenal", "Barcelona", "Huawei",
    "Xiaomi", "Nestle", "Carlsberg", "Washington", "Sputnik", "Janssen", "Android", "Instagram", "Yamaha", "Strong",
]  # fmt: skip


@pytest.mark.parametrize(("word", "spoken"), [("Netflix", "nét phờ lích"), ("Google", "gu gồ"), ("Apple", "áp pồ")])
def test_rule_reads_english_spelling(word: str, spoken: str) -> None:
    assert by_rule(word) == spoken


@pytest.mark.parametrize("word", RULE_WORDS)
def test_rule_gives_vietnamese_syllables(word: str) -> None:
    syllables = by_rule(word).split()
    assert syllables, word
    assert all(is_syllable(s) or s.endswith(("ờ", "ơ")) for s in syllables), (word, syllables)
    assert not set("fjwz") & set(by_rule(word)), word


@pytest.mark.parametrize(
    "word",
    ["UBND", "WHO", "COVID", "Hà", "Kia", "Nam", "langson", "vanthu", "Ea", "km", "email", "Zalo", "Facebook"],
)
def test_leaves_acronyms_vietnamese_words_and_lexicon_entries_to_the_other_passes(word: str) -> None:
    assert foreign_reading(word, default_lexicon()) is None


def test_capitalised_run_together_syllables_are_a_foreign_name() -> None:
    assert foreign_reading("Lenovo", default_lexicon()) == "le nô vô"
    assert foreign_reading("Obama", default_lexicon()) == "ô ba ma"


def test_a_users_lexicon_entry_overrides_the_table_and_the_rule() -> None:
    lexicon = Lexicon.of([*builtin_entries(), Entry("Obama", "Ô Ba Ma"), Entry("netflix", "nét phích")])
    spoken = Normalizer(lexicon).normalize("Ông Obama xem Netflix")
    assert spoken == "Ông Ô Ba Ma xem nét phích."


def test_table_is_lower_case_vietnamese_syllables() -> None:
    table = foreign_table()
    assert len(table) >= 60
    for written, spoken in table.items():
        assert written == written.lower() and written.isascii(), written
        assert not set("fjwz") & set(spoken.lower()), (written, spoken)


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_espeak_reads_the_table_and_the_rule_in_vietnamese() -> None:
    assert ESPEAK is not None
    texts = [*foreign_table().values(), *(by_rule(word) for word in RULE_WORDS)]
    switched = []
    for text in texts:
        phonemes = subprocess.run(
            [ESPEAK, "-v", "vi", "-q", "-x", "--stdin"], input=text, capture_output=True, text=True, check=True
        ).stdout
        if "(en)" in phonemes:
            switched.append(text)
    raw = subprocess.run(
        [ESPEAK, "-v", "vi", "-q", "-x", "--stdin"], input="Netflix", capture_output=True, text=True, check=True
    ).stdout
    assert "(en)" in raw, "espeak-ng should switch on the raw word, or this test proves nothing"
    assert switched == []
